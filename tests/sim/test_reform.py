"""The Hervormingsagenda's levers: invariants, and each lever winning and losing.

Lever tests are paired runs (tests/sim/paired.py): the same seeds with and
without the lever, asserted on the 95 % interval of the differences. Each
lever wins somewhere and loses somewhere, for a mechanism named in its test.
"""

from __future__ import annotations

import numpy as np
import pytest
from paired import paired

from sim import kpis, protection
from sim.domains import SILOS
from sim.model import SamenspelModel
from sim.scenario import load_scenario
from sim.states import Ending
from sim.waiting_list import LIGHT

WEEKS, WARMUP = 260, 104
SEEDS = (1, 2, 3, 4, 5)
SEEDS12 = tuple(range(1, 13))  # for effects that five paired seeds cannot separate from noise
REACH = ("reform.jeugdhulp_reach=0.45",)
CONTRIBUTION = ("reform.own_contribution_per_week=80",)
# About half the residential places the test town fills without a limit (12.7 per 10,000).
FEWER_PLACES = ("reform.residential_places_per_10000_children=6",)
STRONG_TEAMS = ("reform.generalist_teams=true", "reform.generalist_threshold=0.7")


def _crisis_weeks(model: SamenspelModel, families: np.ndarray | None = None) -> int:
    """Crises after the warm-up, as (family, week) pairs (a crisis logs more than one event)."""
    seen = {(e["family"], e["week"]) for e in model.events
            if e["week"] >= WARMUP and (e["kind"] == "crisis" or (
                e["kind"] == "vt_report" and e.get("source") == "crisis"))}
    if families is None:
        return len(seen)
    return sum(1 for f, _ in seen if families[f])


def measure(model: SamenspelModel) -> dict[str, float]:
    s = model.summary()
    starts = [x for x in model.care.starts if x.week >= WARMUP]
    specialist = [x.wait for x in starts if x.slot != LIGHT]
    light = [x.wait for x in starts if x.slot == LIGHT]
    paying = model.incomes.rank < model.params.reform.paying_share
    return {
        "cost_per_year_eur": s["cost_per_year_eur"],
        "relapse_share": s["relapse_share"],
        "specialist_starts": float(len(specialist)),
        "specialist_wait_weeks": float(np.mean(specialist)),
        "light_wait_weeks": float(np.mean(light)) if light else 0.0,
        "mean_wait_weeks": s["mean_wait_weeks"],
        "crises": float(_crisis_weeks(model)),
        "crises_above_income_limit": float(_crisis_weeks(model, paying)),
        "protection_cost_eur": model.counters["protection_cost_eur"],
        "placed_child_weeks": float(model.counters["placed_child_weeks"]),
        "placement_breakdowns": float(model.counters["placement_breakdowns"]),
    }


def pair(key: str, change: tuple[str, ...], base: tuple[str, ...] = (), log: bool = False,
         seeds: tuple[int, ...] = SEEDS):
    return paired(key, base, change, seeds=seeds, weeks=WEEKS, warmup=WARMUP,
                  measure=measure, log=log)


# -- invariants ----------------------------------------------------------------------

def small(*overrides: str, seed: int = 4, weeks: int = 150) -> SamenspelModel:
    scenario = load_scenario("baseline", ["population.families=1500",
                                          "population.neighbourhoods=3", "providers.count=8",
                                          "run.warmup_weeks=40", *overrides])
    model = SamenspelModel(scenario, seed=seed)
    model.run_weeks(weeks)
    return model


def test_no_residential_group_holds_more_children_than_its_places() -> None:
    """Checked every week: the cap binds, and a child who needed a place went family-like."""
    scenario = load_scenario("baseline", ["population.families=1500",
                                          "population.neighbourhoods=3", "providers.count=8",
                                          "reform.residential_places_per_10000_children=6"])
    model = SamenspelModel(scenario, seed=2)
    places = protection.residential_places(model)
    for _ in range(150):
        model.step()
        assert (model.protection.kind == protection.RESIDENTIAL).sum() <= places
    assert model.counters["residential_full"] > 0
    mismatched = model.protection.mismatched & model.protection.placed()
    kinds = model.protection.kind[mismatched]
    assert set(kinds.tolist()) <= {protection.FOSTER, protection.GEZINSHUIS}


def test_only_families_above_the_income_limit_pay_or_decline() -> None:
    """Declines are of youth care only; with nobody above the limit, nobody pays or declines."""
    model = small(*CONTRIBUTION)
    declined = [e for e in model.events if e["kind"] == "declined"]
    assert declined, "nobody declined a referral"
    assert {e["domain"] for e in declined} <= {"opvoeding", "jeugd_ggz", "beperking",
                                               "veiligheid"}
    nobody = small(*CONTRIBUTION, "reform.paying_share=0")
    assert nobody.counters["declined_referrals"] == 0
    assert nobody.counters["contributions_eur"] == 0


