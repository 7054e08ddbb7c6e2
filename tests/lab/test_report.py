"""The policy brief (`lab.report`) on a hand-made compare folder: no model runs.

The fixture writes what `samenspel compare` writes - compare.json with paired
differences and their t-intervals, and runs.parquet with one row per run - from
per-seed values chosen so the expected sentences are known: the integrated
scenario waits 2,3 weeks less (interval 1,0 to 3,6), costs € 120.000 a year
more, and does not demonstrably change professional satisfaction.
"""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lab import brief_content, brief_limits
from lab.brief_text import Numbers, Stat, Words, difference, sentence, verdict
from lab.compare import t_half_width
from lab.headline import BY_KEY, HEADLINES
from lab.report import write_report
from sim.errors import UserError

SEEDS = [1, 2, 3, 4, 5]
BASELINE = {
    "mean_wait_weeks": [6.0, 7.2, 5.4, 6.6, 6.3],
    "share_ended_without_further_help": [0.71, 0.74, 0.69, 0.72, 0.73],
    "client_rating": [7.1, 7.3, 6.9, 7.2, 7.0],
    "professional_satisfaction": [0.62, 0.60, 0.64, 0.61, 0.63],
    "p90_wait_weeks": [14.0, 16.5, 12.8, 15.1, 14.6],
    "relapse_share": [0.21, 0.19, 0.23, 0.20, 0.22],
    "escalations_per_year": [120, 131, 112, 125, 118],
    "cost_per_year_eur": [61.2e6, 62.0e6, 60.5e6, 61.7e6, 61.0e6],
}
CHANGES = {
    "integraal": {
        "mean_wait_weeks": [-1.0, -3.6, -2.0, -3.2, -1.7],
        "share_ended_without_further_help": [0.03, 0.05, 0.02, 0.04, 0.04],
        "client_rating": [0.3, 0.2, 0.4, 0.3, 0.3],
        "professional_satisfaction": [0.02, -0.03, 0.01, -0.01, 0.0],
        "p90_wait_weeks": [-3.0, -4.0, -2.5, -3.5, -3.0],
        "relapse_share": [-0.01, 0.0, -0.02, -0.01, -0.01],
        "escalations_per_year": [-5, -8, -3, -6, -4],
        "cost_per_year_eur": [80e3, 200e3, 40e3, 150e3, 130e3],
    },
    "top_down": {
        "mean_wait_weeks": [0.5, 1.0, 0.3, 0.8, 0.6],
        "professional_satisfaction": [-0.05, -0.04, -0.06, -0.05, -0.04],
        "cost_per_year_eur": [-50e3, 20e3, -10e3, 30e3, 0.0],
    },
}


def run_rows(names: list[str], seeds: list[int]) -> pd.DataFrame:
    """One row per scenario and seed, as compare's runs.parquet has them."""
    rows = []
    for seed_index, seed in enumerate(seeds):
        for name in names:
            # a scenario the fixture does not know (e.g. a hostile name) acts like integraal
            change = CHANGES.get(name, CHANGES["integraal"] if name != names[0] else {})
            row = {"run_key": f"{name}-{seed}", "scenario": name, "seed": seed, "weeks": 416,
                   "scenario_hash": f"hash-{name}", "code_version": "0.1.0+test"}
            for kpi, values in BASELINE.items():
                delta = change.get(kpi, [0.0] * len(SEEDS))
                row[kpi] = values[seed_index] + delta[seed_index]
            rows.append(row)
    return pd.DataFrame(rows)


