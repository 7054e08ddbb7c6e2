"""`samenspel play`: open the game, or play it headless with scripted cards (--autoplay).

Everything the command line can get wrong is checked before a window opens:
the scenario and its --set overrides, whether a whole game of it fits in
memory, the seed, rounds, teams, window size, and the save and screenshot
folders. A mistake ends with `samenspel play: error: ...` and exit code 2, so
no window ever waits on an error it does not show. A bug while playing ends
with one line saying so; its traceback goes to a log file next to the save,
and the last autosave is kept (see `sim.errors`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from lab.cli import Parser, override, path_arg, whole_number, write_crash_log
from sim import errors
from sim.errors import UserError

PROG = "samenspel play"
SCRIPTS = (  # card ids per round, cycling; one script per team
    (("integral", "no_wrong_door"), ("shared_dossier",), ("trust_management", "knowledge"),
     ("self_help",)),
    (("top_down",), ("hire_wijkteam",), ("per_trajectory",), ("central_list",)),
    (("pooled", "online_help"), ("network",), ("experiment",), ("lump_sum",)),
)
MAX_TEAMS = 6
MAX_ROUNDS = 52  # as a save allows (game.save_schema)
SEED_MAX = 2**31 - 1  # as a scenario's run.seed allows
MIN_SIZE, MAX_SIZE = (960, 540), (7680, 4320)  # the window never gets smaller than 960x540
AUTOPLAY_FRAMES = 200_000  # a scripted game that has not moved on after this many frames is stuck


class _PlayParser(Parser):
    error_prog = PROG


def _size(text: str) -> tuple[int, int]:
    """WIDTHxHEIGHT within what a window can be."""
    w, sep, h = text.lower().partition("x")
    try:
        size = (int(w), int(h)) if sep and len(text) <= 20 else None
    except ValueError:
        size = None
    if size is None or not all(lo <= v <= hi for v, lo, hi in zip(size, MIN_SIZE, MAX_SIZE,
                                                                    strict=True)):
        raise argparse.ArgumentTypeError(
            f"--size must be WIDTHxHEIGHT, e.g. 1280x720, with a width from {MIN_SIZE[0]} to "
            f"{MAX_SIZE[0]} and a height from {MIN_SIZE[1]} to {MAX_SIZE[1]}, "
            f"not {errors.shorten(text)!r}")
    return size


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = _PlayParser(prog=PROG, description="Play Samenspel.")
    ap.add_argument("--scenario", default="neighbourhood", help="scenario name or TOML file")
    ap.add_argument("--seed", type=whole_number("the seed", 0, SEED_MAX), default=1)
    ap.add_argument("--rounds", type=whole_number("rounds", 1, MAX_ROUNDS), default=None,
                    help=f"rounds per game (default 8, at most {MAX_ROUNDS})")
    ap.add_argument("--teams", type=whole_number("teams", 1, MAX_TEAMS), default=2,
                    help=f"teams for --autoplay (1-{MAX_TEAMS})")
    ap.add_argument("--set", action="append", type=override, default=[], metavar="KEY=VALUE",
                    help="override a scenario value, e.g. run.warmup_weeks=52")
    ap.add_argument("--save", type=path_arg, default=None, metavar="PATH",
                    help="autosave file (.json) or folder; default ~/.local/share/samenspel")
    ap.add_argument("--lang", choices=("nl", "en"), default=None)
    ap.add_argument("--size", type=_size, default=(1280, 720), help="window size WxH")
    ap.add_argument("--case", default=None, metavar="CASE",
                    help="open the case trainer on a case (a name in scenarios/cases or a file)")
    ap.add_argument("--trainees", type=whole_number("trainees", 1, 4), default=1,
                    help="with --case: trainees sharing the case's roles (1-4)")
    ap.add_argument("--autoplay", type=whole_number("rounds", 1, MAX_ROUNDS),
                    default=None, metavar="ROUNDS",
                    help="play ROUNDS rounds headless with scripted cards, then exit")
    ap.add_argument("--screenshots", type=path_arg, default=None, metavar="DIR",
                    help="with --autoplay: save a PNG of every scene here")
    ap.add_argument("--facilitator", action="store_true",
                    help="open the facilitator's console: the teams play each round at the "
                         "same time, the facilitator starts, pauses, locks, undoes and branches")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point for `samenspel play [options]`; returns the exit code."""
    args = parse(argv)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # stdout is for results
    with _save_location(args.save):
        from game import save

        return errors.guarded(
            PROG, lambda: _play(args),
            write_log=lambda text: write_crash_log(text, [save.autosave_path().parent]),
            kept=_kept)


