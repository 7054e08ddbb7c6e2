"""A running quarter sets the game's long-lived objects aside from Python's full
collections (game/collection.py), and gives them back when the quarter ends or
the play screen is left, so a long game neither stalls nor keeps old models."""

from __future__ import annotations

import gc
import weakref

import pygame
from gamehelpers import key, start_game

from game import collection


def run_until(app, done, limit: int = 5000) -> None:
    for _ in range(limit):
        if done():
            return
        app.frame(1 / 60)
    raise AssertionError("the game did not get there")


def test_the_model_is_set_aside_while_a_quarter_runs_and_given_back_at_its_end(app):
    play = start_game(app)
    s = play.session
    assert not collection.held() and gc.get_freeze_count() == 0
    key(app, pygame.K_3)  # 16 weeks a second: the quarter starts
    run_until(app, lambda: s.model.week > s.warmup + 2)
    assert collection.held() and gc.get_freeze_count() > len(s.model.care.starts)
    run_until(app, lambda: play.summary is not None)
    assert not collection.held() and gc.get_freeze_count() == 0
    assert s.model.week == s.warmup + 13  # the quarter itself is what it always was


def test_a_game_left_during_a_quarter_is_freed(app):
    from game.scenes.title import TitleScene

    session = start_game(app).session
    key(app, pygame.K_3)
    run_until(app, lambda: session.model.week > session.warmup + 2)
    model = weakref.ref(session.model)
    assert collection.held()
    app.ctx.session = session = None
    app.start(TitleScene(app.ctx))
    gc.collect()
    assert not collection.held() and gc.get_freeze_count() == 0
    assert model() is None
