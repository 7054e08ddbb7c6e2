"""Waits where they are (two stages, urgency, crisis service, bridging) and care on progress.

Invariants first (a referral waits in exactly one list and one stage; urgent
referrals go first within a list, first come first served within a class),
then paired lever tests: each lever wins somewhere and loses somewhere, for a
mechanism a professional would name.
"""

from __future__ import annotations

import numpy as np
import pytest
from paired import paired

from sim.model import SamenspelModel
from sim.scenario import load_scenario
from sim.waiting_list import LIGHT, Referral, WaitingList

SHORT = dict(weeks=156, warmup=78, seeds=(1, 2, 3, 4))  # about 90 s CPU for the levers
SMALL = ["population.families=3000", "population.neighbourhoods=6", "providers.count=6",
         "run.weeks=130", "run.warmup_weeks=52"]


@pytest.fixture(scope="module")
def small_run() -> SamenspelModel:
    model = SamenspelModel(load_scenario("baseline", SMALL), seed=3)
    model.run_weeks(130)
    return model


def _ref(arrival: float, urgent: bool = False, provider: int = -1) -> Referral:
    ref = Referral(family=0, domain=1, arrival=arrival, severity=0.4, provider=provider)
    ref.urgent = urgent
    return ref


# -- invariants -----------------------------------------------------------------

def test_urgent_first_then_first_come_first_served():
    wl = WaitingList(("central", 1), 1, [0, 1])
    early, late_urgent, later_urgent, last = (_ref(1.0), _ref(2.0, True), _ref(3.0, True),
                                              _ref(4.0))
    for ref in (last, later_urgent, early, late_urgent):
        wl.add(ref)
    order = []
    while wl.entries:
        ref = wl.pick(0, 0.0, 0.5, urgency=True)
        order.append(ref)
        wl.remove(ref)
    assert order == [late_urgent, later_urgent, early, last]


def test_without_urgency_the_list_is_first_come_first_served():
    wl = WaitingList(("central", 1), 1, [0])
    refs = [_ref(t, urgent=t % 2 == 0) for t in (3.0, 1.0, 2.0, 4.0)]
    for ref in refs:
        wl.add(ref)
    assert wl.pick(0, 0.0, 0.5, urgency=False).arrival == 1.0
    assert [r.arrival for r in wl.queue_order(False)] == [1.0, 2.0, 3.0, 4.0]
    assert [r.arrival for r in wl.queue_order(True)] == [2.0, 4.0, 1.0, 3.0]


def test_urgency_respects_the_chosen_provider():
    wl = WaitingList((0, 1), 1, [0, 1])
    other = _ref(1.0, urgent=True, provider=1)
    mine = _ref(2.0, provider=0)
    wl.add(other)
    wl.add(mine)
    assert wl.pick(0, 0.0, 0.5, urgency=True) is mine


def test_a_referral_waits_in_exactly_one_list_and_one_stage(small_run):
    model = small_run
    listed = [r for wl in model.care.lists.values() for r in wl.entries]
    ids = [r.id for r in listed]
    assert len(ids) == len(set(ids)), "a referral is on two lists"
    waiting = {r.id for refs in model.care.waiting.values() for r in refs}
    assert set(ids) <= waiting
    for ref in listed:
        assert ref.stage in ("intake", "treatment")
        assert (ref.stage == "treatment") == (ref.intake >= 0)
        if ref.intake >= 0:
            assert ref.intake >= ref.arrival - 1e-12
        if ref.domain == LIGHT:
            assert ref.stage == "treatment"  # the wijkteam's triage was the intake


def test_two_stages_add_up_to_the_wait(small_run):
    s = small_run.summary()
    assert s["mean_wait_to_intake_weeks"] + s["mean_wait_to_treatment_weeks"] == pytest.approx(
        s["mean_wait_weeks"], rel=1e-9)
    for row in small_run.care.starts:
        assert 0.0 <= row[6] <= row[1] + 1e-12
    by = s["wait_by_domain"]
    assert sum(v["starts"] for v in by.values()) == len(
        [r for r in small_run.care.starts if r[0] >= 52])


