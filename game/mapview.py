"""Drawing the neighbourhood map: houses, buildings with queues, professionals, overlays.

Reads the model and the layout; changes nothing. The houses are drawn onto a
cached surface once per model week; professionals and overlays every frame.
"""

from __future__ import annotations

import pygame

from game import render
from game.render import BAD, INK, MUTED, PANEL
from game.ui import draw_text, font
from sim.domains import SILOS
from sim.states import FamilyState, Stress


class MapView:
    def __init__(self, rect: pygame.Rect, text_px: int) -> None:
        self.rect = rect
        self.text_px = text_px
        self.buildings_rect = pygame.Rect(rect.left, rect.top, rect.width, int(rect.height * 0.2))
        legend_h = int(text_px * 1.5 * 2 + 6)
        top = self.buildings_rect.bottom + 8
        self.houses_rect = pygame.Rect(rect.left, top, rect.width,
                                       rect.bottom - legend_h - top - 4)
        self.legend_rect = pygame.Rect(rect.left, rect.bottom - legend_h, rect.width, legend_h)
        self._cache_key = None
        self._houses: pygame.Surface | None = None
        self._served_week = -1
        self._served: dict[int, list[int]] = {}

    # -- layout ---------------------------------------------------------------

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
        """(label, kind, org or None) for every building on the map."""
        out = [(o.name, "wijkteam", o) for o in model.wijkteams]
        out += [(o.name, "provider", o) for o in model.providers]
        out += [("school", "school", None), ("gp", "gp", None)]
        return out

    # -- drawing --------------------------------------------------------------

    def draw(self, surface: pygame.Surface, model, t, safe: bool, overlays: set[str],
             alpha: float, selected: int | None, signals: dict[int, int]) -> None:
        self._draw_houses(surface, model, safe, selected)
        offices = self._draw_buildings(surface, model, t, signals)
        positions = self._professionals(model, offices, alpha)
        if "trust" in overlays:
            self._draw_trust(surface, model, positions)
        self._draw_professionals(surface, model, positions, "innovation" in overlays)
        if "budget" in overlays:
            self._draw_budget(surface, model, t)
        self._draw_legend(surface, t, safe, overlays)

    def _draw_houses(self, surface, model, safe: bool, selected: int | None) -> None:
        fam = model.families
        key = (model.week, safe, selected, self.houses_rect.size)
        if key != self._cache_key or self._houses is None:
            self._cache_key = key
            surf = pygame.Surface(self.houses_rect.size)
            surf.fill(render.BACKGROUND)
            grid = render.house_grid(fam.n, self.tuple_rect())
            colours = [render.state_colour(s, safe) for s in range(7)]
            for f in range(fam.n):
                r = pygame.Rect(render.house_rect(f, grid, self.tuple_rect()))
                state = int(fam.state[f])
                pygame.draw.rect(surf, colours[state], r)
                stress = int(fam.stress[f])
                if stress == Stress.TOXIC:
                    pygame.draw.rect(surf, INK, r, max(2, r.width // 5))
                elif stress == Stress.TOLERABLE:
                    pygame.draw.circle(surf, INK, r.center, max(1, r.width // 7))
                if state == FamilyState.ESCALATED:
                    pygame.draw.line(surf, INK, r.topleft, r.bottomright, 2)
                    pygame.draw.line(surf, INK, r.topright, r.bottomleft, 2)
                if f == selected:
                    pygame.draw.rect(surf, render.OKABE_ITO["blue"], r.inflate(6, 6), 3)
            self._houses = surf
        surface.blit(self._houses, self.houses_rect)

    def _draw_buildings(self, surface, model, t, signals: dict[int, int]):
        buildings = self.building_list(model)
        rects = render.building_rects(len(buildings), tuple(self.buildings_rect))
        waiting = render.waiting_by_org(model)
        small = font(max(10, int(self.text_px * 0.85)))
        bold = font(max(10, int(self.text_px * 0.85)), True)
        offices: dict[str, tuple[float, float]] = {}
        for (name, kind, org), r in zip(buildings, rects, strict=True):
            rect = pygame.Rect(r)
            pygame.draw.rect(surface, PANEL, rect, border_radius=6)
            pygame.draw.rect(surface, MUTED, rect, 2, border_radius=6)
            label = t(f"map.{kind}") if org is None else _short(name, t)
            _fit_text(surface, label, bold, INK, (rect.centerx, rect.top + 4), rect.width - 6)
            line = rect.top + 4 + bold.get_linesize()
            if org is not None:
                n_wait = waiting.get(name, 0)
                staff = sum(1 for p in org.staff if p.available)
                _fit_text(surface, t("map.staff", n=staff), small, MUTED,
                          (rect.centerx, line), rect.width - 6)
                _fit_text(surface, t("map.waiting", n=n_wait), small,
                          BAD if n_wait > 10 else INK, (rect.centerx, line + small.get_linesize()),
                          rect.width - 6)
                bar = pygame.Rect(rect.left + 6, rect.bottom - 14, rect.width - 12, 8)
                pygame.draw.rect(surface, (225, 225, 225), bar)
                fill = bar.copy()
                fill.width = int(bar.width * render.queue_fill(n_wait))
                pygame.draw.rect(surface, render.OKABE_ITO["orange"], fill)
                offices[name] = (rect.centerx, rect.bottom + 2)
            else:
                n_sig = signals.get(0 if kind == "school" else 1, 0)
                _fit_text(surface, t("map.signals", n=n_sig), small, MUTED,
                          (rect.centerx, line), rect.width - 6)
        return offices

    def _professionals(self, model, offices, alpha: float):
        if self._served_week != model.week:
            self._served = render.served_families(model)
            self._served_week = model.week
        n = model.families.n
        out = []
        for pro in model.professionals:
            office = offices.get(pro.org.name)
            if office is None or not pro.active:
                continue
            fams = self._served.get(pro.index, [])
            home = None
            if fams and pro.available:
                home = self.house_centre(fams[(model.week + pro.index) % len(fams)], n)
            out.append((pro, render.professional_position(home, office, alpha)))
        return out

    def _draw_trust(self, surface, model, positions) -> None:
        ties = model.trust.ties
        cross = model.trust.cross
        colour = render.OKABE_ITO["blue"]
        for i, (a, pa) in enumerate(positions):
            for b, pb in positions[i + 1:]:
                if a.index >= ties.shape[0] or b.index >= ties.shape[0]:
                    continue
                v = ties[a.index, b.index]
                if v > 0.15 and cross[a.index, b.index]:
                    pygame.draw.line(surface, colour, pa, pb, 1 + int(v * 6))

    def _draw_professionals(self, surface, model, positions, innovation: bool) -> None:
        adopters = model.innovations.adopters
        r = max(4, self.text_px // 3)
        for pro, pos in positions:
            if innovation and adopters.shape[0] and pro.index < adopters.shape[1]:
                ideas = int(adopters[:, pro.index].sum())
                if ideas:
                    pygame.draw.circle(surface, render.OKABE_ITO["green"], pos, r + 3 + 2 * ideas)
            colour = render.OKABE_ITO["blue"] if pro.role == 0 else render.OKABE_ITO["purple"]
            pygame.draw.circle(surface, colour if pro.available else MUTED, pos, r)
            pygame.draw.circle(surface, PANEL, pos, r, 1)

    def _draw_budget(self, surface, model, t) -> None:
        small = font(max(10, int(self.text_px * 0.85)))
        line = small.get_linesize()
        box = pygame.Rect(0, 0, int(self.houses_rect.width * 0.42), line * (len(SILOS) + 1) + 12)
        box.bottomright = (self.houses_rect.right - 4, self.houses_rect.bottom - 4)
        pygame.draw.rect(surface, PANEL, box, border_radius=6)
        pygame.draw.rect(surface, MUTED, box, 1, border_radius=6)
        pooled = model.params.funding.pooled
        head = t("map.budget_pooled") if pooled else t("map.budget_silos")
        draw_text(surface, head, font(small.get_height(), True), INK, (box.left + 6, box.top + 4))
        label_w = int(box.width * 0.38)
        for i, silo in enumerate(SILOS):
            y = box.top + 6 + line * (i + 1)
            draw_text(surface, t(f"silo.{silo}"), small, INK, (box.left + 6, y))
            bar = pygame.Rect(box.left + label_w, y + line // 4, box.width - label_w - 8,
                              line // 2)
            used = model.budget.spent_year[i] / max(model.budget.yearly[i], 1.0)
            pygame.draw.rect(surface, (225, 225, 225), bar)
            fill = bar.copy()
            fill.width = int(bar.width * min(1.0, used))
            pygame.draw.rect(surface, BAD if used > 1 else render.GOOD, fill)

    def _draw_legend(self, surface, t, safe: bool, overlays: set[str]) -> None:
        small = font(max(10, int(self.text_px * 0.85)))
        x, y = self.legend_rect.left, self.legend_rect.top + 2
        sw = small.get_height()
        items = [(render.state_colour(s, safe), t(f"state.{FamilyState(s).name.lower()}"))
                 for s in range(7)]
        items.append((None, t("legend.toxic")))
        for colour, label in items:
            wid = sw + 6 + small.size(label)[0] + 14
            if x + wid > self.legend_rect.right:
                x, y = self.legend_rect.left, y + int(sw * 1.5)
            box = pygame.Rect(x, y + 2, sw, sw)
            if colour is None:
                pygame.draw.rect(surface, PANEL, box)
                pygame.draw.rect(surface, INK, box, max(2, sw // 5))
            else:
                pygame.draw.rect(surface, colour, box)
            draw_text(surface, label, small, INK, (x + sw + 6, y))
            x += wid


def _short(name: str, t) -> str:
    """'Aanbieder 3' / 'Wijkteam 1' in the player's language."""
    word, _, number = name.rpartition(" ")
    key = {"Aanbieder": "map.provider_n", "Wijkteam": "map.wijkteam_n"}.get(word)
    return t(key, n=number) if key else name


def _fit_text(surface, text: str, fnt, colour, midtop, width: int) -> None:
    while fnt.size(text)[0] > width and len(text) > 2:
        text = text[:-2] + "…"
    draw_text(surface, text, fnt, colour, midtop, "midtop")


