"""The play screen as a workshop meets it: events, arrows, hand-over, and text that fits."""

from __future__ import annotations

import pygame
import pygame_gui
import pytest
from gamehelpers import click, frames, key, start_game

from game import panels, save
from game.app import App
from game.cards import BY_ID, EVENT_CARDS, POLICY_CARDS
from game.fmt import formatter
from game.indicators import BY_KEY
from game.panels import DRAWN, change, draw_detail, effects_lines
from game.render import BAD, GOOD, TEAM_COLOURS
from game.scenes.base import Settings
from game.scenes.influence import InfluenceScene
from game.scenes.play import PlayScene
from game.session import Session

EVENT_IDS = {c.id for c in EVENT_CARDS}


def visible_buttons(scene) -> list[pygame_gui.elements.UIButton]:
    """Buttons that show themselves (a card's see-through hit area does not)."""
    return [e for e in scene.manager.get_sprite_group().sprites()
            if isinstance(e, pygame_gui.elements.UIButton) and e.visible
            and "#card_hit" not in e.object_ids]


def drawn(app, box: pygame.Rect | None = None) -> list[str]:
    """The texts drawn in the last frame (inside `box`, if given)."""
    frames(app, 1)
    return [text for text, rect, _ in DRAWN if box is None or box.contains(rect)]


def pages_by_clicking(app, play: PlayScene) -> list[list[str]]:
    """Every card page, reached by clicking its tab."""
    seen = []
    tabs = [b for b in visible_buttons(play) if b.rect.top == play.panel.top]
    for i in range(len(tabs)):
        tab = [b for b in visible_buttons(play) if b.rect.top == play.panel.top][i]
        click(app, tab.rect.center)
        assert play.page == i
        seen.append([c for _, c in play.card_rects])
    return seen


def run_quarter(app, play: PlayScene) -> None:
    click(app, play.start_button.rect.center)
    play.speed = 16
    for _ in range(400):
        if play.summary is not None:
            return
        frames(app, 1, dt=0.1)
    raise AssertionError("the quarter did not end")


def test_events_are_not_among_the_teams_cards_and_cannot_be_clicked(app):
    play = start_game(app)
    pages = pages_by_clicking(app, play)
    shown = [c for page in pages for c in page]
    assert sorted(shown) == sorted(c.id for c in POLICY_CARDS)
    assert not EVENT_IDS & set(shown)
    # click every tile of the last page and the empty space below it, where events used to be
    last = play.card_rects[-1][0]
    for pos in [r.center for r, _ in play.card_rects] + [(last.centerx, last.bottom + 20)]:
        if play.selected:
            click(app, play.back_button.rect.center)
        click(app, pos)
        assert play.selected not in EVENT_IDS
    assert play.session.model.action_log == []


def test_the_facilitator_key_injects_events_as_logged_actions(app):
    play = start_game(app)
    model = play.session.model
    assert not play.events_open
    key(app, pygame.K_F9)
    assert play.events_open
    kinds = []
    for card in EVENT_CARDS:
        if not play.events_open:  # Ctrl+E opens it too
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_e,
                                                 mod=pygame.KMOD_CTRL, unicode="", scancode=0))
            frames(app, 2)
        assert play.events_open
        button = next(b for cid, b, _, _ in play.event_rows if cid == card.id)
        click(app, button.center)
        assert not play.events_open
        kinds.append(model.action_log[-1]["kind"])
        assert model.action_log[-1]["week"] == model.week
    assert kinds == ["flu_wave", "crisis", "bankrupt", "set", "budget"]
    actions = save.to_data(play.session)["teams"][0]["actions"]
    assert [a["kind"] for a in actions] == kinds
    assert play.session.team.budget_left(0) == 250_000  # events cost the team nothing
    run_quarter(app, play)
    text = " ".join(drawn(app, play.summary_rect))
    assert all(play.t(c.title) in text for c in EVENT_CARDS), text


