"""What the policy brief says, as plain text in one language, before any layout.

The HTML page and the PDF lay out the same `Brief`, so the two formats can
never tell the alderman different things; only the limitations keep their
markdown, since the web page shows its emphasis and the PDF strips it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lab.brief_charts import title as chart_title
from lab.brief_data import Comparison
from lab.brief_limits import Item, limitations
from lab.brief_text import MISSING, Words, difference, finite, mean_text, tradeoff, verdict
from lab.headline import Headline

WEEKS_PER_YEAR = 52
HASH_CHARS = 12


@dataclass(frozen=True)
class DiffRow:
    """One headline KPI of one scenario against the reference."""

    kpi: str
    ref_value: str
    value: str
    difference: str
    verdict: str  # better / worse / none / single / unknown
    verdict_text: str


@dataclass(frozen=True)
class DiffTable:
    scenario: str
    header: list[str]
    rows: list[DiffRow]


@dataclass(frozen=True)
class ChartText:
    headline: Headline
    title: str
    alt: str


@dataclass
class Brief:
    lang: str
    title: str
    subtitle: str
    headings: dict[str, str]
    summary: str
    tradeoffs: list[str]
    tables: list[DiffTable]
    charts: list[ChartText]
    charts_note: str
    uncertainty: list[str]
    limits_intro: str
    limits: list[Item] | None
    provenance_header: list[str]
    provenance: list[list[str]] = field(default_factory=list)


def build_brief(c: Comparison, lang: str) -> Brief:
    """Every text of the brief for comparison `c` in language `lang` ("nl" or "en")."""
    w = Words(lang)
    ref = c.reference.name
    items = limitations()
    return Brief(
        lang=lang,
        title=_title(w, c),
        subtitle=w("subtitle"),
        headings={key: w(key, ref=ref) for key in ("h_summary", "h_tradeoffs", "h_differences",
                                                   "h_charts", "h_uncertainty", "h_limits",
                                                   "h_provenance")},
        summary=" ".join(_summary(w, c)),
        tradeoffs=_tradeoffs(w, c),
        tables=[_table(w, c, s.name) for s in c.others],
        charts=[ChartText(h, chart_title(w, h), _alt(w, c, h)) for h in c.headline],
        charts_note=w("charts_note", conf=w.conf(c.confidence)),
        uncertainty=_uncertainty(w, c),
        limits_intro=w("limits_intro") if items else w("limits_missing"),
        limits=items,
        provenance_header=[w("p_scenario"), w("p_file"), w("p_hash")],
        provenance=[[s.name, s.file or MISSING, s.scenario_hash[:HASH_CHARS] or MISSING]
                    for s in c.scenarios],
    )


def _title(w: Words, c: Comparison) -> str:
    if not c.others:
        return w("title_one", ref=c.reference.name)
    return w("title", others=w.num.join([s.name for s in c.others]), ref=c.reference.name)


def _summary(w: Words, c: Comparison) -> list[str]:
    """What was compared, how often, how long, with what, by which code, when."""
    items = []
    for i, s in enumerate(c.scenarios):
        notes = [s.file] if s.file else []
        if i == 0 and c.others:
            notes.append(w("reference"))
        items.append(f"{s.name} ({', '.join(notes)})" if notes else s.name)
    n = len(c.scenarios)
    said = [w("compared" if n > 1 else "compared_one", n=n, items=w.num.join(items))]
    seeds = w.num.seeds(c.seeds)
    said.append(w("seeds", n=len(c.seeds), seeds=seeds) if len(c.seeds) > 1
                else w("seeds_one", seeds=seeds))
    years = c.weeks / WEEKS_PER_YEAR
    said.append(w("weeks", weeks=w.num.decimal(c.weeks),
                  years=w.num.decimal(years, 0 if years.is_integer() else 1),
                  warmup=w.num.decimal(c.warmup_weeks),
                  measured=w.num.decimal(c.weeks - c.warmup_weeks)))
    if c.families is not None:
        said.append(w("families", families=w.num.decimal(c.families)))
    if c.overrides:
        said.append(w("overrides", items=w.num.join(list(c.overrides))))
    for s in c.scenarios:
        own = [o for o in s.overrides if o not in c.overrides]
        if own:
            said.append(w("overrides_own", name=s.name, items=w.num.join(own)))
    if c.code_version:
        said.append(w("version", version=c.code_version))
    if c.created is not None:
        said.append(w("created", date=w.num.date(c.created.date())))
    return said


def _tradeoffs(w: Words, c: Comparison) -> list[str]:
    if not c.others:
        return [w("tradeoffs_none")]
    ref = c.reference.name
    return [tradeoff(w, s.name, ref, [(h, c.stat(h.key, s.name)) for h in c.headline])
            for s in c.others]


def _table(w: Words, c: Comparison, name: str) -> DiffTable:
    ref = c.reference.name
    conf = w.conf(c.confidence)
    rows = []
    for h in c.headline:
        stat = c.stat(h.key, name)
        kind = verdict(h, stat)
        rows.append(DiffRow(
            kpi=h.label(w.lang),
            ref_value=mean_text(w, h, c.stat(h.key, ref), like=stat),
            value=mean_text(w, h, stat, like=stat),
            difference=difference(w, h, stat),
            verdict=kind,
            verdict_text=w(f"v_{kind}")))
    header = [w("col_kpi"), ref, name, w("col_difference", conf=conf), w("col_verdict")]
    return DiffTable(name, header, rows)


def _alt(w: Words, c: Comparison, h: Headline) -> str:
    """A chart's text equivalent: each scenario's mean."""
    means = [f"{s.name} {mean_text(w, h, c.stat(h.key, s.name))}" for s in c.scenarios
             if finite(c.stat(h.key, s.name).mean)]
    return w("alt", title=chart_title(w, h), values=w.num.join(means) or MISSING)


def _uncertainty(w: Words, c: Comparison) -> list[str]:
    n = len(c.seeds)
    conf = w.conf(c.confidence)
    ref = c.reference.name
    if n < 2:
        return [w("u1", n=n, ref=ref), w("u3_one"), w("u4")]
    return [w("u1", n=n, ref=ref), w("u2", conf=conf), w("u3", n=n), w("u4")]
