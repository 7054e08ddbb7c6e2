"""Every lever wins somewhere and has a price: paired runs, asserted on 95 % intervals.

Each test runs a town (4,000 families, 8 neighbourhoods, 8 providers) on the
same seeds with and without one change (tests/sim/paired.py) and asserts on
the interval of the per-seed differences, never on a bare mean. Levers with
tests of their own elsewhere: capacity and integral staffing
(test_capacity.py), money, caps, pooling and contract kinds (test_money.py),
transparency and parents as case managers (test_honest_kpis.py), urgency,
bridging, crisis service and care on progress (test_waits_progress.py),
referral routes (test_routes.py) and the protection chain
(test_protection.py).
"""

from __future__ import annotations

import statistics

import pytest
from paired import TOWN, paired

from sim.model import SamenspelModel
from sim.scenario import load_scenario
from sim.states import Ending

pytestmark = pytest.mark.slow

SEEDS = (1, 2, 3, 4, 5)
WEEKS, WARMUP = 260, 130


def measure(model: SamenspelModel) -> dict[str, float]:
    """The summary plus what some levers need: multi-problem families, waiting decline."""
    out = dict(model.summary())
    mp = model.families.multi_problem
    eps = [e for e in model.episodes if e[2] >= WARMUP and mp[e[0]]]
    settled = [e for e in eps if e[2] <= WEEKS - 52 and e[3] == Ending.ENDED]
    out["mp_retold"] = statistics.fmean(e[7] for e in eps) if eps else float("nan")
    out["mp_relapse"] = statistics.fmean(e[5] for e in settled) if settled else float("nan")
    starts = [s for s in model.care.starts if s[0] >= WARMUP and s[1] > 1.0]
    out["severity_change_per_waiting_week"] = statistics.fmean(
        (s[5] - s[4]) / s[1] for s in starts) if starts else float("nan")
    out["episodes_per_1000_per_year"] = (
        sum(1 for s in model.episode_starts if s[0] >= WARMUP)
        / (model.families.n / 1000) / ((WEEKS - WARMUP) / 52))
    kpi = model.kpi_frame()
    year = kpi[(kpi.index > WARMUP) & (kpi.index <= WARMUP + 52)]
    out["wait_first_year"] = float(year["mean_wait_weeks"].mean())
    out["satisfaction_first_year"] = float(year["professional_satisfaction"].mean())
    out["total_waiting"] = float((kpi["waiting_families"] + kpi["hidden_waiting_families"])
                                 [kpi.index > WARMUP].mean())
    return out


def effect(key: str, base: tuple[str, ...], change: tuple[str, ...], actions: tuple = (),
           log: bool = False, seeds: tuple[int, ...] = SEEDS):
    return paired(key, base, change, seeds=seeds, weeks=WEEKS, warmup=WARMUP,
                  actions=actions, measure=measure, log=log)


# -- integral versus fragmented ---------------------------------------------------
# (its price, trajectbegeleiders taken from the wijkteam's light help: test_capacity.py)

MANY_MP = ("population.multi_problem_share=0.08",)
INTEGRAL = ("cooperation.mode=integral", "cooperation.shared_dossier=true")


def test_integral_work_helps_multi_problem_families():
    """One plan and one dossier: multi-problem families tell their story less often,
    and families rate the help higher for what they experienced (no bonus for the plan:
    the rating reads the wait, the retold stories, continuity and the outcome)."""
    eight = tuple(range(1, 9))  # the rating's gain is a tenth of a point: eight seeds
    retold = effect("mp_retold", MANY_MP, INTEGRAL, seeds=eight)
    assert retold.down, retold
    rating = effect("client_rating", MANY_MP, INTEGRAL, seeds=eight)
    assert rating.up, rating


# -- many providers versus a few partners --------------------------------------------

def test_the_same_capacity_over_many_providers_waits_longer_and_costs_more_admin():
    """Many small providers: places split into small pools, and each contract has its
    own paperwork. (One test for both, so the same sixteen runs serve both.)"""
    # Waits vary more from seed to seed than paperwork: six seeds for a clear interval.
    for key in ("mean_time_on_list_weeks", "admin_time_share"):
        e = effect(key, ("providers.count=3",), ("providers.count=24",), log=True,
                   seeds=tuple(range(1, 7)))
        assert e.up, e


# -- top-down and bottom-up innovation -------------------------------------------------

FEW = SEEDS[:3]  # a top-down project's effects lie five and eighty half-widths from zero


def project(fit: float) -> tuple:
    return (tuple({"week": WARMUP, "kind": "top_down_project", "cost_eur": 600_000.0,
                   "fit": fit, "rollout_weeks": 4}.items()),)


