"""The points of a sweep: which values of its factors are run.

Four designs, each suited to one question:

- `grid`: every combination of a few levels - for a handful of levers and a
  table a policymaker reads row by row (the only design for text and
  true/false levers);
- `lhs` (Latin hypercube, SALib): a space-filling sample of many numeric
  levers at once, each range covered evenly - for discovery and response
  surfaces;
- `morris` (SALib): trajectories that change one factor at a time, the
  screening design of Morris (1991) with Campolongo's mu* - which of many
  levers matter at all, for about (factors + 1) runs per trajectory;
- `sobol` (SALib, Saltelli's scheme): the variance-based design behind first
  and total-order Sobol indices - how much of a KPI's spread each lever
  explains, at N x (factors + 2) runs.

SALib samples in the unit cube here; `to_values` maps each column to its
factor's distribution (uniform, triangular, log-uniform or normal cut to the
range) and clips to the range, so every value passes the scenario's checks,
and rounds whole-number parameters. The unit-cube matrix is kept for the
analysis: Morris needs the exact steps the sampler took, before rounding.
Every design is drawn from the sweep's `sampler_seed`, so the same file gives
the same points on any machine.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from lab.sweepfile import Factor, Sweep


@dataclass(frozen=True, eq=False)
class Design:
    """The points of a sweep, in run order, and the sampler's matrix behind them."""

    points: tuple[dict[str, Any], ...]  # factor path -> plain Python value
    unit: np.ndarray | None = None  # lhs/morris/sobol: the points in the unit cube


def even_levels(lo: float, hi: float, steps: int, whole: bool = False) -> tuple[Any, ...]:
    """`steps` evenly spaced values from lo to hi, ends included (whole numbers: rounded,
    each once)."""
    values = np.linspace(lo, hi, steps)
    if whole:
        return tuple(dict.fromkeys(int(round(v)) for v in values))
    # 12 significant digits: 0.1 + 0.2 is written 0.3, as the user would.
    return tuple(min(max(float(f"{v:.12g}"), lo), hi) for v in values)


def point_count(sampler: str, factors: Sequence[Factor], samples: int | None,
                second_order: bool = False) -> int:
    """Points the sampler will give, known before drawing them (to bound a sweep)."""
    d = len(factors)
    if sampler == "grid":
        return math.prod(len(f.levels) for f in factors)
    n = samples or 0
    if sampler == "lhs":
        return n
    if sampler == "morris":
        return n * (d + 1)
    if sampler == "sobol":
        return n * (2 * d + 2 if second_order else d + 2)
    raise ValueError(f"unknown sampler {sampler!r}")


def design(sweep: Sweep) -> Design:
    """The sweep's points, drawn from its sampler_seed."""
    if sweep.sampler == "grid":
        return Design(tuple(grid(sweep.factors)))
    unit = unit_sample(sweep.sampler, len(sweep.factors), sweep.samples or 0,
                       sweep.sampler_seed, num_levels=sweep.num_levels,
                       second_order=sweep.second_order)
    return Design(tuple(to_values(sweep.factors, unit)), unit)


def grid(factors: Sequence[Factor]) -> list[dict[str, Any]]:
    """Every combination of the levels, the last factor changing fastest."""
    paths = [f.path for f in factors]
    return [dict(zip(paths, combo, strict=True))
            for combo in itertools.product(*(f.levels for f in factors))]


def unit_problem(d: int) -> dict[str, Any]:
    """A SALib problem of `d` factors on [0, 1]: distributions are applied afterwards."""
    return {"num_vars": d, "names": [f"x{i}" for i in range(d)], "bounds": [[0.0, 1.0]] * d}


def unit_sample(sampler: str, d: int, samples: int, seed: int, num_levels: int = 4,
                second_order: bool = False) -> np.ndarray:
    """The SALib design in the unit cube: one row per point, one column per factor."""
    problem = unit_problem(d)
    if sampler == "lhs":
        from SALib.sample import latin

        return latin.sample(problem, samples, seed=seed)
    if sampler == "morris":
        from SALib.sample import morris

        return morris.sample(problem, samples, num_levels=num_levels, seed=seed)
    if sampler == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, samples, calc_second_order=second_order, seed=seed)
    raise ValueError(f"{sampler!r} does not sample the unit cube")


def to_values(factors: Sequence[Factor], unit: np.ndarray) -> list[dict[str, Any]]:
    """Each row of the unit cube as factor values, by each factor's distribution."""
    columns = [_scaled(f, unit[:, i]) for i, f in enumerate(factors)]
    return [{f.path: _plain(f, col[row]) for f, col in zip(factors, columns, strict=True)}
            for row in range(unit.shape[0])]


def _scaled(factor: Factor, u: np.ndarray) -> np.ndarray:
    """Quantiles `u` of the factor's distribution, clipped to its range."""
    from scipy import stats

    lo, hi = float(factor.lo), float(factor.hi)
    width = hi - lo
    if factor.distribution == "triangular":
        values = stats.triang.ppf(u, c=(factor.peak - lo) / width, loc=lo, scale=width)
    elif factor.distribution == "loguniform":
        values = np.exp(math.log(lo) + u * (math.log(hi) - math.log(lo)))
    elif factor.distribution == "truncnormal":
        a, b = (lo - factor.mean) / factor.sd, (hi - factor.mean) / factor.sd
        values = stats.truncnorm.ppf(u, a, b, loc=factor.mean, scale=factor.sd)
    else:
        values = lo + u * width
    return np.clip(values, lo, hi)


def _plain(factor: Factor, value: float) -> int | float:
    """A Python number of the parameter's type (whole-number parameters are rounded)."""
    return int(round(float(value))) if factor.kind == "int" else float(value)
