"""Reading and checking a sweep file: which levers to vary, how to sample them, what to measure.

A sweep asks "how do the KPIs depend on these levers?" by running one base
scenario at many settings of a few parameters (the factors), each on the same
seeds. It is written as TOML, like a scenario, so the same habits apply; every
mistake is found before any run starts and reported like a scenario mistake:
the file, the key, the value given and what is allowed, all problems at once.

    [sweep]
    name = "inkoop"                 # names the runs (inkoop#0007); letters, digits, _ and -
    description = "..."             # optional, one or two sentences (Dutch)
    base = "baseline"               # a scenario name, or a file (relative to this file first)
    sampler = "grid"                # grid | lhs | morris | sobol
    replications = 3                # seeds 1..3 (default 1); or seeds = [11, 12, 13]
    samples = 8                     # lhs: points; morris: trajectories; sobol: base N (2^k)
    sampler_seed = 1                # optional: the sampler's own seed (default 1)
    weeks = 260                     # optional: else the base scenario's run.weeks
    outputs = ["mean_wait_weeks"]   # optional: KPIs analysed (default: the headline KPIs)
    set = ["population.families=5000"]  # optional: changes to the base, as with --set
    num_levels = 4                  # morris only: grid levels per factor, even (default 4)
    second_order = false            # sobol only: also the pairwise indices S2

    [factors."funding.contract"]    # a scenario parameter, section.key
    levels = ["per_hour", "lump_sum"]   # grid: the values run (numbers, texts, true/false)

    [factors."providers.count"]     # grid, numbers only: evenly spaced levels,
    range = [6, 30]                 # ends included: 6, 12, 18, 24, 30
    steps = 5

    [factors."funding.turnover_ceiling"]  # lhs, morris, sobol: a range of numbers, sampled
    range = [0.0, 1.2]
    distribution = "uniform"        # uniform | triangular (peak = x) | loguniform (range
                                    # above 0) | truncnormal (mean = m, sd = s, cut to range)

    [discovery]                     # optional: "when does this lever lose?"
    kpi = "mean_wait_weeks"
    worse = "higher"                # higher | lower; default: from the headline KPIs
    threshold = 12.0                # optional: worse than this; else worse than the base
                                    # scenario (without the factors) on the same seed
    margin = 0.0                    # worse only by more than this (in the KPI's unit)
    depth = 2                       # 1-3: how many factors a box may combine

Why these choices:

- Every distribution is bounded by the factor's range, which is checked
  against the parameter's allowed range, so every sampled value is one the
  scenario accepts (a normal distribution without bounds would not be); a
  truncated normal covers "about this value".
- Every value is checked as a scenario value is (`sim.scenario._check_value`),
  and the base scenario is loaded once with the sweep's `set`, so messages and
  rules are the scenario loader's own.
- Continuous samplers need numbers; a text or true/false lever is swept with a
  grid. Whole-number parameters get rounded values.
- A parameter of the `run` section is not a lever: seeds come from
  `replications`, the length from `weeks`.
- A sweep is bounded (`MAX_RUNS` runs), so a typo in `samples` cannot queue a
  year of computing.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lab import samplers
from lab.headline import BY_KEY, HEADLINES
from sim import limits
from sim.errors import UserError, shorten
from sim.scenario import (
    SCENARIO_DIR,
    ScenarioError,
    _check_path,
    _check_value,
    _fields,
    _find,
    _hint,
    _owners,
    _parse_value,
    _show,
    display_path,
    load_scenario,
    read_toml,
)

SAMPLERS = ("grid", "lhs", "morris", "sobol")
CONTINUOUS = ("lhs", "morris", "sobol")
DISTRIBUTIONS = ("uniform", "triangular", "loguniform", "truncnormal")
NUMERIC_TYPES = ("int", "float")
FACTOR_TYPES = ("int", "float", "bool", "str")

MAX_RUNS = 100_000  # runs of one sweep, replications and base runs included
MAX_FACTORS = 50
MAX_LEVELS = 1_000  # levels (or steps) of one grid factor
MAX_REPLICATIONS = 1_000
MAX_SAMPLER_SEED = 2**32 - 1
MAX_SEED = 2**31 - 1  # as run.seed
MAX_WEEKS = 200_000  # as run.weeks
MAX_OUTPUTS = 200
MAX_DEPTH = 3
NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,60}")

SWEEP_KEYS = ("name", "description", "base", "sampler", "replications", "seeds", "samples",
              "sampler_seed", "weeks", "outputs", "set", "num_levels", "second_order")
FACTOR_KEYS = ("levels", "range", "steps", "distribution", "peak", "mean", "sd")
DISCOVERY_KEYS = ("kpi", "worse", "threshold", "margin", "depth")
TABLES = ("sweep", "factors", "discovery")
KIND_WORDS = {"int": "whole-number", "float": "number", "bool": "true/false", "str": "text",
              "list": "list", "dict": "table"}
# [sweep] keys of some samplers only, and what to say when another sampler is given them.
SAMPLER_OPTIONS = {
    "samples": (CONTINUOUS, "a grid runs every combination of the levels; samples is for lhs, "
                            "morris and sobol"),
    "num_levels": (("morris",), 'is only for sampler = "morris"'),
    "second_order": (("sobol",), 'is only for sampler = "sobol"'),
}
SHAPE_KEYS = {"peak": "triangular", "mean": "truncnormal", "sd": "truncnormal"}


class SweepError(UserError):
    """A mistake in a sweep file, explained for the user (one sentence per problem)."""


@dataclass(frozen=True)
class Factor:
    """One lever of a sweep: a scenario parameter and the values it may take."""

    path: str  # "section.key"
    kind: str  # the parameter's type: int, float, bool or str
    levels: tuple[Any, ...] = ()  # grid: every value run
    lo: float | None = None  # lhs/morris/sobol: the range sampled
    hi: float | None = None
    distribution: str = "uniform"
    peak: float | None = None  # triangular
    mean: float | None = None  # truncnormal
    sd: float | None = None


@dataclass(frozen=True)
class Discovery:
    """What scenario discovery looks for: runs where `kpi` is worse than the base or a threshold."""

    kpi: str
    worse: str  # "higher" or "lower"
    threshold: float | None = None  # None: compare with the base scenario on the same seed
    margin: float = 0.0
    depth: int = 2


@dataclass(frozen=True)
class Sweep:
    """A checked sweep file, with the command line's overrides."""

    file: Path
    name: str
    base: str  # as RunSpec.scenario: a scenario name, or the absolute path of a file
    sampler: str
    seeds: tuple[int, ...]
    factors: tuple[Factor, ...]
    outputs: tuple[str, ...]
    description: str = ""
    samples: int | None = None
    sampler_seed: int = 1
    weeks: int | None = None
    changes: tuple[str, ...] = ()  # the file's `set`: changes to the base
    cli_overrides: tuple[str, ...] = ()  # --set from the command line, applied after `set`
    num_levels: int = 4
    second_order: bool = False
    discovery: Discovery | None = None
    points: int = 0  # points the sampler gives (each run on every seed)

    @property
    def overrides(self) -> tuple[str, ...]:
        return (*self.changes, *self.cli_overrides)

    @property
    def needs_base_runs(self) -> bool:
        return self.discovery is not None and self.discovery.threshold is None

    @property
    def runs(self) -> int:
        """Runs the sweep makes: every point on every seed, and the base when compared with."""
        return (self.points + (1 if self.needs_base_runs else 0)) * len(self.seeds)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["file"] = str(self.file)
        data["factors"] = [_factor_dict(f) for f in self.factors]
        data["set"] = data.pop("changes")
        data["runs"] = self.runs
        return data


