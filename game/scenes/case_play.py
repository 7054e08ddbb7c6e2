"""Case trainer, the case itself: the family's kitchen table, what a role sees, and the
decision moments with their reflection questions.

Time runs in steps of weeks. At a moment of the case file the clock stops;
the trainee who plays that role chooses, writes a reflection if they like,
and confirms. There is no game over: after the last week the debrief shows
the paths not taken. The model evolves the family; this scene only reads it
and sends the choices as logged actions (through the session).
"""

from __future__ import annotations

import pygame
import pygame_gui

from game.case_view import background_lines, kitchen_lines, role_view, timeline_lines
from game.render import BACKGROUND, BAD, GOOD, INK, MUTED, PANEL
from game.scenes.base import CHOSEN_MARK, Scene
from game.scenes.loading import LoadingScene
from game.ui import TextBlock, wrapped_height

RUN_WEEKS_PER_SECOND = 6.0


class CaseLoadingScene(LoadingScene):
    """The warm-up of the neighbourhood, then the case (or, given a session, its debrief)."""

    def finish(self, session) -> None:
        from game.scenes.case_debrief import CaseDebriefScene

        if session.results is not None:
            self.ctx.replace(CaseDebriefScene(self.ctx, session))
        else:
            self.ctx.replace(CaseScene(self.ctx, session))


