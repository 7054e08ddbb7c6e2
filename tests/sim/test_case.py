"""The case trainer's model side: case files, decisions as logged actions, replays and
counterfactuals (sim/case.py, sim/casefile.py)."""

from __future__ import annotations

import numpy as np
import pytest

from sim import case as C
from sim.actions import ActionError
from sim.casefile import CaseError, list_cases, load_case, validate_case_file
from sim.scenario import list_scenarios

CASE = "schulden_opvoeding_verzuim"
SHORT_WARMUP = 26  # the tests need a running neighbourhood, not a calibrated one


def short(name: str = CASE):
    from dataclasses import replace

    return replace(load_case(name), warmup_weeks=SHORT_WARMUP)


def every_role_choices(case) -> dict[int, str]:
    """A choice per moment, the last choice where there is one (so not always the first)."""
    return {i: m.choices[-1 if i % 2 else 0] for i, m in enumerate(case.moments)}


def test_three_cases_load_and_stay_out_of_the_scenarios():
    assert set(list_cases()) >= {"schulden_opvoeding_verzuim", "ouder_ggz_beperking",
                                 "crisis_wachten"}
    for name in list_cases():
        case = load_case(name)
        assert case.moments and case.title.nl and case.title.en
        assert set(case.roles) >= {"wijkteam", "specialist", "parent"}
    assert not any(s.startswith("cases") for s in list_scenarios())


BAD = """
[case]
title = { nl = "t", en = "t" }
summary = { nl = "s" }
weeks = 10
[family]
children = 7
aces = ["veiligheid", "pesten"]
wants = { nl = "w", en = "w" }
[family.problems]
schulden = 1.5
gokken = 0.2
[[moment]]
week = 2
role = "wijkteam"
choices = ["one_plan", "fly"]
question = { nl = "q", en = "q" }
reflection = { nl = "r", en = "r" }
"""


def test_a_case_file_with_errors_names_key_value_and_allowed(tmp_path):
    path = tmp_path / "cases" / "bad.toml"
    path.parent.mkdir()
    path.write_text(BAD, encoding="utf-8")
    messages = validate_case_file(path)
    text = "\n".join(messages)
    for expected in ("case.summary", "family.children = 7", "from 1 to 4",
                     "family.problems.schulden = 1.5", "family.problems.gokken",
                     "unknown domain; allowed: opvoeding", "moment[0].choices",
                     "one_plan, separate_plans",
                     'family.aces = ["veiligheid", "pesten"]',
                     "kinds out of veiligheid, ouder_ggz, opvoeding"):
        assert expected in text, expected
    assert all("bad.toml" in m for m in messages)
    with pytest.raises(CaseError):
        load_case(path)


