"""Queueing theory the waiting lists are checked against (M/M/c, Erlang C, Little's law).

Not used by the model itself: the waiting list is a mechanism, and these
formulas are the independent check that the mechanism is right. `fcfs_waits`
is the exact first-come-first-served queue on given arrival times and care
lengths: fed with a run's own arrivals and lengths, it must give that run's
waits, family by family.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable


def erlang_c(servers: int, offered_load: float) -> float:
    """Chance an arrival has to wait in an M/M/c queue (offered load a = lambda/mu < c)."""
    c, a = servers, offered_load
    if a >= c:
        return 1.0
    term = 1.0  # a^k / k!, built up to avoid huge factorials
    total = 0.0
    for k in range(c):
        total += term
        term *= a / (k + 1)
    last = term * c / (c - a)  # a^c / c! * c / (c - a)
    return last / (total + last)


def mmc_mean_wait(servers: int, arrivals: float, mean_service: float) -> float:
    """Mean wait before service, Wq = C(c, a) / (c mu - lambda)."""
    mu = 1.0 / mean_service
    if arrivals >= servers * mu:
        return math.inf
    return erlang_c(servers, arrivals / mu) / (servers * mu - arrivals)


def mmc_mean_queue(servers: int, arrivals: float, mean_service: float) -> float:
    """Mean number waiting, Lq = lambda Wq (Little's law)."""
    return arrivals * mmc_mean_wait(servers, arrivals, mean_service)


def utilisation(servers: int, arrivals: float, mean_service: float) -> float:
    return arrivals * mean_service / servers


def fcfs_waits(arrivals: Iterable[float], lengths: Iterable[float], servers: int) -> list[float]:
    """Waits in a first-come-first-served queue with `servers` servers (Kiefer-Wolfowitz).

    `arrivals` in increasing order and `lengths[i]` the care length of arrival i.
    Each arrival starts when it comes or when the first server frees, whichever
    is later; with Poisson arrivals and exponential lengths this is M/M/c.
    """
    free = [0.0] * servers  # a heap of the times the servers are next free
    waits = []
    for arrival, length in zip(arrivals, lengths, strict=True):
        start = max(arrival, free[0])
        waits.append(start - arrival)
        heapq.heapreplace(free, start + length)
    return waits