def _factor_dict(factor: Factor) -> dict[str, Any]:
    """A factor as the file would give it: levels for a grid, else range and distribution."""
    data = {k: v for k, v in asdict(factor).items() if v not in (None, ())}
    if factor.levels:
        data.pop("distribution")
    return data


@dataclass
class _Reader:
    """Collects every problem of one file, so the user can fix them all in one go."""

    file: Path
    errors: list[str] = field(default_factory=list)

    @property
    def shown(self) -> str:
        return display_path(self.file)

    def at(self, table: str) -> str:
        return f"{self.shown} [{table}]"

    def where(self, table: str) -> str:
        return f"in {self.at(table)}"

    def bad(self, key: str, value: Any, table: str, why: str) -> None:
        self.errors.append(f"{key} = {_show(value)} {self.where(table)}: {why}.")

    def unknown_keys(self, table: dict[str, Any], allowed: tuple[str, ...], name: str) -> None:
        for key in table:
            if key not in allowed:
                self.errors.append(f"unknown key '{shorten(key)}' {self.where(name)}"
                                   + _hint(key, allowed, f"the keys of [{name}]"))

    def scenario_check(self, path: str, value: Any, where: str) -> Any:
        """The value checked against the parameter's type and range, or None (error noted)."""
        try:
            return _check_value(path, value, where)
        except ScenarioError as exc:
            self.errors += exc.messages
            return None