def test_a_top_down_project_that_fits_shortens_waits_within_a_year():
    """A system that fits takes paperwork away: more hours for care, shorter waits."""
    e = effect("wait_first_year", (), (), project(0.25), seeds=FEW)
    assert e.down, e


def test_a_top_down_project_that_fits_badly_costs_morale():
    """A system that does not fit the work adds paperwork: professionals like their
    work less in the year it arrives (its price in euros is booked whatever it fits)."""
    morale = effect("satisfaction_first_year", (), (), project(-0.25), seeds=FEW)
    assert morale.down, morale


TRUST = ("management.style=0.85", "management.experimentation_hours=2.5")


def test_bottom_up_ideas_spread_with_trust_and_sharing_and_need_time():
    """Ideas are tried where there is room and trust, spread where teams share; without
    hours to experiment nothing is adopted, whatever the trust."""
    # Spread differs by an order of magnitude: three seeds give a clear interval.
    spread = effect("innovation_spread", ("management.style=0.0",),
                    TRUST + ("innovation.knowledge_sharing=0.7",), seeds=(1, 2, 3))
    assert spread.up, spread
    shared = effect("innovation_spread", TRUST + ("innovation.knowledge_sharing=0.0",),
                    ("innovation.knowledge_sharing=0.9",), seeds=(1, 2, 3))
    assert shared.up, shared
    no_time = SamenspelModel(load_scenario("baseline", [
        *TOWN, f"run.weeks={WEEKS}", f"run.warmup_weeks={WARMUP}", *TRUST,
        "innovation.knowledge_sharing=0.9",
        "management.experimentation_hours=0.0"]), seed=1)
    no_time.run_weeks(WEEKS)
    assert no_time.summary()["innovations_adopted"] == 0


# -- contract kinds ---------------------------------------------------------------------

def test_paying_per_hour_lengthens_trajectories_and_per_trajectory_more_families_relapse():
    """Each contract wins what the other loses: paid per hour, care runs longer; paid a
    fixed fee per trajectory, it ends earlier and more families come back. Every provider
    has the same contract, so the two compare the same domains (contract kind is assigned
    apart from domain). One test, so the two contracts' runs are made once."""
    per_trajectory, per_hour = ("funding.contract=per_trajectory",), ("funding.contract=per_hour",)
    longer = effect("mean_trajectory_weeks", per_trajectory, per_hour)
    assert longer.up, longer
    relapse = effect("relapse_share", per_trajectory, per_hour)
    assert relapse.down, relapse  # per trajectory relapses more than per hour


def test_a_task_based_budget_buys_prevention():
    e = effect("episodes_per_1000_per_year", ("funding.contract=per_hour",),
               ("funding.contract=lump_sum",))
    assert e.down, e


def test_a_task_based_budget_that_is_too_low_hides_a_growing_waiting_list():
    enough = ("funding.contract=lump_sum", "funding.lump_sum_share=1.0")
    low = ("funding.lump_sum_share=0.6",)
    hidden = effect("mean_hidden_waiting_families", enough, low)
    assert hidden.up, hidden
    total = effect("total_waiting", enough, low)
    assert total.up, total
    registered = statistics.fmean(hidden.changed) / statistics.fmean(
        effect("mean_waiting_families", enough, low).changed)
    assert registered > 0.2, f"hidden per registered waiting family: {registered:.2f}"


# -- participation ----------------------------------------------------------------------

def test_online_self_help_slows_decline_while_waiting():
    """Self-help slows a waiting family's decline a little against the spread between
    towns: eight paired seeds."""
    e = effect("severity_change_per_waiting_week", (), ("participation.online_self_help=true",),
               seeds=tuple(range(1, 9)))
    assert e.down, e


# -- access --------------------------------------------------------------------------

def test_providers_that_pick_easy_cases_make_urgent_cases_wait_without_an_urgency_rule():
    """Pull with cream skimming and no urgency rule: a provider with a free place takes
    the easiest of the first cases, so the most severe wait longer while the mean wait
    hides it. (With `waits.urgency`, the default, urgent cases are served first.)"""
    push = ("access.waiting_list=central", "waits.urgency=false", "access.allocation=push")
    pull = ("access.allocation=pull", "access.cream_skimming=0.8")
    # One seed's urgent cases may be few: eight seeds for a clear interval.
    eight = tuple(range(1, 9))
    urgent = effect("urgent_waiting_weeks", push, pull, seeds=eight)
    assert urgent.up, urgent
    mean = effect("mean_wait_weeks", push, pull, seeds=eight)
    assert not mean.up, mean
