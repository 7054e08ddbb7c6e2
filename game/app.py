"""The one loop: input -> fixed-step model ticks from an accumulator with a cap -> draw.

The top scene says how many model weeks per second it wants; real time adds to
an accumulator, whole weeks are ticked off (at most MAX_TICKS per frame, so a
slow frame never snowballs), and the leftover fraction goes to `draw` so
animation stays smooth at any speed. Paused, nothing accumulates.
"""

from __future__ import annotations

import os
import time

import pygame

from game import ui
from game.scenes.base import Context, Settings

MAX_TICKS = 4
DEFAULT_SIZE = (1280, 720)


class App:
    def __init__(self, size: tuple[int, int] = DEFAULT_SIZE, settings: Settings | None = None,
                 fps_cap: int = 60) -> None:
        pygame.init()
        ui.font.cache_clear()  # fonts do not survive a pygame.quit()
        pygame.display.set_caption("Samenspel")
        self.settings = settings or Settings.load()
        self.windowed_size = size
        flags = pygame.RESIZABLE
        if self.settings.fullscreen and os.environ.get("SDL_VIDEODRIVER") != "dummy":
            flags = pygame.FULLSCREEN
            size = (0, 0)
        self.screen = pygame.display.set_mode(size, flags)
        self.ctx = Context(self.screen, self.settings)
        self.fps_cap = fps_cap
        self.clock = pygame.time.Clock()
        self.accumulator = 0.0
        self.frame_times: list[float] = []

    def start(self, scene) -> None:
        self.ctx.replace(scene)

    # -- one frame ------------------------------------------------------------

    def frame(self, dt: float) -> None:
        ctx = self.ctx
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                ctx.quit = True
            elif event.type == pygame.VIDEORESIZE and not self.settings.fullscreen:
                self._set_mode((max(event.w, 960), max(event.h, 540)), pygame.RESIZABLE)
            elif event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
                self.ctx.want_fullscreen = not self.settings.fullscreen
            else:
                ctx.top.process_event(event)
        if ctx.want_fullscreen is not None:
            self._fullscreen(ctx.want_fullscreen)
        top = ctx.top
        rate = top.ticks_per_second()
        if rate > 0:
            self.accumulator += dt * rate
            ticks = 0
            while self.accumulator >= 1.0 and ticks < MAX_TICKS:
                top.tick()
                self.accumulator -= 1.0
                ticks += 1
            if ticks == MAX_TICKS:
                self.accumulator = min(self.accumulator, 0.999)
        top = ctx.top
        top.update(dt)
        top.draw(self.screen, self.accumulator % 1.0)
        pygame.display.flip()

    def run(self) -> int:
        last = time.perf_counter()
        while not self.ctx.quit:
            self.clock.tick(self.fps_cap)
            now = time.perf_counter()
            dt, last = min(now - last, 0.25), now
            self.frame(dt)
            self.frame_times.append(dt)
        pygame.quit()
        return 0

    # -- window ---------------------------------------------------------------

    def _set_mode(self, size, flags) -> None:
        self.screen = pygame.display.set_mode(size, flags)
        self.ctx.screen = self.screen
        self.ctx.rebuild_all()

    def _fullscreen(self, full: bool) -> None:
        self.ctx.want_fullscreen = None
        self.settings.fullscreen = full
        if full and os.environ.get("SDL_VIDEODRIVER") != "dummy":
            self._set_mode((0, 0), pygame.FULLSCREEN)
        else:
            self._set_mode(self.windowed_size, pygame.RESIZABLE)
