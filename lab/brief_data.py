"""Reading a `samenspel compare` folder for the policy brief, checked key by key.

compare.json is a file the user can edit, move or mix up with another
command's output, so nothing in it is trusted: every key the brief needs is
checked for presence and type, and each problem becomes one `UserError`
sentence naming the folder, the key and the command that writes the file,
never a traceback. runs.parquet (or runs.csv) only adds the per-seed dots to
the charts, so the brief is still written without it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from lab.brief_text import Stat
from lab.headline import BY_KEY, HEADLINES, Headline
from sim.errors import UserError, shorten

COMPARE_FILE = "compare.json"
RUN_FILES = ("runs.parquet", "runs.csv")
MAKE_IT = "`samenspel compare A B ... --out {folder}` writes it"


@dataclass(frozen=True)
class Scenario:
    name: str
    file: str = ""
    scenario_hash: str = ""
    overrides: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """What a compare folder says: the runs compared, their statistics and per-seed values."""

    folder: Path
    scenarios: tuple[Scenario, ...]
    seeds: tuple[int, ...]
    weeks: int
    warmup_weeks: int
    families: int | None
    overrides: tuple[str, ...]
    confidence: float
    headline: tuple[Headline, ...]
    stats: dict[tuple[str, str], Stat]
    created: datetime | None = None
    code_version: str = ""
    runs: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def reference(self) -> Scenario:
        return self.scenarios[0]

    @property
    def others(self) -> tuple[Scenario, ...]:
        return self.scenarios[1:]

    def stat(self, kpi: str, scenario: str) -> Stat:
        """The KPI's statistics for a scenario; all NaN when compare.json has no such row."""
        return self.stats.get((kpi, scenario), Stat())

    def seed_values(self, kpi: str, scenario: str) -> dict[int, float]:
        """Per seed, the KPI of the scenario's run (only the compared seeds, finite values)."""
        runs = self.runs
        if runs.empty or kpi not in runs.columns:
            return {}
        rows = runs[runs["scenario"] == scenario]
        values = pd.to_numeric(rows[kpi], errors="coerce")
        seeds = pd.to_numeric(rows["seed"], errors="coerce")
        wanted = set(self.seeds)
        return {int(s): float(v) for s, v in zip(seeds, values, strict=True)
                if math.isfinite(s) and int(s) in wanted and math.isfinite(v)}


# -- loading --------------------------------------------------------------------------------

def load_comparison(folder: Path) -> Comparison:
    """Read and check `folder/compare.json` (and the run table beside it)."""
    folder = Path(folder)
    data = _read_json(folder)
    check = _Checker(folder)
    kind = check.get(data, "kind", str)
    check.raise_any()
    if kind != "compare":
        raise UserError(f"{folder / COMPARE_FILE} is a {shorten(kind)!r} file, not the output "
                        f"of a comparison; {MAKE_IT.format(folder=folder)}.")
    scenarios = _scenarios(check, data)
    names = [s.name for s in scenarios]
    comparison = Comparison(
        folder=folder,
        scenarios=scenarios,
        seeds=tuple(check.get_list(data, "seeds", int, non_empty=True)),
        weeks=check.get(data, "weeks", int),
        warmup_weeks=check.get(data, "warmup_weeks", int),
        families=check.get(data, "families", int, required=False),
        overrides=tuple(check.get_list(data, "overrides", str, required=False)),
        confidence=_confidence(check, data),
        headline=_headline(check, data),
        stats=_stats(check, data, names),
        created=_created(check, data),
        code_version=check.get(data, "code_version", str, required=False) or "",
        runs=_runs(folder),
    )
    _check_lengths(check, comparison)
    check.raise_any()
    return comparison


def _check_lengths(check: _Checker, c: Comparison) -> None:
    """A run has weeks, and its warm-up leaves some of them to measure."""
    if c.weeks is not None and c.weeks <= 0:
        check.problem("'weeks'", f"must be more than 0, not {c.weeks}")
    if c.warmup_weeks is not None and c.weeks is not None \
            and not 0 <= c.warmup_weeks < c.weeks:
        check.problem("'warmup_weeks'", f"must be at least 0 and less than 'weeks' ({c.weeks}), "
                                        f"not {c.warmup_weeks}")


def _read_json(folder: Path) -> dict[str, Any]:
    path = folder / COMPARE_FILE
    make = MAKE_IT.format(folder=folder)
    if not folder.is_dir():
        raise UserError(f"{folder} is not a folder; give the folder of a comparison ({make}).")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{folder} has no {COMPARE_FILE}, so it is not the output of a "
                        f"comparison; {make}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path} cannot be read ({exc.__class__.__name__}); {make}.") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                        f"{exc.msg}); {make} again.") from None
    if not isinstance(data, dict):
        raise UserError(f"{path} holds a JSON {type(data).__name__}, not an object; {make}.")
    return data


