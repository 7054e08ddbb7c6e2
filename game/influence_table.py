"""The measured influence table (`assets/influence.json`), read by every screen that
says what a card does.

`python -m lab.influence` writes it from paired runs of the model: per card and
KPI the mean difference with and without the card, its 95 % interval, and a
sign only where the interval excludes 0 and the effect survives the table's
false-discovery control (of the arrows shown, about 5 % are expected to be
chance). The influence map, a card's page in play and the team pages in the
browser all read it from here, so no screen
shows a hand-written expectation beside a measured effect that contradicts it.
A card the table does not know (the table is older than the card) falls back
to the card's expected signs (`Card.effects`), and says so.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from game.i18n import ASSETS

TABLE = ASSETS / "influence.json"


@cache
def _load(path: Path, mtime: float) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def load_table(path: Path | None = None) -> dict[str, Any] | None:
    """The measured table, or None when there is none (read again when the file changes)."""
    path = TABLE if path is None else path
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    return _load(path, mtime)


def size_text(t, ind, value: float) -> str:
    """The size of a change in the KPI's own unit: '2,1 wk', '3 %-pt', '0,3', '€ 4K'."""
    v = abs(float(value))
    if ind.fmt == "weeks":
        return t("influence.unit.weeks", value=t.fmt.number(v, 1))
    if ind.fmt == "share":
        return t("influence.unit.points", value=t.fmt.number(100 * v, 1))
    if ind.fmt == "euro":
        return t.fmt.euro(v)
    if ind.fmt == "rating":
        return t.fmt.number(v, 1 if v >= 0.1 else 2)
    return t.fmt.number(v, 1 if v < 10 else 0)


def card_effects(card_id: str, table: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Per KPI the measured effect of a card ({"diff", "lo", "hi", "n", "sign"}), or None."""
    table = load_table() if table is None else table
    if table is None:
        return None
    entry = table.get("cards", {}).get(card_id)
    return entry.get("effects") if isinstance(entry, dict) else None


def signs(card, table: dict[str, Any] | None = None) -> dict[str, int]:
    """KPI -> +1 or -1 (the direction its value moves): measured where known, else expected."""
    measured = card_effects(card.id, table)
    if measured is None:
        return dict(card.effects)
    return {key: int(e["sign"]) for key, e in measured.items()
            if isinstance(e, dict) and e.get("sign")}
