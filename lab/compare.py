"""Paired comparison of scenarios: the same seeds for each, differences with 95 % intervals.

One run of this model is noise: two seeds of one scenario differ by as much
as many levers do. Running every scenario on the same seeds (common random
numbers: the model draws each kind of event from its own seeded stream)
removes most of that noise from the *difference*, so the lab reports per KPI
the paired difference to the first scenario with its t-interval, not two
means side by side. A scenario compared with itself differs by exactly 0.

`--seeds auto` keeps adding seeds until the intervals of the chosen KPIs are
narrower than asked, or a maximum is reached; the interval's width shrinks
with the square root of the number of seeds, which sets how many to add.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from lab.runs import RunSpec, resolve

CONFIDENCE = 0.95
FIRST_AUTO_SEEDS = 5


@dataclass(frozen=True)
class Plan:
    """What to compare: scenarios (the first is the reference), seeds, length, overrides."""

    scenarios: tuple[str, ...]
    labels: tuple[str, ...]
    seeds: tuple[int, ...]
    weeks: int | None = None
    overrides: tuple[str, ...] = ()

    def specs(self) -> list[RunSpec]:
        """One run per scenario and seed, seed-major so early rows already pair up."""
        return [RunSpec(scenario, seed, self.weeks, self.overrides, label=label)
                for seed in self.seeds
                for scenario, label in zip(self.scenarios, self.labels, strict=True)]

    def with_seeds(self, seeds: Sequence[int]) -> Plan:
        return Plan(self.scenarios, self.labels, tuple(seeds), self.weeks, self.overrides)


def labels_for(scenarios: Sequence[str]) -> tuple[str, ...]:
    """Table names for the scenarios as given: a file's stem; a repeat gets ' (2)', ' (3)'."""
    labels: list[str] = []
    for text in scenarios:
        base = Path(text).stem if text.endswith(".toml") else text
        label, n = base, 1
        while label in labels:
            n += 1
            label = f"{base} ({n})"
        labels.append(label)
    return tuple(labels)


def kpi_columns(frame: pd.DataFrame) -> list[str]:
    """The KPI columns of a run table: numbers that are not metadata or settings."""
    meta = {"run_key", "scenario", "seed", "weeks", "scenario_hash", "code_version"}
    return [c for c in frame.columns
            if c not in meta and pd.api.types.is_numeric_dtype(frame[c])]


def t_half_width(sd: float, n: int, confidence: float = CONFIDENCE) -> float:
    """Half the width of the t-interval of a mean of n values with standard deviation sd."""
    if n < 2 or not math.isfinite(sd):
        return math.nan
    return float(stats.t.ppf((1 + confidence) / 2, n - 1)) * sd / math.sqrt(n)


