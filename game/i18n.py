"""Every text the player sees comes from `assets/translations/<lang>.json`.

Keys are flat dotted names; values may hold `{name}` fields filled by `t()`.
A value may also be a table of plural forms (`{"one": ..., "other": ...}`),
chosen by the field `n` with the language's own plural rule. Numbers given as
fields are written by the language's formatter (`game.fmt`), so "1.234,5"
and "1,234.5" never mix. A missing key shows itself as `[key]` rather than
crashing a workshop; the tests make sure no key is missing in either language.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from game.fmt import formatter
from sim.data import data_dir

ASSETS = data_dir("assets")
TRANSLATIONS = ASSETS / "translations"
LANGUAGES = ("nl", "en")


@cache
def load(lang: str) -> dict[str, Any]:
    with open(TRANSLATIONS / f"{lang}.json", encoding="utf-8") as fh:
        return json.load(fh)


class Translator:
    def __init__(self, lang: str = "nl") -> None:
        self.lang = lang if lang in LANGUAGES else "nl"
        self.fmt = formatter(self.lang)

    def __call__(self, key: str, **fields: Any) -> str:
        text = load(self.lang).get(key)
        if text is None:
            return f"[{key}]"
        if isinstance(text, dict):  # plural forms, chosen by the count `n`
            n = fields.get("n", 0)
            form = self.fmt.plural_form(n) if isinstance(n, int | float) else "other"
            text = text.get(form, text["other"])
        if not fields:
            return text
        shown = {k: self._field(v) for k, v in fields.items()}
        return text.format(**shown)

    def _field(self, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        if isinstance(value, int):  # counts and ids; group only long numbers (12.345)
            return self.fmt.number(value) if abs(value) >= 10_000 else str(value)
        if isinstance(value, float):
            return self.fmt.number(value, 0 if value.is_integer() else 1)
        return value

    def has(self, key: str) -> bool:
        return key in load(self.lang)
