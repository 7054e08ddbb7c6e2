"""The payers' money: budgets per silo, what is committed, and what stops a start.

Money binds the way it does in the Netherlands. Youth care is a duty to
provide (jeugdhulpplicht): its silo overspends rather than refuses. A silo
listed as hard (by default Wmo, debt help, and the samenwerkingsverband's
school budget) stops new starts once what it has spent this year plus what
its running care will still cost this year (its commitments, the way a
municipality books its decisions) reaches its budget, so a cap binds at the
budget rather than after it. Debt help is held to the response time of the
Wet gemeentelijke schuldhulpverlening instead of a cap: a family that has
waited past the norm opens the silo, and the overspend is logged.

A contract can carry a turnover ceiling (omzetplafond): the municipality
divides a share of each of its silos over the providers it pays from it, in
proportion to their specialists; a provider whose turnover this year plus
its commitments reaches its ceiling takes no new families until January.

Pooling (ontschotten) puts the municipality's own silos in one pot, and only
those: the insurer's and the samenwerkingsverband's money stays apart. A
capped field then starts care while the pot has money, whoever spent it: it
helps a field that ran dry while another had money left, and costs a capped
field when the duty field (youth care) overspends and drains the pot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.contracts import Payment
from sim.domains import SILO_INDEX, SILOS, Domain
from sim.params import FundingParams
from sim.payers import DEBT, MUNICIPAL, is_municipal

if TYPE_CHECKING:
    from sim.agents import Organisation
    from sim.model import SamenspelModel

WEEKS_PER_YEAR = 52


class Budget:
    """Yearly budgets per silo, spending, commitments and the providers' ceilings."""

    def __init__(self, funding: FundingParams, families: int) -> None:
        explicit = {"jeugd": funding.budget_jeugd, "wmo": funding.budget_wmo,
                    "schuldhulp": funding.budget_schuldhulp,
                    "onderwijs": funding.budget_onderwijs, "zvw": funding.budget_zvw}
        need = funding.budget_per_family * families
        self.yearly = np.array([explicit[s] or need * funding.silo_split.get(s, 0.0)
                                for s in SILOS])
        self.spent_year = np.zeros(len(SILOS))
        self.spent_total = np.zeros(len(SILOS))
        self.spent_week = np.zeros(len(SILOS))
        self.committed = np.zeros(len(SILOS))  # what running care will cost in this year
        self.forced_open = np.zeros(len(SILOS), dtype=bool)  # a legal norm overrides the cap
        self.overrun_years: list[float] = []  # the municipality's own silos together
        self.silo_years: list[np.ndarray] = []  # spent / budget per silo, per closed year
        self.ceilings: dict[int, float] = {}  # provider number -> turnover ceiling this year
        self.turnover_year: dict[int, float] = {}  # provider number -> paid this year
        self.provider_committed: dict[int, float] = {}
        self._ceilings_due = True

    # -- the year and the week ------------------------------------------------

    def new_week(self, week: int) -> None:
        if week > 0 and week % WEEKS_PER_YEAR == 0:
            own = self.yearly[MUNICIPAL].sum()
            spent = self.spent_year[MUNICIPAL].sum()
            self.overrun_years.append(float(spent / own - 1) if own else 0.0)
            self.silo_years.append(self.spent_year / np.maximum(self.yearly, 1e-9))
            self.spent_year[:] = 0.0
            self.turnover_year.clear()
            self._ceilings_due = True
        self.spent_week[:] = 0.0

    def spend(self, silo: int, euros: float) -> None:
        self.spent_year[silo] += euros
        self.spent_total[silo] += euros
        self.spent_week[silo] += euros

    def spend_domains(self, per_domain: np.ndarray) -> None:
        """Book euros given per domain (array of eight) on their silos."""
        per_silo = np.bincount(SILO_INDEX, weights=per_domain, minlength=len(SILOS))
        self.spent_year += per_silo
        self.spent_total += per_silo
        self.spent_week += per_silo

    def bill(self, org: Organisation, euros: float) -> None:
        """Count a payment to a provider against its turnover ceiling."""
        self.turnover_year[org.number] = self.turnover_year.get(org.number, 0.0) + euros

    def adjust(self, silo: str, euros: float) -> None:
        """A municipal budget decision: change a silo's yearly budget (not below zero).

        The insurer's and the samenwerkingsverband's budgets are not the
        municipality's to change.
        """
        from sim.actions import ActionError

        if not is_municipal(silo):
            raise ActionError(f"budget: silo = {silo!r} is not the municipality's money; "
                              "allowed: " + ", ".join(s for s in SILOS if is_municipal(s)))
        i = SILOS.index(silo)
        self.yearly[i] = max(0.0, self.yearly[i] + euros)
        self._ceilings_due = True

    # -- may care start? --------------------------------------------------------

    def can_start(self, domain: int, funding: FundingParams,
                  org: Organisation | None = None) -> bool:
        """May care in `domain` start now (at provider `org`, when given)?"""
        silo = int(SILO_INDEX[domain])
        if org is not None and not self.under_ceiling(org):
            return False
        if SILOS[silo] not in funding.hard_silos or self.forced_open[silo]:
            return True
        if funding.pooled and MUNICIPAL[silo]:
            return self.pot_left(funding) > 0
        return self.spent_year[silo] + self.committed[silo] < self.yearly[silo]

    def pot_left(self, funding: FundingParams) -> float:
        """Pooled: the municipality's budget minus what is spent, and committed in capped fields."""
        hard = np.array([s in funding.hard_silos for s in SILOS])
        used = self.spent_year + np.where(hard, self.committed, 0.0)
        return float(self.yearly[MUNICIPAL].sum() - used[MUNICIPAL].sum())

    def under_ceiling(self, org: Organisation) -> bool:
        ceiling = self.ceilings.get(org.number)
        if ceiling is None:
            return True
        used = self.turnover_year.get(org.number, 0.0) + self.provider_committed.get(
            org.number, 0.0)
        return used < ceiling

    # -- the weekly review ------------------------------------------------------

    def review(self, model: SamenspelModel) -> None:
        """After the week's booking: commitments, ceilings and the debt-help norm."""
        if self._ceilings_due:
            self._set_ceilings(model)
            self._ceilings_due = False
        self._commit(model)
        self._debt_norm(model)
        self._count_ceiling_blocks(model)

    def _set_ceilings(self, model: SamenspelModel) -> None:
        """Divide `ceiling_share` of each municipal silo over its providers, by specialists."""
        self.ceilings.clear()
        staff = np.zeros((len(model.providers), len(SILOS)))
        for i, org in enumerate(model.providers):
            for pro in org.staff:
                staff[i, SILO_INDEX[pro.domain]] += 1
        totals = np.maximum(staff.sum(axis=0), 1)
        for i, org in enumerate(model.providers):
            terms = org.terms
            if not terms.has_ceiling or terms.payment == Payment.LUMP_SUM:
                continue
            share = np.where(MUNICIPAL, staff[i] / totals, 0.0)
            if share.sum() > 0:
                self.ceilings[org.number] = terms.ceiling_share * float(share @ self.yearly)

    def _commit(self, model: SamenspelModel) -> None:
        """What running care will still cost this year: per-hour care and lump sums.

        Only what a rule reads is summed: the capped silos' commitments (for
        `can_start` and the pooled pot) and, when there are turnover ceilings,
        every provider's. The other silos' entries stay 0; nothing reads them.
        """
        week = model.week + 1
        year_end = (model.week // WEEKS_PER_YEAR + 1) * WEEKS_PER_YEAR
        hours = model.params.providers.hours_per_family
        self.provider_committed.clear()
        provider_committed = self.provider_committed
        every = bool(self.ceilings)
        hard = {SILOS.index(s) for s in model.params.funding.hard_silos}
        # Per slot: its silo when a rule reads that silo's commitments, else None (light help,
        # a slot past the domains, has no price). Summed in Python floats, in the same order
        # as before, and stored at the end: the same values, without numpy's per-item cost.
        silo_of = [int(SILO_INDEX[d]) if every or int(SILO_INDEX[d]) in hard else None
                   for d in range(len(SILO_INDEX))] + [None]
        committed = [0.0] * len(self.committed)
        prices: dict[int, float | None] = {}  # org number -> weekly price, None: not per hour
        for traj in model.care.trajectories.values():
            silo = silo_of[traj.slot]
            if silo is None:
                continue
            org = traj.org
            n = org.number
            price = prices.get(n, False)
            if price is False:
                terms = getattr(org, "terms", None)
                price = prices[n] = (terms.weekly_care_price(hours) if terms is not None
                                     and terms.payment == Payment.PER_HOUR else None)
            if price is None:
                continue
            # max(traj.end, planned_end) (reviews end earlier), min(.., year_end) and
            # max(0.0, ..), written out: the same values and tie-breaks as the builtins.
            end = traj.planned_end if traj.planned_end > traj.end else traj.end
            left = (year_end if year_end < end else end) - week
            euros = price * (left if left > 0.0 else 0.0)
            committed[silo] += euros
            provider_committed[n] = provider_committed.get(n, 0.0) + euros
        p = model.params
        for org in model.providers:
            weekly = org.terms.weekly_lump_sum(len(org.staff), p.providers.hours_per_week,
                                               p.staff.base_admin_share)
            for d in org.domains:
                committed[int(SILO_INDEX[d])] += weekly / len(org.domains) * (year_end - week)
        self.committed[:] = committed

    def _debt_norm(self, model: SamenspelModel) -> None:
        """Wgs: a family waiting for debt help past the response norm opens the silo."""
        f = model.params.funding
        self.forced_open[:] = False
        if f.debt_response_weeks <= 0 or "schuldhulp" not in f.hard_silos:
            return
        if self.can_start(int(Domain.SCHULDEN), f):
            return
        crisis = model.params.access.crisis_threshold
        now = model.week + 1
        debt = int(Domain.SCHULDEN)
        for ref in (r for refs in model.care.waiting.values() for r in refs if r.domain == debt):
            norm = f.debt_urgent_response_weeks if ref.severity >= crisis \
                else f.debt_response_weeks
            if now - ref.arrival > norm:
                self.forced_open[DEBT] = True
                model.counters["debt_norm_openings"] += 1
                model.log(None, "debt_norm_overspend", waited=round(now - ref.arrival, 1))
                return

    def _count_ceiling_blocks(self, model: SamenspelModel) -> None:
        """Referral-weeks waiting at a provider that its ceiling closed (per-provider lists)."""
        closed = {o.number for o in model.providers if not self.under_ceiling(o)}
        if not closed:
            return
        waiting = sum(1 for refs in model.care.waiting.values() for r in refs
                      if r.provider in closed)
        model.counters["ceiling_blocked_weeks"] += waiting
