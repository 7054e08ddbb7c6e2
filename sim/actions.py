"""Policy levers and injected events as explicit, logged actions.

Nothing outside the model changes it except `model.apply(action)`. An action
is plain data (JSON in a saved game), so a run is fully determined by its
scenario, its seed and its action log: replaying them gives the same result.

Most levers set a scenario parameter from that week on (`SetParam`); a few
need more than a new number: a top-down project, hiring staff or contracting
capacity, staffing a practice, a budget change, a new procurement, and the
facilitator's injected events.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from sim.model import SamenspelModel


class ActionError(ValueError):
    """An action that cannot be applied; the message says why."""


@dataclass(frozen=True)
class Action:
    kind: ClassVar[str] = "action"

    def apply(self, model: SamenspelModel) -> dict[str, Any]:
        """Change the model; return what the event log should say about it."""
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}


# Keys read only when the model is built (docs/ODD.md 8.2), and what to do instead.
_BUILD_ONLY = {
    "population.families": "set it in the scenario",
    "population.neighbourhoods": "set it in the scenario",
    "providers.count": "use a procurement (`procure`)",
    "providers.domains": "use a procurement (`procure`)",
    "providers.professionals": "use `contract_capacity` (or `hire`)",
    "providers.professionals_per_1000_families": "use `contract_capacity` (or `hire`)",
    "capacity.domain_shares": "use `contract_capacity`",
    "capacity.trajectbegeleiding_staffed": "use `staff_practice`",
    "capacity.online_help_staffed": "use `staff_practice`",
    "capacity.network_activation_staffed": "use `staff_practice`",
    "capacity.trajectbegeleiders_per_1000_families": "use `staff_practice`",
    "capacity.online_staff_per_1000_families": "use `staff_practice`",
    "capacity.network_staff_per_1000_families": "use `staff_practice`",
    "wijkteam.generalists_per_1000_families": "use `hire` with domain wijkteam",
    "staff.network_skill_mean": "set it in the scenario",
    "region.municipalities": "set it in the scenario",
    "region.domains": "set it in the scenario",
    "funding.budget_per_family": "use `budget`",
    "funding.silo_split": "use `budget`",
    "innovation.top_down_week": "use `top_down_project`",
    "innovation.top_down_cost_eur": "use `top_down_project`",
    "arrivals.servers": "set it in the scenario",
    "arrivals.process": "set it in the scenario",
    "problems.dynamics": "set it in the scenario",
}


def build_only(key: str) -> str | None:
    """What to do instead when `key` cannot change a running model, else None."""
    if key.startswith("run.") and key != "run.warmup_weeks":
        return "set it in the scenario or on the command line"
    if key.startswith("funding.budget_"):
        return "use `budget`"
    return _BUILD_ONLY.get(key)


@dataclass(frozen=True)
class SetParam(Action):
    """Set one scenario parameter (`section.key`) from now on, e.g. cooperation.mode."""

    kind: ClassVar[str] = "set"
    key: str
    value: Any

    def apply(self, model: SamenspelModel) -> dict[str, Any]:
        from sim.scenario import ScenarioError, with_setting

        instead = build_only(self.key)
        if instead is not None:
            raise ActionError(f"{self.key} = {self.value!r} cannot change a running model: it is "
                              f"read only when the model is built; {instead}")
        try:
            model.params = with_setting(model.params, self.key, self.value)
        except ScenarioError as exc:
            raise ActionError(str(exc)) from None
        model.on_params_changed(self.key)
        return {"key": self.key, "value": self.value}


@dataclass(frozen=True)
class LaunchTopDownProject(Action):
    """Fund one large project mandated everywhere; its fit is hidden (drawn) unless given."""

    kind: ClassVar[str] = "top_down_project"
    cost_eur: float = 400_000.0
    fit: float | None = None
    rollout_weeks: int = 8

    def apply(self, model: SamenspelModel) -> dict[str, Any]:
        if self.cost_eur < 0 or self.rollout_weeks < 0:
            raise ActionError("a top-down project needs cost_eur >= 0 and rollout_weeks >= 0")
        model.launch_top_down(self.cost_eur, self.fit, self.rollout_weeks)
        return {"cost_eur": self.cost_eur, "rollout_weeks": self.rollout_weeks}


@dataclass(frozen=True)
class HireStaff(Action):
    """Add professionals: to the wijkteams (generalists) or to providers in one domain.

    Kept for saved games; a domain's providers recruit them, and they start after
    `capacity.lead_weeks` (the same as `contract_capacity` with its default lead).
    """

    kind: ClassVar[str] = "hire"
    count: int = 1
    domain: str = "wijkteam"

    def apply(self, model: SamenspelModel) -> dict[str, Any]:
        if self.count < 1:
            raise ActionError(f"hire: count = {self.count}; must be at least 1")
        model.hire(self.count, self.domain)
        return {"count": self.count, "domain": self.domain}


@dataclass(frozen=True)
class ChangeBudget(Action):
    """Raise (or, negative, cut) one silo's yearly budget by an amount in euros."""

    kind: ClassVar[str] = "budget"
    silo: str = "jeugd"
    euros: float = 0.0

    def apply(self, model: SamenspelModel) -> dict[str, Any]:
        from sim.domains import SILOS

        if self.silo not in SILOS:
            raise ActionError(f"budget: silo = {self.silo!r}; allowed: {', '.join(SILOS)}")
        model.budget.adjust(self.silo, self.euros)
        return {"silo": self.silo, "euros": self.euros}


