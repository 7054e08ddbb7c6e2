"""The facilitator's console, driven by posted clicks and keys on its real buttons.

A facilitated session: the title's facilitator option opens the console; the
facilitator locks and unlocks the cards, a team plans at this machine, the
round runs for all teams at once and pauses, events go to all teams or one
(each a logged action, in the save), the KPIs are hidden and shown, a round
is stepped back and a team branched - both replays that reach the same
model bit for bit - and a team without decisions is the base run exactly.
"""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import pygame
import pygame_gui
import pytest
from gamehelpers import click, frames, key

from game import predictions, save, save_schema, ui
from game.app import App
from game.facilitator import Facilitator
from game.scenes.base import CHOSEN_MARK, Settings
from game.scenes.console import ConsoleScene
from game.scenes.play import PlayScene
from game.scenes.scoreboard import ScoreboardScene
from game.scenes.title import TitleScene
from game.session import ROUND_WEEKS

SHORT = ["run.warmup_weeks=52"]
NAMES = ["Team A", "Team B", "Team C"]


# ---------------------------------------------------------------- helpers


def console_app(names=NAMES, size=(1280, 720), lang="nl", rounds=3, toggle=True):
    """The title with its facilitator option clicked, started: the console."""
    app = App(size, Settings(lang=lang), fps_cap=0)
    app.start(TitleScene(app.ctx, "neighbourhood", 3, SHORT, rounds=rounds))
    title = app.ctx.top
    title.set_teams(list(names))
    if toggle:
        click(app, title.facilitator_button.rect.center)
        assert title.facilitator
    click(app, title.start_button.rect.center)
    for _ in range(3000):
        if isinstance(app.ctx.top, ConsoleScene):
            return app
        app.frame(1 / 60)
    raise AssertionError("the console did not open")


def buttons(scene) -> list:
    return [e for e in scene.manager.get_sprite_group().sprites()
            if isinstance(e, pygame_gui.elements.UIButton)]


def button(scene, text: str):
    found = [b for b in buttons(scene) if b.text in (text, CHOSEN_MARK + text)]
    assert found, (text, [b.text for b in buttons(scene)])
    return found[0]


def press(app, text: str) -> None:
    """A real click on the top scene's button labelled `text` (which must be enabled)."""
    b = button(app.ctx.top, text)
    assert b.is_enabled, f"{text!r} is disabled"
    click(app, b.rect.center)


def run_round(app) -> None:
    fac = app.ctx.session.facilitator
    for _ in range(2000):
        if not fac.running:
            return
        app.frame(0.25)
    raise AssertionError("the round did not end")


def fingerprint(model) -> str:
    """Everything a model is, as one hash: arrays, KPIs, streams, staff, logs."""
    h = hashlib.sha256()
    for name in sorted(vars(model.families)):
        value = getattr(model.families, name)
        if isinstance(value, np.ndarray):
            h.update(name.encode() + value.tobytes())
    for stream in model.streams.values():
        h.update(json.dumps(stream.bit_generator.state, sort_keys=True, default=repr).encode())
    for pro in model.professionals:
        h.update(repr(sorted((k, v) for k, v in vars(pro).items()
                             if isinstance(v, int | float | str | bool))).encode())
    h.update(json.dumps([model.week, model.kpi, model.action_log, model.pending_actions,
                         len(model.events)], sort_keys=True, default=repr).encode())
    return h.hexdigest()


def team_state(session, i: int) -> tuple:
    team = session.teams[i]
    return (fingerprint(team.model), json.dumps(team.history, default=repr),
            json.dumps([team.cards, team.events, team.pending, team.predictions],
                       default=repr))


def play(fac, team: int, cards) -> None:
    for card in cards:
        assert fac.play_card(team, card) is None, card


def run(fac) -> None:
    assert fac.start_round() is None
    while fac.step_week():
        pass


# ---------------------------------------------------------------- the console


