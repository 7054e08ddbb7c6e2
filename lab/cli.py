"""The `samenspel` command: run a scenario headless, check scenario files, and the lab.

    samenspel run baseline --seed 7 --years 10 --set population.families=5000
    samenspel validate scenarios/*.toml
    samenspel compare baseline integraal --seeds 10      (lab.commands: compare, sweep, report)

Mistakes a user can make (an unknown scenario or key, a bad number, an output
directory that cannot be written) end with `samenspel: error: ...` on stderr
and exit code 2, never with a traceback; a bug ends with one line saying so and
the traceback in a log file (see `sim.errors`, the error path every entry point
shares).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import math
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, NoReturn

from sim import errors, limits
from sim.errors import EXIT_INTERRUPTED, EXIT_USAGE, UserError
from sim.params import RunParams

__all__ = ["EXIT_INTERRUPTED", "EXIT_USAGE", "UserError", "main"]  # UserError: see sim.errors

PROG = "samenspel"
WEEKS_PER_YEAR = 52
_RUN_LIMITS = {f.name: f.metadata for f in fields(RunParams)}

# Summary KPIs shown after a run: key, label, how to show the value.
SUMMARY_LINES: tuple[tuple[str, str, str], ...] = (
    ("mean_wait_weeks", "Mean wait", "{:.1f} weeks"),
    ("mean_waiting_families", "Families waiting (mean)", "{:,.0f}"),
    ("share_children_in_care_per_year", "Children in care per year", "{:.1%}"),
    ("residential_share", "Share in residential care", "{:.1%}"),
    ("mean_trajectory_weeks", "Mean trajectory", "{:.1f} weeks"),
    ("share_ended_without_further_help", "Ended without further help", "{:.1%}"),
    ("repeat_use_share", "Back in care within five years", "{:.1%}"),
    ("relapse_share", "Relapse", "{:.1%}"),
    ("client_rating", "Client rating (1-10)", "{:.1f}"),
    ("professional_satisfaction", "Professional satisfaction", "{:.2f}"),
    ("sickness_absence_share", "Sickness absence", "{:.1%}"),
    ("admin_time_share", "Time on administration", "{:.1%}"),
    ("cost_per_child_in_care_eur", "Cost per child in care", "EUR {:,.0f}"),
    ("total_cost_eur", "Total cost", "EUR {:,.0f}"),
)


class Parser(argparse.ArgumentParser):
    """argparse, with its errors worded like the command's own: `samenspel: error: ...`.

    Also used by `samenspel play` (with its own `error_prog`), so both front ends
    word a bad flag alike, and a long value is cut short.
    """

    error_prog = PROG

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.error_prog}: error: {errors.shorten(message, 300)}\n")


# ---------------------------------------------------------------- argument types


def _whole(text: str, what: str, lo: int, hi: int | None) -> int:
    shown = errors.shorten(text)
    try:
        value = int(text) if len(text) <= 30 else None  # no bound needs more digits
    except ValueError:
        value = None
    if value is None:
        raise argparse.ArgumentTypeError(f"{what} must be a whole number, not {shown!r}")
    if value < lo or (hi is not None and value > hi):
        upper = f" and at most {hi:,}" if hi is not None else ""
        raise argparse.ArgumentTypeError(f"{what} must be at least {lo}{upper}, not {shown}")
    return value


def whole_number(what: str, lo: int, hi: int | None) -> Callable[[str], int]:
    """An argparse type: a whole number from lo to hi, the error naming what it is."""
    def parse(text: str) -> int:
        return _whole(text, what, lo, hi)
    parse.__name__ = what  # argparse names the type in some messages
    return parse


def path_arg(text: str) -> Path:
    """An argparse type: a path of sensible length without NUL bytes."""
    if not text or "\0" in text or len(text) > limits.MAX_PATH_CHARS:
        raise argparse.ArgumentTypeError(
            f"{errors.shorten(text)!r} is not a usable path: give 1 to "
            f"{limits.MAX_PATH_CHARS:,} characters, without NUL bytes")
    return Path(text)


def _weeks(text: str) -> int:
    return _whole(text, "weeks", 1, _RUN_LIMITS["weeks"]["hi"])


def _seed(text: str) -> int:
    return _whole(text, "the seed", 0, _RUN_LIMITS["seed"]["hi"])


def _years(text: str) -> float:
    shown = errors.shorten(text)
    try:
        value = float(text) if len(text) <= 30 else math.nan
    except ValueError:
        raise argparse.ArgumentTypeError(f"years must be a number, not {shown!r}") from None
    weeks = round(value * WEEKS_PER_YEAR) if math.isfinite(value) else 0  # inf, NaN give 0
    if not 1 <= weeks <= _RUN_LIMITS["weeks"]["hi"]:
        raise argparse.ArgumentTypeError(
            f"years must give between 1 and {_RUN_LIMITS['weeks']['hi']:,} weeks "
            f"(a finite number from 0.01 to {_RUN_LIMITS['weeks']['hi'] / WEEKS_PER_YEAR:,.0f}),"
            f" not {shown}")
    return value


def _override(text: str) -> str:
    key, sep, _ = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(
            f"{errors.shorten(text)!r} is not key.path=value, e.g. --set population.families=5000")
    return text


override = _override  # the same --set check for `samenspel play`


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The `samenspel` argument parser with its subcommands."""
    parser = Parser(prog=PROG, description="Samenspel: an agent-based simulation of a Dutch "
                                            "youth-care network.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=Parser)
    _add_run(sub)
    _add_validate(sub)
    from lab.commands import add_commands

    add_commands(sub, path_arg=path_arg, whole_number=whole_number, override=_override,
                 years=_years, weeks=_weeks)
    return parser


def _add_run(sub: Any) -> None:
    run = sub.add_parser("run", help="run a scenario headless and write its results",
                         description="Run a scenario without the game and write KPI tables, "
                                     "logs, the resolved scenario and charts.")
    run.add_argument("scenario", metavar="SCENARIO",
                     help="a scenario name (e.g. baseline) or the path of a TOML file")
    run.add_argument("--seed", type=_seed, metavar="N",
                     help="seed of the random generator (default: the scenario's run.seed)")
    length = run.add_mutually_exclusive_group()
    length.add_argument("--weeks", type=_weeks, metavar="W",
                        help="weeks to simulate (default: the scenario's run.weeks)")
    length.add_argument("--years", type=_years, metavar="Y",
                        help="years to simulate (52 weeks each)")
    run.add_argument("--set", dest="overrides", action="append", type=_override, default=[],
                     metavar="KEY.PATH=VALUE",
                     help="override a scenario value, e.g. population.families=5000 "
                          "(may be repeated)")
    run.add_argument("--out", type=path_arg, metavar="DIR",
                     help="output directory (default: out/<scenario name>-seed<N>)")
    run.add_argument("--json", action="store_true",
                     help="print the summary KPIs as one JSON object on stdout, nothing else")
    run.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    # Drawing the charts costs more CPU than a short run and its tables together.
    run.add_argument("--charts", action="store_true",
                     help="also draw the KPI charts as PNG files (kpis.png, ...)")
    run.set_defaults(func=cmd_run)


def _add_validate(sub: Any) -> None:
    sub.add_parser("play", help="open the game (samenspel play --help for its options)")
    sub.add_parser("serve", help="serve a session to teams on their own laptops "
                                 "(samenspel serve --help for its options)")
    val = sub.add_parser("validate", help="check scenario files",
                         description="Check scenario files against the schema. Exit code 0 "
                                     "when all are valid, 2 otherwise.")
    val.add_argument("files", nargs="+", metavar="FILE", help="scenario file(s) or name(s)")
    val.set_defaults(func=cmd_validate)


# ---------------------------------------------------------------- main


# Front ends are loaded only when asked for, so the model never imports the game.
FRONT_ENDS = {"play": "game.cli", "serve": "game.web.cli"}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in FRONT_ENDS:
        import importlib

        try:
            front_end = importlib.import_module(FRONT_ENDS[argv[0]])
        except ImportError as exc:  # e.g. pygame-ce missing: a setup the user can fix
            return errors.report(f"{PROG} {argv[0]}", UserError(
                f"the game cannot start: {exc}; install it with `pip install -e .` "
                "(or `make play`)."))
        try:
            return front_end.main(argv[1:])
        except SystemExit as stop:  # the front end's argparse: --help (0) or a usage error
            return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    args.log_dir = None  # set once the output directory is known: a crash log goes there
    with warnings.catch_warnings():
        warnings.showwarning = _show_note
        return errors.guarded(PROG, lambda: args.func(args),
                              write_log=lambda text: write_crash_log(text, [args.log_dir]))


def _show_note(message: Warning | str, category: type[Warning], filename: str, lineno: int,
               file: Any = None, line: str | None = None) -> None:
    """A scenario's note (a retired key, ...) as a plain warning line; others as Python
    shows them."""
    from sim.scenario import ScenarioNote

    if issubclass(category, ScenarioNote):
        _warn(str(message))
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def write_crash_log(text: str, folders: Sequence[Path | None]) -> Path | None:
    """Write a crash report into the first folder that takes it, else the temp folder.

    The one place the command line writes a file about itself; the model never does.
    """
    for folder in [*folders, Path(tempfile.gettempdir())]:
        if folder is None:
            continue
        path = Path(folder) / errors.crash_name()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except (OSError, ValueError):
            continue
        return path
    return None


def _warn(message: str) -> None:
    print(f"{PROG}: warning: {message}", file=sys.stderr)


# ---------------------------------------------------------------- validate


def cmd_validate(args: argparse.Namespace) -> int:
    """Print `ok  FILE` or the file's problems (scenario or case file); 0 if every file is
    valid, else 2."""
    from sim.casefile import is_case_file, validate_case_file
    from sim.scenario import ScenarioNote, validate_file

    all_ok = True
    for name in args.files:
        # A case trainer's file (scenarios/cases/) is checked as a case.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ScenarioNote)
            messages = (validate_case_file if is_case_file(name) else validate_file)(name)
        notes = [w for w in caught if issubclass(w.category, ScenarioNote)]
        if not messages:
            print(f"ok  {name}")
            for note in notes:
                print(f"     note: {note.message}")
            continue
        all_ok = False
        print(f"FAIL {name}")
        for message in messages:
            print(f"     {message}")
    return 0 if all_ok else EXIT_USAGE


# ---------------------------------------------------------------- run


def cmd_run(args: argparse.Namespace) -> int:
    """Load, run and write a scenario; print its summary."""
    from sim.scenario import check_runnable, load_scenario

    scenario = load_scenario(args.scenario, args.overrides or None)
    seed = scenario.run.seed if args.seed is None else args.seed
    weeks = _run_weeks(args, scenario)
    length_from = "--weeks" if args.weeks else "--years" if args.years else "run.weeks"
    check_runnable(scenario, weeks, where=length_from)
    scenario = _as_run(scenario, seed=seed, weeks=weeks)
    out_dir = args.out if args.out is not None else default_out_dir(scenario.run.name, seed)
    _prepare_out_dir(out_dir)
    args.log_dir = out_dir
    if weeks <= scenario.run.warmup_weeks:
        _warn(f"the run has {weeks} weeks but a warm-up of {scenario.run.warmup_weeks}; "
              "summary KPIs are measured after the warm-up, so give more weeks "
              f"(more than {scenario.run.warmup_weeks}) or a shorter run.warmup_weeks.")
    # With --json, stdout carries the JSON object only: anything else goes to stderr.
    quiet = contextlib.redirect_stdout(sys.stderr) if args.json else contextlib.nullcontext()
    with quiet:
        model, run_time = simulate(scenario, seed, weeks, progress=not args.no_progress)
        paths = _write(model, scenario, seed, out_dir, run_time, charts=args.charts)
        summary = model.summary()
    if args.json:
        print(_json_line(summary, seed=seed, scenario=scenario.run.name, weeks=model.week))
    else:
        print_summary(summary, scenario.run.name, seed, model.week, scenario.run.warmup_weeks,
                      run_time, out_dir, len(paths))
    return 0


def _run_weeks(args: argparse.Namespace, scenario: Any) -> int:
    if args.weeks is not None:
        return args.weeks
    if args.years is not None:
        return round(args.years * WEEKS_PER_YEAR)
    return scenario.run.weeks


def _as_run(scenario: Any, *, seed: int, weeks: int) -> Any:
    """The scenario with the seed and length actually run, so its resolved file reproduces it."""
    run = dataclasses.replace(scenario.run, seed=seed, weeks=weeks)
    return dataclasses.replace(scenario, run=run)


def default_out_dir(name: str, seed: int) -> Path:
    """out/<scenario name>-seed<N>, the name made safe for a directory."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "scenario"
    return Path("out") / f"{safe}-seed{seed}"


def _prepare_out_dir(out_dir: Path) -> None:
    """Create the output directory and check it can be written, before a long run."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        shown = errors.shorten(str(out_dir), 200)
        raise UserError(f"cannot write to output directory {shown} (--out): {reason}; "
                        "give a folder that can be created and written.") from None


def simulate(scenario: Any, seed: int, weeks: int, progress: bool = True) -> tuple[Any, float]:
    """Build the model and step it `weeks` times; return it and the seconds it took."""
    from tqdm import tqdm

    from sim.model import SamenspelModel

    start = time.perf_counter()
    model = SamenspelModel(scenario, seed=seed)
    # disable=None: tqdm shows the bar only when stderr is a terminal.
    with tqdm(total=weeks, desc=scenario.run.name, unit="week", file=sys.stderr,
              disable=True if not progress else None, leave=False) as bar:
        for _ in range(weeks):
            model.step()
            bar.update(1)
    return model, time.perf_counter() - start


def _write(model: Any, scenario: Any, seed: int, out_dir: Path, run_time: float,
           charts: bool = False) -> list[Path]:
    from lab.output import write_run

    try:
        return write_run(model, scenario, seed, out_dir, run_time, charts=charts)
    except OSError as exc:
        where = exc.filename or out_dir
        raise UserError(f"cannot write results to {where}: {exc.strerror or exc}") from None


def _json_line(summary: dict[str, Any], **meta: Any) -> str:
    from lab.output import json_safe, summary_record

    return json.dumps(json_safe(summary_record(summary, **meta)), allow_nan=False)


def print_summary(summary: dict[str, Any], name: str, seed: int, weeks: int, warmup: int,
                  run_time: float, out_dir: Path, n_files: int) -> None:
    """A short human-readable report of the main summary KPIs."""
    measured = (f"weeks {warmup + 1}-{weeks}" if weeks > warmup else "all weeks")
    print(f"Scenario {name}, seed {seed}: {weeks} weeks in {run_time:.1f} s "
          f"(KPIs over {measured})")
    shown = [(label, fmt, summary[key]) for key, label, fmt in SUMMARY_LINES if key in summary]
    width = max((len(label) for label, _, _ in shown), default=0)
    for label, fmt, value in shown:
        print(f"  {label:<{width}}  {_format(fmt, value)}")
    print(f"{n_files} files written to {out_dir}")


def _format(fmt: str, value: Any) -> str:
    try:
        if value is None or value != value:  # None or NaN
            return "n/a"
        return fmt.format(value)
    except (TypeError, ValueError):
        return str(value)


if __name__ == "__main__":
    sys.exit(main())
