"""Every stored table names the code it was measured with; uncommitted model code says so."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from lab.runs import checkout_commit

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(root, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_changed_or_new_model_code_is_named_dirty_and_other_changes_are_not(tmp_path):
    (tmp_path / "sim").mkdir()
    (tmp_path / "sim" / "model.py").write_text("WEEKS = 52\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("first\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q",
         "-m", "one")
    head = _git(tmp_path, "rev-parse", "--short", "HEAD")
    assert checkout_commit(tmp_path) == head
    (tmp_path / "notes.md").write_text("second\n", encoding="utf-8")  # not model code
    assert checkout_commit(tmp_path) == head
    (tmp_path / "sim" / "model.py").write_text("WEEKS = 53\n", encoding="utf-8")
    assert checkout_commit(tmp_path) == f"{head}.dirty"
    _git(tmp_path, "checkout", "-q", "--", "sim/model.py")
    (tmp_path / "sim" / "new_module.py").write_text("X = 1\n", encoding="utf-8")
    assert checkout_commit(tmp_path) == f"{head}.dirty"  # not yet added, still model code


def test_a_folder_that_is_no_checkout_has_no_commit(tmp_path):
    assert checkout_commit(tmp_path) == ""
