"""Saved sessions: plain versioned JSON, written atomically, never pickle.

A save holds what is needed to rebuild a session exactly: scenario name and
overrides, seed, and per team the action log, pending cards, cards played,
predictions and weeks played. Restoring rebuilds each model with the same
warm-up and replays the log. A save is checked against its schema
(`game.save_schema`) before anything is built from it. A save that cannot be
read is reported and left exactly as it is: we never overwrite or delete a
file we could not read - when a new game autosaves over it, it is first moved
aside under a name that says so.

Writing never stops the game: a folder that cannot be written is reported
(`last_error`, and once on stderr) and play goes on.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from game import save_schema
from game.session import Session, run_all
from sim.errors import UserError, shorten
from sim.scenario import ScenarioError, check_runnable, load_scenario

FORMAT = "samenspel-save"
VERSION = 1
AUTOSAVE = "autosave.json"
MAX_SAVE_BYTES = 16 * 2**20  # a save holds action logs: tens of kilobytes at most
STALE_TEMP_S = 60.0  # a temporary file this old was left by a killed game
# Shown on the command line; the game shows the translation of `key` instead.
ENGLISH = {
    "save.missing": "there is no saved game yet.",
    "save.corrupt": "this save cannot be loaded: it is damaged or not a Samenspel save.",
    "save.incompatible": "this save cannot be loaded: it comes from another version.",
    "save.scenario": "this save cannot be loaded: its scenario cannot be played.",
    "save.folder": "the save folder cannot be used.",
}
last_error: str = ""  # why the last autosave failed; empty when it worked


class SaveError(UserError):
    """A save that cannot be used; `key` is the translation key of the message."""

    def __init__(self, key: str, detail: str = "") -> None:
        head = ENGLISH.get(key, key)
        tail = " It was left untouched; start a new game." if key != "save.folder" else ""
        super().__init__(f"{head} {detail}{tail}".strip())
        self.key = key
        self.detail = detail


def save_dir() -> Path:
    env = os.environ.get("SAMENSPEL_SAVE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "samenspel"


def autosave_path() -> Path:
    env = os.environ.get("SAMENSPEL_SAVE_FILE")
    return Path(env) if env else save_dir() / AUTOSAVE


def _origin() -> str:
    """Where the save location comes from, for a message."""
    if os.environ.get("SAMENSPEL_SAVE_FILE"):
        return "SAMENSPEL_SAVE_FILE or --save"
    if os.environ.get("SAMENSPEL_SAVE_DIR"):
        return "SAMENSPEL_SAVE_DIR or --save"
    return "the default; set SAMENSPEL_SAVE_DIR or give --save for another"


def check_location() -> None:
    """Before a game starts: can the autosave be written where it will go?

    Creates nothing: the folder is made at the first autosave. A file where the
    folder should be, a folder or device where the save should be, or a folder
    that cannot be written is a SaveError naming the path and where it came from.
    """
    path = autosave_path()
    where = f"{shorten(str(path), 200)} ({_origin()})"
    try:
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):
            raise SaveError("save.folder", f"The autosave {where} is not a regular file; "
                                           "give a .json file or a folder for --save.")
        folder = path.parent
        while not folder.exists():
            folder = folder.parent
        if not folder.is_dir():
            raise SaveError("save.folder", f"{shorten(str(folder), 200)} is a file, so the "
                                           f"autosave {where} cannot go there; give a folder.")
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise SaveError("save.folder", f"The autosave {where} cannot be written: "
                                       f"{exc.strerror or exc}; give a folder you can write "
                                       "to.") from None


def to_data(session: Session) -> dict[str, Any]:
    """The save's data, of whole weeks only (a week in progress is finished first)."""
    session.finish_week()
    return {
        "format": FORMAT, "version": VERSION,
        "scenario": session.scenario_name, "overrides": session.overrides,
        "seed": session.seed, "rounds": session.rounds,
        "round": session.round, "team_index": session.team_index,
        "finished": session.finished,
        "teams": [{
            "name": team.name,
            "weeks_played": team.model.week - session.warmup,
            # logged, plus those replayed but due in a week not yet run
            "actions": [dict(a) for a in team.model.action_log] + team.model.pending_actions,
            "pending": team.pending, "cards": team.cards, "events": team.events,
            "predictions": team.predictions,
        } for team in session.teams],
        **({"facilitator": session.facilitator.state_data()} if session.facilitator else {}),
    }


def write(session: Session, path: Path | None = None) -> Path | None:
    """Autosave; return the path, or None (and set `last_error`) when it cannot be written.

    Atomic: a temporary file in the same folder, flushed to disk, then
    os.replace, so a game killed at any moment leaves the old save or the new
    one, never half of one. A file there that is not a readable save is moved
    aside first, never overwritten.
    """
    global last_error
    path = Path(path or autosave_path())
    text = json.dumps(to_data(session), indent=1, default=_plain)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep_temp(path.parent)
        _set_aside_unreadable(path)
        _write_atomic(path, text)
    except OSError as exc:
        reason = f"{shorten(str(path), 200)}: {exc.strerror or exc}"
        if reason != last_error:
            print(f"samenspel play: warning: the game could not be saved to {reason}; "
                  "play goes on, but it cannot be continued later.", file=sys.stderr)
        last_error = reason
        return None
    last_error = ""
    return path


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".save-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # the rename itself survives a power cut too
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _sweep_temp(folder: Path) -> None:
    """Remove temporary files a killed game left behind (older than a minute)."""
    now = time.time()
    for tmp in folder.glob(".save-*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > STALE_TEMP_S:
                tmp.unlink()


def _set_aside_unreadable(path: Path) -> None:
    """A file at the autosave's place that is not a save we can read keeps its bytes."""
    if not path.exists() and not path.is_symlink():
        return
    try:
        read(path)
    except SaveError:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        os.replace(path, path.with_name(f"{path.stem}.unreadable-{stamp}{path.suffix}"))


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"cannot save {type(value).__name__}")


