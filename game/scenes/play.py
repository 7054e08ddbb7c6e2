"""Play: the neighbourhood map, policy cards, the running quarter, its summary, the hand-over.

Hot seat: the teams share one screen and play in turn. The top bar carries the
colour and name of the team whose turn it is - the team that just finished while
its summary is open - and between two teams a hand-over screen names the next
team, so nobody plays another team's quarter by accident.

The facilitator's events (flu wave, crisis, bankruptcy) are not among the teams'
cards: the facilitator opens them with F9 (or Ctrl+E). An injected event is an
ordinary logged action of the model, like a card.

Every layout is measured against the fonts of the current window and text size:
cards go to more pages, rows wrap and the bar's text shrinks before anything is cut.
"""

from __future__ import annotations

import math
import time

import pygame
import pygame_gui

from game import collection, predictions, save
from game.cards import BY_ID, EVENT_CARDS, POLICY_CARDS
from game.indicators import BY_KEY, INDICATORS
from game.layer import Layer, shown_week
from game.mapview import MapView
from game.panels import (
    DRAWN,
    PLAYED,
    box,
    card_pages,
    draw_cards,
    draw_detail,
    draw_hidden_kpis,
    draw_kpis,
    draw_running,
    draw_summary,
    lines_height,
    put,
    put_lines,
    shade,
)
from game.render import BACKGROUND, BAD, INK, MUTED, TEAM_COLOURS
from game.scenes.base import CHOSEN_MARK, Scene
from game.stories import highlights
from game.timeline_view import FamilyTimeline
from sim.states import Channel

SPEEDS = (0, 1, 4, 16)
GAP = 6
STRIPE = 5  # the team colour's stripe under the top bar, in pixels
NAME_GAP = 28  # between the team's name and the rest of the top bar, with a rule in it
EVENT_KEYS = (pygame.K_F9,)  # and Ctrl+E
# While weeks run, the autosave follows a week at most this often (every decision, pause,
# turn end and leaving the scene saves at once): a save costs a frame's worth of disk
# flushing, and a crash loses at most this much running, never a decision.
AUTOSAVE_S = 1.0


def team_colour(index: int) -> tuple[int, int, int]:
    return TEAM_COLOURS[index % len(TEAM_COLOURS)]


def policy_ids() -> list[str]:
    """The teams' cards; the facilitator's events are never among them."""
    return [c.id for c in POLICY_CARDS]


