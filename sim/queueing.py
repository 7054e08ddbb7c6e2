"""Queueing theory the waiting lists are checked against (M/M/c, Erlang C, Little's law).

Not used by the model itself: the waiting list is a mechanism, and these
formulas are the independent check that the mechanism is right.
"""

from __future__ import annotations

import math


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


def utilisation(servers: int, arrivals: float, mean_service: float) -> float:
    return arrivals * mean_service / servers
