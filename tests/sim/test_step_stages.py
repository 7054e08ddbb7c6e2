"""A week run stage by stage (as the game does between frames) is the same week as `step`."""

from __future__ import annotations

import numpy as np

from sim.actions import HireStaff, SetParam
from sim.model import SamenspelModel
from sim.scenario import load_scenario

WEEKS = 36


def neighbourhood() -> SamenspelModel:
    return SamenspelModel(load_scenario("neighbourhood", ["run.warmup_weeks=0"]), seed=11)


def act(model: SamenspelModel) -> None:
    """The same policy in both runs, between two weeks."""
    if model.week == 8:
        model.apply(SetParam("cooperation.mode", "integral"))
    if model.week == 20:
        model.apply(HireStaff(count=2, domain="jeugd_ggz"))


def test_a_week_in_stages_equals_a_whole_week_bit_for_bit():
    whole, staged = neighbourhood(), neighbourhood()
    other = neighbourhood()  # runs interleaved with the staged one, as a second team would
    stages_seen = set()
    for _ in range(WEEKS):
        act(whole)
        whole.step()
        act(staged)
        week, n = staged.week, 0
        for n, _ in enumerate(staged.step_stages(), start=1):
            assert staged.week == week  # the week only moves once it is whole
            if n == 1:
                other.step()
            staged.families.state.sum()  # a frame reads the model between stages
        stages_seen.add(n)
        assert staged.week == week + 1
    assert stages_seen and min(stages_seen) > 3  # really in pieces
    assert whole.kpi_frame().equals(staged.kpi_frame())
    assert repr(whole.summary()) == repr(staged.summary())  # repr: NaN equals NaN
    assert whole.events == staged.events and whole.action_log == staged.action_log
    assert np.array_equal(whole.families.severity, staged.families.severity)
    assert np.array_equal(whole.families.state, staged.families.state)
