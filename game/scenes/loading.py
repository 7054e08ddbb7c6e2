"""Loading: runs a warm-up or restore in small chunks so the window never freezes."""

from __future__ import annotations

import time

import pygame

from game import save
from game.render import BACKGROUND, GOOD, INK
from game.scenes.base import Scene
from game.ui import draw_text

BUDGET_S = 0.03  # model work per frame


class LoadingScene(Scene):
    name = "loading"

    def __init__(self, ctx, steps, label: str) -> None:
        self.steps = steps
        self.label = label
        self.progress = 0.0
        self.done = False
        super().__init__(ctx)

    def update(self, dt: float) -> None:
        super().update(dt)
        end = time.perf_counter() + BUDGET_S
        while not self.done and time.perf_counter() < end:
            try:
                self.progress = next(self.steps)
            except StopIteration as stop:
                self.done = True
                self.finish(stop.value)
            except save.SaveError as exc:
                self.done = True
                self.ctx.message = self.t(exc.key) + "  " + exc.detail
                self.ctx.pop()

    def finish(self, session) -> None:
        """The play scene, the debrief of a finished game, or the facilitator's console."""
        from game.scenes.console import ConsoleScene
        from game.scenes.debrief import DebriefScene
        from game.scenes.play import PlayScene

        self.ctx.session = session
        self.ctx.message = ""
        if session.facilitator is not None:  # finished or not: undo and branch stay open
            self.ctx.replace(ConsoleScene(self.ctx))
        elif session.finished:
            self.ctx.replace(DebriefScene(self.ctx))
        else:
            self.ctx.replace(PlayScene(self.ctx))

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        w, h = self.ctx.size
        surface.fill(BACKGROUND)
        draw_text(surface, self.label, self.ctx.font("title", True), INK, (w // 2, h // 2 - 40),
                  "center")
        bar = pygame.Rect(w // 4, h // 2, w // 2, max(12, h // 30))
        pygame.draw.rect(surface, (200, 200, 200), bar, border_radius=4)
        fill = bar.copy()
        fill.width = int(bar.width * min(1.0, self.progress))
        pygame.draw.rect(surface, GOOD, fill, border_radius=4)
        super().draw(surface)
