"""The child-protection chain: Veilig Thuis, the Raad, court orders, the GI, placements.

A crisis or a worry about an unsafe home reaches Veilig Thuis as a report.
Veilig Thuis hands a family whose danger is moderate over to the wijkteam
(voluntary help) and asks the Raad voor de Kinderbescherming to investigate
when it is graver. The Raad has a limited number of investigators, so
requests wait in a queue (a child already placed in a crisis goes first).
At the end of an investigation the juvenile court may order a
supervision order (OTS, one year, extended while the home stays unsafe) and,
when the home is too unsafe, a placement order (machtiging
uithuisplaatsing) for one child. A child that has lived away for long comes
under guardianship (voogdij) at a review. Children under a measure are guided
by caseworkers of a certified institution (GI); above their caseload norm each
child gets less of them, so safety improves more slowly, crises and
placements come more often and measures run longer.

A placement concerns one child: foster care (pleegzorg), a family home
(gezinshuis), residential care or secure youth care (JeugdzorgPlus), each
with its own length and weekly cost. The family's other care goes on.

`report(model, family, source)` is the door for other routes (the triage
module's signal channels); `crisis(model, family)` is the crisis path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.domains import DOMAIN_KEYS, N_DOMAINS, YOUTH_MASK, Domain
from sim.families import NEVER
from sim.rows import row_any, row_max
from sim.states import FamilyState

if TYPE_CHECKING:
    from sim.families import FamilyArrays
    from sim.model import SamenspelModel

KINDS = ("foster", "gezinshuis", "residential", "secure")
FOSTER, GEZINSHUIS, RESIDENTIAL, SECURE = range(len(KINDS))
NO_PLACEMENT = -1
# A family's protection case: nothing, waiting for the Raad, under investigation, a measure.
NONE, QUEUED, INVESTIGATING, MEASURE = range(4)
OTS, GUARDIANSHIP = 1, 2  # measure kinds (0: none)
ACUTE = (int(Domain.VEILIGHEID), int(Domain.JEUGD_GGZ))
GUIDED = (int(Domain.VEILIGHEID), int(Domain.OPVOEDING))  # what a GI caseworker works on
PLACEMENT_HELPS = (int(Domain.VEILIGHEID), int(Domain.JEUGD_GGZ))
YOUTH_CARE = (int(Domain.JEUGD_GGZ), int(Domain.OPVOEDING), int(Domain.VEILIGHEID))
TAKEN_OVER = int(Domain.JEUGD_GGZ)  # the placed child's own treatment moves to the placement
SEEKING = (FamilyState.HEALTHY, FamilyState.ENDED_WELL, FamilyState.RELAPSED)
SILO = "jeugd"  # placements and GI measures are paid from the youth silo


class Protection:
    """State of the chain: cases per family, the Raad's queue, placements per child."""

    def __init__(self, n: int, max_children: int) -> None:
        self.case = np.zeros(n, dtype=np.int8)  # NONE, QUEUED, INVESTIGATING, MEASURE
        self.case_since = np.full(n, NEVER, dtype=np.int32)  # week the case reached its stage
        self.requested = np.full(n, NEVER, dtype=np.int32)  # week the Raad was asked
        self.urgent = np.zeros(n, dtype=bool)
        self.investigation_end = np.full(n, NEVER, dtype=np.int32)
        self.measure_kind = np.zeros(n, dtype=np.int8)  # 0, OTS, GUARDIANSHIP
        self.measure_end = np.full(n, NEVER, dtype=np.int32)
        self.queue: list[int] = []  # families waiting for the Raad, in order of request
        shape = (n, max_children)
        self.kind = np.full(shape, NO_PLACEMENT, dtype=np.int8)
        self.until = np.full(shape, NEVER, dtype=np.int32)
        self.since = np.full(shape, NEVER, dtype=np.int32)
        self.crisis_placed = np.zeros(shape, dtype=bool)  # on an emergency order, Raad pending
        self.mismatched = np.zeros(shape, dtype=bool)  # needed a residential group, none free
        self.gi_share = 1.0  # share of the guidance a child under a measure gets (norm / load)
        self.waits: list[tuple[int, int]] = []  # (week started, weeks waited for the Raad)

    # -- what others read -------------------------------------------------------

    def placed(self) -> np.ndarray:
        """Children placed out of home now (families x children)."""
        return self.kind >= 0

    def families_placed(self) -> np.ndarray:
        """The families with a child placed out of home now, in order."""
        return np.flatnonzero(row_any(self.placed()))

    def placed_in(self, f: int) -> bool:
        return bool((self.kind[f] >= 0).any())

    def placed_by_court(self) -> int:
        """Children placed under a court order now: under a measure, or on an emergency
        order while the Raad investigates."""
        court = (self.case == MEASURE)[:, None] | self.crisis_placed
        return int((self.placed() & court).sum())

    def children_by_measure(self, children: np.ndarray) -> tuple[int, int]:
        """Children under a supervision order and under guardianship now.

        A supervision order covers all of a family's children; guardianship only
        the children placed out of home (the siblings at home keep their parents'
        authority).
        """
        under = np.flatnonzero(self.case == MEASURE)  # a few families: the rest count 0
        kind = self.measure_kind[under]
        return (int(children[under[kind == OTS]].sum()),
                int((self.kind[under[kind == GUARDIANSHIP]] >= 0).sum()))

    def children_under_measure(self, children: np.ndarray) -> int:
        return sum(self.children_by_measure(children))

    def measure_children(self, fam: FamilyArrays) -> np.ndarray:
        """Children (families x children) under a measure now (see `children_by_measure`)."""
        # Built from the few families under a measure (the rest of the town's rows stay
        # False): the same array as masking all families, at a fraction of the cost.
        kids = np.zeros(self.kind.shape, dtype=bool)
        under = np.flatnonzero(self.case == MEASURE)
        if under.size:
            rows = np.arange(self.kind.shape[1]) < fam.children[under, None]
            guardian = self.measure_kind[under] == GUARDIANSHIP
            rows[guardian] &= self.kind[under[guardian]] >= 0
            kids[under] = rows
        return kids


