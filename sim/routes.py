"""Referral routes: which door a noticed family goes through, and what that door does.

Not every start of youth care passes the wijkteam. CBS (StatLine 85096NED,
trajectories started in 2021) names the referrers: huisarts 38.5 %,
gemeentelijke toegang 30.8 %, gecertificeerde instelling 8.1 %, medisch
specialist 4.9 %, jeugdarts 3.1 %, none 13.4 %. A GP's referral skips the
wijkteam's triage and its integral plan, so a lever on the toegang reaches
about a third of the starts, not all of them.

Each noticed family takes one route, drawn from the channel that noticed it
and from the levers:

- a family that asks for help itself goes to its GP first, to a provider
  without a referrer (free access), or to the wijkteam;
- a school sends some families to the GP; the jeugdarts (JGZ) refers itself
  or passes the family to the wijkteam;
- the GP passes a share of its families to the wijkteam (more with
  agreements, most with a wijkteam member at the practice), refers severe
  child mental-health and disability cases through a medisch specialist, and
  refers the rest itself: one presenting problem, no plan, no light help;
- a GP with a praktijkondersteuner jeugd (POH-jeugd) helps light cases at the
  practice, within the POH's hours, and refers more precisely. The POH judges
  "light" from what a GP practice sees (child, parent, development); debt,
  safety, school or housing problems behind it stay out of view, and such a
  family returns later, worse;
- a safety worry from neighbours, or a severely unsafe home noticed by anyone,
  is reported to Veilig Thuis (`sim.protection`), which hands the family to
  the wijkteam or asks the Raad to investigate; care that starts while a
  family is under a measure counts as referred by the gecertificeerde
  instelling (GI).

Help by the POH is care by the GP practice, not a youth-care trajectory: it
opens no episode and is not counted among the starts.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

from sim import protection, reform
from sim.care import LIGHT_EFFECT
from sim.domains import DOMAIN_KEYS, N_DOMAINS, SILOS, YOUTH_MASK, Domain
from sim.families import NEVER
from sim.records import RouteStart
from sim.states import CHANNEL_KEYS, Channel, Ending, FamilyState
from sim.triage import presenting_problem, triage
from sim.waiting_list import LIGHT

if TYPE_CHECKING:
    from sim.model import SamenspelModel


class Route(IntEnum):
    """Who referred a family (the CBS referrer of its trajectories)."""

    WIJKTEAM = 0  # gemeentelijke toegang: triage, light help, one plan when integral
    HUISARTS = 1
    MEDISCH_SPECIALIST = 2
    JEUGDARTS = 3
    GI = 4  # gecertificeerde instelling: a child-protection measure
    NONE = 5  # no referrer: the family reaches a provider itself

    @property
    def key(self) -> str:
        return _ROUTE_KEYS[self]


_ROUTE_KEYS = tuple(r.name.lower() for r in Route)  # by value: read per event

# Shares of started youth-care trajectories by referrer, CBS StatLine 85096NED (2021).
# They add up to 98.8 %; the rest has no known referrer.
CBS_SHARES = {Route.HUISARTS: 0.385, Route.WIJKTEAM: 0.308, Route.GI: 0.081,
              Route.MEDISCH_SPECIALIST: 0.049, Route.JEUGDARTS: 0.031, Route.NONE: 0.134}
# What a GP practice sees of a family and refers itself (the rest it leaves to the
# wijkteam), and what the POH-jeugd works on.
GP_VIEW = (Domain.OPVOEDING, Domain.JEUGD_GGZ, Domain.OUDER_GGZ, Domain.BEPERKING)
POH_WORKS_ON = (Domain.OPVOEDING, Domain.JEUGD_GGZ)
# Problems a GP may send to a medisch specialist (paediatrician, child psychiatrist).
MEDICAL = (Domain.JEUGD_GGZ, Domain.BEPERKING)
PLACEMENT = -1  # the slot of a placement's row in `Routes.placements`
RETURN_WEEKS = 52  # a family that starts care within this long after POH help "returned"
SEEKING = (FamilyState.HEALTHY, FamilyState.ENDED_WELL, FamilyState.RELAPSED)
_SEEKING_LUT = np.isin(np.arange(len(FamilyState)), SEEKING)
_GP_VIEW = np.array(GP_VIEW, dtype=np.intp)
_JEUGD = SILOS.index("jeugd")


class Routes:
    """The route of each family's current episode, the POH-jeugd's cases, and the log."""

    def __init__(self, model: SamenspelModel) -> None:
        n = model.families.n
        self.m = model
        self.route = np.full(n, Route.WIJKTEAM, dtype=np.int8)
        self.poh_until = np.full(n, NEVER, dtype=np.int32)
        self.poh_last_end = np.full(n, NEVER, dtype=np.int32)
        self.rate = np.zeros((n, N_DOMAINS))  # care by the POH, added to the care rates
        # week, route, slot, under an integral plan: one row per start of care
        self.starts: list[RouteStart] = []
        # one row per out-of-home placement of a child: CBS counts a placement (jeugdhulp
        # met verblijf) as a started trajectory with its own referrer
        self.placements: list[RouteStart] = []
        # week, family, returned within RETURN_WEEKS (filled in later), problems out of the
        # practice's view at the start: one row per POH case
        self.poh_cases: list[list[int]] = []
        self._poh_row: dict[int, int] = {}
        self._poh_weeks = 0  # length of the POH case `choose` just decided on

    # -- the route of a noticed family -------------------------------------------

    def take(self, f: int) -> None:
        """Send a newly noticed family down its route."""
        m = self.m
        self._mark_return(f)
        if self._safety_signal(f):
            self._report_to_veilig_thuis(f)
            return
        route, first = self.choose(f)
        if route is None:  # helped at the GP practice by the POH-jeugd
            self._poh_start(f, first)
            return
        self.route[f] = route
        m.log(f, "route", route=route.key, channel=CHANNEL_KEYS[m.families.channel[f]])
        if route in (Route.WIJKTEAM, Route.GI):
            triage(m, f)
        else:
            self._unmark_triage(f)
            refer_direct(m, f, route, first)

    def choose(self, f: int) -> tuple[Route | None, int]:
        """The family's route and presenting problem; route None: the POH helps it."""
        m = self.m
        r, fam = m.params.routes, m.families
        channel = int(fam.channel[f])
        sev = fam.severity[f]
        first = presenting_problem(sev, channel)
        u = m.streams["routes"].random(3)  # always three draws: paired runs stay aligned
        if channel == Channel.NEIGHBOURS or channel == Channel.ONLINE:
            return Route.WIJKTEAM, first  # housing trouble, or the wijkteam's own channel
        if channel == Channel.JEUGDARTS:
            return (Route.WIJKTEAM if u[0] < r.jeugdarts_to_wijkteam else Route.JEUGDARTS), first
        if channel == Channel.SCHOOL and u[0] >= r.school_to_gp:
            return Route.WIJKTEAM, first
        if channel == Channel.OWN_REQUEST:
            if u[0] < r.own_request_direct:
                return Route.NONE, first
            if u[0] >= r.own_request_direct + r.own_request_to_gp:
                return Route.WIJKTEAM, first
        return self._at_gp(f, first, u[1:])

    def _at_gp(self, f: int, first: int, u: np.ndarray) -> tuple[Route | None, int]:
        """The GP's choice: pass to the wijkteam, let the POH help, or refer."""
        m = self.m
        r, sev = m.params.routes, m.families.severity[f]
        # The GP looks at what a practice sees: health, the child, the parent.
        own = int(_GP_VIEW[sev[_GP_VIEW].argmax()])
        if sev[own] <= m.params.problems.signal_threshold:
            return Route.WIJKTEAM, first  # debt, school, safety, housing: social problems
        first = own
        # The POH sits in the practice: it sees a light-looking case before the GP passes it on.
        if r.poh_jeugd and self.poh_sees_light(sev) and self._poh_free():
            self._poh_weeks = 1 + int(-r.poh_weeks * np.log1p(-u[1]))
            return None, first
        if u[0] < gp_to_wijkteam(r):
            return Route.WIJKTEAM, first
        if first in MEDICAL and u[1] < r.medical_specialist_share:
            return Route.MEDISCH_SPECIALIST, first
        return Route.HUISARTS, first

    def poh_sees_light(self, sev: np.ndarray) -> bool:
        """A light case as the GP practice sees it: only its own domains are looked at."""
        p = self.m.params
        view = sev[_GP_VIEW]
        return bool(view.max() < p.wijkteam.light_threshold
                    and (view > p.problems.signal_threshold).sum() <= 1)

    def _safety_signal(self, f: int) -> bool:
        """A worry about an unsafe home: from neighbours, or severe from anyone."""
        m = self.m
        fam = m.families
        channel = int(fam.channel[f])
        first = presenting_problem(fam.severity[f], channel)
        if first != Domain.VEILIGHEID:
            return False
        return (channel == Channel.NEIGHBOURS
                or fam.severity[f, first] >= m.params.problems.severe_threshold)

    def _report_to_veilig_thuis(self, f: int) -> None:
        """Veilig Thuis decides: voluntary help by the wijkteam, or the Raad and a GI.

        A family handed over to the wijkteam starts an episode there; one the
        Raad investigates (or whose case is open already) waits in the
        protection chain, outside an episode, until a measure or hand-over.
        """
        m = self.m
        self.route[f] = Route.WIJKTEAM
        outcome = protection.report(m, f, CHANNEL_KEYS[m.families.channel[f]])
        m.log(f, "route", route="veilig_thuis", outcome=outcome)
        if m.families.state[f] == FamilyState.SIGNAL and not m.care.family_busy(f):
            self._back_outside(f)

    def _back_outside(self, f: int) -> None:
        """Noticed, but no episode opens now: the family keeps its place outside care."""
        m = self.m
        fam = m.families
        recent = fam.last_end[f] >= m.week - RETURN_WEEKS
        fam.set_state(f, FamilyState.RELAPSED if recent else FamilyState.HEALTHY, m.week)
        self._unmark_triage(f)

    def _unmark_triage(self, f: int) -> None:
        """A family that bypasses the wijkteam costs it no triage hours."""
        self.m.families.signal_week[f] = NEVER

    def _mark_return(self, f: int, always: bool = False) -> None:
        """A family helped by the POH comes back into care: the case 'returned'."""
        row = self._poh_row.pop(f, None)
        if row is not None and (always or self.m.week - self.poh_last_end[f] <= RETURN_WEEKS):
            self.poh_cases[row][2] = 1

    # -- the POH-jeugd -----------------------------------------------------------

    def poh_places(self) -> int:
        r = self.m.params.routes
        if not r.poh_jeugd:
            return 0
        hours = r.poh_hours_per_1000_families * self.m.families.n / 1000
        return int(hours / r.poh_hours_per_family + 1e-9)

    def _poh_free(self) -> bool:
        return int((self.poh_until > self.m.week).sum()) < self.poh_places()

    def _poh_start(self, f: int, first: int) -> None:
        m = self.m
        fam = m.families
        weeks = self._poh_weeks
        self.poh_until[f] = m.week + weeks
        self.rate[f, list(POH_WORKS_ON)] = m.params.providers.care_effect * LIGHT_EFFECT
        self._back_outside(f)  # care by the GP practice is not an episode of youth care
        self._poh_row[f] = len(self.poh_cases)
        hidden = bool(np.delete(fam.severity[f], _GP_VIEW).max()
                      > m.params.problems.signal_threshold)
        self.poh_cases.append([m.week, f, 0, int(hidden)])
        m.counters["poh_cases"] += 1
        m.log(f, "poh_help", domain=DOMAIN_KEYS[first], weeks=weeks)

    def week(self) -> None:
        """POH cases that end; the POH's and the wijkteam-at-the-practice's hours."""
        m = self.m
        fam, r, w = m.families, m.params.routes, m.week
        active = np.flatnonzero(self.poh_until > NEVER)
        if active.size:
            left = ~_SEEKING_LUT[fam.state[active]]  # a crisis took the family into care
            done = active[(self.poh_until[active] <= w) | left
                          | (fam.severity[active].max(axis=1) == 0.0)]
            for f in active[left]:
                self._mark_return(int(f), always=True)
            self.poh_until[done] = NEVER
            self.poh_last_end[done] = w
            self.rate[done] = 0.0
        if r.poh_jeugd:
            hours = r.poh_hours_per_1000_families * fam.n / 1000
            m.budget.spend(_JEUGD, hours * r.poh_cost_per_hour)
        if r.wijkteam_at_gp:
            sizes = np.bincount(fam.neighbourhood, minlength=len(m.wijkteams))
            for team in m.wijkteams:
                team.extra_coordination += (r.wijkteam_at_gp_hours_per_1000_families
                                            * sizes[team.neighbourhood] / 1000)

    def in_poh(self) -> np.ndarray:
        """Families the POH-jeugd is helping now (others wait for it to finish)."""
        return self.poh_until > self.m.week

    # -- the log -----------------------------------------------------------------

    def on_start(self, family: int, slot: int) -> None:
        """Record the referrer of a start of care; under a measure that is the GI."""
        m = self.m
        route = int(self.route[family])
        if m.protection.case[family] == protection.MEASURE:
            route = Route.GI
        children = int(m.kids.involved[family].sum())
        self.starts.append(RouteStart(m.week, route, slot,
                                      bool(m.families.integral_plan[family]),
                                      children if children > 0 else 1))

    def on_placement(self, family: int, court: bool) -> None:
        """Record the referrer of a placement: the GI under a measure or a court order
        (an emergency order makes the GI the family's caseworker at once), else the
        route the family's care came by (the toegang, or the GP's specialist care)."""
        m = self.m
        route = int(self.route[family])
        if court or m.protection.case[family] == protection.MEASURE:
            route = Route.GI
        self.placements.append(RouteStart(m.week, route, PLACEMENT,
                                          bool(m.families.integral_plan[family]), 1))


