"""Words and numbers of the policy brief, in Dutch (the default) or English.

A brief goes from a policymaker to an alderman, so every number is written
the way that reader writes it: "2,3 weken", "€ 1.234.567", "12 %" in Dutch,
"2.3 weeks", "€1,234,567", "12%" in English. Number shapes, currency patterns,
lists ("a, b en c") and dates come from Babel (CLDR), never from hand-made
rules; the one local choice is the space before the Dutch percent sign, which
the Taalunie advises and the headline labels use ("de 10 % langste").

Differences are put in words with the direction that is good for each KPI
(`Headline.better`), and with only as many digits as their interval supports:
a difference known to within a week is not written to the hundredth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent

from lab.headline import Headline

LANGUAGES = ("nl", "en")
LOCALES = {"nl": "nl_NL", "en": "en_GB"}
MISSING = "–"

# The fewest decimals a difference or mean is written with, per unit (shares in points).
MIN_DECIMALS = {"weeks": 1, "share": 1, "rating": 1, "index": 2, "count": 0, "eur": 0}
MAX_DECIMALS = 3

# Verdicts on a paired difference.
BETTER, WORSE, NONE, SINGLE, UNKNOWN = "better", "worse", "none", "single", "unknown"


def finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


class Numbers:
    """Babel-formatted numbers, money, shares, dates and lists for one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.locale = LOCALES[lang]

    def decimal(self, value: float, decimals: int = 0, signed: bool = False) -> str:
        """2,3 / 25.000; with `signed`, +0,4 and -0,4 (but a plain 0,0 for what rounds to 0)."""
        if not finite(value):
            return MISSING
        value = round(float(value), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
        body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        pattern = f"+{body};-{body}" if signed and value != 0 else body
        return format_decimal(value, pattern, locale=self.locale)

    def percent(self, share: float, decimals: int = 0) -> str:
        """A share in [0, 1] as a percentage: "72 %" in Dutch, "72%" in English."""
        if not finite(share):
            return MISSING
        pattern = _locale(self.lang).percent_formats[None].pattern.split(";")[0]
        if decimals > 0:
            pattern = pattern.replace("0%", "0." + "0" * decimals + "%")
        if self.lang == "nl":
            pattern = pattern.replace("%", "\u00a0%")
        return format_percent(float(share), pattern, locale=self.locale)

    def euro(self, value: float, step: float = 1.0, signed: bool = False) -> str:
        """Whole euros rounded to `step`, in the locale's currency pattern: € 1.234.000."""
        if not finite(value):
            return MISSING
        step = max(1.0, step)
        value = round(float(value) / step) * step + 0.0
        positive, negative = _money_patterns(self.lang)
        if signed and value > 0:
            positive = negative.replace("-", "+")
        return format_currency(value, "EUR", f"{positive};{negative}", locale=self.locale,
                               currency_digits=False)

    def date(self, day: date) -> str:
        return format_date(day, "long", locale=self.locale)

    def join(self, items: list[str]) -> str:
        """"a, b en c" / "a, b and c"."""
        return format_list(items, locale=self.locale) if items else ""

    def plural(self, shown: str) -> str:
        """The CLDR plural category of a number as written ("1" is one, "1,0" is other)."""
        if self.lang == "nl":
            digits = shown.replace(".", "").replace(",", ".")
        else:
            digits = shown.replace(",", "")
        try:
            return _locale(self.lang).plural_form(abs(Decimal(digits.strip("+-"))))
        except ArithmeticError:
            return "other"

    def seeds(self, seeds: tuple[int, ...]) -> str:
        """Seeds as short runs: "1–5, 8 en 10"."""
        parts: list[str] = []
        for first, last in _runs(sorted(set(seeds))):
            if last == first:
                parts.append(str(first))
            elif last == first + 1:
                parts += [str(first), str(last)]
            else:
                parts.append(f"{first}–{last}")
        return self.join(parts)


@cache
def _money_patterns(lang: str) -> tuple[str, str]:
    """The locale's currency pattern without cents, as (positive, negative) halves."""
    pattern = _locale(lang).currency_formats["standard"].pattern.replace(".00", "")
    positive, _, negative = pattern.partition(";")
    return positive, negative or "-" + positive


def _runs(values: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for v in values:
        if runs and v == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], v)
        else:
            runs.append((v, v))
    return runs


