"""Calibration of the baseline against published Dutch figures.

`python -m lab.calibration` runs the baseline scenario over several seeds and
writes docs/calibration.md: each target range beside the measured value. The
test suite checks the same ranges, so the document and the model cannot part.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim import kpis
from sim.domains import Domain
from sim.model import SamenspelModel
from sim.routes import placement_start_share
from sim.scenario import load_scenario

DOC = Path(__file__).resolve().parent.parent / "docs" / "calibration.md"


Summary = dict[str, Any]


def _youth_spend_over_budget(model: SamenspelModel, summary: Summary) -> float:
    """Youth-care spending per year after the warm-up, over the youth budget."""
    kpi = model.kpi_frame()
    after = kpi[kpi.index > model.params.run.warmup_weeks]
    yearly = float(after["cost_jeugd_eur"].sum()) / (len(after) / 52)
    return yearly / float(model.budget.yearly[0])


def _year_ends(model: SamenspelModel) -> list[dict[str, float]]:
    """The years closed after the warm-up (measures are counted at each year's end)."""
    return kpis.years_after(model, model.params.run.warmup_weeks)


def _under_measure_share(model: SamenspelModel, summary: Summary) -> float:
    """Children under a protection measure at a year's end, over the children in care that
    year, averaged over the years."""
    shares = [(y["ots_children"] + y["guardianship_children"]) / max(y["children_in_care"], 1)
              for y in _year_ends(model)]
    return statistics.fmean(shares) if shares else float("nan")


def _ots_share(model: SamenspelModel, summary: Summary) -> float:
    """Children under a supervision order (OTS) over all children under a measure, at the
    years' ends."""
    years = _year_ends(model)
    ots = sum(y["ots_children"] for y in years)
    total = ots + sum(y["guardianship_children"] for y in years)
    return ots / total if total else float("nan")


def _court_placed_share(model: SamenspelModel, summary: Summary) -> float:
    """Children placed out of home under a measure, over all placed children, at the
    years' ends."""
    years = _year_ends(model)
    placed = sum(y["placed_children"] for y in years)
    return sum(y["placed_by_court"] for y in years) / placed if placed else float("nan")


def _toxic_year_share(model: SamenspelModel, summary: Summary) -> float:
    """Children whose family had a week of toxic stress in a year, over all children,
    averaged over the years."""
    shares = [y["toxic_share"] for y in _year_ends(model)]
    return statistics.fmean(shares) if shares else float("nan")


def _placement_starts(model: SamenspelModel, summary: Summary) -> float:
    """Placements among the youth-care starts after the warm-up (placements included)."""
    return placement_start_share(model, model.params.run.warmup_weeks)


def _jeugd_ggz(part: str) -> Callable[[SamenspelModel, Summary], float]:
    """The youth mental health wait (`to_intake` or `total`) from the summary's domain table."""
    return lambda model, summary: summary["wait_by_domain"][Domain.JEUGD_GGZ.key][part]


@dataclass(frozen=True)
class Target:
    key: str  # summary KPI, unless `how` measures it
    label: str
    lo: float
    hi: float
    basis: str
    unit: str = ""
    how: Callable[[SamenspelModel, Summary], float] | None = None

    def value(self, model: SamenspelModel, summary: Summary) -> float:
        return float(self.how(model, summary) if self.how else summary[self.key])


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
    Target("youth_spend_over_budget", "youth-care spending over the youth budget", 1.35, 1.6,
           "EUR 5.6 bn against EUR 3.8 bn, 2019 (Jeugdautoriteit; AEF 2020)", "ratio",
           _youth_spend_over_budget),
    Target("jeugd_ggz_intake_wait", "wait to intake, youth mental health care", 4.0, 8.0,
           "about 6 weeks to intake (youth mental health, 472 locations, Q1 2017)", "weeks",
           _jeugd_ggz("to_intake")),
    Target("under_measure_share", "children in care under a protection measure", 0.07, 0.08,
           "35.9k of 474k (CBS, 2023)", "share", _under_measure_share),
    Target("jeugd_ggz_wait", "mean wait for youth mental health care", 13, 17,
           "Rijnmond 2022-23, ambulant youth mental health (regional)", "weeks",
           _jeugd_ggz("total")),
    Target("ots_share", "of the children under a measure, under a supervision order (OTS)",
           0.65, 0.72, "19.7k of 29.1k measures running on 31-12-2022, the rest guardianship "
           "(CBS, Jeugdbescherming en jeugdreclassering 2022, table 1.0.1)", "share",
           _ots_share),
    Target("court_placed_share", "of the children placed out of home, placed under a "
           "court order", 0.38, 0.50, "over 20,000 of about 46,000 children in foster "
           "families or institutions (NJi, April 2022)", "share", _court_placed_share),
    Target("toxic_stress_year_share", "children in toxic stress at some time in a year",
           0.026, 0.037, "maltreatment, the nearest published figure: 90,000-127,000 of about "
           "3.4 million children in 2017 (NPM-2017, Alink et al., 2018)", "share",
           _toxic_year_share),
    Target("placement_start_share", "of the started youth-care trajectories, with a stay "
           "(a placement)", 0.05, 0.08, "8,695 of 149,835 trajectories started in the first "
           "half of 2021, 5.8 % (CBS, Jeugdhulp 1e halfjaar 2021, table 2.1.2)", "share",
           _placement_starts),
)

