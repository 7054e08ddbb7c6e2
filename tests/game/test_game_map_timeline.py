"""The map's overlays and texts, and a family's timeline, driven by real events.

The games here use the short warm-up (gamehelpers.SHORT): a year before the
start, so a family's story has a "before the game" part as well.
"""

from __future__ import annotations

import re

import pygame
import pytest
from gamehelpers import SHORT, click, frames, key, make_app, start_game

from game import mapview, render, stories, turning_points, ui
from game.i18n import LANGUAGES, Translator, load
from game.scenes.base import Settings
from sim.domains import SILOS
from sim.payers import is_municipal

PLURAL_WORDS = {
    "nl": {"kinderen", "weken", "gezinnen", "crisismeldingen", "signalen", "ideeën",
           "professionals", "hulptrajecten", "wachten", "banden"},
    "en": {"children", "weeks", "years", "families", "times", "signals", "reports", "ideas",
           "professionals", "trajectories", "ties"},
}
SINGULAR_WORDS = {
    "nl": {"kind", "week", "gezin", "crisismelding", "signaal", "idee", "professional",
           "hulptraject", "wacht", "band"},
    "en": {"child", "week", "year", "family", "time", "signal", "report", "idea", "professional",
           "trajectory", "tie"},
}
ADJECTIVES = {"nieuw", "nieuwe", "new", "care"}
ORG_WORDS = re.compile(r"aanbieder|wijkteam", re.IGNORECASE)


def timeline_of(play):
    """The play scene's family panel (game.timeline_view.FamilyTimeline)."""
    if not hasattr(play, "timeline"):
        pytest.skip("the play scene does not draw the family panel with FamilyTimeline yet")
    return play.timeline


def run_weeks(app, play, weeks: int) -> None:
    """Week by week with the single-step key, as a facilitator would."""
    start = play.session.model.week
    for _ in range(weeks):
        key(app, pygame.K_PERIOD)
    assert play.session.model.week == start + weeks


def played_families(play, kinds=stories.TIMELINE_KINDS - {"new_family"}) -> list[int]:
    """Families with an event of `kinds` since the start of the game, most events first."""
    model, start = play.session.model, play.session.warmup
    counts: dict[int, int] = {}
    for e in model.events:
        if e["week"] >= start and e.get("family") is not None and e["kind"] in kinds:
            counts[e["family"]] = counts.get(e["family"], 0) + 1
    return sorted(counts, key=lambda f: (-counts[f], f))


def counted(text: str, n: int) -> str | None:
    """The word a number counts: the first after it that is not an adjective."""
    match = re.search(rf"\b{n}\s+(.*)", text)
    if match is None:
        return None
    words = [w.strip(".,;:()").lower() for w in match.group(1).split()]
    words = [w for w in words if w not in ADJECTIVES]
    return words[0] if words else None


def flat(texts: list[str]) -> str:
    return " ".join(" ".join(texts).split())


# -- the family timeline -------------------------------------------------------------

def test_a_family_clicked_during_the_game_shows_the_weeks_played(app):
    play = start_game(app)
    run_weeks(app, play, 8)
    model, t = play.session.model, play.t
    f = played_families(play)[0]
    click(app, play.map.house_centre(f, model.families.n))
    view = timeline_of(play)
    assert play.family == f and view.family == f
    frames(app, 1)
    text = flat(view.texts)
    assert t("family.during_round", round=1) in text and t("family.before") in text
    played = [e for e in model.timeline(f) if e["week"] >= play.session.warmup
              and e["kind"] in stories.TIMELINE_KINDS]
    assert played, "the family was picked for events in the weeks played"
    for e in played:
        assert stories.when(t, e["week"], play.session.warmup, in_round=True) + ":" in text
        assert stories.event_body(t, e) in text
    # newest first: the round's section comes before the part before the game
    assert text.index(t("family.during_round", round=1)) < text.index(t("family.before"))
    # every kind of event the weeks logged has its own sentence in both languages
    told = {stories._key(e) for e in model.events if e["kind"] in stories.TIMELINE_KINDS}
    for lang in LANGUAGES:
        assert all(Translator(lang).has(k) for k in told), (lang, told)
    # the family's state now, its problems and its stress in plain words
    assert stories.stress_line(t, model, f) in text
    assert stories.problems_line(t, model, f) in text


def test_the_timeline_scrolls_with_the_mouse_wheel_and_the_keys(app):
    play = start_game(app)
    run_weeks(app, play, 3)
    model = play.session.model
    f = max(range(model.families.n), key=lambda g: (len(model.timeline(g)), -g))
    click(app, play.map.house_centre(f, model.families.n))
    view = timeline_of(play)
    frames(app, 1)
    assert view.offset == 0 and view.max_offset > 0, "this story is longer than the panel"
    top = list(view.shown)
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False,
                                         precise_x=0.0, precise_y=-1.0))
    frames(app, 2)
    assert view.offset > 0 and view.shown != top
    key(app, pygame.K_END)
    assert view.offset == view.max_offset
    assert view.texts[-1] in view.shown  # the oldest event can be reached
    key(app, pygame.K_UP)
    assert 0 < view.offset < view.max_offset
    key(app, pygame.K_HOME)
    assert view.offset == 0 and view.shown == top
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False,
                                         precise_x=0.0, precise_y=1.0))
    frames(app, 2)
    assert view.offset == 0  # not above the top
    key(app, pygame.K_ESCAPE)
    assert play.family is None


