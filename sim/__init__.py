"""Samenspel's model: families, professionals, providers and a municipality in a youth-care network.

Nothing in this package imports pygame; the game and the command line drive
the model only through `SamenspelModel`, `model.apply(action)` and its KPIs.
"""

from __future__ import annotations

__all__ = ["__version__"]

try:
    from importlib.metadata import version as _version

    __version__ = _version("samenspel")
except Exception:  # noqa: BLE001 - running from a source tree without installing
    __version__ = "0+unknown"
