"""Small KPI charts drawn straight with pygame (matplotlib is far too slow per frame).

A chart has a fixed value range (see `Indicator.value_range`) with its top and
bottom values written beside the axis, and an x-axis that spans the rounds
shown, with a mark at each round boundary. Each series may carry a marker
shape at the round boundaries and at its end, so teams differ by more than
colour.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import pygame

from game.render import BACKGROUND, INK, MUTED

AXIS = (170, 170, 170)
ROUND_LINE = (225, 225, 225)
OUTLINE = (60, 60, 60)
# One marker shape per team, in team order (with TEAM_COLOURS); matplotlib's names beside.
TEAM_MARKERS = ("circle", "square", "triangle", "diamond", "down", "cross")
MPL_MARKERS = {"circle": "o", "square": "s", "triangle": "^", "diamond": "D", "down": "v",
               "cross": "X"}

Colour = tuple[int, int, int]


def _finite(values: Sequence[float]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def auto_range(series: Sequence[Sequence[float]], target: float | None) -> tuple[float, float]:
    """A range around the data (only for callers that give no fixed range)."""
    vals = [v for s in series for v in _finite(s)]
    if target is not None:
        vals.append(target)
    if not vals:
        return 0.0, 1.0
    lo, hi = min(vals), max(vals)
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    pad = (hi - lo) * 0.08
    return lo - pad, hi + pad


def _luminance(c: Colour) -> float:
    def lin(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])


def needs_outline(colour: Colour, background: Colour = BACKGROUND) -> bool:
    """A light colour (yellow, orange) gets a dark edge so it reads on the light background."""
    a, b = sorted((_luminance(colour), _luminance(background)))
    return (b + 0.05) / (a + 0.05) < 2.08


def draw_marker(surface: pygame.Surface, shape: str, centre: tuple[float, float], size: float,
                colour: Colour) -> None:
    """One team's marker shape, filled, with a dark edge when the colour is light."""
    x, y = centre
    r = max(2.0, size)
    edge = OUTLINE if needs_outline(colour) else colour
    if shape == "circle":
        pygame.draw.circle(surface, colour, (x, y), r)
        pygame.draw.circle(surface, edge, (x, y), r, 1)
        return
    if shape == "cross":
        w = max(2, int(r * 0.7))
        if edge != colour:
            pygame.draw.line(surface, edge, (x - r, y - r), (x + r, y + r), w + 2)
            pygame.draw.line(surface, edge, (x - r, y + r), (x + r, y - r), w + 2)
        pygame.draw.line(surface, colour, (x - r, y - r), (x + r, y + r), w)
        pygame.draw.line(surface, colour, (x - r, y + r), (x + r, y - r), w)
        return
    points = {
        "square": [(x - r * 0.85, y - r * 0.85), (x + r * 0.85, y - r * 0.85),
                   (x + r * 0.85, y + r * 0.85), (x - r * 0.85, y + r * 0.85)],
        "triangle": [(x, y - r * 1.1), (x + r, y + r * 0.8), (x - r, y + r * 0.8)],
        "down": [(x, y + r * 1.1), (x + r, y - r * 0.8), (x - r, y - r * 0.8)],
        "diamond": [(x, y - r * 1.15), (x + r, y), (x, y + r * 1.15), (x - r, y)],
    }[shape]
    pygame.draw.polygon(surface, colour, points)
    pygame.draw.polygon(surface, edge, points, 1)


def _gutter(font, labels, values: Sequence[float]) -> int:
    if font is None or labels is None:
        return 0
    return max(font.size(labels(v))[0] for v in values) + 6


def _note(text: str, rect: pygame.Rect, box: pygame.Rect) -> None:
    """Tell the layout tests where a chart's text landed and the box it must stay in."""
    from game.panels import DRAWN

    DRAWN.append((text, pygame.Rect(rect), pygame.Rect(box)))


