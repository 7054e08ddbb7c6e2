"""Scenario files: loading, extends, overrides, validation messages and writing back."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from sim import scenario as sc
from sim.params import SECTIONS, Scenario
from sim.scenario import (
    ScenarioError,
    ScenarioNote,
    list_scenarios,
    load_scenario,
    parse_override,
    resolve_path,
    scenario_to_toml,
    validate_file,
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path | str, overrides: list[str] | None = None) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, overrides)
    return str(info.value)


@pytest.fixture
def scenario_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private scenarios/ folder, so that tests do not depend on the repository's."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    monkeypatch.setattr(sc, "SCENARIO_DIR", folder)
    return folder


# ---------------------------------------------------------------- loading


def test_empty_file_gives_defaults(tmp_path: Path) -> None:
    assert load_scenario(write(tmp_path, "empty.toml", "")) == Scenario()


def test_values_are_read_and_ints_become_floats(tmp_path: Path) -> None:
    path = write(tmp_path, "a.toml", "[population]\nfamilies = 500\nmean_children = 2\n")
    s = load_scenario(path)
    assert s.population.families == 500
    assert s.population.mean_children == 2.0
    assert isinstance(s.population.mean_children, float)


def test_every_field_type_has_a_check() -> None:
    kinds = {f.type for cls in SECTIONS.values() for f in fields(cls)}
    assert kinds <= set(sc._CHECK_TYPE)


def test_extends_overrides_per_key(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", '[run]\nname = "base"\nweeks = 500\n'
                                 '[funding]\nsilo_split = {jeugd = 0.5, wmo = 0.5}\n')
    child = write(tmp_path, "child.toml", 'extends = "base"\n[run]\nname = "child"\n'
                                          '[funding]\nsilo_split = {jeugd = 1.0}\n')
    s = load_scenario(child)
    assert s.run.name == "child"
    assert s.run.weeks == 500  # kept from the base
    # a dict is replaced whole, not merged with the base's
    assert s.funding.silo_split == {"jeugd": 1.0, "wmo": 0.0, "schuldhulp": 0.0,
                                    "onderwijs": 0.0, "zvw": 0.0}


def test_extends_falls_back_to_scenario_dir(tmp_path: Path, scenario_dir: Path) -> None:
    write(scenario_dir, "baseline.toml", "[population]\nfamilies = 123\n")
    child = write(tmp_path / "elsewhere", "child.toml", 'extends = "baseline"\n')
    assert load_scenario(child).population.families == 123


def test_extends_cycle(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", 'extends = "b"\n')
    write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    message = error_of(tmp_path / "a.toml")
    assert "circle" in message
    assert "a.toml extends" in message and "b.toml extends" in message


def test_missing_base(tmp_path: Path, scenario_dir: Path) -> None:
    write(scenario_dir, "baseline.toml", "")
    message = error_of(write(tmp_path, "c.toml", 'extends = "baseline2"\n'))
    assert '"baseline2"' in message and "c.toml" in message
    assert "did you mean 'baseline'?" in message.lower()


# ---------------------------------------------------------------- finding files


def test_names_resolve_in_scenario_dir(scenario_dir: Path) -> None:
    write(scenario_dir, "baseline.toml", "")
    write(scenario_dir, "validation/mmc.toml", "")
    assert list_scenarios() == ["baseline", "validation/mmc"]
    assert resolve_path("validation/mmc") == (scenario_dir / "validation/mmc.toml").resolve()
    assert load_scenario("baseline") == Scenario()


def test_missing_scenario_lists_available(scenario_dir: Path) -> None:
    write(scenario_dir, "baseline.toml", "")
    write(scenario_dir, "validation/mmc.toml", "")
    with pytest.raises(ScenarioError) as info:
        resolve_path("nosuch")
    assert "'nosuch' not found" in str(info.value)
    assert "Available scenarios: baseline, validation/mmc." in str(info.value)


# ---------------------------------------------------------------- messages


def test_unknown_section_and_key_suggest(tmp_path: Path) -> None:
    path = write(tmp_path, "x.toml", "[populaton]\nfamilies = 3\n[run]\nwekes = 3\n")
    message = error_of(path)
    assert "unknown section 'populaton' in" in message
    assert "x.toml; did you mean 'population'?" in message
    assert "unknown key 'run.wekes'" in message and "did you mean 'run.weeks'?" in message


def test_a_retired_key_still_loads_with_a_note_on_what_took_its_place(tmp_path: Path) -> None:
    """A user's scenario written for the model that counted ACEs by toxic weeks."""
    path = write(tmp_path, "old.toml", "[problems]\nace_per_toxic_week = 0.04\n")
    with pytest.warns(ScenarioNote) as notes:
        assert load_scenario(path) == Scenario()
    message = str(notes[0].message)
    assert "'problems.ace_per_toxic_week' in" in message and "ignored" in message
    assert "counted by kind of adversity" in message and "problems.ace_risk" in message
    with pytest.warns(ScenarioNote, match="from --set is no longer used"):
        load_scenario("neighbourhood", ["problems.ace_per_toxic_week=0.1"])


