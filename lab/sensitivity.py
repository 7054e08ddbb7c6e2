"""Which levers matter: Morris screening and Sobol indices from a sweep's runs, with caveats.

A sensitivity index is an estimate, and with the few points a simulation can
afford it is often a rough one. So every table comes with plain warnings
where it should not be read at face value: an interval that includes zero
(the lever's effect cannot be told from none), an interval wider than the
value itself, or a design too small to trust (Morris with fewer than 10
trajectories, Sobol with fewer than 64 base samples).

The model is stochastic; each point is run on several seeds and the analysis
uses the mean over them, so seed noise does not pose as a lever's effect.
Morris effects are per unit of the factor's range (SALib's unit cube), so
mu* compares levers measured in different units.

The table is tidy - one row per output, factor and index:

    output, factor, index, value, conf

Morris gives `mu_star` (mean absolute elementary effect, with its bootstrap
confidence half-width), `mu` (signed) and `sigma` (spread: interactions or
non-linearity); Sobol gives `S1` and `ST` (and `S2`, for pairs "a & b", when
the sweep asks for second order), each with its confidence half-width.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lab.samplers import unit_problem

if TYPE_CHECKING:
    from lab.samplers import Design
    from lab.sweepfile import Sweep

COLUMNS = ("output", "factor", "index", "value", "conf")
MIN_MORRIS_TRAJECTORIES = 10
MIN_SOBOL_SAMPLES = 64
RESAMPLES = 1_000  # bootstrap resamples for the confidence intervals
CONF_LEVEL = 0.95


@dataclass(frozen=True, eq=False)
class Indices:
    """A tidy table of sensitivity indices and the warnings that go with it."""

    table: pd.DataFrame
    warnings: tuple[str, ...] = ()


def point_means(runs: pd.DataFrame, outputs: Sequence[str], points: int) -> dict[str, np.ndarray]:
    """Per output, the mean over seeds of each point 0..points-1 (NaN where none has a value)."""
    rows = runs[runs["point"].notna()]
    means = rows.groupby(rows["point"].astype(int))[list(outputs)].mean()
    means = means.reindex(range(points))
    return {name: means[name].to_numpy(dtype=float) for name in outputs}


def analyze(sweep: Sweep, design: Design, runs: pd.DataFrame) -> Indices | None:
    """The indices of a morris or sobol sweep from its run table (None for other samplers)."""
    names = [f.path for f in sweep.factors]
    means = point_means(runs, sweep.outputs, len(design.points))
    if sweep.sampler == "morris":
        return morris_indices(names, design.unit, means, sweep.num_levels,
                              trajectories=sweep.samples, seed=sweep.sampler_seed)
    if sweep.sampler == "sobol":
        return sobol_indices(names, means, sweep.samples, sweep.second_order,
                             seed=sweep.sampler_seed)
    return None


def morris_indices(names: Sequence[str], unit: np.ndarray, outputs: Mapping[str, np.ndarray],
                   num_levels: int, trajectories: int, seed: int = 1) -> Indices:
    """mu*, mu and sigma per output and factor, from the unit-cube design and its outputs."""
    from SALib.analyze import morris

    problem = unit_problem(len(names))
    rows: list[tuple] = []
    warnings: list[str] = []
    if trajectories < MIN_MORRIS_TRAJECTORIES:
        warnings.append(f"Morris screening with {trajectories} trajectories is rough: "
                        f"{MIN_MORRIS_TRAJECTORIES} or more are usual; read the ranking, "
                        "not the values.")
    for output, y in outputs.items():
        if not _usable(output, y, warnings):
            continue
        result = morris.analyze(problem, unit, y, num_resamples=RESAMPLES,
                                conf_level=CONF_LEVEL, num_levels=num_levels, seed=seed)
        for i, factor in enumerate(names):
            rows += [(output, factor, "mu_star", result["mu_star"][i],
                      result["mu_star_conf"][i]),
                     (output, factor, "mu", result["mu"][i], np.nan),
                     (output, factor, "sigma", result["sigma"][i], np.nan)]
    table = _tidy(rows)
    warnings += _unclear(table, ("mu_star",))
    return Indices(table, tuple(warnings))


def sobol_indices(names: Sequence[str], outputs: Mapping[str, np.ndarray], samples: int,
                  second_order: bool = False, seed: int = 1) -> Indices:
    """S1 and ST (and S2) per output and factor, from outputs in Saltelli's order."""
    from SALib.analyze import sobol

    problem = unit_problem(len(names))
    rows: list[tuple] = []
    warnings: list[str] = []
    if samples < MIN_SOBOL_SAMPLES:
        warnings.append(f"Sobol indices from {samples} base samples are rough: "
                        f"{MIN_SOBOL_SAMPLES} or more are usual, and many more for small "
                        "indices.")
    for output, y in outputs.items():
        if not _usable(output, y, warnings):
            continue
        result = sobol.analyze(problem, y, calc_second_order=second_order,
                               num_resamples=RESAMPLES, conf_level=CONF_LEVEL, seed=seed)
        for i, factor in enumerate(names):
            rows += [(output, factor, index, result[index][i], result[f"{index}_conf"][i])
                     for index in ("S1", "ST")]
        if second_order:
            rows += [(output, f"{names[i]} & {names[j]}", "S2", result["S2"][i, j],
                      result["S2_conf"][i, j])
                     for i in range(len(names)) for j in range(i + 1, len(names))]
    table = _tidy(rows)
    warnings += _unclear(table, ("S1", "ST", "S2"))
    return Indices(table, tuple(warnings))


def _usable(output: str, y: np.ndarray, warnings: list[str]) -> bool:
    """Whether an output can be analysed; if not, say why in a warning."""
    missing = int(np.isnan(y).sum())
    if missing:
        warnings.append(f"{output}: {missing} of {y.size} points have no value (e.g. no "
                        "family started care in the measured weeks), so it is not analysed; "
                        "run longer or with more families.")
        return False
    if np.ptp(y) == 0:
        warnings.append(f"{output} is the same at every point, so no factor moves it; "
                        "it is not analysed.")
        return False
    return True


def _tidy(rows: list[tuple]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    table[["value", "conf"]] = table[["value", "conf"]].astype(float)
    return table


def _unclear(table: pd.DataFrame, indices: Sequence[str]) -> list[str]:
    """One sentence per output and index naming the factors whose interval includes zero."""
    warnings = []
    shown = table[table["index"].isin(indices) & table["conf"].notna()]
    for (output, index), group in shown.groupby(["output", "index"], sort=False):
        spans = group[group["conf"] >= group["value"].abs()]
        if spans.empty:
            continue
        which = ", ".join(f"{r.factor} ({r.value:.3g} ± {r.conf:.3g})"
                          for r in spans.itertuples())
        warnings.append(f"{output}: the {index} of {which} cannot be told from zero (the "
                        f"{CONF_LEVEL:.0%} interval is as wide as the value or wider); more "
                        "samples or replications would tell.")
    return warnings
