"""Turning points: the moments a debrief can point at, found in the model's own records.

A debrief that shows only end values leaves "why?" to guesswork. The model
keeps what happened - its event log, its weekly KPI table, the budget and its
action log - so the moments that explain a team's numbers can be named:

- a waiting list that spiked, and which one (domain, and the provider most of
  its families were waiting for), rebuilt week by week from the waits the
  model logs when care starts or a family gives up, plus who waits now;
- a budget silo that ran out within a year (a capped silo stops new care; the
  youth silo, a duty to provide, overspends);
- a provider that failed (a bankruptcy) or went into the red;
- an innovation that spread over the professionals' network, and a top-down
  project whose fit came out.

Each turning point is compared with the same weeks of the base run: the same
scenario and seed with no new decisions, so a team can tell what its choices
changed from what would have happened anyway. Nothing here draws; the debrief
and the exports word and place what this module finds.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game.cards import BY_ID
from game.i18n import Translator
from game.session import ROUND_WEEKS
from game.stories import capitalise, domain_name, org_label, when
from sim.domains import SILOS, Domain
from sim.payers import is_municipal

SPIKE_MIN = 4  # families more on one list within a round, at least ...
SPIKE_SHARE = 0.5  # ... and at least this share more than its low point before
SPREAD_MIN = 3  # colleagues taking over ideas within one round
MOST_SPIKES = 2  # waiting lists named per team
SILO_KINDS = ("silo_out", "silo_over", "silo_pooled")
YEAR = 52
# Every translation this module (and the debrief's turning tab) fills with a count `n`.
COUNT_KEYS = ("tp.wait_spike", "tp.blocked", "tp.distress", "tp.spread", "tp.base_wait",
              "tp.base_distress", "tp.base_spread", "tp.points", "tp.made",
              "tp.prediction_right", "debrief.turning_more")


@dataclass
class TurningPoint:
    """One moment: its kind, the model week it happened in, what to say, and the base run's
    same weeks."""

    # wait_spike, silo_out, silo_over, silo_pooled, bankrupt, distress, spread, fit_good, fit_bad
    kind: str
    week: int
    fields: dict[str, Any] = field(default_factory=dict)
    base: dict[str, Any] | None = None


# -- the base run ------------------------------------------------------------------

_BASE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_BASE_LOCK = threading.Lock()  # the debrief builds it ahead in a thread; an export may ask too


def weeks_played(session) -> int:
    return max((len(team.history) - 1 for team in session.teams), default=0)


def base_model(session):
    """The base run: the session's scenario and seed, warmed up as the teams were, then the
    weeks they played with no new decisions (no cards, no events). Built once a session.

    A session run from the facilitator's console has its base run already
    (`session.facilitator.base`, the same game: scenario, seed, warm-up, no
    actions); that one is used when it has run as far as the teams."""
    from sim.model import SamenspelModel

    weeks = weeks_played(session)
    theirs = getattr(getattr(getattr(session, "facilitator", None), "base", None), "model", None)
    if theirs is not None and theirs.week >= session.warmup + weeks:
        return theirs  # the facilitator's console already runs it beside the teams
    with _BASE_LOCK:
        kept = _BASE.get(session)
        if kept is not None and kept.week >= session.warmup + weeks:
            return kept
        model = SamenspelModel(session.scenario, seed=session.seed, collect_groups=False)
        model.run_weeks(session.warmup + weeks)
        _BASE[session] = model
        return model


def prepare(session) -> threading.Thread:
    """Build the base run in the background, so the debrief's tab opens without a wait."""
    thread = threading.Thread(target=base_model, args=(session,), daemon=True)
    thread.start()
    return thread


def base_history(session, base) -> list[dict[str, float]]:
    """The base run's weekly rows of the game's KPIs, from the start of the game (as
    `Team.history`)."""
    from game.indicators import INDICATORS

    frame = _frame(base)
    rows = []
    for week in range(session.warmup, session.warmup + weeks_played(session) + 1):
        row = {"week": float(week)}
        for ind in INDICATORS:
            row[ind.key] = float(frame.at[week, ind.key]) if week in frame.index else math.nan
        rows.append(row)
    return rows


# -- the model's records -----------------------------------------------------------------


def list_occupancy(model, first: int, last: int) -> dict[str, np.ndarray]:
    """Families waiting per domain in each week first..last, rebuilt from the model's records.

    A wait ends in a logged start of care or a logged drop-out (both say how long
    the family waited); those still waiting are on the lists now.
    """
    spans = list_spans(model)
    weeks = np.arange(first, last + 1)
    out: dict[str, np.ndarray] = {}
    for domain, start, end, _ in spans:
        row = out.setdefault(domain, np.zeros(len(weeks), dtype=int))
        row += (weeks >= start) & (weeks < end)
    return out


