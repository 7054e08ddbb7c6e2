"""What is measured: weekly KPIs (in total and per neighbourhood, team, provider) and summaries.

Weekly figures go through Mesa's DataCollector: the model computes one dict
per week (`model.kpi`) and each reporter reads its label from it. Waits and
ratings are means over the last quarter (13 weeks) of starts and endings, so
a neighbourhood's chart is not a comb of single events. "Without further
help" and relapse can only be known a year after an ending, so they describe
the endings of one to two years ago.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from operator import itemgetter
from typing import TYPE_CHECKING

import numpy as np
from mesa import DataCollector

from sim import routes
from sim.agents import Role
from sim.domains import SILOS, Domain
from sim.funding import WEEKS_PER_YEAR
from sim.payers import MUNICIPAL
from sim.records import Episode
from sim.rows import row_max
from sim.states import Ending, FamilyState, Stress
from sim.targets import (  # noqa: F401 - still importable from here, as before they moved
    TARGET_RATING,
    TARGET_WAIT_WEEKS,
    TARGET_WITHOUT_HELP,
)
from sim.waiting_list import LIGHT

# Endings judged by whether the family comes back within a year: care that ended,
# and advice to the voorliggend veld (sim/reform.py). A dropout or a declined offer
# is not a success, whatever follows.
REGULAR = (Ending.ENDED, Ending.ADVISED)
_REGULAR = frozenset(int(e) for e in REGULAR)  # plain ints: enum comparisons are slow in loops
# Episodes without care have no care to rate (client surveys ask those who had care).
UNRATED = (Ending.ADVISED, Ending.DECLINED)
_UNRATED = frozenset(int(e) for e in UNRATED)

if TYPE_CHECKING:
    import pandas as pd

    from sim.model import SamenspelModel

WINDOW = 13

WEEKLY = (
    "families_healthy", "families_signal", "families_waiting", "families_in_care",
    "families_ended_well", "families_relapsed", "families_escalated",
    "waiting_families", "hidden_waiting_families", "mean_wait_weeks", "p90_wait_weeks",
    "urgent_p90_wait_weeks", "urgent_waiting_weeks", "starts", "trajectories_active",
    "share_ended_without_further_help", "relapse_share",
    "client_rating", "professional_satisfaction", "workload_too_high_share",
    "sickness_absence_share", "vacancies", "leavers", "admin_time_share",
    "coordination_time_share", "care_time_share", "places", "professionals_per_family",
    "plans_per_family", "retold_per_episode", "escalations", "out_of_home",
    "alternative_placements", "dropouts", "toxic_stress_share", "cost_per_week_eur",
    *(f"cost_{s}_eur" for s in SILOS), "budget_used_share", "silo_blocked_waiting",
    "innovations_tried", "innovations_adopted", "innovation_spread", "innovations_abandoned",
    "provider_reserve_eur", "providers_in_distress", "value_per_million_eur",
)
TABLES = {
    "neighbourhood": ["week", "group", "families", "waiting", "in_care", "signal", "escalated",
                      "toxic_stress_share", "mean_severity"],
    "team": ["week", "group", "staff", "available", "light_places", "light_in_care",
             "light_waiting", "morale", "coordination_hours"],
    "provider": ["week", "group", "contract", "staff", "available", "places", "in_care",
                 "waiting", "reserve_eur", "admin_share", "morale"],
}


class _Reporter:
    """Reads one label from the model's weekly KPI dict.

    A callable object rather than a lambda: Mesa deep-copies what lambdas
    return, and these are plain numbers already.
    """

    def __init__(self, model: SamenspelModel, label: str) -> None:
        self.model, self.label = model, label

    def __call__(self) -> float:
        return self.model.kpi[self.label]


def make_collector(model: SamenspelModel) -> DataCollector:
    reporters = {name: _Reporter(model, name) for name in WEEKLY}
    return DataCollector(model_reporters=reporters, tables={k: list(v) for k, v in TABLES.items()})


def collect(model: SamenspelModel) -> None:
    model.kpi = weekly(model)
    model.cost_history.append(model.kpi["cost_per_week_eur"])
    _record(model.datacollector, model.kpi)
    if model.collect_groups:
        _collect_groups(model)


def _record(dc: DataCollector, kpi: dict[str, float]) -> None:
    """The week's row of the data collector, as `DataCollector.collect` stores it.

    Every reporter is a `_Reporter` of this module, reading its label from `kpi`;
    collect's deep copy of each value would copy plain numbers as themselves.
    """
    for name, column in dc.model_vars.items():
        column.append(kpi[name])


# -- weekly -------------------------------------------------------------------

def _since(rows: list, week: int) -> list:
    """Rows (ordered by their first item, a week) from `week` on."""
    return rows[bisect_left(rows, week, key=lambda r: r[0]):]


def _episodes_ended(model: SamenspelModel, first: int, last: int) -> list[Episode]:
    eps = model.episodes
    lo = bisect_left(eps, first, key=_end_week)
    hi = bisect_left(eps, last + 1, key=_end_week)
    return eps[lo:hi]


def _regular_counts(episodes: list[Episode]) -> tuple[int, int]:
    """(regular endings, of which relapsed) in one pass over a year of endings."""
    relapsed = [bool(e.relapsed) for e in episodes if e.ending in _REGULAR]
    return len(relapsed), sum(relapsed)


def outcome_shares(episodes: list[list]) -> tuple[float, float]:
    """(share ended without further help, relapse share among regular endings)."""
    if not episodes:
        return float("nan"), float("nan")
    regular, relapsed = _regular_counts(episodes)
    relapse = relapsed / regular if regular else float("nan")
    return (regular - relapsed) / len(episodes), relapse


def weekly(model: SamenspelModel) -> dict[str, float]:
    fam, cur = model.families, model.week - 1
    k: dict[str, float] = {}
    counts = np.bincount(fam.state, minlength=len(FamilyState)).tolist()
    for state, label in _STATE_LABELS:
        k[label] = counts[state]
    k.update(_waiting(model, cur))
    k.update(_outcomes(model, cur))
    k.update(_staff(model))
    k.update(_care(model, cur))
    k.update(_money(model))
    k.update(model.innovations.counts())
    return k


# (state, its weekly label), made once: enum iteration and `.name` are slow in a weekly call.
_STATE_LABELS = [(int(state), f"families_{state.name.lower()}") for state in FamilyState]


def _waiting(model: SamenspelModel, cur: int) -> dict[str, float]:
    registered = hidden = 0
    urgent_now = []  # weeks waited so far by the urgency class (sim/care.py, is_urgent)
    week = model.week
    for refs in model.care.waiting.values():  # one pass over the waiting referrals
        seen = False
        for r in refs:
            if r.urgent:
                urgent_now.append(week - r.first_arrival)
            if r.registered:
                seen = True
        if seen:
            registered += 1
        else:
            hidden += 1
    recent = _since(model.care.starts, cur - WINDOW + 1)
    waits = np.array([s.wait for s in recent])
    urgent = np.array([s.wait for s in recent if s.urgent])
    return {
        "waiting_families": registered, "hidden_waiting_families": hidden,
        "mean_wait_weeks": float(waits.mean()) if waits.size else float("nan"),
        "p90_wait_weeks": p90(waits),
        "urgent_p90_wait_weeks": p90(urgent),
        "urgent_waiting_weeks": float(np.mean(urgent_now)) if urgent_now else 0.0,
        "starts": len(_since(recent, cur)),  # starts are in order of week, none after `cur`
    }


def p90(values: np.ndarray) -> float:
    """90th percentile with linear interpolation (as numpy's default), cheap for short arrays."""
    n = len(values)
    if n == 0:
        return float("nan")
    ordered = np.sort(values)
    pos = 0.9 * (n - 1)
    lo = int(pos)
    hi = min(lo + 1, n - 1)
    return float(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo))