@dataclass(frozen=True)
class Procure(Action):
    """A new procurement: the same staff contracted through `providers` organisations."""

    kind: ClassVar[str] = "procure"
    providers: int = 5
    head_contractor: bool = False

    def apply(self, model: SamenspelModel) -> dict[str, Any]:
        if self.providers < 1:
            raise ActionError(f"procure: providers = {self.providers}; must be at least 1")
        model.procure(self.providers, self.head_contractor)
        return {"providers": self.providers, "head_contractor": self.head_contractor}


@dataclass(frozen=True)
class FluWave(Action):
    """Injected event: a share of the staff falls ill for some weeks."""

    kind: ClassVar[str] = "flu_wave"
    share: float = 0.2
    weeks: int = 2

    def apply(self, model: SamenspelModel) -> dict[str, Any]:
        if not 0 <= self.share <= 1 or self.weeks < 1:
            raise ActionError("flu_wave needs 0 <= share <= 1 and weeks >= 1")
        return {"ill": model.flu_wave(self.share, self.weeks), "weeks": self.weeks}


@dataclass(frozen=True)
class CrisisCase(Action):
    """Injected event: families somewhere in the municipality land in acute crisis."""

    kind: ClassVar[str] = "crisis"
    families: int = 1

    def apply(self, model: SamenspelModel) -> dict[str, Any]:
        return {"families": model.crisis(self.families)}


@dataclass(frozen=True)
class ProviderBankrupt(Action):
    """Injected event: the provider with the weakest finances stops; its staff move on."""

    kind: ClassVar[str] = "bankrupt"

    def apply(self, model: SamenspelModel) -> dict[str, Any]:
        return {"provider": model.bankrupt()}


@dataclass(frozen=True)
class ContractCapacity(Action):
    """Contract more capacity: `professionals` more at the providers of `domain`
    (paid through their contracts), or generalists for the wijkteams (domain
    "wijkteam"); they start after `lead_weeks` (-1: the scenario's
    `capacity.lead_weeks`). Domain "longest_list": the specialist domain where the
    most families wait when the action applies (`capacity.longest_list`)."""

    kind: ClassVar[str] = "contract_capacity"
    domain: str = "jeugd_ggz"
    professionals: int = 2
    lead_weeks: int = -1

    def apply(self, model: SamenspelModel) -> dict[str, Any]:
        from sim import capacity

        if self.professionals < 1:
            raise ActionError(f"contract_capacity: professionals = {self.professionals}; "
                              "must be at least 1")
        if self.lead_weeks > 520:
            raise ActionError(f"contract_capacity: lead_weeks = {self.lead_weeks}; "
                              "allowed: -1 (the scenario's) or 0 to 520")
        return capacity.contract(model, self.domain, self.professionals, self.lead_weeks)


@dataclass(frozen=True)
class StaffPractice(Action):
    """Say who does a practice's hours: `new` dedicated staff (hired from the youth
    budget, starting after `lead_weeks`) or `moved` (the wijkteam's generalists).
    `per_1000_families` -1: the scenario's rate."""

    kind: ClassVar[str] = "staff_practice"
    practice: str = "trajectbegeleiding"
    staffed: str = "new"
    per_1000_families: float = -1.0
    lead_weeks: int = -1

    def apply(self, model: SamenspelModel) -> dict[str, Any]:
        from sim import capacity

        if self.lead_weeks > 520:
            raise ActionError(f"staff_practice: lead_weeks = {self.lead_weeks}; "
                              "allowed: -1 (the scenario's) or 0 to 520")
        return capacity.staff_practice(model, self.practice, self.staffed,
                                       self.per_1000_families, self.lead_weeks)


ACTIONS: dict[str, type[Action]] = {
    cls.kind: cls for cls in (SetParam, LaunchTopDownProject, HireStaff, ChangeBudget, Procure,
                              FluWave, CrisisCase, ProviderBankrupt, ContractCapacity,
                              StaffPractice)
}


def action_from_dict(data: dict[str, Any]) -> Action:
    """Rebuild an action from its logged form, with a clear error for bad data."""
    kind = data.get("kind")
    cls = ACTIONS.get(kind)
    if cls is None:
        raise ActionError(f"unknown action kind {kind!r}; allowed: {', '.join(ACTIONS)}")
    names = {f.name for f in fields(cls)}
    extra = set(data) - names - {"kind"}
    if extra:
        raise ActionError(f"action {kind!r} has unknown field(s): {', '.join(sorted(extra))}")
    return cls(**{k: v for k, v in data.items() if k in names})
