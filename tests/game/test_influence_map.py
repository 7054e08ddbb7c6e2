"""The influence map shows the measured table: sign and size where the interval excludes 0,
"≈ 0" where it does not, where the numbers come from, and the intervals on hover."""

from __future__ import annotations

import html

import pygame
import pytest
from gamehelpers import frames, hover, make_app

from game.cards import POLICY_CARDS
from game.indicators import INDICATORS
from game.panels import DRAWN
from game.scenes import influence
from game.session import Session


@pytest.fixture
def scene():
    app = make_app()
    session = Session("neighbourhood", 1, ["A"], rounds=1, overrides=["run.warmup_weeks=4"])
    session.warm_up()
    app.ctx.session = session
    yield app, lambda: _open(app)
    pygame.quit()


def _open(app):
    scene = influence.InfluenceScene(app.ctx)
    app.ctx.push(scene)
    frames(app, 1)
    return scene


def test_cells_show_the_measured_sign_and_size_and_say_where_they_come_from(scene):
    app, open_ = scene
    table = influence.load_table()
    assert table is not None
    shown = open_()
    t = shown.t
    texts = [text for text, _, _ in DRAWN]
    assert " ".join(texts).count(str(len(table["seeds"]))) >= 1
    assert influence.source_text(t, table) == " ".join(
        text for text in texts if text in influence.source_text(t, table))
    signs = {1: 0, -1: 0, 0: 0}
    for card, _ in shown.pages[0]:
        for ind, (text, _) in zip(INDICATORS, shown.cells(card), strict=True):
            effect = table["cards"][card.id]["effects"][ind.key]
            signs[effect["sign"]] += 1
            if effect["sign"] == 0:
                assert text == influence.NO_EFFECT
            else:
                assert text.startswith("▲" if effect["sign"] > 0 else "▼")
                assert influence.size_text(t, ind, effect["diff"]) in text
            assert text in texts
    assert signs[0] and signs[1] + signs[-1]  # the first page has both kinds
    # a row's tooltip gives the intervals the cells leave out
    first = shown.pages[0][0][0]
    hits = [b for b in shown.manager.get_sprite_group().sprites()
            if getattr(b, "tool_tip_text", None)]
    tip = hover(app, hits[0])
    assert tip is not None and html.unescape(hits[0].tool_tip_text) == influence.tip_text(
        t, first, table["cards"][first.id]["effects"])


def test_without_a_table_the_map_says_how_to_make_one(scene, monkeypatch, tmp_path):
    app, open_ = scene
    monkeypatch.setattr(influence, "TABLE", tmp_path / "missing.json")
    shown = open_()
    texts = " ".join(text for text, _, _ in DRAWN)
    assert "python -m lab.influence" in texts
    assert all(text == "?" for card in POLICY_CARDS for text, _ in shown.cells(card))
