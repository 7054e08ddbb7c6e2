"""Professionals and the organisations they work for (providers and wijkteams).

A professional's week is split into care, coordination, administration,
experimentation and learning; what is left for care decides how many families
they can serve at once (their places). Administration grows with contracts,
time registration, control-style management and a badly fitting top-down
project; coordination grows with separate plans. Morale follows workload,
administration and burden, and drives sick leave and leaving - the
vicious circle of the reference figures.
"""

from __future__ import annotations

import itertools
import weakref

import mesa
import numpy as np

from sim.states import Role
from sim.waiting_list import LIGHT

N_SLOTS = LIGHT + 1  # eight domains and light help


_SPECIALIST = int(Role.SPECIALIST)  # a plain int: enum attribute access is slow in weekly loops


class _AgentNumbers(weakref.WeakKeyDictionary):
    """Each model's counter of agent numbers, held only while the model lives.

    Mesa 3.3 numbers agents from a dict on its Agent class, keyed by the model, that
    keeps every model ever built alive: a test worker, a lab worker or a workshop
    that builds model after model grows by the size of each (gigabytes over the test
    suite). The same numbers, one counter per model shared by all agent kinds, in a
    dict that lets a model go. (Mesa 3.4 and later number agents on the model and do
    not read this.)
    """

    def __getitem__(self, model: mesa.Model) -> itertools.count:
        try:
            return super().__getitem__(model)
        except KeyError:
            counter = self[model] = itertools.count(1)
            return counter


class _Agent(mesa.Agent):
    """Mesa's agent, numbered per model without keeping the model alive."""

    _ids = _AgentNumbers()


class Professional(_Agent):
    """A hulpverlener; `index` is its number in the trust network and the adoption table."""

    def __init__(self, model: mesa.Model, index: int, org: Organisation, role: Role,
                 domain: int, skill: float) -> None:
        super().__init__(model)
        self.index = index
        self.org = org
        self.role = role
        self.domain = domain
        self.skill = skill
        self.morale = 0.6
        self.sick_until = -1
        self.active = True  # False: left, vacancy not yet filled
        self.vacant_until = -1
        self.caseload = 0
        self.external = 0  # of the caseload: children of the region's other municipalities
        self.places = 0
        self.hours = dict.fromkeys(("care", "coordination", "admin", "experiment", "learning"),
                                   0.0)

    @property
    def available(self) -> bool:
        return self.active and self.sick_until <= self.model.week

    def plan_week(self, admin_share: float, coordination: float, experiment: float,
                  learning: float, hours_per_family: float) -> None:
        """Split this week's hours; the rest is care, in whole places."""
        plan_weeks((self,), self.model.params.providers.hours_per_week, self.model.week,
                   admin_share, coordination, experiment, learning, hours_per_family)


def plan_weeks(staff, hours_per_week: float, week: int, admin_share: float,
               coordination: float, experiment: float, learning: float,
               hours_per_family: float) -> None:
    """Split each professional's hours this week; the rest is care, in whole places.

    One loop for a team rather than a method call per professional: this runs for
    every professional every week. Each `x if x < cap else cap` is `min(cap, x)` (same
    value, same tie-break) without the builtin's call.
    """
    for pro in staff:
        total = hours_per_week if pro.active and pro.sick_until <= week else 0.0
        admin = admin_share * total
        admin = admin if admin < total else total
        room = total - admin
        coord = coordination if coordination < room else room
        room = total - admin - coord
        exp = experiment if experiment < room else room
        room = total - admin - coord - exp
        learn = learning if learning < room else room
        care = total - admin - coord - exp - learn
        hours = pro.hours
        hours["care"], hours["coordination"], hours["admin"] = care, coord, admin
        hours["experiment"], hours["learning"] = exp, learn
        pro.places = int(care / hours_per_family + 1e-9) if hours_per_family > 0 else 0


def update_morales(staff, caseload_norm: float, admin_share: float, burden: float) -> None:
    """Each active professional's morale drifts towards a target set by workload,
    administration and the project burden.

    Management style acts only through what professionals experience: the
    administration control demands, the room to experiment, the burden of
    a mandated project; it earns no morale of its own. (`x if x > 0.0 else 0.0` is
    `max(0.0, x)` and so on, without the builtins' calls; same values, same tie-breaks.)
    """
    admin = admin_share - 0.2
    admin_pull = 0.9 * (admin if admin > 0.0 else 0.0)
    for pro in staff:
        if not pro.active:
            continue
        workload = pro.caseload / caseload_norm if pro.role == _SPECIALIST else 0.0
        over = workload - 1.0
        target = 0.62 - admin_pull - 0.35 * (over if over > 0.0 else 0.0) - burden
        target = 0.0 if target < 0.0 else target
        target = 1.0 if target > 1.0 else target
        pro.morale += 0.05 * (target - pro.morale)


class Organisation(_Agent):
    """A provider (zorgaanbieder) or a neighbourhood team (wijkteam).

    Places and occupancy are kept per domain slot (eight domains and light
    help); finances are in euros, accumulated weekly.
    """

    def __init__(self, model: mesa.Model, number: int, name: str, domains: list[int],
                 wijkteam: bool = False, neighbourhood: int = -1) -> None:
        super().__init__(model)
        self.number = number
        self.name = name
        self.domains = list(domains)
        self.wijkteam = wijkteam
        self.neighbourhood = neighbourhood
        self.staff: list[Professional] = []
        self.capacity = np.zeros(N_SLOTS, dtype=np.int64)
        self.occupied = np.zeros(N_SLOTS, dtype=np.int64)
        self.external = np.zeros(N_SLOTS, dtype=np.int64)  # of occupied: the region's others
        self.revenue = 0.0
        self.costs = 0.0
        self.reserve = 0.0
        self.contract = "per_hour"
        self.start_reserve = 0.0
        self.admin_share_now = 0.0
        self.sub = False
        self.coordination_load = 0.0
        self.extra_coordination = 0.0  # one-off hours booked during the week

    @property
    def in_distress(self) -> bool:
        """A provider in the red has no room to innovate."""
        return (not self.wijkteam) and self.reserve < 0.0

    def free_places(self, slot: int) -> int:
        return int(self.capacity[slot] - self.occupied[slot])

    def recount_capacity(self) -> None:
        """Places per slot of the available staff (summed as ints, then stored at once)."""
        week = self.model.week
        places = [0] * len(self.capacity)
        for pro in self.staff:
            if pro.active and pro.sick_until <= week:  # `pro.available`, inlined
                places[pro.domain] += pro.places
        self.capacity[:] = places

    def pick_professional(self, slot: int) -> Professional | None:
        """The available professional for `slot` with the most free places."""
        best, room = None, 0
        week = self.model.week
        for pro in self.staff:
            if (pro.domain == slot and pro.active and pro.sick_until <= week
                    and pro.places - pro.caseload > room):
                best, room = pro, pro.places - pro.caseload
        return best

    def colleague(self, slot: int, exclude: Professional) -> Professional | None:
        """Who takes over a leaver's families: the active colleague with most room."""
        options = [p for p in self.staff if p.domain == slot and p.active and p is not exclude]
        return max(options, key=lambda p: p.places - p.caseload, default=None)
