"""`samenspel play --autoplay` plays headless, shoots every scene and reports the frame rate."""

from __future__ import annotations

from game.cli import main


def test_autoplay_two_rounds_writes_a_screenshot_per_scene(tmp_path, capsys):
    shots = tmp_path / "shots"
    code = main(["--autoplay", "2", "--teams", "2", "--screenshots", str(shots),
                 "--set", "run.warmup_weeks=52"])
    assert code == 0
    names = {p.name.split("-", 1)[1] for p in shots.glob("*.png") if p.name[0].isdigit()}
    for scene in ("title.png", "settings.png", "planning.png", "influence.png",
                  "running-overlays.png", "family-timeline.png", "summary.png",
                  "debrief-kpis.png", "debrief-charts.png", "debrief-stories.png"):
        assert scene in names
    assert list(shots.glob("debrief-*.html")) and list(shots.glob("debrief-*.pdf"))
    html = next(shots.glob("debrief-*.html")).read_text()
    assert "data:image/png;base64," in html and "Team A" in html
    out = capsys.readouterr().out
    assert "fps_median=" in out
    assert float(out.split("fps_median=")[1].split()[0]) > 0
