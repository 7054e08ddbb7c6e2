"""Helpers for the case-trainer tests: play a case to its end through real input events."""

from __future__ import annotations

import pygame
from gamehelpers import click, frames


def wait_for(app, kind, limit: int = 4000):
    for _ in range(limit):
        if isinstance(app.ctx.top, kind):
            return app.ctx.top
        app.frame(1 / 60)
    raise AssertionError(f"{kind.__name__} did not open")


def type_text(app, text: str) -> None:
    for ch in text:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    frames(app, 2)


def open_case(app, case_id: str, trainees: int = 1, other_seeds: int | None = None):
    """From the title: the case button, the case, the trainees, start; returns the case scene."""
    from game.scenes.case_play import CaseScene
    from game.scenes.case_select import CaseSelectScene

    click(app, app.ctx.top.case_button.rect.center)
    select = wait_for(app, CaseSelectScene)
    click(app, select.case_buttons[case_id].rect.center)
    click(app, app.ctx.top.trainee_buttons[trainees - 1].rect.center)
    click(app, app.ctx.top.start_button.rect.center)
    scene = wait_for(app, CaseScene)
    if other_seeds is not None:
        scene.session.other_seeds = other_seeds
    return scene


def play_to_end(app, pick=lambda moment, choices: choices[0], shoot=None, reflect=True):
    """Decide every moment by clicks (and a typed reflection), step the weeks, open the
    debrief; returns the debrief scene."""
    from game.scenes.case_debrief import CaseDebriefScene

    scene = app.ctx.top
    s = scene.session
    shot_decision = False
    for _ in range(400):
        if s.finished:
            break
        moment = s.current_moment()
        if moment is not None:
            choices = s.case.moments[moment].choices
            choice = pick(moment, choices)
            click(app, app.ctx.top.choice_buttons[choice].rect.center)
            if reflect:
                click(app, app.ctx.top.reflection_entry.rect.center)
                type_text(app, f"m{moment}")
            if shoot and not shot_decision:
                shoot("case-decision")
                shot_decision = True
            click(app, app.ctx.top.confirm_button.rect.center)
            assert s.run.decided.get(moment) == choice
        else:
            click(app, app.ctx.top.week_button.rect.center)
    assert s.finished
    if shoot:
        shoot("case-finished")
    click(app, app.ctx.top.debrief_button.rect.center)
    return wait_for(app, CaseDebriefScene, limit=20000)
