"""Autosave after a round, continue restores exactly; bad saves are reported, never touched."""

from __future__ import annotations

import json
import os

import numpy as np
import pygame
import pytest
from gamehelpers import click, frames, key, make_app, start_game

from game import save
from game.scenes.play import PlayScene
from game.scenes.title import TitleScene
from game.session import Session
from sim.actions import ActionError, HireStaff


def play_one_round(app) -> PlayScene:
    play = start_game(app)
    play.select_card("integral")
    play.play_selected()
    play.select_card("hire_wijkteam")  # delayed: pending across the save
    play.play_selected()
    play.predict("7,5")
    play.start_quarter()
    play.speed = 16
    while play.summary is None:
        app.frame(1 / 10)
    return play


def test_continue_restores_the_same_state(app, save_dir):
    play = play_one_round(app)
    session = play.session
    path = save.autosave_path()
    assert path.exists() and path.parent == save_dir
    data = json.loads(path.read_text())
    assert data["version"] == save.VERSION and data["seed"] == 3
    assert data["teams"][0]["actions"][0]["kind"] == "set"
    kpi, states = dict(session.model.kpi), session.model.families.state.copy()
    log = list(session.model.action_log)

    fresh = make_app()
    title = fresh.ctx.top
    assert isinstance(title, TitleScene) and title.continue_button.is_enabled
    click(fresh, title.continue_button.rect.center)
    for _ in range(3000):
        if isinstance(fresh.ctx.top, PlayScene):
            break
        fresh.app_frame = fresh.frame(1 / 60)
    restored = fresh.ctx.top.session
    assert restored.model.week == session.model.week
    assert restored.model.action_log == log
    assert np.array_equal(restored.model.families.state, states)
    assert json.dumps(restored.model.kpi, sort_keys=True, default=float) == \
        json.dumps(kpi, sort_keys=True, default=float)
    assert restored.team.pending == session.teams[0].pending
    assert restored.round == session.round and restored.team.predictions == \
        session.teams[0].predictions
    # and both go on identically
    for s in (session, restored):
        for _ in range(13):
            s.step_week()
    assert np.array_equal(restored.model.families.state, session.model.families.state)


def test_corrupt_save_gives_a_clear_message_and_is_left_alone(app, save_dir):
    save_dir.mkdir(parents=True)
    path = save.autosave_path()
    path.write_bytes(b'{"format": "samenspel-save", "version": 1, "teams": [tru')
    before = path.read_bytes()
    title = make_app().ctx.top
    fresh = title.ctx
    title.continue_game()
    assert "beschadigd" in title.message
    assert isinstance(fresh.top, TitleScene)
    assert path.read_bytes() == before


def test_incompatible_save_is_reported_and_left_alone(save_dir):
    save_dir.mkdir(parents=True)
    path = save.autosave_path()
    path.write_text(json.dumps({"format": "samenspel-save", "version": 99}))
    before = path.read_bytes()
    app = make_app(lang="en")
    title = app.ctx.top
    title.continue_game()
    frames(app, 1)
    assert "another version" in title.message
    assert path.read_bytes() == before


def _saved_game(**changes) -> dict:
    """A save as the game writes it (one team, round 1 of 2), with some fields changed."""
    data = {
        "format": "samenspel-save", "version": 1, "scenario": "neighbourhood",
        "overrides": ["run.warmup_weeks=52"], "seed": 1, "rounds": 2, "round": 0,
        "team_index": 0, "finished": False,
        "teams": [{"name": "A", "weeks_played": 0, "pending": [], "cards": [[]],
                   "predictions": [], "actions": []}]}
    data.update(changes)
    return data


