"""No button text overflows its button in any scene, at both window sizes, three text
sizes and both languages.

Each scene's own tests check its drawn texts (test_game_title, test_game_play_screen,
test_game_map_timeline, test_game_debrief); this one sweeps every button of every scene.
"""

from __future__ import annotations

import pygame
import pygame_gui
import pytest
from gamehelpers import make_app

from game import ui
from game.scenes.debrief import DebriefScene
from game.scenes.influence import InfluenceScene
from game.scenes.play import PlayScene
from game.scenes.settings import SettingsScene
from game.session import Session

SIZES = [(1280, 720), (1920, 1080)]
LANGS = ["nl", "en"]
SCALES = [1.0, 1.25, 1.5]


def buttons_fit(scene) -> list[str]:
    fnt = ui.font(scene.ctx.px("button"))
    bad = []
    for element in scene.manager.get_sprite_group().sprites():
        if isinstance(element, pygame_gui.elements.UIButton) and element.text \
                and fnt.size(element.text)[0] > element.rect.width - 8:
            bad.append(f"{type(scene).__name__}: {element.text!r}")
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
    ctx.session = session
    yield app, ctx
    pygame.quit()


def test_buttons_fit_in_every_scene(setup):
    app, ctx = setup
    bad = buttons_fit(ctx.top)  # title
    scenes = [SettingsScene(ctx), InfluenceScene(ctx), DebriefScene(ctx)]
    play = PlayScene(ctx)
    scenes.append(play)
    for page in range(len(play.pages)):
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
