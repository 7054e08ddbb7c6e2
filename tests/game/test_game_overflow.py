"""No translated text overflows its box at 1280x720 and 1920x1080, in Dutch or English."""

from __future__ import annotations

import pygame
import pygame_gui
import pytest
from gamehelpers import make_app

from game import ui
from game.cards import CARDS
from game.indicators import INDICATORS
from game.panels import cost_text, effects_text
from game.scenes.debrief import DebriefScene
from game.scenes.influence import InfluenceScene
from game.scenes.play import PlayScene
from game.scenes.settings import SettingsScene
from game.session import Session
from game.ui import wrap, wrapped_height
from sim.states import FamilyState

SIZES = [(1280, 720), (1920, 1080)]
LANGS = ["nl", "en"]


def buttons_fit(scene) -> list[str]:
    fnt = ui.font(scene.ctx.px("button"))
    bad = []
    for element in scene.manager.get_sprite_group().sprites():
        if isinstance(element, pygame_gui.elements.UIButton) and element.text \
                and fnt.size(element.text)[0] > element.rect.width - 8:
            bad.append(f"{type(scene).__name__}: {element.text!r}")
    return bad


@pytest.fixture(params=[(s, lang) for s in SIZES for lang in LANGS],
                ids=lambda p: f"{p[0][0]}x{p[0][1]}-{p[1]}")
def setup(request):
    size, lang = request.param
    app = make_app(size, lang)
    ctx = app.ctx
    session = Session("neighbourhood", 1, ["Team met een lange naam", "B"], rounds=2,
                      overrides=["run.warmup_weeks=4"])
    session.warm_up()
    ctx.session = session
    yield app, ctx
    pygame.quit()


def test_buttons_fit_in_every_scene(setup):
    app, ctx = setup
    bad = buttons_fit(ctx.top)  # title
    title = ctx.top
    title.set_teams(["Team 1", "Team 2", "Team 3", "Team 4", "Team 5", "Team 6"])
    bad += buttons_fit(title)
    scenes = [SettingsScene(ctx), InfluenceScene(ctx), DebriefScene(ctx)]
    play = PlayScene(ctx)
    scenes.append(play)
    for page in range(3):
        play.set_page(page)
        bad += buttons_fit(play)
    play.start_quarter()
    scenes.append(play)
    for scene in scenes:
        bad += buttons_fit(scene)
    debrief = scenes[2]
    for tab in ("kpis", "charts", "cards", "predictions", "stories"):
        debrief.set_tab(tab)
        bad += buttons_fit(debrief)
    assert not bad


def test_cards_fit_their_tiles_and_the_detail_box(setup):
    app, ctx = setup
    play = PlayScene(ctx)
    tile = play.card_rects[0][0].inflate(-10, -6)
    detail = play.detail_rect.inflate(-16, -12)
    bold, small, body = ctx.font("small", True), ctx.font("small"), ctx.font("body", True)
    beside = play.play_button.rect.width + 8  # the play button sits right of the title
    for card in CARDS:
        title = ctx.t(card.title)
        assert len(wrap(title, bold, tile.width)) <= 2, title
        assert max(bold.size(w)[0] for w in title.split()) <= tile.width, title
        assert small.size(cost_text(ctx.t, card))[0] <= tile.width, card.id
        assert body.size(title)[0] <= detail.width - beside, title
        height = (body.get_linesize() + small.get_linesize() + 4
                  + wrapped_height(ctx.t(card.explain), small, detail.width)
                  + wrapped_height("⚖ " + ctx.t(card.tradeoff), small, detail.width)
                  + small.get_linesize() + 8)
        assert height + small.get_linesize() <= detail.height, (card.id, height, detail.height)
        assert small.size(effects_text(ctx.t, card))[0] <= detail.width, card.id
        assert len(wrap(ctx.t(card.explain), small, detail.width)) <= 2, card.id
        assert len(wrap("⚖ " + ctx.t(card.tradeoff), small, detail.width)) <= 2, card.id


def test_kpi_tiles_bar_legend_and_summary_fit(setup):
    app, ctx = setup
    play = PlayScene(ctx)
    w = ctx.size[0]
    tile_w = play.kpi_rect.width // len(INDICATORS) - 24
    bold, small, body = ctx.font("small", True), ctx.font("small"), ctx.font("body")
    big = ctx.font("title", True)
    for ind in INDICATORS:
        assert bold.size(ctx.t(f"kpi.short.{ind.key}"))[0] <= tile_w
        target = ctx.t("kpi.target", value=ind.show_target()) if ind.target else ""
        widest = {"weeks": 25.0, "share": 1.0, "rating": 10.0, "euro": 120_000, "number": 999}
        assert big.size(ind.show(widest[ind.fmt]))[0] + 8 + small.size(target)[0] <= tile_w
        # summary: long KPI names sit in the left half of the summary box
        assert body.size(ctx.t(f"kpi.{ind.key}"))[0] <= int(w * 0.7 - 40) * 0.5 - 8
    status = ctx.t("play.status", team="Team met een lange naam", round=8, rounds=8, week=13,
                   budget="250")
    buttons = [e.rect.left for e in play.manager.get_sprite_group().sprites()
               if isinstance(e, pygame_gui.elements.UIButton) and e.rect.top < play.bar_rect.bottom]
    assert 12 + ctx.font("title", True).size(status)[0] <= min(buttons) - 8
    legend = play.map.legend_rect
    sw = ui.font(max(10, int(ctx.px("small") * 0.85)))
    labels = [ctx.t(f"state.{s.name.lower()}") for s in FamilyState] + [ctx.t("legend.toxic")]
    x, rows = 0, 1
    for label in labels:
        wid = sw.get_height() + 6 + sw.size(label)[0] + 14
        if x + wid > legend.width:
            x, rows = 0, rows + 1
        x += wid
    assert rows <= 2


def test_title_briefing_and_influence_labels_fit(setup):
    app, ctx = setup
    w, h = ctx.size
    body = ctx.font("body")
    width = int(w * 0.42)
    top = int(h * 0.08) + ctx.font("huge").get_linesize() + ctx.font("title").get_linesize() \
        + int(h * 0.03) + int(body.get_linesize() * 1.4)
    assert top + wrapped_height(ctx.t("title.briefing"), body, width) <= int(h * 0.92)
    rows = len([c for c in CARDS if not c.event])
    row_h = (h - int(h * 0.16) - 10) / (rows + 1)
    fnt = ui.font(max(10, min(ctx.px("small"), int(row_h * 0.8))), True)
    for card in CARDS:
        assert fnt.size(ctx.t(card.title) + " ✓")[0] <= int(w * 0.3)
