"""The paired lever table: what each lever does to the headline figures, with 95 % intervals.

A town of 4,000 families (8 neighbourhoods, 8 providers), 416 weeks of which
208 warm-up, the same seeds with and without each lever (common random
numbers). Prints a Markdown table: per lever and figure, the mean paired
difference and its 95 % t-interval. Usage:

    python bench/lever_table.py [--seeds 5] [--workers 2] [--weeks 416]
                                [--levers "no wrong door,lump sum"]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim.model import SamenspelModel  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262}
TOWN = ["population.families=4000", "population.neighbourhoods=8", "providers.count=8"]
FIGURES = ("mean_wait_weeks", "mean_time_on_list_weeks", "share_ended_without_further_help",
           "client_rating", "professional_satisfaction", "cost_per_child_in_care_eur")
LEVERS = {
    "integral + dossier": ["cooperation.mode=integral", "cooperation.shared_dossier=true"],
    "integral + own trajectbegeleiders": ["cooperation.mode=integral",
                                          "cooperation.shared_dossier=true",
                                          "capacity.trajectbegeleiding_staffed=new"],
    "no wrong door": ["cooperation.no_wrong_door=true"],
    "parents as case managers": ["cooperation.parents_as_case_managers=true"],
    "central list": ["access.waiting_list=central"],
    "pull allocation": ["access.allocation=pull"],
    "pooled budget": ["funding.pooled=true"],
    "per trajectory": ["funding.contract=per_trajectory"],
    "lump sum": ["funding.contract=lump_sum"],
    "trust management": ["management.style=0.8"],
    "experimentation + sharing": ["management.experimentation_hours=4.0",
                                  "innovation.knowledge_sharing=0.7"],
    "transparency": ["innovation.transparency=true"],
    "online help": ["participation.online_help=true"],
    "network activation": ["participation.informal_network_activation=true"],
    "budget -40 %": ["funding.budget_per_family=_CUT_"],
    "turnover ceilings": ["funding.turnover_ceiling=1.0"],
    "POH-jeugd": ["routes.poh_jeugd=true"],
    "GP agreements": ["routes.gp_agreements=true"],
    "no crisis service": ["crisis_service.workers_per_10000_children=0"],
    "bridging care": ["bridging.enabled=true"],
    "reach of jeugdhulp 0.42": ["reform.jeugdhulp_reach=0.42"],
    "eigen bijdrage EUR 40": ["reform.own_contribution_per_week=40"],
    "fewer residential places": ["reform.residential_places_per_10000_children=13"],
    "strong local teams": ["reform.generalist_teams=true"],
    "region of 4 (population key)": ["region.municipalities=4", "region.cost_key=population"],
}


def run(job: tuple[tuple[str, ...], int, int]) -> dict[str, float]:
    overrides, seed, weeks = job
    if any(o.endswith("_CUT_") for o in overrides):  # 40 % less than the scenario's budget
        cut = 0.6 * load_scenario("baseline").funding.budget_per_family
        overrides = tuple(f"funding.budget_per_family={cut}" if o.endswith("_CUT_") else o
                          for o in overrides)
    scenario = load_scenario("baseline", [*TOWN, f"run.weeks={weeks}",
                                          f"run.warmup_weeks={weeks // 2}", *overrides])
    model = SamenspelModel(scenario, seed=seed)
    model.run_weeks(weeks)
    summary = model.summary()
    return {k: float(summary.get(k, math.nan)) for k in FIGURES}


def interval(diffs: list[float]) -> str:
    diffs = [d for d in diffs if d == d]
    if len(diffs) < 2:
        return "–"
    m = statistics.fmean(diffs)
    half = T975[len(diffs) - 1] * statistics.stdev(diffs) / math.sqrt(len(diffs))
    return f"{m:+.3g} ({m - half:+.3g} to {m + half:+.3g})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--weeks", type=int, default=416)
    ap.add_argument("--levers", default="", help="comma-separated lever names (default: all)")
    args = ap.parse_args()
    seeds = list(range(1, args.seeds + 1))
    chosen = [n.strip() for n in args.levers.split(",") if n.strip()] or list(LEVERS)
    unknown = [n for n in chosen if n not in LEVERS]
    if unknown:
        ap.error(f"--levers: no lever {', '.join(map(repr, unknown))}; "
                 f"allowed: {', '.join(LEVERS)}")
    levers = {n: LEVERS[n] for n in chosen}
    configs = {"base": []} | levers
    jobs = [(tuple(o), s, args.weeks) for o in configs.values() for s in seeds]
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(run, jobs))
    by = {name: results[i * len(seeds):(i + 1) * len(seeds)] for i, name in enumerate(configs)}
    print("| lever | " + " | ".join(FIGURES) + " |")
    print("|---|" + "---|" * len(FIGURES))
    base = by["base"]
    print("| base (mean) | " + " | ".join(
        f"{statistics.fmean(r[k] for r in base):.3g}" for k in FIGURES) + " |")
    for name in levers:
        cells = [interval([b[k] - a[k] for a, b in zip(base, by[name], strict=True)])
                 for k in FIGURES]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
