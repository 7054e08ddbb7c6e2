"""The `samenspel` command line: exit codes, error messages, run outputs.

Most tests run `main([...])` in-process, with a small fake model where the
real one is not needed; the tests marked `needs_model` run the real model on a
tiny scenario and are skipped while `sim.model` cannot be imported.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

from lab.cli import main

ROOT = Path(__file__).resolve().parents[2]
SUMMARY_KEYS = {"seed", "scenario", "weeks", "mean_wait_weeks", "client_rating"}
OUTPUT_FILES = ("kpis_weekly.csv", "events.jsonl", "actions.json", "scenario.resolved.toml",
                "summary.json")
TINY = """\
[run]
name = "tiny"
weeks = 30
warmup_weeks = 10
seed = 5

[population]
families = 300
neighbourhoods = 1
"""


def _can_import(name: str) -> bool:
    try:
        importlib.import_module(name)
    except Exception:  # noqa: BLE001 - any failure means: not usable yet
        return False
    return True


needs_scenario = pytest.mark.skipif(importlib.util.find_spec("sim.scenario") is None,
                                    reason="sim.scenario is not there yet")
needs_model = pytest.mark.skipif(not _can_import("sim.model"),
                                 reason="sim.model cannot be imported")


class FakeModel:
    """Just enough of SamenspelModel for the command line and lab.output."""

    instances: list[FakeModel] = []

    def __init__(self, scenario: object, seed: int | None = None) -> None:
        self.scenario, self.seed, self.week = scenario, seed, 0
        self.events: list[dict] = []
        self.action_log: list[dict] = []
        FakeModel.instances.append(self)

    def step(self) -> None:
        self.week += 1
        print("chatter from the model")  # must not reach stdout with --json
        self.events.append({"week": self.week, "kind": "tick"})

    def kpi_frame(self) -> pd.DataFrame:
        weeks = pd.Index(range(1, self.week + 1), name="week")
        return pd.DataFrame({"mean_wait_weeks": 5.0, "client_rating": 7.5}, index=weeks)

    def group_frames(self) -> dict[str, pd.DataFrame]:
        frame = pd.DataFrame({"week": range(1, self.week + 1), "group": "p1", "waiting": 3.0})
        return {"provider": frame}

    def summary(self) -> dict[str, float]:
        return {"mean_wait_weeks": 5.0, "client_rating": 7.5, "total_cost_eur": 1.5e6}


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> type[FakeModel]:
    module = types.ModuleType("sim.model")
    module.SamenspelModel = FakeModel
    monkeypatch.setitem(sys.modules, "sim.model", module)
    FakeModel.instances = []
    return FakeModel


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    return path


def _user_error(capsys: pytest.CaptureFixture[str], code: int) -> str:
    """Assert a clean user error and return stderr."""
    err = capsys.readouterr().err
    assert code == 2
    assert "samenspel: error:" in err
    assert "Traceback" not in err
    return err


# ---------------------------------------------------------------- argument errors


@pytest.mark.parametrize("args", [
    ["run", "x", "--weeks", "-3"],
    ["run", "x", "--weeks", "0"],
    ["run", "x", "--weeks", "many"],
    ["run", "x", "--years", "-1"],
    ["run", "x", "--weeks", "10", "--years", "2"],
    ["run", "x", "--seed", "-1"],
    ["run", "x", "--set", "population.families"],
    ["run"],
    ["validate"],
    [],
])
def test_bad_arguments_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    _user_error(capsys, main(args))


def test_play_with_a_bad_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", "--seed", "many"]) == 2
    err = capsys.readouterr().err
    assert "samenspel play: error:" in err and "Traceback" not in err


def test_play_help_is_the_games_own(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", "--help"]) == 0
    assert "--autoplay" in capsys.readouterr().out


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "run" in capsys.readouterr().out
    assert main(["run", "--help"]) == 0
    assert "--set" in capsys.readouterr().out


# ---------------------------------------------------------------- validate


@needs_scenario
def test_validate_ok_and_bad(tiny: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tiny)]) == 0
    assert capsys.readouterr().out.strip() == f"ok  {tiny}"

    bad = tmp_path / "bad.toml"
    bad.write_text("[population]\nfamiliez = 3\n", encoding="utf-8")
    assert main(["validate", str(tiny), str(bad)]) == 2
    out = capsys.readouterr().out
    assert f"ok  {tiny}" in out
    assert f"FAIL {bad}" in out and "familiez" in out


@needs_scenario
def test_validate_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.toml")]) == 2
    assert "FAIL" in capsys.readouterr().out


# ---------------------------------------------------------------- run: user errors


@needs_scenario
def test_run_bad_key(tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", str(tiny), "--set", "population.familiez=3", "--out",
                 str(tmp_path / "o"), "--no-progress"])
    assert "familiez" in _user_error(capsys, code)


@needs_scenario
def test_run_bad_value(tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", str(tiny), "--set", "population.families=-5", "--out",
                 str(tmp_path / "o"), "--no-progress"])
    assert "population.families" in _user_error(capsys, code)


@needs_scenario
def test_run_unknown_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", "no-such-scenario-xyz", "--out", str(tmp_path / "o"), "--no-progress"])
    assert "no-such-scenario-xyz" in _user_error(capsys, code)


@needs_scenario
def test_run_unwritable_out_dir(tiny: Path, tmp_path: Path, fake_model: type[FakeModel],
                                capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    code = main(["run", str(tiny), "--out", str(blocker / "out"), "--no-progress"])
    assert "output directory" in _user_error(capsys, code)
    assert fake_model.instances == []  # failed before the run, not after it


# ---------------------------------------------------------------- run with a fake model


@needs_scenario
def test_run_writes_outputs_and_summary(tiny: Path, tmp_path: Path,
                                        fake_model: type[FakeModel],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["run", str(tiny), "--out", str(out), "--no-progress", "--charts"]) == 0
    stdout = capsys.readouterr().out
    assert "Scenario tiny, seed 5: 30 weeks" in stdout
    assert "Mean wait" in stdout and "EUR 1,500,000" in stdout
    for name in (*OUTPUT_FILES, "kpis.png", "kpis_provider.csv", "waiting_by_provider.png"):
        assert (out / name).is_file(), name
    model = fake_model.instances[0]
    assert (model.seed, model.week) == (5, 30)


@needs_scenario
def test_run_json_is_alone_on_stdout(tiny: Path, tmp_path: Path,
                                     fake_model: type[FakeModel],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", str(tiny), "--seed", "9", "--weeks", "12", "--json",
                 "--out", str(tmp_path / "o")])
    captured = capsys.readouterr()
    assert code == 0
    assert len(captured.out.splitlines()) == 1
    result = json.loads(captured.out)
    assert result.keys() >= SUMMARY_KEYS
    assert (result["seed"], result["scenario"], result["weeks"]) == (9, "tiny", 12)
    assert "chatter from the model" in captured.err


@needs_scenario
def test_run_years_and_default_out_dir(tiny: Path, tmp_path: Path,
                                       fake_model: type[FakeModel],
                                       monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(tiny), "--years", "0.5", "--seed", "3", "--no-progress"]) == 0
    assert fake_model.instances[0].week == 26
    resolved = tmp_path / "out" / "tiny-seed3" / "scenario.resolved.toml"
    text = resolved.read_text(encoding="utf-8")
    assert "seed = 3" in text and "weeks = 26" in text  # the resolved file is what ran


@needs_scenario
def test_run_within_warmup_warns(tiny: Path, tmp_path: Path, fake_model: type[FakeModel],
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(tiny), "--weeks", "8", "--out", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "samenspel: warning:" in err and "warm-up" in err


# ---------------------------------------------------------------- run the real model

TINY_SET = ["--set", "population.families=300", "--set", "population.neighbourhoods=1",
            "--weeks", "30", "--set", "run.warmup_weeks=10", "--no-progress"]


@needs_scenario
@needs_model
def test_real_run_json(tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["run", str(tiny), *TINY_SET, "--seed", "11", "--json", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    result = json.loads(captured.out)
    assert result.keys() >= SUMMARY_KEYS
    assert (result["seed"], result["weeks"]) == (11, 30)
    for name in OUTPUT_FILES:
        assert (out / name).is_file(), name
    assert not list(out.glob("*.png")), "charts drawn without --charts"
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "temp files left"


def _command() -> list[str]:
    script = Path(sys.executable).parent / "samenspel"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "lab.cli"]


@needs_scenario
def test_subprocess_validate(tiny: Path) -> None:
    done = subprocess.run([*_command(), "validate", str(tiny)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok  ")



def test_help_and_validate_answer_without_loading_the_model() -> None:
    """`samenspel --help` and `samenspel validate` (a queue scenario among them) answer
    without importing the model and its agent framework, so they reply at once instead
    of after a second of imports."""
    files = [str(ROOT / "scenarios" / "neighbourhood.toml"),
             str(ROOT / "scenarios" / "validation" / "mmc.toml")]
    probe = ("import sys\nfrom lab.cli import main\n"
             f"codes = [main(['--help']), main(['validate', *{files!r}])]\n"
             "print(codes, sorted(m for m in ('mesa', 'sim.model', 'pandas') "
             "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[0, 0] []", done.stdout

@needs_scenario
@needs_model
def test_subprocess_run_json(tiny: Path, tmp_path: Path) -> None:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run([*_command(), "run", str(tiny), *TINY_SET, "--json",
                           "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=ROOT, timeout=600, env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert json.loads(done.stdout).keys() >= SUMMARY_KEYS


def test_subprocess_error_has_no_traceback() -> None:
    done = subprocess.run([*_command(), "run", "x", "--weeks", "-3"], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2
    assert "samenspel: error:" in done.stderr and "Traceback" not in done.stderr
