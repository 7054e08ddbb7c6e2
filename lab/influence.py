"""The influence map's table, measured: what each card does to the game's KPIs, by paired runs.

The map used to show signs someone expected. This command measures them. Per
seed the scenario is warmed up once, exactly as the game warms it up; then one
copy of that model plays no card and one copy per card plays only that card,
at the start of round 1 as the game does (a card with a delay lands after it),
and every copy runs the game's rounds. All copies start from the same state
and draw from the same seeded streams (common random numbers, as in
`lab.compare`), but a card soon changes who is helped when, and from then on
the runs go their own ways: the difference card - no card of one pair is the
card's effect plus the noise of two runs. With one run without a card per seed,
that run's own luck shifted every card the same way (in the neighbourhood it
waited 12.8 weeks on average over 60 seeds, three runs differing only in the
families' weekly noise 10.6-11.8, and nearly every card looked 2 weeks better).
So every seed is played `REPLICAS` times, the dynamics stream nudged by one
more draw each time, with and without each card, and the seed's effect is the
mean of the paired differences: a card that changes nothing still measures
exactly 0, and no single run without a card weighs on all the cards. A KPI is
read as the game's tile reads it (`game.indicators`), averaged over the last
round, i.e. what the teams see in the debrief.

Per card and KPI the table holds the mean difference, its 95 % t-interval, n,
the t-test's p and its q over the whole table, and a sign only when the
interval excludes 0 and the effect survives the table's false-discovery
control (`control_false_discoveries`): among a table's many intervals, one in
twenty of the effects that are really 0 would otherwise carry a sign. It also
names the scenario, the seeds, the code version and the cards it measured
(their actions and delays), so a test can tell when the card list has changed
since it was written.

The cards and KPIs are the game's (`game.cards`, `game.indicators`: plain data
without pygame); the lab reads them here because the table exists for the game.

    python -m lab.influence --workers 2          # writes assets/influence.json
    python -m lab.influence --seeds 4 --cards integral,pooled --out /tmp/t.json
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import math
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, as_completed
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from game.cards import POLICY_CARDS, Card
from game.indicators import INDICATORS
from lab.compare import CONFIDENCE, t_half_width
from lab.executor import open_executor
from lab.output import atomic_write_text
from lab.runs import code_version, scenario_hash
from sim.data import data_dir
from sim.errors import UserError, report, shorten

TABLE = data_dir("assets") / "influence.json"
FORMAT = 1
SCENARIO = "neighbourhood"
ROUNDS = 8  # the game's default session (game.session.DEFAULT_ROUNDS)
ROUND_WEEKS = 13  # one round is a quarter (game.session.ROUND_WEEKS)
SEEDS = 120  # as stored: half-widths of about 0.9 weeks of waiting, 0.06 of a rating
KPIS = tuple(ind.key for ind in INDICATORS)
NONE = "none"  # the runs without a card
REPLICAS = 3  # plays of each seed, with and without each card (see the module's docstring)
# Of the signs a table shows, the share expected to be chance (Benjamini-Hochberg over all
# its cells). A 95 % interval alone leaves one in twenty effects that are really 0 with a
# sign: over 32 cards x 6 KPIs that is several arrows on the map that mean nothing.
FALSE_DISCOVERY_RATE = 0.05


def card_entry(card: Card) -> dict[str, Any]:
    """What the table records of a card, so a changed card makes the table stale."""
    return {"action": card.action_dict(), "delay_weeks": card.delay_weeks}


def card_schedule(card: Card, week: int) -> tuple[int, dict[str, Any]]:
    """(week, action) a card played in `week` reaches the model, as `Session.play_card` does:
    a card's delay beyond what the action delays itself waits in the session."""
    action = card.action_dict()
    model_delay = action.get("rollout_weeks", 0)
    if card.delay_weeks > model_delay:
        return week + card.delay_weeks - model_delay, action
    return week, action


def _last_round(model: Any, weeks: int, last: int, schedule: list[tuple[int, dict]]) -> \
        dict[str, float]:
    """Run `weeks` game weeks, applying the scheduled actions; mean KPIs of the last `last`."""
    from sim.actions import action_from_dict

    rows: dict[str, list[float]] = {k: [] for k in KPIS}
    start = model.week
    todo = sorted(schedule, key=lambda s: s[0])
    for i in range(weeks):
        while todo and todo[0][0] <= model.week:
            model.apply(action_from_dict(todo.pop(0)[1]))
        model.step()
        if i >= weeks - last:
            for k in KPIS:
                rows[k].append(float(model.kpi.get(k, math.nan)))
    assert model.week == start + weeks
    out = {}
    for k, values in rows.items():
        finite = [v for v in values if math.isfinite(v)]
        out[k] = float(np.mean(finite)) if finite else math.nan
    return out


