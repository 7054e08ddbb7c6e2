"""Writing the results of a headless run: CSV tables, JSON logs, the resolved scenario, charts.

`write_run` is the one entry point. Every file is written atomically (to a
temporary file in the same directory, then `os.replace`), so a directory
never holds half a file, even when a run is interrupted while writing.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

# Okabe & Ito (2008): distinguishable with every common form of colour blindness.
OKABE_ITO = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
             "#D55E00", "#CC79A7")
LINE_COLOUR = "#0072B2"
TARGET_COLOUR = "#D55E00"
WEEKS_PER_YEAR = 52

# Main KPI panels, in order: column, title in plain words.
KPI_PANELS: tuple[tuple[str, str], ...] = (
    ("mean_wait_weeks", "Mean wait (weeks)"),
    ("waiting_families", "Families waiting"),
    ("share_ended_without_further_help", "Ended without further help (%)"),
    ("client_rating", "Client rating (1-10)"),
    ("professional_satisfaction", "Professional satisfaction"),
    ("sickness_absence_share", "Sickness absence (%)"),
    ("admin_time_share", "Time spent on administration (%)"),
    ("cost_per_week_eur", "Cost per week (EUR)"),
    ("families_in_care", "Families in care"),
    ("toxic_stress_share", "Children in toxic stress (%)"),
)

# The game's aspiration, in the units of the column (shares as fractions).
TARGETS: dict[str, float] = {
    "mean_wait_weeks": 4.0,
    "share_ended_without_further_help": 0.90,
    "client_rating": 8.5,
}

WAITING_COLUMNS = ("waiting", "waiting_families", "waitlist", "waiting_list", "queue_length")
MAX_PROVIDER_LINES = 12


def package_version() -> str:
    """The installed version of samenspel, or "0+unknown" from a bare source tree."""
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover - always present on Python 3.11+
        return "0+unknown"
    try:
        return version("samenspel")
    except PackageNotFoundError:
        return "0+unknown"


def write_run(model: Any, scenario: Any, seed: int, out_dir: Path,
              run_time_s: float, charts: bool = True) -> list[Path]:
    """Write every output of a finished run to `out_dir`; return the paths written.

    `charts=False` leaves out the PNG charts (matplotlib is the slowest part of
    a short run; `samenspel run` draws them only when asked with --charts).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    version = package_version()
    kpis = model.kpi_frame()
    written = [write_csv(kpis, out_dir / "kpis_weekly.csv")]
    groups = model.group_frames()
    for group, frame in groups.items():
        written.append(write_csv(frame, out_dir / f"kpis_{_safe_name(group)}.csv"))
    written.append(write_jsonl(model.events, out_dir / "events.jsonl"))
    written.append(write_json(model.action_log, out_dir / "actions.json"))
    header = {"seed": seed, "version": version, "run_time_s": round(float(run_time_s), 3),
              "weeks": int(model.week), "written": _now_iso()}
    written.append(write_scenario(scenario, header, out_dir / "scenario.resolved.toml"))
    summary = summary_record(model.summary(), seed=seed, scenario=scenario.run.name,
                             version=version)
    written.append(write_json(summary, out_dir / "summary.json"))
    if charts:
        title = f"{scenario.run.name}, seed {seed}"
        written.extend(write_charts(kpis, groups, scenario.run.warmup_weeks, out_dir, title))
    return written


def summary_record(summary: dict[str, Any], **meta: Any) -> dict[str, Any]:
    """The model's summary KPIs after the run's metadata (metadata wins a clash of keys)."""
    record = dict(meta)
    record.update((k, v) for k, v in summary.items() if k not in meta)
    return record


# --- atomic writing ----------------------------------------------------------------------