def investigators(model: SamenspelModel) -> int:
    """Investigations the Raad can run at once for this municipality's children."""
    p = model.params.protection
    staff = p.investigators_per_10000_children * model.families.children.sum() / 10_000
    return int(round(staff * p.investigations_per_investigator))


def caseworkers(model: SamenspelModel) -> float:
    p = model.params.protection
    return p.gi_caseworkers_per_10000_children * float(model.families.children.sum()) / 10_000


def caseload(model: SamenspelModel) -> float:
    """Children under a measure per GI caseworker."""
    kids = model.protection.children_under_measure(model.families.children)
    return kids / max(caseworkers(model), 1e-9)


def acute(model: SamenspelModel, f: int) -> float:
    """The danger a protection worker weighs: unsafe home or the child's own crisis."""
    return float(model.families.severity[f, list(ACUTE)].max())


def judged_light(model: SamenspelModel, f: int) -> bool:
    """Would the wijkteam help this family itself? (the triage rule for light help)

    Such a family is never placed out of home in one step: a crisis there goes
    through Veilig Thuis and the Raad first.
    """
    p, sev = model.params, model.families.severity[f]
    return bool(sev.max() < p.wijkteam.light_threshold
                and (sev > p.problems.signal_threshold).sum() <= 1)


# -- the doors -------------------------------------------------------------------

def report(model: SamenspelModel, f: int, source: str) -> str:
    """Veilig Thuis receives a report about family `f`; returns what it did.

    An open case takes the report into its dossier. Otherwise Veilig Thuis asks
    the Raad to investigate when the danger reaches
    `protection.investigation_threshold`, and hands the family over to the
    wijkteam for voluntary help when it is lower.
    """
    prot = model.protection
    model.counters["vt_reports"] += 1
    if prot.case[f] != NONE:
        outcome = "added_to_case"
    elif acute(model, f) >= model.params.protection.investigation_threshold:
        request_investigation(model, f, urgent=False)
        outcome = "investigation"
    else:
        hand_over(model, f)
        outcome = "wijkteam"
    model.log(f, "vt_report", source=source, outcome=outcome)
    return outcome


