"""The named choices of how organisations cooperate and how waiting lists work.

String enums: a scenario file writes the value ("integral"), the code compares
with the member (`CooperationMode.INTEGRAL`), and both are the same string,
so saved games, outputs and scenario files keep their words.
"""

from __future__ import annotations

from enum import StrEnum


class CooperationMode(StrEnum):
    FRAGMENTED = "fragmented"  # a plan per professional
    INTEGRAL = "integral"  # one family, one plan, with a trajectbegeleider


class Allocation(StrEnum):
    PUSH = "push"  # the wijkteam assigns the provider
    PULL = "pull"  # a provider with a free place picks from the list


class WaitingListKind(StrEnum):
    PER_PROVIDER = "per_provider"  # one list per provider and domain
    CENTRAL = "central"  # one list per domain for all its providers


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)
