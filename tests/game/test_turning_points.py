"""Turning points come from the model's own records, on a real short game, and the base run
is the same game with no new decisions."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from gamehelpers import SHORT

from game import turning_points as tp
from game.i18n import Translator
from game.session import Session
from sim.domains import SILOS, Domain
from sim.model import SamenspelModel


@pytest.fixture(scope="module")
def session() -> Session:
    """Team A pools the budget, team B cuts it and its facilitator bankrupts a provider,
    team C decides nothing: the base run's twin."""
    s = Session("neighbourhood", 3, ["A", "B", "C"], rounds=2, overrides=SHORT)
    s.warm_up()
    cards = {0: [("integral", "online_help"), ("pooled", "network")],
             1: [("youth_cut", "knowledge"), ("few_providers", "transparency")], 2: [(), ()]}
    while not s.finished:
        for card in cards[s.team_index][s.round]:
            assert s.play_card(card) is None
        if s.team_index == 1 and s.round == 0:
            assert s.inject_event("bankrupt") is None
        while not s.turn_done():
            s.step_week()
        s.end_turn()
    return s


@pytest.fixture(scope="module")
def base(session):
    return tp.base_model(session)


def test_the_base_run_is_the_same_game_without_decisions(session, base):
    assert base.week == session.warmup + tp.weeks_played(session)
    assert base.action_log == [] and tp.base_model(session) is base  # built once
    rows = tp.base_history(session, base)
    for key, value in session.teams[2].history[-1].items():  # team C decided nothing
        assert rows[-1][key] == value or (math.isnan(value) and math.isnan(rows[-1][key]))
    assert tp.detect(base, session.warmup) == tp.detect(session.teams[2].model, session.warmup)


def test_rebuilt_waiting_lists_end_at_who_waits_now(session):
    for team in session.teams:
        model = team.model
        occ = tp.list_occupancy(model, session.warmup, model.week)
        now = Counter(Domain(r.domain).key for refs in model.care.waiting.values()
                      for r in refs if r.domain < len(Domain))
        assert {d: int(row[-1]) for d, row in occ.items() if row[-1]} == dict(now)


def test_a_bankruptcy_is_a_turning_point_of_the_team_it_happened_to(session, base):
    named = {k: [p for p in tp.team_points(session, k, base) if p.kind == "bankrupt"]
             for k in range(3)}
    event = next(e for e in session.teams[1].model.events
                 if e["kind"] == "action" and e.get("action") == "bankrupt")
    assert [p.fields["provider"] for p in named[1]] == [event["provider"]]
    assert named[1][0].week == event["week"] and named[1][0].base == {"n": 0}
    assert not named[0] and not named[2]


def test_a_silo_runs_out_in_the_first_week_its_spending_reaches_its_budget(session):
    found = [(k, p) for k in range(3) for p in tp.team_points(session, k)
             if p.kind in tp.SILO_KINDS]
    assert found, "this game spends at least one silo's budget"
    for k, p in found:
        model = session.teams[k].model
        frame = model.kpi_frame()
        silo = p.fields["silo"]
        assert silo in SILOS and p.fields["spent"] >= p.fields["budget"] > 0
        before = tp.spent_in_year(frame, silo, p.week)  # the row of the week before
        assert p.week == session.warmup or before < p.fields["budget"] or \
            (p.week % tp.YEAR == 0)
        assert p.kind == ("silo_pooled" if k == 0 and p.week >= session.warmup + 13 else
                          "silo_out" if silo in model.params.funding.hard_silos else
                          "silo_over")


