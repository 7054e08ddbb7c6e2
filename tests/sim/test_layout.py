"""The model package is the model only: it imports no front end and writes no file.

`sim/` reads scenarios and computes; the command line, outputs, reports and
the lab live in `lab/`, the game in `game/`. A model that wrote files or drew
windows could not run on a cluster worker or inside a test without side
effects, so the rule is checked on the source itself.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SIM = Path(__file__).resolve().parents[2] / "sim"
FORBIDDEN_IMPORTS = ("pygame", "pygame_gui", "game", "lab", "matplotlib", "tqdm")
WRITING_CALLS = {"write_text", "write_bytes", "to_csv", "to_parquet", "savefig", "mkdir",
                 "touch", "unlink", "rename", "replace_file", "dump"}


def _modules():
    for path in sorted(SIM.glob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_sim_imports_no_front_end_and_no_lab():
    for path, tree in _modules():
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN_IMPORTS, f"{path.name} imports {name}"


def _is_devnull(arg) -> bool:
    return isinstance(arg, ast.Attribute) and arg.attr == "devnull"


def test_sim_writes_no_file():
    for path, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert name not in WRITING_CALLS, f"{path.name}:{node.lineno} calls {name}"
            if name == "open" and _is_devnull(node.args[0] if node.args else None):
                continue  # sim.errors points a broken stdout at /dev/null
            if name == "open" and len(node.args) > 1:
                mode = node.args[1]
                assert isinstance(mode, ast.Constant) and "r" in str(mode.value), (
                    f"{path.name}:{node.lineno} opens a file for writing")


def test_running_the_model_loads_no_front_end():
    code = ("import sys; from sim.model import SamenspelModel; from sim.scenario import "
            "load_scenario; m = SamenspelModel(load_scenario('neighbourhood'), seed=1); "
            "m.step(); bad = [n for n in ('pygame', 'game', 'lab', 'matplotlib') "
            "if n in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
