"""Drawing the neighbourhood map: houses, buildings with queues, professionals, overlays.

Reads the model and the layout; changes nothing. What changes at most once a
shown week (`layer.shown_week`: a week done, a card, an event) is drawn then
and kept: the houses on a cached surface (only those whose look changed), the
buildings with their queues, where each professional walks. Every frame draws
the professionals on their way, and the overlays. A week in progress does not
show until it is whole.

The map has a fixed box on the screen, so its text cannot grow without
limit: the layout takes the largest text size, from the player's setting
down to the smallest readable size (ui.floor_px), at which every building
label and queue line fits whole in both languages and the houses keep
HOUSES_SHARE of the height. Buildings go in as many rows as that needs. The
layout does not depend on the language, so switching it moves no house.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pygame

from game import render, ui
from game.i18n import LANGUAGES, Translator
from game.layer import Layer, shown_week
from game.render import BAD, INK, MUTED, PANEL
from game.stories import org_label
from game.ui import draw_text, draw_wrapped, font, wrapped_height
from sim.domains import SILOS
from sim.funding import WEEKS_PER_YEAR
from sim.payers import is_municipal
from sim.states import FamilyState, Stress

DEFAULT_BUILDINGS = 7  # the neighbourhood: one wijkteam, four providers, school and GP
HOUSES_SHARE = 0.45  # the houses keep at least this share of the map's height
PAD = 4
BAR_H = 6
WIDEST_COUNT = 88  # a queue or signal count the building lines must hold
TIE_TOP = 12  # strongest cross-organisation ties drawn by the trust overlay
TIE_FLOOR = 0.15
EDGE = (200, 196, 186)
TRACK = (225, 225, 225)
# Count-bearing keys the map fills with `n` (each a table of plural forms).
COUNT_KEYS = ("map.waiting", "map.signals", "map.trust_legend", "map.ideas_legend")


@dataclass(frozen=True)
class Plan:
    """The map's text size and how its parts share the height."""

    px: int
    rows: int  # rows of buildings
    label_lines: int  # lines the tallest building label takes
    building_h: int
    legend_h: int


@dataclass
class Walks:
    """The professionals at work in a shown week: office and visited home per row (the
    office again for those who stay in), how each dot looks, and each one's row."""

    pros: list
    office: np.ndarray  # (n, 2)
    home: np.ndarray  # (n, 2)
    look: list[int]  # a `_dot_look`
    ideas: list[int]  # ideas each has adopted (the innovation overlay's rings)

    def __post_init__(self) -> None:
        self.row = {pro.index: i for i, pro in enumerate(self.pros)}

    def at(self, alpha: float) -> np.ndarray:
        """Everyone's position `alpha` of the way through the week: out to the home and
        back within the week, easing in and out: one sum for all of them."""
        t = 1.0 - abs(2.0 * alpha - 1.0)
        t = t * t * (3 - 2 * t)
        return self.office + (self.home - self.office) * t


def _dot_look(pro) -> int:
    """0: a generalist at work, 1: a specialist at work, 2: ill or away."""
    return (0 if pro.role == 0 else 1) if pro.available else 2


@functools.cache
def _dot_stamps(r: int) -> tuple[pygame.Surface, ...]:
    """A dot of radius `r` with a light rim, per `_dot_look`, on a clear square."""
    stamps = []
    for colour in (render.OKABE_ITO["blue"], render.OKABE_ITO["purple"], MUTED):
        stamp = pygame.Surface((2 * r + 2, 2 * r + 2), pygame.SRCALPHA)
        centre = (r + 1, r + 1)
        pygame.draw.circle(stamp, colour, centre, r)
        pygame.draw.circle(stamp, PANEL, centre, r, 1)
        stamps.append(stamp)
    return tuple(stamps)


