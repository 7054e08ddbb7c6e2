"""A case-trainer session: one case, one to four trainees in its roles, their choices,
reflections and the counterfactuals of the debrief.

The model lives in a `sim.case.CaseRun`; this module only adds who plays which
role, what each trainee wrote at each decision point, and the save: plain
JSON (written atomically next to the game's saves) with the case, the seed,
the choices with their weeks, the reflections and the model's action log, so
a session is rebuilt by replaying its choices from the same seed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from game import save
from sim.case import CaseRun, counterfactuals
from sim.casefile import Case, list_cases, load_case
from sim.model import SamenspelModel

FORMAT = "samenspel-case"
VERSION = 1
SAVE_NAME = "case-autosave.json"
MAX_TRAINEES = 4
OTHER_SEEDS = 10  # neighbourhoods the debrief replays each path in, besides the trainee's
MAX_REFLECTION = 500  # letters of one written reflection


def save_path() -> Path:
    return save.save_dir() / SAVE_NAME


class CaseSession:
    def __init__(self, case: Case | str, trainees: int = 1, seed: int | None = None) -> None:
        self.case = case if isinstance(case, Case) else load_case(case)
        self.trainees = max(1, min(MAX_TRAINEES, int(trainees)))
        self.seed = self.case.seed if seed is None else int(seed)
        self.run: CaseRun | None = None
        self.reflections: dict[int, str] = {}
        self.results: list | None = None  # the debrief's counterfactuals, once computed
        self.other_seeds = OTHER_SEEDS

    # -- building ---------------------------------------------------------------

    def start_steps(self):
        """The neighbourhood's warm-up week by week, then the family's arrival, as progress
        in [0, 1] (the loading screen runs a few weeks a frame, so the window stays live)."""
        model = SamenspelModel(self.case.load_scenario(), self.seed, collect_groups=False)
        weeks = self.case.warmup_weeks
        for w in range(weeks):
            model.step()
            yield (w + 1) / (weeks + 1)
        self.run = CaseRun(self.case, self.seed, model, adopt=True)
        yield 1.0
        return self

    @property
    def roles(self) -> tuple[str, ...]:
        return self.case.roles

    def trainee_of(self, role: str) -> int:
        """Which trainee (0-based) plays `role`: roles are dealt out in turn."""
        roles = self.roles
        return roles.index(role) % self.trainees if role in roles else 0

    # -- playing -----------------------------------------------------------------

    @property
    def week(self) -> int:
        return self.run.week if self.run else 0

    @property
    def finished(self) -> bool:
        return self.run is not None and self.run.finished

    def current_moment(self) -> int | None:
        due = self.run.due_moments() if self.run else []
        return due[0] if due else None

    def decide(self, moment: int, choice: str, reflection: str = "") -> dict[str, Any]:
        result = self.run.decide(moment, choice)
        text = reflection.strip()[:MAX_REFLECTION]
        if text:
            self.reflections[moment] = text
        self.autosave()
        return result

    def step(self) -> None:
        if self.current_moment() is None and not self.finished:
            self.run.step()

    def choices(self) -> dict[int, str]:
        return {i: c for i, c in self.run.decided.items() if c}

    # -- debrief ------------------------------------------------------------------

    def counterfactual_steps(self):
        """Replay every path not taken, here and in other neighbourhoods; progress in [0, 1]."""
        others = [self.seed + 1 + k for k in range(self.other_seeds)]
        self.results = yield from counterfactuals(self.case, self.seed, self.choices(), others)
        return self

    # -- saving --------------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "version": VERSION, "case": self.case.id, "seed": self.seed,
            "trainees": self.trainees, "week": self.week,
            "choices": [{"moment": i, "week": self.case.moments[i].week, "choice": c}
                        for i, c in sorted(self.choices().items())],
            "reflections": {str(i): t for i, t in sorted(self.reflections.items())},
            "actions": self.run.actions() if self.run else [],
        }

    def autosave(self, path: Path | None = None) -> Path | None:
        """Write the session; a full disk or a read-only folder never stops the training."""
        path = path or save_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save._write_atomic(path, json.dumps(self.to_data(), indent=1, ensure_ascii=False))
        except OSError:
            return None
        return path


def restore_check(data: Any) -> None:
    """Refuse a save that is not a case-trainer save of this version (ValueError)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a case-trainer save")
    if data.get("version") != VERSION:
        raise ValueError(f"save version {data.get('version')!r}; this game reads {VERSION}")
    if data.get("case") not in list_cases():
        raise ValueError(f"case {data.get('case')!r} is not among the cases")


def restore_steps(data: dict[str, Any]):
    """`restore` as progress steps for the loading screen."""
    yield 0.1
    return restore(data)


def restore(data: dict[str, Any]) -> CaseSession:
    """A session rebuilt from its save by replaying its choices from the same seed."""
    restore_check(data)
    session = CaseSession(str(data["case"]), int(data["trainees"]), int(data["seed"]))
    session.run = run = CaseRun(session.case, session.seed)
    choices = {int(c["moment"]): str(c["choice"]) for c in data["choices"]}
    while True:
        for i in run.due_moments():
            if i in choices:
                run.decide(i, choices[i])
        if run.week >= int(data["week"]) or run.due_moments() or run.finished:
            break
        run.step()
    session.reflections = {int(k): str(v) for k, v in data.get("reflections", {}).items()}
    return session
