"""Game tests run headless: SDL's dummy video and audio drivers, saves in tmp_path."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

import pygame  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def save_dir(tmp_path, monkeypatch):
    folder = tmp_path / "saves"
    monkeypatch.setenv("SAMENSPEL_SAVE_DIR", str(folder))
    monkeypatch.delenv("SAMENSPEL_SAVE_FILE", raising=False)
    return folder


@pytest.fixture
def app():
    from gamehelpers import make_app

    yield make_app()
    pygame.quit()
    from game import collection

    collection.release()  # a test that stopped mid-quarter leaves nothing set aside