class MapView:
    def __init__(self, rect: pygame.Rect, text_px: int) -> None:
        self.rect = rect
        self.text_px = text_px
        screen = pygame.display.get_surface()
        height = screen.get_height() if screen else round(text_px * 720 / ui.SIZES["small"])
        self.floor = min(text_px, ui.floor_px(height))
        self._cache_key = None
        self._houses: pygame.Surface | None = None
        self._houses_layout = None
        self._codes = np.zeros(0, dtype=np.int64)  # each house's look on `_houses`
        # Per shown week (`layer.shown_week`): the buildings, each professional's
        # office and the home they visit; only the walk between them moves every frame.
        self._buildings = Layer(alpha=True)
        self._walks_key = None
        self._walks: Walks | None = None
        # What the last frame showed, for the tests: notes under the map, the budget
        # box and its texts, the ties drawn, labels that had to be cut.
        self.notes: list[str] = []
        self.budget_rect: pygame.Rect | None = None
        self.budget_texts: list[str] = []
        self.ties: list[tuple[int, int, float]] = []
        self.clipped: list[str] = []
        self.arrange(DEFAULT_BUILDINGS)

    # -- layout ---------------------------------------------------------------

    def arrange(self, count: int, lang: str | None = None) -> None:
        """Lay the map out for `count` buildings in language `lang` (both when None).

        Done again when providers come or go or the language changes: before
        the first frame the layout is one that fits both languages.
        """
        self.count, self.lang = count, lang
        self._translators = [Translator(x) for x in ((lang,) if lang else LANGUAGES)]
        self.plan = self._plan(count)
        px = self.plan.px
        self.small, self.bold = font(px), font(px, True)
        self.dot = max(4, px // 3)
        self.row_gap = self.dot + 4
        r = self.rect
        band = self.plan.rows * self.plan.building_h + (self.plan.rows - 1) * self.row_gap
        self.buildings_rect = pygame.Rect(r.left, r.top, r.width, band)
        self.legend_rect = pygame.Rect(r.left, r.bottom - self.plan.legend_h, r.width,
                                       self.plan.legend_h)
        top = self.buildings_rect.bottom + self.dot + 4
        # A forced plan (many buildings in a small window) may leave no room: keep one row.
        self.houses_rect = pygame.Rect(r.left, top, r.width,
                                       max(1, self.legend_rect.top - 6 - top))
        self._cache_key = None

    def _plan(self, count: int) -> Plan:
        for px in range(self.text_px, self.floor - 1, -1):
            for rows in (1, 2, 3):
                plan = self._try(count, px, rows)
                if plan is not None:
                    return plan
        return self._try(count, self.floor, 3, force=True)

    def _try(self, count: int, px: int, rows: int, force: bool = False) -> Plan | None:
        """The plan at text size `px` with `rows` rows of buildings, or None if it fails.

        Labels may take two lines when the height allows; otherwise one line,
        with the short name where the full one does not fit.
        """
        for most in (2, 1):
            plan = self._try_lines(count, px, rows, most, force and most == 1)
            if plan is not None:
                return plan
        return None

    def _try_lines(self, count: int, px: int, rows: int, most: int,
                   force: bool) -> Plan | None:
        small, bold = font(px), font(px, True)
        usable = self._building_width(count, rows) - 2 * PAD
        lines = self._label_lines(bold, usable, most)
        counts = max(small.size(t(key, n=WIDEST_COUNT))[0] for t in self._translators
                     for key in ("map.waiting", "map.signals"))
        if not force and (lines is None or counts > usable):
            return None
        dot = max(4, px // 3)
        building_h = (PAD + (lines or most) * bold.get_linesize() + small.get_linesize() + 3
                      + BAR_H + dot + 2)
        legend_h = max(self._legend_rows(small, bold) * self._legend_step(small),
                       2 * small.get_linesize()) + 4
        band = rows * building_h + (rows - 1) * (dot + 4)
        houses = self.rect.height - band - (dot + 4) - legend_h - 6
        if not force and houses < HOUSES_SHARE * self.rect.height:
            return None
        return Plan(px, rows, lines or most, building_h, legend_h)

    def _building_width(self, count: int, rows: int) -> int:
        per_row = math.ceil(count / rows)
        return (self.rect.width - self._gap() * (per_row - 1)) // per_row

    def _gap(self) -> int:
        return max(4, self.rect.width // 80)

    def _label_lines(self, bold, width: int, most: int) -> int | None:
        """Lines (at most `most`) the longest building label needs at `width`, or None."""
        need = 1
        for t in self._translators:
            for name, kind in ((f"Aanbieder {self.count}", "provider"),
                               (f"Wijkteam {self.count}", "wijkteam"),
                               ("", "school"), ("", "gp")):
                lines = _label(t, name, kind, bold, width, most)
                if lines is None:
                    return None
                need = max(need, len(lines))
        return need

    def building_rects(self) -> list[pygame.Rect]:
        """One rect per building, in rows of equal width across the top of the map."""
        rows = self.plan.rows
        per_row = math.ceil(self.count / rows)
        width, gap = self._building_width(self.count, rows), self._gap()
        out = []
        for i in range(self.count):
            row, col = divmod(i, per_row)
            out.append(pygame.Rect(self.rect.left + col * (width + gap),
                                   self.rect.top + row * (self.plan.building_h + self.row_gap),
                                   width, self.plan.building_h))
        return out

    def tuple_rect(self) -> tuple[int, int, int, int]:
        r = self.houses_rect
        return (0, 0, r.width, r.height)

    def family_at(self, pos: tuple[int, int], n: int) -> int | None:
        if not self.houses_rect.collidepoint(pos):
            return None
        local = (pos[0] - self.houses_rect.left, pos[1] - self.houses_rect.top)
        return render.house_at(local, n, self.tuple_rect())

    def house_centre(self, f: int, n: int) -> tuple[float, float]:
        grid = render.house_grid(n, self.tuple_rect())
        x, y = render.house_centre(f, grid, self.tuple_rect())
        return (x + self.houses_rect.left, y + self.houses_rect.top)

    def building_list(self, model) -> list[tuple[str, str, object]]:
        """(name, kind, org or None) for every building on the map."""
        out = [(o.name, "wijkteam", o) for o in model.wijkteams]
        out += [(o.name, "provider", o) for o in model.providers]
        out += [("school", "school", None), ("gp", "gp", None)]
        return out

    # -- drawing --------------------------------------------------------------

    def draw(self, surface: pygame.Surface, model, t, safe: bool, overlays: set[str],
             alpha: float, selected: int | None, signals: dict[int, int]) -> None:
        buildings = self.building_list(model)
        if (len(buildings), t.lang) != (self.count, self.lang):
            self.arrange(len(buildings), t.lang)
        self._draw_houses(surface, model, safe, selected)
        walks = self._professionals(model, buildings)
        xy = walks.at(alpha)
        ties = self.ties = self._ties(model, walks) if "trust" in overlays else []
        for a, b, strength in ties:  # under the buildings, so their labels stay whole
            self._draw_tie(surface, xy[walks.row[a]], xy[walks.row[b]], strength)
        key = (shown_week(model), t.lang, self.plan, tuple(sorted(signals.items())))
        self.clipped = self._buildings.blit(
            surface, self.buildings_rect, key,
            lambda target: self._draw_buildings(target, model, t, buildings, signals))
        self._draw_professionals(surface, walks, xy, "innovation" in overlays)
        self.budget_rect, self.budget_texts = None, []
        if "budget" in overlays:
            self._draw_budget(surface, model, t)
        notes = self._notes(model, t, overlays, len(ties))
        self.notes = [text for _, text in notes]
        if notes:
            self._draw_notes(surface, notes)
        else:
            self._draw_legend(surface, t, safe)

    def _draw_houses(self, surface, model, safe: bool, selected: int | None) -> None:
        """The houses from a cached surface, redrawn once per shown week, and then only
        the houses whose look changed; the selected family's frame goes on top."""
        fam = model.families
        grid = render.house_grid(fam.n, self.tuple_rect())
        layout = (safe, self.houses_rect.size, fam.n)
        if layout != self._houses_layout or self._houses is None:
            self._houses_layout, self._cache_key = layout, None
            self._houses = pygame.Surface(self.houses_rect.size)
            self._houses.fill(render.BACKGROUND)
            self._codes = np.full(fam.n, -1, dtype=np.int64)
        if shown_week(model) != self._cache_key:
            self._cache_key = shown_week(model)
            # Every house looks like one of a few stamps (state x stress); each is drawn
            # once and blitted per family in one call, so 25,000 houses cost milliseconds.
            stamps = _house_stamps(render.house_rect(0, grid, self.tuple_rect())[2:], safe)
            codes = fam.state.astype(np.int64) * len(Stress) + fam.stress
            changed = np.flatnonzero(codes != self._codes)
            spots = render.house_spots(fam.n, self.tuple_rect())
            self._houses.blits([(stamps[c], spots[f]) for f, c in
                                zip(changed.tolist(), codes[changed].tolist(), strict=True)],
                               doreturn=False)
            self._codes = codes
        surface.blit(self._houses, self.houses_rect)
        if selected is not None and 0 <= selected < fam.n:
            r = pygame.Rect(render.house_rect(selected, grid, self.tuple_rect()))
            clip = surface.get_clip()
            surface.set_clip(self.houses_rect)
            pygame.draw.rect(surface, render.OKABE_ITO["blue"],
                             r.move(self.houses_rect.topleft).inflate(6, 6), 3)
            surface.set_clip(clip)

    def _offices(self, buildings) -> dict[int, tuple[float, float]]:
        """Each active professional's spot on the bottom edge of their building."""
        offices: dict[int, tuple[float, float]] = {}
        for (_, _, org), rect in zip(buildings, self.building_rects(), strict=True):
            if org is None:
                continue
            staff = [p for p in org.staff if p.active]
            for pro, spot in zip(staff, render.office_slots(tuple(rect), len(staff)), strict=True):
                offices[pro.index] = spot
        return offices

    def _draw_buildings(self, surface, model, t, buildings, signals: dict[int, int]
                        ) -> list[str]:
        """Buildings with their label and queue (school and GP: the round's signals);
        returns the labels that had to be cut."""
        waiting = render.waiting_by_org(model)
        small, bold = self.small, self.bold
        clipped = []
        for (name, kind, org), rect in zip(buildings, self.building_rects(), strict=True):
            pygame.draw.rect(surface, PANEL, rect, border_radius=6)
            pygame.draw.rect(surface, MUTED, rect, 2, border_radius=6)
            width = rect.width - 2 * PAD
            lines = _label(t, name, kind, bold, width, self.plan.label_lines)
            if lines is None:
                lines = [_clip(_names(t, name, kind)[-1], bold, width)]
                clipped.append(name or kind)
            y = rect.top + PAD
            for line in lines:
                _put(surface, line, bold, INK, (rect.centerx, y), rect, "midtop")
                y += bold.get_linesize()
            y = rect.top + PAD + self.plan.label_lines * bold.get_linesize()
            if org is None:
                n_sig = signals.get(0 if kind == "school" else 1, 0)
                _put(surface, t("map.signals", n=n_sig), small, MUTED, (rect.centerx, y), rect,
                     "midtop")
                continue
            n_wait = waiting.get(name, 0)
            _put(surface, t("map.waiting", n=n_wait), small, BAD if n_wait > 10 else INK,
                 (rect.centerx, y), rect, "midtop")
            bar = pygame.Rect(rect.left + PAD + 2, y + small.get_linesize() + 3,
                              rect.width - 2 * PAD - 4, BAR_H)
            pygame.draw.rect(surface, TRACK, bar)
            fill = bar.copy()
            fill.width = int(bar.width * render.queue_fill(n_wait))
            pygame.draw.rect(surface, render.OKABE_ITO["orange"], fill)
        return clipped

    def _professionals(self, model, buildings) -> Walks:
        """Who is at work this shown week, at the office or on the way to a family."""
        key = (shown_week(model), tuple(self.houses_rect), tuple(self.buildings_rect))
        if key != self._walks_key:
            self._walks_key, self._walks = key, self._weekly_walks(model, buildings)
        return self._walks

    def _weekly_walks(self, model, buildings) -> Walks:
        """Each professional at work, their office and the home they visit this week (their
        office when they stay in), and how they look: all fixed for the shown week."""
        visits = render.visits(model)
        offices = self._offices(buildings)
        pros = [pro for pro in model.professionals if pro.index in offices]
        office = np.array([offices[pro.index] for pro in pros], dtype=float).reshape(-1, 2)
        home = office.copy()
        visited = np.array([visits.get(pro.index, -1) if pro.available else -1
                            for pro in pros], dtype=np.int64)
        out = np.flatnonzero(visited >= 0)
        grid = render.house_grid(model.families.n, self.tuple_rect())
        home[out] = render.house_centres(visited[out], grid, self.tuple_rect())
        home[out] += self.houses_rect.topleft
        adopters = model.innovations.adopters
        adopted = adopters.sum(axis=0).tolist() if adopters.shape[0] else []
        ideas = [adopted[pro.index] if pro.index < len(adopted) else 0 for pro in pros]
        return Walks(pros, office, home, [_dot_look(pro) for pro in pros], ideas)

    def _ties(self, model, walks: Walks) -> list[tuple[int, int, float]]:
        members = [i for i in walks.row if i < model.trust.size]
        return render.strongest_ties(*model.trust.cross_ties(), members, TIE_TOP, TIE_FLOOR)

    def _draw_tie(self, surface, a, b, strength: float) -> None:
        """A tie as a curve bowing down into the map, so ties between offices in one row
        do not lie on top of each other; a light halo keeps it visible on any house."""
        (xa, ya), (xb, yb) = a, b
        low = max(ya, yb)
        drop = (max(0, self.houses_rect.top - low) + 0.2 * math.hypot(xb - xa, yb - ya)
                + 3 * self.dot)
        cx, cy = (xa + xb) / 2, low + 2 * drop  # the curve's lowest point: about `drop` down
        points = []
        for k in range(17):
            s = k / 16
            points.append(((1 - s) ** 2 * xa + 2 * (1 - s) * s * cx + s * s * xb,
                           (1 - s) ** 2 * ya + 2 * (1 - s) * s * cy + s * s * yb))
        width = render.tie_width(strength, max(2, self.dot // 3))
        pygame.draw.lines(surface, PANEL, False, points, width + 4)
        pygame.draw.lines(surface, render.OKABE_ITO["blue"], False, points, width)

    def _draw_professionals(self, surface, walks: Walks, xy: np.ndarray,
                            innovation: bool) -> None:
        """A dot per professional, from one stamp per look in one call (at 25,000 families
        some seven hundred a frame); with the innovation overlay, a ring per idea first."""
        r = self.dot
        if innovation:
            for count, pos in zip(walks.ideas, xy.tolist(), strict=True):
                if count:
                    pygame.draw.circle(surface, render.OKABE_ITO["green"], pos,
                                       r + 3 + 2 * count, max(2, r // 2))
        stamps = _dot_stamps(r)
        corners = np.floor(xy - (r + 1)).astype(int).tolist()
        surface.blits([(stamps[look], corner)
                       for look, corner in zip(walks.look, corners, strict=True)],
                      doreturn=False)

    # -- overlays: budget box and notes ---------------------------------------

    def _draw_budget(self, surface, model, t) -> None:
        """Spent and budget per silo this year, over the buildings (the houses stay in view)."""
        small, bold = self.small, self.bold
        week, gone = render.year_progress(model.week, WEEKS_PER_YEAR)
        budget = model.budget
        rows, others = [], []
        for i, silo in enumerate(SILOS):
            spent, total = float(budget.spent_year[i]), float(budget.yearly[i])
            if not is_municipal(silo):
                others.append(t("map.budget_other", silo=t(f"silo_short.{silo}"),
                                spent=t.fmt.euro(spent)))
                continue
            share = spent / total if total > 0 else 0.0
            rows.append((f"{t(f'silo.{silo}')} · {t.fmt.share(share)}",
                         t("map.budget_amounts", spent=t.fmt.euro(spent),
                           budget=t.fmt.euro(total)), share))
        head = t("map.budget_pooled" if model.params.funding.pooled else "map.budget_silos",
                 week=week)
        cols, height = _budget_grid(rows, small, bold, self.buildings_rect.width - 16)
        other = t("map.budget_others", payers=" · ".join(others)) if others else ""
        extra = small.get_linesize() if other else 0
        box = pygame.Rect(self.buildings_rect.left, self.buildings_rect.top,
                          self.buildings_rect.width,
                          max(self.buildings_rect.height,
                              height + bold.get_linesize() + extra + 12))
        pygame.draw.rect(surface, PANEL, box, border_radius=6)
        pygame.draw.rect(surface, MUTED, box, 2, border_radius=6)
        self.budget_rect = box
        self.budget_texts = [head] + [text for name, amounts, _ in rows
                                      for text in (name, amounts)] + ([other] if other else [])
        _put(surface, _clip(head, bold, box.width - 16), bold, INK, (box.left + 8, box.top + 4),
             box)
        col_w = (box.width - 16) // cols
        block = 2 * small.get_linesize() + BAR_H + 8
        for k, (name, amounts, share) in enumerate(rows):
            row, col = divmod(k, cols)
            x = box.left + 8 + col * col_w
            y = box.top + 6 + bold.get_linesize() + row * block
            over = share > 1
            _put(surface, name, bold if over else small, BAD if over else INK, (x, y), box)
            _put(surface, amounts, small, MUTED, (x, y + small.get_linesize()), box)
            bar = pygame.Rect(x, y + 2 * small.get_linesize() + 2, col_w - 14, BAR_H + 2)
            pygame.draw.rect(surface, TRACK, bar)
            fill = bar.copy()
            fill.width = int(bar.width * min(1.0, share))
            pygame.draw.rect(surface, BAD if over else render.GOOD, fill)
            tick = bar.left + int(bar.width * gone)
            pygame.draw.line(surface, INK, (tick, bar.top - 3), (tick, bar.bottom + 2), 2)
        if other:
            _put(surface, _clip(other, small, box.width - 16), small, MUTED,
                 (box.left + 8, box.bottom - extra - 4), box)

    def _notes(self, model, t, overlays: set[str], ties: int) -> list[tuple[str, str]]:
        """(overlay, explanation) for each overlay on: what its marks mean, or why it is empty."""
        notes = []
        if "trust" in overlays:
            notes.append(("trust", t("map.trust_legend", n=ties) if ties
                          else t("map.trust_none")))
        if "innovation" in overlays:
            adopters = model.innovations.adopters
            count = int(adopters.any(axis=0).sum()) if adopters.size else 0
            notes.append(("innovation", t("map.ideas_legend", n=count) if count
                          else t("map.ideas_none")))
        if "budget" in overlays:
            notes.append(("budget", t("map.budget_legend")))
        return notes

    def _draw_notes(self, surface, notes: list[tuple[str, str]]) -> None:
        """The overlays' explanations in the legend's place, each after a sample of its mark.

        They take the largest size, down to the smallest readable one, at which
        all fit the legend's box; with several overlays on at the smallest size
        the box grows upwards over the last rows of houses rather than cut a note.
        """
        sample = self.small.get_height() * 2
        width = self.legend_rect.width - sample - 16
        for px in range(self.plan.px, self.floor - 1, -1):
            fnt = font(px)
            heights = [ui.wrapped_height(text, fnt, width) for _, text in notes]
            if sum(heights) + 4 * len(notes) <= self.legend_rect.height - 4:
                break
        box = self.legend_rect.copy()
        box.height = max(box.height, sum(heights) + 4 * len(notes) + 4)
        box.bottom = self.legend_rect.bottom
        shade = pygame.Surface(box.size, pygame.SRCALPHA)
        shade.fill((*PANEL, 245))
        surface.blit(shade, box)
        pygame.draw.rect(surface, EDGE, box, 1, border_radius=6)
        y = box.top + 3
        for (kind, text), height in zip(notes, heights, strict=True):
            _draw_sample(surface, kind, pygame.Rect(box.left + 6, y + 2, sample,
                                                    fnt.get_height()), self.dot)
            area = pygame.Rect(box.left + sample + 12, y, width, height)
            draw_wrapped(surface, text, fnt, INK, area)
            from game.panels import DRAWN

            need = pygame.Rect(area.left, area.top, max(fnt.size(w)[0] for w in text.split()),
                               wrapped_height(text, fnt, width))
            DRAWN.append((text, need, box))
            y += height + 4

    def _legend_items(self, t):
        items = [(state, t(f"state.{state.name.lower()}")) for state in FamilyState]
        items += [(Stress.TOLERABLE, t("legend.tolerable")), (Stress.TOXIC, t("legend.toxic"))]
        return [(None, t("map.square"))] + items

    def _legend_step(self, small) -> int:
        return max(small.get_linesize(), small.get_height() + 4)

    def _legend_rows(self, small, bold) -> int:
        most = 1
        for t in self._translators:
            rows, x = 1, 0
            for swatch, label in self._legend_items(t):
                wid = _item_width(swatch, label, small, bold)
                if x and x + wid > self.rect.width:
                    rows, x = rows + 1, 0
                x += wid
            most = max(most, rows)
        return most

    def _draw_legend(self, surface, t, safe: bool) -> None:
        small = self.small
        sw = small.get_height()
        step = self._legend_step(small)
        x, y = self.legend_rect.left, self.legend_rect.top + 2
        for swatch, label in self._legend_items(t):
            wid = _item_width(swatch, label, small, self.bold)
            if x > self.legend_rect.left and x + wid > self.legend_rect.right:
                x, y = self.legend_rect.left, y + step
            if swatch is None:
                _put(surface, label, self.bold, INK, (x, y), self.legend_rect)
            else:
                box = pygame.Rect(x, y + 1, sw, sw)
                if isinstance(swatch, Stress):
                    _draw_house(surface, box, FamilyState.HEALTHY, int(swatch), safe)
                else:
                    _draw_house(surface, box, int(swatch), Stress.POSITIVE, safe)
                _put(surface, label, small, INK, (x + sw + 6, y), self.legend_rect)
            x += wid


# -- helpers ----------------------------------------------------------------------

def _put(surface, text: str, fnt, colour, pos, box: pygame.Rect,
         anchor: str = "topleft") -> pygame.Rect:
    """Draw one line and note it, with the box it must stay in, for the layout tests."""
    from game.panels import DRAWN

    rect = draw_text(surface, text, fnt, colour, pos, anchor)
    DRAWN.append((text, rect, pygame.Rect(box)))
    return rect


@functools.lru_cache(maxsize=8)
def _house_stamps(size: tuple[int, int], safe: bool) -> dict[int, pygame.Surface]:
    """Every look a house can have at this size: code state * len(Stress) + stress."""
    stamps = {}
    for state in FamilyState:
        for stress in Stress:
            stamp = pygame.Surface(size)
            stamp.fill(render.BACKGROUND)
            _draw_house(stamp, stamp.get_rect(), int(state), int(stress), safe)
            stamps[int(state) * len(Stress) + int(stress)] = stamp
    return stamps


def _draw_house(surface, r: pygame.Rect, state: int, stress: int, safe: bool) -> None:
    """A family's square: colour by state, a dot for tolerable and a thick rim for toxic
    stress, a cross for escalation (so it reads without colour too)."""
    pygame.draw.rect(surface, render.state_colour(state, safe), r)
    if stress == Stress.TOXIC:
        pygame.draw.rect(surface, INK, r, max(2, r.width // 5))
    elif stress == Stress.TOLERABLE:
        pygame.draw.circle(surface, INK, r.center, max(1, r.width // 7))
    if state == FamilyState.ESCALATED:
        pygame.draw.line(surface, INK, r.topleft, r.bottomright, 2)
        pygame.draw.line(surface, INK, r.topright, r.bottomleft, 2)


def _draw_sample(surface, kind: str, r: pygame.Rect, dot: int) -> None:
    """A small picture of an overlay's mark at the start of its note."""
    mid = r.centery
    if kind == "trust":
        pygame.draw.line(surface, render.OKABE_ITO["blue"], (r.left, mid), (r.right, mid),
                         max(3, dot // 2))
    elif kind == "innovation":
        pygame.draw.circle(surface, render.OKABE_ITO["green"], r.center, dot + 5, max(2, dot // 2))
        pygame.draw.circle(surface, render.OKABE_ITO["purple"], r.center, dot)
    else:
        bar = pygame.Rect(r.left, mid - BAR_H // 2, r.width, BAR_H + 2)
        pygame.draw.rect(surface, TRACK, bar)
        pygame.draw.rect(surface, render.GOOD, (bar.left, bar.top, bar.width // 2, bar.height))
        tick = bar.left + int(bar.width * 0.6)
        pygame.draw.line(surface, INK, (tick, bar.top - 3), (tick, bar.bottom + 2), 2)


def _item_width(swatch, label: str, small, bold) -> int:
    if swatch is None:  # the legend's lead-in, in bold
        return bold.size(label)[0] + 14
    return small.get_height() + 6 + small.size(label)[0] + 14


def _names(t, name: str, kind: str) -> list[str]:
    """A building's label, full first, then short."""
    if kind in ("school", "gp"):
        return [t(f"map.{kind}")]
    return [org_label(t, name), org_label(t, name, short=True)]


def _split(text: str, fnt) -> list[str] | None:
    """The two-line split of `text` whose wider line is narrowest."""
    words = text.split(" ")
    if len(words) < 2:
        return None
    splits = [[" ".join(words[:k]), " ".join(words[k:])] for k in range(1, len(words))]
    return min(splits, key=lambda s: max(fnt.size(part)[0] for part in s))


def _label(t, name: str, kind: str, fnt, width: int, most: int = 2) -> list[str] | None:
    """The building's label in at most `most` lines at `width`: the full name in one
    line, else in two, else the short name likewise; None if nothing fits whole."""
    for text in _names(t, name, kind):
        for lines in ([text], _split(text, fnt) if most > 1 else None):
            if lines and all(fnt.size(part)[0] <= width for part in lines):
                return lines
    return None


def _clip(text: str, fnt, width: int) -> str:
    """Last resort for a box too small for any whole label."""
    while fnt.size(text)[0] > width and len(text) > 2:
        text = text[:-2] + "…"
    return text


def _budget_grid(rows, small, bold, width: int) -> tuple[int, int]:
    """Columns for the silo blocks (four, two or one, whatever fits) and their height."""
    block = 2 * small.get_linesize() + BAR_H + 8
    for cols in (len(rows), 2, 1):
        col_w = width // cols - 14
        if all(max(bold.size(a)[0], small.size(b)[0]) <= col_w for a, b, _ in rows):
            break
    return cols, math.ceil(len(rows) / cols) * block
