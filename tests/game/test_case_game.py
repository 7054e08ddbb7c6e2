"""The case trainer in the game: the three cases played to the end through real input
events, what each role sees, the reflections kept in the save, the debrief's
counterfactuals, the exports, and every text fitting at 1280x720 in both languages."""

from __future__ import annotations

import json

import pygame
import pytest
from casehelpers import open_case, play_to_end, wait_for
from gamehelpers import click, key, make_app

from game.case_session import restore, save_path

CASES = ("schulden_opvoeding_verzuim", "ouder_ggz_beperking", "crisis_wachten")


def all_fit(scene) -> None:
    bad = [b.text for b in scene.blocks + getattr(scene, "overlays", []) if not b.fits()]
    assert not bad, bad
    assert getattr(scene, "dropped", 0) == 0
    screen = pygame.Rect((0, 0), scene.ctx.size)
    for b in scene.blocks:
        assert screen.contains(b.rect), b.text
    button = scene.ctx.font("button")
    for btn in scene.handlers:  # every button's label fits on it
        assert button.size(btn.text)[0] <= btn.rect.width - 6, btn.text
        assert screen.contains(btn.rect), btn.text


@pytest.mark.parametrize(("case_id", "lang", "trainees"),
                         [(CASES[0], "nl", 1), (CASES[1], "en", 2), (CASES[2], "nl", 4)])
def test_a_case_plays_to_the_end_through_real_events(case_id, lang, trainees):
    from game.scenes.case_select import CaseSelectScene

    app = make_app(lang=lang)
    try:
        scene = open_case(app, case_id, trainees, other_seeds=1)
        s = scene.session
        assert s.trainees == trainees and s.week == 0
        assert {s.trainee_of(r) for r in s.roles} == set(range(min(trainees, len(s.roles))))
        all_fit(scene)
        seen_roles = set()

        def pick(moment, choices):
            seen_roles.add(s.case.moments[moment].role)
            all_fit(app.ctx.top)
            return choices[moment % len(choices)]

        debrief = play_to_end(app, pick)
        assert seen_roles == set(s.roles)
        assert s.week == s.case.weeks and len(s.run.trace) == s.case.weeks + 1
        assert s.reflections == {i: f"m{i}" for i in range(len(s.case.moments))}
        # Every decision is an ordinary logged action in the model.
        decided = [a for a in s.run.actions() if a["kind"] == "case_decision"]
        assert [a["choice"] for a in decided] == [s.run.decided[i] for i in
                                                   range(len(s.case.moments))]
        # The log the clicks made rebuilds the same model from the seed alone.
        from sim.case import alternatives, replay

        again_model = replay(s.case, s.seed, s.run.actions())
        assert again_model.events == s.run.model.events
        assert (again_model.families.severity == s.run.model.families.severity).all()
        # The debrief: every path not taken, replayed here and in one other neighbourhood.

        assert [(r.moment, r.choice) for r in s.results] == alternatives(s.case, s.choices())
        assert all(r.seeds == 1 for r in s.results)
        all_fit(debrief)
        click(app, debrief.next_button.rect.center)
        assert debrief.index == 1
        all_fit(app.ctx.top)
        # The save keeps choices and reflections; replaying it rebuilds the same family.
        data = json.loads(save_path().read_text(encoding="utf-8"))
        assert data["reflections"] == {str(i): f"m{i}" for i in range(len(s.case.moments))}
        again = restore(data)
        assert again.run.trace == s.run.trace[: again.week + 1]
        click(app, debrief.title_button.rect.center)
        assert not isinstance(app.ctx.top, CaseSelectScene)
    finally:
        pygame.quit()


def test_roles_see_the_dossier_only_as_far_as_the_family_consented():
    from game.case_view import visible_domains

    app = make_app()
    try:
        scene = open_case(app, CASES[0], 1)
        s = scene.session
        run = s.run
        run.decide(0, "signal")
        run.step()
        run.decide(1, "separate_plans")
        specialist_alone, shared = visible_domains(s, "specialist")
        assert shared == []  # nothing shared yet
        parent, _ = visible_domains(s, "parent")
        assert set(specialist_alone) < set(parent)
        run.decide(2, "share_dossier")
        own, shared = visible_domains(s, "specialist")
        assert own == specialist_alone and shared
        assert len(own) + len(shared) <= len(parent)
        click(app, scene.role_tabs["parent"].rect.center)
    finally:
        pygame.quit()


def test_exports_escape_the_reflections_and_write_a_pdf(tmp_path):
    from game.case_export import export
    from game.case_session import CaseSession

    session = CaseSession(CASES[2], 2)
    session.other_seeds = 0
    for _ in session.start_steps():
        pass
    run = session.run
    while not session.finished:
        for i in run.due_moments():
            m = session.case.moments[i]
            session.decide(i, m.choices[0], "<script>alert(1)</script> & zo")
        session.step()
    for _ in session.counterfactual_steps():
        pass
    from game.i18n import Translator

    for lang in ("nl", "en"):
        paths = export(Translator(lang), session, tmp_path)
        html = paths["html"].read_text(encoding="utf-8")
        assert "<script>alert" not in html and "&lt;script&gt;" in html
        assert session.case.title.get(lang) in html
        assert paths["pdf"].read_bytes()[:4] == b"%PDF"
    assert not list(tmp_path.glob(".case-*"))  # no temporary file left behind