def crisis(model: SamenspelModel, f: int) -> None:
    """A crisis: reported to Veilig Thuis; when severe, one child is placed at once."""
    prot = model.protection
    model.counters["crises"] += 1
    severe = (acute(model, f) >= model.params.protection.crisis_placement_severity
              and not judged_light(model, f))
    if severe and not prot.placed_in(f):
        child = place(model, f, crisis=True)
        model.counters["vt_reports"] += 1
        model.log(f, "vt_report", source="crisis", outcome="crisis_placement", child=child)
        if prot.case[f] == NONE:
            request_investigation(model, f, urgent=True)
        elif prot.case[f] == QUEUED:
            prot.urgent[f] = True
        elif prot.case[f] == MEASURE:  # the GI asks the court itself; no Raad pending
            prot.crisis_placed[f, child] = False
    elif prot.case[f] == NONE:
        model.log(f, "crisis")  # no placement, no episode yet: the crisis itself is the news
        report(model, f, "crisis")


def request_investigation(model: SamenspelModel, f: int, urgent: bool) -> None:
    prot = model.protection
    prot.case[f] = QUEUED
    prot.case_since[f] = prot.requested[f] = model.week
    prot.urgent[f] = urgent
    prot.queue.append(f)
    model.counters["investigations_requested"] += 1


def hand_over(model: SamenspelModel, f: int) -> None:
    """Voluntary help: the wijkteam refers the acute problem, unless someone has it."""
    from sim.triage import uncovered_row  # the triage module imports the model's types

    fam, p = model.families, model.params
    sev = uncovered_row(model, f)
    d = max(ACUTE, key=lambda x: sev[x])
    if sev[d] <= p.problems.signal_threshold:
        return
    if fam.state[f] in SEEKING:
        model.begin_episode(f)
    model.care.refer(f, int(d), model.week + float(model.streams["protection"].random()))
    model._touched.add(f)  # the family's state follows its referrals in _settle_families


def gi_refer(model: SamenspelModel, f: int) -> None:
    """The GI refers the child's youth problems that nobody treats or awaits, itself.

    A caseworker under a measure does not send the family back to the toegang:
    it refers to providers directly (route GI, no triage, no light help), as
    CBS counts 8.1 % of starts. The referrals join the GI's plan, one plan for
    what it refers, beside any plans the family already has.
    """
    from sim.triage import uncovered_row  # the triage module imports the model's types

    fam, p = model.families, model.params
    if not p.protection.gi_refers:
        return
    sev = uncovered_row(model, f)
    if model.protection.placed_in(f):
        sev[TAKEN_OVER] = 0.0  # the placement treats the child's own problems
    domains = [d for d in np.flatnonzero(YOUTH_MASK)
               if sev[d] >= p.wijkteam.referral_threshold]
    if not domains:
        return
    if fam.state[f] in SEEKING:
        model.begin_episode(f)
    # Mid-week, without a draw: the protection stream stays aligned between paired runs
    # whose numbers of measures differ.
    t = model.week + 0.5
    for d in domains:
        model.care.refer(f, int(d), t)
    fam.episode_plans[f] += 1
    model.counters["gi_referrals"] += len(domains)
    model.log(f, "gi_referral", domains=[DOMAIN_KEYS[d] for d in domains])
    model._touched.add(f)  # the family's state follows its referrals in _settle_families


# -- the week --------------------------------------------------------------------

def week(model: SamenspelModel) -> None:
    """Reviews, returns home, the Raad's decisions and new investigations, in that order."""
    _review_measures(model)
    _perspective_decisions(model)
    _review_placements(model)
    _professional_reports(model)
    _finish_investigations(model)
    _start_investigations(model)
    _voluntary_placements(model)
    _breakdowns(model)
    prot = model.protection
    model.counters["placed_child_weeks"] += int(prot.placed().sum())
    load = caseload(model)
    norm = model.params.protection.gi_caseload_norm
    prot.gi_share = 1.0 if load <= norm else norm / load
    _sync_residential_until(model)


def _professional_reports(model: SamenspelModel) -> None:
    """Under the meldcode a professional who sees an unsafe home reports it to Veilig Thuis.

    Families known to care (waiting or in care) without an open protection case,
    whose home is at least as unsafe as `protection.investigation_threshold`,
    are reported with weekly chance `protection.professional_report_per_week`;
    Veilig Thuis then asks the Raad to investigate. Most reports in the
    Netherlands come from professionals, not from neighbours.
    """
    rate = model.params.protection.professional_report_per_week
    if rate <= 0:
        return
    fam, prot, p = model.families, model.protection, model.params.protection
    # The unsafe homes first; being known to care and having no case, on their rows only.
    unsafe = np.flatnonzero(fam.severity[:, int(Domain.VEILIGHEID)] >= p.investigation_threshold)
    state = fam.state[unsafe]
    known = (state == FamilyState.WAITING) | (state == FamilyState.IN_CARE)
    candidates = unsafe[known & (prot.case[unsafe] == NONE)]
    if candidates.size == 0:
        return
    draws = model.streams["protection"].random(candidates.size)
    for f in candidates[draws < rate]:
        report(model, int(f), "professional")


