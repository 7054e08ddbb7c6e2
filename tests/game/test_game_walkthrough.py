"""A whole workshop, from the title screen to the exports, only through the screen.

Every step is a posted mouse click, mouse move or key press on the real
widgets, as a team at a projector would make it; the assertions read the
session's and the models' state. Two teams, two rounds, in Dutch and in
English. A screenshot of every screen goes to `tmp_path/shots` (and to
$SAMENSPEL_WALKTHROUGH_SHOTS when set, to look at them after a run).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pygame
import pygame_gui
import pytest
from gamehelpers import assert_tooltip_readable, click, frames, hover, key, make_app, start_game

from game import save
from game.cards import BY_ID
from game.scenes.debrief import DebriefScene
from game.scenes.influence import InfluenceScene
from game.scenes.settings import SettingsScene
from game.scenes.title import TitleScene
from game.session import ROUND_WEEKS


class Shots:
    def __init__(self, app, folder: Path, lang: str) -> None:
        self.app, self.folder, self.lang, self.n = app, folder, lang, 0
        extra = os.environ.get("SAMENSPEL_WALKTHROUGH_SHOTS")
        self.extra = Path(extra) if extra else None
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str) -> None:
        frames(self.app, 1)
        self.n += 1
        for folder in filter(None, (self.folder, self.extra)):
            folder.mkdir(parents=True, exist_ok=True)
            pygame.image.save(self.app.screen, str(folder / f"{self.lang}-{self.n:02d}-{name}.png"))


def buttons(scene) -> list[pygame_gui.elements.UIButton]:
    return [e for e in scene.manager.get_sprite_group().sprites()
            if isinstance(e, pygame_gui.elements.UIButton)]


def button(app, text: str) -> pygame_gui.elements.UIButton:
    """The visible button whose label (without a chosen-mark) is `text`."""
    found = [b for b in buttons(app.ctx.top) if b.text.removeprefix("✓ ") == text]
    assert found, (text, [b.text for b in buttons(app.ctx.top)])
    return found[0]


def press(app, text: str) -> None:
    click(app, button(app, text).rect.center)


def run_until(app, done, limit: int = 4000, seconds: float = 60.0) -> None:
    """Frames until `done()`; an export thread needs real time, so time counts too."""
    end = time.monotonic() + seconds
    for _ in range(limit):
        if done():
            return
        app.frame(0.25)
    while time.monotonic() < end:
        if done():
            return
        time.sleep(0.02)
        app.frame(0.02)
    raise AssertionError("the game did not get there")


def playable_card(play) -> str:
    """A card on the open page that may be played now and acts at once."""
    for _, card_id in play.card_rects:
        card = BY_ID[card_id]
        if play.session.can_play(card_id) is None and card.delay_weeks == 0 and card.once:
            return card_id
    raise AssertionError("no playable card on the first page")


def click_card(app, card_id: str) -> None:
    play = app.ctx.top
    rect = next(r for r, c in play.card_rects if c == card_id)
    click(app, rect.center)


def play_turn(app, shots, t, first: bool) -> str | None:
    """One team's quarter: a card, a prediction, the quarter, its summary. Returns the card."""
    play = app.ctx.top
    session = play.session
    team = session.team
    card_id = playable_card(play)
    actions_before = len(team.model.action_log)
    click_card(app, card_id)
    assert play.selected == card_id
    if first:
        shots("card-page")
    click(app, play.play_button.rect.center)
    assert card_id in team.cards[session.round]
    assert len(team.model.action_log) == actions_before + 1
    assert team.model.action_log[-1]["kind"] == BY_ID[card_id].action_dict()["kind"]
    if play.back_button is not None and play.selected is not None:
        click(app, play.back_button.rect.center)
    click(app, play.predict_entry.rect.center)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="7,5"))
    key(app, pygame.K_RETURN)
    prediction = next(p for p in team.predictions if p["round"] == session.round)
    assert prediction["value"] == 7.5
    week = team.model.week
    click(app, play.start_button.rect.center)
    assert play.phase == "running"
    if first:
        for label in ("play.overlay_trust", "play.overlay_innov", "play.overlay_budget"):
            press(app, t(label))
        assert play.overlays == {"trust", "innovation", "budget"}
        shots("running-overlays")
        for label in ("play.overlay_trust", "play.overlay_innov", "play.overlay_budget"):
            press(app, t(label))
        assert play.overlays == set()
        open_a_family(app, shots)
    run_until(app, lambda: play.summary is not None)
    assert team.model.week == week + ROUND_WEEKS
    assert "end" in prediction
    shots("summary")
    return card_id


