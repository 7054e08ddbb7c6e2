"""Every number the player reads comes out of one formatter per language."""

from __future__ import annotations

import math

import pytest

from game.fmt import Formatter
from game.i18n import Translator


@pytest.mark.parametrize(("lang", "weeks", "share", "big"), [
    ("nl", "11,8", "72%", "25.000"),
    ("en", "11.8", "72%", "25,000"),
])
def test_numbers_follow_the_language(lang, weeks, share, big):
    f = Formatter(lang)
    assert f.shown(11.83, "weeks") == weeks
    assert f.shown(0.724, "share") == share
    assert f.number(25_000) == big


def test_dutch_money_and_decimals_never_use_the_english_point():
    f = Formatter("nl")
    assert f.shown(8.5, "rating") == "8,5"
    assert f.euro(250_000) == "€\xa0250K"
    assert "," in f.euro(1_500_000) and "." not in f.euro(1_500_000).rstrip(".")
    assert f.euro_exact(250_000) == "€ 250.000"


@pytest.mark.parametrize(("lang", "value", "shown"), [
    ("nl", 643.166, "€\xa0643"), ("en", 947.177, "€947"), ("nl", -12.5, "-€\xa012"),
    ("nl", 999.6, "€\xa01K"),
])
def test_small_amounts_are_whole_euros_not_thousands_in_disguise(lang, value, shown):
    """Below a thousand the compact format kept every decimal: "€ 643,166" read as
    643 thousand in Dutch (a card's measured cost change on its page)."""
    assert Formatter(lang).euro(value) == shown


def test_missing_values_show_a_dash_not_nan():
    f = Formatter("nl")
    for value in (None, math.nan, math.inf):
        assert f.shown(value, "weeks") == "–"


def test_rounding_is_to_what_is_shown():
    f = Formatter("en")
    assert f.number(0.04, 1) == "0.0"
    assert f.number(-0.04, 1) == "0.0"  # no "-0.0" on screen


@pytest.mark.parametrize(("lang", "n", "form"), [
    ("nl", 1, "one"), ("nl", 0, "other"), ("nl", 3, "other"),
    ("en", 1, "one"), ("en", 2, "other"),
])
def test_plural_rules_come_from_the_language(lang, n, form):
    assert Formatter(lang).plural_form(n) == form


def test_translator_picks_the_plural_form_and_formats_the_count():
    from game.i18n import load

    plural_keys = [k for k, v in load("nl").items() if isinstance(v, dict)
                   and all("{n}" in form for form in (*v.values(), *load("en")[k].values()))]
    assert plural_keys, "no plural table in the translations"
    key = plural_keys[0]
    for lang in ("nl", "en"):
        t = Translator(lang)
        one, many = t(key, n=1), t(key, n=3)
        assert one != many, (lang, key)
        assert "1" in one and "3" in many
    assert Translator("nl")("title.team_default", n=12_345).endswith("12.345")
