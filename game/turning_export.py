"""The turning points in the debrief's exports: a figure per team and the texts beside it.

The screen's "turning points" tab, for paper and mail: each team's waiting
time beside the base run's (the same game with no new decisions), its
decisions and turning points round by round, each with the base run's same
weeks, and how its predictions scored. `game.debrief_export` puts the figure
under the charts in the PNG, on its own page in the PDF and in the HTML, and
the texts in the PDF's and the HTML's team sections.

matplotlib's object API only (no pyplot), so an export can run in a thread.
"""

from __future__ import annotations

import textwrap
from typing import Any

from game import turning_points as tp
from game.charts import MPL_MARKERS, TEAM_MARKERS
from game.i18n import Translator
from game.indicators import BY_KEY
from game.render import TEAM_COLOURS
from game.session import ROUND_WEEKS

KPI = "mean_wait_weeks"  # the KPI charted beside the turning points, as on the screen
ROW_INCHES = 3.2  # height of one team's row in the figure
TEXT_CHARS = 92  # characters per line of the figure's text column
TEXT_LINES = 15  # lines of text a team's row holds; the rest is in the PDF and HTML


def team_texts(session, t: Translator) -> list[dict[str, Any]]:
    """Per team: name, timeline rows (kind, text) and the prediction score line."""
    base = tp.base_model(session)
    out = []
    for k, team in enumerate(session.teams):
        points = tp.team_points(session, k, base)
        rows = tp.timeline(t, session, k, points, numbered=True)
        out.append({"name": team.name, "rows": [(kind, text) for _, kind, text in rows],
                    "score": tp.prediction_summary(t, team),
                    "flags": tp.flags(session, points)})
    return out


def _colour(k: int) -> list[float]:
    return [c / 255 for c in TEAM_COLOURS[k % len(TEAM_COLOURS)]]


def _chart(ax, session, t: Translator, k: int, base_rows, flags=()) -> None:
    from matplotlib.ticker import FuncFormatter

    ind = BY_KEY[KPI]
    team = session.teams[k]
    ys = [row[KPI] for row in team.history]
    base = [row[KPI] for row in base_rows]
    length = session.rounds * ROUND_WEEKS + 1
    bounds = list(range(0, length, ROUND_WEEKS))
    marks = [m for m in bounds[1:] if m < len(ys)] + [len(ys) - 1]
    ax.plot(range(len(base)), base, color="0.45", lw=1.5, ls="--",
            label=t("tp.base_line"))
    ax.plot(range(len(ys)), ys, color=_colour(k), lw=2, label=t("tp.team_line"),
            marker=MPL_MARKERS[TEAM_MARKERS[k % len(TEAM_MARKERS)]], markevery=marks,
            markersize=6, markeredgecolor="0.25")
    if ind.target is not None:
        ax.axhline(ind.target, color="0.4", ls=":", lw=1)
        ax.annotate(t("kpi.target", value=ind.tick(ind.target, t.fmt)), (length - 1, ind.target),
                    ha="right", va="bottom", fontsize=8, color="0.35")
    lo, hi = ind.value_range(ys[0] if ys else None, ys + base)
    ax.set_ylim(lo, hi)
    ax.set_xlim(0, length - 1)
    last, drop = None, 0
    for x, text in flags:  # the turning points, numbered as in the text beside the chart
        drop = drop + 1 if last is not None and x - last < 4 else 0  # close ones stack down
        last = x
        ax.axvline(x, color="0.6", lw=0.8, ls="-", zorder=0)
        ax.annotate(text, (x, hi), xytext=(0, -9 - 12 * drop), textcoords="offset points",
                    ha="center", va="center", fontsize=7, color="white", weight="bold",
                    bbox={"boxstyle": "circle,pad=0.2", "fc": "0.1", "ec": "none"})
    ax.set_yticks(ind.ticks(lo, hi))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p=None: ind.tick(v, t.fmt)))
    ax.set_xticks([m + ROUND_WEEKS / 2 for m in bounds[:-1]],
                  [t("debrief.round_short", n=r + 1) for r in range(len(bounds) - 1)])
    for m in bounds[1:-1]:
        ax.axvline(m, color="0.88", lw=1, zorder=0)
    ax.set_ylabel(f"{t(f'kpi.short.{KPI}')} ({t(ind.unit)})")
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=8,
              frameon=False)
    ax.set_title(team.name, fontsize=11, color=_colour(k), loc="left", weight="bold")


def _lines(texts: dict[str, Any], t: Translator) -> list[tuple[str, bool]]:
    """The text column of a team's row: (line, bold), cut to TEXT_LINES with a note."""
    lines: list[tuple[str, bool]] = [(texts["score"], True)]
    for kind, text in texts["rows"]:
        for part in textwrap.wrap(text, TEXT_CHARS) or [""]:
            lines.append((part, kind == "round"))
    if len(lines) > TEXT_LINES:
        more = len(lines) - TEXT_LINES + 1
        lines = lines[:TEXT_LINES - 1] + [(t("debrief.turning_more", n=more), False)]
    return lines


def turning_figure(session, t: Translator, parent=None):
    """One row per team: the waiting time with the base run, and the timeline in words."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    teams = len(session.teams)
    fig = parent
    if fig is None:
        fig = Figure(figsize=(13, ROW_INCHES * teams + 0.8))
        FigureCanvasAgg(fig)
    base_rows = tp.base_history(session, tp.base_model(session))
    texts = team_texts(session, t)
    grid = fig.add_gridspec(teams, 2, width_ratios=[1, 1.45], left=0.065, right=0.99,
                            top=1 - 0.6 / (ROW_INCHES * teams + 0.8), bottom=0.04,
                            hspace=0.45, wspace=0.08)
    for k in range(teams):
        _chart(fig.add_subplot(grid[k, 0]), session, t, k, base_rows, texts[k]["flags"])
        ax = fig.add_subplot(grid[k, 1])
        ax.axis("off")
        lines = _lines(texts[k], t)
        step = 1.0 / max(TEXT_LINES, len(lines))
        for i, (line, bold) in enumerate(lines):
            ax.text(0.0, 1.0 - i * step, line, fontsize=8.5, va="top",
                    weight="bold" if bold else "normal", transform=ax.transAxes)
    fig.suptitle(t("tp.heading"), fontsize=15)
    return fig
