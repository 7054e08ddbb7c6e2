"""Pure functions from model state to colours and positions (no drawing, no state).

Colours follow Okabe & Ito's colour-blind-safe palette by default; the
family's state is also carried by shape (a ring for relapse, a cross for
escalation) so the map reads without colour too.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from sim.states import FamilyState, Stress

OKABE_ITO = {
    "black": (0, 0, 0), "orange": (230, 159, 0), "sky": (86, 180, 233),
    "green": (0, 158, 115), "yellow": (240, 228, 66), "blue": (0, 114, 178),
    "vermillion": (213, 94, 0), "purple": (204, 121, 167),
}
STATE_COLOURS = {
    True: {  # colour-blind safe
        FamilyState.HEALTHY: (222, 222, 222), FamilyState.SIGNAL: OKABE_ITO["yellow"],
        FamilyState.WAITING: OKABE_ITO["orange"], FamilyState.IN_CARE: OKABE_ITO["sky"],
        FamilyState.ENDED_WELL: OKABE_ITO["green"], FamilyState.RELAPSED: OKABE_ITO["purple"],
        FamilyState.ESCALATED: OKABE_ITO["vermillion"],
    },
    False: {
        FamilyState.HEALTHY: (225, 225, 225), FamilyState.SIGNAL: (255, 220, 0),
        FamilyState.WAITING: (255, 140, 0), FamilyState.IN_CARE: (60, 120, 255),
        FamilyState.ENDED_WELL: (40, 180, 60), FamilyState.RELAPSED: (170, 60, 200),
        FamilyState.ESCALATED: (220, 30, 30),
    },
}
# Teams: Okabe-Ito colours far from the blue and vermillion (and orange) that mean good and
# bad, and a grey; the charts add a marker shape per team (charts.TEAM_MARKERS) and outline
# the light ones.
TEAM_COLOURS = (OKABE_ITO["green"], OKABE_ITO["purple"], OKABE_ITO["black"], OKABE_ITO["sky"],
                OKABE_ITO["yellow"], (140, 140, 140))
BACKGROUND = (246, 244, 238)
INK = (25, 25, 35)
MUTED = (95, 95, 110)
PANEL = (255, 255, 255)
GOOD = OKABE_ITO["blue"]
BAD = OKABE_ITO["vermillion"]
STRESS_MARK = {Stress.POSITIVE: 0, Stress.TOLERABLE: 1, Stress.TOXIC: 2}

Rect = tuple[int, int, int, int]


def state_colour(state: int, safe: bool = True) -> tuple[int, int, int]:
    return STATE_COLOURS[bool(safe)][FamilyState(int(state))]


@functools.lru_cache(maxsize=64)
def house_grid(n: int, rect: Rect) -> tuple[int, int, float]:
    """Columns, rows and cell size that fit `n` houses in `rect`.

    Cached: the search tries every column count, and the map asks for the
    layout of the same town once per professional and per click each frame.
    """
    _, _, w, h = rect
    best = (1, n, 1.0)
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        cell = min(w / cols, h / rows)
        if cell > best[2]:
            best = (cols, rows, cell)
    return best


def house_size(cell: float) -> int:
    """A house's side in a grid cell of `cell` pixels: the cell less a gap."""
    return max(2, int(cell) - max(1, int(cell * 0.18)))


