"""Events from the model as plain sentences: a family's timeline and a round's highlights.

The model logs what changes for a family (a signal, a referral, help that
starts or ends), not the weeks in between; care often runs for a year or
more, so in a quarter most families have nothing new. A family's story is
therefore told as where they stand now (help running, waits, problems,
stress) plus what happened, during the game per round and before it.

Names from the model are Dutch ("Aanbieder 3", "Wijkteam 1"): `org_label`
writes them in the player's language for the map and the stories alike.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from game.i18n import Translator
from game.session import ROUND_WEEKS
from sim.domains import Domain
from sim.states import Channel, FamilyState, Stress
from sim.waiting_list import LIGHT

WEEKS_PER_YEAR = 52

# How much one event of a kind matters for a round's summary (a judgement call).
WEIGHTS = {
    "escalated": 6.0, "crisis": 4.0, "alternative_programme": 4.0, "dropped_out": 3.0,
    "left": 3.0, "top_down_fit_revealed": 5.0, "idea_adopted": 3.0, "idea_abandoned": 1.0,
    "started_over": 2.0, "sent_back": 2.0, "no_wrong_door": 1.5, "plan_extended": 1.0,
    "hired": 1.0, "placement_breakdown": 4.0, "declined": 2.0, "episode_end": 0.3,
    "signal": 0.2, "care_start": 0.2,
    # an extra referral, by what it did to the family's plans (`highlight_kind`)
    "extra_plan": 2.0, "added_to_plan": 0.5,
}
TIMELINE_KINDS = {
    "signal", "crisis", "triage", "care_start", "care_end", "extra_referral", "sent_back",
    "no_wrong_door", "started_over", "dropped_out", "alternative_programme", "escalated",
    "episode_end", "new_family", "plan_extended", "route", "poh_help", "vt_report",
    "investigation_started", "investigation_ended", "measure", "measure_extended",
    "measure_ended", "guardianship_ended", "placement_extended", "returned_home",
    "crisis_intervention", "declined", "placement_breakdown", "gi_referral",
}
ORG_KEYS = {"Aanbieder": "map.provider_n", "Wijkteam": "map.wijkteam_n"}
ORG_SHORT_KEYS = {"Aanbieder": "map.provider_short", "Wijkteam": "map.wijkteam_short"}
# Every translation this module fills with a count `n`: each is a table of plural forms.
COUNT_KEYS = (
    [f"hl.{k}" for k in WEIGHTS if k != "top_down_fit_revealed"]
    + ["ev.n_weeks", "ev.n_years", "ev.wait_weeks", "ev.before_weeks", "ev.before_years",
       "family.children"]
)


# -- small pieces ---------------------------------------------------------------

def capitalise(text: str) -> str:
    """Upper-case the first letter only ("het gezin zelf..." -> "Het gezin zelf...")."""
    return text[:1].upper() + text[1:]


def _count(value: float) -> int | float:
    """Whole numbers as int, so "1 week" takes the singular (1.0 would not)."""
    value = round(float(value), 1)
    return int(value) if value.is_integer() else value


def org_label(t: Translator, name: str, short: bool = False) -> str:
    """'Aanbieder 3' / 'Wijkteam 1' from the model in the player's language."""
    word, _, number = name.rpartition(" ")
    key = (ORG_SHORT_KEYS if short else ORG_KEYS).get(word)
    if key is None or not number.isdigit():
        return name
    return t(key, n=int(number))


def _domain(t: Translator, key: Any) -> str:
    if key is None:
        return "?"
    if isinstance(key, int | np.integer):
        key = "light_help" if int(key) == LIGHT else Domain(int(key)).key
    return t(f"domain.{key}")


domain_name = _domain  # a domain (key or number) in the player's words, for other modules


def _domains(t: Translator, keys: list[Any]) -> str:
    """'opvoeding, schulden en wonen' / 'parenting, debt and housing'."""
    names = [_domain(t, k) for k in keys]
    if not names:
        return "–"
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {t('ev.and')} {names[-1]}"


def _channel(t: Translator, value: Any) -> str:
    if isinstance(value, int):
        value = Channel(value).name.lower()
    return t(f"channel.{value}")


