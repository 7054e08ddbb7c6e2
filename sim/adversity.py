"""Adverse childhood experiences (ACEs): which kinds the model knows, and what they touch.

The ACE studies count the *kinds* of adversity a child lived through (abuse or
violence at home, a parent with a mental illness or an addiction, neglect),
not the weeks it lasted: the risk rises with the number of kinds (a dose-response
over categories). The model does the same. A kind is recorded for a child in
toxic stress while that adversity is present in the home (the domain above the
signal threshold), once; so a family left waiting in an unsafe home carries a
lasting mark, but the mark is bounded, as the score is.

ACEs are the child's. They raise the chance that the child's own problems
begin (child mental health, school absence) and the chance of a crisis, not
the parents' debt or housing. They do not speed the growth of a problem
already there: that growth follows the home (the coupling from an unsafe
home to child mental health), and multiplying it again made a family left in
an unsafe home count twice.
"""

from __future__ import annotations

import numpy as np

from sim.domains import Domain

# The kinds, in bit order of `FamilyArrays.ace_kinds`.
ACE_KINDS = (Domain.VEILIGHEID, Domain.OUDER_GGZ, Domain.OPVOEDING)
ACE_KIND_KEYS = tuple(d.key for d in ACE_KINDS)
MAX_ACES = len(ACE_KINDS)

# The child's own problems that ACEs make more likely (not disability, which is not
# acquired this way; sim/model.py's CHILD_DOMAINS, the problems of one child, has it).
RAISED_DOMAINS = (Domain.JEUGD_GGZ, Domain.SCHOOLVERZUIM)
RAISED_COLUMNS = np.array(RAISED_DOMAINS, dtype=np.intp)  # their columns of the severity

_POPCOUNT = np.array([bin(b).count("1") for b in range(1 << MAX_ACES)], dtype=np.float64)


def record(kinds: np.ndarray, toxic: np.ndarray, severity: np.ndarray, present: float) -> None:
    """Add this week's kinds to `kinds` (in place): a kind counts for a family in toxic
    stress (`toxic`) whose severity in that domain is at least `present`."""
    rows = np.flatnonzero(toxic)  # the few families in toxic stress this week
    for bit, domain in enumerate(ACE_KINDS):
        kinds[rows[severity[rows, domain] >= present]] |= np.uint8(1 << bit)


def score(kinds: np.ndarray) -> np.ndarray:
    """The ACE score of each bit mask in `kinds`: how many kinds it holds (as floats)."""
    return _POPCOUNT[kinds]


def bits_of(keys: tuple[str, ...] | list[str]) -> int:
    """The bit mask of ACE kinds named by their domain keys (for a case family)."""
    return sum(1 << ACE_KIND_KEYS.index(k) for k in set(keys))
