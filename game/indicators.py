"""The six KPIs the game shows, their targets and how to print them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.kpis import TARGET_RATING, TARGET_WAIT_WEEKS, TARGET_WITHOUT_HELP


@dataclass(frozen=True)
class Indicator:
    key: str  # name in model.kpi
    better: int  # +1: higher is better, -1: lower is better
    target: float | None
    fmt: str  # "weeks", "share", "rating", "euro", "number"

    @property
    def label(self) -> str:
        return f"kpi.{self.key}"

    def show(self, value: float | None) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        if self.fmt == "weeks":
            return f"{value:.1f}"
        if self.fmt == "share":
            return f"{100 * value:.0f}%"
        if self.fmt == "rating":
            return f"{value:.1f}"
        if self.fmt == "euro":
            return f"€{value / 1000:.0f}k"
        return f"{value:.0f}"

    def show_target(self) -> str:
        return "" if self.target is None else self.show(self.target)


INDICATORS = (
    Indicator("mean_wait_weeks", -1, TARGET_WAIT_WEEKS, "weeks"),
    Indicator("share_ended_without_further_help", +1, TARGET_WITHOUT_HELP, "share"),
    Indicator("client_rating", +1, TARGET_RATING, "rating"),
    Indicator("professional_satisfaction", +1, None, "share"),
    Indicator("cost_per_week_eur", -1, None, "euro"),
    Indicator("value_per_million_eur", +1, None, "number"),
)
BY_KEY = {ind.key: ind for ind in INDICATORS}
