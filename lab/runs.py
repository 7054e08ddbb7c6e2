"""One run of the model as a task any executor can carry, and its result as one flat row.

The lab never runs the model any other way: `compare` and `sweep` both build a
list of `RunSpec`s, hand them to an executor (local processes or a Dask
cluster) and keep the rows `run_one` returns. A spec holds only names, numbers
and text, so it pickles to any worker; the worker loads the scenario itself.
Because the model draws every random number from its seeded generator, a row
depends on the spec alone, whichever machine computes it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.scenario import load_scenario, scenario_to_toml

# Columns every row has before the KPIs.
META_COLUMNS = ("run_key", "scenario", "seed", "weeks", "scenario_hash", "code_version")


@dataclass(frozen=True)
class RunSpec:
    """What to run: a scenario (name or file), its changes, a seed and a length."""

    scenario: str
    seed: int
    weeks: int | None = None  # None: the scenario's own run.weeks
    overrides: tuple[str, ...] = ()  # `--set` texts, "section.key=value"
    settings: tuple[tuple[str, Any], ...] = ()  # (path, value) from a sweep, after overrides
    label: str = ""  # how tables name this scenario; the scenario argument when empty

    @property
    def name(self) -> str:
        return self.label or self.scenario


def resolve(spec: RunSpec) -> Any:
    """The scenario exactly as it will run: file, overrides, sweep settings, seed and weeks."""
    changes: list[Any] = [*spec.overrides, *spec.settings]
    scenario = load_scenario(spec.scenario, changes or None)
    weeks = scenario.run.weeks if spec.weeks is None else spec.weeks
    run = dataclasses.replace(scenario.run, seed=spec.seed, weeks=weeks)
    return dataclasses.replace(scenario, run=run)


def scenario_hash(scenario: Any) -> str:
    """A short fingerprint of everything a run depends on except its seed."""
    unseeded = dataclasses.replace(scenario, run=dataclasses.replace(scenario.run, seed=0))
    return hashlib.sha256(scenario_to_toml(unseeded).encode("utf-8")).hexdigest()[:16]


def run_key(spec: RunSpec, scenario: Any | None = None) -> str:
    """The identity of a run: its label, resolved scenario and seed (stable across machines)."""
    scenario = resolve(spec) if scenario is None else scenario
    text = f"{spec.name}\n{scenario_hash(scenario)}\n{spec.seed}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


# The code whose changes change results: a table measured with any of it uncommitted
# names its commit with ".dirty", so nobody takes it for that commit's figures.
MODEL_CODE = ("sim", "lab", "game", "scenarios")


@functools.cache
def code_version() -> str:
    """The package version, with the git commit when the code runs from a checkout."""
    from lab.output import package_version

    version = package_version()
    commit = checkout_commit(Path(__file__).resolve().parent.parent)
    return f"{version}+g{commit}" if commit else version


def checkout_commit(root: Path) -> str:
    """The checkout's short commit, ".dirty" when its model code differs from it; "" when
    `root` is no checkout or git cannot say."""
    if not (root / ".git").exists():
        return ""
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, timeout=5, check=True)
        # Changed, staged or new files alike: a module not yet added changes results too.
        changed = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--",
                                  *MODEL_CODE], capture_output=True, text=True, timeout=5,
                                 check=True)
    except (OSError, subprocess.SubprocessError):
        return ""
    return commit.stdout.strip() + (".dirty" if changed.stdout.strip() else "")


def flatten(summary: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """The summary's numbers as one level of columns: {"wait_by_domain.jeugd_ggz.total": ...}."""
    flat: dict[str, float] = {}
    for key, value in summary.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, prefix=f"{name}."))
        elif isinstance(value, bool):
            flat[name] = float(value)
        elif isinstance(value, int | float):
            flat[name] = float(value) if math.isfinite(value) else math.nan
    return flat


def run_one(spec: RunSpec) -> dict[str, Any]:
    """Run one spec to the end; return its row (metadata, sweep settings, summary KPIs)."""
    from sim.model import SamenspelModel

    scenario = resolve(spec)
    model = SamenspelModel(scenario, seed=spec.seed, collect_groups=False)
    for _ in range(scenario.run.weeks):
        model.step()
    row: dict[str, Any] = {
        "run_key": run_key(spec, scenario),
        "scenario": spec.name,
        "seed": spec.seed,
        "weeks": scenario.run.weeks,
        "scenario_hash": scenario_hash(scenario),
        "code_version": code_version(),
    }
    for path, value in spec.settings:
        row[path] = value
    kpis = flatten(model.summary())
    clash = sorted(set(kpis) & set(row))
    if clash:
        raise ValueError(f"summary KPIs {clash} collide with run columns")
    row.update(kpis)
    return row


@functools.cache
def known_kpis() -> tuple[str, ...]:
    """Every summary KPI a run reports, as the columns of the run table.

    Read from a two-week run of a tiny town with a region (which adds the
    region's KPIs), so the list follows `sim.kpis.summary` without a copy of it.
    """
    from sim.model import SamenspelModel

    probe = load_scenario("neighbourhood", [
        "run.weeks=2", "run.warmup_weeks=0", "population.families=100",
        "population.neighbourhoods=1", "region.municipalities=2"])
    model = SamenspelModel(probe, seed=1, collect_groups=False)
    for _ in range(2):
        model.step()
    return tuple(sorted(flatten(model.summary())))
