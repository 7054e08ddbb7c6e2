"""Suite-wide order: the long simulation tests first.

It sits at the root of the repository (not in tests/) so that the root, not
tests/, is on the import path: tests/lab and tests/sim must not shadow the packages.

With the tests spread over the cores (`pytest -n auto`), a long test that
starts last keeps one core busy while the others are idle. Starting the tests
marked `slow` first and the many short ones after fills the cores to the end.
The order of tests does not change what they assert: every test builds its own
model from its own seeds.
"""

from __future__ import annotations


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