def _lagged_counts(model: SamenspelModel, first: int, last: int) -> tuple[int, int, int]:
    """(endings from week `first` to `last`, regular ones, of which relapsed).

    The weekly window moves a week at a time, and its endings are a year old or more:
    their relapse flags no longer change (an ending is flagged only within
    RELAPSE_WEEKS, sim/states.py). So last week's counts, less the endings that left the
    window and plus those that came in, are this week's (whole numbers: exact); a window
    that did not move on from the last one is counted afresh.
    """
    eps = model.episodes
    lo = bisect_left(eps, first, key=_end_week)
    hi = bisect_left(eps, last + 1, key=_end_week)
    kept = getattr(model, "_lagged", None)
    if kept is not None and kept[0] <= lo <= kept[1] <= hi:
        old_lo, old_hi, regular, relapsed = kept
        gone, came = _regular_counts(eps[old_lo:lo]), _regular_counts(eps[old_hi:hi])
        regular += came[0] - gone[0]
        relapsed += came[1] - gone[1]
    else:
        regular, relapsed = _regular_counts(eps[lo:hi])
    model._lagged = (lo, hi, regular, relapsed)
    return hi - lo, regular, relapsed


def _end_week(e: Episode) -> int:
    return e.end


def _outcomes(model: SamenspelModel, cur: int) -> dict[str, float]:
    ended, regular, relapsed = _lagged_counts(model, cur - 103, cur - 52)
    good = regular - relapsed
    # as outcome_shares over those endings, from the one count
    without = good / ended if ended else float("nan")
    relapse = relapsed / regular if regular else float("nan")
    recent = _episodes_ended(model, cur - WINDOW + 1, cur)
    ratings = [e.rating for e in recent if e.ending not in _UNRATED]
    cost = sum(model.cost_history[max(0, cur - 103):max(0, cur - 51)])
    return {
        "share_ended_without_further_help": without, "relapse_share": relapse,
        "client_rating": float(np.mean(ratings)) if ratings else float("nan"),
        "value_per_million_eur": good / cost * 1e6 if cost > 0 else float("nan"),
    }