# -- words ----------------------------------------------------------------------------------

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Beleidsnotitie: {others} vergeleken met {ref}",
        "title_one": "Beleidsnotitie: scenario {ref}",
        "subtitle": "Berekend met het simulatiemodel Samenspel",
        "h_summary": "Samenvatting",
        "h_tradeoffs": "Winst en verlies per scenario",
        "h_differences": "Verschillen met {ref}",
        "h_charts": "Kerncijfers per scenario",
        "charts_note": "Elke kleine stip is één run; de lijntjes verbinden de runs met dezelfde "
                       "seed. De grote stip is het gemiddelde over de seeds, de streep het "
                       "{conf}-interval daarvan. De verschillen hierboven zijn per seed "
                       "berekend: ze kunnen duidelijk zijn terwijl de strepen overlappen, als de "
                       "lijntjes allemaal dezelfde kant op lopen.",
        "h_uncertainty": "Over de onzekerheid",
        "h_limits": "Wat het model niet weet",
        "h_provenance": "Verantwoording",
        "compared": "Deze notitie vergelijkt {n} scenario's met het simulatiemodel Samenspel: "
                    "{items}.",
        "compared_one": "Deze notitie beschrijft één scenario, doorgerekend met het "
                        "simulatiemodel Samenspel: {items}.",
        "reference": "de referentie",
        "seeds": "Elk scenario is {n} keer doorgerekend, telkens met dezelfde seeds "
                 "(startgetallen voor het toeval): {seeds}.",
        "seeds_one": "Elk scenario is één keer doorgerekend, met seed {seeds}.",
        "weeks": "Een run beslaat {weeks} weken ({years} jaar); de eerste {warmup} weken zijn "
                 "inloop en tellen niet mee, zodat de kerncijfers over de laatste {measured} "
                 "weken gaan.",
        "families": "Het model rekent met {families} gezinnen.",
        "overrides": "Voor alle scenario's aangepast: {items}.",
        "overrides_own": "Alleen voor {name} aangepast: {items}.",
        "version": "Modelversie {version}.",
        "created": "Berekend op {date}.",
        "wins_loses": "{name} wint ten opzichte van {ref} op {wins}, en verliest op {losses}.",
        "wins": "{name} wint ten opzichte van {ref} op {wins}, en verliest op geen enkel "
                "kerncijfer aantoonbaar.",
        "loses": "{name} wint ten opzichte van {ref} op geen enkel kerncijfer aantoonbaar, en "
                 "verliest op {losses}.",
        "neither": "{name} verschilt van {ref} op geen enkel kerncijfer aantoonbaar.",
        "single_seed": "{name}: met één seed is geen verschil met {ref} aantoonbaar.",
        "tradeoffs_none": "Er is maar één scenario, dus er valt niets af te wegen.",
        "col_kpi": "Kerncijfer",
        "col_difference": "Verschil ({conf}-interval)",
        "col_verdict": "Oordeel",
        "v_better": "beter",
        "v_worse": "slechter",
        "v_none": "–",
        "v_single": "niet aantoonbaar",
        "v_unknown": "niet te bepalen",
        "no_difference": "geen aantoonbaar verschil ({lo} tot {hi})",
        "no_interval": "1 seed, geen interval",
        "no_change": "geen verschil: in elke run gelijk",
        "unknown": "niet te bepalen",
        "interval": "{lo} tot {hi}",
        "u1": "Het model is een kansmodel: twee runs van hetzelfde scenario met een andere seed "
              "verschillen, ook als het beleid gelijk is. Daarom is elk scenario met dezelfde "
              "{n} seeds doorgerekend en is per seed het verschil met {ref} bepaald (een gepaard "
              "verschil). Zo valt het toeval dat beide runs delen weg en blijft vooral het "
              "effect van het beleid over.",
        "u2": "Achter elk verschil staat tussen haakjes het {conf}-interval: het bereik waarin "
              "het verschil in het model vrijwel zeker ligt. Het is zo berekend dat het, als je "
              "de hele vergelijking steeds met nieuwe seeds zou herhalen, in {conf} van de "
              "gevallen het echte verschil in het model bevat.",
        "u3": "Ligt nul binnen het interval, dan staat er ‘geen aantoonbaar verschil’: het "
              "verschil is dan niet groter dan het toeval tussen runs. Dat betekent niet dat er "
              "geen effect is. Met meer seeds (nu {n}) wordt het interval smaller.",
        "u3_one": "Met één seed is geen interval te berekenen, en is dus geen enkel verschil "
                  "aantoonbaar. Draai de vergelijking opnieuw met meer seeds.",
        "u4": "Het interval gaat alleen over het toeval in het model, niet over de vraag of het "
              "model de werkelijkheid goed beschrijft. Lees de uitkomsten als richting en orde "
              "van grootte, niet als voorspelling (zie ‘Wat het model niet weet’).",
        "limits_intro": "Het model is een vereenvoudiging van de jeugdzorg. Wat het weglaat of "
                        "vereenvoudigt staat in de modelbeschrijving (docs/ODD.md, hoofdstuk 14); "
                        "de lijst hieronder komt daar letterlijk uit en is daarom in het Engels.",
        "limits_missing": "De beperkingen van het model staan in de modelbeschrijving (ODD), "
                          "hoofdstuk 14 ‘Limitations and known simplifications’, in de "
                          "documentatie van Samenspel. Die beschrijving is bij deze installatie "
                          "niet meegeleverd.",
        "p_scenario": "Scenario",
        "p_file": "Bestand",
        "p_hash": "Vingerafdruk",
        "page": "pagina {n} van {of}",
        # charts
        "lower_better": "lager is beter",
        "higher_better": "hoger is beter",
        "per_seed": "per seed",
        "mean_interval": "gemiddelde met {conf}-interval",
        "target": "doel {value}",
        "target_below": "doel {value} (onder het beeld)",
        "target_above": "doel {value} (boven het beeld)",
        "no_values": "geen waarden",
        "ref_tick": "(referentie)",
        "y_weeks": "weken",
        "y_share": "procent",
        "y_rating": "cijfer (1–10)",
        "y_index": "index",
        "y_count": "aantal",
        "y_eur": "euro",
        "y_eur_thousand": "duizend euro",
        "y_eur_million": "miljoen euro",
        "alt": "{title}: {values}",
    },
    "en": {
        "title": "Policy brief: {others} compared with {ref}",
        "title_one": "Policy brief: scenario {ref}",
        "subtitle": "Computed with the Samenspel simulation model",
        "h_summary": "Summary",
        "h_tradeoffs": "Gains and losses per scenario",
        "h_differences": "Differences from {ref}",
        "h_charts": "Headline figures per scenario",
        "charts_note": "Each small dot is one run; the thin lines join the runs with the same "
                       "seed. The large dot is the mean over the seeds, the bar its {conf} "
                       "interval. The differences above are taken seed by seed: they can be "
                       "clear while the bars overlap, when the thin lines all run the same "
                       "way.",
        "h_uncertainty": "About the uncertainty",
        "h_limits": "What the model does not know",
        "h_provenance": "Provenance",
        "compared": "This brief compares {n} scenarios with the Samenspel simulation model: "
                    "{items}.",
        "compared_one": "This brief describes one scenario, computed with the Samenspel "
                        "simulation model: {items}.",
        "reference": "the reference",
        "seeds": "Each scenario was run {n} times, with the same seeds (starting numbers for "
                 "chance) each time: {seeds}.",
        "seeds_one": "Each scenario was run once, with seed {seeds}.",
        "weeks": "A run covers {weeks} weeks ({years} years); the first {warmup} weeks are a "
                 "warm-up and do not count, so the headline figures describe the last "
                 "{measured} weeks.",
        "families": "The model has {families} families.",
        "overrides": "Changed for all scenarios: {items}.",
        "overrides_own": "Changed for {name} only: {items}.",
        "version": "Model version {version}.",
        "created": "Computed on {date}.",
        "wins_loses": "{name} gains on {wins} compared with {ref}, and loses on {losses}.",
        "wins": "{name} gains on {wins} compared with {ref}, and loses on no headline figure "
                "demonstrably.",
        "loses": "{name} gains on no headline figure demonstrably compared with {ref}, and "
                 "loses on {losses}.",
        "neither": "{name} does not differ demonstrably from {ref} on any headline figure.",
        "single_seed": "{name}: with one seed no difference from {ref} can be demonstrated.",
        "tradeoffs_none": "There is only one scenario, so there is nothing to weigh.",
        "col_kpi": "Headline figure",
        "col_difference": "Difference ({conf} interval)",
        "col_verdict": "Verdict",
        "v_better": "better",
        "v_worse": "worse",
        "v_none": "–",
        "v_single": "not demonstrable",
        "v_unknown": "cannot be determined",
        "no_difference": "no demonstrable difference ({lo} to {hi})",
        "no_interval": "1 seed, no interval",
        "no_change": "no difference: equal in every run",
        "unknown": "cannot be determined",
        "interval": "{lo} to {hi}",
        "u1": "The model works with chance: two runs of the same scenario with different seeds "
              "differ, even when the policy is the same. So each scenario was run with the "
              "same {n} seeds, and the difference from {ref} was taken seed by seed (a paired "
              "difference). The chance both runs share cancels out, and mostly the effect of "
              "the policy remains.",
        "u2": "After each difference, in brackets, is its {conf} interval: the range in which "
              "the difference in the model almost certainly lies. It is computed so that, if "
              "the whole comparison were repeated with new seeds again and again, it would "
              "contain the true difference in the model {conf} of the time.",
        "u3": "When zero lies inside the interval, the brief says ‘no demonstrable "
              "difference’: the difference is then no larger than chance between runs. That "
              "does not mean there is no effect. More seeds (now {n}) make the interval "
              "narrower.",
        "u3_one": "With one seed no interval can be computed, so no difference can be "
                  "demonstrated. Run the comparison again with more seeds.",
        "u4": "The interval is only about chance inside the model, not about whether the model "
              "describes reality well. Read the results as direction and order of magnitude, "
              "not as a forecast (see ‘What the model does not know’).",
        "limits_intro": "The model simplifies youth care. What it leaves out or simplifies is "
                        "listed in the model description (docs/ODD.md, section 14), quoted "
                        "below.",
        "limits_missing": "The model's limitations are listed in the model description (ODD), "
                          "section 14 ‘Limitations and known simplifications’, in the Samenspel "
                          "documentation. That description is not part of this installation.",
        "p_scenario": "Scenario",
        "p_file": "File",
        "p_hash": "Fingerprint",
        "page": "page {n} of {of}",
        "lower_better": "lower is better",
        "higher_better": "higher is better",
        "per_seed": "per seed",
        "mean_interval": "mean with {conf} interval",
        "target": "target {value}",
        "target_below": "target {value} (below the chart)",
        "target_above": "target {value} (above the chart)",
        "no_values": "no values",
        "ref_tick": "(reference)",
        "y_weeks": "weeks",
        "y_share": "per cent",
        "y_rating": "rating (1–10)",
        "y_index": "index",
        "y_count": "number",
        "y_eur": "euros",
        "y_eur_thousand": "thousand euros",
        "y_eur_million": "million euros",
        "alt": "{title}: {values}",
    },
}

