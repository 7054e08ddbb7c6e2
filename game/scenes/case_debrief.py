"""Case trainer, the debrief: the trainee's path with reflections, and the paths not
taken, one at a time - the family's burden week by week on both paths, what
differed for the family and the neighbourhood, and how often it held when the
same case was replayed in other neighbourhoods (other seeds). Export to HTML
and PDF for the training file.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game import save, ui
from game.case_report import (
    FAMILY_OUTCOMES,
    headline,
    holds_line,
    path_lines,
    rows,
    timeline_diff,
)
from game.render import BACKGROUND, BAD, GOOD, INK, MUTED, PANEL
from game.scenes.base import Scene
from game.ui import TextBlock, wrapped_height

REFLECTION_SHOWN = 90  # letters of a reflection on the screen


class CaseDebriefScene(Scene):
    name = "case_debrief"

    def __init__(self, ctx, session) -> None:
        self.session = session
        self.index = 0
        self.blocks: list[TextBlock] = []
        self.exported: dict[str, str] = {}
        self.chart_rect = pygame.Rect(0, 0, 0, 0)
        super().__init__(ctx)

    def layout(self) -> None:
        w, h = self.ctx.size
        t, s, lang = self.t, self.session, self.ctx.settings.lang
        self.blocks = []
        self.dropped = 0
        gap = max(8, int(h * 0.014))
        bh = max(int(h * 0.06), self.ctx.font("button").get_linesize() + 12)
        margin = int(w * 0.02)
        top = int(h * 0.02)
        bf = self.ctx.font("button")

        def width(text: str) -> int:  # a button as wide as its label needs, or 12 % of the window
            return max(int(w * 0.12), bf.size(text)[0] + 20)

        x = w - margin
        other = "English" if lang == "nl" else "Nederlands"
        for name, text, handler, style in (
                ("title_button", t("case.to_title"), self.to_title, "#secondary"),
                ("pdf_button", t("case.export_pdf"), lambda: self.export("pdf"), None),
                ("html_button", t("case.export_html"), lambda: self.export("html"), None),
                ("lang_button", other,
                 lambda: self.ctx.set_language("en" if lang == "nl" else "nl"), "#secondary")):
            x -= width(text)
            setattr(self, name, self.button(text, (x, top, width(text), bh), handler, style))
            x -= gap
        x += gap
        title = t("case.report_title", case=s.case.title.get(lang))
        tw = x - margin - gap
        tf = self.ctx.fit("title", title, tw, bh, True)
        bar_h = bh
        if not ui.fits(title, tf, tw, bh):  # a large text size: the case's name alone
            title = s.case.title.get(lang)
            tf = self.ctx.fit("title", title, tw, bh, True)
        if not ui.fits(title, tf, tw, bh):  # a small window: it wraps and the bar grows
            tf = self.ctx.font("small", True)
            bar_h = max(bh, wrapped_height(title, tf, tw))
        self.blocks.append(TextBlock(title, tf, INK, pygame.Rect(margin, top, tw, bar_h)))
        y0 = top + bar_h + gap
        share = 0.4 if w >= 1200 else 0.36  # a small window gives the table more room
        left = pygame.Rect(margin, y0, int((w - 2 * margin) * share), h - y0 - margin)
        right = pygame.Rect(left.right + gap, y0, w - margin - left.right - gap, h - y0 - margin)
        self.panels = [left, right]
        self._path(left.inflate(-2 * gap, -2 * gap))
        self._counterfactual(right.inflate(-2 * gap, -2 * gap), bh, gap)

    def _stack(self, box: pygame.Rect, parts: list[tuple[str, tuple, bool]]) -> int:
        joined = "\n".join(p[0] for p in parts)
        room = box.height - 6 * len(parts)
        fnt = self.ctx.fit("small", joined, box.width, room)
        bold = self.ctx.fit("small", joined, box.width, room, True)
        y = box.top
        for text, colour, is_bold in parts:
            f = bold if is_bold else fnt
            height = wrapped_height(text, f, box.width)
            if y + height > box.bottom:
                self.dropped += 1  # the tests require none; a text never overlaps another
                continue
            self.blocks.append(TextBlock(text, f, colour,
                                         pygame.Rect(box.left, y, box.width, height)))
            y += height + 6
        return y

    def _stack_fits(self, box: pygame.Rect, parts: list[tuple[str, tuple, bool]]) -> bool:
        """Whether `_stack` would place every part in `box`."""
        before, blocks = self.dropped, len(self.blocks)
        self._stack(box, parts)
        ok = self.dropped == before
        self.dropped = before
        del self.blocks[blocks:]
        return ok

    def _path(self, box: pygame.Rect) -> None:
        """The path with its reflections: their start on screen (shorter when many), the
        whole text in the exports."""
        t = self.t
        for shown in (REFLECTION_SHOWN, REFLECTION_SHOWN // 2, 0, -1):
            parts = [(t("case.path_head"), INK, True)]
            for head, reflection in path_lines(t, self.session, effects=shown >= 0):
                parts.append((head, INK, False))
                if reflection and shown > 0:
                    short = reflection if len(reflection) <= shown else (
                        reflection[:shown].rstrip() + "…")
                    parts.append(("“" + short + "”", MUTED, False))
            if self.exported:
                names = "  ".join(Path(p).name for p in self.exported.values())
                parts.append((t("case.exported", path=names),
                              GOOD, False))
            if self._stack_fits(box, parts):
                break
        self._stack(box, parts)

    def _counterfactual(self, box: pygame.Rect, bh: int, gap: int) -> None:
        t, s = self.t, self.session
        cfs = s.results or []
        if not cfs:
            text = t("case.no_counterfactuals")
            fnt = self.ctx.fit("body", text, box.width, box.height)
            self.blocks.append(TextBlock(text, fnt, INK, pygame.Rect(box.left, box.top,
                                                                     box.width, box.height)))
            return
        self.index %= len(cfs)
        cf = cfs[self.index]
        nav_w = bh * 2
        self.prev_button = self.button("<", (box.left, box.top, nav_w, bh),
                                       lambda: self.turn(-1), "#secondary")
        self.next_button = self.button(">", (box.right - nav_w, box.top, nav_w, bh),
                                       lambda: self.turn(1), "#secondary")
        count = t("case.cf_count", k=self.index + 1, n=len(cfs))
        cf_font = self.ctx.fit_line("body", count, box.width - 2 * nav_w - 2 * gap, True)
        self.blocks.append(TextBlock(count, cf_font, INK, pygame.Rect(
            box.left + nav_w + gap, box.top, box.width - 2 * nav_w - 2 * gap, bh), centred=True))
        y = box.top + bh + gap
        table = rows(t, cf)
        # The table keeps at most 42 % of the panel: its rows shrink (not below the floor).
        h = self.ctx.size[1]
        px = self.ctx.px("small")
        while px > ui.floor_px(h) and (len(table) + 2) * (ui.font(px).get_linesize() + 2) \
                > 0.42 * box.height:
            px -= 1
        row_h = ui.font(px).get_linesize() + 2
        cols = (box.left, box.left + int(box.width * 0.55), box.left + int(box.width * 0.76))
        widths = (int(box.width * 0.54), int(box.width * 0.2), box.right - cols[2])
        heads = (t("case.col_outcome"), t("case.col_here"), t("case.col_mean", n=s.other_seeds))
        floor_bold = ui.font(ui.floor_px(h), True)
        head_h = max([2 * row_h] + [wrapped_height(text, floor_bold, wdt)
                                    for wdt, text in zip(widths, heads, strict=True)])
        table_h = len(table) * row_h + head_h
        if table_h > 0.5 * box.height:  # a small window: the family's rows only
            table = [r for r in table if r["key"] in FAMILY_OUTCOMES]
            table_h = len(table) * row_h + head_h
        # The texts first (as large as fits above a chart of at least an eighth of the
        # panel), then the chart takes what is left above the table. What happened only
        # on one path gets as many events as fit (two, one or none of each).
        room = pygame.Rect(box.left, y, box.width,
                           box.bottom - table_h - 2 * gap - y - box.height // 8)
        for most in (2, 1, 0):
            # (The summary sentence repeats the table, so the screen leaves it to the exports.)
            parts = [(headline(t, s, cf), INK, True), (holds_line(t, cf), MUTED, False)]
            only_other, only_taken = timeline_diff(t, s, cf, most=most) if most else ([], [])
            if only_other:
                parts.append((t("case.only_other") + " " + "; ".join(only_other), BAD, False))
            if only_taken:
                parts.append((t("case.only_taken") + " " + "; ".join(only_taken), INK, False))
            if self._stack_fits(room, parts):
                break
        end = self._stack(room, parts)
        self.chart_rect = pygame.Rect(box.left, end + gap, box.width,
                                      box.bottom - table_h - 2 * gap - end)
        y = self.chart_rect.bottom + gap
        for x, wdt, text in zip(cols, widths, heads, strict=True):
            f = ui.fit_font(text, px, ui.floor_px(h), wdt, head_h, True)
            self.blocks.append(TextBlock(text, f, MUTED, pygame.Rect(x, y, wdt, head_h)))
        y += head_h
        for r in table:
            colour = GOOD if r["verdict"] > 0 else BAD if r["verdict"] < 0 else INK
            for x, wdt, text, c in zip(cols, widths, (r["label"], r["here"], r["mean"]),
                                       (INK, colour, INK), strict=True):
                f = ui.fit_line(text, px, ui.floor_px(h), wdt)
                self.blocks.append(TextBlock(text, f, c, pygame.Rect(x, y, wdt, row_h)))
            y += row_h

    # -- handlers ---------------------------------------------------------------

    def turn(self, step: int) -> None:
        self.index += step
        self.build()

    def export(self, kind: str) -> None:
        from game.case_export import export

        paths = export(self.t, self.session, save.save_dir() / "exports", [kind])
        self.exported.update({k: str(p) for k, p in paths.items()})
        self.build()

    def to_title(self) -> None:
        from game.scenes.title import TitleScene

        self.ctx.replace(TitleScene(self.ctx))

    def on_key(self, key: int) -> None:
        if key == pygame.K_RIGHT:
            self.turn(1)
        elif key == pygame.K_LEFT:
            self.turn(-1)

    # -- drawing ------------------------------------------------------------------

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        surface.fill(BACKGROUND)
        for rect in self.panels:
            pygame.draw.rect(surface, PANEL, rect, border_radius=8)
        self._draw_chart(surface)
        for block in self.blocks:
            block.draw(surface)
        super().draw(surface)

    def _draw_chart(self, surface: pygame.Surface) -> None:
        """The family's burden on the path taken (solid) and the path not taken (dashed)."""
        cfs = self.session.results or []
        if not cfs or self.chart_rect.width <= 0:
            return
        rect = self.chart_rect
        pygame.draw.rect(surface, (238, 236, 230), rect, border_radius=4)
        taken = [p["burden"] for p in self.session.run.trace]
        other = [p["burden"] for p in cfs[self.index % len(cfs)].run.trace]
        top = max(3.0, *taken, *other)
        weeks = max(len(taken), len(other), 2) - 1
        label_taken, label_other = self.t("case.chart_taken"), self.t("case.chart_other")
        fnt = self.ctx.fit_line("small", f"— {label_taken}   - - {label_other}", rect.width - 8)
        surface.blit(fnt.render("— " + label_taken, True, INK), (rect.left + 6, rect.top + 2))
        x2 = rect.left + 6 + fnt.size("— " + label_taken + "   ")[0]
        surface.blit(fnt.render("- - " + label_other, True, BAD), (x2, rect.top + 2))
        plot = pygame.Rect(rect.left + 6, rect.top + fnt.get_linesize() + 6, rect.width - 12,
                           rect.height - fnt.get_linesize() - 12)

        def points(series):
            return [(plot.left + i / weeks * plot.width, plot.bottom - v / top * plot.height)
                    for i, v in enumerate(series)]

        pygame.draw.lines(surface, INK, False, points(taken), 3)
        pts = points(other)
        for i in range(0, len(pts) - 1, 2):  # dashed, so it differs by more than colour
            pygame.draw.line(surface, BAD, pts[i], pts[i + 1], 3)
