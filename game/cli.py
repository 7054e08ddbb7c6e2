"""`samenspel play`: open the game, or play it headless with scripted cards (--autoplay)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

SCRIPTS = (  # card ids per round, cycling; one script per team
    (("integral", "no_wrong_door"), ("shared_dossier",), ("trust_management", "knowledge"),
     ("self_help",)),
    (("top_down",), ("hire_wijkteam",), ("per_trajectory",), ("central_list",)),
    (("pooled", "online_help"), ("network",), ("experiment",), ("lump_sum",)),
)


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="samenspel play", description="Play Samenspel.")
    ap.add_argument("--scenario", default="neighbourhood", help="scenario name or TOML file")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=None, help="rounds per game (default 8)")
    ap.add_argument("--teams", type=int, default=2, help="teams for --autoplay (1-6)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override a scenario value, e.g. run.warmup_weeks=52")
    ap.add_argument("--save", default=None, metavar="PATH",
                    help="autosave file (.json) or folder; default ~/.local/share/samenspel")
    ap.add_argument("--lang", choices=("nl", "en"), default=None)
    ap.add_argument("--size", default="1280x720", help="window size WxH")
    ap.add_argument("--autoplay", type=int, default=None, metavar="ROUNDS",
                    help="play ROUNDS rounds headless with scripted cards, then exit")
    ap.add_argument("--screenshots", default=None, metavar="DIR",
                    help="with --autoplay: save a PNG of every scene here")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point for `samenspel play [options]`; returns the exit code."""
    args = parse(argv)
    if args.save:
        path = Path(args.save)
        if path.suffix == ".json":
            os.environ["SAMENSPEL_SAVE_FILE"] = str(path)
        else:
            os.environ["SAMENSPEL_SAVE_DIR"] = str(path)
    if args.autoplay is not None:
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from game.app import App
    from game.scenes.base import Settings
    from game.scenes.title import TitleScene

    w, _, h = args.size.partition("x")
    settings = Settings.load()
    if args.lang:
        settings.lang = args.lang
    if args.autoplay is not None:
        settings.fullscreen = False
    app = App((int(w), int(h)), settings, fps_cap=0 if args.autoplay is not None else 60)
    app.start(TitleScene(app.ctx, args.scenario, args.seed, args.set or None,
                         args.autoplay or args.rounds))
    if args.autoplay is None:
        return app.run()
    return autoplay(app, args.autoplay, args.teams,
                    Path(args.screenshots) if args.screenshots else None)


class Shooter:
    def __init__(self, app, folder: Path | None) -> None:
        self.app, self.folder, self.n = app, folder, 0
        if folder:
            folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str) -> None:
        if self.folder is None:
            return
        import pygame

        self.app.frame(0.0)
        self.n += 1
        pygame.image.save(self.app.screen, str(self.folder / f"{self.n:02d}-{name}.png"))


def autoplay(app, rounds: int, teams: int, folder: Path | None) -> int:
    """Play `rounds` rounds with scripted cards, shooting every scene; print the frame rate."""
    from game.debrief_export import export
    from game.scenes.debrief import TABS, DebriefScene
    from game.scenes.influence import InfluenceScene
    from game.scenes.play import PlayScene
    from game.scenes.settings import SettingsScene
    from sim.states import FamilyState

    ctx, shoot = app.ctx, Shooter(app, folder)
    title = ctx.top
    title.set_teams([f"Team {chr(65 + i)}" for i in range(max(1, min(6, teams)))])
    shoot("title")
    ctx.push(SettingsScene(ctx))
    shoot("settings")
    ctx.pop()
    title.start()
    shoot("loading")
    frames = 0
    while not isinstance(ctx.top, PlayScene | DebriefScene):
        app.frame(1 / 60)
        frames += 1
        if frames > 100_000 or ctx.quit:
            print(ctx.message, file=sys.stderr)
            return 1
    times: list[float] = []
    shots: set[str] = set()
    while isinstance(ctx.top, PlayScene):
        play = ctx.top
        s = play.session
        script = SCRIPTS[s.team_index % len(SCRIPTS)]
        for card in script[s.round % len(script)]:
            play.select_card(card)
            play.play_selected()
        play.predict_kpi = s.round % 6
        play.predict(+1 if s.round % 2 == 0 else -1)
        if "planning" not in shots:
            shots.add("planning")
            shoot("planning")
            ctx.push(InfluenceScene(ctx))
            shoot("influence")
            ctx.pop()
        play.set_speed(16)
        while play.summary is None:
            start = time.perf_counter()
            app.frame(1 / 60)
            times.append(time.perf_counter() - start)
            if "running" not in shots and s.weeks_into_turn() >= 6:
                shots.add("running")
                play.overlays = {"trust", "innovation", "budget"}
                play.build()
                shoot("running-overlays")
                play.overlays = set()
                busy = [f for f in range(s.model.families.n)
                        if s.model.families.state[f] == FamilyState.IN_CARE]
                play.show_family(busy[0] if busy else 0)
                shoot("family-timeline")
                play.close_family()
        if "summary" not in shots:
            shots.add("summary")
            shoot("summary")
        play.close_summary()
    if isinstance(ctx.top, DebriefScene):
        debrief = ctx.top
        for tab in TABS:
            debrief.set_tab(tab)
            shoot(f"debrief-{tab}")
        if folder:
            export(debrief.session, ctx.t, folder)
    fps = 1.0 / statistics.median(times) if times else 0.0
    print(f"fps_median={fps:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
