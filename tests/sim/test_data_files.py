"""A plain install (`pip install .`, a wheel) carries every file the program reads.

Scenarios, the game's assets and docs/ODD.md are not Python packages: pyproject.toml
lists them as data files, installed under <prefix>/share/samenspel, and sim/data.py
looks there when they are not beside the code. A scenario or asset added without a
line in pyproject.toml would be missing from every install but an editable one.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import sim.data
from sim.data import data_dir

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "share/samenspel/"


def _shipped() -> list[tuple[str, str]]:
    """(folder under the install's share/samenspel, source pattern) from pyproject.toml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    table = config["tool"]["setuptools"]["data-files"]
    return [(target.removeprefix(PREFIX), pattern) for target, patterns in table.items()
            for pattern in patterns]


def test_every_scenario_asset_and_the_model_description_ship_in_a_plain_install():
    shipped = _shipped()
    needed = [p for folder in ("scenarios", "assets") for p in (ROOT / folder).rglob("*")
              if p.is_file() and "__pycache__" not in p.parts]
    needed.append(ROOT / "docs" / "ODD.md")
    missing = []
    for path in needed:
        rel = path.relative_to(ROOT)
        folder = rel.parent.as_posix()
        places = [target for target, pattern in shipped
                  if Path(pattern).parent.as_posix() == folder
                  and fnmatch.fnmatch(rel.name, Path(pattern).name)]
        if places != [folder]:
            missing.append(f"{rel.as_posix()}: installed to {places or 'nowhere'}")
    assert not missing, "\n".join(missing)


def test_installed_files_are_found_under_the_prefix_when_not_beside_the_code(tmp_path,
                                                                             monkeypatch):
    monkeypatch.setattr(sim.data, "_BESIDE", tmp_path / "site-packages")
    monkeypatch.setattr(sim.data, "_INSTALLED", tmp_path / "share" / "samenspel")
    assert data_dir("scenarios") == tmp_path / "share" / "samenspel" / "scenarios"
    (tmp_path / "site-packages" / "scenarios").mkdir(parents=True)
    assert data_dir("scenarios") == tmp_path / "site-packages" / "scenarios"


def test_a_checkout_reads_its_own_files():
    assert data_dir("scenarios") == ROOT / "scenarios"
    assert data_dir("assets") == ROOT / "assets"
