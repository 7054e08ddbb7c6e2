"""Reading and checking case files (`scenarios/cases/*.toml`) for the case trainer.

A case file describes one family - its members, problems per domain with their
severity, history, network and what it wants - the neighbourhood scenario the
model runs around it, and the decision moments (week, role, choices) with
their reflection questions. Every text is given in Dutch and English.

Mistakes get the scenario files' treatment: a `CaseError` (a `UserError`)
whose sentences name the file, the key, the value given and what is allowed,
all problems at once, so `samenspel validate` and `play --case` can exit 2
without a traceback. The catalogue of choices and which role may take which
lives in `sim.case`, beside what each choice does to the model.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim import limits
from sim.adversity import ACE_KIND_KEYS
from sim.domains import DOMAIN_KEYS
from sim.errors import UserError, shorten
from sim.scenario import SCENARIO_DIR, ScenarioError, display_path, load_scenario, read_toml

CASE_DIR = SCENARIO_DIR / "cases"
LANGS = ("nl", "en")
ROLES = ("wijkteam", "specialist", "school", "gp", "parent")
MAX_WEEKS = 104  # a case runs at most two years after it starts
MAX_WARMUP = 520
MAX_MOMENTS = 30
MAX_SEED = 2**31 - 1


class CaseError(UserError):
    """A mistake in a case file, explained for the user (one sentence per problem)."""


@dataclass(frozen=True)
class Text:
    """One text in both languages."""

    nl: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


@dataclass(frozen=True)
class Moment:
    """A decision point: in `week` (counted from the case's start) `role` chooses."""

    week: int
    role: str
    question: Text
    choices: tuple[str, ...]
    reflection: Text
    domain: str = ""  # the domain a `refer` choice refers


@dataclass(frozen=True)
class CaseFamily:
    children: int
    problems: dict[str, float]
    network: float
    self_reliance: float
    consent: float  # the share of its dossier the family agrees to share, when asked
    risk: float
    retold_before: int
    aces: tuple[str, ...]  # kinds of adverse childhood experience (sim/adversity.py)
    members: tuple[Text, ...]
    history: tuple[Text, ...]
    network_people: tuple[Text, ...]
    wants: Text


@dataclass(frozen=True)
class Case:
    id: str
    path: Path
    title: Text
    summary: Text
    scenario: str
    settings: dict[str, Any]
    seed: int
    warmup_weeks: int
    weeks: int
    specialist_domain: str
    signal_role: str
    family: CaseFamily
    moments: tuple[Moment, ...] = field(default_factory=tuple)

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles that decide in this case, in a fixed order."""
        return tuple(r for r in ROLES if any(m.role == r for m in self.moments))

    def load_scenario(self):
        """The neighbourhood scenario around the family, with the case's settings."""
        return load_scenario(self.scenario, dict(self.settings) or None)


def list_cases() -> list[str]:
    """Names of the case files in CASE_DIR (without .toml), sorted."""
    if not CASE_DIR.is_dir():
        return []
    return sorted(p.stem for p in CASE_DIR.glob("*.toml"))


def resolve(name_or_path: str | Path) -> Path:
    """The case file meant by a path or by a name in CASE_DIR."""
    name = str(name_or_path)
    if name.strip() and len(name) <= limits.MAX_PATH_CHARS:
        for candidate in (Path(name), CASE_DIR / name, CASE_DIR / f"{name}.toml"):
            try:
                if candidate.is_file():
                    return candidate.resolve()
            except (OSError, ValueError):
                continue
    cases = list_cases()
    raise CaseError(f"case '{shorten(name)}' not found: it is neither a file nor a case in "
                    f"{CASE_DIR}. Available cases: {', '.join(cases) or 'none'}.")


def is_case_file(path: str | Path) -> bool:
    """Whether a file is a case file: it lies in a `cases` folder or has a [case] table."""
    p = Path(path)
    if p.parent.name == "cases":
        return True
    try:
        with p.open("rb") as fh:
            return "case" in tomllib.load(fh)
    except (OSError, ValueError, RecursionError):
        return False


class _Reader:
    """Collects every problem of one file while reading its values."""

    def __init__(self, path: Path) -> None:
        self.where = f"in {display_path(path)}"
        self.errors: list[str] = []

    def fail(self, key: str, value: Any, allowed: str) -> None:
        self.errors.append(f"{key} = {_value(value)} {self.where}: {allowed}.")

    def table(self, data: Any, key: str) -> dict[str, Any]:
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, dict):
            self.fail(key, value, "must be a table")
            return {}
        return value

    def number(self, data: dict, key: str, lo: float, hi: float, default: Any = None,
               whole: bool = False) -> Any:
        value = data.get(key.rsplit(".", 1)[-1], default)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and whole and not isinstance(value, int):
            ok = False
        if not ok or not lo <= value <= hi:
            kind = "a whole number" if whole else "a number"
            self.fail(key, value, f"allowed: {kind} from {lo:g} to {hi:g}")
            return lo if default is None else default
        return value

    def choice(self, data: dict, key: str, allowed: tuple[str, ...], default: Any = None) -> str:
        value = data.get(key.rsplit(".", 1)[-1], default)
        if value not in allowed:
            self.fail(key, value, f"allowed: {', '.join(allowed)}")
            return allowed[0]
        return value

    def text(self, data: dict, key: str, name: str | None = None) -> Text:
        name = key.rsplit(".", 1)[-1] if name is None else name
        value = data.get(name) if isinstance(data, dict) else None
        if not (isinstance(value, dict) and set(value) == set(LANGS)
                and all(isinstance(v, str) and v.strip()
                        and len(v) <= limits.MAX_TEXT_CHARS for v in value.values())):
            self.fail(key, value, "allowed: a table with a non-empty text for each of nl and "
                      f"en (at most {limits.MAX_TEXT_CHARS:,} characters), e.g. "
                      '{ nl = "...", en = "..." }')
            return Text("?", "?")
        return Text(value["nl"], value["en"])

    def texts(self, data: dict, key: str) -> tuple[Text, ...]:
        value = data.get(key.rsplit(".", 1)[-1], [])
        if not isinstance(value, list) or len(value) > limits.MAX_LIST_ITEMS:
            self.fail(key, value, f"allowed: a list of at most {limits.MAX_LIST_ITEMS} texts, "
                      'each { nl = "...", en = "..." }')
            return ()
        return tuple(self.text({"x": v}, f"{key}[{i}]", "x") for i, v in enumerate(value))

    def kinds(self, data: dict, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        """A list of different names out of `allowed` (empty when the key is missing)."""
        value = data.get(key.rsplit(".", 1)[-1], [])
        if (not isinstance(value, list) or len(set(map(str, value))) != len(value)
                or any(v not in allowed for v in value)):
            self.fail(key, value, f"allowed: a list of different kinds out of {', '.join(allowed)}")
            return ()
        return tuple(value)

    def unknown(self, data: dict, prefix: str, known: tuple[str, ...]) -> None:
        for key in data:
            if key not in known:
                self.fail(f"{prefix}{key}", data[key], f"unknown key; allowed: {', '.join(known)}")


def _value(value: Any) -> str:
    if value is None:
        return "(missing)"
    if isinstance(value, str):
        return f'"{shorten(value)}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):  # as the file wrote it, not as Python would
        return shorten("[" + ", ".join(_value(v) for v in value) + "]")
    return shorten(repr(value))


def _read(path: Path) -> dict[str, Any]:
    return read_toml(path, CaseError, "case")


def load_case(name_or_path: str | Path) -> Case:
    """The checked case of a file; one CaseError lists every problem found."""
    from sim.case import ROLE_CHOICES

    path = resolve(name_or_path)
    data = _read(path)
    r = _Reader(path)
    r.unknown(data, "", ("case", "family", "moment"))
    head = r.table(data, "case")
    r.unknown(head, "case.", ("title", "summary", "scenario", "settings", "seed", "warmup_weeks",
                              "weeks", "specialist_domain", "signal_role"))
    title, summary = r.text(head, "case.title"), r.text(head, "case.summary")
    scenario = head.get("scenario", "neighbourhood")
    settings = head.get("settings", {})
    if not isinstance(settings, dict):
        r.fail("case.settings", settings, 'allowed: a table of "section.key" = value, e.g. '
               '{ "cooperation.shared_dossier" = true }')
        settings = {}
    if not isinstance(scenario, str):
        r.fail("case.scenario", scenario, "allowed: the name of a scenario, e.g. neighbourhood")
        scenario = "neighbourhood"
    else:
        try:
            load_scenario(scenario, dict(settings) or None)
        except ScenarioError as exc:
            r.errors += [f"{m} (case.scenario / case.settings {r.where})" for m in exc.messages]
    seed = r.number(head, "case.seed", 0, MAX_SEED, 1, whole=True)
    warmup = r.number(head, "case.warmup_weeks", 0, MAX_WARMUP, 78, whole=True)
    weeks = r.number(head, "case.weeks", 1, MAX_WEEKS, whole=True)
    specialist = r.choice(head, "case.specialist_domain", DOMAIN_KEYS, "jeugd_ggz")
    signal_role = r.choice(head, "case.signal_role", ("school", "gp"), "school")

    fam = r.table(data, "family")
    r.unknown(fam, "family.", ("children", "problems", "network", "self_reliance", "consent",
                               "risk", "retold_before", "aces", "members", "history",
                               "network_people", "wants"))
    problems_raw = fam.get("problems", {})
    problems: dict[str, float] = {}
    if not isinstance(problems_raw, dict) or not problems_raw:
        r.fail("family.problems", problems_raw, "allowed: a table of domain = severity (0 to 1)"
               f" with at least one of {', '.join(DOMAIN_KEYS)}")
    else:
        for key, value in problems_raw.items():
            if key not in DOMAIN_KEYS:
                r.fail(f"family.problems.{key}", value, f"unknown domain; allowed: "
                       f"{', '.join(DOMAIN_KEYS)}")
            else:
                problems[key] = float(r.number(problems_raw, f"family.problems.{key}", 0, 1))
    family = CaseFamily(
        children=r.number(fam, "family.children", 1, 4, 2, whole=True),
        problems=problems,
        network=float(r.number(fam, "family.network", 0, 1, 0.3)),
        self_reliance=float(r.number(fam, "family.self_reliance", 0, 1, 0.4)),
        consent=float(r.number(fam, "family.consent", 0, 1, 0.8)),
        risk=float(r.number(fam, "family.risk", 0, 10, 1.5)),
        retold_before=r.number(fam, "family.retold_before", 0, 100, 0, whole=True),
        aces=r.kinds(fam, "family.aces", ACE_KIND_KEYS),
        members=r.texts(fam, "family.members"), history=r.texts(fam, "family.history"),
        network_people=r.texts(fam, "family.network_people"), wants=r.text(fam, "family.wants"))

    raw_moments = data.get("moment", [])
    moments: list[Moment] = []
    if not isinstance(raw_moments, list) or not 1 <= len(raw_moments) <= MAX_MOMENTS:
        r.fail("moment", raw_moments, f"allowed: 1 to {MAX_MOMENTS} [[moment]] tables")
        raw_moments = []
    for i, m in enumerate(raw_moments):
        key = f"moment[{i}]"
        if not isinstance(m, dict):
            r.fail(key, m, "must be a table")
            continue
        r.unknown(m, f"{key}.", ("week", "role", "question", "choices", "reflection", "domain"))
        role = r.choice(m, f"{key}.role", ROLES)
        allowed = ROLE_CHOICES[role]
        choices = m.get("choices")
        if (not isinstance(choices, list) or not 2 <= len(choices) <= 4
                or len(set(map(str, choices))) != len(choices)
                or any(c not in allowed for c in choices)):
            r.fail(f"{key}.choices", choices, f"allowed: 2 to 4 different choices a {role} can "
                   f"make: {', '.join(allowed)}")
            choices = list(allowed[:2])
        domain = m.get("domain", "")
        if "refer" in choices or domain:
            domain = r.choice(m, f"{key}.domain", DOMAIN_KEYS)
        week = r.number(m, f"{key}.week", 0, weeks - 1 if isinstance(weeks, int) else 0,
                        0, whole=True)
        if moments and week < moments[-1].week:
            r.fail(f"{key}.week", week, f"allowed: moments in order of week, so {moments[-1].week}"
                   " or later")
        moments.append(Moment(week, role, r.text(m, f"{key}.question"), tuple(choices),
                              r.text(m, f"{key}.reflection"), domain))
    if r.errors:
        raise CaseError(*r.errors)
    return Case(path.stem, path, title, summary, scenario, dict(settings), seed, warmup, weeks,
                specialist, signal_role, family, tuple(moments))


def validate_case_file(path: str | Path) -> list[str]:
    """Every problem of a case file, one message each; empty when it is valid."""
    try:
        load_case(path)
    except UserError as exc:
        return exc.messages
    return []