def test_a_round_for_all_teams_through_the_console():
    app = console_app()
    t, fac, session = app.ctx.t, app.ctx.session.facilitator, app.ctx.session
    console = app.ctx.top
    assert [tm.name for tm in session.teams] == NAMES
    assert all(session.weeks_played(tm) == 0 for tm in session.teams)
    # lock: the teams cannot play, and no team can sit down at this machine
    press(app, t("console.lock"))
    assert fac.locked and fac.play_card(1, "integral") == "play.why.locked"
    assert not button(console, t("console.play_here")).is_enabled
    press(app, t("console.unlock"))
    assert not fac.locked
    # team B plans at this machine: a card and a prediction typed in Dutch
    click(app, button(console, "Team B").rect.center)
    assert console.selected == 1
    press(app, t("console.play_here"))
    play_scene = app.ctx.top
    assert isinstance(play_scene, PlayScene) and session.team_index == 1
    assert not any(b.text.endswith("×") for b in buttons(play_scene))  # no speeds: not theirs
    tile = next(r for r, c in play_scene.card_rects if c == "integral")
    click(app, tile.center)
    click(app, play_scene.play_button.rect.center)
    click(app, play_scene.predict_entry.rect.center)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="6,5"))
    key(app, pygame.K_RETURN)
    assert session.teams[1].predictions[0]["value"] == 6.5
    click(app, play_scene.start_button.rect.center)  # "done": back to the console
    assert app.ctx.top is console and fac.ready_flags == [False, True, False]
    assert session.teams[1].cards == [["integral"]]
    assert session.teams[1].model.action_log[-1]["key"] == "cooperation.mode"
    # the round runs for every team at once
    press(app, t("console.start"))
    assert fac.running == [0, 1, 2]
    assert fac.play_card(0, "pooled") == "play.why.running"
    run_round(app)
    assert [session.weeks_played(tm) for tm in session.teams] == [ROUND_WEEKS] * 3
    assert len(fac.base.history) == ROUND_WEEKS + 1
    p = session.teams[1].predictions[0]
    assert p["end"] == session.teams[1].history[-1]["mean_wait_weeks"]
    assert p["points"] == predictions.points("mean_wait_weeks", 6.5, p["end"], p["start"])
    assert fac.ready_flags == [False] * 3 and fac.phase(0) == "planning"
    # the scoreboard shows the prediction's points and the base run
    press(app, t("console.scoreboard"))
    board = app.ctx.top
    assert isinstance(board, ScoreboardScene)
    texts = [b.text for b in board.text_blocks()]
    assert t("scoreboard.points_n", n=p["points"]) in texts
    assert any(t("scoreboard.same_as_base") == x for x in texts)  # team A decided nothing
    key(app, pygame.K_ESCAPE)
    assert app.ctx.top is console
    pygame.quit()


def test_pause_holds_the_round_and_space_goes_on():
    app = console_app()
    t, fac, session = app.ctx.t, app.ctx.session.facilitator, app.ctx.session
    press(app, t("console.start"))
    for _ in range(40):
        if session.weeks_played(session.teams[0]) >= 2:
            break
        app.frame(0.25)
    press(app, t("console.pause"))
    assert fac.paused
    weeks = [session.weeks_played(tm) for tm in session.teams]
    frames(app, 20, dt=0.25)
    assert [session.weeks_played(tm) for tm in session.teams] == weeks
    assert len(set(weeks)) == 1  # the teams run in step
    key(app, pygame.K_SPACE)
    assert not fac.paused
    run_round(app)
    assert [session.weeks_played(tm) for tm in session.teams] == [ROUND_WEEKS] * 3
    pygame.quit()


def test_an_injected_event_is_in_the_action_log_and_the_saved_game(save_dir):
    app = console_app()
    t, fac, session = app.ctx.t, app.ctx.session.facilitator, app.ctx.session
    console = app.ctx.top
    press(app, t("console.event_all"))
    assert console.dialog == "events"
    press(app, t("card.inspection.title"))
    assert console.dialog is None
    for team in session.teams:
        assert team.model.action_log[-1] == {"week": team.model.week, "kind": "set",
                                             "key": "management.style", "value": 0.0}
        assert team.events == [["inspection"]] and team.cards == [[]]
    click(app, button(console, "Team C").rect.center)
    press(app, t("console.event_team"))
    press(app, t("card.cut.title"))
    assert [tm.model.action_log[-1]["kind"] for tm in session.teams] == ["set", "set", "budget"]
    assert session.teams[2].events == [["inspection", "cut"]]
    saved = json.loads(save.autosave_path().read_text())
    assert [tm["events"] for tm in saved["teams"]] == [[["inspection"]], [["inspection"]],
                                                       [["inspection", "cut"]]]
    assert saved["teams"][2]["actions"][-1]["kind"] == "budget"
    assert saved["facilitator"] == fac.state_data()
    # continue: the same session, facilitated, in the console
    restored = Facilitator.from_data(save.read())
    assert [team_state(restored.session, i) for i in range(3)] == \
        [team_state(session, i) for i in range(3)]
    pygame.quit()


