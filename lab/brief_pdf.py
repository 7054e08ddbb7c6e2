"""The policy brief as a PDF, laid out with matplotlib alone (no browser, no TeX).

A4 portrait pages, text placed line by line with matplotlib's text. Lines are
wrapped by measuring the rendered width of each candidate line in the font
that draws it, not by counting characters, so a Dutch word or a euro amount
never runs off the page; a page breaks before a line, a table row or a chart
that would cross the bottom margin, and a heading moves to the next page
rather than stand alone at the foot of one. Charts use the same drawing as
the HTML, two to a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle

from lab.brief_content import Brief, DiffTable
from lab.brief_limits import nested, to_plain
from lab.brief_text import BETTER, WORSE

PAGE = (8.27, 11.69)  # A4 portrait, inches
LEFT, RIGHT, TOP, BOTTOM = 0.85, 0.85, 0.8, 0.85  # margins, inches
WIDTH = PAGE[0] - LEFT - RIGHT
LEADING = 1.38
CHART_HEIGHT = 4.3  # inches a chart takes, title to tick labels: two a page
CHART_AXES = (0.62, 0.72, 5.95, 2.8)  # left offset, top offset, width, height (inches)
TABLE_COLUMNS = (1.3, 1.05, 1.05, 2.37, 0.8)  # KPI, reference, scenario, difference, verdict
CELL_PAD = 0.05
VERDICT_MARKS = {BETTER: "▲ ", WORSE: "▼ "}
VERDICT_COLOURS = {BETTER: "#005a8c", WORSE: "#a33c00"}
HEADER_FILL = "#f0eee8"
RULE = "0.8"


class Style:
    """Font size (points), weight, colour, and the space before a block (inches)."""

    def __init__(self, size: float, weight: str = "normal", colour: str = "#191923",
                 before: float = 0.0) -> None:
        self.size, self.weight, self.colour, self.before = size, weight, colour, before

    @property
    def line(self) -> float:
        return self.size * LEADING / 72

    @property
    def font(self) -> FontProperties:
        return _font(self.size, self.weight)


STYLES = {
    "title": Style(18, "bold"),
    "subtitle": Style(10.5, colour="0.35", before=0.04),
    "h2": Style(13.5, "bold", before=0.3),
    "h3": Style(11, "bold", before=0.16),
    "h4": Style(10, "bold", before=0.1),
    "p": Style(10, before=0.08),
    "li": Style(9.5, before=0.04),
    "cell": Style(8.5),
    "head": Style(8.5, "bold"),
    "foot": Style(8, colour="0.45"),
}


@cache
def _font(size: float, weight: str) -> FontProperties:
    return FontProperties(size=size, weight=weight)


MEASURE_DPI = 288  # fine enough that the font's hinting barely changes a width
SLACK = 0.98  # wrap a little short: screen rendering and PDF metrics differ by under 1 %


@cache
def _renderer() -> RendererAgg:
    return RendererAgg(10, 10, MEASURE_DPI)


@lru_cache(maxsize=8192)
def text_width(text: str, font: FontProperties) -> float:
    """The rendered width of `text` in inches (cached: words recur)."""
    width, _, _ = _renderer().get_text_width_height_descent(text, font, ismath=False)
    return width / MEASURE_DPI


def wrap(text: str, font: FontProperties, width: float) -> list[str]:
    """Greedy word wrap to `width` inches; a word wider than a line is cut.

    A line's width is the sum of its words' and spaces' widths (each measured
    once), which the slack covers for kerning. Splits at ordinary spaces
    only, so Babel's no-break spaces keep "€ 120.000" together.
    """
    width *= SLACK
    space = text_width("a a", font) - 2 * text_width("a", font)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in re.split(r"[ \t\r\n]+", text.strip()):
        size = text_width(word, font)
        if current and used + space + size <= width:
            current.append(word)
            used += space + size
            continue
        if current:
            lines.append(" ".join(current))
        while size > width and len(word) > 1:
            cut = next((i for i in range(len(word) - 1, 0, -1)
                        if text_width(word[:i], font) <= width), 1)
            lines.append(word[:cut])
            word = word[cut:]
            size = text_width(word, font)
        current, used = [word], size
    if current:
        lines.append(" ".join(current))
    return lines or [""]


class Layout:
    """Blocks flowing down A4 pages; `y` is the next free height from the top, in inches."""

    def __init__(self) -> None:
        self.pages: list[Figure] = []
        self.y = 0.0
        self.new_page()

    @property
    def fig(self) -> Figure:
        return self.pages[-1]

    def new_page(self) -> None:
        fig = Figure(figsize=PAGE)
        FigureCanvasAgg(fig)
        self.pages.append(fig)
        self.y = TOP

    def fits(self, height: float) -> bool:
        return self.y + height <= PAGE[1] - BOTTOM

    def room(self, height: float) -> None:
        """Start a new page unless `height` inches still fit on this one."""
        if not self.fits(height) and self.y > TOP:
            self.new_page()

    def put(self, x: float, text: str, style: Style, colour: str | None = None) -> None:
        self.fig.text(x / PAGE[0], 1 - self.y / PAGE[1], text, fontproperties=style.font,
                      color=colour or style.colour, va="top", ha="left", parse_math=False)

    def block(self, text: str, style_name: str, indent: float = 0.0, mark: str = "",
              keep: float = 0.0) -> None:
        """A wrapped paragraph (with a hanging `mark` such as a bullet); `keep`: room after it."""
        style = STYLES[style_name]
        lines = wrap(text, style.font, WIDTH - indent)
        self.y += style.before if self.y > TOP else 0.0
        self.room(style.line * min(len(lines), 2) + keep)
        for i, line in enumerate(lines):
            self.room(style.line)
            if i == 0 and mark:
                self.put(LEFT + indent - 0.17, mark, style)
            self.put(LEFT + indent, line, style)
            self.y += style.line

    def heading(self, text: str, style_name: str = "h2") -> None:
        """A heading kept together with at least a few lines of what follows it."""
        self.block(text, style_name, keep=0.6)

    def bullet(self, text: str, level: int = 0) -> None:
        self.block(text, "li", indent=0.2 + 0.22 * level, mark="•" if level == 0 else "–")

    def space(self, inches: float) -> None:
        self.y += inches

    def table(self, header: list[str], rows: list[list[tuple[str, str | None]]],
              widths: tuple[float, ...]) -> None:
        """Rows of (text, colour) cells, wrapped per column; the header repeats on a new page."""
        head = [[(text, None) for text in header]]
        self._row(head[0], widths, STYLES["head"], fill=HEADER_FILL)
        for row in rows:
            height = self._row_height(row, widths, STYLES["cell"])
            if not self.fits(height):
                self.new_page()
                self._row(head[0], widths, STYLES["head"], fill=HEADER_FILL)
            self._row(row, widths, STYLES["cell"])
        self.y += 0.1

    def _cells(self, row: list[tuple[str, str | None]], widths: tuple[float, ...],
               style: Style) -> list[list[str]]:
        return [wrap(text, style.font, w - 2 * CELL_PAD) for (text, _), w in
                zip(row, widths, strict=True)]

    def _row_height(self, row: list[tuple[str, str | None]], widths: tuple[float, ...],
                    style: Style) -> float:
        return max(len(c) for c in self._cells(row, widths, style)) * style.line + 2 * CELL_PAD

    def _row(self, row: list[tuple[str, str | None]], widths: tuple[float, ...], style: Style,
             fill: str | None = None) -> None:
        cells = self._cells(row, widths, style)
        height = max(len(c) for c in cells) * style.line + 2 * CELL_PAD
        self.room(height)
        top = self.y
        self._rule(top, height, fill)
        x = LEFT
        for lines, (_, colour), width in zip(cells, row, widths, strict=True):
            self.y = top + CELL_PAD
            for line in lines:
                self.put(x + CELL_PAD, line, style, colour)
                self.y += style.line
            x += width
        self.y = top + height

    def _rule(self, top: float, height: float, fill: str | None) -> None:
        """The row's box: a filled band for a header, a thin line under every row."""
        W, H = PAGE
        if fill:
            self.fig.add_artist(Rectangle((LEFT / W, 1 - (top + height) / H), WIDTH / W,
                                          height / H, transform=self.fig.transFigure,
                                          facecolor=fill, edgecolor="none", zorder=0))
        self.fig.add_artist(Rectangle((LEFT / W, 1 - (top + height) / H), WIDTH / W, 0,
                                      transform=self.fig.transFigure, facecolor="none",
                                      edgecolor=RULE, linewidth=0.6))

    def chart(self, draw: Callable[[Any], None]) -> None:
        """A chart in the next `CHART_HEIGHT` inches, drawn by `draw(ax)`."""
        self.room(CHART_HEIGHT)
        left, top, width, height = CHART_AXES
        W, H = PAGE
        ax = self.fig.add_axes(((LEFT + left) / W, 1 - (self.y + top + height) / H, width / W,
                                height / H))
        draw(ax)
        self.y += CHART_HEIGHT

    def finish(self, title: str, page_word: Callable[[int, int], str]) -> list[Figure]:
        """Every page with a footer: the brief's title and "pagina 2 van 7"."""
        foot = STYLES["foot"]
        count = len(self.pages)
        for n, fig in enumerate(self.pages, start=1):
            right = page_word(n, count)
            room = WIDTH - text_width(right, foot.font) - 0.3
            short = wrap(title, foot.font, room)
            left = short[0] + (" …" if len(short) > 1 else "")
            y = 1 - (PAGE[1] - BOTTOM + 0.3) / PAGE[1]
            fig.text(LEFT / PAGE[0], y, left, fontproperties=foot.font, color=foot.colour,
                     va="top", parse_math=False)
            fig.text((PAGE[0] - RIGHT) / PAGE[0], y, right, fontproperties=foot.font,
                     color=foot.colour, va="top", ha="right", parse_math=False)
        return self.pages


