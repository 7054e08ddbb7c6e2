"""Signals and triage: who notices a family, and what the wijkteam does with it.

School, GP, neighbours, the jeugdarts (JGZ), the family itself and (when it
exists) an online channel each notice the problems they can see. Which door
the family then goes through is `sim.routes`; on the wijkteam's route it
triages:
working fragmented it sees the presenting problem - the one the signal was
about - and refers that; working integrally it looks at all domains, makes
one plan and refers every domain that needs it, root causes first. Light
cases it helps itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import reform
from sim.domains import DOMAIN_KEYS, N_DOMAINS, ROOT_MASK, Domain
from sim.modes import CooperationMode
from sim.rows import row_any, row_max
from sim.states import CHANNEL_KEYS, Channel, Ending, FamilyState
from sim.waiting_list import LIGHT

if TYPE_CHECKING:
    from sim.model import SamenspelModel

# The domains each channel can see.
SEES = {
    Channel.SCHOOL: (Domain.SCHOOLVERZUIM, Domain.JEUGD_GGZ, Domain.OPVOEDING),
    Channel.GP: (Domain.JEUGD_GGZ, Domain.OUDER_GGZ, Domain.BEPERKING),
    Channel.NEIGHBOURS: (Domain.VEILIGHEID, Domain.WONEN),
    Channel.OWN_REQUEST: tuple(Domain),
    Channel.ONLINE: tuple(Domain),
    Channel.JEUGDARTS: (Domain.OPVOEDING, Domain.JEUGD_GGZ, Domain.BEPERKING),
}
# Professionals who notice more when the wijkteam reaches out to them.
OUTREACH = np.array([ch in (Channel.SCHOOL, Channel.GP, Channel.NEIGHBOURS, Channel.JEUGDARTS)
                     for ch in Channel])
ONLINE_THRESHOLD_FACTOR = 0.8  # online requests come at lower severity
SEEKING = (FamilyState.HEALTHY, FamilyState.ENDED_WELL, FamilyState.RELAPSED)
IN_EPISODE = (FamilyState.WAITING, FamilyState.IN_CARE)
# Lookup tables (state -> bool) and the channel x domain visibility matrix, built once.
SEEKING_LUT = np.isin(np.arange(len(FamilyState)), SEEKING)
IN_EPISODE_LUT = np.isin(np.arange(len(FamilyState)), IN_EPISODE)
SEE_COLUMNS = [np.array(SEES[ch], dtype=np.intp) for ch in Channel]
CUTS = np.array([ONLINE_THRESHOLD_FACTOR if ch == Channel.ONLINE else 1.0 for ch in Channel])


def uncovered_severity(model: SamenspelModel, families: np.ndarray) -> np.ndarray:
    """Severity of the problems nobody is treating or waiting for yet, for `families`."""
    fam, care = model.families, model.care
    sev = np.where(fam.care_prof[families] >= 0, 0.0, fam.severity[families])
    # The (row, domain) cells to clear are gathered first and cleared in one assignment:
    # every cell is set to 0.0 either way, so the order does not matter.
    rows: list[int] = []
    cols: list[int] = []
    waiting, pending = care.waiting, care.pending
    for row, f in enumerate(families.tolist()):
        refs = waiting.get(f)
        if refs is not None:
            for ref in refs:
                if ref.domain != LIGHT:
                    rows.append(row)
                    cols.append(ref.domain)
                if ref.intended >= 0:  # misreferred: its real domain is on its way too
                    rows.append(row)
                    cols.append(ref.intended)
        domains = pending.get(f)
        if domains is not None:
            rows.extend([row] * len(domains))
            cols.extend(domains)
    if rows:
        sev[rows, cols] = 0.0
    return sev


def uncovered_row(model: SamenspelModel, f: int) -> np.ndarray:
    """`uncovered_severity` for one family."""
    fam = model.families
    sev = np.where(fam.care_prof[f] >= 0, 0.0, fam.severity[f])
    for ref in model.care.waiting.get(f, ()):
        if ref.domain != LIGHT:
            sev[ref.domain] = 0.0
        if ref.intended >= 0:
            sev[ref.intended] = 0.0
    sev[model.care.pending.get(f, [])] = 0.0
    return sev


def notice(model: SamenspelModel) -> tuple[np.ndarray, np.ndarray]:
    """Families noticed this week: new ones (now SIGNAL) and ones already in care.

    A family already waiting or in care can be noticed again for a problem
    nobody treats yet - by another door, which makes another plan.
    """
    fam, p = model.families, model.params
    thr = p.problems.signal_threshold
    seeking = SEEKING_LUT[fam.state]
    in_episode = IN_EPISODE_LUT[fam.state]
    # A family the POH-jeugd is helping is seen as helped; nobody signals it meanwhile.
    seeking &= ~model.routes.in_poh()
    # A family in an episode is seen for what nobody treats yet; that is never more than
    # its severity, so only families with a problem above the threshold are looked at.
    # (`row_any(x > thr)` is `row_max(x) > thr`, comparing first and reading rows as words.)
    maybe = np.flatnonzero((seeking | in_episode) & row_any(fam.severity > thr))
    sev = fam.severity[maybe]
    open_rows = np.flatnonzero(in_episode[maybe])
    if open_rows.size:
        sev[open_rows] = uncovered_severity(model, maybe[open_rows])
    above = row_any(sev > thr) if maybe.size else np.zeros(0, dtype=bool)
    candidates, sev = maybe[above], sev[above]
    if candidates.size == 0:
        return candidates, candidates
    online = p.signals.online if p.participation.online_help else 0.0
    base = np.array([p.signals.school, p.signals.gp, p.signals.neighbours,
                     p.signals.own_request, online, p.signals.jeugdarts])
    anything = row_max(sev)
    seen = np.column_stack([anything if cols.size == N_DOMAINS else row_max(sev[:, cols])
                            for cols in SEE_COLUMNS])
    cut = thr * CUTS
    rates = base * np.clip((seen - cut) / (1 - cut), 0, 1) * 2
    own = fam.self_reliance[candidates]
    rates[:, Channel.OWN_REQUEST] *= 0.5 + own
    rates[:, Channel.ONLINE] *= 0.5 + own
    rates[:, OUTREACH] *= p.signals.outreach
    total = 1 - np.prod(1 - np.clip(rates, 0, 1), axis=1)
    rng = model.streams["signal"]
    hit = rng.random(candidates.size) < total
    chosen = candidates[hit]
    if chosen.size:
        cum = np.cumsum(rates[hit], axis=1)
        u = rng.random(chosen.size) * cum[:, -1]
        fam.channel[chosen] = (cum < u[:, None]).sum(axis=1)
        fam.signal_week[chosen] = model.week
    again = in_episode[chosen]
    new = chosen[~again]
    fam.set_state(new, FamilyState.SIGNAL, model.week)
    return new, chosen[again]


def extra_referral(model: SamenspelModel, family: int) -> None:
    """Another door noticed a problem nobody treats: it refers that one too.

    Working integrally the trajectbegeleider adds it to the one plan; working
    fragmented it becomes another plan, and the family tells its story again.
    """
    fam = model.families
    sev = uncovered_row(model, family)
    d = presenting_problem(sev, int(fam.channel[family]))
    if sev[d] <= model.params.problems.signal_threshold:
        d = int(sev.argmax())
    t = model.week + float(model.streams["triage"].random())
    model.care.refer(family, d, t)
    one_plan = bool(fam.integral_plan[family])
    if one_plan:
        fam.plan_size[family] += 1
    else:
        fam.episode_plans[family] += 1
        fam.retold[family] += 1
        fam.episode_retold[family] += 1
    model.log(family, "extra_referral", domain=DOMAIN_KEYS[d],
              channel=CHANNEL_KEYS[fam.channel[family]],
              plan="one" if one_plan else "separate")


def presenting_problem(severity: np.ndarray, channel: int) -> int:
    """The domain a signal is about: the worst one its channel can see."""
    domains = SEE_COLUMNS[channel]  # SEES[Channel(channel)], made once per channel
    return int(domains[severity[domains].argmax()])


def triage(model: SamenspelModel, family: int) -> None:
    """Light help, or referrals: one presenting problem, or one plan for all domains."""
    fam, p = model.families, model.params
    sev = fam.severity[family]
    rng = model.streams["triage"]
    t = model.week + float(rng.random())
    model.begin_episode(family)
    light = sev.max() < p.wijkteam.light_threshold and (
        (sev > p.problems.signal_threshold).sum() <= 1)
    if light or reform.generalist_help(model, sev):
        model.care.refer(family, LIGHT, t)
        fam.episode_plans[family] += 1
        model.log(family, "triage", outcome="light_help")
        return
    # Parents who can carry it coordinate their own plan - the one plan, or the
    # separate plans of fragmented care - instead of a professional.
    fam.self_managed[family] = bool(p.cooperation.parents_as_case_managers and
                                    fam.self_reliance[family]
                                    >= p.cooperation.case_manager_min_self_reliance)
    integral = p.cooperation.mode == CooperationMode.INTEGRAL
    if integral:
        domains = [d for d in range(N_DOMAINS) if sev[d] >= p.wijkteam.referral_threshold]
        domains = domains or [int(sev.argmax())]
        roots = [d for d in domains if ROOT_MASK[d]]
        now, later = (roots, [d for d in domains if not ROOT_MASK[d]]) if roots else (domains, [])
        fam.integral_plan[family] = True
        fam.plan_size[family] = len(domains)
        fam.episode_plans[family] = 1
        misrefer = p.cooperation.misreferral * 0.3
    else:
        first = presenting_problem(sev, int(fam.channel[family]))
        now, later = [first], []
        misrefer = p.cooperation.misreferral
    within = [d for d in now + later if not reform.below_reach(model, family, d)]
    if not within:  # not jeugdhulp: the wijkteam helps lightly itself, with no plan to manage
        fam.integral_plan[family] = fam.self_managed[family] = False
        fam.plan_size[family] = 0
        model.care.refer(family, LIGHT, t)
        fam.episode_plans[family] = 1
        model.log(family, "triage", outcome="below_reach")
        return
    now = [d for d in now if d in within and not reform.declines(model, family, d)]
    later = [d for d in later if d in within and not reform.declines(model, family, d)]
    if not now and later:
        now, later = later, []
    if not now:
        model.log(family, "triage", outcome="declined")
        model.end_episode(family, Ending.DECLINED)
        return
    if integral:
        fam.plan_size[family] = len(now) + len(later)
    for d in now:
        wrong = bool(rng.random() < misrefer)
        target = d
        if wrong:
            others = [x for x in range(N_DOMAINS) if x != d]
            target = int(others[int(rng.integers(len(others)))])
        model.care.refer(family, target, t, intended=d if wrong else -1)
        if not integral:
            fam.episode_plans[family] += 1
    if later:
        model.care.hold_back(family, later)
    model.log(family, "triage", outcome="integral" if integral else "referral",
              domains=[DOMAIN_KEYS[d] for d in now + later])
