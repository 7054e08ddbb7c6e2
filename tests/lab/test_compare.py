"""`samenspel compare`: paired differences a policymaker can trust.

The maths is checked against a hand computation; the command against the
properties a user relies on: a scenario compared with itself differs by
exactly zero, an interrupted comparison resumes to the same table, `--seeds
auto` adds seeds as the interval's width asks, and mistakes are explained.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from lab import compare as cmp
from lab import store as store_module
from lab.cli import main

TINY = ["--weeks", "60", "--set", "run.warmup_weeks=20", "--set", "population.families=200",
        "--workers", "1", "--no-progress"]


def test_paired_interval_matches_a_hand_computation():
    # Differences B - A per seed are 1, 2, 3: mean 2, sd 1; t(0.975, 2) = 4.302653.
    frame = pd.DataFrame({"scenario": ["A", "B"] * 3, "seed": [1, 1, 2, 2, 3, 3],
                          "wait": [10.0, 11.0, 12.0, 14.0, 8.0, 11.0]})
    table = cmp.paired(frame, ["A", "B"], ["wait"]).set_index("scenario")
    half = 4.302653 / math.sqrt(3)
    assert table.loc["B", "diff"] == pytest.approx(2.0)
    assert table.loc["B", "diff_sd"] == pytest.approx(1.0)
    assert table.loc["B", "diff_lo"] == pytest.approx(2.0 - half, abs=1e-5)
    assert table.loc["B", "diff_hi"] == pytest.approx(2.0 + half, abs=1e-5)
    assert table.loc["B", "mean"] == pytest.approx(12.0)
    assert table.loc["A", "diff"] == 0 and table.loc["A", "diff_hi"] == 0
    assert table.loc["A", "n"] == 3


def test_pairing_uses_only_seeds_every_scenario_has():
    frame = pd.DataFrame({"scenario": ["A", "B"] * 3, "seed": [1, 1, 2, 2, 3, 3],
                          "share": [0.5, 0.6, float("nan"), 0.7, 0.4, 0.45]})
    table = cmp.paired(frame, ["A", "B"], ["share"]).set_index("scenario")
    assert table.loc["B", "n"] == 2
    assert table.loc["B", "mean"] == pytest.approx(0.525)
    assert table.loc["B", "diff"] == pytest.approx(0.075)


def test_auto_seeds_grows_with_the_square_of_the_width_asked_and_stops_at_the_maximum():
    table = pd.DataFrame([
        {"kpi": "wait", "scenario": "A", "mean": 5, "sd": 1, "n": 5, "diff": 0, "diff_sd": 0,
         "diff_lo": 0, "diff_hi": 0},
        {"kpi": "wait", "scenario": "B", "mean": 4, "sd": 1, "n": 5, "diff": -1, "diff_sd": 1,
         "diff_lo": -2.0, "diff_hi": 0.0},
    ])
    auto = cmp.AutoSeeds({"wait": 1.0}, most=50)
    assert auto.next_count(table, ["A", "B"], 5) == 20  # width 2 -> 1 needs 4x the seeds
    assert not auto.met()
    assert cmp.AutoSeeds({"wait": 0.1}, most=50).next_count(table, ["A", "B"], 5) == 50
    assert cmp.AutoSeeds({"wait": 0.1}, most=50).next_count(table, ["A", "B"], 50) is None
    narrow = cmp.AutoSeeds({"wait": 2.5}, most=50)
    assert narrow.next_count(table, ["A", "B"], 5) is None and narrow.met()


def _compare(tmp_path, *args, name="out"):
    out = tmp_path / name
    code = main(["compare", *args, *TINY, "--out", str(out)])
    return code, out


def test_a_scenario_compared_with_itself_differs_by_exactly_zero(tmp_path, capsys):
    code, out = _compare(tmp_path, "neighbourhood", "neighbourhood", "--seeds", "3")
    assert code == 0
    result = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in result["scenarios"]] == ["neighbourhood", "neighbourhood (2)"]
    assert result["seeds"] == [1, 2, 3]
    second = [r for r in result["kpis"] if r["scenario"] == "neighbourhood (2)"]
    defined = [r for r in second if r["diff"] is not None]
    assert len(defined) > len(second) / 2  # most KPIs have values in a 60-week run
    assert all(r["diff"] == 0 for r in defined)
    assert {"mean_wait_weeks", "cost_per_year_eur"} <= {r["kpi"] for r in defined}
    assert all(r["diff_lo"] in (0, None) and r["diff_hi"] in (0, None) for r in second)
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 6 and runs["run_key"].is_unique
    assert "wait" in capsys.readouterr().out


def test_an_interrupted_comparison_resumes_to_the_same_table(tmp_path, monkeypatch):
    args = ("neighbourhood", "integraal", "--seeds", "3")
    code, whole = _compare(tmp_path, *args, name="whole")
    assert code == 0
    added = []
    real_add = store_module.RunStore.add

    def add_then_stop(self, row):
        if len(added) == 4:
            raise KeyboardInterrupt
        added.append(row["run_key"])
        return real_add(self, row)

    monkeypatch.setattr(store_module.RunStore, "add", add_then_stop)
    code, part = _compare(tmp_path, *args, name="part")
    assert code == 130
    assert len(list((part / "runs.parts").glob("*.parquet"))) == 4
    monkeypatch.setattr(store_module.RunStore, "add", real_add)
    code, part = _compare(tmp_path, *args, name="part")
    assert code == 0
    pd.testing.assert_frame_equal(pd.read_parquet(part / "runs.parquet"),
                                  pd.read_parquet(whole / "runs.parquet"))
    pd.testing.assert_frame_equal(pd.read_parquet(part / "comparison.parquet"),
                                  pd.read_parquet(whole / "comparison.parquet"))


def test_json_output_is_the_comparison_alone_and_the_brief_reads_it(tmp_path, capsys):
    code, out = _compare(tmp_path, "neighbourhood", "--seeds", "2", "--json")
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["kind"] == "compare" and result["seeds"] == [1, 2]
    assert {"mean_wait_weeks", "client_rating"} <= {r["kpi"] for r in result["kpis"]}
    assert main(["report", str(out), "--json"]) == 0
    brief = json.loads(capsys.readouterr().out)
    assert brief["path"].endswith("beleidsnotitie.html") and brief["lang"] == "nl"
    assert "Beleidsnotitie" in (out / "beleidsnotitie.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "words"), [
    (["neighbourhood", "--seeds", "many"], ["--seeds", "'many'", "auto"]),
    (["neighbourhood", "--seeds", "auto", "--precision", "wiat=1"],
     ["--precision", "'wiat'", "mean_wait_weeks"]),
    (["neighbourhood", "--seeds", "auto", "--precision", "mean_wait_weeks=-1"],
     ["--precision", "positive"]),
    (["neighbourhood", "--seeds", "3", "--precision", "mean_wait_weeks=1"], ["--seeds auto"]),
    (["nieuwbouw", "--seeds", "2"], ["'nieuwbouw'", "not found"]),
    (["neighbourhood", "--weeks", "10", "--seeds", "2"], ["warm-up", "--years"]),
])
def test_mistakes_are_explained_with_exit_code_2(tmp_path, capsys, args, words):
    out = tmp_path / "out"
    code = main(["compare", *args, "--out", str(out), "--workers", "1", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    for word in words:
        assert word in err


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, capsys):
    code = main(["compare", "neighbourhood", "--seeds", "2", *TINY[:6], "--out",
                 str(tmp_path / "o"), "--scheduler", "http://example"])
    err = capsys.readouterr().err
    assert code == 2 and "--scheduler" in err and "tcp://" in err
