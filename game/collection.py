"""Python's full garbage collections kept out of a running quarter.

A long game keeps every ended episode and care start as a record (sim/records.py),
and a record is an object Python's collector tracks. Its full collections scan
them all: in a 25,000-family game they came every second or so and each froze
the screen for 20 ms at first and over 100 ms later in the game. None of those
records is ever garbage.

So while a quarter runs, what existed when it began is set aside (`gc.freeze`):
the collector then scans only what the quarter itself made. When the quarter
ends (the summary is on screen and nothing moves) or the game leaves the play
screen, it is given back and one full collection frees what became garbage
meanwhile, such as the model of a game that was left.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """A quarter runs: leave what exists now out of the collector's scans."""
    global _held
    if not _held:
        gc.freeze()
        _held = True


def release() -> None:
    """The quarter is over: collect everything again, once, now."""
    global _held
    if _held:
        _held = False
        gc.unfreeze()
        gc.collect()


def held() -> bool:
    return _held
