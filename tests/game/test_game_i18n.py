from __future__ import annotations

from game.cards import CARDS
from game.i18n import LANGUAGES, Translator, load
from game.indicators import INDICATORS
from game.scenes.debrief import TABS
from game.stories import WEIGHTS
from sim.domains import SILOS, Domain
from sim.states import Channel, FamilyState, Stress


def dynamic_keys() -> list[str]:
    keys = []
    for card in CARDS:
        keys += [card.title, card.explain, card.tradeoff]
    for ind in INDICATORS:
        keys += [f"kpi.{ind.key}", f"kpi.short.{ind.key}"]
    keys += [f"state.{s.name.lower()}" for s in FamilyState]
    keys += [f"stress.{s.name.lower()}" for s in Stress]
    keys += [f"domain.{d.key}" for d in Domain] + ["domain.light_help"]
    keys += [f"channel.{c.name.lower()}" for c in Channel]
    keys += [f"silo.{s}" for s in SILOS]
    keys += [f"debrief.tab_{t}" for t in TABS]
    keys += [f"hl.{k}" for k in WEIGHTS if k != "top_down_fit_revealed"]
    keys += ["hl.fit_good", "hl.fit_bad", "hl.quiet"]
    keys += [f"save.{k}" for k in ("missing", "corrupt", "incompatible", "scenario")]
    keys += [f"play.why.{k}" for k in ("running", "played", "budget")]
    return keys


def test_both_languages_have_the_same_keys():
    nl, en = load("nl"), load("en")
    assert set(nl) == set(en), set(nl) ^ set(en)
    for lang, table in (("nl", nl), ("en", en)):
        for key, value in table.items():
            forms = value.values() if isinstance(value, dict) else [value]
            assert all(isinstance(v, str) and v.strip() for v in forms), (lang, key)
            if isinstance(value, dict):  # a plural table: "other" is the fallback
                assert "other" in value and set(value) <= {"zero", "one", "two", "few",
                                                           "many", "other"}, (lang, key)


def test_plural_forms_ask_no_field_the_other_form_lacks():
    import string

    for lang in LANGUAGES:
        for key, value in load(lang).items():
            if isinstance(value, dict):
                def fields(text):
                    return {f for _, f, _, _ in string.Formatter().parse(text) if f}

                assert all(fields(v) <= fields(value["other"]) for v in value.values()), (
                    lang, key)


def test_every_key_the_game_builds_exists():
    for lang in LANGUAGES:
        t = Translator(lang)
        missing = [k for k in dynamic_keys() if not t.has(k)]
        assert not missing, (lang, missing)


def test_source_keys_exist():
    import re
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "game"
    used = set()
    for path in src.rglob("*.py"):
        used |= set(re.findall(r'\bt\("([a-z_.]+)"', path.read_text(encoding="utf-8")))
    for lang in LANGUAGES:
        assert used <= set(load(lang)), (lang, used - set(load(lang)))


def test_dutch_is_the_default():
    assert Translator().lang == "nl"
    assert Translator("xx").lang == "nl"