def test_summary_arrows_follow_the_shown_values(app):
    play = start_game(app)
    run_quarter(app, play)
    rows = [x for x in drawn(app, play.summary_rect) if "→" in x]
    assert len(rows) == 6
    for row in rows:
        before, rest = (x.strip() for x in row.split("→"))
        after = rest.split("  ")[0]
        if "–" in (before, after):  # unknown: no arrow at all
            assert rest == after, row
        else:
            assert (before == after) == rest.endswith("="), row
    # the walkthrough's case: 45% → 45% and €27K → €27K carried an arrow
    nl = formatter("nl")
    assert change(BY_KEY["professional_satisfaction"], 0.4504, 0.4496, nl)[0] == "="
    assert change(BY_KEY["cost_per_week_eur"], 26_600, 27_400, nl)[0] == "="
    assert change(BY_KEY["mean_wait_weeks"], 11.8, 15.6, nl) == ("▲", BAD)
    assert change(BY_KEY["client_rating"], 6.8, 6.9, nl) == ("▲", GOOD)


def test_card_effects_are_the_measured_ones_in_words(app):
    """A card's page says what the card did in paired model runs (the influence table),
    better and worse in words with the size, or that nothing measurable changed."""
    from game import influence_table

    play = start_game(app)
    t = play.t
    better, worse = t("card.better", kpis=""), t("card.worse", kpis="")
    notes = {t("card.measured"), t("card.no_effect"), t("card.expected")}
    for card in POLICY_CARDS:
        measured = influence_table.card_effects(card.id)
        lines = effects_lines(t, card)
        for text, good in lines:
            if good is None:
                assert text in notes, text
            else:
                assert text.startswith(better if good else worse), text
        signed = [k for k, e in (measured or {}).items() if e.get("sign")]
        if measured is not None and not signed:
            assert lines == [(t("card.no_effect"), None)], (card.id, lines)
    # a card the table says made one KPI better and another worse: its page says both
    chosen = next(c.id for c in POLICY_CARDS
                  if {good for _, good in effects_lines(t, c)} >= {True, False})
    for page in range(len(play.pages)):
        play.set_page(page)
        frames(app, 1)
        if any(c == chosen for _, c in play.card_rects):
            break
    rect = next(r for r, c in play.card_rects if c == chosen)
    click(app, rect.center)
    assert play.selected == chosen
    lines = drawn(app, play.detail_rect)
    assert any(x.startswith(better) for x in lines), (chosen, lines)
    assert any(x.startswith(worse) for x in lines), (chosen, lines)


def bar_texts(app, play) -> list[str]:
    frames(app, 1)
    return [text for text, rect, _ in DRAWN if play.bar_rect.colliderect(rect)]


def test_hand_over_names_the_next_team_before_its_turn(app):
    title = app.ctx.top
    title.set_teams(["Team 1", "Team 2"])
    play = start_game(app)
    assert "Team 1" in bar_texts(app, play)
    stripe = (5, play.bar_rect.bottom - 2)
    assert tuple(app.screen.get_at(stripe))[:3] == TEAM_COLOURS[0]
    run_quarter(app, play)
    assert play.session.team_index == 1  # the session has moved on...
    assert "Team 1" in bar_texts(app, play)  # ...but the bar shows who finished
    assert "Team 2" not in " ".join(bar_texts(app, play))
    click(app, play.next_button.rect.center)
    assert play.handover and play.summary is None
    texts = drawn(app)
    assert play.t("handover.title", team="Team 2") in texts
    assert not any("Team 2" in x for x in bar_texts(app, play))
    click(app, play.panel.center)  # the cards are not there to be clicked
    assert play.selected is None and play.handover
    key(app, pygame.K_1)  # nor do the speed keys start the quarter
    assert play.phase == "planning" and play.session.weeks_into_turn() == 0
    click(app, play.handover_button.rect.center)
    assert not play.handover
    assert "Team 2" in bar_texts(app, play)
    assert tuple(app.screen.get_at(stripe))[:3] == TEAM_COLOURS[1]


# -- nothing cut, nothing covered ------------------------------------------------------


def clipped(scene, modal: pygame.Rect | None = None) -> list[str]:
    """Button texts wider or taller than their button; drawn texts out of their box or
    under a button. With a dialog open, only what is drawn in the dialog counts."""
    fnt = scene.ctx.font("button")
    buttons = visible_buttons(scene)
    bad = [f"button {b.text!r}" for b in buttons if b.text and (
        fnt.size(b.text)[0] > b.rect.width - 8 or fnt.get_height() > b.rect.height)]
    for text, rect, box in DRAWN:
        if modal is not None and not modal.contains(box):
            continue
        if not box.contains(rect):
            bad.append(f"out of its box {text!r} {rect} {box}")
        if any(b.rect.colliderect(rect) for b in buttons):
            bad.append(f"under a button {text!r}")
    return bad


