"""Every shipped scenario: a short smoke run with a fixed seed, and one golden value.

The golden value (families in care at the end of the smoke run) catches an
unintended change in behaviour. When a change is intended, regenerate with
`SAMENSPEL_UPDATE_GOLDEN=1 pytest tests/sim/test_scenarios.py` and say why in
the commit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from sim.model import SamenspelModel
from sim.scenario import list_scenarios, load_scenario

GOLDEN = Path(__file__).with_name("golden.json")
SMOKE = ["population.families=800", "population.neighbourhoods=2", "run.weeks=80",
         "run.warmup_weeks=40"]
SCENARIOS = [name for name in list_scenarios() if not name.startswith("validation/")]


def smoke(name: str) -> SamenspelModel:
    extra = SMOKE + (["innovation.top_down_week=20"] if name == "top_down" else [])
    model = SamenspelModel(load_scenario(name, extra), seed=7)
    model.run_weeks(80)
    return model


def golden_value(model: SamenspelModel) -> dict[str, float]:
    return {"families_in_care": int(model.kpi["families_in_care"]),
            "families_waiting": int(model.kpi["families_waiting"]),
            "cost_eur": round(float(sum(model.cost_history)), 2)}


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_runs_and_matches_its_golden_value(name):
    model = smoke(name)
    summary = model.summary()
    assert np.isfinite(summary["mean_wait_weeks"])
    assert model.kpi_frame().shape[0] == 80
    value = golden_value(model)
    if os.environ.get("SAMENSPEL_UPDATE_GOLDEN"):
        golden = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}
        golden[name] = value
        GOLDEN.write_text(json.dumps(golden, indent=2, sort_keys=True) + "\n")
        return
    golden = json.loads(GOLDEN.read_text())
    assert value == golden[name], f"{name}: {value} != golden {golden[name]}"


def test_shipped_scenarios_are_the_ones_the_brief_asks_for():
    required = {"baseline", "neighbourhood", "integraal", "top_down", "bottom_up", "hydra_ipu",
                "jeugdzorg_2_0", "zuilen_ondiep", "validation/mmc"}
    assert required <= set(list_scenarios())
