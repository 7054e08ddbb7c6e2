"""Every number and plural the player reads, in the player's language.

One formatter per language, used by the screens and the exports alike, so the
projector and the PDF say "11,8 weken" in Dutch and "11.8 weeks" in English,
never one of each. Number shapes and plural rules come from Babel (CLDR), not
from hand-written rules.
"""

from __future__ import annotations

import math
from functools import cache

from babel import Locale
from babel.numbers import format_compact_currency, format_decimal, format_percent

MISSING = "–"


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


class Formatter:
    """Numbers, shares, money and plural forms for one language ("nl" or "en")."""

    def __init__(self, lang: str = "nl") -> None:
        self.lang = lang

    def number(self, value: float | None, decimals: int = 0) -> str:
        """11,8 / 11.8; thousands grouped (25.000 / 25,000)."""
        if _missing(value):
            return MISSING
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        return format_decimal(round(float(value), decimals) + 0.0, pattern, locale=self.lang)

    def share(self, value: float | None, decimals: int = 0) -> str:
        """A share in [0, 1] as a percentage: 72%."""
        if _missing(value):
            return MISSING
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "%"
        return format_percent(float(value), pattern, locale=self.lang)

    def euro(self, value: float | None) -> str:
        """Money in a few characters: € 250K / €1.2M (Dutch: € 1,2 mln.)."""
        if _missing(value):
            return MISSING
        v = float(value)
        if abs(v) < 1000:  # the compact format does not round amounts below a thousand
            v = float(round(v))
        digits = 0 if abs(v) < 1_000_000 else 1
        return format_compact_currency(v, "EUR", locale=self.lang, fraction_digits=digits)

    def euro_exact(self, value: float | None) -> str:
        """Money in whole euros: € 250.000 / €250,000."""
        if _missing(value):
            return MISSING
        return "€" + (" " if self.lang == "nl" else "") + self.number(value)

    def plural_form(self, n: float) -> str:
        """CLDR plural category for `n` ("one", "other", ...)."""
        return _locale(self.lang).plural_form(abs(n))

    def shown(self, value: float | None, kind: str) -> str:
        """A value as one of the game's kinds: weeks, share, rating, euro, number."""
        if kind in ("weeks", "rating"):
            return self.number(value, 1)
        if kind == "share":
            return self.share(value)
        if kind == "euro":
            return self.euro(value)
        return self.number(value)


@cache
def formatter(lang: str) -> Formatter:
    return Formatter(lang)
