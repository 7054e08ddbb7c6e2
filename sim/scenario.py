"""Reading, checking and writing scenario files.

A scenario file is TOML: one table per section of `sim.params`, one key per
parameter. A file may say `extends = "name"` and then overrides its base key
by key; `--set section.key=value` overrides from the command line come last.
Every value is checked against the schema in `sim.params` before a `Scenario`
is built. Problems are reported as a `ScenarioError` whose message is written
for the user (file, key, value given, what is allowed), so the command line
never needs to show a traceback for them.
"""

from __future__ import annotations

import difflib
import json
import math
import numbers
import re
import tomllib
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import Field, fields, replace
from pathlib import Path
from typing import Any

from sim import limits
from sim.data import data_dir
from sim.domains import DOMAIN_KEYS, SILOS
from sim.errors import UserError, shorten
from sim.params import SECTIONS, Scenario
from sim.states import RELAPSE_WEEKS

SCENARIO_DIR = data_dir("scenarios")
SUM_TOLERANCE = 1e-6  # silo shares written by hand are rounded; allow that much
FROM_SET = "from --set"

# What was read so far: "section.key" -> (checked value, where it was set, e.g. "in a.toml").
Settings = dict[str, tuple[Any, str]]


class ScenarioError(UserError):
    """A mistake in a scenario file or an override, explained for the user.

    `messages` holds one or more complete sentences, one per problem, so that
    `samenspel validate` can list every problem at once; str() joins them.
    """


class _Invalid(Exception):
    """Why a value is not allowed; `_check_value` adds key, value and source."""


# ---------------------------------------------------------------- finding files


# Sweep files of the policy lab and the case trainer's case files live beside the
# scenarios but are not scenarios.
NOT_SCENARIOS = ("sweeps", "cases")


def list_scenarios() -> list[str]:
    """Names of all scenarios under SCENARIO_DIR, e.g. 'baseline', 'validation/mmc'."""
    if not SCENARIO_DIR.is_dir():
        return []
    names = (p.relative_to(SCENARIO_DIR).with_suffix("").as_posix()
             for p in SCENARIO_DIR.rglob("*.toml"))
    return sorted(n for n in names if n.split("/")[0] not in NOT_SCENARIOS)


def _find(name: str, folders: Iterable[Path]) -> Path | None:
    """The first existing file `folder/name` or `folder/name.toml`, folders in order."""
    for folder in folders:
        for candidate in (folder / name, folder / f"{name}.toml"):
            try:
                if candidate.is_file():
                    return candidate.resolve()
            except (OSError, ValueError):  # a name too long for the filesystem, a NUL byte
                continue
    return None


