"""Fonts, text fitting and the pygame_gui theme, all sized from the window and text scale.

Text is drawn with DejaVu Sans shipped in assets/fonts (it has the arrows and
symbols the game uses), so layout and the overflow tests do not depend on the
fonts of the machine.

Sizes are for a projector: the game is read from the back of a workshop room,
where what counts is the share of the screen height a letter takes, not its
pixels. So sizes are given at 720 lines and scale with the window height, and
no text goes below MIN_PX at 720 lines (a smaller window keeps that size).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache, lru_cache

import pygame
import pygame_gui

from game.i18n import ASSETS

FONT_PATH = ASSETS / "fonts" / "DejaVuSans.ttf"
BOLD_PATH = ASSETS / "fonts" / "DejaVuSans-Bold.ttf"
THEME = ASSETS / "theme.json"

# Base text sizes in pixels at 720 lines, before the text-size setting.
SIZES = {"small": 18, "body": 20, "button": 18, "title": 27, "huge": 46}
# The smallest text a back row still reads, in pixels at 720 lines.
MIN_PX = 17
# Tooltip width in letters of the tooltip's text size.
TOOLTIP_EMS = 18


def floor_px(height: int) -> int:
    """The smallest text size for a window `height` lines high (never below MIN_PX)."""
    return round(MIN_PX * max(height, 720) / 720)


def text_px(kind: str, height: int, scale: float) -> int:
    return max(floor_px(height), round(SIZES[kind] * height / 720 * scale))


@cache
def font(size: int, bold: bool = False) -> pygame.font.Font:
    return pygame.font.Font(str(BOLD_PATH if bold else FONT_PATH), size)


def wrap(text: str, fnt: pygame.font.Font, width: int) -> list[str]:
    """Greedy word wrap; a word wider than the box (a file path) is broken where it must."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            trial = f"{line} {word}".strip()
            if fnt.size(trial)[0] <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
            while fnt.size(line)[0] > width and len(line) > 1:
                cut = _longest_prefix(line, fnt, width)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def _longest_prefix(text: str, fnt: pygame.font.Font, width: int) -> int:
    """How many leading characters of `text` fit `width` (at least one)."""
    lo, hi = 1, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fnt.size(text[:mid])[0] <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


@lru_cache(maxsize=2048)
def rendered(fnt: pygame.font.Font, text: str, colour: tuple) -> pygame.Surface:
    """A line rendered once: the same labels, figures and sentences come back every frame
    and every week, and rendering them again is most of what drawing text costs."""
    return fnt.render(text, True, colour)


def draw_text(surface: pygame.Surface, text: str, fnt: pygame.font.Font, colour, pos,
              anchor: str = "topleft") -> pygame.Rect:
    img = rendered(fnt, text, tuple(colour))
    rect = img.get_rect(**{anchor: pos})
    surface.blit(img, rect)
    return rect


def draw_wrapped(surface: pygame.Surface, text: str, fnt: pygame.font.Font, colour,
                 rect: pygame.Rect, spacing: float = 1.15) -> int:
    """Draw wrapped text inside `rect`; returns the y below the last line."""
    y = rect.top
    step = int(fnt.get_linesize() * spacing)
    for line in wrap(text, fnt, rect.width):
        if y + fnt.get_linesize() > rect.bottom:
            break
        surface.blit(fnt.render(line, True, colour), (rect.left, y))
        y += step
    return y


def wrapped_height(text: str, fnt: pygame.font.Font, width: int, spacing: float = 1.15) -> int:
    n = len(wrap(text, fnt, width))
    return int(fnt.get_linesize() * spacing) * (n - 1) + fnt.get_linesize()


def fits(text: str, fnt: pygame.font.Font, width: int, height: int,
         spacing: float = 1.15) -> bool:
    """Whether `text` wrapped to `width` fits `height`."""
    lines = wrap(text, fnt, width)
    needed = int(fnt.get_linesize() * spacing) * (len(lines) - 1) + fnt.get_linesize()
    return needed <= height and all(fnt.size(line)[0] <= width for line in lines)


def fit_font(text: str, px: int, floor: int, width: int, height: int, bold: bool = False,
             spacing: float = 1.15) -> pygame.font.Font:
    """The largest font from `px` down to `floor` in which `text` fits the box.

    A long translation or the largest text-size setting then shrinks a block a
    little instead of cutting its last lines off; `floor` keeps it readable.
    """
    for size in range(px, floor - 1, -1):
        fnt = font(size, bold)
        if fits(text, fnt, width, height, spacing):
            return fnt
    return font(floor, bold)


def fit_line(text: str, px: int, floor: int, width: int, bold: bool = False) -> pygame.font.Font:
    """The largest font from `px` down to `floor` in which `text` fits one line of `width`."""
    for size in range(px, floor - 1, -1):
        fnt = font(size, bold)
        if fnt.size(text)[0] <= width:
            return fnt
    return font(floor, bold)


@dataclass
class TextBlock:
    """One text a scene draws, laid out before drawing: wrapped in `rect`, or
    centred on one line. Scenes that keep their texts as blocks let the tests
    check that none is cut off or overlaps another."""

    text: str
    font: pygame.font.Font
    colour: tuple[int, int, int]
    rect: pygame.Rect
    centred: bool = False

    def draw(self, surface: pygame.Surface) -> None:
        if self.centred:
            draw_text(surface, self.text, self.font, self.colour, self.rect.center, "center")
        else:
            draw_wrapped(surface, self.text, self.font, self.colour, self.rect)

    def fits(self) -> bool:
        if self.centred:
            return (self.font.size(self.text)[0] <= self.rect.width
                    and self.font.get_linesize() <= self.rect.height)
        return fits(self.text, self.font, self.rect.width, self.rect.height)


def theme(height: int, scale: float) -> dict:
    """The theme JSON from assets with font sizes for this window and text scale.

    A block's "font" names a size kind from SIZES; the tooltip's width grows
    with its text size so a tooltip keeps about TOOLTIP_EMS letters a line.
    """
    with open(THEME, encoding="utf-8") as fh:
        data = json.load(fh)
    data = copy.deepcopy(data)
    for block in data.values():
        f = block.get("font")
        if f:
            f["size"] = str(text_px(f.pop("kind", "button"), height, scale))
            f["regular_path"] = str(FONT_PATH)
            f["bold_path"] = str(BOLD_PATH)
    tip = data.get("tool_tip")
    if tip is not None:
        tip.setdefault("misc", {})["rect_width"] = str(
            text_px("small", height, scale) * TOOLTIP_EMS)
    return data


class Manager(pygame_gui.UIManager):
    """A UIManager whose pointer is the last mouse position in the events it was given.

    pygame_gui asks SDL where the mouse is for hovering (and so for tooltips),
    while clicks come from the events. Taking both from the events keeps hover
    and click on the same point, including for events posted by the tests;
    until the first mouse event, SDL's position is used.
    """

    def __init__(self, size: tuple[int, int], theme_data: dict) -> None:
        super().__init__(size, theme_data)
        self.pointer: tuple[int, int] | None = None

    def process_events(self, event: pygame.event.Event) -> bool:
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            self.pointer = (int(event.pos[0]), int(event.pos[1]))
        return super().process_events(event)

    def _update_mouse_position(self) -> None:
        pos = self.pointer if self.pointer is not None else pygame.mouse.get_pos()
        self.mouse_position = self.calculate_scaled_mouse_position(pos)


def make_manager(size: tuple[int, int], scale: float) -> pygame_gui.UIManager:
    return Manager(size, theme(size[1], scale))
