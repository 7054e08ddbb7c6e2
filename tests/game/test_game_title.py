"""The title and settings screens, driven by posted clicks, keys and mouse moves."""

from __future__ import annotations

import pygame
import pygame_gui
import pytest
from gamehelpers import (
    SHORT,
    assert_tooltip_readable,
    click,
    frames,
    hover,
    key,
    make_app,
    start_game,
)

from game import save, ui
from game.app import App
from game.i18n import LANGUAGES, Translator
from game.indicators import INDICATORS
from game.scenes.base import CHOSEN_MARK, Settings
from game.scenes.settings import SettingsScene
from game.scenes.title import MAX_TEAMS, TitleScene, playable_scenarios

SIZES = [(1280, 720), (1920, 1080)]
SCALES = [1.0, 1.25, 1.5]


def app_at(size=(1280, 720), lang="nl", scale=1.0, **title):
    app = App(size, Settings(lang=lang, text_scale=scale), fps_cap=0)
    app.start(TitleScene(app.ctx, "neighbourhood", 3, SHORT, rounds=2, **title))
    frames(app)
    return app


def widgets(scene, kind=(pygame_gui.elements.UIButton, pygame_gui.elements.UITextEntryLine)):
    return [e for e in scene.manager.get_sprite_group().sprites() if isinstance(e, kind)]


def button(scene, text):
    return next(b for b in widgets(scene, pygame_gui.elements.UIButton) if b.text == text)


def names(title):
    return [e.get_text() for e in title.name_entries]


# -- teams ---------------------------------------------------------------------


def test_plus_and_minus_change_the_teams_and_keep_typed_names():
    app = make_app()
    title = app.ctx.top
    click(app, title.name_entries[0].rect.center)
    for _ in range(len("Team 1")):
        key(app, pygame.K_BACKSPACE)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="Rood"))
    frames(app)
    assert names(title) == ["Rood"]
    for n in range(2, MAX_TEAMS + 1):
        click(app, title.plus_button.rect.center)
        assert len(title.team_names) == n and len(title.name_entries) == n
        assert names(title)[0] == "Rood" and names(title)[-1] == f"Team {n}"
    assert not title.plus_button.is_enabled
    click(app, title.plus_button.rect.center)
    assert len(title.name_entries) == MAX_TEAMS
    for n in range(MAX_TEAMS - 1, 0, -1):
        click(app, title.minus_button.rect.center)
        assert len(title.team_names) == n and len(title.name_entries) == n
    assert names(title) == ["Rood"] and not title.minus_button.is_enabled
    pygame.quit()


def test_two_plus_clicks_start_a_hot_seat_of_three_teams():
    app = make_app()
    title = app.ctx.top
    click(app, title.plus_button.rect.center)
    click(app, title.plus_button.rect.center)
    play = start_game(app)
    assert [t.name for t in play.session.teams] == ["Team 1", "Team 2", "Team 3"]
    pygame.quit()


def test_team_names_given_to_the_title_are_shown():
    app = app_at(team_names=["Rood", "Blauw"])
    assert names(app.ctx.top) == ["Rood", "Blauw"]
    pygame.quit()


def test_a_new_language_keeps_typed_names_and_number():
    app = make_app()
    title = app.ctx.top
    click(app, title.plus_button.rect.center)
    click(app, title.seed_entry.rect.center)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="7"))
    frames(app)
    click(app, button(title, "English").rect.center)
    assert app.ctx.t.lang == "en"
    assert names(title) == ["Team 1", "Team 2"] and title.seed_entry.get_text() == "37"
    pygame.quit()


# -- tooltips ------------------------------------------------------------------


def test_tooltips_on_the_title_show_their_text():
    app = make_app()
    title = app.ctx.top
    t = app.ctx.t
    assert_tooltip_readable(app, hover(app, title.plus_button), t("title.add_team_tip"))
    assert_tooltip_readable(app, hover(app, title.seed_entry), t("title.seed_tip"))
    pygame.quit()


def test_the_predict_and_speed_tooltips_in_play_show_their_text():
    app = make_app()
    play = start_game(app)
    t = app.ctx.t
    predict = button(play, t(f"kpi.short.{INDICATORS[play.predict_kpi].key}"))
    assert_tooltip_readable(app, hover(app, predict), t("play.predict_tip"))
    assert_tooltip_readable(app, hover(app, button(play, "4×")), t("play.speed_tip"))
    pygame.quit()


