"""The family panel of the play scene: where a family stands now and what happened, scrollable.

The story (game.stories.story_sections) is laid out once per model week onto
a surface as tall as it needs to be; the panel shows a window onto it that
the mouse wheel and the arrow keys move. A fixed head (family, children,
state) stays on top; the bottom strip is left free for the scene's Close
button and carries the scroll hint when the story is longer than the panel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from game import ui
from game.render import INK, MUTED, PANEL
from game.stories import family_facts, story_sections
from game.ui import draw_text, draw_wrapped

EDGE = (200, 196, 186)
RULE = (225, 221, 212)
BAR = (170, 166, 156)
WHEEL_LINES = 3  # lines per notch of the mouse wheel


@dataclass
class Laid:
    """The story drawn on its own surface, and where each row sits on it."""

    surface: pygame.Surface
    rows: list[tuple[int, str]]  # (top y, text) per drawn line, for tests and the scroll
    line: int  # pixels of one line of text
    wider: list[str] = field(default_factory=list)  # lines wider than the panel (none, we hope)


def _note(text: str, rect: pygame.Rect, box: pygame.Rect) -> None:
    """Tell the layout tests where a text landed and the box it must stay in."""
    from game.panels import DRAWN

    DRAWN.append((text, pygame.Rect(rect), pygame.Rect(box)))


def _panel(surface: pygame.Surface, rect: pygame.Rect) -> None:
    pygame.draw.rect(surface, PANEL, rect, border_radius=8)
    pygame.draw.rect(surface, EDGE, rect, 1, border_radius=8)


def _wrap(words: list[str], fnt: pygame.font.Font, first: int, rest: int) -> list[str]:
    """Greedy wrap with a shorter first line (it follows a bold 'when')."""
    lines: list[str] = []
    line, width = "", first
    for word in words:
        trial = f"{line} {word}".strip()
        if fnt.size(trial)[0] <= width or not line:
            line = trial
        else:
            lines.append(line)
            line, width = word, rest
    lines.append(line)
    return lines


Piece = tuple[int, str, pygame.font.Font, tuple[int, int, int]]  # x, text, font, colour


def _event_lines(when: str, text: str, bold, regular, width: int, indent: int,
                 hang: bool = True) -> list[list[Piece]]:
    """The lines of one entry: a bold 'when' (if any), then the sentence; its further
    lines are indented, so where one entry ends and the next begins shows."""
    rest = width - indent
    if not when:
        step = indent if hang else 0
        parts = _wrap(text.split(), regular, width, width - step)
        return [[(0, parts[0], regular, INK)]] + [[(step, part, regular, INK)]
                                                  for part in parts[1:]]
    head = f"{when}: "
    head_w = bold.size(head)[0]
    if head_w > width // 2:  # a long 'when' gets a line of its own
        return [[(0, head.strip(), bold, MUTED)]] + [
            [(indent, part, regular, INK)] for part in _wrap(text.split(), regular, rest, rest)]
    parts = _wrap(text.split(), regular, width - head_w, rest)
    return [[(0, head, bold, MUTED), (head_w, parts[0], regular, INK)]] + [
        [(indent, part, regular, INK)] for part in parts[1:]]


def lay_out(sections, ctx, width: int) -> Laid:
    """Headings and entries of a story on one surface `width` pixels wide.

    Entries of the same week as the one above drop their 'when' and are
    indented under it, so a week's events read as one group.
    """
    small, bold = ctx.font("small"), ctx.font("small", True)
    heading = ctx.font("body", True)
    step, indent = small.get_linesize(), small.size("    ")[0]
    placed: list[tuple[int, int, str, pygame.font.Font, tuple[int, int, int]]] = []
    y = 0
    for head, lines in sections:
        if head:
            y += step // 2 if placed else 0
            placed.append((0, y, head, heading, INK))
            y += heading.get_linesize() + 2
        previous = None
        for when, text in lines:
            repeat = bool(when) and when == previous
            previous = when
            x0 = indent if repeat else 0
            for line in _event_lines("" if repeat else when, text, bold, small, width - x0,
                                     indent, hang=not repeat):
                for x, part, fnt, colour in line:
                    placed.append((x0 + x, y, part, fnt, colour))
                y += step
            y += 3
    surf = pygame.Surface((width, max(y, 1)), pygame.SRCALPHA)
    for x, top, text, fnt, colour in placed:
        surf.blit(fnt.render(text, True, colour), (x, top))
    wider = [text for x, _, text, fnt, _ in placed if x + fnt.size(text)[0] > width]
    return Laid(surf, [(top, text) for _, top, text, _, _ in placed], step, wider)


class FamilyTimeline:
    """The family panel and its scroll position; the play scene owns one.

    `open(f)` when a house is clicked, `handle_event` for every event while
    the panel is open (it takes the mouse wheel and the arrow, page, home and
    end keys), `draw` every frame. `shown` holds the texts visible in the
    last frame, top to bottom.
    """

    def __init__(self) -> None:
        self.family: int | None = None
        self.offset = 0
        self.max_offset = 0
        self.page = 200
        self.shown: list[str] = []
        self._laid: Laid | None = None
        self._key: tuple | None = None

    def open(self, family: int) -> None:
        """Show `family` from the top: where they stand now, then the newest events."""
        if family != self.family:
            self.offset = 0
        self.family = family

    def close(self) -> None:
        self.family = None
        self.offset = 0

    @property
    def texts(self) -> list[str]:
        """Every text of the laid-out story, top to bottom (headings, 'when', sentences)."""
        return [text for _, text in self._laid.rows] if self._laid else []

    @property
    def line(self) -> int:
        return self._laid.line if self._laid else 20

    def scroll(self, pixels: int) -> None:
        self.offset = max(0, min(self.max_offset, self.offset + int(pixels)))

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Scroll on the wheel and the arrow, page, home and end keys; True when taken."""
        if self.family is None:
            return False
        if event.type == pygame.MOUSEWHEEL:
            self.scroll(-event.y * WHEEL_LINES * self.line)
            return True
        if event.type != pygame.KEYDOWN:
            return False
        moves = {pygame.K_UP: -self.line, pygame.K_DOWN: self.line,
                 pygame.K_PAGEUP: -self.page, pygame.K_PAGEDOWN: self.page,
                 pygame.K_HOME: -self.max_offset - 1, pygame.K_END: self.max_offset + 1}
        if event.key not in moves:
            return False
        self.scroll(moves[event.key])
        return True

    def draw(self, surface: pygame.Surface, ctx, panel: pygame.Rect, session,
             reserve: int | None = None) -> None:
        """The panel for the open family; `reserve`: pixels left free at the bottom
        (for the Close button; by default 7.5 % of the window height)."""
        if self.family is None:
            return
        t, model, f = ctx.t, session.model, self.family
        _panel(surface, panel)
        inner = panel.inflate(-24, -16)
        y = self._head(surface, ctx, inner, t("family.title", n=f), family_facts(t, model, f))
        pygame.draw.line(surface, RULE, (inner.left, y), (inner.right, y))
        reserve = int(ctx.size[1] * 0.075) if reserve is None else reserve
        view = pygame.Rect(inner.left, y + 6, inner.width - 12, inner.bottom - reserve - y - 10)
        key = (f, model.week, len(model.timelines.get(f, ())), t.lang, view.width,
               ctx.px("small"), id(model))
        if key != self._key or self._laid is None:
            self._key = key
            self._laid = lay_out(story_sections(t, model, f, session.warmup), ctx, view.width)
        self._show(surface, view)
        if self.max_offset > 0:
            self._hint(surface, ctx, pygame.Rect(inner.left, inner.bottom - reserve,
                                                 inner.width, reserve))

    @staticmethod
    def _hint(surface, ctx, strip: pygame.Rect) -> None:
        """How to scroll, in the bottom strip left of the Close button (as wide as its
        text, at least a tenth of the window, as the play scene makes it)."""
        t = ctx.t
        button = max(int(ctx.size[0] * 0.1), ctx.font("button").size(t("play.close"))[0] + 32)
        room = pygame.Rect(strip.left, strip.top, strip.width - button - 12, strip.height)
        hint = t("family.scroll_hint")
        fnt = ui.fit_font(hint, ctx.px("small"), ui.floor_px(ctx.size[1]), room.width,
                          room.height, spacing=1.0)
        text_h = ui.wrapped_height(hint, fnt, room.width, 1.0)
        area = room.move(0, (room.height - text_h) // 2)
        draw_wrapped(surface, hint, fnt, MUTED, area, 1.0)
        _note(hint, pygame.Rect(area.left, area.top, area.width, text_h), room)

    @staticmethod
    def _head(surface, ctx, inner: pygame.Rect, title: str, facts: str) -> int:
        """'Gezin 205' with '3 kinderen · in zorg' beside it, or under it when narrow;
        returns the y below. The section headings below make the order plain."""
        small = ctx.font("small")
        head = draw_text(surface, title, ctx.font("title", True), INK, inner.topleft)
        _note(title, head, inner)
        if head.right + 16 + small.size(facts)[0] <= inner.right:
            _note(facts, draw_text(surface, facts, small, MUTED,
                                   (head.right + 16, head.bottom - 4), "bottomleft"), inner)
            return head.bottom + 4
        return draw_wrapped(surface, facts, small, MUTED,
                            pygame.Rect(inner.left, head.bottom, inner.width, inner.height),
                            1.0) + 4

    def _show(self, surface: pygame.Surface, view: pygame.Rect) -> None:
        laid = self._laid
        height = laid.surface.get_height()
        self.page = max(laid.line, view.height - 2 * laid.line)
        self.max_offset = max(0, height - view.height)
        self.offset = min(self.offset, self.max_offset)
        surface.blit(laid.surface, view.topleft, pygame.Rect(0, self.offset, view.width,
                                                            view.height))
        self.shown = [text for top, text in laid.rows
                      if top >= self.offset and top + laid.line <= self.offset + view.height]
        if self.max_offset > 0:
            track = pygame.Rect(view.right + 5, view.top, 5, view.height)
            pygame.draw.rect(surface, RULE, track, border_radius=2)
            size = max(20, int(view.height * view.height / height))
            top = track.top + int((view.height - size) * self.offset / self.max_offset)
            pygame.draw.rect(surface, BAR, (track.left, top, 5, size), border_radius=2)
