"""Title: language, scenario, starting situation, teams, continue, and a short briefing.

Every text the title draws is laid out as a `TextBlock` in its own box before
drawing, with a font made smaller (never below the floor) where a long
translation or the largest text size would not fit; the tests read the same
blocks to check that nothing is cut off or overlaps at any size.
"""

from __future__ import annotations

from functools import cache

import pygame

from game import save
from game.render import BACKGROUND, BAD, INK, MUTED
from game.scenes.base import Scene
from game.session import Session
from game.ui import TextBlock, fits, font, wrapped_height
from sim.scenario import ScenarioError, list_scenarios, load_scenario

MAX_TEAMS = 6
NAME_LIMIT = 18  # letters in a team name
SLOW_FAMILIES = 5000  # above this many families a warm-up takes long enough to warn about
NAME_COLS = 3  # team names stand in three columns,
NAME_ROWS = -(-MAX_TEAMS // NAME_COLS)  # so six teams take two rows


def playable_scenarios() -> list[str]:
    return [s for s in list_scenarios() if not s.startswith("validation")]


@cache
def scenario_facts(name: str, overrides: tuple[str, ...]) -> tuple[int, str] | None:
    """Families and the file's own description of a scenario, or None if it does not load."""
    try:
        scenario = load_scenario(name, list(overrides) or None)
    except ScenarioError:
        return None
    return scenario.population.families, scenario.run.description


class TitleScene(Scene):
    name = "title"

    def __init__(self, ctx, scenario: str = "neighbourhood", seed: int = 1,
                 overrides: list[str] | None = None, rounds: int | None = None,
                 team_names: list[str] | None = None, facilitator: bool = False) -> None:
        self.scenarios = playable_scenarios()
        if scenario not in self.scenarios:
            self.scenarios.append(scenario)
        self.scenario = scenario
        self.seed = seed
        self.overrides = overrides
        self.rounds = rounds
        self.facilitator = facilitator  # a facilitator's console; the teams play at once
        self.team_names: list[str] = [n[:NAME_LIMIT] for n in team_names or []][:MAX_TEAMS]
        self.name_entries: list = []
        self.seed_entry = None
        self.message = ""
        self.left_blocks: list[TextBlock] = []
        self._left_key: tuple | None = None
        super().__init__(ctx)

    # -- layout --------------------------------------------------------------

    def layout(self) -> None:
        w, h = self.ctx.size
        if not self.team_names:
            self.team_names = [self.t("title.team_default", n=1)]
        self.right_blocks: list[TextBlock] = []
        self.column = pygame.Rect(int(w * 0.52), int(h * 0.05), int(w * 0.45), int(h * 0.91))
        self.gap = max(6, int(h * 0.014))
        self.bh = max(int(h * 0.058), self.ctx.font("body").get_linesize() + 14)
        self.half = (self.column.width - self.gap) // 2
        y = self._layout_language(self.column.top)
        bottom = self._layout_actions()
        teams_top = bottom - self.gap - self._teams_height()
        self._layout_scenario(y, teams_top - self.gap)
        self._layout_teams(teams_top)
        self._left_key = None

    def _label(self, text: str, x: int, y: int, width: int,
               fnt: pygame.font.Font | None = None) -> int:
        """A small bold label above a control; returns the y below it."""
        fnt = fnt or self.ctx.fit_line("small", text, width, bold=True)
        rect = pygame.Rect(x, y, width, fnt.get_linesize())
        self.right_blocks.append(TextBlock(text, fnt, MUTED, rect))
        return rect.bottom + 2

    def _layout_language(self, y: int) -> int:
        """The two languages, each named in itself, so no label is needed."""
        x, half, lang = self.column.left, self.half, self.ctx.settings.lang
        self.option("Nederlands", (x, y, half, self.bh), lambda: self.ctx.set_language("nl"),
                    lang == "nl")
        self.option("English", (x + half + self.gap, y, half, self.bh),
                    lambda: self.ctx.set_language("en"), lang == "en")
        return y + self.bh + int(self.gap * 1.5)

    def _layout_actions(self) -> int:
        """Start and continue, then settings and quit, at the bottom; returns their top."""
        t, x, half, bh = self.t, self.column.left, self.half, self.bh
        y = self.column.bottom - bh
        third = (self.column.width - 2 * self.gap) // 3
        self.button(t("title.settings"), (x, y, third, bh), self.open_settings, "#secondary")
        self.case_button = self.button(t("case.title_button"), (x + third + self.gap, y, third,
                                                                 bh), self.open_cases,
                                       "#secondary")
        self.button(t("title.quit"), (x + 2 * (third + self.gap), y, third, bh), self.quit,
                    "#secondary")
        tall = int(bh * 1.15)
        y -= tall + self.gap
        self.start_button = self.button(t("title.start"), (x, y, half, tall), self.start)
        self.continue_button = self.button(t("title.continue"),
                                           (x + half + self.gap, y, half, tall),
                                           self.continue_game,
                                           enabled=save.autosave_path().exists())
        y -= bh + self.gap
        self.facilitator_button = self.option(t("title.facilitator"),
                                              (x, y, self.column.width, bh),
                                              self.toggle_facilitator, self.facilitator,
                                              tooltip=t("title.facilitator_tip"))
        return y

    def _teams_height(self) -> int:
        """Room for the seed and team row and all name rows, so adding teams moves nothing."""
        label = self.ctx.font("small", True).get_linesize() + 2
        return label + self.bh + self.gap + NAME_ROWS * (self.bh + 5) - 5

    def _layout_scenario(self, y: int, bottom: int) -> None:
        """The scenario chooser, its translated name and what it is about."""
        t, x, cw, bh = self.t, self.column.left, self.column.width, self.bh
        y = self._label(t("title.scenario"), x, y, cw)
        self.button("<", (x, y, bh, bh), lambda: self.cycle_scenario(-1), "#secondary")
        self.button(">", (x + cw - bh, y, bh, bh), lambda: self.cycle_scenario(1), "#secondary")
        name_rect = pygame.Rect(x + bh + self.gap, y, cw - 2 * (bh + self.gap), bh)
        name, about = self.scenario_texts()
        fnt = self.ctx.fit_line("body", name, name_rect.width, bold=True)
        self.right_blocks.append(TextBlock(name, fnt, INK, name_rect, centred=True))
        top = y + bh + self.gap
        box = pygame.Rect(x, top, cw, bottom - top)
        fnt = self.ctx.fit("small", "\n".join(about), box.width, box.height)
        for text, colour in zip(about, (INK, MUTED), strict=False):
            height = wrapped_height(text, fnt, box.width)
            self.right_blocks.append(TextBlock(text, fnt, colour,
                                               pygame.Rect(box.left, top, box.width, height)))
            top += height + int(fnt.get_linesize() * 1.15) - fnt.get_linesize()

    def _layout_teams(self, y: int) -> None:
        """Starting situation number, the team stepper and one name field per team."""
        t, x, half, bh, gap = self.t, self.column.left, self.half, self.bh, self.gap
        x2 = x + half + gap
        labels = (t("title.seed"), t("title.teams"))  # side by side, so one size
        fnt = min((self.ctx.fit_line("small", text, half, bold=True) for text in labels),
                  key=lambda f: f.get_height())
        below = self._label(labels[0], x, y, half, fnt)
        self._label(labels[1], x2, y, half, fnt)
        y = below
        self.seed_entry = self.entry((x, y, half, bh), str(self.seed), t("title.seed_tip"))
        self.seed_entry.set_allowed_characters("numbers")
        self.seed_entry.set_text_length_limit(9)
        n = len(self.team_names)
        self.minus_button = self.button("−", (x2, y, bh, bh), lambda: self.change_teams(-1),
                                        "#secondary", n > 1, t("title.remove_team_tip"))
        self.plus_button = self.button("+", (x2 + int(bh * 2.4), y, bh, bh),
                                       lambda: self.change_teams(1), "#secondary",
                                       n < MAX_TEAMS, t("title.add_team_tip"))
        count = pygame.Rect(x2 + bh, y, int(bh * 1.4), bh)
        fnt = self.ctx.font("title", True)
        if fnt.get_linesize() > bh:  # the largest text size: as big as the row allows
            fnt = font(round(self.ctx.px("title") * bh / fnt.get_linesize()), True)
        self.right_blocks.append(TextBlock(str(n), fnt, INK, count, centred=True))
        y += bh + gap
        self.name_entries = []
        width = (self.column.width - (NAME_COLS - 1) * gap) // NAME_COLS
        for i, name in enumerate(self.team_names):
            col, row = i % NAME_COLS, i // NAME_COLS
            entry = self.entry((x + col * (width + gap), y + row * (bh + 5), width, bh), name)
            entry.set_text_length_limit(NAME_LIMIT)
            self.name_entries.append(entry)

    def scenario_texts(self) -> tuple[str, list[str]]:
        """The chosen scenario's name and its lines: what it is about, and its size."""
        t, sid = self.t, self.scenario
        facts = scenario_facts(sid, tuple(self.overrides or ()))
        name = t(f"scenario.{sid}.name") if t.has(f"scenario.{sid}.name") else sid
        about = []
        if t.has(f"scenario.{sid}.desc"):
            about.append(t(f"scenario.{sid}.desc"))
        elif facts:
            about.append(facts[1])
        if facts:
            size = t("title.scenario_size", n=facts[0])
            about.append(t("title.scenario_slow", size=size) if facts[0] > SLOW_FAMILIES
                         else size)
        return name, about

    def layout_left(self) -> list[TextBlock]:
        """Name, tagline, briefing and any notice, each wrapped inside the left column."""
        w, h = self.ctx.size
        ctx, t = self.ctx, self.t
        left = pygame.Rect(int(w * 0.05), int(h * 0.06), int(w * 0.42), int(h * 0.9))
        gap = int(h * 0.02)
        blocks = []

        def add(text, fnt, colour, top, height=None) -> int:
            height = height if height is not None else wrapped_height(text, fnt, left.width)
            blocks.append(TextBlock(text, fnt, colour,
                                    pygame.Rect(left.left, top, left.width, height)))
            return top + height

        y = add("Samenspel", ctx.fit_line("huge", "Samenspel", left.width, True), INK, left.top)
        tagline = t("title.tagline")
        y = add(tagline, ctx.fit("title", tagline, left.width, h, False), MUTED, y) + gap
        bottom = left.bottom
        msg = self.message or ctx.message
        if msg:
            fnt = ctx.fit("small", msg, left.width, left.height // 3)
            height = min(wrapped_height(msg, fnt, left.width), left.height // 3)
            bottom -= height
            add(msg, fnt, BAD, bottom, height)
            bottom -= gap
        head, briefing = t("title.briefing_head"), t("title.briefing")
        head_font = ctx.fit_line("body", head, left.width, True)
        top = y + head_font.get_linesize() + gap // 2
        fnt = ctx.fit("body", briefing, left.width, bottom - top)
        if fits(briefing, fnt, left.width, bottom - top):  # else the notice matters more
            add(head, head_font, INK, y)
            add(briefing, fnt, INK, top, bottom - top)
        return blocks

    def text_blocks(self) -> list[TextBlock]:
        """Every text the title draws; the left column follows the current notice."""
        key = (self.message, self.ctx.message, self.ctx.size, self.t.lang,
               self.ctx.settings.text_scale)
        if key != self._left_key:
            self.left_blocks = self.layout_left()
            self._left_key = key
        return self.left_blocks + self.right_blocks

    # -- handlers ------------------------------------------------------------

    def read_form(self) -> None:
        """Take the typed names and number from the fields before they are rebuilt."""
        if self.name_entries:
            self.team_names = [e.get_text().strip() or self.t("title.team_default", n=i + 1)
                               for i, e in enumerate(self.name_entries)]
        if self.seed_entry is not None:
            text = self.seed_entry.get_text().strip()
            self.seed = int(text) if text.isdigit() else self.seed

    def build(self) -> None:
        self.read_form()  # a new language or text size keeps what was typed
        super().build()

    def set_teams(self, names: list[str]) -> None:
        """Show exactly these team names (the fields are rebuilt, not read back)."""
        self.name_entries = []
        self.team_names = [n[:NAME_LIMIT] for n in names][:MAX_TEAMS]
        self.build()

    def cycle_scenario(self, step: int) -> None:
        i = self.scenarios.index(self.scenario)
        self.scenario = self.scenarios[(i + step) % len(self.scenarios)]
        self.build()

    def change_teams(self, step: int) -> None:
        self.read_form()
        names = list(self.team_names)
        n = max(1, min(MAX_TEAMS, len(names) + step))
        while len(names) < n:
            names.append(self.t("title.team_default", n=len(names) + 1))
        self.set_teams(names[:n])

    def toggle_facilitator(self) -> None:
        self.facilitator = not self.facilitator
        self.build()

    def start(self) -> None:
        from game.facilitator import Facilitator
        from game.scenes.loading import LoadingScene

        self.read_form()
        try:
            kwargs = {"rounds": self.rounds} if self.rounds else {}
            if self.facilitator:  # the scenario is loaded before the first step runs
                load_scenario(self.scenario, self.overrides or None)
                steps = Facilitator.new_steps(self.scenario, self.seed, self.team_names,
                                              overrides=self.overrides, **kwargs)
            else:
                steps = Session(self.scenario, self.seed, self.team_names,
                                overrides=self.overrides, **kwargs).warm_up_steps()
        except ScenarioError as exc:
            self.message = str(exc)
            return
        self.ctx.push(LoadingScene(self.ctx, steps, self.t("load.warmup")))

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

    def open_cases(self) -> None:
        """The case trainer: one family, its professionals, their decisions."""
        from game.scenes.case_select import CaseSelectScene

        self.ctx.push(CaseSelectScene(self.ctx))

    def quit(self) -> None:
        self.ctx.quit = True

    def on_key(self, key: int) -> None:
        if key == pygame.K_RETURN:
            self.start()
        elif key == pygame.K_ESCAPE:
            self.quit()

    # -- drawing -------------------------------------------------------------

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        surface.fill(BACKGROUND)
        for block in self.text_blocks():
            block.draw(surface)
        super().draw(surface)
