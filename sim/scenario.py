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
from collections.abc import Callable, Iterable
from dataclasses import Field, fields, replace
from pathlib import Path
from typing import Any

from sim.domains import DOMAIN_KEYS, SILOS
from sim.params import SECTIONS, Scenario

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
SUM_TOLERANCE = 1e-6  # silo shares written by hand are rounded; allow that much
FROM_SET = "from --set"

# What was read so far: "section.key" -> (checked value, where it was set, e.g. "in a.toml").
Settings = dict[str, tuple[Any, str]]


class ScenarioError(Exception):
    """A mistake in a scenario file or an override, explained for the user.

    `messages` holds one or more complete sentences, one per problem, so that
    `samenspel validate` can list every problem at once; str() joins them.
    """

    def __init__(self, *messages: str) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


class _Invalid(Exception):
    """Why a value is not allowed; `_check_value` adds key, value and source."""


# ---------------------------------------------------------------- finding files


def list_scenarios() -> list[str]:
    """Names of all scenarios under SCENARIO_DIR, e.g. 'baseline', 'validation/mmc'."""
    if not SCENARIO_DIR.is_dir():
        return []
    return sorted(p.relative_to(SCENARIO_DIR).with_suffix("").as_posix()
                  for p in SCENARIO_DIR.rglob("*.toml"))


def _find(name: str, folders: Iterable[Path]) -> Path | None:
    """The first existing file `folder/name` or `folder/name.toml`, folders in order."""
    for folder in folders:
        for candidate in (folder / name, folder / f"{name}.toml"):
            if candidate.is_file():
                return candidate.resolve()
    return None


def _available(name: str) -> str:
    """The end of a 'not found' message: a near match and the scenarios there are."""
    names = list_scenarios()
    if not names:
        return f" There are no scenarios in {SCENARIO_DIR}."
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return f"{hint} Available scenarios: {', '.join(names)}."


def resolve_path(name_or_path: str) -> Path:
    """The scenario file meant by a path or by a name in SCENARIO_DIR ('.toml' optional)."""
    found = _find(str(name_or_path), (Path.cwd(), SCENARIO_DIR))
    if found is None:
        raise ScenarioError(f"scenario '{name_or_path}' not found: it is neither a file "
                            f"nor a scenario in {SCENARIO_DIR}." + _available(str(name_or_path)))
    return found


def _display(path: Path) -> str:
    """A path as short as it can be while still saying where the file is."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


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
    """A value in a message, written as it would be in the file."""
    try:
        return _toml_value(value)
    except TypeError:
        return repr(value)


def _number(x: float) -> str:
    return str(x) if isinstance(x, int) else f"{x:g}"


# ---------------------------------------------------------------- checking keys


def _fields(section: str) -> dict[str, Field]:
    return {f.name: f for f in fields(SECTIONS[section])}


def _hint(word: str, options: Iterable[str], what: str, prefix: str = "") -> str:
    """'; did you mean ...?' for a near miss, else the list of what is allowed."""
    options = list(options)
    close = difflib.get_close_matches(word, options, n=1)
    if close:
        return f"; did you mean '{prefix}{close[0]}'?"
    return f"; {what} are: {', '.join(options)}."


def _owners(key: str) -> list[str]:
    """Sections that have a key of this name, for a key written outside its section."""
    return [s for s in SECTIONS if key in _fields(s)]


def _check_path(section: str, key: str, where: str) -> str:
    """'section.key' when both are in the schema; else a ScenarioError with a suggestion."""
    if section not in SECTIONS:
        raise ScenarioError(f"unknown section '{section}' {where}"
                            + _hint(section, SECTIONS, "the sections"))
    if key not in _fields(section):
        hint = _hint(key, _fields(section), f"the keys of [{section}]", prefix=f"{section}.")
        raise ScenarioError(f"unknown key '{section}.{key}' {where}{hint}")
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
    raise ScenarioError(f"unknown section '{section}' {where}"
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
    _check_range(float(value), meta)
    return float(value)


def _as_str(value: Any, meta: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid("must be a text in double quotes")
    if meta["choices"] and value not in meta["choices"]:
        raise _Invalid("must be one of " + ", ".join(f'"{c}"' for c in meta["choices"]))
    return value


def _as_list(value: Any, meta: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Invalid('must be a list of texts, e.g. ["a", "b"]')
    return list(value)


def _as_dict(value: Any, meta: Any) -> dict[str, float]:
    if not isinstance(value, dict) or not all(_is_number(v) for v in value.values()):
        raise _Invalid("must be a table of numbers, e.g. {a = 0.5, b = 0.5}")
    return {k: float(v) for k, v in value.items()}


def _names_from(allowed: tuple[str, ...], what: str,
                *, empty_ok: bool) -> Callable[[list[str]], list[str]]:
    """A check that a list names only known items, each once: a typo would silently do nothing."""
    def check(names: list[str]) -> list[str]:
        for name in names:
            if name not in allowed:
                raise _Invalid(f"'{name}' is not a {what}; the {what}s are {', '.join(allowed)}")
            if names.count(name) > 1:
                raise _Invalid(f"'{name}' is listed twice")
        if not names and not empty_ok:
            raise _Invalid(f"must name at least one {what} of {', '.join(allowed)}")
        return names
    return check


def _check_silo_split(split: dict[str, float]) -> dict[str, float]:
    """Shares of one budget: known silos, none negative, adding up to 1; missing silos get 0."""
    for silo, share in split.items():
        if silo not in SILOS:
            raise _Invalid(f"'{silo}' is not a budget silo; the silos are {', '.join(SILOS)}")
        if share < 0:
            raise _Invalid(f"the share of '{silo}' must be 0 or more")
    total = sum(split.values())
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise _Invalid(f"the shares must add up to 1, but add up to {total:g}")
    return {silo: split.get(silo, 0.0) for silo in SILOS}


_CHECK_TYPE: dict[str, Callable[[Any, Any], Any]] = {
    "bool": _as_bool, "int": _as_int, "float": _as_float, "str": _as_str,
    "list": _as_list, "dict": _as_dict,
}
_CHECK_KEY: dict[str, Callable[[Any], Any]] = {
    "providers.domains": _names_from(DOMAIN_KEYS, "domain", empty_ok=False),
    "funding.hard_silos": _names_from(SILOS, "silo", empty_ok=True),
    "funding.silo_split": _check_silo_split,
}


def _check_value(path: str, value: Any, where: str) -> Any:
    """The value converted to its field's type, or a ScenarioError saying what is allowed."""
    section, key = path.split(".")
    field = _fields(section)[key]
    try:
        checked = _CHECK_TYPE[field.type](value, field.metadata)
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