def _staff(model: SamenspelModel) -> dict[str, float]:
    """Staff figures in one pass over the professionals.

    Each hour total is still one `sum` per key in the professionals' order, so the shares
    are the same to the last bit. The sums read the professionals' hour dicts directly: a
    values view and an iterator per professional, all alive at once, were enough new
    objects to set off about half of a run's garbage collections.
    """
    pros = model.professionals
    week = model.week
    norm = model.params.staff.caseload_norm
    active = [p for p in pros if p.active]
    morale = [p.morale for p in active]
    sheets = [p.hours for p in active]
    specialists = [p.caseload for p in active if p.role == _SPECIALIST]
    overloaded = sum([load >= norm for load in specialists])
    absent = sum([p.sick_until > week for p in active])  # active, so not available
    # one `sum` per key over the professionals in order, as before (same rounding)
    hours = {key: sum(map(itemgetter(key), sheets)) for key in active[0].hours} if active else {}
    total = sum(hours.values()) or 1.0
    return {
        "professional_satisfaction": float(np.mean(morale)) if active else 0,
        "workload_too_high_share": overloaded / len(specialists) if specialists else 0.0,
        "sickness_absence_share": absent / max(len(active), 1),
        "vacancies": len(pros) - len(active),
        "leavers": model.counters["leavers"],
        "admin_time_share": hours.get("admin", 0) / total,
        "coordination_time_share": hours.get("coordination", 0) / total,
        "care_time_share": hours.get("care", 0) / total,
        "places": sum(sum(o.capacity.tolist()) for o in model.orgs),
    }


_SPECIALIST = int(Role.SPECIALIST)
_TOXIC = int(Stress.TOXIC)


