"""No text is cut off, anywhere: every scene, both window sizes, three text sizes, both
languages.

One app per parameter set walks through the game as a workshop does - title,
settings, loading, every page of cards, a card's page, a tooltip, the
facilitator's events, the running quarter with every overlay, a family's
timeline, the summary, the hand-over, the influence map and every tab and page
of the debrief - and after each frame checks what was drawn:

- every button's text fits its button, and every button is on the screen;
- every line the scenes note as drawn (`panels.DRAWN`: cards, panels, the map's
  buildings, legend and overlays, chart labels, the timeline's head) lies inside
  the box it belongs to, and that box on the screen;
- every text block of the scenes that lay out blocks (title, settings,
  debrief) fits its box;
- the family timeline has no line wider than its panel, and a tooltip's words
  each fit its width (so wrapping never cuts one) while it stays on the screen.
"""

from __future__ import annotations

import html

import pygame
import pygame_gui
import pytest
from gamehelpers import frames, hover, make_app

from game import ui
from game.cards import POLICY_CARDS
from game.panels import DRAWN
from game.scenes.debrief import TABS, DebriefScene
from game.scenes.influence import InfluenceScene
from game.scenes.loading import LoadingScene
from game.scenes.play import PlayScene
from game.scenes.settings import SettingsScene
from game.session import Session
from sim.states import FamilyState

SIZES = [(1280, 720), (1920, 1080)]
LANGS = ["nl", "en"]
SCALES = [1.0, 1.25, 1.5]


def buttons(scene) -> list[pygame_gui.elements.UIButton]:
    return [e for e in scene.manager.get_sprite_group().sprites()
            if isinstance(e, pygame_gui.elements.UIButton) and e.visible]


def buttons_fit(scene) -> list[str]:
    """Texts wider than their button, and buttons off the screen."""
    fnt = ui.font(scene.ctx.px("button"))
    screen = pygame.Rect((0, 0), scene.ctx.size)
    bad = []
    for element in buttons(scene):
        if element.text and fnt.size(element.text)[0] > element.rect.width - 8:
            bad.append(f"button text {element.text!r}")
        if not screen.contains(element.rect):
            bad.append(f"button off the screen {element.text!r} {element.rect}")
    return bad


def drawn_fit(scene, modal: pygame.Rect | None = None) -> list[str]:
    """Noted lines outside their box, boxes off the screen, text blocks that do not fit."""
    screen = pygame.Rect((0, 0), scene.ctx.size)
    bad = []
    for text, rect, box in DRAWN:
        if modal is not None and not modal.contains(box):
            continue
        if not box.contains(rect):
            bad.append(f"out of its box {text!r} {rect} {box}")
        elif not screen.contains(rect):
            bad.append(f"off the screen {text!r} {rect}")
    for block in getattr(scene, "text_blocks", lambda: [])():
        if not block.fits() or not screen.contains(block.rect):
            bad.append(f"text block {block.text[:50]!r} {block.rect}")
    for block in getattr(scene, "blocks", []):
        if not block.fits() or not screen.contains(block.rect):
            bad.append(f"text block {block.text[:50]!r} {block.rect}")
    return bad


NOTED: set[str] = set()  # every text noted as drawn, to show the sweep saw them


def check(app, scene, where: str, modal=None) -> list[str]:
    DRAWN.clear()
    if isinstance(scene, DebriefScene):
        scene.picture = None  # drawn once per layout: draw it again for the notes
    frames(app, 1)
    NOTED.update(text for text, _, _ in DRAWN)
    return [f"{where}: {x}" for x in buttons_fit(scene) + drawn_fit(scene, modal)]


def tooltip_words_fit(scene) -> list[str]:
    """Every word of every tooltip fits the tooltip's width: wrapping never has to cut one."""
    px = scene.ctx.px("small")
    width = px * ui.TOOLTIP_EMS - 16
    fnt = ui.font(px)
    bad = []
    for element in buttons(scene):
        tip = element.tool_tip_text
        if tip:
            bad += [f"tooltip word {w!r}" for w in html.unescape(tip).split()
                    if fnt.size(w)[0] > width]
    return bad


