"""Frame rate of the play scene at 16 weeks per second: headless, no frame cap.

Prints `fps_median=<value>` (target: 60 or more) and `title_s=<value>`, the
time from start to the first drawn title screen. Run: python bench/game.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("SAMENSPEL_SAVE_DIR", tempfile.mkdtemp(prefix="samenspel-bench-"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FRAMES = 300


def main() -> None:
    t0 = time.perf_counter()
    from game.app import App
    from game.scenes.base import Settings
    from game.scenes.play import PlayScene
    from game.scenes.title import TitleScene
    from game.session import Session

    app = App((1280, 720), Settings(), fps_cap=0)
    app.start(TitleScene(app.ctx))
    app.frame(0.0)
    title_s = time.perf_counter() - t0
    session = Session("neighbourhood", 1, ["Team A"])
    session.warm_up()
    app.ctx.session = session
    play = PlayScene(app.ctx)
    app.start(play)
    play.start_quarter()
    play.set_speed(16)
    times = []
    last = time.perf_counter()
    for _ in range(FRAMES):
        if play.summary is not None:
            play.close_summary()
            play.start_quarter()
            play.set_speed(16)
        app.frame(min(time.perf_counter() - last, 0.25))
        now = time.perf_counter()
        times.append(now - last)
        last = now
    print(f"fps_median={1.0 / statistics.median(times):.1f}")
    print(f"title_s={title_s:.2f}")


if __name__ == "__main__":
    main()
