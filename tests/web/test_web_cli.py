"""`samenspel serve` on the command line: every mistake is exit code 2 and one clear line,
found before a model is built; and the translations the pages ask for exist.
"""

from __future__ import annotations

import re
import socket

import pytest
from webhelpers import Socket

from game.i18n import LANGUAGES, load
from game.web.app import STATIC
from lab.cli import main


@pytest.mark.parametrize(("args", "says"), [
    (["--teams", ""], "must have 1 to 40 printable characters"),
    (["--teams", "A,B,A"], "names a team twice"),
    (["--teams", "A,B,C,D,E,F,G"], "give 1 to 6"),
    (["--host", "my laptop"], "is not an IP address"),
    (["--port", "70000"], "port"),
    (["--rounds", "0"], "rounds"),
])
def test_bad_flags_are_usage_errors(args, says, capsys, tmp_path):
    assert main(["serve", *args, "--save", str(tmp_path / "s.json")]) == 2
    err = capsys.readouterr().err
    assert "samenspel serve: error:" in err and says in err and "Traceback" not in err
    assert not (tmp_path / "s.json").exists()


def test_a_port_in_use_is_said_before_anything_is_built(capsys, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port), "--save", str(tmp_path / "s.json")]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1 port {port}" in err and "--port 0" in err
    assert not (tmp_path / "s.json").exists()


def test_a_save_to_resume_cannot_be_changed_by_flags(capsys, tmp_path):
    path = tmp_path / "s.json"
    path.write_text("{}")
    assert main(["serve", "--save", str(path), "--seed", "0"]) == 2
    assert "--seed cannot change it" in capsys.readouterr().err
    assert main(["serve", "--save", str(path), "--port", "0"]) == 2
    assert "is not a save of `samenspel serve`" in capsys.readouterr().err
    assert path.read_text() == "{}"
    assert main(["serve", "--save", str(tmp_path / "s.txt")]) == 2
    assert "ending in .json or a folder" in capsys.readouterr().err


def test_a_folder_for_save_gets_a_new_session_file(tmp_path):
    from game.web import cli

    args = cli.parse(["--save", str(tmp_path)])
    path = cli._save_path(args)
    assert path.parent == tmp_path and path.name.startswith("serve-") and path.suffix == ".json"
    assert cli._save_path(args) == path  # one name for the whole run


def test_serve_is_listed_and_has_help(capsys):
    assert main(["--help"]) == 0
    assert "serve" in capsys.readouterr().out
    assert main(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--host" in out and "0.0.0.0" in out


def test_every_key_the_pages_use_exists_in_both_languages():
    used: set[str] = set()
    for path in STATIC.glob("*.*"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'data-t(?:-placeholder)?="([a-z_.]+)"', text))
        used |= set(re.findall(r'\bt\("([a-z_.]+)"', text))
    keys = {k for k in used if not k.endswith(".")}
    assert len(keys) > 40
    # keys the scripts build from a name (`web.status.${state}` and the like)
    keys |= {f"web.status.{s}" for s in ("connecting", "online", "offline", "idle")}
    keys |= {f"web.phase.{p}" for p in ("planning", "locked", "running", "paused", "finished")}
    keys |= {f"web.console.{c}" for c in ("team", "code", "online", "phase", "ready", "budget",
                                          "cards", "prediction")}
    import game.web.hub as hub
    import game.web.schema as schema

    for module in (hub, schema):
        with open(module.__file__, encoding="utf-8") as fh:
            keys |= set(re.findall(r'"(web\.error\.[a-z_]+)"', fh.read()))
    for lang in LANGUAGES:
        missing = keys - set(load(lang))
        assert not missing, (lang, missing)


def test_the_command_resumes_a_saved_session_with_its_codes(served):
    from game.web import cli

    with served.connect() as ws:
        s = Socket(ws)
        s.join(served.codes.teams[1])
        s.send({"type": "play_card", "card": "knowledge"})
        view = s.until("state")["view"]
    hub = cli._resume(cli.parse(["--save", str(served.save)]), served.save)
    assert hub.codes == served.codes and hub.save_path == served.save
    assert hub.team_state(1)["view"] == view