def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` on a temporary file next to `path`, then move it onto `path`."""
    path = Path(path)
    # A fresh name, not mkstemp: the file gets the usual permissions (umask), not 0600.
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    """Write `text` (UTF-8, '\\n' line ends) to `path` atomically."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


# --- tables and logs ---------------------------------------------------------------------

def with_week_column(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with `week` as its first column, taken from the index if it is not a column."""
    if "week" not in frame.columns:
        frame = frame.rename_axis("week").reset_index()
    return frame[["week", *[c for c in frame.columns if c != "week"]]]


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a KPI frame as CSV, week first."""
    text = with_week_column(frame).to_csv(index=False, lineterminator="\n")
    return atomic_write_text(path, text)


def write_json(data: Any, path: Path) -> Path:
    """Write `data` as indented, strict JSON (NaN and infinities become null)."""
    return atomic_write_text(path, to_json(data, indent=2) + "\n")


def write_jsonl(records: Iterable[Any], path: Path) -> Path:
    """Write one JSON object a line."""
    return atomic_write_text(path, "".join(to_json(r) + "\n" for r in records))


def to_json(data: Any, indent: int | None = None) -> str:
    """Strict JSON for model output: numpy values become plain ones, NaN becomes null."""
    return json.dumps(json_safe(data), indent=indent, ensure_ascii=False, allow_nan=False)


def json_safe(value: Any) -> Any:
    """`value` with numpy scalars and arrays made plain and non-finite floats made None."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [json_safe(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy scalar or array
        return json_safe(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Path):
        return str(value)
    return value


def write_scenario(scenario: Any, header: dict[str, Any], path: Path) -> Path:
    """Write the scenario as run, as TOML, with the run's metadata in its header."""
    from sim.scenario import scenario_to_toml

    return atomic_write_text(path, scenario_to_toml(scenario, header=header))


def _now_iso() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def _safe_name(name: object) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", str(name)).strip("._") or "group"


# --- charts ------------------------------------------------------------------------------

def write_charts(kpis: pd.DataFrame, groups: dict[str, pd.DataFrame], warmup_weeks: int,
                 out_dir: Path, title: str = "") -> list[Path]:
    """Draw `kpis.png` and, when providers report a queue, `waiting_by_provider.png`."""
    plt = _pyplot()
    written = []
    fig = kpi_figure(plt, kpis, warmup_weeks, title)
    if fig is not None:
        written.append(save_figure(plt, fig, out_dir / "kpis.png"))
    providers = groups.get("provider", groups.get("providers"))
    fig = provider_figure(plt, providers, warmup_weeks, title)
    if fig is not None:
        written.append(save_figure(plt, fig, out_dir / "waiting_by_provider.png"))
    return written


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(plt: Any, fig: Any, path: Path) -> Path:
    """Save `fig` as PNG atomically and close it."""
    try:
        return atomic_write(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    finally:
        plt.close(fig)


def kpi_figure(plt: Any, kpis: pd.DataFrame, warmup_weeks: int, title: str = "") -> Any:
    """A grid of small panels, one per main KPI present in `kpis`; None if none is."""
    panels = [(col, label) for col, label in KPI_PANELS if col in kpis.columns]
    if not panels or kpis.empty:
        return None
    ncols = 1 if len(panels) == 1 else 2 if len(panels) <= 4 else 3
    nrows = math.ceil(len(panels) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 2.6 * nrows), squeeze=False)
    years = _week_values(kpis) / WEEKS_PER_YEAR
    for i, (ax, (col, label)) in enumerate(zip(axes.flat, panels, strict=False)):
        _draw_panel(ax, years, kpis[col], col, label, warmup_weeks)
        if i + ncols >= len(panels):  # the lowest panel of its column
            ax.set_xlabel("Years")
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(f"{title} (grey: warm-up)" if warmup_weeks > 0 else title)
    fig.tight_layout()
    return fig


def _week_values(frame: pd.DataFrame) -> Any:
    source = frame["week"] if "week" in frame.columns else frame.index
    return pd.to_numeric(pd.Series(source), errors="coerce").to_numpy(dtype=float)


def _draw_panel(ax: Any, years: Any, values: pd.Series, col: str, title: str,
                warmup_weeks: int) -> None:
    scale = _percent_scale(col, values)
    ax.plot(years, values.to_numpy(dtype=float) * scale, color=LINE_COLOUR, linewidth=1.2)
    _shade_warmup(ax, warmup_weeks)
    if col in TARGETS:
        ax.axhline(TARGETS[col] * scale, color=TARGET_COLOUR, linestyle="--", linewidth=1,
                   label="target")
        ax.legend(loc="best", fontsize="x-small", frameon=False)
    if col.endswith("_eur"):
        from matplotlib.ticker import EngFormatter

        ax.yaxis.set_major_formatter(EngFormatter())
    ax.set_title(title, fontsize="medium")
    ax.grid(True, alpha=0.3)


def _percent_scale(col: str, values: pd.Series) -> float:
    """100 for a share given as a fraction (0-1), else 1: shares are drawn as percentages."""
    if not col.endswith("_share") and not col.startswith("share_"):
        return 1.0
    top = pd.to_numeric(values, errors="coerce").abs().max()
    return 100.0 if pd.isna(top) or top <= 1.0 else 1.0


def _shade_warmup(ax: Any, warmup_weeks: int) -> None:
    if warmup_weeks and warmup_weeks > 0:
        ax.axvspan(0, warmup_weeks / WEEKS_PER_YEAR, color="0.85", alpha=0.6, linewidth=0,
                   label="_warm-up")


def waiting_column(frame: pd.DataFrame) -> str | None:
    """The column of a provider frame that counts waiting families, if it has one."""
    for col in WAITING_COLUMNS:
        if col in frame.columns:
            return col
    return next((c for c in frame.columns if str(c).startswith("waiting")), None)


def provider_figure(plt: Any, providers: pd.DataFrame | None, warmup_weeks: int,
                    title: str = "") -> Any:
    """Waiting families per provider over time (the largest providers); None if unknown."""
    if providers is None or providers.empty or "group" not in providers.columns:
        return None
    col = waiting_column(providers)
    if col is None:
        return None
    table = with_week_column(providers).pivot_table(index="week", columns="group",
                                                    values=col, aggfunc="sum")
    table = table[_largest_providers(providers, table, col)]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    years = table.index.to_numpy(dtype=float) / WEEKS_PER_YEAR
    for i, name in enumerate(table.columns):
        ax.plot(years, table[name].to_numpy(dtype=float), label=str(name), linewidth=1.2,
                color=OKABE_ITO[i % len(OKABE_ITO)],
                linestyle=("-", "--", ":")[i // len(OKABE_ITO) % 3])
    _shade_warmup(ax, warmup_weeks)
    ax.set_title(f"Families waiting, by provider: {title}" if title else
                 "Families waiting, by provider")
    ax.set_xlabel("Years")
    ax.set_ylabel("Families waiting")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small", frameon=False)
    fig.tight_layout()
    return fig


def _largest_providers(providers: pd.DataFrame, table: pd.DataFrame, col: str) -> list[Any]:
    """At most MAX_PROVIDER_LINES providers, in natural order of their names.

    Largest by capacity when the frame says it (capacity, places or staff), ties and
    the rest by their mean queue.
    """
    queue = table.mean()
    size_col = next((c for c in ("capacity", "places", "staff", "professionals")
                     if c in providers.columns), None)
    size = (queue * 0 if size_col is None
            else providers.groupby("group")[size_col].mean().reindex(table.columns))
    rank = pd.DataFrame({"size": size.fillna(0.0), "queue": queue.fillna(0.0)})
    chosen = rank.sort_values(["size", "queue"], ascending=False, kind="stable").index
    return sorted(chosen[:MAX_PROVIDER_LINES], key=_natural_key)


def _natural_key(name: Any) -> list[Any]:
    """'Aanbieder 2' before 'Aanbieder 10'."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", str(name)) if part]