# Unit words after a difference: (singular, plural) per language; "" for none.
UNIT_WORDS = {
    "nl": {"weeks": ("week", "weken"), "share": ("procentpunt", "procentpunt"),
           "rating": ("punt", "punt")},
    "en": {"weeks": ("week", "weeks"), "share": ("percentage point", "percentage points"),
           "rating": ("point", "points")},
}
# Direction words: (when the value went down, when it went up).
DIRECTION_WORDS = {
    "nl": {"weeks": ("korter", "langer"), "count": ("minder", "meer"),
           "other": ("lager", "hoger")},
    "en": {"weeks": ("shorter", "longer"), "count": ("fewer", "more"),
           "other": ("lower", "higher")},
}


class Words:
    """The brief's sentences in one language, with its numbers."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.num = Numbers(lang)

    def __call__(self, key: str, **fields: Any) -> str:
        return WORDS[self.lang][key].format(**fields)

    def conf(self, confidence: float) -> str:
        """95 % (nl) / 95% (en): the confidence level as the brief writes it."""
        return self.num.percent(confidence, 0 if round(confidence * 100, 6).is_integer() else 1)


# -- differences in words -------------------------------------------------------------------

@dataclass(frozen=True)
class Stat:
    """One KPI of one scenario from compare.json; NaN where undefined."""

    mean: float = math.nan
    sd: float = math.nan
    n: int = 0
    diff: float = math.nan
    diff_sd: float = math.nan
    diff_lo: float = math.nan
    diff_hi: float = math.nan


def verdict(h: Headline, s: Stat) -> str:
    """better / worse (interval clear of zero), none (spans zero), single (no interval), unknown."""
    if not finite(s.diff):
        return UNKNOWN
    if not (finite(s.diff_lo) and finite(s.diff_hi)):
        return SINGLE
    if s.diff_lo <= 0 <= s.diff_hi:
        return NONE
    went_down = s.diff < 0
    return BETTER if went_down == (h.better == "lower") else WORSE


def scale(h: Headline) -> float:
    """Shares are written in percent(age points), everything else as stored."""
    return 100.0 if h.unit == "share" else 1.0


def decimals(h: Headline, s: Stat) -> int:
    """Down to the first significant digit of the interval's half-width, at least the unit's
    usual decimals: "2,3 weken (1,1 tot 3,5)", not "2,2971 weken"."""
    low = MIN_DECIMALS.get(h.unit, 1)
    half = (s.diff_hi - s.diff_lo) / 2 * scale(h) if finite(s.diff_hi) and finite(s.diff_lo) \
        else math.nan
    if not finite(half) or half <= 0:
        return low
    return max(low, min(MAX_DECIMALS, -math.floor(math.log10(half))))


def money_step(s: Stat) -> float:
    """Round money to two significant digits of the half-width (or three of the difference)."""
    if finite(s.diff_hi) and finite(s.diff_lo) and s.diff_hi > s.diff_lo:
        return max(1.0, 10.0 ** (math.floor(math.log10((s.diff_hi - s.diff_lo) / 2)) - 1))
    size = max((abs(v) for v in (s.diff, s.mean) if finite(v) and v != 0), default=0.0)
    return max(1.0, 10.0 ** (math.floor(math.log10(size)) - 2)) if size else 1.0


def amount(w: Words, h: Headline, value: float, s: Stat, signed: bool = False) -> str:
    """A difference's size in the KPI's unit: "2,3", "€ 120.000", "1,2" (points)."""
    if h.unit == "eur":
        return w.num.euro(value, money_step(s), signed=signed)
    return w.num.decimal(value * scale(h), decimals(h, s), signed=signed)


def with_unit(w: Words, h: Headline, shown: str) -> str:
    """ "2,3" -> "2,3 weken"; "1" -> "1 week"; money and plain numbers stay as they are."""
    words = UNIT_WORDS[w.lang].get(h.unit)
    if not words:
        return shown
    return f"{shown} {words[0] if w.num.plural(shown) == 'one' else words[1]}"


def direction(w: Words, h: Headline, value: float) -> str:
    """ "korter"/"langer" for weeks, "minder"/"meer" for counts, else "lager"/"hoger"."""
    words = DIRECTION_WORDS[w.lang]
    down, up = words.get(h.unit, words["other"])
    return down if value < 0 else up


def difference(w: Words, h: Headline, s: Stat) -> str:
    """The paired difference in words, without the KPI's name: "2,3 weken korter (1,1 tot 3,5)"."""
    kind = verdict(h, s)
    if kind == UNKNOWN:
        return w("unknown")
    if kind == NONE and s.diff_lo == s.diff == s.diff_hi == 0:
        return w("no_change")
    if kind == NONE:
        return w("no_difference", lo=amount(w, h, s.diff_lo, s, signed=True),
                 hi=amount(w, h, s.diff_hi, s, signed=True))
    size = with_unit(w, h, amount(w, h, abs(s.diff), s))
    head = f"{size} {direction(w, h, s.diff)}"
    if kind == SINGLE:
        return f"{head} ({w('no_interval')})"
    near, far = sorted((abs(s.diff_lo), abs(s.diff_hi)))
    return f"{head} ({w('interval', lo=amount(w, h, near, s), hi=amount(w, h, far, s))})"