def _available(name: str) -> str:
    """The end of a 'not found' message: a near match and the scenarios there are."""
    names = list_scenarios()
    if not names:
        return f" There are no scenarios in {SCENARIO_DIR}."
    close = difflib.get_close_matches(name[:200], names, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return f"{hint} Available scenarios: {', '.join(names)}."


def resolve_path(name_or_path: str) -> Path:
    """The scenario file meant by a path or by a name in SCENARIO_DIR ('.toml' optional)."""
    name = str(name_or_path)
    if not name.strip() or len(name) > limits.MAX_PATH_CHARS:
        raise ScenarioError(f"scenario '{shorten(name)}' not found: a scenario is a name or the "
                            f"path of a TOML file, of 1 to {limits.MAX_PATH_CHARS:,} characters."
                            + _available(name))
    found = _find(name, (Path.cwd(), SCENARIO_DIR))
    if found is None:
        raise ScenarioError(f"scenario '{shorten(name)}' not found: it is neither a file "
                            f"nor a scenario in {SCENARIO_DIR}." + _available(name))
    return found


def display_path(path: Path) -> str:
    """A path as short as it can be while still saying where the file is."""
    try:
        return shorten(str(path.relative_to(Path.cwd())), 200)
    except ValueError:
        return shorten(str(path), 200)


# ---------------------------------------------------------------- showing values


def _toml_value(value: Any) -> str:
    """A value as TOML text; floats by repr so that they read back exactly."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, str):  # JSON's escapes are all valid TOML; DEL is not allowed raw
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}"
                               for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_value(str(key))


def _show(value: Any) -> str:
    """A value in a message, written as it would be in the file, cut short if long."""
    try:
        return shorten(_toml_value(value))
    except TypeError:  # not a TOML value, e.g. None from a save
        pass
    except (ValueError, RecursionError):  # an int of >4300 digits, lists nested very deep
        return f"<a {type(value).__name__} too large to show>"
    try:
        return shorten(repr(value))
    except (ValueError, RecursionError):
        return f"<a {type(value).__name__} too large to show>"


def _number(x: float) -> str:
    return str(x) if isinstance(x, int) else f"{x:g}"


# ---------------------------------------------------------------- checking keys


def _fields(section: str) -> dict[str, Field]:
    return {f.name: f for f in fields(SECTIONS[section])}


def _hint(word: str, options: Iterable[str], what: str, prefix: str = "") -> str:
    """'; did you mean ...?' for a near miss, else the list of what is allowed."""
    options = list(options)
    close = difflib.get_close_matches(word[:200], options, n=1)
    if close:
        return f"; did you mean '{prefix}{close[0]}'?"
    return f"; {what} are: {', '.join(options)}."


def _owners(key: str) -> list[str]:
    """Sections that have a key of this name, for a key written outside its section."""
    return [s for s in SECTIONS if key in _fields(s)]


# Keys an earlier version read that no longer mean anything, and what took their place.
# Users' files still load: the value is ignored with a note (a `ScenarioNote` warning),
# rather than the file refused or left to guess from "unknown key".
RETIRED = {
    "problems.ace_per_toxic_week": "adverse childhood experiences are now counted by kind of "
    "adversity, not by weeks of toxic stress (see problems.ace_risk and "
    "problems.unsafe_toxic_threshold)",
}


class ScenarioNote(UserWarning):
    """A setting that still loads but no longer does what it did; the command line and
    `samenspel validate` show it to the user."""


def _check_path(section: str, key: str, where: str) -> str:
    """'section.key' when both are in the schema; else a ScenarioError with a suggestion."""
    if f"{section}.{key}" in RETIRED:
        return f"{section}.{key}"  # `_set` passes it over with a note
    if section not in SECTIONS:
        raise ScenarioError(f"unknown section '{shorten(section)}' {where}"
                            + _hint(section, SECTIONS, "the sections"))
    if key not in _fields(section):
        hint = _hint(key, _fields(section), f"the keys of [{section}]", prefix=f"{section}.")
        raise ScenarioError(f"unknown key '{section}.{shorten(key)}' {where}{hint}")
    return f"{section}.{key}"


def _check_table(section: str, table: Any, where: str) -> None:
    """A top-level entry must be a known section, written as a table."""
    if section in SECTIONS:
        if not isinstance(table, dict):
            raise ScenarioError(f"'{section}' {where} must be a table: write [{section}] on a "
                                "line of its own, with its keys below it.")
        return
    owners = _owners(section)
    if owners and not isinstance(table, dict):
        raise ScenarioError(f"'{section}' {where} stands outside any section; "
                            f"put it under [{owners[0]}].")
    raise ScenarioError(f"unknown section '{shorten(section)}' {where}"
                        + _hint(section, SECTIONS, "the sections"))


# ---------------------------------------------------------------- checking values


def _allowed_range(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"must be between {_number(lo)} and {_number(hi)}"
    return f"must be at least {_number(lo)}" if lo is not None else f"must be at most {_number(hi)}"


def _check_range(value: float, meta: Any) -> None:
    lo, hi = meta["lo"], meta["hi"]
    if isinstance(value, float) and not math.isfinite(value):
        raise _Invalid("must be a finite number")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise _Invalid(_allowed_range(lo, hi))


def _is_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def _as_bool(value: Any, meta: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid("must be true or false")
    return value


def _as_int(value: Any, meta: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid("must be a whole number such as 3, without a decimal point")
    _check_range(value, meta)
    return value


def _as_float(value: Any, meta: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid("must be a number")
    try:
        number = float(value)
    except OverflowError:  # a whole number too large for a float: out of any range
        raise _Invalid(_allowed_range(meta["lo"], meta["hi"])) from None
    _check_range(number, meta)
    return number


def _check_text(text: str, most: int = limits.MAX_TEXT_CHARS) -> str:
    if len(text) > most:
        raise _Invalid(f"must be at most {most:,} characters, not {len(text):,}")
    return text


def _as_str(value: Any, meta: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid("must be a text in double quotes")
    if meta["choices"] and value not in meta["choices"]:
        raise _Invalid("must be one of " + ", ".join(f'"{c}"' for c in meta["choices"]))
    return value


def _check_size(items: list | dict) -> None:
    if len(items) > limits.MAX_LIST_ITEMS:
        raise _Invalid(f"may have at most {limits.MAX_LIST_ITEMS} items, not {len(items):,}")


def _as_list(value: Any, meta: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Invalid('must be a list of texts, e.g. ["a", "b"]')
    _check_size(value)
    return [_check_text(v) for v in value]


def _as_dict(value: Any, meta: Any) -> dict[str, float]:
    if not isinstance(value, dict) or not all(_is_number(v) for v in value.values()):
        raise _Invalid("must be a table of numbers, e.g. {a = 0.5, b = 0.5}")
    _check_size(value)
    try:
        return {_check_text(k): float(v) for k, v in value.items()}
    except OverflowError:
        raise _Invalid("must hold numbers small enough to compute with") from None


def _names_from(allowed: tuple[str, ...], what: str,
                *, empty_ok: bool) -> Callable[[list[str]], list[str]]:
    """A check that a list names only known items, each once: a typo would silently do nothing."""
    def check(names: list[str]) -> list[str]:
        seen = Counter(names)
        for name in names:
            if name not in allowed:
                raise _Invalid(f"'{shorten(name)}' is not a {what}; "
                               f"the {what}s are {', '.join(allowed)}")
            if seen[name] > 1:
                raise _Invalid(f"'{name}' is listed twice")
        if not names and not empty_ok:
            raise _Invalid(f"must name at least one {what} of {', '.join(allowed)}")
        return names
    return check


def _shares_of(allowed: tuple[str, ...], what: str) -> Callable[[dict], dict[str, float]]:
    """A check for shares of one whole (a budget over silos, capacity over domains):
    known names, none negative, adding up to 1; missing names get 0."""
    def check(shares: dict[str, float]) -> dict[str, float]:
        for name, share in shares.items():
            if name not in allowed:
                raise _Invalid(f"'{shorten(name)}' is not a {what}; "
                               f"the {what}s are {', '.join(allowed)}")
            if share < 0:
                raise _Invalid(f"the share of '{name}' must be 0 or more")
        total = sum(shares.values())
        if abs(total - 1.0) > SUM_TOLERANCE:
            raise _Invalid(f"the shares must add up to 1, but add up to {total:g}")
        return {name: shares.get(name, 0.0) for name in allowed}
    return check


_CHECK_TYPE: dict[str, Callable[[Any, Any], Any]] = {
    "bool": _as_bool, "int": _as_int, "float": _as_float, "str": _as_str,
    "list": _as_list, "dict": _as_dict,
}
# The name becomes the output folder's name: filesystems allow 255 bytes.
_TEXT_LIMIT = {"run.name": limits.MAX_NAME_CHARS}
_CHECK_KEY: dict[str, Callable[[Any], Any]] = {
    "providers.domains": _names_from(DOMAIN_KEYS, "domain", empty_ok=False),
    "region.domains": _names_from(DOMAIN_KEYS, "domain", empty_ok=False),
    "funding.hard_silos": _names_from(SILOS, "silo", empty_ok=True),
    "funding.silo_split": _shares_of(SILOS, "silo"),
    "capacity.domain_shares": _shares_of(DOMAIN_KEYS, "domain"),
}


def _check_value(path: str, value: Any, where: str) -> Any:
    """The value converted to its field's type, or a ScenarioError saying what is allowed."""
    section, key = path.split(".")
    field = _fields(section)[key]
    try:
        checked = _CHECK_TYPE[field.type](value, field.metadata)
        if isinstance(checked, str):
            _check_text(checked, _TEXT_LIMIT.get(path, limits.MAX_TEXT_CHARS))
        return _CHECK_KEY.get(path, lambda v: v)(checked)
    except _Invalid as why:
        raise ScenarioError(f"{path} = {_show(value)} {where}: {why}.") from None


def _cross_check(scenario: Scenario, settings: Settings) -> None:
    """Rules between parameters that no single range can express."""
    run = scenario.run
    if run.warmup_weeks >= run.weeks:
        origin = {p: settings.get(p, (None, "by default"))[1]
                  for p in ("run.warmup_weeks", "run.weeks")}
        raise ScenarioError(
            f"run.warmup_weeks = {run.warmup_weeks} ({origin['run.warmup_weeks']}) must be "
            f"less than run.weeks = {run.weeks} ({origin['run.weeks']}): KPIs are measured "
            "only after the warm-up, so a run needs weeks after it.")
    check_fits(scenario, run.weeks, where=_where(settings, "run.weeks"))
    _check_queue_population(scenario, settings)
    _check_own_request_shares(scenario, settings)


def _check_own_request_shares(scenario: Scenario, settings: Settings) -> None:
    """A family asking for help goes to a provider, the GP or the wijkteam: shares <= 1."""
    r = scenario.routes
    if r.own_request_direct + r.own_request_to_gp > 1.0 + SUM_TOLERANCE:
        keys = ("routes.own_request_direct", "routes.own_request_to_gp")
        raise ScenarioError(
            f"routes.own_request_direct = {r.own_request_direct} ({_where(settings, keys[0])}) "
            f"plus routes.own_request_to_gp = {r.own_request_to_gp} "
            f"({_where(settings, keys[1])}) is more than 1: they are shares of the same "
            "families (the rest go to the wijkteam); lower one so they add up to 1 at most.")


def check_runnable(scenario: Scenario, weeks: int, models: int = 1, where: str = "") -> None:
    """What a run needs beyond a well-formed scenario; called before any model is built.

    Memory (`check_fits`), and a provider for every domain: families get
    problems in every domain and are referred for each, and the model has no
    path yet for a referral nobody is contracted for (it fails at the first
    one). A queue validation uses one domain only and is not affected. A file
    with fewer domains still loads (and round-trips); `validate` and every
    command that runs it say why it cannot run.
    """
    check_fits(scenario, weeks, models, where)
    if scenario.arrivals.process != "families":
        return
    missing = [d for d in DOMAIN_KEYS if d not in scenario.providers.domains]
    if missing:
        raise ScenarioError(
            f"providers.domains = {_show(scenario.providers.domains)} leaves "
            f"{', '.join(missing)} without a provider, but families get problems in every "
            f"domain and are referred for each; list all of {', '.join(DOMAIN_KEYS)}.")


def _where(settings: Settings, path: str) -> str:
    return settings[path][1] if path in settings else "by default"


# ---------------------------------------------------------------- what a run can hold


def professionals_needed(scenario: Scenario) -> tuple[int, str]:
    """An upper estimate of the professionals a model builds, and where the number comes from.

    The same arithmetic as `sim.setup`: specialists from the absolute number or
    the rate (at least one per domain), generalists from their rate (at least
    one per neighbourhood); a queue validation has only its servers.
    """
    if scenario.arrivals.process == "poisson":
        return scenario.arrivals.servers, f"arrivals.servers = {scenario.arrivals.servers}"
    pop, prov = scenario.population, scenario.providers
    if prov.professionals:
        specialists = prov.professionals
        why = f"providers.professionals = {prov.professionals}"
    else:
        specialists = round(prov.professionals_per_1000_families * pop.families / 1000)
        why = (f"providers.professionals_per_1000_families = "
               f"{_number(prov.professionals_per_1000_families)} x population.families = "
               f"{pop.families} / 1000")
    specialists += len(prov.domains)  # rounding per domain, at least one each
    generalists = math.ceil(scenario.wijkteam.generalists_per_1000_families * pop.families
                            / 1000) + pop.neighbourhood_count
    from sim.capacity import dedicated_needed  # dedicated posts of staffed practices

    generalists += dedicated_needed(scenario)
    return specialists + generalists, f"{why}, plus {generalists:,} wijkteam generalists"


def _ideas(scenario: Scenario, professionals: int, weeks: int) -> float:
    """Ideas tried over a run at full trust: each professional at most one per trial."""
    inn = scenario.innovation
    per_week = 1 - math.exp(-inn.idea_rate * scenario.management.experimentation_hours)
    return professionals * weeks * min(per_week, 1 / inn.trial_weeks)


def _ties(scenario: Scenario, professionals: int, weeks: int) -> float:
    """Trust ties stored at most: every pair that met, in joint cases (at most one new
    pair per professional a week, far above the measured 0.03) and intervision, while
    remembered; never more than all pairs."""
    from sim.trust import MEMORY_WEEKS

    meetings = 0.05 * scenario.staff.learning_hours * scenario.innovation.knowledge_sharing
    remembered = min(weeks, MEMORY_WEEKS)
    return min(professionals * (professionals - 1) / 2,
               professionals * remembered * (1.0 + meetings))


def memory_need(scenario: Scenario, weeks: int, models: int = 1) -> list[tuple[float, str]]:
    """Bytes a run of `weeks` weeks (in `models` models at once) needs, per cause, largest first.

    An estimate from the measured figures in `sim.limits`; it errs on the large side.
    """
    families = scenario.population.families
    staff, _ = professionals_needed(scenario)
    ideas = _ideas(scenario, staff, weeks)
    parts = [
        (families * limits.BYTES_PER_FAMILY, f"{families:,} families"),
        (families * weeks * limits.BYTES_PER_FAMILY_WEEK,
         f"the history of {families:,} families over {weeks:,} weeks"),
        (_ties(scenario, staff, weeks) * limits.BYTES_PER_TIE,
         f"the trust ties of {staff:,} professionals"),
        (ideas * (limits.BYTES_PER_IDEA + 2 * staff),
         f"about {ideas:,.0f} ideas tried by {staff:,} professionals"),
    ]
    return sorted(((models * b, why) for b, why in parts), reverse=True)


def check_fits(scenario: Scenario, weeks: int, models: int = 1, where: str = "") -> None:
    """A ScenarioError when the run would need more memory than Samenspel allows.

    Checked before any model is built, so a scenario that validates never asks
    for a 75 GiB matrix halfway through.
    """
    staff, why = professionals_needed(scenario)
    if staff > limits.MAX_PROFESSIONALS:
        most = limits.MAX_PROFESSIONALS
        raise ScenarioError(
            f"the scenario has about {staff:,} professionals ({why}); at most {most:,} are "
            "allowed: every idea is tracked for every professional and each week's spread "
            "of ideas compares every professional with every idea in use, so memory and "
            f"time grow with the square of the staff ({most:,} is about eight times the "
            "staff of the largest Dutch municipality). Use fewer families or fewer "
            "professionals per 1000 families.")
    parts = memory_need(scenario, weeks, models)
    total = sum(b for b, _ in parts) / limits.GIB
    if total <= limits.MEMORY_LIMIT_GIB:
        return
    biggest = parts[0][1]
    times = f" for each of {models} teams" if models > 1 else ""
    raise ScenarioError(
        f"a run of {weeks:,} weeks ({where or 'as asked'}) would need about {total:,.0f} GiB "
        f"of memory{times}, mostly for {biggest}; Samenspel allows {limits.MEMORY_LIMIT_GIB} "
        f"GiB (what a {limits.MACHINE_GIB} GiB machine holds with room for the rest). "
        "Use fewer weeks, fewer families or fewer professionals.")


def _check_queue_population(scenario: Scenario, settings: Settings) -> None:
    """A queue validation draws its arrivals from families not in care: enough must be free.

    A family is busy while it waits or is in care, and for the year after
    (`sim.states.RELAPSE_WEEKS`); an unstable queue grows all run long. Six
    standard deviations of headroom make running out practically impossible.
    """
    arr = scenario.arrivals
    if arr.process != "poisson":
        return
    from sim.queueing import mmc_mean_wait

    lam, servers, service = arr.arrivals_per_week, arr.servers, arr.mean_service_weeks
    capacity = servers / service
    if lam < capacity:
        in_system = lam * (mmc_mean_wait(servers, lam, service) + service)
        how = "waiting or in care"
    else:
        in_system = servers + (lam - capacity) * scenario.run.weeks
        how = (f"in the queue, which grows by {lam - capacity:,.1f} a week because "
               f"{servers} servers finish only {capacity:,.1f} a week")
    busy = in_system + lam * RELAPSE_WEEKS
    need = math.ceil(busy + 6 * math.sqrt(busy) + 1)
    families = scenario.population.families
    if families < need:
        raise ScenarioError(
            f"population.families = {families} ({_where(settings, 'population.families')}) is "
            f"too small for arrivals.arrivals_per_week = {_number(lam)} "
            f"({_where(settings, 'arrivals.arrivals_per_week')}): about {busy:,.0f} families "
            f"are {how}, or in the {RELAPSE_WEEKS} weeks after care, and arrivals come only "
            f"from the others. Give population.families = {need} or more, or fewer arrivals.")


# ---------------------------------------------------------------- loading


def _read_toml(path: Path) -> dict[str, Any]:
    """The parsed file; a syntax error becomes a ScenarioError naming file and line."""
    return read_toml(path, ScenarioError, "scenario")


def read_toml(path: Path, error: type[UserError], kind: str) -> dict[str, Any]:
    """A TOML file of `kind` (scenario, case) parsed; any mistake raises `error` naming it.

    Reads at most `limits.MAX_SCENARIO_BYTES` (+1 to tell a larger file), so a
    wrong, huge file is refused without being read whole.
    """
    most = limits.MAX_SCENARIO_BYTES
    try:
        with path.open("rb") as f:
            raw = f.read(most + 1)
    except OSError as exc:
        raise error(f"cannot read {display_path(path)}: {exc.strerror or exc}.") from None
    if len(raw) > most:
        raise error(f"{display_path(path)} is larger than {most // 2**20} MiB: a {kind} "
                    "file is a few kilobytes of TOML, so this is not one.")
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise error(f"{display_path(path)} is not valid TOML: it is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{display_path(path)} is not valid TOML: {exc}.") from None
    except ValueError:  # Python refuses to read whole numbers of more than 4300 digits
        raise error(f"{display_path(path)} has a number with more than 4300 digits; "
                    "no parameter takes a number that large.") from None
    except RecursionError:
        raise error(f"{display_path(path)} nests lists or tables hundreds deep; "
                    f"a {kind} file nests a few levels at most.") from None


def _find_base(extends: Any, path: Path, where: str) -> Path:
    """The file named by `extends`: next to the extending file first, then in SCENARIO_DIR."""
    if not isinstance(extends, str):
        raise ScenarioError(f"extends = {_show(extends)} {where}: must be the name or path "
                            "of a scenario, in double quotes.")
    found = _find(extends, (path.parent, SCENARIO_DIR))
    if found is None:
        raise ScenarioError(f"extends = {_show(extends)} {where}: no such scenario next to "
                            f"that file or in {SCENARIO_DIR}." + _available(extends))
    return found


def _set(settings: Settings, errors: list[str], path: str, value: Any, where: str) -> None:
    """Check one value and record it, or record why it is wrong (to report all at once)."""
    if path in RETIRED:
        warnings.warn(ScenarioNote(f"'{path}' {where} is no longer used and is ignored: "
                                   f"{RETIRED[path]}; the line can go."), stacklevel=2)
        return
    try:
        settings[path] = (_check_value(path, value, where), where)
    except ScenarioError as exc:
        errors += exc.messages


def _load_file(path: Path, chain: tuple[Path, ...] = ()) -> tuple[Settings, list[str]]:
    """Settings of one file laid over those of the file it extends, and the errors found."""
    if path in chain:
        circle = " extends ".join(display_path(p) for p in (*chain, path))
        raise ScenarioError(f"scenario files extend each other in a circle: {circle}.")
    if len(chain) >= limits.MAX_EXTENDS_DEPTH:
        raise ScenarioError(f"{display_path(chain[0])} extends a chain of more than "
                            f"{limits.MAX_EXTENDS_DEPTH} files (at {display_path(path)}); "
                            "let it extend a scenario closer to the one it changes.")
    data = _read_toml(path)
    where = f"in {display_path(path)}"
    settings: Settings = {}
    errors: list[str] = []
    if "extends" in data:
        settings, errors = _load_file(_find_base(data.pop("extends"), path, where),
                                      (*chain, path))
    for section, table in data.items():
        for key, value in _entries(section, table, where, errors):
            try:
                path = _check_path(section, key, where)
            except ScenarioError as exc:
                errors += exc.messages
                continue
            _set(settings, errors, path, value, where)
    return settings, errors


def _entries(section: str, table: Any, where: str, errors: list[str]) -> list[tuple[str, Any]]:
    """The (key, value) pairs of a top-level table; none, with an error, if it is not one."""
    try:
        _check_table(section, table, where)
    except ScenarioError as exc:
        errors += exc.messages
        return []
    return list(table.items())


def _parse_value(text: str) -> Any:
    """A TOML value if the text is one (3, true, "x", [..]), else the text itself."""
    try:
        parsed = tomllib.loads(f"v = {text}")
    except (ValueError, RecursionError):  # not TOML, >4300 digits, nested hundreds deep
        return text.strip()
    return parsed["v"] if len(parsed) == 1 else text.strip()


def _parse_pair(key: str, value: Any) -> tuple[str, Any]:
    section, dot, name = key.strip().partition(".")
    if not dot:
        owners = _owners(section)
        hint = f"; did you mean '{owners[0]}.{section}'?" if owners else (
            ", e.g. population.families.")
        raise ScenarioError(f"--set {shorten(key)}: the key must name its section too{hint}")
    path = _check_path(section, name, FROM_SET)
    return path, _parse_value(value) if isinstance(value, str) else value


def parse_override(text: str) -> tuple[str, object]:
    """('section.key', value) from 'section.key=value' as given to --set."""
    key, sep, value = text.partition("=")
    if len(text) > limits.MAX_OVERRIDE_CHARS:
        raise ScenarioError(f"--set {shorten(text)!r} is longer than "
                            f"{limits.MAX_OVERRIDE_CHARS:,} characters; no value needs that "
                            "many.")
    if not sep:
        raise ScenarioError(f"--set {shorten(text)!r} has no '=': write section.key=value, "
                            "e.g. --set population.families=5000.")
    return _parse_pair(key, value)


def _apply_overrides(settings: Settings,
                     overrides: dict[str, str] | list[str] | None) -> list[str]:
    """Lay --set values over the file's settings; return the errors found."""
    errors: list[str] = []
    items = list(overrides.items() if isinstance(overrides, dict) else (overrides or []))
    if len(items) > limits.MAX_OVERRIDES:
        return [f"--set is given {len(items):,} times; at most {limits.MAX_OVERRIDES} "
                "overrides are allowed: put that many in a scenario file."]
    for item in items:
        try:
            path, value = parse_override(item) if isinstance(item, str) else _parse_pair(*item)
        except ScenarioError as exc:
            errors += exc.messages
            continue
        _set(settings, errors, path, value, FROM_SET)
    return errors


def _build(settings: Settings) -> Scenario:
    values: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
    for path, (value, _) in settings.items():
        section, key = path.split(".")
        values[section][key] = value
    return Scenario(**{name: cls(**values[name]) for name, cls in SECTIONS.items()})


def load_scenario(path_or_name: str | Path,
                  overrides: dict[str, str] | list[str] | None = None) -> Scenario:
    """The checked scenario of a file (with its bases) and --set overrides.

    Raises one ScenarioError listing every wrong value found, so a user can fix
    them all in one go.
    """
    settings, errors = _load_file(resolve_path(str(path_or_name)))
    errors += _apply_overrides(settings, overrides)
    if errors:
        raise ScenarioError(*errors)
    scenario = _build(settings)
    _cross_check(scenario, settings)
    return scenario


def validate_file(path: str | Path) -> list[str]:
    """Every problem of a scenario file, one message each; empty when it is valid."""
    try:
        scenario = load_scenario(path)
        check_runnable(scenario, scenario.run.weeks, where="run.weeks")
    except ScenarioError as exc:
        return exc.messages
    return []


# ---------------------------------------------------------------- writing


def scenario_to_toml(scenario: Scenario, header: dict[str, object] | None = None) -> str:
    """A resolved scenario as TOML that `load_scenario` reads back to an equal Scenario.

    Header items (seed, version, run time) become comments at the top, so the
    file records how a result was made while staying a valid scenario.
    """
    lines = [f"# {key} = {_show(value)}".replace("\n", " ")
             for key, value in (header or {}).items()]
    for section, values in scenario.to_dict().items():
        lines += ["", f"[{section}]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in values.items()]
    return "\n".join(lines).lstrip("\n") + "\n"


def with_setting(scenario: Scenario, path: str, value: Any) -> Scenario:
    """A copy of `scenario` with one parameter changed, checked like a file value.

    This is how a policy action changes the rules mid-run.
    """
    section, _, key = path.partition(".")
    if path in RETIRED:
        raise ScenarioError(f"{path!r} is no longer a parameter: {RETIRED[path]}.")
    if section not in SECTIONS or key not in _fields(section):
        raise ScenarioError(f"unknown parameter {path!r}"
                            + _hint(path, _all_paths(), "parameters"))
    checked = _check_value(path, value, "in an action")
    return replace(scenario, **{section: replace(getattr(scenario, section), **{key: checked})})


def _all_paths() -> list[str]:
    return [f"{s}.{f}" for s in SECTIONS for f in _fields(s)]