# Published figures the model's newer structure is held against, measured and shown in
# docs/calibration.md but not yet asserted: the baseline does not reach them yet.
OPEN_TARGETS = (
    Target("workload_too_high_share", "professionals finding their workload too high",
           0.40, 0.60, "about 50 % (Jeugdautoriteit, Q4 2022)", "share"),
)


def measure(seeds: tuple[int, ...] = (1, 2), scenario: str = "baseline") -> dict[str, list[float]]:
    """Summary KPIs of the baseline for each seed, after its warm-up."""
    base = load_scenario(scenario)
    values: dict[str, list[float]] = {t.key: [] for t in (*TARGETS, *OPEN_TARGETS)}
    for seed in seeds:
        model = SamenspelModel(base, seed=seed, collect_groups=False)
        model.run_weeks(base.run.weeks)
        summary = model.summary()
        for t in (*TARGETS, *OPEN_TARGETS):
            values[t.key].append(t.value(model, summary))
        for domain, w in summary["wait_by_domain"].items():
            for part in ("to_intake", "total", "starts"):
                values.setdefault(f"{domain}:{part}", []).append(float(w[part]))
    return values


def show(value: float, unit: str) -> str:
    if unit == "share":
        return f"{value:.1%}"
    if unit == "ratio":
        return f"{value:.0%}"
    if unit == "EUR":
        return f"EUR {value:,.0f}"
    return f"{value:.1f} {unit}"


def _table(targets, values: dict[str, list[float]]) -> list[str]:
    rows = ["| quantity | target | measured (mean of seeds) | per seed | within | basis |",
            "|---|---|---|---|---|---|"]
    for t in targets:
        vals = values[t.key]
        mean = statistics.fmean(vals)
        ok = "yes" if t.lo <= mean <= t.hi else "**no**"
        per_seed = ", ".join(show(v, t.unit) for v in vals)
        rows.append(f"| {t.label} | {show(t.lo, t.unit)} - {show(t.hi, t.unit)} | "
                    f"{show(mean, t.unit)} | {per_seed} | {ok} | {t.basis} |")
    return rows


# What is published about the wait in each domain (docs/calibration.md, "Waits per domain").
DOMAIN_WAIT_BASIS = {
    "jeugd_ggz": "Treeknorm 4 weeks to intake + 10 to treatment; about 6 weeks to intake "
                 "(2017); 13-17 weeks in total, ambulant, Rijnmond 2022-23",
    "schulden": "Wgs: a first conversation within 4 weeks (3 working days when urgent)",
    "ouder_ggz": "Treeknorm as above; the insurer's capacity, not the municipality's",
}
NO_FIGURE = "no national figure (no national waiting-list figure exists, 2023)"


def _domain_table(values: dict[str, list[float]]) -> list[str]:
    rows = ["| domain | starts per run | wait to intake | wait in total | published |",
            "|---|---|---|---|---|"]
    domains = sorted({k.split(":")[0] for k in values if ":" in k})
    for d in domains:
        starts = statistics.fmean(values[f"{d}:starts"])
        intake = statistics.fmean(values[f"{d}:to_intake"])
        total = statistics.fmean(values[f"{d}:total"])
        rows.append(f"| {d} | {starts:,.0f} | {show(intake, 'weeks')} | "
                    f"{show(total, 'weeks')} | {DOMAIN_WAIT_BASIS.get(d, NO_FIGURE)} |")
    return rows