def duration(t: Translator, weeks: float) -> str:
    """'1 week', '36 weken', '2,5 jaar': years once it is more than two years."""
    if weeks >= 2 * WEEKS_PER_YEAR:
        return t("ev.n_years", n=_count(round(weeks / WEEKS_PER_YEAR, 1)))
    return t("ev.n_weeks", n=_count(round(weeks)))


def _wait(t: Translator, waited: float) -> str:
    weeks = round(float(waited))
    return t("ev.wait_none") if weeks <= 0 else t("ev.wait_weeks", n=int(weeks))


def when(t: Translator, week: int, warmup: int, in_round: bool = False) -> str:
    """When an event happened: 'Ronde 2, week 5' (or 'Week 5' under a round's heading),
    or how long before the start of the game."""
    played = int(week) - warmup
    if played >= 0:
        in_week = played % ROUND_WEEKS + 1
        if in_round:
            return t("ev.week", week=in_week)
        return t("ev.round_week", round=played // ROUND_WEEKS + 1, week=in_week)
    before = -played
    if before >= 2 * WEEKS_PER_YEAR:
        return t("ev.before_years", n=_count(round(before / WEEKS_PER_YEAR, 1)))
    return t("ev.before_weeks", n=before)


# -- one event ------------------------------------------------------------------

def _fields(t: Translator, event: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "domain" in event:
        fields["domain"] = _domain(t, event["domain"])
    if "domains" in event:
        fields["domains"] = _domains(t, event["domains"])
    if "channel" in event:
        fields["channel"] = _channel(t, event["channel"])
    if "provider" in event:
        fields["provider"] = org_label(t, str(event["provider"]))
    if "waited" in event:
        fields["wait"] = _wait(t, event["waited"])
        fields["waited"] = duration(t, round(float(event["waited"])))
    if "weeks" in event:
        fields["weeks"] = duration(t, float(event["weeks"]))
    if "rating" in event:
        fields["rating"] = float(event["rating"])
    return fields


def _key(event: dict[str, Any]) -> str:
    kind = event["kind"]
    if kind == "triage":
        kind = f"triage_{event.get('outcome', 'referral')}"
    elif kind == "episode_end":
        kind = f"episode_end_{event.get('ending', 'ended')}"
    elif kind in ("care_start", "care_end") and event.get("domain") == "light_help":
        kind = f"{kind}_light"
    elif kind == "route":
        kind = f"route_{event.get('route', 'none')}"
    elif kind == "extra_referral" and event.get("plan") in ("one", "separate"):
        kind = f"extra_referral_{event['plan']}"
    elif kind == "measure":
        kind = f"measure_{event.get('measure', 'ots')}"
    elif kind in ("escalated", "returned_home", "placement_extended", "placement_breakdown") \
            and "placement" in event:
        kind = f"{kind}_{event['placement']}"
    return f"ev.{kind}"


def event_body(t: Translator, event: dict[str, Any]) -> str:
    """What happened, as one sentence a professional would write in a file."""
    key = _key(event)
    body = t(key, **_fields(t, event)) if t.has(key) else t("ev.other", kind=event["kind"])
    return capitalise(body)


def event_sentence(t: Translator, event: dict[str, Any], warmup: int) -> str:
    """One event in plain language, with when it happened."""
    return f"{when(t, event['week'], warmup)}: {event_body(t, event)}"


# Within one week a file reads from what was noticed to what was done about it: the
# model logs a route or a referral before the signal that led to it.
WEEK_ORDER = {"new_family": 0, "signal": 1, "crisis": 1, "vt_report": 2, "route": 3,
              "triage": 4, "poh_help": 5, "gi_referral": 5, "extra_referral": 5,
              "no_wrong_door": 6, "sent_back": 6, "care_end": 8, "episode_end": 9}
LATER = 7  # every other kind: care starting, waits ending, measures, placements


def in_file_order(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Oldest week first; within a week, signal before route, referral and care."""
    return sorted(events, key=lambda e: (e["week"], WEEK_ORDER.get(e["kind"], LATER)))


def current_residents(timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events worth telling of the family living in the house now, in file order.

    A house gets new residents now and then ("new_family"); what happened
    before that is another family's story.
    """
    told = in_file_order([e for e in timeline if e["kind"] in TIMELINE_KINDS])
    moved_in = [i for i, e in enumerate(told) if e["kind"] == "new_family"]
    return told[moved_in[-1]:] if moved_in else told


def family_story(t: Translator, timeline: list[dict[str, Any]], warmup: int,
                 last: int = 12) -> list[str]:
    """The family's last `last` events worth telling, oldest first."""
    return [event_sentence(t, e, warmup) for e in current_residents(timeline)[-last:]]


# -- the family's story in sections (the play scene's family panel) ---------------

def family_facts(t: Translator, model, f: int) -> str:
    """'3 kinderen · in zorg'."""
    fam = model.families
    state = t(f"state.{FamilyState(int(fam.state[f])).name.lower()}")
    return f"{t('family.children', n=int(fam.children[f]))} · {state}"


def problems_line(t: Translator, model, f: int) -> str:
    """The domains above the signal threshold, worst first, in words."""
    pr = model.params.problems
    sev = model.families.severity[f]
    worst = [int(d) for d in np.argsort(-sev) if sev[d] > pr.signal_threshold]
    if not worst:
        return t("family.no_problems")
    parts = [t("family.problem", domain=_domain(t, d),
               level=t("family.severe" if sev[d] > pr.severe_threshold else "family.concern"))
             for d in worst]
    return t("family.problems", list=", ".join(parts))


def stress_line(t: Translator, model, f: int) -> str:
    """The children's stress now and what it means for them, in one line."""
    level = Stress(int(model.families.stress[f])).name.lower()
    return t(f"family.stress_{level}")


def _care_lines(t: Translator, model, f: int) -> list[str]:
    """Help running now and referrals still waiting, with how long."""
    care, week = model.care, model.week
    lines = []
    for tid in care.of_family.get(f, ()):
        traj = care.trajectories[tid]
        fields = {"provider": org_label(t, traj.org.name), "domain": _domain(t, traj.slot),
                  "since": duration(t, max(0.0, week - traj.start))}
        key = "family.care_light" if traj.slot == LIGHT else "family.care"
        lines.append(capitalise(t(key, **fields)))
    for ref in care.waiting.get(f, ()):
        since = duration(t, max(0.0, week - ref.first_arrival))
        if ref.domain == LIGHT:
            lines.append(t("family.waiting_light", since=since))
        elif ref.provider >= 0:
            lines.append(t("family.waiting_at", domain=_domain(t, ref.domain), since=since,
                           provider=org_label(t, _org_name(model, ref.provider))))
        else:
            lines.append(t("family.waiting", domain=_domain(t, ref.domain), since=since))
    later = care.pending.get(f)
    if later:
        lines.append(t("family.later", domains=_domains(t, later)))
    return lines


def _org_name(model, number: int) -> str:
    return next((o.name for o in model.orgs if o.number == number), "?")


def now_lines(t: Translator, model, f: int) -> list[str]:
    """Where the family stands this week: state, help and waits, problems, stress."""
    fam = model.families
    state = FamilyState(int(fam.state[f]))
    lines = []
    if state == FamilyState.ESCALATED:
        left = max(1, int(model.residential_until[f]) - model.week)
        lines.append(t("family.now_escalated", weeks=duration(t, left)))
    else:
        lines.append(t(f"family.now_{state.name.lower()}"))
    lines += _care_lines(t, model, f)
    lines += [problems_line(t, model, f), stress_line(t, model, f)]
    return lines


Line = tuple[str, str]  # (when, what): `when` is "" for a line that is not an event


def _newest_first(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Latest week first; events of one week keep their order (cause before effect)."""
    return sorted(events, key=lambda e: -e["week"])


def story_sections(t: Translator, model, f: int, warmup: int) -> list[tuple[str, list[Line]]]:
    """(heading, lines) from now back to before the game; newest first in each section.

    During the game events are grouped per round of ROUND_WEEKS weeks, each
    line starting with its week in the round, as the top bar counts them.
    """
    sections = [(t("family.now"), [("", line) for line in now_lines(t, model, f)])]
    events = _newest_first(current_residents(model.timeline(f)))
    played = model.week - warmup
    rounds = (played - 1) // ROUND_WEEKS + 1 if played > 0 else 0
    if rounds == 0:
        sections.append((t("family.during"), [("", t("family.not_started"))]))
    for r in range(rounds - 1, -1, -1):
        lo, hi = warmup + r * ROUND_WEEKS, warmup + (r + 1) * ROUND_WEEKS
        lines = [(when(t, e["week"], warmup, in_round=True), event_body(t, e))
                 for e in events if lo <= e["week"] < hi]
        sections.append((t("family.during_round", round=r + 1),
                         lines or [("", t("family.nothing_new"))]))
    before = [(when(t, e["week"], warmup), event_body(t, e))
              for e in events if e["week"] < warmup]
    if any(e["kind"] == "new_family" and e["week"] >= warmup for e in events):
        before = [("", t("family.not_here_yet"))]
    sections.append((t("family.before"), before or [("", t("family.unknown_before"))]))
    return sections


# -- a round's highlights ---------------------------------------------------------

def highlight_kind(event: dict[str, Any]) -> str:
    """The kind an event counts as among the highlights.

    Another problem noticed in a family already in care is worth telling by what
    it did: a separate plan, so the family told its story again, or one more
    problem in the family's one plan. That difference is what integral work
    changes in a quarter.
    """
    if event["kind"] == "extra_referral":
        return {"separate": "extra_plan", "one": "added_to_plan"}.get(event.get("plan", ""),
                                                                      "extra_referral")
    return event["kind"]


def retelling(event: dict[str, Any]) -> str | None:
    """Why the family told its story again in this event, or None if it did not.

    Every time the model counts a retelling (`retold`) it logs one of these: a new
    trajectory's professional who had no dossier to read (`start`), a separate plan
    for a new problem, a wrong door (pillar to post), or a colleague taking over
    from a professional who left.
    """
    if event["kind"] == "care_start":
        return "start" if event.get("retold") else None
    kind = highlight_kind(event)  # a separate plan counts as "extra_plan"
    return kind if kind in ("extra_plan", "sent_back", "started_over") else None


def retellings(events: list[dict[str, Any]], since: int) -> Counter[str]:
    """How often families told their story again from week `since` on, by cause."""
    return Counter(cause for cause in (retelling(e) for e in events if e["week"] >= since)
                   if cause is not None)


def retold_summary(t: Translator, model, since: int) -> tuple[str, list[str]]:
    """The debrief's entry above a team's families: how often stories were told again
    while the team played, and why; one plan and a shared dossier spare them."""
    counts = retellings(model.events, since)
    return t("debrief.retold_title"), [t(
        "debrief.retold", n=sum(counts.values()), start=counts["start"],
        plans=counts["extra_plan"], sent=counts["sent_back"], new=counts["started_over"])]


def highlights(t: Translator, events: list[dict[str, Any]], n: int = 3) -> list[str]:
    """The `n` kinds of event that weighed most in a stretch of weeks, as sentences."""
    counts = Counter(k for k in map(highlight_kind, events) if k in WEIGHTS)
    ranked = sorted(counts, key=lambda k: (-WEIGHTS[k] * counts[k], k))
    lines = []
    for kind in ranked[:n]:
        if kind == "top_down_fit_revealed":
            fit = next(e["fit"] for e in events if e["kind"] == kind)
            lines.append(t("hl.fit_good" if fit >= 0 else "hl.fit_bad"))
        else:
            lines.append(capitalise(t(f"hl.{kind}", n=counts[kind])))
    return lines or [t("hl.quiet")]


def interesting_families(model, since: int, count: int = 2) -> list[int]:
    """Families with the most to tell since week `since` (for the debrief's stories)."""
    scores: Counter[int] = Counter()
    for e in model.events:
        if e["week"] >= since and "family" in e and e["kind"] in TIMELINE_KINDS \
                and e["kind"] != "new_family":
            scores[e["family"]] += 1 + WEIGHTS.get(e["kind"], 0)
    return [f for f, _ in scores.most_common(count)]