def test_hidden_kpis_are_hidden_from_the_teams_not_from_the_facilitator():
    app = console_app()
    t, fac = app.ctx.t, app.ctx.session.facilitator
    press(app, t("console.hide"))
    assert not fac.revealed
    assert fac.team_view(0)["kpis"] is None and fac.team_view(0, everything=True)["kpis"]
    assert all(row["kpis"] is None for row in fac.scoreboard()["teams"])
    press(app, t("console.scoreboard"))
    texts = [b.text for b in app.ctx.top.text_blocks()]
    assert t("scoreboard.hidden") in texts and t("scoreboard.hidden_note") in texts
    key(app, pygame.K_ESCAPE)
    press(app, t("console.play_here"))
    from game.panels import DRAWN

    frames(app, 1)
    assert any(t("play.kpis_hidden").startswith(text) for text, _, _ in DRAWN)
    click(app, app.ctx.top.start_button.rect.center)
    press(app, t("console.reveal"))
    assert fac.revealed and fac.team_view(0)["kpis"] is not None
    pygame.quit()


def test_continue_opens_the_console_with_the_facilitators_flags():
    app = console_app()
    t, fac = app.ctx.t, app.ctx.session.facilitator
    press(app, t("console.lock"))
    press(app, t("console.hide"))
    press(app, t("console.start"))
    run_round(app)
    pygame.quit()
    fresh = App((1280, 720), Settings(), fps_cap=0)
    fresh.start(TitleScene(fresh.ctx, "neighbourhood", 3, SHORT, rounds=3))
    click(fresh, fresh.ctx.top.continue_button.rect.center)
    for _ in range(3000):
        if isinstance(fresh.ctx.top, ConsoleScene):
            break
        fresh.frame(1 / 60)
    again = fresh.ctx.session.facilitator
    assert again.locked and not again.revealed and not again.running
    assert [again.session.weeks_played(tm) for tm in again.session.teams] == [ROUND_WEEKS] * 3
    assert json.dumps(again.base.history) == json.dumps(fac.base.history)
    pygame.quit()


# ---------------------------------------------------------------- undo and branch


@pytest.fixture(scope="module")
def two_rounds():
    """Two rounds of three teams: a card that takes effect in the next round, an event."""
    fac = Facilitator.new("neighbourhood", 3, NAMES, rounds=3, overrides=SHORT)
    play(fac, 0, ["few_providers", "integral"])  # few_providers: 13 weeks later
    play(fac, 1, ["shared_dossier"])
    assert fac.predict(1, "client_rating", 6.0) is None
    run(fac)
    after_one = [team_state(fac.session, i) for i in range(3)]
    play(fac, 0, ["pooled"])
    play(fac, 2, ["hire_wijkteam"])
    for _ in range(3):
        fac.step_week() if fac.running else fac.start_round()
    assert fac.inject("flu", 1) is None
    while fac.step_week():
        pass
    after_two = [team_state(fac.session, i) for i in range(3)]
    return fac, after_one, after_two


def test_undo_is_a_replay_that_reaches_the_same_state_bit_for_bit(two_rounds):
    fac, after_one, after_two = two_rounds
    fresh = Facilitator.from_data(json.loads(json.dumps(fac.to_data(), default=save._plain)))
    assert [team_state(fresh.session, i) for i in range(3)] == after_two
    assert fresh.undo_round() is None
    assert [team_state(fresh.session, i) for i in range(3)] == after_one
    assert fresh.session.teams[0].pending[0]["card"] == "few_providers"  # waits again
    # the same decisions again: the same second round, bit for bit
    play(fresh, 0, ["pooled"])
    play(fresh, 2, ["hire_wijkteam"])
    for _ in range(3):
        fresh.step_week() if fresh.running else fresh.start_round()
    fresh.inject("flu", 1)
    while fresh.step_week():
        pass
    assert [team_state(fresh.session, i) for i in range(3)] == after_two