def list_spans(model) -> list[tuple[str, int, int, str | None]]:
    """(domain, first week on the list, week off it, provider name or None) per wait."""
    spans = []
    for e in model.events:
        if e["kind"] in ("care_start", "dropped_out", "alternative_programme") \
                and "waited" in e and e.get("domain") not in (None, "light_help"):
            end = int(e["week"]) + 1
            spans.append((str(e["domain"]), end - max(1, round(float(e["waited"]))), end,
                          e.get("provider")))
    names = {o.number: o.name for o in model.orgs}
    for refs in model.care.waiting.values():
        for ref in refs:
            if ref.domain < len(Domain):
                spans.append((Domain(int(ref.domain)).key, int(math.floor(ref.arrival)),
                              model.week + 1, names.get(ref.provider)))
    return spans


_FRAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _frame(model):
    """The model's weekly KPI table, built once per model week (building it takes a while)."""
    kept = _FRAMES.get(model)
    if kept is None or kept[0] != model.week:
        kept = _FRAMES[model] = (model.week, model.kpi_frame())
    return kept[1]


def pooled_at(model, week: int) -> bool:
    """Whether the budget was pooled in `week` (a card may have changed it since)."""
    changes = [a for a in model.action_log
               if a.get("kind") == "set" and a.get("key") == "funding.pooled"]
    before = [a for a in changes if a["week"] <= week]
    if before:
        return bool(before[-1]["value"])
    return (not changes[0]["value"]) if changes else bool(model.params.funding.pooled)


def _at(frame, column: str, week: int) -> float:
    return float(frame.at[week, column]) if week in frame.index else math.nan


# -- detection ---------------------------------------------------------------------------


def wait_spikes(model, warmup: int, end: int) -> list[TurningPoint]:
    """The lists that grew most within a round during the game, largest first."""
    first = max(0, warmup - ROUND_WEEKS)
    occ = list_occupancy(model, first, end)
    spans = list_spans(model)
    found = []
    for domain, row in occ.items():
        best = None
        for w in range(warmup + 1, end + 1):
            i = w - first
            low = int(row[max(0, i - ROUND_WEEKS):i].min())
            rise = int(row[i]) - low
            if rise >= max(SPIKE_MIN, SPIKE_SHARE * low) and (best is None or rise > best[0]):
                best = (rise, w, low, int(row[i]))
        if best is not None:
            rise, w, low, high = best
            at = Counter(p for d, s, e, p in spans if d == domain and s <= w < e and p)
            provider = at.most_common(1)[0][0] if at else None
            found.append(TurningPoint("wait_spike", w, {
                "domain": domain, "provider": provider, "before": low, "after": high,
                "rise": rise}))
    found.sort(key=lambda tp: -tp.fields["rise"])
    return found[:MOST_SPIKES]


def _budget_at(model, silo: str, week: int) -> float:
    """The silo's yearly budget in `week`: today's, less the changes decided since."""
    later = sum(float(a.get("euros", 0.0)) for a in model.action_log
                if a.get("kind") == "budget" and a.get("silo") == silo and a["week"] >= week)
    return float(model.budget.yearly[SILOS.index(silo)]) - later


def spent_in_year(frame, silo: str, week: int) -> float:
    """What the silo had spent this (calendar) year by the end of model week `week` - 1."""
    year_start = (week - 1) // YEAR * YEAR + 1
    col = f"cost_{silo}_eur"
    return float(frame.loc[year_start:week, col].sum()) if col in frame else 0.0


