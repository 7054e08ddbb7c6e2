"""A model week spread over frames: whatever must see a whole week finishes it first.

The game is driven with real key presses and clicks; the frame budget is set to
nothing, so every frame runs exactly one stage of a week and a week really is in
progress between frames. Assertions are on the model, never on timings.
"""

from __future__ import annotations

import numpy as np
import pygame
import pytest
from gamehelpers import click, frames, key, start_game

from game import save
from game.session import Session

CARDS = ("integral", "shared_dossier")  # one at once, one four weeks later


@pytest.fixture
def one_stage(monkeypatch):
    """Every frame runs a single stage of the week in progress."""
    import game.app

    monkeypatch.setattr(game.app, "FRAME_S", 0.0)
    monkeypatch.setattr(game.app, "MIN_WORK_S", 0.0)


def mid_week(app, session, weeks: int = 1) -> int:
    """Frames at 60 Hz until `weeks` weeks have passed and the next one is half-run."""
    target = session.model.week + weeks - 1
    for _ in range(2000):
        app.frame(1 / 60)
        if session.week_running and session.model.week >= target:
            return session.model.week
    raise AssertionError("no week in progress")


def reference(session: Session) -> Session:
    """The same game with whole weeks only."""
    ref = Session(session.scenario_name, session.seed, [t.name for t in session.teams],
                  session.rounds, session.overrides)
    return ref.warm_up()


def whole_weeks(ref: Session, until: int) -> None:
    while ref.model.week < until:
        ref.step_week()


def same_state(a, b) -> None:
    assert a.week == b.week
    assert a.kpi_frame().equals(b.kpi_frame())
    assert a.events == b.events and a.action_log == b.action_log
    assert np.array_equal(a.families.state, b.families.state)
    assert np.array_equal(a.families.severity, b.families.severity)


def save_holds_whole_weeks(s, weeks: int) -> None:
    """The save on disk has `weeks` whole weeks played, and restores to this very model."""
    saved = save.read()
    assert saved["teams"][0]["weeks_played"] == weeks
    same_state(save.restore(saved).model, s.model)


def card(app, play, card_id: str) -> None:
    from test_game_play import card_rect

    click(app, card_rect(play, card_id).center)
    click(app, play.play_button.rect.center)


def test_pause_finishes_the_week_in_progress_and_saves_it(app, one_stage):
    play = start_game(app)
    s = play.session
    key(app, pygame.K_3)  # 16 weeks a second: the quarter starts
    week = mid_week(app, s, 3)
    assert s.week_running and s.model.week == week
    key(app, pygame.K_SPACE)
    assert play.speed == 0 and not s.week_running and s.model.week == week + 1
    frames(app, 20, dt=0.1)  # paused: nothing runs
    assert s.model.week == week + 1
    ref = reference(s)
    whole_weeks(ref, week + 1)
    same_state(s.model, ref.model)
    assert len(s.team.history) == len(ref.team.history) == s.model.week - s.warmup + 1
    save_holds_whole_weeks(s, s.model.week - s.warmup)


def test_a_scene_on_top_finishes_the_week_and_the_save_has_it_whole(app, one_stage):
    play = start_game(app)
    s = play.session
    key(app, pygame.K_3)
    week = mid_week(app, s, 2)
    settings = next(b for b, h in play.handlers.items() if h == play.open_settings)
    click(app, settings.rect.center)
    assert app.ctx.top is not play
    assert not s.week_running and s.model.week == week + 1
    save_holds_whole_weeks(s, week + 1 - s.warmup)


def test_a_facilitators_event_comes_after_the_week_in_progress(app, one_stage):
    play = start_game(app)
    s = play.session
    key(app, pygame.K_3)
    week = mid_week(app, s, 2)
    key(app, pygame.K_F9)  # the event menu: the week is finished first
    assert play.events_open and not s.week_running and s.model.week == week + 1
    button = next(b for cid, b, _, _ in play.event_rows if cid == "flu")
    click(app, button.center)
    assert s.model.action_log[-1]["kind"] == "flu_wave"
    assert s.model.action_log[-1]["week"] == week + 1
    key(app, pygame.K_SPACE)  # the weeks went on: pause, a whole week again
    ref = reference(s)
    whole_weeks(ref, week + 1)
    assert ref.inject_event("flu") is None
    whole_weeks(ref, s.model.week)
    same_state(s.model, ref.model)


def test_a_card_play_finishes_the_week_in_progress_first():
    s = Session("neighbourhood", 3, ["A"], rounds=2, overrides=["run.warmup_weeks=52"])
    s.warm_up()
    params = s.model.params
    assert s.begin_week() and not s.advance_week(0.0)  # one stage run, the week half done
    assert s.week_running and s.model.week == s.warmup
    reason = s.play_card("integral")
    assert not s.week_running and s.model.week == s.warmup + 1
    assert reason == "play.why.running"  # the round is under way now: the card waits
    assert s.model.action_log == [] and s.model.params == params


def test_a_quarter_in_stages_ends_where_whole_weeks_end(app, one_stage):
    play = start_game(app)
    s = play.session
    for card_id in CARDS:
        card(app, play, card_id)
    assert s.team.cards[0] == list(CARDS) and s.team.pending  # the dossier comes later
    key(app, pygame.K_3)
    halves = 0
    week = mid_week(app, s, 6)
    key(app, pygame.K_F9)
    click(app, next(b for cid, b, _, _ in play.event_rows if cid == "flu").center)
    event_week = s.model.week
    for _ in range(5000):
        if play.summary is not None:
            break
        app.frame(1 / 60)
        halves += s.week_running
    assert play.summary is not None and halves > 13  # weeks were split over frames
    team = s.teams[0]
    assert team.model.week == s.warmup + 13 and week + 1 == event_week

    ref = reference(s)
    for card_id in CARDS:
        assert ref.play_card(card_id) is None
    whole_weeks(ref, event_week)
    assert ref.inject_event("flu") is None
    whole_weeks(ref, s.warmup + 13)
    same_state(team.model, ref.model)
    assert repr(team.history) == repr(ref.teams[0].history)  # repr: NaN equals NaN
    assert not team.pending and not ref.teams[0].pending


def test_closing_the_window_finishes_the_week_and_saves_it(app, one_stage):
    play = start_game(app)
    s = play.session
    key(app, pygame.K_3)
    week = mid_week(app, s, 2)
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    assert app.run() == 0
    assert not s.week_running and s.model.week > week
    save_holds_whole_weeks(s, s.model.week - s.warmup)