def test_a_save_the_model_refuses_is_reported_on_the_title(save_dir, monkeypatch):
    save_dir.mkdir(parents=True)
    path = save.autosave_path()
    data = _saved_game(teams=[{"name": "A", "weeks_played": 13, "pending": [],
                               "cards": [["hire_ggz"]], "predictions": [],
                               "actions": [{"week": 52, "kind": "hire", "count": 2,
                                            "domain": "jeugd_ggz"}]}], round=1)
    path.write_text(json.dumps(data))
    before = path.read_bytes()

    def refuse(self, model):  # valid by the schema; the model says no while replaying
        raise ActionError("hire: no provider is contracted for 'jeugd_ggz'")

    monkeypatch.setattr(HireStaff, "apply", refuse)
    app = make_app()
    click(app, app.ctx.top.continue_button.rect.center)
    frames(app, 30)
    assert isinstance(app.ctx.top, TitleScene)
    assert "beschadigd" in app.ctx.message and "jeugd_ggz" in app.ctx.message
    assert path.read_bytes() == before


def _infinite_week(d):
    d["teams"][0]["actions"] = [{"week": float("inf"), "kind": "crisis", "families": 1}]


def _teams(**fields):
    def change(d):
        d["teams"][0].update(fields)
    return change


# One example of every class of damage the fuzzing found, and the field the message names.
DAMAGED = {
    "round missing": (lambda d: d.pop("round"), "round is missing"),
    "rounds mistyped": (lambda d: d.update(rounds="2"), "rounds = '2'"),
    "team_index out of range": (lambda d: d.update(team_index=3), "team_index = 3"),
    "settings added": (lambda d: d.update(settings={}), "settings = {}"),
    "finished not a flag": (lambda d: d.update(finished="no"), "finished = 'no'"),
    "prediction mistyped": (_teams(predictions=[{"round": 0, "kpi": "x", "direction": 1,
                                                 "start": 1.0}]), "predictions[0].kpi"),
    "pending without action": (_teams(pending=[{"week": 60, "card": "integral"}]),
                               "pending[0].action is missing"),
    "week of infinity": (_infinite_week, "actions[0].week = inf"),
    "unknown action": (_teams(actions=[{"week": 52, "kind": "nuke"}]), "kind = 'nuke'"),
    "huge team name": (_teams(name="x" * 1_000_000), "1,000,000 characters"),
    "control character in a name": (_teams(name="A\x00B"), "control characters"),
    "hire of a billion": (_teams(actions=[{"week": 52, "kind": "hire", "count": 10**9,
                                           "domain": "wijkteam"}]), "count = 1000000000"),
    "a parameter no card sets": (_teams(actions=[{"week": 52, "kind": "set",
                                                  "key": "population.families",
                                                  "value": 10**6}]), "key = "),
    "weeks out of step with the round": (_teams(weeks_played=500), "weeks_played = 500"),
    "a card that does not exist": (_teams(cards=[["nope"]]), "cards[0][0] = 'nope'"),
}


def test_damaged_saves_are_refused_by_their_schema_and_left_alone(save_dir):
    save_dir.mkdir(parents=True)
    path = save.autosave_path()
    app = make_app(lang="en")
    title = app.ctx.top
    for name, (damage, words) in DAMAGED.items():
        data = _saved_game()
        damage(data)
        path.write_text(json.dumps(data))
        before = path.read_bytes()
        title.message = ""
        title.build()  # Continue is enabled once there is a file
        click(app, title.continue_button.rect.center)
        frames(app, 5)
        assert isinstance(app.ctx.top, TitleScene), name
        assert "damaged" in title.message and words in title.message, (name, title.message)
        assert len(title.message) < 600, name
        assert path.read_bytes() == before, name


