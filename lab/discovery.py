"""Scenario discovery: "when does this lever lose?" - the factor ranges where a KPI gets worse.

Each run of a sweep is labelled worse or not: its KPI against the base
scenario on the same seed (common random numbers, so the comparison is
paired), or against a fixed threshold, by more than a margin. A shallow
decision tree then splits the factor space; the leaves where most runs are
worse are the boxes reported, each with

- density: the share of its runs that are worse (how sure the box is), and
- coverage: the share of all worse runs that fall in it (how much it explains),

the two measures of the scenario-discovery literature (Bryant & Lempert 2010).

Why a decision tree and not PRIM, the method those measures come from:

- it is in scikit-learn, well kept and tested; the PRIM packages for Python
  are small and little maintained;
- its leaves are boxes too (every split is one factor at one threshold), and a
  tree of depth 2 or 3 reads as a sentence: "when the contract is lump sum and
  the ceiling is above 0.95";
- with a fixed random_state it is deterministic, so the same runs give the
  same boxes; PRIM's peeling has a free parameter (alpha) and a trajectory of
  boxes to choose from by hand.

Text and true/false factors are one-hot encoded, so a box can say "contract
is lump_sum" (or "is not"), never an arbitrary order of contract forms.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

MOSTLY = 0.5  # a box is reported when more than this share of its runs is worse
LEAF_SHARE = 0.05  # a leaf holds at least this share of the runs ...
MIN_LEAF = 3  # ... and at least this many
RANDOM_STATE = 0


@dataclass(frozen=True)
class Box:
    """A region of the factor space: numeric bounds (above, at_most] and allowed levels.

    `seen` holds, per bounded factor, the lowest and highest value the box's
    runs actually have: a grid that ran 15 and 20 is described as ">= 20",
    not by the tree's threshold halfway between, 17.5.
    """

    bounds: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    levels: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    seen: dict[str, tuple[float, float]] = field(default_factory=dict)
    runs: int = 0
    worse: int = 0
    coverage: float = 0.0
    density: float = 0.0
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        conditions = [{"factor": f, "above": lo, "at_most": hi, "min": self.seen[f][0],
                       "max": self.seen[f][1]} for f, (lo, hi) in self.bounds.items()]
        conditions += [{"factor": f, "in": list(levels)} for f, levels in self.levels.items()]
        return {"conditions": conditions, "runs": self.runs, "worse_runs": self.worse,
                "coverage": self.coverage, "density": self.density, "text": self.text}


def label_worse(kpi: pd.Series, worse: str, reference: pd.Series | float,
                margin: float = 0.0) -> pd.Series:
    """True where `kpi` is worse than `reference` (per row, or one number) by more than margin.

    `worse` is "higher" when a higher value is worse (a wait), "lower" when a
    lower one is (a rating). Rows without a value on either side are NaN.
    """
    gap = kpi - reference if worse == "higher" else reference - kpi
    labels = (gap > margin).astype(object)
    labels[gap.isna()] = np.nan
    return labels


def min_leaf(runs: int) -> int:
    """Runs a leaf must hold: 5 % of them, at least 3, so no box rests on a run or two."""
    return max(MIN_LEAF, math.ceil(LEAF_SHARE * runs))


def find_boxes(factors: pd.DataFrame, worse: pd.Series, kinds: dict[str, str],
               depth: int = 2) -> list[Box]:
    """The leaves of a shallow tree where more than half the runs are worse, largest first.

    `factors` holds one column per factor, `worse` the labels (bool) of the
    same rows, `kinds` each factor's type (int, float, bool, str).
    """
    from sklearn.tree import DecisionTreeClassifier

    features = encode(factors, kinds)
    y = worse.astype(bool).to_numpy()
    tree = DecisionTreeClassifier(max_depth=depth, min_samples_leaf=min_leaf(len(y)),
                                  random_state=RANDOM_STATE)
    tree.fit(features.to_numpy(dtype=float), y)
    leaf_of = tree.apply(features.to_numpy(dtype=float))
    total_worse = int(y.sum())
    boxes = []
    for leaf, path in _leaf_paths(tree.tree_).items():
        inside = leaf_of == leaf
        runs, bad = int(inside.sum()), int(y[inside].sum())
        if not runs or bad / runs <= MOSTLY:
            continue
        bounds, levels = _conditions(path, features.columns, factors)
        seen = {f: (_plain(factors.loc[inside, f].min()), _plain(factors.loc[inside, f].max()))
                for f in bounds}
        boxes.append(Box(bounds, levels, seen, runs, bad,
                         coverage=bad / total_worse if total_worse else 0.0,
                         density=bad / runs))
    return sorted(boxes, key=lambda b: (-b.worse, -b.density))


def encode(factors: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """Numbers as they are; text and true/false as one 0/1 column per level ("path=level")."""
    columns = {}
    for path in factors.columns:
        if kinds[path] in ("int", "float"):
            columns[path] = factors[path].astype(float)
            continue
        for level in _levels(factors[path]):
            columns[f"{path}={_word(level)}"] = (factors[path] == level).astype(float)
    return pd.DataFrame(columns, index=factors.index)


def _levels(column: pd.Series) -> list[Any]:
    return list(dict.fromkeys(column.tolist()))


def _word(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool | np.bool_) else str(value)


def _leaf_paths(tree: Any) -> dict[int, list[tuple[int, float, bool]]]:
    """Each leaf's path from the root: (feature, threshold, went right i.e. value > threshold)."""
    paths: dict[int, list[tuple[int, float, bool]]] = {}
    stack: list[tuple[int, list[tuple[int, float, bool]]]] = [(0, [])]
    while stack:
        node, path = stack.pop()
        left, right = tree.children_left[node], tree.children_right[node]
        if left == right:  # a leaf
            paths[node] = path
            continue
        feature, threshold = int(tree.feature[node]), float(tree.threshold[node])
        stack.append((right, [*path, (feature, threshold, True)]))
        stack.append((left, [*path, (feature, threshold, False)]))
    return paths


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _conditions(path: list[tuple[int, float, bool]], columns: Sequence[str],
                factors: pd.DataFrame) -> tuple[dict, dict]:
    """The conditions along a path, merged per factor, in the order of the factors."""
    bounds: dict[str, tuple[float | None, float | None]] = {}
    levels: dict[str, tuple[Any, ...]] = {}
    for feature, threshold, right in path:
        name = columns[feature]
        if name in factors.columns:  # a numeric factor
            lo, hi = bounds.get(name, (None, None))
            if right:
                lo = threshold if lo is None else max(lo, threshold)
            else:
                hi = threshold if hi is None else min(hi, threshold)
            bounds[name] = (lo, hi)
            continue
        factor, _, word = name.partition("=")
        allowed = levels.get(factor, tuple(_levels(factors[factor])))
        # one-hot: right (> 0.5) means "is this level", left means "is not".
        levels[factor] = tuple(v for v in allowed if (_word(v) == word) == right)
    order = list(factors.columns)
    return (dict(sorted(bounds.items(), key=lambda item: order.index(item[0]))),
            dict(sorted(levels.items(), key=lambda item: order.index(item[0]))))