def _review_measures(model: SamenspelModel) -> None:
    prot, p, w = model.protection, model.params.protection, model.week
    for f in np.flatnonzero((prot.case == MEASURE) & (prot.measure_end <= w)):
        f = int(f)
        placed = prot.placed_in(f)
        if prot.measure_kind[f] == GUARDIANSHIP:
            _close_case(model, f, "guardianship_ended")
        elif placed or acute(model, f) >= p.measure_threshold:
            prot.measure_end[f] = w + p.ots_weeks
            model.counters["measures_extended"] += 1
            model.log(f, "measure_extended", weeks=p.ots_weeks)
            gi_refer(model, f)
        else:
            _close_case(model, f, "measure_ended")


def _perspective_decisions(model: SamenspelModel) -> None:
    """A child placed under a supervision order who has not gone home within the
    acceptable term comes under guardianship (voogdij).

    The term (`protection.guardianship_after_weeks`) is counted from the
    placement, not from the yearly review: the GI asks the Raad for a measure
    that ends parental authority when the term has passed, whenever that is.
    """
    prot, p, w = model.protection, model.params.protection, model.week
    # Only the few families under a supervision order are looked at (the same families,
    # in the same order, as masking the whole town).
    ots = np.flatnonzero((prot.case == MEASURE) & (prot.measure_kind == OTS))
    due = ((prot.kind[ots] >= 0) & ~prot.crisis_placed[ots]
           & (prot.since[ots] <= w - p.guardianship_after_weeks))
    for f in ots[row_any(due)].tolist():
        prot.measure_kind[f] = GUARDIANSHIP
        prot.measure_end[f] = w + p.guardianship_weeks
        model.counters["guardianships"] += 1
        model.log(f, "measure", measure="guardianship", weeks=p.guardianship_weeks)


def _close_case(model: SamenspelModel, f: int, why: str) -> None:
    prot = model.protection
    for c in np.flatnonzero(prot.kind[f] >= 0):
        return_home(model, f, int(c))
    prot.case[f] = NONE
    prot.case_since[f] = model.week
    prot.measure_kind[f] = 0
    prot.measure_end[f] = NEVER
    model.log(f, why)


def _review_placements(model: SamenspelModel) -> None:
    """A placement ends when its time is up and the home is safe enough, else goes on."""
    prot, p, w = model.protection, model.params.protection, model.week
    away = prot.families_placed()  # the rows with a placed child, in order
    rows, cs = np.nonzero((prot.kind[away] >= 0) & (prot.until[away] <= w))
    for f, c in zip(away[rows].tolist(), cs.tolist(), strict=True):
        if prot.crisis_placed[f, c] and prot.case[f] in (QUEUED, INVESTIGATING):
            prot.until[f, c] = w + p.crisis_placement_weeks  # the court extends the order
        elif (prot.measure_kind[f] == GUARDIANSHIP
              or acute(model, f) >= p.placement_threshold):
            prot.until[f, c] = w + _planned(model, f, c)
            model.log(f, "placement_extended", child=c, placement=KINDS[prot.kind[f, c]])
        else:
            return_home(model, f, c)


def _finish_investigations(model: SamenspelModel) -> None:
    prot, w = model.protection, model.week
    for f in np.flatnonzero((prot.case == INVESTIGATING) & (prot.investigation_end <= w)):
        _decide(model, int(f))


