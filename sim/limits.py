"""What a run may ask for: the bounds behind every size that allocates, and why.

The sizes are chosen from what a 24 GiB machine holds. A scenario is checked
against an estimate of the memory its run needs (`sim.scenario.memory_need`)
before any model is built, so a value that passes validation never asks for
more memory than there is. The per-item figures are measured with tracemalloc
on the baseline model (numbers in brackets) and rounded up for headroom:

- a family's arrays: about 800 bytes [~800 at 200,000 families];
- the history a family leaves per simulated week (episodes, events, weekly
  KPI rows): about 6 bytes [5.5-7.9 over 600 weeks of 25,000 families];
- each stored trust tie (a pair of professionals who worked together, see
  sim/trust.py): the pair, its strength and a week's temporaries, about 170
  bytes at peak [380,000 ties among 3,000 professionals]. A professional
  gathers a tie about every 30 weeks in the baseline [0.013-0.026 ties per
  professional-week, 25,000 and 100,000 families], more with intervision; a
  tie unused for at most about 1,400 weeks is forgotten;
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
BYTES_PER_TIE = 200  # how long a tie is kept: sim.trust.MEMORY_WEEKS
BYTES_PER_IDEA = 250  # plus one byte per professional (twice while the table grows)

# Every idea tried is tracked for every professional, and each week the spread
# compares every professional with every idea in use: memory and time grow with
# the square of the staff. 20,000 is about eight times the staff of the largest
# Dutch municipality (Amsterdam: about 83,000 families, 2,500 professionals).
MAX_PROFESSIONALS = 20_000

MAX_NAME_CHARS = 100  # run.name: it becomes the output folder's name (filesystems allow 255)
MAX_TEXT_CHARS = 2_000  # any other text in a scenario (a description is a sentence or two)
MAX_LIST_ITEMS = 100  # a list or table in a scenario (the longest real one has 8)
MAX_SCENARIO_BYTES = 1 * 2**20  # a scenario file is a few kilobytes
MAX_EXTENDS_DEPTH = 16  # files extending files extending files ...
MAX_OVERRIDE_CHARS = 1_000  # one --set key=value
MAX_OVERRIDES = 200  # --set given this many times
MAX_PATH_CHARS = 4_096  # a file or folder given on the command line (Linux's PATH_MAX)
