"""Suite-wide order and grouping: the long simulation tests first, a model test module on
one worker.

It sits at the root of the repository (not in tests/) so that the root, not
tests/, is on the import path: tests/lab and tests/sim must not shadow the packages.

With the tests spread over the cores (`pytest -n auto`), a long test that
starts last keeps one core busy while the others are idle. Starting the tests
marked `slow` first and the many short ones after fills the cores to the end.

The tests of one module in tests/sim share model runs: the paired runs are
cached per process (tests/sim/paired.py) and some fixtures are module-scoped.
Spread test by test over two workers, each worker made those runs again (in
one run of tests/sim, 175 of its 415 runs; grouped, the full suite took 898 s
of test time instead of 951). So each such module is one
`xdist_group` and, with `--dist loadgroup` (the Makefile's), runs on one worker;
the other tests still go one by one to whichever worker is free.

Neither the order nor the grouping changes what a test asserts: every test
builds its own model from its own seeds. A pytest-xdist that cannot group (it
marks a group in the node id, and pytest 9.2 keeps node ids elsewhere) would
silently run each module's shared runs twice; a worker stops the run instead.
"""

from __future__ import annotations

import pytest

SHARED_RUNS = "tests/sim/"


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups from the markers
def pytest_collection_modifyitems(session, config, items):
    for item in items:
        if item.nodeid.startswith(SHARED_RUNS):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook, run by the controller
def pytest_xdist_node_collection_finished(node, ids):
    """With `--dist loadgroup`, each module of tests/sim must reach xdist as one group."""
    if node.config.getvalue("dist") != "loadgroup":
        return
    lost = [nodeid for nodeid in ids if nodeid.startswith(SHARED_RUNS) and "@" not in nodeid]
    if lost:
        pytest.exit(f"pytest-xdist did not group {len(lost)} tests (first: {lost[0]}): this "
                    "pytest keeps node ids where xdist cannot mark a group, and each module's "
                    "shared runs would be repeated; install the versions pyproject.toml allows",
                    returncode=4)