@pytest.mark.parametrize("raw, words", [
    (b'{"format": "samenspel-save", "version": 1, "seed": ' + b"9" * 5000 + b"}",
     "not valid JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "nested"),
    (b"\xff\xfe\x00", "UTF-8"),
    (b'{"format": "samenspel-save", "version": true}', "another version"),
])
def test_unreadable_bytes_are_reported(save_dir, raw, words):
    save_dir.mkdir(parents=True)
    path = save.autosave_path()
    path.write_bytes(raw)
    with pytest.raises(save.SaveError) as caught:
        save.read()
    assert words in str(caught.value)
    assert "left untouched" in str(caught.value) and path.read_bytes() == raw


def test_a_device_or_folder_in_place_of_the_save_is_refused_without_reading_it(save_dir):
    save_dir.mkdir(parents=True)
    path = save.autosave_path()
    path.symlink_to("/dev/zero")  # reading it would never end
    with pytest.raises(save.SaveError, match="not a regular file"):
        save.read()
    with pytest.raises(save.SaveError, match="not a regular file"):
        save.check_location()
    path.unlink()
    path.mkdir()
    with pytest.raises(save.SaveError, match="not a regular file"):
        save.read()


def test_a_new_game_moves_an_unreadable_save_aside_instead_of_overwriting_it(app, save_dir):
    save_dir.mkdir(parents=True)
    path = save.autosave_path()
    path.write_bytes(b'{"format": "samenspel-save", "version": 1, "teams": [tru')
    before = path.read_bytes()
    play = start_game(app)
    play.select_card("integral")
    play.play_selected()  # autosaves
    kept = list(save_dir.glob("autosave.unreadable-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == before
    assert save.read()["teams"][0]["cards"] == [["integral"]]


def test_a_save_folder_that_cannot_be_written_does_not_stop_the_game(app, save_dir, capsys):
    play = start_game(app)
    save_dir.parent.joinpath("blocker").write_text("a file")
    os.environ["SAMENSPEL_SAVE_DIR"] = str(save_dir.parent / "blocker" / "saves")
    play.select_card("integral")
    play.play_selected()
    assert save.last_error and "could not be saved" in capsys.readouterr().err
    assert play.session.team.cards[0] == ["integral"]  # the game went on
    os.environ["SAMENSPEL_SAVE_DIR"] = str(save_dir)
    assert save.write(play.session) == save.autosave_path() and save.last_error == ""


def test_write_is_atomic_and_leaves_no_temp_files(app, save_dir):
    play = start_game(app)
    save.write(play.session)
    save.write(play.session)
    assert sorted(p.name for p in save_dir.iterdir()) == ["autosave.json"]


def test_a_save_written_mid_quarter_restores_that_week_and_goes_on_identically():
    """What a weekly autosave would need: the schema and the replay take a running quarter."""
    session = Session("neighbourhood", 3, ["A", "B"], rounds=2, overrides=["run.warmup_weeks=13"])
    session.warm_up()
    session.play_card("integral")
    session.play_card("hire_wijkteam")  # delayed: still pending at week 5
    for _ in range(5):
        session.step_week()
    restored = save.restore(save.check(json.loads(json.dumps(save.to_data(session),
                                                                 default=float))))
    assert restored.weeks_into_turn() == 5 and restored.team.pending == session.team.pending
    for s in (session, restored):
        while not s.turn_done():
            s.step_week()
    assert np.array_equal(restored.model.families.state, session.model.families.state)


def test_a_failed_autosave_is_shown_on_the_play_screen(tmp_path, monkeypatch):
    """Saving into a folder that is a file fails; the game goes on and says so on screen."""
    from game.panels import DRAWN

    app = make_app()
    play = start_game(app)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("SAMENSPEL_SAVE_FILE", str(blocker / "autosave.json"))
    key(app, pygame.K_PERIOD)  # one week: the weekly autosave fails
    assert save.last_error
    frames(app, 1)
    assert any(play.t("play.save_failed", reason=save.last_error)[:20] in text
               for text, _, _ in DRAWN)
    week = play.session.model.week
    key(app, pygame.K_PERIOD)
    assert play.session.model.week == week + 1  # play goes on
    monkeypatch.delenv("SAMENSPEL_SAVE_FILE")
    key(app, pygame.K_PERIOD)
    assert not save.last_error  # and the warning goes once saving works again


@pytest.mark.parametrize("text", ['{"lang": "xx", "text_scale": 7, "fullscreen": "yes"}',
                                  "[" * 5000 + "]" * 5000, '{"text_scale": true}', "\x00\xff"])
def test_damaged_settings_fall_back_to_defaults(save_dir, text):
    from game.scenes.base import Settings

    save_dir.mkdir(parents=True, exist_ok=True)
    (save_dir / "settings.json").write_text(text, encoding="utf-8", errors="surrogateescape")
    settings = Settings.load()
    assert settings.lang in ("nl", "en") and settings.text_scale in (1.0, 1.25, 1.5)
    assert isinstance(settings.fullscreen, bool)