def test_key_outside_section(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "x.toml", "families = 3\n"))
    assert "'families'" in message and "put it under [population]" in message


@pytest.mark.parametrize(("line", "expected"), [
    ("[run]\nweeks = 3.0", "run.weeks = 3.0 in"),
    ("[run]\nseed = true", "run.seed = true in"),
    ("[cooperation]\nshared_dossier = 1", "must be true or false"),
    ("[population]\nmean_children = \"two\"", 'population.mean_children = "two"'),
    ("[run]\nname = 3", "must be a text"),
    ("[providers]\ndomains = [1, 2]", "must be a list of texts"),
    ("[funding]\nsilo_split = [0.5]", "must be a table of numbers"),
])
def test_wrong_type(tmp_path: Path, line: str, expected: str) -> None:
    assert expected in error_of(write(tmp_path, "t.toml", line + "\n"))


def test_out_of_range_names_key_value_file_and_range(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "baseline.toml", "[population]\nfamilies = -5\n"))
    assert "population.families = -5 in" in message
    assert "baseline.toml: must be between 1 and 1000000." in message


def test_float_range(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "f.toml", "[problems]\nnoise = 0.9\n"))
    assert "problems.noise = 0.9" in message and "between 0 and 0.5" in message


def test_bad_choice_lists_choices(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "c.toml", '[funding]\ncontract = "lump"\n'))
    assert 'funding.contract = "lump"' in message
    assert '"per_hour", "per_trajectory", "lump_sum"' in message


def test_unknown_domain(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "d.toml", '[providers]\ndomains = ["jeug"]\n'))
    assert "'jeug' is not a domain" in message and "jeugd_ggz" in message
    message = error_of(write(tmp_path, "h.toml", '[funding]\nhard_silos = ["wmo", "wmo"]\n'))
    assert 'funding.hard_silos = ["wmo", "wmo"]' in message and "listed twice" in message


@pytest.mark.parametrize(("split", "expected"), [
    ("{jeugd = 0.5, wmo = 0.4}", "must add up to 1, but add up to 0.9"),
    ("{jeugd = 1.5, wmo = -0.5}", "share of 'wmo' must be 0 or more"),
    ("{jeugd = 0.5, zorg = 0.5}", "'zorg' is not a silo; the silos are jeugd"),
])
def test_silo_split(tmp_path: Path, split: str, expected: str) -> None:
    message = error_of(write(tmp_path, "s.toml", f"[funding]\nsilo_split = {split}\n"))
    assert "funding.silo_split = " in message and expected in message


def test_silo_split_tolerates_rounding(tmp_path: Path) -> None:
    path = write(tmp_path, "s.toml", "[funding]\nsilo_split = {jeugd = 0.3333333, "
                                     "wmo = 0.3333333, schuldhulp = 0.3333334}\n")
    assert load_scenario(path).funding.silo_split["onderwijs"] == 0.0


def test_warmup_must_be_shorter_than_run(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "w.toml", "[run]\nweeks = 100\nwarmup_weeks = 100\n"))
    assert "run.warmup_weeks = 100" in message and "less than run.weeks = 100" in message
    assert "w.toml" in message


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "syn.toml", "[run]\nweeks = 10\nname = \n"))
    assert "syn.toml is not valid TOML" in message and "line 3" in message


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, "many.toml", "[run]\nseed = -1\n[population]\nfamilies = 0\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert len(info.value.messages) == 2