def test_undo_in_the_console_steps_every_team_back(two_rounds):
    fac, after_one, _ = two_rounds
    app = App((1280, 720), Settings(), fps_cap=0)
    fresh = Facilitator.from_data(json.loads(json.dumps(fac.to_data(), default=save._plain)))
    app.ctx.session = fresh.session
    app.start(ConsoleScene(app.ctx))
    frames(app)
    press(app, app.ctx.t("console.undo"))
    assert [team_state(fresh.session, i) for i in range(3)] == after_one
    press(app, app.ctx.t("console.undo"))
    assert all(fresh.session.weeks_played(tm) == 0 for tm in fresh.session.teams)
    assert fresh.undo_round() == "facilitator.why.start"
    pygame.quit()


def test_a_branch_is_the_team_at_that_round_and_plays_on_the_same(two_rounds):
    fac, after_one, after_two = two_rounds
    fresh = Facilitator.from_data(json.loads(json.dumps(fac.to_data(), default=save._plain)))
    app = App((1280, 720), Settings(), fps_cap=0)
    app.ctx.session = fresh.session
    app.start(ConsoleScene(app.ctx))
    frames(app)
    t = app.ctx.t
    press(app, t("console.branch"))  # team A, the first, is chosen
    press(app, t("debrief.round", n=2))
    session = fresh.session
    assert len(session.teams) == 4 and session.teams[3].name == "Team A ↳ 2"
    assert team_state(session, 3) == after_one[0]
    assert [team_state(session, i) for i in range(3)] == after_two  # the others go on as they were
    # the same decisions on the branch give team A's second round, bit for bit
    play(fresh, 3, ["pooled"])
    run(fresh)
    assert session.weeks_played(session.teams[3]) == 2 * ROUND_WEEKS
    assert team_state(session, 3) == after_two[0]
    pygame.quit()


def test_two_branches_from_one_round_are_told_apart():
    fac = Facilitator.new("neighbourhood", 3, ["A"], rounds=2, overrides=SHORT)
    run(fac)
    assert fac.branch(0, 0) is None and fac.branch(0, 0) is None and fac.branch(0, 1) is None
    assert [t.name for t in fac.session.teams] == ["A", "A ↳ 1", "A ↳ 1 #2", "A ↳ 2"]
    assert fac.branch(9, 0) == "facilitator.why.unknown"
    assert fac.branch(0, 5) == "facilitator.why.round"


def test_a_team_without_decisions_is_the_base_run():
    fac = Facilitator.new("neighbourhood", 5, ["A", "B"], rounds=2, overrides=SHORT)
    play(fac, 0, ["integral", "pooled"])
    run(fac)
    session = fac.session
    assert json.dumps(session.teams[1].history) == json.dumps(fac.base.history)
    assert fingerprint(session.teams[1].model) == fingerprint(fac.base.model)
    row = fac.scoreboard()["teams"][1]
    assert all(v == 0 or math.isnan(v) for v in row["versus_base"].values())
    assert all(b in (0, None) for b in row["better"].values())


# ---------------------------------------------------------------- predictions and saves


def test_predictions_are_numbers_scored_in_points():
    assert predictions.points("mean_wait_weeks", 9.0, 9.0, 5.0) == 10
    assert predictions.points("mean_wait_weeks", 9.0, 10.5, 5.0) == 5  # half the tolerance
    assert predictions.points("mean_wait_weeks", 9.0, 12.0, 5.0) == 0
    assert predictions.points("client_rating", 7.0, 7.05, 6.0) == 10
    assert predictions.points("cost_per_week_eur", 110_000, 100_000, 100_000) == 5
    assert predictions.points("client_rating", 7.0, float("nan"), 6.0) is None
    assert predictions.from_input("share_ended_without_further_help", "45") == 0.45
    assert predictions.from_input("mean_wait_weeks", "7,5") == 7.5
    assert predictions.from_input("cost_per_week_eur", "71.000") == 71_000
    assert predictions.check("client_rating", 11) == "predict.why.range"
    assert predictions.check("client_rating", float("inf")) == "predict.why.number"