@contextlib.contextmanager
def _save_location(path: Path | None) -> Iterator[None]:
    """--save as the environment the save module reads, for this call only."""
    if path is None:
        yield
        return
    key = "SAMENSPEL_SAVE_FILE" if path.suffix == ".json" else "SAMENSPEL_SAVE_DIR"
    old = {k: os.environ.get(k) for k in ("SAMENSPEL_SAVE_FILE", "SAMENSPEL_SAVE_DIR")}
    os.environ.pop("SAMENSPEL_SAVE_FILE", None)
    os.environ[key] = str(path)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _kept() -> str:
    from game import save

    path = save.autosave_path()
    with contextlib.suppress(OSError, ValueError):
        if path.is_file():
            return (f"The last autosave is kept in {errors.shorten(str(path), 200)}: choose "
                    "Continue on the title screen to go on from it.")
    return ""


# ---------------------------------------------------------------- checks before the window


def check(args: argparse.Namespace) -> None:
    """Every mistake the command line can hold, as a UserError, before a window opens."""
    from game import save
    from sim.scenario import check_runnable, load_scenario

    if args.case is not None:
        from sim.casefile import load_case

        if args.autoplay is not None:
            raise UserError("--case and --autoplay cannot be combined: --autoplay plays the "
                            "workshop game with scripted cards; a case is played by its "
                            "trainees.")
        load_case(args.case)  # a CaseError names the key, the value and what is allowed
    if args.screenshots is not None and args.autoplay is None:
        raise UserError("--screenshots works only with --autoplay: screenshots are taken "
                        "of the scripted game.")
    scenario = load_scenario(args.scenario, args.set or None)
    rounds = args.autoplay or args.rounds or 8
    teams = args.teams if args.autoplay is not None else MAX_TEAMS
    teams += 1 if args.facilitator else 0  # the base run beside the teams
    weeks = scenario.run.warmup_weeks + 13 * rounds
    check_runnable(scenario, weeks, models=teams,
               where=f"the warm-up and {rounds} rounds of 13 weeks")
    save.check_location()
    if args.screenshots is not None:
        check_folder(args.screenshots, "--screenshots")


def check_folder(folder: Path, flag: str) -> None:
    """A folder that exists and can be written, or can be made; creates nothing yet."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    shown = errors.shorten(str(folder), 200)
    if not probe.is_dir():
        raise UserError(f"{flag} {shown}: {errors.shorten(str(probe), 200)} is a file, not a "
                        "folder; give a folder.")
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as exc:
        raise UserError(f"{flag} {shown} cannot be written: {exc.strerror or exc}; give a "
                        "folder you can write to.") from None


def _settings(args: argparse.Namespace):
    """The stored settings, any that cannot be used replaced by their defaults."""
    from game.scenes.base import Settings
    from game.scenes.settings import TEXT_SCALES

    try:
        settings = Settings.load()
    except (RecursionError, ValueError, TypeError, OSError):  # a damaged settings.json
        settings = Settings()
    default = Settings()
    if settings.lang not in ("nl", "en"):
        settings.lang = default.lang
    if settings.text_scale not in TEXT_SCALES:
        settings.text_scale = default.text_scale
    for name in ("safe_palette", "fullscreen"):
        if not isinstance(getattr(settings, name), bool):
            setattr(settings, name, getattr(default, name))
    if args.lang:
        settings.lang = args.lang
    if args.autoplay is not None:
        settings.fullscreen = False
    return settings


# ---------------------------------------------------------------- playing


def _play(args: argparse.Namespace) -> int:
    check(args)
    if args.autoplay is not None:
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from game.app import App
    from game.scenes.title import TitleScene

    app = App(args.size, _settings(args), fps_cap=0 if args.autoplay is not None else 60)
    app.start(TitleScene(app.ctx, args.scenario, args.seed, args.set or None,
                         args.autoplay or args.rounds, facilitator=args.facilitator))
    if args.case is not None:
        from game.scenes.case_select import CaseSelectScene

        select = CaseSelectScene(app.ctx, args.case, args.trainees)
        app.ctx.push(select)
        select.start()
    if args.autoplay is None:
        return app.run()
    if args.facilitator:
        return autoplay_facilitated(app, args.teams, args.screenshots)
    return autoplay(app, args.autoplay, args.teams, args.screenshots)


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


def _frames_until(app, done, what: str) -> None:
    """Run frames until `done()`; a scene that refused (back on the title) is the user's error."""
    from game.scenes.title import TitleScene

    for _ in range(AUTOPLAY_FRAMES):
        if done():
            return
        top = app.ctx.top
        if isinstance(top, TitleScene) and (top.message or app.ctx.message):
            raise UserError(top.message or app.ctx.message)
        if app.ctx.quit:
            raise UserError(app.ctx.message or "the game was closed")
        app.frame(1 / 60)
    raise RuntimeError(f"autoplay: {what} did not happen within {AUTOPLAY_FRAMES:,} frames")


