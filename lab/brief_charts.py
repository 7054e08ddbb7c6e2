"""One chart per headline KPI: each scenario's mean with its interval, and every seed's run.

The mean alone hides how far runs scatter, and the interval alone hides that
the runs pair up: so each seed is a faint dot, the dots of one seed are joined
across scenarios (parallel lines mean the policy moved every run alike, which
is why a paired difference can be clear while the means' intervals overlap),
and the mean carries its t-interval. Where the workshop has a target it is a
dashed line, named in the legend; when it lies far outside the runs it is
named but not drawn, so the differences stay readable.

Figures are built with matplotlib's object API (no pyplot state), so reports
can be written from any thread; the same `draw` serves the HTML (a PNG per
chart) and the PDF (two charts a page).
"""

from __future__ import annotations

import io
import math
import textwrap
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import Formatter, MaxNLocator

from lab.brief_data import Comparison
from lab.brief_text import Words, finite, scale, value_text
from lab.compare import t_half_width
from lab.headline import Headline
from lab.output import TARGET_COLOUR

# Reference in black, then the Okabe & Ito colours (lab.output) that read on white: no yellow.
COLOURS = ("#000000", "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")
SEED_ALPHA = 0.35
PAIR_ALPHA = 0.18
MAX_PAIR_LINES = 40  # more seeds than this: lines would only be a grey fog
TARGET_REACH = 2.0  # draw the target when it lies within this many data spans
NAME_LINES = 2  # lines of a scenario's name under the axis (the full name is in the tables)
CHART_SIZE = (8.0, 3.7)  # inches, for the HTML's PNGs
AXES_RECT = (0.09, 0.19, 0.88, 0.6)  # left, bottom, width, height: title and legend above


def plain(text: str) -> str:
    """Text matplotlib shows as written: a "$" would otherwise start mathematics."""
    return text.replace("$", r"\$")


def title(w: Words, h: Headline) -> str:
    label = h.label(w.lang)
    better = w("lower_better" if h.better == "lower" else "higher_better")
    return f"{label[:1].upper()}{label[1:]} ({better})"


def chart_png(c: Comparison, h: Headline, lang: str, dpi: int = 130) -> bytes:
    """The chart of one headline KPI as a PNG."""
    fig = Figure(figsize=CHART_SIZE)
    FigureCanvasAgg(fig)
    draw(fig.add_axes(AXES_RECT), c, h, Words(lang))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def draw(ax: Any, c: Comparison, h: Headline, w: Words) -> None:
    """The chart of one headline KPI on `ax`: title, then a one-row legend, above it."""
    k = scale(h)
    divisor, unit = _money_unit(c, h, w) if h.unit == "eur" else (1.0, w(f"y_{h.unit}"))
    factor = k / divisor
    tops: list[float] = []
    names = [s.name for s in c.scenarios]
    seeds = {name: c.seed_values(h.key, name) for name in names}
    _pair_lines(ax, names, seeds, factor, tops)
    for i, name in enumerate(names):
        colour = COLOURS[i % len(COLOURS)]
        values = [v * factor for v in seeds[name].values()]
        ax.scatter(_jitter(i, len(values)), values, s=16, color=colour, alpha=SEED_ALPHA,
                   linewidths=0, zorder=2)
        tops += values
        stat = c.stat(h.key, name)
        if finite(stat.mean):
            half = t_half_width(stat.sd, stat.n, c.confidence) if stat.n > 1 else math.nan
            err = [[half * factor], [half * factor]] if finite(half) else None
            ax.errorbar([i + 0.14], [stat.mean * factor], yerr=err, fmt="o", color=colour,
                        markersize=6, capsize=4, elinewidth=1.6, zorder=3)
            tops += [stat.mean * factor] + ([(stat.mean + s * half) * factor for s in (-1, 1)]
                                            if finite(half) else [])
    handles = _legend_handles(ax, c, h, w, tops, factor)
    _axes(ax, c, h, w, unit, names, empty=not tops)
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.02), frameon=False,
              fontsize=8.5, handlelength=2.2, borderaxespad=0, ncol=len(handles),
              columnspacing=1.8)


def _money_unit(c: Comparison, h: Headline, w: Words) -> tuple[float, str]:
    """Euros in millions or thousands when they are that large, so ticks stay short."""
    size = max((abs(c.stat(h.key, s.name).mean) for s in c.scenarios
                if finite(c.stat(h.key, s.name).mean)), default=0.0)
    if size >= 1e6:
        return 1e6, w("y_eur_million")
    if size >= 1e4:
        return 1e3, w("y_eur_thousand")
    return 1.0, w("y_eur")


