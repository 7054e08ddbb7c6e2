"""Where runs are computed does not change what they compute.

The same twenty-run sweep through this process, through local worker
processes and through a Dask cluster of two workers on loopback gives the same
rows, so a policymaker can move a sweep from a laptop to a cluster and keep
the results.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lab.executor import InlineExecutor, run_specs
from lab.runs import RunSpec
from lab.store import RunStore
from lab.sweep import run_sweep

# 4 points x 5 seeds = 20 runs of a town of 120 families over 30 weeks.
SWEEP = """\
[sweep]
name = "twintig"
base = "neighbourhood"
sampler = "grid"
replications = 5
weeks = 30
set = ["run.warmup_weeks=10", "population.families=120"]
outputs = ["mean_wait_weeks", "cost_per_year_eur"]

[factors."funding.contract"]
levels = ["per_hour", "lump_sum"]

[factors."providers.count"]
levels = [2, 4]
"""


def _sweep(tmp_path, name, **where):
    path = tmp_path / "twintig.toml"
    path.write_text(SWEEP, encoding="utf-8")
    out = tmp_path / name
    result = run_sweep(path, [], where.get("workers"), where.get("scheduler"), out,
                       progress=False)
    assert result["runs"] == 20
    return pd.read_parquet(out / "runs.parquet")


def test_local_processes_and_a_dask_cluster_give_the_same_rows(tmp_path):
    distributed = pytest.importorskip("distributed")
    inline = _sweep(tmp_path, "inline", workers=1)
    assert len(inline) == 20 and inline["run_key"].is_unique
    pd.testing.assert_frame_equal(_sweep(tmp_path, "pool", workers=2), inline)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        dask = _sweep(tmp_path, "dask", scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(dask, inline)


def test_runs_already_stored_are_not_run_again(tmp_path):
    specs = [RunSpec("neighbourhood", seed, 30, ("population.families=120",
                                                 "run.warmup_weeks=10")) for seed in range(5)]
    store = RunStore(tmp_path / "s")
    store.prepare()
    run_specs(specs[:3], store, InlineExecutor(), progress=False)
    calls = []

    class Counting(InlineExecutor):
        def submit(self, fn, /, *args, **kwargs):
            calls.append(args[0])
            return super().submit(fn, *args, **kwargs)

    keys = run_specs(specs, store, Counting(), progress=False)
    assert calls == specs[3:]
    assert len(store.rows(keys)) == 5