def test_a_wait_spike_names_its_list_and_rises_as_much_as_it_says(session, base):
    spikes = [(k, p) for k in range(3) for p in tp.team_points(session, k, base)
              if p.kind == "wait_spike"]
    for _, p in spikes:
        f = p.fields
        assert f["after"] - f["before"] == f["rise"] >= tp.SPIKE_MIN
        assert f["domain"] in {d.key for d in Domain}
        assert set(p.base) == {"before", "after"}
    for _, p in [s for s in spikes if s[0] == 2]:  # no decisions: the base saw the same
        assert (p.base["before"], p.base["after"]) == (p.fields["before"], p.fields["after"])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_timeline_reads_round_by_round_with_decisions_first(session, base, lang):
    t = Translator(lang)
    for k in range(3):
        rows = tp.timeline(t, session, k, tp.team_points(session, k, base))
        rounds = [r for r, kind, _ in rows if kind == "round"]
        # team C decided nothing in round 2: it is told only when something turned in it
        told = k < 2 or any(r == 1 and kind == "point" for r, kind, _ in rows)
        assert rounds == ([0, 1] if told else [0])
        assert [r for r, _, _ in rows] == sorted(r for r, _, _ in rows)
        for _, _, text in rows:
            assert "[" not in text and text[:1].isupper()
    text = " ".join(x for _, _, x in tp.timeline(t, session, 1, tp.team_points(session, 1,
                                                                                base)))
    assert t("card.bankrupt.title") in text and t("card.youth_cut.title") in text


def test_the_chart_flags_and_the_numbered_lines_name_the_same_moments(session, base):
    t = Translator("nl")
    for k in range(3):
        points = tp.team_points(session, k, base)
        flags = tp.flags(session, points)
        lines = [text for _, kind, text in tp.timeline(t, session, k, points, numbered=True)
                 if kind == "point"]
        assert [text.split(" · ")[0] for text in lines] == [n for _, n in flags]
        assert [x for x, _ in flags] == sorted(x for x, _ in flags)
        for (x, _), text in zip(flags, lines, strict=True):  # the flag sits in its week
            r, week = divmod(int(x), 13)
            assert t("ev.round_week", round=r + 1, week=week + 1) in text


def test_spread_names_the_round_ideas_spread_most_and_only_past_the_threshold(session):
    for team in session.teams:
        model = team.model
        frame = model.kpi_frame()
        start, end = session.warmup, model.week
        gains = {s: frame.at[min(end, s + 13), "innovation_spread"] - frame.at[s,
                                                                               "innovation_spread"]
                 for s in range(start, end, 13)}
        found = [p for p in tp.innovation(model, start, end) if p.kind == "spread"]
        if max(gains.values()) >= tp.SPREAD_MIN:
            (p,) = found
            assert p.fields["n"] == max(gains.values()) and gains[p.fields["from"]] == p.fields["n"]
        else:
            assert not found


def test_distress_is_the_first_week_more_providers_are_in_the_red_than_at_the_start(session):
    for team in session.teams:
        model = team.model
        frame = model.kpi_frame()
        col = frame["providers_in_distress"]
        found = [p for p in tp.providers_failed(model, session.warmup, model.week)
                 if p.kind == "distress"]
        later = [w for w in range(session.warmup + 1, model.week + 1)
                 if col[w] > max(col[session.warmup], 0)]
        assert [p.week + 1 for p in found] == later[:1]


def test_a_facilitators_base_run_is_used_when_it_has_run_as_far_as_the_teams(session, base):
    from types import SimpleNamespace

    fresh = Session("neighbourhood", 3, ["X"], rounds=2, overrides=SHORT)
    fresh.teams = session.teams  # the same game played, without a cached base run
    fresh.facilitator = SimpleNamespace(base=SimpleNamespace(model=base))
    assert tp.base_model(fresh) is base
    short = Session("neighbourhood", 3, ["X"], rounds=2, overrides=SHORT)
    short.teams = session.teams
    unrun = SamenspelModel(short.scenario, seed=short.seed)  # not as far: we build our own
    short.facilitator = SimpleNamespace(base=SimpleNamespace(model=unrun))
    own = tp.base_model(short)
    assert own is not unrun and own.week == base.week
