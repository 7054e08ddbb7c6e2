"""Debrief: teams side by side - KPIs, charts, cards, predictions, family stories, export.

Every tab is laid out as a `Plan` before it is drawn: texts as `TextBlock`s in
their own boxes, with fonts made smaller (never below the readable floor)
where six teams, long team names or the largest text size would not fit. When
even the floor is too big, the tab shows fewer teams at a time, with buttons
to page through them; the tests read the plans to check nothing is cut off.

Teams are told apart by colour and by a marker shape (`charts.TEAM_MARKERS`);
their colours are never the blue and vermillion that mean good and bad.

An export runs in a background thread, after a "busy" notice has been drawn,
so the window never freezes; the thread only reads the finished session and
writes files - it never touches a pygame surface.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pygame

from game import charts, save, turning_points, ui
from game.debrief_export import KINDS, cards_text, prediction, team_colour
from game.indicators import BY_KEY, INDICATORS, rank
from game.panels import change, meets
from game.render import BACKGROUND, BAD, GOOD, INK, MUTED, PANEL
from game.scenes.base import CHOSEN_MARK, Scene
from game.session import ROUND_WEEKS
from game.stories import family_story, interesting_families, retold_summary
from game.ui import TextBlock, wrap, wrapped_height

TABS = ("kpis", "charts", "cards", "predictions", "stories", "turning")
TURNING_KPI = "mean_wait_weeks"  # the KPI charted beside a team's turning points
STORY_LINES = (6, 5, 4, 3)
GAP = 8

Font = pygame.font.Font
Shape = Callable[[pygame.Surface], None]


@dataclass
class Plan:
    """What a tab draws: shapes first, then texts, each text in a box it fits."""

    texts: list[TextBlock] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)

    def text(self, text: str, font: Font, colour, rect, centred: bool = False) -> TextBlock:
        block = TextBlock(text, font, colour, pygame.Rect(rect), centred)
        self.texts.append(block)
        return block

    def line(self, text: str, font: Font, colour, pos) -> pygame.Rect:
        """One line of text at `pos` (top left), in a box its own size."""
        w, _ = font.size(text)
        return self.text(text, font, colour, (pos[0], pos[1], w, font.get_linesize())).rect

    def draw(self, surface: pygame.Surface) -> None:
        for shape in self.shapes:
            shape(surface)
        for block in self.texts:
            block.draw(surface)

    def fits(self, area: pygame.Rect) -> bool:
        return all(b.fits() and area.contains(b.rect) for b in self.texts)


class ExportJob(threading.Thread):
    """One export in the background: only reads the session and writes files."""

    def __init__(self, session, t, folder: Path, kind: str) -> None:
        super().__init__(daemon=True)
        self.session, self.t, self.folder, self.kind = session, t, folder, kind
        self.paths: dict[str, Path] = {}
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            from game.debrief_export import export

            self.paths = export(self.session, self.t, self.folder, (self.kind,))
        except Exception as exc:  # shown to the player: an export never ends a workshop
            self.error = exc


class DebriefScene(Scene):
    name = "debrief"

    def __init__(self, ctx) -> None:
        self.session = ctx.session
        self.tab = "kpis"
        self.notice = ""
        self.notice_colour = GOOD
        self.page = 0
        self.pending: str | None = None  # an export waiting for its notice to be drawn
        self.notice_drawn = False
        self.job: ExportJob | None = None
        self.story_cache: dict[tuple[str, int, int], list[tuple[str, list[str]]]] = {}
        self.turning_cache: dict[tuple[str, int], list[tuple[int, str, str]]] = {}
        self.flag_cache: dict[int, list[tuple[float, str]]] = {}
        if self.session is not None:
            turning_points.prepare(self.session)
        super().__init__(ctx)

    # -- layout -------------------------------------------------------------------

    def layout(self) -> None:
        w, h = self.ctx.size
        t = self.t
        pad = max(12, int(h * 0.017))
        bh = max(int(h * 0.06), self.ctx.font("button").get_linesize() + 14)
        btn = self.ctx.font("button")
        x = w - pad
        busy = self.pending is not None or self.job is not None
        for label, handler in reversed([*[(k.upper(), lambda k=k: self.export(k)) for k in KINDS],
                                        (t("debrief.to_title"), self.to_title)]):
            bw = max(int(w * 0.06), btn.size(label)[0] + 28)
            x -= bw
            self.button(label, (x, pad, bw, bh), handler, "#subtle",
                        enabled=not (busy and label.lower() in KINDS))
            x -= 6
        self.title_rect = pygame.Rect(pad, pad, x - 2 * pad, bh)
        y = pad + bh + GAP
        x = pad
        for tab in TABS:
            label = t(f"debrief.tab_{tab}")
            tw = max(int(w * 0.1), btn.size(CHOSEN_MARK + label)[0] + 28)
            self.option(label, (x, y, tw, bh), lambda tab=tab: self.set_tab(tab), tab == self.tab)
            x += tw + 6
        y += bh + GAP
        self.notice_block = None
        if self.notice:
            fnt = self.ctx.font("small")
            height = wrapped_height(self.notice, fnt, w - 2 * pad)
            self.notice_block = TextBlock(self.notice, fnt, self.notice_colour,
                                          pygame.Rect(pad, y, w - 2 * pad, height))
            y += height + GAP
        self.body = pygame.Rect(pad, y, w - 2 * pad, h - y - pad)
        self.row_h = bh
        self.plan_tab()
        self.picture: pygame.Surface | None = None

    def plan_tab(self) -> None:
        """Lay out the current tab, with as many teams per page as fit."""
        teams = list(enumerate(self.session.teams))
        if self.tab == "charts":
            self.pages = [teams]
        else:
            self.pages = self._pages(teams)
        self.page = min(self.page, len(self.pages) - 1)
        body = self.body
        if len(self.pages) > 1:
            body = self._page_buttons()
        self.plan = self._plan(self.pages[self.page], body, force=True)

    def _pages(self, teams):
        for per in range(len(teams), 0, -1):
            pages = [teams[i:i + per] for i in range(0, len(teams), per)]
            reserve = 0 if per == len(teams) else self.row_h + GAP
            body = pygame.Rect(self.body.left, self.body.top + reserve, self.body.width,
                               self.body.height - reserve)
            if all(self._plan(p, body) is not None for p in pages):
                return pages
        return [[team] for team in teams]

    def _page_buttons(self) -> pygame.Rect:
        """"◀ Teams 1–3 of 6 ▶" above the body; returns what is left of the body."""
        first, last = self.pages[self.page][0][0] + 1, self.pages[self.page][-1][0] + 1
        y, bh = self.body.top, self.row_h
        bw = max(bh, self.ctx.font("button").size("◀")[0] + 24)
        self.button("◀", (self.body.left, y, bw, bh), lambda: self.turn_page(-1), "#subtle",
                    enabled=self.page > 0)
        label = self.t("debrief.page", first=first, last=last, n=len(self.session.teams))
        fnt = self.ctx.font("body", True)
        lw = fnt.size(label)[0] + 16
        self.page_label = TextBlock(label, fnt, INK,
                                    pygame.Rect(self.body.left + bw + 8, y, lw, bh), True)
        self.button("▶", (self.body.left + bw + lw + 16, y, bw, bh), lambda: self.turn_page(1),
                    "#subtle", enabled=self.page < len(self.pages) - 1)
        return pygame.Rect(self.body.left, y + bh + GAP, self.body.width,
                           self.body.height - bh - GAP)

    def _plan(self, teams, rect: pygame.Rect, force: bool = False) -> Plan | None:
        plan = getattr(self, f"_plan_{self.tab}")(teams, rect, force)
        if plan is not None and not force and not plan.fits(rect):
            return None
        return plan

    # -- actions ------------------------------------------------------------------

    def set_tab(self, tab: str) -> None:
        self.tab = tab
        self.page = 0
        self.build()

    def turn_page(self, step: int) -> None:
        self.page = max(0, min(len(self.pages) - 1, self.page + step))
        self.build()

    def export(self, kind: str) -> None:
        """Show that the export is under way; it starts once that notice is on screen."""
        if self.pending or self.job:
            return
        self.pending = kind
        self.notice_drawn = False
        self.set_notice(self.t("debrief.exporting", kind=kind.upper()), MUTED)

    def set_notice(self, text: str, colour) -> None:
        self.notice, self.notice_colour = text, colour
        self.build()

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.pending and self.notice_drawn:
            self.job = ExportJob(self.session, self.t, save.save_dir() / "export", self.pending)
            self.pending = None
            self.job.start()
        elif self.job is not None and not self.job.is_alive():
            self.finish_export(self.job)

    def finish_export(self, job: ExportJob) -> None:
        self.job = None
        if job.error is not None or not job.paths:
            self.set_notice(self.t("debrief.export_failed", error=str(job.error)), BAD)
            return
        names = ", ".join(p.name for p in job.paths.values())
        self.set_notice(self.t("debrief.exported", files=names, folder=str(job.folder)), GOOD)

    def to_title(self) -> None:
        from game.scenes.title import TitleScene

        self.ctx.replace(TitleScene(self.ctx, self.session.scenario_name, self.session.seed,
                                    team_names=[tm.name for tm in self.session.teams]))

    def on_key(self, key: int) -> None:
        if pygame.K_1 <= key < pygame.K_1 + len(TABS):
            self.set_tab(TABS[key - pygame.K_1])
        elif key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.turn_page(-1 if key == pygame.K_LEFT else 1)

    # -- drawing ------------------------------------------------------------------

    def title_block(self) -> TextBlock:
        r = self.title_rect
        fnt = self.ctx.fit_line("title", self.t("debrief.title"), r.width, True)
        return TextBlock(self.t("debrief.title"), fnt, INK,
                         pygame.Rect(r.left, r.centery - fnt.get_linesize() // 2, r.width,
                                     fnt.get_linesize()))

    def frame_blocks(self) -> list[TextBlock]:
        """The texts around a tab: the title, the notice, the page."""
        blocks = [self.title_block()]
        if self.notice_block is not None:
            blocks.append(self.notice_block)
        if len(self.pages) > 1:
            blocks.append(self.page_label)
        return blocks

    def text_blocks(self) -> list[TextBlock]:
        """Every text this scene draws besides its buttons (for the overflow tests)."""
        return self.frame_blocks() + self.plan.texts

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        """Nothing on a tab moves: it is drawn once per layout and then only copied,
        which leaves the time to an export running beside it."""
        if self.picture is None or self.picture.get_size() != surface.get_size():
            self.picture = pygame.Surface(surface.get_size())
            self.picture.fill(BACKGROUND)
            self.plan.draw(self.picture)
            for block in self.frame_blocks():
                block.draw(self.picture)
        surface.blit(self.picture, (0, 0))
        if self.notice_block is not None:
            self.notice_drawn = True
        super().draw(surface)

    # -- fonts ------------------------------------------------------------------------

    def _font(self, kind: str, ok: Callable[[Font], bool], bold: bool = False,
              force: bool = False, least: int = 0) -> Font | None:
        """The largest `kind` font, down to the readable floor (or `least`), for which `ok`
        holds; with `force`, the floor when none does. (A smaller font never fits worse,
        so the sizes are bisected.)"""
        top = self.ctx.px(kind)
        low = min(max(ui.floor_px(self.ctx.size[1]), least), top)
        if ok(ui.font(top, bold)):
            return ui.font(top, bold)
        if not ok(ui.font(low, bold)):
            return ui.font(low, bold) if force else None
        fits, too_big = low, top
        while too_big - fits > 1:
            mid = (fits + too_big) // 2
            if ok(ui.font(mid, bold)):
                fits = mid
            else:
                too_big = mid
        return ui.font(fits, bold)

    # -- team heads -------------------------------------------------------------------

    def _heads(self, plan: Plan, teams, rect, left: int, col_w: int, force: bool) -> int | None:
        """Colour bar with the team's marker, and the name (at most two lines) under it;
        returns the y below them. Names break between words if they can, else anywhere."""
        name_w = col_w - 8
        fnt, hard = None, False
        for hard in (False, True):
            fnt = self._font("body", lambda f, h=hard: all(
                len(break_lines(tm.name, f, name_w, h)) <= 2 for _, tm in teams), True,
                force and hard)
            if fnt is not None:
                break
        if fnt is None:
            return None
        names = ["\n".join(break_lines(tm.name, fnt, name_w, hard)) for _, tm in teams]
        lines = max(name.count("\n") + 1 for name in names)
        height = wrapped_height("x\n" * (lines - 1) + "x", fnt, name_w)
        size = max(6, round(fnt.get_linesize() / 2.6))
        top = rect.top + 2 * size + 4
        for i, (k, _) in enumerate(teams):
            x = left + i * col_w + 4
            colour, shape = team_colour(k), charts.TEAM_MARKERS[k % len(charts.TEAM_MARKERS)]
            mid = rect.top + size + 1
            bar = pygame.Rect(x + 2 * size + 6, mid - 3, col_w - 14 - 2 * size, 7)
            plan.shapes.append(lambda s, b=bar, c=colour: pygame.draw.rect(s, c, b))
            plan.shapes.append(lambda s, c=(x + size + 1, mid), col=colour, sh=shape:
                               charts.draw_marker(s, sh, c, size, col))
            plan.text(names[i], fnt, INK, (x, top, name_w, height))
        return top + height + GAP

    # -- KPIs ---------------------------------------------------------------------------

    def _plan_kpis(self, teams, rect, force) -> Plan | None:
        n = len(self.session.teams)
        label_w = int(rect.width * (0.3 if len(teams) <= 3 else 0.22))
        col_w = (rect.width - label_w) // len(teams)
        plan = Plan()
        y0 = self._heads(plan, teams, rect, rect.left + label_w, col_w, force)
        if y0 is None:
            return None
        row_h = (rect.bottom - y0) // len(INDICATORS)
        rows = [self._kpi_row(ind, teams, n) for ind in INDICATORS]
        inner = col_w - 8
        small = self._font("small", lambda f: all(
            f.size(c["start"])[0] <= inner and f.size(c["rank"])[0] <= inner
            for r in rows for c in r["cells"]) and all(
            f.size(r["target"])[0] <= label_w - 12 for r in rows), force=force)
        if small is None:
            return None
        sl = small.get_linesize()

        def beside(f: Font) -> bool:
            return all(f.size(c["value"])[0] + 8 + small.size(c["rank"])[0] <= inner
                       for r in rows for c in r["cells"])

        def value_ok(f: Font) -> bool:
            lines = 1 if beside(f) else 2
            return (all(f.size(c["value"])[0] <= inner for r in rows for c in r["cells"])
                    and f.get_linesize() + lines * sl + 4 <= row_h)

        big = self._font("title", value_ok, True, force)
        label = self._font("body", lambda f: all(
            ui.fits(r["name"], f, label_w - 12, row_h - (sl if r["target"] else 0))
            for r in rows), force=force)
        if big is None or label is None:
            return None
        for i, row in enumerate(rows):
            y = y0 + i * row_h
            name_h = wrapped_height(row["name"], label, label_w - 12)
            plan.text(row["name"], label, INK, (rect.left, y, label_w - 12, name_h))
            if row["target"]:
                plan.line(row["target"], small, MUTED, (rect.left, y + name_h))
            for j, cell in enumerate(row["cells"]):
                self._kpi_cell(plan, cell, (rect.left + label_w + j * col_w + 4, y), big, small,
                               beside(big))
        return plan

    def _kpi_row(self, ind, teams, n: int) -> dict:
        """The texts of one KPI's row: name, target, and per team value, start and place."""
        t, fmt = self.t, self.t.fmt
        everyone = [tm.history[-1][ind.key] for tm in self.session.teams]
        places = rank(ind, everyone)
        cells = []
        for k, tm in teams:
            value, start = tm.history[-1][ind.key], tm.history[0][ind.key]
            ok = meets(ind, value)
            arrow, colour = change(ind, start, value, fmt)
            cells.append({
                "value": ind.show(value, fmt), "colour": INK if ok is None else (
                    GOOD if ok else BAD),
                "start": t("debrief.since_start", value=ind.show(start, fmt),
                           arrow=arrow).rstrip(),
                "start_colour": colour,
                "rank": t("debrief.rank", n=places[k], of=n)
                if n > 1 and places[k] is not None else "",
                "best": places[k] == 1})
        target = t("kpi.target", value=ind.show_target(fmt)) if ind.target is not None else ""
        return {"name": t(f"kpi.{ind.key}"), "target": target, "cells": cells}

    def _kpi_cell(self, plan: Plan, cell: dict, pos, big: Font, small: Font,
                  beside: bool) -> None:
        x, y = pos
        r = plan.line(cell["value"], big, cell["colour"], (x, y))
        if cell["rank"]:
            colour = INK if cell["best"] else MUTED
            if beside:
                plan.line(cell["rank"], small, colour,
                          (r.right + 8, r.bottom - small.get_linesize() - 2))
            else:
                r = plan.line(cell["rank"], small, colour, (x, r.bottom))
        plan.line(cell["start"], small, cell["start_colour"], (x, r.bottom))

    # -- charts ---------------------------------------------------------------------------

    def _plan_charts(self, teams, rect, force) -> Plan:
        t = self.t
        plan = Plan()
        small, bold = self.ctx.font("small"), self.ctx.font("small", True)
        names = [tm.name for _, tm in teams]
        legend_h = charts.legend(None, (0, 0), rect.width, names, list(map(team_colour, range(
            len(teams)))), small)
        cols, rows = 3, 2
        cw, ch = rect.width // cols, (rect.height - legend_h - GAP) // rows
        for i, ind in enumerate(INDICATORS):
            box = pygame.Rect(rect.left + (i % cols) * cw, rect.top + (i // cols) * ch,
                              cw - 12, ch - 12)
            plan.shapes.append(lambda sf, b=box: pygame.draw.rect(sf, PANEL, b, border_radius=6))
            head = f"{t(f'kpi.short.{ind.key}')} · {t(ind.unit)}"
            fnt = self.ctx.fit_line("small", head, box.width - 16, True)
            plan.line(head, fnt, INK, (box.left + 8, box.top + 4))
            chart = pygame.Rect(box.left + 8, box.top + bold.get_linesize() + 8,
                                box.width - 16, box.height - bold.get_linesize() - 14)
            plan.shapes.append(self._chart(ind, chart, teams, small))
        top = rect.bottom - legend_h
        plan.shapes.append(lambda sf: charts.legend(
            sf, (rect.left, top), rect.width, names, [team_colour(k) for k, _ in teams], small))
        return plan

    def _chart(self, ind, chart: pygame.Rect, teams, font: Font) -> Shape:
        """Draws one KPI's chart of the teams, in the KPI's fixed range."""
        s = self.session
        colours = [team_colour(k) for k, _ in teams]
        markers = [charts.TEAM_MARKERS[k % len(charts.TEAM_MARKERS)] for k, _ in teams]
        labels = [self.t("debrief.round_short", n=r + 1) for r in range(s.rounds)]
        width = max(2, self.ctx.size[1] // 360)

        def draw(surface: pygame.Surface) -> None:
            charts.kpi_lines(surface, chart, ind, [tm.history for _, tm in teams], colours,
                             self.t.fmt, font, s.rounds, ROUND_WEEKS, markers=markers,
                             round_labels=labels, width=width)

        return draw

    # -- cards and predictions: a rounds-by-teams grid -------------------------------------

    def _plan_grid(self, teams, rect, force, cell_text) -> Plan | None:
        t, rounds = self.t, self.session.rounds
        labels = [t("debrief.round", n=r + 1) for r in range(rounds)]
        label_w = max(self.ctx.font("small").size(x)[0] for x in labels) + 16
        col_w = (rect.width - label_w) // len(teams)
        plan = Plan()
        y0 = self._heads(plan, teams, rect, rect.left + label_w, col_w, force)
        if y0 is None:
            return None
        step = (rect.bottom - y0) // max(rounds, 1)
        cells = [[cell_text(tm, r) for _, tm in teams] for r in range(rounds)]
        fnt = self._font("small", lambda f: all(
            ui.fits(text, f, col_w - 12, step - 4) for row in cells for text, _ in row)
            and all(f.size(x)[0] <= label_w - 8 for x in labels), force=force)
        if fnt is None:
            return None
        for r in range(rounds):
            top = y0 + r * step
            if r % 2 == 0:
                plan.shapes.append(lambda s, y=top: pygame.draw.rect(
                    s, (236, 233, 225), (rect.left, y - 2, rect.width, step)))
            plan.line(labels[r], fnt, MUTED, (rect.left, top))
            for j, (text, colour) in enumerate(cells[r]):
                x = rect.left + label_w + j * col_w + 4
                plan.text(text, fnt, colour, (x, top, col_w - 12,
                                              wrapped_height(text, fnt, col_w - 12)))
        return plan

    def _plan_cards(self, teams, rect, force) -> Plan | None:
        return self._plan_grid(teams, rect, force,
                               lambda tm, r: (cards_text(self.t, tm, r), INK))

    def _plan_predictions(self, teams, rect, force) -> Plan | None:
        def cell(tm, r):
            text, right = prediction(self.t, tm, r)
            return text, {True: GOOD, False: BAD}.get(right, MUTED)

        return self._plan_grid(teams, rect, force, cell)

    # -- stories ---------------------------------------------------------------------------

    def _plan_stories(self, teams, rect, force) -> Plan | None:
        col_w = rect.width // len(teams)
        plan = Plan()
        y0 = self._heads(plan, teams, rect, rect.left, col_w, force)
        if y0 is None:
            return None
        # Fewer lines a family before smaller text than the chosen text size; then smaller text.
        chosen = round(self.ctx.px("small") / self.ctx.settings.text_scale)
        tries = [(last, chosen) for last in STORY_LINES] + [(last, 0) for last in STORY_LINES]
        for i, (last, least) in enumerate(tries):
            stories = {k: self._stories(k, last) for k, _ in teams}
            fnt = self._font("small", lambda f, st=stories: all(
                self._story_height(st[k], f, col_w - 24) <= rect.bottom - y0
                for k, _ in teams), force=force and i == len(tries) - 1, least=least)
            if fnt is not None:
                break
        else:
            return None
        bold = ui.font(fnt.point_size, True)
        for i, (k, _) in enumerate(teams):
            x, y = rect.left + i * col_w + 4, y0
            for title, lines in stories[k]:
                y = plan.line(title, bold, INK, (x, y)).bottom
                for line in lines:
                    hgt = wrapped_height(line, fnt, col_w - 24)
                    plan.text(line, fnt, INK, (x, y, col_w - 24, hgt))
                    y += hgt + 2
                y += GAP
        return plan

    def _stories(self, k: int, last: int) -> list[tuple[str, list[str]]]:
        """A team's most eventful families, with their last `last` events (kept, as a
        layout asks for them many times)."""
        key = (self.t.lang, k, last)
        if key not in self.story_cache:
            s, team = self.session, self.session.teams[k]
            self.story_cache[key] = [retold_summary(self.t, team.model, s.warmup)] + [
                (self.t("family.title", n=f),
                 family_story(self.t, team.model.timeline(f), s.warmup, last=last))
                for f in interesting_families(team.model, s.warmup)]
        return self.story_cache[key]

    @staticmethod
    def _story_height(stories, fnt: Font, width: int) -> int:
        height = 0
        for _, lines in stories:
            height += fnt.get_linesize() + GAP
            height += sum(wrapped_height(line, fnt, width) + 2 for line in lines)
        return height

    # -- turning points ----------------------------------------------------------------------

    def _turning_rows(self, k: int) -> list[tuple[int, str, str]]:
        """Team k's rounds and turning points, in time order, in this language (kept)."""
        key = (self.t.lang, k)
        if key not in self.turning_cache:
            base = turning_points.base_model(self.session)
            points = turning_points.team_points(self.session, k, base)
            score = (0, "score", turning_points.prediction_summary(self.t, self.session.teams[k]))
            self.turning_cache[key] = [score, *turning_points.timeline(
                self.t, self.session, k, points, numbered=True)]
            self.flag_cache[k] = turning_points.flags(self.session, points)
        return self.turning_cache[key]

    def _plan_turning(self, teams, rect, force) -> Plan | None:
        """Per team: its waiting time beside the base run's, then round by round its decisions
        and the turning points that followed, each with the base run's same weeks. A team
        alone on a page gets the chart on the left and its story in a column beside it."""
        t = self.t
        col_w = rect.width // len(teams)
        plan = Plan()
        y0 = self._heads(plan, teams, rect, rect.left, col_w, force)
        if y0 is None:
            return None
        alone = len(teams) == 1
        chart_w = int(rect.width * 0.4) if alone else col_w - 20
        inner = rect.width - chart_w - 24 if alone else col_w - 20
        ind = BY_KEY[TURNING_KPI]
        head = f"{t(f'kpi.short.{ind.key}')} · {t(ind.unit)}"
        legend = t("debrief.turning_legend")
        small = self._font("small", lambda f: ui.font(f.point_size, True).size(head)[0]
                           <= chart_w and ui.fits(legend, f, chart_w, 3 * f.get_linesize()),
                           force=force)
        if small is None:
            return None
        share = 0.5 if alone else 0.24
        chart_h = max(int((rect.bottom - y0) * share), 4 * small.get_linesize())
        legend_h = wrapped_height(legend, small, chart_w)
        below = y0 + small.get_linesize() + chart_h + legend_h + GAP
        top = y0 if alone else below
        room = rect.bottom - top
        rows = {k: self._turning_rows(k) for k, _ in teams}
        fnt = self._font("small", lambda f: all(
            self._rows_height(rows[k], f, inner) <= room for k, _ in teams), force=force)
        if fnt is None:
            return None
        bold = ui.font(fnt.point_size, True)
        base_rows = turning_points.base_history(self.session,
                                                turning_points.base_model(self.session))
        for i, (k, team) in enumerate(teams):
            x = rect.left + i * col_w + 4
            plan.line(head, ui.font(small.point_size, True), INK, (x, y0))
            chart = pygame.Rect(x, y0 + small.get_linesize(), chart_w, chart_h)
            plan.shapes.append(self._turning_chart(ind, chart, k, team, base_rows, small))
            plan.text(legend, small, MUTED, (x, chart.bottom + 2, chart_w, legend_h))
            shown = self._fit_rows(rows[k], fnt, inner, room)
            y, left = top, (x + chart_w + 20 if alone else x)
            for _, kind, text in shown:
                f = bold if kind in ("round", "score") else fnt
                hgt = wrapped_height(text, f, inner)
                plan.text(text, f, INK if kind != "more" else MUTED, (left, y, inner, hgt))
                y += hgt + 3
        return plan

    def _turning_chart(self, ind, chart: pygame.Rect, k: int, team, base_rows, font) -> Shape:
        s = self.session
        labels = [self.t("debrief.round_short", n=r + 1) for r in range(s.rounds)]
        colour = team_colour(k)
        marker = charts.TEAM_MARKERS[k % len(charts.TEAM_MARKERS)]
        width = max(2, self.ctx.size[1] // 360)

        def draw(surface: pygame.Surface) -> None:
            charts.kpi_lines(surface, chart, ind, [team.history, base_rows], [colour, MUTED],
                             self.t.fmt, font, s.rounds, ROUND_WEEKS, markers=[marker],
                             round_labels=labels, width=width, dashed=[False, True],
                             flags=self.flag_cache.get(k, ()))

        return draw

    @staticmethod
    def _rows_height(rows, fnt: Font, width: int) -> int:
        bold = ui.font(fnt.point_size, True)
        return sum(wrapped_height(text, bold if kind in ("round", "score") else fnt, width) + 3
                   for _, kind, text in rows)

    def _fit_rows(self, rows, fnt: Font, width: int, room: int):
        """The rows that fit `room`; when some do not, the last line says how many more the
        exports hold."""
        if self._rows_height(rows, fnt, width) <= room:
            return rows
        for keep in range(len(rows) - 1, -1, -1):
            more = [(0, "more", self.t("debrief.turning_more", n=len(rows) - keep))]
            if self._rows_height(rows[:keep] + more, fnt, width) <= room:
                return rows[:keep] + more
        return []


def break_lines(text: str, fnt: Font, width: int, hard: bool = True) -> list[str]:
    """Word wrap; with `hard`, a line still wider than the box is cut where it must be."""
    lines: list[str] = []
    for line in wrap(text, fnt, width):
        while hard and fnt.size(line)[0] > width and len(line) > 1:
            cut = max([i for i in range(1, len(line)) if fnt.size(line[:i])[0] <= width] or [1])
            lines.append(line[:cut])
            line = line[cut:].lstrip()
        lines.append(line)
    return lines
