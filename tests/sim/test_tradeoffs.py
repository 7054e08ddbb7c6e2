"""Every lever can lose: each test shows a lever's gain and, where it has one, its price.

Runs a scaled-down municipality (4,000 families) over several seeds and
compares means; each assertion message prints the effect size, so a failing
run says by how much the model disagreed.
"""

from __future__ import annotations

import statistics
from functools import cache

import numpy as np
import pytest

from sim.model import SamenspelModel
from sim.scenario import load_scenario
from sim.states import Ending

pytestmark = pytest.mark.slow

SEEDS = (1, 2, 3)
WEEKS, WARMUP = 260, 130
TOWN = ("population.families=4000", "population.neighbourhoods=8", "providers.count=8",
        f"run.weeks={WEEKS}", f"run.warmup_weeks={WARMUP}")


def _after_warmup(model: SamenspelModel) -> list[list]:
    return [e for e in model.episodes if e[2] >= WARMUP]


def metrics(model: SamenspelModel) -> dict[str, float]:
    """The summary plus figures some levers need: multi-problem families, waiting decline."""
    out = dict(model.summary())
    mp = model.families.multi_problem
    eps = [e for e in _after_warmup(model) if mp[e[0]]]
    settled = [e for e in eps if e[2] <= WEEKS - 52 and e[3] == Ending.ENDED]
    out["mp_retold"] = statistics.fmean(e[7] for e in eps) if eps else float("nan")
    out["mp_plans"] = statistics.fmean(e[8] for e in eps) if eps else float("nan")
    out["mp_relapse"] = statistics.fmean(e[5] for e in settled) if settled else float("nan")
    starts = [s for s in model.care.starts if s[0] >= WARMUP and s[1] > 1.0]
    out["severity_change_per_waiting_week"] = statistics.fmean(
        (s[5] - s[4]) / s[1] for s in starts) if starts else float("nan")
    out["episodes_per_1000_per_year"] = (
        sum(1 for s in model.episode_starts if s[0] >= WARMUP)
        / (model.families.n / 1000) / ((WEEKS - WARMUP) / 52))
    kpi = model.kpi_frame()
    year = kpi[(kpi.index > WARMUP) & (kpi.index <= WARMUP + 52)]
    out["rating_first_year"] = float(year["client_rating"].mean())
    out["wait_first_year"] = float(year["mean_wait_weeks"].mean())
    out["satisfaction_first_year"] = float(year["professional_satisfaction"].mean())
    out["total_waiting"] = float((kpi["waiting_families"] + kpi["hidden_waiting_families"])
                                 [kpi.index > WARMUP].mean())
    return out


@cache
def run(overrides: tuple[str, ...], seed: int, actions: tuple = ()) -> dict[str, float]:
    scenario = load_scenario("baseline", list(TOWN) + list(overrides))
    model = SamenspelModel(scenario, seed=seed, actions=[dict(a) for a in actions])
    model.run_weeks(WEEKS)
    return metrics(model)


def mean(key: str, overrides: tuple[str, ...] = (), actions: tuple = ()) -> float:
    return statistics.fmean(run(tuple(overrides), s, actions)[key] for s in SEEDS)


def compare(key: str, a: tuple, b: tuple, a_actions: tuple = (), b_actions: tuple = ()):
    """(mean under a, mean under b, text for an assertion message)."""
    va, vb = mean(key, a, a_actions), mean(key, b, b_actions)
    rel = (vb - va) / abs(va) if va else float("inf")
    return va, vb, f"{key}: {va:.4g} -> {vb:.4g} ({rel:+.1%}) over seeds {SEEDS}"


# -- integral versus fragmented ---------------------------------------------------

MANY_MP = ("population.multi_problem_share=0.08",)
INTEGRAL = ("cooperation.mode=integral", "cooperation.shared_dossier=true")


@pytest.mark.parametrize("key", ["mp_retold", "mp_plans", "mp_relapse"])
def test_integral_work_helps_multi_problem_families(key):
    frag, integ, msg = compare(key, MANY_MP, MANY_MP + INTEGRAL)
    assert integ < frag, msg


def test_integral_work_costs_waiting_time_when_few_families_need_it():
    few = ("population.multi_problem_share=0.0",)
    frag, integ, msg = compare("mean_wait_weeks", few, few + INTEGRAL)
    assert integ > frag, msg


# -- pooled budget ----------------------------------------------------------------

def test_pooled_budget_removes_silo_blocked_waiting():
    silos, pooled, msg = compare("silo_blocked_waiting_weeks", (), ("funding.pooled=true",))
    assert silos > 0 and pooled == 0, msg


def test_pooled_budget_loses_control_over_spending_per_field():
    # Capped silos stop at their budget; pooled, the same fields spend past it.
    silos, pooled, msg = compare("capped_silo_spend_share", (), ("funding.pooled=true",))
    assert pooled > silos, msg


