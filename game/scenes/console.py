"""The facilitator's console: every team's state beside the controls that run a workshop.

Across the top the controls for all teams: start the round for all, pause or
go on (and how fast), lock card play, show or hide the KPIs, step back a
round, an event for everyone. On the left the teams, each with its round and
whether it is ready; on the right the chosen team: its cards, budget,
prediction, KPIs beside the base run (the same start without new decisions),
and what the facilitator can do for that team only - let it play its cards
at this machine (hot seat), give it an event, or branch it from an earlier
round. Every action goes through `game.facilitator.Facilitator`, so the
console and the teams' browsers change the same session, and every change is
saved at once.

Texts are laid out as `TextBlock`s in their own boxes before drawing, with
fonts made smaller down to the readable floor where twelve teams or the
largest text size need it; the tests read the same blocks.
"""

from __future__ import annotations

import pygame

from game import save, ui
from game.console_text import detail_lines, kpi_rows, team_state
from game.facilitator import MAX_TEAMS
from game.panels import box
from game.render import BACKGROUND, BAD, GOOD, INK, MUTED
from game.scenes.base import Scene
from game.scenes.console_dialogs import ConsoleDialogs
from game.scenes.debrief import Plan
from game.scenes.play import team_colour
from game.ui import TextBlock, wrapped_height

SPEEDS = (1, 4, 16)  # weeks per second
GAP = 6
STRIPE = 8  # a team's colour beside its name


