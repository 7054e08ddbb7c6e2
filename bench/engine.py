"""Engine speed: prints figures, asserts nothing (targets are in the README).

    neighbourhood_step_ms  median wall time of one week of the neighbourhood
                           scenario (500 families), after its warm-up
    municipality_5y_s      the baseline (25,000 families), 260 weeks, KPIs collected
    family_weeks_per_s     families x weeks / seconds for that run
    mmc_20k_weeks_s        the queue-validation scenario, 20,000 weeks
"""

from __future__ import annotations

import statistics
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


def main() -> None:
    print(f"neighbourhood_step_ms={neighbourhood_step_ms():.3f}", flush=True)
    seconds, rate = municipality()
    print(f"municipality_5y_s={seconds:.2f}")
    print(f"family_weeks_per_s={rate:,.0f}".replace(",", ""), flush=True)
    print(f"mmc_20k_weeks_s={mmc_seconds():.2f}")


if __name__ == "__main__":
    main()