class PlayScene(Scene):
    name = "play"

    def __init__(self, ctx) -> None:
        self.session = ctx.session
        self.phase = "planning"
        self.speed = 4
        self.page = 0
        self.pages: list[list[str]] = [policy_ids()]
        self.grid_inline: set[str] = set()
        self.selected: str | None = None
        self.family: int | None = None
        self.timeline = FamilyTimeline()
        self.overlays: set[str] = set()
        self.notice = ""
        self.summary: dict | None = None
        self.handover = False
        self.events_open = False
        self.event_message = ""
        self.predict_kpi = 0
        self.predict_text = ""  # what is typed in the prediction's field, kept across rebuilds
        self.predict_entry = None
        self.predict_message = ""  # why a typed prediction was not taken
        self.card_rects: list[tuple[pygame.Rect, str]] = []
        self.saved_at = time.monotonic()
        # Drawn once per shown week (or card, event, language): see game/layer.py.
        self.kpi_layer, self.running_layer = Layer(), Layer()
        self._signals_key, self._signals = None, {}
        super().__init__(ctx)

    @property
    def facilitated(self) -> bool:
        """With a facilitator a team plans here; the facilitator runs the round for all."""
        return self.session is not None and self.session.facilitator is not None

    def build(self) -> None:
        if self.predict_entry is not None:  # a new language or text size keeps what was typed
            self.predict_text = self.predict_entry.get_text()
        self.predict_entry = None
        super().build()

    # -- layout ---------------------------------------------------------------

    def button_h(self) -> int:
        """A button's height: a share of the window, never less than its text needs."""
        return max(int(self.ctx.size[1] * 0.055), self.ctx.font("button").get_linesize() + 10)

    def text_w(self, text: str, pad: int = 24) -> int:
        """A button's width for `text`, with `pad` pixels of air."""
        return self.ctx.font("button").size(text)[0] + pad

    def layout(self) -> None:
        """Bar, map, panel and KPI strip; then the widgets of whatever is on top.

        With larger text the panel takes a little more of the width from the map,
        so card titles and prices keep to one line more often.
        """
        w, h = self.ctx.size
        self._reset_widgets()
        bar = max(int(h * 0.075), self.ctx.font("title", True).get_linesize() + 8) + STRIPE
        self.bar_rect = pygame.Rect(0, 0, w, bar)
        self.bar_text_right = w - 12
        top = int(h * 0.8)
        self.kpi_rect = pygame.Rect(0, top, w, h - top)
        share = min(0.46, 0.41 + 0.1 * (self.ctx.settings.text_scale - 1))  # the panel's width
        self.panel = pygame.Rect(int(w * (0.99 - share)), bar + 6, int(w * share),
                                 top - bar - 12)
        map_left = int(w * 0.012)
        rows = self._control_rows(self.panel.left - int(w * 0.018) - map_left)
        ctrl_h = self.button_h()
        map_rect = pygame.Rect(map_left, bar + 6, self.panel.left - int(w * 0.018) - map_left,
                               top - bar - 12 - len(rows) * (ctrl_h + GAP) - 6)
        self.map = MapView(map_rect, self.ctx.px("small"))
        if self.handover:
            self._layout_handover()
        elif self.summary is not None:
            self._layout_summary()
        elif self.events_open:
            self._layout_events()
        else:
            self._layout_bar_buttons()
            self._layout_controls(rows, map_rect, ctrl_h)
            self._layout_panel()

    def _reset_widgets(self) -> None:
        self.card_rects = []
        self.play_button = self.start_button = self.back_button = None
        self.next_button = self.handover_button = self.close_events_button = None
        self.detail_rect: pygame.Rect | None = None
        self.event_rows: list[tuple[str, pygame.Rect, pygame.Rect, str | None]] = []

    def _layout_panel(self) -> None:
        p, bh = self.panel, self.button_h()
        if self.family is not None:
            bw = max(int(self.ctx.size[0] * 0.1), self.text_w(self.t("play.close"), 32))
            self.button(self.t("play.close"), (p.right - bw, p.bottom - bh, bw, bh),
                        self.close_family)
        elif self.phase == "planning" and self.session is not None:
            if self.selected is not None:
                self._layout_card_page()
            else:
                self._layout_planning()

    def _layout_bar_buttons(self) -> None:
        """Language, settings and influence map at the bar's right, each as wide as its text."""
        t, w = self.t, self.ctx.size[0]
        bh = min(self.bar_rect.height - STRIPE - 8, self.button_h())
        y = (self.bar_rect.height - STRIPE - bh) // 2
        x = w - 8
        for text, handler in (("EN" if self.ctx.settings.lang == "nl" else "NL",
                               self.toggle_language),
                              (t("play.settings"), self.open_settings),
                              (t("play.influence"), self.open_influence)):
            bw = self.text_w(text)
            x -= bw
            self.button(text, (x, y, bw, bh), handler, "#subtle")
            x -= 8
        self.bar_text_right = x - 8

    def _control_rows(self, width: int) -> list[list[tuple]]:
        """Speed and overlay buttons under the map: one row when they fit, else two."""
        t = self.t
        running = self.phase == "running"
        speeds = [(t("play.pause") if v == 0 else t.fmt.number(v) + "×",
                   lambda v=v: self.set_speed(v),
                   running and self.speed == v, t("play.speed_tip")) for v in SPEEDS]
        speeds.append(("▶|", self.single_step, None, t("play.step_tip")))
        if self.facilitated:  # the facilitator runs the round, from the console
            speeds = []
        overlays = [(t(label), lambda k=key: self.toggle_overlay(k), key in self.overlays,
                     t("play.overlay_tip"))
                    for key, label in (("trust", "play.overlay_trust"),
                                       ("innovation", "play.overlay_innov"),
                                       ("budget", "play.overlay_budget"))]
        natural = sum(self._control_w(c) for c in speeds + overlays) + 4 * 7
        return [speeds + overlays] if natural <= width or not speeds else [speeds, overlays]

    def _control_w(self, control) -> int:
        label, _, chosen, _ = control
        return self.text_w(label if chosen is None else CHOSEN_MARK + label, 12)

    def _layout_controls(self, rows, map_rect, ctrl_h) -> None:
        """The rows from `_control_rows`, stretched to the map's width."""
        y = map_rect.bottom + GAP
        gap = 4 if len(rows) == 1 else GAP
        for row in rows:
            natural = [self._control_w(c) for c in row]
            extra = (map_rect.width - sum(natural) - gap * (len(row) - 1)) // len(row)
            x = map_rect.left
            for control, wid in zip(row, natural, strict=True):
                label, handler, chosen, tip = control
                rect = (x, y, wid + extra, ctrl_h)
                if chosen is None:
                    self.button(label, rect, handler, "#subtle", tooltip=tip)
                else:
                    self.option(label, rect, handler, chosen, tooltip=tip)
                x += wid + extra + gap
            y += ctrl_h + GAP

    def _layout_planning(self) -> None:
        """Page tabs, a hint or notice, the card grid, then the prediction and start."""
        p, t, bh = self.panel, self.t, self.button_h()
        small = self.ctx.font("small")
        foot = self._layout_predict(bh)
        longest = max((t(c.title) for c in POLICY_CARDS), key=len)
        hint_h = max(lines_height(text, small, p.width) for text in
                     (t("play.pick_short"), t("play.played", card=longest)))
        for rows in (1, 2):  # a second row of tabs when the page numbers crowd one
            top = p.top + rows * (bh + GAP)
            self.hint_rect = pygame.Rect(p.left, top, p.width, hint_h)
            area = pygame.Rect(p.left, self.hint_rect.bottom + GAP, p.width,
                               foot - 8 - self.hint_rect.bottom - GAP)
            pages, self.grid_inline = card_pages(self.ctx, policy_ids(), area, GAP)
            if self._tab_width(len(pages), rows) >= self.text_w(
                    CHOSEN_MARK + str(len(pages)), 12):
                break
        self.pages = [[c for _, c in page] for page in pages]
        self.page = min(self.page, len(pages) - 1)
        self._layout_tabs(bh, rows)
        self.card_rects = pages[self.page]
        for rect, card_id in self.card_rects:  # see-through: the tile is drawn below
            card = BY_ID[card_id]
            self.button("", rect, lambda c=card_id: self.select_card(c), "#card_hit",
                        tooltip=f"{t(card.explain)} ⚖ {t(card.tradeoff)}")

    def _tab_width(self, n: int, rows: int) -> int:
        per_row = math.ceil(n / rows)
        return (self.panel.width - GAP * (per_row - 1)) // per_row

    def _layout_tabs(self, bh: int, rows: int) -> None:
        """A tab per page of cards, "Kaarten 3" or, when that does not fit, "3"; in two
        rows when even the numbers would not (many cards in large text)."""
        p, t, n = self.panel, self.t, len(self.pages)
        per_row = math.ceil(n / rows)
        tab_w = self._tab_width(n, rows)
        wide = all(self.text_w(CHOSEN_MARK + t("play.page", n=i + 1), 12) <= tab_w
                   for i in range(n))
        for i in range(n):
            label = t("play.page", n=i + 1) if wide else str(i + 1)
            row, col = divmod(i, per_row)
            self.option(label, (p.left + col * (tab_w + GAP), p.top + row * (bh + GAP),
                                tab_w, bh),
                        lambda i=i: self.set_page(i), i == self.page)

    def _layout_predict(self, bh: int) -> int:
        """The prediction (KPI, the value typed, its unit) and the start button at the foot.

        One row when it all fits, else the start button gets a row of its own,
        and a unit that does not fit beside the field goes into the label above;
        returns the top of the label.
        """
        p, t = self.panel, self.t
        small = self.ctx.font("small")
        kpi_w = max(self.text_w(t(f"kpi.short.{i.key}")) for i in INDICATORS)
        entry_w = self.ctx.font("body").size("00.000,0")[0] + 24
        key = INDICATORS[self.predict_kpi].key
        unit = t(f"kpi.unit.{key}")
        unit_w = small.size(unit)[0] + GAP
        start_label = t("play.done") if self.facilitated else t("play.start")
        start_w = self.text_w(start_label, 32)
        with_unit = kpi_w + entry_w + unit_w + 2 * GAP <= p.width
        row = kpi_w + entry_w + (unit_w if with_unit else 0) + 2 * GAP
        one_row = row + start_w + GAP <= p.width
        rows = 1 if one_row else 2
        y = p.bottom - rows * bh - (rows - 1) * GAP
        self.button(t(f"kpi.short.{key}"), (p.left, y, kpi_w, bh), self.cycle_predict,
                    "#subtle", tooltip=t("play.predict_tip"))
        x = p.left + kpi_w + GAP
        self.predict_entry = self.entry((x, y, entry_w, bh), self.predict_text,
                                        t("play.predict_tip"))
        self.predict_entry.set_text_length_limit(12)
        x += entry_w + GAP
        self.unit_rect = pygame.Rect(x, y, unit_w, bh) if with_unit else None
        x += unit_w if with_unit else 0
        start = (x, y, p.right - x, bh) if one_row else (p.left, y + bh + GAP, p.width, bh)
        self.start_button = self.button(start_label, start, self.start_quarter)
        self.predict_label = self._predict_label(None if with_unit else unit)
        label_h = lines_height(self.predict_label[0], small, p.width)
        self.predict_label_rect = pygame.Rect(p.left, y - 4 - label_h, p.width, label_h)
        return self.predict_label_rect.top

    def _predict_label(self, unit: str | None) -> tuple[str, tuple[int, int, int]]:
        """Above the field: why a typed value was refused, the prediction made, or the ask."""
        t, s = self.t, self.session
        if self.predict_message:
            return self.predict_message, BAD
        made = s.prediction() if s is not None else None
        if made is not None and "value" in made:
            ind = BY_KEY[made["kpi"]]
            return t("play.predicted", kpi=t(f"kpi.short.{ind.key}"),
                     value=t.fmt.shown(made["value"], ind.fmt)), PLAYED
        text = t("play.predict_label")
        return (f"{text} ({unit})" if unit else text), INK

    def _layout_card_page(self) -> None:
        """The selected card's page over the whole panel: back, its text, why not, play."""
        p, t, bh = self.panel, self.t, self.button_h()
        self.back_button = self.button(t("play.back"), (p.left, p.top, self.text_w(t("play.back")),
                                                        bh), self.deselect, "#subtle")
        reason = self.session.can_play(self.selected)
        play_w = self.text_w(t("play.play_card"), 48)
        message = self.t(reason) if reason else ""
        self.message_rect = pygame.Rect(p.left, 0, p.width - play_w - 12, 0)
        self.message_rect.height = max(bh, lines_height(message, self.ctx.font("small"),
                                                        self.message_rect.width))
        self.message_rect.bottom = p.bottom
        self.card_message = message
        self.play_button = self.button(t("play.play_card"),
                                       (p.right - play_w, p.bottom - bh, play_w, bh),
                                       self.play_selected, enabled=reason is None)
        top = p.top + bh + GAP
        self.detail_rect = pygame.Rect(p.left, top, p.width, self.message_rect.top - GAP - top)

    def _layout_summary(self) -> None:
        w, h = self.ctx.size
        self.summary_rect = pygame.Rect(int(w * 0.08), int(h * 0.05), int(w * 0.84),
                                        int(h * 0.9))
        r, bh = self.summary_rect, self.button_h()
        label = "play.to_debrief" if self.session.finished else "play.next"
        bw = max(int(w * 0.22), self.text_w(self.t(label), 48))
        self.next_button = self.button(self.t(label), (r.right - bw - 20, r.bottom - bh - 16,
                                                       bw, bh), self.close_summary)

    def _handover_texts(self):
        """(text, font, colour) of the hand-over card, top to bottom."""
        t, s, ctx = self.t, self.session, self.ctx
        return [(t("handover.round", round=s.round + 1, rounds=s.rounds), ctx.font("body"), MUTED),
                (t("handover.title", team=s.team.name), ctx.font("huge", True), INK),
                (t("handover.pass"), ctx.font("title"), INK)]

    def _layout_handover(self) -> None:
        """A card as tall as its text, centred, with the button that starts the turn."""
        w, h = self.ctx.size
        bh, width = self.button_h(), int(w * 0.7)
        text_h = sum(lines_height(text, fnt, width - 64) + 12
                     for text, fnt, _ in self._handover_texts())
        height = min(h - 16, 24 + 32 + text_h + 24 + bh + 32)
        self.handover_rect = pygame.Rect((w - width) // 2, (h - height) // 2, width, height)
        r = self.handover_rect
        bw = max(int(w * 0.3), self.text_w(self.t("handover.start"), 48))
        self.handover_button = self.button(self.t("handover.start"),
                                           (r.centerx - bw // 2, r.bottom - bh - 32, bw, bh),
                                           self.confirm_handover)

    def _layout_events(self) -> None:
        """The facilitator's event menu: one button per event with what it does beside it."""
        w, h = self.ctx.size
        t, bh, small = self.t, self.button_h(), self.ctx.font("small")
        width = int(w * 0.76)
        inner_w = width - 48
        bw = max(self.text_w(t(c.title), 32) for c in EVENT_CARDS)
        text_w = inner_w - bw - 16
        head = (lines_height(t("events.title"), self.ctx.font("title", True), inner_w)
                + lines_height(t("events.note"), small, inner_w) + 12)
        rows = []
        for card in EVENT_CARDS:
            reason = "play.why.finished" if self.session.turn_done() else None
            text_h = lines_height(t(card.explain), small, text_w) + (
                lines_height(t(reason), small, text_w) if reason else 0)
            rows.append((card, reason, max(bh, text_h)))
        cw = self.text_w(t("play.close"), 48)
        message_h = lines_height(self.event_message, small, inner_w - cw - 16) if \
            self.event_message else 0
        height = 24 + head + sum(r[2] + 10 for r in rows) + max(bh, message_h) + 24
        self.events_rect = pygame.Rect((w - width) // 2, max(8, (h - height) // 2), width,
                                       min(height, h - 16))
        x, y = self.events_rect.left + 24, self.events_rect.top + 24 + head
        for card, reason, row_h in rows:
            self.button(t(card.title), (x, y, bw, bh), lambda c=card.id: self.inject_event(c),
                        enabled=reason is None)
            self.event_rows.append((card.id, pygame.Rect(x, y, bw, bh),
                                    pygame.Rect(x + bw + 16, y, text_w, row_h), reason))
            y += row_h + 10
        self.close_events_button = self.button(t("play.close"),
                                               (self.events_rect.right - 24 - cw, y, cw, bh),
                                               self.close_events, "#subtle")
        self.event_message_rect = pygame.Rect(x, y, inner_w - cw - 16, max(bh, message_h))

    # -- handlers ---------------------------------------------------------------

    def toggle_language(self) -> None:
        self.ctx.set_language("en" if self.ctx.settings.lang == "nl" else "nl")

    def open_settings(self) -> None:
        from game.scenes.settings import SettingsScene

        self.ctx.push(SettingsScene(self.ctx))

    def open_influence(self) -> None:
        from game.scenes.influence import InfluenceScene

        self.ctx.push(InfluenceScene(self.ctx))

    def set_speed(self, speed: int) -> None:
        if self.facilitated:
            return
        if speed == 0:  # paused: a whole week on screen, and kept
            self.finish_week()
            self.autosave()
        self.speed = speed
        if self.phase == "planning" and speed > 0 and self.summary is None:
            self.start_quarter()
        else:
            self.build()

    def single_step(self) -> None:
        if self.summary is not None or self.handover or self.facilitated:
            return
        if self.phase == "planning":
            self.phase = "running"
            self.selected = None
        self.speed = 0
        self.finish_week()
        self.tick()
        self.finish_week()
        if self.summary is None:  # paused after it: kept (a turn's end has saved already)
            self.autosave()
        self.build()

    def toggle_overlay(self, key: str) -> None:
        self.overlays ^= {key}
        self.build()

    def set_page(self, i: int) -> None:
        self.page = max(0, min(i, len(self.pages) - 1))
        self.build()

    def select_card(self, card_id: str) -> None:
        """Open a team card's page; the facilitator's events are not the teams' to pick."""
        if BY_ID[card_id].event:
            return
        self.selected = card_id
        self.notice = ""
        self.build()

    def deselect(self) -> None:
        self.selected = None
        self.build()

    def play_selected(self) -> None:
        """Play the open card; back to the cards with a notice, or stay and say why not."""
        if self.selected is None:
            return
        self.finish_week()
        reason = self.session.play_card(self.selected)
        if reason:
            self.notice = self.t(reason)
        else:
            self.notice = self.t("play.played", card=self.t(BY_ID[self.selected].title))
            self.selected = None
            self.autosave()
        self.build()

    def toggle_events(self) -> None:
        if self.summary is not None or self.handover or self.facilitated:
            return
        self.finish_week()
        self.events_open = not self.events_open
        self.event_message = ""
        self.build()

    def close_events(self) -> None:
        self.events_open = False
        self.build()

    def inject_event(self, card_id: str) -> None:
        """The facilitator's event goes into the model's log like a card, and into the round."""
        self.finish_week()
        reason = self.session.inject_event(card_id)
        if reason:
            self.event_message = self.t(reason)
        else:
            self.events_open = False
            self.notice = self.t("events.injected", event=self.t(BY_ID[card_id].title))
            self.autosave()
        self.build()

    def cycle_predict(self) -> None:
        self.predict_kpi = (self.predict_kpi + 1) % len(INDICATORS)
        self.predict_text = ""
        self.predict_message = ""
        if self.predict_entry is not None:
            self.predict_entry.set_text("")
        self.build()

    def predict(self, text: str | None = None) -> bool:
        """Take the typed value (or `text`) as this round's prediction; False if refused."""
        self.finish_week()
        if text is None:
            text = self.predict_entry.get_text() if self.predict_entry else self.predict_text
        elif self.predict_entry is not None:  # a refused value stays in the field to mend
            self.predict_entry.set_text(text)
        self.predict_text = text
        if not text.strip():
            self.predict_message = ""
            return True
        key = INDICATORS[self.predict_kpi].key
        value = predictions.from_input(key, text)
        reason = "predict.why.number" if value is None else self.session.predict(key, value)
        self.predict_message = self.t(reason) if reason else ""
        if not reason:
            self.predict_text = ""
            if self.predict_entry is not None:
                self.predict_entry.set_text("")
            self.autosave()
        self.build()
        return reason is None

    def start_quarter(self) -> None:
        """Start the quarter (with a facilitator: done planning) once a typed value is taken."""
        if self.phase == "planning" and self.predict_entry is not None and not self.predict():
            return
        if self.facilitated:
            self.done_planning()
            return
        self.handover = False
        self.phase = "running"
        self.selected = None
        if self.speed == 0:
            self.speed = 4
        self.build()

    def close_family(self) -> None:
        self.family = None
        self.timeline.close()
        self.build()

    def show_family(self, f: int) -> None:
        self.family = f
        self.timeline.open(f)
        self.build()

    def close_summary(self) -> None:
        """After a summary: the debrief, or the hand-over to the next team."""
        self.summary = None
        if self.session.finished:
            from game.scenes.debrief import DebriefScene

            self.ctx.replace(DebriefScene(self.ctx))
            return
        self.phase = "planning"
        self.page = 0
        self.selected = None
        self.notice = ""
        self.family = None
        self.timeline.close()
        self.handover = len(self.session.teams) > 1
        self.build()

    def confirm_handover(self) -> None:
        self.handover = False
        self.build()

    def done_planning(self) -> None:
        """With a facilitator: this team has decided; back to the console."""
        self.session.facilitator.ready(self.session.team_index, True)
        self.autosave()
        self.ctx.pop()

    def process_event(self, event: pygame.event.Event) -> None:
        """Ctrl+E for the facilitator; the open family's story takes its scroll keys."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_e \
                and event.mod & pygame.KMOD_CTRL:
            self.toggle_events()
            return
        if event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED \
                and event.ui_element is self.predict_entry:
            self.manager.process_events(event)
            self.predict()
            return
        if self.family is not None and self.summary is None and not self.events_open \
                and self.timeline.handle_event(event):
            return
        super().process_event(event)

    def on_key(self, key: int) -> None:
        keys = {pygame.K_SPACE: lambda: self.set_speed(0 if self.speed else 4),
                pygame.K_1: lambda: self.set_speed(1), pygame.K_2: lambda: self.set_speed(4),
                pygame.K_3: lambda: self.set_speed(16), pygame.K_PERIOD: self.single_step,
                pygame.K_t: lambda: self.toggle_overlay("trust"),
                pygame.K_i: lambda: self.toggle_overlay("innovation"),
                pygame.K_b: lambda: self.toggle_overlay("budget"),
                pygame.K_m: self.open_influence, pygame.K_l: self.toggle_language,
                pygame.K_ESCAPE: self.deselect if self.selected and self.family is None
                else self.close_family}
        keys.update({k: self.toggle_events for k in EVENT_KEYS})
        if self.facilitated:  # the round and the events are the facilitator's, on the console
            for k in (pygame.K_SPACE, pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_PERIOD,
                      *EVENT_KEYS):
                keys.pop(k, None)
        if self.events_open:
            keys = {pygame.K_ESCAPE: self.close_events, **{k: self.close_events
                                                             for k in EVENT_KEYS}}
        if self.summary is not None:
            keys = {pygame.K_RETURN: self.close_summary, pygame.K_SPACE: self.close_summary}
        if self.handover:
            keys = {pygame.K_RETURN: self.confirm_handover,
                    pygame.K_SPACE: self.confirm_handover}
        if key in keys:
            keys[key]()

    def on_click(self, pos: tuple[int, int]) -> None:
        if self.summary is not None or self.handover or self.events_open:
            return
        for rect, card_id in self.card_rects:
            if rect.collidepoint(pos):
                self.select_card(card_id)
                return
        f = self.map.family_at(pos, self.session.model.families.n)
        if f is not None:
            self.show_family(f)

    # -- the model ------------------------------------------------------------

    def ticks_per_second(self) -> float:
        idle = self.summary is not None or self.handover or self.events_open
        return float(self.speed) if self.phase == "running" and not idle else 0.0

    def tick(self) -> None:
        """Begin a week; `work` runs it between frames, `finish_week` at once."""
        if self.phase != "running" or self.summary is not None:
            return
        collection.hold()
        if not self.session.begin_week():  # its last week was finished elsewhere
            self.finish_turn()

    def work(self, deadline: float) -> bool:
        s = self.session
        if s is None or not s.week_running:
            return True
        if s.advance_week(deadline):
            self._week_done()
        return not s.week_running

    def finish_week(self) -> None:
        """Finish the week in progress and what follows it (the turn's end, the autosave).

        Everything that must see whole weeks goes through here: a card, an event,
        a prediction, pause, a step, a scene opened on top, closing the game.
        """
        s = self.session
        if s is not None and s.week_running:
            s.finish_week()
            self._week_done()

    def _week_done(self) -> None:
        if self.session.turn_done():
            self.finish_turn()
        elif time.monotonic() - self.saved_at >= AUTOSAVE_S:
            self.autosave()

    def autosave(self) -> None:
        """Save the session now (whole weeks: `save.to_data` finishes a running one)."""
        if self.session is None:
            return
        save.write(self.session)
        self.saved_at = time.monotonic()

    def pause(self) -> None:
        """A scene opens on top (settings, the influence map): the week is finished, kept."""
        self.finish_week()
        self.autosave()

    def close(self) -> None:
        """The window closes: the week in progress is finished and saved."""
        if self.session is not None:
            self.finish_week()
            self.autosave()

    def finish_turn(self) -> None:
        """Summarise the quarter, close the turn and autosave before showing anything."""
        s = self.session
        team = s.team
        start = team.history[-1 - 13] if len(team.history) > 13 else team.history[0]
        pred = next((q for q in team.predictions if q["round"] == s.round), None)
        self.summary = {
            "team": team.name, "team_index": s.team_index, "round": s.round,
            "before": start, "after": team.history[-1],
            "highlights": highlights(self.t, s.round_events()), "prediction": pred,
            "cards": team.played(s.round), "budget": team.budget_left(s.round),
        }
        s.end_turn()
        self.autosave()
        collection.release()
        self.phase = "planning"
        self.build()

    # -- drawing ----------------------------------------------------------------

    def round_signals(self) -> dict[int, int]:
        """Signals this round per channel (the model logs a channel by its name);
        counted once per shown week."""
        key = (shown_week(self.session.model), self.session.round)
        if key != self._signals_key:
            self._signals_key, self._signals = key, self._count_signals()
        return self._signals

    def _count_signals(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for e in self.session.round_events():
            channel = e.get("channel")
            if e["kind"] == "signal" and channel is not None:
                key = channel if isinstance(channel, int) else Channel[channel.upper()].value
                counts[key] = counts.get(key, 0) + 1
        return counts

    def draw(self, surface: pygame.Surface, alpha: float = 0.0) -> None:
        DRAWN.clear()
        s, ctx = self.session, self.ctx
        surface.fill(BACKGROUND)
        if self.handover:
            self._draw_handover(surface)
            super().draw(surface)
            return
        self._draw_bar(surface)
        self.map.draw(surface, s.model, self.t, ctx.settings.safe_palette, self.overlays,
                      alpha if self.phase == "running" else 0.0, self.family,
                      self.round_signals())
        if self.family is not None:
            self.timeline.draw(surface, ctx, self.panel, s,
                               reserve=max(int(ctx.size[1] * 0.075), self.button_h() + 8))
        elif self.phase == "planning" and self.summary is None:
            self._draw_planning(surface)
        elif self.summary is None:
            key = (self.looks(), tuple(s.team.played(s.round)))
            self.running_layer.blit(surface, self.panel, key,
                                    lambda target: draw_running(target, ctx, self.panel, s))
        if self.facilitated and not s.facilitator.revealed:
            draw_hidden_kpis(surface, ctx, self.kpi_rect)
        else:
            key = (self.looks(), id(s.team.history), len(s.team.history))
            self.kpi_layer.blit(surface, self.kpi_rect, key,
                                lambda target: draw_kpis(target, ctx, self.kpi_rect, s))
        if self.events_open:
            self._draw_events(surface)
        if self.summary is not None:
            draw_summary(surface, ctx, self.summary_rect, self.summary, self.next_button.rect)
        self._draw_save_warning(surface)
        super().draw(surface)

    def looks(self) -> tuple:
        """What a weekly layer of this scene depends on besides its own data: the team's
        shown week and round, the language, text size and palette."""
        s, settings = self.session, self.ctx.settings
        return (shown_week(s.model), s.team_index, s.round, self.t.lang,
                settings.text_scale, settings.safe_palette)

    def _draw_planning(self, surface: pygame.Surface) -> None:
        small = self.ctx.font("small")
        if self.selected is not None and self.detail_rect is not None:
            draw_detail(surface, self.ctx, self.detail_rect, self.selected)
            if self.card_message:
                put_lines(surface, self.card_message, small, BAD, self.message_rect,
                          self.message_rect.top)
            return
        if not self.card_rects:
            return
        draw_cards(surface, self.ctx, self.session, self.card_rects, self.selected,
                   self.grid_inline)
        hint = self.notice or self.t("play.pick_short")
        put_lines(surface, hint, small, PLAYED if self.notice else MUTED, self.hint_rect,
                  self.hint_rect.top)
        text, colour = self.predict_label
        put_lines(surface, text, small, colour, self.predict_label_rect,
                  self.predict_label_rect.top)
        if self.unit_rect is not None:
            key = INDICATORS[self.predict_kpi].key
            put(surface, self.t(f"kpi.unit.{key}"), small, MUTED,
                (self.unit_rect.left, self.unit_rect.centery), self.unit_rect, "midleft")

    def bar_state(self) -> tuple[int, str, int, int, float]:
        """(team index, name, round, week, budget left) for the top bar.

        While a summary is open, that is the team that just finished: the next
        team only shows once the hand-over is confirmed.
        """
        s, m = self.session, self.summary
        if m is not None:
            return m["team_index"], m["team"], m["round"], 13, m["budget"]
        week = max(0, min(13, s.weeks_into_turn()))
        return s.team_index, s.team.name, s.round, week, s.team.budget_left(s.round)

    def bar_options(self, parts: tuple[str, str, str]):
        """Ways to write the bar, most generous first: (name font, info font, info lines).

        The team's name stays large; round, week and budget get smaller, then two lines.
        """
        ctx = self.ctx
        title, small = ctx.font("title", True), ctx.font("small")
        one = ["  ·  ".join(parts)]
        yield title, title, one
        for kind, bold in (("body", True), ("body", False), ("small", False)):
            yield title, ctx.font(kind, bold), one
        two = ["  ·  ".join(parts[:2]), parts[2]]
        yield title, small, two
        yield ctx.font("body", True), small, two

    def _bar_fit(self, name: str, parts: tuple[str, str, str]):
        """The first way of writing the bar that fits left of its buttons, and the name.

        A name too long for any of them is shortened with an ellipsis.
        """
        left, right = self.bar_rect.left + 22, self.bar_text_right
        height = self.bar_rect.height - STRIPE - 4
        options = list(self.bar_options(parts))
        for name_font, info_font, lines in options:
            wide = name_font.size(name)[0] + NAME_GAP + max(info_font.size(x)[0] for x in lines)
            if left + wide <= right and len(lines) * info_font.get_linesize() <= height:
                return name_font, info_font, lines, name
        name_font, info_font, lines = options[3]
        room = right - left - NAME_GAP - max(info_font.size(x)[0] for x in lines)
        while len(name) > 1 and name_font.size(name + "…")[0] > room:
            name = name[:-1]
        return name_font, info_font, lines, name + "…"

    def _draw_bar(self, surface: pygame.Surface) -> None:
        """Team colour and name, round, week and budget; nothing cut, whatever the text size."""
        t, bar = self.t, self.bar_rect
        index, name, round_index, week, budget = self.bar_state()
        colour = team_colour(index)
        pygame.draw.rect(surface, (232, 229, 220), bar)
        pygame.draw.rect(surface, colour, (0, bar.bottom - STRIPE, bar.width, STRIPE))
        pygame.draw.rect(surface, colour, (0, 0, 12, bar.height))
        parts = (t("play.bar_round", round=round_index + 1, rounds=self.session.rounds),
                 t("play.bar_week", week=week), t("play.bar_budget", budget=t.fmt.euro(budget)))
        name_font, info_font, lines, shown = self._bar_fit(name, parts)
        mid = (bar.height - STRIPE) // 2
        r = put(surface, shown, name_font, INK, (bar.left + 22, mid), bar, "midleft")
        x = r.right + NAME_GAP // 2
        pygame.draw.line(surface, MUTED, (x, mid - r.height // 3), (x, mid + r.height // 3), 2)
        top = mid - len(lines) * info_font.get_linesize() // 2
        for i, line in enumerate(lines):
            put(surface, line, info_font, INK,
                (r.right + NAME_GAP, top + i * info_font.get_linesize()), bar)

    def _draw_save_warning(self, surface: pygame.Surface) -> None:
        """A failed autosave is said on screen, not only on a terminal nobody watches."""
        if not save.last_error:
            return
        small = self.ctx.font("small", True)
        text = self.t("play.save_failed", reason=save.last_error)
        w = self.ctx.size[0]
        height = lines_height(text, small, w - 24) + 8
        strip = pygame.Rect(0, self.ctx.size[1] - height, w, height)
        pygame.draw.rect(surface, (255, 236, 224), strip)
        put_lines(surface, text, small, BAD, strip.inflate(-24, -8), strip.top + 4)

    def _draw_handover(self, surface: pygame.Surface) -> None:
        """The next team's turn: its colour, its name, and the request to pass the keyboard."""
        r = self.handover_rect
        pygame.draw.rect(surface, (255, 255, 255), r, border_radius=12)
        pygame.draw.rect(surface, team_colour(self.session.team_index),
                         (r.left, r.top, r.width, 24),
                         border_top_left_radius=12, border_top_right_radius=12)
        inner = pygame.Rect(r.left + 32, r.top + 24 + 32, r.width - 64, r.height)
        y = inner.top
        for text, fnt, colour in self._handover_texts():
            y = put_lines(surface, text, fnt, colour, inner, y) + 12

    def _draw_events(self, surface: pygame.Surface) -> None:
        t, r = self.t, self.events_rect
        small = self.ctx.font("small")
        shade(surface)
        box(surface, r)
        inner = r.inflate(-48, -48)
        y = put_lines(surface, t("events.title"), self.ctx.font("title", True), INK, inner,
                      inner.top)
        put_lines(surface, t("events.note"), small, MUTED, inner, y)
        for card_id, _, text_rect, reason in self.event_rows:
            y = put_lines(surface, t(BY_ID[card_id].explain), small, INK, text_rect,
                          text_rect.top)
            if reason:
                put_lines(surface, t(reason), small, BAD, text_rect, y)
        if self.event_message:
            put_lines(surface, self.event_message, small, BAD, self.event_message_rect,
                      self.event_message_rect.top)
