"""The lab's subcommands: `compare`, `sweep` and `report` (parsers and what they do).

They share the options of every lab command: `--workers` or `--scheduler` for
where runs are computed, `--out` for the folder that keeps every finished run
(so the same command resumes after an interruption), `--json` for machines and
`--no-progress` for logs. A mistake in any of them is a `UserError`: one
sentence naming the flag, the value and what is allowed, exit code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

from lab.headline import BY_KEY, HEADLINES
from sim.errors import UserError, shorten

MAX_SCENARIOS = 12
MAX_SEEDS = 10_000
MAX_WORKERS = 1024


def add_commands(sub: Any, *, path_arg: Any, whole_number: Any, override: Any,
                 years: Any, weeks: Any) -> None:
    """Add compare, sweep and report to the `samenspel` parser."""
    _add_compare(sub, path_arg, whole_number, override, years, weeks)
    _add_sweep(sub, path_arg, whole_number, override)
    _add_report(sub, path_arg)


def _add_executor_options(cmd: Any, path_arg: Any, whole_number: Any) -> None:
    where = cmd.add_mutually_exclusive_group()
    where.add_argument("--workers", type=whole_number("--workers", 1, MAX_WORKERS), metavar="W",
                       help="local worker processes (default: one per core; 1 runs in this "
                            "process)")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (see README)")
    cmd.add_argument("--out", type=path_arg, metavar="DIR",
                     help="folder for the results; an interrupted command given the same "
                          "folder resumes where it stopped")
    cmd.add_argument("--json", action="store_true",
                     help="print the result as one JSON object on stdout, nothing else")
    cmd.add_argument("--no-progress", action="store_true", help="do not show a progress bar")


def _add_compare(sub: Any, path_arg: Any, whole_number: Any, override: Any, years: Any,
                 weeks: Any) -> None:
    cmd = sub.add_parser(
        "compare", help="compare scenarios on the same seeds, with 95 %% intervals",
        description="Run every scenario on the same seeds and report, per KPI, each "
                    "scenario's mean and its paired difference to the first scenario with a "
                    "95 %% interval. Writes runs.parquet/.csv (one row per run), "
                    "comparison.parquet/.csv and compare.json to --out.")
    cmd.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                     help="scenario names or TOML files; the first is the reference")
    cmd.add_argument("--seeds", default="10", metavar="N|auto",
                     help="number of seeds (1..N), or 'auto': add seeds until the intervals "
                          "of --precision are narrow enough (default 10)")
    cmd.add_argument("--first-seed", type=whole_number("--first-seed", 0, 2**32 - 1),
                     default=1, metavar="S", help="the first seed (default 1)")
    cmd.add_argument("--precision", action="append", default=[], metavar="KPI=WIDTH",
                     help="with --seeds auto: the widest 95 %% interval allowed for a KPI "
                          "(default mean_wait_weeks=1); may be repeated")
    cmd.add_argument("--max-seeds", type=whole_number("--max-seeds", 2, MAX_SEEDS), default=50,
                     metavar="N", help="with --seeds auto: the most seeds to run (default 50)")
    length = cmd.add_mutually_exclusive_group()
    length.add_argument("--years", type=years, metavar="Y",
                        help="years to simulate, warm-up included (default: each scenario's "
                             "run.weeks)")
    length.add_argument("--weeks", type=weeks, metavar="W", help="weeks to simulate")
    cmd.add_argument("--set", dest="overrides", action="append", type=override, default=[],
                     metavar="KEY.PATH=VALUE", help="override a value in every scenario")
    _add_executor_options(cmd, path_arg, whole_number)
    cmd.set_defaults(func=cmd_compare)


def _add_sweep(sub: Any, path_arg: Any, whole_number: Any, override: Any) -> None:
    cmd = sub.add_parser(
        "sweep", help="run a sweep file (grid, lhs, morris, sobol) and screen its factors",
        description="Run the points of a sweep file on its seeds; write one row per run to "
                    "runs.parquet as runs finish, sensitivity indices for morris and sobol, "
                    "and where a lever loses when the file asks for discovery. Example "
                    "files: scenarios/sweeps/.")
    cmd.add_argument("sweep", type=path_arg, metavar="SWEEP.toml", help="the sweep file")
    cmd.add_argument("--set", dest="overrides", action="append", type=override, default=[],
                     metavar="KEY.PATH=VALUE", help="override a value of the base scenario")
    _add_executor_options(cmd, path_arg, whole_number)
    cmd.set_defaults(func=cmd_sweep)


def _add_report(sub: Any, path_arg: Any) -> None:
    cmd = sub.add_parser(
        "report", help="write a policy brief (HTML or PDF) of a comparison",
        description="Write a policy brief from the folder of `samenspel compare`: what was "
                    "compared, a chart per headline KPI, the paired differences in words, "
                    "the trade-offs and what the model does not know.")
    cmd.add_argument("folder", type=path_arg, metavar="DIR", help="the folder of a comparison")
    cmd.add_argument("--format", choices=("html", "pdf"), default="html",
                     help="html (default) or pdf")
    cmd.add_argument("--lang", choices=("nl", "en"), default="nl",
                     help="language of the brief: nl (default) or en")
    cmd.add_argument("--out", type=path_arg, metavar="FILE",
                     help="where to write the brief (default: in DIR)")
    cmd.add_argument("--json", action="store_true",
                     help="print where the brief was written as one JSON object")
    cmd.set_defaults(func=cmd_report)


# ---------------------------------------------------------------- compare


def _seeds(text: str) -> int | None:
    """--seeds: a count, or None for 'auto'."""
    if text.strip().lower() == "auto":
        return None
    if not re.fullmatch(r"\s*\d{1,6}\s*", text) or not 1 <= int(text) <= MAX_SEEDS:
        raise UserError(f"--seeds {shorten(text)!r} is not allowed; give a whole number from 1 "
                        f"to {MAX_SEEDS:,}, or 'auto'.")
    return int(text)


def _precision(items: list[str], known: set[str]) -> dict[str, float]:
    """--precision KPI=WIDTH, each checked; the wait within one week by default."""
    wanted: dict[str, float] = {}
    for item in items or ["mean_wait_weeks=1"]:
        kpi, sep, width = item.partition("=")
        kpi = kpi.strip()
        if not sep:
            raise UserError(f"--precision {shorten(item)!r} has no '='; write KPI=WIDTH, e.g. "
                            "--precision mean_wait_weeks=0.5.")
        if kpi not in known:
            from sim.scenario import _hint

            raise UserError(f"--precision: {shorten(kpi)!r} is not a summary KPI"
                            + _hint(kpi, sorted(known), "KPIs"))
        try:
            value = float(width)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise UserError(f"--precision {kpi}={shorten(width)}: the width must be a positive "
                            "number in the KPI's unit, e.g. 0.5 (weeks) or 0.02 (a share).")
        wanted[kpi] = value
    return wanted


def _known_kpis() -> set[str]:
    from lab.runs import known_kpis

    return set(known_kpis())


def _length(args: argparse.Namespace) -> int | None:
    if args.weeks is not None:
        return args.weeks
    if args.years is not None:
        return round(args.years * 52)
    return None


def _out_dir(args: argparse.Namespace, default: str) -> Path:
    from lab.store import RunStore

    out = args.out if args.out is not None else Path("out") / default
    try:
        RunStore(out).prepare()
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UserError(f"cannot write to output folder {shorten(str(out), 200)} (--out): "
                        f"{reason}; give a folder that can be created and written.") from None
    args.log_dir = out
    return out


def cmd_compare(args: argparse.Namespace) -> int:
    """Run the comparison, write its tables and print the headline KPIs."""
    from lab import compare as cmp
    from lab.executor import open_executor, run_specs
    from lab.output import atomic_write_text, json_safe
    from lab.runs import code_version
    from lab.store import RunStore

    if len(args.scenarios) > MAX_SCENARIOS:
        raise UserError(f"{len(args.scenarios)} scenarios given; compare at most "
                        f"{MAX_SCENARIOS} at once.")
    count = _seeds(args.seeds)
    auto = None
    if count is None:
        auto = cmp.AutoSeeds(_precision(args.precision, _known_kpis()), args.max_seeds,
                             first=args.first_seed)
    elif args.precision:
        raise UserError("--precision is used with --seeds auto only; give --seeds auto, or "
                        "leave --precision out.")
    labels = cmp.labels_for(args.scenarios)
    plan = cmp.Plan(tuple(args.scenarios), labels,
                    tuple(range(args.first_seed, args.first_seed + (count or 1))),
                    _length(args), tuple(args.overrides))
    cmp.check_plan(plan)
    out = _out_dir(args, "compare-" + "-".join(re.sub(r"[^A-Za-z0-9_-]+", "_", x)
                                               for x in labels)[:80])
    store = RunStore(out)
    quiet = contextlib.redirect_stdout(sys.stderr) if args.json else contextlib.nullcontext()
    with quiet, open_executor(args.workers, args.scheduler) as executor:
        def run(p: cmp.Plan) -> Any:
            try:
                keys = run_specs(p.specs(), store, executor, progress=not args.no_progress,
                                 desc="compare")
            except KeyboardInterrupt:
                print(f"{len(store.done())} finished runs are kept in {out}; give the same "
                      "command again to go on.", file=sys.stderr)
                raise
            return store.rows(keys)

        plan, rows, table = cmp.compare(plan, run, auto)
    store.write_table(rows)
    store.write_table(table, "comparison.parquet")
    first = _first_scenario(plan)
    result = {
        "kind": "compare",
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "code_version": code_version(),
        "scenarios": cmp.scenario_facts(plan, rows),
        "seeds": list(plan.seeds),
        "weeks": int(rows["weeks"].iloc[0]),
        "warmup_weeks": first.run.warmup_weeks,
        "families": first.population.families,
        "overrides": list(plan.overrides),
        "confidence": cmp.CONFIDENCE,
        "headline": [h.key for h in HEADLINES if h.key in table["kpi"].values],
        "kpis": table.to_dict("records"),
    }
    if auto is not None:
        result["precision"] = {"asked": auto.precision, "reached": auto.reached,
                               "met": auto.met(), "max_seeds": auto.most}
    atomic_write_text(out / "compare.json",
                      json.dumps(json_safe(result), indent=1, allow_nan=False) + "\n")
    if args.json:
        print(json.dumps(json_safe(result), allow_nan=False))
    else:
        print_table(result, out)
    return 0


def _first_scenario(plan: Any) -> Any:
    """The reference scenario as it ran: its warm-up and size describe the comparison."""
    from lab.runs import RunSpec, resolve

    return resolve(RunSpec(plan.scenarios[0], plan.seeds[0], plan.weeks, plan.overrides))


def _show(key: str, value: float, signed: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    unit = BY_KEY[key].unit if key in BY_KEY else ""
    sign = "+" if signed else ""
    if unit == "share":
        return f"{value * 100:{sign}.1f} pp" if signed else f"{value:.1%}"
    if unit == "eur":
        return f"EUR {value:{sign},.0f}"
    if unit in ("rating", "index"):
        return f"{value:{sign}.2f}"
    return f"{value:{sign}.1f}"


def print_table(result: dict[str, Any], out: Path) -> None:
    """The headline KPIs: each scenario's mean, and its paired difference with the interval."""
    labels = [s["name"] for s in result["scenarios"]]
    n = len(result["seeds"])
    print(f"Compared on {n} seed{'s' if n != 1 else ''} ({result['seeds'][0]}.."
          f"{result['seeds'][-1]}), {result['weeks']} weeks; differences to {labels[0]}, "
          f"paired, with {result['confidence']:.0%} intervals")
    rows = {(r["kpi"], r["scenario"]): r for r in result["kpis"]}
    header = ["KPI", *labels]
    lines = [header]
    for key in result["headline"]:
        line = [BY_KEY[key].en]
        for i, label in enumerate(labels):
            r = rows[(key, label)]
            cell = _show(key, r["mean"])
            if r["n"] < n:  # seeds without a value (e.g. no episode ended) are left out
                cell += f" (n={r['n']})"
            if i:
                cell += (f"  {_show(key, r['diff'], True)} "
                         f"[{_show(key, r['diff_lo'], True)}, {_show(key, r['diff_hi'], True)}]")
            line.append(cell)
        lines.append(line)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
    if "precision" in result:
        p = result["precision"]
        state = "reached" if p["met"] else f"not reached within {p['max_seeds']} seeds"
        asked = ", ".join(f"{k} {v:g}" for k, v in p["asked"].items())
        print(f"Interval widths asked ({asked}): {state}.")
    print(f"Tables and compare.json written to {out}")