class CaseScene(Scene):
    name = "case"

    def __init__(self, ctx, session) -> None:
        self.session = session
        self.running = False
        self.view_role = session.roles[0]
        self.choice: str | None = None
        self.reflection_entry = None
        self.blocks: list[TextBlock] = []
        self.choice_buttons: dict[str, pygame_gui.elements.UIButton] = {}
        super().__init__(ctx)

    # -- layout ---------------------------------------------------------------

    def layout(self) -> None:
        w, h = self.ctx.size
        t, s, lang = self.t, self.session, self.ctx.settings.lang
        case = s.case
        self.blocks = []
        self.overlays: list[TextBlock] = []  # labels drawn over their buttons
        self.dropped = 0
        self.choice_buttons = {}
        self.reflection_entry = None
        gap = max(8, int(h * 0.014))
        bh = max(int(h * 0.06), self.ctx.font("button").get_linesize() + 12)
        margin = int(w * 0.02)
        moment = s.current_moment()
        if moment is not None:
            self.view_role = case.moments[moment].role
        # Top bar: title, week, language, role tabs.
        top = int(h * 0.02)
        week = t("case.week_of", week=min(s.week, case.weeks), weeks=case.weeks)
        bf = self.ctx.font("button")
        other = "English" if lang == "nl" else "Nederlands"
        lang_w = max(int(w * 0.09), bf.size(other)[0] + 20)
        self.button(other, (w - margin - lang_w, top, lang_w, bh),
                    lambda: self.ctx.set_language("en" if lang == "nl" else "nl"), "#secondary")
        stop_w = max(int(w * 0.11), bf.size(t("case.stop"))[0] + 20)
        self.stop_button = self.button(t("case.stop"), (w - margin - lang_w - gap - stop_w, top,
                                                        stop_w, bh), self.stop, "#secondary",
                                       tooltip=t("case.stop_tip"))
        week_w = int(w * 0.17)
        wf = self.ctx.fit_line("body", week, week_w, True)
        right = w - margin - lang_w - stop_w - 2 * gap
        self.blocks.append(TextBlock(week, wf, INK, pygame.Rect(right - gap - week_w, top,
                                                                week_w, bh), centred=True))
        title = case.title.get(lang)
        title_w = right - 2 * gap - week_w - margin
        tf = self.ctx.fit_line("title", title, title_w, True)
        bar_h = bh
        if tf.size(title)[0] > title_w:  # a small window: the title wraps, the bar grows
            tf = self.ctx.font("small", True)
            bar_h = max(bh, wrapped_height(title, tf, title_w))
        self.blocks.append(TextBlock(title, tf, INK, pygame.Rect(margin, top, title_w, bar_h)))
        y0 = top + bar_h + gap
        col = (w - 2 * margin - 2 * gap) // 3
        left = pygame.Rect(margin, y0, col, h - y0 - margin)
        mid = pygame.Rect(margin + col + gap, y0, col, h - y0 - margin)
        right = pygame.Rect(margin + 2 * (col + gap), y0, col, h - y0 - margin)
        self.panels = [left, mid, right]
        self._kitchen(left.inflate(-2 * gap, -2 * gap))
        self._view(mid.inflate(-2 * gap, -2 * gap), bh, gap)
        if moment is not None:
            self._decision(right.inflate(-2 * gap, -2 * gap), moment, bh, gap)
        else:
            self._clock(right.inflate(-2 * gap, -2 * gap), bh, gap)

    def _add(self, text: str, fnt, colour, rect: pygame.Rect) -> int:
        self.blocks.append(TextBlock(text, fnt, colour, rect))
        return rect.bottom

    def _column(self, box: pygame.Rect, parts: list[tuple[str, tuple, bool]], kind: str = "small",
                ) -> int:
        """Stack texts (text, colour, bold) in `box`, one font that fits them all."""
        joined = "\n".join(p[0] for p in parts)
        fnt = self.ctx.fit(kind, joined, box.width, box.height - 4 * len(parts))
        bold = self.ctx.fit(kind, joined, box.width, box.height - 4 * len(parts), True)
        y = box.top
        for text, colour, is_bold in parts:
            f = bold if is_bold else fnt
            height = wrapped_height(text, f, box.width)
            if y + height > box.bottom:
                self.dropped += 1  # the tests require none; a text never overlaps another
                continue
            y = self._add(text, f, colour, pygame.Rect(box.left, y, box.width, height)) + 4
        return y

    def _fits(self, box: pygame.Rect, parts: list[tuple[str, tuple, bool]],
              kind: str = "small") -> bool:
        """Whether `_column` would place every part in `box`."""
        before, blocks = self.dropped, len(self.blocks)
        self._column(box, parts, kind)
        ok = self.dropped == before
        self.dropped = before
        del self.blocks[blocks:]
        return ok

    def _kitchen(self, box: pygame.Rect) -> None:
        """The family's side: who they are, what they want, their wait, their story."""
        t = self.t
        head = t("case.kitchen")
        hf = self.ctx.fit_line("body", head, box.width, True)
        y = self._add(head, hf, INK, pygame.Rect(box.left, box.top, box.width,
                                                hf.get_linesize())) + 6
        parts = [(line, INK, i == 0) for i, line in
                 enumerate(kitchen_lines(t, self.session, self.ctx.settings.lang))]
        area = pygame.Rect(box.left, y, box.width, box.bottom - y)
        events = timeline_lines(t, self.session, 6)
        if not events:  # before anything happened: where the family comes from
            events = background_lines(self.session, self.ctx.settings.lang)
        # As many of the newest events as fit.
        while events and not self._fits(area, parts + [(e, MUTED, False) for e in events]):
            events = events[1:]
        # A small window: the family's wishes, then the counts, give way (never cut off).
        while not events and len(parts) > 2 and not self._fits(area, parts):
            parts = parts[:-1]
        self._column(area, parts + [(e, MUTED, False) for e in events])

    def _view(self, box: pygame.Rect, bh: int, gap: int) -> None:
        """What one role sees of the family (tabs for the roles; the dossier as consented)."""
        t, s = self.t, self.session
        roles = s.roles
        # One row of tabs when every label fits (with the chosen mark), else two rows.
        fnt = self.ctx.font("button")
        need = max(fnt.size("✓ " + t(f"case.role_short.{r}"))[0] for r in roles) + 16
        per_row = len(roles)
        while per_row > 1 and (box.width - (per_row - 1) * 4) // per_row < need:
            per_row = -(-per_row // 2)
        tab_w = (box.width - (per_row - 1) * 4) // per_row
        self.role_tabs = {}
        for i, role in enumerate(roles):
            row, col = divmod(i, per_row)
            self.role_tabs[role] = self.option(
                t(f"case.role_short.{role}"), (box.left + col * (tab_w + 4),
                                               box.top + row * (bh + 4), tab_w, bh),
                lambda r=role: self.show_role(r), role == self.view_role)
        y = box.top + -(-len(roles) // per_row) * (bh + 4) + gap
        head = t("case.sees", role=t(f"case.role.{self.view_role}"),
                 n=s.trainee_of(self.view_role) + 1)
        self.chart_rect = pygame.Rect(box.left, box.bottom - int(box.height * 0.22), box.width,
                                      int(box.height * 0.22))
        label = t("case.chart_label")
        lf = self.ctx.fit("small", label, box.width - 8, self.chart_rect.height // 2)
        lh = wrapped_height(label, lf, box.width - 8)
        self.chart_label = TextBlock(label, lf, MUTED, pygame.Rect(
            self.chart_rect.left + 4, self.chart_rect.top + 2, box.width - 8, lh))
        self.blocks.append(self.chart_label)
        parts = [(head, INK, True)]
        parts += [(line, colour, False) for line, colour in
                  ((line, MUTED if hidden else INK)
                   for line, hidden in role_view(t, s, self.view_role))]
        area = pygame.Rect(box.left, y, box.width, self.chart_rect.top - gap - y)
        while len(parts) > 1 and not self._fits(area, parts):  # a small window: the last go
            parts = parts[:-1]
        self._column(area, parts)

    def _decision(self, box: pygame.Rect, moment: int, bh: int, gap: int) -> None:
        t, s, lang = self.t, self.session, self.ctx.settings.lang
        m = s.case.moments[moment]
        who = t("case.decides", role=t(f"case.role.{m.role}"), n=s.trainee_of(m.role) + 1)
        # Each choice on one line if its label fits, else on a taller button with the label
        # wrapped over it (a long translation or a large text size).
        bf = self.ctx.font("button")
        labels, heights = {}, {}
        for c in m.choices:
            text = t(f"case.choice.{c}", domain=t(f"domain.{m.domain}") if m.domain else "")
            labels[c] = (CHOSEN_MARK if c == self.choice else "") + text
            one_line = bf.size(labels[c])[0] <= box.width - 16
            heights[c] = bh if one_line else max(bh, wrapped_height(labels[c], bf,
                                                                    box.width - 16) + 12)
        buttons_h = sum(heights.values()) + 4 * len(heights)
        entry_h = bh
        text_h = box.height - (buttons_h + entry_h + bh + 3 * gap)
        question, reflect = m.question.get(lang), t("case.reflect") + " " + m.reflection.get(lang)
        joined = f"{who}\n{question}\n{reflect}"
        fnt = self.ctx.fit("small", joined, box.width, text_h - 8)
        bold = self.ctx.fit("small", joined, box.width, text_h - 8, True)
        y = box.top
        h1 = wrapped_height(who, bold, box.width)
        y = self._add(who, bold, GOOD, pygame.Rect(box.left, y, box.width, h1)) + 4
        h2 = wrapped_height(question, fnt, box.width)
        y = self._add(question, fnt, INK, pygame.Rect(box.left, y, box.width, h2)) + gap
        for c in m.choices:
            rect = pygame.Rect(box.left, y, box.width, heights[c])
            chosen = c == self.choice
            if heights[c] == bh and bf.size(labels[c])[0] <= box.width - 16:
                self.choice_buttons[c] = self.option(labels[c].removeprefix(CHOSEN_MARK), rect,
                                                     lambda c=c: self.pick(c), chosen)
            else:
                self.choice_buttons[c] = self.button("", rect, lambda c=c: self.pick(c),
                                                     "#toggle_on" if chosen else "#subtle")
                inner = rect.inflate(-16, -12)
                self.overlays.append(TextBlock(labels[c], bf, (255, 255, 255) if chosen else INK,
                                               inner))
            y += heights[c] + 4
        y += gap - 4
        h3 = wrapped_height(reflect, fnt, box.width)
        y = self._add(reflect, fnt, MUTED, pygame.Rect(box.left, y, box.width, h3)) + 4
        self.reflection_entry = self.entry((box.left, y, box.width, entry_h),
                                           s.reflections.get(moment, ""))
        self.reflection_entry.set_text_length_limit(500)
        self.confirm_button = self.button(t("case.confirm"),
                                          (box.left, box.bottom - bh, box.width, bh),
                                          self.confirm, enabled=self.choice is not None)

    def _clock(self, box: pygame.Rect, bh: int, gap: int) -> None:
        t, s = self.t, self.session
        if s.finished:
            text = t("case.finished")
        else:
            nxt = [m.week for i, m in enumerate(s.case.moments) if i not in s.run.decided]
            text = (t("case.next_moment", n=nxt[0] - s.week) if nxt else t("case.no_moments"))
        fnt = self.ctx.fit("body", text, box.width, box.height - 3 * bh - 3 * gap)
        y = self._add(text, fnt, INK, pygame.Rect(box.left, box.top, box.width,
                                                 wrapped_height(text, fnt, box.width))) + gap
        if s.finished:
            self.debrief_button = self.button(t("case.to_debrief"), (box.left, y, box.width, bh),
                                              self.to_debrief)
            return
        self.week_button = self.button(t("case.next_week"), (box.left, y, box.width, bh),
                                       self.next_week, enabled=not self.running)
        y += bh + gap
        self.run_button = self.button(t("case.pause") if self.running else t("case.run"),
                                      (box.left, y, box.width, bh), self.toggle_run,
                                      "#secondary")

    # -- handlers -------------------------------------------------------------

    def show_role(self, role: str) -> None:
        if self.session.current_moment() is None:
            self.view_role = role
            self.build()

    def pick(self, choice: str) -> None:
        self._keep_text()
        self.choice = choice
        self.build()

    def _keep_text(self) -> None:
        moment = self.session.current_moment()
        if self.reflection_entry is not None and moment is not None:
            text = self.reflection_entry.get_text().strip()
            if text:
                self.session.reflections[moment] = text

    def confirm(self) -> None:
        moment = self.session.current_moment()
        if moment is None or self.choice is None:
            return
        text = self.reflection_entry.get_text() if self.reflection_entry else ""
        self.session.decide(moment, self.choice, text)
        self.choice = None
        self.reflection_entry = None  # its text belongs to the moment just decided
        self.build()

    def next_week(self) -> None:
        self.session.step()
        self.build()

    def toggle_run(self) -> None:
        self.running = not self.running
        self.build()

    def stop(self) -> None:
        """Back to the title; the autosave keeps the case for "continue"."""
        from game.scenes.title import TitleScene

        self._keep_text()
        self.session.autosave()
        self.ctx.replace(TitleScene(self.ctx))

    def to_debrief(self) -> None:
        self.ctx.push(CaseLoadingScene(self.ctx, self.session.counterfactual_steps(),
                                       self.t("case.replaying")))

    def build(self) -> None:
        if getattr(self, "session", None) is not None and self.reflection_entry is not None:
            self._keep_text()
        super().build()

    def ticks_per_second(self) -> float:
        return RUN_WEEKS_PER_SECOND if self.running else 0.0

    def tick(self) -> None:
        s = self.session
        if s.current_moment() is not None or s.finished:
            self.running = False
            self.build()
            return
        s.step()
        if s.current_moment() is not None or s.finished:
            self.running = False
        self.build()

    def on_key(self, key: int) -> None:
        """Space: the next week; at a decision 1-4 pick a choice and Enter confirms."""
        moment = self.session.current_moment()
        if moment is None:
            if key == pygame.K_SPACE and not self.session.finished:
                self.next_week()
            return
        choices = self.session.case.moments[moment].choices
        number = key - pygame.K_1
        if 0 <= number < len(choices):
            self.pick(choices[number])
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.choice is not None:
            self.confirm()

    # -- drawing --------------------------------------------------------------

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        surface.fill(BACKGROUND)
        for rect in self.panels:
            pygame.draw.rect(surface, PANEL, rect, border_radius=8)
        self._draw_chart(surface)
        for block in self.blocks:
            block.draw(surface)
        super().draw(surface)
        for block in self.overlays:
            block.draw(surface)

    def _draw_chart(self, surface: pygame.Surface) -> None:
        """The family's problem burden (sum of severities) week by week, and its waits."""
        rect, trace = self.chart_rect, self.session.run.trace
        weeks = self.session.case.weeks
        pygame.draw.rect(surface, (238, 236, 230), rect, border_radius=4)
        below = self.chart_label.rect.bottom + 4
        plot = pygame.Rect(rect.left + 4, below, rect.width - 8, rect.bottom - 4 - below)
        top = max(3.0, max(p["burden"] for p in trace))
        step = plot.width / max(weeks, 1)
        for p in trace:
            if p["waiting"]:
                x = plot.left + int(p["week"] * step)
                pygame.draw.rect(surface, (250, 215, 160), (x, plot.top, max(int(step), 1),
                                                            plot.height))
        points = [(plot.left + p["week"] * step, plot.bottom - p["burden"] / top * plot.height)
                  for p in trace]
        if len(points) >= 2:
            pygame.draw.lines(surface, BAD, False, points, 3)
        elif points:
            pygame.draw.circle(surface, BAD, points[0], 3)