def gp_to_wijkteam(r) -> float:
    """Share of the GP's families passed to the wijkteam, given the levers."""
    share = r.gp_to_wijkteam
    if r.gp_agreements:
        share = max(share, r.agreement_to_wijkteam)
    if r.wijkteam_at_gp:
        share = max(share, r.at_gp_to_wijkteam)
    return share


def refer_direct(model: SamenspelModel, f: int, route: Route, first: int) -> None:
    """A referrer outside the wijkteam: one presenting problem straight to a provider.

    No triage, no light help, no integral plan. A POH-jeugd makes the GP's
    referrals more precise (fewer misreferrals).
    """
    fam, p = model.families, model.params
    u = model.streams["routes"].random(3)
    t = model.week + float(u[0])
    model.begin_episode(f)
    if reform.below_reach(model, f, first):
        model.log(f, "triage", outcome="advice", route=route.key)
        model.end_episode(f, Ending.ADVISED)
        return
    if reform.declines(model, f, first):
        model.log(f, "triage", outcome="declined", route=route.key)
        model.end_episode(f, Ending.DECLINED)
        return
    misrefer = p.cooperation.misreferral
    if route == Route.HUISARTS and p.routes.poh_jeugd:
        misrefer *= 1 - p.routes.poh_precision
    target, intended = first, -1
    if u[1] < misrefer:
        others = [x for x in range(N_DOMAINS) if x != first]
        target, intended = int(others[int(u[2] * len(others))]), first
    model.care.refer(f, target, t, intended=intended)
    fam.episode_plans[f] += 1
    model.log(f, "triage", outcome="direct_referral", route=route.key,
              domains=[DOMAIN_KEYS[first]])