# ---------------------------------------------------------------- small checks


def _near(word: str, options: tuple[str, ...]) -> str:
    """'; did you mean "x"?' for a near miss, else a full stop."""
    close = difflib.get_close_matches(word[:200], options, n=1)
    return f'; did you mean "{close[0]}"?' if close else "."


def _whole(r: _Reader, table: str, key: str, value: Any, lo: int, hi: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        r.bad(key, value, table, f"must be a whole number from {lo:,} to {hi:,}")
        return None
    if not lo <= value <= hi:
        r.bad(key, value, table, f"must be from {lo:,} to {hi:,}")
        return None
    return value


def _number(r: _Reader, table: str, key: str, value: Any) -> float | None:
    number = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # a whole number of hundreds of digits
            number = None
    if number is None or not math.isfinite(number):
        r.bad(key, value, table, "must be a finite number")
        return None
    return number


def _text(r: _Reader, table: str, key: str, value: Any, choices: tuple[str, ...] | None = None,
          most: int = 2_000) -> str | None:
    if not isinstance(value, str):
        r.bad(key, value, table, "must be a text in double quotes")
        return None
    if choices is not None and value not in choices:
        r.errors.append(f"{key} = {_show(value)} {r.where(table)}: must be one of "
                        + ", ".join(f'"{c}"' for c in choices) + _near(value, choices))
        return None
    if len(value) > most:
        r.bad(key, value, table, f"must be at most {most:,} characters, not {len(value):,}")
        return None
    return value


def _text_list(r: _Reader, table: str, key: str, value: Any, most: int) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        r.bad(key, value, table, 'must be a list of texts, e.g. ["a", "b"]')
        return None
    if len(value) > most:
        r.bad(key, value, table, f"may have at most {most} items, not {len(value):,}")
        return None
    twice = sorted({v for v in value if value.count(v) > 1})
    if twice:
        r.bad(key, value, table, f"lists {', '.join(map(repr, twice))} twice")
        return None
    return value


# ---------------------------------------------------------------- the KPIs


def known_outputs() -> tuple[str, ...]:
    """Every summary KPI a run reports (`lab.runs.known_kpis`)."""
    from lab.runs import known_kpis

    return known_kpis()


def _check_kpi(r: _Reader, table: str, key: str, value: Any) -> str | None:
    kpi = _text(r, table, key, value)
    if kpi is None:
        return None
    known = known_outputs()
    if kpi not in known:
        close = difflib.get_close_matches(kpi[:200], known, n=1)
        hint = (f"; did you mean '{close[0]}'?" if close else
                f"; the headline KPIs are: {', '.join(h.key for h in HEADLINES)}.")
        r.errors.append(f"{key} = {_show(value)} {r.where(table)}: not a summary KPI{hint}")
        return None
    return kpi


# ---------------------------------------------------------------- [sweep]


def _find_base(r: _Reader, value: Any) -> str | None:
    """The base scenario as RunSpec.scenario: a name from scenarios/, else an absolute path."""
    text = _text(r, "sweep", "base", value, most=4_096)
    if text is None:
        return None
    found = _find(text, (r.file.parent, Path.cwd(), SCENARIO_DIR))
    if found is None:
        r.bad("base", value, "sweep", f"no such scenario next to {r.shown}, in the current "
              f"folder or in {SCENARIO_DIR}")
        return None
    try:
        return found.relative_to(SCENARIO_DIR.resolve()).with_suffix("").as_posix()
    except ValueError:
        return str(found)


def _seeds(r: _Reader, table: dict[str, Any]) -> tuple[int, ...]:
    if "seeds" in table and "replications" in table:
        r.errors.append(f"{r.at('sweep')} gives both replications and seeds; give one: "
                        "replications = n runs seeds 1 to n.")
        return ()
    if "seeds" not in table:
        n = _whole(r, "sweep", "replications", table.get("replications", 1), 1,
                   MAX_REPLICATIONS)
        return tuple(range(1, n + 1)) if n else ()
    seeds = table["seeds"]
    if (not isinstance(seeds, list) or not seeds or len(seeds) > MAX_REPLICATIONS
            or not all(isinstance(s, int) and not isinstance(s, bool) and 0 <= s <= MAX_SEED
                       for s in seeds)):
        r.bad("seeds", seeds, "sweep", f"must be a list of 1 to {MAX_REPLICATIONS:,} whole "
              f"numbers from 0 to {MAX_SEED:,}")
        return ()
    if len(set(seeds)) != len(seeds):
        r.bad("seeds", seeds, "sweep", "lists a seed twice; each seed is run once per point")
        return ()
    return tuple(seeds)


def _set_items(r: _Reader, value: Any) -> tuple[str, ...]:
    """The file's `set` list, each item checked like --set but named as this file's."""
    items = _text_list(r, "sweep", "set", value, limits.MAX_OVERRIDES)
    if items is None:
        return ()
    where = f"{r.where('sweep')} set"
    for item in items:
        key, sep, text = item.partition("=")
        section, dot, name = key.strip().partition(".")
        if not sep or not dot:
            r.errors.append(f"set item {_show(item)} {r.where('sweep')}: write "
                            "\"section.key=value\", e.g. \"population.families=5000\".")
            continue
        try:
            path = _check_path(section, name, where)
        except ScenarioError as exc:
            r.errors += exc.messages
            continue
        r.scenario_check(path, _parse_value(text), where)
    return tuple(items)


def _sampler_options(r: _Reader, table: dict[str, Any], sampler: str | None) -> dict[str, Any]:
    """samples, num_levels and second_order: each only where its sampler uses it."""
    for key, (owners, why) in SAMPLER_OPTIONS.items():
        if key in table and sampler in SAMPLERS and sampler not in owners:
            r.bad(key, table[key], "sweep", why)
    options: dict[str, Any] = {}
    if sampler in CONTINUOUS and "samples" not in table:
        r.errors.append(f"{r.at('sweep')} has no samples: sampler = \"{sampler}\" needs "
                        "samples = n (lhs: points; morris: trajectories; sobol: base "
                        "samples, a power of 2).")
    elif sampler in CONTINUOUS:
        options["samples"] = _samples(r, sampler, table["samples"])
    if sampler == "morris" and "num_levels" in table:
        n = _whole(r, "sweep", "num_levels", table["num_levels"], 2, 20)
        if n is not None and n % 2:
            r.bad("num_levels", n, "sweep", "must be even, so that the Morris steps are "
                  "balanced")
        options["num_levels"] = n or 4
    if sampler == "sobol" and "second_order" in table:
        if not isinstance(table["second_order"], bool):
            r.bad("second_order", table["second_order"], "sweep", "must be true or false")
        options["second_order"] = table["second_order"] is True
    return options


def _samples(r: _Reader, sampler: str, value: Any) -> int | None:
    n = _whole(r, "sweep", "samples", value, 2, MAX_RUNS)
    if n is not None and sampler == "sobol" and n & (n - 1):
        below = 1 << (n.bit_length() - 1)
        r.bad("samples", value, "sweep", f"sobol needs a power of 2 (its sequence is balanced "
              f"only then), e.g. {below} or {below * 2}")
        return None
    return n


# ---------------------------------------------------------------- [factors]


def _factor_path(r: _Reader, path: str) -> tuple[str, str] | None:
    """(path, the parameter's type) for a factor name, or None with the problem noted."""
    where = r.where("factors")
    section, dot, key = path.partition(".")
    if not dot:
        owners = _owners(path)
        hint = f"; did you mean '{owners[0]}.{path}'?" if owners else (
            ', e.g. [factors."funding.contract"].')
        r.errors.append(f"factor '{shorten(path)}' {where} must name its section too{hint}")
        return None
    try:
        path = _check_path(section, key, where)
    except ScenarioError as exc:
        r.errors += exc.messages
        return None
    if section == "run":
        r.errors.append(f"factor '{path}' {where}: the run section says how a run is made, "
                        "not a lever; seeds come from replications, the length from weeks.")
        return None
    kind = _fields(section)[key].type
    if kind not in FACTOR_TYPES:
        r.errors.append(f"factor '{path}' {where}: a {KIND_WORDS[kind]} parameter cannot be a "
                        "factor; only parameters with one number, text or true/false can. "
                        "Change it with set instead.")
        return None
    return path, kind


def _factor(r: _Reader, path: str, spec: Any, sampler: str | None) -> Factor | None:
    name = f'factors."{path}"'
    if not isinstance(spec, dict):
        r.errors.append(f"factor '{shorten(path)}' {r.where('factors')} must be a table: "
                        f'write [factors."{shorten(path)}"] with levels or range below it.')
        return None
    r.unknown_keys(spec, FACTOR_KEYS, name)
    found = _factor_path(r, path)
    if found is None:
        return None
    path, kind = found
    if sampler == "grid":
        return _grid_factor(r, path, kind, spec, name)
    if sampler in CONTINUOUS:
        return _sampled_factor(r, path, kind, spec, name, sampler)
    return None


def _grid_factor(r: _Reader, path: str, kind: str, spec: dict, name: str) -> Factor | None:
    for key in ("distribution", *SHAPE_KEYS):
        if key in spec:
            r.bad(key, spec[key], name, "is for lhs, morris and sobol; a grid runs its levels")
    if "levels" in spec and ("range" in spec or "steps" in spec):
        r.errors.append(f"{r.at(name)} gives levels and a range; give one of them.")
        return None
    if "levels" in spec:
        levels = _levels(r, path, spec["levels"], name)
    elif "range" in spec and "steps" in spec:
        levels = _steps(r, path, kind, spec, name)
    else:
        r.errors.append(f"{r.at(name)} needs levels = [...] or range = [lo, hi] with "
                        "steps = n for a grid.")
        return None
    return Factor(path, kind, levels=levels) if levels else None


def _levels(r: _Reader, path: str, value: Any, name: str) -> tuple[Any, ...]:
    if not isinstance(value, list) or not value:
        r.bad("levels", value, name, "must be a list of one or more values, e.g. [1, 2, 3]")
        return ()
    if len(value) > MAX_LEVELS:
        r.bad("levels", value, name, f"may have at most {MAX_LEVELS:,} items, not "
              f"{len(value):,}")
        return ()
    count = len(r.errors)
    checked = [r.scenario_check(path, v, f"{r.where(name)} levels") for v in value]
    if len(r.errors) > count:
        return ()
    if len(set(map(repr, checked))) != len(checked):
        r.bad("levels", value, name, "lists a value twice; each level runs once")
        return ()
    return tuple(checked)


def _range(r: _Reader, path: str, spec: dict, name: str) -> tuple[float, float] | None:
    value = spec["range"]
    if not isinstance(value, list) or len(value) != 2:
        r.bad("range", value, name, "must be two numbers, [lowest, highest]")
        return None
    count = len(r.errors)
    lo, hi = (r.scenario_check(path, v, f"{r.where(name)} range") for v in value)
    if len(r.errors) > count:
        return None
    if lo >= hi:
        r.bad("range", value, name, "the first number must be less than the second")
        return None
    return lo, hi


def _steps(r: _Reader, path: str, kind: str, spec: dict, name: str) -> tuple[Any, ...]:
    if kind not in NUMERIC_TYPES:
        r.bad("range", spec["range"], name, f"{path} is a {KIND_WORDS[kind]} parameter; give "
              "its levels")
        return ()
    bounds = _range(r, path, spec, name)
    steps = _whole(r, name, "steps", spec["steps"], 2, MAX_LEVELS)
    if bounds is None or steps is None:
        return ()
    return samplers.even_levels(bounds[0], bounds[1], steps, whole=kind == "int")


def _sampled_factor(r: _Reader, path: str, kind: str, spec: dict, name: str,
                    sampler: str) -> Factor | None:
    if kind not in NUMERIC_TYPES:
        r.errors.append(f"factor '{path}' {r.where('factors')} is a {KIND_WORDS[kind]} "
                        "parameter; "
                        f'sampler = "{sampler}" samples numbers only. Sweep it with sampler = '
                        '"grid", or fix it with set.')
        return None
    for key in ("levels", "steps"):
        if key in spec:
            r.bad(key, spec[key], name, f'is for sampler = "grid"; {sampler} samples a range')
    if "range" not in spec:
        r.errors.append(f"{r.at(name)} needs range = [lo, hi] for sampler = \"{sampler}\".")
        return None
    bounds = _range(r, path, spec, name)
    dist = _text(r, name, "distribution", spec.get("distribution", "uniform"), DISTRIBUTIONS)
    if bounds is None or dist is None:
        return None
    shape = _shape(r, spec, name, dist, *bounds)
    if shape is None:
        return None
    return Factor(path, kind, lo=bounds[0], hi=bounds[1], distribution=dist, **shape)


def _shape(r: _Reader, spec: dict, name: str, dist: str, lo: float,
           hi: float) -> dict[str, float] | None:
    """peak, mean and sd: each needed by its distribution and allowed with it only."""
    count = len(r.errors)
    for key, owner in SHAPE_KEYS.items():
        if key in spec and dist != owner:
            r.bad(key, spec[key], name, f'is only for distribution = "{owner}"')
        elif key not in spec and dist == owner:
            r.errors.append(f'{r.at(name)}: distribution = "{owner}" needs {key} = x.')
    shape = {key: _number(r, name, key, spec[key]) for key in SHAPE_KEYS if key in spec}
    if len(r.errors) > count:
        return None
    if dist == "triangular" and not lo <= shape["peak"] <= hi:
        r.bad("peak", spec["peak"], name, f"must lie in the range, from {lo:g} to {hi:g}")
    if dist == "truncnormal" and shape["sd"] <= 0:
        r.bad("sd", spec["sd"], name, "must be more than 0")
    if dist == "loguniform" and lo <= 0:
        r.bad("range", [lo, hi], name, 'distribution = "loguniform" needs a range above 0')
    return None if len(r.errors) > count else shape


# ---------------------------------------------------------------- [discovery]


def _discovery(r: _Reader, table: Any) -> Discovery | None:
    if not isinstance(table, dict):
        r.errors.append(f"'discovery' in {r.shown} must be a table: write [discovery] with "
                        "kpi = \"...\" below it.")
        return None
    r.unknown_keys(table, DISCOVERY_KEYS, "discovery")
    if "kpi" not in table:
        r.errors.append(f"{r.at('discovery')} has no kpi: name the KPI to look at, e.g. "
                        'kpi = "mean_wait_weeks".')
        return None
    count = len(r.errors)
    kpi = _check_kpi(r, "discovery", "kpi", table["kpi"])
    default = BY_KEY[kpi].better if kpi in BY_KEY else None
    if "worse" not in table and kpi is not None and default is None:
        r.errors.append(f"{r.at('discovery')}: say which way {kpi} is worse: "
                        'worse = "higher" or "lower".')
    worse = table.get("worse", {"lower": "higher", "higher": "lower"}.get(default or ""))
    worse = _text(r, "discovery", "worse", worse, ("higher", "lower")) if worse else None
    threshold = (_number(r, "discovery", "threshold", table["threshold"])
                 if "threshold" in table else None)
    margin = _number(r, "discovery", "margin", table.get("margin", 0.0))
    if margin is not None and margin < 0:
        r.bad("margin", table["margin"], "discovery", "must be 0 or more")
    depth = _whole(r, "discovery", "depth", table.get("depth", 2), 1, MAX_DEPTH)
    if len(r.errors) > count:
        return None
    return Discovery(kpi, worse, threshold, margin, depth)


# ---------------------------------------------------------------- the whole file


def load_sweep(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> Sweep:
    """The checked sweep of a file, with --set `overrides` for its base scenario.

    Raises one SweepError (a UserError) listing every problem found.
    """
    file = Path(path).expanduser()
    if not file.is_file():
        raise SweepError(f"sweep file {shorten(str(path), 200)} not found: give the path of a "
                         "TOML file with a [sweep] table.")
    file = file.resolve()
    data = read_toml(file, SweepError, "sweep")
    r = _Reader(file)
    sweep = _parse(r, data, tuple(overrides))
    if r.errors:
        raise SweepError(*r.errors)
    assert sweep is not None
    return sweep


def _parse(r: _Reader, data: dict[str, Any], cli: tuple[str, ...]) -> Sweep | None:
    for key in data:
        if key not in TABLES:
            r.errors.append(f"unknown table '{shorten(key)}' in {r.shown}"
                            + _hint(key, TABLES, "the tables of a sweep file"))
    head = data.get("sweep")
    if not isinstance(head, dict):
        r.errors.append(f"{r.shown} has no [sweep] table: a sweep file starts with [sweep] "
                        "and its name, base and sampler.")
        return None
    r.unknown_keys(head, SWEEP_KEYS, "sweep")
    missing = [k for k in ("name", "base", "sampler") if k not in head]
    if missing:
        r.errors.append(f"{r.at('sweep')} has no {' and no '.join(missing)}: every sweep "
                        "names itself, its base scenario and its sampler.")
        return None
    name = _text(r, "sweep", "name", head["name"])
    if name is not None and not NAME_PATTERN.fullmatch(name):
        r.bad("name", name, "sweep", "must be 1 to 60 letters, digits, _ or - (it names "
              "the runs, e.g. inkoop#0007)")
    sampler = _text(r, "sweep", "sampler", head["sampler"], SAMPLERS)
    options = _sampler_options(r, head, sampler)
    factors = _factors(r, data.get("factors"), sampler)
    fields = {
        "name": name,
        "description": _text(r, "sweep", "description", head.get("description", "")) or "",
        "base": _find_base(r, head["base"]),
        "sampler": sampler,
        "seeds": _seeds(r, head),
        "factors": factors,
        "outputs": _outputs(r, head),
        "sampler_seed": _whole(r, "sweep", "sampler_seed", head.get("sampler_seed", 1), 0,
                               MAX_SAMPLER_SEED),
        "weeks": (_whole(r, "sweep", "weeks", head["weeks"], 1, MAX_WEEKS)
                  if "weeks" in head else None),
        "changes": _set_items(r, head.get("set", [])),
        "cli_overrides": cli,
        "discovery": _discovery(r, data["discovery"]) if "discovery" in data else None,
        **options,
    }
    if r.errors:
        return None
    sweep = Sweep(file=r.file, **fields)
    _check_clashes(r, sweep)
    _check_base(r, sweep)
    return _sized(r, sweep)


def _factors(r: _Reader, table: Any, sampler: str | None) -> tuple[Factor, ...]:
    if not isinstance(table, dict) or not table:
        r.errors.append(f"{r.shown} has no factors: add at least one [factors.\"section.key\"] "
                        "table with the values to sweep.")
        return ()
    if len(table) > MAX_FACTORS:
        r.errors.append(f"{r.shown} has {len(table)} factors; at most {MAX_FACTORS} are "
                        "allowed: screen fewer at a time.")
        return ()
    factors = [_factor(r, path, spec, sampler) for path, spec in table.items()]
    return tuple(f for f in factors if f is not None)


def _outputs(r: _Reader, head: dict[str, Any]) -> tuple[str, ...]:
    if "outputs" not in head:
        return tuple(h.key for h in HEADLINES)
    names = _text_list(r, "sweep", "outputs", head["outputs"], MAX_OUTPUTS)
    if not names:
        if names == []:
            r.bad("outputs", [], "sweep", "must name at least one KPI")
        return ()
    checked = [_check_kpi(r, "sweep", "outputs", n) for n in names]
    return tuple(n for n in checked if n is not None)


def _check_clashes(r: _Reader, sweep: Sweep) -> None:
    """A factor also changed by set or --set: the factor would silently win."""
    paths = {f.path for f in sweep.factors}
    for origin, items in ((f"set in {r.at('sweep')}", sweep.changes),
                          ("--set", sweep.cli_overrides)):
        for item in items:
            key = item.partition("=")[0].strip()
            if key in paths:
                r.errors.append(f"{origin} changes {key}, a factor of the sweep: its values "
                                f"come from [factors.\"{key}\"] in {r.shown}; leave it out "
                                f"of {origin.split()[0]}.")


def _check_base(r: _Reader, sweep: Sweep) -> None:
    """Load the base scenario once, with the sweep's changes, so every run starts from one."""
    if r.errors:
        return
    try:
        scenario = load_scenario(sweep.base, list(sweep.overrides) or None)
    except ScenarioError as exc:
        r.errors += [f"base = {_show(sweep.base)} {r.where('sweep')} does not load with the "
                     f"sweep's changes: {m}" for m in exc.messages]
        return
    warmup = scenario.run.warmup_weeks
    if sweep.weeks is not None and sweep.weeks <= warmup:
        r.bad("weeks", sweep.weeks, "sweep", f"must be more than the base's run.warmup_weeks = "
              f"{warmup}: KPIs are measured after the warm-up (lower it with set = "
              f'["run.warmup_weeks=..."])')


def _sized(r: _Reader, sweep: Sweep) -> Sweep | None:
    """The sweep with its number of points, if its runs stay within MAX_RUNS."""
    points = samplers.point_count(sweep.sampler, sweep.factors, sweep.samples,
                                  sweep.second_order)
    sized = dataclasses.replace(sweep, points=points)
    if sized.runs > MAX_RUNS:
        base = " and the base" if sweep.needs_base_runs else ""
        r.errors.append(f"{r.shown} asks for {sized.runs:,} runs ({points:,} points{base} x "
                        f"{len(sweep.seeds):,} seeds); a sweep may make at most {MAX_RUNS:,}: "
                        "use fewer levels, samples or replications.")
        return None
    return sized