def paired(frame: pd.DataFrame, labels: Sequence[str], kpis: Sequence[str] | None = None,
           confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Per KPI and scenario: mean, sd, n, and the paired difference to labels[0] with its interval.

    Only seeds that every scenario has a value for are used, so the means and
    the differences are over the same runs.
    """
    kpis = list(kpis) if kpis is not None else kpi_columns(frame)
    rows: list[dict[str, Any]] = []
    for kpi in kpis:
        wide = frame.pivot(index="seed", columns="scenario", values=kpi)
        wide = wide.reindex(columns=list(labels)).astype(float).dropna()
        ref = wide[labels[0]].to_numpy()
        for label in labels:
            values = wide[label].to_numpy()
            diffs = values - ref
            n = len(values)
            sd = float(np.std(values, ddof=1)) if n > 1 else math.nan
            dsd = float(np.std(diffs, ddof=1)) if n > 1 else math.nan
            dmean = float(diffs.mean()) if n else math.nan
            half = t_half_width(dsd, n, confidence)
            rows.append({"kpi": kpi, "scenario": label,
                         "mean": float(values.mean()) if n else math.nan, "sd": sd, "n": n,
                         "diff": dmean, "diff_sd": dsd,
                         "diff_lo": dmean - half, "diff_hi": dmean + half})
    return pd.DataFrame(rows, columns=["kpi", "scenario", "mean", "sd", "n", "diff", "diff_sd",
                                       "diff_lo", "diff_hi"])


def interval_width(table: pd.DataFrame, kpi: str, labels: Sequence[str]) -> float:
    """The widest interval of a KPI: of the differences, or of the mean with one scenario."""
    rows = table[table["kpi"] == kpi]
    if len(labels) == 1:
        row = rows.iloc[0]
        return 2 * t_half_width(row["sd"], int(row["n"]))
    others = rows[rows["scenario"] != labels[0]]
    widths = (others["diff_hi"] - others["diff_lo"]).to_numpy(dtype=float)
    return float(np.max(widths)) if len(widths) and not np.isnan(widths).any() else math.inf


@dataclass
class AutoSeeds:
    """`--seeds auto`: the widths asked for per KPI, the most seeds to use, what was reached."""

    precision: dict[str, float]
    most: int
    first: int = 1
    reached: dict[str, float] = field(default_factory=dict)

    def next_count(self, table: pd.DataFrame, labels: Sequence[str], n: int) -> int | None:
        """How many seeds to run next, or None when every width is met (or the maximum is hit)."""
        self.reached = {k: interval_width(table, k, labels) for k in self.precision}
        ratios = [w / self.precision[k] for k, w in self.reached.items()]
        if all(r <= 1 for r in ratios) or n >= self.most:
            return None
        worst = max(ratios)
        wanted = n + 2 if not math.isfinite(worst) else math.ceil(n * worst * worst)
        return min(self.most, max(wanted, n + 2))

    def met(self) -> bool:
        return all(self.reached.get(k, math.inf) <= w for k, w in self.precision.items())


def check_plan(plan: Plan) -> None:
    """Load every scenario once, so a typo fails before any run starts."""
    from sim.errors import UserError

    for scenario, label in zip(plan.scenarios, plan.labels, strict=True):
        resolved = resolve(RunSpec(scenario, plan.seeds[0], plan.weeks, plan.overrides))
        if resolved.run.weeks <= resolved.run.warmup_weeks:
            raise UserError(
                f"{label}: the run has {resolved.run.weeks} weeks and a warm-up of "
                f"{resolved.run.warmup_weeks}; KPIs are measured after the warm-up, so give "
                f"--years or --weeks longer than the warm-up (more than "
                f"{resolved.run.warmup_weeks} weeks).")


def compare(plan: Plan, run: Callable[[Plan], pd.DataFrame],
            auto: AutoSeeds | None = None) -> tuple[Plan, pd.DataFrame, pd.DataFrame]:
    """Run the plan (growing its seeds under `auto`); return the plan run, its rows and table."""
    if auto is not None:
        plan = plan.with_seeds(range(auto.first, auto.first + min(auto.most, FIRST_AUTO_SEEDS)))
    while True:
        rows = run(plan)
        table = paired(rows, plan.labels)
        if auto is None:
            return plan, rows, table
        count = auto.next_count(table, plan.labels, len(plan.seeds))
        if count is None:
            return plan, rows, table
        plan = plan.with_seeds(range(auto.first, auto.first + count))


def scenario_facts(plan: Plan, rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Name, file, fingerprint and overrides of each scenario compared, for the report."""
    from sim.scenario import display_path, resolve_path

    facts = []
    for scenario, label in zip(plan.scenarios, plan.labels, strict=True):
        hashes = rows.loc[rows["scenario"] == label, "scenario_hash"].unique().tolist()
        facts.append({"name": label, "file": display_path(resolve_path(scenario)),
                      "scenario_hash": hashes[0] if hashes else "",
                      "overrides": list(plan.overrides)})
    return facts


__all__ = ["AutoSeeds", "CONFIDENCE", "FIRST_AUTO_SEEDS", "Plan", "check_plan", "compare",
           "interval_width", "kpi_columns", "labels_for", "paired",
           "scenario_facts", "t_half_width"]
