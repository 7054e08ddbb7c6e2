"""Debrief export: a PNG of the charts, a PDF report and one self-contained HTML report.

Each format is written on its own (the debrief has a button per format). The
reports carry what the debrief shows: the KPI table, the charts, each team's
cards and prediction per round and the families' stories, with every number
through the language's formatter, so the Dutch PDF says "11,8" like the
screen. The charts use the same fixed ranges and units as the game's.

matplotlib is imported on first use (not with the debrief scene), through its
object API rather than pyplot, so an export can run in a background thread.
The HTML embeds its charts as base64 PNG so it can be mailed as one file.
"""

from __future__ import annotations

import base64
import io
import textwrap
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from game.cards import BY_ID
from game.charts import MPL_MARKERS, TEAM_MARKERS, needs_outline
from game.fmt import Formatter
from game.i18n import Translator
from game.indicators import BY_KEY, INDICATORS, Indicator, rank
from game.predictions import scored_text
from game.render import BAD, GOOD, TEAM_COLOURS
from game.session import ROUND_WEEKS
from game.stories import family_story, interesting_families, retold_summary

KINDS = ("png", "pdf", "html")
A4_LANDSCAPE = (11.69, 8.27)
STORY_LINES = 8


# -- content shared by the screen and the reports ---------------------------------


def team_colour(k: int) -> tuple[int, int, int]:
    return TEAM_COLOURS[k % len(TEAM_COLOURS)]


def hex_colour(c: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*c)


def cards_text(t: Translator, team, r: int) -> str:
    cards = team.cards[r] if r < len(team.cards) else []
    return ", ".join(t(BY_ID[c].title) for c in cards) or "–"


def prediction(t: Translator, team, r: int) -> tuple[str, bool | None]:
    """A round's prediction as a sentence and whether it came true (None: none made)."""
    pred = next((p for p in team.predictions if p["round"] == r), None)
    if pred is None or pred.get("end") is None:
        return "–", None
    if "value" in pred:  # a number, scored in points
        text, good = scored_text(t, pred, "debrief.prediction_value", "kpi.short")
        return text + ("  ✓" if good else "  ✗"), good
    went_up = (pred["end"] or 0) > (pred["start"] or 0)
    right = went_up == (pred["direction"] > 0)
    text = t("debrief.prediction", kpi=t(f"kpi.short.{BY_KEY[pred['kpi']].key}"),
             said="▲" if pred["direction"] > 0 else "▼", got="▲" if went_up else "▼")
    return text + ("  ✓" if right else "  ✗"), right


def table_rows(session, t: Translator) -> list[list[str]]:
    """KPI, target, start and each team's final value (with its place when there are teams)."""
    teams = session.teams
    rows = [[t("debrief.kpi"), t("debrief.target"), t("debrief.start")]
            + [team.name for team in teams]]
    for ind in INDICATORS:
        finals = [team.history[-1][ind.key] for team in teams]
        places = rank(ind, finals)
        cells = [ind.show(v, t.fmt) + (f" ({t('debrief.rank', n=p, of=len(teams))})"
                                       if p is not None and len(teams) > 1 else "")
                 for v, p in zip(finals, places, strict=True)]
        rows.append([t(f"kpi.{ind.key}"), ind.show_target(t.fmt) or "–",
                     ind.show(teams[0].history[0][ind.key], t.fmt)] + cells)
    return rows


def report_data(session, t: Translator) -> dict[str, Any]:
    """Everything the PDF and the HTML say, as plain translated text."""
    from game.turning_export import team_texts

    turning = team_texts(session, t)
    teams = []
    for k, team in enumerate(session.teams):
        rounds = []
        for r in range(session.rounds):
            text, right = prediction(t, team, r)
            rounds.append({"label": t("debrief.round", n=r + 1), "cards": cards_text(t, team, r),
                           "prediction": text, "right": right,
                           "css": {True: "right", False: "wrong"}.get(right, "")})
        title, lines = retold_summary(t, team.model, session.warmup)
        stories = [{"title": title, "lines": lines}] + [
            {"title": t("family.title", n=f),
             "lines": family_story(t, team.model.timeline(f), session.warmup, last=STORY_LINES)}
            for f in interesting_families(team.model, session.warmup)]
        teams.append({"name": team.name, "colour": hex_colour(team_colour(k)), "rounds": rounds,
                      "stories": stories, "score": turning[k]["score"],
                      "turning": [{"text": text, "round": kind == "round"}
                                  for kind, text in turning[k]["rows"]]})
    return {"lang": t.lang, "title": t("debrief.title"), "table": table_rows(session, t),
            "teams": teams, "cards": t("debrief.tab_cards"), "turning": t("tp.heading"),
            "turning_note": t("debrief.turning_legend"),
            "predictions": t("debrief.tab_predictions"), "stories": t("debrief.tab_stories"),
            "charts": t("debrief.tab_charts"), "good": hex_colour(GOOD), "bad": hex_colour(BAD)}