def _care(model: SamenspelModel, cur: int) -> dict[str, float]:
    fam = model.families
    k = fam.in_care_count()
    in_care = np.flatnonzero(k)
    n = in_care.size
    kids = fam.children
    ended = _episodes_ended(model, cur - 51, cur)
    placed = np.count_nonzero(model.protection.placed())
    # Means of whole numbers as their exact sum over the count: the same correctly
    # rounded quotient numpy's mean gives (its float sum of integers is exact too).
    return {
        "professionals_per_family": int(k.sum()) / n if n else 0.0,
        "plans_per_family": int(fam.episode_plans[in_care].sum()) / n if n else 0.0,
        "retold_per_episode": sum([e.retold for e in ended]) / len(ended) if ended else 0.0,
        # placed children count as running care whatever their family's state
        "trajectories_active": len(model.care.trajectories) + placed,
        "escalations": model.counters["escalations"],
        "out_of_home": placed,
        "alternative_placements": model.counters["alternative_placements"],
        "dropouts": model.counters["dropouts"],
        "toxic_stress_share": float(kids[fam.stress == _TOXIC].sum() / kids.sum()),
    }


def _money(model: SamenspelModel) -> dict[str, float]:
    b = model.budget
    week_in_year = model.week % 52 or 52
    # the municipality's own budget: not the insurer's or the samenwerkingsverband's money
    expected = b.yearly[MUNICIPAL].sum() * week_in_year / 52
    out = {"cost_per_week_eur": float(b.spent_week.sum())}
    out.update({f"cost_{s}_eur": float(b.spent_week[i]) for i, s in enumerate(SILOS)})
    out["budget_used_share"] = (float(b.spent_year[MUNICIPAL].sum() / expected) if expected
                                else 0.0)
    out["silo_blocked_waiting"] = model.counters["silo_blocked_weeks"]
    out["provider_reserve_eur"] = float(sum(o.reserve for o in model.providers))
    out["providers_in_distress"] = sum(1 for o in model.providers if o.in_distress)
    return out


def _collect_groups(model: SamenspelModel) -> None:
    fam, w = model.families, model.week
    tables = model.datacollector.tables
    nb = fam.neighbourhood
    n = len(model.wijkteams)
    # Counts and sums per neighbourhood as Python lists (ints and floats): reading numpy
    # scalars one by one costs more than the arithmetic; the divisions give the same doubles.
    size = np.bincount(nb, minlength=n).tolist()
    # Families per neighbourhood and state in one count (row: neighbourhood, column: state).
    states = len(FamilyState)
    per_state = np.bincount(nb * states + fam.state, minlength=n * states).reshape(n, states)
    by_state = [per_state[:, s].tolist() for s in _GROUP_STATES]
    kids = np.bincount(nb, weights=fam.children, minlength=n).tolist()
    toxic = np.bincount(nb, weights=fam.children * (fam.stress == Stress.TOXIC),
                        minlength=n).tolist()
    sev = np.bincount(nb, weights=row_max(fam.severity), minlength=n).tolist()
    available, morale = _staff_by_org(model, w)
    places, teams = [], []
    for team in model.wijkteams:
        i = team.neighbourhood
        places.append((w, i + 1, size[i], by_state[0][i], by_state[1][i], by_state[2][i],
                       by_state[3][i], toxic[i] / kids[i] if kids[i] else 0.0,
                       sev[i] / size[i] if size[i] else 0.0))
        light = model.care.lists.get(("light", i))
        teams.append((w, team.name, len(team.staff), available[team.number],
                      int(team.capacity[LIGHT]), int(team.occupied[LIGHT]),
                      len(light) if light is not None else 0, morale[team.number],
                      team.coordination_load))
    _append_rows(tables["neighbourhood"], places)
    _append_rows(tables["team"], teams)
    waiting_at: dict[object, int] = {}
    for key, wl in model.care.lists.items():
        waiting_at[key[0]] = waiting_at.get(key[0], 0) + len(wl)
    rows = []
    for org in model.providers:
        rows.append((w, org.name, org.contract, len(org.staff), available[org.number],
                     sum(org.capacity.tolist()), sum(org.occupied.tolist()),
                     waiting_at.get(org.number, 0), org.reserve, org.admin_share_now,
                     morale[org.number]))
    _append_rows(tables["provider"], rows)