def _decide(model: SamenspelModel, f: int) -> None:
    """The Raad advises and the court rules: no measure, an OTS, or an OTS with placement."""
    prot, p, w = model.protection, model.params.protection, model.week
    danger = acute(model, f)
    prot.urgent[f] = False
    if danger < p.measure_threshold:
        for c in np.flatnonzero(prot.kind[f] >= 0):
            return_home(model, f, int(c))
        prot.case[f] = NONE
        prot.case_since[f] = w
        model.counters["investigations_no_measure"] += 1
        model.log(f, "investigation_ended", outcome="no_measure")
        hand_over(model, f)
        return
    prot.case[f] = MEASURE
    prot.case_since[f] = w
    prot.measure_kind[f] = OTS
    prot.measure_end[f] = w + p.ots_weeks
    model.counters["measures"] += 1
    model.log(f, "measure", measure="ots", weeks=p.ots_weeks)
    crisis_kids = np.flatnonzero(prot.crisis_placed[f])
    if danger >= p.placement_threshold:
        for c in crisis_kids:  # the emergency placement becomes a placement order
            prot.crisis_placed[f, c] = False
            prot.until[f, c] = w + _planned(model, f, c)
        if not prot.placed_in(f):
            place(model, f, crisis=False)
    else:
        for c in crisis_kids:
            return_home(model, f, int(c))
    gi_refer(model, f)


def _start_investigations(model: SamenspelModel) -> None:
    """Free investigators take urgent requests first, then the oldest."""
    prot, p, w = model.protection, model.params.protection, model.week
    if not prot.queue:  # nobody waits for the Raad (most weeks): nothing to count
        return
    free = investigators(model) - int((prot.case == INVESTIGATING).sum())
    if free <= 0:
        return
    order = sorted(prot.queue, key=lambda f: (not prot.urgent[f], int(prot.requested[f])))
    starting = order[:free]
    chosen = set(starting)
    prot.queue = [f for f in prot.queue if f not in chosen]
    rng = model.streams["protection"]
    for f in starting:
        prot.case[f] = INVESTIGATING
        prot.case_since[f] = w
        prot.investigation_end[f] = w + max(1, int(round(rng.gamma(4.0, p.investigation_weeks
                                                                    / 4.0))))
        prot.waits.append((w, w - int(prot.requested[f])))
        model.log(f, "investigation_started", waited=w - int(prot.requested[f]))


# -- placements -------------------------------------------------------------------

def _voluntary_placements(model: SamenspelModel) -> None:
    """A placement by agreement, without a court: care at home does not reach the child.

    Only for a family already in specialist youth care (a specialist, not the
    wijkteam's light help, asks for it) whose danger is at least
    `protection.voluntary_placement_severity`; each such week with chance
    `protection.voluntary_placement_per_week`.
    """
    p, fam, prot = model.params, model.families, model.protection
    rate = p.protection.voluntary_placement_per_week
    if rate <= 0:
        return
    cut = p.protection.voluntary_placement_severity
    # The danger first, over the town; the other two conditions only on its few rows.
    candidates = np.flatnonzero(row_any(fam.severity[:, list(ACUTE)] >= cut))
    if candidates.size == 0:
        return
    specialist = row_any(fam.care_prof[np.ix_(candidates, YOUTH_CARE)] >= 0)
    candidates = candidates[specialist & ~row_any(prot.placed()[candidates])]
    if candidates.size == 0:
        return
    for f in candidates[model.streams["protection"].random(candidates.size) < rate]:
        place(model, int(f), crisis=False, route="voluntary")
        model.counters["voluntary_placements"] += 1


def _breakdowns(model: SamenspelModel) -> None:
    """A foster or family home that cannot carry the child's needs breaks down.

    Only mismatched placements (a residential group was needed, none was
    free) are at risk, at `reform.mismatch_breakdown_per_week` scaled by the
    child's mental-health severity. The child moves to whatever place is
    free now, and the move itself harms it (`reform.breakdown_harm`).
    """
    prot = model.protection
    if not prot.mismatched.any():
        return
    r, fam, w = model.params.reform, model.families, model.week
    rng = model.streams["protection"]
    fs, cs = np.nonzero(prot.mismatched & (prot.kind >= 0))
    chance = r.mismatch_breakdown_per_week * fam.severity[fs, Domain.JEUGD_GGZ]
    broken = rng.random(fs.size) < chance
    for f, c in zip(fs[broken].tolist(), cs[broken].tolist(), strict=True):
        old = KINDS[prot.kind[f, c]]
        fam.severity[f, Domain.JEUGD_GGZ] = min(
            1.0, float(fam.severity[f, Domain.JEUGD_GGZ]) + r.breakdown_harm)
        prot.kind[f, c] = NO_PLACEMENT  # the place is given up before a new one is sought
        kind, mismatched = _kind(model, f, rng)
        prot.kind[f, c] = kind
        prot.mismatched[f, c] = mismatched
        prot.since[f, c] = w
        prot.until[f, c] = w + _length(model, kind, mismatched)
        model.counters["placement_breakdowns"] += 1
        model.log(f, "placement_breakdown", child=c, placement=old, to=KINDS[kind])


