"""Play: the neighbourhood map, policy cards, the running quarter and its summary."""

from __future__ import annotations

import pygame

from game import save
from game.cards import BY_ID, EVENT_CARDS, POLICY_CARDS
from game.indicators import INDICATORS
from game.mapview import MapView
from game.panels import (
    draw_cards,
    draw_detail,
    draw_kpis,
    draw_running,
    draw_summary,
    draw_timeline,
)
from game.render import BACKGROUND, INK
from game.scenes.base import Scene
from game.stories import family_story, highlights
from game.ui import draw_text
from sim.states import Channel, FamilyState, Stress

SPEEDS = (0, 1, 4, 16)
PER_PAGE = 12


def card_pages() -> list[list[str]]:
    """Policy cards twelve to a page; the facilitator's events fill up the last page."""
    ids = [c.id for c in POLICY_CARDS] + [c.id for c in EVENT_CARDS]
    return [ids[i:i + PER_PAGE] for i in range(0, len(ids), PER_PAGE)]


class PlayScene(Scene):
    name = "play"

    def __init__(self, ctx) -> None:
        self.session = ctx.session
        self.phase = "planning"
        self.speed = 4
        self.page = 0
        self.selected: str | None = None
        self.family: int | None = None
        self.timeline_lines: list[str] = []
        self.overlays: set[str] = set()
        self.notice = ""
        self.summary: dict | None = None
        self.predict_kpi = 0
        self.card_rects: list[tuple[pygame.Rect, str]] = []
        super().__init__(ctx)

    # -- layout ---------------------------------------------------------------

    def layout(self) -> None:
        w, h = self.ctx.size
        t, s = self.t, self.session
        bar = int(h * 0.075)
        self.card_rects = []
        self.kpi_rect = pygame.Rect(0, int(h * 0.8), w, h - int(h * 0.8))
        ctrl_h = int(h * 0.06)
        map_rect = pygame.Rect(int(w * 0.012), bar + 6, int(w * 0.55),
                               self.kpi_rect.top - bar - ctrl_h - 18)
        self.map = MapView(map_rect, self.ctx.px("small"))
        self.panel = pygame.Rect(int(w * 0.58), bar + 6, int(w * 0.41),
                                 self.kpi_rect.top - bar - 12)
        self.bar_rect = pygame.Rect(0, 0, w, bar)
        if self.summary is not None:
            self._layout_summary()
            return
        # top bar
        bw, bh = int(w * 0.1), int(bar * 0.7)
        y = (bar - bh) // 2
        self.button("EN" if self.ctx.settings.lang == "nl" else "NL",
                    (w - int(w * 0.05) - 8, y, int(w * 0.05), bh), self.toggle_language,
                    "#subtle")
        self.button(t("play.settings"), (w - int(w * 0.05) - 16 - bw, y, bw, bh),
                    self.open_settings, "#subtle")
        self.button(t("play.influence"), (w - int(w * 0.05) - 24 - 2 * bw, y, bw, bh),
                    self.open_influence, "#subtle")
        # controls under the map
        cy = map_rect.bottom + 8
        cw = map_rect.width
        unit = int((cw - 7 * 6) * 0.09)
        wide = (cw - 7 * 6 - 4 * unit - int(unit * 1.6)) // 3
        labels = [(t("play.pause"), 0), ("1×", 1), ("4×", 4), ("16×", 16)]
        x = map_rect.left
        for label, speed in labels:
            wid = int(unit * 1.6) if speed == 0 else unit
            self.button(label, (x, cy, wid, ctrl_h), lambda v=speed: self.set_speed(v),
                        "#toggle_on" if self.phase == "running" and self.speed == speed
                        else "#subtle", tooltip=t("play.speed_tip"))
            x += wid + 6
        self.button("▶|", (x, cy, unit, ctrl_h), self.single_step, "#subtle",
                    tooltip=t("play.step_tip"))
        x += unit + 6
        for key, label in (("trust", "play.overlay_trust"), ("innovation", "play.overlay_innov"),
                           ("budget", "play.overlay_budget")):
            self.button(t(label), (x, cy, wide, ctrl_h), lambda k=key: self.toggle_overlay(k),
                        "#toggle_on" if key in self.overlays else "#subtle")
            x += wide + 6
        if self.family is not None:
            p = self.panel
            self.button(t("play.close"), (p.right - int(w * 0.1), p.bottom - int(h * 0.065),
                                          int(w * 0.1), int(h * 0.06)), self.close_family)
        elif self.phase == "planning" and s is not None:
            self._layout_planning()

    def _layout_planning(self) -> None:
        w, h = self.ctx.size
        t, p = self.t, self.panel
        bh = int(h * 0.055)
        pages = card_pages()
        tab_w = (p.width - 6 * (len(pages) - 1)) // len(pages)
        tab_h = int(h * 0.048)
        for i in range(len(pages)):
            self.button(t("play.page", n=i + 1), (p.left + i * (tab_w + 6), p.top, tab_w, tab_h),
                        lambda i=i: self.set_page(i),
                        "#toggle_on" if i == self.page else "#subtle")
        grid_top = p.top + tab_h + 4
        cols, rows = 3, 4
        bold, small = self.ctx.font("small", True), self.ctx.font("small")
        tile_h = 2 * bold.get_linesize() + small.get_linesize() + 8
        tile_w = (p.width - (cols - 1) * 6) // cols
        for k, card_id in enumerate(pages[self.page]):
            r = pygame.Rect(p.left + (k % cols) * (tile_w + 6),
                            grid_top + (k // cols) * (tile_h + 4), tile_w, tile_h)
            self.card_rects.append((r, card_id))
        top = grid_top + rows * (tile_h + 4)
        self.detail_rect = pygame.Rect(p.left, top, p.width, p.bottom - bh - 8 - top)
        by = p.bottom - bh
        half = (p.width - 6) // 2
        reason = self.session.can_play(self.selected) if self.selected else "x"
        self.play_button = self.button(t("play.play_card"),
                                       (self.detail_rect.right - half // 2 - 6,
                                        self.detail_rect.top + 6, half // 2, bh),
                                       self.play_selected, enabled=reason is None)
        ind = INDICATORS[self.predict_kpi]
        team = self.session.team
        chosen = next((q["direction"] for q in team.predictions
                       if q["round"] == self.session.round), 0)
        q = (half - 12) // 4
        self.button(t(f"kpi.short.{ind.key}"), (p.left, by, 2 * q, bh), self.cycle_predict,
                    "#subtle", tooltip=t("play.predict_tip"))
        self.button("▲", (p.left + 2 * q + 6, by, q, bh), lambda: self.predict(+1),
                    "#toggle_on" if chosen == 1 else "#subtle")
        self.button("▼", (p.left + 3 * q + 12, by, q, bh), lambda: self.predict(-1),
                    "#toggle_on" if chosen == -1 else "#subtle")
        self.start_button = self.button(t("play.start"), (p.left + half + 6, by, half, bh),
                                        self.start_quarter)

    def _layout_summary(self) -> None:
        w, h = self.ctx.size
        self.summary_rect = pygame.Rect(int(w * 0.15), int(h * 0.08), int(w * 0.7),
                                        int(h * 0.84))
        r = self.summary_rect
        bw, bh = int(w * 0.22), int(h * 0.07)
        label = "play.to_debrief" if self.session.finished else "play.next"
        self.next_button = self.button(self.t(label), (r.right - bw - 16, r.bottom - bh - 16,
                                                       bw, bh), self.close_summary)

    # -- handlers ---------------------------------------------------------------

    def toggle_language(self) -> None:
        self.ctx.set_language("en" if self.ctx.settings.lang == "nl" else "nl")
        self._refresh_timeline()

    def open_settings(self) -> None:
        from game.scenes.settings import SettingsScene

        self.ctx.push(SettingsScene(self.ctx))

    def open_influence(self) -> None:
        from game.scenes.influence import InfluenceScene

        self.ctx.push(InfluenceScene(self.ctx))

    def set_speed(self, speed: int) -> None:
        self.speed = speed
        if self.phase == "planning" and speed > 0 and self.summary is None:
            self.start_quarter()
        else:
            self.build()

    def single_step(self) -> None:
        if self.summary is not None:
            return
        if self.phase == "planning":
            self.phase = "running"
        self.speed = 0
        self.tick()
        self.build()

    def toggle_overlay(self, key: str) -> None:
        self.overlays ^= {key}
        self.build()

    def set_page(self, i: int) -> None:
        self.page = i
        self.build()

    def select_card(self, card_id: str) -> None:
        self.selected = card_id
        self.notice = ""
        self.build()

    def play_selected(self) -> None:
        if self.selected is None:
            return
        reason = self.session.play_card(self.selected)
        self.notice = self.t(reason) if reason else self.t("play.played",
                                                            card=self.t(BY_ID[self.selected].title))
        if not reason:
            save.write(self.session)
        self.build()

    def cycle_predict(self) -> None:
        self.predict_kpi = (self.predict_kpi + 1) % len(INDICATORS)
        self.build()

    def predict(self, direction: int) -> None:
        self.session.predict(INDICATORS[self.predict_kpi].key, direction)
        self.build()

    def start_quarter(self) -> None:
        self.phase = "running"
        self.selected = None
        if self.speed == 0:
            self.speed = 4
        self.build()

    def close_family(self) -> None:
        self.family = None
        self.timeline_lines = []
        self.build()

    def show_family(self, f: int) -> None:
        self.family = f
        self._refresh_timeline()
        self.build()

    def _refresh_timeline(self) -> None:
        if self.family is None:
            return
        model = self.session.model
        self.timeline_lines = family_story(self.t, model.timeline(self.family),
                                           self.session.warmup)
        if not self.timeline_lines:
            self.timeline_lines = [self.t("family.quiet")]

    def family_facts(self) -> str:
        fam, f = self.session.model.families, self.family
        state = self.t(f"state.{FamilyState(int(fam.state[f])).name.lower()}")
        stress = self.t(f"stress.{Stress(int(fam.stress[f])).name.lower()}")
        return self.t("family.facts", children=int(fam.children[f]), state=state, stress=stress)

    def close_summary(self) -> None:
        self.summary = None
        if self.session.finished:
            from game.scenes.debrief import DebriefScene

            self.ctx.replace(DebriefScene(self.ctx))
            return
        self.phase = "planning"
        self.page = 0
        self.selected = None
        self.notice = ""
        self.family = None
        self.build()

    def on_key(self, key: int) -> None:
        keys = {pygame.K_SPACE: lambda: self.set_speed(0 if self.speed else 4),
                pygame.K_1: lambda: self.set_speed(1), pygame.K_2: lambda: self.set_speed(4),
                pygame.K_3: lambda: self.set_speed(16), pygame.K_PERIOD: self.single_step,
                pygame.K_t: lambda: self.toggle_overlay("trust"),
                pygame.K_i: lambda: self.toggle_overlay("innovation"),
                pygame.K_b: lambda: self.toggle_overlay("budget"),
                pygame.K_m: self.open_influence, pygame.K_l: self.toggle_language,
                pygame.K_ESCAPE: self.close_family}
        if self.summary is not None:
            keys = {pygame.K_RETURN: self.close_summary, pygame.K_SPACE: self.close_summary}
        if key in keys:
            keys[key]()

    def on_click(self, pos: tuple[int, int]) -> None:
        if self.summary is not None:
            return
        for rect, card_id in self.card_rects:
            if rect.collidepoint(pos):
                self.select_card(card_id)
                return
        f = self.map.family_at(pos, self.session.model.families.n)
        if f is not None:
            self.show_family(f)

    # -- the model ------------------------------------------------------------

    def ticks_per_second(self) -> float:
        return float(self.speed) if self.phase == "running" and self.summary is None else 0.0

    def tick(self) -> None:
        if self.phase != "running" or self.summary is not None:
            return
        self.session.step_week()
        if self.family is not None:
            self._refresh_timeline()
        if self.session.turn_done():
            self.finish_turn()

    def finish_turn(self) -> None:
        """Summarise the quarter, close the turn and autosave before showing anything."""
        s = self.session
        team = s.team
        start = team.history[-1 - 13] if len(team.history) > 13 else team.history[0]
        pred = next((q for q in team.predictions if q["round"] == s.round), None)
        self.summary = {
            "team": team.name, "round": s.round, "before": start, "after": team.history[-1],
            "highlights": highlights(self.t, s.round_events()), "prediction": pred,
            "cards": list(team.cards[s.round]),
        }
        s.end_turn()
        save.write(s)
        self.phase = "planning"
        self.build()

    # -- drawing ----------------------------------------------------------------

    def round_signals(self) -> dict[int, int]:
        """Signals this round per channel (the model logs a channel by its name)."""
        counts: dict[int, int] = {}
        for e in self.session.round_events():
            channel = e.get("channel")
            if e["kind"] == "signal" and channel is not None:
                key = channel if isinstance(channel, int) else Channel[channel.upper()].value
                counts[key] = counts.get(key, 0) + 1
        return counts

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        s, t, ctx = self.session, self.t, self.ctx
        surface.fill(BACKGROUND)
        self._draw_bar(surface)
        self.map.draw(surface, s.model, t, ctx.settings.safe_palette, self.overlays,
                      alpha if self.phase == "running" else 0.0, self.family,
                      self.round_signals())
        if self.family is not None:
            draw_timeline(surface, ctx, self.panel, self.t("family.title", n=self.family),
                          self.family_facts(), self.timeline_lines)
        elif self.phase == "planning" and self.summary is None:
            draw_cards(surface, ctx, self.panel, s, self.card_rects, self.selected, self.page)
            draw_detail(surface, ctx, self.detail_rect, s, self.selected, self.notice)
        elif self.summary is None:
            draw_running(surface, ctx, self.panel, s)
        draw_kpis(surface, ctx, self.kpi_rect, s)
        if self.summary is not None:
            draw_summary(surface, ctx, self.summary_rect, self.summary)
        super().draw(surface)

    def _draw_bar(self, surface: pygame.Surface) -> None:
        s, t = self.session, self.t
        pygame.draw.rect(surface, (232, 229, 220), self.bar_rect)
        week = max(0, min(13, s.weeks_into_turn()))
        text = t("play.status", team=s.team.name, round=s.round + 1, rounds=s.rounds,
                 week=week, budget=f"{s.team.budget_left(s.round) / 1000:.0f}")
        draw_text(surface, text, self.ctx.font("title", True), INK,
                  (12, self.bar_rect.centery), "midleft")