# -- charts --------------------------------------------------------------------------


def axis_formatter(ind: Indicator, fmt: Formatter) -> Callable[[float, Any], str]:
    """The tick labels of a KPI's value axis, as the game writes them (60%, € 50K, 7,5)."""
    return lambda value, _pos=None: ind.tick(value, fmt)


def _chart(ax, ind: Indicator, session, t: Translator, length: int) -> None:
    from matplotlib.patheffects import withStroke
    from matplotlib.ticker import FuncFormatter

    teams = session.teams
    series = [[row[ind.key] for row in team.history] for team in teams]
    bounds = list(range(0, length, ROUND_WEEKS))
    for k, (team, ys) in enumerate(zip(teams, series, strict=True)):
        colour = [c / 255 for c in team_colour(k)]
        marks = [m for m in bounds[1:] if m < len(ys)] + [len(ys) - 1]
        edge = [withStroke(linewidth=3.5, foreground="0.25")] \
            if needs_outline(team_colour(k), (255, 255, 255)) else None
        ax.plot(range(len(ys)), ys, color=colour, lw=2, label=team.name,
                marker=MPL_MARKERS[TEAM_MARKERS[k % len(TEAM_MARKERS)]], markevery=marks,
                markersize=7, markeredgecolor="0.25", path_effects=edge)
    if ind.target is not None:
        ax.axhline(ind.target, color="0.4", ls="--", lw=1, label=t("debrief.target"))
    for m in bounds[1:]:
        ax.axvline(m, color="0.88", lw=1, zorder=0)
    lo, hi = ind.value_range(teams[0].history[0][ind.key], [v for s in series for v in s])
    ax.set_ylim(lo, hi)
    ax.set_xlim(0, length - 1)
    ax.set_yticks(ind.ticks(lo, hi))
    ax.yaxis.set_major_formatter(FuncFormatter(axis_formatter(ind, t.fmt)))
    ax.set_xticks(bounds)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p=None: t.fmt.number(v)))
    rounds = ax.secondary_xaxis("top")
    rounds.set_xticks([m + ROUND_WEEKS / 2 for m in bounds[:-1]],
                      [t("debrief.round_short", n=r + 1) for r in range(len(bounds) - 1)])
    rounds.tick_params(length=0, labelsize=8, labelcolor="0.4")
    ax.set_title(t(f"kpi.{ind.key}"), fontsize=11)
    ax.set_xlabel(t("debrief.weeks"))
    ax.set_ylabel(t(ind.unit))


