"""Case trainer, first screen: choose a case and how many trainees share its roles.

Every text is a `TextBlock` laid out in its own box before drawing (with a
smaller font where a translation would not fit), so the overflow tests can
check that nothing is cut off in either language.
"""

from __future__ import annotations

import json

import pygame

from game.case_session import (
    MAX_TRAINEES,
    CaseSession,
    restore_check,
    restore_steps,
    save_path,
)
from game.render import BACKGROUND, BAD, INK, MUTED
from game.scenes.base import Scene
from game.ui import TextBlock, wrapped_height
from sim.casefile import CaseError, list_cases, load_case


class CaseSelectScene(Scene):
    name = "case_select"

    def __init__(self, ctx, case: str | None = None, trainees: int = 1,
                 seed: int | None = None) -> None:
        self.cases = list_cases()
        self.case_id = case if case in self.cases else (self.cases[0] if self.cases else "")
        self.trainees = trainees
        self.seed = seed
        self.message = ""
        self.blocks: list[TextBlock] = []
        super().__init__(ctx)

    def layout(self) -> None:
        w, h = self.ctx.size
        t, lang = self.t, self.ctx.settings.lang
        self.blocks = []
        self.overlays: list[TextBlock] = []  # labels drawn over their buttons
        gap = max(8, int(h * 0.015))
        bh = max(int(h * 0.065), self.ctx.font("body").get_linesize() + 14)
        left = pygame.Rect(int(w * 0.05), int(h * 0.05), int(w * 0.9), int(h * 0.9))
        head = t("case.select_title")
        fnt = self.ctx.fit_line("title", head, left.width, True)
        self.blocks.append(TextBlock(head, fnt, INK,
                                     pygame.Rect(left.left, left.top, left.width,
                                                 fnt.get_linesize())))
        y = left.top + fnt.get_linesize() + gap
        # One button per case, its title on it; the column is as wide as the longest title.
        titles = {}
        for cid in self.cases:
            try:
                titles[cid] = load_case(cid).title.get(lang)
            except CaseError:
                titles[cid] = cid
        bf = self.ctx.font("button")
        need = max((bf.size("✓ " + x)[0] + 24 for x in titles.values()), default=0)
        col_w = min(max(int(left.width * 0.42), need), int(left.width * 0.55))
        self.case_buttons = {}
        for cid in self.cases:
            label = ("✓ " if cid == self.case_id else "") + titles[cid]
            if bf.size(label)[0] <= col_w - 16:
                self.case_buttons[cid] = self.option(titles[cid], (left.left, y, col_w, bh),
                                                     lambda c=cid: self.choose(c),
                                                     cid == self.case_id)
                y += bh + gap
                continue
            # Too long for one line (a small window): the title wraps over a taller button.
            height = max(bh, wrapped_height(label, bf, col_w - 16) + 12)
            rect = pygame.Rect(left.left, y, col_w, height)
            self.case_buttons[cid] = self.button("", rect, lambda c=cid: self.choose(c),
                                                 "#toggle_on" if cid == self.case_id
                                                 else "#subtle")
            self.overlays.append(TextBlock(label, bf, (255, 255, 255) if cid == self.case_id
                                           else INK, rect.inflate(-16, -12)))
            y += height + gap
        # Trainees: 1 to 4.
        label = t("case.trainees")
        lf = self.ctx.fit_line("small", label, col_w, True)
        self.blocks.append(TextBlock(label, lf, MUTED,
                                     pygame.Rect(left.left, y, col_w, lf.get_linesize())))
        y += lf.get_linesize() + 4
        bw = (col_w - 3 * gap) // 4
        self.trainee_buttons = []
        for n in range(1, MAX_TRAINEES + 1):
            self.trainee_buttons.append(self.option(str(n), (left.left + (n - 1) * (bw + gap), y,
                                                             bw, bh),
                                                    lambda n=n: self.set_trainees(n),
                                                    n == self.trainees))
        y += bh + gap
        bottom = left.bottom - bh
        half = (col_w - gap) // 2
        self.continue_button = self.button(t("case.continue"), (left.left, bottom - bh - gap,
                                                                col_w, bh),
                                           self.continue_case, "#secondary",
                                           enabled=save_path().is_file())
        bottom_text = bottom - bh - gap
        self.back_button = self.button(t("case.back"), (left.left, bottom, half, bh), self.back,
                                       "#secondary")
        self.start_button = self.button(t("case.start"), (left.left + half + gap, bottom,
                                                          half, bh), self.start,
                                        enabled=bool(self.case_id))
        if self.message:
            room = bottom_text - y - gap
            mf = self.ctx.fit("small", self.message, col_w, room)
            self.blocks.append(TextBlock(self.message, mf, BAD,
                                         pygame.Rect(left.left, y, col_w, room)))
        # The chosen case: summary, family, roles and who plays which.
        right = pygame.Rect(left.left + col_w + 2 * gap, left.top + fnt.get_linesize() + gap,
                            left.width - col_w - 2 * gap, 0)
        right.height = left.bottom - right.top
        if self.case_id:
            self._describe(right)

    def _describe(self, box: pygame.Rect) -> None:
        t, lang = self.t, self.ctx.settings.lang
        try:
            case = load_case(self.case_id)
        except CaseError as exc:
            self.message = str(exc)
            return
        session = CaseSession(case, self.trainees)
        parts = [case.summary.get(lang), "\n".join(m.get(lang) for m in case.family.members)]
        roles = [t("case.role_line", role=t(f"case.role.{r}"),
                   n=session.trainee_of(r) + 1) for r in case.roles]
        parts.append(t("case.roles_head") + "\n" + "\n".join(roles))
        text = "\n\n".join(parts)
        fnt = self.ctx.fit("body", text, box.width, box.height)
        y = box.top
        for i, part in enumerate(parts):
            height = wrapped_height(part, fnt, box.width)
            self.blocks.append(TextBlock(part, fnt, INK if i != 1 else MUTED,
                                         pygame.Rect(box.left, y, box.width, height)))
            y += height + int(fnt.get_linesize() * 1.15)

    def choose(self, cid: str) -> None:
        self.case_id = cid
        self.message = ""
        self.build()

    def set_trainees(self, n: int) -> None:
        self.trainees = max(1, min(MAX_TRAINEES, n))
        self.build()

    def back(self) -> None:
        self.ctx.pop()

    def start(self) -> None:
        from game.scenes.case_play import CaseLoadingScene

        try:
            session = CaseSession(self.case_id, self.trainees, self.seed)
        except CaseError as exc:
            self.message = str(exc)
            self.build()
            return
        self.ctx.push(CaseLoadingScene(self.ctx, session.start_steps(), self.t("case.loading")))

    def continue_case(self) -> None:
        """The last case session, rebuilt from its save by replaying its choices."""
        from game.scenes.case_play import CaseLoadingScene

        try:
            data = json.loads(save_path().read_text(encoding="utf-8"))
            restore_check(data)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.message = self.t("case.continue_failed", why=str(exc)[:200])
            self.build()
            return
        self.ctx.push(CaseLoadingScene(self.ctx, restore_steps(data), self.t("case.loading")))

    def on_key(self, key: int) -> None:
        if key == pygame.K_ESCAPE:
            self.back()
        elif key == pygame.K_RETURN:
            self.start()

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        surface.fill(BACKGROUND)
        for block in self.blocks:
            block.draw(surface)
        super().draw(surface)
        for block in self.overlays:
            block.draw(surface)