def place(model: SamenspelModel, f: int, crisis: bool, route: str = "court") -> int:
    """Place one child of family `f` out of home; returns which child.

    `route`: "crisis" (emergency order), "court" (placement order) or "voluntary".
    """
    prot, fam, w = model.protection, model.families, model.week
    rng = model.streams["protection"]
    if fam.state[f] in SEEKING:
        model.begin_episode(f)
    n = int(fam.children[f])
    free = [c for c in range(n) if prot.kind[f, c] < 0]
    involved = [c for c in free if model.kids.involved[f, c]]
    pool = involved or free
    child = int(pool[int(rng.integers(len(pool)))])
    kind, mismatched = _kind(model, f, rng)
    p = model.params.protection
    weeks = p.crisis_placement_weeks if crisis else _length(model, kind, mismatched)
    prot.kind[f, child] = kind
    prot.since[f, child] = w
    prot.until[f, child] = w + weeks
    prot.crisis_placed[f, child] = crisis
    prot.mismatched[f, child] = mismatched
    model.kids.involved[f, child] = True
    _take_over_treatment(model, f)
    model.counters["escalations"] += 1  # out-of-home placements of children
    model.routes.on_placement(f, court=route != "voluntary")
    model.counters[f"placements_{KINDS[kind]}"] += 1
    model.log(f, "escalated", child=child, placement=KINDS[kind],
              route="crisis" if crisis else route, weeks=weeks)
    _settle(model, f)
    return child


def _take_over_treatment(model: SamenspelModel, f: int) -> None:
    """The placement treats the child: its own mental-health care at home stops.

    Everything else the family has - parenting support, safety work with the
    parents, debt or housing help - goes on, so the child has a home to return to.
    """
    care, d = model.care, TAKEN_OVER
    for ref in [r for r in care.waiting.get(f, ()) if r.domain == d]:
        care.cancel(ref)
    held = care.pending.get(f)
    if held and d in held:
        held.remove(d)
        if not held:
            del care.pending[f]
    for tid in list(care.of_family.get(f, ())):
        if care.trajectories[tid].slot == d:
            care.end(care.trajectories[tid])
    model._touched.add(f)


def return_home(model: SamenspelModel, f: int, c: int) -> None:
    prot = model.protection
    kind = int(prot.kind[f, c])
    prot.kind[f, c] = NO_PLACEMENT
    prot.until[f, c] = NEVER
    prot.crisis_placed[f, c] = False
    prot.mismatched[f, c] = False
    model.log(f, "returned_home", child=c, placement=KINDS[kind],
              weeks=model.week - int(prot.since[f, c]))


def _kind(model: SamenspelModel, f: int, rng: np.random.Generator) -> tuple[int, bool]:
    """Foster care, family home, residential or secure care, by the scenario's weights.

    Secure care (JeugdzorgPlus) needs a child whose own problems are the acute
    ones; for an unsafe home alone it is not an option. When the region keeps
    fewer residential places (`reform.residential_places_per_10000_children`)
    and they are full, a child drawn for one goes to a foster or family home:
    the second value says the placement does not match the need.
    """
    kind = _drawn_kind(model, f, rng)
    if kind != RESIDENTIAL or not residential_full(model):
        return kind, False
    p = model.params.protection
    family_like = np.array([p.foster_weight, p.gezinshuis_weight])
    if family_like.sum() <= 0:
        family_like = np.ones(2)
    model.counters["residential_full"] += 1
    return int(rng.choice(2, p=family_like / family_like.sum())), True


def residential_places(model: SamenspelModel) -> float:
    """Whole residential places the region keeps for this municipality (inf: no limit).

    Counted on the scenario's children (families x mean children), so the
    number stays put while families come and go.
    """
    per = model.params.reform.residential_places_per_10000_children
    if per <= 0:
        return float("inf")
    pop = model.params.population
    return float(round(per * pop.families * pop.mean_children / 10_000))


def residential_full(model: SamenspelModel) -> bool:
    return float((model.protection.kind == RESIDENTIAL).sum()) >= residential_places(model)


