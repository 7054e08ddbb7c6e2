"""Policy cards: every lever of the model as data.

A card names the action it applies, what it costs from the round's budget,
how many weeks pass before it takes effect, its translation keys, and the
KPIs it is expected to move with their sign (+1: the number goes up). The
same data draws the influence map. Signs describe the model's mechanisms as
documented in DESIGN.md, not promises: the point of the game is to see when
they do not hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.actions import (
    ChangeBudget,
    ContractCapacity,
    CrisisCase,
    FluWave,
    LaunchTopDownProject,
    Procure,
    ProviderBankrupt,
    SetParam,
    StaffPractice,
)

ROUND_BUDGET_EUR = 250_000
W, H, R, S, C, V = ("mean_wait_weeks", "share_ended_without_further_help", "client_rating",
                    "professional_satisfaction", "cost_per_week_eur", "value_per_million_eur")


@dataclass(frozen=True)
class Card:
    id: str
    action: Any  # a sim.actions.Action
    cost_eur: int
    delay_weeks: int = 0
    effects: dict[str, int] = field(default_factory=dict)
    once: bool = True  # a setting played once stays; hiring and money can repeat
    event: bool = False  # a facilitator event, not a policy
    # acts only where a domain has more than one provider to choose between
    needs_choice: bool = False

    @property
    def title(self) -> str:
        return f"card.{self.id}.title"

    @property
    def explain(self) -> str:
        return f"card.{self.id}.explain"

    @property
    def tradeoff(self) -> str:
        return f"card.{self.id}.tradeoff"

    def action_dict(self) -> dict[str, Any]:
        return self.action.to_dict()


def _set(key: str, value: Any) -> SetParam:
    return SetParam(key, value)


CARDS: tuple[Card, ...] = (
    Card("integral", _set("cooperation.mode", "integral"), 60_000, 0,
         {H: +1, R: +1, W: +1, C: +1}),
    Card("shared_dossier", _set("cooperation.shared_dossier", True), 80_000, 4,
         {R: +1, H: +1, S: +1}),
    Card("no_wrong_door", _set("cooperation.no_wrong_door", True), 10_000, 0,
         {W: -1, R: +1, S: -1}),
    Card("central_list", _set("access.waiting_list", "central"), 20_000, 0, {W: -1, S: -1},
         needs_choice=True),
    Card("pull", _set("access.allocation", "pull"), 10_000, 0, {W: -1, R: -1}),
    Card("result_referral", _set("access.result_oriented_referral", True), 20_000, 0,
         {W: -1, H: +1}, needs_choice=True),
    Card("pooled", _set("funding.pooled", True), 30_000, 0, {W: -1, C: +1}),
    Card("lump_sum", _set("funding.contract", "lump_sum"), 40_000, 0, {C: -1, W: +1, S: +1}),
    Card("per_hour", _set("funding.contract", "per_hour"), 40_000, 0, {C: +1, H: +1, S: -1}),
    Card("per_trajectory", _set("funding.contract", "per_trajectory"), 40_000, 0,
         {C: -1, H: -1, W: -1}),
    Card("trust_management", _set("management.style", 0.8), 30_000, 0, {S: +1, V: +1}),
    Card("experiment", _set("management.experimentation_hours", 4.0), 40_000, 0,
         {V: +1, W: +1}),
    Card("knowledge", _set("innovation.knowledge_sharing", 0.7), 20_000, 0, {V: +1, S: +1}),
    Card("transparency", _set("innovation.transparency", True), 15_000, 0, {V: +1}),
    Card("online_help", _set("participation.online_help", True), 50_000, 4, {W: -1, C: -1}),
    Card("self_help", _set("participation.online_self_help", True), 30_000, 4, {H: +1, R: +1}),
    Card("parents_lead", _set("cooperation.parents_as_case_managers", True), 20_000, 0,
         {R: +1, S: +1}),
    Card("network", _set("participation.informal_network_activation", True), 30_000, 0,
         {H: +1, W: +1}),
    Card("outreach", _set("signals.outreach", 1.5), 40_000, 0, {W: +1, C: +1, H: +1}),
    Card("top_down", LaunchTopDownProject(cost_eur=200_000, rollout_weeks=8), 200_000, 8,
         {C: +1}, once=True),
    Card("hire_wijkteam", ContractCapacity("wijkteam", 2), 90_000, 0, {W: -1, S: +1, C: +1},
         once=False),
    Card("hire_ggz", ContractCapacity("jeugd_ggz", 2), 100_000, 0, {W: -1, C: +1}, once=False),
    Card("hire_longest", ContractCapacity("longest_list", 2), 100_000, 0, {W: -1, C: +1},
         once=False),
    Card("own_tb", StaffPractice("trajectbegeleiding", "new"), 60_000, 0, {C: +1, W: -1}),
    Card("poh_jeugd", _set("routes.poh_jeugd", True), 40_000, 0, {W: -1, C: +1}),
    Card("gp_agreements", _set("routes.gp_agreements", True), 10_000, 0, {H: +1, W: +1}),
    Card("reach", _set("reform.jeugdhulp_reach", 0.42), 15_000, 0, {W: -1, C: -1, H: -1}),
    Card("own_contribution", _set("reform.own_contribution_per_week", 40.0), 25_000, 4,
         {C: -1, W: -1, H: -1}),
    Card("fewer_residential", _set("reform.residential_places_per_10000_children", 13.0),
         50_000, 13, {C: -1}),
    Card("strong_teams", _set("reform.generalist_teams", True), 60_000, 4, {W: -1, R: +1}),
    Card("debt_budget", ChangeBudget("schuldhulp", 50_000), 50_000, 0, {W: -1, C: +1},
         once=False),
    Card("youth_cut", ChangeBudget("jeugd", -100_000), -50_000, 0, {C: -1, W: +1}, once=False),
    Card("few_providers", Procure(2, head_contractor=True), 60_000, 13, {S: +1, W: -1}),
    Card("flu", FluWave(0.3, 3), 0, 0, {W: +1, S: -1}, once=False, event=True),
    Card("crisis", CrisisCase(2), 0, 0, {C: +1}, once=False, event=True),
    Card("bankrupt", ProviderBankrupt(), 0, 0, {W: +1}, event=True),
    # After a critical report of the inspectorate, management steers on control again.
    Card("inspection", _set("management.style", 0.0), 0, 0, {S: -1, V: -1}, once=False,
         event=True),
    Card("cut", ChangeBudget("jeugd", -150_000), 0, 0, {C: -1, W: +1}, once=False, event=True),
)
BY_ID = {card.id: card for card in CARDS}


def provider_choice(model) -> bool:
    """Whether some domain has two or more providers (so a list or a referrer can choose).

    One list per provider and one central list are the same list when each
    domain has one provider, and there is no quicker provider to refer to.
    """
    count: dict[int, int] = {}
    for org in model.providers:
        for d in org.domains:
            count[int(d)] = count.get(int(d), 0) + 1
    return any(n >= 2 for n in count.values())
POLICY_CARDS = tuple(c for c in CARDS if not c.event)
EVENT_CARDS = tuple(c for c in CARDS if c.event)