def test_an_episode_without_care_is_not_rated() -> None:
    """Client surveys ask those who had care: advice or a declined offer has no rating."""
    model = small(*REACH, *CONTRIBUTION)
    warm, last = model.params.run.warmup_weeks, model.week - 1
    ended = kpis._episodes_ended(model, warm, last)
    assert any(e.ending in (Ending.ADVISED, Ending.DECLINED) for e in ended)
    rated = [e.rating for e in ended if e.ending not in (Ending.ADVISED, Ending.DECLINED)]
    assert model.summary()["client_rating"] == pytest.approx(float(np.mean(rated)))


def test_contributions_come_back_to_the_youth_silo_less_their_collection() -> None:
    """Money balances: the same run with a dearer collection spends exactly the extra
    collection cost more from the youth silo, and receives the same contributions."""
    cheap = small(*CONTRIBUTION, weeks=80)
    dear = small(*CONTRIBUTION, "reform.collection_cost_per_week=20", weeks=80)
    received = cheap.counters["contributions_eur"]
    assert received > 0 and dear.counters["contributions_eur"] == received
    extra = dear.counters["collection_cost_eur"] - cheap.counters["collection_cost_eur"]
    assert extra > 0
    jeugd = SILOS.index("jeugd")
    spent = dear.budget.spent_total[jeugd] - cheap.budget.spent_total[jeugd]
    assert spent == pytest.approx(extra)


# -- the levers: each test runs one pair of runs per seed, for the win and the loss ----------

@pytest.mark.slow
def test_reach_wins_places_and_money_but_untreated_problems_come_back() -> None:
    """Mild youth problems no longer go to a provider: fewer starts there and lower cost.
    What light help or advice does not solve keeps growing: more families are back within
    a year, and more tip into a crisis."""
    assert pair("specialist_starts", REACH, log=True).down
    assert pair("cost_per_year_eur", REACH).down
    assert pair("relapse_share", REACH).up
    # Crises are few and vary from seed to seed: six paired seeds.
    crises = pair("crises", REACH, seeds=tuple(range(1, 7)))
    assert crises.up, str(crises)


@pytest.mark.slow
def test_contribution_wins_money_but_declined_care_ends_in_crises() -> None:
    """Contributions less their collection go back to the youth silo, and declined care
    costs nothing. Care avoidance: families above the income limit that turned care down
    have more crises (families below the limit pay nothing).

    A high contribution (150 euros a week, which most families with a mild problem turn
    down): at 80 euros the rise in crises (about +6 on 75, interval -7 to +19 over eight
    paired seeds) drowns in a town's noise. The families' problems on the whole hardly
    change (mild problems often pass on their own); the crises come from the few whose
    declined problem grew."""
    high = ("reform.own_contribution_per_week=150",)
    assert pair("cost_per_year_eur", high).down
    effect = pair("crises_above_income_limit", high)
    assert effect.up, str(effect)


@pytest.mark.slow
def test_fewer_residential_places_are_cheaper_but_placements_break_down() -> None:
    """Foster and family homes cost less a week than a residential group. But a child who
    needed a group and went to a family that cannot carry its needs is at risk: such
    placements break down, and each move harms the child."""
    eight = tuple(range(1, 9))  # one seed's placements cost much more than the others'
    assert pair("protection_cost_eur", FEWER_PLACES, seeds=eight).down
    effect = pair("placement_breakdowns", FEWER_PLACES, seeds=eight)
    assert effect.up, str(effect)


@pytest.mark.slow
def test_strong_teams_shorten_specialist_waits_when_the_team_has_the_hours() -> None:
    """Working integrally, moderate families stay with the generalist and the specialists'
    lists shorten; a wijkteam this size has room for them."""
    integral = ("cooperation.mode=integral",)
    effect = pair("specialist_wait_weeks", STRONG_TEAMS, base=integral, log=True,
                  seeds=SEEDS12)
    assert effect.down, str(effect)
    assert pair("light_wait_weeks", STRONG_TEAMS, base=integral).hi < 1.0


@pytest.mark.slow
def test_strong_teams_make_a_queue_at_the_door_without_the_people() -> None:
    """With a thin wijkteam, the families it keeps wait for its light help."""
    effect = pair("light_wait_weeks", STRONG_TEAMS,
                  base=("wijkteam.generalists_per_1000_families=2.5",))
    assert effect.up, str(effect)
