"""`samenspel sweep`: run a sweep file end to end and write what it found.

    run_sweep("scenarios/sweeps/inkoop.toml", [], workers=None, scheduler=None,
              out=Path("out/inkoop"))

The steps, each in its own module so each can be tested alone:

1. `lab.sweepfile` reads and checks the file (and the base scenario);
2. `lab.samplers` draws the points;
3. every point is checked as a scenario before anything runs, so a point that
   cannot run (too much memory, say) stops the sweep at once, not after hours;
4. the runs - every point on every seed, and the base scenario on the same
   seeds when discovery compares with it - go through `lab.executor` into the
   run store of the output folder, one file per finished run;
5. the tables: `runs.parquet` (+ csv) with one row per run (point, factors,
   seed, scenario hash, code version, every KPI); `indices.parquet` (+ csv)
   for morris and sobol; `discovery.json` when the file asks; and
   `sweep.json`, the resolved sweep with its points, warnings and the files
   written.

An interrupted sweep resumes: run the same command again and the runs already
stored are skipped; the tables come out as an uninterrupted sweep writes them.
`plan.json`, written before the first run, holds the sweep's hash (of the runs
it makes: base scenario, changes, points, seeds, weeks), so a folder that holds
another sweep is refused rather than mixed with this one. Changing only the
outputs or the discovery table keeps the hash: the runs are reused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from lab import discovery, samplers, sensitivity
from lab.executor import open_executor, run_specs
from lab.output import atomic_write_text, json_safe, to_json, write_json
from lab.runs import META_COLUMNS, RunSpec, code_version, resolve, scenario_hash
from lab.store import RunStore
from lab.sweepfile import Sweep, SweepError, load_sweep
from sim.errors import UserError, shorten
from sim.scenario import ScenarioError, _show, check_fits, display_path, load_scenario

PLAN = "plan.json"
RUNS = "runs.parquet"
INDICES = "indices.parquet"
DISCOVERY = "discovery.json"
SUMMARY = "sweep.json"
BASE = "base"  # the label suffix of the base scenario's runs: inkoop#base


@dataclass(frozen=True)
class Plan:
    """The runs of a sweep in order, and the point each one runs (None: the base)."""

    specs: tuple[RunSpec, ...]
    points: tuple[int | None, ...]


def point_label(name: str, index: int, points: int) -> str:
    """`inkoop#0007`: the sweep's name and the point's index, zero-padded so labels sort."""
    return f"{name}#{index:0{max(4, len(str(points - 1)))}d}"


def build_plan(sweep: Sweep, design: samplers.Design) -> Plan:
    """The base runs first (when discovery needs them), then every point on every seed."""
    specs: list[RunSpec] = []
    points: list[int | None] = []

    def add(label: str, settings: tuple, point: int | None) -> None:
        for seed in sweep.seeds:
            specs.append(RunSpec(sweep.base, seed, sweep.weeks, sweep.overrides, settings,
                                 label))
            points.append(point)

    if sweep.needs_base_runs:
        add(f"{sweep.name}#{BASE}", (), None)
    for i, values in enumerate(design.points):
        add(point_label(sweep.name, i, len(design.points)), tuple(values.items()), i)
    return Plan(tuple(specs), tuple(points))


def check_points(sweep: Sweep, design: samplers.Design) -> None:
    """Load every point as a scenario (with the sweep's weeks) before any run starts."""
    problems: list[str] = []
    for i, values in enumerate(design.points):
        try:
            scenario = load_scenario(sweep.base, [*sweep.overrides, *values.items()])
            check_fits(scenario, sweep.weeks or scenario.run.weeks, where="the sweep's weeks")
        except ScenarioError as exc:
            shown = ", ".join(f"{k} = {_show(v)}" for k, v in values.items())
            problems += [f"point {i} of {display_path(sweep.file)} ({shorten(shown, 200)}) cannot "
                         f"run: {m}" for m in exc.messages]
        if len(problems) >= 10:
            problems.append("(the first 10 problems; there may be more.)")
            break
    if problems:
        raise SweepError(*problems)


def sweep_hash(sweep: Sweep, plan: Plan) -> str:
    """A fingerprint of the runs a sweep makes: base scenario as resolved, and every spec."""
    base = resolve(RunSpec(sweep.base, 0, sweep.weeks, sweep.overrides))
    specs = [[s.scenario, s.seed, s.weeks, list(s.overrides), [list(p) for p in s.settings],
              s.label] for s in plan.specs]
    text = to_json({"base": scenario_hash(base), "specs": specs})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def claim(out: Path, sweep: Sweep, digest: str, runs: int) -> None:
    """Make `out` this sweep's folder, or refuse if it holds another sweep's or other runs.

    Files that are no results (a crash log, notes) and an empty run store (the
    command line prepares one to check the folder can be written) are fine.
    """
    plan_file = out / PLAN
    if plan_file.is_file():
        try:
            held = json.loads(plan_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            held = {}
        held = held if isinstance(held, dict) else {}
        if held.get("sweep_hash") == digest:
            return
        raise UserError(
            f"--out {display_path(out)} holds another sweep ({shorten(str(held.get('name', '?')))}"
            f", {held.get('runs', '?')} runs, from {shorten(str(held.get('file', '?')), 200)}); "
            "its runs would mix with this one's. Give a new or empty folder, or the same sweep "
            "file and --set values to resume that sweep.")
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {display_path(out)} is a file; give a new or empty folder.")
    store = RunStore(out)
    if store.done() or any((out / name).exists() for name in (RUNS, SUMMARY)):
        raise UserError(f"--out {display_path(out)} holds results that are not this sweep's "
                        "(runs without a sweep plan); give a new or empty folder.")
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_json({"sweep_hash": digest, "name": sweep.name, "file": str(sweep.file),
                    "runs": runs, "code_version": code_version()}, plan_file)
    except OSError as exc:
        raise UserError(f"--out {display_path(out)} cannot be written: "
                        f"{exc.strerror or exc}.") from None


def run_table(store: RunStore, keys: list[str], plan: Plan, sweep: Sweep,
              design: samplers.Design) -> pd.DataFrame:
    """Every run's row in plan order: meta, point, factors (the base's own values on its
    rows), then the KPIs."""
    frame = store.rows(keys)
    base = resolve(RunSpec(sweep.base, 0, sweep.weeks, sweep.overrides))
    factors = [f.path for f in sweep.factors]
    for path in factors:
        section, key = path.split(".")
        own = getattr(getattr(base, section), key)
        frame[path] = [own if p is None else design.points[p][path] for p in plan.points]
    frame["point"] = pd.array(plan.points, dtype="Int64")
    meta = [c for c in META_COLUMNS if c in frame.columns]
    first = [*meta, "point", *factors]
    return frame[first + [c for c in frame.columns if c not in first]]


def _indices(sweep: Sweep, design: samplers.Design, table: pd.DataFrame,
             store: RunStore) -> tuple[list[Path], list[str]]:
    result = sensitivity.analyze(sweep, design, table)
    if result is None:
        return [], []
    path = store.write_table(result.table, INDICES)
    return [path, path.with_suffix(".csv")], list(result.warnings)


def _discovery(sweep: Sweep, table: pd.DataFrame, out: Path) -> tuple[list[Path], dict | None]:
    spec = sweep.discovery
    if spec is None:
        return [], None
    rows = table[table["point"].notna()].reset_index(drop=True)
    if spec.threshold is None:
        base = table[table["point"].isna()].set_index("seed")[spec.kpi]
        reference: pd.Series | float = rows["seed"].map(base)
        against = "the base scenario on the same seed"
    else:
        reference, against = spec.threshold, f"{spec.threshold:g}"
    kinds = {f.path: f.kind for f in sweep.factors}
    report = discovery.discover(rows, list(kinds), kinds, spec.kpi, spec.worse, reference,
                                spec.margin, spec.depth, against)
    return [write_json(report, out / DISCOVERY)], report


def run_sweep(path: str | Path, overrides: list[str], workers: int | None,
              scheduler: str | None, out: Path, progress: bool = True) -> dict[str, Any]:
    """Run a sweep file into `out` and write its tables; return the resolved sweep (JSON-safe).

    `overrides` are --set texts for the base scenario (after the file's own
    `set`). Raises a UserError for any mistake, before the first run.
    """
    sweep = load_sweep(path, overrides)
    design = samplers.design(sweep)
    check_points(sweep, design)
    plan = build_plan(sweep, design)
    digest = sweep_hash(sweep, plan)
    out = Path(out)
    claim(out, sweep, digest, len(plan.specs))
    store = RunStore(out)
    try:
        store.prepare()
    except OSError as exc:
        raise UserError(f"--out {display_path(out)} cannot be written: "
                        f"{exc.strerror or exc}.") from None
    with open_executor(workers, scheduler) as executor:
        keys = run_specs(plan.specs, store, executor, progress=progress, desc=sweep.name)
    table = run_table(store, keys, plan, sweep, design)
    written = [store.write_table(table, RUNS), out / "runs.csv"]
    index_files, warnings = _indices(sweep, design, table, store)
    found_files, found = _discovery(sweep, table, out)
    if found:
        warnings += found["warnings"]
    summary = _summary(sweep, design, plan, digest, out, warnings,
                       [*written, *index_files, *found_files, out / SUMMARY], found)
    atomic_write_text(out / SUMMARY, to_json(summary, indent=2) + "\n")
    return summary


def _summary(sweep: Sweep, design: samplers.Design, plan: Plan, digest: str, out: Path,
             warnings: list[str], written: list[Path], found: dict | None) -> dict[str, Any]:
    n = len(design.points)
    return json_safe({
        "name": sweep.name,
        "sweep": sweep.to_dict(),
        "sweep_hash": digest,
        "code_version": code_version(),
        "out": str(out),
        "seeds": list(sweep.seeds),
        "outputs": list(sweep.outputs),
        "runs": len(plan.specs),
        "points": [{"point": i, "label": point_label(sweep.name, i, n), "values": values}
                   for i, values in enumerate(design.points)],
        "discovery": found["text"] if found else None,
        "warnings": warnings,
        "written": [str(p) for p in written],
    })
