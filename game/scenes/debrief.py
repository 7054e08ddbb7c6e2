"""Debrief: teams side by side - KPIs, charts, cards, predictions, family stories, export."""

from __future__ import annotations

import pygame

from game import charts, save
from game.cards import BY_ID
from game.indicators import BY_KEY, INDICATORS
from game.panels import change, meets
from game.render import BACKGROUND, BAD, GOOD, INK, MUTED, PANEL, TEAM_COLOURS
from game.scenes.base import Scene
from game.session import ROUND_WEEKS
from game.stories import family_story, interesting_families
from game.ui import draw_text, draw_wrapped, wrap

TABS = ("kpis", "charts", "cards", "predictions", "stories")


class DebriefScene(Scene):
    name = "debrief"

    def __init__(self, ctx) -> None:
        self.session = ctx.session
        self.tab = "kpis"
        self.notice = ""
        super().__init__(ctx)

    def layout(self) -> None:
        w, h = self.ctx.size
        t = self.t
        bh = int(h * 0.06)
        tab_w = int(w * 0.15)
        for i, tab in enumerate(TABS):
            self.button(t(f"debrief.tab_{tab}"), (16 + i * (tab_w + 6), int(h * 0.1), tab_w, bh),
                        lambda tab=tab: self.set_tab(tab),
                        "#toggle_on" if tab == self.tab else "#subtle")
        ew = int(w * 0.085)
        x = w - 16 - 4 * (ew + 6)
        for fmt in ("png", "pdf", "html"):
            self.button(fmt.upper(), (x, 12, ew, bh), self.export, "#subtle")
            x += ew + 6
        self.button(t("debrief.to_title"), (x, 12, ew, bh), self.to_title, "#subtle")
        self.body = pygame.Rect(16, int(h * 0.1) + bh + 12, w - 32, h - int(h * 0.1) - bh - 28)

    def set_tab(self, tab: str) -> None:
        self.tab = tab
        self.build()

    def export(self) -> None:
        from game.debrief_export import export

        paths = export(self.session, self.t, save.save_dir() / "export")
        self.notice = self.t("debrief.exported", folder=str(paths["html"].parent))

    def to_title(self) -> None:
        from game.scenes.title import TitleScene

        self.ctx.replace(TitleScene(self.ctx, self.session.scenario_name, self.session.seed))

    def on_key(self, key: int) -> None:
        if pygame.K_1 <= key <= pygame.K_5:
            self.set_tab(TABS[key - pygame.K_1])

    # -- drawing ----------------------------------------------------------------

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        surface.fill(BACKGROUND)
        ctx = self.ctx
        draw_text(surface, self.t("debrief.title"), ctx.font("title", True), INK, (16, 14))
        if self.notice:
            draw_text(surface, self.notice, ctx.font("small"), GOOD,
                      (16, 14 + ctx.font("title").get_linesize()))
        getattr(self, f"_draw_{self.tab}")(surface, self.body)
        super().draw(surface)

    def _columns(self, rect, first: float = 0.3):
        teams = self.session.teams
        label_w = int(rect.width * first)
        col_w = (rect.width - label_w) // max(len(teams), 1)
        return label_w, col_w

    def _team_heads(self, surface, rect, label_w, col_w) -> int:
        bold = self.ctx.font("body", True)
        for k, team in enumerate(self.session.teams):
            x = rect.left + label_w + k * col_w
            pygame.draw.rect(surface, TEAM_COLOURS[k % 6], (x + 4, rect.top, col_w - 8, 6))
            draw_text(surface, team.name, bold, INK, (x + 4, rect.top + 8))
        return rect.top + 10 + bold.get_linesize()

    def _draw_kpis(self, surface, rect) -> None:
        t, teams = self.t, self.session.teams
        body, small = self.ctx.font("body"), self.ctx.font("small")
        label_w, col_w = self._columns(rect)
        y = self._team_heads(surface, rect, label_w, col_w) + 6
        step = int(max(body.get_linesize() + small.get_linesize(), rect.height / 9))
        for ind in INDICATORS:
            draw_text(surface, t(f"kpi.{ind.key}"), body, INK, (rect.left, y))
            if ind.target is not None:
                draw_text(surface, t("kpi.target", value=ind.show_target()), small, MUTED,
                          (rect.left, y + body.get_linesize()))
            first = teams[0].history[-1][ind.key]
            for k, team in enumerate(teams):
                x = rect.left + label_w + k * col_w + 4
                value = team.history[-1][ind.key]
                ok = meets(ind, value)
                colour = INK if ok is None else (GOOD if ok else BAD)
                r = draw_text(surface, ind.show(value), self.ctx.font("title", True), colour,
                              (x, y))
                start = team.history[0][ind.key]
                arrow, c = change(ind, start, value)
                draw_text(surface, t("debrief.since_start", value=ind.show(start), arrow=arrow),
                          small, c, (x, r.bottom))
                if k > 0:
                    arrow, c = change(ind, first, value)
                    draw_text(surface, t("debrief.vs_first", arrow=arrow), small, c,
                              (r.right + 8, r.top + 4))
            y += step

    def _draw_charts(self, surface, rect) -> None:
        t, teams = self.t, self.session.teams
        cols, rows = 3, 2
        cw, ch = rect.width // cols, (rect.height - 30) // rows
        bold = self.ctx.font("small", True)
        length = self.session.rounds * ROUND_WEEKS + 1
        for i, ind in enumerate(INDICATORS):
            box = pygame.Rect(rect.left + (i % cols) * cw, rect.top + (i // cols) * ch,
                              cw - 12, ch - 12)
            pygame.draw.rect(surface, PANEL, box, border_radius=6)
            draw_text(surface, t(f"kpi.short.{ind.key}"), bold, INK, (box.left + 8, box.top + 4))
            chart = pygame.Rect(box.left + 8, box.top + bold.get_linesize() + 8, box.width - 16,
                                box.height - bold.get_linesize() - 16)
            charts.lines(surface, chart, [[r[ind.key] for r in tm.history] for tm in teams],
                         [TEAM_COLOURS[k % 6] for k in range(len(teams))], ind.target,
                         list(range(ROUND_WEEKS, length, ROUND_WEEKS)), length=length)
        x = rect.left
        for k, team in enumerate(teams):
            pygame.draw.rect(surface, TEAM_COLOURS[k % 6], (x, rect.bottom - 18, 24, 12))
            x = draw_text(surface, team.name, bold, INK, (x + 30, rect.bottom - 24)).right + 20

    def _round_grid(self, surface, rect):
        """Team headers and one labelled row per round; yields (round, team index, team, cell)."""
        t, small = self.t, self.ctx.font("small")
        label_w, col_w = self._columns(rect, 0.12)
        y = self._team_heads(surface, rect, label_w, col_w)
        step = (rect.bottom - y) / max(self.session.rounds, 1)
        for r in range(self.session.rounds):
            top = int(y + r * step)
            draw_text(surface, t("debrief.round", n=r + 1), small, MUTED, (rect.left, top))
            for k, team in enumerate(self.session.teams):
                cell = pygame.Rect(rect.left + label_w + k * col_w + 4, top, col_w - 8, int(step))
                yield r, k, team, cell

    def _draw_cards(self, surface, rect) -> None:
        t, small = self.t, self.ctx.font("small")
        for r, _, team, cell in self._round_grid(surface, rect):
            cards = team.cards[r] if r < len(team.cards) else []
            text = ", ".join(t(BY_ID[c].title) for c in cards) or "–"
            draw_wrapped(surface, text, small, INK, cell, 1.0)

    def _draw_predictions(self, surface, rect) -> None:
        t, small = self.t, self.ctx.font("small")
        for r, _, team, cell in self._round_grid(surface, rect):
            pred = next((p for p in team.predictions if p["round"] == r), None)
            if pred is None or pred.get("end") is None:
                draw_text(surface, "–", small, MUTED, cell.topleft)
                continue
            ind = BY_KEY[pred["kpi"]]
            went_up = (pred["end"] or 0) > (pred["start"] or 0)
            right = went_up == (pred["direction"] > 0)
            text = t("debrief.prediction", kpi=t(f"kpi.short.{ind.key}"),
                     said="▲" if pred["direction"] > 0 else "▼",
                     got="▲" if went_up else "▼")
            draw_text(surface, text + ("  ✓" if right else "  ✗"), small,
                      GOOD if right else BAD, cell.topleft)

    def _draw_stories(self, surface, rect) -> None:
        t, s = self.t, self.session
        small, bold = self.ctx.font("small"), self.ctx.font("small", True)
        label_w, col_w = self._columns(rect, 0.0)
        y0 = self._team_heads(surface, rect, label_w, col_w)
        for k, team in enumerate(s.teams):
            x = rect.left + k * col_w + 4
            y = y0
            for f in interesting_families(team.model, s.warmup):
                y = draw_text(surface, t("family.title", n=f), bold, INK, (x, y)).bottom
                for line in family_story(t, team.model.timeline(f), s.warmup, last=6):
                    for part in wrap(line, small, col_w - 12):
                        if y + small.get_linesize() > rect.bottom:
                            break
                        surface.blit(small.render(part, True, INK), (x, y))
                        y += small.get_linesize()
                y += 8
