"""lab.output.write_run against a small fake model that provides the model's output API."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("sim.scenario")

from lab.output import (  # noqa: E402
    MAX_PROVIDER_LINES,
    _largest_providers,
    json_safe,
    waiting_column,
    with_week_column,
    write_run,
)
from sim.params import Scenario  # noqa: E402

WEEKS = 20
PROVIDERS = 15


class FakeModel:
    """The output API of SamenspelModel, with small made-up frames."""

    def __init__(self, weeks: int = WEEKS, providers: int = PROVIDERS,
                 with_waiting: bool = True) -> None:
        self.week = weeks
        weeks_idx = pd.Index(range(1, weeks + 1), name="week")
        t = np.arange(weeks, dtype=float)
        self._kpis = pd.DataFrame({
            "mean_wait_weeks": 6 - t / 10, "waiting_families": 100 + t,
            "share_ended_without_further_help": 0.7 + t / 200, "client_rating": 7 + t / 50,
            "professional_satisfaction": 0.6 + 0 * t, "sickness_absence_share": 0.07 + 0 * t,
            "admin_time_share": 0.3 - t / 500, "cost_per_week_eur": 2.5e6 + 1e3 * t,
            "families_in_care": 900 + t, "some_other_kpi": t,
        }, index=weeks_idx)
        self._providers = pd.DataFrame([
            {"week": w, "group": f"provider {p}", "capacity": 10 + p,
             **({"waiting": float(p + w % 3)} if with_waiting else {"in_care": 5.0})}
            for w in range(1, weeks + 1) for p in range(providers)])
        self._teams = pd.DataFrame([{"week": w, "group": "north", "caseload": 30.0}
                                    for w in range(1, weeks + 1)])
        self.events = [{"week": 3, "kind": "crisis", "family": np.int64(12)},
                       {"week": 7, "kind": "strike", "share": float("nan")}]
        self.action_log = [{"week": 5, "action": "hire", "count": 2}]

    def kpi_frame(self) -> pd.DataFrame:
        return self._kpis

    def group_frames(self) -> dict[str, pd.DataFrame]:
        return {"team": self._teams, "provider": self._providers}

    def summary(self) -> dict[str, float]:
        return {"mean_wait_weeks": np.float64(5.5), "client_rating": 7.2,
                "relapse_share": float("nan")}


@pytest.fixture
def scenario() -> Scenario:
    return Scenario()


def test_write_run_writes_every_file(tmp_path: Path, scenario: Scenario) -> None:
    paths = write_run(FakeModel(), scenario, 42, tmp_path, 1.23456)
    names = {p.name for p in paths}
    assert names == {"kpis_weekly.csv", "kpis_team.csv", "kpis_provider.csv", "events.jsonl",
                     "actions.json", "scenario.resolved.toml", "summary.json", "kpis.png",
                     "waiting_by_provider.png"}
    for path in paths:
        assert path.parent == tmp_path
        assert path.is_file() and path.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)  # no temp files left


def test_csv_has_week_first(tmp_path: Path, scenario: Scenario) -> None:
    write_run(FakeModel(), scenario, 1, tmp_path, 0.0)
    weekly = pd.read_csv(tmp_path / "kpis_weekly.csv")
    assert weekly.columns[0] == "week"
    assert weekly["week"].tolist() == list(range(1, WEEKS + 1))
    providers = pd.read_csv(tmp_path / "kpis_provider.csv")
    assert list(providers.columns[:2]) == ["week", "group"]
    assert len(providers) == WEEKS * PROVIDERS


def test_resolved_toml_has_header_and_reads_back(tmp_path: Path, scenario: Scenario) -> None:
    write_run(FakeModel(), scenario, 42, tmp_path, 2.5)
    text = (tmp_path / "scenario.resolved.toml").read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("seed" in line and "42" in line for line in header)
    assert any("weeks" in line and str(WEEKS) in line for line in header)
    assert any("version" in line for line in header)
    assert tomllib.loads(text)["run"]["name"] == scenario.run.name


def test_json_logs_are_strict_json(tmp_path: Path, scenario: Scenario) -> None:
    write_run(FakeModel(), scenario, 42, tmp_path, 0.0)
    lines = (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    assert events[0] == {"week": 3, "kind": "crisis", "family": 12}
    assert events[1]["share"] is None  # NaN is not JSON
    assert json.loads((tmp_path / "actions.json").read_text())[0]["action"] == "hire"
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["seed"] == 42
    assert summary["scenario"] == scenario.run.name
    assert "version" in summary
    assert summary["mean_wait_weeks"] == 5.5
    assert summary["relapse_share"] is None


def test_pngs_are_images(tmp_path: Path, scenario: Scenario) -> None:
    write_run(FakeModel(), scenario, 42, tmp_path, 0.0)
    for name in ("kpis.png", "waiting_by_provider.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_provider_chart_without_waiting_column(tmp_path: Path, scenario: Scenario) -> None:
    paths = write_run(FakeModel(with_waiting=False), scenario, 1, tmp_path, 0.0)
    assert "waiting_by_provider.png" not in {p.name for p in paths}
    assert (tmp_path / "kpis.png").is_file()


def test_missing_kpi_columns_are_skipped(tmp_path: Path, scenario: Scenario) -> None:
    model = FakeModel()
    model._kpis = model._kpis[["client_rating"]]
    paths = write_run(model, scenario, 1, tmp_path, 0.0)
    assert (tmp_path / "kpis.png").is_file()
    model._kpis = model._kpis.iloc[:, :0]  # no main KPI at all: no chart, no error
    other = tmp_path / "other"
    paths = write_run(model, scenario, 1, other, 0.0)
    assert "kpis.png" not in {p.name for p in paths}
    assert (other / "kpis_weekly.csv").is_file()


def test_failed_write_leaves_no_temp_file(tmp_path: Path, scenario: Scenario) -> None:
    model = FakeModel()
    model.summary = lambda: {"bad": object()}  # not JSON-serialisable
    with pytest.raises(TypeError):
        write_run(model, scenario, 1, tmp_path, 0.0)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert not (tmp_path / "summary.json").exists()


def test_at_most_twelve_largest_providers() -> None:
    frame = FakeModel()._providers
    table = frame.pivot_table(index="week", columns="group", values="waiting")
    chosen = _largest_providers(frame, table, "waiting")
    assert len(chosen) == MAX_PROVIDER_LINES
    assert "provider 14" in chosen and "provider 0" not in chosen  # by capacity


def test_helpers() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0]}, index=pd.Index([1, 2]))
    assert list(with_week_column(frame).columns) == ["week", "a"]
    assert waiting_column(pd.DataFrame(columns=["week", "group", "waiting_families"])) \
        == "waiting_families"
    assert waiting_column(pd.DataFrame(columns=["week", "group", "in_care"])) is None
    assert json_safe({"x": np.float32(0.5), "y": [math.inf], 3: np.array([1, 2])}) == \
        {"x": 0.5, "y": [None], "3": [1, 2]}
