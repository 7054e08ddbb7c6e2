"""The generated parts of docs/ODD.md: every parameter, and the fixed assumptions in the code.

Parameter defaults change during calibration, so these tables are written from
the code rather than by hand. `python -m lab.paramdoc` rewrites the text
between the markers in docs/ODD.md; `python -m lab.paramdoc --check` only says
whether it is stale. tests/sim/test_docs.py fails when the document and the
code part ways.
"""

from __future__ import annotations

import argparse
import importlib
import os
import secrets
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import MISSING, Field, fields
from enum import Enum
from pathlib import Path
from typing import Any

from sim.domains import DOMAIN_KEYS, SILOS, Domain, coupling_matrix
from sim.params import SECTIONS

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"

# Module-level constants that act as fixed assumptions: (module, name, meaning).
CONSTANTS: tuple[tuple[str, str, str], ...] = (
    ("sim.states", "RELAPSE_WEEKS",
     "weeks after an ending within which a new episode counts as further help (relapse); "
     "also how long a family stays ENDED_WELL or RELAPSED before it counts as HEALTHY"),
    ("sim.model", "REPEAT_WEEKS",
     "look-back of repeat use: an episode is a repeat when an involved child had youth care "
     "in this many weeks before it started"),
    ("sim.model", "ALTERNATIVE_WEEKS", "weeks an alternative programme lasts"),
    ("sim.accounts", "ALTERNATIVE_COST_PER_WEEK",
     "euros per child-week of an alternative programme, paid from the onderwijs silo"),
    ("sim.model", "RESIDENTIAL_EFFECT",
     "effect of residential care on every domain, as a share of providers.care_effect"),
    ("sim.model", "CARE_SELF_RELIANCE_GAIN",
     "weekly growth of self-reliance (towards 1) while a family is in care, the same "
     "when the parents manage their own plan"),
    ("sim.model", "HOLD_BACK_WEEKS",
     "under one plan, domains held back for a root cause are referred after at most this "
     "many weeks from the episode's start"),
    ("sim.model", "MAX_PLAN_EXTENSIONS",
     "times one plan may be extended, instead of closing, when problems remain above the "
     "signal threshold"),
    ("sim.model", "STORY_CARRIED",
     "without a shared dossier, the share of the story one plan carries: the dossier "
     "share S in plan coherence and the chance a new professional under one plan already "
     "knows the story"),
    ("sim.model", "PROJECT_ADMIN_PER_FIT",
     "change of every organisation's admin share per unit of fit x commitment of a running "
     "top-down project (negative: a fitting project removes paperwork)"),
    ("sim.children", "MAX_CHILDREN", "most children a family can have"),
    ("sim.model", "CHILD_DOMAINS",
     "a child's own problems: an episode whose worst domain is one of these involves one "
     "child, any other involves all children"),
    ("sim.model", "ALTERNATIVE_DOMAINS",
     "domains whose waiting children can be placed in an alternative programme"),
    ("sim.care", "LIGHT_EFFECT", "effect of light help by the wijkteam, as a share of "
     "providers.care_effect, on every domain above 0.1"),
    ("sim.care", "ONLINE_EFFECT", "the same for light help given online"),
    ("sim.care", "NO_WRONG_DOOR_HOURS",
     "coordination hours the first door spends on a misreferred family under No Wrong "
     "Door, added to its load for the next week"),
    ("sim.care", "ALTERNATIVE_EFFECT",
     "effect of an alternative programme that does not fit, as a share of "
     "providers.care_effect, on the domain waited for"),
    ("sim.care", "LENGTH_LEARNING",
     "weight of one ended trajectory in the running mean length of care a provider "
     "plans its intakes by (waits.intake_horizon_weeks)"),
    ("sim.triage", "ONLINE_THRESHOLD_FACTOR",
     "online requests start at this share of problems.signal_threshold"),
    ("sim.triage", "SEES", "the domains each signal channel can see"),
    ("sim.trust", "JOINT_CASE_GAIN",
     "tie growth per week two professionals share a family (x (1 - tie))"),
    ("sim.trust", "INTERVISION_GAIN", "tie growth per intervision contact (x (1 - tie))"),
    ("sim.trust", "DECAY", "weekly fading of a tie towards its workplace floor"),
    ("sim.trust", "WORKPLACE_FLOOR", "trust between colleagues of one organisation"),
    ("sim.staffing", "ACTIVATION_HOURS",
     "weekly wijkteam hours per family in care whose informal network is being activated"),
    ("sim.staffing", "NEWCOMER_SKILL", "network skill of a professional filling a vacancy"),
    ("sim.setup", "START_RESERVE_WEEKS",
     "a provider starts (and restarts after a procurement) with reserves worth this many "
     "weeks of staff cost"),
    ("sim.innovation", "ADOPT_THRESHOLD",
     "an idea is kept when its observed effect after the trial exceeds this"),
    ("sim.domains", "ROOT_CAUSES",
     "domains a trajectbegeleider refers first; the rest wait until one of these starts"),
    ("sim.domains", "YOUTH_DOMAINS", "domains whose care counts as jeugdhulp in the KPIs"),
    ("sim.domains", "SILO_OF", "the budget silo that pays for care in each domain"),
    ("sim.funding", "WEEKS_PER_YEAR", "weeks in a budget year and a KPI year"),
    ("sim.kpis", "WINDOW", "weeks over which weekly waits and ratings are averaged"),
    ("sim.targets", "TARGET_WAIT_WEEKS", "the game's visible target for the wait"),
    ("sim.targets", "TARGET_WITHOUT_HELP",
     "the game's visible target for the share ended without further help"),
    ("sim.targets", "TARGET_RATING", "the game's visible target for the client rating"),
)

