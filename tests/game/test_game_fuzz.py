"""The game never shows a traceback, never hangs and never loses a game.

Damaged saves (every field of a real save mutated, bytes torn and flipped)
load or are refused with a SaveError and stay as they were; `samenspel play`
command lines end in exit 0 or a clean exit 2 before any window opens; a game
killed at random moments of an autoplay always leaves a save that loads and
plays on; and a storm of random input goes through the real scenes without an
exception, leaving a save the schema accepts.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pygame
import pytest
from gamehelpers import click, frames, make_app
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import game.cli
from game import save
from game.session import Session

ROOT = Path(__file__).resolve().parents[2]
LIMIT_S = 30.0


def fuzz(examples: int) -> settings:
    """Reproducible (derandomized) and bounded; the time limit is ours, not hypothesis'."""
    return settings(max_examples=examples, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


class Hang(BaseException):
    """Raised by the alarm; a BaseException, so no error path under test can catch it."""


@contextlib.contextmanager
def time_limit(seconds: float = LIMIT_S):
    def ring(*_):
        raise Hang(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# ---------------------------------------------------------------- a real save to damage


def play_quarter(session: Session, cards: tuple[str, ...]) -> None:
    for card in cards:
        session.play_card(card)
    session.predict("mean_wait_weeks", 6.0)
    while not session.turn_done():
        session.step_week()
    session.end_turn()


@pytest.fixture(scope="module")
def real_save() -> dict:
    """Two teams, a round and a half played, a delayed card pending: a save as the game writes."""
    session = Session("neighbourhood", 3, ["A", "B"], rounds=3, overrides=["run.warmup_weeks=13"])
    session.warm_up()
    play_quarter(session, ("integral", "hire_wijkteam"))
    play_quarter(session, ("top_down", "flu"))
    play_quarter(session, ("pooled",))
    session.play_card("hire_ggz")
    return json.loads(json.dumps(save.to_data(session), default=float))


def _paths(node, at=()):
    """Every place in a JSON tree, as a tuple of keys and indexes."""
    yield at
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*at, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*at, i))


WEIRD = st.sampled_from([None, True, False, 0, -1, 1, 13, 10**30, -(10**30), 1.5, math.inf,
                         -math.inf, math.nan, "", "x" * 100_000, "a\x00b", [], {}, [[]],
                         {"kind": "bankrupt", "week": 0}, "integral", "hire", "wijkteam",
                         "mean_wait_weeks", 2**31, 52, 200_001])


@st.composite
def damaged(draw, data: dict) -> dict:
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p in _paths(data) if p]
        place = draw(st.sampled_from(places))
        parent = data
        for key in place[:-1]:
            parent = parent[key]
        how = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
        if how == "drop":
            del parent[place[-1]]
        elif how == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "settings", "week", "kind"]))] = draw(WEIRD)
        elif how == "add":
            parent.append(copy.deepcopy(parent[place[-1]]))
        else:
            parent[place[-1]] = draw(WEIRD)
    return data


def load_or_refuse(path: Path) -> str:
    """Read and restore a save within the time limit; it must load or be refused cleanly."""
    before = path.read_bytes()
    with time_limit():
        try:
            session = save.restore(save.read(path))
        except save.SaveError as exc:
            assert str(exc) and len(str(exc)) < 1_500
            outcome = "refused"
        else:
            assert session.teams and 0 <= session.team_index < len(session.teams)
            outcome = "loaded"
    assert path.read_bytes() == before, "a save was changed by reading it"
    return outcome


@fuzz(60)
@given(data=st.data())
def test_mutated_saves_load_or_are_refused(real_save, tmp_path_factory, data) -> None:
    path = tmp_path_factory.mktemp("save") / "autosave.json"
    path.write_text(json.dumps(data.draw(damaged(real_save))))
    event(load_or_refuse(path))


@fuzz(40)
@given(cut=st.integers(0, 4000), flips=st.lists(st.tuples(st.integers(0, 4000),
                                                          st.integers(0, 255)), max_size=3))
def test_torn_and_flipped_saves_load_or_are_refused(real_save, tmp_path_factory, cut,
                                                     flips) -> None:
    raw = bytearray(json.dumps(real_save, indent=1).encode())
    for at, byte in flips:
        raw[at % len(raw)] = byte
    path = tmp_path_factory.mktemp("torn") / "autosave.json"
    path.write_bytes(bytes(raw[:len(raw) - cut] if cut < len(raw) else raw))
    event(load_or_refuse(path))


def test_the_real_save_itself_loads(real_save, tmp_path) -> None:
    path = tmp_path / "autosave.json"
    path.write_text(json.dumps(real_save))
    assert load_or_refuse(path) == "loaded"


