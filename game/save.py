"""Saved sessions: plain versioned JSON, written atomically, never pickle.

A save holds what is needed to rebuild a session exactly: scenario name and
overrides, seed, and per team the action log, pending cards, cards played,
predictions and weeks played. Restoring rebuilds each model with the same
warm-up and replays the log. A save that cannot be read is reported and left
exactly as it is: we never overwrite or delete a file we could not read.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from game.session import Session, run_all
from sim.scenario import ScenarioError

FORMAT = "samenspel-save"
VERSION = 1
AUTOSAVE = "autosave.json"


class SaveError(Exception):
    """A save that cannot be used; `key` is the translation key of the message."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(f"{key}: {detail}")
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


def to_data(session: Session) -> dict[str, Any]:
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
            "pending": team.pending, "cards": team.cards, "predictions": team.predictions,
        } for team in session.teams],
    }


def write(session: Session, path: Path | None = None) -> Path:
    """Write atomically: a temporary file in the same folder, then os.replace."""
    path = Path(path or autosave_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(to_data(session), indent=1, default=_plain)
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
    return path


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"cannot save {type(value).__name__}")


def read(path: Path | None = None) -> dict[str, Any]:
    """The checked data of a save; raises SaveError and never touches the file."""
    path = Path(path or autosave_path())
    if not path.exists():
        raise SaveError("save.missing", str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SaveError("save.corrupt", f"{path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SaveError("save.corrupt", f"{path}: not a Samenspel save")
    if data.get("version") != VERSION:
        raise SaveError("save.incompatible", f"{path}: version {data.get('version')!r}, "
                        f"this game reads version {VERSION}")
    try:
        _check(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise SaveError("save.corrupt", f"{path}: {exc}") from None
    return data


def _check(data: dict[str, Any]) -> None:
    str(data["scenario"])
    int(data["seed"])
    if not 1 <= len(data["teams"]) <= 6:
        raise ValueError("1-6 teams expected")
    for team in data["teams"]:
        str(team["name"])
        if int(team["weeks_played"]) < 0:
            raise ValueError("negative weeks")
        for a in team["actions"]:
            int(a["week"])
            str(a["kind"])
        list(team["cards"])


def restore(data: dict[str, Any]) -> Session:
    """Rebuild the session: same scenario, seed, warm-up and replayed actions."""
    return run_all(restore_steps(data))


def restore_steps(data: dict[str, Any]):
    """`restore` as a generator of progress fractions (for the loading screen)."""
    try:
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
            team.predictions = [dict(p) for p in saved["predictions"]]
            team.pending = [dict(p) for p in saved["pending"]]
            weeks = int(saved["weeks_played"])
            for j, _ in enumerate(session.restore_team_steps(
                    team, [dict(a) for a in saved["actions"]], weeks)):
                yield min(1.0, (i + min(j * 26 / (session.warmup + weeks + 1), 1.0)) / n)
    except Exception as exc:  # a log the model refuses: report, do not crash
        raise SaveError("save.corrupt", f"{type(exc).__name__}: {exc}") from None
    if not session.finished:
        session._begin_turn()
    return session


def load(path: Path | None = None) -> Session:
    return restore(read(path))