def sentence(w: Words, h: Headline, s: Stat) -> str:
    """The difference with the KPI's name: "wachttijd 2,3 weken korter (1,1 tot 3,5)"."""
    text = difference(w, h, s)
    joiner = ": " if verdict(h, s) in (NONE, UNKNOWN) else " "
    return f"{h.label(w.lang)}{joiner}{text}"


def mean_text(w: Words, h: Headline, s: Stat, like: Stat | None = None) -> str:
    """A scenario's mean in the KPI's unit, to the precision of the row's difference."""
    ref = like or s
    if h.unit == "eur":
        step = money_step(ref) if finite(ref.diff_lo) else money_step(Stat(mean=s.mean))
        return w.num.euro(s.mean, step)
    if h.unit == "share":
        return w.num.percent(s.mean, decimals(h, ref))
    shown = w.num.decimal(s.mean, decimals(h, ref))
    return with_unit(w, h, shown) if h.unit == "weeks" and finite(s.mean) else shown


def value_text(w: Words, h: Headline, value: float) -> str:
    """A level such as a target, as a reader says it: "4 weken", "90 %", "8,5"."""
    if h.unit == "share":
        return w.num.percent(value)
    if h.unit == "eur":
        return w.num.euro(value)
    shown = w.num.decimal(value, 0 if float(value).is_integer() else 1)
    return with_unit(w, h, shown) if h.unit == "weeks" else shown


def tradeoff(w: Words, name: str, ref: str, pairs: list[tuple[Headline, Stat]]) -> str:
    """One sentence: on which headline KPIs a scenario demonstrably gains and loses."""
    kinds = [(h, verdict(h, s)) for h, s in pairs]
    if kinds and all(k in (SINGLE, UNKNOWN) for _, k in kinds):
        return w("single_seed", name=name, ref=ref)
    wins = [h.label(w.lang) for h, k in kinds if k == BETTER]
    losses = [h.label(w.lang) for h, k in kinds if k == WORSE]
    key = ("wins_loses" if wins and losses else "wins" if wins
           else "loses" if losses else "neither")
    return w(key, name=name, ref=ref, wins=w.num.join(wins), losses=w.num.join(losses))
