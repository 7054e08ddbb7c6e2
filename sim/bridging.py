"""Help while a family waits: bridging care by the wijkteam, and the first door's under
No Wrong Door.

While a family waits for specialist care, the wijkteam can stay in touch and
give light help on the problem it waits for: a fraction
(`bridging.effect`) of what specialist care does, enough to slow the decline
on the list, not to treat it. It costs the wijkteam `bridging.hours_per_family`
a week per waiting family; those hours come out of its own care hours (they
are booked as coordination, as the trajectbegeleider's are), so the team has
fewer places for light help and its own list grows. The money does not
change: the team's salaries are paid anyway.

Under No Wrong Door (`cooperation.no_wrong_door`) the organisation a
misreferred family reached first sees it through: until the right care starts
it stays in touch and gives what help it can, the same fraction of specialist
care, for `cooperation.no_wrong_door_hours` a week of its own staff's time.
That family keeps its place and is not left alone on the list; the first
door's own families have those hours fewer, and where lists are long it pays
them for as long as the family waits. Such a family gets the first door's help
instead of the wijkteam's. When the first door is gone (a provider that went
bankrupt or was reprocured) nobody sees the family through any more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.domains import N_DOMAINS
from sim.waiting_list import LIGHT

if TYPE_CHECKING:
    from sim.model import SamenspelModel


class Bridging:
    """Which waiting families get help while they wait this week, and its effect per domain."""

    def __init__(self, model: SamenspelModel) -> None:
        self.m = model
        self.rate = np.zeros((model.families.n, N_DOMAINS))
        self.active = False

    def week(self) -> None:
        """Help every family now waiting for a specialist that the wijkteam or a door helps."""
        m = self.m
        if self.active:
            self.rate[:] = 0.0
            self.active = False
        b, coop = m.params.bridging, m.params.cooperation
        seeing = coop.no_wrong_door and coop.no_wrong_door_hours > 0
        if not (b.enabled or seeing) or m.params.arrivals.process == "poisson":
            return
        fam = m.families
        rate = b.effect * m.params.providers.care_effect
        live = set(m.providers) if seeing else set()
        helped = seen = 0
        for f, refs in m.care.waiting.items():
            bridged = []
            for r in refs:
                if r.domain == LIGHT or fam.care_prof[f, r.domain] >= 0:
                    continue
                door = r.seen_by if seeing else None
                if door is not None and door not in live:
                    door = r.seen_by = None  # the first door is gone
                if door is not None:
                    door.extra_coordination += coop.no_wrong_door_hours
                    self.rate[f, r.domain] = rate
                    seen += 1
                elif b.enabled:
                    bridged.append(r.domain)
            if bridged:
                self.rate[f, bridged] = rate
                m.wijkteams[int(fam.neighbourhood[f])].extra_coordination += b.hours_per_family
                helped += 1
        self.active = helped + seen > 0
        m.counters["bridging_family_weeks"] += helped
        m.counters["seen_through_weeks"] += seen