def measure_seed(scenario: Any, seed: int, card_ids: Sequence[str], rounds: int,
                 round_weeks: int) -> dict[str, Any]:
    """One seed: the warm-up once, then the game's rounds without a card and with each card.

    Returns {"seed", "kpis": {card id or NONE: {kpi: mean of the last round, over the
    seed's replicas}}}.
    """
    from game.cards import BY_ID
    from sim.model import SamenspelModel

    model = SamenspelModel(scenario, seed=seed, collect_groups=False)
    model.run_weeks(scenario.run.warmup_weeks)
    weeks = rounds * round_weeks
    runs: dict[str, list[dict[str, float]]] = {cid: [] for cid in (NONE, *card_ids)}
    for k in range(REPLICAS):
        for cid in runs:
            run = _nudged(model, k)
            schedule = [] if cid == NONE else [card_schedule(BY_ID[cid], run.week)]
            runs[cid].append(_last_round(run, weeks, round_weeks, schedule))
    out = {cid: {k: _mean([r[k] for r in plays]) for k in KPIS} for cid, plays in runs.items()}
    return {"seed": seed, "kpis": out}


def _nudged(model: Any, draws: int) -> Any:
    """A copy of the model whose families' weekly noise is shifted by `draws` draws."""
    run = copy.deepcopy(model)
    if draws:
        run.streams["dynamics"].random(draws)
    return run


