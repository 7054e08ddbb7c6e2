"""Contracts as objects: what each contract kind pays, costs and rewards.

The three procurement variants of VNG/i-Sociaal Domein are kinds of contract,
each with its terms: how the municipality pays (per hour of care, a fee per
trajectory whatever its length, or a lump sum for a task), what
administration the kind costs (time registration when paid per hour), which
planned length it rewards, and, under a lump sum, how far the provider lets
its registered list grow and how many hours it puts in prevention. A turnover
ceiling (omzetplafond) is a term of every contract: when it is reached, the
provider takes no new families until the next year (sim/funding.py).

A contract kind is a `str`-valued enum whose values are the scenario strings
("per_hour", "per_trajectory", "lump_sum"), so code that compares
`org.contract` with those strings keeps working; the Dutch names are accepted
in scenarios too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.agents import Organisation
    from sim.params import FundingParams, ProviderParams


class ContractKind(StrEnum):
    INSPANNINGSGERICHT = "per_hour"  # pay per hour of care delivered
    OUTPUTGERICHT = "per_trajectory"  # a fee per trajectory, whatever its length
    TAAKGERICHT = "lump_sum"  # a fixed sum for a task and population

    @classmethod
    def parse(cls, value: str) -> ContractKind:
        """A kind from its scenario string or its Dutch name (case-insensitive)."""
        key = str(value).lower()
        for kind in cls:
            if key in (kind.value, kind.name.lower()):
                return kind
        allowed = ", ".join([k.value for k in cls] + [k.name.lower() for k in cls])
        raise ValueError(f"contract = {value!r}; allowed: {allowed}")


MIXED = "mixed"
# The scenario strings of funding.contract: the kinds, their Dutch names, and mixed.
CONTRACT_CHOICES = (*(k.value for k in ContractKind), MIXED,
                    *(k.name.lower() for k in ContractKind))


class Payment(StrEnum):
    PER_HOUR = "per_hour"
    PER_TRAJECTORY = "per_trajectory"
    LUMP_SUM = "lump_sum"


@dataclass(frozen=True)
class ContractTerms:
    """The terms of one contract kind, read wherever a contract makes a difference."""

    kind: ContractKind
    payment: Payment
    hourly_rate: float  # euros per hour of care (per hour; the basis of the other tariffs)
    trajectory_fee: float  # euros per started trajectory (per trajectory only)
    lump_sum_share: float  # lump sum as a share of the contracted staff's care hours
    admin_share: float  # extra share of hours on time registration
    length_factor: float  # incentive on the planned length of a trajectory
    registered_weeks: float  # a lump-sum provider registers only this many weeks of starts
    prevention_share: float  # share of care hours put into prevention (lump sum only)
    ceiling_share: float  # turnover ceiling as a share of the silo's budget; 0: none

    @property
    def has_ceiling(self) -> bool:
        return self.ceiling_share > 0

    def weekly_lump_sum(self, staff: int, hours_per_week: float, base_admin: float) -> float:
        """The lump sum paid each week for a provider's contracted staff posts."""
        if self.payment != Payment.LUMP_SUM:
            return 0.0
        return self.lump_sum_share * staff * hours_per_week * (1 - base_admin) * self.hourly_rate

    def weekly_care_price(self, hours_per_family: float) -> float:
        """What one running trajectory costs the payer per week (per hour only)."""
        return hours_per_family * self.hourly_rate if self.payment == Payment.PER_HOUR else 0.0


def terms_for(kind: ContractKind, funding: FundingParams,
              providers: ProviderParams) -> ContractTerms:
    """The terms the municipality offers for `kind`, from the scenario's funding section."""
    rate = funding.hourly_rate
    fee = funding.trajectory_fee_weeks * providers.hours_per_family * rate
    lump = kind == ContractKind.TAAKGERICHT
    length = {ContractKind.INSPANNINGSGERICHT: funding.per_hour_length,
              ContractKind.OUTPUTGERICHT: funding.per_trajectory_length,
              ContractKind.TAAKGERICHT: funding.lump_sum_length}[kind]
    return ContractTerms(
        kind=kind, payment=Payment(kind.value), hourly_rate=rate,
        trajectory_fee=fee if kind == ContractKind.OUTPUTGERICHT else 0.0,
        lump_sum_share=funding.lump_sum_share if lump else 0.0,
        admin_share=(funding.admin_share_per_hour_contract
                     if kind == ContractKind.INSPANNINGSGERICHT else 0.0),
        length_factor=length,
        registered_weeks=funding.lump_sum_registered_weeks if lump else math.inf,
        prevention_share=funding.lump_sum_prevention if lump else 0.0,
        ceiling_share=funding.turnover_ceiling,
    )


def kinds_for(providers: list[Organisation], contract: str) -> list[ContractKind]:
    """The contract kind of each provider; under `mixed`, balanced within each domain.

    Under `mixed` the providers of a domain alternate per hour and per
    trajectory (ranked by number, the start alternating by domain), so that a
    comparison of the two kinds compares the same domains. A domain served by
    a single provider cannot be split: with one provider per domain `mixed`
    still pairs kinds with domains, and a fair comparison of the kinds is
    then one whole run under each.
    """
    if contract != MIXED:
        return [ContractKind.parse(contract)] * len(providers)
    seen: dict[int, int] = {}
    kinds = []
    for org in providers:
        first = int(org.domains[0]) if org.domains else 0
        rank = seen.get(first, 0)
        seen[first] = rank + 1
        kinds.append(ContractKind.INSPANNINGSGERICHT if (rank + first) % 2 == 0
                     else ContractKind.OUTPUTGERICHT)
    return kinds
