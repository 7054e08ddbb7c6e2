"""What the case trainer shows, as sentences: the family's kitchen table and what each
role sees of the family.

A role sees what it would see in practice: the school and the GP the problems
their door sees (`sim.triage.SEES`), a specialist its own domain, the
wijkteam the domains of its plan(s) - all of them under one plan - and the
parent everything. Beyond that a role reads the dossier only as far as the
family consented: of the other problems, the most severe share `consent`
(rounded up). Without a shared dossier in the scenario nothing is read there.
"""

from __future__ import annotations

import math

from game.i18n import Translator
from game.stories import capitalise, event_body, org_label
from sim.domains import DOMAIN_KEYS, Domain
from sim.states import Channel, FamilyState, Stress
from sim.triage import SEES
from sim.waiting_list import LIGHT

SEEN_FROM = 0.15  # a problem this severe is worth a line
CHANNEL_OF = {"school": Channel.SCHOOL, "gp": Channel.GP}


def _level(t: Translator, severity: float) -> str:
    key = "high" if severity >= 0.6 else "mid" if severity >= 0.35 else "low"
    return t(f"case.level.{key}")


def kitchen_lines(t: Translator, session, lang: str) -> list[str]:
    """The family's own view: who they are, how long they waited, how often they told it."""
    run, case = session.run, session.case
    now = run.trace[-1]
    waited = sum(1 for p in run.trace[1:] if p["waiting"])
    told = now["retold"] - run.trace[0]["retold"]
    state = FamilyState(now["state"]).name.lower()
    lines = [" · ".join(m.get(lang).split(",")[0] for m in case.family.members)]
    lines.append(t("case.state", state=t(f"case.state.{state}")) + " · "
                 + t(f"case.stress.{Stress(now['stress']).name.lower()}"))
    if now.get("aces"):  # kinds of adversity the children lived through in toxic stress
        lines.append(t("case.aces", kinds=", ".join(t(f"case.ace.{k}") for k in now["aces"])))
    lines.append(t("case.waited", n=waited) + " " + t("case.told", n=told,
                                                         before=case.family.retold_before))
    lines.append(t("case.around", n=now["professionals"], plans=now["plans"]))
    lines.append(t("case.wants", text=case.family.wants.get(lang)))
    return lines


def background_lines(session, lang: str) -> list[str]:
    """The family's history and its own network, as the case file tells them."""
    fam = session.case.family
    return [x.get(lang) for x in fam.history + fam.network_people]


def timeline_lines(t: Translator, session, last: int = 7) -> list[str]:
    """The family's newest events since the case began, newest last."""
    run = session.run
    events = [e for e in run.model.timeline(run.family) if e["week"] >= run.start
              and e["kind"] not in ("new_family", "action")][-last:]
    out = []
    for e in events:
        week = t("case.week_n", n=e["week"] - run.start)
        if e["kind"] == "case_decision":
            body = t("case.event_decision", role=t(f"case.role.{e['role']}"),
                     choice=t(f"case.choice.{e['choice']}",
                              domain=t(f"domain.{e['domain']}") if e.get("domain") else ""),
                     effect=t(f"case.effect.{e['effect']}"))
        else:
            body = event_body(t, e)
        out.append(f"{week}: {capitalise(body)}")
    return out


def visible_domains(session, role: str) -> tuple[list[int], list[int]]:
    """(seen by the role itself, read in the dossier) among the family's problems."""
    run = session.run
    m, f = run.model, run.family
    fam = m.families
    problems = [d for d in range(len(DOMAIN_KEYS)) if fam.severity[f, d] >= SEEN_FROM]
    if role == "parent":
        return problems, []
    if role in CHANNEL_OF:
        own = {int(d) for d in SEES[CHANNEL_OF[role]]}
    elif role == "specialist":
        own = {int(Domain.from_key(session.case.specialist_domain))}
    elif fam.integral_plan[f]:
        own = set(problems)
    else:
        own = {d for d in range(len(DOMAIN_KEYS)) if fam.care_prof[f, d] >= 0}
        own |= {r.domain for r in m.care.waiting.get(f, ()) if r.domain != LIGHT}
        own |= set(m.care.pending.get(f, ()))
    seen = [d for d in problems if d in own]
    rest = sorted((d for d in problems if d not in own), key=lambda d: -fam.severity[f, d])
    consent = float(fam.consent[f]) if m.params.cooperation.shared_dossier else 0.0
    shared = rest[:math.ceil(consent * len(rest) - 1e-9)]
    return seen, shared


def role_view(t: Translator, session, role: str) -> list[tuple[str, bool]]:
    """Lines of what `role` sees, each with whether it is a 'not visible' line."""
    run = session.run
    m, f = run.model, run.family
    fam = m.families
    seen, shared = visible_domains(session, role)
    lines: list[tuple[str, bool]] = []
    for d in seen:
        lines.append((t("case.problem", domain=t(f"domain.{DOMAIN_KEYS[d]}"),
                        level=_level(t, float(fam.severity[f, d]))), False))
    for d in shared:
        lines.append((t("case.problem_dossier", domain=t(f"domain.{DOMAIN_KEYS[d]}"),
                        level=_level(t, float(fam.severity[f, d]))), False))
    problems = sum(1 for d in range(len(DOMAIN_KEYS)) if fam.severity[f, d] >= SEEN_FROM)
    hidden = problems - len(seen) - len(shared)
    if hidden > 0:
        lines.append((t("case.hidden", n=hidden), True))
    if not m.params.cooperation.shared_dossier:
        lines.append((t("case.no_dossier"), True))
    else:
        lines.append((t("case.consent", pct=round(100 * float(fam.consent[f]))), False))
    profs = [int(p) for p in fam.care_prof[f] if p >= 0]
    if fam.light_prof[f] >= 0:
        profs.append(int(fam.light_prof[f]))
    for p in profs:
        pro = m.professionals[p]
        lines.append((t("case.professional", org=org_label(t, pro.org.name),
                        load=round(pro.caseload), places=int(pro.places)), False))
    waits = [r for r in m.care.waiting.get(f, ())]
    for r in waits:
        what = t("case.light_help") if r.domain == LIGHT else t(f"domain.{DOMAIN_KEYS[r.domain]}")
        lines.append((t("case.waiting_for", domain=what,
                        n=max(0, round(m.week - r.first_arrival))), False))
    return lines