# Constants that hold domain numbers; shown by domain key.
_AS_DOMAINS = {"sim.model.CHILD_DOMAINS", "sim.model.ALTERNATIVE_DOMAINS"}

START = "<!-- {}:start -->"
END = "<!-- {}:end -->"


# -- formatting ------------------------------------------------------------------

def _cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _number(x: float) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    return f"{x:g}"


def _value(value: Any) -> str:
    """A default or a constant, written as in a scenario file (floats exactly, by repr)."""
    if isinstance(value, Domain):
        return value.key
    if isinstance(value, Enum):
        return value.name.lower()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, tuple | set | frozenset):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_key(k)}: {_value(v)}" for k, v in value.items())
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _value(value.tolist())
    return repr(value)


def _toml(value: Any) -> str:
    """A parameter default as a scenario file writes it (tables as inline TOML tables)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    return _value(value)


def _key(key: Any) -> str:
    if isinstance(key, Domain):
        return key.key
    if isinstance(key, Enum):
        return key.name.lower()
    return str(key)


def _default(f: Field) -> Any:
    if f.default is not MISSING:
        return f.default
    if f.default_factory is not MISSING:
        return f.default_factory()
    raise ValueError(f"parameter {f.name!r} has no default")


def _names(names: Sequence[str]) -> str:
    return ", ".join(names)


# What a value may be, for parameters whose check is more than a range or a choice.
_ALLOWED_SPECIAL: dict[str, str] = {
    "providers.domains": f"domains, each at most once, at least one: {_names(DOMAIN_KEYS)}",
    "funding.hard_silos": f"silos, each at most once (may be empty): {_names(SILOS)}",
    "funding.silo_split": f"a share per silo ({_names(SILOS)}), each >= 0, adding up to 1",
}


def _allowed(key: str, f: Field, default: Any) -> str:
    if key in _ALLOWED_SPECIAL:
        return _ALLOWED_SPECIAL[key]
    meta = f.metadata
    if meta.get("choices"):
        return " or ".join(f'"{c}"' for c in meta["choices"])
    if isinstance(default, bool):
        return "true or false"
    lo, hi = meta.get("lo"), meta.get("hi")
    whole = isinstance(default, int)
    kind = "whole number" if whole else "number"
    if lo is not None and hi is not None:
        return f"{_number(lo)} to {_number(hi)}" + (" (whole)" if whole else "")
    if lo is not None:
        return f"{kind} >= {_number(lo)}"
    if hi is not None:
        return f"{kind} <= {_number(hi)}"
    if isinstance(default, str):
        return "text"
    if isinstance(default, list):
        return "list of texts"
    if isinstance(default, dict):
        return "table of numbers"
    return f"any {kind}"


# -- the generated blocks --------------------------------------------------------

def parameter_table() -> str:
    """Every scenario parameter: key, default, allowed values, meaning and basis."""
    rows = ["| key | default | allowed | meaning | basis |", "|---|---|---|---|---|"]
    for section, cls in SECTIONS.items():
        for f in fields(cls):
            key = f"{section}.{f.name}"
            default = _default(f)
            rows.append(
                f"| `{key}` | `{_cell(_toml(default))}` | {_cell(_allowed(key, f, default))} "
                f"| {_cell(f.metadata.get('doc', ''))} | {_cell(f.metadata.get('basis', ''))} |")
    return "\n".join(rows)


def _lookup(module: str, name: str) -> tuple[bool, Any]:
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return False, None
    if not hasattr(mod, name):
        return False, None
    return True, getattr(mod, name)


def missing_constants() -> list[str]:
    """Constants listed in CONSTANTS that the code no longer has (module.NAME)."""
    return [f"{module}.{name}" for module, name, _ in CONSTANTS
            if not _lookup(module, name)[0]]


def _coupling_table() -> str:
    w = coupling_matrix()
    keys = [d.key for d in Domain]
    rows = ["| feeds -> | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
    for d in Domain:
        cells = [_value(float(v)) if v else "" for v in w[int(d)]]
        rows.append(f"| **{d.key}** | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def constants_table() -> str:
    """The fixed assumptions: module-level constants, and the coupling matrix W."""
    rows = ["| constant | value | meaning |", "|---|---|---|"]
    for module, name, meaning in CONSTANTS:
        found, value = _lookup(module, name)
        if found and f"{module}.{name}" in _AS_DOMAINS:
            value = tuple(Domain(int(d)) for d in value)
        if found:
            rows.append(f"| `{module}.{name}` | `{_cell(_value(value))}` | {_cell(meaning)} |")
    return "\n".join([
        *rows,
        "",
        "Coupling matrix W (`sim.domains.coupling_matrix`): how much severity in the row's "
        "domain feeds weekly growth in the column's domain (empty: 0).",
        "",
        _coupling_table(),
    ])


BLOCKS: dict[str, Callable[[], str]] = {
    "parameters": parameter_table,
    "constants": constants_table,
}


# -- the document ----------------------------------------------------------------

def _span(text: str, name: str) -> tuple[int, int]:
    """Start and end of the text between the markers of block `name`."""
    start, end = START.format(name), END.format(name)
    i = text.find(start)
    j = text.find(end, i + len(start)) if i >= 0 else -1
    if i < 0 or j < 0:
        raise ValueError(f"the document lacks the markers {start} ... {end}; "
                         "put them where the generated block belongs")
    return i + len(start), j


def block(text: str, name: str) -> str:
    """The generated text currently between the markers of block `name`."""
    i, j = _span(text, name)
    return text[i:j].strip("\n")


def render(text: str) -> str:
    """The document with every generated block replaced by what the code says now."""
    for name, make in BLOCKS.items():
        i, j = _span(text, name)
        text = text[:i] + "\n" + make() + "\n" + text[j:]
    return text


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        if path.exists():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def update_odd(path: str | Path = ODD) -> bool:
    """Rewrite the generated blocks of the ODD in place; True when the file changed."""
    path = Path(path)
    old = path.read_text(encoding="utf-8")
    new = render(old)
    if new == old:
        return False
    _write_atomically(path, new)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.paramdoc", description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=ODD,
                        help="the ODD document (default: docs/ODD.md)")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when the document is stale")
    args = parser.parse_args(argv)
    for name in missing_constants():
        print(f"warning: {name} no longer exists; remove it from CONSTANTS in lab/paramdoc.py",
              file=sys.stderr)
    try:
        if args.check:
            text = args.path.read_text(encoding="utf-8")
            stale = render(text) != text
            print(f"{args.path} is {'stale: run python -m lab.paramdoc' if stale else 'current'}")
            return 1 if stale else 0
        changed = update_odd(args.path)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.path}: {'updated' if changed else 'already current'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