def silos_out(model, warmup: int, end: int) -> list[TurningPoint]:
    """The first week in the game a municipal silo's spending reached its yearly budget."""
    frame = _frame(model)
    hard = set(model.params.funding.hard_silos)
    found = []
    for silo in SILOS:
        if not is_municipal(silo):
            continue
        for w in range(warmup + 1, end + 1):
            budget = _budget_at(model, silo, w)
            spent = spent_in_year(frame, silo, w)
            if budget > 0 and spent >= budget:
                year_end = min(end, ((w - 1) // YEAR + 1) * YEAR)
                blocked = _at(frame, "silo_blocked_waiting", year_end) - _at(
                    frame, "silo_blocked_waiting", w)
                kind = ("silo_pooled" if pooled_at(model, w - 1) else
                        "silo_out" if silo in hard else "silo_over")
                found.append(TurningPoint(kind, w - 1, {
                    "silo": silo, "spent": spent, "budget": budget,
                    "blocked": int(blocked) if math.isfinite(blocked) else 0}))
                break
    return found


def providers_failed(model, warmup: int, end: int) -> list[TurningPoint]:
    """Bankruptcies (the facilitator's event) and the week providers first went into the red."""
    found = [TurningPoint("bankrupt", int(e["week"]), {"provider": e["provider"]})
             for e in model.events if e["kind"] == "action" and e.get("action") == "bankrupt"
             and e.get("provider") and warmup <= e["week"] <= end]
    frame = _frame(model)
    before = _at(frame, "providers_in_distress", warmup)
    for w in range(warmup + 1, end + 1):
        now = _at(frame, "providers_in_distress", w)
        if math.isfinite(now) and now > max(before, 0):
            names = [o.name for o in model.providers if o.in_distress]
            found.append(TurningPoint("distress", w - 1, {"n": int(now), "names": names}))
            break
    return found


def innovation(model, warmup: int, end: int) -> list[TurningPoint]:
    """The round in which ideas spread most (if they did), and a top-down project's fit."""
    frame = _frame(model)
    best = None
    for start in range(warmup, end, ROUND_WEEKS):
        stop = min(end, start + ROUND_WEEKS)
        gained = _at(frame, "innovation_spread", stop) - _at(frame, "innovation_spread", start)
        if math.isfinite(gained) and gained >= SPREAD_MIN and (best is None or gained > best[0]):
            best = (gained, start, stop)
    found = []
    if best is not None:
        found.append(TurningPoint("spread", best[2] - 1, {"n": int(best[0]), "from": best[1]}))
    for e in model.events:
        if e["kind"] == "top_down_fit_revealed" and warmup <= e["week"] <= end:
            found.append(TurningPoint("fit_good" if e["fit"] >= 0 else "fit_bad",
                                      int(e["week"]), {}))
    return found


def detect(model, warmup: int, end: int | None = None) -> list[TurningPoint]:
    """Every turning point in weeks warmup..end (the model's week by default), in time order."""
    end = model.week if end is None else end
    points = (wait_spikes(model, warmup, end) + silos_out(model, warmup, end)
              + providers_failed(model, warmup, end) + innovation(model, warmup, end))
    return sorted(points, key=lambda tp: tp.week)


# -- the same weeks in the base run ---------------------------------------------------


def in_base(tp: TurningPoint, base, warmup: int) -> dict[str, Any]:
    """What the base run shows for the turning point's measure in the same weeks."""
    frame = _frame(base)
    w = tp.week + (0 if tp.kind == "wait_spike" else 1)  # a KPI row follows its week
    if tp.kind == "wait_spike":
        first = max(0, w - ROUND_WEEKS)
        row = list_occupancy(base, first, w).get(tp.fields["domain"])
        if row is None:
            return {"before": 0, "after": 0}
        return {"before": int(row[:-1].min()) if len(row) > 1 else 0, "after": int(row[-1])}
    if tp.kind in SILO_KINDS:
        silo = tp.fields["silo"]
        budget = _budget_at(base, silo, w)
        return {"share": spent_in_year(frame, silo, w) / budget if budget > 0 else math.nan}
    if tp.kind in ("bankrupt", "distress"):
        n = _at(frame, "providers_in_distress", w)
        return {"n": int(n) if math.isfinite(n) else 0}
    if tp.kind == "spread":
        gained = _at(frame, "innovation_spread", w) - _at(frame, "innovation_spread",
                                                          tp.fields["from"])
        return {"n": int(gained) if math.isfinite(gained) else 0}
    return {}


def team_points(session, k: int, base=None) -> list[TurningPoint]:
    """Team k's turning points, each with the base run's same weeks (when a base is given)."""
    team = session.teams[k]
    points = detect(team.model, session.warmup, session.warmup + len(team.history) - 1)
    if base is not None:
        for tp in points:
            tp.base = in_base(tp, base, session.warmup)
    return points


# -- words ------------------------------------------------------------------------------


def describe(t: Translator, tp: TurningPoint) -> str:
    """What happened, as a sentence."""
    f = dict(tp.fields)
    if tp.kind == "wait_spike":
        at = t("tp.at", provider=org_label(t, f["provider"])) if f.get("provider") else ""
        return t("tp.wait_spike", list=domain_name(t, f["domain"]), at=at, before=f["before"],
                 n=f["after"])
    if tp.kind in SILO_KINDS:
        text = t(f"tp.{tp.kind}", silo=t(f"tp.silo.{f['silo']}"), spent=t.fmt.euro(f["spent"]),
                 budget=t.fmt.euro(f["budget"]))
        if tp.kind == "silo_out" and f.get("blocked"):
            text += " " + t("tp.blocked", n=f["blocked"])
        return text
    if tp.kind == "bankrupt":
        return t("tp.bankrupt", provider=org_label(t, f["provider"]))
    if tp.kind == "distress":
        names = ", ".join(org_label(t, x) for x in f.get("names", ()))
        return t("tp.distress", n=f["n"]) + (f" ({names})" if names else "")
    if tp.kind == "spread":
        return t("tp.spread", n=f["n"])
    return t(f"tp.{tp.kind}")


def describe_base(t: Translator, tp: TurningPoint) -> str:
    """The base run's same weeks, as a sentence ("" when there is nothing to compare)."""
    b = tp.base
    if not b:
        return ""
    if tp.kind == "wait_spike":
        return t("tp.base_wait", before=b["before"], n=b["after"])
    if tp.kind in SILO_KINDS:
        share = b.get("share", math.nan)
        if not math.isfinite(share):
            return ""
        return t("tp.base_silo_out") if share >= 1 else t("tp.base_silo", share=t.fmt.share(
            share))
    if tp.kind in ("bankrupt", "distress"):
        return t("tp.base_distress", n=b["n"])
    if tp.kind == "spread":
        return t("tp.base_spread", n=b["n"])
    return ""


def sentence(t: Translator, tp: TurningPoint, warmup: int) -> str:
    """'Ronde 3, week 5: ... Basisrun, zelfde weken: ...'."""
    text = f"{when(t, tp.week, warmup)}: {capitalise(describe(t, tp))}"
    base = describe_base(t, tp)
    return f"{text} {base}" if base else text


def decisions(t: Translator, team, r: int) -> str:
    """A round's decisions in one line: the cards played and the facilitator's events."""
    cards = team.cards[r] if r < len(team.cards) else []
    events = team.events[r] if r < len(team.events) else []
    text = t("play.played_list", cards=", ".join(t(BY_ID[c].title) for c in cards)
             or t("play.none"))
    if events:
        text += " · " + t("play.events_list", n=len(events),
                        events=", ".join(t(BY_ID[c].title) for c in events))
    return text


def in_game(session, points: list[TurningPoint]) -> list[TurningPoint]:
    """The turning points within the rounds played, in time order (as they are numbered)."""
    end = session.warmup + session.rounds * ROUND_WEEKS
    return sorted((tp for tp in points if session.warmup <= tp.week < end),
                  key=lambda tp: tp.week)


def flags(session, points: list[TurningPoint]) -> list[tuple[float, str]]:
    """(game week, number) of each turning point, to mark it on a chart of the game."""
    return [(tp.week - session.warmup, str(i + 1))
            for i, tp in enumerate(in_game(session, points))]


def timeline(t: Translator, session, k: int, points: list[TurningPoint],
             numbered: bool = False) -> list[tuple[int, str, str]]:
    """Team k's story of the game in time order: per round (round, "round", its decisions),
    then (round, "point", sentence) for each turning point in it - numbered as `flags`
    marks them, when `numbered`; a later round with no decision and no turning point is
    left out."""
    team = session.teams[k]
    numbers = {id(tp): i + 1 for i, tp in enumerate(in_game(session, points))}
    rows = []
    for r in range(session.rounds):
        lo, hi = session.warmup + r * ROUND_WEEKS, session.warmup + (r + 1) * ROUND_WEEKS
        these = [(r, "point", (f"{numbers[id(tp)]} · " if numbered else "")
                  + sentence(t, tp, session.warmup))
                 for tp in in_game(session, points) if lo <= tp.week < hi]
        decided = any(r < len(x) and x[r] for x in (team.cards, team.events))
        if decided or these or r == 0:  # a round with nothing to tell is left out
            rows.append((r, "round", f"{t('debrief.round', n=r + 1)} · "
                                     f"{decisions(t, team, r)}"))
        rows += these
    return rows


def prediction_summary(t: Translator, team) -> str:
    """A team's settled predictions in one line: points for numbers, right ones for arrows."""
    settled = [p for p in team.predictions if p.get("end") is not None]
    if not settled:
        return t("tp.no_predictions")
    numbers = [p for p in settled if "value" in p]
    if numbers:
        points = t("tp.points", n=sum(p.get("points") or 0 for p in numbers))
        return t("tp.prediction_points", points=points, made=t("tp.made", n=len(numbers)))
    right = sum(1 for p in settled
                if ((p["end"] or 0) > (p["start"] or 0)) == (p.get("direction", 0) > 0))
    return t("tp.prediction_right", n=right, total=len(settled))


__all__ = ["TurningPoint", "base_history", "base_model", "decisions", "describe",
           "describe_base", "detect", "flags", "in_base", "in_game", "list_occupancy",
           "prediction_summary",
           "sentence", "team_points", "timeline", "weeks_played"]
