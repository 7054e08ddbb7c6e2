"""The model builds and steps without a warning from Mesa, on every Mesa it supports.

Python 3.11 gets Mesa 3.3; 3.12 and 3.13 get Mesa 3.5, which deprecates the
`seed` keyword and owns `Model.scenario`. A warning today is a break tomorrow.
"""

from __future__ import annotations

import warnings

import mesa

from sim.model import SamenspelModel
from sim.scenario import load_scenario


def test_model_builds_and_steps_without_warnings_from_mesa():
    scenario = load_scenario("neighbourhood", ["population.families=200"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = SamenspelModel(scenario, seed=4)
        model.run_weeks(3)
    assert [str(w.message) for w in caught] == [], f"Mesa {mesa.__version__}"
    assert model.params is scenario
    assert model.week == 3


def test_seed_reaches_the_model_not_only_mesa():
    scenario = load_scenario("neighbourhood", ["population.families=200"])
    a, b = SamenspelModel(scenario, seed=4), SamenspelModel(scenario, seed=4)
    a.run_weeks(4)
    b.run_weeks(4)
    assert a.seed == b.seed == 4
    assert repr(a.kpi) == repr(b.kpi)  # nan-aware: the same figures, bit for bit
