"""The case debrief's content as text, shared by the screen and the exported reports:
the trainee's path with reflections, and for each path not taken what differed
for the family and in the neighbourhood, and how often it held in other
neighbourhoods (the same case replayed from other seeds).
"""

from __future__ import annotations

import math
from typing import Any

from game.i18n import Translator
from sim.case import FAMILY_OUTCOMES, NEIGHBOURHOOD_KPIS, Counterfactual

# Outcomes where a higher number is worse for the family or the network.
WORSE_WHEN_HIGHER = set(FAMILY_OUTCOMES) | {"mean_wait_weeks", "waiting_families",
                                             "retold_per_episode", "cost_per_week_eur",
                                             "coordination_time_share"}
SHOWN = ("burden_mean", "burden_end", "weeks_waiting", "retold", "plans_max", "toxic_weeks",
         "placed_weeks", "mean_wait_weeks", "coordination_time_share", "client_rating")
SAME = 1e-9


def choice_label(t: Translator, session, moment: int, choice: str) -> str:
    m = session.case.moments[moment]
    return t(f"case.choice.{choice}", domain=t(f"domain.{m.domain}") if m.domain else "")


def path_lines(t: Translator, session, effects: bool = True) -> list[tuple[str, str]]:
    """(what was decided, with what it did unless `effects` is off; the reflection written)
    per moment decided."""
    run = session.run
    did = {e["moment"]: e["effect"] for e in run.model.timeline(run.family)
           if e["kind"] == "case_decision" and effects}
    out = []
    for i, choice in sorted(session.choices().items()):
        m = session.case.moments[i]
        head = t("case.path_line", week=m.week, role=t(f"case.role.{m.role}"),
                 n=session.trainee_of(m.role) + 1, choice=choice_label(t, session, i, choice))
        if i in did:
            head += f" ({t(f'case.effect.{did[i]}')})"
        out.append((head, session.reflections.get(i, "")))
    return out


def family_lines(session, lang: str) -> list[str]:
    """The family as the case file describes it: members, history, network, wishes."""
    fam = session.case.family
    return [x.get(lang) for x in fam.members + fam.history + fam.network_people] + [
        fam.wants.get(lang)]


def _value(t: Translator, key: str, x: float, mean: bool = False) -> str:
    """A difference as the screen shows it; a mean over seeds of a count gets a decimal."""
    fmt = t.fmt
    if key in ("coordination_time_share",):
        return fmt.number(100 * x, 1) + " %"
    if key in ("burden_end", "burden_mean", "mean_wait_weeks", "client_rating"):
        return fmt.number(x, 2)
    return fmt.number(x, 1 if mean and not float(x).is_integer() else 0)


def _signed(t: Translator, key: str, x: float, mean: bool = False) -> str:
    if not math.isfinite(x):
        return "–"
    if abs(x) < SAME:
        return t("case.same")
    sign = "+" if x > 0 else "−"
    return sign + _value(t, key, abs(x), mean)


def verdict(key: str, x: float) -> int:
    """+1 better, -1 worse, 0 the same (for the family or the network)."""
    if not math.isfinite(x) or abs(x) < SAME:
        return 0
    worse = x > 0 if key in WORSE_WHEN_HIGHER else x < 0
    return -1 if worse else 1


def headline(t: Translator, session, cf: Counterfactual) -> str:
    m = session.case.moments[cf.moment]
    return t("case.had_you", week=m.week, role=t(f"case.role.{m.role}"),
             choice=choice_label(t, session, cf.moment, cf.choice),
             taken=choice_label(t, session, cf.moment, cf.taken))


def rows(t: Translator, cf: Counterfactual) -> list[dict[str, Any]]:
    """One row per outcome: its name, the difference here, the mean over other seeds."""
    out = []
    for key in SHOWN:
        here = cf.diff.get(key, float("nan"))
        mean = (cf.mean_diff or {}).get(key, float("nan"))
        out.append({"key": key, "label": t(f"case.kpi.{key}"), "here": _signed(t, key, here),
                    "mean": _signed(t, key, mean, True), "verdict": verdict(key, here)})
    return out


