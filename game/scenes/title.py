"""Title: language, mode, scenario, seed, teams, continue, and a short briefing."""

from __future__ import annotations

import pygame
import pygame_gui

from game import save
from game.render import BACKGROUND, BAD, INK, MUTED
from game.scenes.base import Scene
from game.session import Session
from game.ui import draw_text, draw_wrapped
from sim.scenario import ScenarioError, list_scenarios

MAX_TEAMS = 6


def playable_scenarios() -> list[str]:
    return [s for s in list_scenarios() if not s.startswith("validation")]


class TitleScene(Scene):
    name = "title"

    def __init__(self, ctx, scenario: str = "neighbourhood", seed: int = 1,
                 overrides: list[str] | None = None, rounds: int | None = None) -> None:
        self.scenarios = playable_scenarios()
        if scenario not in self.scenarios:
            self.scenarios.append(scenario)
        self.scenario = scenario
        self.seed = seed
        self.overrides = overrides
        self.rounds = rounds
        self.team_names: list[str] = []
        self.message = ""
        super().__init__(ctx)

    def layout(self) -> None:
        w, h = self.ctx.size
        t = self.t
        if not self.team_names:
            self.team_names = [t("title.team_default", n=1)]
        bh = int(h * 0.065)
        x = int(w * 0.52)
        cw = int(w * 0.45)
        y = int(h * 0.12)
        half = (cw - 10) // 2
        self.labels: list[tuple[str, tuple[int, int]]] = []
        self.labels.append((t("title.language"), (x, y - int(bh * 0.55))))
        self.button("Nederlands", (x, y, half, bh), lambda: self.ctx.set_language("nl"),
                    "#toggle_on" if self.ctx.settings.lang == "nl" else None)
        self.button("English", (x + half + 10, y, half, bh), lambda: self.ctx.set_language("en"),
                    "#toggle_on" if self.ctx.settings.lang == "en" else None)
        y += int(bh * 1.9)
        self.labels.append((t("title.mode"), (x, y - int(bh * 0.55))))
        third = (cw - 20) // 3
        self.button(t("title.mode_play"), (x, y, third, bh), None, "#toggle_on")
        self.button(t("title.mode_case"), (x + third + 10, y, third, bh), None, "#soon", False)
        self.button(t("title.mode_lab"), (x + 2 * (third + 10), y, third, bh), None, "#soon",
                    False)
        y += int(bh * 1.9)
        self.labels.append((t("title.scenario"), (x, y - int(bh * 0.55))))
        self.button("<", (x, y, bh, bh), lambda: self.cycle_scenario(-1), "#subtle")
        self.scenario_rect = pygame.Rect(x + bh + 8, y, cw - 2 * bh - 16, bh)
        self.button(">", (x + cw - bh, y, bh, bh), lambda: self.cycle_scenario(1), "#subtle")
        y += int(bh * 1.9)
        self.labels.append((t("title.seed"), (x, y - int(bh * 0.55))))
        self.seed_entry = pygame_gui.elements.UITextEntryLine(
            pygame.Rect(x, y, half, bh), manager=self.manager, initial_text=str(self.seed))
        self.seed_entry.set_allowed_characters("numbers")
        self.labels.append((t("title.teams"), (x + half + 10, y - int(bh * 0.55))))
        self.button("−", (x + half + 10, y, bh, bh), lambda: self.change_teams(-1), "#subtle")
        self.count_pos = (x + half + 10 + int(bh * 1.5), y + bh // 2)
        self.button("+", (x + half + 10 + 2 * bh, y, bh, bh), lambda: self.change_teams(1),
                    "#subtle")
        y += int(bh * 1.25)
        self.name_entries = []
        for i, name in enumerate(self.team_names):
            col, row = i % 2, i // 2
            entry = pygame_gui.elements.UITextEntryLine(
                pygame.Rect(x + col * (half + 10), y + row * int(bh * 1.1), half, bh),
                manager=self.manager, initial_text=name)
            entry.set_text_length_limit(18)
            self.name_entries.append(entry)
        y = int(h * 0.8)
        self.start_button = self.button(t("title.start"), (x, y, half, int(bh * 1.2)),
                                        self.start)
        has_save = save.autosave_path().exists()
        self.continue_button = self.button(t("title.continue"),
                                           (x + half + 10, y, half, int(bh * 1.2)),
                                           self.continue_game, enabled=has_save)
        y += int(bh * 1.4)
        self.button(t("title.settings"), (x, y, half, bh), self.open_settings, "#subtle")
        self.button(t("title.quit"), (x + half + 10, y, half, bh), self.quit, "#subtle")

    # -- handlers ------------------------------------------------------------

    def read_names(self) -> None:
        if getattr(self, "name_entries", None):
            self.team_names = [e.get_text().strip() or self.t("title.team_default", n=i + 1)
                               for i, e in enumerate(self.name_entries)]
        if getattr(self, "seed_entry", None):
            text = self.seed_entry.get_text().strip()
            self.seed = int(text) if text.isdigit() else self.seed

    def build(self) -> None:
        self.read_names()
        super().build()

    def set_teams(self, names: list[str]) -> None:
        self.name_entries = []
        self.team_names = list(names)[:MAX_TEAMS]
        self.build()

    def cycle_scenario(self, step: int) -> None:
        i = self.scenarios.index(self.scenario)
        self.scenario = self.scenarios[(i + step) % len(self.scenarios)]

    def change_teams(self, step: int) -> None:
        self.read_names()
        n = max(1, min(MAX_TEAMS, len(self.team_names) + step))
        while len(self.team_names) < n:
            self.team_names.append(self.t("title.team_default", n=len(self.team_names) + 1))
        self.team_names = self.team_names[:n]
        self.build()

    def start(self) -> None:
        from game.scenes.loading import LoadingScene

        self.read_names()
        try:
            kwargs = {"rounds": self.rounds} if self.rounds else {}
            session = Session(self.scenario, self.seed, self.team_names,
                              overrides=self.overrides, **kwargs)
        except ScenarioError as exc:
            self.message = str(exc)
            return
        self.ctx.push(LoadingScene(self.ctx, session.warm_up_steps(), self.t("load.warmup")))

    def continue_game(self) -> None:
        from game.scenes.loading import LoadingScene

        try:
            data = save.read()
        except save.SaveError as exc:
            self.message = self.t(exc.key) + "  " + exc.detail
            return
        self.ctx.push(LoadingScene(self.ctx, save.restore_steps(data), self.t("load.restore")))

    def open_settings(self) -> None:
        from game.scenes.settings import SettingsScene

        self.ctx.push(SettingsScene(self.ctx))

    def quit(self) -> None:
        self.ctx.quit = True

    def on_key(self, key: int) -> None:
        if key == pygame.K_RETURN:
            self.start()
        elif key == pygame.K_ESCAPE:
            self.quit()

    # -- drawing -------------------------------------------------------------

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        w, h = self.ctx.size
        surface.fill(BACKGROUND)
        t, ctx = self.t, self.ctx
        left = pygame.Rect(int(w * 0.05), int(h * 0.08), int(w * 0.42), int(h * 0.84))
        y = draw_text(surface, "Samenspel", ctx.font("huge", True), INK, left.topleft).bottom
        y = draw_text(surface, t("title.tagline"), ctx.font("title"), MUTED,
                      (left.left, y + 4)).bottom + int(h * 0.03)
        draw_text(surface, t("title.briefing_head"), ctx.font("body", True), INK, (left.left, y))
        y += int(ctx.font("body").get_linesize() * 1.4)
        draw_wrapped(surface, t("title.briefing"), ctx.font("body"), INK,
                     pygame.Rect(left.left, y, left.width, left.bottom - y))
        for text, pos in self.labels:
            draw_text(surface, text, ctx.font("small", True), MUTED, pos)
        draw_text(surface, self.scenario, ctx.font("body", True), INK, self.scenario_rect.center,
                  "center")
        draw_text(surface, str(len(self.team_names)), ctx.font("title", True), INK,
                  self.count_pos, "center")
        msg = self.message or ctx.message
        if msg:
            box = pygame.Rect(int(w * 0.52), int(h * 0.66), int(w * 0.45), int(h * 0.12))
            draw_wrapped(surface, msg, ctx.font("small"), BAD, box)
        super().draw(surface)
