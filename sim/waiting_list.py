"""Waiting lists: who waits for which places, and who is picked when a place frees.

A `WaitingList` is one queue in front of places held by one or more providers
for one domain (or for light help by a wijkteam). Referrals arrive at
real-valued times within a week and places free at real-valued times, so a
list with Poisson arrivals and exponential care is an exact M/M/c queue; the
weekly grid only decides when severity, drop-out and escalation are updated.

Picking: push (first come, first served, or to the provider the wijkteam
chose) or pull, where a provider with a free place may take the easiest case
near the front of the list (cream skimming) - which is why the queue length
alone hides how long the urgent cases wait. With `waits.urgency` the urgent
referrals are served first; within each class it stays first come, first
served (or cream skimming), so a list without urgent cases is the same queue.

A referral waits in two stages: to the intake (a first conversation with the
provider) and then to treatment (a place). The intake time is recorded on the
referral; it never decides who starts when, so the two stages split the one
wait and the queue of places stays exact.
"""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.agents import Organisation

LIGHT = 8  # pseudo-domain: light help by the wijkteam


@dataclass(slots=True, eq=False)
class Referral:
    """A family's place on a waiting list for one domain."""

    family: int
    domain: int
    arrival: float
    severity: float
    provider: int = -1  # chosen by the wijkteam under push; -1: any provider of the list
    intended: int = -1  # the domain meant, when it was misreferred to another
    registered: bool = True  # on the list the municipality sees
    blocked_weeks: int = 0  # weeks it could have started but its silo was empty
    urgent: bool = False  # served before the rest of its list (waits.urgency)
    intake: float = -1.0  # time of the intake conversation; -1: still waiting for it
    id: int = -1  # number within its model (CareFlow numbers them): the order of arrival
    # When the family first asked for help with this problem: a family sent on from a wrong
    # door queues anew (`arrival`), but its wait counts from here, as it lived it.
    first_arrival: float = -1.0  # -1: this referral is the first (set to `arrival`)
    # No Wrong Door: the organisation whose door the family first reached, which sees it
    # through until this referral's care starts (sim/bridging.py); None: nobody.
    seen_by: Organisation | None = None
    via_wrong_door: bool = False  # sent on to this list from a wrong door, either way

    def __post_init__(self) -> None:
        if self.first_arrival < 0:
            self.first_arrival = self.arrival

    @property
    def misreferred(self) -> bool:
        return self.intended >= 0 and self.intended != self.domain

    @property
    def stage(self) -> str:
        """Where the wait is: "intake" (no conversation yet) or "treatment" (a place)."""
        return "intake" if self.intake < 0 else "treatment"


class WaitingList:
    """One queue for one domain, served by the places of `providers`."""

    def __init__(self, key: tuple, domain: int, providers: list[int]) -> None:
        self.key = key
        self.domain = domain
        self.providers = list(providers)
        self.entries: list[Referral] = []

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, ref: Referral) -> None:
        """Join in order of arrival (a No Wrong Door referral keeps its earlier time)."""
        insort(self.entries, ref, key=lambda r: r.arrival)

    def remove(self, ref: Referral) -> None:
        self.entries.remove(ref)

    def pick(self, provider: int, cream_skimming: float, u: float,
             look_ahead: int = 5, urgency: bool = False) -> Referral | None:
        """The referral `provider` starts next, or None when nothing fits.

        Under push each referral names its provider (or any); with pull and
        probability `cream_skimming` (`u` is a uniform draw) the provider takes
        the least severe of the first `look_ahead` cases it may take. With
        `urgency`, only the urgent cases are considered while there are any.
        """
        fits = self.order(provider, urgency)
        if not fits:
            return None
        if u < cream_skimming:
            return min(fits[:look_ahead], key=lambda r: r.severity)
        return fits[0]

    def order(self, provider: int, urgency: bool) -> list[Referral]:
        """The referrals `provider` may take, in the order it serves them.

        Urgent ones first when `urgency` holds (and any are there), each class
        in order of arrival.
        """
        fits = [r for r in self.entries if r.provider in (-1, provider)]
        if urgency:
            urgent = [r for r in fits if r.urgent]
            if urgent:
                return urgent
        return fits

    def queue_order(self, urgency: bool) -> list[Referral]:
        """Every referral on the list in serving order (urgent first, then by arrival)."""
        if not urgency:
            return list(self.entries)
        return [r for r in self.entries if r.urgent] + [r for r in self.entries if not r.urgent]

    def registered_count(self) -> int:
        return sum(1 for r in self.entries if r.registered)