@pytest.fixture(params=[(s, lang, k) for s in SIZES for lang in LANGS for k in SCALES],
                ids=lambda p: f"{p[0][0]}x{p[0][1]}-{p[1]}-{int(p[2] * 100)}")
def setup(request):
    size, lang, scale = request.param
    app = make_app(size, lang)
    ctx = app.ctx
    ctx.settings.text_scale = scale
    ctx.rebuild_all()
    session = Session("neighbourhood", 1, ["Team met een lange naam", "B"], rounds=2,
                      overrides=["run.warmup_weeks=4"])
    session.warm_up()
    yield app, ctx, session
    pygame.quit()


def test_no_text_is_cut_off_in_any_scene(setup):
    app, ctx, session = setup
    t = ctx.t
    NOTED.clear()
    bad = check(app, ctx.top, "title")
    ctx.push(SettingsScene(ctx))
    bad += check(app, ctx.top, "settings")
    ctx.pop()
    loading = LoadingScene(ctx, iter(()), t("load.warmup"))
    if ctx.font("title", True).size(loading.label)[0] > ctx.size[0]:
        bad.append(f"loading label {loading.label!r}")

    ctx.session = session
    play = PlayScene(ctx)
    ctx.replace(play)
    for page in range(len(play.pages)):
        play.set_page(page)
        bad += check(app, play, f"cards page {page + 1}")
        bad += tooltip_words_fit(play)
    tip = hover(app, next(b for b in buttons(play) if b.tool_tip_text))
    assert tip is not None and tip.alive()
    if not pygame.Rect((0, 0), ctx.size).contains(tip.rect):
        bad.append(f"tooltip off the screen {tip.rect}")
    longest = max((t(c.title) for c in POLICY_CARDS), key=len)
    play.notice = t("play.played", card=longest)
    play.build()
    bad += check(app, play, "notice")
    play.select_card("experiment")
    bad += check(app, play, "card page")
    play.deselect()
    play.toggle_events()
    bad += check(app, play, "events", play.events_rect)
    play.toggle_events()

    play.overlays = {"trust", "innovation", "budget"}
    play.start_quarter()
    play.speed = 0
    for _ in range(6):
        session.step_week()
    play.build()
    bad += check(app, play, "running, every overlay")
    play.overlays = set()
    fam = session.model.families
    busy = [f for f in range(fam.n) if fam.state[f] == FamilyState.IN_CARE]
    play.show_family(busy[0] if busy else 0)
    bad += check(app, play, "family")
    bad += [f"timeline line wider than its panel {x!r}" for x in play.timeline._laid.wider]
    play.timeline.scroll(10 ** 6)
    bad += check(app, play, "family, scrolled to its start")
    play.close_family()
    while play.summary is None:
        play.tick()
    bad += check(app, play, "summary", play.summary_rect)
    play.close_summary()
    bad += check(app, play, "hand-over")
    play.confirm_handover()

    influence = InfluenceScene(ctx)
    ctx.push(influence)
    for page in range(len(influence.pages)):
        influence.turn(page - influence.page)
        bad += check(app, influence, f"influence page {page + 1}")
        bad += tooltip_words_fit(influence)
    ctx.pop()

    while not session.finished:
        while not session.turn_done():
            session.step_week()
        session.end_turn()
    debrief = DebriefScene(ctx)
    ctx.replace(debrief)
    for tab in TABS:
        debrief.set_tab(tab)
        for page in range(len(debrief.pages)):
            debrief.turn_page(page - debrief.page)
            bad += check(app, debrief, f"debrief {tab} page {page + 1}")
    assert not bad, "\n".join(bad)
    # the sweep saw the map's key and buildings, an overlay's note, chart labels, the
    # timeline's head and the influence map's cells
    target = t("kpi.target", value=t.fmt.number(4))
    expected = {t("map.square"), t("map.provider_n", n=1), t("map.budget_legend"), target,
                t("family.title", n=busy[0] if busy else 0), "≈ 0",
                t("debrief.round_short", n=2)}
    assert expected <= NOTED, expected - NOTED