# -- the brief -----------------------------------------------------------------------------

def write_pdf(path: Path, brief: Brief, draw_chart: Callable[[Any, Any], None],
              page_word: Callable[[int, int], str]) -> None:
    """Lay out `brief` and save it to `path`; `draw_chart(ax, headline)` draws a chart."""
    layout = Layout()
    _front(layout, brief)
    _differences(layout, brief)
    _charts(layout, brief, draw_chart)
    _back(layout, brief)
    pages = layout.finish(brief.title, page_word)
    metadata = {"Title": brief.title, "Creator": "samenspel report", "CreationDate": None}
    with PdfPages(path, metadata=metadata) as pdf:
        for page in pages:
            pdf.savefig(page)


def _front(layout: Layout, b: Brief) -> None:
    layout.block(b.title, "title")
    layout.block(b.subtitle, "subtitle")
    layout.heading(b.headings["h_summary"])
    layout.block(b.summary, "p")
    layout.heading(b.headings["h_tradeoffs"])
    for line in b.tradeoffs:
        layout.bullet(line)


def _differences(layout: Layout, b: Brief) -> None:
    if not b.tables:
        return
    layout.heading(b.headings["h_differences"])
    for table in b.tables:
        layout.heading(table.scenario, "h3")
        layout.space(0.06)
        layout.table(table.header, _rows(table), TABLE_COLUMNS)