# ---------------------------------------------------------------- command lines


PLAY_VALUES = {
    "--scenario": ["neighbourhood", "nope", "", "a" * 5000, "validation/mmc", "/dev/null",
                   "scenarios"],
    "--seed": ["-1", "0", "7", "2147483648", "x", "9" * 5000],
    "--rounds": ["-1", "0", "1", "52", "53", "1e3"],
    "--teams": ["0", "1", "6", "7", "two"],
    "--set": ["run.warmup_weeks=13", "foo.bar=1", "population.families=1000000",
              "providers.professionals=100000", "run.weeks=" + "9" * 2000, "=", "x"],
    "--lang": ["nl", "en", "de"],
    "--size": ["1280x720", "abc", "0x0", "100000x100000", "960x540", "-5x-5", "1280x"],
    "--autoplay": ["-1", "0", "1", "53", "x"],
    "--save": ["SAVES", "SAVES/game.json", "/dev/null", "FILE/x", "o" * 5000],
    "--screenshots": ["SHOTS", "FILE/x"],
}


@fuzz(60)
@given(data=st.data())
def test_random_play_command_lines_exit_0_or_2(tmp_path_factory, monkeypatch, data) -> None:
    folder = tmp_path_factory.mktemp("play")
    (folder / "FILE").write_text("a file")
    opened: list[bool] = []
    monkeypatch.setattr("game.app.App.run", lambda self: opened.append(True) or 0)
    monkeypatch.setattr(game.cli, "autoplay", lambda *a, **k: opened.append(True) or 0)
    argv = []
    for flag in data.draw(st.lists(st.sampled_from(sorted(PLAY_VALUES)), max_size=5)):
        value = data.draw(st.sampled_from(PLAY_VALUES[flag]))
        argv += [flag, value.replace("SAVES", str(folder / "s")).replace(
            "SHOTS", str(folder / "shots")).replace("FILE", str(folder / "FILE"))]
    argv += data.draw(st.sampled_from([[], ["--set", "run.warmup_weeks=13"], ["--help"]]))
    err = io.StringIO()
    with time_limit(), contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = game.cli.main(argv)
        except SystemExit as stop:  # argparse's own exit, as `samenspel play` turns it into
            code = stop.code
    assert "Traceback" not in err.getvalue()
    assert code in (0, 2), (code, err.getvalue())
    assert (code == 2) == ("error:" in err.getvalue()), err.getvalue()
    assert not (code == 2 and opened), "a window opened for a command that was refused"


def _command() -> list[str]:
    script = Path(sys.executable).parent / "samenspel"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "lab.cli"]


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy",
            "SAMENSPEL_SAVE_DIR": str(tmp_path / "saves"), "MPLBACKEND": "Agg"}


def test_play_refuses_bad_arguments_before_a_window_opens(tmp_path) -> None:
    """One that used to hang (the window waited on an error it never showed), one that crashed."""
    for argv in (["--scenario", "nope", "--autoplay", "1"], ["--seed", "-1"]):
        start = time.monotonic()
        done = subprocess.run([*_command(), "play", *argv], capture_output=True, text=True,
                              cwd=ROOT, timeout=60, env=_env(tmp_path))
        assert done.returncode == 2 and time.monotonic() - start < 30, done.stderr
        assert "samenspel play: error:" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "saves").exists(), "a refused command wrote something"


def test_a_bug_during_play_is_one_line_with_a_log_next_to_the_kept_save(save_dir, capsys,
                                                                         monkeypatch):
    save_dir.mkdir(parents=True)
    (save_dir / "autosave.json").write_text("{}")
    before = (save_dir / "autosave.json").read_bytes()

    def broken(*_a, **_k):
        raise KeyError("planted")

    monkeypatch.setattr(game.cli, "autoplay", broken)
    code = game.cli.main(["--autoplay", "1", "--set", "run.warmup_weeks=13"])
    err = capsys.readouterr().err
    assert code == 70 and len(err.strip().splitlines()) == 1, err
    assert "internal error" in err and "Traceback" not in err and "kept" in err
    logs = list(save_dir.glob("crash-*.log"))
    assert len(logs) == 1 and "KeyError: 'planted'" in logs[0].read_text()
    assert (save_dir / "autosave.json").read_bytes() == before


# ---------------------------------------------------------------- killed during play