def _mean(values: Sequence[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return float(np.mean(finite)) if finite else math.nan


def effect(diffs: Sequence[float], confidence: float = CONFIDENCE) -> dict[str, Any]:
    """Mean of paired differences, its t-interval, n, the two-sided p of the t-test, and
    the sign when the interval excludes 0 (one effect on its own; a table's signs are
    then thinned by `control_false_discoveries`)."""
    values = np.array([d for d in diffs if math.isfinite(d)], dtype=float)
    n = int(values.size)
    if n == 0:
        return {"diff": None, "lo": None, "hi": None, "n": 0, "p": None, "sign": 0}
    mean = float(values.mean())
    sd = float(values.std(ddof=1)) if n > 1 else math.nan
    half = t_half_width(sd, n, confidence) if n > 1 else math.nan
    if not math.isfinite(half):
        return {"diff": mean, "lo": None, "hi": None, "n": n, "p": None, "sign": 0}
    lo, hi = mean - half, mean + half
    if sd > 0:
        p = float(2 * stats.t.sf(abs(mean) / (sd / math.sqrt(n)), n - 1))
    else:  # every seed the same difference: 0 is no effect, anything else is certain
        p = 1.0 if mean == 0 else 0.0
    sign = 1 if lo > 0 else (-1 if hi < 0 else 0)
    return {"diff": mean, "lo": lo, "hi": hi, "n": n, "p": p, "sign": sign}


def control_false_discoveries(cards: dict[str, dict[str, Any]],
                              rate: float = FALSE_DISCOVERY_RATE) -> None:
    """Benjamini-Hochberg over every cell of a table (in place): each cell gets `q`, the
    smallest false-discovery rate at which it would count, and keeps its sign only when
    q <= `rate`. The map then shows arrows of which about `rate` are chance, instead of
    one in twenty of all the effects that are really 0."""
    cells = []
    for entry in cards.values():
        for cell in entry["effects"].values():
            if cell.get("p") is None:  # no interval (fewer than two seeds): no sign either
                cell["q"] = None
            else:
                cells.append(cell)
    cells.sort(key=lambda c: c["p"])
    q = 1.0
    for rank in range(len(cells), 0, -1):
        cell = cells[rank - 1]
        q = min(q, cell["p"] * len(cells) / rank)
        cell["q"] = q
        if q > rate:
            cell["sign"] = 0


def build_table(results: Sequence[dict[str, Any]], card_ids: Sequence[str], meta: dict[str, Any]
                ) -> dict[str, Any]:
    """The table from every seed's KPIs: per card and KPI the paired effect; the base means."""
    from game.cards import BY_ID

    results = sorted(results, key=lambda r: r["seed"])
    base = {k: [r["kpis"][NONE][k] for r in results] for k in KPIS}
    cards = {}
    for cid in card_ids:
        effects = {}
        for k in KPIS:
            diffs = [r["kpis"][cid][k] - r["kpis"][NONE][k] for r in results]
            effects[k] = effect(diffs)
        cards[cid] = {**card_entry(BY_ID[cid]), "effects": effects}
    control_false_discoveries(cards)
    for entry in cards.values():
        entry["effects"] = {k: _rounded(cell) for k, cell in entry["effects"].items()}
    base_means = {k: _round(float(np.nanmean(v)) if np.isfinite(v).any() else None)
                  for k, v in base.items()}
    return {**meta, "seeds": [r["seed"] for r in results], "kpis": list(KPIS),
            "base": base_means, "cards": cards}


def _round(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(f"{value:.6g}")


def _rounded(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: _round(v) if isinstance(v, float) else v for k, v in entry.items()}


def measure(scenario_name: str = SCENARIO, overrides: Sequence[str] = (),
            seeds: Sequence[int] = tuple(range(1, SEEDS + 1)),
            card_ids: Sequence[str] | None = None, rounds: int = ROUNDS,
            round_weeks: int = ROUND_WEEKS, executor: Executor | None = None,
            progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Measure every card (or `card_ids`) on `seeds`; return the table as plain data."""
    from sim.scenario import load_scenario

    card_ids = list(card_ids) if card_ids is not None else [c.id for c in POLICY_CARDS]
    scenario = load_scenario(scenario_name, list(overrides) or None)
    meta = {"format": FORMAT, "scenario": scenario_name, "overrides": list(overrides),
            "scenario_hash": scenario_hash(scenario), "code_version": code_version(),
            "rounds": rounds, "round_weeks": round_weeks,
            "warmup_weeks": scenario.run.warmup_weeks, "confidence": CONFIDENCE,
            "false_discovery_rate": FALSE_DISCOVERY_RATE,
            "measure": "mean of the last round's weekly KPI, card played at the start of "
                       "round 1, minus the same seed without a card, each the mean of "
                       "the seed's replicas",
            "replicas": REPLICAS,
            "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    results = []
    if executor is None:
        for i, seed in enumerate(seeds):
            results.append(measure_seed(scenario, seed, card_ids, rounds, round_weeks))
            if progress:
                progress(i + 1, len(seeds))
    else:
        futures = [executor.submit(measure_seed, scenario, seed, card_ids, rounds, round_weeks)
                   for seed in seeds]
        for i, future in enumerate(as_completed(futures)):
            results.append(future.result())
            if progress:
                progress(i + 1, len(seeds))
    return build_table(results, card_ids, meta)


def write_table(table: dict[str, Any], path: Path) -> Path:
    """The table as sorted, indented JSON, written atomically (the file is in the repository)."""
    return atomic_write_text(path, json.dumps(table, indent=1, ensure_ascii=False,
                                              sort_keys=True) + "\n")


def load_table(path: Path = TABLE) -> dict[str, Any] | None:
    """The stored table, or None when there is none (the map then says so)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


# -- the command --------------------------------------------------------------------------


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m lab.influence", description=__doc__.split(
        "\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", default=SCENARIO, help="scenario name or file "
                    f"(default {SCENARIO})")
    ap.add_argument("--set", dest="overrides", action="append", default=[],
                    metavar="KEY=VALUE", help="override a scenario value (repeatable)")
    ap.add_argument("--seeds", default=str(SEEDS), help=f"number of seeds (default {SEEDS})")
    ap.add_argument("--rounds", default=str(ROUNDS), help=f"rounds played (default {ROUNDS})")
    ap.add_argument("--cards", default="", help="comma-separated card ids (default: all)")
    ap.add_argument("--workers", default="0", help="worker processes (default: one per core)")
    ap.add_argument("--out", default=str(TABLE), help=f"table to write (default {TABLE.name} "
                    "in assets/)")
    return ap.parse_args(argv)


def _whole(flag: str, text: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise UserError(f"{flag} = {shorten(text)!r}: give a whole number from {low} to {high}.")
    return value


def _cards(text: str) -> list[str]:
    known = [c.id for c in POLICY_CARDS]
    if not text.strip():
        return known
    chosen = [c.strip() for c in text.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise UserError(f"--cards = {shorten(', '.join(unknown))!r}: no such card; allowed: "
                        f"{', '.join(known)}.")
    return chosen


def run(argv: Sequence[str] | None = None) -> int:
    from sim.scenario import ScenarioError, load_scenario

    args = _parse(argv)
    seeds = _whole("--seeds", args.seeds, 2, 1000)
    rounds = _whole("--rounds", args.rounds, 1, 40)
    workers = _whole("--workers", args.workers, 0, 256)
    cards = _cards(args.cards)
    try:
        load_scenario(args.scenario, list(args.overrides) or None)
    except ScenarioError as exc:
        raise UserError(str(exc)) from None
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UserError(f"--out = {shorten(str(out))!r}: the folder {out.parent} does not "
                        "exist.")

    def say(done: int, total: int) -> None:
        print(f"\rseeds {done}/{total}", end="", file=sys.stderr, flush=True)

    with open_executor(workers or None) as executor:
        table = measure(args.scenario, args.overrides, range(1, seeds + 1), cards, rounds,
                        executor=executor, progress=say)
    print(file=sys.stderr)
    write_table(table, out)
    print(f"wrote {out}: {len(cards)} cards x {len(KPIS)} KPIs on {seeds} seeds")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(argv)
    except UserError as exc:
        return report("python -m lab.influence", exc)


if __name__ == "__main__":
    sys.exit(main())
