"""The one loop: input -> model work within a time budget -> draw.

The top scene says how many model weeks per second it wants; real time adds to
an accumulator, and a week is begun for every whole unit in it (at most
MAX_TICKS per frame). A scene may run its week in stages (`Scene.work`): each
frame it gets what is left of a 60 Hz frame after drawing (at least
MIN_WORK_S), so frames keep coming while a large town's week runs. When the
machine cannot keep up, at most one week stays owed besides the one running:
the game falls behind the chosen speed instead of snowballing. The leftover
fraction goes to `draw` so animation stays smooth at any speed. Paused,
nothing accumulates.
"""

from __future__ import annotations

import os
import time

import pygame

from game import ui
from game.scenes.base import Context, Settings

MAX_TICKS = 4
FRAME_S = 1 / 60  # the frame the model's work is fitted into
MIN_WORK_S = 0.004  # model work every frame gets, however long its drawing takes
OWED = 1.999  # weeks owed at most while one runs: behind, the next one follows at once
DEFAULT_SIZE = (1280, 720)


class App:
    def __init__(self, size: tuple[int, int] = DEFAULT_SIZE, settings: Settings | None = None,
                 fps_cap: int = 60) -> None:
        pygame.init()
        ui.font.cache_clear()  # fonts do not survive a pygame.quit(), nor what they drew
        ui.rendered.cache_clear()
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
        # What a frame costs besides model work, what drawing a new week adds to that,
        # and how far the last stage of a frame's work runs past its deadline (running
        # averages): the model gets the rest of a 60 Hz frame.
        self.other_s = 0.0
        self.redraw_s = 0.0
        self.over_s = 0.0
        self.week_running = False  # a week was begun and `work` has not said it is done

    def start(self, scene) -> None:
        self.ctx.replace(scene)

    # -- one frame ------------------------------------------------------------

    def frame(self, dt: float) -> None:
        start = time.perf_counter()
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
        work_start = time.perf_counter()
        deadline = work_start + max(MIN_WORK_S, FRAME_S - self.other_s - self.over_s)
        new_week = self._work(dt, deadline)
        work_end = time.perf_counter()
        if work_end > deadline or self.week_running:  # a stage ends past the deadline
            self.over_s += 0.2 * (max(work_end - deadline, 0.0) - self.over_s)
        top = ctx.top
        top.update(dt)
        top.draw(self.screen, self.accumulator % 1.0)
        pygame.display.flip()
        other = (work_start - start) + (time.perf_counter() - work_end)
        if new_week:
            self.redraw_s += 0.2 * (max(other - self.other_s, 0.0) - self.redraw_s)
        else:
            self.other_s += 0.2 * (other - self.other_s)

    def _work(self, dt: float, deadline: float) -> bool:
        """Go on with the week in progress, then begin the weeks that are due, until
        `deadline`; True when a week was finished (this frame draws it afresh).

        A scene's `work` says whether its week is done. Once one is, the frame keeps
        back what redrawing a new week costs (`redraw_s`), so that frame is not
        longer than the others.
        """
        top = self.ctx.top
        rate = top.ticks_per_second()
        if rate > 0:
            self.accumulator += dt * rate
        ticks, new_week = 0, False
        while top.work(deadline):
            if self.week_running:
                self.week_running, new_week = False, True
                deadline -= self.redraw_s
            if top.ticks_per_second() <= 0 or self.accumulator < 1.0 or ticks >= MAX_TICKS:
                break
            if (ticks or new_week) and time.perf_counter() >= deadline:
                break  # a week began or ended in this frame already: the next one waits
            top.tick()
            self.week_running = True
            self.accumulator -= 1.0
            ticks += 1
        if ticks == MAX_TICKS:
            self.accumulator = min(self.accumulator, 0.999)
        self.accumulator = min(self.accumulator, OWED)
        return new_week

    def run(self) -> int:
        last = time.perf_counter()
        while not self.ctx.quit:
            self.clock.tick(self.fps_cap)
            now = time.perf_counter()
            dt, last = min(now - last, 0.25), now
            self.frame(dt)
            self.frame_times.append(dt)
        for scene in reversed(self.ctx.stack):
            scene.close()
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