def render(values: dict[str, list[float]], seeds: tuple[int, ...]) -> str:
    rows = _table(TARGETS, values)
    domain_rows = _domain_table(values)
    open_rows = _table(OPEN_TARGETS, values)
    scenario = load_scenario("baseline")
    return "\n".join([
        "# Calibration of the baseline",
        "",
        "The `baseline` scenario (a municipality of "
        f"{scenario.population.families:,} families) is run for {scenario.run.weeks} weeks; "
        f"the first {scenario.run.warmup_weeks} are warm-up. Measured over the rest, with "
        f"seeds {', '.join(map(str, seeds))}. Regenerate with `python -m lab.calibration`; "
        "`tests/sim/test_calibration.py` asserts the same ranges.",
        "",
        *rows,
        "",
        "## Not yet within range",
        "",
        "Figures the model does not reach yet, measured on the same runs and shown here so "
        "that their distance to the published figures is visible; the tests do not assert "
        "them. The workload professionals report is a feeling, the model's figure a "
        "caseload at or above the norm. "
        "The referrer mix (CBS StatLine 85096NED, 2021), counted per child with the "
        "placements included as CBS counts them, is asserted in `tests/sim/test_routes.py`.",
        "",
        *open_rows,
        "",
        "## Waits per domain",
        "",
        "Mean weeks from referral to the intake and to the start of care, per domain, after "
        "the warm-up (mean of the seeds). Where a domain's silo is capped (Wmo housing "
        "support, school absence), part of its wait is a wait for money, not for a place.",
        "",
        *domain_rows,
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
        "- *Mean wait*: referral to start of help, over all starts after the warm-up. A "
        "family sent on from a wrong door counts from its first referral, as it lived it; "
        "a list that counts from its own registration, as the published figures do, leaves "
        "out the weeks at the wrong door.",
        "- *Cost per child*: the youth silo's spending in a year over the children in care "
        "that year.",
        "- *Sickness absence*: share of contracted professionals ill in a week, averaged.",
        "- *Wait to intake, youth mental health*: referral to the first conversation with "
        "the provider (the first of the two stages), starts in the jeugd-ggz domain after "
        "the warm-up.",
        "- *Wait for youth mental health care*: referral to start, starts in the jeugd-ggz "
        "domain after the warm-up.",
        "- *Spending over budget*: the youth silo's spending per year after the warm-up over "
        "its yearly budget (youth care is a duty to provide: it overspends, it does not stop).",
        "- *Under a protection measure*: children under a supervision order or guardianship "
        "at each year's end, over the children in care that year, averaged over the years. "
        "A supervision order covers all the family's children, guardianship only the "
        "placed ones.",
        "- *OTS share*: children under a supervision order over all children under a "
        "measure, at the years' ends.",
        "- *Placed under a court order*: placed children whose family is under a measure, "
        "or on an emergency order while the Raad investigates, at the years' ends, over all "
        "placed children.",
        "- *Toxic stress in a year*: children whose family had at least one week of toxic "
        "stress in the year (an unbuffered child in an unsafe home, or in several severe "
        "problems at once; docs/ODD.md 7.2), over all children, averaged over the years. "
        "The nearest published figure is the prevalence of child maltreatment (abuse, "
        "neglect and witnessed violence together): close to the model's toxic stress, "
        "not the same thing.",
        "- *Placements among starts*: out-of-home placements of a child, over the youth-care "
        "starts and placements after the warm-up, counted per child as CBS counts "
        "trajectories: a start for a family problem counts once for each child its episode "
        "involves, a placement once.",
        "- *Workload too high*: share of specialists at or above their caseload norm, "
        "averaged over the weeks.",
        "",
        "## What was tuned",
        "",
        "The parameters marked *calibrated* in `docs/ODD.md` were set, within plausible "
        "ranges, so that the baseline lands in these ranges over several seeds: problem "
        "onset, growth, coupling and recovery, risk spread and the share of multi-problem "
        "families, demographic turnover, care effect, care hours and planned trajectory "
        "length, staff per 1000 families and its share per domain (jeugd-ggz against its "
        "published wait), crisis threshold and rate, residential cost per "
        "week, the budget per family and the sickness rate; and for the protection chain "
        "the investigation and measure thresholds, professionals' reports, the Raad's "
        "size and voluntary placements. The lengths of foster and secure placements are "
        "not fitted: they are CBS's means for trajectories that ended in 2019 (852 and 185 "
        "days, as reported by the NJi). Nothing else in the model is "
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