def test_play_case_with_a_bad_file_exits_2_without_a_traceback(tmp_path, capsys):
    from game.cli import main

    bad = tmp_path / "cases" / "bad.toml"
    bad.parent.mkdir()
    bad.write_text('[case]\ntitle = { nl = "t", en = "t" }\nweeks = 0\n', encoding="utf-8")
    assert main(["play", "--case", str(bad)][1:]) == 2
    err = capsys.readouterr().err
    assert "case.weeks = 0" in err and "allowed" in err and "Traceback" not in err
    assert main(["--case", "no_such_case"]) == 2
    assert "Available cases: crisis_wachten" in capsys.readouterr().err


def test_the_select_screen_fits_in_both_languages():
    from game.scenes.case_select import CaseSelectScene

    for lang in ("nl", "en"):
        app = make_app(lang=lang)
        try:
            click(app, app.ctx.top.case_button.rect.center)
            select = wait_for(app, CaseSelectScene)
            for cid in CASES:
                click(app, select.case_buttons[cid].rect.center)
                for n in (1, 4):
                    click(app, app.ctx.top.trainee_buttons[n - 1].rect.center)
                    all_fit(app.ctx.top)
            click(app, app.ctx.top.back_button.rect.center)
            assert hasattr(app.ctx.top, "case_button")
        finally:
            pygame.quit()


def test_a_stopped_case_continues_where_it_was():
    from game.scenes.case_play import CaseScene
    from game.scenes.case_select import CaseSelectScene

    app = make_app(lang="en")
    try:
        scene = open_case(app, CASES[1], 2)
        s = scene.session
        click(app, scene.choice_buttons["signal"].rect.center)
        click(app, app.ctx.top.confirm_button.rect.center)
        click(app, app.ctx.top.week_button.rect.center)
        assert s.week == 1 and s.current_moment() == 1
        trace = list(s.run.trace)
        click(app, app.ctx.top.stop_button.rect.center)
        click(app, app.ctx.top.case_button.rect.center)
        select = wait_for(app, CaseSelectScene)
        all_fit(select)
        click(app, select.continue_button.rect.center)
        again = wait_for(app, CaseScene).session
        assert again is not s and again.run.trace == trace
        assert again.current_moment() == 1 and again.trainees == 2
    finally:
        pygame.quit()


def test_long_reflections_are_shortened_on_screen_and_kept_whole_in_the_save():
    from game.case_session import MAX_REFLECTION
    from game.scenes.case_debrief import CaseDebriefScene

    app = make_app()
    try:
        scene = open_case(app, CASES[0], 1, other_seeds=0)
        s = scene.session
        long = "Een lange gedachte over wie het overzicht houdt. " * 20
        while not s.finished:
            for i in s.run.due_moments():
                s.decide(i, s.case.moments[i].choices[0], long)
            s.step()
        assert all(len(r) == MAX_REFLECTION for r in s.reflections.values())
        for _ in s.counterfactual_steps():
            pass
        debrief = CaseDebriefScene(app.ctx, s)
        app.ctx.push(debrief)
        all_fit(debrief)
        assert any(b.text.endswith("…”") for b in debrief.blocks)
    finally:
        pygame.quit()


def test_every_key_the_case_trainer_builds_exists_in_both_languages():
    from game.case_report import SHOWN
    from game.i18n import LANGUAGES, Translator
    from sim.case import CHOICES, EFFECTS, ROLE_CHOICES
    from sim.states import FamilyState, Stress

    keys = [f"case.role.{r}" for r in ROLE_CHOICES] + [f"case.role_short.{r}" for r in ROLE_CHOICES]
    keys += [f"case.choice.{c}" for c in CHOICES] + [f"case.effect.{e}" for e in EFFECTS]
    keys += [f"case.state.{s.name.lower()}" for s in FamilyState]
    keys += [f"case.stress.{s.name.lower()}" for s in Stress]
    keys += [f"case.kpi.{k}" for k in SHOWN] + [f"case.level.{x}" for x in ("low", "mid", "high")]
    for lang in LANGUAGES:
        t = Translator(lang)
        assert [k for k in keys if not t.has(k)] == [], lang


def test_keys_pick_confirm_and_step():
    app = make_app()
    try:
        scene = open_case(app, CASES[2], 1)
        s = scene.session
        key(app, pygame.K_2)
        assert app.ctx.top.choice == s.case.moments[0].choices[1]
        key(app, pygame.K_RETURN)
        assert s.run.decided[0] == s.case.moments[0].choices[1]
        key(app, pygame.K_SPACE)
        assert s.week == 1
    finally:
        pygame.quit()


def test_running_weeks_stop_at_the_next_decision():
    from gamehelpers import frames

    app = make_app()
    try:
        scene = open_case(app, CASES[0], 1)
        s = scene.session
        key(app, pygame.K_1)
        key(app, pygame.K_RETURN)
        click(app, app.ctx.top.run_button.rect.center)
        assert app.ctx.top.running
        frames(app, 200, dt=0.1)  # 20 s at 6 weeks a second: far past the next moment
        assert s.current_moment() == 1 and s.week == s.case.moments[1].week
        assert not app.ctx.top.running
    finally:
        pygame.quit()


def test_the_smallest_window_fits_too():
    """960x540, the smallest the window gets: less is shown, nothing is cut off."""
    app = make_app(size=(960, 540), lang="en")
    try:
        open_case(app, CASES[1], 2, other_seeds=1)

        def pick(moment, choices):
            all_fit(app.ctx.top)
            return choices[0]

        all_fit(play_to_end(app, pick, reflect=False))
    finally:
        pygame.quit()