# ---------------------------------------------------------------- sweep and report


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a sweep file; print where its tables are (or the result as JSON)."""
    from lab.output import json_safe
    from lab.sweep import run_sweep

    # The folder is made by run_sweep once the file has been read: a bad sweep file
    # leaves no empty output folder behind.
    default = "sweep-" + re.sub(r"[^A-Za-z0-9_-]+", "_", args.sweep.stem)[:60]
    out = args.out if args.out is not None else Path("out") / default
    args.log_dir = out
    quiet = contextlib.redirect_stdout(sys.stderr) if args.json else contextlib.nullcontext()
    with quiet:
        result = run_sweep(args.sweep, list(args.overrides), args.workers, args.scheduler, out,
                           progress=not args.no_progress)
    if args.json:
        print(json.dumps(json_safe(result), allow_nan=False))
        return 0
    for warning in result.get("warnings", []):
        print(f"samenspel: warning: {warning}", file=sys.stderr)
    print(f"Sweep {result.get('name', args.sweep.stem)}: {result.get('runs', '?')} runs; "
          f"results in {out}")
    _print_indices(out)
    for line in (result.get("discovery") or {}).get("text", []):
        print(f"  {line}")
    return 0


def _print_indices(out: Path) -> None:
    """Per output, the factors from most to least influential, with each index's interval."""
    import pandas as pd

    path = out / "indices.csv"
    if not path.is_file():
        return
    table = pd.read_csv(path)
    for rank_by in ("mu_star", "ST"):
        ranked = table[table["index"] == rank_by]
        if ranked.empty:
            continue
        print(f"Factors by {rank_by} (with the half-width of its 95 % interval):")
        for output, rows in ranked.groupby("output", sort=False):
            rows = rows.sort_values("value", ascending=False)
            cells = ", ".join(f"{r.factor} {r.value:.3g} \u00b1{r.conf:.2g}"
                              for r in rows.itertuples())
            print(f"  {output}: {cells}")


def cmd_report(args: argparse.Namespace) -> int:
    """Write the policy brief of a comparison folder."""
    from lab.report import write_report

    if not args.folder.is_dir():
        raise UserError(f"report: {shorten(str(args.folder), 200)} is not a folder; give the "
                        "--out folder of `samenspel compare`.")
    args.log_dir = args.folder
    path = write_report(args.folder, args.format, args.lang, args.out)
    if args.json:
        print(json.dumps({"path": str(path), "format": args.format, "lang": args.lang}))
    else:
        print(f"Policy brief written to {path}")
    return 0
