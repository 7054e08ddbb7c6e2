"""Events from the model as plain sentences: a family's timeline and a round's highlights."""

from __future__ import annotations

from collections import Counter
from typing import Any

from game.i18n import Translator
from sim.states import Channel

# How much one event of a kind matters for a round's summary (a judgement call).
WEIGHTS = {
    "escalated": 6.0, "crisis": 4.0, "alternative_programme": 4.0, "dropped_out": 3.0,
    "left": 3.0, "top_down_fit_revealed": 5.0, "idea_adopted": 3.0, "idea_abandoned": 1.0,
    "started_over": 2.0, "sent_back": 2.0, "no_wrong_door": 1.5, "plan_extended": 1.0,
    "hired": 1.0, "episode_end": 0.3, "signal": 0.2, "care_start": 0.2,
}
TIMELINE_KINDS = {
    "signal", "crisis", "triage", "care_start", "care_end", "extra_referral", "sent_back",
    "no_wrong_door", "started_over", "dropped_out", "alternative_programme", "escalated",
    "episode_end", "new_family", "plan_extended",
}


def _domain(t: Translator, key: Any) -> str:
    return t(f"domain.{key}") if key is not None else "?"


def _channel(t: Translator, value: Any) -> str:
    if isinstance(value, int):
        value = Channel(value).name.lower()
    return t(f"channel.{value}")


def event_sentence(t: Translator, event: dict[str, Any], warmup: int) -> str:
    """One event in plain language, with its week counted from the start of the game."""
    kind = event["kind"]
    week = int(event["week"]) - warmup
    when = t("ev.week", week=week) if week >= 0 else t("ev.before", weeks=-week)
    fields: dict[str, Any] = {}
    if "domain" in event:
        fields["domain"] = _domain(t, event["domain"])
    if "domains" in event:
        fields["domains"] = ", ".join(_domain(t, d) for d in event["domains"]) or "–"
    if "channel" in event:
        fields["channel"] = _channel(t, event["channel"])
    for name in ("provider", "waited", "weeks", "rating"):
        if name in event:
            value = event[name]
            fields[name] = f"{value:.0f}" if isinstance(value, float) and name != "rating" \
                else value
    if kind == "triage":
        kind = f"triage_{event.get('outcome', 'referral')}"
    elif kind == "episode_end":
        kind = f"episode_end_{event.get('ending', 'ended')}"
    key = f"ev.{kind}"
    body = t(key, **fields) if t.has(key) else t("ev.other", kind=kind)
    return f"{when}: {body}"


def family_story(t: Translator, timeline: list[dict[str, Any]], warmup: int,
                 last: int = 12) -> list[str]:
    """The family's last `last` events worth telling, oldest first."""
    told = [e for e in timeline if e["kind"] in TIMELINE_KINDS]
    return [event_sentence(t, e, warmup) for e in told[-last:]]


def highlights(t: Translator, events: list[dict[str, Any]], n: int = 3) -> list[str]:
    """The `n` kinds of event that weighed most in a stretch of weeks, as sentences."""
    counts = Counter(e["kind"] for e in events if e["kind"] in WEIGHTS)
    ranked = sorted(counts, key=lambda k: (-WEIGHTS[k] * counts[k], k))
    lines = []
    for kind in ranked[:n]:
        if kind == "top_down_fit_revealed":
            fit = next(e["fit"] for e in events if e["kind"] == kind)
            lines.append(t("hl.fit_good" if fit >= 0 else "hl.fit_bad"))
        else:
            lines.append(t(f"hl.{kind}", n=counts[kind]))
    return lines or [t("hl.quiet")]


def interesting_families(model, since: int, count: int = 2) -> list[int]:
    """Families with the most to tell since week `since` (for the debrief's stories)."""
    scores: Counter[int] = Counter()
    for e in model.events:
        if e["week"] >= since and "family" in e and e["kind"] in TIMELINE_KINDS \
                and e["kind"] != "new_family":
            scores[e["family"]] += 1 + WEIGHTS.get(e["kind"], 0)
    return [f for f, _ in scores.most_common(count)]