def youth_start(slot: int) -> bool:
    """Starts counted as youth-care trajectories: youth domains and the wijkteam's help."""
    return slot == LIGHT or bool(YOUTH_MASK[slot])


def referrer_shares(model: SamenspelModel, since: int = 0) -> dict[str, float]:
    """Share of youth-care starts (from week `since`) by referrer; they add up to 1.

    Counted per child, as CBS counts trajectories: a start for a family's problem
    counts once for each child it is for (the children its episode involves), a
    placement once. Placements count as starts, as in CBS's figures (a placement
    is a trajectory with stay, and under a court order the GI is its referrer).
    """
    counts = np.zeros(len(Route))
    for r in model.routes.starts:
        if r.week >= since and youth_start(r.slot):
            counts[r.route] += r.children
    for r in model.routes.placements:
        if r.week >= since:
            counts[r.route] += 1
    total = counts.sum()
    return {r.key: float(counts[r] / total) if total else float("nan") for r in Route}


def placement_start_share(model: SamenspelModel, since: int = 0) -> float:
    """Placements among youth-care starts (from week `since`), placements included,
    both per child (see `referrer_shares`)."""
    placed = sum(1 for r in model.routes.placements if r.week >= since)
    starts = sum(r.children for r in model.routes.starts
                 if r.week >= since and youth_start(r.slot))
    return placed / (placed + starts) if placed + starts else float("nan")


def poh_return_share(model: SamenspelModel, since: int = 0) -> float:
    """Share of POH cases (ended a year or more ago) whose family started care within a year."""
    last = model.week - RETURN_WEEKS - 26  # a case lasts about half a year at most
    cases = [c for c in model.routes.poh_cases if since <= c[0] <= last]
    return float(np.mean([c[2] for c in cases])) if cases else float("nan")
