"""One error path for every entry point: run, validate, play, saves (and later the lab and cases).

A failure is one of two kinds, told apart by its type:

- a `UserError`: something the user can fix - a flag, a file, a key, a value, a
  save. Its messages name where (the file or the flag), the key, the value given
  and what is allowed. It is shown as `<prog>: error: <message>` and ends with
  exit code 2; the entry point has written nothing by then.
- anything else is a bug. One line says so and where the details are; the
  traceback goes to a log file that the front end places (next to the save, or
  with the run's results), and what the user had (a save, results) is kept.

This module only decides and words: it writes no file itself, so that the model
package stays free of I/O. A front end passes `write_log`, which stores the
report and returns its path.
"""

from __future__ import annotations

import contextlib
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

EXIT_OK = 0
EXIT_USAGE = 2  # the user's mistake, explained
EXIT_BUG = 70  # sysexits' EX_SOFTWARE: an internal error, logged
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 1
SHOW_CHARS = 60  # a value longer than this is cut short in a message


class UserError(Exception):
    """A mistake the user can fix, explained in one or more complete sentences.

    `messages` holds one sentence per problem, so a command can list every
    problem at once; str() joins them with newlines.
    """

    def __init__(self, *messages: str) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


def shorten(text: str, limit: int = SHOW_CHARS) -> str:
    """A text cut to `limit` characters with its full length, so a message stays one line."""
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


def report(prog: str, exc: UserError, stream: TextIO | None = None) -> int:
    """Show a user error, one `prog: error:` line per sentence; return exit code 2."""
    stream = stream or sys.stderr
    for message in exc.messages or [""]:
        for line in message.splitlines() or [""]:
            print(f"{prog}: error: {line}", file=stream)
    return EXIT_USAGE


def crash_text(exc: BaseException, argv: Sequence[str] | None = None) -> str:
    """The body of a crash log: when, on what, with which arguments, and the traceback."""
    head = [
        f"time: {time.strftime('%Y-%m-%d %H:%M:%S')}",
        f"python: {platform.python_version()} on {platform.platform()}",
        f"arguments: {list(sys.argv if argv is None else argv)!r}",
        "",
    ]
    return "\n".join(head) + "".join(traceback.format_exception(exc))


def crash_name() -> str:
    """A log file name that sorts by time and does not collide between processes."""
    return f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"


def bug(prog: str, exc: BaseException, log: Path | None, kept: str = "",
        stream: TextIO | None = None) -> int:
    """Say in one line that this is a bug and where its traceback is; return exit code 70."""
    stream = stream or sys.stderr
    what = shorten(f"{type(exc).__name__}: {exc}", 200)
    where = f"details in {log}" if log else "no log could be written"
    tail = f" {kept}" if kept else ""
    print(f"{prog}: internal error (a bug, not your mistake): {what}; {where}.{tail}",
          file=stream)
    return EXIT_BUG


def silence_stdout() -> None:
    """Point stdout at /dev/null so Python's flush at exit does not fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def guarded(prog: str, body: Callable[[], int], *,
            write_log: Callable[[str], Path | None],
            kept: Callable[[], str] = lambda: "") -> int:
    """Run an entry point's body and turn every way it can end into an exit code.

    `write_log(text)` stores a crash report and returns its path (None if it
    could not); `kept()` words what the user still has (e.g. the last autosave).
    """
    try:
        return body()
    except UserError as exc:
        return report(prog, exc)
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `samenspel run ... | head`: the reader went away
        silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # noqa: BLE001 - the one place a bug is caught, logged, shown
        try:
            log = write_log(crash_text(exc))
        except Exception:  # noqa: BLE001 - a failing log must not hide the first error
            log = None
        try:
            note = kept()
        except Exception:  # noqa: BLE001
            note = ""
        return bug(prog, exc, log, note)
