"""The session behind the sockets: who may do what, what each client sees, and saving.

One `Hub` holds the facilitator (`game.facilitator.Facilitator`: every team
plays the same round at the same time), the codes and the connected clients.
A message reaches the facilitator only after `schema.parse` accepted it for
the sender's role; the hub adds no game rules of its own - the facilitator
decides and the hub passes its answer on. After every accepted action the
session is saved and every client gets its fresh view: a team only its own,
the facilitator all of them.

Everything runs on the server's one event loop, so actions never interleave.
A round (13 model weeks for every team, week by week), an undo and a branch
are replays or runs that take a while: each is a task of its own whose model
work runs in a worker thread, while the hub is `busy` and refuses other
actions - but a pause, which stops the round after its current week - so the
pages keep answering and show the progress.
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio

from game import influence_table
from game.cards import EVENT_CARDS, POLICY_CARDS
from game.indicators import INDICATORS
from game.session import ROUND_WEEKS
from game.web import schema, store
from game.web.codes import TEAM_CODE_LENGTH, Codes, shown
from game.web.schema import FACILITATOR, GUEST, TEAM, Invalid

RATE_PER_S = 8.0  # messages a client may send per second, on average
RATE_BURST = 24.0  # and at once (a page's reconnect sends a few)
MAX_BAD_JOINS = 10  # wrong codes on one connection before it is closed
MAX_OVER_RATE = 200  # messages over the rate before a connection is closed
PROGRESS_EVERY_S = 0.2  # progress of a running round is sent at most this often


@dataclass
class RateLimit:
    """A token bucket: `RATE_PER_S` messages a second, `RATE_BURST` at once."""

    tokens: float = RATE_BURST
    stamp: float = field(default_factory=time.monotonic)
    over: int = 0
    warned: float = -math.inf

    def allow(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        self.tokens = min(RATE_BURST, self.tokens + (now - self.stamp) * RATE_PER_S)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        self.over += 1
        return False


@dataclass(eq=False)
class Client:
    """One open socket; `send` is the socket's send_json (or a test's list.append)."""

    send_text: Any
    close: Any
    role: str = GUEST
    team: int | None = None
    bad_joins: int = 0
    rate: RateLimit = field(default_factory=RateLimit)

    async def send(self, message: dict[str, Any]) -> None:
        await self.send_text(json.dumps(message, default=_plain, allow_nan=False))


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, set | tuple):
        return list(value)
    raise TypeError(f"cannot send {type(value).__name__}")


def _finite(value: Any) -> Any:
    """NaN and infinity (a KPI not measured yet) as null: JSON has no NaN."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def catalogue(rounds: int) -> dict[str, Any]:
    """What the pages need to draw cards and KPIs (ids, costs, targets, chart ranges)."""
    return {
        "type": "catalogue", "rounds": rounds, "round_weeks": ROUND_WEEKS,
        # effects: the direction each KPI moved in paired model runs (game.influence_table)
        "cards": [{"id": c.id, "cost_eur": c.cost_eur, "delay_weeks": c.delay_weeks,
                   "once": c.once, "effects": influence_table.signs(c)} for c in POLICY_CARDS],
        "events": [{"id": c.id, "effects": influence_table.signs(c)} for c in EVENT_CARDS],
        "kpis": [{"key": i.key, "better": i.better, "target": i.target, "fmt": i.fmt,
                  "axis": i.axis, "bounded": i.bounded} for i in INDICATORS],
    }


