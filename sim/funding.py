"""The municipality's money: silos or one pooled budget, and what stops a start.

Money cannot cross silos: when the debt silo is spent, a family waits for
debt help while the youth silo may have money left. Youth care itself is an
entitlement (the care obligation), so its silo overspends rather than stops.
A pooled budget lets money follow need: nothing stops a start for want of
money in one field, but nobody guards a limit per field either, so what the
caps used to hold back is now spent: weaker spending control.
"""

from __future__ import annotations

import numpy as np

from sim.domains import SILO_INDEX, SILOS
from sim.params import FundingParams

WEEKS_PER_YEAR = 52


class Budget:
    """Yearly budgets per silo and what has been spent in the current year."""

    def __init__(self, funding: FundingParams, families: int) -> None:
        explicit = {"jeugd": funding.budget_jeugd, "wmo": funding.budget_wmo,
                    "schuldhulp": funding.budget_schuldhulp,
                    "onderwijs": funding.budget_onderwijs}
        need = funding.budget_per_family * families
        self.yearly = np.array([explicit[s] or need * funding.silo_split.get(s, 0.0)
                                for s in SILOS])
        self.spent_year = np.zeros(len(SILOS))
        self.spent_total = np.zeros(len(SILOS))
        self.spent_week = np.zeros(len(SILOS))
        self.overrun_years: list[float] = []
        self.silo_years: list[np.ndarray] = []  # spent / budget per silo, per closed year

    def new_week(self, week: int) -> None:
        if week > 0 and week % WEEKS_PER_YEAR == 0:
            total = self.yearly.sum()
            self.overrun_years.append(float(self.spent_year.sum() / total - 1) if total else 0.0)
            self.silo_years.append(self.spent_year / np.maximum(self.yearly, 1e-9))
            self.spent_year[:] = 0.0
        self.spent_week[:] = 0.0

    def spend(self, silo: int, euros: float) -> None:
        self.spent_year[silo] += euros
        self.spent_total[silo] += euros
        self.spent_week[silo] += euros

    def spend_domains(self, per_domain: np.ndarray) -> None:
        """Book euros given per domain (array of eight) on their silos."""
        per_silo = np.bincount(SILO_INDEX, weights=per_domain, minlength=len(SILOS))
        self.spent_year += per_silo
        self.spent_total += per_silo
        self.spent_week += per_silo

    def adjust(self, silo: str, euros: float) -> None:
        """A budget decision: change a silo's yearly budget (not below zero)."""
        i = SILOS.index(silo)
        self.yearly[i] = max(0.0, self.yearly[i] + euros)

    def can_start(self, domain: int, funding: FundingParams) -> bool:
        """May care in `domain` start now, given what is left this year?"""
        if funding.pooled:
            return True
        silo = int(SILO_INDEX[domain])
        if SILOS[silo] not in funding.hard_silos:
            return True
        return self.spent_year[silo] < self.yearly[silo]
