"""Influence map: which levers drive which KPIs, and in which direction (from cards.py)."""

from __future__ import annotations

import pygame

from game.cards import POLICY_CARDS
from game.indicators import INDICATORS
from game.render import BACKGROUND, BAD, GOOD, INK, MUTED
from game.scenes.base import Scene
from game.ui import draw_text, font


class InfluenceScene(Scene):
    name = "influence"

    def layout(self) -> None:
        w, h = self.ctx.size
        self.button(self.t("play.close"), (w - int(w * 0.14) - 12, 10, int(w * 0.14),
                                           int(h * 0.06)), self.ctx.pop)

    def on_key(self, key: int) -> None:
        if key in (pygame.K_ESCAPE, pygame.K_m):
            self.ctx.pop()

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        w, h = self.ctx.size
        t = self.t
        surface.fill(BACKGROUND)
        draw_text(surface, t("influence.title"), self.ctx.font("title", True), INK, (16, 12))
        draw_text(surface, t("influence.key"), self.ctx.font("small"), MUTED,
                  (16, 12 + self.ctx.font("title").get_linesize()))
        top = int(h * 0.16)
        rows = len(POLICY_CARDS)
        row_h = (h - top - 10) / (rows + 1)
        size = max(10, min(self.ctx.px("small"), int(row_h * 0.8)))
        fnt, bold = font(size), font(size, True)
        label_w = int(w * 0.3)
        col_w = (w - label_w - 32) / len(INDICATORS)
        played = set()
        if self.ctx.session is not None:
            played = {c for r in self.ctx.session.team.cards for c in r}
        for j, ind in enumerate(INDICATORS):
            x = label_w + 16 + col_w * (j + 0.5)
            draw_text(surface, t(f"kpi.short.{ind.key}"), bold, INK, (x, top), "midbottom")
        for i, card in enumerate(POLICY_CARDS):
            y = top + row_h * (i + 0.5)
            if i % 2 == 0:
                pygame.draw.rect(surface, (236, 233, 225), (10, y - row_h / 2, w - 20, row_h))
            label = t(card.title) + (" ✓" if card.id in played else "")
            draw_text(surface, label, bold if card.id in played else fnt, INK, (16, y),
                      "midleft")
            for j, ind in enumerate(INDICATORS):
                sign = card.effects.get(ind.key)
                if not sign:
                    continue
                x = label_w + 16 + col_w * (j + 0.5)
                good = (sign > 0) == (ind.better > 0)
                draw_text(surface, "▲" if sign > 0 else "▼", bold, GOOD if good else BAD,
                          (x, y), "center")
        super().draw(surface)
