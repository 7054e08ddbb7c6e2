"""Influence map: which levers drive which KPIs, and in which direction (from cards.py).

The table keeps the game's text size: when its rows do not fit the window they
go to more pages (◀ ▶, or the arrow keys), and KPI names too wide for their
column are set on two staggered lines. An expected change for the worse carries
a ✗ as well as its colour.
"""

from __future__ import annotations

import pygame

from game.cards import POLICY_CARDS
from game.indicators import INDICATORS
from game.panels import DRAWN, put, put_lines, wrap_text
from game.render import BACKGROUND, BAD, GOOD, INK, MUTED
from game.scenes.base import Scene

WORSE_MARK = "✗"


def played_cards(session) -> set[str]:
    if session is None:
        return set()
    return {c for r in session.team.cards for c in r}


class InfluenceScene(Scene):
    name = "influence"

    def __init__(self, ctx) -> None:
        self.page = 0
        self.pages: list[list[tuple[object, int]]] = []
        super().__init__(ctx)

    # -- layout ---------------------------------------------------------------

    def layout(self) -> None:
        """Close, page arrows and the page number on the title's line; then the table."""
        w, h = self.ctx.size
        t, fnt, small = self.t, self.ctx.font("button"), self.ctx.font("small")
        bh = max(int(h * 0.06), fnt.get_linesize() + 10)
        cw = max(int(w * 0.12), fnt.size(t("play.close"))[0] + 48)
        self.close_button = self.button(t("play.close"), (w - cw - 12, 10, cw, bh), self.ctx.pop)
        aw = fnt.size("▶")[0] + 40
        x = w - cw - 12 - 2 * (aw + 8)
        self.page_pos = (x - 16, 10 + bh // 2)
        self.head_right = x - 32 - small.size(t("influence.page", n=8, total=8))[0]
        self._layout_table(bh)
        if len(self.pages) > 1:
            self.prev_button = self.button("◀", (x, 10, aw, bh), lambda: self.turn(-1),
                                           "#subtle", enabled=self.page > 0)
            self.next_button = self.button("▶", (x + aw + 8, 10, aw, bh), lambda: self.turn(1),
                                           "#subtle", enabled=self.page < len(self.pages) - 1)

    def _layout_table(self, bh: int) -> None:
        """Column widths, header lines and the rows of each page, for this text size."""
        w, h = self.ctx.size
        t = self.t
        small, bold = self.ctx.font("small"), self.ctx.font("small", True)
        title = self.ctx.font("title", True)
        self.title_lines = wrap_text(t("influence.title"), title, self.head_right - 16)
        top = 12 + max(bh + 6, len(self.title_lines) * title.get_linesize())
        key_h = len(wrap_text(t("influence.key"), small, w - 32)) * small.get_linesize()
        played = played_cards(self.ctx.session)
        labels = [t(c.title) + (" ✓" if c.id in played else "") for c in POLICY_CARDS]
        self.label_w = min(max(bold.size(x)[0] for x in labels) + 12, int(w * 0.36))
        self.col_w = (w - 32 - self.label_w) / len(INDICATORS)
        heads = [t(f"kpi.short.{ind.key}") for ind in INDICATORS]
        self.stagger = max(bold.size(x)[0] for x in heads) > self.col_w - 8
        self.key_top = top
        self.head_top = top + key_h + 8
        self.table_top = self.head_top + bold.get_linesize() * (2 if self.stagger else 1) + 4
        heights = [len(wrap_text(x, bold, self.label_w - 12)) * bold.get_linesize()
                   for x in labels]
        options = [self._paginate(heights, pad, h - 10) for pad in (6, 4, 2)]
        self.pages = min(options, key=len)  # the first with the fewest pages
        self.page = min(self.page, len(self.pages) - 1)

    def _paginate(self, heights: list[int], pad: int, bottom: int):
        """Rows (card, height) per page, with `pad` pixels of air in each row."""
        pages, page, y = [], [], self.table_top
        for card, height in zip(POLICY_CARDS, heights, strict=True):
            row_h = height + pad
            if page and y + row_h > bottom:
                pages.append(page)
                page, y = [], self.table_top
            page.append((card, row_h))
            y += row_h
        return pages + [page]

    # -- handlers ---------------------------------------------------------------

    def turn(self, step: int) -> None:
        self.page = max(0, min(len(self.pages) - 1, self.page + step))
        self.build()

    def on_key(self, key: int) -> None:
        if key in (pygame.K_ESCAPE, pygame.K_m):
            self.ctx.pop()
        elif key in (pygame.K_RIGHT, pygame.K_PAGEDOWN, pygame.K_DOWN):
            self.turn(1)
        elif key in (pygame.K_LEFT, pygame.K_PAGEUP, pygame.K_UP):
            self.turn(-1)

    # -- drawing ----------------------------------------------------------------

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        DRAWN.clear()
        w, h = self.ctx.size
        t = self.t
        surface.fill(BACKGROUND)
        screen = pygame.Rect(0, 0, w, h)
        title, small = self.ctx.font("title", True), self.ctx.font("small")
        y = 12
        for line in self.title_lines:
            put(surface, line, title, INK, (16, y), pygame.Rect(0, 0, self.head_right, h))
            y += title.get_linesize()
        key_box = pygame.Rect(16, self.key_top, w - 32, h)
        put_lines(surface, t("influence.key"), small, MUTED, key_box, self.key_top)
        if len(self.pages) > 1:
            put(surface, t("influence.page", n=self.page + 1, total=len(self.pages)), small,
                MUTED, self.page_pos, screen, "midright")
        self._draw_heads(surface, screen)
        self._draw_rows(surface)
        super().draw(surface)

    def _column_x(self, j: int) -> float:
        return self.label_w + 16 + self.col_w * (j + 0.5)

    def _draw_heads(self, surface, screen) -> None:
        bold = self.ctx.font("small", True)
        for j, ind in enumerate(INDICATORS):
            y = self.head_top + (bold.get_linesize() if self.stagger and j % 2 else 0)
            put(surface, self.t(f"kpi.short.{ind.key}"), bold, INK, (self._column_x(j), y),
                screen, "midtop")

    def _draw_rows(self, surface) -> None:
        w = self.ctx.size[0]
        t = self.t
        small, bold = self.ctx.font("small"), self.ctx.font("small", True)
        played = played_cards(self.ctx.session)
        y = self.table_top
        for i, (card, row_h) in enumerate(self.pages[self.page]):
            row = pygame.Rect(10, y, w - 20, row_h)
            if i % 2 == 0:
                pygame.draw.rect(surface, (236, 233, 225), row)
            label = t(card.title) + (" ✓" if card.id in played else "")
            fnt = bold if card.id in played else small
            cell = pygame.Rect(16, y, self.label_w - 12, row_h)
            text_h = len(wrap_text(label, fnt, cell.width)) * fnt.get_linesize()
            put_lines(surface, label, fnt, INK, cell, row.centery - text_h // 2)
            for j, ind in enumerate(INDICATORS):
                sign = card.effects.get(ind.key)
                if sign:
                    good = (sign > 0) == (ind.better > 0)
                    mark = ("▲" if sign > 0 else "▼") + ("" if good else " " + WORSE_MARK)
                    put(surface, mark, bold, GOOD if good else BAD,
                        (self._column_x(j), row.centery), row, "center")
            y += row_h
