"""`samenspel report DIR`: a policy brief on a comparison, for a policymaker to send on.

The brief turns the folder `samenspel compare` wrote into what an alderman
reads: what was compared, what each scenario gains and loses against the
reference (only what its paired interval shows), one chart per headline KPI,
what the intervals mean and what the model leaves out. It is Dutch by
default (`lang="en"` for English), as one self-contained HTML file (charts
embedded, to mail or print) or a PDF drawn by matplotlib (no browser needed).

The content is built once (`lab.brief_content`) and laid out twice, so the
two formats never disagree; the HTML goes through a Jinja2 template with
autoescaping on, so a scenario called `<script>` is shown, not run. The file
is written atomically: a failed report leaves no half-written brief behind.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from lab.brief_charts import chart_png, draw
from lab.brief_content import Brief, build_brief
from lab.brief_data import Comparison, load_comparison
from lab.brief_limits import nested, to_html
from lab.brief_text import LANGUAGES, Words
from lab.output import atomic_write
from sim.errors import UserError, shorten

FORMATS = ("html", "pdf")
FILE_STEMS = {"nl": "beleidsnotitie", "en": "policy_brief"}
TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "brief.html.j2"


def default_name(fmt: str, lang: str) -> str:
    """beleidsnotitie.html / policy_brief.pdf: the file's name in the brief's language."""
    return f"{FILE_STEMS[lang]}.{fmt}"


def write_report(folder: Path, fmt: str = "html", lang: str = "nl",
                 out: Path | None = None) -> Path:
    """Write the policy brief on the comparison in `folder`; return the file written.

    `out` is the file to write (or a folder to write the default name into);
    without it the brief goes next to compare.json. Raises UserError for a
    format or language it does not know, or a folder that is not a comparison.
    """
    fmt, lang = _choice(fmt, FORMATS, "format"), _choice(lang, LANGUAGES, "language")
    comparison = load_comparison(Path(folder))
    brief = build_brief(comparison, lang)
    path = _target(Path(folder), out, fmt, lang)
    if fmt == "html":
        html = render_html(brief, comparison)
        return atomic_write(path, lambda tmp: tmp.write_text(html, encoding="utf-8"))
    return atomic_write(path, lambda tmp: _write_pdf(tmp, brief, comparison))


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    text = str(value).strip().lower()
    if text not in allowed:
        raise UserError(f"unknown {what} {shorten(repr(value))}; choose one of "
                        f"{', '.join(allowed)}.")
    return text


def _target(folder: Path, out: Path | None, fmt: str, lang: str) -> Path:
    if out is None:
        return folder / default_name(fmt, lang)
    out = Path(out)
    if out.is_dir():
        return out / default_name(fmt, lang)
    if not out.parent.is_dir():
        raise UserError(f"--out {out}: the folder {out.parent} does not exist; create it or "
                        f"choose another place for the brief.")
    return out


def render_html(brief: Brief, comparison: Comparison) -> str:
    """The brief as one HTML page, its charts embedded as PNG."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    charts = [{"key": chart.headline.key, "alt": chart.alt,
               "png": base64.b64encode(chart_png(comparison, chart.headline,
                                                 brief.lang)).decode("ascii")}
              for chart in brief.charts]
    limits = nested(brief.limits, to_html) if brief.limits else []
    return env.get_template(TEMPLATE).render(b=brief, charts=charts, limits=limits)


def _write_pdf(path: Path, brief: Brief, comparison: Comparison) -> None:
    from lab.brief_pdf import write_pdf

    words = Words(brief.lang)

    def draw_chart(ax: Any, headline: Any) -> None:
        draw(ax, comparison, headline, words)

    write_pdf(path, brief, draw_chart, lambda n, of: words("page", n=n, of=of))