def test_saves_with_predictions_of_either_kind_are_read_and_mixed_ones_refused():
    fac = Facilitator.new("neighbourhood", 3, ["A"], rounds=2, overrides=SHORT)
    fac.predict(0, "mean_wait_weeks", 5.0)
    data = json.loads(json.dumps(fac.to_data(), default=save._plain))
    save.check(data)
    old = json.loads(json.dumps(data))
    old["teams"][0]["predictions"] = [{"round": 0, "kpi": "mean_wait_weeks", "direction": 1,
                                       "start": 1.0}]
    save.check(old)
    both = json.loads(json.dumps(old))
    both["teams"][0]["predictions"][0]["value"] = 4.0
    with pytest.raises(save.SaveError, match="not both"):
        save.check(both)
    wrong = json.loads(json.dumps(data))
    wrong["teams"][0]["predictions"][0]["value"] = 1.5
    wrong["teams"][0]["predictions"][0]["kpi"] = "share_ended_without_further_help"
    with pytest.raises(save.SaveError, match=r"predictions\[0\].value"):
        save.check(wrong)
    extra = json.loads(json.dumps(data))
    extra["facilitator"]["ready"] = [True, "yes"]
    with pytest.raises(save.SaveError, match=r"facilitator.ready"):
        save.check(extra)
    assert save_schema.MAX_FACILITATED_TEAMS == 12


# ---------------------------------------------------------------- nothing is cut off

COMBOS = [(size, scale, lang) for size in ((1280, 720), (1920, 1080))
          for scale in (1.0, 1.25, 1.5) for lang in ("nl", "en")]
LONG = ["Wijkteam Noord-Oost", "Jeugdzorgregiomaas", "Team met lange naam", "D", "E", "F"]


@pytest.fixture(scope="module")
def full_session():
    """Six teams with long names, each branched once: twelve rows, a played round."""
    fac = Facilitator.new("neighbourhood", 1, LONG, rounds=2, overrides=["run.warmup_weeks=8"])
    play(fac, 0, ["few_providers", "integral"])
    fac.predict(0, "cost_per_week_eur", 71_000)
    run(fac)
    fac.inject("flu", 0)
    for i in range(6):
        assert fac.branch(i, 1 if i % 2 else 0) is None
    return fac


def unfit(scene, screen: pygame.Rect) -> list[str]:
    fnt = ui.font(scene.ctx.px("button"))
    bad = [f"text {b.text!r}" for b in scene.text_blocks()
           if not b.fits() or not screen.contains(b.rect)]
    bad += [f"button {b.text!r}" for b in buttons(scene)
            if b.text and fnt.size(b.text)[0] > b.rect.width - 8]
    return bad


@pytest.mark.parametrize("size,scale,lang", COMBOS,
                         ids=[f"{s[0]}-{int(k * 100)}-{lang}" for s, k, lang in COMBOS])
def test_nothing_in_the_console_or_scoreboard_is_cut(full_session, size, scale, lang):
    app = App(size, Settings(lang=lang, text_scale=scale), fps_cap=0)
    app.ctx.session = full_session.session
    console = ConsoleScene(app.ctx)
    app.start(console)
    frames(app, 1)
    screen = pygame.Rect((0, 0), size)
    bad = []
    for i in (0, 5, 11):
        console.select(i)
        console.say(app.ctx.t("console.branched", team=LONG[1], n=2))
        console.build()
        bad += [f"team {i}: {x}" for x in unfit(console, screen)]
    for dialog in ("events", "branch"):
        console.select(0)
        console.open_events(0) if dialog == "events" else console.open_branch()
        bad += [f"{dialog}: {x}" for x in unfit(console, screen)]
        console.close_dialog()
    full_session.reveal(False)
    console.build()
    bad += [f"hidden: {x}" for x in unfit(console, screen)]
    for revealed in (False, True):
        full_session.reveal(revealed)
        board = ScoreboardScene(app.ctx, console)
        bad += [f"scoreboard: {x}" for x in unfit(board, screen)]
    full_session.reveal(False)  # a team plans at this machine, its KPIs hidden
    console.select(0)
    console.play_here()
    play_scene = app.ctx.top
    for typed in ("", "abc"):
        if typed:
            play_scene.predict(typed)
        frames(app, 1)
        bad += [f"planning {typed!r}: {x}" for x in drawn_unfit(play_scene)]
    full_session.reveal(True)
    assert not bad
    pygame.quit()


