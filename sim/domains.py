"""The eight problem domains, how they feed each other, and which budget silo pays for each.

The coupling matrix encodes the clustering the field describes: debt raises
parental stress, parental stress raises parenting problems, parenting problems
raise school absence. Root causes (debt, safety, parental mental health) are
the domains a trajectbegeleider treats first, because leaving them untreated
keeps feeding the rest.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Domain(IntEnum):
    OPVOEDING = 0  # parenting
    JEUGD_GGZ = 1  # child mental health
    OUDER_GGZ = 2  # parental mental health or addiction
    SCHULDEN = 3  # debt
    SCHOOLVERZUIM = 4  # school absence
    BEPERKING = 5  # disability
    VEILIGHEID = 6  # safety at home
    WONEN = 7  # housing and neighbours

    @property
    def key(self) -> str:
        return self.name.lower()

    @classmethod
    def from_key(cls, key: str) -> Domain:
        return cls[key.upper()]


N_DOMAINS = len(Domain)
DOMAIN_KEYS = tuple(d.key for d in Domain)

ROOT_CAUSES = (Domain.SCHULDEN, Domain.VEILIGHEID, Domain.OUDER_GGZ)
ROOT_MASK = np.array([d in ROOT_CAUSES for d in Domain])

# Youth-care domains: care in these counts as jeugdhulp in the calibration figures.
YOUTH_DOMAINS = (Domain.OPVOEDING, Domain.JEUGD_GGZ, Domain.BEPERKING, Domain.VEILIGHEID)
YOUTH_MASK = np.array([d in YOUTH_DOMAINS for d in Domain])

# Budget silos; who pays each, and under which law, is in sim/payers.py. "zvw" is the
# health insurer's (adult mental health), added last so the others keep their index.
SILOS = ("jeugd", "wmo", "schuldhulp", "onderwijs", "zvw")
SILO_OF = {
    Domain.OPVOEDING: "jeugd", Domain.JEUGD_GGZ: "jeugd", Domain.BEPERKING: "jeugd",
    Domain.VEILIGHEID: "jeugd", Domain.OUDER_GGZ: "zvw", Domain.WONEN: "wmo",
    Domain.SCHULDEN: "schuldhulp", Domain.SCHOOLVERZUIM: "onderwijs",
}
SILO_INDEX = np.array([SILOS.index(SILO_OF[d]) for d in Domain])


def coupling_matrix() -> np.ndarray:
    """W[i, j]: how much severity in domain i feeds growth in domain j (0-1).

    Rows are sources, columns targets; the diagonal is zero (a problem's own
    persistence is in the recovery rate). Values are assumptions; their order
    of magnitude follows the chains described in the field.
    """
    d = Domain
    w = np.zeros((N_DOMAINS, N_DOMAINS))
    links = {
        (d.SCHULDEN, d.OUDER_GGZ): 0.8, (d.SCHULDEN, d.WONEN): 0.6,
        (d.SCHULDEN, d.OPVOEDING): 0.3, (d.OUDER_GGZ, d.OPVOEDING): 0.8,
        (d.OUDER_GGZ, d.VEILIGHEID): 0.5, (d.OUDER_GGZ, d.SCHULDEN): 0.4,
        (d.OPVOEDING, d.SCHOOLVERZUIM): 0.6, (d.OPVOEDING, d.JEUGD_GGZ): 0.5,
        (d.VEILIGHEID, d.JEUGD_GGZ): 0.8, (d.VEILIGHEID, d.OPVOEDING): 0.4,
        (d.JEUGD_GGZ, d.SCHOOLVERZUIM): 0.7, (d.BEPERKING, d.OPVOEDING): 0.4,
        (d.BEPERKING, d.SCHOOLVERZUIM): 0.4, (d.WONEN, d.OUDER_GGZ): 0.4,
        (d.WONEN, d.VEILIGHEID): 0.2, (d.SCHOOLVERZUIM, d.JEUGD_GGZ): 0.2,
    }
    for (src, dst), v in links.items():
        w[src, dst] = v
    return w