def test_validate_file(tmp_path: Path) -> None:
    assert validate_file(write(tmp_path, "good.toml", "[run]\nweeks = 300\n")) == []
    bad = write(tmp_path, "bad.toml", '[run]\nweeks = 0\n[access]\nallocation = "pul"\n')
    messages = validate_file(bad)
    assert len(messages) == 2
    assert "run.weeks = 0" in messages[0] and "between 1 and 200000" in messages[0]
    assert 'access.allocation = "pul"' in messages[1] and '"push", "pull"' in messages[1]
    assert "not found" in validate_file(tmp_path / "missing.toml")[0]


# ---------------------------------------------------------------- --set


@pytest.mark.parametrize(("text", "expected"), [
    ("population.families=5000", ("population.families", 5000)),
    ("problems.noise=0.1", ("problems.noise", 0.1)),
    ("cooperation.shared_dossier=true", ("cooperation.shared_dossier", True)),
    ("funding.contract=lump_sum", ("funding.contract", "lump_sum")),
    ('funding.contract="lump_sum"', ("funding.contract", "lump_sum")),
    ("run.name=my run", ("run.name", "my run")),
    ("funding.silo_split={jeugd = 1}", ("funding.silo_split", {"jeugd": 1})),
])
def test_parse_override(text: str, expected: tuple[str, object]) -> None:
    assert parse_override(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("population.families", "has no '='"),
    ("families=3", "did you mean 'population.families'?"),
    ("populaton.families=3", "did you mean 'population'?"),
    ("population.familes=3", "did you mean 'population.families'?"),
])
def test_bad_override(text: str, expected: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_override(text)
    assert expected in str(info.value)


def test_overrides_are_applied_after_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "o.toml", "[population]\nfamilies = 500\n")
    s = load_scenario(path, ["population.families=700", "funding.contract=lump_sum"])
    assert s.population.families == 700
    assert s.funding.contract == "lump_sum"
    assert load_scenario(path, {"cooperation.mode": "integral"}).cooperation.mode == "integral"


def test_overrides_are_validated(tmp_path: Path) -> None:
    path = write(tmp_path, "o.toml", "")
    message = error_of(path, ["population.families=-5", "funding.contract=lump"])
    assert "population.families = -5 from --set: must be between 1 and 1000000." in message
    assert 'funding.contract = "lump" from --set' in message
    message = error_of(path, ["run.weeks=100"])
    assert "(by default)" in message and "run.weeks = 100 (from --set)" in message


# ---------------------------------------------------------------- writing


def test_round_trip_of_defaults(tmp_path: Path) -> None:
    text = scenario_to_toml(Scenario(), header={"seed": 3, "version": "0.1.0"})
    assert text.startswith('# seed = 3\n# version = "0.1.0"\n')
    assert load_scenario(write(tmp_path, "out.toml", text)) == Scenario()


def test_round_trip_of_a_changed_scenario(tmp_path: Path) -> None:
    source = write(tmp_path, "in.toml", "\n".join([
        "[run]",
        'name = "zorg \\"anders\\""',
        "description = 'C:\\pad\\n\u00e9\u00e9n\tregel'",
        "weeks = 1000",
        "[problems]",
        "unsafe_toxic_threshold = 0.3384615384615384",
        "[providers]",
        'domains = ["wonen", "schulden"]',
        "[funding]",
        "silo_split = {jeugd = 0.7, wmo = 0.3}",
        "budget_jeugd = 1e11",
        "",
    ]))
    original = load_scenario(source, ["cooperation.shared_dossier=true"])
    written = write(tmp_path, "out.toml", scenario_to_toml(original, {"run_time_s": 1.5}))
    assert load_scenario(written) == original
    assert original.run.description == "C:\\pad\\néén\tregel"


@pytest.mark.parametrize("name", list_scenarios())
def test_every_shipped_scenario_loads(name: str) -> None:
    load_scenario(name)


def test_modes_are_enums_that_keep_the_scenario_words() -> None:
    from sim.modes import Allocation, CooperationMode, WaitingListKind

    s = load_scenario("baseline", ["cooperation.mode=integral", "access.allocation=pull",
                                   "access.waiting_list=central"])
    assert s.cooperation.mode == CooperationMode.INTEGRAL
    assert s.access.allocation == Allocation.PULL
    assert s.access.waiting_list == WaitingListKind.CENTRAL
    assert s.to_dict()["cooperation"]["mode"] == "integral"  # files and saves keep the word