def open_a_family(app, shots) -> None:
    """Click the house of a family the model has news of, read its story, close it."""
    play = app.ctx.top
    model = play.session.model
    families = sorted({e["family"] for e in model.events if e.get("family") is not None})
    f = families[len(families) // 2]
    click(app, play.map.house_centre(f, model.families.n))
    assert play.family == f
    assert play.timeline.texts
    shots("family")
    key(app, pygame.K_ESCAPE)
    assert play.family is None


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_workshop_from_title_to_export(lang, tmp_path, save_dir):
    app = make_app(lang=lang)
    t = app.ctx.t
    shots = Shots(app, tmp_path / "shots", lang)
    title = app.ctx.top
    assert isinstance(title, TitleScene)
    shots("title")

    # teams: + twice, - once, through the buttons; the + button explains itself
    click(app, title.plus_button.rect.center)
    click(app, title.plus_button.rect.center)
    assert len(title.name_entries) == 3
    click(app, title.minus_button.rect.center)
    assert len(title.name_entries) == 2
    tip = hover(app, title.plus_button)
    assert_tooltip_readable(app, tip, tip.text_block.html_text.replace("&amp;", "&"))
    shots("title-two-teams")

    press(app, t("title.settings"))
    assert isinstance(app.ctx.top, SettingsScene)
    shots("settings")
    key(app, pygame.K_ESCAPE)
    assert app.ctx.top is title

    play = start_game(app)
    session = play.session
    assert [team.name for team in session.teams] == [t("title.team_default", n=1),
                                                     t("title.team_default", n=2)]
    shots("planning")

    # a card and a button explain themselves when the mouse rests on them
    first_card = play.card_rects[0][1]
    hit = next(b for b in buttons(play) if b.rect == play.card_rects[0][0])
    tip = hover(app, hit)
    assert tip is not None and t(BY_ID[first_card].explain) in tip.text_block.html_text
    speed = button(app, t.fmt.number(4) + "×")
    assert_tooltip_readable(app, hover(app, speed), t("play.speed_tip"))

    key(app, pygame.K_m)
    assert isinstance(app.ctx.top, InfluenceScene)
    shots("influence")
    key(app, pygame.K_ESCAPE)
    assert app.ctx.top is play

    played: dict[str, list[str]] = {team.name: [] for team in session.teams}
    for r in range(session.rounds):
        for k, team in enumerate(session.teams):
            assert session.round == r and session.team is team
            played[team.name].append(play_turn(app, shots, t, first=(r == 0 and k == 0)))
            click(app, play.next_button.rect.center)
            if session.finished:
                break
            # hand-over: the next team is named, its bar waits for the confirmation
            assert play.handover
            assert session.team is session.teams[(k + 1) % len(session.teams)]
            if r == 0 and k == 0:
                shots("handover")
            click(app, play.handover_button.rect.center)
            assert not play.handover and play.phase == "planning"
    run_until(app, lambda: isinstance(app.ctx.top, DebriefScene))
    debrief = app.ctx.top

    for team in session.teams:
        assert team.model.week == session.warmup + session.rounds * ROUND_WEEKS
        assert [c for cards in team.cards for c in cards] == played[team.name]
        assert len(team.predictions) == session.rounds
    saved = save.read()
    assert saved["finished"] and [len(x["cards"]) for x in saved["teams"]] == [2, 2]

    for tab in ("kpis", "charts", "cards", "predictions", "stories"):
        press(app, t(f"debrief.tab_{tab}"))
        assert debrief.tab == tab
        shots(f"debrief-{tab}")

    folder = save_dir / "export"
    for kind in ("png", "pdf", "html"):
        before = set(folder.glob("*")) if folder.exists() else set()
        press(app, kind.upper())
        run_until(app, lambda: debrief.job is None and debrief.pending is None, limit=2)
        new = set(folder.glob("*")) - before
        assert [p.suffix for p in new] == [f".{kind}"], new
        assert next(iter(new)).name in debrief.notice
    shots("debrief-exported")

    press(app, t("debrief.to_title"))
    title = app.ctx.top
    assert isinstance(title, TitleScene)
    assert [e.get_text() for e in title.name_entries] == [team.name for team in session.teams]
    pygame.quit()
