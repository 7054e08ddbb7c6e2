"""Lab speed and scale: prints figures, asserts nothing (README and docs/scale.md quote them).

    python bench/lab.py overhead            executor overhead per run (an almost empty model)
    python bench/lab.py sweep --runs 100    a sweep of the 5-year baseline on all cores
    python bench/lab.py memory              memory per family of a running model
    python bench/lab.py national            a national run planned from measured figures

    overhead_inline_ms / overhead_pool_ms   wall time per tiny run in this process and
                                            through local worker processes; their difference
                                            is what the executor costs a run
    sweep_wall_s, runs_per_minute           N runs of `baseline` (25,000 families, 260 weeks)
    run_core_s                              the mean seconds of one run on one core
    bytes_per_family                        resident memory added per family, from two sizes
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lab.executor import InlineExecutor, default_workers, open_executor, run_specs  # noqa: E402
from lab.runs import RunSpec  # noqa: E402
from lab.store import RunStore  # noqa: E402

TINY = ("population.families=50", "population.neighbourhoods=1", "run.warmup_weeks=0")


def _timed(specs: list[RunSpec], executor) -> float:
    with tempfile.TemporaryDirectory() as folder:
        store = RunStore(Path(folder))
        store.prepare()
        start = time.perf_counter()
        run_specs(specs, store, executor, progress=False)
        return time.perf_counter() - start


def overhead(runs: int = 200) -> None:
    specs = [RunSpec("neighbourhood", seed, 1, TINY) for seed in range(1, runs + 1)]
    inline = _timed(specs, InlineExecutor()) / runs
    workers = default_workers()
    with open_executor(workers=workers) as pool:
        _timed(specs[:workers], pool)  # start the workers before timing
        pooled = _timed([RunSpec("neighbourhood", s, 1, TINY) for s in range(runs + 1,
                                                                             2 * runs + 1)],
                        pool) * workers / runs
    print(f"overhead_inline_ms  {inline * 1000:8.1f}   (one tiny run, this process)")
    print(f"overhead_pool_ms    {pooled * 1000:8.1f}   (per run per worker, {workers} workers)")
    print(f"executor_cost_ms    {(pooled - inline) * 1000:8.1f}")


def sweep(runs: int, workers: int, weeks: int) -> None:
    specs = [RunSpec("baseline", seed, weeks) for seed in range(1, runs + 1)]
    with open_executor(workers=workers) as pool:
        wall = _timed(specs, pool)
    print(f"sweep_runs          {runs:8d}   (baseline, 25,000 families, {weeks} weeks)")
    print(f"workers             {workers:8d}")
    print(f"sweep_wall_s        {wall:8.1f}")
    print(f"runs_per_minute     {runs / wall * 60:8.2f}")
    print(f"run_core_s          {wall * workers / runs:8.1f}")


def _rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() // 1024


def memory(weeks: int = 104) -> None:
    from sim.model import SamenspelModel
    from sim.scenario import load_scenario

    sizes = (10_000, 50_000)
    used = []
    for families in sizes:
        gc.collect()
        before = _rss_kib()
        scenario = load_scenario("baseline", [f"population.families={families}"])
        model = SamenspelModel(scenario, seed=1)
        model.run_weeks(weeks)
        used.append(_rss_kib() - before)
        del model
        gc.collect()
    per_family = (used[1] - used[0]) * 1024 / (sizes[1] - sizes[0])
    print(f"rss_kib             {used[0]:8d} / {used[1]:d}   ({sizes[0]:,} / {sizes[1]:,} "
          f"families, {weeks} weeks)")
    print(f"bytes_per_family    {per_family:8.0f}")


# The Netherlands: 342 municipalities (2023), about 3.5 million children under 18 and
# 1.8 children per family with children, so about 1.94 million families; the largest
# municipality (Amsterdam) has about 150,000 children, so about 83,000 families.
MUNICIPALITIES = 342
NATIONAL_FAMILIES = 1_940_000
LARGEST_FAMILIES = 83_000


def national(weeks: int = 260, families: int = 25_000) -> None:
    """Time one run on one core, then plan one model per municipality on N workers."""
    from sim.model import SamenspelModel
    from sim.scenario import load_scenario

    scenario = load_scenario("baseline", [f"population.families={families}"])
    start = time.perf_counter()
    model = SamenspelModel(scenario, seed=1)
    model.run_weeks(weeks)
    seconds = time.perf_counter() - start
    rate = families * weeks / seconds
    core_hours = NATIONAL_FAMILIES * weeks / rate / 3600
    largest_min = LARGEST_FAMILIES * weeks / rate / 60
    print(f"run_s               {seconds:8.1f}   ({families:,} families, {weeks} weeks, one core)")
    print(f"family_weeks_per_s  {rate:8.0f}")
    print(f"runs_per_core_hour  {3600 / seconds:8.1f}   (of this size)")
    print(f"national_core_hours {core_hours:8.2f}   ({MUNICIPALITIES} municipalities, "
          f"{NATIONAL_FAMILIES:,} families, one seed)")
    print(f"largest_run_min     {largest_min:8.1f}   ({LARGEST_FAMILIES:,} families)")
    for workers in (2, 16, 64, MUNICIPALITIES):
        wall = max(core_hours * 60 / workers, largest_min)
        print(f"wall_min_{workers:<4d}       {wall:8.1f}   (one seed on {workers} workers)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    sub.add_parser("overhead")
    sw = sub.add_parser("sweep")
    sw.add_argument("--runs", type=int, default=100)
    sw.add_argument("--workers", type=int, default=default_workers())
    sw.add_argument("--weeks", type=int, default=260)
    sub.add_parser("memory")
    sub.add_parser("national")
    args = parser.parse_args()
    if args.what == "overhead":
        overhead()
    elif args.what == "sweep":
        sweep(args.runs, args.workers, args.weeks)
    elif args.what == "memory":
        memory()
    else:
        national()


if __name__ == "__main__":
    main()