def _append_rows(table: dict[str, list], rows: list[tuple]) -> None:
    """The rows' values onto the table's columns, in TABLES' order (what Mesa's
    `add_table_row` stores, one column at a time instead of one cell at a time)."""
    if not rows:
        return
    for column, values in zip(table.values(), zip(*rows, strict=True), strict=True):
        column.extend(values)


def _staff_by_org(model: SamenspelModel, week: int) -> tuple[list[int], list[float]]:
    """Per organisation number: its available staff, and the mean morale of its active
    staff (0.0 without any), in one pass over the professionals."""
    n = len(model.orgs)
    available = [0] * n
    morale: list[list[float]] = [[] for _ in range(n)]
    for p in model.professionals:
        if p.active:
            i = p.org.number
            morale[i].append(p.morale)
            if p.sick_until <= week:  # `p.available`, inlined
                available[i] += 1
    # fsum is exact, so the order of a team's professionals does not matter
    return available, [math.fsum(m) / len(m) if m else 0.0 for m in morale]


# by_state's order in _collect_groups: waiting, in care, signal, escalated
_GROUP_STATES = (int(FamilyState.WAITING), int(FamilyState.IN_CARE), int(FamilyState.SIGNAL),
                 int(FamilyState.ESCALATED))


# -- frames and summary -----------------------------------------------------------

def kpi_frame(model: SamenspelModel) -> pd.DataFrame:
    df = model.datacollector.get_model_vars_dataframe()
    df.index = np.arange(1, len(df) + 1)
    df.index.name = "week"
    return df


def group_frames(model: SamenspelModel) -> dict[str, pd.DataFrame]:
    return {name: model.datacollector.get_table_dataframe(name) for name in TABLES}


RATING_BASE = 5.6  # an episode that relieved nothing, with no wait or retelling
RATING_RELIEF = 3.4  # added for relieving the whole problem load


def client_rating(model: SamenspelModel, f: int, ending: Ending) -> float:
    """The family's rating of an episode (1-10): assumption, see docs/ODD.md.

    Only what the family went through counts: how much of its problem load
    was relieved, the weeks it waited, the times it told its story again and
    the separate plans it had to follow. No lever earns points of its own; an
    integral plan or a dossier the family keeps rates better only through
    fewer retellings, fewer plans and better outcomes. Full relief with no
    wait, no retelling and one plan rates 9; the target of 8.5 is reachable.
    """
    fam = model.families
    start = float(fam.episode_severity[f])
    relief = min(max((start - float(fam.severity[f].sum())) / start, 0.0), 1.0) if start > 0 \
        else 0.0
    rating = (RATING_BASE + RATING_RELIEF * relief - 0.08 * fam.episode_wait[f]
              - 0.3 * fam.episode_retold[f] - 0.3 * max(fam.episode_plans[f] - 1, 0))
    if ending == Ending.DROPPED_OUT:
        rating -= 2.0
    elif ending in (Ending.ESCALATED, Ending.ALTERNATIVE):
        rating -= 1.0
    return min(max(float(rating), 1.0), 10.0)


def years_after(model: SamenspelModel, warm: int) -> list[dict[str, float]]:
    """The model's closed years that began after the warm-up."""
    return [y for y in model.years if y["end_week"] - WEEKS_PER_YEAR >= warm]


