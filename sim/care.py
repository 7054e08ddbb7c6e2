"""Care flow: referrals onto waiting lists, starts, trajectories and their ends.

Within a week, referrals arrive and trajectories end at real-valued times; the
flow handles them in time order, so a place freed on Tuesday is filled on
Tuesday. A trajectory's planned length (the indication) is drawn when it
starts (its mean set by severity and by the contract's incentive); the effect
it has is applied week by week in the family dynamics, through `care_rate`.

Care ends on progress (`progress.reviews`): every `progress.review_weeks` a
specialist trajectory is reviewed. It ends once the domain's severity is
below the goal - which the contract shifts: paid per trajectory a provider
gains by ending early, paid per hour by going on - and otherwise runs on to
its planned length; there it is extended while progress continues and ends
when it stalls. Care that makes things worse is stepped up: it takes a second
place and works more strongly. So everything that makes care work better
shortens trajectories, and with them the waits of the others.

A referral waits in two stages (`waits.intake_horizon_weeks`): the provider
holds the intake when it expects a place within the horizon, and urgent
referrals at once; a misreferral comes to light at that intake.

At intake a misreferral comes to light. Pillar to post: the family is sent
back, tells its story again and queues anew. No Wrong Door: the first door
keeps the family's place in time and arranges the right help itself.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim import accounts, reform
from sim.agents import Organisation, Professional
from sim.domains import DOMAIN_KEYS, ROOT_MASK, Domain
from sim.modes import Allocation, WaitingListKind
from sim.records import Start
from sim.states import FamilyState
from sim.waiting_list import LIGHT, Referral, WaitingList

if TYPE_CHECKING:
    from sim.model import SamenspelModel

NO_WRONG_DOOR_HOURS = 2.0  # hours the first door spends arranging the right help
LIGHT_EFFECT = 0.6  # light help works at this share of specialist care
ONLINE_EFFECT = 0.5
ALTERNATIVE_EFFECT = 0.3  # an alternative programme that does not fit
LENGTH_LEARNING = 0.02  # weight of one ended trajectory in the known mean length of care
LENGTH_FACTOR = {"per_hour": "per_hour_length", "per_trajectory": "per_trajectory_length",
                 "lump_sum": "lump_sum_length"}


@dataclass(slots=True, eq=False)
class Trajectory:
    id: int
    family: int
    slot: int  # domain, or LIGHT
    org: Organisation
    prof: Professional
    start: float
    end: float  # the next review, or the end of care
    online: bool = False
    planned_end: float = 0.0  # end of the indicated length
    last_severity: float = 0.0  # at the start or the last review
    extensions: int = 0  # reviews past the planned end
    weight: int = 1  # places taken: 2 once stepped up
    reviewed: bool = False  # ends on progress rather than at its planned length


class CareFlow:
    def __init__(self, model: SamenspelModel) -> None:
        self.m = model
        self.trajectories: dict[int, Trajectory] = {}
        self.heap: list[tuple[float, int]] = []
        self.lists: dict[tuple, WaitingList] = {}
        self.waiting: dict[int, list[Referral]] = {}  # family -> its referrals
        self.pending: dict[int, list[int]] = {}  # integral: non-root domains held back
        self.of_family: dict[int, list[int]] = {}  # family -> trajectory ids
        # professional -> ids of the trajectories they hold: a leaver's families are found
        # without scanning every running trajectory (kept by start, end and hand_over).
        self._of_prof: dict[Professional, set[int]] = {}
        self.arrivals: list[tuple[float, int, Referral]] = []  # heap, by arrival time
        # Referrals are numbered per model, not per process: a second model in the same
        # process (a team, a paired run) numbers its own from 0, as a fresh process would.
        self._referrals = 0
        self._next = 0
        # Logs for KPIs, appended as things happen.
        # week, wait, urgent, slot, severity at referral, severity at start, wait to intake
        self.starts: list[Start] = []
        self.ended: list[tuple[int, float, int]] = []  # week, length, slot
        # What each provider knows of its throughput: a running mean length of care per slot.
        self.known_length = [model.params.providers.mean_trajectory_weeks] * (LIGHT + 1)

    # -- lists ----------------------------------------------------------------

    def build_lists(self) -> None:
        """(Re)build the waiting lists for the current access rules, keeping who waits."""
        old = [r for wl in self.lists.values() for r in wl.entries]
        self.lists.clear()
        m = self.m
        central = m.params.access.waiting_list == WaitingListKind.CENTRAL
        for d in Domain:
            orgs = [o.number for o in m.providers if d in o.domains]
            if central:
                self.lists[("central", int(d))] = WaitingList(("central", d), d, orgs)
            else:
                for o in orgs:
                    self.lists[(o, int(d))] = WaitingList((o, d), d, [o])
        for team in m.wijkteams:
            self.lists[("light", team.neighbourhood)] = WaitingList(
                ("light", team.neighbourhood), LIGHT, [team.number])
        for ref in sorted(old, key=lambda r: r.arrival):
            if ref.domain == LIGHT:
                ref.provider = m.wijkteams[int(m.families.neighbourhood[ref.family])].number
            elif central:
                ref.provider = -1
            else:
                ref.provider = self._choose_provider(ref.domain)
            self.list_for(ref).add(ref)
        # Referrals made since the last care flow (a plan's next domain, a family sent on)
        # join their list next week: one whose provider no longer holds its domain after a
        # new procurement, or that has none after central lists end, is referred anew.
        for _, _, ref in sorted(self.arrivals):
            if (ref.domain != LIGHT and not central
                    and (ref.provider, ref.domain) not in self.lists):
                ref.provider = self._choose_provider(ref.domain)

    def list_for(self, ref: Referral) -> WaitingList:
        if ref.domain == LIGHT:
            return self.lists[("light", int(self.m.families.neighbourhood[ref.family]))]
        if self.m.params.access.waiting_list == WaitingListKind.CENTRAL:
            return self.lists[("central", ref.domain)]
        return self.lists[(ref.provider, ref.domain)]

    def _choose_provider(self, domain: int) -> int:
        """Push: the wijkteam picks a contracted provider (by waiting time if result-oriented)."""
        m = self.m
        orgs = [o for o in m.providers if domain in o.domains]
        if m.params.access.result_oriented_referral:
            def expected_wait(o: Organisation) -> float:
                return (len(self.lists.get((o.number, domain), ())) + 1) / (o.capacity[domain] + 1)
            return min(orgs, key=expected_wait).number
        return orgs[int(m.streams["referral"].integers(len(orgs)))].number

    # -- referrals ------------------------------------------------------------

    def refer(self, family: int, slot: int, time: float, intended: int = -1) -> Referral:
        m = self.m
        sev = float(m.families.severity[family].max() if slot == LIGHT
                    else m.families.severity[family, slot])
        target = slot
        provider = -1
        if slot == LIGHT:
            provider = m.wijkteams[int(m.families.neighbourhood[family])].number
        elif m.params.access.waiting_list == WaitingListKind.PER_PROVIDER:
            provider = self._choose_provider(target)
        ref = Referral(family, target, time, sev, provider, intended, id=self._referrals)
        self._referrals += 1
        ref.urgent = self.is_urgent(family, slot, sev)
        if slot == LIGHT or self._no_intake_stage():
            ref.intake = time  # the wijkteam's triage was the intake; or no stage modelled
        self.waiting.setdefault(family, []).append(ref)
        heapq.heappush(self.arrivals, (ref.arrival, ref.id, ref))
        return ref

    def is_urgent(self, family: int, slot: int, severity: float) -> bool:
        """Urgent: the problem referred, or the unsafe home, is severe (`waits.urgent_severity`)."""
        if slot == LIGHT:
            return False
        cut = self.m.params.waits.urgent_severity
        safety = float(self.m.families.severity[family, Domain.VEILIGHEID])
        return severity >= cut or safety >= cut

    def _no_intake_stage(self) -> bool:
        m = self.m
        return m.params.arrivals.process == "poisson" or m.params.waits.intake_horizon_weeks <= 0

    def hold_back(self, family: int, domains: list[int]) -> None:
        self.pending[family] = list(domains)

    # -- the week -------------------------------------------------------------

    def process_week(self, week: int) -> None:
        """Arrivals and ends in time order; every freed place is refilled at once.

        Care never starts before the week that runs it: a referral made after last
        week's care flow (a plan extended, a child protection decision) joins at the
        start of this week, and one made by an end late in this week (a misreferral
        found at the intake it freed) joins this week, at its own time.
        """
        for wl in self.lists.values():
            self._fill(wl, float(week))
        now, end = float(week), week + 1.0
        while True:
            while self.arrivals:  # referrals made meanwhile (sent back, next in plan) join in
                # `t` is when the referral was made. A No Wrong Door referral takes the
                # earlier `arrival` of its first door for its place on the list, but it
                # joins, and the places it may fill are filled, now: never in the past.
                t, _, ref = heapq.heappop(self.arrivals)
                t = now if t < now else t
                self._complete_until(t)
                wl = self.list_for(ref)
                self._register(wl, ref)
                wl.add(ref)
                self._fill(wl, t)
            # The week's last ends; an end that makes a referral hands it to the loop above.
            if not self._complete_until(end, inclusive=False, until_referral=True):
                return

    def _complete_until(self, t: float, inclusive: bool = True,
                        until_referral: bool = False) -> bool:
        """End the trajectories due by `t`, in order.

        With `until_referral` (called with no referral waiting to join), stop as soon
        as an end has made one, and say so: it joins before the later ends.
        """
        heap, arrivals = self.heap, self.arrivals
        while heap and (heap[0][0] <= t if inclusive else heap[0][0] < t):
            end, tid = heapq.heappop(heap)
            traj = self.trajectories.get(tid)
            if traj is not None and traj.end == end and not self._goes_on(traj):
                self._complete(traj)
                if until_referral and arrivals:
                    return True
        return False

    def _fill(self, wl: WaitingList, t: float) -> None:
        """Start what fits in the free places, then hold the intakes that are due.

        An empty list has nothing to start or take in (both steps only read the budget
        before they look at the entries), so it is passed over: most lists, most weeks.
        """
        if not wl.entries:
            return
        self._start_what_fits(wl, t)
        self._intakes(wl, t)

    def _start_what_fits(self, wl: WaitingList, t: float) -> None:
        m = self.m
        if wl.domain != LIGHT and not m.budget.can_start(wl.domain, m.params.funding):
            return
        pull = m.params.access.allocation == Allocation.PULL
        cream = m.params.access.cream_skimming if pull else 0.0
        domain, light = wl.domain, wl.domain == LIGHT
        while wl.entries:
            # The open provider (under its ceiling) with the most free places, the first
            # of equals, as max() over them would pick.
            org, room = None, 0
            for o in wl.providers:
                candidate = m.orgs[o]
                if light or m.budget.can_start(domain, m.params.funding, candidate):
                    free = candidate.free_places(domain)
                    if org is None or free > room:
                        org, room = candidate, free
            if org is None or room <= 0:
                return
            if m.region.active and m.region.wants(wl.domain, len(wl.entries)):
                if not m.region.take(wl.domain, org):
                    return
                continue
            ref = wl.pick(org.number, cream, float(m.streams["pick"].random()),
                          urgency=m.params.waits.urgency)
            if ref is None:
                return
            wl.remove(ref)
            self._unwait(ref)
            if not self._intake(ref, org, t):
                return

    def _intakes(self, wl: WaitingList, t: float) -> None:
        """Hold the intakes due: urgent ones at once, the rest when a place is in sight.

        A provider talks to as many waiting families as it expects to start
        within `waits.intake_horizon_weeks` (its places over the mean length
        of care it has seen end). Each intake costs `waits.intake_hours` of its hours next
        week; a misreferral is found out at the intake and sent on.
        """
        m = self.m
        if wl.domain == LIGHT or not wl.entries or self._no_intake_stage():
            return
        wp = m.params.waits
        orgs, domain = m.orgs, wl.domain
        places = 0
        for o in wl.providers:
            places += int(orgs[o].capacity[domain])
        room = wp.intake_horizon_weeks * places / max(self.known_length[domain], 1.0)
        done = 0
        for r in wl.entries:
            done += r.intake >= 0
        for ref in wl.queue_order(wp.urgency):
            if done >= room and not ref.urgent:
                break
            if ref.intake >= 0:
                continue
            ref.intake = t
            done += 1
            org = m.orgs[ref.provider] if ref.provider >= 0 else max(
                (m.orgs[o] for o in wl.providers), key=lambda o: o.free_places(wl.domain))
            org.extra_coordination += wp.intake_hours
            if ref.misreferred:
                wl.remove(ref)
                self._unwait(ref)
                done -= 1
                self._misreferral(ref, org, t)

    def _register(self, wl: WaitingList, ref: Referral) -> None:
        """Under a lump sum a provider registers no more than it can start soon."""
        m = self.m
        if ref.domain == LIGHT or ref.provider < 0:
            return
        org = m.orgs[ref.provider]
        if org.contract != "lump_sum":
            return
        rate = org.capacity[ref.domain] / max(m.params.providers.mean_trajectory_weeks, 1.0)
        cap = rate * m.params.funding.lump_sum_registered_weeks
        ref.registered = wl.registered_count() < max(cap, 1.0)

    def _unwait(self, ref: Referral) -> None:
        refs = self.waiting.get(ref.family)
        if refs is not None:
            refs.remove(ref)
            if not refs:
                del self.waiting[ref.family]

    def _intake(self, ref: Referral, org: Organisation, t: float) -> bool:
        """Start care, or route a misreferral; False when no professional is free after all."""
        if ref.misreferred:
            self._misreferral(ref, org, t)
            return True
        pro = org.pick_professional(ref.domain)
        if pro is None:  # capacity says free, staff says no: the referral keeps its place
            self.list_for(ref).add(ref)
            self.waiting.setdefault(ref.family, []).append(ref)
            return False
        self.start(ref, org, pro, t)
        return True

    def _misreferral(self, ref: Referral, org: Organisation, t: float) -> None:
        m = self.m
        f = ref.family
        right = ref.intended
        new = self.refer(f, right, t)
        new.first_arrival = ref.first_arrival  # the family's wait goes on counting
        new.via_wrong_door = True
        if m.params.cooperation.no_wrong_door:
            org.extra_coordination += NO_WRONG_DOOR_HOURS
            new.arrival = ref.arrival  # keeps its place in time
            new.seen_by = org  # and stays in touch until the right care starts
            m.log(f, "no_wrong_door", provider=org.name, domain=DOMAIN_KEYS[right],
                  waited=round(t - ref.arrival, 1))
        else:  # queues anew, as a new registration does
            m.families.retold[f] += 1
            m.families.episode_retold[f] += 1
            m.log(f, "sent_back", provider=org.name, domain=DOMAIN_KEYS[right],
                  waited=round(t - ref.arrival, 1))

    def start(self, ref: Referral, org: Organisation, pro: Professional, t: float,
              effect: float = 1.0) -> Trajectory:
        """Begin care: a professional, a planned length, and the effect in the arrays."""
        m = self.m
        fam = m.families
        f, slot = ref.family, ref.domain
        online = False
        if slot == LIGHT and m.params.participation.online_help:
            online = bool(m.streams["care"].random() < m.params.participation.online_share_light)
        length = self._length(org, slot, fam.severity[f])
        traj = Trajectory(self._next, f, slot, org, pro, t, t + length, online)
        traj.planned_end = t + length
        traj.reviewed = self._reviewed(slot)
        if traj.reviewed:
            traj.end = min(traj.planned_end, t + m.params.progress.review_weeks)
            traj.last_severity = float(fam.severity[f, slot])
        self._next += 1
        self.trajectories[traj.id] = traj
        self.of_family.setdefault(f, []).append(traj.id)
        self._of_prof.setdefault(pro, set()).add(traj.id)
        heapq.heappush(self.heap, (traj.end, traj.id))
        org.occupied[slot] += 1
        pro.caseload += 1
        base = m.params.providers.care_effect * effect
        if slot == LIGHT:
            fam.light_rate[f] = (base * (ONLINE_EFFECT if online else LIGHT_EFFECT)
                                 / reform.light_spread(m, f))
            fam.light_prof[f] = pro.index
        else:
            fam.care_rate[f, slot] = base
            fam.care_prof[f, slot] = pro.index
        wait = t - ref.first_arrival  # a wrong door's weeks included
        if ref.intake < 0:  # nobody talked to the family before: intake and start at once
            ref.intake = t
        now = float(fam.severity[f].max() if slot == LIGHT else fam.severity[f, slot])
        self.starts.append(Start(m.week, wait, ref.urgent, slot, ref.severity, now,
                                 ref.intake - ref.first_arrival, ref.via_wrong_door))
        fam.episode_wait[f] += wait
        m.on_care_start(traj, wait)
        if org.contract == "per_trajectory" and slot != LIGHT:
            accounts.pay_trajectory_fee(m, org, slot)
        if slot != LIGHT and ROOT_MASK[slot] and f in self.pending:
            for d in self.pending.pop(f):
                self.refer(f, d, t)
        return traj

    def _length(self, org: Organisation, slot: int, severity: np.ndarray) -> float:
        m = self.m
        rng = m.streams["length"]
        if m.params.arrivals.process == "poisson":
            return float(rng.exponential(m.params.arrivals.mean_service_weeks))
        if slot == LIGHT:
            return float(rng.exponential(m.params.wijkteam.light_help_weeks))
        pp = m.params.providers
        factor = getattr(m.params.funding, LENGTH_FACTOR[org.contract])
        mean = pp.mean_trajectory_weeks * factor * (0.6 + 0.8 * float(severity[slot]))
        if pp.service == "exponential":
            return float(rng.exponential(mean))
        return float(rng.gamma(2.0, mean / 2.0))

    # -- reviews: care that ends on progress ------------------------------------

    def _reviewed(self, slot: int) -> bool:
        """Specialist care is reviewed; light help and the queue validation run their length."""
        m = self.m
        return (slot != LIGHT and m.params.progress.reviews
                and m.params.arrivals.process != "poisson")

    def _goes_on(self, traj: Trajectory) -> bool:
        """The review at `traj.end`: True when care goes on (its next review is set)."""
        if not traj.reviewed:
            return False
        m = self.m
        pg = m.params.progress
        sev = float(m.families.severity[traj.family, traj.slot])
        better = sev < traj.last_severity - pg.progress_margin
        worse = sev > traj.last_severity + pg.progress_margin
        traj.last_severity = sev
        if sev <= self.goal(traj.org):
            m.counters["care_goal_reached"] += 1
            return False
        past = traj.end >= traj.planned_end - 1e-9
        if past:
            if traj.extensions >= pg.max_extensions or not (better or worse):
                m.counters["care_ended_stalled"] += 1
                return False
            traj.extensions += 1
            m.counters["care_extended"] += 1
        if worse:
            self._step_up(traj)
        nxt = traj.end + pg.review_weeks
        traj.end = nxt if past else min(nxt, traj.planned_end)
        heapq.heappush(self.heap, (traj.end, traj.id))
        return True

    def goal(self, org: Organisation) -> float:
        """Severity at which care ends: the contract shifts it (length factor > 1: lower)."""
        factor = getattr(self.m.params.funding, LENGTH_FACTOR[org.contract])
        return self.m.params.progress.goal_severity / factor

    def _step_up(self, traj: Trajectory) -> None:
        """Worse despite care: more intensive care, which takes a second place when free."""
        m = self.m
        if traj.weight > 1 or traj.org.free_places(traj.slot) <= 0:
            return
        traj.weight = 2
        traj.org.occupied[traj.slot] += 1
        traj.prof.caseload += 1
        m.families.care_rate[traj.family, traj.slot] *= m.params.progress.step_up_effect
        m.counters["care_stepped_up"] += 1
        m.log(traj.family, "care_stepped_up", domain=DOMAIN_KEYS[traj.slot],
              provider=traj.org.name)

    def _complete(self, traj: Trajectory) -> None:
        m = self.m
        self.end(traj)
        m.on_care_end(traj)
        for key in ((traj.org.number, traj.slot), ("central", traj.slot),
                    ("light", traj.org.neighbourhood)):
            wl = self.lists.get(key)
            if wl is not None and traj.org.number in wl.providers and wl.domain == traj.slot:
                self._fill(wl, traj.end)

    def end(self, traj: Trajectory) -> None:
        """Take a trajectory out of the books (normal end, escalation, closure)."""
        m = self.m
        fam = m.families
        del self.trajectories[traj.id]
        self._of_prof[traj.prof].discard(traj.id)
        ids = self.of_family[traj.family]
        ids.remove(traj.id)
        if not ids:
            del self.of_family[traj.family]
        traj.org.occupied[traj.slot] -= traj.weight
        traj.prof.caseload -= traj.weight
        if traj.slot == LIGHT:
            fam.light_rate[traj.family] = 0.0
            fam.light_prof[traj.family] = -1
        else:
            fam.care_rate[traj.family, traj.slot] = 0.0
            fam.care_prof[traj.family, traj.slot] = -1
        length = m.week - traj.start if traj.end > m.week + 1 else traj.end - traj.start
        self.ended.append((m.week, length, traj.slot))
        self.known_length[traj.slot] += LENGTH_LEARNING * (length - self.known_length[traj.slot])

    def cancel(self, ref: Referral) -> None:
        """Take a referral off its list, or out of the arrivals not yet listed."""
        wl = self.list_for(ref)
        if ref in wl.entries:
            wl.remove(ref)
        else:
            self.arrivals = [a for a in self.arrivals if a[2] is not ref]
            heapq.heapify(self.arrivals)
        self._unwait(ref)

    def withdraw(self, family: int) -> None:
        """A family leaves every list and every trajectory (crisis, drop-out of care)."""
        for ref in list(self.waiting.get(family, ())):
            self.cancel(ref)
        self.pending.pop(family, None)
        for tid in list(self.of_family.get(family, ())):
            self.end(self.trajectories[tid])

    def hand_over(self, pro: Professional, week: int) -> int:
        """A leaver's families go to a colleague; without a shared dossier they start over."""
        m = self.m
        moved = 0
        m.region.hand_over(pro)
        held = self._of_prof.get(pro, set())
        # In order of id: the order of `self.trajectories`, which only ever appends new ids.
        for traj in [self.trajectories[tid] for tid in sorted(held)]:
            new = traj.org.colleague(traj.slot, pro)
            if new is None:  # nobody to hand over to: the post stays vacant, the family waits
                continue
            traj.prof = new
            held.discard(traj.id)
            self._of_prof.setdefault(new, set()).add(traj.id)
            pro.caseload -= traj.weight
            new.caseload += traj.weight
            if traj.slot == LIGHT:
                m.families.light_prof[traj.family] = new.index
            else:
                m.families.care_prof[traj.family, traj.slot] = new.index
            if not m.shares_dossier(traj.family):
                m.families.retold[traj.family] += 1
                m.families.episode_retold[traj.family] += 1
                restart = min(traj.end - week, week - traj.start) * 0.5
                if restart > 0:
                    traj.end += restart
                    traj.planned_end += restart
                    heapq.heappush(self.heap, (traj.end, traj.id))
                m.log(traj.family, "started_over", professional=new.unique_id)
            moved += 1
        return moved

    def family_busy(self, family: int) -> bool:
        return family in self.of_family or family in self.waiting or family in self.pending

    def waiting_state(self, family: int) -> FamilyState:
        return FamilyState.IN_CARE if family in self.of_family else FamilyState.WAITING
