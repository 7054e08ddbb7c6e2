"""The server's save: the join codes and the facilitator's session, in one file.

Written after every accepted action with `game.save`'s atomic writer (a
temporary file, fsync, rename), so a server killed at any moment leaves the
previous save or the new one. A restart with the same file resumes: the same
codes (a team's code keeps working) and the same state, rebuilt by the
facilitator from seed and action logs. A file that cannot be read is reported
and left exactly as it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from game import save
from game.web.codes import Codes
from sim.errors import UserError, shorten

FORMAT = "samenspel-web"
VERSION = 1


class StoreError(UserError):
    """A server save that cannot be used; the file is left untouched."""


def to_data(codes: Codes, facilitator: Any) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "codes": codes.to_data(),
            "facilitator": facilitator.to_data()}


def dumps(codes: Codes, facilitator: Any) -> str:
    """The save as text: a snapshot that later play cannot change (the data shares lists)."""
    return json.dumps(to_data(codes, facilitator), indent=1, default=save._plain)


def write(path: Path, text: str) -> None:
    """Atomically; OSError for the caller to report (the session goes on)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    save._write_atomic(path, text)


def read(path: Path) -> dict[str, Any]:
    """The checked outer layer of a server save; StoreError naming what is wrong."""
    shown = shorten(str(path), 200)
    try:
        data = save._parse(path, shown)
    except save.SaveError as exc:
        raise StoreError(f"{shown} cannot be resumed: {exc.detail or exc}; the file was left "
                         "untouched; give another --save to start a new session.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError(f"{shown} is not a save of `samenspel serve` (its 'format' is not "
                         f"{FORMAT!r}); the file was left untouched; give another --save.")
    if data.get("version") != VERSION or isinstance(data.get("version"), bool):
        raise StoreError(f"{shown}: version {shorten(repr(data.get('version')))}, this server "
                         f"reads version {VERSION}; the file was left untouched.")
    if set(data) != {"format", "version", "codes", "facilitator"}:
        raise StoreError(f"{shown} must hold exactly 'format', 'version', 'codes' and "
                         f"'facilitator', not {sorted(map(str, data))}; it was left untouched.")
    return data


def restore(path: Path, facilitator_class: Any) -> tuple[Codes, Any]:
    """Codes and facilitator from a server save, rebuilt and replayed; StoreError if not."""
    data = read(path)
    shown = shorten(str(path), 200)
    try:
        facilitator = facilitator_class.from_data(data["facilitator"])
    except UserError as exc:
        raise StoreError(f"{shown} cannot be resumed: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - data a session refuses: report, never crash
        raise StoreError(f"{shown} cannot be resumed: its session is damaged "
                         f"({shorten(f'{type(exc).__name__}: {exc}', 200)}); the file was "
                         "left untouched.") from None
    try:
        codes = Codes.from_data(data["codes"], len(facilitator.session.teams))
    except ValueError as exc:
        raise StoreError(f"{shown} cannot be resumed: {exc}; the file was left untouched."
                         ) from None
    return codes, facilitator
