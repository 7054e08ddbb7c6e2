"""Fonts, text fitting and the pygame_gui theme, all sized from the window and text scale.

Text is drawn with DejaVu Sans shipped in assets/fonts (it has the arrows and
symbols the game uses), so layout and the overflow tests do not depend on the
fonts of the machine.
"""

from __future__ import annotations

import copy
import json
from functools import cache

import pygame
import pygame_gui

from game.i18n import ASSETS

FONT_PATH = ASSETS / "fonts" / "DejaVuSans.ttf"
BOLD_PATH = ASSETS / "fonts" / "DejaVuSans-Bold.ttf"
THEME = ASSETS / "theme.json"

# Base text sizes in pixels at 720 lines, before the text-size setting.
SIZES = {"small": 14, "body": 17, "button": 16, "title": 24, "huge": 42}


def text_px(kind: str, height: int, scale: float) -> int:
    return max(10, round(SIZES[kind] * height / 720 * scale))


@cache
def font(size: int, bold: bool = False) -> pygame.font.Font:
    return pygame.font.Font(str(BOLD_PATH if bold else FONT_PATH), size)


def wrap(text: str, fnt: pygame.font.Font, width: int) -> list[str]:
    """Greedy word wrap; a word longer than the width stays on its own line."""
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
        lines.append(line)
    return lines


def draw_text(surface: pygame.Surface, text: str, fnt: pygame.font.Font, colour, pos,
              anchor: str = "topleft") -> pygame.Rect:
    img = fnt.render(text, True, colour)
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


def theme(height: int, scale: float) -> dict:
    """The theme JSON from assets with font sizes for this window and text scale."""
    with open(THEME, encoding="utf-8") as fh:
        data = json.load(fh)
    data = copy.deepcopy(data)
    for block in data.values():
        f = block.get("font")
        if f:
            f["size"] = str(text_px(f.pop("kind", "button"), height, scale))
            f["regular_path"] = str(FONT_PATH)
            f["bold_path"] = str(BOLD_PATH)
    return data


def make_manager(size: tuple[int, int], scale: float) -> pygame_gui.UIManager:
    return pygame_gui.UIManager(size, theme(size[1], scale))