def drawn_unfit(scene) -> list[str]:
    """Texts the play scene drew outside their boxes, and button labels wider than the button."""
    from game.panels import DRAWN

    fnt = ui.font(scene.ctx.px("button"))
    bad = [f"{text!r} {rect} {box}" for text, rect, box in DRAWN if not box.contains(rect)]
    return bad + [f"button {b.text!r}" for b in buttons(scene)
                  if b.visible and b.text and fnt.size(b.text)[0] > b.rect.width - 8]


def test_a_storm_of_random_input_on_the_console(save_dir):
    """Random clicks, keys and text through the console and what it opens; a nudge now and
    then starts the round. Nothing crashes, and what was saved is a save the schema accepts."""
    import random

    from test_game_fuzz import random_event

    rng = random.Random(3)
    app = console_app()
    scenes: set[str] = set()
    for n in range(1_000):
        pygame.event.post(random_event(rng, app.ctx.size))
        if n % 8 == 0:
            frames(app, 1, dt=rng.choice([1 / 60, 1 / 10, 0.5]))
        top = app.ctx.top
        if n % 150 == 0 and isinstance(top, ConsoleScene):
            top.close_dialog()
            top.start_round()
        elif n % 150 == 75 and isinstance(top, ConsoleScene):  # stop, step back, look
            top.close_dialog()
            if top.fac.running:
                top.fac.pause()
                top.undo_round()
            top.fac.unlock()
            (top.play_here if n % 300 == 75 else top.open_scoreboard)()
        scenes.add(type(app.ctx.top).__name__)
    frames(app, 3)
    assert "ConsoleScene" in scenes and len(scenes) > 1, scenes
    save.read()
    pygame.quit()


def test_a_round_saved_part_way_comes_back_paused_and_ends_as_if_never_stopped():
    fac = Facilitator.new("neighbourhood", 4, ["A", "B"], rounds=2, overrides=SHORT)
    play(fac, 0, ["shared_dossier"])  # takes effect after four weeks
    assert fac.start_round() is None
    for _ in range(3):
        fac.step_week()
    again = Facilitator.from_data(json.loads(json.dumps(fac.to_data(), default=save._plain)))
    assert again.running == [0, 1] and again.paused
    assert again.play_card(1, "pooled") == "play.why.running"
    while fac.step_week():
        pass
    again.resume()
    while again.step_week():
        pass
    assert [team_state(again.session, i) for i in range(2)] == \
        [team_state(fac.session, i) for i in range(2)]


def test_the_console_runs_the_weeks_in_stages_and_a_key_finishes_the_week():
    """At 25,000 families a week of every team is longer than a frame: the console runs
    it a model stage at a time and keeps answering. A key press first finishes the week
    under way (no team is read half-way through one), and the staged weeks are the
    facilitator's whole weeks, bit for bit."""
    app = console_app()
    t, fac, session = app.ctx.t, app.ctx.session.facilitator, app.ctx.session
    console = app.ctx.top
    press(app, t("console.start"))
    start = fac.base.model.week
    console.tick()
    assert fac.week_running
    console.work(0.0)  # the deadline has passed: one stage, then the frame goes on
    assert fac.week_running and [tm.model.week for tm in session.teams] == [start] * 3
    key(app, pygame.K_SPACE)  # pause: the week under way is finished first
    assert fac.paused and not fac.week_running
    assert [tm.model.week for tm in session.teams] == [start + 1] * 3
    assert fac.base.model.week == start + 1
    whole = Facilitator.new("neighbourhood", 3, NAMES, rounds=3, overrides=SHORT)
    whole.start_round()
    whole.step_week()
    for staged, stepped in zip(session.teams, whole.session.teams, strict=True):
        assert fingerprint(staged.model) == fingerprint(stepped.model)
    assert fingerprint(fac.base.model) == fingerprint(whole.base.model)
    pygame.quit()
