"""Capacity is a decision and costs money (sim/capacity.py).

Paired lever tests on the same seeds (tests/sim/paired.py): dedicated
trajectbegeleiders keep integral work from eating light help but cost posts;
contracted capacity shortens a domain's wait only once its staff start; and
the rise in episodes that online help brings is traced to its mechanism.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from paired import TOWN, paired

from sim.actions import ActionError, SetParam, StaffPractice
from sim.domains import Domain
from sim.model import SamenspelModel
from sim.scenario import ScenarioError, load_scenario
from sim.waiting_list import LIGHT

WEEKS, WARMUP = 208, 104
SEEDS = (1, 2, 3, 4, 5)
MULTI = ("population.multi_problem_share=0.08",)
THIN = ("wijkteam.generalists_per_1000_families=2.4",)  # a wijkteam with little slack
INTEGRAL = ("cooperation.mode=integral", "cooperation.shared_dossier=true",
            "cooperation.no_wrong_door=true")
STAFFED = ("capacity.trajectbegeleiding_staffed=new",)
HIRE_WEEK, LEAD = 140, 26


def measure(model: SamenspelModel) -> dict[str, float]:
    """The summary, plus the waits for light help and for parenting support by period."""
    out = dict(model.summary())
    starts = model.care.starts
    light = [s[1] for s in starts if s[0] >= WARMUP and s[3] == LIGHT]
    out["light_wait"] = float(np.mean(light)) if light else 0.0
    out["episodes"] = float(sum(1 for e in model.events if e["week"] >= WARMUP
                                and e["kind"] in ("signal", "crisis")))
    d = int(Domain.OPVOEDING)
    for name, lo, hi in (("wait_in_lead", HIRE_WEEK, HIRE_WEEK + LEAD),
                         ("wait_after_lead", HIRE_WEEK + LEAD + 4, WEEKS)):
        waits = [s[1] for s in starts if lo <= s[0] < hi and s[3] == d]
        out[name] = float(np.mean(waits)) if waits else 0.0
    return out


def _paired(key, base, change, seeds=SEEDS, **kw):
    return paired(key, base, change, seeds=seeds, weeks=WEEKS, warmup=WARMUP,
                  measure=measure, **kw)


def _town(*extra: str) -> SamenspelModel:
    return SamenspelModel(load_scenario("baseline", [*TOWN, *extra]), seed=1)


@pytest.mark.slow
def test_integral_work_wins_with_its_own_trajectbegeleiders_and_loses_light_help_without():
    """One town with 8 % multi-problem families and a thin wijkteam (one run per arm).

    Wins: one plan, one dossier and trajectbegeleiders of its own mean fewer
    retold stories than separate plans, without a longer wait for light help.
    Loses: the same integral work with the trajectbegeleider's hours taken from
    the wijkteam (the issue's measurement) leaves fewer hours for light help,
    so its wait grows.
    """
    base = MULTI + THIN
    retold = _paired("retold_per_episode", base, INTEGRAL + STAFFED)
    light = _paired("light_wait", base, INTEGRAL + STAFFED)
    moved = _paired("light_wait", base + INTEGRAL + STAFFED,
                    ("capacity.trajectbegeleiding_staffed=moved",), log=True)
    assert retold.down, retold
    assert not light.up, light
    assert moved.up, moved


def test_dedicated_posts_are_paid_from_the_youth_budget():
    """Hiring costs money: the posts are wijkteam staff, booked on the youth silo."""
    moved = _town(*INTEGRAL)
    new = _town(*INTEGRAL, *STAFFED)
    posts = len(new.capacity.dedicated["trajectbegeleiding"])
    assert posts == round(new.params.capacity.trajectbegeleiders_per_1000_families * 4)
    assert len(moved.capacity.dedicated["trajectbegeleiding"]) == 0
    moved.step()
    new.step()
    p = new.params
    weekly = posts * p.providers.hours_per_week * p.funding.wijkteam_cost_per_hour
    extra = new.budget.spent_total[0] - moved.budget.spent_total[0]
    assert extra == pytest.approx(weekly, rel=0.05)


@pytest.mark.slow
def test_contracted_capacity_shortens_the_wait_after_its_lead_time_not_before():
    """Contracting parenting capacity at the providers: nothing changes while they
    recruit; once the professionals start, that domain's wait falls."""
    action = (tuple({"week": HIRE_WEEK, "kind": "contract_capacity", "domain": "opvoeding",
                     "professionals": 6, "lead_weeks": LEAD}.items()),)
    before = _paired("wait_in_lead", (), ("run.name=contracted",), SEEDS[:4], actions=action)
    after = _paired("wait_after_lead", (), ("run.name=contracted",), SEEDS[:4], actions=action)
    assert not before.down, before
    assert after.down, after


@pytest.mark.slow
def test_capacity_for_the_longest_list_shortens_the_wait_and_is_paid_at_once():
    """Wins: six professionals bought where the most families wait shorten the town's
    mean wait. Loses: money - the places fill as soon as the staff start, and the
    municipality pays for the care given, so the year costs more."""
    action = (tuple({"week": HIRE_WEEK, "kind": "contract_capacity",
                     "domain": "longest_list", "professionals": 6,
                     "lead_weeks": LEAD}.items()),)
    wait = _paired("mean_wait_weeks", (), ("run.name=longest",), SEEDS[:4], actions=action)
    cost = _paired("cost_per_year_eur", (), ("run.name=longest",), SEEDS[:4], actions=action)
    assert wait.down, wait
    assert cost.up, cost


def test_contracted_posts_start_after_the_lead_time():
    model = _town()
    model.run_weeks(2)
    n = len(model.professionals)
    model.apply({"kind": "contract_capacity", "domain": "wonen", "professionals": 2,
                 "lead_weeks": 5})
    new = model.professionals[n:]
    assert [pro.active for pro in new] == [False, False]
    assert all(Domain.WONEN in pro.org.domains for pro in new)
    model.run_weeks(5)  # weeks 2-6: still recruiting
    assert not any(pro.active for pro in new)
    model.run_weeks(1)  # week 7 = week 2 + 5: the first week of work
    assert all(pro.active for pro in new)


@pytest.mark.slow
def test_the_rise_in_episodes_with_online_help_is_mostly_its_online_channel():
    """Online help brings many more episodes, and most of the rise is the online request
    channel (families asking at lower severity). Without that channel the help itself
    adds far fewer: its cheaper hours take more light cases, and its weaker effect
    brings some of them back."""
    seeds = SEEDS[:3]  # a large effect: three seeds say which way it goes
    rise = _paired("episodes", (), ("participation.online_help=true",), seeds=seeds)
    assert rise.lo > 0.25 * np.mean(rise.base), rise
    quiet = _paired("episodes", ("signals.online=0",), ("participation.online_help=true",),
                    seeds=seeds)
    assert quiet.hi < 0.5 * rise.lo, (quiet, rise)


def test_domain_shares_decide_the_specialists_per_domain():
    even = ",".join(f"{d.key} = 0.125" for d in Domain)
    model = _town(f"capacity.domain_shares={{{even}}}")
    counts = np.bincount([pro.domain for pro in model.professionals
                          if pro.role == 1], minlength=len(Domain))
    assert counts.max() - counts.min() <= 1
    default = _town()  # the baseline gives parenting support the largest share
    parenting = sum(1 for pro in default.professionals if pro.domain == Domain.OPVOEDING)
    assert parenting > counts[Domain.OPVOEDING]


def test_bad_capacity_settings_say_what_is_allowed():
    with pytest.raises(ScenarioError, match="capacity.domain_shares.*not a domain"):
        load_scenario("baseline", ["capacity.domain_shares={ggz = 1.0}"])
    with pytest.raises(ScenarioError, match="capacity.trajectbegeleiding_staffed"):
        load_scenario("baseline", ["capacity.trajectbegeleiding_staffed=hired"])
    model = _town()
    with pytest.raises(ActionError, match="staff_practice"):
        model.apply(SetParam("capacity.trajectbegeleiding_staffed", "new"))
    with pytest.raises(ActionError, match="allowed: trajectbegeleiding"):
        model.apply(StaffPractice(practice="coaching"))


def test_staffing_a_practice_mid_run_hires_and_moving_it_back_keeps_the_people():
    model = _town(*INTEGRAL)
    staff = len(model.professionals)
    model.apply(StaffPractice("trajectbegeleiding", "new", lead_weeks=3))
    posts = model.capacity.dedicated["trajectbegeleiding"]
    assert len(posts) == 4 and not any(pro.active for pro in posts)
    model.run_weeks(4)
    assert all(pro.active for pro in posts)
    kept = list(posts)
    model.apply(StaffPractice("trajectbegeleiding", "moved"))
    assert not model.capacity.staffed("trajectbegeleiding")
    assert len(model.professionals) == staff + 4
    assert all(pro.domain == LIGHT for pro in kept)


def test_capacity_bought_for_the_longest_list_goes_where_most_families_wait_and_replays():
    """The card that buys capacity "where the list is longest" decides at the week it is
    played, from the lists as they are: the domain with the most families waiting. The
    log keeps the decision as played, so a replay decides the same."""
    live = _town()
    live.run_weeks(60)
    waiting = np.zeros(len(Domain), dtype=int)
    for wl in live.care.lists.values():
        if wl.domain != LIGHT:
            waiting[wl.domain] += len(wl.entries)
    assert waiting.max() > 0 and np.count_nonzero(waiting == waiting.max()) == 1
    n = len(live.professionals)
    result = live.apply({"kind": "contract_capacity", "domain": "longest_list",
                         "professionals": 2})
    assert result["domain"] == Domain(int(waiting.argmax())).key
    assert result["chosen_as"] == "longest_list"
    assert {int(pro.domain) for pro in live.professionals[n:]} == {int(waiting.argmax())}
    assert live.events[-1]["domain"] == result["domain"]  # what the game says it bought
    live.run_weeks(20)
    replay = SamenspelModel(load_scenario("baseline", list(TOWN)), seed=1,
                            actions=live.action_log)
    replay.run_weeks(80)
    # as text, so that a domain without starts (NaN) compares equal too
    assert json.dumps(replay.summary(), sort_keys=True) == \
        json.dumps(live.summary(), sort_keys=True)
    assert [pro.domain for pro in replay.professionals] == \
        [pro.domain for pro in live.professionals]


def test_a_bad_capacity_domain_names_the_choices_including_the_longest_list():
    model = _town()
    with pytest.raises(ActionError, match="allowed: wijkteam, longest_list, opvoeding"):
        model.apply({"kind": "contract_capacity", "domain": "ggz", "professionals": 2})
    assert model.action_log == []
