"""Sensitivity indices on toy functions whose answer is known, without running the model.

f = 10 x1 + 1 x2 + 0 x3 on the unit cube: Morris must rank x1 > x2 > x3 and say
that x3's effect cannot be told from zero; Sobol must give x1 nearly all the
variance. Too small a design, an output missing at some points or one that
never moves get a warning instead of indices that look trustworthy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lab import samplers, sensitivity

NAMES = ["x1", "x2", "x3"]


def toy(unit: np.ndarray) -> np.ndarray:
    return 10 * unit[:, 0] + 1 * unit[:, 1] + 0 * unit[:, 2]


def values(result: sensitivity.Indices, output: str, index: str) -> pd.Series:
    table = result.table
    rows = table[(table["output"] == output) & (table["index"] == index)]
    return rows.set_index("factor")["value"]


def test_morris_ranks_the_toy_factors_and_flags_the_idle_one():
    unit = samplers.unit_sample("morris", 3, 20, seed=1)
    result = sensitivity.morris_indices(NAMES, unit, {"f": toy(unit)}, num_levels=4,
                                        trajectories=20)
    mu_star = values(result, "f", "mu_star")
    assert mu_star["x1"] > mu_star["x2"] > mu_star["x3"]
    assert mu_star["x1"] == pytest.approx(10) and mu_star["x2"] == pytest.approx(1)
    assert list(result.table.columns) == list(sensitivity.COLUMNS)
    assert set(result.table["index"]) == {"mu_star", "mu", "sigma"}
    [warning] = result.warnings
    assert "x3" in warning and "x1" not in warning and "zero" in warning


def test_morris_with_few_trajectories_says_so():
    unit = samplers.unit_sample("morris", 3, 4, seed=1)
    result = sensitivity.morris_indices(NAMES, unit, {"f": toy(unit)}, num_levels=4,
                                        trajectories=4)
    assert any("4 trajectories" in w for w in result.warnings)


def test_sobol_gives_the_dominant_factor_nearly_all_the_variance():
    unit = samplers.unit_sample("sobol", 3, 256, seed=1)
    result = sensitivity.sobol_indices(NAMES, {"f": toy(unit)}, samples=256)
    s1, st = values(result, "f", "S1"), values(result, "f", "ST")
    # Variances 100/12 and 1/12: S1 = 100/101 and 1/101 for an additive function.
    assert s1["x1"] == pytest.approx(100 / 101, abs=0.05)
    assert st["x2"] == pytest.approx(1 / 101, abs=0.01)
    assert st["x3"] == pytest.approx(0, abs=1e-9)
    assert not any("base samples" in w for w in result.warnings)


def test_sobol_second_order_and_a_small_design_warn():
    unit = samplers.unit_sample("sobol", 3, 16, seed=1, second_order=True)
    result = sensitivity.sobol_indices(NAMES, {"f": toy(unit)}, samples=16, second_order=True)
    pairs = result.table[result.table["index"] == "S2"]["factor"].tolist()
    assert pairs == ["x1 & x2", "x1 & x3", "x2 & x3"]
    assert any("16 base samples are rough" in w for w in result.warnings)


def test_an_output_missing_somewhere_or_never_moving_is_left_out_with_a_reason():
    unit = samplers.unit_sample("morris", 3, 10, seed=1)
    gappy = toy(unit)
    gappy[3] = np.nan
    result = sensitivity.morris_indices(
        NAMES, unit, {"f": toy(unit), "gappy": gappy, "flat": np.ones(len(unit))},
        num_levels=4, trajectories=10)
    assert set(result.table["output"]) == {"f"}
    assert any(w.startswith("gappy: 1 of 40 points have no value") for w in result.warnings)
    assert any(w.startswith("flat is the same at every point") for w in result.warnings)


def test_point_means_average_the_seeds_and_skip_the_base_runs():
    runs = pd.DataFrame({"point": pd.array([None, None, 0, 0, 1, 1], dtype="Int64"),
                         "seed": [1, 2, 1, 2, 1, 2],
                         "wait": [99.0, 99.0, 1.0, 3.0, 5.0, np.nan]})
    means = sensitivity.point_means(runs, ["wait"], points=3)
    np.testing.assert_array_equal(means["wait"], [2.0, 5.0, np.nan])
