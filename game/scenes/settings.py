"""Settings: language, text size for projectors, colour-blind-safe palette, fullscreen.

Each setting is a row of options; the chosen one carries a mark as well as a
colour, and only "back" has the action colour.
"""

from __future__ import annotations

import pygame

from game.render import BACKGROUND, INK, MUTED
from game.scenes.base import Scene
from game.ui import TextBlock

TEXT_SCALES = (1.0, 1.25, 1.5)


class SettingsScene(Scene):
    name = "settings"

    def layout(self) -> None:
        w, h = self.ctx.size
        s, t, ctx = self.ctx.settings, self.t, self.ctx
        self.blocks: list[TextBlock] = []
        self.cw = min(int(w * 0.6), w - 40)
        self.x = (w - self.cw) // 2
        self.gap = max(6, int(h * 0.014))
        self.bh = max(int(h * 0.065), ctx.font("body").get_linesize() + 14)
        title = t("settings.title")
        fnt = ctx.fit_line("huge", title, w - 40, bold=True)
        rect = pygame.Rect(20, int(h * 0.05), w - 40, fnt.get_linesize())
        self.blocks.append(TextBlock(title, fnt, INK, rect, centred=True))
        y = rect.bottom + 2 * self.gap
        y = self._row(y, t("settings.language"), [
            ("Nederlands", lambda: ctx.set_language("nl"), s.lang == "nl"),
            ("English", lambda: ctx.set_language("en"), s.lang == "en")])
        y = self._row(y, t("settings.text_size"), [
            (t.fmt.share(scale), lambda scale=scale: self.set_scale(scale),
             s.text_scale == scale) for scale in TEXT_SCALES])
        y = self._row(y, t("settings.palette"), [
            (t("settings.palette_safe"), lambda: self.set_palette(True), s.safe_palette),
            (t("settings.palette_classic"), lambda: self.set_palette(False),
             not s.safe_palette)])
        y = self._row(y, t("settings.fullscreen"), [
            (t("settings.on"), lambda: self.set_fullscreen(True), s.fullscreen),
            (t("settings.off"), lambda: self.set_fullscreen(False), not s.fullscreen)])
        self.back_button = self.button(t("settings.back"), (self.x, y + self.gap, self.cw,
                                                            self.bh), self.ctx.pop)

    def _row(self, y: int, label: str, options: list) -> int:
        """A label and a row of options of equal width; returns the y below the row."""
        fnt = self.ctx.fit_line("small", label, self.cw, bold=True)
        rect = pygame.Rect(self.x, y, self.cw, fnt.get_linesize())
        self.blocks.append(TextBlock(label, fnt, MUTED, rect))
        y = rect.bottom + 2
        n = len(options)
        width = (self.cw - (n - 1) * self.gap) // n
        for i, (text, handler, chosen) in enumerate(options):
            self.option(text, (self.x + i * (width + self.gap), y, width, self.bh), handler,
                        chosen)
        return y + self.bh + 2 * self.gap

    def set_scale(self, scale: float) -> None:
        self.ctx.settings.text_scale = scale
        self.ctx.settings.store()
        self.ctx.rebuild_all()

    def set_palette(self, safe: bool) -> None:
        self.ctx.settings.safe_palette = safe
        self.ctx.settings.store()
        self.build()

    def set_fullscreen(self, full: bool) -> None:
        self.ctx.settings.fullscreen = full
        self.ctx.settings.store()
        self.ctx.want_fullscreen = full  # the app applies it between frames
        self.build()

    def on_key(self, key: int) -> None:
        if key == pygame.K_ESCAPE:
            self.ctx.pop()

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        surface.fill(BACKGROUND)
        for block in self.blocks:
            block.draw(surface)
        super().draw(surface)
