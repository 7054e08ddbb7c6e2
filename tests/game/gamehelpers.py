"""Helpers for the game tests: an app on the title screen, real clicks and key presses."""

from __future__ import annotations

import html

import pygame

SHORT = ["run.warmup_weeks=52"]


def make_app(size=(1280, 720), lang="nl"):
    from game.app import App
    from game.scenes.base import Settings
    from game.scenes.title import TitleScene

    app = App(size, Settings(lang=lang), fps_cap=0)
    app.start(TitleScene(app.ctx, "neighbourhood", 3, SHORT, rounds=2))
    return app


def frames(app, n: int = 2, dt: float = 1 / 60) -> None:
    for _ in range(n):
        app.frame(dt)


def click(app, pos) -> None:
    """A real left click: button down and up at `pos`, then frames to handle it."""
    pos = (int(pos[0]), int(pos[1]))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0),
                                         buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    frames(app, 3)


def key(app, k) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0))
    frames(app, 2)


def start_game(app):
    """Click "new game" on the title and wait for the play scene."""
    from game.scenes.play import PlayScene

    click(app, app.ctx.top.start_button.rect.center)
    for _ in range(2000):
        if isinstance(app.ctx.top, PlayScene):
            return app.ctx.top
        app.frame(1 / 60)
    raise AssertionError("the play scene did not open")


def hover(app, element, seconds=2.0):
    """Rest the mouse on `element` long enough for its tooltip to appear."""
    pos = element.rect.center
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0),
                                         buttons=(0, 0, 0)))
    frames(app, int(seconds / 0.1), dt=0.1)
    return element.tool_tip


def assert_tooltip_readable(app, tip, text):
    """The tooltip holds `text`, and dark letters stand on its light background."""
    assert tip is not None and tip.alive()
    assert tip.text_block.html_text == html.escape(text, quote=False) and text.strip()
    frames(app, 1)
    inside = tip.rect.inflate(-8, -8).clip(app.screen.get_rect())  # not the border
    area = app.screen.subsurface(inside)
    dark = light = 0
    for x in range(0, area.get_width(), 2):
        for y in range(0, area.get_height(), 2):
            lum = sum(area.get_at((x, y))[:3]) / 3
            dark += lum < 90
            light += lum > 200
    assert light > dark > 20  # letters (not an empty or white-on-white box)
