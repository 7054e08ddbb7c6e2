"""Frame rate of the play scene while a quarter runs, headless, no frame cap.

The game is driven by a fixed simulated clock: every frame tells the game that
1/60 s has passed, so at 16 weeks per second a model week is due about every
fourth frame, as it would be on a screen at 60 Hz. A week runs in stages over
as many frames as it needs: each frame gives the model what is left of a
1/60 s frame after drawing (game/app.py), so a week of 25,000 families is
spread over a few frames and a slow machine runs fewer weeks a second rather
than fewer frames. The figures are what the machine needs in real time to
draw those frames and run those weeks:

    <scenario>_fps             frames drawn per second of real time
    <scenario>_weeks_per_s     model weeks run per second of real time
    <scenario>_p95_frame_ms    95th percentile of the frame times
    <scenario>_max_frame_ms    the longest frame while a quarter runs (a stall the
                               audience sees)
    <scenario>_max_transition_ms  the longest frame that opens a quarter or ends it (saves
                               it, collects garbage: game/collection.py, and opens the
                               summary): a pause on a click, not in the animation
    title_s                    start to the first drawn title screen

for the neighbourhood (500 families; target 120 fps) and the baseline (25,000
families; target 60 fps at 16 weeks per second). Run: python bench/game.py
[neighbourhood|baseline] [--speed 16] [--frames 400]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("SAMENSPEL_SAVE_DIR", tempfile.mkdtemp(prefix="samenspel-bench-"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

TICK = 1 / 60  # the simulated clock: a 60 Hz screen


def title_seconds() -> float:
    t0 = time.perf_counter()
    from game.app import App
    from game.scenes.base import Settings
    from game.scenes.title import TitleScene

    app = App((1280, 720), Settings(), fps_cap=0)
    app.start(TitleScene(app.ctx))
    app.frame(0.0)
    return time.perf_counter() - t0


def play(scenario: str, speed: int, frames: int) -> dict[str, float]:
    """Run `frames` frames of a quarter at `speed` weeks per second; time them."""
    from game.app import App
    from game.scenes.base import Settings
    from game.scenes.play import PlayScene
    from game.session import Session

    app = App((1280, 720), Settings(), fps_cap=0)
    session = Session(scenario, 1, ["Team A"])
    session.warm_up()
    app.ctx.session = session
    scene = PlayScene(app.ctx)
    app.start(scene)
    scene.start_quarter()
    scene.set_speed(speed)
    start_week = session.model.week
    weeks_done = 0
    times, running, transitions = [], [], []
    opening = True
    for _ in range(frames):
        if scene.summary is not None:  # a quarter ended: count its weeks, start the next
            weeks_done += session.model.week - start_week
            scene.close_summary()
            scene.start_quarter()
            scene.set_speed(speed)
            start_week = session.model.week
            opening = True
        t = time.perf_counter()
        app.frame(TICK)
        times.append(time.perf_counter() - t)
        (transitions if opening or scene.summary is not None else running).append(times[-1])
        opening = False
    weeks_done += session.model.week - start_week
    total = sum(times)
    return {"fps": frames / total, "weeks_per_s": weeks_done / total,
            "p95_frame_ms": float(np.percentile(times, 95)) * 1000,
            "max_frame_ms": max(running) * 1000,
            "max_transition_ms": max(transitions) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=["neighbourhood", "baseline"])
    parser.add_argument("--speed", type=int, default=16, choices=[1, 4, 16])
    parser.add_argument("--frames", type=int, default=400)
    args = parser.parse_args()
    print(f"title_s={title_seconds():.2f}", flush=True)
    for name in args.scenarios:
        result = play(name, args.speed, args.frames)
        for key, value in result.items():
            print(f"{name}_{key}={value:.1f}", flush=True)


if __name__ == "__main__":
    main()
