"""Small KPI charts drawn straight with pygame (matplotlib is far too slow per frame)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pygame

from game.render import MUTED

AXIS = (170, 170, 170)


def _finite(values: Sequence[float]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def value_range(series: Sequence[Sequence[float]], target: float | None) -> tuple[float, float]:
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


def lines(surface: pygame.Surface, rect: pygame.Rect, series: Sequence[Sequence[float]],
          colours: Sequence[tuple[int, int, int]], target: float | None = None,
          marks: Sequence[int] = (), width: int = 2, length: int | None = None) -> None:
    """One or more series in `rect`, a dashed target line and vertical round marks."""
    pygame.draw.rect(surface, AXIS, rect, 1)
    n = max([len(s) for s in series] + [length or 0, 2])
    lo, hi = value_range(series, target)

    def xy(i: int, v: float) -> tuple[float, float]:
        return (rect.left + 2 + (rect.width - 4) * i / (n - 1),
                rect.bottom - 2 - (rect.height - 4) * (v - lo) / (hi - lo))

    for m in marks:
        if 0 < m < n:
            x = xy(m, lo)[0]
            pygame.draw.line(surface, (225, 225, 225), (x, rect.top + 1), (x, rect.bottom - 2))
    if target is not None:
        y = xy(0, target)[1]
        x = rect.left + 2
        while x < rect.right - 2:
            pygame.draw.line(surface, MUTED, (x, y), (min(x + 6, rect.right - 2), y), 1)
            x += 10
    for s, colour in zip(series, colours, strict=False):
        pts = [xy(i, v) for i, v in enumerate(s) if v is not None and math.isfinite(v)]
        if len(pts) >= 2:
            pygame.draw.lines(surface, colour, False, pts, width)
        elif pts:
            pygame.draw.circle(surface, colour, pts[0], width + 1)