def read(path: Path | None = None) -> dict[str, Any]:
    """The checked data of a save; raises SaveError and never touches the file."""
    path = Path(path or autosave_path())
    shown = shorten(str(path), 200)
    return check(_parse(path, shown), shown)


def check(data: Any, shown: str = "the save") -> dict[str, Any]:
    """The data of a save, checked: its format, its version, then every field (SaveError)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SaveError("save.corrupt", f"{shown}: not a Samenspel save.")
    if data.get("version") != VERSION or isinstance(data.get("version"), bool):
        raise SaveError("save.incompatible", f"{shown}: version "
                        f"{shorten(repr(data.get('version')))}, this game reads version "
                        f"{VERSION}.")
    try:
        save_schema.check(data)
    except save_schema.Invalid as exc:
        raise SaveError("save.corrupt", f"{shown}: {exc}.") from None
    return data


def _parse(path: Path, shown: str) -> Any:
    """The JSON of a regular file of sensible size; devices, pipes and folders are refused."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SaveError("save.missing", shown) from None
    except (OSError, ValueError) as exc:
        raise SaveError("save.corrupt", f"{shown}: {getattr(exc, 'strerror', '') or exc}.") \
            from None
    if not stat.S_ISREG(info.st_mode):
        raise SaveError("save.corrupt", f"{shown}: not a regular file.")
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_SAVE_BYTES + 1)
    except OSError as exc:
        raise SaveError("save.corrupt", f"{shown}: {exc.strerror or exc}.") from None
    if len(raw) > MAX_SAVE_BYTES:
        raise SaveError("save.corrupt", f"{shown}: larger than {MAX_SAVE_BYTES // 2**20} MiB, "
                                        "which no saved game is.")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SaveError("save.corrupt", f"{shown}: not UTF-8 text.") from None
    except ValueError as exc:  # bad JSON, or a number of more than 4300 digits
        raise SaveError("save.corrupt", f"{shown}: not valid JSON ({shorten(str(exc), 120)})."
                        ) from None
    except RecursionError:
        raise SaveError("save.corrupt", f"{shown}: nested hundreds of levels deep.") from None


def restore(data: dict[str, Any]) -> Session:
    """Rebuild the session: same scenario, seed, warm-up and replayed actions."""
    return run_all(restore_steps(data))


def _scenario_fits(data: dict[str, Any]) -> None:
    """The saved scenario still loads and a whole game of it fits in memory, for every team."""
    scenario = load_scenario(data["scenario"], data["overrides"] or None)
    weeks = scenario.run.warmup_weeks + save_schema.ROUND_WEEKS * data["rounds"]
    check_runnable(scenario, weeks, models=len(data["teams"]), where="the saved game")


def restore_steps(data: dict[str, Any]):
    """`restore` as a generator of progress fractions (for the loading screen).

    Checks the data again, so nothing is ever built from a save that skipped `read`.
    """
    check(data)
    try:
        _scenario_fits(data)
        session = Session(data["scenario"], int(data["seed"]),
                          [t["name"] for t in data["teams"]], int(data["rounds"]),
                          data.get("overrides") or None)
    except ScenarioError as exc:
        raise SaveError("save.scenario", str(exc)) from None
    session.round = int(data["round"])
    session.team_index = int(data["team_index"])
    session.finished = bool(data.get("finished", False))
    try:
        n = len(session.teams)
        for i, (team, saved) in enumerate(zip(session.teams, data["teams"], strict=True)):
            team.cards = [list(r) for r in saved["cards"]]
            team.events = [list(r) for r in saved.get("events", [])]
            team.predictions = [dict(p) for p in saved["predictions"]]
            team.pending = [dict(p) for p in saved["pending"]]
            weeks = int(saved["weeks_played"])
            for j, _ in enumerate(session.restore_team_steps(
                    team, [dict(a) for a in saved["actions"]], weeks)):
                yield min(1.0, (i + min(j * 26 / (session.warmup + weeks + 1), 1.0)) / n)
    except Exception as exc:  # noqa: BLE001 - a log the model refuses: report, do not crash
        raise SaveError("save.corrupt", shorten(f"{type(exc).__name__}: {exc}", 300)) from None
    if "facilitator" in data:  # teams that play at the same time, and the base run
        from game.facilitator import Facilitator, base_steps

        base = yield from base_steps(session)
        Facilitator(session, base, data["facilitator"])
    if not session.finished:
        session._begin_turn()
    return session


def load(path: Path | None = None) -> Session:
    return restore(read(path))
