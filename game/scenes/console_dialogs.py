"""The console's two dialogs: an event for all teams or one, and a branch from a round.

A mixin of `ConsoleScene`: while a dialog is open the console lays out only the
dialog's buttons, and draws the dialog's texts over its own.
"""

from __future__ import annotations

import pygame

from game import save
from game.cards import BY_ID, EVENT_CARDS
from game.panels import box, shade
from game.render import BAD, INK, MUTED
from game.scenes.debrief import Plan
from game.ui import wrapped_height

GAP = 6


class ConsoleDialogs:
    def _dialog_rect(self, height: int) -> pygame.Rect:
        w, h = self.ctx.size
        width = int(w * 0.78)
        height = min(height, h - 16)
        return pygame.Rect((w - width) // 2, max(8, (h - height) // 2), width, height)

    def _events_title(self) -> str:
        if self.target is None:
            return self.t("console.events_all")
        return self.t("console.events_team", team=self.session.teams[self.target].name)

    def _layout_events(self) -> None:
        """One button per event with what it does beside it, then close."""
        t, small = self.t, self.ctx.font("small")
        width = int(self.ctx.size[0] * 0.78) - 48
        bw = max(self._fits_w(t(c.title), 32) for c in EVENT_CARDS)
        text_w = width - bw - 16
        head = self._head_height(self._events_title(), t("console.events_note"), width)
        rows = [(c, max(self.bh, wrapped_height(t(c.explain), small, text_w))) for c in EVENT_CARDS]
        height = 24 + head + sum(r + 8 for _, r in rows) + self.bh + 24
        self.dialog_rect = self._dialog_rect(height)
        x, y = self.dialog_rect.left + 24, self.dialog_rect.top + 24 + head
        self.event_rows = []
        for card, row_h in rows:
            self.button(t(card.title), (x, y, bw, self.bh), lambda c=card.id: self.inject(c))
            self.event_rows.append((card.id, pygame.Rect(x + bw + 16, y, text_w, row_h)))
            y += row_h + 8
        cw = self._fits_w(t("play.close"), 48)
        self.button(t("play.close"), (self.dialog_rect.right - 24 - cw, y, cw, self.bh),
                    self.close_dialog, "#subtle")

    def _head_height(self, title: str, note: str, width: int) -> int:
        return (wrapped_height(title, self.ctx.font("title", True), width) + GAP
                + wrapped_height(note, self.ctx.font("small"), width) + 12)

    def _plan_head(self, plan: Plan, title: str, note: str) -> None:
        """The dialog over the dimmed console: its box, its title, what it does."""
        r = self.dialog_rect
        plan.shapes.append(lambda srf, r=r: (shade(srf), box(srf, r)))
        inner = r.inflate(-48, -48)
        fnt, small = self.ctx.font("title", True), self.ctx.font("small")
        hgt = wrapped_height(title, fnt, inner.width)
        plan.text(title, fnt, INK, (inner.left, inner.top, inner.width, hgt))
        plan.text(note, small, MUTED, (inner.left, inner.top + hgt + GAP, inner.width,
                                       wrapped_height(note, small, inner.width)))

    def _plan_events(self, plan: Plan) -> None:
        t, small = self.t, self.ctx.font("small")
        self._plan_head(plan, self._events_title(), t("console.events_note"))
        for card_id, rect in self.event_rows:
            plan.text(t(BY_ID[card_id].explain), small, INK, rect)

    def _layout_branch(self) -> None:
        """The rounds the chosen team can be branched from, as buttons, then close."""
        t, i = self.t, self.selected
        team = self.session.teams[i]
        width = int(self.ctx.size[0] * 0.78) - 48
        head = self._head_height(t("console.branch_title", team=team.name),
                                 t("console.branch_note"), width)
        labels = [t("debrief.round", n=r + 1) for r in range(self.session.round_of(team) + 1)]
        bw = max(self._fits_w(x, 32) for x in labels)
        per_row = max(1, (width + GAP) // (bw + GAP))
        n_rows = -(-len(labels) // per_row)
        height = 24 + head + n_rows * (self.bh + GAP) + 12 + self.bh + 24
        self.dialog_rect = self._dialog_rect(height)
        x0, y = self.dialog_rect.left + 24, self.dialog_rect.top + 24 + head
        for k, label in enumerate(labels):
            col, row = k % per_row, k // per_row
            self.button(label, (x0 + col * (bw + GAP), y + row * (self.bh + GAP), bw, self.bh),
                        lambda r=k: self.branch(r))
        y += n_rows * (self.bh + GAP) + 12
        cw = self._fits_w(t("play.close"), 48)
        self.button(t("play.close"), (self.dialog_rect.right - 24 - cw, y, cw, self.bh),
                    self.close_dialog, "#subtle")

    def _plan_branch(self, plan: Plan) -> None:
        t = self.t
        self._plan_head(plan, t("console.branch_title",
                                team=self.session.teams[self.selected].name),
                        t("console.branch_note"))

    def open_events(self, target: int | None) -> None:
        self.dialog, self.target = "events", target
        self.build()

    def open_branch(self) -> None:
        self.dialog = "branch"
        self.build()

    def close_dialog(self) -> None:
        self.dialog = None
        self.build()

    def inject(self, card_id: str) -> None:
        reason = self.fac.inject(card_id, self.target)
        event = self.t(BY_ID[card_id].title)
        if reason:
            self.say(self.t(reason), BAD)
        elif self.target is None:
            self.say(self.t("console.injected_all", event=event))
        else:
            self.say(self.t("console.injected_team", event=event,
                            team=self.session.teams[self.target].name))
        save.write(self.session)
        self.close_dialog()

    def branch(self, round_index: int) -> None:
        source = self.session.teams[self.selected]
        name = self.t("console.branch_name", team=source.name, n=round_index + 1)
        reason = self.fac.branch(self.selected, round_index, name)
        if reason:
            self.say(self.t(reason), BAD)
        else:
            self.selected = len(self.session.teams) - 1
            self.say(self.t("console.branched", team=source.name, n=round_index + 1))
        save.write(self.session)
        self.close_dialog()