def _rows(table: DiffTable) -> list[list[tuple[str, str | None]]]:
    colour = VERDICT_COLOURS.get
    return [[(r.kpi, None), (r.ref_value, None), (r.value, None), (r.difference, None),
             (VERDICT_MARKS.get(r.verdict, "") + r.verdict_text, colour(r.verdict))]
            for r in table.rows]


def _charts(layout: Layout, b: Brief, draw_chart: Callable[[Any, Any], None]) -> None:
    layout.new_page()
    layout.block(b.headings["h_charts"], "h2")
    layout.block(b.charts_note, "p")
    for chart in b.charts:
        layout.chart(lambda ax, h=chart.headline: draw_chart(ax, h))


def _back(layout: Layout, b: Brief) -> None:
    layout.new_page()
    layout.heading(b.headings["h_uncertainty"])
    for paragraph in b.uncertainty:
        layout.block(paragraph, "p")
    layout.heading(b.headings["h_limits"])
    layout.block(b.limits_intro, "p")
    for part in nested(b.limits or [], to_plain):
        if part.heading:
            layout.heading(part.heading, "h3")
        for group in part.groups:
            if group.label:
                layout.heading(group.label, "h4")
            for text, children in group.bullets:
                layout.bullet(text)
                for child in children:
                    layout.bullet(child, level=1)
    layout.heading(b.headings["h_provenance"])
    layout.space(0.06)
    rows = [[(cell, None) for cell in row] for row in b.provenance]
    layout.table(b.provenance_header, rows, (1.6, 3.37, 1.6))
