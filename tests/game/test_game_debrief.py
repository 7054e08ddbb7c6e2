"""The debrief through the screen: its tabs fit, each export button writes its own format.

Set-up builds a finished two-round session and opens the debrief on it; what
is tested happens through posted clicks and keys.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from html.parser import HTMLParser

import pygame
import pygame_gui
import pytest
from gamehelpers import SHORT, click, frames, key

from game import charts
from game import turning_points as tp
from game.cards import BY_ID
from game.debrief_export import axis_formatter, chart_figure, prediction
from game.fmt import formatter
from game.i18n import Translator
from game.indicators import BY_KEY, INDICATORS
from game.render import BACKGROUND, BAD, GOOD, TEAM_COLOURS
from game.scenes.debrief import TABS, DebriefScene
from game.session import Session
from game.stories import retold_summary

LONG_NAMES = ["Wijkteam Noord-Oost", "Jeugdzorgregiomaas"]  # 18 characters and more


def play_through(names: list[str]) -> Session:
    """A finished two-round session (set-up only): two cards and a prediction a turn."""
    session = Session("neighbourhood", 3, names, rounds=2, overrides=SHORT)
    session.warm_up()
    turns = [("integral", "online_help"), ("outreach", "knowledge"), ("pooled", "network"),
             ("few_providers", "transparency")]
    while not session.finished:
        for card in turns[(session.round * len(names) + session.team_index) % len(turns)]:
            assert session.play_card(card) is None
        assert session.predict("client_rating", 6.5 if session.team_index == 0 else 5.0) is None
        while not session.turn_done():
            session.step_week()
        session.end_turn()
    return session


@pytest.fixture(scope="module")
def session() -> Session:
    return play_through(["Team 1", "Team 2"])


def open_debrief(session, size=(1280, 720), lang="nl", scale=1.0):
    from game.app import App
    from game.scenes.base import Settings

    app = App(size, Settings(lang=lang, text_scale=scale), fps_cap=0)
    app.ctx.session = session
    app.ctx.replace(DebriefScene(app.ctx))
    frames(app)
    return app


@pytest.fixture
def debrief(session):
    app = open_debrief(session)
    yield app
    pygame.quit()


def button(scene, text: str) -> pygame_gui.elements.UIButton:
    for element in scene.manager.get_sprite_group().sprites():
        if isinstance(element, pygame_gui.elements.UIButton) and \
                element.text.removeprefix("✓ ") == text:
            return element
    raise AssertionError(f"no button {text!r}")


def wait_for_export(app, seconds: float = 60.0) -> None:
    scene = app.ctx.top
    end = time.monotonic() + seconds
    while scene.pending or scene.job is not None:
        assert time.monotonic() < end, "the export did not finish"
        app.frame(1 / 60)
        time.sleep(1 / 60)  # as the game's frame cap would: the export thread gets its turn


def press_export(app, rect: pygame.Rect) -> None:
    """A click on an export button, and frames only until the scene has taken it."""
    pos = rect.center
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0),
                                         buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    for _ in range(3):  # the button's own event comes back through the queue
        app.frame(1 / 60)
        if app.ctx.top.pending:
            return


# -- exports ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["png", "pdf", "html"])
def test_each_export_button_writes_its_own_format_and_names_the_file(debrief, save_dir, kind,
                                                                      session):
    app = debrief
    scene = app.ctx.top
    folder = save_dir / "export"
    press_export(app, button(scene, kind.upper()).rect)
    # the busy notice is on screen before any work starts, and the buttons wait
    assert scene.notice == scene.t("debrief.exporting", kind=kind.upper())
    assert scene.notice_drawn and scene.job is None and not folder.exists()
    assert not button(scene, "PNG").is_enabled
    wait_for_export(app)
    files = list(folder.iterdir())
    assert len(files) == 1 and files[0].suffix == f".{kind}"
    assert files[0].name in scene.notice and str(folder) in scene.notice
    assert button(scene, "PNG").is_enabled
    CHECKS[kind](files[0], session)


def check_png(path, session) -> None:
    assert path.read_bytes().startswith(b"\x89PNG")
    image = pygame.image.load(str(path))
    # the six charts, and under them a row of turning points per team
    assert image.get_width() > 1000 and image.get_height() > image.get_width()


def check_pdf(path, session) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    # the KPI table, the charts, the turning points, and per team a page of cards,
    # predictions, its turning points in words and its stories
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 3 + len(session.teams)
    if shutil.which("pdftotext"):
        text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                       text=True, check=True).stdout.split())
        t = Translator("nl")
        assert t("tp.heading") in text
        for team in session.teams:
            assert " ".join(tp.prediction_summary(t, team).split()) in text


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.style = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        if self.tags and self.tags[-1] == "style":
            self.style += data
        else:
            self.text.append(data)


def check_html(path, session) -> None:
    html = path.read_text(encoding="utf-8")
    assert "{{" not in html and "}}" not in html
    parser = _Collect()
    parser.feed(html)
    parser.close()
    text = " ".join(parser.text)
    assert "td, th {" in parser.style and "border-collapse: collapse" in parser.style
    assert {"table", "img", "section", "h2"} <= set(parser.tags)
    assert "data:image/png;base64," in html
    t = Translator("nl")
    for team in session.teams:
        assert t.fmt.number(team.history[-1]["client_rating"], 1) in text
    assert re.search(r"\b\d+,\d\b", text)  # Dutch decimal commas...
    assert not re.search(r"\b\d+\.\d\b", text)  # ...and no points
    for team in session.teams:
        assert team.name in text
        for cards in team.cards:
            for card in cards:
                assert t(BY_ID[card].title) in text
    assert t("family.title", n=0).split()[0] in text  # family stories
    for team in session.teams:  # and how often the team's families told their story again
        assert retold_summary(t, team.model, session.warmup)[1][0] in text
    # predictions and how they scored; turning points with the base run's same weeks
    base = tp.base_model(session)
    assert html.count("data:image/png;base64,") == 2 and t("tp.heading") in text
    for k, team in enumerate(session.teams):
        assert tp.prediction_summary(t, team) in text
        for r in range(session.rounds):
            assert prediction(t, team, r)[0] in text
        for _, _, row in tp.timeline(t, session, k, tp.team_points(session, k, base)):
            assert row in text


CHECKS = {"png": check_png, "pdf": check_pdf, "html": check_html}


def test_a_second_export_adds_only_its_own_file(debrief, save_dir):
    app = debrief
    scene = app.ctx.top
    for kind in ("html", "pdf"):
        click(app, button(scene, kind.upper()).rect.center)
        wait_for_export(app)
    assert sorted(p.suffix for p in (save_dir / "export").iterdir()) == [".html", ".pdf"]


def test_export_axes_use_the_games_units_and_dutch_numbers(session):
    nl = formatter("nl")
    share = BY_KEY["share_ended_without_further_help"]
    assert axis_formatter(share, nl)(0.6, 0) == "60%"
    assert axis_formatter(BY_KEY["client_rating"], nl)(7.5, 0) == "7,5"
    assert axis_formatter(BY_KEY["cost_per_week_eur"], nl)(50_000, 0) == "€\xa050K"
    assert axis_formatter(BY_KEY["client_rating"], formatter("en"))(7.5, 0) == "7.5"
    for ind in INDICATORS:  # the tiles' numbers and the formatter's are one and the same
        for value in (0.0, 0.62, 7.25, 48_000.0, None):
            assert ind.show(value, nl) == nl.shown(value, ind.fmt) == ind.show(value)
    t = Translator("nl")
    fig = chart_figure(session, t)
    fig.canvas.draw()
    axes = {ax.get_title(): ax for ax in fig.axes if ax.get_title()}
    ax = axes[t(f"kpi.{share.key}")]
    assert ax.get_ylim() == (0.0, 1.0)
    assert [x.get_text() for x in ax.get_yticklabels()] == ["0%", "50%", "100%"]
    assert ax.get_ylabel() == "%"
    assert axes[t("kpi.cost_per_week_eur")].get_ylabel() == t("kpi.unit.cost_per_week_eur")
    assert axes[t("kpi.mean_wait_weeks")].get_xlabel() == t("debrief.weeks")


# -- colours and charts ---------------------------------------------------------------


def test_team_colours_are_never_the_colours_of_good_and_bad():
    assert len(set(TEAM_COLOURS)) == len(TEAM_COLOURS) == 6
    assert GOOD not in TEAM_COLOURS and BAD not in TEAM_COLOURS
    assert len(set(charts.TEAM_MARKERS)) == 6
    for c in TEAM_COLOURS:  # and none close to them either
        for sem in (GOOD, BAD):
            assert sum(abs(a - b) for a, b in zip(c, sem, strict=True)) > 90


def _line_rows(surface: pygame.Surface, rect: pygame.Rect, colour) -> list[int]:
    return [y for y in range(rect.top, rect.bottom)
            if any(surface.get_at((x, y))[:3] == colour for x in range(rect.left, rect.right))]


@pytest.mark.parametrize("key_, flat", [("share_ended_without_further_help", 0.5),
                                        ("mean_wait_weeks", 10.0), ("client_rating", 5.5)])
def test_a_flat_series_stays_mid_chart_in_the_fixed_range(key_, flat):
    ind = BY_KEY[key_]
    lo, hi = ind.value_range(flat, [flat] * 30)
    assert (lo, hi) == ind.axis  # the data does not move the range
    assert ind.value_range(flat, [flat * 1.01] * 30) == (lo, hi)
    surface = pygame.Surface((300, 200))
    surface.fill(BACKGROUND)
    rect = pygame.Rect(10, 10, 280, 180)
    colour = (0, 158, 115)
    charts.lines(surface, rect, [[flat] * 30], [colour], None, (), 2, 40, value_range=(lo, hi))
    rows = _line_rows(surface, rect, colour)
    assert rows and abs((min(rows) + max(rows)) / 2 - rect.centery) <= 3


def test_money_gets_a_range_from_its_start_that_grows_only_in_round_steps():
    cost = BY_KEY["cost_per_week_eur"]
    assert cost.value_range(21_000, [21_000, 30_000]) == (0.0, 50_000.0)
    assert cost.value_range(21_000, [21_000, 60_000]) == (0.0, 75_000.0)
    assert cost.value_range(21_000, [21_000, 80_000]) == (0.0, 100_000.0)
    wait = BY_KEY["mean_wait_weeks"]
    assert wait.value_range(5, [5, 23]) == (0.0, 30.0)


# -- the screen ------------------------------------------------------------------------


def test_kpis_rank_every_team_instead_of_comparing_with_team_one(debrief, session):
    scene = debrief.ctx.top
    texts = [b.text for b in scene.plan.texts]
    assert not any("team 1" in x.lower() for x in texts if x not in ("Team 1",))
    t = scene.t
    for ind in INDICATORS:
        a, b = (tm.history[-1][ind.key] for tm in session.teams)
        shown = ind.show(a, t.fmt), ind.show(b, t.fmt)
        assert shown[0] in texts and shown[1] in texts
    assert t("debrief.rank", n=1, of=2) in texts


def test_tabs_open_by_click_and_key_and_title_keeps_the_teams(debrief, session):
    app = debrief
    scene = app.ctx.top
    click(app, button(scene, scene.t("debrief.tab_charts")).rect.center)
    assert scene.tab == "charts"
    key(app, pygame.K_5)
    assert scene.tab == "stories"
    # above each team's families: how often its families told their story again, and why
    texts = [b.text for b in scene.plan.texts]
    for team in session.teams:
        title, (line,) = retold_summary(scene.t, team.model, session.warmup)
        assert texts.count(title) == len(session.teams) and line in texts, (line, texts)
    click(app, button(scene, scene.t("debrief.to_title")).rect.center)
    from game.scenes.title import TitleScene

    assert isinstance(app.ctx.top, TitleScene)
    assert app.ctx.top.team_names == [tm.name for tm in session.teams]


@pytest.fixture(scope="module")
def long_session() -> Session:
    return play_through(LONG_NAMES + ["Zuid"])


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=lambda s: f"{s[0]}")
@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_tab_fits_with_long_names_and_large_text(long_session, size, scale, lang):
    app = open_debrief(long_session, size, lang, scale)
    scene = app.ctx.top
    screen = pygame.Rect((0, 0), size)
    try:
        for tab in TABS:
            click(app, button(scene, scene.t(f"debrief.tab_{tab}")).rect.center)
            assert scene.tab == tab
            for _ in range(len(scene.pages)):
                bad = [(b.text, b.rect) for b in scene.text_blocks()
                       if not b.fits() or not screen.contains(b.rect)]
                assert not bad, (tab, bad)
                blocks = [b.rect for b in scene.plan.texts]
                assert all(scene.body.contains(r) for r in blocks), tab
                key(app, pygame.K_RIGHT)
    finally:
        pygame.quit()
