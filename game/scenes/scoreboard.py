"""The scoreboard for the projector: every team against the targets and against the base run.

One row per team, one column per headline KPI (wait, share without further
help, rating, professional satisfaction) and the prediction points. A cell
gives the team's value, coloured against the target where there is one, and
under it what the team's choices changed: the difference with the base run -
the same neighbourhood on the same seed without new decisions - at the same
week. While the facilitator hides the KPIs the cells say so. The round goes on
running underneath (the console ticks), so the board can stay up while it runs.
"""

from __future__ import annotations

import pygame

from game import ui
from game.console_text import signed
from game.facilitator import SCOREBOARD
from game.indicators import BY_KEY
from game.panels import box
from game.render import BACKGROUND, BAD, GOOD, INK, MUTED
from game.scenes.base import Scene
from game.scenes.debrief import Plan
from game.scenes.play import team_colour
from game.ui import wrapped_height

GAP = 6
STRIPE = 8


class ScoreboardScene(Scene):
    name = "scoreboard"

    def __init__(self, ctx, console) -> None:
        self.console = console
        self.page = 0
        self.per_page = 0  # teams a page; 0: not measured yet
        super().__init__(ctx)

    @property
    def fac(self):
        return self.ctx.session.facilitator

    def layout(self) -> None:
        w, h = self.ctx.size
        t = self.t
        self.pad = max(12, int(h * 0.017))
        bh = max(int(h * 0.06), self.ctx.font("button").get_linesize() + 14)
        btn = self.ctx.font("button")
        x = w - self.pad
        for text, handler in (("EN" if self.ctx.settings.lang == "nl" else "NL",
                               self.toggle_language), (t("scoreboard.back"), self.back)):
            bw = btn.size(text)[0] + 32
            x -= bw
            self.button(text, (x, self.pad, bw, bh), handler, "#subtle")
            x -= GAP
        self.top = self.pad + bh + GAP
        self.title_rect = pygame.Rect(self.pad, self.pad, x - 2 * self.pad, bh)
        self.per_page = 0
        self.plan_texts()  # measures how many teams a page holds
        n = len(self.ctx.session.teams)
        if self.per_page < n:  # more teams than rows: pages, turned with the arrows
            pages = -(-n // self.per_page)
            self.page = min(self.page, pages - 1)
            bw = btn.size("◀")[0] + 32
            for text, step, enabled in (("▶", 1, self.page < pages - 1),
                                        ("◀", -1, self.page > 0)):
                x -= bw
                self.button(text, (x, self.pad, bw, bh), lambda s=step: self.turn(s),
                            "#subtle", enabled=enabled)
                x -= GAP
        self.title_rect = pygame.Rect(self.pad, self.pad, x - 2 * self.pad, bh)
        self.plan_texts()

    # -- the table --------------------------------------------------------------------

    def cells(self) -> tuple[list[tuple[str, str]], list[list[tuple]]]:
        """Column heads (name, under it the target) and per team its cells.

        A cell is (first line, its colour, second line, its colour).
        """
        t, board = self.t, self.fac.scoreboard()
        heads = [(t("scoreboard.team"), "")]
        for key in SCOREBOARD:
            ind = BY_KEY[key]
            target = (t("scoreboard.target", value=ind.show_target(t.fmt))
                      if ind.target is not None else t("scoreboard.no_target"))
            heads.append((t(f"kpi.short.{key}"), target))
        heads.append((t("scoreboard.points"), t("scoreboard.points_note")))
        rows = []
        for row in board["teams"]:
            where = t("scoreboard.where", round=row["round"] + 1, week=row["week"])
            cells = [(row["name"], INK, where, MUTED)]
            for key in SCOREBOARD:
                cells.append(self._cell(key, row))
            if row["kpis"] is None:
                cells.append(("–", MUTED, "", MUTED))
            else:
                cells.append((t("scoreboard.points_n", n=row["points"]), INK,
                              self._last_prediction(row["index"]), MUTED))
            rows.append(cells)
        return heads, rows

    def _last_prediction(self, i: int) -> str:
        """The team's last scored prediction, short: "Wachttijd 6,0 → 5,2"."""
        done = [p for p in self.ctx.session.teams[i].predictions
                if p.get("end") is not None and "value" in p]
        if not done:
            return ""
        p, t = done[-1], self.t
        ind = BY_KEY[p["kpi"]]
        return t("scoreboard.last_prediction", kpi=t(f"kpi.short.{ind.key}"),
                 value=t.fmt.shown(p["value"], ind.fmt), got=t.fmt.shown(p["end"], ind.fmt))

    def _cell(self, key: str, row: dict) -> tuple:
        t, ind = self.t, BY_KEY[key]
        if row["kpis"] is None:
            return t("scoreboard.hidden"), MUTED, "", MUTED
        value, met, way = row["kpis"][key], row["meets"][key], row["better"][key]
        first = (t.fmt.shown(value, ind.fmt), {True: GOOD, False: BAD}.get(met, INK))
        if way is None:
            return (*first, "", MUTED)
        if way == 0:
            return (*first, t("scoreboard.same_as_base"), MUTED)
        shown = signed(t, key, row["versus_base"][key])
        word = "scoreboard.better" if way > 0 else "scoreboard.worse"
        return (*first, t(word, diff=shown), GOOD if way > 0 else BAD)

    def plan_texts(self) -> None:
        w, h = self.ctx.size
        t, plan = self.t, Plan()
        title = t("scoreboard.title")
        fnt = self.ctx.fit_line("title", title, self.title_rect.width, True)
        plan.text(title, fnt, INK, (self.title_rect.left, self.title_rect.centery
                                    - fnt.get_linesize() // 2, self.title_rect.width,
                                    fnt.get_linesize()))
        width = w - 2 * self.pad
        note = t("scoreboard.note") if self.fac.revealed else t("scoreboard.hidden_note")
        small = self.ctx.fit("small", note, width, h // 6)
        note_h = wrapped_height(note, small, width)
        plan.text(note, small, MUTED if self.fac.revealed else BAD,
                  (self.pad, self.top, width, note_h))
        area = pygame.Rect(self.pad, self.top + note_h + 2 * GAP, width,
                           h - self.top - note_h - 2 * GAP - self.pad)
        self._plan_table(plan, area)
        self.plan = plan

    def _plan_table(self, plan: Plan, area: pygame.Rect) -> None:
        """The heads, then the teams of this page, in the largest font all of them fit."""
        heads, every = self.cells()
        if not self.per_page:
            self.per_page = self._rows_that_fit(heads, every, area)
        first = self.page * self.per_page
        rows = every[first:first + self.per_page]
        name_w = int(area.width * 0.2)
        points_w = int(area.width * 0.2)
        kpi_w = (area.width - name_w - points_w) // len(SCOREBOARD)
        widths = [name_w] + [kpi_w] * len(SCOREBOARD) + [points_w]
        inner = [wid - 2 * GAP - STRIPE for wid in widths]

        def sizes(px: int):
            big, small = ui.font(px, True), ui.font(max(ui.floor_px(self.ctx.size[1]), px - 2))
            return big, small

        def fits(px: int) -> bool:
            big, small = sizes(px)
            head_h = big.get_linesize() + small.get_linesize()
            row_h = big.get_linesize() + small.get_linesize() + GAP
            if head_h + 2 * GAP + len(rows) * (row_h + GAP) > area.height:
                return False
            for cells in [heads, *rows]:
                for k, (cell, room) in enumerate(zip(cells, inner, strict=True)):
                    one, two = (cell[0], cell[1]) if len(cell) == 2 else (cell[0], cell[2])
                    if k == 0 and cells is not heads:  # a long name takes both lines,
                        if len(ui.wrap(one, big, room)) > 2 or any(  # broken between words
                                big.size(word)[0] > room for word in one.split()):
                            return False
                    elif big.size(one)[0] > room or small.size(two)[0] > room:
                        return False
            return True

        top, floor = self.ctx.px("body"), ui.floor_px(self.ctx.size[1])
        px = next((p for p in range(top, floor - 1, -1) if fits(p)), floor)
        big, small = sizes(px)
        y = area.top
        x = area.left
        for (name, under), wid, room in zip(heads, widths, inner, strict=True):
            plan.text(name, big, INK, (x + STRIPE + GAP, y, room, big.get_linesize()))
            if under:
                plan.text(under, small, MUTED, (x + STRIPE + GAP, y + big.get_linesize(), room,
                                                small.get_linesize()))
            x += wid
        y += big.get_linesize() + small.get_linesize() + 2 * GAP
        row_h = big.get_linesize() + small.get_linesize() + GAP
        for k, cells in enumerate(rows, start=first):
            rect = pygame.Rect(area.left, y, area.width, row_h)
            colour = team_colour(k)
            plan.shapes.append(lambda srf, r=rect: box(srf, r))
            plan.shapes.append(lambda srf, r=rect, c=colour: pygame.draw.rect(
                srf, c, (r.left, r.top, STRIPE, r.height)))
            x = area.left
            for c, ((one, c1, two, c2), wid, room) in enumerate(zip(cells, widths, inner,
                                                                    strict=True)):
                if c == 0 and big.size(one)[0] > room:  # the name on two lines, no round
                    plan.text(one, big, c1, (x + STRIPE + GAP, y + GAP // 2, room,
                                             wrapped_height(one, big, room)))
                    x += wid
                    continue
                plan.text(one, big, c1, (x + STRIPE + GAP, y + GAP // 2, room,
                                         big.get_linesize()))
                if two:
                    plan.text(two, small, c2, (x + STRIPE + GAP, y + GAP // 2
                                               + big.get_linesize(), room, small.get_linesize()))
                x += wid
            y += row_h + GAP

    def _rows_that_fit(self, heads, rows, area: pygame.Rect) -> int:
        """How many team rows a page holds at the smallest readable text (all, if they fit)."""
        floor = ui.font(ui.floor_px(self.ctx.size[1]), True)
        row_h = 2 * floor.get_linesize() + 2 * GAP
        room = area.height - 2 * floor.get_linesize() - 2 * GAP
        return max(1, min(len(rows), room // row_h))

    def turn(self, step: int) -> None:
        self.page = max(0, self.page + step)
        self.build()

    def text_blocks(self):
        return list(self.plan.texts)

    # -- handlers -----------------------------------------------------------------

    def back(self) -> None:
        self.ctx.pop()

    def toggle_language(self) -> None:
        self.ctx.set_language("en" if self.ctx.settings.lang == "nl" else "nl")

    def on_key(self, key: int) -> None:
        if key in (pygame.K_ESCAPE, pygame.K_s):
            self.back()
        elif key == pygame.K_l:
            self.toggle_language()

    # -- the round runs on ---------------------------------------------------------------

    def ticks_per_second(self) -> float:
        return self.console.ticks_per_second()

    def tick(self) -> None:
        self.console.tick()
        self.plan_texts()

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        surface.fill(BACKGROUND)
        self.plan.draw(surface)
        super().draw(surface)