def test_a_game_killed_at_random_moments_always_continues_from_its_save(tmp_path) -> None:
    """SIGKILL during autoplay, at seeded random moments after the first autosave."""
    rng = random.Random(11)
    saves = tmp_path / "saves"
    argv = [*_command(), "play", "--autoplay", "3", "--teams", "2", "--set",
            "run.warmup_weeks=13"]
    seen_progress: set[tuple] = set()
    for window in ((0.0, 0.7), (0.7, 2.5), (2.5, 4.5)):  # early, mid and late in the game
        proc = subprocess.Popen(argv, cwd=ROOT, env=_env(tmp_path), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        path = saves / "autosave.json"
        deadline = time.monotonic() + 60
        while not path.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(*window))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert b"Traceback" not in proc.stderr.read()
        proc.stderr.close()
        data = save.read(path)  # always loadable: written atomically
        session = save.restore(data)
        seen_progress.add((data["round"], data["team_index"], data["finished"],
                           tuple(t["weeks_played"] for t in data["teams"])))
        if not session.finished:  # and the game goes on from there
            play_quarter(session, ("integral",) if not session.team.cards[session.round]
                         else ())
        path.unlink()
    print("killed at (round, team, finished, weeks played):", sorted(seen_progress))


# ---------------------------------------------------------------- a storm of input


KEYS = [pygame.K_RETURN, pygame.K_SPACE, pygame.K_ESCAPE, pygame.K_TAB, pygame.K_BACKSPACE,
        pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_4, pygame.K_5, pygame.K_PERIOD,
        pygame.K_t, pygame.K_i, pygame.K_b, pygame.K_m, pygame.K_l, pygame.K_e, pygame.K_a,
        pygame.K_LEFT, pygame.K_RIGHT, pygame.K_UP, pygame.K_DOWN, pygame.K_F11, pygame.K_F1,
        pygame.K_DELETE, pygame.K_HOME, pygame.K_END, pygame.K_PAGEUP, pygame.K_PAGEDOWN]
TEXTS = ["a", "Team Ω", "😀", "x" * 300, "\x00", "\t", " ", "12345678901234567890", "é"]


def random_event(rng: random.Random, size: tuple[int, int]) -> pygame.event.Event:
    w, h = size
    pos = (rng.randrange(-20, w + 20), rng.randrange(-20, h + 20))
    kind = rng.choices(["click", "move", "key", "text", "wheel", "resize", "focus"],
                       [40, 20, 25, 6, 5, 2, 2])[0]
    if kind == "click":
        button = rng.choice([1, 1, 1, 2, 3])
        return pygame.event.Event(rng.choice([pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP]),
                                  pos=pos, button=button)
    if kind == "move":
        return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
    if kind == "key":
        mod = rng.choice([0, 0, 0, pygame.KMOD_CTRL, pygame.KMOD_SHIFT])
        return pygame.event.Event(rng.choice([pygame.KEYDOWN, pygame.KEYDOWN, pygame.KEYUP]),
                                  key=rng.choice(KEYS), mod=mod, unicode="", scancode=0)
    if kind == "text":
        return pygame.event.Event(pygame.TEXTINPUT, text=rng.choice(TEXTS))
    if kind == "wheel":
        return pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=rng.choice([-3, -1, 1, 3]),
                                  precise_x=0.0, precise_y=1.0, flipped=False)
    if kind == "resize":
        size = (rng.choice([100, 960, 1280, 1920]), rng.choice([100, 540, 720, 1080]))
        return pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size)
    return pygame.event.Event(pygame.WINDOWFOCUSLOST)


@pytest.mark.parametrize("seed, events", [(1, 1_200), pytest.param(2, 10_000,
                                                                  marks=pytest.mark.slow)])
def test_a_storm_of_random_input_through_the_real_scenes(seed, events, save_dir) -> None:
    """Random events through the real scenes, with a nudge now and then to the next scene."""
    rng = random.Random(seed)
    app = make_app(lang=rng.choice(["nl", "en"]))
    scenes: set[str] = {type(app.ctx.top).__name__}
    with time_limit(600):
        for n in range(events):
            pygame.event.post(random_event(rng, app.ctx.size))
            if n % 8 == 0:
                frames(app, 1, dt=rng.choice([1 / 60, 1 / 30, 1 / 10]))
            if n % 200 == 0:  # a nudge: start, or move past a summary or a hand-over
                top = app.ctx.top
                start = getattr(top, "start_button", None)
                if start is not None and start.is_enabled:
                    click(app, start.rect.center)
                else:
                    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN,
                                                         mod=0, unicode="", scancode=0))
            scenes.add(type(app.ctx.top).__name__)
        frames(app, 3)
    assert app.ctx.stack
    assert {"TitleScene", "PlayScene"} <= scenes, scenes
    if save.autosave_path().exists():  # what random play saved is a save the schema accepts
        save.read()
    pygame.quit()
