"""Settings: language, text size for projectors, colour-blind-safe palette, fullscreen."""

from __future__ import annotations

import pygame

from game.render import BACKGROUND, INK, MUTED
from game.scenes.base import Scene
from game.ui import draw_text

TEXT_SCALES = (1.0, 1.25, 1.5)


class SettingsScene(Scene):
    name = "settings"

    def layout(self) -> None:
        w, h = self.ctx.size
        s, t = self.ctx.settings, self.t
        bh = int(h * 0.075)
        x, cw = int(w * 0.3), int(w * 0.4)
        y = int(h * 0.2)
        half = (cw - 10) // 2
        third = (cw - 20) // 3
        self.rows: list[tuple[str, int]] = []

        def on(flag: bool) -> str | None:
            return "#toggle_on" if flag else None

        self.rows.append((t("settings.language"), y))
        self.button("Nederlands", (x, y, half, bh), lambda: self.ctx.set_language("nl"),
                    on(s.lang == "nl"))
        self.button("English", (x + half + 10, y, half, bh), lambda: self.ctx.set_language("en"),
                    on(s.lang == "en"))
        y += int(bh * 1.9)
        self.rows.append((t("settings.text_size"), y))
        for i, scale in enumerate(TEXT_SCALES):
            self.button(f"{scale * 100:.0f}%", (x + i * (third + 10), y, third, bh),
                        lambda scale=scale: self.set_scale(scale), on(s.text_scale == scale))
        y += int(bh * 1.9)
        self.rows.append((t("settings.palette"), y))
        self.button(t("settings.palette_safe"), (x, y, half, bh),
                    lambda: self.set_palette(True), on(s.safe_palette))
        self.button(t("settings.palette_classic"), (x + half + 10, y, half, bh),
                    lambda: self.set_palette(False), on(not s.safe_palette))
        y += int(bh * 1.9)
        self.rows.append((t("settings.fullscreen"), y))
        self.button(t("settings.on"), (x, y, half, bh), lambda: self.set_fullscreen(True),
                    on(s.fullscreen))
        self.button(t("settings.off"), (x + half + 10, y, half, bh),
                    lambda: self.set_fullscreen(False), on(not s.fullscreen))
        y += int(bh * 1.9)
        self.button(t("settings.back"), (x, y, cw, bh), self.ctx.pop)

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
        w, h = self.ctx.size
        surface.fill(BACKGROUND)
        draw_text(surface, self.t("settings.title"), self.ctx.font("huge", True), INK,
                  (w // 2, int(h * 0.08)), "center")
        for text, y in self.rows:
            draw_text(surface, text, self.ctx.font("small", True), MUTED,
                      (int(w * 0.3), y - self.ctx.font("small").get_linesize() - 2))
        super().draw(surface)
