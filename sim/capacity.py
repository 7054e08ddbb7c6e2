"""Capacity as a decision: who staffs a practice, and how much care is contracted.

A practice that needs people takes them from somewhere. Three practices of
the wijkteam need hours of their own: the trajectbegeleider of an integral
plan, online help, and the activation of families' informal networks. Each is
either staffed `moved` - its hours are taken from the wijkteam's generalists,
who then have fewer hours left for light help - or `new` - dedicated staff are
hired for it, paid like every wijkteam post from the youth budget, arriving
after a lead time, with a newcomer's skill. Moving hours costs no money but
lengthens the wijkteam's own waits; hiring costs money, comes late, and an
understaffed practice still spills its excess hours onto the generalists.

Specialist care is capacity the municipality buys, not staff it hires: the
share of contracted capacity per domain is set at procurement
(`capacity.domain_shares`), and more capacity in a domain is contracted at
its providers, who recruit the professionals; they start after the lead time.

State: the dedicated professionals per practice, and each practice's load
(hours per wijkteam) for the practices that have dedicated staff. The verbs
are called from the staff's week (`sim/staffing.py`) and from the actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.domains import Domain
from sim.modes import CooperationMode
from sim.states import Role
from sim.waiting_list import LIGHT

if TYPE_CHECKING:
    from sim.agents import Organisation, Professional
    from sim.model import SamenspelModel
    from sim.params import Scenario

PRACTICES = ("trajectbegeleiding", "online_help", "network_activation")
LONGEST_LIST = "longest_list"  # contract capacity where the most families wait now
MOVED, NEW = "moved", "new"
STAFFING = (MOVED, NEW)
NO_SLOT = -1  # dedicated staff hold no places: no waiting list reaches them
_PER_1000 = {"trajectbegeleiding": "trajectbegeleiders_per_1000_families",
             "online_help": "online_staff_per_1000_families",
             "network_activation": "network_staff_per_1000_families"}


def practice_on(params: Scenario, practice: str) -> bool:
    """Whether the scenario runs the practice at all."""
    if practice == "trajectbegeleiding":
        return params.cooperation.mode == CooperationMode.INTEGRAL
    if practice == "online_help":
        return params.participation.online_help
    return params.participation.informal_network_activation


def staffed_at_build(params: Scenario, practice: str) -> str:
    return getattr(params.capacity, f"{practice}_staffed")


def posts(params: Scenario, practice: str, per_1000: float | None = None) -> int:
    """Dedicated posts for a practice: its rate per 1000 families, at least one."""
    rate = getattr(params.capacity, _PER_1000[practice]) if per_1000 is None else per_1000
    return max(1, round(rate * params.population.families / 1000))


def dedicated_needed(params: Scenario) -> int:
    """Dedicated posts a model builds (for the scenario's memory estimate)."""
    return sum(posts(params, pr) for pr in PRACTICES
               if staffed_at_build(params, pr) == NEW and practice_on(params, pr))


def domain_weights(params: Scenario, domains: list[Domain]) -> np.ndarray:
    """The procured share of specialist capacity for each contracted domain."""
    shares = params.capacity.domain_shares
    return np.array([float(shares.get(d.key, 0.0)) for d in domains])


def spread(total: int, sizes: np.ndarray) -> np.ndarray:
    """`total` posts over teams in proportion to their families (largest remainder)."""
    want = total * sizes / max(sizes.sum(), 1)
    n = np.floor(want).astype(int)
    rest = total - int(n.sum())
    if rest > 0:
        n[np.argsort(-(want - n), kind="stable")[:rest]] += 1
    return n


class Capacity:
    """Who staffs each practice, and the hours each practice asks of each wijkteam."""

    def __init__(self, teams: int) -> None:
        self.dedicated: dict[str, list[Professional]] = {pr: [] for pr in PRACTICES}
        self.load = {pr: np.zeros(teams) for pr in PRACTICES}
        self.spilled = np.zeros(teams)  # last week's practice hours the generalists did

    def staffed(self, practice: str) -> bool:
        """A practice is staffed `new` while it has dedicated posts (filled or not)."""
        return bool(self.dedicated[practice])


# -- building ---------------------------------------------------------------------


def build_dedicated(model: SamenspelModel) -> None:
    """At build: the scenario's practices staffed `new` start with their posts filled."""
    from sim.setup import new_professional

    p = model.params
    sizes = np.bincount(model.families.neighbourhood, minlength=len(model.wijkteams))
    for pr in PRACTICES:
        if staffed_at_build(p, pr) != NEW or not practice_on(p, pr):
            continue
        for team, n in zip(model.wijkteams, spread(posts(p, pr), sizes), strict=True):
            for _ in range(n):
                pro = new_professional(model, team, Role.GENERALIST, NO_SLOT)
                model.capacity.dedicated[pr].append(pro)


def recruit(model: SamenspelModel, org: Organisation, role: Role, slot: int,
            lead: int) -> Professional:
    """A new post, filled by a newcomer after `lead` weeks (turnover fills it)."""
    from sim.setup import new_professional
    from sim.staffing import NEWCOMER_SKILL

    # Nothing is drawn for an open post, so a run differs only once the newcomer starts.
    pro = new_professional(model, org, role, slot, skill=NEWCOMER_SKILL)
    pro.active = False  # an open post: `staffing.turnover` fills it with a newcomer
    pro.vacant_until = model.week + lead
    return pro


def lead_time(model: SamenspelModel, lead: int) -> int:
    """A given lead time, or the scenario's (`lead` < 0)."""
    return model.params.capacity.lead_weeks if lead < 0 else lead


# -- decisions (called by actions) ----------------------------------------------------


def contract(model: SamenspelModel, domain: str, count: int, lead: int = -1) -> dict:
    """More capacity: generalists for the wijkteams, or contracted care in one domain.

    The municipality hires its own wijkteam generalists; specialist capacity it
    buys from the providers contracted for the domain, who recruit the staff.
    Either way the new professionals start after the lead time.
    """
    from sim.actions import ActionError
    from sim.setup import grow_networks

    weeks = lead_time(model, lead)
    chosen = domain
    if domain == LONGEST_LIST:
        domain = longest_list(model).key
    if domain == "wijkteam":
        teams = sorted(model.wijkteams, key=lambda t: len(t.staff))
        targets = [(teams[i % len(teams)], Role.GENERALIST, LIGHT) for i in range(count)]
    else:
        try:
            d = Domain.from_key(domain)
        except KeyError:
            keys = ", ".join(["wijkteam", LONGEST_LIST] + [x.key for x in Domain])
            raise ActionError(f"contract capacity: domain = {domain!r}; allowed: {keys}") \
                from None
        orgs = sorted((o for o in model.providers if d in o.domains), key=lambda o: len(o.staff))
        if not orgs:
            raise ActionError(f"contract capacity: no provider is contracted for {domain!r}")
        targets = [(orgs[i % len(orgs)], Role.SPECIALIST, int(d)) for i in range(count)]
    for org, role, slot in targets:
        recruit(model, org, role, slot, weeks)
    grow_networks(model)
    out = {"domain": domain, "count": count, "starts_week": model.week + weeks}
    if chosen != domain:
        out["chosen_as"] = chosen
    return out


def longest_list(model: SamenspelModel) -> Domain:
    """The contracted specialist domain where the most families wait now: the line a
    waiting-list report puts on top. Equal lists: the one whose places are fuller, then
    the first domain. Read from the model's state at the week the decision is made, so
    a replay of the same decision at the same week chooses the same domain."""
    waiting = np.zeros(len(Domain), dtype=np.int64)
    for wl in model.care.lists.values():
        if wl.domain != LIGHT:
            waiting[wl.domain] += len(wl.entries)
    occupied = np.zeros(len(Domain))
    places = np.zeros(len(Domain))
    for org in model.providers:
        for d in org.domains:
            occupied[d] += org.occupied[d]
            places[d] += org.capacity[d]
    contracted = sorted({int(d) for org in model.providers for d in org.domains})
    fuller = occupied / np.maximum(places, 1.0)
    return Domain(max(contracted, key=lambda d: (waiting[d], fuller[d], -d)))


def staff_practice(model: SamenspelModel, practice: str, staffed: str,
                   per_1000: float = -1.0, lead: int = -1) -> dict:
    """Staff a practice `new` (hire up to its posts) or `moved` (back to the generalists).

    Hiring opens the missing posts, filled after the lead time; fewer posts,
    or `moved`, turn dedicated staff into generalists (they keep costing what
    they cost, and add light-help places).
    """
    from sim.actions import ActionError
    from sim.setup import grow_networks

    if practice not in PRACTICES:
        raise ActionError(f"staff_practice: practice = {practice!r}; allowed: "
                          + ", ".join(PRACTICES))
    if staffed not in STAFFING:
        raise ActionError(f"staff_practice: staffed = {staffed!r}; allowed: "
                          + ", ".join(STAFFING))
    if per_1000 > 50:
        raise ActionError(f"staff_practice: per_1000_families = {per_1000}; allowed: 0 to 50")
    cap = model.capacity
    target = 0 if staffed == MOVED else posts(model.params, practice,
                                              None if per_1000 < 0 else per_1000)
    have = cap.dedicated[practice]
    while len(have) > target:
        _release(have.pop())
    missing = target - len(have)
    if missing > 0:
        weeks = lead_time(model, lead)
        sizes = np.array([len(t.staff) for t in model.wijkteams], dtype=float)
        now = np.array([sum(1 for pro in have if pro.org is t) for t in model.wijkteams])
        want = spread(target, sizes)
        gaps = np.maximum(want - now, 0)
        order = [t for t, g in zip(model.wijkteams, gaps, strict=True) for _ in range(g)]
        order += sorted(model.wijkteams, key=lambda t: len(t.staff))
        for team in order[:missing]:
            have.append(recruit(model, team, Role.GENERALIST, NO_SLOT, weeks))
        grow_networks(model)
    return {"practice": practice, "staffed": staffed, "posts": len(have)}


def _release(pro: Professional) -> None:
    """A dedicated professional becomes a generalist of the same wijkteam."""
    pro.domain = LIGHT


# -- the week ---------------------------------------------------------------------------


def route_load(model: SamenspelModel, team: Organisation, practice: str, hours: float) -> None:
    """A practice's hours this week: to its dedicated staff, else onto the generalists."""
    if model.capacity.staffed(practice):
        model.capacity.load[practice][team.neighbourhood] = hours
    else:
        model.capacity.load[practice][team.neighbourhood] = 0.0
        team.coordination_load += hours


def plan_dedicated(model: SamenspelModel, admin_of, experiment_of, per_family: float) -> None:
    """Plan the dedicated staff's week, and what each wijkteam's generalists must carry.

    A dedicated professional's care hours go to the practice, in whichever
    neighbourhood needs them (they work for the whole municipality). A
    practice with more load than its available staff's hours (a vacancy, sick
    leave, too few posts, posts not yet filled) spills the rest onto the
    generalists, each team in proportion to its share of the load.
    """
    cap = model.capacity
    learning = model.params.staff.learning_hours
    cap.spilled[:] = 0.0
    for pr in PRACTICES:
        if not cap.staffed(pr):
            continue
        free = 0.0
        for pro in cap.dedicated[pr]:
            pro.plan_week(admin_of(pro.org), 0.0, experiment_of(pro.org), learning, per_family)
            free += pro.hours["care"]
            pro.hours["coordination"], pro.hours["care"] = pro.hours["care"], 0.0
            pro.places = 0
        load = cap.load[pr]
        total = float(load.sum())
        if total > free:
            cap.spilled += load * (1 - free / total)


def online_staffed(model: SamenspelModel) -> bool:
    return model.params.participation.online_help and model.capacity.staffed("online_help")


def light_hours(model: SamenspelModel) -> float:
    """Weekly generalist hours per light-help family.

    With online help answered by the generalists the online share is cheaper
    (moved); with dedicated online staff the generalists carry only the share
    helped in person, and the online hours are the online staff's load.
    """
    p = model.params.participation
    light = model.params.wijkteam.light_hours_per_family
    if not p.online_help:
        return light
    if model.capacity.staffed("online_help"):
        return max((1 - p.online_share_light) * light, 1e-3)
    return (1 - p.online_share_light) * light + p.online_share_light * p.online_hours_per_family


def online_load(model: SamenspelModel, team: Organisation) -> float:
    """The online share of the team's light-help families, in online hours."""
    p = model.params.participation
    if not p.online_help:
        return 0.0
    return float(team.occupied[LIGHT]) * p.online_share_light * p.online_hours_per_family
