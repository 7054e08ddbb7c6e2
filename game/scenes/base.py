"""The scene contract (after Tuxemon's State) and the context every scene gets.

A scene handles input in `process_event`, advances in `update(dt)` and, when
it runs a model, in `tick()` (one model week, called by the app's fixed-step
loop); `draw` only reads. Widgets are pygame_gui elements rebuilt by
`build()` whenever the window, language or text size changes.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui

from game import collection, save, ui
from game.i18n import Translator

if TYPE_CHECKING:
    from game.session import Session

CHOSEN_MARK = "✓ "  # before the chosen option's text (DejaVu has it)


@dataclass
class Settings:
    lang: str = "nl"
    text_scale: float = 1.0
    safe_palette: bool = True
    fullscreen: bool = False

    @classmethod
    def load(cls) -> Settings:
        try:
            with open(save.save_dir() / "settings.json", encoding="utf-8") as fh:
                data = json.load(fh)
            return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__}
                       ).checked()
        except (OSError, ValueError, TypeError, AttributeError, RecursionError):
            return cls()

    def checked(self) -> Settings:
        """Settings edited by hand: anything out of range falls back to its default."""
        default = Settings()
        if self.lang not in ("nl", "en"):
            self.lang = default.lang
        if isinstance(self.text_scale, bool) or self.text_scale not in (1.0, 1.25, 1.5):
            self.text_scale = default.text_scale
        for name in ("safe_palette", "fullscreen"):
            if not isinstance(getattr(self, name), bool):
                setattr(self, name, getattr(default, name))
        return self

    def store(self) -> None:
        try:
            folder = save.save_dir()
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / "settings.json.tmp"
            tmp.write_text(json.dumps(asdict(self)), encoding="utf-8")
            os.replace(tmp, folder / "settings.json")
        except OSError:
            pass  # settings are a convenience; never stop the game for them


class Context:
    """What scenes share: the window, settings, translator, the session and the stack."""

    def __init__(self, screen: pygame.Surface, settings: Settings) -> None:
        self.screen = screen
        self.settings = settings
        self.t = Translator(settings.lang)
        self.stack: list[Scene] = []
        self.session: Session | None = None
        self.message = ""  # a notice for the title screen (e.g. an unreadable save)
        self.quit = False
        self.want_fullscreen: bool | None = None  # applied by the app between frames

    @property
    def size(self) -> tuple[int, int]:
        return self.screen.get_size()

    def px(self, kind: str) -> int:
        return ui.text_px(kind, self.size[1], self.settings.text_scale)

    def font(self, kind: str, bold: bool = False) -> pygame.font.Font:
        return ui.font(self.px(kind), bold)

    def fit(self, kind: str, text: str, width: int, height: int,
            bold: bool = False) -> pygame.font.Font:
        """The `kind` font, made smaller (not below the floor) until `text` fits the box."""
        return ui.fit_font(text, self.px(kind), ui.floor_px(self.size[1]), width, height, bold)

    def fit_line(self, kind: str, text: str, width: int, bold: bool = False) -> pygame.font.Font:
        """The `kind` font, made smaller (not below the floor) until `text` fits one line."""
        return ui.fit_line(text, self.px(kind), ui.floor_px(self.size[1]), width, bold)

    def set_language(self, lang: str) -> None:
        self.settings.lang = lang
        self.t = Translator(lang)
        self.settings.store()
        self.rebuild_all()

    def rebuild_all(self) -> None:
        for scene in self.stack:
            scene.build()

    def push(self, scene: Scene) -> None:
        if self.stack:
            self.stack[-1].pause()
        self.stack.append(scene)

    def pop(self) -> None:
        self.stack.pop()
        if self.stack:
            self.stack[-1].resume()

    def replace(self, scene: Scene) -> None:
        collection.release()  # a game left mid-quarter: its model can be freed
        self.stack.clear()
        self.stack.append(scene)

    @property
    def top(self) -> Scene:
        return self.stack[-1]


class Scene:
    name = "scene"

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.t = ctx.t
        self.manager: pygame_gui.UIManager | None = None
        self.handlers: dict[Any, Callable[[], None]] = {}
        self.build()

    # -- contract -------------------------------------------------------------

    def build(self) -> None:
        """(Re)create widgets for the current window size, language and text size."""
        self.t = self.ctx.t
        self.manager = ui.make_manager(self.ctx.size, self.ctx.settings.text_scale)
        self.handlers = {}
        self.layout()

    def layout(self) -> None:
        """Create this scene's widgets; override."""

    def pause(self) -> None:
        """Another scene now sits on top of this one."""

    def resume(self) -> None:
        self.build()

    def process_event(self, event: pygame.event.Event) -> None:
        self.manager.process_events(event)
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            handler = self.handlers.get(event.ui_element)
            if handler:
                handler()
        elif event.type == pygame.KEYDOWN and not self._typing():
            self.on_key(event.key)
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self.on_click(event.pos)

    def _typing(self) -> bool:
        focus = self.manager.get_focus_set() if self.manager else None
        return any(isinstance(e, pygame_gui.elements.UITextEntryLine) for e in focus or ())

    def on_key(self, key: int) -> None:
        """Keyboard shortcuts; override."""

    def on_click(self, pos: tuple[int, int]) -> None:
        """A click outside the widgets (map, cards); override."""

    def ticks_per_second(self) -> float:
        return 0.0

    def tick(self) -> None:
        """One fixed step of the model (a scene that overrides `work` only begins it)."""

    def work(self, deadline: float) -> bool:
        """Go on with a step begun by `tick` until `deadline` (time.perf_counter);
        True when none is left in progress. Ticks that run whole need nothing here."""
        return True

    def close(self) -> None:
        """The game is closing (the window was closed): keep what must be kept."""

    def update(self, dt: float) -> None:
        self.manager.update(dt)

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        self.manager.draw_ui(surface)

    # -- helpers --------------------------------------------------------------

    def button(self, text: str, rect, handler: Callable[[], None] | None = None,
               object_id: str | None = None, enabled: bool = True,
               tooltip: str | None = None) -> pygame_gui.elements.UIButton:
        """A button; a tooltip is plain text (pygame_gui reads it as HTML, so it is escaped)."""
        btn = pygame_gui.elements.UIButton(
            pygame.Rect(rect), text, manager=self.manager,
            object_id=pygame_gui.core.ObjectID(object_id=object_id) if object_id else None,
            tool_tip_text=html.escape(tooltip, quote=False) if tooltip else None)
        if not enabled:
            btn.disable()
        if handler:
            self.handlers[btn] = handler
        return btn

    def option(self, text: str, rect, handler: Callable[[], None], chosen: bool,
               tooltip: str | None = None) -> pygame_gui.elements.UIButton:
        """One choice of several: the chosen one carries a mark as well as a colour
        (for colour-blind players and washed-out projectors); the others look
        neutral, so the action colour stays for buttons that do something."""
        label = CHOSEN_MARK + text if chosen else text
        return self.button(label, rect, handler, "#toggle_on" if chosen else "#subtle",
                           tooltip=tooltip)

    def entry(self, rect, text: str, tooltip: str | None = None
              ) -> pygame_gui.elements.UITextEntryLine:
        """A one-line text field, with an optional plain-text tooltip."""
        field = pygame_gui.elements.UITextEntryLine(pygame.Rect(rect), manager=self.manager,
                                                    initial_text=text)
        if tooltip:
            field.set_tooltip(html.escape(tooltip, quote=False))
        return field