class Hub:
    def __init__(self, facilitator: Any, codes: Codes, save_path: Path | None = None) -> None:
        self.fac = facilitator
        self.codes = codes
        self.save_path = save_path
        self.clients: list[Client] = []
        self.busy: str | None = None  # the slow action running now
        self.progress = 0.0
        self.save_error = ""
        self._tasks: set[asyncio.Task] = set()  # a round or an undo under way
        self._saved = store.dumps(codes, facilitator)  # the last consistent state, as text

    # -- state ------------------------------------------------------------------

    @property
    def n_teams(self) -> int:
        return len(self.fac.session.teams)

    def team_names(self) -> list[str]:
        return [t.name for t in self.fac.session.teams]

    def save(self) -> None:
        """After every accepted action; a save that fails is reported, the session goes on."""
        self._saved = store.dumps(self.codes, self.fac)
        if self.save_path is None:
            return
        try:
            store.write(self.save_path, self._saved)
        except OSError as exc:
            reason = f"{self.save_path}: {exc.strerror or exc}"
            if reason != self.save_error:
                print(f"samenspel serve: warning: the session could not be saved to {reason}; "
                      "play goes on, but a restart cannot resume it.", file=sys.stderr)
            self.save_error = reason
            return
        self.save_error = ""

    def flags(self) -> dict[str, Any]:
        f = self.fac
        return {"locked": bool(f.locked), "paused": bool(f.paused), "revealed": bool(f.revealed),
                "busy": self.busy, "progress": self.progress}

    def connected(self) -> list[int]:
        counts = [0] * self.n_teams
        for c in self.clients:
            if c.role == TEAM and c.team is not None:
                counts[c.team] += 1
        return counts

    def team_state(self, team: int) -> dict[str, Any]:
        return _finite({"type": "state", "role": TEAM, "team": team,
                        "name": self.team_names()[team], "flags": self.flags(),
                        "view": self.fac.team_view(team)})

    def facilitator_state(self) -> dict[str, Any]:
        counts = self.connected()
        teams = [{"index": i, "name": name, "code": shown(self.codes.teams[i]),
                  "connected": counts[i], "view": self.fac.team_view(i, everything=True)}
                 for i, name in enumerate(self.team_names())]
        return _finite({"type": "state", "role": FACILITATOR, "flags": self.flags(),
                        "teams": teams, "scoreboard": self.fac.scoreboard(everything=True),
                        "save_error": self.save_error})

    # -- sending ----------------------------------------------------------------

    async def _send(self, client: Client, message: dict[str, Any]) -> None:
        try:
            await client.send(message)
        except Exception:  # noqa: BLE001 - a socket gone away: drop it, never stop the hub
            self.drop(client)

    async def send_state(self, client: Client) -> None:
        if self.busy:  # the models are changing in a worker thread: progress only
            await self._send(client, {"type": "progress", "busy": self.busy,
                                      "progress": self.progress})
            return
        if client.role == TEAM and client.team is not None:
            await self._send(client, self.team_state(client.team))
        elif client.role == FACILITATOR:
            await self._send(client, self.facilitator_state())

    async def broadcast(self) -> None:
        """Every client its fresh view (each team's computed once)."""
        views: dict[Any, dict[str, Any]] = {}
        for client in list(self.clients):
            key = client.team if client.role == TEAM else client.role
            if client.role == GUEST:
                continue
            if self.busy:
                await self.send_state(client)
                continue
            if key not in views:
                views[key] = (self.team_state(client.team) if client.role == TEAM
                              else self.facilitator_state())
            await self._send(client, views[key])

    async def broadcast_facilitators(self) -> None:
        """After a team came or went: the consoles show who is connected."""
        if self.busy:
            return
        state = None
        for client in list(self.clients):
            if client.role == FACILITATOR:
                state = state or self.facilitator_state()
                await self._send(client, state)

    # -- connections --------------------------------------------------------------

    def add(self, client: Client) -> None:
        self.clients.append(client)

    def drop(self, client: Client) -> None:
        if client in self.clients:
            self.clients.remove(client)

    async def leave(self, client: Client) -> None:
        was_team = client.role == TEAM
        self.drop(client)
        if was_team:
            await self.broadcast_facilitators()

    # -- messages ---------------------------------------------------------------

    async def receive(self, client: Client, raw: str | bytes) -> None:
        """One message from a client: checked, then acted on; never raises."""
        try:
            await self._receive(client, raw)
        except Exception:  # noqa: BLE001 - a bug in a view or a save: logged, the hub goes on
            print("samenspel serve: error while answering a message:\n"
                  + traceback.format_exc(), file=sys.stderr)
            await self._send(client, {"type": "error", "key": "web.error.internal",
                                      "field": "message", "value": "", "allowed": "",
                                      "message": "the server failed to answer this message"})

    async def _receive(self, client: Client, raw: str | bytes) -> None:
        if not client.rate.allow():
            now = time.monotonic()
            if client.rate.over > MAX_OVER_RATE:
                await client.close(1008)
                self.drop(client)
                return
            if now - client.rate.warned >= 1.0:
                client.rate.warned = now
                await self._send(client, Invalid(
                    "web.error.rate", "message", f"more than {RATE_PER_S:g} a second",
                    f"at most {RATE_PER_S:g} messages a second",
                    f"too many messages: at most {RATE_PER_S:g} a second; this one was "
                    "dropped", literal=True).to_message())
            return
        try:
            kind, fields = schema.parse(raw, client.role, self.n_teams)
        except Invalid as exc:
            await self._send(client, exc.to_message())
            return
        if kind == "ping":
            await self._send(client, {"type": "pong"})
        elif kind == "join":
            await self._join(client, fields["code"])
        elif self.busy == "start_round" and kind == "pause":
            self.fac.pause()  # the round loop stops after the week it is in
            await self._send(client, {"type": "progress", "busy": self.busy,
                                      "progress": self.progress, "pausing": True})
        elif self.busy:
            await self._send(client, Invalid(
                "web.error.busy", "type", kind, "wait until it is done",
                f"{kind!r} must wait: the server is busy with {self.busy!r}").to_message())
        else:
            await self._act(client, kind, fields)

    async def _join(self, client: Client, code: str) -> None:
        role = self.codes.role_of(code)
        if role is None:
            client.bad_joins += 1
            await self._send(client, Invalid(
                "web.error.code", "code", code,
                f"the code of your team: {TEAM_CODE_LENGTH} letters and digits, "
                "as the facilitator shows it",
                f"code {schema.quote(code)} is not a code of this session; allowed: the code "
                f"of your team, {TEAM_CODE_LENGTH} letters and digits, as the facilitator "
                "shows it").to_message())
            if client.bad_joins >= MAX_BAD_JOINS:
                await client.close(1008)
                self.drop(client)
            return
        client.role, client.team = role
        await self._send(client, {"type": "joined", "role": client.role, "team": client.team,
                                  "name": (self.team_names()[client.team]
                                           if client.team is not None else None)})
        await self._send(client, catalogue(self.fac.session.rounds))
        await self.send_state(client)
        if client.role == TEAM:
            await self.broadcast_facilitators()

    async def _act(self, client: Client, kind: str, fields: dict[str, Any]) -> None:
        """An accepted message: the facilitator decides; saved and shown to all if done."""
        try:
            if kind == "start_round":
                answer = self.fac.start_round()
                if answer is None:
                    return self._spawn(client, kind, fields, self._run_round)
            elif kind == "resume":
                self.fac.resume()
                answer = None
                if self.fac.running:  # a round stopped part-way goes on
                    return self._spawn(client, kind, fields, self._run_round)
            elif kind == "undo_round":
                return self._spawn(client, kind, fields, self._undo)
            elif kind == "branch":
                return self._spawn(client, kind, fields, lambda: self._branch(fields))
            else:
                answer = ACTIONS[kind](self.fac, client.team, fields)
        except Exception:  # noqa: BLE001 - a bug must not end the workshop
            await self._internal_error(client, kind)
            return None
        await self._done(client, kind, fields, answer)
        return None

    async def _done(self, client: Client, kind: str, fields: dict[str, Any], answer: Any) -> None:
        if isinstance(answer, str):  # the facilitator's refusal: a translation key
            await self._send(client, {"type": "refused", "key": answer, "action": kind,
                                      **{k: v for k, v in fields.items() if v is not None}})
            return
        self.save()
        await self.broadcast()

    def _spawn(self, client: Client, kind: str, fields: dict[str, Any], work: Any) -> None:
        """Slow work (a round, an undo, a branch) as a task of its own; `busy` until it ends.

        The sender's socket goes on reading meanwhile, so the console's "pause"
        reaches a running round.
        """
        self.busy = "start_round" if kind in ("start_round", "resume") else kind
        self.progress = 0.0
        task = asyncio.get_running_loop().create_task(
            self._background(client, kind, fields, work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _background(self, client: Client, kind: str, fields: dict[str, Any],
                          work: Any) -> None:
        try:
            try:
                await self.broadcast()
                answer = await work()
            finally:
                self.busy, self.progress = None, 0.0
            await self._done(client, kind, fields, answer)
        except Exception:  # noqa: BLE001 - a bug must not end the workshop
            await self._internal_error(client, kind)

    async def _branch(self, fields: dict[str, Any]) -> Any:
        """A new team from `team` at the start of `round` (a replay); it gets its own code."""
        answer = await anyio.to_thread.run_sync(
            self.fac.branch, fields["team"], fields["round"], fields["name"])
        if answer is None:
            self.codes = self.codes.with_team()
        return answer

    async def _undo(self) -> Any:
        """Every team back a round: a replay of each team's log, in a worker thread."""
        return await anyio.to_thread.run_sync(self.fac.undo_round)

    async def _run_round(self) -> None:
        """The started round, week by week in a worker thread, until it ends or is paused.

        Between weeks the loop answers the sockets: progress goes out, and a
        "pause" from the console stops the round after the week it is in.
        """
        self.progress = self._round_progress()
        last = time.monotonic()
        while await anyio.to_thread.run_sync(self.fac.step_week) and not self.fac.paused:
            self.progress = self._round_progress()
            if time.monotonic() - last >= PROGRESS_EVERY_S:
                last = time.monotonic()
                await self.broadcast()

    def _round_progress(self) -> float:
        """How far the running teams are into their quarter (the least advanced one)."""
        s = self.fac.session
        weeks = [s.weeks_played(s.teams[i]) % ROUND_WEEKS for i in self.fac.running]
        return min(weeks, default=0) / ROUND_WEEKS

    async def _internal_error(self, client: Client, kind: str) -> None:
        """A bug in an action: logged, reported, and the session back at its last save."""
        print(f"samenspel serve: error in {kind!r}, the session goes on from its last save:\n"
              + traceback.format_exc(), file=sys.stderr)
        from game.facilitator import Facilitator

        self.fac = Facilitator.from_data(json.loads(self._saved)["facilitator"])
        await self._send(client, {"type": "error", "key": "web.error.internal", "field": "type",
                                  "value": schema.quote(kind), "allowed": "",
                                  "message": f"{kind!r} failed inside the server; the session "
                                             "is back where it was before it"})
        await self.broadcast()


ACTIONS = {  # message type -> call on the facilitator; returns a refusal's key or None
    "play_card": lambda f, team, a: f.play_card(team, a["card"]),
    "predict": lambda f, team, a: f.predict(team, a["kpi"], a["value"]),
    "ready": lambda f, team, a: f.ready(team, a["on"]),
    "lock": lambda f, team, a: f.lock(),
    "unlock": lambda f, team, a: f.unlock(),
    "pause": lambda f, team, a: f.pause(),
    "reveal": lambda f, team, a: f.reveal(a["on"]),
    "inject": lambda f, team, a: f.inject(a["card"], a["team"]),
}
