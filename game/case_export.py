"""The case trainer's report for the training file: the trainee's path, reflections and
counterfactuals as one self-contained HTML page (jinja2, every text escaped)
and as a PDF (matplotlib's object API, as the workshop debrief's export).

Both are written atomically: a half-written report never replaces a good one.
"""

from __future__ import annotations

import base64
import io
import os
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from game.case_report import report_data
from game.i18n import Translator

KINDS = ("html", "pdf")
A4 = (8.27, 11.69)

HTML = """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>
body { font-family: "DejaVu Sans", Verdana, sans-serif; color: #191923; max-width: 980px;
       margin: 2em auto; padding: 0 1em; line-height: 1.45; }
table { border-collapse: collapse; margin: .5em 0 1em; }
td, th { border: 1px solid #ccc; padding: 3px 8px; }
th { background: #f0eee8; text-align: left; }
td + td { text-align: right; }
.better { color: #0072B2; } .worse { color: #D55E00; }
blockquote { color: #555; border-left: 4px solid #ccc; margin: .3em 0 1em; padding-left: .8em; }
img { max-width: 100%; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p>{{ summary }}</p>
<h2>{{ family_head }}</h2>
<ul>{% for line in family %}<li>{{ line }}</li>{% endfor %}</ul>
<h2>{{ path_head }}</h2>
<ol>
{% for head, reflection in path %}<li>{{ head }}{% if reflection %}
<blockquote>{{ reflection }}</blockquote>{% endif %}</li>
{% endfor %}</ol>
<h2>{{ cf_head }}</h2>
{% for cf in cfs %}
<h3>{{ cf.headline }}</h3>
<p>{{ cf.summary }} {{ cf.holds }}</p>
{% if cf.only_other %}<p>{{ only_other_head }}</p>
<ul>{% for line in cf.only_other %}<li>{{ line }}</li>{% endfor %}</ul>{% endif %}
{% if cf.only_taken %}<p>{{ only_taken_head }}</p>
<ul>{% for line in cf.only_taken %}<li>{{ line }}</li>{% endfor %}</ul>{% endif %}
{% if cf.chart %}<img alt="{{ cf.headline }}" src="data:image/png;base64,{{ cf.chart }}">{% endif %}
<table>
<tr><th>{{ col_outcome }}</th><th>{{ col_here }}</th><th>{{ col_mean }}</th></tr>
{% for r in cf.rows %}<tr><td>{{ r.label }}</td>
<td class="{{ 'better' if r.verdict > 0 else 'worse' if r.verdict < 0 else '' }}">{{ r.here }}</td>
<td>{{ r.mean }}</td></tr>
{% endfor %}</table>
{% endfor %}
<h2>{{ reflection_head }}</h2>
<ul>{% for q in questions %}<li>{{ q }}</li>{% endfor %}</ul>
<p><small>{{ note }}</small></p>
</body>
</html>
"""


def _figure(size):
    from matplotlib.figure import Figure

    return Figure(figsize=size)


def _chart(cf: dict[str, Any], taken_label: str, other_label: str, size=(7.5, 2.6)):
    fig = _figure(size)
    ax = fig.add_subplot()
    ax.plot(range(len(cf["taken"])), cf["taken"], color="#191923", lw=2, label=taken_label)
    ax.plot(range(len(cf["other"])), cf["other"], color="#D55E00", lw=2, ls="--",
            marker="s", markevery=4, label=other_label)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right", fontsize=8)
    ax.tick_params(labelsize=8)
    fig.tight_layout()
    return fig


def html_report(t: Translator, session) -> str:
    import jinja2

    data = report_data(t, session)
    for cf in data["cfs"]:
        buf = io.BytesIO()
        _chart(cf, t("case.chart_taken"), t("case.chart_other")).savefig(buf, format="png",
                                                                          dpi=90)
        cf["chart"] = base64.b64encode(buf.getvalue()).decode("ascii")
    env = jinja2.Environment(autoescape=True, trim_blocks=True)
    return env.from_string(HTML).render(**data)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.fill(p, width) for p in text.split("\n"))


