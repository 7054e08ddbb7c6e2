"""The crisis service: a team on call that answers a crisis within a day.

A crisis - an unsafe home or a child's mental health above the crisis
threshold tipping over (`SamenspelModel._crises`) - reaches the crisis service
before the protection chain weighs it. With a place free, a crisis worker is
there the same day: the intervention de-escalates at home (it takes away
`crisis_service.relief` of the acute severity, so the chain's decision whether
to place a child sees a calmer situation) and then works intensively for
`crisis_service.weeks` on safety and the child's mental health. The family
then waits on the regular list as an urgent referral. With every place taken
the crisis goes to the protection chain as it is.

The team is paid from the youth silo every week, crises or not: standby is
the price of answering within a day (GGZ crisis services and Spoed4Jeugd-type
teams work this way).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.domains import N_DOMAINS, SILOS, Domain
from sim.families import NEVER
from sim.states import FamilyState

if TYPE_CHECKING:
    from sim.model import SamenspelModel

ACUTE = (int(Domain.VEILIGHEID), int(Domain.JEUGD_GGZ))
_SEEKING = frozenset(int(s) for s in (FamilyState.HEALTHY, FamilyState.ENDED_WELL,
                                      FamilyState.RELAPSED))


class CrisisService:
    """Who is in a crisis intervention, until when, and what it does to their care."""

    def __init__(self, model: SamenspelModel) -> None:
        self.m = model
        n = model.families.n
        self.until = np.full(n, NEVER, dtype=np.int32)  # week the intervention ends
        self.rate = np.zeros((n, N_DOMAINS))  # weekly care effect of the intervention

    def workers(self) -> float:
        cs = self.m.params.crisis_service
        return cs.workers_per_10000_children * float(self.m.families.children.sum()) / 10_000

    def places(self) -> int:
        return int(self.workers() * self.m.params.crisis_service.cases_per_worker + 1e-9)

    def busy(self) -> int:
        return int((self.until > self.m.week).sum())

    def respond(self, f: int) -> bool:
        """Answer the crisis in family `f` within the day; False when the team is full."""
        m = self.m
        if m.params.arrivals.process == "poisson" or self.until[f] > m.week:
            return False
        if self.busy() >= self.places():
            if self.places() > 0:
                m.counters["crisis_service_full"] += 1
            return False
        cs = m.params.crisis_service
        sev = m.families.severity
        sev[f, list(ACUTE)] *= 1.0 - cs.relief
        self.rate[f, list(ACUTE)] = cs.effect * m.params.providers.care_effect
        self.until[f] = m.week + max(1, math.ceil(cs.weeks))
        m.counters["crisis_interventions"] += 1
        m.log(f, "crisis_intervention")
        return True

    def follow_up(self, f: int) -> None:
        """After the crisis: the acute problem goes on the list as urgent, unless it is there."""
        m = self.m
        if self.until[f] <= m.week:
            return
        care = m.care
        waiting = [r for r in care.waiting.get(f, ()) if r.domain in ACUTE]
        for ref in waiting:
            ref.urgent = True
        fam = m.families
        open_domains = [d for d in ACUTE if fam.care_prof[f, d] < 0
                        and d not in {r.domain for r in waiting}
                        and fam.severity[f, d] > m.params.problems.signal_threshold]
        if not open_domains:
            return
        if fam.episode_start[f] != m.week and not care.family_busy(f) and \
                fam.state[f] in _SEEKING:
            m.begin_episode(f)
        d = max(open_domains, key=lambda x: fam.severity[f, x])
        ref = care.refer(f, d, m.week + 0.5)
        ref.urgent = True
        m._touched.add(f)

    def week(self) -> None:
        """Interventions that end this week stop; the team is paid."""
        m = self.m
        done = np.flatnonzero(self.until == m.week + 1)
        self.rate[done] = 0.0
        hours = self.workers() * m.params.providers.hours_per_week
        if hours > 0:
            m.budget.spend(SILOS.index("jeugd"), hours * m.params.crisis_service.cost_per_hour)
