"""The waiting list against queueing theory: Erlang C, Little's law, pooling.

The `validation/mmc` scenario strips the model to one domain with Poisson
arrivals and exponential care. The check has two steps, so that it is exact
where it can be and precise where it must be statistical:

1. The waiting list is a first-come-first-served M/M/c queue. Fed with a run's
   own arrival times and care lengths, the exact recursion `fcfs_waits` gives the
   run's waits family by family, for care of half a week to eight weeks and loads
   0.6-0.95. A place left empty while a family waits - at a week boundary or
   anywhere else, for however short a time - shows up here as a difference.
   The run's KPIs (mean wait, mean number waiting) are those same waits, and its
   arrivals and lengths are Poisson and exponential at the rates asked for.
2. That queue agrees with the theory: on long runs of the recursion, Erlang C
   (chance of waiting), the mean wait and Little's law (mean number waiting) lie
   inside the 99 % interval of the seeds and within 5 %.

Why not compare the model's mean wait with Erlang C directly: with care of weeks
the queue forgets slowly, and the mean wait of one run of 20,000 weeks scatters
by about 10 % (load 0.75) to 40 % (0.93) between seeds (docs/ODD.md, 7.17). A
direct check that sees a 5 % error would need about 2 * 10^5 care lengths per
setting: 1.6 million model weeks with care of 8 weeks.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.model import SamenspelModel
from sim.queueing import erlang_c, fcfs_waits, mmc_mean_queue, mmc_mean_wait
from sim.scenario import load_scenario

SERVERS = 10
SERVICE_WEEKS = 0.5
Z99 = 2.576  # two-sided 99 % point of the normal distribution
SEEDS = 20
T99 = 2.861  # ... and of Student's t with SEEDS - 1 degrees of freedom


def run_mmc(load: float, seed: int, *extra: str, weeks: int = 2500,
            servers: int = SERVERS, service: float = SERVICE_WEEKS,
            warmup: int = 300) -> SamenspelModel:
    arrivals = load * servers / service
    scenario = load_scenario("validation/mmc", [
        f"arrivals.servers={servers}", f"arrivals.mean_service_weeks={service}",
        f"arrivals.arrivals_per_week={arrivals}", f"run.weeks={weeks}",
        f"run.warmup_weeks={warmup}", *extra])
    # no rows per neighbourhood, team and provider: the queue's figures are the model's own
    return SamenspelModel(scenario, seed=seed, collect_groups=False)


def test_erlang_c_matches_published_example():
    # Reference: c = 100 places, 40 weeks of care; lambda 2.40 -> Wq ~ 5.9, 2.45 -> ~ 15.5.
    assert mmc_mean_wait(100, 2.40, 40) == pytest.approx(5.9, abs=0.05)
    assert mmc_mean_wait(100, 2.45, 40) == pytest.approx(15.5, abs=0.05)
    assert erlang_c(1, 0.5) == pytest.approx(0.5)
    assert mmc_mean_queue(1, 0.5, 1.0) == pytest.approx(0.5)  # M/M/1: rho^2 / (1 - rho)


def test_fcfs_waits_by_hand():
    # Two servers: the third arrival waits until the first leaves at 1.0, the fourth
    # until the third leaves at 1.5 (the second stays until 2.1).
    assert fcfs_waits([0.0, 0.1, 0.2, 0.3], [1.0, 2.0, 0.5, 1.0], 2) == pytest.approx(
        [0.0, 0.0, 0.8, 1.2])


# -- 1. the waiting list is an exact M/M/c queue ------------------------------

GRID = [  # load, mean care in weeks, servers, weeks run, extra settings
    pytest.param(0.6, 0.5, 2, 3000, (), id="load0.6-care0.5w"),
    pytest.param(0.75, 6.0, 8, 3000, (), id="load0.75-care6w"),
    pytest.param(0.8, 1.0, 10, 1500, (), id="load0.8-care1w"),
    pytest.param(0.85, 2.0, 10, 1500, ("providers.count=5", "access.waiting_list=central"),
                 id="load0.85-care2w-central"),
    pytest.param(0.9, 4.0, 5, 3000, (), id="load0.9-care4w"),
    pytest.param(0.95, 8.0, 20, 3000, (), id="load0.95-care8w"),
]


@pytest.mark.slow
@pytest.mark.parametrize("load, service, servers, weeks, extra", GRID)
def test_waiting_list_is_an_exact_mmc_queue(load, service, servers, weeks, extra):
    warmup = weeks // 10
    model = run_mmc(load, round(load * 100), *extra, weeks=weeks, servers=servers,
                    service=service, warmup=warmup)
    started = []  # (arrival, start, care length) of every start, from the model's hook
    hook = model.on_care_start

    def record(traj, wait):
        started.append((traj.start - wait, traj.start, traj.end - traj.start))
        hook(traj, wait)

    model.on_care_start = record
    model.run_weeks(weeks)
    started.sort()
    arrival, start, length = (np.array(col) for col in zip(*started, strict=True))
    still = sorted(r.arrival for refs in model.care.waiting.values() for r in refs)
    setting = f"load {load}, care {service} weeks, {servers} servers"

    # Family by family, the waits of the exact FCFS queue on the same arrivals and lengths.
    exact = np.array(fcfs_waits(arrival.tolist(), length.tolist(), servers))
    worst = np.abs(start - arrival - exact).max()
    assert worst < 1e-9, f"{setting}: a wait differs from M/M/c by {worst:.3g} weeks"
    assert (exact > 0).mean() > 0.2, f"{setting}: too few families waited to tell"
    if still:  # the first family still waiting could not have started before the end
        first = fcfs_waits([*arrival.tolist(), still[0]], [*length.tolist(), 0.0],
                            servers)[-1]
        assert still[0] + first >= model.week, f"{setting}: a place was free at the end"

    # The KPIs are these waits: mean wait of the starts after the warm-up, and the
    # number waiting at each week's end, averaged over the weeks after it.
    summary = model.summary()
    after = np.floor(start) >= warmup
    assert summary["mean_wait_weeks"] == pytest.approx(exact[after].mean(), rel=1e-9)
    ends = np.arange(warmup + 1, weeks + 1)
    begun = arrival + exact
    waiting = [np.count_nonzero((arrival < k) & (begun >= k)) + np.searchsorted(still, k)
               for k in ends]
    assert summary["mean_waiting_families"] == pytest.approx(np.mean(waiting), rel=1e-9)

    # The inputs: Poisson arrivals at the rate asked for, exponential care of the mean asked.
    rate = load * servers / service
    count = len(arrival) + len(still)
    z_arrivals = (count - rate * weeks) / math.sqrt(rate * weeks)
    z_length = (length.mean() / service - 1) * math.sqrt(len(length))
    longer = (length > service).mean()  # exponential: a share 1/e lasts longer than the mean
    z_shape = (longer - math.exp(-1)) / math.sqrt(math.exp(-1) * (1 - math.exp(-1)) / len(length))
    assert abs(z_arrivals) < Z99, f"{setting}: {count} arrivals, expected {rate * weeks:.0f}"
    assert abs(z_length) < Z99, f"{setting}: mean care {length.mean():.3f} weeks"
    assert abs(z_shape) < Z99, f"{setting}: {longer:.3f} of care lasts longer than the mean"


# -- 2. the M/M/c queue agrees with the theory --------------------------------

def exact_mmc(load: float, servers: int, horizon: float, seed: int) -> tuple[float, ...]:
    """Mean wait, mean number waiting and share waiting of one run of the exact queue.

    Time is in mean care lengths; the first tenth of the run is warm-up.
    """
    rng = np.random.default_rng([seed, servers, round(load * 100)])
    n = rng.poisson(load * servers * horizon)
    arrival = np.sort(rng.uniform(0.0, horizon, n))
    wait = np.array(fcfs_waits(arrival.tolist(), rng.exponential(1.0, n).tolist(), servers))
    warmup = 0.1 * horizon
    after = arrival >= warmup
    # Time-averaged number waiting over [warm-up, end]: each wait's overlap with it.
    overlap = np.minimum(arrival + wait, horizon) - np.maximum(arrival, warmup)
    queue = np.clip(overlap, 0.0, None).sum() / (horizon - warmup)
    return float(wait[after].mean()), float(queue), float((wait[after] > 0).mean())


@pytest.mark.slow
@pytest.mark.parametrize("load, servers, horizon", [
    (0.6, 2, 20_000), (0.75, 8, 20_000), (0.85, 10, 30_000), (0.95, 20, 60_000)])
def test_mmc_queue_agrees_with_erlang_c_and_littles_law(load, servers, horizon):
    runs = np.array([exact_mmc(load, servers, horizon, seed) for seed in range(SEEDS)])
    rate = load * servers
    theory = {"mean wait": mmc_mean_wait(servers, rate, 1.0),
              "mean number waiting": mmc_mean_queue(servers, rate, 1.0),
              "chance of waiting": erlang_c(servers, rate)}
    for (name, expected), values in zip(theory.items(), runs.T, strict=True):
        mean = values.mean()
        half = T99 * values.std(ddof=1) / math.sqrt(SEEDS)
        setting = f"load {load}, {servers} servers: {name} {mean:.4f} +- {half:.4f}"
        assert abs(mean - expected) <= half, f"{setting}, theory {expected:.4f} outside"
        assert mean == pytest.approx(expected, rel=0.05), f"{setting}, theory {expected:.4f}"
        assert half < 0.05 * expected, f"{setting}: too imprecise to see a 5 % error"


# -- pooling ------------------------------------------------------------------

@pytest.mark.slow
def test_same_capacity_split_into_single_servers_waits_longer():
    load = 0.8
    pooled = run_mmc(load, 21)
    pooled.run_weeks(2500)
    split = run_mmc(load, 21, f"providers.count={SERVERS}")
    split.run_weeks(2500)
    pooled_wait = pooled.summary()["mean_wait_weeks"]
    split_wait = split.summary()["mean_wait_weeks"]
    # Each single server gets a tenth of the arrivals: an M/M/1 queue at the same load.
    mm1 = mmc_mean_wait(1, load / SERVICE_WEEKS, SERVICE_WEEKS)
    assert split_wait > 3 * pooled_wait, f"split {split_wait:.3f} vs pooled {pooled_wait:.3f}"
    assert split_wait == pytest.approx(mm1, rel=0.15), f"split {split_wait:.3f} vs M/M/1 {mm1:.3f}"


def test_central_list_pools_capacity_of_several_providers():
    split = run_mmc(0.8, 31, f"providers.count={SERVERS}", weeks=1500)
    split.run_weeks(1500)
    central = run_mmc(0.8, 31, f"providers.count={SERVERS}", "access.waiting_list=central",
                      weeks=1500)
    central.run_weeks(1500)
    assert central.summary()["mean_wait_weeks"] < split.summary()["mean_wait_weeks"] / 2