def test_urgent_referrals_wait_less_than_the_rest(small_run):
    rows = [r for r in small_run.care.starts if r[0] >= 52 and r[3] != LIGHT]
    urgent = np.array([r[1] for r in rows if r[2]])
    rest = np.array([r[1] for r in rows if not r[2]])
    assert urgent.size > 10 and rest.size > 10
    assert urgent.mean() < rest.mean()


def test_queue_validation_has_no_intake_stage_and_no_reviews():
    scenario = load_scenario("validation/mmc", ["run.weeks=200", "run.warmup_weeks=20"])
    model = SamenspelModel(scenario, seed=5)
    model.run_weeks(200)
    s = model.summary()
    assert s["mean_wait_to_intake_weeks"] == 0.0
    assert model.counters["care_goal_reached"] == 0
    assert all(not t.reviewed for t in model.care.trajectories.values())


def test_reviewed_care_ends_on_the_goal(small_run):
    c = small_run.counters
    assert c["care_goal_reached"] > 0
    assert 0.0 < small_run.summary()["care_goal_reached_share"] <= 1.0
    for traj in small_run.care.trajectories.values():
        assert traj.end <= traj.planned_end + small_run.params.progress.review_weeks * (
            traj.extensions + 1)
        assert traj.weight in (1, 2)


def test_stepped_up_care_holds_two_places(small_run):
    for org in small_run.orgs:
        held = np.zeros_like(org.occupied)
        for traj in small_run.care.trajectories.values():
            if traj.org is org:
                held[traj.slot] += traj.weight
        assert (held == org.occupied).all()


# -- levers ---------------------------------------------------------------------

def _with_waiting_decline(model: SamenspelModel) -> dict[str, float]:
    """Summary plus how much a problem grew between referral and the start of care."""
    out = dict(model.summary())
    warm = model.params.run.warmup_weeks
    rows = [r for r in model.care.starts if r[0] >= warm and r[3] != LIGHT]
    out["decline_while_waiting"] = float(np.mean([r[5] - r[4] for r in rows]))
    out["light_starts"] = out["wait_by_domain"]["light_help"]["starts"]
    out["light_wait"] = out["wait_by_domain"]["light_help"]["total"]
    out["placements"] = sum(v for k, v in model.counters.items() if k.startswith("placements_"))
    return out


@pytest.mark.slow
def test_bridging_care_slows_decline_but_the_wijkteams_own_list_waits_longer():
    # A one-person team per neighbourhood giving an hour a week to every waiting family.
    thin = ("wijkteam.generalists_per_1000_families=1.2",)
    on = ("bridging.enabled=true", "bridging.hours_per_family=1.0")
    # Ten seeds: a one-person team's light list is long in some seeds and short in others.
    ten = {**SHORT, "seeds": tuple(range(1, 11))}
    slowed = paired("decline_while_waiting", thin, on, measure=_with_waiting_decline, **ten)
    assert slowed.down, slowed
    # The hours come from the wijkteam's light help: its own list waits several times longer.
    light = paired("light_wait", thin, on, measure=_with_waiting_decline, log=True, **ten)
    assert light.up, light


def test_the_first_door_pays_for_every_week_it_sees_a_family_through():
    """No Wrong Door: each referral the first door sees through costs that door, not the
    wijkteam, its weekly hours - until the right care starts or the door is gone."""
    model = SamenspelModel(load_scenario("integraal", [
        "population.families=3000", "population.neighbourhoods=6", "providers.count=6",
        "cooperation.misreferral=0.3", "bridging.enabled=false"]), seed=4)
    model.run_weeks(104)
    fam, hours = model.families, model.params.cooperation.no_wrong_door_hours
    seen = [r for refs in model.care.waiting.values() for r in refs if r.seen_by is not None
            and r.domain != LIGHT and fam.care_prof[r.family, r.domain] < 0]
    assert seen, "nobody is being seen through"
    before = {org: org.extra_coordination for org in model.orgs}
    model.bridging.week()
    booked = {org: org.extra_coordination - before[org] for org in model.orgs}
    for org in model.orgs:
        assert booked[org] == pytest.approx(hours * sum(r.seen_by is org for r in seen))
    assert all(model.bridging.rate[r.family, r.domain] > 0 for r in seen)
    model.bankrupt()  # the providers are rebuilt: the first doors are gone
    model.bridging.week()
    assert not any(r.seen_by for refs in model.care.waiting.values() for r in refs)


