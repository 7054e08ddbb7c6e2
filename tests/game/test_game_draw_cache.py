"""The parts of the play screen drawn once a week show what drawing them afresh shows."""

from __future__ import annotations

import pygame
from gamehelpers import frames, key, start_game

from game import render
from game.layer import Layer
from game.panels import DRAWN


def screen_bytes(app) -> bytes:
    return pygame.image.tobytes(app.screen, "RGB")


def test_a_cached_frame_equals_a_fresh_one(app):
    play = start_game(app)
    key(app, pygame.K_3)
    frames(app, 40)  # some weeks run
    key(app, pygame.K_SPACE)  # paused: the screen stands still
    play.show_family(next(iter(render.visits(play.session.model).values())))
    play.close_family()
    frames(app, 3)
    cached, texts = screen_bytes(app), sorted((t, tuple(r)) for t, r, _ in DRAWN)
    play.kpi_layer, play.running_layer = Layer(), Layer()
    play.build()  # a new map view: nothing cached
    frames(app, 1)
    assert screen_bytes(app) == cached
    assert sorted((t, tuple(r)) for t, r, _ in DRAWN) == texts


def test_visits_follow_the_served_families_round_robin(app):
    play = start_game(app)
    model = play.session.model
    for _ in range(3):
        served = render.served_families(model)
        expected = {p: fams[(model.week + p) % len(fams)] for p, fams in served.items()}
        assert render.visits(model) == expected and expected
        play.session.step_week()


def test_the_dots_walk_to_the_houses_the_clicks_find():
    """The professionals' walks, computed for everyone at once, end at the centre of the
    house that a click there opens, in a neighbourhood and in a town of 25,000."""
    import numpy as np

    for n, rect in ((500, (10, 200, 1000, 300)), (25_000, (0, 180, 1280, 420))):
        grid = render.house_grid(n, rect)
        families = np.arange(n)
        centres = render.house_centres(families, grid, rect)
        rects = [render.house_rect(f, grid, rect) for f in range(n)]
        assert centres.tolist() == [[x + w / 2, y + h / 2] for x, y, w, h in rects]
        at = [render.house_at((int(x), int(y)), n, rect) for x, y in centres[:: max(1, n // 97)]]
        assert at == families[:: max(1, n // 97)].tolist()