def kpi_rows(runs: pd.DataFrame, names: list[str], confidence: float = 0.95) -> list[dict]:
    """Per KPI and scenario: mean, sd and the paired difference to names[0] with its interval."""
    rows = []
    for kpi in BASELINE:
        wide = runs.pivot(index="seed", columns="scenario", values=kpi)[names].astype(float)
        ref = wide[names[0]].to_numpy()
        for name in names:
            values = wide[name].to_numpy()
            diffs = values - ref
            n = len(values)
            dsd = float(np.std(diffs, ddof=1)) if n > 1 else None
            half = t_half_width(dsd, n, confidence) if dsd is not None else math.nan
            dmean = float(diffs.mean())
            rows.append({"kpi": kpi, "scenario": name, "mean": float(values.mean()),
                         "sd": float(np.std(values, ddof=1)) if n > 1 else None, "n": n,
                         "diff": dmean, "diff_sd": dsd,
                         "diff_lo": dmean - half if math.isfinite(half) else None,
                         "diff_hi": dmean + half if math.isfinite(half) else None})
    return rows


def make_compare(folder: Path, names: list[str] | None = None,
                 seeds: list[int] | None = None) -> Path:
    """A compare output folder: compare.json, runs.parquet and runs.csv."""
    names = names or ["baseline", "integraal", "top_down"]
    seeds = seeds or SEEDS
    folder.mkdir(parents=True, exist_ok=True)
    runs = run_rows(names, seeds)
    runs.to_parquet(folder / "runs.parquet", index=False)
    runs.to_csv(folder / "runs.csv", index=False)
    data = {
        "kind": "compare",
        "created": "2026-11-29T10:00:00+00:00",
        "code_version": "0.1.0+g8c4ac5e",
        "scenarios": [{"name": n, "file": f"scenarios/{n}.toml", "scenario_hash": f"hash-{n}",
                       "overrides": []} for n in names],
        "seeds": seeds, "weeks": 416, "warmup_weeks": 260, "families": 25000,
        "overrides": ["population.families=5000"],
        "confidence": 0.95,
        "headline": [h.key for h in HEADLINES],
        "kpis": kpi_rows(runs, names),
    }
    (folder / "compare.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    return folder


class Page(HTMLParser):
    """Headings, images and text of an HTML page, and whether its tags balance."""

    VOID = {"img", "meta", "br", "hr", "link", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.images: list[dict[str, str]] = []
        self.figures: list[str] = []
        self.open: list[str] = []
        self.text: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in self.VOID:
            self.open.append(tag)
        if tag in ("h1", "h2", "h3"):
            self._heading = []
        if tag == "img":
            self.images.append(dict(attrs))
        if tag == "figure":
            self.figures.append(dict(attrs).get("id", ""))

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)


def parse(path: Path) -> tuple[Page, str]:
    html = path.read_text(encoding="utf-8")
    page = Page()
    page.feed(html)
    page.close()
    assert not page.open, f"unclosed tags: {page.open}"
    return page, html


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_compare(tmp_path_factory.mktemp("compare") / "cmp")


@pytest.fixture(scope="module")
def dutch(folder: Path) -> tuple[Path, Page, str]:
    path = write_report(folder)
    return (path, *parse(path))


def plain(text: str) -> str:
    """Babel's no-break spaces as ordinary ones, to compare with what a reader sees."""
    return text.replace("\u00a0", " ")


# -- the HTML brief -------------------------------------------------------------------------

def test_dutch_html_is_written_next_to_compare_json(folder: Path, dutch) -> None:
    path, page, _ = dutch
    assert path == folder / "beleidsnotitie.html"
    assert page.headings[0] == "Beleidsnotitie: integraal en top_down vergeleken met baseline"
    for heading in ("Samenvatting", "Winst en verlies per scenario", "Verschillen met baseline",
                    "Kerncijfers per scenario", "Over de onzekerheid", "Wat het model niet weet"):
        assert heading in page.headings


def test_every_headline_kpi_has_a_chart(dutch) -> None:
    _, page, _ = dutch
    assert page.figures == [f"chart-{h.key}" for h in HEADLINES]
    assert len(page.images) == len(HEADLINES)
    for img in page.images:
        assert img["src"].startswith("data:image/png;base64,iVBOR")  # PNG's signature
        assert img["alt"]


def test_dutch_numbers_and_words(dutch) -> None:
    _, page, html = dutch
    text = plain("".join(page.text))
    assert "2,3 weken korter (1,0 tot 3,6)" in text
    assert "€ 120.000 hoger (€ 43.000 tot € 197.000)" in text
    assert "procentpunt hoger" in text  # shares differ in percentage points
    assert "escalaties" in text and "minder" in text
    assert "geen aantoonbaar verschil" in text  # professional satisfaction spans zero
    assert "geen verschil: in elke run gelijk" in text  # top_down left this KPI alone
    assert "25.000 gezinnen" in text
    assert "29 november 2026" in text
    assert "1–5" in text  # the seeds
    assert "416 weken (8 jaar)" in text and "260 weken" in text
    assert "population.families=5000" in text and "0.1.0+g8c4ac5e" in text
    assert "scenarios/integraal.toml" in text
    assert re.search(r"95 %-interval", text)
    assert 'lang="nl"' in html


def test_tradeoffs_say_what_each_scenario_gains_and_loses(dutch) -> None:
    text = plain("".join(dutch[1].text))
    line = next(s for s in text.split("\n") if s.startswith("integraal wint"))
    assert "wachttijd" in line and "verliest op kosten per jaar" in line
    assert "tevredenheid professionals" not in line  # no demonstrable difference
    top = next(s for s in text.split("\n") if s.startswith("top_down"))
    assert "verliest op" in top and "wachttijd" in top


def test_limitations_are_quoted_from_the_odd(dutch) -> None:
    _, page, html = dutch
    text = "".join(page.text)
    assert "Simplifications by design" in page.headings
    assert "No ageing." in text and "Per-hour payment follows occupied places" in text
    assert "Remove these items once they are fixed" not in text  # a note to maintainers
    assert "modelbeschrijving" in text and "Engels" in text
    assert '<div lang="en">' in html
    assert "<strong>No ageing.</strong>" in html and "<code>alternative</code>" in html


def test_english_brief(folder: Path) -> None:
    path = write_report(folder, lang="en")
    assert path == folder / "policy_brief.html"
    page, html = parse(path)
    text = plain("".join(page.text))
    for heading in ("Summary", "Differences from baseline", "What the model does not know",
                    "About the uncertainty"):
        assert heading in page.headings
    assert "2.3 weeks shorter (1.0 to 3.6)" in text
    assert "€120,000 higher (€43,000 to €197,000)" in text
    assert "no demonstrable difference" in text
    assert "25,000 families" in text and "29 November 2026" in text
    assert "integraal gains on" in text
    assert "weken" not in text
    assert 'lang="en"' in html


def test_names_are_escaped(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    folder = make_compare(tmp_path / "cmp", names=["baseline", evil])
    path = write_report(folder)
    html = path.read_text(encoding="utf-8")
    assert evil not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    parse(path)  # still well formed


def test_out_may_name_a_file_or_a_folder(folder: Path, tmp_path: Path) -> None:
    assert write_report(folder, out=tmp_path / "brief.html") == tmp_path / "brief.html"
    assert write_report(folder, "html", "en", out=tmp_path) == tmp_path / "policy_brief.html"
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, nothing left over


def test_without_a_run_table_the_brief_still_has_its_charts(tmp_path: Path) -> None:
    folder = make_compare(tmp_path / "cmp")
    (folder / "runs.parquet").unlink()
    (folder / "runs.csv").unlink()
    page, _ = parse(write_report(folder))
    assert len(page.images) == len(HEADLINES)


def test_one_seed_has_no_intervals_and_claims_nothing(tmp_path: Path) -> None:
    folder = make_compare(tmp_path / "cmp", names=["baseline", "integraal"], seeds=[7])
    data = json.loads((folder / "compare.json").read_text())
    assert data["kpis"][1]["diff_lo"] is None
    text = plain("".join(parse(write_report(folder))[0].text))
    assert "1 seed, geen interval" in text
    assert "met één seed is geen verschil met baseline aantoonbaar" in text
    assert "wint" not in text


# -- the PDF --------------------------------------------------------------------------------

def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.parametrize("lang,name", [("nl", "beleidsnotitie.pdf"), ("en", "policy_brief.pdf")])
def test_pdf(folder: Path, lang: str, name: str) -> None:
    path = write_report(folder, "pdf", lang)
    assert path == folder / name
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    # front and table, four pages of charts, uncertainty and limitations
    assert pages(data) >= 6


def test_pdf_text_stays_inside_the_margins() -> None:
    """Every text placed on a page lies within the page, whatever its length."""
    from lab.brief_pdf import BOTTOM, LEFT, PAGE, RIGHT, Layout, wrap
    from lab.brief_pdf import STYLES as S

    layout = Layout()
    layout.block("lang " * 2000 + "€\u00a01.234.567 " + "x" * 300, "p")
    layout.bullet("Een heel lange opsomming " * 30)
    figures = layout.finish("titel " * 50, lambda n, of: f"pagina {n} van {of}")
    assert len(figures) >= 2
    for fig in figures:
        renderer = fig.canvas.get_renderer()
        for text in fig.texts:
            box = text.get_window_extent(renderer)
            width, height = fig.get_size_inches() * fig.dpi
            assert box.x0 >= LEFT * fig.dpi - 1 and box.x1 <= width - RIGHT * fig.dpi + 1
            assert box.y0 >= (BOTTOM - 0.5) * fig.dpi and box.y1 <= height
    assert all(len(line) > 0 for line in wrap("a " * 10, S["p"].font, 1.0))
    assert PAGE[0] > LEFT + RIGHT


# -- bad folders ------------------------------------------------------------------------------

@pytest.mark.parametrize("content,expected", [
    (None, "has no compare.json"),
    ("{not json", "is not valid JSON"),
    ("[1, 2]", "not an object"),
    ('{"kind": "sweep"}', "not the output of a comparison"),
    ('{"kind": 3}', "'kind' must be a text"),
    ('{"seeds": [1]}', "'kind' is missing"),
    ('{"kind": "compare", "scenarios": [{"name": "a"}]}', "'seeds' is missing"),
    ('{"kind": "compare", "scenarios": [{"name": "a"}], "seeds": "1,2", "weeks": 10,'
     ' "warmup_weeks": 2, "kpis": []}', "'seeds' must be a list"),
    ('{"kind": "compare", "scenarios": [{"name": 3}], "seeds": [1], "weeks": 10,'
     ' "warmup_weeks": 2, "kpis": []}', "scenarios[0].'name' must be a text"),
    ('{"kind": "compare", "scenarios": [{"name": "a"}], "seeds": [1], "weeks": 10,'
     ' "warmup_weeks": 20, "kpis": []}', "'warmup_weeks' must be at least 0"),
    ('{"kind": "compare", "scenarios": [{"name": "a"}], "seeds": [1], "weeks": 10,'
     ' "warmup_weeks": 2, "kpis": [{"kpi": "x", "scenario": "a", "mean": "6"}]}',
     "kpis[0].'mean' must be a number or null"),
    ('{"kind": "compare", "scenarios": [{"name": "a"}], "seeds": [1], "weeks": 10,'
     ' "warmup_weeks": 2, "kpis": [{"kpi": "x", "scenario": "b"}]}', "not one of the scenarios"),
])
def test_bad_compare_json_is_a_user_error(tmp_path: Path, content: str | None,
                                          expected: str) -> None:
    folder = tmp_path / "cmp"
    folder.mkdir()
    if content is not None:
        (folder / "compare.json").write_text(content, encoding="utf-8")
    with pytest.raises(UserError) as info:
        write_report(folder)
    message = str(info.value)
    assert expected in message
    assert "samenspel compare" in message and str(folder) in message
    assert not list(folder.glob("beleidsnotitie*"))


def test_missing_folder_and_unknown_choices_are_user_errors(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="samenspel compare"):
        write_report(tmp_path / "nowhere")
    with pytest.raises(UserError, match="format"):
        write_report(folder, fmt="docx")
    with pytest.raises(UserError, match="language"):
        write_report(folder, lang="de")
    with pytest.raises(UserError, match="does not exist"):
        write_report(folder, out=tmp_path / "no" / "brief.html")


def test_unreadable_run_table_is_a_user_error(tmp_path: Path) -> None:
    folder = make_compare(tmp_path / "cmp")
    (folder / "runs.parquet").write_bytes(b"not parquet")
    with pytest.raises(UserError, match="runs.parquet"):
        write_report(folder)


# -- words and numbers ------------------------------------------------------------------------

def test_differences_in_words() -> None:
    nl, en = Words("nl"), Words("en")
    wait, cost, share = BY_KEY["mean_wait_weeks"], BY_KEY["cost_per_year_eur"], \
        BY_KEY["relapse_share"]
    shorter = Stat(diff=-2.3, diff_lo=-3.5, diff_hi=-1.1, n=5)
    assert sentence(nl, wait, shorter) == "wachttijd 2,3 weken korter (1,1 tot 3,5)"
    assert sentence(en, wait, shorter) == "wait 2.3 weeks shorter (1.1 to 3.5)"
    assert verdict(wait, shorter) == "better"
    dearer = Stat(diff=120_000, diff_lo=40_000, diff_hi=200_000, n=5)
    assert plain(sentence(nl, cost, dearer)) == \
        "kosten per jaar € 120.000 hoger (€ 40.000 tot € 200.000)"
    assert verdict(cost, dearer) == "worse"
    spans = Stat(diff=0.003, diff_lo=-0.004, diff_hi=0.011, n=5)
    assert plain(difference(nl, share, spans)) == \
        "geen aantoonbaar verschil (-0,4 tot +1,1)"  # in percentage points
    assert difference(en, share, Stat(diff=0.012, diff_lo=0.004, diff_hi=0.02, n=5)) == \
        "1.2 percentage points higher (0.4 to 2.0)"
    one_week = Stat(diff=1.0, diff_lo=0.6, diff_hi=1.4)
    assert difference(nl, wait, one_week) == "1,0 weken langer (0,6 tot 1,4)"
    assert difference(nl, wait, Stat()) == "niet te bepalen"


def test_numbers_through_babel() -> None:
    nl, en = Numbers("nl"), Numbers("en")
    assert plain(nl.euro(1_234_567)) == "€ 1.234.567"
    assert en.euro(1_234_567) == "€1,234,567"
    assert plain(nl.percent(0.12)) == "12 %" and en.percent(0.12) == "12%"
    assert nl.decimal(2.3, 1) == "2,3" and en.decimal(25_000) == "25,000"
    assert nl.decimal(-0.01, 1, signed=True) == "0,0"  # no "-0,0"
    assert nl.seeds((1, 2, 3, 4, 5, 8, 10, 11)) == "1–5, 8, 10 en 11"
    assert Words("nl").conf(0.95) == "95\u00a0%"


def test_limitations_fall_back_when_the_odd_is_absent(folder: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(brief_content, "limitations",
                        lambda: brief_limits.limitations(tmp_path / "absent.md"))
    page, _ = parse(write_report(folder, out=tmp_path / "b.html"))
    text = "".join(page.text)
    assert "niet meegeleverd" in text and "No ageing" not in text


def test_limitations_parser_keeps_bullets_and_groups(tmp_path: Path) -> None:
    odd = tmp_path / "ODD.md"
    odd.write_text("## 13. Other\n- no\n## 14. Limitations and known simplifications\n\n"
                   "### 14.1 By design\n\n**Group**\n- **One.** first\n  line\n"
                   "- Two:\n  - a\n    b\n  - c\n\nA note to maintainers.\n\n"
                   "## 15. Glossary\n- x\n",
                   encoding="utf-8")
    items = brief_limits.limitations(odd)
    assert [(i.kind, i.text, i.children) for i in items] == [
        ("heading", "By design", []), ("group", "Group", []),
        ("bullet", "**One.** first line", []), ("bullet", "Two:", ["a b", "c"])]