def autoplay(app, rounds: int, teams: int, folder: Path | None) -> int:
    """Play `rounds` rounds with scripted cards, shooting every scene; print the frame rate."""
    from game.scenes.debrief import DebriefScene
    from game.scenes.play import PlayScene
    from game.scenes.settings import SettingsScene

    ctx, shoot = app.ctx, Shooter(app, folder)
    title = ctx.top
    title.set_teams([f"Team {chr(65 + i)}" for i in range(max(1, min(MAX_TEAMS, teams)))])
    shoot("title")
    ctx.push(SettingsScene(ctx))
    shoot("settings")
    ctx.pop()
    title.start()
    shoot("loading")
    _frames_until(app, lambda: isinstance(ctx.top, PlayScene | DebriefScene), "the game start")
    times: list[float] = []
    shots: set[str] = set()
    while isinstance(ctx.top, PlayScene):
        _play_turn(app, ctx.top, shoot, shots, times)
    if isinstance(ctx.top, DebriefScene):
        _debrief(ctx.top, shoot, folder)
    fps = 1.0 / statistics.median(times) if times else 0.0
    print(f"fps_median={fps:.1f}")
    return 0


def _play_turn(app, play, shoot, shots: set[str], times: list[float]) -> None:
    """One team's turn: its scripted cards and prediction, the quarter, the summary."""
    from game.scenes.influence import InfluenceScene

    ctx, s = app.ctx, play.session
    if getattr(play, "handover", False):
        play.confirm_handover()
    script = SCRIPTS[s.team_index % len(SCRIPTS)]
    for card in script[s.round % len(script)]:
        play.select_card(card)
        play.play_selected()
    play.predict_kpi = s.round % 6
    play.predict(str(4 + s.round))  # typed as a player would: 4 weeks, 4 %, a 4, ...
    if "planning" not in shots:
        shots.add("planning")
        shoot("planning")
        ctx.push(InfluenceScene(ctx))
        shoot("influence")
        ctx.pop()
    play.set_speed(16)
    for _ in range(AUTOPLAY_FRAMES):
        if play.summary is not None:
            break
        start = time.perf_counter()
        app.frame(1 / 60)
        times.append(time.perf_counter() - start)
        if "running" not in shots and s.weeks_into_turn() >= 6:
            shots.add("running")
            _shoot_running(play, s, shoot)
    else:
        raise RuntimeError(f"autoplay: the quarter did not end within {AUTOPLAY_FRAMES:,} "
                           "frames")
    if "summary" not in shots:
        shots.add("summary")
        shoot("summary")
    play.close_summary()


def _shoot_running(play, s, shoot) -> None:
    from sim.states import FamilyState

    play.overlays = {"trust", "innovation", "budget"}
    play.build()
    shoot("running-overlays")
    play.overlays = set()
    busy = [f for f in range(s.model.families.n)
            if s.model.families.state[f] == FamilyState.IN_CARE]
    play.show_family(busy[0] if busy else 0)
    shoot("family-timeline")
    play.close_family()


def autoplay_facilitated(app, teams: int, folder: Path | None) -> int:
    """The facilitator's session, scripted: every team plans at this machine (hot seat),
    the rounds run for all at once, with an event and a branch on the way."""
    from game.scenes.console import ConsoleScene
    from game.scenes.debrief import DebriefScene

    ctx, shoot = app.ctx, Shooter(app, folder)
    ctx.top.set_teams([f"Team {chr(65 + i)}" for i in range(max(1, min(MAX_TEAMS, teams)))])
    ctx.top.start()
    _frames_until(app, lambda: isinstance(ctx.top, ConsoleScene), "the console")
    console, shots = ctx.top, set()
    fac = ctx.session.facilitator
    shoot("console")
    while not ctx.session.finished:
        for i in range(len(ctx.session.teams)):
            console.select(i)
            if fac.phase(i) not in ("planning", "locked"):
                continue
            console.play_here()
            play, r = ctx.top, ctx.session.round
            script = SCRIPTS[i % len(SCRIPTS)]
            for card in script[r % len(script)]:
                play.select_card(card)
                play.play_selected()
            play.predict(play.t.fmt.number(4 + i + r, 0))
            if "planning" not in shots:
                shots.add("planning")
                shoot("facilitated-planning")
            play.start_quarter()  # "done": back to the console
        if "event" not in shots:
            shots.add("event")
            console.open_events(None)
            shoot("console-events")
            console.inject("flu")
        console.start_round()
        _frames_until(app, lambda: not fac.running, "the round's end")
        if "round" not in shots:
            shots.add("round")
            shoot("console-round")
            console.open_scoreboard()
            shoot("scoreboard")
            ctx.pop()
            console.open_branch()
            shoot("console-branch")
            console.branch(0)
            shoot("console-branched")
    console.open_debrief()
    if isinstance(ctx.top, DebriefScene):
        _debrief(ctx.top, shoot, folder)
    print(f"rounds={ctx.session.rounds} teams={len(ctx.session.teams)}")
    return 0


def _debrief(debrief, shoot, folder: Path | None) -> None:
    from game.debrief_export import export
    from game.scenes.debrief import TABS

    for tab in TABS:
        debrief.set_tab(tab)
        shoot(f"debrief-{tab}")
    if folder:
        export(debrief.session, debrief.ctx.t, folder)


if __name__ == "__main__":
    sys.exit(main())
