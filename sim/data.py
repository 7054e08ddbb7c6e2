"""Where the files that ship beside the code are: scenarios, the game's assets, docs.

From a checkout (and an editable install) they sit beside the packages, in the
repository. A plain install (`pip install .`, a wheel) puts them under
`<prefix>/share/samenspel` (pyproject.toml, `data-files`), since they are not
Python packages. Looking in both places keeps one way of naming them.
"""

from __future__ import annotations

import sys
from pathlib import Path

_BESIDE = Path(__file__).resolve().parent.parent
_INSTALLED = Path(sys.prefix) / "share" / "samenspel"


def data_dir(name: str) -> Path:
    """The folder `name` (`scenarios`, `assets` or `docs`): beside the code when it is
    there, else where an install put it (which may not exist: callers say what is missing)."""
    beside = _BESIDE / name
    if beside.is_dir():
        return beside
    return _INSTALLED / name