def _axis_labels(surface, font, labels, plot: pygame.Rect, lo: float, hi: float,
                 ticks: Sequence[float], box: pygame.Rect, unit: str = "") -> None:
    """Bottom and top values beside the axis, and the `ticks` between that have room;
    `unit` goes after the top value ("20 wk"), when the gutter holds it."""
    def y_of(v: float) -> float:
        return plot.bottom - 1 - (plot.height - 2) * (v - lo) / (hi - lo)

    shown = [lo, hi]
    for v in ticks:
        if lo < v < hi and all(abs(y_of(v) - y_of(o)) >= font.get_linesize() for o in shown):
            shown.append(v)
    for v in shown:
        y = y_of(v)
        text = labels(v)
        if unit and v == hi and font.size(f"{text} {unit}")[0] <= plot.left - box.left - 4:
            text = f"{text} {unit}"
        img = font.render(text, True, MUTED)
        where = img.get_rect(midright=(plot.left - 4, y))
        surface.blit(img, where)
        _note(text, where, box)
        pygame.draw.line(surface, AXIS, (plot.left - 3, y), (plot.left, y))


def lines(surface: pygame.Surface, rect: pygame.Rect, series: Sequence[Sequence[float]],
          colours: Sequence[Colour], target: float | None = None,
          marks: Sequence[int] = (), width: int = 2, length: int | None = None, *,
          value_range: tuple[float, float] | None = None,
          labels: Callable[[float], str] | None = None, font: pygame.font.Font | None = None,
          x_labels: Sequence[tuple[float, str]] = (), markers: Sequence[str] = (),
          ticks: Sequence[float] = (), dashed: Sequence[bool] = (),
          target_label: str | None = None, unit: str = "",
          flags: Sequence[tuple[float, str]] = ()) -> None:
    """One or more series in `rect`, a dashed target line and vertical round marks.

    `length` is the number of points the x-axis spans (the rounds shown so far,
    not the whole game). `value_range` fixes the value axis (else it follows
    the data); with `labels` (value -> text) and `font`, the bottom and top
    values, and the `ticks` between that have room, are written left of the
    plot, and `x_labels` ((index, text)) under it. `markers` gives a shape per
    series, `dashed` which series are drawn dashed (a reference, such as the base
    run). `target_label` is written on the target line where it has room, `unit`
    after the top value of the axis. `flags` ((index, text)) are numbered marks
    along the plot's top, for moments the text beside the chart explains.
    """
    n = max([len(s) for s in series] + [length or 0, 2])
    lo, hi = value_range or auto_range(series, target)
    if hi - lo < 1e-12:
        hi = lo + 1.0
    plot = pygame.Rect(rect)
    if font is not None and rect.height < 2 * font.get_linesize() + 4:
        # too short for a top and a bottom label of a readable size (a small tile, large
        # text): the line alone, as letters too small to read would only pretend to say more
        font = None
    if font is not None and labels is not None:
        half = font.get_linesize() // 2
        top = font.size(f"{labels(hi)} {unit}")[0] + 6 if unit else 0
        plot.left += max(_gutter(font, labels, [lo, hi, *ticks]), top)
        plot.width = rect.right - plot.left
        plot.top += half
        plot.height -= half + (0 if x_labels else half)
    if font is not None and x_labels:
        plot.height -= max(font.get_linesize(), font.get_height()) + 1
    if plot.width < 8 or plot.height < 6:
        return

    def xy(i: float, v: float) -> tuple[float, float]:
        return (plot.left + 2 + (plot.width - 4) * i / (n - 1),
                plot.bottom - 1 - (plot.height - 2) * (v - lo) / (hi - lo))

    pygame.draw.rect(surface, AXIS, plot, 1)
    for m in marks:
        if 0 < m < n - 1:
            x = xy(m, lo)[0]
            pygame.draw.line(surface, ROUND_LINE, (x, plot.top + 1), (x, plot.bottom - 2))
    if target is not None and lo <= target <= hi:
        y = xy(0, target)[1]
        x = plot.left + 2
        while x < plot.right - 2:
            pygame.draw.line(surface, MUTED, (x, y), (min(x + 6, plot.right - 2), y), 1)
            x += 10
    clip = surface.get_clip()
    surface.set_clip(plot.inflate(8, 8).clip(clip) if clip else plot.inflate(8, 8))
    for k, (s, colour) in enumerate(zip(series, colours, strict=False)):
        _series(surface, s, colour, width, xy, marks, markers[k] if k < len(markers) else None,
                k < len(dashed) and dashed[k])
    surface.set_clip(clip)
    if target is not None and lo <= target <= hi and target_label and font is not None:
        _target_label(surface, target_label, font, plot, xy(0, target)[1])
    if font is not None:
        _flags(surface, flags, font, plot, lambda i: xy(i, lo)[0])
    if font is not None and labels is not None:
        _axis_labels(surface, font, labels, plot, lo, hi, ticks, rect, unit)
    right = rect.left - 5
    for i, text in x_labels if font is not None else ():  # skip one that would run into the last
        img = font.render(text, True, MUTED)
        box = img.get_rect(midtop=(xy(i, lo)[0], plot.bottom + 1))
        if box.left > right + 4 and rect.left <= box.left and box.right <= rect.right:
            surface.blit(img, box)
            _note(text, box, rect)
            right = box.right