class _Checker:
    """Collects every problem of compare.json, so the user sees them all at once."""

    TYPE_NAMES = {int: "a whole number", float: "a number", str: "a text", list: "a list",
                  dict: "an object"}

    def __init__(self, folder: Path) -> None:
        self.path = folder / COMPARE_FILE
        self.folder = folder
        self.problems: list[str] = []

    def problem(self, where: str, text: str) -> None:
        self.problems.append(f"{self.path}: {where} {text}.")

    def get(self, data: dict[str, Any], key: str, kind: type, *, required: bool = True,
            where: str = "") -> Any:
        """data[key] when it has the type; None (and a problem noted) when not."""
        label = f"{where}'{key}'" if where else f"'{key}'"
        if key not in data or (data[key] is None and not required):
            if required:
                self.problem(label, "is missing")
            return None
        value = data[key]
        if _is(value, kind):
            return float(value) if kind is float else value
        self.problem(label, f"must be {self.TYPE_NAMES[kind]}, not {_shown(value)}")
        return None

    def get_list(self, data: dict[str, Any], key: str, kind: type, *, required: bool = True,
                 non_empty: bool = False) -> list[Any]:
        items = self.get(data, key, list, required=required)
        if items is None:
            return []
        if non_empty and not items:
            self.problem(f"'{key}'", "is empty")
        bad = [v for v in items if not _is(v, kind)]
        if bad:
            self.problem(f"'{key}'", f"must hold only {self.TYPE_NAMES[kind]}s, not "
                                     f"{_shown(bad[0])}")
            return []
        return list(items)

    def raise_any(self) -> None:
        if self.problems:
            make = MAKE_IT.format(folder=self.folder)
            raise UserError(*self.problems, f"Write the folder again: {make}.")


def _is(value: Any, kind: type) -> bool:
    if isinstance(value, bool):
        return False
    if kind is float:
        return isinstance(value, int | float)
    return isinstance(value, kind)


def _shown(value: Any) -> str:
    return shorten(json.dumps(value, ensure_ascii=False))


def _number(check: _Checker, row: dict[str, Any], key: str, where: str) -> float:
    """A statistic: a number, or NaN when null or absent (n=1 leaves intervals undefined)."""
    value = row.get(key)
    if value is None:
        return math.nan
    if _is(value, float):
        return float(value)
    check.problem(f"{where}'{key}'", f"must be a number or null, not {_shown(value)}")
    return math.nan


def _scenarios(check: _Checker, data: dict[str, Any]) -> tuple[Scenario, ...]:
    entries = check.get(data, "scenarios", list)
    if not entries:
        if entries is not None:
            check.problem("'scenarios'", "is empty")
        check.raise_any()
    scenarios: list[Scenario] = []
    for i, entry in enumerate(entries):
        where = f"scenarios[{i}]"
        if not isinstance(entry, dict):
            check.problem(where, f"must be an object, not {_shown(entry)}")
            continue
        name = check.get(entry, "name", str, where=f"{where}.")
        if name is None:
            continue
        overrides = check.get(entry, "overrides", list, required=False, where=f"{where}.") or []
        scenarios.append(Scenario(
            name=name,
            file=check.get(entry, "file", str, required=False, where=f"{where}.") or "",
            scenario_hash=check.get(entry, "scenario_hash", str, required=False,
                                    where=f"{where}.") or "",
            overrides=tuple(str(o) for o in overrides)))
    names = [s.name for s in scenarios]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        check.problem("'scenarios'", f"names {_shown(twice[0])} more than once")
    check.raise_any()
    return tuple(scenarios)


def _stats(check: _Checker, data: dict[str, Any],
           names: list[str]) -> dict[tuple[str, str], Stat]:
    stats: dict[tuple[str, str], Stat] = {}
    for i, row in enumerate(check.get(data, "kpis", list) or []):
        where = f"kpis[{i}]."
        if not isinstance(row, dict):
            check.problem(f"kpis[{i}]", f"must be an object, not {_shown(row)}")
            continue
        kpi = check.get(row, "kpi", str, where=where)
        scenario = check.get(row, "scenario", str, where=where)
        if kpi is None or scenario is None:
            continue
        if scenario not in names:
            check.problem(f"{where}'scenario'", f"names {_shown(scenario)}, which is not one of "
                                                f"the scenarios")
            continue
        n = row.get("n", 0)
        if not _is(n, int) or n < 0:
            check.problem(f"{where}'n'", f"must be a whole number of runs, not {_shown(n)}")
            n = 0
        stats[kpi, scenario] = Stat(
            **{k: _number(check, row, k, where)
               for k in ("mean", "sd", "diff", "diff_sd", "diff_lo", "diff_hi")}, n=n)
    return stats


def _confidence(check: _Checker, data: dict[str, Any]) -> float:
    value = check.get(data, "confidence", float, required=False)
    if value is None:
        return 0.95
    if not 0 < value < 1:
        check.problem("'confidence'", f"must lie between 0 and 1, not {_shown(value)}")
        return 0.95
    return value


def _headline(check: _Checker, data: dict[str, Any]) -> tuple[Headline, ...]:
    """The headline KPIs in compare.json's order; KPIs the brief has no words for are left out."""
    keys = check.get_list(data, "headline", str, required=False)
    chosen = tuple(BY_KEY[k] for k in dict.fromkeys(keys) if k in BY_KEY)
    return chosen or HEADLINES


def _created(check: _Checker, data: dict[str, Any]) -> datetime | None:
    text = check.get(data, "created", str, required=False)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        check.problem("'created'", f"must be a date and time (ISO 8601), not {_shown(text)}")
        return None


def _runs(folder: Path) -> pd.DataFrame:
    """The per-run table, or an empty frame when there is none: it only adds dots."""
    for name in RUN_FILES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            frame = pd.read_parquet(path) if name.endswith(".parquet") else pd.read_csv(path)
        except ImportError:  # no parquet engine installed: try the CSV twin
            continue
        except (OSError, ValueError) as exc:
            raise UserError(f"{path} cannot be read as a table ({shorten(str(exc))}); "
                            f"{MAKE_IT.format(folder=folder)} again.") from None
        missing = [c for c in ("scenario", "seed") if c not in frame.columns]
        if missing:
            raise UserError(f"{path} has no column {missing[0]!r}; "
                            f"{MAKE_IT.format(folder=folder)} again.")
        frame["scenario"] = frame["scenario"].astype(str)
        return frame
    return pd.DataFrame()
