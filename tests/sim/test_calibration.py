"""The baseline against published Dutch figures (see docs/calibration.md)."""

from __future__ import annotations

import statistics

import pytest

from lab.calibration import TARGETS, measure, show

SEEDS = (1, 2)


@pytest.mark.slow
def test_baseline_lands_in_the_published_ranges():
    """One test for every target, so the two baselines run once, on one worker.

    The message names every target out of range, with its seeds and its source.
    """
    measured = measure(SEEDS)
    misses = []
    for target in TARGETS:
        values = measured[target.key]
        mean = statistics.fmean(values)
        if not target.lo <= mean <= target.hi:
            misses.append(
                f"{target.label}: measured {show(mean, target.unit)} "
                f"(seeds: {', '.join(show(v, target.unit) for v in values)}), "
                f"target {show(target.lo, target.unit)} - {show(target.hi, target.unit)} "
                f"({target.basis})")
    assert not misses, "\n".join(misses)