def house_rect(i: int, grid: tuple[int, int, float], rect: Rect) -> Rect:
    cols, _, cell = grid
    x0, y0 = rect[0], rect[1]
    size = house_size(cell)
    return (int(x0 + (i % cols) * cell), int(y0 + (i // cols) * cell), size, size)


@functools.lru_cache(maxsize=16)
def house_spots(n: int, rect: Rect) -> list[tuple[int, int]]:
    """Top-left corner of every house, as `house_rect` places them (cached per layout)."""
    cols, _, cell = house_grid(n, rect)
    i = np.arange(n)
    x = (rect[0] + (i % cols) * cell).astype(np.int64)
    y = (rect[1] + (i // cols) * cell).astype(np.int64)
    return list(zip(x.tolist(), y.tolist(), strict=True))


def house_at(pos: tuple[int, int], n: int, rect: Rect) -> int | None:
    """The family whose house is at screen position `pos`, or None."""
    grid = house_grid(n, rect)
    cols, _, cell = grid
    col = int((pos[0] - rect[0]) // cell)
    row = int((pos[1] - rect[1]) // cell)
    if not (0 <= col < cols and row >= 0 and pos[0] >= rect[0] and pos[1] >= rect[1]):
        return None
    i = row * cols + col
    return i if i < n else None


def house_centre(i: int, grid: tuple[int, int, float], rect: Rect) -> tuple[float, float]:
    x, y, w, h = house_rect(i, grid, rect)
    return (x + w / 2, y + h / 2)


def house_centres(fs: np.ndarray, grid: tuple[int, int, float], rect: Rect) -> np.ndarray:
    """`house_centre` of every family in `fs` at once, as an (n, 2) array."""
    cols, _, cell = grid
    size = house_size(cell)
    x = np.trunc(rect[0] + (fs % cols) * cell) + size / 2
    y = np.trunc(rect[1] + (fs // cols) * cell) + size / 2
    return np.column_stack([x, y])


def building_rects(count: int, rect: Rect) -> list[Rect]:
    """A row of `count` buildings across the top of `rect`."""
    x0, y0, w, h = rect
    gap = max(4, w // 80)
    bw = (w - gap * (count - 1)) / max(count, 1)
    return [(int(x0 + i * (bw + gap)), y0, int(bw), h) for i in range(count)]


def served_families(model) -> dict[int, list[int]]:
    """Which families each professional (by index) sees this week."""
    fam = model.families
    served: dict[int, list[int]] = {}
    rows, cols = np.nonzero(fam.care_prof >= 0)
    for f, d in zip(rows, cols, strict=True):
        served.setdefault(int(fam.care_prof[f, d]), []).append(int(f))
    for f in np.flatnonzero(fam.light_prof >= 0):
        served.setdefault(int(fam.light_prof[f]), []).append(int(f))
    return served


def visits(model) -> dict[int, int]:
    """The family each professional (by index) visits this week: of those they see, in
    `served_families` order, the (week + index)-th, round robin. Computed for all at
    once: at 25,000 families a loop over the served families costs a frame."""
    fam = model.families
    rows, cols = np.nonzero(fam.care_prof >= 0)
    light = np.flatnonzero(fam.light_prof >= 0)
    profs = np.concatenate([fam.care_prof[rows, cols], fam.light_prof[light]]).astype(np.int64)
    order = np.argsort(profs, kind="stable")  # per professional, in the order seen
    profs, fams = profs[order], np.concatenate([rows, light])[order]
    ids, start, count = np.unique(profs, return_index=True, return_counts=True)
    picked = fams[start + (model.week + ids) % count]
    return dict(zip(ids.tolist(), picked.tolist(), strict=True))


def office_slots(rect: Rect, count: int) -> list[tuple[float, float]]:
    """Where `count` professionals stand at their office: spread along its bottom edge,
    so each one shows (and the number at work can be counted)."""
    x, y, w, h = rect
    return [(x + w * (i + 1) / (count + 1), float(y + h)) for i in range(count)]


def strongest_ties(a: np.ndarray, b: np.ndarray, strength: np.ndarray, members: list[int],
                   top: int, floor: float) -> list[tuple[int, int, float]]:
    """The `top` strongest ties of at least `floor` between `members`, strongest first,
    as (professional, professional, strength); (a, b, strength) are the candidate ties
    (sim.trust.TrustNetwork.cross_ties: those across organisations).

    All ties drawn at once are a tangle; the strongest few show where the
    network between organisations is.
    """
    if len(members) < 2:
        return []
    shown = np.zeros(max(max(members), int(a.max(initial=-1)), int(b.max(initial=-1))) + 1,
                     dtype=bool)
    shown[members] = True
    keep = np.flatnonzero(shown[a] & shown[b] & (strength >= floor))
    order = keep[np.lexsort((b[keep], a[keep], -strength[keep]))][:top]
    return [(int(a[k]), int(b[k]), float(strength[k])) for k in order]


def tie_width(strength: float, unit: int) -> int:
    """Line width for a tie: one to four units, by strength in steps of 0.15."""
    return unit * max(1, min(4, int(strength / 0.15)))


def year_progress(week: int, weeks_per_year: int = 52) -> tuple[int, float]:
    """Week of the budget year (1..52) shown at model week `week`, and the share gone.

    The budget year turns at the start of a week divisible by 52; before that
    week has run, the old year is still on the books, so it counts as full.
    """
    if week <= 0:
        return 0, 0.0
    w = (week - 1) % weeks_per_year + 1
    return w, w / weeks_per_year


def queue_fill(waiting: int, scale: int = 20) -> float:
    """Share of a building's queue bar filled by `waiting` families."""
    return min(1.0, waiting / scale)


def waiting_by_org(model) -> dict[str, int]:
    """Families waiting for each organisation; a central list counts for each of its providers."""
    by_number = {o.number: o.name for o in model.orgs}
    out = {o.name: 0 for o in model.orgs}
    for wl in model.care.lists.values():
        for number in set(wl.providers):
            name = by_number.get(number)
            if name is not None:
                out[name] += len(wl)
    return out
