"""The six KPIs the game shows: their targets, chart ranges and how to print them.

Every chart of a KPI - the play scene's tiles, the debrief, the exports - uses
the same fixed range, so a flat line stays a flat line in the middle of its
chart and two charts of the same KPI can be compared by eye. Numbers are
printed through the language's formatter (`game.fmt`), the one the rest of the
screen and the exports use.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from game.fmt import Formatter, formatter
from sim.targets import TARGET_RATING, TARGET_WAIT_WEEKS, TARGET_WITHOUT_HELP

# Ranges from the start value are rounded up to 1, 2, 2.5 or 5 times a power of ten.
NICE = (1.0, 2.0, 2.5, 5.0, 10.0)


def as_formatter(fmt: Formatter | str | None) -> Formatter:
    """A formatter from a formatter, a language code, or nothing (the game's default, Dutch)."""
    if isinstance(fmt, Formatter):
        return fmt
    return formatter(fmt or "nl")


def nice_ceiling(value: float) -> float:
    """The smallest 'round' number (1, 2, 2.5, 5 x 10^k) at or above `value`."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(n * power for n in NICE if n * power >= value * (1 - 1e-9))


def _finite(values: Iterable[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(v)]


@dataclass(frozen=True)
class Indicator:
    key: str  # name in model.kpi
    better: int  # +1: higher is better, -1: lower is better
    target: float | None
    fmt: str  # "weeks", "share", "rating", "euro", "number"
    # Fixed chart range; None: from 0 to twice the start value (money, value for money).
    axis: tuple[float, float] | None = None
    # True when the range holds every possible value (shares, ratings): it never grows.
    bounded: bool = False

    @property
    def label(self) -> str:
        return f"kpi.{self.key}"

    @property
    def unit(self) -> str:
        """Translation key of the unit on a chart's value axis ("weken", "%", ...)."""
        return f"kpi.unit.{self.key}"

    def show(self, value: float | None, fmt: Formatter | str | None = None) -> str:
        """The value as the screen shows it; the same as `fmt.shown(value, self.fmt)`."""
        return as_formatter(fmt).shown(value, self.fmt)

    def show_target(self, fmt: Formatter | str | None = None) -> str:
        return "" if self.target is None else self.show(self.target, fmt)

    def tick(self, value: float, fmt: Formatter | str | None = None) -> str:
        """A label on the value axis: like `show`, but "20" rather than "20,0" for whole ticks."""
        f = as_formatter(fmt)
        if self.fmt in ("weeks", "rating", "number"):
            v = float(value)
            return f.number(v, 0 if abs(v - round(v)) < 1e-9 else 1)
        return f.shown(value, self.fmt)

    @staticmethod
    def ticks(lo: float, hi: float) -> list[float]:
        """Values to label on an axis from `lo` to `hi`: both ends and round steps between
        (0 / 10 / 20 weeks, 1 / 5 / 10 for a rating, 0 / 25K / 50K / 75K)."""
        span = hi - lo
        power = 10.0 ** math.floor(math.log10(span / 4)) if span > 0 else 1.0
        even = [n * power * m for m in (1, 10) for n in NICE
                if span / 4 <= n * power * m <= span / 2
                and abs(span / (n * power * m) - round(span / (n * power * m))) < 1e-9]
        step = max(even) if even else nice_ceiling(span / 3)
        inside = []
        v = math.ceil(lo / step) * step
        while v < hi - 0.6 * step:
            if v > lo + 0.6 * step:
                inside.append(v)
            v += step
        return [lo, *inside, hi]

    def value_range(self, start: float | None,
                    values: Iterable[float | None] = ()) -> tuple[float, float]:
        """The chart's fixed range: the KPI's own, or from zero to twice the start value.

        `values` are the values the chart shows, oldest first. An unbounded
        range only grows, by half its base span at a time, when a value leaves
        it - so it changes rarely and always to round numbers.
        """
        seen = _finite(values)
        if self.axis is not None:
            lo, hi = self.axis
        else:
            # a start of zero (a short warm-up) says nothing: take the first value above it
            base = next((v for v in [*_finite([start]), *seen] if v > 0), 1.0)
            lo, hi = 0.0, nice_ceiling(2 * base)
        if self.bounded:
            return lo, hi
        step = (hi - lo) / 2
        top, bottom = max(seen, default=hi), min(seen, default=lo)
        while top > hi:
            hi += step
        while bottom < lo:
            lo -= step
        return lo, hi


INDICATORS = (
    Indicator("mean_wait_weeks", -1, TARGET_WAIT_WEEKS, "weeks", (0.0, 20.0)),
    Indicator("share_ended_without_further_help", +1, TARGET_WITHOUT_HELP, "share", (0.0, 1.0),
              bounded=True),
    Indicator("client_rating", +1, TARGET_RATING, "rating", (1.0, 10.0), bounded=True),
    Indicator("professional_satisfaction", +1, None, "share", (0.0, 1.0), bounded=True),
    Indicator("cost_per_week_eur", -1, None, "euro"),
    Indicator("value_per_million_eur", +1, None, "number"),
)
BY_KEY = {ind.key: ind for ind in INDICATORS}


# The smallest difference the screen shows, per kind: values that look the same rank the same.
SHOWN_STEP = {"weeks": 0.1, "rating": 0.1, "share": 0.01, "euro": 1000.0, "number": 1.0}


def rank(ind: Indicator, values: list[float | None]) -> list[int | None]:
    """Each value's place among `values` (1 = best for this KPI; values shown alike tie)."""
    step = SHOWN_STEP.get(ind.fmt, 1.0)
    shown = [None if v is None or not math.isfinite(v) else round(v / step) for v in values]
    seen = [v for v in shown if v is not None]
    return [None if v is None else 1 + sum(1 for o in seen if (o - v) * ind.better > 0)
            for v in shown]
