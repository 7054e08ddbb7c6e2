"""What a run may ask for: the bounds behind every size that allocates, and why.

The sizes are chosen from what a 24 GiB machine holds. A scenario is checked
against an estimate of the memory its run needs (`sim.scenario.memory_need`)
before any model is built, so a value that passes validation never asks for
more memory than there is. The per-item figures are measured with tracemalloc
on the baseline model (numbers in brackets) and rounded up for headroom:

- a family's arrays: about 800 bytes [~800 at 200,000 families];
- the history a family leaves per simulated week (episodes, events, weekly
  KPI rows): about 6 bytes [5.5-7.9 over 600 weeks of 25,000 families];
- each pair of professionals: the trust tie, its floor, the cross-organisation
  mask and a week's temporaries, about 29 bytes at peak [2,050 professionals];
- each idea tried: its record, and one flag per professional for who uses it.

Texts and files have bounds too, so that a message, a folder name or a parser
never has to deal with megabytes where a line was meant.
"""

from __future__ import annotations

GIB = 2**30
MACHINE_GIB = 24
# Room left for Python itself, pandas and matplotlib when results are written, and the OS.
MEMORY_LIMIT_GIB = 20

BYTES_PER_FAMILY = 1_000
BYTES_PER_FAMILY_WEEK = 8
BYTES_PER_PROFESSIONAL_PAIR = 40
BYTES_PER_IDEA = 250  # plus one byte per professional (twice while the table grows)

# 20,000 professionals: 20,000² pairs x 40 bytes = 14.9 GiB of trust network.
MAX_PROFESSIONALS = 20_000

MAX_NAME_CHARS = 100  # run.name: it becomes the output folder's name (filesystems allow 255)
MAX_TEXT_CHARS = 2_000  # any other text in a scenario (a description is a sentence or two)
MAX_LIST_ITEMS = 100  # a list or table in a scenario (the longest real one has 8)
MAX_SCENARIO_BYTES = 1 * 2**20  # a scenario file is a few kilobytes
MAX_EXTENDS_DEPTH = 16  # files extending files extending files ...
MAX_OVERRIDE_CHARS = 1_000  # one --set key=value
MAX_OVERRIDES = 200  # --set given this many times
MAX_PATH_CHARS = 4_096  # a file or folder given on the command line (Linux's PATH_MAX)