def _drawn_kind(model: SamenspelModel, f: int, rng: np.random.Generator) -> int:
    p = model.params.protection
    weights = np.array([p.foster_weight, p.gezinshuis_weight, p.residential_weight,
                        p.secure_weight], dtype=float)
    sev = model.families.severity[f]
    if sev[Domain.JEUGD_GGZ] < sev[Domain.VEILIGHEID]:
        weights[SECURE] = 0.0
    if weights.sum() <= 0:
        return RESIDENTIAL
    return int(rng.choice(len(KINDS), p=weights / weights.sum()))


def _length(model: SamenspelModel, kind: int, mismatched: bool = False) -> int:
    """Planned weeks of a placement of this kind (exponential around its mean).

    The plan follows the need, not the place: a child who needed a residential
    group and went to a foster or family home because none was free
    (`mismatched`) keeps the residential group's plan - treatment with a return
    home in view - and the family carries it out. Foster care's own long mean
    is that of children placed to grow up there.
    """
    p = model.params
    if mismatched:
        kind = RESIDENTIAL
    mean = (p.protection.foster_weeks, p.protection.gezinshuis_weeks, p.residential.mean_weeks,
            p.protection.secure_weeks)[kind]
    return 1 + int(model.streams["protection"].exponential(mean))


def _planned(model: SamenspelModel, f: int, c: int) -> int:
    """Planned weeks of the next period of child `c`'s placement."""
    prot = model.protection
    return _length(model, int(prot.kind[f, c]), bool(prot.mismatched[f, c]))


def _settle(model: SamenspelModel, f: int) -> None:
    """A family with a placed child and no other care running or waiting is ESCALATED."""
    if not model.care.family_busy(f):
        model.families.set_state(f, FamilyState.ESCALATED, model.week)


def _sync_residential_until(model: SamenspelModel) -> None:
    """Latest planned return home per family (read by the game's family stories)."""
    prot = model.protection
    away = prot.families_placed()  # every other family has NEVER
    until = row_max(np.where(prot.kind[away] >= 0, prot.until[away], -1))
    model.residential_until[:] = NEVER
    model.residential_until[away] = np.where(until >= 0, until, NEVER)


def forget(model: SamenspelModel, families: np.ndarray) -> None:
    """Families that moved away or were succeeded leave the chain."""
    prot = model.protection
    prot.case[families] = NONE
    prot.measure_kind[families] = 0
    prot.measure_end[families] = NEVER
    prot.kind[families] = NO_PLACEMENT
    prot.until[families] = NEVER
    prot.crisis_placed[families] = False
    prot.mismatched[families] = False
    gone = set(int(f) for f in families)
    prot.queue = [f for f in prot.queue if f not in gone]


# -- effects and money -------------------------------------------------------------

def care_rates(model: SamenspelModel,
               placement_effect: float) -> tuple[np.ndarray, np.ndarray]:
    """Weekly share of severity removed by the chain: (families, their rows per domain).

    A GI caseworker works on safety and parenting, at `protection.gi_effect`
    scaled down by overload; a placed child is safe and treated, at
    `placement_effect` x `providers.care_effect`. Only the families under a
    measure or with a child placed have a row (the rest of the town has none).
    """
    prot, p = model.protection, model.params
    guided = prot.case == MEASURE
    away = row_any(prot.placed())
    families = np.flatnonzero(guided | away)
    rates = np.zeros((families.size, N_DOMAINS))
    rates[np.ix_(np.flatnonzero(guided[families]), GUIDED)] = (
        p.protection.gi_effect * prot.gi_share)
    rates[np.ix_(np.flatnonzero(away[families]), PLACEMENT_HELPS)] += (
        placement_effect * p.providers.care_effect)
    return families, rates


def weekly_cost(model: SamenspelModel) -> dict[str, float]:
    """This week's cost of placements (per child, by kind) and GI measures, per silo."""
    p = model.params
    prot = model.protection
    per_kind = np.array([p.protection.foster_cost_per_week, p.protection.gezinshuis_cost_per_week,
                         p.residential.cost_per_week, p.protection.secure_cost_per_week])
    kinds = prot.kind[prot.kind >= 0]
    children = prot.children_under_measure(model.families.children)
    return {SILO: float(per_kind[kinds].sum())
            + children * p.protection.measure_cost_per_week}