def chart_figure(session, t: Translator, size: tuple[float, float] = (13, 7.5), parent=None):
    """The six KPI charts of every team, with a shared legend; built once per export (or
    drawn into `parent`, a part of a larger figure)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = parent
    if fig is None:
        fig = Figure(figsize=size)  # fixed margins: a constrained layout doubles the save
        FigureCanvasAgg(fig)
    axes = fig.subplots(2, 3, gridspec_kw={"left": 0.065, "right": 0.985, "top": 0.87,
                                           "bottom": 0.14, "wspace": 0.3, "hspace": 0.55})
    length = session.rounds * ROUND_WEEKS + 1
    for ax, ind in zip(axes.flat, INDICATORS, strict=True):
        _chart(ax, ind, session, t, length)
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=min(len(names), 7), frameon=False)
    fig.suptitle(t("debrief.title"), fontsize=15)
    return fig


# -- PDF -------------------------------------------------------------------------------


def _table_page(data: dict[str, Any]):
    """The title and the KPI table on an A4 page; a team's value and place on two lines."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4_LANDSCAPE)
    FigureCanvasAgg(fig)
    fig.text(0.06, 0.93, data["title"], fontsize=20, weight="bold")
    ax = fig.add_axes((0.06, 0.08, 0.88, 0.8))
    ax.axis("off")
    header, *rows = data["table"]
    teams = len(header) - 3
    header = header[:3] + [textwrap.fill(name, 14) for name in header[3:]]
    rows = [[textwrap.fill(row[0], 26), row[1], row[2]]
            + [cell.replace(" (", "\n(") for cell in row[3:]] for row in rows]
    width = [0.25, 0.07, 0.08] + [0.6 / max(teams, 1)] * teams
    table = ax.table(cellText=rows, colLabels=header, colWidths=width, loc="upper center",
                     cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(10 if teams <= 3 else 8.5)
    table.scale(1, 3.4)
    for (row, _col), cell in table.get_celld().items():
        cell.set_edgecolor("0.8")
        if row == 0:
            cell.set_text_props(weight="bold")
    return fig


def _text_blocks(team: dict[str, Any], data: dict[str, Any]) -> Iterable[tuple[str, str, str]]:
    """(style, text, colour) for one team: cards and prediction per round, then the stories."""
    yield "h2", f"{data['cards']} · {data['predictions']}", "black"
    for r in team["rounds"]:
        yield "p", f"{r['label']}: {r['cards']}", "black"
        yield "indent", r["prediction"], {True: data["good"], False: data["bad"]}.get(
            r["right"], "0.4")
    yield "p", team["score"], "black"
    yield "h2", data["turning"], "black"
    for row in team["turning"]:
        yield ("h3", row["text"], "black") if row["round"] else ("indent", row["text"], "black")
    yield "column", "", ""
    yield "h2", data["stories"], "black"
    for fam in team["stories"]:
        yield "h3", fam["title"], "black"
        for line in fam["lines"]:
            yield "p", line, "black"


# font size, weight, line step (share of the page height), characters per line
STYLES = {"h1": (16, "bold", 0.05, 60), "h2": (12, "bold", 0.04, 50),
          "h3": (10, "bold", 0.032, 60), "p": (9, "normal", 0.027, 72),
          "indent": (9, "normal", 0.027, 68)}
COLUMNS = (0.06, 0.53)
TOP, BOTTOM = 0.94, 0.06


class _Pages:
    """Text flowing down two columns of A4-landscape pages."""

    def __init__(self) -> None:
        self.figures: list[Any] = []
        self.column, self.y = len(COLUMNS), BOTTOM

    def page(self, heading: str = "", colour: str = "black") -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=A4_LANDSCAPE)
        FigureCanvasAgg(fig)
        self.figures.append(fig)
        self.column, self.y = 0, TOP
        if heading:
            self.line("h1", heading, colour)

    def next_column(self) -> None:
        self.column += 1
        self.y = TOP - STYLES["h1"][2]
        if self.column >= len(COLUMNS):
            self.page()

    def line(self, style: str, text: str, colour: str) -> None:
        size, weight, step, _ = STYLES[style]
        if self.y - step < BOTTOM:
            self.next_column()
        x = COLUMNS[self.column] + (0.025 if style == "indent" else 0.0)
        self.figures[-1].text(x, self.y, text, fontsize=size, weight=weight, color=colour,
                              va="top")
        self.y -= step

    def add(self, style: str, text: str, colour: str) -> None:
        if style == "column":
            self.next_column()
            return
        for part in textwrap.wrap(text, STYLES[style][3]) or [""]:
            self.line(style, part, colour)


def _text_pages(data: dict[str, Any]) -> list[Any]:
    """The text part of the report; each team starts on a new page."""
    pages = _Pages()
    for team in data["teams"]:
        pages.page(team["name"], team["colour"])
        pages.y -= 0.01
        for block in _text_blocks(team, data):
            pages.add(*block)
    return pages.figures


def write_pdf(session, t: Translator, path: Path, fig) -> None:
    from matplotlib.backends.backend_pdf import PdfPages

    data = report_data(session, t)
    from game.turning_export import turning_figure

    with PdfPages(path) as pdf:
        pdf.savefig(_table_page(data))
        pdf.savefig(fig)
        pdf.savefig(turning_figure(session, t))
        for page in _text_pages(data):
            pdf.savefig(page)


# -- HTML -----------------------------------------------------------------------------