def test_validate_exits_2_on_a_bad_case_and_0_on_the_good_ones(tmp_path, capsys):
    from lab.cli import main

    path = tmp_path / "cases" / "bad.toml"
    path.parent.mkdir()
    path.write_text(BAD, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr().out
    assert "family.children = 7" in out and "Traceback" not in out
    good = [str(load_case(n).path) for n in list_cases()]
    assert main(["validate", *good]) == 0


@pytest.mark.parametrize("name", ["schulden_opvoeding_verzuim", "ouder_ggz_beperking",
                                  "crisis_wachten"])
def test_every_roles_decision_is_a_logged_action_that_replays_bit_for_bit(name):
    case = short(name)
    choices = every_role_choices(case)
    run = C.play(case, 5, choices)
    log = run.actions()
    kinds = [a["kind"] for a in log]
    assert kinds[0] == "case_family" and kinds.count("case_decision") == len(case.moments)
    assert {a["role"] for a in log if a["kind"] == "case_decision"} == set(case.roles)
    effects = {e["effect"] for e in run.model.events if e["kind"] == "case_decision"}
    assert effects <= set(C.EFFECTS)
    again = C.replay(case, 5, log)
    m = run.model
    f = run.family
    assert again.case["family"] == f
    for name in ("severity", "state", "retold", "consent", "integral_plan", "self_managed",
                 "activated", "network", "episode_plans"):
        assert np.array_equal(getattr(m.families, name), getattr(again.families, name)), name
    assert again.events == m.events
    assert again.action_log == m.action_log
    assert [p.caseload for p in again.professionals] == [p.caseload for p in m.professionals]


def test_a_counterfactual_from_week_n_is_the_original_up_to_week_n():
    case = short("crisis_wachten")
    choices = every_role_choices(case)
    k = 2
    n = case.moments[k].week
    other = next(c for c in case.moments[k].choices if c != choices[k])
    original = C.play(case, 9, choices)
    counter = C.play(case, 9, {**choices, k: other})
    assert original.trace[: n + 1] == counter.trace[: n + 1]
    start = original.start
    before = [e for e in original.model.events if e["week"] < start + n]
    assert before == [e for e in counter.model.events if e["week"] < start + n]
    log_a, log_b = original.actions(), counter.actions()
    first = next(i for i, (a, b) in enumerate(zip(log_a, log_b, strict=True)) if a != b)
    assert log_a[first]["week"] == start + n and log_b[first]["choice"] == other


def test_paths_from_a_warmed_copy_equal_paths_from_scratch():
    case = short()
    choices = every_role_choices(case)
    warm = C.warm_model(case, 3)
    assert C.play(case, 3, choices, warm).trace == C.play(case, 3, choices).trace


def test_counterfactuals_cover_every_path_not_taken_and_count_other_seeds():
    from dataclasses import replace

    case = replace(short(), weeks=10, moments=short().moments[:3])
    choices = {0: "signal", 1: "one_plan", 2: "share_dossier"}
    steps = C.counterfactuals(case, 4, choices, [5, 6])
    progress = []
    try:
        while True:
            progress.append(next(steps))
    except StopIteration as stop:
        results = stop.value
    assert progress[-1] == pytest.approx(1.0) and progress == sorted(progress)
    assert [(r.moment, r.choice) for r in results] == C.alternatives(case, choices)
    for r in results:
        assert r.seeds == 2 and 0 <= r.same_sign <= 2 and set(r.diff) == set(r.mean_diff)


def test_choices_act_through_the_models_mechanisms():
    case = short()
    run = C.CaseRun(case, 2)
    fam, f = run.model.families, run.family
    assert fam.consent[f] == 0.0  # nobody asked yet
    assert run.decide(0, "signal")["effect"] == "triaged"
    assert run.model.care.family_busy(f)
    run.step()
    assert run.decide(1, "one_plan")["effect"] == "one_plan" and fam.integral_plan[f]
    assert run.decide(2, "share_dossier")["effect"] == "shared"
    assert fam.consent[f] == pytest.approx(case.family.consent)
    with pytest.raises(ActionError):
        run.decide(2, "keep_closed")  # decided already
    with pytest.raises(ActionError):
        C.decision_action(case, 3, "fly")


def test_sharing_without_a_shared_dossier_says_it_has_no_effect():
    from dataclasses import replace

    case = replace(short(), settings={})
    run = C.CaseRun(case, 2)
    run.decide(0, "wait")
    run.step()
    assert run.decide(1, "one_plan")["effect"] == "not_in_view"  # the school waited
    assert run.decide(2, "share_dossier")["effect"] == "no_shared_dossier"


def test_the_case_family_never_moves_away_even_when_nobody_notices_it():
    from dataclasses import replace

    case = replace(short(), settings={**short().settings, "population.turnover_per_year": 1.0})
    run = C.play(case, 1, {0: "wait"})  # the school waits: the family may stay HEALTHY
    moved = [e for e in run.model.timeline(run.family)
             if e["kind"] == "new_family" and e["week"] > run.start]
    assert not moved
    assert run.trace[-1]["retold"] >= case.family.retold_before  # still the same household


def test_a_run_on_an_adopted_warm_model_is_the_same_run():
    case = short()
    choices = every_role_choices(case)
    warm = C.warm_model(case, 8)
    adopted = C.CaseRun(case, 8, warm, adopt=True)
    assert adopted.model is warm
    assert C.play(case, 8, choices).trace[0] == adopted.trace[0]