class _TextPage:
    """Text blocks down an A4 page, a new page when the next block would not fit."""

    TOP, BOTTOM = 0.95, 0.05

    def __init__(self, pdf) -> None:
        self.pdf = pdf
        self.fig = _figure(A4)
        self.y = self.TOP

    def add(self, text: str, size: float, bold: bool = False, x: float = 0.08,
            before: float = 0.0, after: float = 0.008) -> None:
        height = size / 500 * (text.count("\n") + 1)  # a line is about 1.4 x size pt of 842
        self.y -= before
        if self.y - height < self.BOTTOM and self.y < self.TOP:
            self.pdf.savefig(self.fig)
            self.fig = _figure(A4)
            self.y = self.TOP
        self.fig.text(x, self.y, text, fontsize=size, weight="bold" if bold else "normal",
                      va="top")
        self.y -= height + after

    def close(self) -> None:
        self.pdf.savefig(self.fig)


def write_pdf(t: Translator, session, path: Path) -> None:
    from matplotlib.backends.backend_pdf import PdfPages

    data = report_data(t, session)
    with PdfPages(path) as pdf:
        page = _TextPage(pdf)
        page.add(_wrap(data["title"], 60), 14, bold=True, x=0.07)
        page.add(_wrap(data["summary"], 88), 9, x=0.07)
        page.add(data["family_head"], 12, bold=True, x=0.07, before=0.02)
        for line in data["family"]:
            page.add(_wrap("• " + line, 92), 8, after=0.003)
        page.add(data["path_head"], 12, bold=True, x=0.07, before=0.02)
        for head, reflection in data["path"]:
            page.add(_wrap(head, 88) + ("\n" + _wrap("“" + reflection + "”", 84)
                                        if reflection else ""), 9, after=0.012)
        page.add(data["reflection_head"], 12, bold=True, x=0.07, before=0.02)
        for q in data["questions"]:
            page.add(_wrap("• " + q, 88), 9, after=0.006)
        page.close()
        for cf in data["cfs"]:
            fig = _figure(A4)
            fig.text(0.07, 0.95, _wrap(cf["headline"], 62), fontsize=12, weight="bold",
                     va="top")
            fig.text(0.07, 0.87, _wrap(cf["summary"] + " " + cf["holds"], 88), fontsize=9,
                     va="top")
            diff = []
            for head, lines in ((data["only_other_head"], cf["only_other"]),
                                (data["only_taken_head"], cf["only_taken"])):
                if lines:
                    diff.append(head)
                    diff += ["  " + _wrap(x, 86).replace("\n", "\n  ") for x in lines[:4]]
            if diff:
                fig.text(0.07, 0.805, "\n".join(diff), fontsize=7.5, va="top")
            ax = fig.add_axes((0.1, 0.44, 0.82, 0.2))
            ax.plot(cf["taken"], color="#191923", lw=2, label=t("case.chart_taken"))
            ax.plot(cf["other"], color="#D55E00", lw=2, ls="--", marker="s", markevery=4,
                    label=t("case.chart_other"))
            ax.set_ylim(bottom=0)
            ax.legend(fontsize=8)
            table = fig.add_axes((0.07, 0.04, 0.86, 0.36))
            table.axis("off")
            cells = [[r["label"], r["here"], r["mean"]] for r in cf["rows"]]
            tab = table.table(cellText=cells, colLabels=[data["col_outcome"], data["col_here"],
                                                         data["col_mean"]],
                              loc="upper center", colWidths=(0.5, 0.22, 0.28),
                              cellLoc="left")
            tab.auto_set_font_size(False)
            tab.set_fontsize(8)
            tab.scale(1, 1.4)
            pdf.savefig(fig)


def _atomic(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".case-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export(t: Translator, session, folder: Path, kinds=KINDS) -> dict[str, Path]:
    """Write the chosen formats to `folder`; returns the path of each file written."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"case-{session.case.id}-" + time.strftime("%Y%m%d-%H%M%S")
    paths: dict[str, Path] = {}
    for kind in [k for k in KINDS if k in set(kinds)]:
        path = folder / f"{stem}.{kind}"
        n = 2
        while path.exists():
            path = folder / f"{stem}-{n}.{kind}"
            n += 1
        if kind == "html":
            text = html_report(t, session)
            _atomic(path, lambda p, text=text: p.write_text(text, encoding="utf-8"))
        else:
            _atomic(path, lambda p: write_pdf(t, session, p))
        paths[kind] = path
    return paths
