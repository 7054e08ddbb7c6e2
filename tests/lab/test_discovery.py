"""Scenario discovery finds a box that was planted in synthetic runs, and words it plainly.

The runs are made up: the KPI is worse exactly inside a known box of the
factor space, so the tree must report that box, with the density and
coverage a hand count gives, and nothing else.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from lab import discovery

KINDS = {"x1": "float", "x2": "float", "x3": "float"}


def planted(n: int = 400, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    runs = pd.DataFrame(rng.uniform(0, 1, size=(n, 3)), columns=list(KINDS))
    inside = (runs["x1"] > 0.6) & (runs["x2"] <= 0.3)
    runs["wait"] = 5.0 + 4.0 * inside + rng.uniform(0, 0.5, n)
    runs["inside"] = inside
    return runs


def test_the_planted_box_is_found_with_its_density_and_coverage():
    runs = planted()
    boxes = discovery.find_boxes(runs[list(KINDS)], runs["inside"], KINDS, depth=2)
    [box] = boxes
    lo1, hi1 = box.bounds["x1"]
    lo2, hi2 = box.bounds["x2"]
    assert lo1 == pytest.approx(0.6, abs=0.03) and hi1 is None
    assert lo2 is None and hi2 == pytest.approx(0.3, abs=0.03)
    assert "x3" not in box.bounds
    assert box.density == 1.0 and box.coverage == 1.0
    assert box.worse == box.runs == int(runs["inside"].sum())


def test_the_report_compares_with_a_threshold_and_words_the_box():
    runs = planted()
    report = discovery.discover(runs, list(KINDS), KINDS, "wait", "higher", 8.0,
                                against="8", depth=2)
    bad = int(runs["inside"].sum())
    assert report["worse_runs"] == bad and report["runs_compared"] == 400
    assert report["text"][0] == f"wait is higher than 8 in {bad} of 400 runs ({bad / 400:.0%})."
    [box] = report["boxes"]
    inside = runs[runs["inside"]]
    assert box["text"].startswith(f"When x1 >= {inside['x1'].min():.3g} and x2 <= "
                                  f"{inside['x2'].max():.3g}: wait is higher in {bad} of {bad} ")
    assert "100% density" in box["text"] and "100% of all" in box["text"]
    assert {c["factor"] for c in box["conditions"]} == {"x1", "x2"}


def test_a_grid_box_reads_as_levels_and_the_values_that_were_run():
    kinds = {"funding.contract": "str", "providers.count": "int", "funding.pooled": "bool"}
    grid = itertools.product(["per_hour", "lump_sum", "mixed"], [5, 10, 15, 20, 25, 30],
                             [True, False], range(5))
    runs = pd.DataFrame([combo[:3] for combo in grid], columns=list(kinds))
    worse = (runs["funding.contract"] == "lump_sum") & (runs["providers.count"] >= 20)
    [box] = discovery.find_boxes(runs, worse, kinds, depth=2)
    assert box.levels == {"funding.contract": ("lump_sum",)}
    assert box.bounds == {"providers.count": (17.5, None)} and box.seen["providers.count"] == (
        20, 30)
    assert discovery.describe(box, kinds) == ("providers.count >= 20 and funding.contract is "
                                              "lump_sum")
    assert box.density == 1.0 and box.coverage == 1.0 and box.runs == 30


def test_a_level_ruled_out_leaves_the_others():
    runs = pd.DataFrame({"mode": ["a", "b", "c"] * 40})
    worse = runs["mode"] != "a"
    [box] = discovery.find_boxes(runs, worse, {"mode": "str"}, depth=1)
    assert box.levels == {"mode": ("b", "c")}
    assert discovery.describe(box, {"mode": "str"}) == "mode is b or c"


def test_worse_follows_the_direction_the_margin_and_missing_values():
    kpi = pd.Series([10.0, 11.5, 12.5, np.nan, 7.0])
    base = pd.Series([10.0, 10.0, 10.0, 10.0, np.nan])
    assert discovery.label_worse(kpi, "higher", base, margin=1.0).tolist()[:3] == [
        False, True, True]
    assert discovery.label_worse(kpi, "lower", 11.0).tolist() == [
        True, False, False, pytest.approx(np.nan, nan_ok=True), True]
    labels = discovery.label_worse(kpi, "higher", base)
    assert labels.isna().tolist() == [False, False, False, True, True]


def test_runs_compared_with_the_base_per_seed_and_a_region_never_worse():
    runs = pd.DataFrame({"seed": [1, 2] * 20, "x": np.linspace(0, 1, 40),
                         "wait": [5.0] * 40})
    base = runs["seed"].map({1: 6.0, 2: np.nan})
    report = discovery.discover(runs, ["x"], {"x": "float"}, "wait", "higher", base,
                                against="the base scenario on the same seed")
    assert report["runs_compared"] == 20 and report["worse_runs"] == 0
    assert report["boxes"] == []
    assert "in 0 of 20 runs" in report["text"][0]
    assert report["warnings"] == ["20 of 40 runs have no value of wait (or their base run has "
                                  "none) and are left out."]


def test_leaves_are_sized_to_the_data():
    assert discovery.min_leaf(20) == 3 and discovery.min_leaf(400) == 20
