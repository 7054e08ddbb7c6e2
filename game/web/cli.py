"""`samenspel serve`: the session for teams on their own laptops, served to the room.

Builds (or, with an existing --save file, resumes) a simultaneous session,
binds the host and port itself - so a port in use is a clear error before
anything is printed - then prints the address teams open, every team's code
and the facilitator's console link, and serves with uvicorn until Ctrl+C.
Every mistake on the command line ends with `samenspel serve: error: ...` and
exit code 2.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import sys
import time
from pathlib import Path

from game.cli import check_folder
from lab.cli import Parser, override, path_arg, whole_number, write_crash_log
from sim import errors
from sim.errors import UserError

PROG = "samenspel serve"
MAX_TEAMS = 6
MAX_ROUNDS = 52
MAX_NAME = 40
SEED_MAX = 2**31 - 1
DEFAULT_PORT = 8765
WS_MAX_BYTES = 64 * 1024  # uvicorn closes a socket sending a larger frame; the app allows 2 KiB


class _ServeParser(Parser):
    error_prog = PROG


def team_names(text: str) -> list[str]:
    """--teams "A,B,C": 1 to 6 distinct names of 1 to 40 printable characters."""
    names = [n.strip() for n in text.split(",")]
    shown = errors.shorten(text)
    if not 1 <= len(names) <= MAX_TEAMS:
        raise argparse.ArgumentTypeError(
            f"--teams {shown!r} names {len(names)} teams; give 1 to {MAX_TEAMS}, "
            "separated by commas")
    for name in names:
        if not 1 <= len(name) <= MAX_NAME or not name.isprintable():
            raise argparse.ArgumentTypeError(
                f"--teams {shown!r}: the name {errors.shorten(name)!r} must have 1 to "
                f"{MAX_NAME} printable characters")
    if len(set(names)) != len(names):
        raise argparse.ArgumentTypeError(f"--teams {shown!r} names a team twice; give "
                                         "every team its own name")
    return names


def host_arg(text: str) -> str:
    """An IP address or localhost; 0.0.0.0 opens the server to the whole network."""
    if text == "localhost":
        return text
    try:
        ipaddress.ip_address(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--host {errors.shorten(text)!r} is not an IP address; give e.g. 127.0.0.1 "
            "(this machine only) or 0.0.0.0 (every network this machine is on)") from None
    return text


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = _ServeParser(prog=PROG, description=(
        "Serve a session to teams on their own laptops: each team opens the printed address "
        "in a browser and types its code; the facilitator opens the console link."))
    ap.add_argument("--scenario", default=None, help="scenario name or TOML file "
                    "(default: neighbourhood)")
    ap.add_argument("--seed", type=whole_number("the seed", 0, SEED_MAX), default=None,
                    help="seed of the model (default 1)")
    ap.add_argument("--teams", type=team_names, default=None, metavar='"A,B,C"',
                    help='team names separated by commas (default "Team A,Team B,Team C")')
    ap.add_argument("--rounds", type=whole_number("rounds", 1, MAX_ROUNDS), default=None,
                    help=f"rounds of 13 weeks (default 8, at most {MAX_ROUNDS})")
    ap.add_argument("--set", action="append", type=override, default=[], metavar="KEY=VALUE",
                    help="override a scenario value, e.g. run.warmup_weeks=52")
    ap.add_argument("--host", type=host_arg, default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1: this machine only; "
                         "0.0.0.0 opens it to the room's network)")
    ap.add_argument("--port", type=whole_number("the port", 0, 65535), default=DEFAULT_PORT,
                    help=f"port (default {DEFAULT_PORT}; 0 picks a free one)")
    ap.add_argument("--save", type=path_arg, default=None, metavar="PATH",
                    help="session file (.json): resumed when it exists, else created; or a "
                         "folder for a new file (default ~/.local/share/samenspel)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    return errors.guarded(PROG, lambda: serve(args),
                          write_log=lambda text: write_crash_log(text, [_save_path(args).parent]))


def _save_path(args: argparse.Namespace) -> Path:
    """--save as given, a new file in the folder it names, or a new file in the save folder."""
    if getattr(args, "_save_file", None) is None:
        from game import save

        name = time.strftime("serve-%Y%m%d-%H%M%S.json")
        given = args.save
        args._save_file = (save.save_dir() / name if given is None
                           else given / name if given.is_dir() else given)
    return args._save_file


def serve(args: argparse.Namespace) -> int:
    path = _save_path(args)
    if path.suffix != ".json":
        raise UserError(f"--save {errors.shorten(str(path), 200)}: give a file ending in .json "
                        "or a folder")
    resume = path.exists()
    if resume:
        _check_nothing_new(args, path)
    else:
        check_folder(path.parent, "--save")  # the folder the new save goes in
    sock = _bind(args.host, args.port)  # first: a port in use is said before a long warm-up
    try:
        hub = _resume(args, path) if resume else _new(args, path)
    except BaseException:
        sock.close()
        raise
    port = sock.getsockname()[1]
    _announce(hub, args.host, port, path)
    return _run(hub, sock)


def _new(args: argparse.Namespace, path: Path):
    from game.facilitator import Facilitator
    from game.web.codes import Codes
    from game.web.hub import Hub
    from sim.scenario import check_runnable, load_scenario

    names = args.teams or ["Team A", "Team B", "Team C"]
    rounds = args.rounds or 8
    scenario_name = args.scenario or "neighbourhood"
    scenario = load_scenario(scenario_name, args.set or None)
    check_runnable(scenario, scenario.run.warmup_weeks + 13 * rounds, models=len(names) + 1,
                   where=f"the warm-up and {rounds} rounds of 13 weeks")
    print(f"{PROG}: warming up {len(names)} teams and the base run of {scenario_name} "
          f"({scenario.run.warmup_weeks} weeks)...", flush=True)
    facilitator = Facilitator.new(scenario_name, 1 if args.seed is None else args.seed, names,
                                  rounds, args.set or None)
    hub = Hub(facilitator, Codes.new(len(names)), path)
    hub.save()
    if hub.save_error:
        raise UserError(f"--save {hub.save_error}; give a file in a folder you can write to.")
    return hub


def _resume(args: argparse.Namespace, path: Path):
    from game.facilitator import Facilitator
    from game.web import store
    from game.web.hub import Hub

    print(f"{PROG}: resuming {errors.shorten(str(path), 200)}...", flush=True)
    codes, facilitator = store.restore(path, Facilitator)
    return Hub(facilitator, codes, path)


def _check_nothing_new(args: argparse.Namespace, path: Path) -> None:
    """A resumed session is the saved one: flags that would make another are a mistake."""
    given = [flag for flag, value in (("--scenario", args.scenario), ("--seed", args.seed),
                                      ("--teams", args.teams), ("--rounds", args.rounds),
                                      ("--set", args.set or None)) if value is not None]
    if given:
        raise UserError(f"{errors.shorten(str(path), 200)} exists, so the session is resumed "
                        f"from it, and {', '.join(given)} cannot change it; leave them out to "
                        "resume, or give another --save to start a new session.")


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so a taken port is a clear error, not a log line."""
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(info[0], socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
        sock.listen(64)
    except OSError as exc:
        raise UserError(f"cannot listen on {host} port {port}: {exc.strerror or exc}; "
                        "choose another --port (or --port 0 for a free one), or --host "
                        "127.0.0.1") from None
    sock.set_inheritable(True)
    return sock


def _room_addresses() -> list[str]:
    """This machine's addresses the room can reach (looked up locally, nothing is sent)."""
    found: list[str] = []
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            addr = info[4][0]
            if not ipaddress.ip_address(addr).is_loopback and addr not in found:
                found.append(addr)
    except OSError:
        pass
    return found


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _announce(hub, host: str, port: int, path: Path) -> None:
    from game.web.codes import shown

    room = host in ("0.0.0.0", "::")
    addresses = (_room_addresses() or ["<this machine's address>"]) if room else [host]
    unknown = room and addresses == ["<this machine's address>"]
    local = "127.0.0.1" if room or host == "localhost" else host
    width = max(len(n) for n in hub.team_names())
    lines = ["", "Teams open in a browser:"]
    lines += [f"    {_url(a, port)}/" for a in addresses]
    if unknown:
        lines += ["    (its address on the room's network: `hostname -I` on Linux, `ipconfig` "
                  "on Windows, `ipconfig getifaddr en0` on macOS)"]
    lines += ["and type their code:"]
    lines += [f"    {name:<{width}}  {shown(code)}"
              for name, code in zip(hub.team_names(), hub.codes.teams, strict=True)]
    lines += ["", "Facilitator's console (keep this link to yourself):",
              f"    {_url(local, port)}/facilitator#{hub.codes.facilitator}", "",
              f"Saved after every action to {path}",
              f"(to resume after a restart: samenspel serve --save {path} "
              f"--host {host} --port {port})"]
    if not room:
        lines += ["Only this machine can connect; --host 0.0.0.0 opens the session to the "
                  "room's network."]
    lines += ["Stop with Ctrl+C.", ""]
    print("\n".join(lines), flush=True)


def _run(hub, sock: socket.socket) -> int:
    import uvicorn

    from game.web.app import create_app

    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    config = uvicorn.Config(create_app(hub), log_level="warning", lifespan="off",
                            ws_max_size=WS_MAX_BYTES, access_log=False)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:  # also on Ctrl+C, which uvicorn passes on once it has closed the sockets
        sock.close()
        print(f"{PROG}: stopped; every action was saved: the command above resumes it.",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
