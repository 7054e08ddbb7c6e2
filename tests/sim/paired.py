"""Paired runs for lever tests: the same seeds with and without one change.

A lever's effect is the per-seed difference (changed minus base), and a test
asserts on the 95 % interval of those differences (Student's t), never on a
bare mean: with common random numbers the noise of a seed cancels, so a few
seeds give an interval narrow enough to say which way a lever pushes.

`SAMENSPEL_SHOW_EFFECTS=1 pytest -s ...` prints every effect with its distance from
zero in half-widths: the margin to read before adding or removing seeds.
"""

from __future__ import annotations

import math
import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sim.model import SamenspelModel
from sim.scenario import load_scenario

# 97.5 % quantiles of Student's t for n - 1 degrees of freedom (n = 2 .. 12).
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
        16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093}

# A town: small enough to run many seeds, large enough to have queues of its own; its
# scenario file says why its youth mental health capacity differs from the baseline's.
TOWN = ("population.families=4000", "population.neighbourhoods=8", "providers.count=8")
TOWN_SCENARIO = str(Path(__file__).with_name("town.toml"))


@dataclass(frozen=True)
class Effect:
    """The paired difference of one metric: its mean and 95 % interval, and the runs."""

    key: str
    mean: float
    lo: float
    hi: float
    base: tuple[float, ...]
    changed: tuple[float, ...]
    log: bool = False  # the differences are of logarithms: the interval is of the ratio

    def __str__(self) -> str:
        if self.log:
            return (f"{self.key}: {statistics.fmean(self.base):.4g} -> "
                    f"{statistics.fmean(self.changed):.4g}, ratio x{math.exp(self.mean):.3g} "
                    f"(95 % interval x{math.exp(self.lo):.3g} to x{math.exp(self.hi):.3g}, "
                    f"{len(self.base)} seeds)")
        return (f"{self.key}: {statistics.fmean(self.base):.4g} -> "
                f"{statistics.fmean(self.changed):.4g}, difference {self.mean:+.4g} "
                f"(95 % interval {self.lo:+.4g} to {self.hi:+.4g}, {len(self.base)} seeds)")

    @property
    def up(self) -> bool:
        """The whole interval lies above zero."""
        return self.lo > 0

    @property
    def down(self) -> bool:
        return self.hi < 0


def interval(differences: list[float]) -> tuple[float, float, float]:
    """Mean and 95 % t-interval of paired differences."""
    n = len(differences)
    m = statistics.fmean(differences)
    if n < 2:
        return m, -math.inf, math.inf
    half = T975[n - 1] * statistics.stdev(differences) / math.sqrt(n)
    return m, m - half, m + half


@cache
def _run(scenario: str, overrides: tuple[str, ...], seed: int, weeks: int,
         actions: tuple, measure: Callable[[SamenspelModel], dict[str, float]]
         ) -> dict[str, float]:
    model = SamenspelModel(load_scenario(scenario, list(overrides)), seed=seed,
                           actions=[dict(a) for a in actions], collect_groups=False)
    model.run_weeks(weeks)
    return measure(model)


def effective(overrides: tuple[str, ...]) -> tuple[str, ...]:
    """The overrides that take effect: a key set twice keeps its last value, in its place.

    So a base with one contract kind changed to another runs (and is cached) as the
    same scenario as a base that names the second kind directly.
    """
    last: dict[str, str] = {}
    for override in overrides:
        key = override.split("=", 1)[0].strip()
        last.pop(key, None)
        last[key] = override
    return tuple(last.values())


def summary(model: SamenspelModel) -> dict[str, float]:
    return dict(model.summary())


def runs(key: str, base: tuple[str, ...], *, seeds: tuple[int, ...] = (1, 2, 3, 4, 5),
         scenario: str = TOWN_SCENARIO, weeks: int = 312, warmup: int = 156,
         actions: tuple = (),
         measure: Callable[[SamenspelModel], dict[str, float]] = summary) -> tuple[float, ...]:
    """`key` in the town's runs of `base` (scenario overrides), seed by seed: each arm of
    `paired`, and on its own for a test that asks what the town does, not what a lever
    changes. Runs are cached by the overrides that take effect."""
    run = (f"run.weeks={weeks}", f"run.warmup_weeks={warmup}")
    return tuple(_run(scenario, effective((*TOWN, *run, *base)), s, weeks, actions,
                      measure)[key] for s in seeds)


def paired(key: str, base: tuple[str, ...], change: tuple[str, ...], *,
           seeds: tuple[int, ...] = (1, 2, 3, 4, 5), scenario: str = TOWN_SCENARIO,
           weeks: int = 312, warmup: int = 156, actions: tuple = (),
           measure: Callable[[SamenspelModel], dict[str, float]] = summary,
           log: bool = False) -> Effect:
    """Effect on `key` of adding `change` to `base` (scenario overrides), seed by seed.

    With `log` the interval is of the ratio changed / base (differences of
    logarithms): for waits and counts whose effect multiplies, where one seed
    with a long queue would otherwise widen an interval of plain differences.
    Runs are cached, so several keys of the same pair cost one run per seed.
    """
    town = dict(seeds=seeds, scenario=scenario, weeks=weeks, warmup=warmup, measure=measure)
    a = list(runs(key, base, **town))
    b = list(runs(key, (*base, *change), actions=actions, **town))
    if log:
        if min(a + b) <= 0:
            raise ValueError(f"{key}: a ratio needs positive values, got {a} and {b}")
        m, lo, hi = interval([math.log(y / x) for x, y in zip(a, b, strict=True)])
    else:
        m, lo, hi = interval([y - x for x, y in zip(a, b, strict=True)])
    effect = Effect(key, m, lo, hi, tuple(a), tuple(b), log)
    if os.environ.get("SAMENSPEL_SHOW_EFFECTS"):  # margins, for choosing how many seeds
        half = (hi - lo) / 2
        print(f"\n{effect}: {abs(m) / half if half else math.inf:.1f} half-widths from 0")
    return effect
