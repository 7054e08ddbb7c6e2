"""SamenspelModel: the youth-care network of one municipality, one week per step.

Built in a fixed order (random streams -> families -> organisations and staff
-> trust network -> budget -> waiting lists -> data collector), then each week:
actions, staff, family dynamics, crises, signals and triage, the care flow,
waiting-list drop-out, endings, money, innovation, trust, KPIs. Each decision
point draws from its own random stream, so a policy run and its baseline
differ only where the policy acts; a run is fully determined by scenario,
seed and action log.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from typing import Any

import mesa
import numpy as np
from threadpoolctl import threadpool_limits

from sim import accounts, adversity, kpis, protection, reform, self_help, setup, staffing, triage
from sim.actions import Action, action_from_dict
from sim.bridging import Bridging
from sim.capacity import Capacity
from sim.care import ALTERNATIVE_EFFECT, CareFlow, Trajectory
from sim.children import MAX_CHILDREN, ChildRecords
from sim.crisis import CrisisService
from sim.domains import DOMAIN_KEYS, YOUTH_MASK, Domain
from sim.families import NEVER, FamilyArrays
from sim.funding import WEEKS_PER_YEAR, Budget
from sim.innovation import Innovations, TopDownProject
from sim.pairs import shared_pairs
from sim.params import Scenario
from sim.records import Episode, EpisodeStart
from sim.region import Region
from sim.routes import Routes
from sim.rows import row_any
from sim.states import CHANNEL_KEYS, ENDING_KEYS, RELAPSE_WEEKS, Ending, FamilyState
from sim.trust import TrustNetwork
from sim.waiting_list import LIGHT, Referral

STREAMS = ("families", "dynamics", "signal", "triage", "referral", "pick", "length", "care",
           "staff", "waiting", "innovation", "topdown", "arrivals", "events", "renewal",
           "children", "routes", "protection", "reform",
           "region")
ALTERNATIVE_DOMAINS = (int(Domain.SCHOOLVERZUIM), int(Domain.JEUGD_GGZ))
CHILD_DOMAINS = (int(Domain.JEUGD_GGZ), int(Domain.SCHOOLVERZUIM), int(Domain.BEPERKING))
REPEAT_WEEKS = 260
ALTERNATIVE_WEEKS = 20
CARE_SELF_RELIANCE_GAIN = 0.002  # weekly, while in care (assumption)
PROJECT_ADMIN_PER_FIT = 0.5  # admin share change per unit of (committed) fit
HOLD_BACK_WEEKS = 6  # integral plan: other domains wait this long at most for a root cause
MAX_PLAN_EXTENSIONS = 2  # times a plan refers what is left instead of closing
# Episodes that end without care: the family is out of view again.
NO_CARE_ENDINGS = (Ending.DROPPED_OUT, Ending.ADVISED, Ending.DECLINED)
OPEN_EPISODE = (FamilyState.WAITING, FamilyState.IN_CARE, FamilyState.SIGNAL)
# Plain ints and a lookup table for the weekly loops (enum attribute access is slow).
_ESCALATED, _IN_CARE, _WAITING, _ENDED_WELL = (int(FamilyState.ESCALATED),
                                               int(FamilyState.IN_CARE),
                                               int(FamilyState.WAITING),
                                               int(FamilyState.ENDED_WELL))
_SIGNAL = int(FamilyState.SIGNAL)
_YOUTH = YOUTH_MASK.tolist()
_OPEN = frozenset(int(x) for x in OPEN_EPISODE)
_AFTER_CARE_LUT = np.isin(np.arange(len(FamilyState)),
                          (FamilyState.ENDED_WELL, FamilyState.RELAPSED))
STORY_CARRIED = 0.5  # without a shared dossier, the trajectbegeleider carries half the story
RESIDENTIAL_EFFECT = 0.6  # placement: share of specialist care effect, on safety and the child


class SamenspelModel(mesa.Model):
    def __init__(self, scenario: Scenario, seed: int | None = None,
                 actions: list[dict[str, Any]] | None = None,
                 collect_groups: bool = True) -> None:
        """`collect_groups=False` skips the weekly rows per neighbourhood, team and provider
        (`group_frames`), which only the run's output files show: a lab run or a paired
        test that reads the summary is a few percent faster, with the same results."""
        seed = scenario.run.seed if seed is None else int(seed)
        self.collect_groups = collect_groups
        _one_blas_thread()
        # `rng`, not the deprecated `seed`; Mesa's own generators are never drawn from.
        super().__init__(rng=seed)
        self.seed = seed
        # The scenario lives in `params`: Mesa 3.4+ owns `Model.scenario` for its own type.
        self.params = scenario
        self.week = 0
        self.streams = {name: np.random.default_rng([seed, i]) for i, name in enumerate(STREAMS)}
        self.families = FamilyArrays(scenario, self.streams["families"])
        setup.initial_problems(self)
        # Who staffs the wijkteam's practices (sim/capacity.py); filled while building.
        self.capacity = Capacity(scenario.population.neighbourhood_count)
        setup.build_organisations(self)
        self.trust = TrustNetwork(self.org_of_prof)
        self.innovations = Innovations(len(self.professionals))
        self.budget = Budget(scenario.funding, scenario.population.families)
        self.care = CareFlow(self)
        self.region = Region(self)
        self.care.build_lists()
        self.routes = Routes(self)
        self.crisis_service = CrisisService(self)
        self.bridging = Bridging(self)
        self.events: list[dict[str, Any]] = []
        self.timelines: dict[int, list[int]] = {}
        self.action_log: list[dict[str, Any]] = []
        self._scheduled = sorted((dict(a) for a in actions or ()), key=lambda a: a["week"])
        planned = scenario.innovation.top_down_week
        if planned >= 0 and not any(a.get("kind") == "top_down_project" and a["week"] == planned
                                    for a in self._scheduled):
            self._scheduled.append({"week": scenario.innovation.top_down_week,
                                    "kind": "top_down_project",
                                    "cost_eur": scenario.innovation.top_down_cost_eur})
            self._scheduled.sort(key=lambda a: a["week"])
        self.counters: Counter[str] = Counter()
        # family, start, end, ending, rating, further help, repeat, retold, plans
        self.episodes: list[Episode] = []
        self.episode_starts: list[EpisodeStart] = []
        self.residential_until = np.full(self.families.n, NEVER, dtype=np.int32)
        self.protection = protection.Protection(self.families.n, MAX_CHILDREN)
        self.incomes = reform.Incomes(self.families.n, self.streams["reform"])
        self.kids = ChildRecords(self.families.n)  # per child: involvement, care this year
        self.years: list[dict[str, float]] = []
        self.yearly_youth_cost = 0.0
        self.kpi: dict[str, float] = {}
        self.cost_history: list[float] = []
        self.datacollector = kpis.make_collector(self)
        self._touched: set[int] = set()
        self._triaged_now = 0

    # -- public API -----------------------------------------------------------

    def apply(self, action: Action | dict[str, Any]) -> dict[str, Any]:
        """Apply a policy action now (before this week runs) and log it."""
        if isinstance(action, dict):
            action = action_from_dict(action)
        result = action.apply(self)
        entry = {"week": self.week, **action.to_dict()}
        self.action_log.append(entry)
        self.log(None, "action", action=action.kind, **result)
        return result

    @property
    def pending_actions(self) -> list[dict[str, Any]]:
        """Logged actions scheduled for a week not yet run (e.g. after a replay)."""
        return [dict(a) for a in self._scheduled]

    def apply_due_actions(self) -> None:
        """Apply the logged actions due by this week (a replay reaches the state it left)."""
        while self._scheduled and self._scheduled[0]["week"] <= self.week:
            data = dict(self._scheduled.pop(0))
            data.pop("week")
            self.apply(data)

    def step(self) -> None:
        """One week, all at once."""
        for _ in self.step_stages():
            pass

    def step_stages(self) -> Iterator[None]:
        """One week as a generator that pauses between its stages; `step` exhausts it.

        The game runs a week of a large town a stage at a time between its frames
        (drawing goes on while the week runs); exhausted, it is exactly `step`, in the
        same order with the same draws, since `step` is nothing else. Between two
        stages the model is half-way through its week: read it (or act on it) only
        once the generator is done. The week counter, the KPIs and the year close
        in the last stage together, so `week` only moves once the week is whole.
        """
        self.apply_due_actions()
        yield from self._week()
        self.week += 1
        kpis.collect(self)
        # A year closes after its last week, so a run of whole years closes its last one.
        self.budget.new_week(self.week)
        self._new_year(self.week)

    def run_weeks(self, weeks: int) -> None:
        for _ in range(weeks):
            self.step()

    def kpi_frame(self):
        return kpis.kpi_frame(self)

    def group_frames(self):
        return kpis.group_frames(self)

    def summary(self) -> dict[str, float]:
        return kpis.summary(self)

    def timeline(self, family: int) -> list[dict[str, Any]]:
        """What happened to one family, oldest first."""
        return [self.events[i] for i in self.timelines.get(family, ())]

    # -- the week -------------------------------------------------------------

    def _week(self) -> Iterator[None]:
        """The week's work in the order of the module docstring, pausing between blocks."""
        p, fam, w = self.params, self.families, self.week
        project_effect, project_admin = self.innovations.project_effect(w)
        staffing.turnover(self)
        staffing.plan_hours(self, project_admin)
        if p.problems.dynamics:
            # What shapes this week's change, evaluated in the order evolve's arguments were.
            shaping = (self._care_rates(project_effect), self._coherence(),
                       self._onset_factor(), self._wait_damping(), self._parent_strain())
            yield  # care, coherence and prevention are known
            fam.evolve(p, self.streams["dynamics"], *shaping)
            yield  # the families' problems have moved
            fam.update_stress(p)
            self._crises()
            new, again = triage.notice(self)
            for f in new:
                self.routes.take(int(f))
                self._touched.add(int(f))
            for f in again:
                triage.extra_referral(self, int(f))
            self.routes.week()
        else:
            self._poisson_arrivals()
        yield  # signals are in
        self._release_held_back()
        self.region.week()
        self.care.process_week(w)
        yield  # the care flow has run
        self._waiting_week()
        self.crisis_service.week()
        self.bridging.week()
        self._residential_exits()
        self._settle_families()
        yield  # families are settled
        accounts.book_week(self)
        yield  # money
        self._innovate()
        in_care = fam.in_care_count()  # the trust network's week changes nobody's care
        self._network_week(in_care)
        staffing.coordination_loads(self, in_care)
        staffing.update_morale(self, self._project_burden())
        yield  # innovation, trust and staff
        self._mark_youth_care()
        self._renew_families()
        yield

    def _renew_families(self) -> None:
        """Demographic turnover among families the care system does not hold now."""
        fam, rate = self.families, self.params.population.turnover_per_year
        if rate <= 0 or not self.params.problems.dynamics:
            return
        rng = self.streams["renewal"]
        calm = np.flatnonzero(fam.state == FamilyState.HEALTHY)
        moving = calm[rng.random(calm.size) < rate / WEEKS_PER_YEAR]
        if moving.size and getattr(self, "case", None) is not None:  # the case trainer's family
            moving = moving[moving != self.case["family"]]  # stays (sim/case.py); same draws
        if moving.size:
            fam.renew(self.params, rng, moving)
            self.kids.forget(moving)
            protection.forget(self, moving)
            self.incomes.renew(moving)
            for f in moving:
                self.log(int(f), "new_family")

    def _care_rates(self, project_effect: float) -> np.ndarray:
        """Care delivered this week per family and domain, scaled by who delivers it."""
        fam = self.families
        mult = self._professional_effect(project_effect)
        # `fam.care_rate * mult[fam.care_prof]`, on the cells with a professional only: the
        # others have no care (rate 0.0, nobody: 0.0) and stay 0.0, the same product.
        rates = np.zeros_like(fam.care_rate)
        cells = np.flatnonzero(fam.care_prof >= 0)
        rates.flat[cells] = fam.care_rate.flat[cells] * mult[fam.care_prof.flat[cells]]
        light = fam.light_rate * mult[fam.light_prof]
        # Light help reaches the domains above 0.1; added only on the rows that have it
        # (the others would add 0.0 to a rate that is never -0.0: the same values).
        helped = np.flatnonzero(light)
        rates[helped] += light[helped, None] * (fam.severity[helped] > 0.1)
        # Added in this order (the sums round as they always did), each on the rows that can
        # have it: an alternative programme, the POH, the protection chain, a crisis
        # intervention. Elsewhere those rates are 0.0, and adding 0.0 to a rate that is
        # never -0.0 leaves it as it is.
        _add_rows(rates, fam.other_rate, np.flatnonzero(fam.alternative_until > NEVER))
        _add_rows(rates, self.routes.rate, np.flatnonzero(self.routes.poh_until > NEVER))
        rows, chain = protection.care_rates(self, RESIDENTIAL_EFFECT)
        rates[rows] += chain
        _add_rows(rates, self.crisis_service.rate,
                  np.flatnonzero(self.crisis_service.until > NEVER))
        if self.bridging.active:  # inactive: no family has bridging care
            rates += self.bridging.rate
        return rates

    def _professional_effect(self, project_effect: float) -> np.ndarray:
        """How well each professional's care works (last entry: nobody, used for -1)."""
        cap = self.params.innovation.max_effect
        gain = 1 + self.innovations.adopted_effect(cap) + project_effect
        skill = np.array([0.8 + 0.4 * pro.skill for pro in self.professionals])
        # Ill: colleagues cover half; a vacant post: the team covers a little.
        w = self.week  # `pro.available` is `pro.active and pro.sick_until <= week`
        sick = np.array([(1.0 if pro.sick_until <= w else 0.5) if pro.active else 0.3
                         for pro in self.professionals])
        return np.append(np.maximum(gain * skill * sick, 0.0), 0.0)

    def _coherence(self) -> np.ndarray:
        """How much of the care's effect survives the plans around a family.

        Separate plans conflict more as more professionals are involved; one
        plan coordinated by a trajectbegeleider conflicts little, the less so
        with network skill and with more of the dossier shared. Parents who
        coordinate separate plans themselves take away part of the conflict, as
        far as their self-reliance and what they share reach.
        """
        fam, coop = self.families, self.params.cooperation
        k = fam.in_care_count()
        tie = self.trust.mean_cross_org()
        skill = np.mean([pro.skill for pro in self.professionals if pro.role == 0] or [0.4])
        # A family with one professional or none has nothing to conflict (the factor is
        # 1 / (1 + c * 0 * ...) = 1.0): the sums are made on the rows of two or more only.
        rows = np.flatnonzero(k >= 2)
        out = np.ones(fam.n)
        if rows.size == 0:
            return out
        managed = fam.self_managed[rows]
        share = fam.consent[rows] if coop.shared_dossier else np.full(rows.size, STORY_CARRIED)
        manager = np.where(managed, fam.self_reliance[rows], skill)
        separate = np.where(managed, np.maximum(0.3 * tie, 0.5 * manager * share), 0.3 * tie)
        quality = np.where(fam.integral_plan[rows], 0.4 + 0.6 * manager * share, separate)
        out[rows] = 1.0 / (1.0 + coop.plan_conflict * (k[rows] - 1) * (1 - quality))
        return out

    def _parent_strain(self) -> np.ndarray | None:
        """The share of their protective factors parents spend on coordinating their own plan.

        Keeping professionals in step - appointments, forms, telling each what the
        others do - is work the trajectbegeleider would otherwise do, and it takes
        the same capacity a parent needs to keep the family's problems from
        growing (WRR 2017, *Weten is nog geen doen*: what people can do falls under
        stress). It grows with every professional beyond the first and weighs on
        parents with little self-reliance to spare; a parent with one professional
        has nothing to coordinate. None when no parent coordinates (most runs).
        """
        fam = self.families
        if not fam.self_managed.any():
            return None
        k = fam.in_care_count()
        # As the trajectbegeleider's: the plan's domains once care has begun (one plan),
        # or the professionals treating the family (a plan each).
        involved = np.where(fam.integral_plan, fam.plan_size, k)
        others = np.where(k >= 1, np.maximum(involved - 1, 0), 0)
        load = self.params.cooperation.case_manager_load * others * (1.0 - fam.self_reliance)
        return np.where(fam.self_managed, np.minimum(load, 1.0), 0.0)

    def _onset_factor(self) -> np.ndarray:
        """Prevention by lump-sum providers lowers the chance new problems start."""
        hours = sum(pro.hours["care"] for org in self.providers if org.contract == "lump_sum"
                    for pro in org.staff) * self.params.funding.lump_sum_prevention
        per_1000 = hours / max(self.families.n / 1000, 1e-9)
        return np.full(self.families.n, 1.0 / (1.0 + per_1000 / 100.0))

    def _wait_damping(self) -> np.ndarray:
        """Online self-help slows the decline of the waiting families that use it (and costs)."""
        if not self.params.participation.online_self_help:
            return np.ones(self.families.n)
        use = self_help.uptake(self)
        self_help.week(self, use)
        return 1.0 - self.params.participation.self_help_effect * use

    def _crises(self) -> None:
        """Unsafe homes and severe child mental health can tip into a crisis.

        The weekly chance grows with how far the worse of the two lies above
        the crisis threshold, and is damped by protective factors; so families
        left waiting with those problems have crises more often. What follows
        a crisis - a report to Veilig Thuis, an emergency placement of one
        child - is the protection chain's (sim/protection.py). A family with a
        child placed has no new crisis until the child is back.
        """
        fam, acc = self.families, self.params.access
        acute = np.maximum(fam.severity[:, Domain.VEILIGHEID], fam.severity[:, Domain.JEUGD_GGZ])
        # The few families above the threshold first; the rest is read on their rows only.
        at_risk = np.flatnonzero(acute > acc.crisis_threshold)
        at_risk = at_risk[~row_any(self.protection.kind[at_risk] >= 0)]  # none placed
        if at_risk.size == 0:
            return
        excess = (acute[at_risk] - acc.crisis_threshold) / (1 - acc.crisis_threshold)
        p = (acc.escalation_per_week * excess * (1.2 - fam.protection(at_risk))
             * (1 + 0.2 * adversity.score(fam.ace_kinds[at_risk])))  # fam.aces' rows
        for f in at_risk[self.streams["events"].random(at_risk.size) < p]:
            self.escalate(int(f))

    def escalate(self, f: int) -> None:
        """A crisis in family `f`: the protection chain takes it (kept for callers)."""
        self.crisis_service.respond(f)  # within a day, before the chain weighs it
        protection.crisis(self, f)
        self.crisis_service.follow_up(f)

    def _extend_plan(self, f: int) -> bool:
        """One plan looks at the whole family before it closes.

        When the last trajectory of an integral plan ends, the
        trajectbegeleider refers what is still above the signal threshold
        instead of closing (at most MAX_PLAN_EXTENSIONS times); separate plans
        close one by one, each looking only at its own domain.
        """
        fam = self.families
        if not fam.integral_plan[f] or fam.plan_extensions[f] >= MAX_PLAN_EXTENSIONS:
            return False
        left = np.flatnonzero(fam.severity[f] > self.params.problems.signal_threshold)
        if left.size == 0:
            return False
        fam.plan_extensions[f] += 1
        fam.plan_size[f] = max(int(fam.plan_size[f]), left.size)
        t = self.week + 1.0  # referred after this week's care flow: from next week on
        for d in left:
            self.care.refer(f, int(d), t)
        fam.set_state(f, FamilyState.WAITING, self.week)
        self.log(f, "plan_extended", domains=[DOMAIN_KEYS[d] for d in left.tolist()])
        return True

    def _release_held_back(self) -> None:
        """Root causes first, but a plan does not leave the rest waiting forever."""
        for f, domains in list(self.care.pending.items()):
            if self.week - self.families.episode_start[f] >= HOLD_BACK_WEEKS:
                del self.care.pending[f]
                t = self.week + float(self.streams["triage"].random())
                for d in domains:
                    self.care.refer(f, d, t)

    def _poisson_arrivals(self) -> None:
        """Queue validation: arrivals at Poisson times, one domain, no family dynamics."""
        fam, rng = self.families, self.streams["arrivals"]
        n = int(rng.poisson(self.params.arrivals.arrivals_per_week))
        free = np.flatnonzero(fam.state == FamilyState.HEALTHY)
        if n > free.size:
            raise RuntimeError("validation population too small for the arrival rate")
        chosen = rng.choice(free, n, replace=False) if n else free[:0]
        for f, t in zip(chosen, np.sort(self.week + rng.random(n)), strict=True):
            self.begin_episode(int(f))
            self.care.refer(int(f), int(Domain.OPVOEDING), float(t))
            fam.set_state(int(f), FamilyState.WAITING, self.week)

    def _waiting_week(self) -> None:
        """Drop-out, alternative programmes, and waits blocked by an empty silo."""
        acc, rng = self.params.access, self.streams["waiting"]
        funding = self.params.funding
        open_domain = [self.budget.can_start(d, funding) for d in range(len(Domain))]
        open_domain.append(True)  # light help is never blocked
        refs = [r for rs in self.care.waiting.values() for r in rs]
        blocked = [r for r in refs if not open_domain[r.domain]]
        for ref in blocked:
            ref.blocked_weeks += 1
        self.counters["silo_blocked_weeks"] += len(blocked)
        if not self.params.problems.dynamics or not refs:
            return
        u = rng.random((len(refs), 2)).tolist()  # plain floats: the same draws, read faster
        for ref, (u_drop, u_alt) in zip(refs, u, strict=True):
            if u_drop < acc.dropout_per_week:
                self._drop(ref, "dropped_out")
            elif (ref.domain in ALTERNATIVE_DOMAINS and u_alt < acc.alternative_per_week
                  and self.week + 1 - ref.arrival > acc.alternative_after_weeks):
                f = ref.family
                self._drop(ref, "alternative_programme")
                self.families.misplaced[f] = True
                self.families.alternative_until[f] = self.week + ALTERNATIVE_WEEKS
                self.families.other_rate[f, ref.domain] = (ALTERNATIVE_EFFECT
                                                  * self.params.providers.care_effect)
                self.counters["alternative_placements"] += 1

    def _drop(self, ref: Referral, kind: str) -> None:
        self.care.cancel(ref)
        self._touched.add(ref.family)
        self.log(ref.family, kind, domain=_slot_key(ref.domain),
                 waited=round(self.week + 1 - ref.first_arrival, 1))
        if kind == "dropped_out":
            self.counters["dropouts"] += 1
            if not self.care.family_busy(ref.family):
                self.families.state[ref.family] = FamilyState.WAITING  # settled below
                self.end_episode(ref.family, Ending.DROPPED_OUT)

    def _residential_exits(self) -> None:
        """The protection chain's week, then the states it leaves behind.

        A family whose only care was a placement ends its episode (ending
        `escalated`) when its last placed child is home; one that meanwhile
        got other care follows that care.
        """
        protection.week(self)
        escalated = np.flatnonzero(self.families.state == _ESCALATED)
        home = ~row_any(self.protection.kind[escalated] >= 0)  # no child placed
        for f, back in zip(escalated.tolist(), home.tolist(), strict=True):
            if self.care.family_busy(f):
                self._touched.add(f)
            elif back:
                self.end_episode(f, Ending.ESCALATED)
        alt_done = np.flatnonzero(self.families.alternative_until == self.week)
        self.families.other_rate[alt_done, :] = 0.0

    def _settle_families(self) -> None:
        """States follow the care flow; a family with nothing left ends its episode."""
        fam, w = self.families, self.week
        state = fam.state
        placed = row_any(self.protection.placed())
        for f in self._touched:
            now = state[f]
            if self.care.family_busy(f):
                new = _IN_CARE if f in self.care.of_family else _WAITING
                if now != new:
                    fam.set_state(f, new, w)
            elif now in _OPEN and self._extend_plan(f):
                continue
            elif placed[f] and (now in _OPEN or now == _ESCALATED):
                if now != _ESCALATED:  # a child placed and nothing else running
                    fam.set_state(f, _ESCALATED, w)
            elif now in _OPEN:
                self.end_episode(f, Ending.ENDED)
        self._touched.clear()
        thr = self.params.problems.signal_threshold
        ended = np.flatnonzero(state == _ENDED_WELL)
        relapsing = ended[row_any(fam.severity[ended] > thr)]
        fam.set_state(relapsing, FamilyState.RELAPSED, w)
        after_care = np.flatnonzero(_AFTER_CARE_LUT[state])
        calm = after_care[fam.last_end[after_care] <= w - RELAPSE_WEEKS]
        fam.set_state(calm, FamilyState.HEALTHY, w)

    # -- episodes -------------------------------------------------------------

    def begin_episode(self, f: int) -> None:
        fam, w = self.families, self.week
        self._involve_children(f)
        kids = self.kids
        # Plain Python over one family's few children and eight domains: numpy's per-call
        # cost is most of the work on arrays this small (same comparisons, same answer).
        since = w - REPEAT_WEEKS
        repeat = any(last >= since for last, inv in zip(kids.last_care[f].tolist(),
                                                        kids.involved[f].tolist(), strict=True)
                     if inv)
        if fam.last_end[f] >= w - RELAPSE_WEEKS and fam.last_record[f] >= 0:
            i = fam.last_record[f]
            self.episodes[i] = self.episodes[i]._replace(relapsed=True)
            fam.episode_relapse[f] = True
        else:
            fam.episode_relapse[f] = False
        fam.reset_episode(f, w, self.params.participation.informal_network_activation)
        thr = self.params.problems.signal_threshold
        youth = any(sev > thr for sev, young in zip(fam.severity[f].tolist(), _YOUTH, strict=True)
                    if young)
        self.episode_starts.append(EpisodeStart(w, repeat, youth))
        self._touched.add(f)
        self.log(f, "signal" if fam.state[f] == _SIGNAL else "crisis",
                 channel=CHANNEL_KEYS[fam.channel[f]], repeat=repeat,
                 relapse=bool(fam.episode_relapse[f]))

    def _involve_children(self, f: int) -> None:
        """Which children an episode is about: one child for a child's own problem
        (mental health, school, disability), all children for a family problem."""
        fam = self.families
        n = int(fam.children[f])
        self.kids.involved[f] = False
        worst = int(fam.severity[f].argmax())
        if worst in CHILD_DOMAINS:
            self.kids.involved[f, int(self.streams["children"].integers(n))] = True
        else:
            self.kids.involved[f, :n] = True

    def end_episode(self, f: int, ending: Ending) -> None:
        fam, w = self.families, self.week
        if ending == Ending.ENDED and fam.misplaced[f]:
            ending = Ending.ALTERNATIVE
        rating = kpis.client_rating(self, f, ending)
        self.episodes.append(Episode(
            f, int(fam.episode_start[f]), w, int(ending), rating, False,
            bool(fam.last_end[f] >= fam.episode_start[f] - REPEAT_WEEKS),
            int(fam.episode_retold[f]), int(fam.episode_plans[f])))
        fam.last_record[f] = len(self.episodes) - 1
        fam.last_end[f] = w
        fam.integral_plan[f] = False
        fam.self_managed[f] = False
        if ending in NO_CARE_ENDINGS:
            fam.set_state(f, FamilyState.HEALTHY, w)
        else:
            bad = fam.severity[f].max() > self.params.problems.signal_threshold
            fam.set_state(f, FamilyState.RELAPSED if bad else FamilyState.ENDED_WELL, w)
        self.log(f, "episode_end", ending=ENDING_KEYS[ending], rating=round(rating, 1))

    # -- hooks from the care flow ---------------------------------------------

    def on_care_start(self, traj: Trajectory, wait: float) -> None:
        """A new professional hears the story again, unless the dossier tells it."""
        fam, f = self.families, traj.family
        retold = (traj.slot != LIGHT
                  and self.streams["care"].random() >= self._dossier_share(f))
        if retold:
            fam.retold[f] += 1
            fam.episode_retold[f] += 1
        self._touched.add(f)
        self.routes.on_start(f, traj.slot)
        self.log(f, "care_start", domain=_slot_key(traj.slot), provider=traj.org.name,
                 professional=traj.prof.unique_id, waited=round(wait, 1),
                 weeks_planned=round(traj.end - traj.start, 1), online=traj.online,
                 retold=retold)

    def on_care_end(self, traj: Trajectory) -> None:
        self._touched.add(traj.family)
        self.log(traj.family, "care_end", domain=_slot_key(traj.slot), provider=traj.org.name,
                 weeks=round(traj.end - traj.start, 1))

    def _dossier_share(self, f: int) -> float:
        """Chance a new professional already knows the story (no retelling)."""
        coop = self.params.cooperation
        if coop.shared_dossier:
            return float(self.families.consent[f])
        return STORY_CARRIED if self.families.integral_plan[f] else 0.0

    def shares_dossier(self, f: int) -> bool:
        return bool(self.streams["care"].random() < self._dossier_share(f))

    # -- innovation, networks, yearly figures -----------------------------------

    def _innovate(self) -> None:
        p, inn, rng = self.params, self.innovations, self.streams["innovation"]
        hours = np.array([pro.hours["experiment"] for pro in self.professionals])
        for idea in inn.try_ideas(rng, p.innovation, hours, self.week):
            self.log(None, "idea_tried", professional=self.professionals[idea.origin].unique_id)
        for idea in inn.judge(rng, p.innovation, self.week):
            self.log(None, "idea_adopted" if idea.adopted else "idea_abandoned",
                     professional=self.professionals[idea.origin].unique_id)
        for idea in inn.review(rng, p.innovation, self.week):
            self.log(None, "idea_dropped_on_results",
                     professional=self.professionals[idea.origin].unique_id)
        climate = 0.1 + 0.9 * p.management.style
        self.counters["spread"] += inn.spread(rng, self.trust, p.innovation.spread_per_week,
                                              p.innovation.knowledge_sharing, climate,
                                              p.innovation.effect_sd)
        for project in inn.projects:
            if not project.revealed and self.week >= project.start + 13:
                project.revealed = True
                self.log(None, "top_down_fit_revealed", fit=round(project.fit, 3))

    def _project_burden(self) -> float:
        """Morale cost of running projects that fit badly."""
        return sum(max(0.0, -p.fit) * 0.5 for p in self.innovations.projects
                   if self.week >= p.start)

    def _network_week(self, k: np.ndarray) -> None:
        """Trust from shared families and intervision; networks and self-reliance grow in
        care. `k`: professionals treating each family (`FamilyArrays.in_care_count`)."""
        fam, p = self.families, self.params
        shared = np.flatnonzero(k >= 2)
        self.trust.joint_cases(shared_pairs(np.column_stack(
            [fam.care_prof[shared], fam.light_prof[shared]])))
        self.trust.intervision(self.streams["innovation"], p.staff.learning_hours,
                               p.innovation.knowledge_sharing)
        self.trust.fade()
        active = fam.activated & (k >= 1)
        fam.network[active] += p.participation.network_gain_per_week * (1 - fam.network[active])
        # Care builds self-reliance, the same for every family in care: parents who manage
        # their own plan are not assumed to learn faster (no source says by how much), so
        # the lever acts only through the hours it frees and the plans it holds together.
        gain = CARE_SELF_RELIANCE_GAIN * (k >= 1)
        fam.self_reliance += gain * (1 - fam.self_reliance)

    def _mark_youth_care(self) -> None:
        """Children in youth care this week (for the yearly share and repeat use)."""
        fam = self.families
        youth = row_any(fam.care_prof[:, YOUTH_MASK] >= 0) | (fam.light_prof >= 0)
        placed = self.protection.placed()  # a placed child, and the children under a measure
        # `youth` spelled out per child first: against a column, numpy runs the four
        # children of each row as a loop of its own (the same values, slower).
        per_child = np.repeat(youth, placed.shape[1]).reshape(placed.shape)
        in_care = ((self.kids.involved & per_child) | placed
                   | self.protection.measure_children(fam))
        self.kids.mark(in_care, placed, self.week)

    def _new_year(self, w: int) -> None:
        if w == 0 or w % WEEKS_PER_YEAR:
            return
        in_care, placed = self.kids.close_year()
        ots, guardianship = self.protection.children_by_measure(self.families.children)
        toxic = self.families.close_toxic_year()
        self.years.append({
            "ots_children": ots, "guardianship_children": guardianship,
            "placed_children": int(self.protection.placed().sum()),
            "placed_by_court": self.protection.placed_by_court(),
            "end_week": w, "children_in_care": in_care,
            "share_children_in_care": in_care / max(int(self.families.children.sum()), 1),
            "residential_share": placed / max(in_care, 1),
            "youth_cost_eur": self.yearly_youth_cost,
            "toxic_children": toxic,
            "toxic_share": toxic / max(int(self.families.children.sum()), 1),
        })
        self.yearly_youth_cost = 0.0

    # -- levers that need more than a parameter ---------------------------------

    def on_params_changed(self, key: str) -> None:
        if key.startswith("access."):
            self.care.build_lists()
        if key == "funding.contract":
            setup.assign_contracts(self)
        elif key.startswith("funding."):
            setup.renew_terms(self)  # tariffs and contract terms follow the new funding

    def launch_top_down(self, cost: float, fit: float | None, rollout: int) -> None:
        rng = self.streams["topdown"]
        sd = self.params.innovation.top_down_fit_sd
        true_fit = float(rng.normal(0.0, sd)) if fit is None else float(fit)
        style = self.params.management.style
        commitment = 0.4 + 0.2 * style  # mandated from above: commitment stays low
        # A system that fits takes paperwork away; one that does not adds to it.
        project = TopDownProject(self.week + rollout, true_fit, commitment,
                                 -PROJECT_ADMIN_PER_FIT * true_fit * commitment)
        project.pay_weeks = max(rollout, 1)
        project.weekly_cost = cost / project.pay_weeks
        self.innovations.projects.append(project)

    def hire(self, count: int, domain: str) -> None:
        setup.hire(self, count, domain)

    def procure(self, providers: int, head: bool) -> None:
        setup.reprocure(self, providers, head)

    def flu_wave(self, share: float, weeks: int) -> int:
        rng = self.streams["events"]
        ill = 0
        for pro in self.professionals:
            if pro.available and rng.random() < share:
                pro.sick_until = self.week + weeks
                ill += 1
        return ill

    def crisis(self, n: int) -> int:
        fam = self.families
        calm = np.flatnonzero(fam.state == FamilyState.HEALTHY)
        chosen = self.streams["events"].choice(calm, min(n, calm.size), replace=False)
        for f in chosen:
            fam.severity[f, Domain.VEILIGHEID] = 0.95
            self.escalate(int(f))
        return len(chosen)

    def bankrupt(self) -> str:
        return setup.bankrupt(self)

    # -- logging --------------------------------------------------------------

    def log(self, family: int | None, kind: str, **data: Any) -> None:
        event = {"week": self.week, "kind": kind, **data}
        events = self.events
        if family is not None:
            family = event["family"] = int(family)
            line = self.timelines.get(family)
            if line is None:  # not setdefault: it would build a list on every event
                self.timelines[family] = [len(events)]
            else:
                line.append(len(events))
        events.append(event)


@functools.cache
def _one_blas_thread() -> None:
    """Keep numpy's BLAS to one thread in this process (once).

    The weekly dynamics make one small matrix product (families x 8 by 8 x 8).
    BLAS serves it with a thread per core, and those threads spin after the call:
    a single run is about 15 % slower and two runs side by side on two cores each
    take twice as long (bench/lab.py, bench/engine.py). With one thread the
    product gives the same numbers, bit for bit.
    """
    threadpool_limits(limits=1, user_api="blas")


def _add_rows(rates: np.ndarray, extra: np.ndarray, rows: np.ndarray) -> None:
    """`rates += extra` where `extra` may be nonzero: on `rows` (a few families)."""
    if rows.size:
        rates[rows] += extra[rows]


def _slot_key(slot: int) -> str:
    return "light_help" if slot == LIGHT else DOMAIN_KEYS[slot]


__all__ = ["SamenspelModel", "Referral"]