def summary(model: SamenspelModel) -> dict[str, float]:
    """Headline figures over the weeks after the warm-up (all weeks if there are none)."""
    warm = model.params.run.warmup_weeks
    if model.week <= warm:
        warm = 0
    df = kpi_frame(model)
    after = df[df.index > warm]
    starts = _since(model.care.starts, warm)
    waits = np.array([s.wait for s in starts])
    urgent = np.array([s.wait for s in starts if s.urgent])
    last = model.week - 1
    settled = _episodes_ended(model, warm, last - 52)
    without, relapse = outcome_shares(settled)
    ended = _episodes_ended(model, warm, last)
    years = years_after(model, warm)
    ep_starts = _since(model.episode_starts, warm)
    weeks = max(model.week - warm, 1)
    total_cost = float(after["cost_per_week_eur"].sum())
    escalations = (after["escalations"].iloc[-1] - (df["escalations"].iloc[warm - 1] if warm
                                                    else 0)) if len(after) else 0
    start_rate = (len(starts) + escalations) / weeks  # Little's law: length = stock / starts
    good = sum(1 for e in settled if e.ending in REGULAR and not e.relapsed)
    settled_cost = float(df[(df.index > warm) & (df.index <= last - 51)]["cost_per_week_eur"].sum())

    def mean(col: str) -> float:
        return float(after[col].mean()) if len(after) else float("nan")

    return {
        "weeks_measured": weeks,
        "mean_wait_weeks": float(waits.mean()) if waits.size else float("nan"),
        "mean_time_on_list_weeks": time_on_list(model, warm, waits),
        "p90_wait_weeks": float(np.percentile(waits, 90)) if waits.size else float("nan"),
        "urgent_p90_wait_weeks": float(np.percentile(urgent, 90)) if urgent.size else float("nan"),
        "share_waiting_over_8_weeks": float((waits > 8).mean()) if waits.size else float("nan"),
        "mean_waiting_families": mean("waiting_families"),
        "urgent_waiting_weeks": mean("urgent_waiting_weeks"),
        "mean_hidden_waiting_families": mean("hidden_waiting_families"),
        "share_children_in_care_per_year": _mean([y["share_children_in_care"] for y in years]),
        "residential_share": _mean([y["residential_share"] for y in years]),
        "mean_trajectory_weeks": mean("trajectories_active") / start_rate if start_rate
        else float("nan"),
        "repeat_use_share": _mean([float(s.repeat) for s in ep_starts]),
        "share_ended_without_further_help": without,
        "relapse_share": relapse,
        "client_rating": _mean([e.rating for e in ended if e.ending not in UNRATED]),
        "professional_satisfaction": mean("professional_satisfaction"),
        "workload_too_high_share": mean("workload_too_high_share"),
        "sickness_absence_share": mean("sickness_absence_share"),
        "admin_time_share": mean("admin_time_share"),
        "coordination_time_share": mean("coordination_time_share"),
        "professionals_per_family": mean("professionals_per_family"),
        "plans_per_family": mean("plans_per_family"),
        "retold_per_episode": _mean([e.retold for e in ended]),
        "plans_per_episode": _mean([e.plans for e in ended]),
        "escalations_per_year": escalations * 52 / weeks,
        "toxic_stress_share": mean("toxic_stress_share"),
        "silo_blocked_waiting_weeks": float(after["silo_blocked_waiting"].iloc[-1] - (
            df["silo_blocked_waiting"].iloc[warm - 1] if warm else 0)) if len(after) else 0.0,
        "cost_per_child_in_care_eur": _mean([y["youth_cost_eur"] / max(y["children_in_care"], 1)
                                             for y in years]),
        "total_cost_eur": total_cost,
        "cost_per_year_eur": total_cost * 52 / weeks,
        "budget_overrun_share": _mean(model.budget.overrun_years[-len(years):]) if years
        else float("nan"),
        "capped_silo_spend_share": _capped_spend(model, len(years)),
        "value_per_million_eur": good / settled_cost * 1e6 if settled_cost else float("nan"),
        "innovations_adopted": float(df["innovations_adopted"].iloc[-1]) if len(df) else 0.0,
        "innovation_spread": float(df["innovation_spread"].iloc[-1]) if len(df) else 0.0,
        "providers_in_distress": mean("providers_in_distress"),
        "referrer_shares": routes.referrer_shares(model, warm),
        **wait_stages(starts),
        **progress_counts(model),
        **model.region.summary(warm),
    }


