"""Drive the play scene with real pygame events and check the model."""

from __future__ import annotations

import numpy as np
import pygame
from gamehelpers import click, frames, key, start_game

from game.cards import BY_ID
from game.scenes.play import PlayScene
from game.stories import TIMELINE_KINDS, event_body


def card_rect(play: PlayScene, card_id: str) -> pygame.Rect:
    for page in range(4):
        for rect, cid in play.card_rects:
            if cid == card_id:
                return rect
        play.set_page(page + 1)
    raise AssertionError(card_id)


def test_clicking_a_card_puts_its_action_in_the_model_log(app):
    play = start_game(app)
    model = play.session.model
    assert model.action_log == []
    click(app, card_rect(play, "integral").center)
    assert play.selected == "integral"
    click(app, play.play_button.rect.center)
    assert model.action_log, "the card was not applied"
    entry = model.action_log[-1]
    assert entry["kind"] == "set" and entry["key"] == "cooperation.mode"
    assert entry["value"] == "integral" and entry["week"] == model.week
    assert model.params.cooperation.mode == "integral"
    assert play.session.team.budget_left(0) == 250_000 - BY_ID["integral"].cost_eur
    # played once: a second click does not apply it again
    click(app, card_rect(play, "integral").center)
    click(app, play.play_button.rect.center)
    assert len(model.action_log) == 1


def test_clicking_a_house_shows_that_familys_timeline(app):
    play = start_game(app)
    model = play.session.model
    busy = [f for f in range(model.families.n) if len(model.timeline(f)) >= 3]
    f = busy[0]
    click(app, play.map.house_centre(f, model.families.n))
    assert play.family == f and play.timeline.family == f
    frames(app, 1)  # it draws
    told = [e for e in model.timeline(f) if e["kind"] in TIMELINE_KINDS]
    assert told and event_body(play.t, told[-1]) in " ".join(play.timeline.texts)
    key(app, pygame.K_ESCAPE)
    assert play.family is None and play.timeline.family is None


def test_a_quarter_runs_in_fixed_steps_and_ends_in_a_summary(app):
    play = start_game(app)
    s = play.session
    start = s.model.week
    click(app, play.start_button.rect.center)
    assert play.phase == "running"
    play.speed = 16
    frames(app, 30, dt=1 / 30)  # one second of 16 weeks/s
    assert s.model.week - start == 13  # capped by the round
    assert play.summary is not None and s.round == 1
    assert len(play.summary["highlights"]) >= 1
    click(app, play.next_button.rect.center)
    assert play.summary is None and play.phase == "planning"


def test_tick_cap_keeps_a_slow_frame_from_snowballing(app):
    play = start_game(app)
    start = play.session.model.week
    play.start_quarter()
    play.speed = 16
    app.frame(5.0)  # a five-second hitch: at most MAX_TICKS weeks begin in its frame
    from game.app import MAX_TICKS

    assert play.session.model.week - start <= MAX_TICKS
    frames(app, 30, dt=0.0)  # no time passes: only a week begun may still finish
    assert 1 <= play.session.model.week - start <= MAX_TICKS


def test_pause_and_single_step(app):
    play = start_game(app)
    start = play.session.model.week
    key(app, pygame.K_PERIOD)
    assert play.session.model.week == start + 1 and play.speed == 0
    frames(app, 20, dt=0.1)
    assert play.session.model.week == start + 1


def test_states_on_the_map_match_the_model(app):
    from game.render import house_rect, state_colour

    play = start_game(app)
    frames(app, 1)
    model = play.session.model
    f = int(np.flatnonzero(model.families.state == 3)[0])
    grid_rect = play.map.tuple_rect()
    from game.render import house_grid

    r = house_rect(f, house_grid(model.families.n, grid_rect), grid_rect)
    x = r[0] + play.map.houses_rect.left + 1
    y = r[1] + play.map.houses_rect.top + 1
    assert tuple(app.screen.get_at((x, y)))[:3] == state_colour(3, True)


def test_a_card_that_needs_a_choice_of_provider_is_refused_where_there_is_none():
    """One provider per domain (the neighbourhood): one central list is the list there is,
    and there is no quicker provider to refer to, so those cards say why they are refused;
    with two providers per domain they can be played."""
    from game.session import Session

    short = ["run.warmup_weeks=4"]
    one = Session("neighbourhood", 1, ["A"], overrides=short).warm_up()
    two = Session("neighbourhood", 1, ["A"], overrides=[*short, "providers.count=16"]).warm_up()
    for card in ("central_list", "result_referral"):
        assert one.play_card(card) == "play.why.no_choice"
        assert two.play_card(card) is None
    assert [a["kind"] for a in one.model.action_log] == []
    assert len(two.model.action_log) == 2