def test_english_stories_name_organisations_in_english():
    app = make_app(lang="en")
    try:
        play = start_game(app)
        run_weeks(app, play, 6)
        model, t = play.session.model, play.t
        providers = played_families(play, {"care_start", "care_end", "sent_back",
                                           "no_wrong_door"})
        f = providers[0] if providers else played_families(play)[0]
        click(app, play.map.house_centre(f, model.families.n))
        frames(app, 1)
        texts = timeline_of(play).texts
        assert texts and not ORG_WORDS.search(flat(texts)), flat(texts)
        debrief = [line for g in stories.interesting_families(model, 0, 6)
                   for line in stories.family_story(t, model.timeline(g), play.session.warmup)]
        assert debrief and not [line for line in debrief if ORG_WORDS.search(line)]
        assert any("Provider" in line for line in debrief)
        # every sentence starts with a capital, also when it starts with a field
        for g in stories.interesting_families(model, 0, 6):
            for _, lines in stories.story_sections(t, model, g, play.session.warmup):
                assert all(body[:1].isupper() or body[:1].isdigit() for _, body in lines)
    finally:
        pygame.quit()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_count_takes_its_plural_form(lang):
    t = Translator(lang)
    for key_ in stories.COUNT_KEYS + list(mapview.COUNT_KEYS) + list(turning_points.COUNT_KEYS):
        forms = load(lang)[key_]
        assert isinstance(forms, dict) and {"one", "other"} <= set(forms), (lang, key_)
        for n, wrong in ((1, PLURAL_WORDS[lang]), (3, SINGULAR_WORDS[lang])):
            text = t(key_, n=n, list="x", at="", before=0, total=5)  # the other fields
            assert "{" not in text and not text.startswith("["), (lang, key_, text)
            assert not {counted(text, n)} & wrong, (lang, key_, n, text)


def test_within_a_week_the_file_tells_the_signal_before_what_was_done_about_it():
    from game.session import Session

    session = Session("neighbourhood", 2, ["A"], rounds=1, overrides=SHORT)
    session.warm_up()
    for _ in range(8):
        session.step_week()
    model, acted = session.model, {"route", "triage", "extra_referral", "care_start"}
    checked = 0
    for f in range(model.families.n):
        told = stories.current_residents(model.timeline(f))
        for i, e in enumerate(told):
            if e["kind"] == "signal":
                before = [x["kind"] for x in told[:i] if x["week"] == e["week"]]
                assert not set(before) & acted, (f, told)
                checked += bool(before) or any(x["week"] == e["week"] for x in told[i + 1:])
    assert checked > 0  # some weeks held a signal and more
    t = Translator("nl")
    assert stories.event_body(t, {"week": 1, "kind": "episode_end", "ending": "ended",
                                  "rating": 7.5}) == "De hulp werd afgerond; het gezin gaf " \
        "er een 7,5 voor."


def test_an_extra_problem_is_told_by_what_it_did_to_the_familys_plans():
    """Working integrally, a problem noticed in a family already in care joins its one
    plan; in a family that came past the wijkteam (the GP's route) it becomes a separate
    plan, and the family tells its story again. The family's file and the quarter's
    highlights say which, so a team sees what one plan spares families."""
    from sim.model import SamenspelModel
    from sim.scenario import load_scenario

    scenario = load_scenario("neighbourhood", ["cooperation.mode=integral"])
    model = SamenspelModel(scenario, seed=1)
    warm = scenario.run.warmup_weeks
    model.run_weeks(warm + 26)
    extra = [e for e in model.events if e["kind"] == "extra_referral" and e["week"] >= warm]
    by_plan = {plan: [e for e in extra if e["plan"] == plan] for plan in ("one", "separate")}
    assert by_plan["one"] and by_plan["separate"], [e["plan"] for e in extra]
    t = Translator("nl")
    one, separate = (stories.event_body(t, by_plan[p][0]) for p in ("one", "separate"))
    assert "ene plan" in one and "opnieuw" not in one, one
    assert "apart plan" in separate and "verhaal opnieuw" in separate, separate
    lines = stories.highlights(t, extra)
    assert t("hl.extra_plan", n=len(by_plan["separate"])) in lines, lines
    assert t("hl.added_to_plan", n=len(by_plan["one"])) in lines, lines
    # every story told again is one of the events the debrief counts, and only those
    from sim.model import SamenspelModel as Model

    steady = load_scenario("neighbourhood", ["population.turnover_per_year=0"])
    counted = Model(steady, seed=2)
    counted.run_weeks(150)
    assert sum(stories.retellings(counted.events, 0).values()) \
        == int(counted.families.retold.sum()) > 0
    # a file saved before the plan was logged still reads as it did
    old = {k: v for k, v in by_plan["one"][0].items() if k != "plan"}
    assert stories.event_body(t, old).endswith("Ook daarvoor volgde een verwijzing.")


