"""The scenario schema: every parameter of the model, its default, range and basis.

A scenario file (TOML) may set any of these keys; `sim.scenario` validates a
file against this schema and builds a frozen `Scenario`. The defaults describe
the Dutch status quo (the `baseline` scenario), scaled to whatever population
a scenario sets. Each field carries its range and its basis: a published figure
(see `docs/calibration.md`) or an assumption named as one. `docs/ODD.md`
lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from sim.limits import MAX_PROFESSIONALS

# Bases, referred to by every parameter's metadata.
ASSUMPTION = "assumption"
CALIBRATED = "calibrated against docs/calibration.md"


def p(
    default: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    doc: str,
    basis: str = ASSUMPTION,
    choices: tuple[str, ...] | None = None,
) -> Any:
    """A scenario parameter with its allowed range, meaning and basis."""
    meta = {"lo": lo, "hi": hi, "doc": doc, "basis": basis, "choices": choices}
    if isinstance(default, list | tuple | dict):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class RunParams:
    name: str = p("baseline", doc="short name of the scenario, shown in reports")
    description: str = p("", doc="one or two sentences on what the scenario shows")
    weeks: int = p(416, 1, 200_000, doc="weeks simulated by a headless run")
    warmup_weeks: int = p(
        260,
        0,
        100_000,
        doc="weeks before summary KPIs are measured; five years so that "
        "repeat use within five years can be seen",
    )
    seed: int = p(1, 0, 2**31 - 1, doc="default seed of the random generator")


@dataclass(frozen=True)
class PopulationParams:
    families: int = p(25_000, 1, 1_000_000, doc="families with children under 18")
    neighbourhoods: int = p(50, 1, 1000, doc="neighbourhoods, each with its own wijkteam")
    mean_children: float = p(
        1.8,
        1.0,
        4.0,
        doc="mean children per family (1-4)",
        basis="CBS: about 1.8 children per family with children",
    )
    multi_problem_share: float = p(
        0.01,
        0.0,
        1.0,
        doc="share of families at high, clustered risk (multi-problem families)",
        basis=CALIBRATED,
    )
    multi_problem_risk: float = p(
        5.0, 1.0, 20.0, doc="onset-risk multiplier of a multi-problem family"
    )
    turnover_per_year: float = p(
        0.16,
        0.0,
        1.0,
        doc="yearly chance that a family without care is succeeded by "
        "a new one (children grow up, families move)",
        basis="assumption: about 20 years with children under 18",
    )
    risk_spread: float = p(
        0.05,
        0.0,
        2.0,
        doc="spread (lognormal sigma) of onset risk between families",
        basis=CALIBRATED,
    )
    informal_network_mean: float = p(
        0.55, 0.0, 1.0, doc="mean strength of the informal network (0-1)"
    )
    self_reliance_mean: float = p(0.6, 0.0, 1.0, doc="mean self-reliance (0-1)")


@dataclass(frozen=True)
class ProblemParams:
    dynamics: bool = p(True, doc="problems arise and evolve; off only for queue validation")
    onset_per_week: float = p(
        0.019,
        0.0,
        0.1,
        doc="weekly chance that a domain without problems gets one",
        basis=CALIBRATED,
    )
    coupling: float = p(
        0.012,
        0.0,
        0.5,
        doc="weekly growth of a domain per unit of severity in the domains "
        "that feed it (debt -> parental stress -> parenting -> school)",
        basis=CALIBRATED,
    )
    self_growth: float = p(
        0.0055,
        0.0,
        0.5,
        doc="weekly growth of an existing problem where protection is missing (logistic)",
        basis=CALIBRATED,
    )
    recovery_per_week: float = p(
        0.024,
        0.0,
        0.5,
        doc="weekly natural recovery, scaled by protective factors",
        basis=CALIBRATED,
    )
    noise: float = p(0.02, 0.0, 0.5, doc="weekly random change of severity (sd)")
    signal_threshold: float = p(0.35, 0.0, 1.0, doc="severity at which others can notice it")
    severe_threshold: float = p(0.6, 0.0, 1.0, doc="severity counted as severe")
    toxic_min_severe: int = p(
        2, 1, 8, doc="severe domains that, without protection, make stress toxic"
    )
    ace_per_toxic_week: float = p(
        1 / 26,
        0.0,
        1.0,
        doc="adverse childhood experiences added per toxic week",
        basis="assumption after Center on the Developing Child",
    )
    ace_risk: float = p(
        0.25,
        0.0,
        5.0,
        doc="extra onset risk (and growth, by its square root) per adverse childhood experience",
    )


@dataclass(frozen=True)
class SignalParams:
    school: float = p(0.05, 0.0, 1.0, doc="weekly chance school notices child problems")
    gp: float = p(0.03, 0.0, 1.0, doc="weekly chance the GP notices mental-health problems")
    neighbours: float = p(0.02, 0.0, 1.0, doc="weekly chance neighbours report safety/housing")
    own_request: float = p(0.04, 0.0, 1.0, doc="weekly chance a family asks for help itself")
    online: float = p(
        0.06, 0.0, 1.0, doc="weekly chance of an online request, when online help exists"
    )
    outreach: float = p(
        1.0,
        0.0,
        5.0,
        doc="multiplier on noticing when the wijkteam reaches out",
        basis="CPB: outreach finds demand; size an assumption",
    )


@dataclass(frozen=True)
class WijkteamParams:
    generalists_per_1000_families: float = p(
        4.5, 0.0, 50.0, doc="wijkteam generalists per 1000 families", basis=CALIBRATED
    )
    light_threshold: float = p(
        0.5, 0.0, 1.0, doc="below this highest severity the wijkteam helps itself"
    )
    light_help_weeks: float = p(54.0, 1.0, 200.0, doc="mean weeks of light help", basis=CALIBRATED)
    light_hours_per_family: float = p(1.5, 0.1, 40.0, doc="weekly hours of light help per family")
    triage_hours: float = p(3.0, 0.0, 40.0, doc="hours to triage one signal")
    referral_threshold: float = p(
        0.45, 0.0, 1.0, doc="severity a domain needs to be referred when working integrally"
    )


@dataclass(frozen=True)
class CooperationParams:
    mode: str = p(
        "fragmented",
        doc="fragmented: a plan per professional; integral: one family, "
        "one plan, with a trajectbegeleider",
        choices=("fragmented", "integral"),
    )
    shared_dossier: bool = p(False, doc="one family, one dossier, owned by the family")
    consent_share_mean: float = p(
        0.8, 0.0, 1.0, doc="mean share of the dossier a family consents to share"
    )
    trajectbegeleider_hours: float = p(
        1.5,
        0.0,
        20.0,
        doc="weekly hours of the trajectbegeleider per family, taken from the wijkteam",
    )
    plan_conflict: float = p(0.35, 0.0, 5.0, doc="loss of effect per extra uncoordinated plan")
    pairwise_contact_hours: float = p(
        0.5,
        0.0,
        10.0,
        doc="weekly hours per pair of professionals around a family, when plans are separate",
    )
    meeting_hours: float = p(
        0.4, 0.0, 10.0, doc="weekly hours per professional for the one plan meeting"
    )
    no_wrong_door: bool = p(False, doc="the first door sees a misreferred family through")
    misreferral: float = p(
        0.15, 0.0, 1.0, doc="chance a presenting problem is referred to the wrong domain"
    )
    parents_as_case_managers: bool = p(False, doc="self-reliant parents coordinate their own plan")
    case_manager_min_self_reliance: float = p(
        0.65, 0.0, 1.0, doc="self-reliance a family needs to manage its own case"
    )


@dataclass(frozen=True)
class AccessParams:
    waiting_list: str = p(
        "per_provider",
        doc="one list per provider and domain, or one central list per domain",
        choices=("per_provider", "central"),
    )
    allocation: str = p(
        "push", doc="push: the wijkteam assigns; pull: providers pick", choices=("push", "pull")
    )
    result_oriented_referral: bool = p(
        False, doc="the wijkteam refers to the provider with the shortest wait and best results"
    )
    cream_skimming: float = p(
        0.5, 0.0, 1.0, doc="under pull: chance a provider picks the easiest case"
    )
    dropout_per_week: float = p(0.008, 0.0, 1.0, doc="weekly chance a waiting family gives up")
    escalation_per_week: float = p(
        0.7, 0.0, 1.0, doc="weekly chance of a crisis at the highest severity", basis=CALIBRATED
    )
    crisis_threshold: float = p(
        0.42, 0.0, 1.0, doc="severity above which crises can happen", basis=CALIBRATED
    )
    alternative_after_weeks: float = p(
        12.0,
        0.0,
        520.0,
        doc="weeks of waiting after which a child may be placed in an alternative programme",
    )
    alternative_per_week: float = p(
        0.02, 0.0, 1.0, doc="weekly chance of such a placement after that"
    )


@dataclass(frozen=True)
class ArrivalParams:
    process: str = p(
        "families",
        doc="families: need arises from the family model; poisson: "
        "arrivals of a fixed rate (queue validation)",
        choices=("families", "poisson"),
    )
    arrivals_per_week: float = p(1.0, 0.0, 10_000.0, doc="Poisson arrival rate (poisson only)")
    servers: int = p(
        1, 1, 10_000, doc="professionals, each serving one family at a time (poisson only)"
    )
    mean_service_weeks: float = p(
        10.0, 0.01, 10_000.0, doc="mean of the exponential service time (poisson only)"
    )


@dataclass(frozen=True)
class ProviderParams:
    count: int = p(
        30,
        1,
        500,
        doc="contracted providers",
        basis="Putten: 67-95 providers for 24k inhabitants; fewer after pooling",
    )
    domains: list = p(
        [
            "opvoeding",
            "jeugd_ggz",
            "ouder_ggz",
            "schulden",
            "schoolverzuim",
            "beperking",
            "veiligheid",
            "wonen",
        ],
        doc="domains that providers are contracted for",
    )
    professionals_per_1000_families: float = p(
        17.0, 0.0, 200.0, doc="specialist professionals per 1000 families", basis=CALIBRATED
    )
    professionals: int = p(
        0,
        0,
        MAX_PROFESSIONALS,
        doc="absolute number of professionals; overrides the rate when > 0",
    )
    hours_per_week: float = p(32.0, 1.0, 60.0, doc="contract hours per professional")
    hours_per_family: float = p(
        3.0, 0.1, 60.0, doc="weekly care hours per family in care", basis=CALIBRATED
    )
    mean_trajectory_weeks: float = p(
        92.0, 1.0, 520.0, doc="mean planned trajectory at mid severity", basis=CALIBRATED
    )
    service: str = p(
        "gamma", doc="distribution of trajectory length", choices=("gamma", "exponential")
    )
    care_effect: float = p(
        0.035,
        0.0,
        1.0,
        doc="weekly share of severity removed by well-matched care",
        basis=CALIBRATED,
    )
    head_contractor: bool = p(False, doc="one head contractor with sub-contractors")
    head_margin: float = p(
        0.066,
        0.0,
        0.5,
        doc="margin the head contractor keeps",
        basis="about 6.6 % (reference figures)",
    )


@dataclass(frozen=True)
class ResidentialParams:
    mean_weeks: float = p(40.0, 1.0, 520.0, doc="mean weeks of residential care")
    cost_per_week: float = p(
        3300.0, 0.0, 100_000.0, doc="euros per week of residential care", basis=CALIBRATED
    )


@dataclass(frozen=True)
class StaffParams:
    sick_per_week: float = p(
        0.012, 0.0, 1.0, doc="weekly chance of falling ill at neutral morale", basis=CALIBRATED
    )
    sick_mean_weeks: float = p(5.0, 1.0, 52.0, doc="mean weeks of sick leave")
    leave_per_year: float = p(0.12, 0.0, 1.0, doc="yearly chance of leaving at neutral morale")
    vacancy_weeks: float = p(10.0, 0.0, 104.0, doc="weeks before a leaver is replaced")
    network_skill_mean: float = p(0.4, 0.0, 1.0, doc="mean network skill (0-1)")
    base_admin_share: float = p(0.15, 0.0, 1.0, doc="share of hours on administration anyway")
    learning_hours: float = p(1.0, 0.0, 20.0, doc="weekly hours of learning and intervision")
    caseload_norm: float = p(
        7.0,
        1.0,
        100.0,
        doc="families per professional felt as a full caseload (about the places a specialist has)",
    )


@dataclass(frozen=True)
class FundingParams:
    pooled: bool = p(False, doc="one pooled budget (ontschot) instead of silos")
    contract: str = p(
        "mixed",
        doc="per_hour (inspanningsgericht), per_trajectory "
        "(outputgericht), lump_sum (taakgericht), or mixed: providers "
        "alternate per hour and per trajectory",
        choices=("per_hour", "per_trajectory", "lump_sum", "mixed"),
    )
    hourly_rate: float = p(95.0, 0.0, 1000.0, doc="euros per hour of care")
    trajectory_fee_weeks: float = p(44.0, 1.0, 520.0, doc="weeks of care a trajectory fee pays for")
    lump_sum_share: float = p(
        1.0, 0.0, 5.0, doc="lump sum as a share of the cost of the contracted staff"
    )
    staff_cost_per_hour: float = p(50.0, 0.0, 1000.0, doc="provider's cost of a staff hour")
    wijkteam_cost_per_hour: float = p(75.0, 0.0, 1000.0, doc="cost of a wijkteam hour")
    budget_jeugd: float = p(0.0, 0.0, 1e12, doc="yearly youth silo in euros; 0: sized by need")
    budget_wmo: float = p(0.0, 0.0, 1e12, doc="yearly wmo silo in euros; 0: sized by need")
    budget_schuldhulp: float = p(0.0, 0.0, 1e12, doc="yearly debt silo; 0: sized by need")
    budget_onderwijs: float = p(0.0, 0.0, 1e12, doc="yearly education silo; 0: sized by need")
    budget_per_family: float = p(
        1640.0,
        0.0,
        1e6,
        doc="yearly budget per family when silos are sized by need",
        basis=CALIBRATED,
    )
    silo_split: dict = p(
        {"jeugd": 0.83, "wmo": 0.06, "schuldhulp": 0.006, "onderwijs": 0.104},
        doc="share of the budget per silo when sized by need",
    )
    hard_silos: list = p(
        ["wmo", "schuldhulp", "onderwijs"],
        doc="silos whose exhaustion stops new starts; youth care is an "
        "entitlement and overspends instead",
        basis="Jeugdwet: care obligation; national overspend 2019",
    )
    per_hour_length: float = p(1.25, 0.5, 3.0, doc="trajectory length factor when paid per hour")
    per_trajectory_length: float = p(
        0.75, 0.1, 2.0, doc="trajectory length factor when paid per trajectory"
    )
    lump_sum_length: float = p(0.9, 0.1, 2.0, doc="trajectory length factor under a lump sum")
    lump_sum_prevention: float = p(
        0.08, 0.0, 1.0, doc="share of hours a lump-sum provider puts in prevention"
    )
    admin_hours_per_contract: float = p(
        6.0,
        0.0,
        100.0,
        doc="weekly contract and accountability hours per provider contract, shared by its staff",
    )
    admin_share_per_hour_contract: float = p(
        0.05, 0.0, 1.0, doc="extra admin share of time registration when paid per hour"
    )
    lump_sum_registered_weeks: float = p(
        4.0,
        0.0,
        520.0,
        doc="under a lump sum, a provider registers only as "
        "many waiting families as it can start in this "
        "many weeks; the rest wait unregistered",
    )
    sub_contract_admin_share: float = p(
        0.04, 0.0, 1.0, doc="extra admin share for a sub-contractor"
    )


@dataclass(frozen=True)
class ManagementParams:
    style: float = p(0.2, 0.0, 1.0, doc="0: control, 1: trust (managen 2.0)")
    control_admin_share: float = p(
        0.08, 0.0, 1.0, doc="extra admin share demanded by control-style management at style 0"
    )
    experimentation_hours: float = p(
        2.0, 0.0, 20.0, doc="weekly experimentation hours at full trust"
    )


@dataclass(frozen=True)
class InnovationParams:
    idea_rate: float = p(
        0.01, 0.0, 1.0, doc="weekly chance per experimentation hour of trying an idea"
    )
    effect_mean: float = p(0.02, -1.0, 1.0, doc="mean true effect of an idea on care")
    effect_sd: float = p(0.08, 0.0, 1.0, doc="spread of true effects")
    observation_noise: float = p(0.06, 0.0, 1.0, doc="noise when judging an idea")
    trial_weeks: int = p(12, 1, 104, doc="weeks an idea is tried before it is judged")
    spread_per_week: float = p(
        0.05, 0.0, 1.0, doc="weekly chance a good idea passes over a full trust tie"
    )
    knowledge_sharing: float = p(
        0.3, 0.0, 1.0, doc="how much professionals share across teams (0-1)"
    )
    transparency: bool = p(False, doc="teams see each other's results (network intelligence)")
    max_effect: float = p(0.5, 0.0, 5.0, doc="cap on the total effect of adopted ideas")
    top_down_week: int = p(
        -1, -1, 200_000, doc="week a mandated top-down project is launched; -1: none"
    )
    top_down_cost_eur: float = p(1_000_000.0, 0.0, 1e10, doc="cost of that project")
    top_down_fit_sd: float = p(
        0.15, 0.0, 1.0, doc="spread of a project's hidden fit with practice (mean 0)"
    )


@dataclass(frozen=True)
class ParticipationParams:
    online_help: bool = p(False, doc="online help and chat for light cases")
    online_share_light: float = p(0.4, 0.0, 1.0, doc="share of light cases helped online")
    online_hours_per_family: float = p(0.5, 0.0, 10.0, doc="weekly hours of online help")
    online_self_help: bool = p(False, doc="online self-help for families on a waiting list")
    self_help_effect: float = p(
        0.5, 0.0, 1.0, doc="share of decline while waiting that self-help prevents"
    )
    informal_network_activation: bool = p(False, doc="the wijkteam strengthens families' networks")
    network_gain_per_week: float = p(
        0.004, 0.0, 1.0, doc="weekly network growth of an activated family"
    )


SECTIONS: dict[str, type] = {
    "run": RunParams,
    "population": PopulationParams,
    "problems": ProblemParams,
    "signals": SignalParams,
    "wijkteam": WijkteamParams,
    "cooperation": CooperationParams,
    "access": AccessParams,
    "arrivals": ArrivalParams,
    "providers": ProviderParams,
    "residential": ResidentialParams,
    "staff": StaffParams,
    "funding": FundingParams,
    "management": ManagementParams,
    "innovation": InnovationParams,
    "participation": ParticipationParams,
}


@dataclass(frozen=True)
class Scenario:
    """A validated, immutable scenario: one frozen dataclass per section."""

    run: RunParams = field(default_factory=RunParams)
    population: PopulationParams = field(default_factory=PopulationParams)
    problems: ProblemParams = field(default_factory=ProblemParams)
    signals: SignalParams = field(default_factory=SignalParams)
    wijkteam: WijkteamParams = field(default_factory=WijkteamParams)
    cooperation: CooperationParams = field(default_factory=CooperationParams)
    access: AccessParams = field(default_factory=AccessParams)
    arrivals: ArrivalParams = field(default_factory=ArrivalParams)
    providers: ProviderParams = field(default_factory=ProviderParams)
    residential: ResidentialParams = field(default_factory=ResidentialParams)
    staff: StaffParams = field(default_factory=StaffParams)
    funding: FundingParams = field(default_factory=FundingParams)
    management: ManagementParams = field(default_factory=ManagementParams)
    innovation: InnovationParams = field(default_factory=InnovationParams)
    participation: ParticipationParams = field(default_factory=ParticipationParams)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """Plain nested dict, as a scenario file would hold it."""
        return {
            name: {
                f.name: getattr(getattr(self, name), f.name) for f in fields(getattr(self, name))
            }
            for name in SECTIONS
        }
