"""A part of the screen redrawn only when what it shows changes.

At 25,000 families a frame has no time to lay out and render the same text again
sixty times a week: the buildings with their queues, the KPI strip and the
running quarter's panel change at most once a model week (or with a card, an
event, another language). A `Layer` draws such a part once onto a surface of
its own and blits it every frame; a new key draws it again. The texts it drew
are noted again on every blit (`panels.DRAWN`), so the layout checks see each
frame whole, cached or not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pygame

from game.render import BACKGROUND


def shown_week(model) -> tuple:
    """What the weekly parts of the screen depend on: the model itself (held, so a new
    model never passes for an old one), its week and its actions (a card or an event
    shows at once). A week in progress does not move it: its stages show once whole."""
    return (model, model.week, len(model.action_log))


class Layer:
    def __init__(self, alpha: bool = False) -> None:
        """`alpha`: what lies under the part shows through where it draws nothing
        (the buildings over the trust overlay's curves); else it starts as background."""
        self.alpha = alpha
        self.key: Any = None
        self.surface: pygame.Surface | None = None
        self.drawn: list = []
        self.result: Any = None

    def blit(self, surface: pygame.Surface, rect: pygame.Rect, key: Any,
             draw: Callable[[pygame.Surface], Any]) -> Any:
        """Show the part of the screen in `rect`; `draw(target)` draws it in screen
        coordinates when `key` (or the window) changed. Returns what `draw` returned."""
        from game.panels import DRAWN

        key = (key, tuple(rect), surface.get_size())
        if key != self.key or self.surface is None:
            self.key = None  # half-drawn if `draw` fails
            if self.surface is None or self.surface.get_size() != surface.get_size():
                self.surface = pygame.Surface(surface.get_size(),
                                              pygame.SRCALPHA if self.alpha else 0)
            self.surface.fill((0, 0, 0, 0) if self.alpha else BACKGROUND, rect)
            start = len(DRAWN)
            self.result = draw(self.surface)
            self.drawn = DRAWN[start:]
            self.key = key
        else:
            DRAWN.extend(self.drawn)
        surface.blit(self.surface, rect, area=rect)
        return self.result
