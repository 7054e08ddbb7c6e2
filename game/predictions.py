"""Predictions as numbers: "the wait will be 9 weeks after this round", scored after it.

Before a round runs a team may write down one KPI's value at the round's end.
When the round has run the prediction is scored: 10 points for a hit, a point
less for every tenth of the KPI's tolerance it was off, none from the whole
tolerance on. The tolerance is what a table of workshop participants can be
expected to tell apart: 3 weeks of waiting, 10 percentage points of a share,
1 point of a rating; for money and value for money, a fifth of the value the
round started from. Older saves hold predictions of a direction (▲ or ▼); they
are read and shown, and score nothing.
"""

from __future__ import annotations

import math
import re
from typing import Any

from game.indicators import BY_KEY, Indicator

MAX_POINTS = 10
TOLERANCE = {"weeks": 3.0, "share": 0.10, "rating": 1.0}  # absolute, per kind of KPI
RELATIVE_TOLERANCE = 0.2  # of the start value, for euros and value for money
PREDICTION_LIMIT = 1e9  # a larger number is a typing mistake, not a forecast


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and math.isfinite(value)


def allowed_range(ind: Indicator) -> tuple[float, float]:
    """The values a prediction of `ind` may take: a bounded KPI's own range, else 0 up."""
    if ind.bounded and ind.axis is not None:
        return ind.axis
    return 0.0, PREDICTION_LIMIT


def check(kpi: str, value: Any) -> str | None:
    """None when `value` can be a prediction of `kpi`, else the translation key of why not."""
    ind = BY_KEY.get(kpi)
    if ind is None:
        return "predict.why.kpi"
    if not _finite(value):
        return "predict.why.number"
    lo, hi = allowed_range(ind)
    return None if lo <= value <= hi else "predict.why.range"


def tolerance(ind: Indicator, start: float | None) -> float:
    """How far off a prediction of `ind` may be before it scores nothing."""
    if ind.fmt in TOLERANCE:
        return TOLERANCE[ind.fmt]
    base = abs(start) if _finite(start) and start else 1.0
    return RELATIVE_TOLERANCE * base


def points(kpi: str, predicted: float, actual: float | None, start: float | None) -> int | None:
    """0-10 points for a prediction, None when the KPI was not measured at the round's end."""
    if not _finite(actual):
        return None
    off = abs(float(predicted) - float(actual)) / tolerance(BY_KEY[kpi], start)
    return max(0, MAX_POINTS - math.floor(off * MAX_POINTS + 1e-9))


def settle(prediction: dict[str, Any], actual: float | None) -> None:
    """Write the round's outcome into a prediction, and its points if it is a number."""
    prediction["end"] = actual
    if "value" in prediction:
        prediction["points"] = points(prediction["kpi"], prediction["value"], actual,
                                      prediction.get("start"))


def total(predictions: list[dict[str, Any]]) -> int:
    """A team's prediction points so far."""
    return sum(p.get("points") or 0 for p in predictions)


def _typed_number(text: str, grouping_likely: bool) -> float | None:
    """A number as someone types it in Dutch or English: "5,5", "5.5", "71.000", "€ 71,000".

    With both marks the last one is the decimal mark. With one mark once,
    followed by exactly three digits, it groups thousands where amounts are
    expected (money); anywhere else it is the decimal mark.
    """
    text = re.sub(r"[\s%€]", "", text)
    if not re.fullmatch(r"[0-9][0-9.,]*", text or "x"):
        return None
    marks = [c for c in text if c in ".,"]
    if len(set(marks)) == 2:
        decimal = marks[-1]
        text = text.replace("," if decimal == "." else ".", "").replace(decimal, ".")
    elif len(marks) == 1 and not (grouping_likely and re.search(r"[.,][0-9]{3}$", text)):
        text = text.replace(",", ".")
    else:
        text = text.replace(",", "").replace(".", "")
    try:
        return float(text)
    except ValueError:
        return None


def from_input(kpi: str, text: str) -> float | None:
    """The value a player typed for `kpi`: shares in percent ("45" is 45 %), the rest as shown."""
    ind = BY_KEY[kpi]
    value = _typed_number(text, ind.fmt in ("euro", "number"))
    if value is None:
        return None
    return value / 100 if ind.fmt == "share" else value


def as_input(kpi: str, value: float, fmt) -> str:
    """A prediction as the player would type it again (45 for 45 %)."""
    ind = BY_KEY[kpi]
    if ind.fmt == "share":
        return fmt.number(value * 100, 0)
    if ind.fmt in ("weeks", "rating"):
        return fmt.number(value, 1)
    return fmt.number(value, 0)


def scored_text(t, prediction: dict[str, Any], key: str, kpi_kind: str = "kpi"
                ) -> tuple[str, bool]:
    """A scored number prediction in the words of translation `key`, and whether it was good.

    The text gets kpi (its name, `kpi_kind` "kpi" or "kpi.short"), value, got
    (the outcome), n (the points) and most; half the points or more is good.
    """
    ind = BY_KEY[prediction["kpi"]]
    points_won = prediction.get("points") or 0
    text = t(key, kpi=t(f"{kpi_kind}.{ind.key}"), value=t.fmt.shown(prediction["value"], ind.fmt),
             got=t.fmt.shown(prediction["end"], ind.fmt), n=points_won, most=MAX_POINTS)
    return text, points_won * 2 >= MAX_POINTS


def outcome_text(t, pred: dict[str, Any] | None) -> tuple[str, bool | None]:
    """A scored prediction as a sentence, and whether it counts as right (None: not scored).

    A number scores points: half of them or more counts as right. Older saves
    hold a direction, right or wrong.
    """
    if not pred or pred.get("end") is None:
        return "", None
    if "value" in pred:
        return scored_text(t, pred, "summary.predict_points", "kpi.short")
    ind = BY_KEY[pred["kpi"]]
    went = (pred["end"] or 0) - (pred["start"] or 0)
    right = (went > 0) == (pred["direction"] > 0)
    key = "summary.predict_right" if right else "summary.predict_wrong"
    return t(key, kpi=t(f"kpi.{ind.key}")), right
