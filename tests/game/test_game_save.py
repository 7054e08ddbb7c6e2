"""Autosave after a round, continue restores exactly; bad saves are reported, never touched."""

from __future__ import annotations

import json

import numpy as np
from gamehelpers import click, frames, make_app, start_game

from game import save
from game.scenes.play import PlayScene
from game.scenes.title import TitleScene


def play_one_round(app) -> PlayScene:
    play = start_game(app)
    play.select_card("integral")
    play.play_selected()
    play.select_card("hire_wijkteam")  # delayed: pending across the save
    play.play_selected()
    play.predict(+1)
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


def test_a_save_the_model_refuses_is_reported_on_the_title(save_dir):
    save_dir.mkdir(parents=True)
    path = save.autosave_path()
    path.write_text(json.dumps({
        "format": "samenspel-save", "version": 1, "scenario": "neighbourhood",
        "overrides": ["run.warmup_weeks=52"], "seed": 1, "rounds": 2, "round": 0,
        "team_index": 0, "teams": [{"name": "A", "weeks_played": 3, "pending": [],
                                    "cards": [[]], "predictions": [],
                                    "actions": [{"week": 1, "kind": "nonsense"}]}]}))
    before = path.read_bytes()
    app = make_app()
    app.ctx.top.continue_game()
    frames(app, 30)
    assert isinstance(app.ctx.top, TitleScene)
    assert "beschadigd" in app.ctx.message
    assert path.read_bytes() == before


def test_write_is_atomic_and_leaves_no_temp_files(app, save_dir):
    play = start_game(app)
    save.write(play.session)
    save.write(play.session)
    assert sorted(p.name for p in save_dir.iterdir()) == ["autosave.json"]