# -- scenario, marks -------------------------------------------------------------


def test_every_playable_scenario_has_a_name_and_description_in_both_languages():
    for lang in LANGUAGES:
        t = Translator(lang)
        for sid in playable_scenarios():
            assert t.has(f"scenario.{sid}.name") and t.has(f"scenario.{sid}.desc"), (lang, sid)


def test_next_scenario_shows_its_translated_name_and_size():
    app = make_app()
    title = app.ctx.top
    t = app.ctx.t
    order = playable_scenarios()
    start = order.index("neighbourhood")
    for step in (1, 2):
        click(app, button(title, ">").rect.center)
        sid = order[(start + step) % len(order)]
        assert title.scenario == sid
        shown = [b.text for b in title.text_blocks()]
        assert t(f"scenario.{sid}.name") in shown and t(f"scenario.{sid}.desc") in shown
    assert any("25.000 gezinnen" in text and "traag" in text for text in shown)
    pygame.quit()


def test_the_chosen_language_and_text_size_carry_a_mark():
    app = make_app()
    title = app.ctx.top
    assert button(title, CHOSEN_MARK + "Nederlands") and button(title, "English")
    click(app, button(title, "English").rect.center)
    assert button(title, CHOSEN_MARK + "English") and button(title, "Nederlands")
    click(app, button(title, app.ctx.t("title.settings")).rect.center)
    settings = app.ctx.top
    assert isinstance(settings, SettingsScene)
    assert button(settings, CHOSEN_MARK + "100%")
    click(app, button(settings, "150%").rect.center)
    assert app.ctx.settings.text_scale == 1.5
    assert button(settings, CHOSEN_MARK + "150%") and button(settings, "100%")
    pygame.quit()


# -- nothing cut off -------------------------------------------------------------


def clipped(scene, blocks) -> list[str]:
    """Texts that do not fit their box, and boxes that overlap or leave the window."""
    ctx = scene.ctx
    screen = pygame.Rect((0, 0), ctx.size)
    fnt = ui.font(ctx.px("button"))
    bad = []
    boxes = [(b.text, b.rect) for b in blocks]
    for element in widgets(scene):
        boxes.append((getattr(element, "text", "") or "entry", element.rect))
        if isinstance(element, pygame_gui.elements.UIButton):
            w, h = fnt.size(element.text)
            if w > element.rect.width - 8 or h > element.rect.height - 4:
                bad.append(f"button {element.text!r}")
        else:
            body = ui.font(ctx.px("body"))
            if body.get_linesize() + 8 > element.rect.height \
                    or body.size(element.get_text())[0] > element.rect.width - 14:
                bad.append(f"entry {element.get_text()!r}")
    bad += [f"text {b.text[:30]!r}" for b in blocks if not b.fits()]
    for i, (text, rect) in enumerate(boxes):
        if not screen.contains(rect):
            bad.append(f"off screen {text[:30]!r}")
        bad += [f"overlap {text[:20]!r} / {other[:20]!r}" for other, r in boxes[i + 1:]
                if rect.colliderect(r)]
    return bad


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("scale", SCALES)
def test_no_text_on_title_or_settings_is_cut_off(size, lang, scale, save_dir):
    save_dir.mkdir(parents=True)
    save.autosave_path().write_text("{not json")  # continuing shows a notice
    app = app_at(size, lang, scale)
    title = app.ctx.top
    while title.plus_button.is_enabled:
        click(app, title.plus_button.rect.center)
    bad = []
    for _ in playable_scenarios():
        click(app, button(title, ">").rect.center)
        bad += clipped(title, title.text_blocks())
    click(app, title.continue_button.rect.center)
    assert title.message
    bad += clipped(title, title.text_blocks())
    click(app, button(title, app.ctx.t("title.settings")).rect.center)
    settings = app.ctx.top
    bad += clipped(settings, settings.blocks)
    assert not bad, sorted(set(bad))
    pygame.quit()


def test_text_is_never_below_the_floor():
    assert ui.SIZES["small"] >= ui.MIN_PX
    for height in (540, 720, 1080):
        for kind in ui.SIZES:
            assert ui.text_px(kind, height, 1.0) >= ui.MIN_PX * max(height, 720) / 720 - 0.5
