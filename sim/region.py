"""A region that procures specialist care jointly: shared places, shared queues, a cost key.

Most Dutch municipalities buy specialist youth care (mental health,
disability, residential care) together with their neighbours in one of 42
youth-care regions. With `region.municipalities` above one, the providers'
staff in the regional domains (`region.domains`) is the whole region's:
`municipalities` times what the municipality would buy alone. The other
municipalities are not simulated family by family; their children are a
stream of referrals (`region.other_demand` times what their share of the
places can serve) that wait in one queue per domain and hold a place for a
geometric number of weeks with the mean length of care the providers see end
in that domain (so contract terms and reviews shape their stays as they shape
the municipality's own).

A freed place goes to the region's queue or to the municipality's own list in
proportion to how many wait on each (first come, first served over the
region, as a joint list would do). So pooling works both ways: a quiet week
here lends places to the neighbours, a busy one borrows theirs, and when the
neighbours' demand is heavier, their children take places the municipality
would have had alone.

Money follows the cost key (`region.cost_key`): `use` - each municipality
pays for its own children; `population` - each pays its share of the region's
spending on those domains, whoever used it. The other municipalities pay the
providers for their children directly.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from sim.domains import SILO_INDEX, Domain

if TYPE_CHECKING:
    from sim.agents import Organisation, Professional
    from sim.model import SamenspelModel
    from sim.params import Scenario


def regional_domains(params: Scenario) -> frozenset[int]:
    """Domains procured by the region (none when the municipality procures alone)."""
    r = params.region
    if r.municipalities <= 1:
        return frozenset()
    return frozenset(int(Domain.from_key(k)) for k in r.domains)


class Region:
    """The other municipalities' children in the regional domains, as counts."""

    def __init__(self, model: SamenspelModel) -> None:
        self.m = model
        self.domains = regional_domains(model.params)
        self.queue: dict[int, deque[int]] = {d: deque() for d in self.domains}
        self.places: dict[int, float] = {}
        self.waits: list[tuple[int, int, int]] = []  # (week started, domain, weeks waited)
        self.own_paid_week = 0.0  # this municipality's payments in regional domains
        self.others_paid_week = 0.0
        self.others_paid = 0.0
        self.own_paid = 0.0  # this municipality's payments in regional domains, whole run
        self.adjusted = 0.0  # what the cost key added to (or took from) the municipality

    @property
    def active(self) -> bool:
        return bool(self.domains)

    def length(self, d: int) -> float:
        """Weeks a child holds a place: the mean length of care that ended in `d`, as the
        providers know it (contract terms and reviews shape it the same for everyone)."""
        return max(float(self.m.care.known_length[d]), 1.0)

    def set_places(self) -> None:
        """The others' part of the regional places, as staffed at the first week."""
        m, r = self.m, self.m.params.region
        share = (r.municipalities - 1) / r.municipalities
        for d in self.domains:
            self.places[d] = share * sum(int(o.capacity[d]) for o in m.providers
                                         if d in o.domains)

    # -- the week -------------------------------------------------------------------

    def week(self) -> None:
        """The others' ends and new referrals, then their share of free places."""
        if not self.active:
            return
        m = self.m
        rng = m.streams["region"]
        if not self.places:
            self.set_places()
        for org in m.providers:
            for pro in org.staff:
                if pro.external:
                    done = int(rng.binomial(pro.external, 1.0 / self.length(pro.domain)))
                    if done:
                        self._release(org, pro, done)
        demand = m.params.region.other_demand
        dropout = m.params.access.dropout_per_week
        for d in sorted(self.domains):
            queue = self.queue[d]
            gone = int(rng.binomial(len(queue), dropout)) if queue else 0
            if gone:  # the neighbours' families give up as often as this municipality's
                keep = np.ones(len(queue), dtype=bool)
                keep[rng.choice(len(queue), gone, replace=False)] = False
                self.queue[d] = deque(w for w, k in zip(queue, keep, strict=True) if k)
            rate = demand * self.places[d] / self.length(d)
            for _ in range(int(rng.poisson(rate))):
                self.queue[d].append(m.week)
            while self.queue[d] and self.own_waiting(d) == 0:
                if not self.take(d):
                    break

    def own_waiting(self, d: int) -> int:
        return sum(len(wl.entries) for wl in self.m.care.lists.values() if wl.domain == d)

    def wants(self, d: int, own_waiting: int) -> bool:
        """Does the next free place in `d` go to the region's queue?"""
        if d not in self.domains or not self.queue[d]:
            return False
        theirs = len(self.queue[d])
        u = float(self.m.streams["region"].random())
        return u < theirs / (theirs + own_waiting)

    def take(self, d: int, org: Organisation | None = None) -> bool:
        """The longest-waiting child of the region takes a free place in `d`."""
        m = self.m
        orgs = [org] if org is not None else [o for o in m.providers if d in o.domains]
        org = max(orgs, key=lambda o: o.free_places(d), default=None)
        if org is None or org.free_places(d) <= 0:
            return False
        pro = org.pick_professional(d)
        if pro is None:
            return False
        since = self.queue[d].popleft()
        self.waits.append((m.week, d, m.week - since))
        pro.external += 1
        pro.caseload += 1
        org.occupied[d] += 1
        org.external[d] += 1
        if org.terms.payment.value == "per_trajectory":
            self.others_pay(org, org.terms.trajectory_fee)
        return True

    def _release(self, org: Organisation, pro: Professional, n: int) -> None:
        pro.external -= n
        pro.caseload -= n
        org.occupied[pro.domain] -= n
        org.external[pro.domain] -= n

    def hand_over(self, pro: Professional) -> None:
        """A leaver's regional clients go to a colleague, or back to the region's queue."""
        if not pro.external:
            return
        org = pro.org
        new = org.colleague(pro.domain, pro)
        n = pro.external
        if new is None:
            self._release(org, pro, n)
            for _ in range(n):
                self.queue[pro.domain].appendleft(self.m.week)
            return
        pro.external = 0
        pro.caseload -= n
        new.external += n
        new.caseload += n

    # -- money ------------------------------------------------------------------------

    def others_pay(self, org: Organisation, euros: float) -> None:
        """The other municipalities pay the provider for their children."""
        org.revenue += euros
        self.others_paid_week += euros
        self.others_paid += euros

    def others_pay_week(self, org: Organisation, d: int, weekly_price: float) -> None:
        if org.external[d]:
            self.others_pay(org, float(org.external[d]) * weekly_price)

    def own_share_of_lump(self, org: Organisation, d: int) -> float:
        """The municipality's share of a lump sum for a regional domain, by the cost key."""
        r = self.m.params.region
        if r.cost_key == "population":
            return 1.0 / r.municipalities
        used = int(org.occupied[d])
        return (used - int(org.external[d])) / used if used else 1.0 / r.municipalities

    def settle_week(self) -> None:
        """Under the population key the municipality pays its share of the region's spend."""
        m, r = self.m, self.m.params.region
        self.own_paid += self.own_paid_week
        if self.active and r.cost_key == "population":
            due = (self.own_paid_week + self.others_paid_week) / r.municipalities
            delta = due - self.own_paid_week
            silo = int(SILO_INDEX[min(self.domains)])
            m.budget.spend(silo, delta)
            self.adjusted += delta
        self.own_paid_week = self.others_paid_week = 0.0

    # -- what the summary shows ------------------------------------------------------

    def summary(self, since: int) -> dict[str, float]:
        if not self.active:
            return {}
        waits = [w for week, _, w in self.waits if week >= since]
        m = self.m
        own = sum(int(o.occupied[d] - o.external[d]) for o in m.providers for d in self.domains
                  if d in o.domains)
        theirs = sum(int(o.external[d]) for o in m.providers for d in self.domains
                     if d in o.domains)
        return {
            "region_others_wait_weeks": float(np.mean(waits)) if waits else 0.0,
            "region_own_share_of_places": own / (own + theirs) if own + theirs else 0.0,
            "region_cost_key_adjustment_eur": self.adjusted,
        }