# -- many providers versus a few partners --------------------------------------------

@pytest.mark.parametrize("key", ["mean_wait_weeks", "admin_time_share"])
def test_the_same_capacity_over_many_providers_waits_longer_and_costs_more_admin(key):
    few, many, msg = compare(key, ("providers.count=3",), ("providers.count=24",))
    assert many > few, msg


# -- top-down and bottom-up innovation -------------------------------------------------

def project(fit: float) -> tuple:
    return (tuple({"week": WARMUP, "kind": "top_down_project", "cost_eur": 600_000.0,
                   "fit": fit, "rollout_weeks": 4}.items()),)


def test_a_top_down_project_that_fits_changes_outcomes_within_a_year():
    # A system that fits takes paperwork away: more hours for care, shorter waits at once.
    none, good, msg = compare("wait_first_year", (), (), (), project(0.25))
    assert good < 0.9 * none, msg


def test_a_top_down_project_that_fits_badly_costs_money_and_morale():
    none, bad, msg = compare("cost_per_year_eur", (), (), (), project(-0.25))
    assert bad > none, msg
    none, bad, msg = compare("satisfaction_first_year", (), (), (), project(-0.25))
    assert bad < none, msg


TRUST = ("management.style=0.85", "management.experimentation_hours=2.5")


def test_bottom_up_ideas_spread_with_time_trust_and_sharing():
    control, trust, msg = compare("innovation_spread", ("management.style=0.0",),
                                  TRUST + ("innovation.knowledge_sharing=0.7",))
    assert trust > 10 * max(control, 1.0), msg
    assert control <= 2, msg
    closed, shared, msg = compare("innovation_spread",
                                  TRUST + ("innovation.knowledge_sharing=0.0",),
                                  TRUST + ("innovation.knowledge_sharing=0.9",))
    assert shared > closed, msg
    no_time, _, msg = compare("innovations_adopted",
                              TRUST[:1] + ("management.experimentation_hours=0.0",), TRUST)
    assert no_time == 0, msg


# -- contract types -------------------------------------------------------------------

def test_paying_per_hour_lengthens_trajectories():
    per_traj, per_hour, msg = compare("mean_trajectory_weeks", ("funding.contract=per_trajectory",),
                                      ("funding.contract=per_hour",))
    assert per_hour > per_traj, msg


def test_paying_per_trajectory_raises_relapse():
    per_hour, per_traj, msg = compare("relapse_share", ("funding.contract=per_hour",),
                                      ("funding.contract=per_trajectory",))
    assert per_traj > per_hour, msg


def test_a_lump_sum_buys_prevention():
    per_hour, lump, msg = compare("episodes_per_1000_per_year", ("funding.contract=per_hour",),
                                  ("funding.contract=lump_sum",))
    assert lump < per_hour, msg


def test_a_lump_sum_that_is_too_low_hides_a_growing_waiting_list():
    enough = ("funding.contract=lump_sum", "funding.lump_sum_share=1.0")
    low = ("funding.contract=lump_sum", "funding.lump_sum_share=0.6")
    _, hidden, msg = compare("mean_hidden_waiting_families", enough, low)
    assert hidden > 0, msg
    ok, short, msg = compare("total_waiting", enough, low)
    assert short > ok, msg
    registered = mean("mean_waiting_families", low)
    assert hidden > 0.2 * registered, f"hidden {hidden:.1f} vs registered {registered:.1f}"


# -- participation ----------------------------------------------------------------------

def test_online_self_help_slows_decline_while_waiting():
    without, with_help, msg = compare("severity_change_per_waiting_week", (),
                                      ("participation.online_self_help=true",))
    assert with_help < without, msg
    assert np.isfinite(with_help), msg


# -- access and network intelligence ------------------------------------------------------

def test_pull_with_cream_skimming_hides_how_long_urgent_cases_wait():
    # Providers picking easy (short) cases lower the mean wait, while the urgent
    # cases wait as long or longer: the mean hides them.
    central = ("access.waiting_list=central",)
    push_rule = central + ("access.allocation=push",)
    pull_rule = central + ("access.allocation=pull", "access.cream_skimming=0.8")
    push, pull, msg = compare("mean_wait_weeks", push_rule, pull_rule)
    assert pull < push, msg
    push_urgent, pull_urgent, msg_urgent = compare("urgent_waiting_weeks", push_rule, pull_rule)
    assert pull_urgent / pull > 1.2 * push_urgent / push, f"{msg}; {msg_urgent}"


def test_teams_that_see_each_others_results_spread_what_works_faster():
    base = TRUST + ("innovation.knowledge_sharing=0.3",)
    seen = base + ("innovation.transparency=true",)
    closed, open_, msg = compare("innovation_spread", base, seen)
    assert open_ > closed, msg