def layout_app(size, scale, lang):
    app = App(size, Settings(lang=lang, text_scale=scale), fps_cap=0)
    session = Session("neighbourhood", 1, ["Team met een lange naam", "B"], rounds=2,
                      overrides=["run.warmup_weeks=4"])
    session.warm_up()
    app.ctx.session = session
    play = PlayScene(app.ctx)
    app.ctx.replace(play)
    return app, play


def check(app, scene, where: str, modal=None) -> list[str]:
    frames(app, 1)
    return [f"{where}: {x}" for x in clipped(scene, modal)]


COMBOS = [(size, scale, lang) for size in ((1280, 720), (1920, 1080))
          for scale in (1.0, 1.25, 1.5) for lang in ("nl", "en")]


@pytest.mark.parametrize("size,scale,lang", COMBOS,
                         ids=[f"{s[0]}-{int(k * 100)}-{lang}" for s, k, lang in COMBOS])
def test_nothing_on_the_play_screen_is_cut_or_covered(size, scale, lang):
    app, play = layout_app(size, scale, lang)
    longest = max((play.t(c.title) for c in POLICY_CARDS), key=len)
    bad = []
    for page in range(len(play.pages)):
        play.set_page(page)
        bad += check(app, play, f"cards page {page + 1}")
    play.notice = play.t("play.played", card=longest)
    play.predict("12,5")
    play.build()
    bad += check(app, play, "notice")
    play.select_card("experiment")
    for card in POLICY_CARDS:  # every card's page fits the box a card page gets
        end = draw_detail(None, app.ctx, play.detail_rect, card.id)
        if end > play.detail_rect.bottom:
            bad.append(f"card page {card.id}: {end} > {play.detail_rect.bottom}")
    bad += check(app, play, "card page")
    play.session.play_card("experiment")
    play.build()
    bad += check(app, play, "card page, played")
    play.deselect()
    play.toggle_events()
    bad += check(app, play, "events", play.events_rect)
    play.toggle_events()
    play.overlays = {"trust", "innovation", "budget"}
    play.start_quarter()
    play.speed = 0
    for _ in range(6):
        play.session.step_week()
    bad += check(app, play, "running")
    while play.summary is None:
        play.tick()
    bad += check(app, play, "summary", play.summary_rect)
    play.close_summary()
    bad += check(app, play, "hand-over")
    play.confirm_handover()
    bad += check(app, play, "team B")
    influence = InfluenceScene(app.ctx)
    app.ctx.push(influence)
    for page in range(len(influence.pages)):
        influence.turn(page - influence.page)
        bad += check(app, influence, f"influence page {page + 1}")
    pygame.quit()
    assert not bad, "\n".join(bad)


def test_long_compounds_break_after_their_hyphen(app):
    bold = app.ctx.font("small", True)
    width = bold.size("Lumpsum-")[0] + 2
    assert panels.wrap_text("Lumpsum-contract", bold, width) == ["Lumpsum-", "contract"]
    assert panels.wrap_text("Betalen per uur", bold, 10_000) == ["Betalen per uur"]


def test_an_event_during_the_quarter_is_logged_kept_apart_and_survives_a_restore(app):
    from game.session import run_all

    play = start_game(app)
    session = play.session
    click(app, play.start_button.rect.center)  # the quarter runs
    for _ in range(400):
        if session.weeks_into_turn() >= 3:
            break
        app.frame(0.05)
    key(app, pygame.K_SPACE)  # pause
    week = session.model.week
    key(app, pygame.K_F9)
    button = next(b for cid, b, _, _ in play.event_rows if cid == "flu")
    click(app, button.center)
    assert session.model.action_log[-1] == {"week": week, **BY_ID["flu"].action_dict()}
    assert session.team.events[0] == ["flu"] and session.team.cards[0] == []
    assert session.can_play("flu") == "play.why.event"  # never a team's card
    data = save.to_data(session)
    assert data["teams"][0]["events"] == [["flu"]]
    restored = run_all(save.restore_steps(data))
    assert restored.team.events == [["flu"]]
    assert restored.model.action_log == session.model.action_log
    assert repr(restored.model.kpi) == repr(session.model.kpi)
