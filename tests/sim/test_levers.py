"""Levers that win and lose: network activation, outreach, result-oriented referral, trust.

Paired runs (tests/sim/paired.py) in a smaller town than the other lever tests
(2,500 families, four years with eighteen months of warm-up), so that these
stay cheap; each test names the mechanism and the condition under which the
lever wins or loses.
"""

from __future__ import annotations

import numpy as np
import pytest
from paired import paired

from sim.model import SamenspelModel
from sim.waiting_list import LIGHT

WEEKS, WARMUP = 208, 78
SEEDS = (1, 2, 3, 4, 5)
SMALLER = ("population.families=2500",)
NETWORK = ("participation.informal_network_activation=true",)
OUTREACH = ("signals.outreach=1.5",)
RESULT = ("access.result_oriented_referral=true",)
# Capacity to follow up what outreach finds: about two thirds more specialists and
# generalists than the status quo.
AMPLE = ("providers.professionals_per_1000_families=40",
         "wijkteam.generalists_per_1000_families=7")


def measure(model: SamenspelModel) -> dict[str, float]:
    s = model.summary()
    light = [x.wait for x in model.care.starts if x.week >= WARMUP and x.slot == LIGHT]
    crises = {(e["family"], e["week"]) for e in model.events
              if e["week"] >= WARMUP and (e["kind"] == "crisis" or (
                  e["kind"] == "vt_report" and e.get("source") == "crisis"))}
    return {
        "mean_wait_weeks": s["mean_wait_weeks"],
        "workload_too_high_share": s["workload_too_high_share"],
        "light_wait_weeks": float(np.mean(light)) if light else 0.0,
        "crises": float(len(crises)),
        "mean_problem_load": float(model.families.severity.sum(axis=1).mean()),
    }


def pair(key: str, change: tuple[str, ...], base: tuple[str, ...] = (),
         seeds: tuple[int, ...] = SEEDS):
    return paired(key, (*SMALLER, *base), change, seeds=seeds, weeks=WEEKS, warmup=WARMUP,
                  measure=measure)


@pytest.mark.slow
def test_network_activation_lowers_the_problem_load_but_takes_the_wijkteams_hours() -> None:
    """Families with a stronger network recover more and relapse less; the generalists who
    activate the networks (staffed `moved`) have fewer hours for light help, which waits."""
    assert pair("mean_problem_load", NETWORK).down
    effect = pair("light_wait_weeks", NETWORK)
    assert effect.up, str(effect)


@pytest.mark.slow
def test_outreach_prevents_crises_where_there_is_capacity_to_follow_up() -> None:
    # Eight seeds: crises are few (about fifty a run), so five left the interval near zero.
    effect = pair("crises", OUTREACH, base=AMPLE, seeds=tuple(range(1, 9)))
    assert effect.down, str(effect)


@pytest.mark.slow
def test_outreach_lengthens_the_wait_where_the_lists_are_already_full() -> None:
    """Families found earlier join the same lists: with the status quo's capacity every
    list gets longer."""
    effect = pair("mean_wait_weeks", OUTREACH)
    assert effect.up, str(effect)


@pytest.mark.slow
def test_result_oriented_referral_shortens_waits_and_overloads_who_is_quick() -> None:
    """With many providers, referring to the shortest list spreads the waiting; the
    professionals of the providers that were quick fill up past their caseload norm."""
    many = ("providers.count=16",)
    seeds = tuple(range(1, 17))  # modest effects on noisy means: sixteen paired seeds
    assert pair("mean_wait_weeks", RESULT, base=many, seeds=seeds).down
    effect = pair("workload_too_high_share", RESULT, base=many, seeds=seeds)
    assert effect.up, str(effect)


@pytest.mark.slow
def test_trust_management_loses_where_there_is_no_paperwork_to_save_and_ideas_fail_unseen():
    """Managing on trust saves the control's paperwork and gives hours to try ideas.
    Where the control asks no extra paperwork, and most ideas are worse than what
    they replace while their results are hard to see, the trying costs care hours and
    poor practices are adopted and spread: families wait longer."""
    poor = ("management.control_admin_share=0.0", "innovation.effect_mean=-0.05",
            "innovation.observation_noise=0.2")
    # Sixteen seeds: the ideas tried, and which of them spread, differ much by seed.
    effect = pair("mean_wait_weeks", ("management.style=0.9",), base=poor,
                  seeds=tuple(range(1, 17)))
    assert effect.up, str(effect)
