"""Every text the player sees comes from `assets/translations/<lang>.json`.

Keys are flat dotted names; values may hold `{name}` fields filled by `t()`.
A missing key shows itself as `[key]` rather than crashing a workshop; the
tests make sure no key is missing in either language.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

ASSETS = Path(__file__).resolve().parent.parent / "assets"
TRANSLATIONS = ASSETS / "translations"
LANGUAGES = ("nl", "en")


@cache
def load(lang: str) -> dict[str, str]:
    with open(TRANSLATIONS / f"{lang}.json", encoding="utf-8") as fh:
        return json.load(fh)


class Translator:
    def __init__(self, lang: str = "nl") -> None:
        self.lang = lang if lang in LANGUAGES else "nl"

    def __call__(self, key: str, **fields: Any) -> str:
        text = load(self.lang).get(key)
        if text is None:
            return f"[{key}]"
        return text.format(**fields) if fields else text

    def has(self, key: str) -> bool:
        return key in load(self.lang)
