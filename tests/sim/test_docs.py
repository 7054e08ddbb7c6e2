"""docs/ODD.md stays in step with the code: generated tables, parameters and KPIs."""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import fields
from pathlib import Path

import pytest

import sim
from lab import paramdoc
from sim import kpis
from sim.model import SamenspelModel
from sim.params import SECTIONS
from sim.scenario import load_scenario

ODD = Path(__file__).resolve().parents[2] / "docs" / "ODD.md"
FIX = "docs/ODD.md is out of date: run `python -m lab.paramdoc` to regenerate it"


@pytest.fixture(scope="module")
def text() -> str:
    return ODD.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def prose(text: str) -> str:
    """The hand-written part: the document without its generated blocks."""
    for name in paramdoc.BLOCKS:
        start = text.index(paramdoc.START.format(name))
        end = text.index(paramdoc.END.format(name))
        text = text[:start] + text[end:]
    return text


@pytest.mark.parametrize("name", list(paramdoc.BLOCKS))
def test_generated_block_matches_the_code(text: str, name: str) -> None:
    assert paramdoc.block(text, name) == paramdoc.BLOCKS[name](), f"{FIX} ({name} table)"


def test_whole_document_is_current(text: str) -> None:
    assert paramdoc.render(text) == text, FIX


def test_every_listed_constant_still_exists() -> None:
    missing = paramdoc.missing_constants()
    assert not missing, (f"{', '.join(missing)} no longer exist(s) in the code: remove or "
                         "rename them in CONSTANTS in lab/paramdoc.py, then run "
                         "`python -m lab.paramdoc`")


def test_every_parameter_key_appears(text: str) -> None:
    keys = [f"{s}.{f.name}" for s, cls in SECTIONS.items() for f in fields(cls)]
    missing = [k for k in keys if f"`{k}`" not in text]
    assert not missing, f"parameters missing from docs/ODD.md: {missing}; {FIX}"


def test_every_parameter_named_in_the_prose_exists(prose: str) -> None:
    keys = {f"{s}.{f.name}" for s, cls in SECTIONS.items() for f in fields(cls)}
    named = set(re.findall(rf"`((?:{'|'.join(SECTIONS)})\.[a-z0-9_]+)`", prose))
    gone = sorted(named - keys)
    assert not gone, f"docs/ODD.md describes parameters the code no longer has: {gone}"


def test_every_constant_named_in_the_prose_exists(prose: str) -> None:
    names: set[str] = set()
    for info in pkgutil.iter_modules(sim.__path__):
        names |= set(vars(importlib.import_module(f"sim.{info.name}")))
    named = set(re.findall(r"`([A-Z][A-Z0-9]*_[A-Z0-9_]+)`", prose))
    gone = sorted(named - names)
    assert not gone, f"docs/ODD.md names constants the code no longer has: {gone}"


def test_every_weekly_kpi_is_defined_in_the_prose(prose: str) -> None:
    missing = [k for k in kpis.WEEKLY if f"`{k}`" not in prose]
    assert not missing, f"weekly KPIs not described in docs/ODD.md section 9.1: {missing}"


def test_every_summary_kpi_is_defined_in_the_prose(prose: str) -> None:
    scenario = load_scenario("baseline", ["population.families=200",
                                          "population.neighbourhoods=1", "providers.count=3",
                                          "run.weeks=6", "run.warmup_weeks=2"])
    model = SamenspelModel(scenario, seed=1)
    model.run_weeks(6)
    missing = [k for k in model.summary() if f"`{k}`" not in prose]
    assert not missing, f"summary KPIs not described in docs/ODD.md section 9.2: {missing}"


def test_every_random_stream_is_described(prose: str) -> None:
    from sim.model import STREAMS

    missing = [s for s in STREAMS if f"| `{s}` |" not in prose]
    assert not missing, f"random streams not described in docs/ODD.md section 10: {missing}"


def test_update_rewrites_only_the_blocks(tmp_path: Path) -> None:
    doc = tmp_path / "ODD.md"
    doc.write_text("intro\n<!-- parameters:start -->\nold\n<!-- parameters:end -->\n"
                   "middle\n<!-- constants:start --><!-- constants:end -->\nend\n",
                   encoding="utf-8")
    assert paramdoc.update_odd(doc) is True
    new = doc.read_text(encoding="utf-8")
    assert new.startswith("intro\n") and "\nmiddle\n" in new and new.endswith("end\n")
    assert paramdoc.block(new, "parameters") == paramdoc.parameter_table()
    assert paramdoc.block(new, "constants") == paramdoc.constants_table()
    assert paramdoc.update_odd(doc) is False  # idempotent
    assert list(tmp_path.iterdir()) == [doc]  # no temporary file left behind


def test_missing_markers_are_a_clear_error(tmp_path: Path) -> None:
    doc = tmp_path / "ODD.md"
    doc.write_text("no markers here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="parameters:start"):
        paramdoc.update_odd(doc)
    assert paramdoc.main([str(doc)]) == 2
    assert doc.read_text(encoding="utf-8") == "no markers here\n"
