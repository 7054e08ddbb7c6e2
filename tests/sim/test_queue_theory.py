"""The waiting list against queueing theory: Erlang C, Little's law, pooling.

The `validation/mmc` scenario strips the model to one domain and one provider
with Poisson arrivals and exponential care. Service here is shorter than a
week (half a week on average), so agreement also shows that arrivals and ends
are handled at real-valued times, not on the weekly grid.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import SamenspelModel
from sim.queueing import erlang_c, mmc_mean_wait
from sim.scenario import load_scenario

SERVERS = 10
SERVICE_WEEKS = 0.5
WEEKS = 6000
WARMUP = 300
SEEDS = (11, 12)


def run_mmc(load: float, seed: int, *extra: str, weeks: int = WEEKS) -> SamenspelModel:
    arrivals = load * SERVERS / SERVICE_WEEKS
    scenario = load_scenario("validation/mmc", [
        f"arrivals.servers={SERVERS}", f"arrivals.mean_service_weeks={SERVICE_WEEKS}",
        f"arrivals.arrivals_per_week={arrivals}", f"run.weeks={weeks}",
        f"run.warmup_weeks={WARMUP}", *extra])
    model = SamenspelModel(scenario, seed=seed)
    model.run_weeks(weeks)
    return model


def test_erlang_c_matches_published_example():
    # Reference: c = 100 places, 40 weeks of care; lambda 2.40 -> Wq ~ 5.9, 2.45 -> ~ 15.5.
    assert mmc_mean_wait(100, 2.40, 40) == pytest.approx(5.9, abs=0.05)
    assert mmc_mean_wait(100, 2.45, 40) == pytest.approx(15.5, abs=0.05)
    assert erlang_c(1, 0.5) == pytest.approx(0.5)


@pytest.mark.slow
@pytest.mark.parametrize("load", [0.6, 0.8, 0.92])
def test_mean_wait_agrees_with_erlang_c_and_littles_law(load):
    waits, lengths, rates = [], [], []
    for seed in SEEDS:
        model = run_mmc(load, seed)
        summary = model.summary()
        waits.append(summary["mean_wait_weeks"])
        lengths.append(summary["mean_waiting_families"])
        starts = model.care.starts
        rates.append(sum(1 for s in starts if s[0] >= WARMUP) / (WEEKS - WARMUP))
    arrivals = load * SERVERS / SERVICE_WEEKS
    theory = mmc_mean_wait(SERVERS, arrivals, SERVICE_WEEKS)
    measured = float(np.mean(waits))
    assert measured == pytest.approx(theory, rel=0.10), (
        f"rho={load}: mean wait {measured:.4f} weeks vs Erlang C {theory:.4f} "
        f"({measured / theory - 1:+.1%})")
    # Little's law: time-averaged number waiting = arrival rate x mean wait.
    little = float(np.mean(rates)) * measured
    assert float(np.mean(lengths)) == pytest.approx(little, rel=0.10), (
        f"rho={load}: mean queue {np.mean(lengths):.3f} vs lambda*W {little:.3f}")


@pytest.mark.slow
def test_same_capacity_split_into_single_servers_waits_longer():
    load = 0.8
    pooled = run_mmc(load, 21, weeks=2500).summary()["mean_wait_weeks"]
    split = run_mmc(load, 21, f"providers.count={SERVERS}", weeks=2500)
    split_wait = split.summary()["mean_wait_weeks"]
    # Each single server gets a tenth of the arrivals: an M/M/1 queue at the same load.
    mm1 = mmc_mean_wait(1, load / SERVICE_WEEKS, SERVICE_WEEKS)
    assert split_wait > 3 * pooled, f"split {split_wait:.3f} vs pooled {pooled:.3f} weeks"
    assert split_wait == pytest.approx(mm1, rel=0.15), f"split {split_wait:.3f} vs M/M/1 {mm1:.3f}"


def test_central_list_pools_capacity_of_several_providers():
    split = run_mmc(0.8, 31, f"providers.count={SERVERS}", weeks=1500)
    central = run_mmc(0.8, 31, f"providers.count={SERVERS}", "access.waiting_list=central",
                      weeks=1500)
    assert central.summary()["mean_wait_weeks"] < split.summary()["mean_wait_weeks"] / 2