def _jitter(i: int, n: int) -> list[float]:
    """Seeds spread evenly left of the scenario's place, the same way every time."""
    if n <= 1:
        return [i - 0.14] * n
    return [i - 0.24 + 0.2 * j / (n - 1) for j in range(n)]


def _pair_lines(ax: Any, names: list[str], seeds: dict[str, dict[int, float]], factor: float,
                tops: list[float]) -> None:
    """Join each seed's runs across scenarios (the pairs the differences are taken over)."""
    common = sorted(set.intersection(*(set(seeds[n]) for n in names))) if names else []
    if len(names) < 2 or not common or len(common) > MAX_PAIR_LINES:
        return
    for seed in common:
        xs, ys = [], []
        for i, name in enumerate(names):
            order = sorted(seeds[name]).index(seed)
            xs.append(_jitter(i, len(seeds[name]))[order])
            ys.append(seeds[name][seed] * factor)
        ax.plot(xs, ys, color="0.5", alpha=PAIR_ALPHA, linewidth=0.8, zorder=1)


def _legend_handles(ax: Any, c: Comparison, h: Headline, w: Words, tops: list[float],
                    factor: float) -> list[Any]:
    conf = w.conf(c.confidence)
    handles = [
        Line2D([], [], color="0.2", marker="o", markersize=6, linestyle="none",
               label=w("mean_interval", conf=conf)),
        Line2D([], [], color="0.2", marker="o", markersize=4, alpha=SEED_ALPHA,
               linestyle="none", label=w("per_seed")),
    ]
    if h.target is None:
        return handles
    target = h.target * factor
    text = value_text(w, h, h.target)
    if not tops or _near(target, tops):
        ax.axhline(target, color=TARGET_COLOUR, linestyle="--", linewidth=1.3, zorder=1)
        handles.append(Line2D([], [], color=TARGET_COLOUR, linestyle="--", linewidth=1.3,
                              label=w("target", value=text)))
    else:
        key = "target_below" if target < min(tops) else "target_above"
        handles.append(Line2D([], [], color=TARGET_COLOUR, linestyle=":", linewidth=1.3,
                              label=w(key, value=text)))
    return handles


def _near(target: float, values: list[float]) -> bool:
    low, high = min(values), max(values)
    span = max(high - low, abs(high) * 0.05, 1e-9)
    return low - TARGET_REACH * span <= target <= high + TARGET_REACH * span


def _axes(ax: Any, c: Comparison, h: Headline, w: Words, unit: str, names: list[str],
          empty: bool) -> None:
    ax.set_title(plain(title(w, h)), fontsize=11, loc="left", pad=24)
    ax.set_ylabel(plain(unit))
    ax.set_xlim(-0.6, len(names) - 0.4)
    ax.set_xticks(range(len(names)))
    size = 8.5 if len(names) <= 4 else 7.5
    ticks = [tick_label(n, _slot_chars(ax, len(names), size)) for n in names]
    if ticks:
        ticks[0] += "\n" + w("ref_tick")
    ax.set_xticklabels(ticks, fontsize=size)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.yaxis.set_major_formatter(TickFormatter(w, h))
    ax.grid(True, axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    if empty:
        ax.text(0.5, 0.5, w("no_values"), transform=ax.transAxes, ha="center", va="center",
                color="0.4")
        ax.set_yticks([])


def _slot_chars(ax: Any, count: int, size: float) -> int:
    """How many characters of a name fit under its place on the axis."""
    inches = ax.get_position().width * ax.figure.get_figwidth() / max(count, 1)
    return max(6, int(inches * 72 / (size * 0.62)))


def tick_label(name: str, width: int) -> str:
    """A scenario's name on at most NAME_LINES lines, cut with "…" when longer."""
    lines = textwrap.wrap(name, width, break_long_words=True) or [""]
    if len(lines) > NAME_LINES:
        lines = lines[:NAME_LINES]
        lines[-1] = lines[-1][:max(1, width - 1)].rstrip() + "…"
    return plain("\n".join(lines))


class TickFormatter(Formatter):
    """Tick labels in the brief's language, with as few decimals as tell the ticks apart."""

    def __init__(self, w: Words, h: Headline) -> None:
        self.w, self.h = w, h
        self.decimals = 0

    def set_locs(self, locs: Any) -> None:
        super().set_locs(locs)
        self.decimals = next((d for d in range(5)
                              if all(abs(round(v, d) - v) < 1e-9 * max(1.0, abs(v))
                                     for v in locs)), 4)

    def __call__(self, value: float, pos: int | None = None) -> str:
        if self.h.unit == "share":
            return self.w.num.percent(value / 100, self.decimals)
        return self.w.num.decimal(value, self.decimals)
