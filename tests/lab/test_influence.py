"""The influence table: the stored one covers today's cards and KPIs; the command's machinery
gives the right shape on a tiny run."""

from __future__ import annotations

import json
import math

import pytest

from game.cards import POLICY_CARDS
from game.indicators import INDICATORS
from lab import influence

TINY = ["run.warmup_weeks=8", "population.families=120"]


def test_the_stored_table_covers_every_card_and_kpi_the_map_shows_and_matches_the_cards():
    table = influence.load_table()
    assert table is not None, "assets/influence.json is missing: run python -m lab.influence"
    assert table["format"] == influence.FORMAT
    assert set(table["kpis"]) == {ind.key for ind in INDICATORS}
    assert set(table["cards"]) == {c.id for c in POLICY_CARDS}, \
        "the card list changed since the table was made: run python -m lab.influence"
    assert len(table["seeds"]) >= 30 and table["scenario"] and table["code_version"]
    for card in POLICY_CARDS:
        entry = table["cards"][card.id]
        assert {k: entry[k] for k in ("action", "delay_weeks")} == \
            json.loads(json.dumps(influence.card_entry(card))), \
            f"card {card.id} changed since the table was made: run python -m lab.influence"
        for ind in INDICATORS:
            cell = entry["effects"][ind.key]
            assert cell["n"] == len(table["seeds"])
            assert cell["lo"] <= cell["diff"] <= cell["hi"]
            # a sign needs an interval without 0 and a q within the table's rate
            kept = cell["q"] <= table["false_discovery_rate"]
            assert cell["sign"] == ((1 if cell["lo"] > 0 else -1 if cell["hi"] < 0 else 0)
                                    if kept else 0)


def test_the_stored_tables_q_values_are_its_own_p_values_controlled_together():
    table = influence.load_table()
    cells = [c for e in table["cards"].values() for c in e["effects"].values()]
    again = [dict(c, sign=1) for c in cells]
    influence.control_false_discoveries({"all": {"effects": dict(enumerate(again))}})
    for cell, redone in zip(cells, again, strict=True):
        assert math.isclose(cell["q"], redone["q"], rel_tol=1e-4, abs_tol=1e-12)
        assert cell["p"] <= cell["q"] <= 1


def test_the_command_measures_one_card_on_two_seeds_in_the_tables_shape(tmp_path):
    out = tmp_path / "influence.json"
    code = influence.main(["--cards", "lump_sum", "--seeds", "2", "--rounds", "1",
                           "--workers", "1", "--out", str(out),
                           *[x for o in TINY for x in ("--set", o)]])
    assert code == 0
    table = json.loads(out.read_text(encoding="utf-8"))
    assert table["seeds"] == [1, 2] and table["rounds"] == 1 and table["overrides"] == TINY
    assert list(table["cards"]) == ["lump_sum"]
    cell = table["cards"]["lump_sum"]["effects"]
    assert set(cell) == {ind.key for ind in INDICATORS}
    for value in cell.values():
        assert value["n"] <= 2 and set(value) == {"diff", "lo", "hi", "n", "p", "q", "sign"}
        if value["n"] == 2:
            assert value["lo"] <= value["diff"] <= value["hi"]
    # the paid-by-the-lump contract changes what a week costs: a real difference, not a copy
    assert not math.isclose(cell["cost_per_week_eur"]["diff"], 0.0, abs_tol=1e-9)


def test_a_card_effect_has_a_sign_only_when_its_interval_excludes_zero():
    assert influence.effect([1.0, 1.1, 0.9, 1.05])["sign"] == 1
    assert influence.effect([-1.0, -1.1, -0.9])["sign"] == -1
    assert influence.effect([1.0, -1.0, 0.5, -0.4])["sign"] == 0
    assert influence.effect([0.0, 0.0])["sign"] == 0


def test_a_table_keeps_a_borderline_sign_alone_but_not_among_many_null_effects():
    """One effect at p = 0.03 is a finding; the same among 19 effects that are really 0,
    drawn as a table of many cards is, is likely the one in twenty that comes by chance."""
    def cell(p: float) -> dict:
        return {"diff": 1.0, "lo": 0.1, "hi": 1.9, "n": 60, "p": p, "sign": 1}

    alone = {"card": {"effects": {"wait": cell(0.03)}}}
    influence.control_false_discoveries(alone)
    assert alone["card"]["effects"]["wait"]["sign"] == 1

    many = {f"card{i}": {"effects": {"wait": dict(cell(0.5), sign=0)}} for i in range(18)}
    many["strong"] = {"effects": {"wait": cell(1e-6)}}
    many["borderline"] = {"effects": {"wait": cell(0.03)}}
    influence.control_false_discoveries(many)
    assert many["strong"]["effects"]["wait"]["sign"] == 1
    assert many["borderline"]["effects"]["wait"]["sign"] == 0
    assert math.isclose(many["borderline"]["effects"]["wait"]["q"], 0.03 * 20 / 2)


def test_an_effect_reports_the_p_of_its_t_test():
    e = influence.effect([1.0, 1.1, 0.9, 1.05])
    assert 0 < e["p"] < 0.001
    assert influence.effect([1.0, -1.0, 0.5, -0.4])["p"] > 0.5
    assert influence.effect([0.0, 0.0])["p"] == 1.0
    assert influence.effect([0.5, 0.5])["p"] == 0.0


@pytest.mark.parametrize("argv, words", [
    (["--seeds", "1"], "--seeds = '1'"),
    (["--cards", "nonsense"], "no such card"),
    (["--set", "run.bogus=1"], "bogus"),
])
def test_bad_input_names_the_flag_and_what_is_allowed(argv, words, capsys, tmp_path):
    assert influence.main([*argv, "--out", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
