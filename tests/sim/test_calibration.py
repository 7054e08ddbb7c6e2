"""The baseline against published Dutch figures (see docs/calibration.md)."""

from __future__ import annotations

import statistics

import pytest

from sim.calibration import TARGETS, measure, show

SEEDS = (1, 2)
# One worker runs the two baselines once for every target (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("calibration")


@pytest.fixture(scope="module")
def measured():
    return measure(SEEDS)


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.key)
def test_baseline_lands_in_the_published_range(measured, target):
    values = measured[target.key]
    mean = statistics.fmean(values)
    assert target.lo <= mean <= target.hi, (
        f"{target.label}: measured {show(mean, target.unit)} "
        f"(seeds: {', '.join(show(v, target.unit) for v in values)}), "
        f"target {show(target.lo, target.unit)} - {show(target.hi, target.unit)} ({target.basis})")