def _wrong_doors(model: SamenspelModel) -> dict[str, float]:
    """Starts of specialist care after the warm-up: of the families that reached it by
    way of a wrong door, and of the right door's own families."""
    warm = model.params.run.warmup_weeks
    rows = [r for r in model.care.starts if r.week >= warm and r.slot != LIGHT]
    sent_on = [r for r in rows if r.via_wrong_door]
    own = [r for r in rows if not r.via_wrong_door]
    return {"sent_on_severity_at_start": float(np.mean([r.severity_at_start for r in sent_on])),
            "own_wait": float(np.mean([r.wait for r in own]))}


# A wijkteam that refers more than half of its families to the wrong door; sixteen seeds,
# since the right doors' own families are a subgroup and their waits vary.
OFTEN_WRONG = ("cooperation.misreferral=0.6",)
NWD_TOWN = dict(weeks=312, warmup=156, seeds=tuple(range(1, 17)), measure=_wrong_doors)


def test_no_referral_starts_care_before_the_week_that_runs_it():
    """The referral keeps its first door's place in the queue, not its time: it joins the
    right list when it is made, and what it starts, starts then - not weeks back, at the
    first door's time. Nor does any other referral: one made after a week's care flow
    (a plan extended, a referral by the certified institution) joins the next week's at
    its start, and one made by an end late in the week joins that week."""
    model = SamenspelModel(load_scenario("integraal", [
        "population.families=3000", "population.neighbourhoods=6", "providers.count=6",
        "cooperation.misreferral=0.3"]), seed=5)
    kept = 0
    for _ in range(104):
        week, known = model.week, set(model.care.trajectories)
        model.step()
        new = [t for i, t in model.care.trajectories.items() if i not in known]
        assert all(t.start >= week for t in new), min(t.start for t in new)
        kept += sum(1 for refs in model.care.waiting.values() for r in refs
                    if r.via_wrong_door and r.arrival < week)
    assert kept, "no referral kept an earlier place"


@pytest.mark.slow
def test_no_wrong_door_helps_families_from_a_wrong_door_but_a_door_that_cannot_help_costs():
    """Seen through, a family sent on from a wrong door is helped by that door while it
    waits, and starts its care with a less severe problem (ODD 7.6d). A first door with no
    expertise for the problem helps nothing, and staying in touch by a weekly visit
    (three hours) takes the hours its own clients need: with more than half of the
    families at a wrong door, the families who came to the right door wait longer."""
    nwd = ("cooperation.no_wrong_door=true",)
    helped = paired("sent_on_severity_at_start", OFTEN_WRONG, nwd,
                    **{**NWD_TOWN, "seeds": tuple(range(1, 9))})
    assert helped.down, helped
    no_help = (*nwd, "bridging.effect=0", "cooperation.no_wrong_door_hours=3")
    own = paired("own_wait", OFTEN_WRONG, no_help, log=True, **NWD_TOWN)
    assert own.up, own
    still = paired("sent_on_severity_at_start", OFTEN_WRONG, no_help, **NWD_TOWN)
    assert not still.down, still


@pytest.mark.slow
def test_better_care_now_shortens_trajectories_and_waits():
    better = ("providers.care_effect=0.05",)
    seven = {**SHORT, "seeds": tuple(range(1, 8))}  # a trajectory's length varies by seed
    length = paired("mean_trajectory_weeks", (), better, **seven)
    assert length.down, length
    wait = paired("mean_wait_weeks", (), better, **seven)
    assert wait.down, wait


@pytest.mark.slow
def test_crisis_service_prevents_placements_but_is_standby_cost_where_crises_are_rare():
    off = ("crisis_service.workers_per_10000_children=0",)
    on = ("crisis_service.workers_per_10000_children=2",)
    placements = paired("placements", off, on, measure=_with_waiting_decline, **SHORT)
    assert placements.down, placements
    calm = ("access.escalation_per_week=0", *off)
    cost = paired("cost_per_year_eur", calm, on, measure=_with_waiting_decline,
                  **{**SHORT, "seeds": (1, 2)})
    assert cost.up, cost