def _flags(surface, flags, font, plot: pygame.Rect, x_of) -> None:
    """Numbered discs along the top of the plot; one that would touch the last moves down."""
    size = font.get_linesize()
    last: pygame.Rect | None = None
    for i, text in flags:
        disc = pygame.Rect(0, 0, max(size, font.size(text)[0] + 6), size)
        disc.midtop = (int(x_of(i)), plot.top + 2)
        disc.clamp_ip(plot.inflate(-2, -2))
        if last is not None and disc.colliderect(last.inflate(2, 0)):
            disc.top = last.bottom + 1
        if disc.bottom > plot.bottom - 1:
            continue
        pygame.draw.line(surface, MUTED, (disc.centerx, disc.bottom), (disc.centerx,
                                                                        plot.bottom - 2), 1)
        pygame.draw.ellipse(surface, INK, disc)
        img = font.render(text, True, BACKGROUND)
        surface.blit(img, img.get_rect(center=disc.center))
        _note(text, disc, plot)
        last = disc


def _target_label(surface, text: str, font, plot: pygame.Rect, y: float) -> None:
    """'doel 4' over the dashed line's left end (the start, which every series shares; the
    latest values at the right stay in view), on a light patch, above the line where it fits
    in the plot, else below it. Left out in a plot under three lines high (the play scene's
    tiles, which write the target beside the value): there it would hide the line."""
    w, h = font.size(text)
    if w > plot.width * 0.6 or h * 3 > plot.height:
        return
    box = pygame.Rect(0, 0, w + 4, h)
    box.left = plot.left + 3
    box.bottom = int(y) - 1
    if box.top < plot.top + 1:
        box.top = int(y) + 2
    if box.bottom > plot.bottom - 1:
        return
    pygame.draw.rect(surface, BACKGROUND, box)
    surface.blit(font.render(text, True, MUTED), (box.left + 2, box.top))
    _note(text, box, plot)


