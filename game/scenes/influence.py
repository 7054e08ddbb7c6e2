"""Influence map: what each card did to each KPI in paired runs of the model, with its size.

The cells come from the measured table `assets/influence.json` (written by
`python -m lab.influence`), not from expectations: per card and KPI the mean
difference with and without the card on the same seeds, an arrow only where
the 95 % interval excludes 0 and the effect survives the table's false-discovery
control (`lab.influence`), "≈ 0" where it does not. A line under the key
says how the table was made and when, so a facilitator can say where the
numbers come from; a row's tooltip gives every difference with its interval.
A card the table does not know (it was made before the card existed) shows "?".

The table keeps the game's text size: when its rows do not fit the window they
go to more pages (◀ ▶, or the arrow keys), and KPI names too wide for their
column are set on two staggered lines. A change for the worse carries a ✗ as
well as its colour; cell numbers get a smaller font (not below the floor)
where a column is narrow.
"""

from __future__ import annotations

from typing import Any

import pygame

from game import ui
from game.cards import POLICY_CARDS
from game.indicators import INDICATORS
from game.influence_table import TABLE, load_table, size_text  # noqa: F401 (the tests)
from game.panels import DRAWN, put, put_lines, wrap_text
from game.render import BACKGROUND, BAD, GOOD, INK, MUTED
from game.scenes.base import Scene

WORSE_MARK = "✗"
NO_EFFECT = "≈ 0"


def played_cards(session) -> set[str]:
    if session is None:
        return set()
    return {c for r in session.team.cards for c in r}


def cell_text(t, ind, effect: dict[str, Any] | None) -> tuple[str, tuple[int, int, int]]:
    """What a cell shows for a measured effect: arrow, size and ✗ when worse; or ≈ 0; or ?."""
    if effect is None:
        return "?", MUTED
    sign = int(effect.get("sign") or 0)
    if sign == 0 or effect.get("diff") is None:
        return NO_EFFECT, MUTED
    good = (sign > 0) == (ind.better > 0)
    text = ("▲ " if sign > 0 else "▼ ") + size_text(t, ind, effect["diff"])
    return text + ("" if good else " " + WORSE_MARK), GOOD if good else BAD


def signed_text(t, ind, value: float) -> str:
    """A difference with its sign: '+2,1 wk', '−0,3'."""
    return ("+" if value > 0 else "−" if value < 0 else "") + size_text(t, ind, value)


def tip_text(t, card, effects: dict[str, Any]) -> str:
    """A row's tooltip: per KPI the measured difference and its 95 % interval."""
    parts = []
    for ind in INDICATORS:
        e = effects.get(ind.key)
        if not e or e.get("diff") is None or e.get("lo") is None:
            continue
        parts.append(t("influence.tip_kpi", kpi=t(f"kpi.short.{ind.key}"),
                       diff=signed_text(t, ind, e["diff"]), lo=signed_text(t, ind, e["lo"]),
                       hi=signed_text(t, ind, e["hi"])))
    return t("influence.tip", card=t(card.title), effects="; ".join(parts)) if parts else ""


def source_text(t, table: dict[str, Any] | None) -> str:
    """Where the numbers come from, in one sentence; or how to make them."""
    if table is None:
        return t("influence.missing")
    return t("influence.source", seeds=len(table.get("seeds", ())),
             replicas=table.get("replicas", 1),
             scenario=table.get("scenario", "?"), rounds=table.get("rounds", "?"),
             date=str(table.get("generated", "?"))[:10],
             version=table.get("code_version", "?"))


class InfluenceScene(Scene):
    name = "influence"

    def __init__(self, ctx) -> None:
        self.page = 0
        self.pages: list[list[tuple[object, int]]] = []
        self.table = load_table(TABLE)  # this module's TABLE: a test points it elsewhere
        super().__init__(ctx)

    def effect(self, card_id: str, kpi: str) -> dict[str, Any] | None:
        if self.table is None:
            return None
        return self.table.get("cards", {}).get(card_id, {}).get("effects", {}).get(kpi)

    def cells(self, card) -> list[tuple[str, tuple[int, int, int]]]:
        return [cell_text(self.t, ind, self.effect(card.id, ind.key)) for ind in INDICATORS]

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
        self._layout_tips()
        if len(self.pages) > 1:
            self.prev_button = self.button("◀", (x, 10, aw, bh), lambda: self.turn(-1),
                                           "#subtle", enabled=self.page > 0)
            self.next_button = self.button("▶", (x + aw + 8, 10, aw, bh), lambda: self.turn(1),
                                           "#subtle", enabled=self.page < len(self.pages) - 1)

    def _layout_table(self, bh: int) -> None:
        """Column widths, header lines, the cells' font and the rows of each page."""
        w, h = self.ctx.size
        t = self.t
        small, bold = self.ctx.font("small"), self.ctx.font("small", True)
        title = self.ctx.font("title", True)
        self.title_lines = wrap_text(t("influence.title"), title, self.head_right - 16)
        top = 12 + max(bh + 6, len(self.title_lines) * title.get_linesize())
        self.key_text, self.source = t("influence.key"), source_text(t, self.table)
        key_h = (len(wrap_text(self.key_text, small, w - 32))
                 + len(wrap_text(self.source, small, w - 32))) * small.get_linesize()
        played = played_cards(self.ctx.session)
        labels = [t(c.title) + (" ✓" if c.id in played else "") for c in POLICY_CARDS]
        self.label_w = min(max(bold.size(x)[0] for x in labels) + 12, int(w * 0.34))
        self.col_w = (w - 32 - self.label_w) / len(INDICATORS)
        texts = [text for card in POLICY_CARDS for text, _ in self.cells(card)]
        widest = max(texts, key=lambda x: bold.size(x)[0])
        self.cell_font = ui.fit_line(widest, self.ctx.px("small"), ui.floor_px(h),
                                     int(self.col_w) - 8, bold=True)
        heads = [t(f"kpi.short.{ind.key}") for ind in INDICATORS]
        self.stagger = max(bold.size(x)[0] for x in heads) > self.col_w - 8
        self.key_top = top
        self.head_top = top + key_h + 8
        self.table_top = self.head_top + bold.get_linesize() * (2 if self.stagger else 1) + 4
        heights = [max(len(wrap_text(x, bold, self.label_w - 12)) * bold.get_linesize(),
                       self.cell_font.get_linesize()) for x in labels]
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
        y = put_lines(surface, self.key_text, small, MUTED, key_box, self.key_top)
        put_lines(surface, self.source, small, BAD if self.table is None else MUTED, key_box, y)
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

    def _layout_tips(self) -> None:
        """A see-through hit area over each row's card name, whose tooltip gives the
        measured differences with their intervals (the cells show only what is sure)."""
        if self.table is None:
            return
        w = self.ctx.size[0]
        y = self.table_top
        for card, row_h in self.pages[self.page]:
            effects = self.table.get("cards", {}).get(card.id, {}).get("effects", {})
            tip = tip_text(self.t, card, effects)
            if tip:
                self.button("", (10, y, w - 20, row_h), None, "#card_hit", tooltip=tip)
            y += row_h

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
            for j, (text, colour) in enumerate(self.cells(card)):
                x = self._column_x(j)
                box = pygame.Rect(int(x - self.col_w / 2), y, int(self.col_w), row_h)
                fnt = self.cell_font if colour != MUTED else ui.font(
                    self.cell_font.point_size)
                put(surface, text, fnt, colour, (x, row.centery), box, "center")
            y += row_h
