"""`run_sweep` end to end on a town of 200 families over 60 weeks (about 0.1 s a run).

What a user relies on: one row per point and seed (and per base run), an
interrupted sweep that resumes to exactly the table an uninterrupted one
writes, a folder of another sweep refused rather than mixed, and a point that
cannot run refused before the first run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from lab import store as store_module
from lab.sweep import run_sweep
from lab.sweepfile import SweepError
from sim.errors import UserError

GRID = """\
[sweep]
name = "klein"
base = "neighbourhood"
sampler = "grid"
replications = 2
weeks = 60
set = ["run.warmup_weeks=20", "population.families=200"]
outputs = ["mean_wait_weeks", "cost_per_year_eur"]

[factors."funding.contract"]
levels = ["per_hour", "lump_sum"]

[factors."providers.count"]
levels = [2, 5]

[discovery]
kpi = "mean_wait_weeks"
"""

MORRIS = """\
[sweep]
name = "scherm"
base = "neighbourhood"
sampler = "morris"
samples = 2
weeks = 60
set = ["run.warmup_weeks=20", "population.families=200"]
outputs = ["mean_wait_weeks", "cost_per_year_eur"]

[factors."providers.count"]
range = [2, 6]

[factors."management.style"]
range = [0.0, 1.0]
"""


def write(folder: Path, text: str, name: str = "sweep.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def sweep(path: Path, out: Path, overrides: list[str] | None = None) -> dict:
    return run_sweep(path, overrides or [], workers=1, scheduler=None, out=out, progress=False)


@pytest.fixture(scope="module")
def grid_run(tmp_path_factory) -> tuple[Path, Path, dict]:
    folder = tmp_path_factory.mktemp("grid")
    path = write(folder, GRID)
    out = folder / "out"
    return path, out, sweep(path, out)


def test_a_grid_sweep_writes_one_row_per_point_and_seed(grid_run):
    _, out, summary = grid_run
    table = pd.read_parquet(out / "runs.parquet")
    assert len(table) == (4 + 1) * 2  # four points and the base, on seeds 1 and 2
    assert table["run_key"].is_unique
    assert list(table.columns[:9]) == ["run_key", "scenario", "seed", "weeks", "scenario_hash",
                                       "code_version", "point", "funding.contract",
                                       "providers.count"]
    assert {"mean_wait_weeks", "cost_per_year_eur", "wait_by_domain.jeugd_ggz.total"} <= set(
        table.columns)
    base = table[table["point"].isna()]
    assert base["scenario"].tolist() == ["klein#base"] * 2
    assert base["funding.contract"].tolist() == ["mixed"] * 2  # the base's own values
    points = table[table["point"].notna()]
    assert points["scenario"].tolist() == [f"klein#000{i}" for i in range(4) for _ in (1, 2)]
    assert points["seed"].tolist() == [1, 2] * 4
    assert (points["funding.contract"] + "/" + points["providers.count"].astype(str)).tolist(
    ) == [c for c in ("per_hour/2", "per_hour/5", "lump_sum/2", "lump_sum/5") for _ in (1, 2)]
    assert len(pd.read_csv(out / "runs.csv")) == len(table)


def test_the_summary_is_the_resolved_sweep_and_lists_what_was_written(grid_run):
    path, out, summary = grid_run
    assert json.loads((out / "sweep.json").read_text(encoding="utf-8")) == summary
    assert summary["sweep"]["file"] == str(path.resolve())
    assert summary["runs"] == 10 and summary["seeds"] == [1, 2]
    assert summary["points"][3] == {"point": 3, "label": "klein#0003",
                                    "values": {"funding.contract": "lump_sum",
                                               "providers.count": 5}}
    written = {Path(p).name for p in summary["written"]}
    assert written == {"runs.parquet", "runs.csv", "discovery.json", "sweep.json"}
    assert all(Path(p).is_file() for p in summary["written"])
    found = json.loads((out / "discovery.json").read_text(encoding="utf-8"))
    assert found["against"] == "the base scenario on the same seed"
    assert found["runs_compared"] == 8 and found["text"] == summary["discovery"]


def test_running_a_finished_sweep_again_reuses_every_run(grid_run, monkeypatch):
    path, out, summary = grid_run
    before = pd.read_parquet(out / "runs.parquet")

    def no_run(*_args, **_kwargs):
        raise AssertionError("a stored run was run again")

    monkeypatch.setattr("lab.executor.run_one", no_run)
    assert sweep(path, out) == summary
    pd.testing.assert_frame_equal(pd.read_parquet(out / "runs.parquet"), before)


def test_an_interrupted_sweep_resumes_to_the_uninterrupted_table(grid_run, tmp_path,
                                                                 monkeypatch):
    path, whole, _ = grid_run
    out = tmp_path / "out"
    added = []
    real_add = store_module.RunStore.add

    def add_then_stop(self, row):
        if len(added) == 3:
            raise KeyboardInterrupt
        added.append(row["run_key"])
        return real_add(self, row)

    monkeypatch.setattr(store_module.RunStore, "add", add_then_stop)
    with pytest.raises(KeyboardInterrupt):
        sweep(path, out)
    assert len(list((out / "runs.parts").glob("*.parquet"))) == 3
    assert not (out / "runs.parquet").exists()
    monkeypatch.setattr(store_module.RunStore, "add", real_add)
    sweep(path, out)
    resumed = pd.read_parquet(out / "runs.parquet")
    assert resumed["run_key"].is_unique
    pd.testing.assert_frame_equal(resumed, pd.read_parquet(whole / "runs.parquet"))
    assert (out / "discovery.json").read_text() == (whole / "discovery.json").read_text()


def test_a_folder_of_another_sweep_is_refused(grid_run):
    path, out, _ = grid_run
    with pytest.raises(UserError, match="holds another sweep .klein, 10 runs"):
        sweep(path, out, ["population.families=300"])


def test_a_folder_with_runs_of_no_sweep_is_refused(tmp_path):
    out = tmp_path / "out"
    (out / "runs.parts").mkdir(parents=True)
    (out / "runs.parts" / "0123abcd.parquet").write_bytes(b"")
    with pytest.raises(UserError, match="holds results that are not this sweep's"):
        sweep(write(tmp_path, GRID), out)


def test_a_folder_prepared_by_the_command_line_is_taken(tmp_path):
    out = tmp_path / "out"
    store_module.RunStore(out).prepare()  # as `samenspel sweep` checks --out before the run
    (out / "crash-20260101-000000-1.log").write_text("an earlier crash")
    summary = sweep(write(tmp_path, MORRIS), out)
    assert summary["name"] == "scherm" and summary["runs"] == 6


def test_a_point_that_cannot_run_is_refused_before_any_run(tmp_path):
    text = GRID.replace('"population.families=200"', '"population.families=200000"').replace(
        '[factors."providers.count"]\nlevels = [2, 5]',
        '[factors."providers.professionals_per_1000_families"]\nlevels = [24.0, 200.0]')
    out = tmp_path / "out"
    with pytest.raises(SweepError) as caught:
        sweep(write(tmp_path, text), out)
    message = str(caught.value)
    assert "point 1 of" in message and "professionals_per_1000_families = 200.0" in message
    assert "at most 20,000 are allowed" in message
    assert not out.exists()


def test_a_morris_sweep_writes_its_indices(tmp_path):
    out = tmp_path / "out"
    summary = sweep(write(tmp_path, MORRIS), out)
    indices = pd.read_parquet(out / "indices.parquet")
    assert len(pd.read_parquet(out / "runs.parquet")) == 2 * (2 + 1)
    assert set(indices["output"]) == {"mean_wait_weeks", "cost_per_year_eur"}
    assert set(indices["factor"]) == {"providers.count", "management.style"}
    assert len(indices) == 2 * 2 * 3  # outputs x factors x (mu_star, mu, sigma)
    assert any("2 trajectories is rough" in w for w in summary["warnings"])
    assert {"indices.parquet", "indices.csv"} <= {Path(p).name for p in summary["written"]}


def test_a_sweep_killed_mid_run_resumes_to_the_uninterrupted_table(tmp_path):
    """SIGKILL, not an exception: whatever the process was writing, only whole runs stay,
    and running the same command again gives the table an uninterrupted sweep writes."""
    import os
    import signal
    import subprocess
    import sys
    import time

    # Runs long enough that a busy machine still sees the parts arrive one by one.
    path = write(tmp_path, GRID.replace("weeks = 60", "weeks = 300"))
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    command = [sys.executable, "-m", "lab.cli", "sweep", str(path), "--out", str(killed),
               "--workers", "1", "--no-progress"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = killed / "runs.parts"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.is_dir() and len(list(parts.glob("*.parquet"))) >= 3:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the sweep finished before it could be killed"
    stored = len(list(parts.glob("*.parquet")))
    assert 3 <= stored < 10 and not (killed / "runs.parquet").exists()
    for part in parts.glob("*.parquet"):  # every stored run is whole
        assert len(pd.read_parquet(part)) == 1
    sweep(path, killed)
    sweep(path, whole)
    resumed = pd.read_parquet(killed / "runs.parquet")
    assert resumed["run_key"].is_unique
    pd.testing.assert_frame_equal(resumed, pd.read_parquet(whole / "runs.parquet"))