# ---------------------------------------------------------------- loading


def _read_toml(path: Path) -> dict[str, Any]:
    """The parsed file; a syntax error becomes a ScenarioError naming file and line."""
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{_display(path)} is not valid TOML: {exc}.") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{_display(path)} is not valid TOML: it is not UTF-8 text.") from None
    except OSError as exc:
        raise ScenarioError(f"cannot read {_display(path)}: {exc.strerror}.") from None


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
    try:
        settings[path] = (_check_value(path, value, where), where)
    except ScenarioError as exc:
        errors += exc.messages


def _load_file(path: Path, chain: tuple[Path, ...] = ()) -> tuple[Settings, list[str]]:
    """Settings of one file laid over those of the file it extends, and the errors found."""
    if path in chain:
        circle = " extends ".join(_display(p) for p in (*chain, path))
        raise ScenarioError(f"scenario files extend each other in a circle: {circle}.")
    data = _read_toml(path)
    where = f"in {_display(path)}"
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
    except tomllib.TOMLDecodeError:
        return text.strip()
    return parsed["v"] if len(parsed) == 1 else text.strip()


def _parse_pair(key: str, value: Any) -> tuple[str, Any]:
    section, dot, name = key.strip().partition(".")
    if not dot:
        owners = _owners(section)
        hint = f"; did you mean '{owners[0]}.{section}'?" if owners else (
            ", e.g. population.families.")
        raise ScenarioError(f"--set {key}: the key must name its section too{hint}")
    path = _check_path(section, name, FROM_SET)
    return path, _parse_value(value) if isinstance(value, str) else value


def parse_override(text: str) -> tuple[str, object]:
    """('section.key', value) from 'section.key=value' as given to --set."""
    key, sep, value = text.partition("=")
    if not sep:
        raise ScenarioError(f"--set {text!r} has no '=': write section.key=value, "
                            "e.g. --set population.families=5000.")
    return _parse_pair(key, value)


def _apply_overrides(settings: Settings,
                     overrides: dict[str, str] | list[str] | None) -> list[str]:
    """Lay --set values over the file's settings; return the errors found."""
    errors: list[str] = []
    items = overrides.items() if isinstance(overrides, dict) else (overrides or [])
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
        load_scenario(path)
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
    if section not in SECTIONS or key not in _fields(section):
        raise ScenarioError(f"unknown parameter {path!r}"
                            + _hint(path, _all_paths(), "parameters"))
    checked = _check_value(path, value, "in an action")
    return replace(scenario, **{section: replace(getattr(scenario, section), **{key: checked})})


def _all_paths() -> list[str]:
    return [f"{s}.{f}" for s in SECTIONS for f in _fields(s)]
