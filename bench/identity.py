"""Digest of everything a run leaves behind, to check that a speed-up changes no result.

Runs the baseline (260 weeks, seed 1), the neighbourhood (416 weeks, seed 2) and
five policy scenarios (156 weeks, seed 3) and hashes, per run: the weekly KPI rows
and the group tables of the data collector, the yearly records, the event log,
episodes and starts, counters, the budget, the family arrays, every professional
and organisation, the care flow, the trust network, innovations, the protection
chain and the final state of every random stream (so the same draws were made).
Floats are hashed by their exact bits (`float.hex`), so the last bit counts.

    python bench/identity.py            all runs, two at a time, one digest each
    python bench/identity.py baseline   one run

Private attributes that only cache something (listed in CACHES) are left out: they
are not results, and a speed-up may add or drop them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import mesa
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim.model import SamenspelModel  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

RUNS = {
    "baseline": (260, 1), "neighbourhood": (416, 2),
    "jeugdzorg_2_0": (156, 3), "integraal": (156, 3), "regio": (156, 3),
    "bottom_up": (156, 3), "top_down": (156, 3),
}
PRO_ATTRS = ("index", "role", "domain", "skill", "morale", "sick_until", "active",
             "vacant_until", "caseload", "external", "places", "hours", "unique_id")
ORG_ATTRS = ("number", "name", "domains", "wijkteam", "neighbourhood", "capacity", "occupied",
             "external", "revenue", "costs", "reserve", "contract", "start_reserve",
             "admin_share_now", "sub", "coordination_load", "extra_coordination", "unique_id")
PARTS = ("families", "care", "routes", "trust", "innovations", "budget", "protection",
         "kids", "incomes", "capacity", "region", "crisis_service", "bridging")
# Attributes that only cache a value (not results); skipped wherever they appear.
CACHES = {"_cached", "_version", "_n_cross", "_of_prof", "m", "model"}


def enc(x, out: list, depth: int = 0) -> None:
    """Append a canonical text of `x` to `out` (exact floats, sorted sets)."""
    if depth > 12:
        raise RecursionError("unexpectedly deep object")
    if x is None or isinstance(x, (bool, np.bool_, str)):
        out.append(repr(bool(x) if isinstance(x, np.bool_) else x))
    elif isinstance(x, (int, np.integer)):
        out.append(f"i{int(x)}")
    elif isinstance(x, (float, np.floating)):
        out.append(float(x).hex())
    elif isinstance(x, np.ndarray):
        out.append(f"a{x.dtype.str}{x.shape}")
        out.append(hashlib.sha256(np.ascontiguousarray(x).tobytes()).hexdigest())
    elif isinstance(x, np.random.Generator):
        enc(x.bit_generator.state, out, depth + 1)
    elif isinstance(x, mesa.Agent):
        out.append(f"agent{x.unique_id}")
    elif isinstance(x, dict):
        out.append("{")
        for k in sorted(x, key=repr):
            if k in CACHES:
                continue
            enc(k, out, depth + 1)
            enc(x[k], out, depth + 1)
        out.append("}")
    elif isinstance(x, (set, frozenset)):
        enc(sorted(x, key=repr), out, depth + 1)
    elif isinstance(x, (list, tuple)):
        out.append(f"[{type(x).__name__}")
        for v in x:
            enc(v, out, depth + 1)
        out.append("]")
    elif dataclasses.is_dataclass(x):
        enc({f.name: getattr(x, f.name) for f in dataclasses.fields(x)}, out, depth + 1)
    elif callable(x):
        out.append("callable")
    elif hasattr(x, "__dict__"):
        out.append(type(x).__name__)
        enc(dict(vars(x)), out, depth + 1)
    else:
        out.append(repr(x))


def digest(model: SamenspelModel) -> str:
    out: list[str] = []
    dc = model.datacollector
    enc(dc.model_vars, out)
    enc(dc.tables, out)
    for name in ("years", "events", "timelines", "episodes", "episode_starts", "counters",
                 "cost_history", "kpi", "yearly_youth_cost", "residential_until",
                 "action_log", "week", "streams"):
        out.append(name)
        enc(getattr(model, name), out)
    for name in PARTS:
        out.append(name)
        enc(getattr(model, name), out)
    for pro in model.professionals:
        enc([getattr(pro, a) for a in PRO_ATTRS], out)
    for org in model.orgs:
        enc([getattr(org, a) for a in ORG_ATTRS], out)
        enc([p.unique_id for p in org.staff], out)
    enc(model.summary(), out)
    return hashlib.sha256("\n".join(out).encode()).hexdigest()


def run(name: str) -> tuple[str, str]:
    weeks, seed = RUNS[name]
    model = SamenspelModel(load_scenario(name), seed=seed)
    model.run_weeks(weeks)
    return name, digest(model)


def main(names: list[str]) -> None:
    # A fresh process per run: a run must not see what an earlier run in the process left.
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"),
                             max_tasks_per_child=1) as pool:
        for name, d in pool.map(run, names):
            print(f"{name:15s} {d}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or list(RUNS))
