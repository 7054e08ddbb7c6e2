"""What the facilitator's console says about a team, as (text, colour): no pixels here.

The console lays these out; they read the facilitator's views
(`Facilitator.team_view`, the base run) and the language's formatter, so the
same words can be checked without a window.
"""

from __future__ import annotations

from game.cards import BY_ID
from game.facilitator import ROUND_WEEKS, better, difference
from game.indicators import BY_KEY, INDICATORS
from game.predictions import outcome_text
from game.render import BAD, GOOD, INK, MUTED

Colour = tuple[int, int, int]



def signed(t, key: str, diff: float) -> str:
    """A difference with its sign: +0,1 / −€ 15K / +1%."""
    ind = BY_KEY[key]
    return ("+" if diff > 0 else "−") + t.fmt.shown(abs(diff), ind.fmt)



def team_state(t, fac, i: int) -> str:
    """"R2 · wk 5 · running · ✓ ready" for the team list."""
    s, team = fac.session, fac.session.teams[i]
    r = s.round_of(team)
    week = s.weeks_played(team) - r * ROUND_WEEKS
    parts = [t("console.round_short", n=r + 1), t("console.week_short", n=week),
             t(f"console.phase.{fac.phase(i)}")]
    if fac.ready_flags[i]:
        parts.append("✓ " + t("console.ready"))
    return " · ".join(parts)


def detail_lines(t, fac, i: int) -> list[tuple[str, Colour]]:
    """Team `i`'s state for the facilitator, top to bottom, as (text, colour)."""
    s = fac.session
    team, view = s.teams[i], fac.team_view(i, everything=True)
    lines = [(t("console.team_round", round=view["round"] + 1, rounds=s.rounds,
                week=view["week"], phase=t(f"console.phase.{view['phase']}")), MUTED),
             (t("console.budget", budget=t.fmt.euro(view["budget_left"])), INK)]
    names = ", ".join(t(BY_ID[c].title) for c in view["cards"]) or t("play.none")
    lines.append((t("play.played_list", cards=names), INK))
    if view["events"]:
        lines.append((t("play.events_list", n=len(view["events"]),
                        events=", ".join(t(BY_ID[c].title) for c in view["events"])), INK))
    for p in view["pending"]:
        lines.append((t("console.pending", card=t(BY_ID[p["card"]].title),
                        round=p["week"] // ROUND_WEEKS + 1), MUTED))
    lines.append(prediction_line(t, team, view))
    lines.append((t("console.points", n=view["points"]), INK))
    return lines


def prediction_line(t, team, view) -> tuple[str, Colour]:
    """This round's prediction, or else how the last one scored."""
    done = [p for p in team.predictions if p.get("end") is not None]
    if view["prediction"] is not None and "value" in view["prediction"]:
        p = view["prediction"]
        kpi = BY_KEY[p["kpi"]]
        return t("console.predicted", kpi=t(f"kpi.short.{kpi.key}"),
                 value=t.fmt.shown(p["value"], kpi.fmt)), INK
    if done:
        text, right = outcome_text(t, done[-1])
        return text, GOOD if right else BAD
    return t("console.no_prediction"), MUTED


def kpi_rows(t, fac, i: int) -> list[tuple[str, str, str, str, Colour]]:
    """Heads, then per KPI: the name, team `i`'s value, the base run's at the same week,
    and the difference as shown, with its colour (better or worse)."""
    s, team = fac.session, fac.session.teams[i]
    now, base = team.history[-1], fac.base_at(s.weeks_played(team))
    rows = [(t("console.kpi"), t("console.this_team"), t("console.base_run"),
             t("console.difference"), MUTED)]
    for ind in INDICATORS:
        a, b = now[ind.key], base[ind.key]
        way = better(ind.key, b, a)
        colour = {1: GOOD, -1: BAD}.get(way, MUTED)
        diff = {None: "–", 0: "="}.get(way) or signed(t, ind.key, difference(ind.key, b, a))
        rows.append((t(f"kpi.short.{ind.key}"), t.fmt.shown(a, ind.fmt),
                     t.fmt.shown(b, ind.fmt), diff, colour))
    return rows
