"""Engine speed: prints figures, asserts nothing (targets are in the README).

    neighbourhood_step_ms  median wall time of one week of the neighbourhood
                           scenario (500 families), after its warm-up
    municipality_5y_s      the baseline (25,000 families), 260 weeks, KPIs collected
    family_weeks_per_s     families x weeks / seconds for that run
    mmc_20k_weeks_s        the queue-validation scenario, 20,000 weeks
    mesa_boltzmann_agent_steps_per_s
                           Mesa's own Boltzmann wealth model (2,500 agents), timed in
                           the same process; `engine_to_mesa_ratio` sets the
                           family-weeks per second beside it
    scaling                seconds per 104 weeks at 500, 5k, 25k and 100k families, and
                           the exponent of time against size (1 = linear); again with
                           the number of wijkteams fixed (scaling_fixed_teams)
    startup_cpu_s          CPU of `samenspel run neighbourhood --weeks 1` (no charts)

`python bench/engine.py scaling` (or `mesa`, `startup`) prints one part only.
"""

from __future__ import annotations

import math
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim.model import SamenspelModel  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402


def neighbourhood_step_ms(weeks: int = 300) -> float:
    scenario = load_scenario("neighbourhood")
    model = SamenspelModel(scenario, seed=1)
    model.run_weeks(scenario.run.warmup_weeks)
    times = []
    for _ in range(weeks):
        start = time.perf_counter()
        model.step()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def municipality(weeks: int = 260) -> tuple[float, float]:
    scenario = load_scenario("baseline")
    start = time.perf_counter()
    model = SamenspelModel(scenario, seed=1)
    model.run_weeks(weeks)
    seconds = time.perf_counter() - start
    return seconds, scenario.population.families * weeks / seconds


def mmc_seconds(weeks: int = 20_000) -> float:
    scenario = load_scenario("validation/mmc", [f"run.weeks={weeks}"])
    start = time.perf_counter()
    SamenspelModel(scenario, seed=1).run_weeks(weeks)
    return time.perf_counter() - start


def mesa_boltzmann_rate(agents: int = 2500, steps: int = 100) -> float:
    """Agent-steps per second of the Boltzmann wealth model Mesa ships as its example."""
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannWealth

    side = int(math.sqrt(agents))
    try:
        model = BoltzmannWealth(n=agents, width=side, height=side, rng=1)
    except TypeError:  # Mesa 3.3 names the seed `seed`
        model = BoltzmannWealth(n=agents, width=side, height=side, seed=1)
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    return agents * steps / (time.perf_counter() - start)


SCALING_SIZES = (500, 5_000, 25_000, 100_000)


FIXED_TEAMS = 50  # the baseline's neighbourhoods at 25,000 families


def scaling(weeks: int = 104, fixed: bool = False) -> list[tuple[int, float]]:
    """Seconds for `weeks` weeks of the baseline at each size: a wijkteam per 500
    families, or (`fixed`) the baseline's 50 wijkteams at every size, so that teams
    grow with the town. Either way the 30 providers stay and their staff grows."""
    rows = []
    label = "scaling_fixed_teams" if fixed else "scaling"
    for n in SCALING_SIZES:
        sets = [f"population.families={n}"]
        if fixed:
            sets.append(f"population.neighbourhoods={FIXED_TEAMS}")
        scenario = load_scenario("baseline", sets)
        model = SamenspelModel(scenario, seed=1)
        start = time.perf_counter()
        model.run_weeks(weeks)
        rows.append((n, time.perf_counter() - start))
        print(f"{label} families={n} seconds={rows[-1][1]:.2f} "
              f"family_weeks_per_s={n * weeks / rows[-1][1]:.0f}", flush=True)
    return rows


def exponent(rows: list[tuple[int, float]]) -> float:
    """Least-squares slope of log time on log size, from 5k families up."""
    pts = [(math.log(n), math.log(t)) for n, t in rows if n >= 5_000]
    mx = statistics.fmean(x for x, _ in pts)
    my = statistics.fmean(y for _, y in pts)
    return (sum((x - mx) * (y - my) for x, y in pts)
            / sum((x - mx) ** 2 for x, _ in pts))


def startup_cpu() -> float:
    """CPU seconds (user + system) of a one-week headless run, in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    root = Path(__file__).resolve().parent.parent
    out = root / "out" / "bench-startup"
    subprocess.run([sys.executable, "-m", "lab.cli", "run", "neighbourhood", "--weeks", "1",
                    "--out", str(out)], cwd=root, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(root)})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    part = sys.argv[1] if len(sys.argv) > 1 else "all"
    if part in ("all", "engine"):
        print(f"neighbourhood_step_ms={neighbourhood_step_ms():.3f}", flush=True)
    rate = None
    if part in ("all", "engine", "mesa"):
        seconds, rate = municipality()
        print(f"municipality_5y_s={seconds:.2f}")
        print(f"family_weeks_per_s={rate:.0f}", flush=True)
    if part in ("all", "mesa"):
        mesa_rate = mesa_boltzmann_rate()
        print(f"mesa_boltzmann_agent_steps_per_s={mesa_rate:.0f}")
        print(f"engine_to_mesa_ratio={rate / mesa_rate:.2f}", flush=True)
    if part in ("all", "engine"):
        print(f"mmc_20k_weeks_s={mmc_seconds():.2f}", flush=True)
    if part in ("all", "scaling"):
        print(f"scaling_exponent={exponent(scaling()):.2f}", flush=True)
        print(f"scaling_fixed_teams_exponent={exponent(scaling(fixed=True)):.2f}", flush=True)
    if part in ("all", "startup"):
        print(f"startup_cpu_s={startup_cpu():.2f}", flush=True)


if __name__ == "__main__":
    main()