def _dashes(surface, colour, pts, width: int, on: float = 7.0, off: float = 5.0) -> None:
    """A polyline drawn dashed, the pattern running on across its corners."""
    phase = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
        length = math.hypot(x1 - x0, y1 - y0)
        at = 0.0
        while at < length:
            step = (on if phase < on else on + off) - phase
            end = min(length, at + step)
            if phase < on:
                a, b = at / length, end / length
                pygame.draw.line(surface, colour, (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                                 (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b), width)
            phase = (phase + end - at) % (on + off)
            at = end


def _series(surface, values, colour, width, xy, marks, marker, dashed: bool = False) -> None:
    pts = [xy(i, v) for i, v in enumerate(values) if v is not None and math.isfinite(v)]
    if len(pts) >= 2 and dashed:
        _dashes(surface, colour, pts, width)
    elif len(pts) >= 2:
        if needs_outline(colour):
            pygame.draw.lines(surface, OUTLINE, False, pts, width + 2)
        pygame.draw.lines(surface, colour, False, pts, width)
    elif pts:
        pygame.draw.circle(surface, colour, pts[0], width + 1)
    if marker and pts:
        at = [m for m in marks if 0 < m < len(values)] + [len(values) - 1]
        for m in at:
            v = values[m]
            if v is not None and math.isfinite(v):
                draw_marker(surface, marker, xy(m, v), width + 2.5, colour)


def legend(surface: pygame.Surface | None, pos: tuple[int, int], width: int,
           names: Sequence[str], colours: Sequence[Colour], font: pygame.font.Font) -> int:
    """Team swatches (a line with the team's marker) and names in rows; returns the bottom.

    Without a surface it only measures: the bottom is then the height it needs.
    """
    x0, y = pos
    x = x0
    lh = font.get_linesize()
    for k, name in enumerate(names):
        w = lh * 2 + 6 + font.size(name)[0]
        if x > x0 and x + w > x0 + width:
            x, y = x0, y + lh + 4
        if surface is None:
            x += w + 20
            continue
        mid = y + lh // 2
        colour = colours[k % len(colours)]
        if needs_outline(colour):
            pygame.draw.line(surface, OUTLINE, (x, mid), (x + lh * 2, mid), 5)
        pygame.draw.line(surface, colour, (x, mid), (x + lh * 2, mid), 3)
        draw_marker(surface, TEAM_MARKERS[k % len(TEAM_MARKERS)], (x + lh, mid), lh * 0.3,
                    colour)
        surface.blit(font.render(name, True, INK), (x + lh * 2 + 6, y))
        x += w + 20
    return y + lh


def kpi_lines(surface: pygame.Surface, rect: pygame.Rect, ind, histories: Sequence[Sequence[dict]],
              colours: Sequence[Colour], fmt, font: pygame.font.Font | None, rounds: int,
              round_weeks: int, *, markers: Sequence[str] = (), round_labels: Sequence[str] = (),
              width: int = 2, dashed: Sequence[bool] = (),
              flags: Sequence[tuple[float, str]] = ()) -> None:
    """A KPI's chart as every screen draws it: the KPI's fixed range with its values beside
    the axis (through `fmt`, the language's formatter) and its unit after the top value,
    `rounds` rounds on the x-axis with a mark at each boundary, the target dashed and
    labelled ("doel 4"). `histories` are per series the session's weekly rows;
    `round_labels`, if given, are written under the rounds."""
    from game.i18n import Translator

    t = Translator(getattr(fmt, "lang", "nl"))
    series = [[row[ind.key] for row in h] for h in histories]
    start = histories[0][0][ind.key] if histories and histories[0] else None
    lo_hi = ind.value_range(start, [v for s in series for v in s])
    length = rounds * round_weeks + 1
    marks = list(range(round_weeks, length - 1, round_weeks))
    x_labels = [((r + 0.5) * round_weeks, text) for r, text in enumerate(round_labels)]
    target = None if ind.target is None else t("kpi.target", value=ind.tick(ind.target, fmt))
    unit = t(f"kpi.axis.{ind.key}") if t.has(f"kpi.axis.{ind.key}") else ""
    lines(surface, rect, series, colours, ind.target, marks, width, length, value_range=lo_hi,
          labels=lambda value: ind.tick(value, fmt), font=font, x_labels=x_labels,
          markers=markers, ticks=ind.ticks(*lo_hi), dashed=dashed, target_label=target,
          unit=unit, flags=flags)
