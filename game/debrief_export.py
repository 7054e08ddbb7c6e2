"""Debrief export: PNG and PDF through matplotlib, and one self-contained HTML file.

The HTML embeds its charts as base64 PNG so it can be mailed as one file.
"""

from __future__ import annotations

import base64
import html
import io
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from game.cards import BY_ID  # noqa: E402
from game.i18n import Translator  # noqa: E402
from game.indicators import INDICATORS  # noqa: E402
from game.render import TEAM_COLOURS  # noqa: E402
from game.stories import family_story, interesting_families  # noqa: E402


def figure(session, t: Translator):
    fig, axes = plt.subplots(2, 3, figsize=(13, 7), constrained_layout=True)
    for ax, ind in zip(axes.flat, INDICATORS, strict=True):
        for k, team in enumerate(session.teams):
            ys = [row[ind.key] for row in team.history]
            ax.plot(range(len(ys)), ys, color=[c / 255 for c in TEAM_COLOURS[k % 6]],
                    label=team.name, lw=2)
        if ind.target is not None:
            ax.axhline(ind.target, color="0.4", ls="--", lw=1)
        ax.set_title(t(f"kpi.{ind.key}"), fontsize=11)
        ax.set_xlabel(t("debrief.weeks"))
    axes.flat[0].legend()
    fig.suptitle(t("debrief.title"), fontsize=15)
    return fig


def table_rows(session, t: Translator) -> list[list[str]]:
    rows = [[t("debrief.kpi")] + [team.name for team in session.teams]]
    for ind in INDICATORS:
        rows.append([t(f"kpi.{ind.key}")] + [ind.show(team.history[-1][ind.key])
                                             for team in session.teams])
    return rows


def export(session, t: Translator, folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    fig = figure(session, t)
    paths = {"png": folder / f"debrief-{stamp}.png", "pdf": folder / f"debrief-{stamp}.pdf",
             "html": folder / f"debrief-{stamp}.html"}
    fig.savefig(paths["png"], dpi=120)
    fig.savefig(paths["pdf"])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    paths["html"].write_text(html_report(session, t, base64.b64encode(buf.getvalue()).decode()),
                             encoding="utf-8")
    return paths


def html_report(session, t: Translator, chart_b64: str) -> str:
    esc = html.escape
    rows = table_rows(session, t)
    table = "".join("<tr>" + "".join(f"<{tag}>{esc(c)}</{tag}>" for c in row) + "</tr>"
                    for tag, row in ((("th" if i == 0 else "td"), r) for i, r in enumerate(rows)))
    parts = [f"<!doctype html><html lang='{t.lang}'><head><meta charset='utf-8'>",
             f"<title>{esc(t('debrief.title'))}</title><style>body{{font-family:sans-serif;"
             "max-width:1100px;margin:2em auto}}td,th{{border:1px solid #ccc;padding:4px 8px}}"
             "table{{border-collapse:collapse}}</style></head><body>",
             f"<h1>{esc(t('debrief.title'))}</h1><table>{table}</table>",
             f"<img alt='charts' style='width:100%' src='data:image/png;base64,{chart_b64}'>",
             f"<h2>{esc(t('debrief.tab_cards'))}</h2>"]
    for team in session.teams:
        parts.append(f"<h3>{esc(team.name)}</h3><ol>")
        for cards in team.cards:
            parts.append("<li>" + esc(", ".join(t(BY_ID[c].title) for c in cards) or "–")
                         + "</li>")
        parts.append("</ol>")
    parts.append(f"<h2>{esc(t('debrief.tab_stories'))}</h2>")
    for team in session.teams:
        parts.append(f"<h3>{esc(team.name)}</h3>")
        for f in interesting_families(team.model, session.warmup):
            lines = family_story(t, team.model.timeline(f), session.warmup, last=8)
            parts.append(f"<h4>{esc(t('family.title', n=f))}</h4><ul>"
                         + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>")
    parts.append("</body></html>")
    return "".join(parts)
