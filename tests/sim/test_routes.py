"""Referral routes: every start has one referrer, the CBS mix, bypassing the plan, levers.

The lever tests are paired runs (tests/sim/paired.py): each lever wins
somewhere and loses somewhere, for a mechanism named in its test.
"""

from __future__ import annotations

import statistics

import numpy as np
import pytest
from paired import paired, runs

from sim.model import SamenspelModel
from sim.routes import CBS_SHARES, Route, referrer_shares, youth_start
from sim.scenario import load_scenario
from sim.waiting_list import LIGHT

WEEKS, WARMUP = 260, 104
SEEDS = (1, 2, 3, 4)
POH = ("routes.poh_jeugd=true",)
INTEGRAL = ("cooperation.mode=integral",)


def measure(model: SamenspelModel) -> dict[str, float]:
    """Referrer shares, specialist starts, plans and the wijkteam's load after the warm-up."""
    out = {f"share_{k}": v for k, v in referrer_shares(model, WARMUP).items()}
    rows = [r for r in model.routes.starts if r[0] >= WARMUP]
    youth = [r for r in rows if youth_start(r[2])]
    out["specialist_starts"] = sum(1 for r in rows if r[2] != LIGHT)
    out["integral_share"] = float(np.mean([r[3] for r in youth]))
    out["gp_starts_with_plan"] = sum(1 for r in rows if r[1] == Route.HUISARTS and r[3])
    out["gp_starts"] = sum(1 for r in rows if r[1] == Route.HUISARTS)
    out["wijkteam_plans"] = sum(1 for r in rows if r[1] == Route.WIJKTEAM and r[3])
    light = [s[1] for s in model.care.starts if s[0] >= WARMUP and s[3] == LIGHT]
    out["light_wait_weeks"] = float(np.mean(light)) if light else 0.0
    out["coordination_time_share"] = model.summary()["coordination_time_share"]
    out["signals"] = sum(1 for e in model.events
                         if e["week"] >= WARMUP and e["kind"] in ("route", "poh_help"))
    cases = [c for c in model.routes.poh_cases if WARMUP <= c[0] <= model.week - 80]
    out["poh_return_hidden"] = _mean([c[2] for c in cases if c[3]])
    out["poh_return_in_view"] = _mean([c[2] for c in cases if not c[3]])
    return out


def _mean(values: list[int]) -> float:
    """Mean, or 0 without cases (a run without a POH), so paired differences stay defined."""
    return statistics.fmean(values) if values else 0.0


def pair(key: str, base: tuple[str, ...], change: tuple[str, ...]):
    return paired(key, base, change, seeds=SEEDS, weeks=WEEKS, warmup=WARMUP, measure=measure)


def town(key: str, base: tuple[str, ...] = ()) -> tuple[float, ...]:
    """`key` in the town's runs without a lever (the base runs of `pair`)."""
    return runs(key, base, seeds=SEEDS, weeks=WEEKS, warmup=WARMUP, measure=measure)


# -- invariants ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small() -> SamenspelModel:
    scenario = load_scenario("baseline", ["population.families=1500",
                                          "population.neighbourhoods=3", "providers.count=8",
                                          "run.weeks=120", "run.warmup_weeks=40"])
    model = SamenspelModel(scenario, seed=3)
    model.run_weeks(120)
    return model


def test_every_start_has_exactly_one_referrer(small: SamenspelModel) -> None:
    assert len(small.routes.starts) == len(small.care.starts) > 0
    assert all(r[0] == s[0] and r[2] == s[3]
               for r, s in zip(small.routes.starts, small.care.starts, strict=True))
    assert {r[1] for r in small.routes.starts} <= {int(r) for r in Route}


def test_referrer_shares_add_up_to_one_and_are_in_the_summary(small: SamenspelModel) -> None:
    shares = small.summary()["referrer_shares"]
    assert set(shares) == {r.key for r in Route}
    assert sum(shares.values()) == pytest.approx(1.0)
    assert all(0.0 <= v <= 1.0 for v in shares.values())


def test_a_family_helped_by_the_poh_opens_no_episode() -> None:
    scenario = load_scenario("baseline", ["population.families=1500",
                                          "population.neighbourhoods=3", "providers.count=8",
                                          *POH])
    model = SamenspelModel(scenario, seed=2)
    model.run_weeks(60)
    helped = [e for e in model.events if e["kind"] == "poh_help"]
    assert helped, "no family was helped by the POH-jeugd"
    first = helped[0]
    same_week = [e["kind"] for e in model.timeline(first["family"]) if e["week"] == first["week"]]
    assert "signal" not in same_week and "triage" not in same_week


# -- the CBS mix and the plan a GP bypasses -------------------------------------------------

@pytest.mark.slow
def test_the_baseline_reproduces_the_cbs_referrer_mix() -> None:
    """CBS StatLine 85096NED (2021), placements counted as starts as CBS counts them: under
    a court order the GI is their referrer (see docs/ODD.md)."""
    measured = {r: statistics.fmean(town(f"share_{r.key}")) for r in Route}
    for r in Route:
        assert abs(measured[r] - CBS_SHARES[r]) < 0.05, (r, measured)


@pytest.mark.slow
def test_a_gp_referral_bypasses_the_integral_plan() -> None:
    """Working integrally, the wijkteam makes plans, but the GP's starts still have none."""
    gp = town("gp_starts", INTEGRAL)
    with_plan = town("gp_starts_with_plan", INTEGRAL)
    plans = town("wijkteam_plans", INTEGRAL)
    assert min(gp) > 0 and max(with_plan) == 0 and min(plans) > 0


# -- levers ----------------------------------------------------------------------------------

@pytest.mark.slow
def test_poh_jeugd_wins_fewer_specialist_starts() -> None:
    """Light cases stay at the practice instead of going to a provider."""
    effect = pair("specialist_starts", (), POH)
    assert effect.down, str(effect)


@pytest.mark.slow
def test_poh_jeugd_loses_families_come_back() -> None:
    """Short help judged on what a practice sees: families knock again, and those with debt,
    school, safety or housing problems behind the child's return about twice as often."""
    effect = pair("signals", (), POH)
    assert effect.up, str(effect)
    hidden = statistics.fmean(pair("poh_return_hidden", (), POH).changed)
    in_view = statistics.fmean(pair("poh_return_in_view", (), POH).changed)
    assert hidden > 1.5 * in_view, (hidden, in_view)


@pytest.mark.slow
def test_gp_agreements_win_more_starts_under_one_plan() -> None:
    effect = pair("integral_share", INTEGRAL, ("routes.gp_agreements=true",))
    assert effect.up, str(effect)


@pytest.mark.slow
def test_gp_agreements_lose_the_wijkteam_carries_more() -> None:
    """More families through triage and more plans to coordinate: the wijkteam's own light
    help waits longer and more hours go to coordination."""
    change = ("routes.gp_agreements=true",)
    assert pair("light_wait_weeks", INTEGRAL, change).up
    assert pair("coordination_time_share", INTEGRAL, change).up


@pytest.mark.slow
def test_a_wijkteam_at_the_practice_wins_plans_and_loses_its_own_light_help() -> None:
    """The GP passes most families to the generalist at the practice, so they come under
    the wijkteam's integral plan instead of going straight to a provider. But the hours at
    the practices and the families passed on come from the same wijkteam: the families it
    already had wait longer for its light help."""
    change = ("routes.wijkteam_at_gp=true",)
    plans = pair("integral_share", INTEGRAL, change)
    assert plans.up, str(plans)
    light = pair("light_wait_weeks", INTEGRAL, change)
    assert light.up, str(light)