# ---------------------------------------------------------------- words


def describe(box: Box, kinds: dict[str, str]) -> str:
    """The box in words, by the values its runs have: "providers.count >= 20 and
    funding.contract is lump_sum" (factors in the sweep's order, numbers first)."""
    parts = [_numeric_words(f, lo is not None, hi is not None, *box.seen[f])
             for f, (lo, hi) in box.bounds.items()]
    parts += [f"{f} is {' or '.join(_word(v) for v in levels)}"
              for f, levels in box.levels.items()]
    return " and ".join(parts) if parts else "in every run"


def _numeric_words(factor: str, low: bool, high: bool, least: float, most: float) -> str:
    if low and high:
        return f"{factor} from {_number(least)} to {_number(most)}"
    return f"{factor} >= {_number(least)}" if low else f"{factor} <= {_number(most)}"


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:.3g}"


def discover(runs: pd.DataFrame, factors: Sequence[str], kinds: dict[str, str], kpi: str,
             worse: str, reference: pd.Series | float, margin: float = 0.0,
             depth: int = 2, against: str = "") -> dict[str, Any]:
    """The whole report, JSON-safe: labels, boxes and sentences a policymaker can read.

    `reference` is the base scenario's KPI per row (same seed) or one threshold;
    `against` words it ("the base scenario on the same seed", "12").
    """
    labels = label_worse(runs[kpi], worse, reference, margin)
    known = labels.notna()
    report: dict[str, Any] = {
        "kpi": kpi, "worse": worse, "against": against, "margin": margin, "depth": depth,
        "runs": int(len(runs)), "runs_compared": int(known.sum()),
        "min_samples_leaf": min_leaf(int(known.sum())), "boxes": [], "text": [],
        "warnings": []}
    if not known.all():
        report["warnings"].append(f"{int((~known).sum())} of {len(runs)} runs have no value of "
                                  f"{kpi} (or their base run has none) and are left out.")
    y = labels[known].astype(bool)
    bad, n = int(y.sum()), int(len(y))
    than = f"{against}" + (f" by more than {margin:g}" if margin else "")
    report["worse_runs"] = bad
    if n == 0:
        report["text"].append(f"No run has a value of {kpi} to compare.")
        return report
    report["text"].append(f"{kpi} is {worse} than {than} in {bad} of {n} runs ({bad / n:.0%}).")
    if bad == 0 or bad == n:
        return report
    boxes = find_boxes(runs.loc[known, list(factors)], y, kinds, depth)
    for box in boxes:
        words = describe(box, kinds)
        text = (f"When {words}: {kpi} is {worse} in {box.worse} of {box.runs} runs "
                f"({box.density:.0%} density); these are {box.coverage:.0%} of all {bad} "
                "worse runs (coverage).")
        report["boxes"].append(dataclasses.replace(box, text=text).to_dict())
        report["text"].append(text)
    if not boxes:
        report["text"].append(f"No range of the factors holds mostly worse runs: {kpi} gets "
                              "worse here and there, not in a region a tree of depth "
                              f"{depth} can mark.")
    return report
