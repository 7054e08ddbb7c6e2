"""Sweep files and their points: every mistake is explained, the same file gives the same points.

A mistake in a sweep file must name the file, the key, the value given and
what is allowed, as scenario mistakes do; the table below plants one mistake
at a time in a good file. The samplers are checked for what the runs rely on:
values inside the factor's range, of the parameter's type, drawn the same way
every time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lab import samplers
from lab.sweepfile import MAX_RUNS, SweepError, load_sweep
from sim.errors import UserError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenarios" / "sweeps"

GOOD = """\
[sweep]
name = "t"
base = "neighbourhood"
sampler = "grid"
replications = 2
weeks = 60
set = ["run.warmup_weeks=20", "population.families=200"]
outputs = ["mean_wait_weeks"]

[factors."funding.contract"]
levels = ["per_hour", "lump_sum"]

[factors."providers.count"]
range = [2, 6]
steps = 3
"""

NUMERIC = """\
[sweep]
name = "n"
base = "neighbourhood"
sampler = "lhs"
samples = 4
weeks = 60
set = ["run.warmup_weeks=20", "population.families=200"]

[factors."providers.count"]
range = [2, 6]

[factors."management.style"]
range = [0.0, 1.0]
"""


def write(tmp_path: Path, text: str, name: str = "sweep.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str, overrides: tuple[str, ...] = ()) -> str:
    path = write(tmp_path, text)
    with pytest.raises(SweepError) as caught:
        load_sweep(path, overrides)
    assert isinstance(caught.value, UserError)
    message = str(caught.value)
    assert path.name in message, message  # every message says which file
    return message


# (base file, text replaced, replacement, words the message must hold)
MISTAKES = [
    ("unknown key", GOOD, 'sampler = "grid"', 'sampler = "grid"\nsamplr = 1',
     ["samplr", "did you mean 'sampler'"]),
    ("unknown sampler", GOOD, 'sampler = "grid"', 'sampler = "montecarlo"',
     ['sampler = "montecarlo"', '"grid", "lhs", "morris", "sobol"']),
    ("no sampler", GOOD, 'sampler = "grid"\n', "", ["no sampler"]),
    ("unknown table", GOOD, '[factors."providers.count"]', '[factor."providers.count"]',
     ["unknown table 'factor'", "did you mean 'factors'"]),
    ("factor key misspelt", GOOD, "funding.contract", "funding.contrakt",
     ["funding.contrakt", "did you mean 'funding.contract'"]),
    ("factor section misspelt", GOOD, "funding.contract", "fundng.contract",
     ["unknown section 'fundng'", "did you mean 'funding'"]),
    ("factor without section", GOOD, '"funding.contract"', '"contract"',
     ["factor 'contract'", "funding.contract"]),
    ("factor of the run section", GOOD, "funding.contract", "run.weeks",
     ["run.weeks", "not a lever"]),
    ("list parameter as factor", GOOD, "funding.contract", "providers.domains",
     ["providers.domains", "list parameter"]),
    ("level out of range", GOOD, "range = [2, 6]", "range = [0, 6]",
     ["providers.count = 0", "between 1 and 500"]),
    ("level of the wrong type", GOOD, "range = [2, 6]\nsteps = 3", "levels = [2.5]",
     ["providers.count = 2.5", "whole number"]),
    ("level not a choice", GOOD, '"lump_sum"]', '"gratis"]',
     ['funding.contract = "gratis"', '"per_trajectory"']),
    ("level twice", GOOD, '"lump_sum"]', '"per_hour"]', ["levels", "twice"]),
    ("range upside down", GOOD, "range = [2, 6]", "range = [6, 2]",
     ["range = [6, 2]", "less than the second"]),
    ("grid range without steps", GOOD, "steps = 3\n", "", ["steps = n"]),
    ("text factor for lhs", GOOD, 'sampler = "grid"', 'sampler = "lhs"\nsamples = 4',
     ["funding.contract", "text parameter", '"grid"']),
    ("sobol samples not a power of 2", NUMERIC, 'sampler = "lhs"\nsamples = 4',
     'sampler = "sobol"\nsamples = 10', ["samples = 10", "power of 2", "8 or 16"]),
    ("samples on a grid", GOOD, "replications = 2", "replications = 2\nsamples = 4",
     ["samples = 4", "lhs, morris and sobol"]),
    ("no samples for lhs", NUMERIC, "samples = 4\n", "", ["no samples", "lhs"]),
    ("unknown distribution", NUMERIC, "range = [0.0, 1.0]",
     'range = [0.0, 1.0]\ndistribution = "normal"',
     ['distribution = "normal"', '"truncnormal"']),
    ("triangular without peak", NUMERIC, "range = [0.0, 1.0]",
     'range = [0.0, 1.0]\ndistribution = "triangular"', ["needs peak"]),
    ("peak outside the range", NUMERIC, "range = [0.0, 1.0]",
     'range = [0.0, 1.0]\ndistribution = "triangular"\npeak = 2.0',
     ["peak = 2.0", "from 0 to 1"]),
    ("loguniform from zero", NUMERIC, "range = [0.0, 1.0]",
     'range = [0.0, 1.0]\ndistribution = "loguniform"', ["range", "above 0"]),
    ("odd morris levels", NUMERIC, 'sampler = "lhs"', 'sampler = "morris"\nnum_levels = 5',
     ["num_levels = 5", "even"]),
    ("replications zero", GOOD, "replications = 2", "replications = 0",
     ["replications = 0", "from 1 to 1,000"]),
    ("replications absurd", GOOD, "replications = 2", "replications = 50000",
     ["replications = 50000", "from 1 to 1,000"]),
    ("seeds and replications", GOOD, "replications = 2", "replications = 2\nseeds = [1, 2]",
     ["both replications and seeds"]),
    ("output not a KPI", GOOD, '["mean_wait_weeks"]', '["mean_wait"]',
     ['outputs = "mean_wait"', "did you mean 'mean_wait_weeks'"]),
    ("weeks within the warm-up", GOOD, "weeks = 60", "weeks = 20",
     ["weeks = 20", "run.warmup_weeks = 20"]),
    ("bad set value", GOOD, "population.families=200", "population.families=-3",
     ["population.families = -3", "between 1 and 1000000", "set"]),
    ("factor also in set", GOOD, '"population.families=200"',
     '"population.families=200", "funding.contract=per_hour"',
     ["funding.contract", "factor of the sweep"]),
    ("base not found", GOOD, 'base = "neighbourhood"', 'base = "nergens"',
     ['base = "nergens"', "no such scenario"]),
    ("bad name", GOOD, 'name = "t"', 'name = "t/../x"', ['name = "t/../x"', "letters"]),
    ("discovery kpi unknown", GOOD, "steps = 3\n", 'steps = 3\n[discovery]\nkpi = "wachttijd"\n',
     ['kpi = "wachttijd"', "headline KPIs"]),
    ("discovery direction", GOOD, "steps = 3\n",
     'steps = 3\n[discovery]\nkpi = "mean_wait_weeks"\nworse = "more"\n',
     ['worse = "more"', '"higher", "lower"']),
    ("discovery depth", GOOD, "steps = 3\n",
     'steps = 3\n[discovery]\nkpi = "mean_wait_weeks"\ndepth = 7\n', ["depth = 7", "1 to 3"]),
    ("not TOML", GOOD, 'name = "t"', 'name = "t', ["not valid TOML", "line 2"]),
]


@pytest.mark.parametrize(("case", "base", "old", "new", "words"), MISTAKES,
                         ids=[m[0] for m in MISTAKES])
def test_each_mistake_names_key_value_and_what_is_allowed(tmp_path, case, base, old, new,
                                                          words):
    assert old in base, case
    message = error_of(tmp_path, base.replace(old, new, 1))
    for word in words:
        assert word in message, f"{case}: {word!r} not in {message!r}"


def test_too_many_runs_says_how_many(tmp_path):
    message = error_of(tmp_path, GOOD.replace("steps = 3", "steps = 500").replace(
        "range = [2, 6]", "range = [1, 500]").replace("replications = 2", "replications = 101"))
    assert f"101,000 runs (1,000 points x 101 seeds); a sweep may make at most {MAX_RUNS:,}" \
        in message


def test_every_mistake_is_listed_at_once(tmp_path):
    text = GOOD.replace('"grid"', '"gird"').replace("replications = 2", "replications = 0")
    message = error_of(tmp_path, text.replace('["mean_wait_weeks"]', '["nope"]'))
    assert "gird" in message and "replications = 0" in message and "nope" in message


def test_a_command_line_override_of_a_factor_is_refused(tmp_path):
    message = error_of(tmp_path, GOOD, ("providers.count=3",))
    assert "--set changes providers.count" in message


def test_a_good_file_reads_with_its_defaults(tmp_path):
    sweep = load_sweep(write(tmp_path, GOOD))
    assert sweep.seeds == (1, 2) and sweep.sampler_seed == 1
    assert [f.path for f in sweep.factors] == ["funding.contract", "providers.count"]
    assert sweep.factors[1].levels == (2, 4, 6)
    assert sweep.points == 6 and sweep.runs == 12
    assert sweep.base == "neighbourhood" and sweep.discovery is None


def test_a_base_file_is_found_next_to_the_sweep_file(tmp_path):
    folder = tmp_path / "elders"
    folder.mkdir()
    (folder / "town.toml").write_text('extends = "neighbourhood"\n[population]\n'
                                      "families = 200\n", encoding="utf-8")
    sweep = load_sweep(write(folder, GOOD.replace('"neighbourhood"', '"town"')))
    assert sweep.base == str((folder / "town.toml").resolve())


def test_discovery_takes_its_direction_from_the_headline_kpis(tmp_path):
    text = GOOD + '[discovery]\nkpi = "client_rating"\n'
    found = load_sweep(write(tmp_path, text)).discovery
    assert found.worse == "lower" and found.threshold is None and found.depth == 2
    sweep = load_sweep(write(tmp_path, GOOD + '[discovery]\nkpi = "mean_wait_weeks"\n'))
    assert sweep.needs_base_runs and sweep.runs == (6 + 1) * 2
    message = error_of(tmp_path, GOOD + '[discovery]\nkpi = "weeks_measured"\n')
    assert 'worse = "higher" or "lower"' in message


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.toml")), ids=lambda p: p.stem)
def test_shipped_sweeps_read_and_stay_affordable(path):
    sweep = load_sweep(path)
    assert sweep.description and 0 < sweep.runs <= 400
    assert len(samplers.design(sweep).points) == sweep.points


# ---------------------------------------------------------------- samplers


def test_the_same_file_gives_the_same_points(tmp_path):
    for sampler in ("lhs", "morris", "sobol"):
        text = NUMERIC.replace('"lhs"', f'"{sampler}"')
        first = samplers.design(load_sweep(write(tmp_path, text, "a.toml")))
        again = samplers.design(load_sweep(write(tmp_path, text, "b.toml")))
        assert first.points == again.points, sampler
        other = samplers.design(load_sweep(write(tmp_path, text.replace(
            "samples = 4", "samples = 4\nsampler_seed = 2"), "c.toml")))
        assert other.points != first.points, sampler


@pytest.mark.parametrize(("sampler", "count"), [("lhs", 4), ("morris", 4 * 3),
                                                ("sobol", 4 * 4)])
def test_sampled_values_are_plain_numbers_of_the_parameter_type_within_range(
        tmp_path, sampler, count):
    sweep = load_sweep(write(tmp_path, NUMERIC.replace('"lhs"', f'"{sampler}"')))
    design = samplers.design(sweep)
    assert sweep.points == len(design.points) == count
    assert design.unit.shape == (count, 2)
    for point in design.points:
        assert type(point["providers.count"]) is int and 2 <= point["providers.count"] <= 6
        assert type(point["management.style"]) is float
        assert 0.0 <= point["management.style"] <= 1.0


def test_the_grid_is_every_combination_last_factor_fastest(tmp_path):
    points = samplers.design(load_sweep(write(tmp_path, GOOD))).points
    assert [tuple(p.values()) for p in points] == [
        ("per_hour", 2), ("per_hour", 4), ("per_hour", 6),
        ("lump_sum", 2), ("lump_sum", 4), ("lump_sum", 6)]


def test_even_levels_read_as_written_and_whole_numbers_once():
    assert samplers.even_levels(0.1, 0.3, 3) == (0.1, 0.2, 0.3)
    assert samplers.even_levels(1, 3, 5, whole=True) == (1, 2, 3)


def test_distributions_put_their_weight_where_asked(tmp_path):
    text = NUMERIC.replace("samples = 4", "samples = 400").replace(
        "range = [0.0, 1.0]", "range = [0.01, 1.0]\ndistribution = \"{dist}\"\n{shape}")

    def styles(dist: str, shape: str = "") -> list[float]:
        sweep = load_sweep(write(tmp_path, text.format(dist=dist, shape=shape)))
        return sorted(p["management.style"] for p in samplers.design(sweep).points)

    def median(values: list[float]) -> float:
        return values[len(values) // 2]

    assert median(styles("uniform")) == pytest.approx(0.505, abs=0.03)
    assert median(styles("loguniform")) == pytest.approx(0.1, abs=0.02)  # geometric mean
    assert median(styles("triangular", "peak = 0.01")) == pytest.approx(0.3, abs=0.03)
    narrow = styles("truncnormal", "mean = 0.5\nsd = 0.05")
    assert median(narrow) == pytest.approx(0.5, abs=0.01) and narrow[0] > 0.3


def test_a_bad_sweep_file_on_the_command_line_exits_2_and_makes_no_folder(tmp_path, capsys):
    from lab.cli import main

    path = write(tmp_path, GOOD.replace('"grid"', '"gird"'))
    out = tmp_path / "results"
    assert main(["sweep", str(path), "--out", str(out), "--no-progress"]) == 2
    assert "gird" in capsys.readouterr().err
    assert not out.exists()