class ConsoleScene(ConsoleDialogs, Scene):
    name = "console"

    def __init__(self, ctx) -> None:
        self.selected = 0
        self.speed = 4
        self.dialog: str | None = None  # "events" or "branch"
        self.target: int | None = None  # the team an event is for; None: every team
        self.notice = ""
        self.notice_colour = INK
        super().__init__(ctx)

    @property
    def session(self):
        return self.ctx.session

    @property
    def fac(self):
        return self.ctx.session.facilitator

    # -- layout -------------------------------------------------------------------

    def layout(self) -> None:
        w, h = self.ctx.size
        self.selected = min(self.selected, len(self.session.teams) - 1)
        self.pad = max(10, int(h * 0.015))
        self.bh = max(int(h * 0.058), self.ctx.font("button").get_linesize() + 12)
        self.row_buttons: list = []
        if self.dialog == "events":
            self._layout_events()
        elif self.dialog == "branch":
            self._layout_branch()
        header = self._layout_header()
        top = self._layout_controls(header) + GAP
        self.notice_rect = None
        if self.notice:  # the last thing done, or why not: at most two lines, under the controls
            width = w - 2 * self.pad
            fnt = self.ctx.fit("small", self.notice, width,
                               2 * self.ctx.font("small").get_linesize())
            self.notice_rect = pygame.Rect(self.pad, top, width,
                                           wrapped_height(self.notice, fnt, width))
            self.notice_font = fnt
            top = self.notice_rect.bottom + GAP
        self.body = pygame.Rect(self.pad, top, w - 2 * self.pad, h - top - self.pad)
        list_w = int(self.body.width * 0.3)
        self.list_rect = pygame.Rect(self.body.left, self.body.top, list_w, self.body.height)
        self.detail_rect = pygame.Rect(self.list_rect.right + 2 * GAP, self.body.top,
                                       self.body.right - self.list_rect.right - 2 * GAP,
                                       self.body.height)
        self._layout_teams()
        self._layout_team_actions()
        self.plan_texts()

    def _fits_w(self, text: str, pad: int = 24) -> int:
        return self.ctx.font("button").size(text)[0] + pad

    def _layout_header(self) -> int:
        """Language, settings, scoreboard and debrief at the right; the title left of them."""
        t, w = self.t, self.ctx.size[0]
        x = w - self.pad
        for text, handler in (("EN" if self.ctx.settings.lang == "nl" else "NL",
                               self.toggle_language),
                              (t("play.settings"), self.open_settings),
                              (t("console.debrief"), self.open_debrief),
                              (t("console.scoreboard"), self.open_scoreboard)):
            bw = self._fits_w(text)
            x -= bw
            self._button(text, (x, self.pad, bw, self.bh), handler, "#subtle")
            x -= GAP
        self.title_rect = pygame.Rect(self.pad, self.pad, x - 2 * self.pad, self.bh)
        return self.pad + self.bh

    def _controls(self) -> list[tuple]:
        """(label, handler, chosen or None, enabled) of the controls for every team."""
        t, f = self.t, self.fac
        running, left = bool(f.running), not self.session.finished
        pause = (t("console.resume"), f.resume) if f.paused else (t("console.pause"), f.pause)
        controls = [(t("console.start"), self.start_round, None, not running and left),
                    (*self._wrap(pause), None, running)]
        controls += [(t("console.speed", n=v), lambda v=v: self.set_speed(v), self.speed == v,
                      True) for v in SPEEDS]
        controls += [
            (t("console.unlock") if f.locked else t("console.lock"),
             self._wrap(f.unlock if f.locked else f.lock), None, True),
            (t("console.hide") if f.revealed else t("console.reveal"),
             self._wrap(lambda: f.reveal(not f.revealed)), None, True),
            (t("console.undo"), self.undo_round, None, not running or f.paused),
            (t("console.event_all"), lambda: self.open_events(None), None, left)]
        return controls

    def _wrap(self, pair_or_call):
        """A control's handler: do it, save, and show the new state."""
        if isinstance(pair_or_call, tuple):
            return pair_or_call[0], self._wrap(pair_or_call[1])

        def run() -> None:
            pair_or_call()
            save.write(self.session)
            self.build()
        return run

    def _layout_controls(self, top: int) -> int:
        """The controls in rows as wide as the window, each button as wide as its text."""
        w = self.ctx.size[0]
        x, y = self.pad, top + GAP
        for label, handler, chosen, enabled in self._controls():
            text = label if chosen is None else "✓ " + label
            bw = self._fits_w(text)
            if x > self.pad and x + bw > w - self.pad:
                x, y = self.pad, y + self.bh + GAP
            rect = (x, y, bw, self.bh)
            if chosen is None:
                self._button(label, rect, handler, enabled=enabled)
            elif self.dialog is None:
                self.option(label, rect, handler, chosen)
            x += bw + GAP
        return y + self.bh

    def _button(self, *args, **kwargs):
        """A button of the console itself: none while a dialog is open (its own are on top)."""
        return self.button(*args, **kwargs) if self.dialog is None else None

    def _layout_teams(self) -> None:
        """One row per team: its colour, its name as a choice, and its state beside it.

        Teams that do not fit (twelve, with branches, at the largest text) go to more
        pages, with buttons to turn them under the list.
        """
        teams = self.session.teams
        r = self.list_rect
        line = self.ctx.font("button").get_linesize() + 8
        per = max(1, (r.height + GAP) // (line + GAP))
        self.pager = None
        if per < len(teams):
            per = max(1, (r.height - self.bh) // (line + GAP))
            self.pager = pygame.Rect(r.left, r.bottom - self.bh, r.width, self.bh)
        per = min(per, len(teams))
        room = r.height - (self.bh + GAP if self.pager else 0)
        row_h = max(line, min(self.bh, (room - GAP * (per - 1)) // per))
        first = self.selected // per * per
        self.shown = range(first, min(len(teams), first + per))
        self.team_rows = []
        for k, i in enumerate(self.shown):
            team = teams[i]
            y = r.top + k * (row_h + GAP)
            name_w = int(r.width * 0.58)
            button = pygame.Rect(r.left + STRIPE + 4, y, name_w - STRIPE - 4, row_h)
            label = self._short(team.name, button.width - 12 - self._fits_w("✓ ", 0))
            if self.dialog is None:
                self.option(label, button, lambda i=i: self.select(i), i == self.selected,
                            tooltip=team.name)
            self.team_rows.append((i, pygame.Rect(r.left, y, STRIPE, row_h),
                                   pygame.Rect(button.right + GAP, y,
                                               r.right - button.right - GAP, row_h)))
        if self.pager is not None:
            bw = self._fits_w("◀")
            self._button("◀", (r.left, self.pager.top, bw, self.bh),
                         lambda: self.select(max(0, first - per)), "#subtle",
                         enabled=first > 0)
            self._button("▶", (r.right - bw, self.pager.top, bw, self.bh),
                         lambda: self.select(min(len(teams) - 1, first + per)), "#subtle",
                         enabled=first + per < len(teams))
            self.pager_label = pygame.Rect(r.left + bw + GAP, self.pager.top,
                                           r.width - 2 * (bw + GAP), self.bh)

    def _short(self, name: str, width: int) -> str:
        """A team's name as a button shows it: whole, or cut with an ellipsis."""
        fnt = self.ctx.font("button")
        if fnt.size(name)[0] <= width:
            return name
        while len(name) > 1 and fnt.size(name + "…")[0] > width:
            name = name[:-1]
        return name + "…"

    def _layout_team_actions(self) -> None:
        """At the foot of the chosen team's panel: play here, an event, a branch."""
        t, f, i = self.t, self.fac, self.selected
        team = self.session.teams[i]
        planning = f.phase(i) in ("planning", "locked")
        actions = [(t("console.play_here"), self.play_here, planning and not f.locked),
                   (t("console.event_team"), lambda: self.open_events(i),
                    f.phase(i) != "finished"),
                   (t("console.branch"), self.open_branch,
                    not f.running and len(self.session.teams) < MAX_TEAMS)]
        inner = self.detail_rect.inflate(-24, -20)
        rows, row = [], []
        for action in actions:
            width = sum(self._fits_w(a[0], 32) + GAP for a in row)
            if row and width + self._fits_w(action[0], 32) > inner.width:
                rows.append(row)
                row = []
            row.append(action)
        rows.append(row)
        y = inner.bottom - len(rows) * self.bh - (len(rows) - 1) * GAP
        self.actions_top = y
        for row in rows:
            x = inner.left
            for label, handler, enabled in row:
                bw = self._fits_w(label, 32)
                self._button(label, (x, y, bw, self.bh), handler, "#secondary",
                             enabled=enabled, tooltip=team.name)
                x += bw + GAP
            y += self.bh + GAP

    # -- the texts ------------------------------------------------------------------

    def plan_texts(self) -> None:
        """Every text the console draws (without the buttons'), for the current state."""
        plan = Plan()
        t, s = self.t, self.session
        title = t("console.title", round=max(s.round_of(tm) for tm in s.teams) + 1,
                  rounds=s.rounds)
        fnt = self.ctx.fit_line("title", title, self.title_rect.width, True)
        plan.text(title, fnt, INK, (self.title_rect.left, self.title_rect.centery
                                    - fnt.get_linesize() // 2, self.title_rect.width,
                                    fnt.get_linesize()))
        for i, stripe, state in self.team_rows:
            colour = team_colour(i)
            plan.shapes.append(lambda srf, r=stripe, c=colour: pygame.draw.rect(srf, c, r))
            text = team_state(t, self.fac, i)
            fnt = self.ctx.fit("small", text, state.width, state.height)
            height = wrapped_height(text, fnt, state.width)
            plan.text(text, fnt, INK if self.fac.ready_flags[i] else MUTED,
                      (state.left, state.centery - height // 2, state.width, height))
        self._plan_detail(plan)
        if self.notice_rect is not None and self.dialog is None:
            plan.text(self.notice, self.notice_font, self.notice_colour, self.notice_rect)
        if self.pager is not None:
            label = t("debrief.page", first=self.shown[0] + 1, last=self.shown[-1] + 1,
                      n=len(s.teams))
            fnt = self.ctx.fit_line("small", label, self.pager_label.width)
            plan.text(label, fnt, MUTED, self.pager_label, centred=True)
        self.plan = plan
        self.dialog_plan = Plan()
        if self.dialog == "events":
            self._plan_events(self.dialog_plan)
        elif self.dialog == "branch":
            self._plan_branch(self.dialog_plan)

    def _plan_detail(self, plan: Plan) -> None:
        """The chosen team's panel: name, state lines at the left, the KPI table at the right."""
        r = self.detail_rect
        plan.shapes.append(lambda srf, r=r: box(srf, r))
        colour = team_colour(self.selected)
        plan.shapes.append(lambda srf, r=r, c=colour: pygame.draw.rect(
            srf, c, (r.left, r.top, r.width, STRIPE), border_top_left_radius=8,
            border_top_right_radius=8))
        inner = pygame.Rect(r.left + 12, r.top + STRIPE + 8, r.width - 24,
                            self.actions_top - r.top - STRIPE - 16)
        name = self.session.teams[self.selected].name
        fnt = self.ctx.fit_line("title", name, inner.width, True)
        plan.text(name, fnt, INK, (inner.left, inner.top, inner.width, fnt.get_linesize()))
        top = inner.top + fnt.get_linesize() + GAP
        if not self.fac.revealed:
            hidden = self.t("console.hidden_note")
            f2 = self.ctx.fit_line("small", hidden, inner.width, True)
            plan.text(hidden, f2, BAD, (inner.left, top, inner.width, f2.get_linesize()))
            top += f2.get_linesize() + GAP
        area = pygame.Rect(inner.left, top, inner.width, inner.bottom - top)
        half = int((area.width - 2 * GAP) * 0.42)
        left = pygame.Rect(area.left, area.top, half, area.height)
        right = pygame.Rect(area.left + half + 2 * GAP, area.top, area.width - half - 2 * GAP,
                            area.height)
        self._stack(plan, detail_lines(self.t, self.fac, self.selected), left)
        self._table(plan, kpi_rows(self.t, self.fac, self.selected), right)

    def _stack(self, plan: Plan, lines, rect: pygame.Rect) -> None:
        """Lines one under another in the largest small font (down to the floor) that fits."""
        def height(fnt) -> int:
            return sum(wrapped_height(text, fnt, rect.width) + 4 for text, _ in lines)

        fnt = self._font("body", lambda f: height(f) <= rect.height)
        y = rect.top
        for text, colour in lines:
            hgt = wrapped_height(text, fnt, rect.width)
            plan.text(text, fnt, colour, (rect.left, y, rect.width, hgt))
            y += hgt + 4

    def _table(self, plan: Plan, rows, rect: pygame.Rect) -> None:
        """Four columns (KPI, team, base run, difference), one font that fits them all."""
        shares = (0.31, 0.23, 0.23, 0.23)
        widths = [int(rect.width * s) - GAP for s in shares]

        def ok(fnt) -> bool:
            return (len(rows) * (fnt.get_linesize() + 4) <= rect.height
                    and all(fnt.size(cell)[0] <= wid for row in rows
                            for cell, wid in zip(row[:4], widths, strict=True)))

        fnt = self._font("body", ok)
        y = rect.top
        for k, row in enumerate(rows):
            x = rect.left
            for c, (cell, wid) in enumerate(zip(row[:4], widths, strict=True)):
                colour = row[4] if c == 3 else (MUTED if k == 0 else INK)
                plan.text(cell, fnt, colour, (x, y, wid, fnt.get_linesize()))
                x += wid + GAP
            y += fnt.get_linesize() + 4

    def _font(self, kind: str, ok, bold: bool = False):
        """The largest `kind` font for which `ok` holds, down to the readable floor."""
        top, low = self.ctx.px(kind), ui.floor_px(self.ctx.size[1])
        for size in range(top, low - 1, -1):
            if ok(ui.font(size, bold)):
                return ui.font(size, bold)
        return ui.font(low, bold)

    def text_blocks(self) -> list[TextBlock]:
        """Every text this scene draws besides its buttons (for the overflow tests)."""
        return list(self.plan.texts) + list(self.dialog_plan.texts)



    # -- handlers -------------------------------------------------------------------

    def select(self, i: int) -> None:
        self.selected = i
        self.build()

    def set_speed(self, speed: int) -> None:
        self.speed = speed
        self.build()

    def say(self, text: str, colour=INK) -> None:
        self.notice, self.notice_colour = text, colour

    def start_round(self) -> None:
        reason = self.fac.start_round()
        self.say(self.t(reason) if reason else self.t("console.started"),
                 BAD if reason else INK)
        save.write(self.session)
        self.build()

    def undo_round(self) -> None:
        reason = self.fac.undo_round()
        self.say(self.t(reason) if reason else self.t("console.undone"), BAD if reason else INK)
        save.write(self.session)
        self.build()

    def play_here(self) -> None:
        """Hot seat: the chosen team plans its round at this machine; "done" comes back."""
        from game.scenes.play import PlayScene

        self.session.team_index = self.selected
        self.ctx.push(PlayScene(self.ctx))

    def open_scoreboard(self) -> None:
        from game.scenes.scoreboard import ScoreboardScene

        self.ctx.push(ScoreboardScene(self.ctx, self))

    def open_debrief(self) -> None:
        from game.scenes.debrief import DebriefScene

        save.write(self.session)
        self.ctx.replace(DebriefScene(self.ctx))

    def toggle_language(self) -> None:
        self.ctx.set_language("en" if self.ctx.settings.lang == "nl" else "nl")

    def open_settings(self) -> None:
        from game.scenes.settings import SettingsScene

        self.ctx.push(SettingsScene(self.ctx))

    def on_key(self, key: int) -> None:
        f = self.fac
        if key == pygame.K_ESCAPE and self.dialog is not None:
            self.close_dialog()
        elif self.dialog is not None:
            return
        elif key == pygame.K_SPACE and f.running:
            (f.resume if f.paused else f.pause)()
            self.build()
        elif key == pygame.K_F9:
            self.open_events(None)
        elif key in (pygame.K_UP, pygame.K_DOWN):
            step = -1 if key == pygame.K_UP else 1
            self.select((self.selected + step) % len(self.session.teams))
        elif key == pygame.K_s:
            self.open_scoreboard()
        elif key == pygame.K_l:
            self.toggle_language()

    # -- the running round --------------------------------------------------------------

    def ticks_per_second(self) -> float:
        f = self.fac
        return float(self.speed) if f.running and not f.paused and self.dialog is None else 0.0

    def tick(self) -> None:
        """Begin a week for every team in the round; `work` runs it between frames."""
        if self.fac.running and not self.fac.paused:
            self.fac.begin_week()

    def work(self, deadline: float) -> bool:
        """Stages of the week until `deadline`: at 25,000 families a week of every team
        takes longer than a frame, and the console must go on answering."""
        if not self.fac.week_running:
            return True
        if self.fac.advance_week(deadline):
            self._week_done()
        return not self.fac.week_running

    def finish_week(self) -> None:
        """Finish the week in progress and what follows it. Everything that reads or
        changes a team comes through here first: input, a scene on top, a rebuild, closing."""
        if self.fac.week_running:
            self.fac.finish_week()
            self._week_done()

    def _week_done(self) -> None:
        """The texts follow the week, the buttons the round's end; the save every week."""
        save.write(self.session)
        if self.fac.running:
            self.plan_texts()
        else:
            self.say(self.t("console.round_done"), GOOD)
            self.build()

    def build(self) -> None:
        self.finish_week()  # the texts read every team: never half-way through a week
        super().build()

    def process_event(self, event: pygame.event.Event) -> None:
        if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP,
                          pygame.TEXTINPUT):
            self.finish_week()
        super().process_event(event)

    def pause(self) -> None:
        self.finish_week()
        super().pause()

    def close(self) -> None:
        self.finish_week()
        super().close()

    # -- drawing ------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        surface.fill(BACKGROUND)
        self.plan.draw(surface)
        self.dialog_plan.draw(surface)
        super().draw(surface)
