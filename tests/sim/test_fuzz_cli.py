"""`samenspel run` and `samenspel validate` never show a traceback and never hang.

Mutated scenario files and random command lines go through the real `main()`
in-process; every outcome must be exit 0, or exit 2 with `samenspel: error:`
lines on stderr, within a time limit. The mutations aim at the edges: every
key of the schema with values at, just outside and far outside its range, of
the wrong type, huge, deep, long. A few subprocess runs prove the same for the
installed command, and a planted bug proves the internal-error path.
"""

from __future__ import annotations

import contextlib
import io
import math
import signal
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import lab.cli
from lab.cli import main
from sim import limits
from sim.errors import EXIT_BUG
from sim.params import SECTIONS
from sim.scenario import _toml_key, _toml_value

ROOT = Path(__file__).resolve().parents[2]
LIMIT_S = 20.0  # no example may take longer: a hang fails the test instead of the run


def fuzz(examples: int) -> settings:
    """Reproducible (derandomized) and bounded; the time limit is ours, not hypothesis'."""
    return settings(max_examples=examples, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

TINY = {"run": {"name": "tiny", "weeks": 3, "warmup_weeks": 1, "seed": 5},
        "population": {"families": 300, "neighbourhoods": 1}}
# Keys whose in-range values allocate: a run fuzz keeps them small (validation sees them all).
SIZES = {"population.families": 2_000, "population.neighbourhoods": 20,
         "providers.professionals": 200, "arrivals.servers": 100, "providers.count": 50,
         "wijkteam.generalists_per_1000_families": 20.0,
         "providers.professionals_per_1000_families": 40.0}
FIELDS = {f"{s}.{f.name}": f for s, cls in SECTIONS.items() for f in fields(cls)}


class Hang(BaseException):
    """Raised by the alarm; a BaseException, so the command's own error path cannot catch it."""


@contextlib.contextmanager
def time_limit(seconds: float):
    def ring(*_):
        raise Hang(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_main(argv: list[str]) -> tuple[int, str, str]:
    """main(argv) in-process with captured output, under the time limit."""
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with time_limit(LIMIT_S), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert time.perf_counter() - start < LIMIT_S
    return code, out.getvalue(), err.getvalue()


def assert_clean(code: int, err: str, out: str = "") -> None:
    """Exit 0, or exit 2 with a `samenspel: error:` line (or validate's FAIL), bounded lines."""
    assert "Traceback" not in err, err
    assert code in (0, 2), (code, err)
    if code == 2:
        assert "error:" in err or "FAIL" in out, err
    assert all(len(line) < 2_000 for line in (err + out).splitlines()), "an unbounded message"


# ---------------------------------------------------------------- strategies


def _in_range(path: str, field, small: bool) -> st.SearchStrategy:
    """Values a scenario may hold; with `small`, sizes stay cheap to build and run."""
    lo, hi = field.metadata["lo"], field.metadata["hi"]
    if small and path in SIZES:
        hi = SIZES[path]
    if field.type == "int":
        return st.integers(int(lo if lo is not None else -10), int(hi if hi is not None else 10**6))
    if field.type == "float":
        return st.floats(lo if lo is not None else -1e6, hi if hi is not None else 1e6)
    if field.metadata["choices"]:
        return st.sampled_from(field.metadata["choices"])
    if field.type == "bool":
        return st.booleans()
    if field.type == "list":
        return st.lists(st.sampled_from(["opvoeding", "jeugd_ggz", "schulden", "wonen"]),
                        min_size=1, max_size=4, unique=True)
    if field.type == "dict":
        return st.just({"jeugd": 0.5, "wmo": 0.5})
    return st.text(max_size=40)


WEIRD = st.sampled_from([True, "text", "", [1, 2], {"a": 1}, 10**4000, -(10**4000), math.inf,
                         -math.inf, math.nan, 1e308, -1, 0, "x" * 3000, [[[[1]]]]])


def _out_of_range(field) -> st.SearchStrategy:
    lo, hi = field.metadata["lo"], field.metadata["hi"]
    near = [v for b in (lo, hi) if b is not None for v in (b - 1, b + 1, b * 10 + 1)]
    return st.sampled_from(near) if near else WEIRD


def _value(path: str, field, small: bool) -> st.SearchStrategy:
    """Mostly values the schema allows (they must run), some at and beyond its edges."""
    return st.one_of(_in_range(path, field, small), _in_range(path, field, small),
                     _out_of_range(field), WEIRD)


@st.composite
def mutated_scenario(draw, small: bool) -> dict:
    data = {s: dict(t) for s, t in TINY.items()}
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(sorted(FIELDS)))
        section, key = path.split(".")
        how = draw(st.sampled_from(["set", "set", "set", "set", "drop", "unknown", "flat"]))
        if how == "set":
            data.setdefault(section, {})[key] = draw(_value(path, FIELDS[path], small))
        elif how == "drop":
            data.get(section, {}).pop(key, None)
        elif how == "unknown":
            data.setdefault(section, {})[draw(st.text(min_size=1, max_size=30))] = 1
        else:  # a key outside its section
            data[key] = 1
    return data


def to_toml(data: dict) -> str:
    lines = []
    for section, table in data.items():
        if not isinstance(table, dict):
            lines.insert(0, f"{_toml_key(section)} = {_toml_value(table)}")
            continue
        lines.append(f"[{_toml_key(section)}]")
        for key, value in table.items():
            try:
                lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
            except ValueError:  # an int too long to write: write it as digits by hand
                lines.append(f"{_toml_key(key)} = {'9' * 4400}")
    return "\n".join(lines) + "\n"


RAW = st.sampled_from([
    b"a = " + b"[" * 3000 + b"]" * 3000,
    b"[population]\nfamilies = " + b"9" * 5000,
    b"[run]\nname = \"" + b"n" * 5000 + b"\"",
    b"\xff\xfe\x00garbage",
    b"extends = \"" + b"../" * 2000 + b"\"",
    b"extends = 3",
    b"[" + b"k" * 100_000 + b"]",
    b"[population]\nfamilies = 1e400",
    b"[arrivals]\nprocess = \"poisson\"\narrivals_per_week = 9000\n"
    b"[population]\nfamilies = 50",
    b"[population]\nfamilies = 1000000\n[run]\nweeks = 200000",
    b"[providers]\nprofessionals = 100000",
    b"[providers]\ndomains = [" + b"\"opvoeding\", " * 20_000 + b"]",
])


# ---------------------------------------------------------------- scenario files


@fuzz(150)
@given(data=mutated_scenario(small=False))
def test_validate_mutated_scenarios_exits_0_or_2(tmp_path_factory, data) -> None:
    path = tmp_path_factory.mktemp("v") / "s.toml"
    path.write_text(to_toml(data), encoding="utf-8")
    code, out, err = run_main(["validate", str(path)])
    assert_clean(code, err, out)
    assert code == 0 or "FAIL" in out


@fuzz(30)
@given(raw=RAW, cut=st.integers(0, 200))
def test_validate_damaged_files_exits_2(tmp_path_factory, raw: bytes, cut: int) -> None:
    folder = tmp_path_factory.mktemp("d")
    whole, torn = folder / "whole.toml", folder / "torn.toml"
    whole.write_bytes(raw)
    torn.write_bytes(raw[:-cut] if cut else raw + b"\x00")
    code, out, err = run_main(["validate", str(whole), str(torn)])
    assert_clean(code, err, out)
    assert code == 2 and out.count("FAIL") >= 1


@pytest.fixture
def no_output(monkeypatch):
    """The real model runs; writing charts and tables (tested in test_cli) is skipped."""
    monkeypatch.setattr(lab.cli, "_write", lambda *a, **k: [])


@fuzz(60)
@given(data=mutated_scenario(small=True))
def test_run_mutated_small_scenarios_exits_0_or_2(tmp_path_factory, no_output, data) -> None:
    folder = tmp_path_factory.mktemp("r")
    path = folder / "s.toml"
    path.write_text(to_toml(data), encoding="utf-8")
    code, out, err = run_main(["run", str(path), "--weeks", "3", "--no-progress",
                               "--out", str(folder / "out")])
    assert_clean(code, err, out)
    event(f"exit {code}")


# ---------------------------------------------------------------- command lines

VALUES = st.sampled_from(["-1", "0", "1", "3", "inf", "-inf", "nan", "1e400", "9" * 5000, "",
                          "x", "2147483648", "1_000", " 2 ", "0x10", "1.5", "=", "a" * 5000])
SETS = st.one_of(
    st.builds(lambda k, v: f"{k}={v}", st.sampled_from(sorted(FIELDS) + ["foo.bar", "run",
                                                                        "families", ""]),
              VALUES),
    st.sampled_from(["population.families", "=3", "run.name=" + "x" * 2000,
                     "population.families=" + "[" * 2000, "run.name=\"a\\u0000b\""]),
)


@st.composite
def command_line(draw, tiny: str) -> list[str]:
    argv = [draw(st.sampled_from(["run", "validate", "run", "bogus", "--help", ""]))]
    scenario = st.sampled_from([tiny, "nope", "", "a" * 5000, "/dev/null", "/", "a/" * 3000,
                                "scenarios", "validation/mmc"])
    argv += draw(st.lists(scenario, min_size=0, max_size=2))
    for _ in range(draw(st.integers(0, 5))):
        flag = draw(st.sampled_from(["--seed", "--weeks", "--years", "--set", "--out",
                                     "--json", "--no-progress", "-h", "--nope"]))
        argv.append(flag)
        if flag == "--set":
            argv.append(draw(SETS))
        elif flag == "--out":
            argv.append(draw(st.sampled_from(["/dev/null", "/proc/x", "o" * 5000, "out1"])))
        elif flag in ("--seed", "--weeks", "--years"):
            argv.append(draw(VALUES))
    return argv


class QuickModel:
    """Stands in for the model: the command line, not the simulation, is under test here."""

    def __init__(self, scenario, seed=None) -> None:
        self.week = 0

    def step(self) -> None:
        self.week += 1

    def summary(self) -> dict:
        return {"mean_wait_weeks": 1.0}


@fuzz(150)
@given(data=st.data())
def test_random_command_lines_exit_0_or_2(tmp_path_factory, monkeypatch, no_output,
                                          data) -> None:
    folder = tmp_path_factory.mktemp("c")
    tiny = folder / "tiny.toml"
    tiny.write_text(to_toml(TINY), encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.setattr(lab.cli, "simulate", lambda sc, seed, weeks, progress=True: (
        QuickModel(sc), 0.0))
    argv = data.draw(command_line(str(tiny)))
    code, out, err = run_main(argv)
    assert_clean(code, err, out)


# ---------------------------------------------------------------- named failures


@pytest.mark.parametrize("argv, words", [
    (["run", "neighbourhood", "--years", "inf"], "finite number"),
    (["run", "neighbourhood", "--set", "population.families=" + "9" * 5000], "1,000"),
    (["run", "neighbourhood", "--set", "arrivals.arrivals_per_week=" + "9" * 400],
     "between 0 and 10000"),
    (["run", "neighbourhood", "--set", "providers.professionals=100000"], "between 0 and 20000"),
    (["run", "baseline", "--set", "population.families=1000000"], "professionals"),
    (["run", "baseline", "--weeks", "200000"], "GiB of memory"),
    (["run", "validation/mmc", "--set", "population.families=100"], "too small"),
    (["run", "a" * 5000], "not found"),
    (["run", "neighbourhood", "--set", "run.name=\"" + "x" * 300 + "\""], "100 characters"),
])
def test_values_that_would_not_run_are_refused_before_the_model(argv, words) -> None:
    code, _, err = run_main(argv)
    assert_clean(code, err)
    assert code == 2 and words in err, err


def test_validation_scenarios_all_pass() -> None:
    scenarios = sorted(p for p in (ROOT / "scenarios").rglob("*.toml")
                       if "sweeps" not in p.parts)  # sweep files are not scenarios
    code, out, err = run_main(["validate", *map(str, scenarios)])
    assert code == 0, out + err


def test_a_bug_says_so_in_one_line_and_logs_the_traceback(tmp_path, monkeypatch, no_output):
    def broken(*_a, **_k):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(lab.cli, "simulate", broken)
    path = tmp_path / "tiny.toml"
    path.write_text(to_toml(TINY), encoding="utf-8")
    code, _, err = run_main(["run", str(path), "--out", str(tmp_path / "out")])
    assert code == EXIT_BUG
    assert len(err.strip().splitlines()) == 1 and "internal error" in err, err
    assert "Traceback" not in err
    logs = list((tmp_path / "out").glob("crash-*.log"))
    assert len(logs) == 1 and "ZeroDivisionError: planted" in logs[0].read_text()


def test_a_town_just_under_the_professional_cap_may_run_a_year() -> None:
    """The trust ties grow with the staff, not with its square: at the cap, a year's
    run fits in the memory budget, and the ties are not what fills it."""
    from sim.scenario import check_fits, load_scenario, memory_need, professionals_needed

    town = load_scenario("baseline", ["population.families=650000", "run.weeks=52",
                                      "run.warmup_weeks=0"])
    staff, _ = professionals_needed(town)
    assert 0.95 * limits.MAX_PROFESSIONALS < staff <= limits.MAX_PROFESSIONALS
    check_fits(town, 52)
    ties = [b for b, why in memory_need(town, 52) if "trust ties" in why]
    assert ties and ties[0] < limits.GIB
    assert limits.MACHINE_GIB * limits.GIB > limits.MEMORY_LIMIT_GIB * limits.GIB


def _command() -> list[str]:
    script = Path(sys.executable).parent / "samenspel"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "lab.cli"]


def test_the_installed_command_shows_no_traceback(tmp_path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_bytes(b"a = " + b"[" * 5000 + b"]" * 5000)
    for argv in (["run", "neighbourhood", "--years", "inf"], ["validate", str(deep)],
                 ["run", str(deep)]):
        done = subprocess.run([*_command(), *argv], capture_output=True, text=True, cwd=ROOT,
                              timeout=120)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert "samenspel: error:" in done.stderr or "FAIL" in done.stdout
