"""Calibration of the baseline against published Dutch figures.

`python -m sim.calibration` runs the baseline scenario over several seeds and
writes docs/calibration.md: each target range beside the measured value. The
test suite checks the same ranges, so the document and the model cannot part.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sim.model import SamenspelModel
from sim.scenario import load_scenario

DOC = Path(__file__).resolve().parent.parent / "docs" / "calibration.md"


@dataclass(frozen=True)
class Target:
    key: str  # summary KPI
    label: str
    lo: float
    hi: float
    basis: str
    unit: str = ""


TARGETS = (
    Target("share_children_in_care_per_year", "children with youth care during a year", 0.12,
           0.14, "CBS Jeugdmonitor: 1 in 7.5 children (2021)", "share"),
    Target("residential_share", "of those, with residential care", 0.08, 0.10,
           "41.6k of 474k (2023)", "share"),
    Target("mean_trajectory_weeks", "mean length of a trajectory", 52, 73,
           "1.0-1.4 years, by Little's law from CBS stock and starts 2021", "weeks"),
    Target("repeat_use_share", "starts by children with care in the previous 5 years", 0.25,
           0.33, "CBS H1 2017: 29 %", "share"),
    Target("mean_wait_weeks", "mean wait to the start of help", 4.0, 8.0,
           "about 6 weeks to intake (youth mental health, 2017)", "weeks"),
    Target("cost_per_child_in_care_eur", "youth-care cost per child in care per year", 8_000,
           12_000, "about EUR 10,000 (government cost study, about 2017)", "EUR"),
    Target("sickness_absence_share", "professionals' sickness absence", 0.053, 0.07,
           "branch figures 2016-2022", "share"),
)


def measure(seeds: tuple[int, ...] = (1, 2), scenario: str = "baseline") -> dict[str, list[float]]:
    """Summary KPIs of the baseline for each seed, after its warm-up."""
    base = load_scenario(scenario)
    values: dict[str, list[float]] = {t.key: [] for t in TARGETS}
    for seed in seeds:
        model = SamenspelModel(base, seed=seed)
        model.run_weeks(base.run.weeks)
        summary = model.summary()
        for t in TARGETS:
            values[t.key].append(float(summary[t.key]))
    return values


def show(value: float, unit: str) -> str:
    if unit == "share":
        return f"{value:.1%}"
    if unit == "EUR":
        return f"EUR {value:,.0f}"
    return f"{value:.1f} {unit}"


def render(values: dict[str, list[float]], seeds: tuple[int, ...]) -> str:
    rows = ["| quantity | target | measured (mean of seeds) | per seed | within | basis |",
            "|---|---|---|---|---|---|"]
    for t in TARGETS:
        vals = values[t.key]
        mean = statistics.fmean(vals)
        ok = "yes" if t.lo <= mean <= t.hi else "**no**"
        per_seed = ", ".join(show(v, t.unit) for v in vals)
        rows.append(f"| {t.label} | {show(t.lo, t.unit)} - {show(t.hi, t.unit)} | "
                    f"{show(mean, t.unit)} | {per_seed} | {ok} | {t.basis} |")
    scenario = load_scenario("baseline")
    return "\n".join([
        "# Calibration of the baseline",
        "",
        "The `baseline` scenario (a municipality of "
        f"{scenario.population.families:,} families) is run for {scenario.run.weeks} weeks; "
        f"the first {scenario.run.warmup_weeks} are warm-up. Measured over the rest, with "
        f"seeds {', '.join(map(str, seeds))}. Regenerate with `python -m sim.calibration`; "
        "`tests/sim/test_calibration.py` asserts the same ranges.",
        "",
        *rows,
        "",
        "## How the figures are measured",
        "",
        "- *Children with youth care during a year*: children involved in an episode with "
        "youth care (a youth-domain trajectory, light help by the wijkteam, or residential "
        "care) at any time in a calendar year of the model, over all children.",
        "- *Residential share*: of those children, the ones in residential care that year.",
        "- *Mean trajectory*: Little's law, as for the published figure: mean number of "
        "running trajectories (including light help and residential care) divided by starts "
        "per week.",
        "- *Repeat use*: episode starts where an involved child had youth care in the 260 "
        "weeks before.",
        "- *Mean wait*: referral to start of help, over all starts after the warm-up.",
        "- *Cost per child*: the youth silo's spending in a year over the children in care "
        "that year.",
        "- *Sickness absence*: share of contracted professionals ill in a week, averaged.",
        "",
        "## What was tuned",
        "",
        "The parameters marked *calibrated* in `docs/ODD.md` were set, within plausible "
        "ranges, so that the baseline lands in these ranges over several seeds: problem "
        "onset, growth, coupling and recovery, risk spread and the share of multi-problem "
        "families, demographic turnover, care effect, care hours and planned trajectory "
        "length, staff per 1000 families, crisis threshold and rate, residential cost per "
        "week, the budget per family and the sickness rate. Nothing else in the model is "
        "fitted to these figures; the policy scenarios "
        "change levers only.",
        "",
    ])


def write(text: str, path: Path = DOC) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".calibration-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args(argv)
    seeds = tuple(args.seeds)
    text = render(measure(seeds), seeds)
    write(text)
    print(text)


if __name__ == "__main__":
    main()