# -- overlays --------------------------------------------------------------------------

def test_the_ideas_overlay_says_why_it_is_empty_and_explains_itself_otherwise(app):
    play = start_game(app)
    model, t = play.session.model, play.t
    adopters = model.innovations.adopters
    adopters[:] = False  # the game's first weeks: nobody has taken an idea over yet
    key(app, pygame.K_i)
    assert play.overlays == {"innovation"}
    frames(app, 1)
    assert play.map.notes == [t("map.ideas_none")]
    if adopters.shape[0] == 0:
        pytest.skip("no idea was tried in the warm-up")
    adopters[0, model.professionals[0].index] = True
    frames(app, 1)
    assert play.map.notes == [t("map.ideas_legend", n=1)]
    key(app, pygame.K_i)
    frames(app, 1)
    assert play.map.notes == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_budget_overlay_shows_amounts_and_leaves_the_houses_free(lang):
    app = make_app(lang=lang)
    try:
        play = start_game(app)
        run_weeks(app, play, 2)
        key(app, pygame.K_b)
        frames(app, 1)
        t, budget = play.t, play.session.model.budget
        texts = play.map.budget_texts
        others = []
        for i, silo in enumerate(SILOS):
            spent, total = budget.spent_year[i], budget.yearly[i]
            if not is_municipal(silo):  # insurer and school: booked beside, never a bar
                others.append(t("map.budget_other", silo=t(f"silo_short.{silo}"),
                                spent=t.fmt.euro(spent)))
                continue
            assert t("map.budget_amounts", spent=t.fmt.euro(spent),
                     budget=t.fmt.euro(total)) in texts
            assert f"{t(f'silo.{silo}')} · {t.fmt.share(spent / total)}" in texts
        assert t("map.budget_others", payers=" · ".join(others)) in texts
        week, _ = render.year_progress(play.session.model.week)
        assert t("map.budget_silos", week=week) in texts
        assert not play.map.budget_rect.colliderect(play.map.houses_rect)
        assert play.map.notes == [t("map.budget_legend")]
    finally:
        pygame.quit()


def test_the_trust_overlay_draws_only_the_strongest_ties_across_organisations(app):
    play = start_game(app)
    run_weeks(app, play, 4)
    key(app, pygame.K_t)
    frames(app, 1)
    model, t = play.session.model, play.t
    ties = play.map.ties
    assert len(ties) <= mapview.TIE_TOP
    strengths = [s for _, _, s in ties]
    assert strengths == sorted(strengths, reverse=True)
    assert all(model.trust.is_cross(a, b) and s >= mapview.TIE_FLOOR for a, b, s in ties)
    if ties:  # nothing weaker than the weakest drawn was left out for a stronger one
        drawn = {(a, b) for a, b, _ in ties}
        active = [p.index for p in model.professionals if p.active]
        rest = [float(model.trust.tie(a, b)) for i, a in enumerate(active)
                for b in active[i + 1:]
                if model.trust.is_cross(a, b) and (a, b) not in drawn and (b, a) not in drawn]
        assert len(ties) == mapview.TIE_TOP or max(rest, default=0) < mapview.TIE_FLOOR
        assert max(rest, default=0) <= min(strengths)
        assert play.map.notes == [t("map.trust_legend", n=len(ties))]
    else:
        assert play.map.notes == [t("map.trust_none")]


# -- the map's texts ---------------------------------------------------------------------

@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=lambda s: f"{s[0]}")
@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_map_texts_are_whole_and_readable(size, scale, lang):
    from gamehelpers import SHORT

    from game.app import App
    from game.scenes.title import TitleScene

    app = App(size, Settings(lang=lang, text_scale=scale), fps_cap=0)
    try:
        app.start(TitleScene(app.ctx, "neighbourhood", 3, SHORT, rounds=2))
        play = start_game(app)
        frames(app, 1)
        view = play.map
        assert view.plan.px >= ui.floor_px(size[1])
        assert view.clipped == []
        t = play.t
        rects = view.building_rects()
        assert all(view.rect.contains(r) for r in rects)
        assert not any(r.colliderect(view.houses_rect) for r in rects)
        assert view.houses_rect.height >= mapview.HOUSES_SHARE * view.rect.height
        small = view.small
        for name, kind, _ in view.building_list(play.session.model):
            width = rects[0].width - 2 * mapview.PAD
            assert mapview._label(t, name, kind, view.bold, width, view.plan.label_lines)
            assert small.size(t("map.waiting", n=mapview.WIDEST_COUNT))[0] <= width
        # the legend says what a square is, and its rows stay inside its box
        rows = view._legend_rows(small, view.bold)
        assert rows * view._legend_step(small) <= view.legend_rect.height
        for overlay in (pygame.K_t, pygame.K_i, pygame.K_b):
            key(app, overlay)
        frames(app, 1)
        assert len(play.map.notes) == 3  # the scene rebuilt its widgets and map
    finally:
        pygame.quit()