def wait_stages(starts: list[tuple]) -> dict[str, object]:
    """Waits in two stages (referral to intake, intake to treatment), overall and per domain.

    `mean_wait_weeks` stays the whole wait, referral to the start of treatment;
    `wait_by_domain` gives, per domain (and light help), the starts and the
    mean weeks to intake, to treatment and in total, and the total for urgent
    referrals alone.
    """
    def avg(values: list[float]) -> float:
        return float(np.mean(values)) if values else float("nan")

    by: dict[str, dict[str, float]] = {}
    for slot in range(LIGHT + 1):
        rows = [r for r in starts if r.slot == slot]
        key = "light_help" if slot == LIGHT else Domain(slot).key
        by[key] = {"starts": len(rows),
                   "to_intake": avg([r.intake_wait for r in rows]),
                   "to_treatment": avg([r.wait - r.intake_wait for r in rows]),
                   "total": avg([r.wait for r in rows]),
                   "urgent_total": avg([r.wait for r in rows if r.urgent])}
    return {"mean_wait_to_intake_weeks": avg([r.intake_wait for r in starts]),
            "mean_wait_to_treatment_weeks": avg([r.wait - r.intake_wait for r in starts]),
            "wait_by_domain": by}


def progress_counts(model: SamenspelModel) -> dict[str, float]:
    """How reviewed care ended, stepped-up care, crisis interventions and bridging care.

    Counted over the whole run (the counters are not split at the warm-up):
    the share of reviews ending care that found the goal reached, and yearly
    or weekly rates.
    """
    c = model.counters
    ended = c["care_goal_reached"] + c["care_ended_stalled"]
    run_weeks = max(model.week, 1)
    return {
        "care_goal_reached_share": c["care_goal_reached"] / ended if ended else float("nan"),
        "care_stepped_up_per_year": c["care_stepped_up"] * 52 / run_weeks,
        "crisis_interventions_per_year": c["crisis_interventions"] * 52 / run_weeks,
        "bridging_families_per_week": c["bridging_family_weeks"] / run_weeks,
        "seen_through_per_week": c["seen_through_weeks"] / run_weeks,
        "declined_referrals_per_year": c["declined_referrals"] * 52 / run_weeks,
        "placement_breakdowns_per_year": c["placement_breakdowns"] * 52 / run_weeks,
    }


def time_on_list(model: SamenspelModel, warm: int, waits: np.ndarray) -> float:
    """Mean weeks on a waiting list over every referral that left one after the warm-up
    (started, dropped out, sent to an alternative programme) or is still on one at the
    end. Unlike `mean_wait_weeks`, which counts only those who started (the survivors),
    this includes the families the wait wore out."""
    left = [e["waited"] for e in model.events
            if e["week"] >= warm and e["kind"] in ("dropped_out", "alternative_programme")]
    now = float(model.week)
    still = [now - ref.first_arrival for refs in model.care.waiting.values() for ref in refs
             if ref.arrival <= now]
    values = np.concatenate([waits, np.asarray(left, dtype=float),
                             np.asarray(still, dtype=float)])
    return float(values.mean()) if values.size else float("nan")


def _capped_spend(model: SamenspelModel, n_years: int) -> float:
    """Spending as a share of budget in the silos that have a cap (wmo, debt, education)."""
    hard = [i for i, s in enumerate(SILOS) if s in model.params.funding.hard_silos]
    b = model.budget
    if not n_years or not hard:
        return float("nan")
    weights = b.yearly[hard] / b.yearly[hard].sum()
    return _mean([float(r[hard] @ weights) for r in b.silo_years[-n_years:]])


def _mean(values: list[float]) -> float:
    values = [v for v in values if v == v]
    return float(np.mean(values)) if values else float("nan")