HTML = """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>
body { font-family: "DejaVu Sans", Verdana, sans-serif; color: #191923; max-width: 1100px;
       margin: 2em auto; padding: 0 1em; line-height: 1.4; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border: 1px solid #ccc; padding: 4px 8px; }
th { background: #f0eee8; text-align: left; }
td + td { text-align: right; }
img { width: 100%; }
section { border-left: 8px solid; padding-left: 1em; margin: 2em 0; }
.right { color: {{ good }}; }
.wrong { color: {{ bad }}; }
.point { margin: 0.2em 0 0.2em 1.5em; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<table>
<tr>{% for cell in table[0] %}<th>{{ cell }}</th>{% endfor %}</tr>
{% for row in table[1:] %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</table>
<h2>{{ charts }}</h2>
<img alt="{{ charts }}" src="data:image/png;base64,{{ chart }}">
<h2>{{ turning }}</h2>
<p>{{ turning_note }}</p>
<img alt="{{ turning }}" src="data:image/png;base64,{{ turning_chart }}">
{% for team in teams %}
<section style="border-color: {{ team.colour }}">
<h2>{{ team.name }}</h2>
<h3>{{ cards }} · {{ predictions }}</h3>
<table>
{% for r in team.rounds %}<tr><th>{{ r.label }}</th><td style="text-align: left">{{ r.cards }}</td>
<td style="text-align: left" class="{{ r.css }}">{{ r.prediction }}</td></tr>
{% endfor %}</table>
<p>{{ team.score }}</p>
<h3>{{ turning }}</h3>
{% for row in team.turning %}{% if row.round %}<h4>{{ row.text }}</h4>
{% else %}<p class="point">{{ row.text }}</p>
{% endif %}{% endfor %}
<h3>{{ stories }}</h3>
{% for fam in team.stories %}<h4>{{ fam.title }}</h4>
<ul>{% for line in fam.lines %}<li>{{ line }}</li>{% endfor %}</ul>
{% endfor %}</section>
{% endfor %}
</body>
</html>
"""


def html_report(session, t: Translator, chart_b64: str, turning_b64: str = "") -> str:
    """The whole report as one HTML page; the template escapes every text."""
    import jinja2

    env = jinja2.Environment(autoescape=True, trim_blocks=True)
    return env.from_string(HTML).render(chart=chart_b64, turning_chart=turning_b64,
                                        **report_data(session, t))


def _png_b64(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def write_html(session, t: Translator, path: Path, fig) -> None:
    from game.turning_export import turning_figure

    html = html_report(session, t, _png_b64(fig), _png_b64(turning_figure(session, t)))
    _atomic(path, lambda tmp: tmp.write_text(html, encoding="utf-8"))


# -- writing ---------------------------------------------------------------------------


def _free_path(folder: Path, stem: str, kind: str) -> Path:
    path = folder / f"{stem}.{kind}"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.{kind}"
        n += 1
    return path


def export(session, t: Translator, folder: Path, kinds: Iterable[str] = KINDS) -> dict[str, Path]:
    """Write the chosen formats to `folder`; returns the path of each file written."""
    kinds = [k for k in KINDS if k in set(kinds)]
    folder.mkdir(parents=True, exist_ok=True)
    stem = "debrief-" + time.strftime("%Y%m%d-%H%M%S")
    fig = chart_figure(session, t)
    paths: dict[str, Path] = {}
    for kind in kinds:
        path = _free_path(folder, stem, kind)
        if kind == "png":
            _atomic(path, lambda tmp: png_figure(session, t).savefig(tmp, dpi=110,
                                                                     format="png"))
        elif kind == "pdf":
            _atomic(path, lambda tmp: write_pdf(session, t, tmp, fig))
        else:
            write_html(session, t, path, fig)
        paths[kind] = path
    return paths


def png_figure(session, t: Translator):
    """The PNG: the six charts, and under them each team's turning points."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from game.turning_export import ROW_INCHES, turning_figure

    lower = ROW_INCHES * len(session.teams) + 0.8
    fig = Figure(figsize=(13, 7.5 + lower))
    FigureCanvasAgg(fig)
    top, bottom = fig.subfigures(2, 1, height_ratios=[7.5, lower])
    chart_figure(session, t, parent=top)
    turning_figure(session, t, parent=bottom)
    return fig


def _atomic(path: Path, write) -> None:
    """Write through a temporary file beside `path`, then move it in place: a reader (or a
    crash) never sees half a report."""
    import os

    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
