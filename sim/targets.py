"""The game's visible targets: help within a few weeks, 90 % continuing without help, 8.5.

The aspiration the project comes from, kept apart from the KPI code so that what
only prints or checks a target (the command line's help and headlines, the
game's tiles) does not load the data collector with it.
"""

from __future__ import annotations

TARGET_WAIT_WEEKS = 4.0
TARGET_WITHOUT_HELP = 0.9
TARGET_RATING = 8.5