def holds_line(t: Translator, cf: Counterfactual) -> str:
    if cf.seeds == 0:
        return t("case.holds_none")
    direction = cf.diff.get("burden_mean", 0.0)
    if abs(direction) < SAME:
        return t("case.holds_same", n=cf.seeds)
    key = "case.holds_better" if direction < 0 else "case.holds_worse"
    return t(key, k=cf.same_sign, n=cf.seeds)


def summary_line(t: Translator, cf: Counterfactual) -> str:
    """One sentence on the family: burden over the case and at its end, weeks waited,
    stories told (the verdict over other seeds follows the burden over the case)."""
    d = cf.diff
    return t("case.cf_summary", mean=_signed(t, "burden_mean", d["burden_mean"]),
             burden=_signed(t, "burden_end", d["burden_end"]),
             waited=_signed(t, "weeks_waiting", d["weeks_waiting"]),
             told=_signed(t, "retold", d["retold"]))


SKIPPED = ("case_decision", "action", "new_family")


def _signature(e: dict[str, Any]) -> tuple:
    return (e["week"], e["kind"], e.get("domain"), e.get("ending"), e.get("placement"),
            e.get("outcome"))


def timeline_diff(t: Translator, session, cf: Counterfactual,
                  most: int = 3) -> tuple[list[str], list[str]]:
    """What happened to the family only on the other path, and only on the trainee's,
    as the kitchen table's sentences (at most `most` each, oldest first)."""
    from collections import Counter

    from game.stories import capitalise, event_body

    def events(run) -> list[dict[str, Any]]:
        return [e for e in run.model.timeline(run.family)
                if e["week"] >= run.start and e["kind"] not in SKIPPED]

    def only(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[str]:
        left = Counter(_signature(e) for e in b)
        out = []
        for e in a:
            sig = _signature(e)
            if left[sig]:
                left[sig] -= 1
                continue
            out.append(f"{t('case.week_n', n=e['week'] - session.run.start)}: "
                       f"{capitalise(event_body(t, e))}")
        return out[:most]

    mine, other = events(session.run), events(cf.run)
    return only(other, mine), only(mine, other)


def report_data(t: Translator, session) -> dict[str, Any]:
    lang = t.lang
    case = session.case
    cfs = []
    for cf in session.results or []:
        only_other, only_taken = timeline_diff(t, session, cf, most=8)
        cfs.append({"headline": headline(t, session, cf), "summary": summary_line(t, cf),
                    "only_other": only_other, "only_taken": only_taken,
                    "holds": holds_line(t, cf), "rows": rows(t, cf),
                    "taken": [p["burden"] for p in _trace_taken(session)],
                    "other": [p["burden"] for p in cf.run.trace]})
    return {
        "lang": lang, "title": t("case.report_title", case=case.title.get(lang)),
        "summary": case.summary.get(lang), "seed": session.seed,
        "family": family_lines(session, lang), "family_head": t("case.family_head"),
        "trainees": session.trainees,
        "path_head": t("case.path_head"), "path": path_lines(t, session),
        "cf_head": t("case.cf_head"), "cfs": cfs,
        "col_outcome": t("case.col_outcome"), "col_here": t("case.col_here"),
        "col_mean": t("case.col_mean", n=session.other_seeds),
        "reflection_head": t("case.reflection_head"),
        "questions": [m.reflection.get(lang) for m in case.moments],
        "note": t("case.report_note"), "only_other_head": t("case.only_other"),
        "only_taken_head": t("case.only_taken"),
    }


def _trace_taken(session) -> list[dict[str, Any]]:
    return session.run.trace


__all__ = ["FAMILY_OUTCOMES", "NEIGHBOURHOOD_KPIS", "path_lines", "report_data", "rows",
           "headline"]
