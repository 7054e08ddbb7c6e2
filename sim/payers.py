"""Who pays for care in each domain, by law, and which money is the municipality's own.

Youth care is paid by the municipality under the Jeugdwet, which sets a duty
to provide (jeugdhulpplicht): the municipality overspends rather than refuses.
Wmo support and debt help are the municipality's too, under their own rules;
the Wet gemeentelijke schuldhulpverlening sets response times (a first
conversation within 4 weeks, 3 working days when urgent) rather than a cap.
Adult mental health care and addiction care (ouder-ggz) are paid by the
health insurer under the Zvw: its waits are set by the capacity the insurer
contracts, and no municipal budget buys them down. Help with school absence
is paid by the samenwerkingsverband passend onderwijs from its own budget.

Pooling (ontschotten) and the municipality's caps act only on its own money;
the others' budgets are booked beside it, never in the municipal pot.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from sim.domains import SILOS


class Payer(StrEnum):
    GEMEENTE = "gemeente"
    ZORGVERZEKERAAR = "zorgverzekeraar"
    SAMENWERKINGSVERBAND = "samenwerkingsverband"


@dataclass(frozen=True)
class Funder:
    """The payer of one silo and the law under which it pays."""

    payer: Payer
    law: str
    duty: bool  # the law sets a duty to provide: the payer overspends rather than refuses


FUNDERS = {
    "jeugd": Funder(Payer.GEMEENTE, "Jeugdwet", duty=True),
    "wmo": Funder(Payer.GEMEENTE, "Wmo 2015", duty=False),
    "schuldhulp": Funder(Payer.GEMEENTE, "Wet gemeentelijke schuldhulpverlening", duty=False),
    "onderwijs": Funder(Payer.SAMENWERKINGSVERBAND, "Wet passend onderwijs", duty=False),
    "zvw": Funder(Payer.ZORGVERZEKERAAR, "Zorgverzekeringswet", duty=False),
}
MUNICIPAL = np.array([FUNDERS[s].payer == Payer.GEMEENTE for s in SILOS])
MUNICIPAL_SILOS = tuple(s for s in SILOS if FUNDERS[s].payer == Payer.GEMEENTE)
DEBT = SILOS.index("schuldhulp")


def is_municipal(silo: str) -> bool:
    return FUNDERS[silo].payer == Payer.GEMEENTE
