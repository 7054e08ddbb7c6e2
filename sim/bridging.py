"""Bridging care (overbruggingszorg): the wijkteam's help while a family waits.

While a family waits for specialist care, the wijkteam can stay in touch and
give light help on the problem it waits for: a fraction
(`bridging.effect`) of what specialist care does, enough to slow the decline
on the list, not to treat it. It costs the wijkteam `bridging.hours_per_family`
a week per waiting family; those hours come out of its own care hours (they
are booked as coordination, as the trajectbegeleider's are), so the team has
fewer places for light help and its own list grows. The money does not
change: the team's salaries are paid anyway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.domains import N_DOMAINS
from sim.waiting_list import LIGHT

if TYPE_CHECKING:
    from sim.model import SamenspelModel


class Bridging:
    """Which waiting families get bridging care this week, and its effect per domain."""

    def __init__(self, model: SamenspelModel) -> None:
        self.m = model
        self.rate = np.zeros((model.families.n, N_DOMAINS))
        self.active = False

    def week(self) -> None:
        """Give bridging care to every family now waiting for a specialist."""
        m = self.m
        if self.active:
            self.rate[:] = 0.0
            self.active = False
        b = m.params.bridging
        if not b.enabled or m.params.arrivals.process == "poisson":
            return
        fam = m.families
        rate = b.effect * m.params.providers.care_effect
        helped = 0
        for f, refs in m.care.waiting.items():
            domains = [r.domain for r in refs
                       if r.domain != LIGHT and fam.care_prof[f, r.domain] < 0]
            if not domains:
                continue
            self.rate[f, domains] = rate
            m.wijkteams[int(fam.neighbourhood[f])].extra_coordination += b.hours_per_family
            helped += 1
        self.active = helped > 0
        m.counters["bridging_family_weeks"] += helped
