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
from sim.modes import Allocation, CooperationMode, WaitingListKind, values

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


FAMILIES_PER_NEIGHBOURHOOD = 500


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
    neighbourhoods: int = p(
        0, 0, 1000,
        doc="neighbourhoods, each with its own wijkteam; 0: one per 500 families",
        basis="assumption: a wijkteam serves a neighbourhood of about 500 families",
    )
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

    @property
    def neighbourhood_count(self) -> int:
        """The neighbourhoods as set, or one per 500 families, so a smaller town keeps
        wijkteams of a real size instead of rounding each up to one generalist."""
        if self.neighbourhoods:
            return self.neighbourhoods
        return max(1, round(self.families / FAMILIES_PER_NEIGHBOURHOOD))


@dataclass(frozen=True)
class ProblemParams:
    dynamics: bool = p(True, doc="problems arise and evolve; off only for queue validation")
    onset_per_week: float = p(
        0.028,
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
    unsafe_toxic_threshold: float = p(
        0.34,
        0.0,
        1.0,
        doc="severity of an unsafe home (veiligheid) that makes a child's stress toxic on its "
        "own, without protection",
        basis=CALIBRATED,
    )
    ace_risk: float = p(
        0.25,
        0.0,
        5.0,
        doc="extra onset risk of the child's own problems (child mental health, school "
        "absence) per kind of adverse childhood experience",
        basis="assumption after the ACE studies' dose-response over kinds of adversity",
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
    jeugdarts: float = p(
        0.008,
        0.0,
        1.0,
        doc="weekly chance the jeugdarts (JGZ) notices parenting or development problems",
        basis="calibrated to the jeugdarts' 3.1 % of referrals (CBS 85096NED, 2021)",
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
        choices=values(CooperationMode),
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
    no_wrong_door_hours: float = p(
        1.0, 0.0, 20.0,
        doc="weekly hours the first door spends on a misreferred family until its right care "
        "starts: contact, and what help it can give (as bridging care does)",
        basis="assumption: about one contact a week",
    )
    misreferral: float = p(
        0.15, 0.0, 1.0, doc="chance a presenting problem is referred to the wrong domain"
    )
    parents_as_case_managers: bool = p(False, doc="self-reliant parents coordinate their own plan")
    case_manager_min_self_reliance: float = p(
        0.65, 0.0, 1.0, doc="self-reliance a family needs to manage its own case"
    )
    case_manager_load: float = p(
        0.3, 0.0, 1.0,
        doc="share of its protective factors a parent without self-reliance to spare "
        "spends coordinating each professional beyond the first, when it manages its own case",
        basis="assumption; WRR 2017, Weten is nog geen doen: the capacity to act falls under "
        "stress",
    )


@dataclass(frozen=True)
class AccessParams:
    waiting_list: str = p(
        "per_provider",
        doc="one list per provider and domain, or one central list per domain",
        choices=values(WaitingListKind),
    )
    allocation: str = p(
        "push", doc="push: the wijkteam assigns; pull: providers pick",
        choices=values(Allocation)
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
        24.0, 0.0, 200.0, doc="specialist professionals per 1000 families", basis=CALIBRATED
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
    mean_weeks: float = p(
        40.0, 1.0, 520.0, doc="mean weeks of a residential placement of one child"
    )
    cost_per_week: float = p(
        2450.0,
        0.0,
        100_000.0,
        doc="euros per week of a residential placement of one child",
        basis=CALIBRATED,
    )


@dataclass(frozen=True)
class ProtectionParams:
    investigation_threshold: float = p(
        0.38,
        0.0,
        1.0,
        doc="danger (worse of safety and child mental health) at which Veilig Thuis asks "
        "the Raad to investigate; below it the family goes to the wijkteam",
        basis=CALIBRATED,
    )
    professional_report_per_week: float = p(
        0.05,
        0.0,
        1.0,
        doc="weekly chance that a professional who sees an unsafe home in a family "
        "waiting for or in care reports it to Veilig Thuis (meldcode)",
        basis="Wet verplichte meldcode (2013, afwegingskader 2019); calibrated against "
        "the children under a protection measure",
    )
    investigators_per_10000_children: float = p(
        2.6,
        0.0,
        100.0,
        doc="Raad voor de Kinderbescherming investigators per 10,000 children",
        basis="calibrated: the Raad keeps up with the reports (about 60 investigations a "
        "year per 10,000 children), no queue that grows without end",
    )
    investigations_per_investigator: int = p(
        6, 1, 50, doc="investigations one investigator runs at once"
    )
    investigation_weeks: float = p(
        10.0, 1.0, 104.0, doc="mean weeks of a Raad investigation once started"
    )
    measure_threshold: float = p(
        0.345,
        0.0,
        1.0,
        doc="danger at the end of an investigation, or at a yearly review, for a "
        "supervision order (OTS) to start or go on",
        basis=CALIBRATED,
    )
    placement_threshold: float = p(
        0.45,
        0.0,
        1.0,
        doc="danger for a placement order (machtiging uithuisplaatsing) for one child",
    )
    crisis_placement_severity: float = p(
        0.45,
        0.0,
        1.0,
        doc="danger at which a crisis places one child at once, unless the wijkteam "
        "would judge the family light (then the crisis goes through the chain)",
    )
    voluntary_placement_severity: float = p(
        0.4,
        0.0,
        1.0,
        doc="danger at which a family in specialist youth care may agree to place one "
        "child without a court",
    )
    voluntary_placement_per_week: float = p(
        0.065,
        0.0,
        1.0,
        doc="weekly chance of such a voluntary placement",
        basis=CALIBRATED,
    )
    crisis_placement_weeks: int = p(
        13,
        1,
        104,
        doc="weeks of an emergency order, extended while the Raad has not decided",
        basis="voorlopige OTS / spoedmachtiging: up to three months",
    )
    ots_weeks: int = p(
        52, 1, 520, doc="weeks of a supervision order before review", basis="OTS: one year"
    )
    guardianship_after_weeks: int = p(
        52,
        1,
        1040,
        doc="weeks a child placed under a supervision order has lived away, without "
        "going home, after which guardianship (voogdij) begins",
        basis="Richtlijn Uithuisplaatsing (2015): whether the child can go home is decided "
        "within an acceptable term, half a year under 5 and a year from 5 (indicative "
        "since 2022)",
    )
    guardianship_weeks: int = p(
        312, 1, 1040, doc="weeks guardianship runs (until the child is of age, on average)"
    )
    gi_caseworkers_per_10000_children: float = p(
        8.5,
        0.0,
        200.0,
        doc="caseworkers of the certified institutions (GI) per 10,000 children",
        basis="assumption: about 3,000 jeugdbeschermers for 3.5 million children",
    )
    gi_caseload_norm: float = p(
        12.0,
        1.0,
        100.0,
        doc="children per GI caseworker at the norm; above it each child gets less",
        basis="Significant 2023: 8-9 families, about 12 children",
    )
    gi_effect: float = p(
        0.02,
        0.0,
        1.0,
        doc="weekly share of safety and parenting severity a GI caseworker removes at the norm",
    )
    measure_cost_per_week: float = p(
        170.0, 0.0, 10_000.0, doc="euros per child-week under a measure (GI tariff)"
    )
    gi_refers: bool = p(
        True,
        doc="the GI refers a child's untreated youth problems to providers itself, when a "
        "measure starts and at each review; off: only what the toegang started",
        basis="Jeugdwet art. 3.5: a GI may refer; CBS 85096NED: 8.1 % of starts by a GI",
    )
    foster_weight: float = p(
        0.45, 0.0, 1.0, doc="relative weight of foster care (pleegzorg) among placements"
    )
    gezinshuis_weight: float = p(
        0.08, 0.0, 1.0, doc="relative weight of a family home (gezinshuis) among placements"
    )
    residential_weight: float = p(
        0.42, 0.0, 1.0, doc="relative weight of residential care among placements"
    )
    secure_weight: float = p(
        0.05,
        0.0,
        1.0,
        doc="relative weight of secure care (JeugdzorgPlus), only for a child whose "
        "own problems are the acute ones",
    )
    foster_weeks: float = p(
        122.0, 1.0, 1040.0, doc="mean weeks of a foster placement",
        basis="CBS: foster-care trajectories ended in 2019 lasted 852 days on average",
    )
    gezinshuis_weeks: float = p(104.0, 1.0, 1040.0, doc="mean weeks in a family home")
    secure_weeks: float = p(
        26.0, 1.0, 520.0, doc="mean weeks of secure care",
        basis="CBS: trajectories with a secure placement ended in 2019 lasted 185 days on "
        "average",
    )
    foster_cost_per_week: float = p(
        600.0, 0.0, 100_000.0, doc="euros per week of foster care (allowance and support)"
    )
    gezinshuis_cost_per_week: float = p(
        1500.0, 0.0, 100_000.0, doc="euros per week in a family home"
    )
    secure_cost_per_week: float = p(6500.0, 0.0, 100_000.0, doc="euros per week of secure care")


@dataclass(frozen=True)
class StaffParams:
    sick_per_week: float = p(
        0.0135, 0.0, 1.0, doc="weekly chance of falling ill at neutral morale", basis=CALIBRATED
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
        "(outputgericht), lump_sum (taakgericht), or mixed: within each domain "
        "providers alternate per hour and per trajectory; the Dutch names are "
        "accepted too",
        choices=("per_hour", "per_trajectory", "lump_sum", "mixed", "inspanningsgericht",
                 "outputgericht", "taakgericht"),
    )
    hourly_rate: float = p(
        97.5, 0.0, 1000.0,
        doc="euros per hour of care; the basis of every tariff",
        basis="calibrated: a per-hour provider at a normal caseload breaks even "
        "(average provider margin 0.1 %, 2023)",
    )
    trajectory_fee_weeks: float = p(
        49.0, 1.0, 520.0,
        doc="weeks of care a trajectory fee pays for, whatever the trajectory's length",
        basis="calibrated: so that a per-trajectory provider at a normal caseload "
        "breaks even too (the mean length of its trajectories)",
    )
    lump_sum_share: float = p(
        1.0, 0.0, 5.0, doc="lump sum as a share of the cost of the contracted staff"
    )
    staff_cost_per_hour: float = p(50.0, 0.0, 1000.0, doc="provider's cost of a staff hour")
    wijkteam_cost_per_hour: float = p(75.0, 0.0, 1000.0, doc="cost of a wijkteam hour")
    budget_jeugd: float = p(0.0, 0.0, 1e12, doc="yearly youth silo in euros; 0: sized by need")
    budget_wmo: float = p(0.0, 0.0, 1e12, doc="yearly wmo silo in euros; 0: sized by need")
    budget_schuldhulp: float = p(0.0, 0.0, 1e12, doc="yearly debt silo; 0: sized by need")
    budget_onderwijs: float = p(
        0.0, 0.0, 1e12,
        doc="yearly budget of the samenwerkingsverband for school absence; 0: sized by need")
    budget_zvw: float = p(
        0.0, 0.0, 1e12,
        doc="yearly adult mental-health money of the health insurer (Zvw); 0: sized by need")
    budget_per_family: float = p(
        2358.0,
        0.0,
        1e6,
        doc="yearly budget per family when silos are sized by need (all payers)",
        basis="calibrated: municipal spending about 1.47 times the budget "
        "(EUR 5.6 bn against 3.8 bn, Jeugdautoriteit/AEF 2020)",
    )
    silo_split: dict = p(
        {"jeugd": 0.7281, "wmo": 0.0274, "schuldhulp": 0.0152, "onderwijs": 0.1804,
         "zvw": 0.0489},
        doc="share of the budget per silo when sized by need (all payers: the "
        "municipality's jeugd, wmo and schuldhulp, the samenwerkingsverband's "
        "onderwijs, the insurer's zvw)",
    )
    hard_silos: list = p(
        ["wmo", "schuldhulp", "onderwijs"],
        doc="silos that stop new starts once spent plus committed reaches the "
        "budget; youth care is a duty to provide and overspends instead; debt "
        "help is held to its response norm",
        basis="Jeugdwet: jeugdhulpplicht; national overspend 2019",
    )
    turnover_ceiling: float = p(
        0.0, 0.0, 2.0,
        doc="turnover ceilings (omzetplafonds): the share of each municipal silo "
        "divided over its providers by specialists; a provider at its ceiling "
        "takes no new families until January; 0: no ceilings",
        basis="assumption: common Dutch procurement practice, size set per scenario",
    )
    debt_response_weeks: float = p(
        4.0, 0.0, 52.0,
        doc="Wgs response norm: a family waiting longer for debt help opens a "
        "spent debt silo; 0: no norm, a hard cap",
        basis="Wet gemeentelijke schuldhulpverlening: first conversation within 4 weeks",
    )
    debt_urgent_response_weeks: float = p(
        0.6, 0.0, 52.0,
        doc="the same norm for urgent debt (severity at the crisis threshold)",
        basis="Wgs: 3 working days when urgent",
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
    transparency: bool = p(False, doc="teams see each other's results (network intelligence): "
                           "results are pooled, ideas that visibly fail are dropped")
    transparency_admin_share: float = p(
        0.01, 0.0, 0.2, doc="share of professionals' time spent registering and sharing results "
        "when transparency is on")
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
        0.5, 0.0, 1.0,
        doc="share of decline while waiting that self-help prevents for a family that "
        "uses it fully (use follows self-reliance)",
    )
    self_help_cost_per_user_week: float = p(
        6.0, 0.0, 1000.0,
        doc="euros per user-week of the online self-help programme (licence), youth silo",
        basis="assumption: e-health licences of some euros per user per week",
    )
    self_help_moderation_hours_per_100_users: float = p(
        2.0, 0.0, 100.0,
        doc="weekly wijkteam hours that moderate the programme, per 100 users",
        basis="assumption: a moderator answers the forum and chat",
    )
    informal_network_activation: bool = p(False, doc="the wijkteam strengthens families' networks")
    network_gain_per_week: float = p(
        0.004, 0.0, 1.0, doc="weekly network growth of an activated family"
    )


@dataclass(frozen=True)
class RouteParams:
    """Which door a noticed family goes through; see sim/routes.py."""

    own_request_to_gp: float = p(
        0.55,
        0.0,
        1.0,
        doc="share of families asking for help themselves who go to their GP first",
        basis="calibrated to CBS 85096NED referrers 2021 (huisarts 38.5 %)",
    )
    own_request_direct: float = p(
        0.45,
        0.0,
        1.0,
        doc="share of families asking for help who reach a provider without a referrer "
        "(free access); the rest go to the wijkteam",
        basis="calibrated to CBS 85096NED referrers 2021 (none 13.4 %)",
    )
    school_to_gp: float = p(
        0.85,
        0.0,
        1.0,
        doc="share of the school's signals that go to the GP (the way to youth mental "
        "health care), not the wijkteam",
        basis="calibrated to CBS 85096NED referrers 2021 (huisarts 38.5 %)",
    )
    gp_to_wijkteam: float = p(
        0.05,
        0.0,
        1.0,
        doc="share of the GP's families it passes to the wijkteam without agreements",
        basis="calibrated to CBS 85096NED referrers 2021 (toegang 30.8 %)",
    )
    medical_specialist_share: float = p(
        0.2,
        0.0,
        1.0,
        doc="share of the GP's severe child mental-health and disability cases "
        "referred through a medisch specialist",
        basis="calibrated to CBS 85096NED referrers 2021 (medisch specialist 4.9 %)",
    )
    jeugdarts_to_wijkteam: float = p(
        0.3, 0.0, 1.0, doc="share of the jeugdarts' families passed to the wijkteam"
    )
    gp_agreements: bool = p(
        False, doc="lever: agreements with GPs that they pass families to the wijkteam"
    )
    agreement_to_wijkteam: float = p(
        0.5,
        0.0,
        1.0,
        doc="share of the GP's families passed to the wijkteam under agreements",
    )
    wijkteam_at_gp: bool = p(
        False,
        doc="lever: a wijkteam generalist holds hours at the GP practices; "
        "the GP passes most families on, at the cost of the wijkteam's hours",
    )
    at_gp_to_wijkteam: float = p(
        0.8, 0.0, 1.0, doc="share of the GP's families passed on with a wijkteam at the practice"
    )
    wijkteam_at_gp_hours_per_1000_families: float = p(
        8.0,
        0.0,
        200.0,
        doc="weekly wijkteam hours spent at GP practices per 1000 families (from care)",
    )
    poh_jeugd: bool = p(
        False,
        doc="lever: a praktijkondersteuner jeugd (POH-jeugd) at the GP practices "
        "helps light cases and refers more precisely",
    )
    poh_hours_per_1000_families: float = p(
        6.0,
        0.0,
        200.0,
        doc="weekly POH-jeugd hours per 1000 families",
        basis="assumption: the part of a POH-jeugd's hours spent on families whose "
        "problems cross the signal threshold",
    )
    poh_hours_per_family: float = p(
        0.5, 0.05, 20.0, doc="weekly POH hours per family it helps"
    )
    poh_weeks: float = p(
        10.0, 1.0, 104.0, doc="mean weeks of help by the POH-jeugd (a few consultations)"
    )
    poh_cost_per_hour: float = p(
        70.0, 0.0, 1000.0, doc="cost of a POH-jeugd hour, paid from the youth silo"
    )
    poh_precision: float = p(
        0.5,
        0.0,
        1.0,
        doc="share of the GP's misreferrals a POH-jeugd prevents",
    )


@dataclass(frozen=True)
class WaitParams:
    """Waiting in two stages, with urgency (sim/waiting_list.py, sim/care.py)."""

    urgency: bool = p(
        True,
        doc="urgent referrals (waits.urgent_severity, or a crisis) go "
        "first within a list; first come, first served within each class",
        basis="Treeknormen: urgent care is triaged ahead of the regular list",
    )
    urgent_severity: float = p(
        0.5,
        0.0,
        1.0,
        doc="a referral is urgent when its problem, or the unsafe home, is at least this "
        "severe (a crisis makes it urgent too)",
    )
    intake_horizon_weeks: float = p(
        10.0,
        0.0,
        520.0,
        doc="a provider holds an intake when it expects to start treatment within "
        "this many weeks (its places over its mean trajectory); 0: intake at the start",
        basis="Treeknorm: treatment within 10 weeks of the intake",
    )
    intake_hours: float = p(
        2.0, 0.0, 40.0, doc="provider hours one intake conversation costs"
    )


@dataclass(frozen=True)
class ProgressParams:
    """Care that ends on progress: reviews of running trajectories (sim/care.py)."""

    reviews: bool = p(
        True,
        doc="trajectories are reviewed and end, extend or step up on the family's "
        "progress; off: every trajectory runs its planned length",
    )
    review_weeks: float = p(13.0, 1.0, 104.0, doc="weeks between reviews of a trajectory")
    goal_severity: float = p(
        0.07,
        0.0,
        1.0,
        doc="care ends at a review once the domain's severity is below this goal "
        "(scaled by the contract: see funding.per_hour_length)",
    )
    progress_margin: float = p(
        0.02,
        0.0,
        1.0,
        doc="fall in severity since the last review that counts as progress (a rise "
        "by as much counts as worsening)",
    )
    max_extensions: int = p(
        4, 0, 100, doc="reviews past the planned length at most (then care ends anyway)"
    )
    step_up_effect: float = p(
        1.5,
        1.0,
        5.0,
        doc="care effect of stepped-up (more intensive) care; it takes a second place",
    )


@dataclass(frozen=True)
class CrisisServiceParams:
    """The crisis service (sim/crisis.py): answers a crisis within a day."""

    workers_per_10000_children: float = p(
        1.0,
        0.0,
        100.0,
        doc="crisis workers on call per 10,000 children; 0: no crisis service",
        basis="assumption: a regional spoedzorg team of a few FTE per 25,000 families",
    )
    cases_per_worker: int = p(
        3, 1, 50, doc="crisis interventions one worker runs at the same time"
    )
    weeks: float = p(4.0, 0.5, 26.0, doc="weeks of an intensive crisis intervention")
    relief: float = p(
        0.15,
        0.0,
        1.0,
        doc="share of acute severity (safety, child mental health) the intervention "
        "takes away on the day it answers (de-escalation at home)",
    )
    effect: float = p(
        2.0,
        0.0,
        10.0,
        doc="weekly effect of the intervention, in units of providers.care_effect",
    )
    cost_per_hour: float = p(
        90.0, 0.0, 1000.0, doc="euros per crisis-worker hour, paid from the youth silo"
    )


@dataclass(frozen=True)
class BridgingParams:
    """Bridging care by the wijkteam while a family waits (sim/bridging.py)."""

    enabled: bool = p(
        False, doc="lever: the wijkteam gives bridging care (overbruggingszorg) to "
        "families waiting for specialist care"
    )
    hours_per_family: float = p(
        0.5, 0.0, 10.0, doc="weekly wijkteam hours of bridging care per waiting family"
    )
    effect: float = p(
        0.3,
        0.0,
        1.0,
        doc="its effect on the domain waited for, as a share of specialist care",
    )


@dataclass(frozen=True)
class CapacityParams:
    """How the scenario staffs its practices and procures capacity (sim/capacity.py)."""

    trajectbegeleiding_staffed: str = p(
        "moved",
        doc="who does the trajectbegeleider's hours: moved (taken from the wijkteam's "
        "generalists, who then have fewer hours for light help) or new (dedicated staff "
        "hired from the youth budget)",
        choices=("moved", "new"),
    )
    online_help_staffed: str = p(
        "moved",
        doc="who answers online help: moved (the wijkteam's generalists) or new "
        "(dedicated online staff)",
        choices=("moved", "new"),
    )
    network_activation_staffed: str = p(
        "moved",
        doc="who activates families' networks: moved (the wijkteam's generalists) or new "
        "(dedicated staff)",
        choices=("moved", "new"),
    )
    trajectbegeleiders_per_1000_families: float = p(
        1.0, 0.0, 50.0,
        doc="dedicated trajectbegeleiders per 1000 families when staffed new",
        basis="assumption: about 1.5 hours a week for some 12 families per 1000 with a "
        "plan across domains (measured in the integraal scenario)",
    )
    online_staff_per_1000_families: float = p(
        0.3, 0.0, 50.0, doc="dedicated online-help staff per 1000 families when staffed new"
    )
    network_staff_per_1000_families: float = p(
        2.0, 0.0, 50.0,
        doc="dedicated network-activation staff per 1000 families when staffed new",
        basis="assumption: half an hour a week for every activated family in care",
    )
    lead_weeks: int = p(
        13, 0, 520,
        doc="weeks between a decision to hire or contract capacity and the new staff's "
        "first week",
        basis="assumption: about a quarter to recruit, like staff.vacancy_weeks",
    )
    domain_shares: dict = p(
        {"opvoeding": 0.27, "jeugd_ggz": 0.33, "ouder_ggz": 0.09, "schulden": 0.04,
         "schoolverzuim": 0.16, "beperking": 0.03, "veiligheid": 0.05, "wonen": 0.03},
        doc="share of the contracted specialist capacity per domain, set at procurement "
        "(each domain gets at least one professional)",
        basis="assumption: capacity has grown to follow the referral mix of fragmented care "
        "(measured in the baseline scenario)",
    )


@dataclass(frozen=True)
class ReformParams:
    """The Hervormingsagenda Jeugd's levers (sim/reform.py); all off in the status quo."""

    jeugdhulp_reach: float = p(
        0.0, 0.0, 1.0,
        doc="lever (reikwijdte): worst-problem severity below which a request does not count "
        "as jeugdhulp; the wijkteam advises and points to the voorliggend veld (school, "
        "sport, community) instead of helping; 0: every request counts",
    )
    own_contribution_per_week: float = p(
        0.0, 0.0, 1000.0,
        doc="lever (eigen bijdrage): euros a week a family above the income limit pays "
        "for specialist youth care; 0: none, as since the ouderbijdrage ended in 2016",
    )
    paying_share: float = p(
        0.6, 0.0, 1.0,
        doc="share of families with an income above the limit; families with debt "
        "problems are below it",
        basis="assumption: about the share of households above 120 % of the social minimum "
        "with the lower-income families most often in care",
    )
    decline_when_mild: float = p(
        0.35, 0.0, 1.0,
        doc="chance a paying family declines a referral for a problem just above the signal "
        "threshold, at a contribution of 50 euros a week; it grows with the contribution "
        "(up to certainty) and falls linearly to 0 for a problem of severity 1",
        basis="assumption: care avoidance reported when the ouderbijdrage applied (2015)",
    )
    collection_cost_per_week: float = p(
        6.0, 0.0, 1000.0,
        doc="cost of levying the contribution, per paying family and week of care, "
        "from the youth silo",
        basis="assumption: income checks, invoices and reminders by the collecting agency",
    )
    generalist_teams: bool = p(
        False,
        doc="lever (sterke lokale teams): the wijkteam's generalists treat moderate problems "
        "in several domains themselves instead of referring them",
    )
    generalist_threshold: float = p(
        0.6, 0.0, 1.0,
        doc="with generalist teams: worst-problem severity up to which the wijkteam treats "
        "a family itself, whatever the number of domains",
    )
    residential_places_per_10000_children: float = p(
        0.0, 0.0, 1000.0,
        doc="lever (afbouw residentieel): residential places the region keeps per 10,000 "
        "children; a child who needs one when they are full goes to a foster or family "
        "home; 0: as many as needed",
    )
    mismatch_breakdown_per_week: float = p(
        0.02, 0.0, 1.0,
        doc="weekly chance that a foster or family-home placement of a child who needed a "
        "residential group breaks down, at the child's mental-health severity 1 (scaled "
        "down with it)",
        basis="assumption: about a third of such placements break down in their first year",
    )
    breakdown_harm: float = p(
        0.05, 0.0, 1.0,
        doc="rise of the child's mental-health severity at a placement breakdown",
        basis="assumption: a breakdown is one more broken attachment",
    )


@dataclass(frozen=True)
class RegionParams:
    """Joint procurement of specialist care by a youth-care region (sim/region.py)."""

    municipalities: int = p(
        1, 1, 50,
        doc="municipalities that procure the regional domains together, this one included; "
        "1: the municipality procures alone",
    )
    domains: list = p(
        ["jeugd_ggz", "beperking"],
        doc="domains the region procures jointly (specialist care); the rest stays local",
    )
    cost_key: str = p(
        "use",
        doc="how the region shares the cost: use (each pays for its own children) or "
        "population (each pays its share of the region's spending, whoever used it)",
        choices=("use", "population"),
    )
    other_demand: float = p(
        0.9, 0.0, 5.0,
        doc="the other municipalities' referrals, as a share of what their part of the "
        "regional places can serve (1: just full)",
        basis="assumption: neighbours much like this municipality, whose places run at "
        "about 90 %",
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
    "routes": RouteParams,
    "protection": ProtectionParams,
    "waits": WaitParams,
    "progress": ProgressParams,
    "crisis_service": CrisisServiceParams,
    "bridging": BridgingParams,
    "capacity": CapacityParams,
    "reform": ReformParams,
    "region": RegionParams,
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
    routes: RouteParams = field(default_factory=RouteParams)
    protection: ProtectionParams = field(default_factory=ProtectionParams)
    waits: WaitParams = field(default_factory=WaitParams)
    progress: ProgressParams = field(default_factory=ProgressParams)
    crisis_service: CrisisServiceParams = field(default_factory=CrisisServiceParams)
    bridging: BridgingParams = field(default_factory=BridgingParams)
    capacity: CapacityParams = field(default_factory=CapacityParams)
    reform: ReformParams = field(default_factory=ReformParams)
    region: RegionParams = field(default_factory=RegionParams)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """Plain nested dict, as a scenario file would hold it."""
        return {
            name: {
                f.name: getattr(getattr(self, name), f.name) for f in fields(getattr(self, name))
            }
            for name in SECTIONS
        }
