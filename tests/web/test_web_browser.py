"""A team in a real browser: headless Chromium (Debian's) against `samenspel serve` itself.

The server is the real command on 127.0.0.1 and a free port, in its own
process; the browser joins by code, plays a card, predicts, says it is ready,
and after a reload finds the card still played; the facilitator's console
shows it all, in Dutch and in English. Skipped, saying why, on a machine
without Chromium, its driver or selenium (CI installs Debian's chromium and
chromium-driver first).
Set SAMENSPEL_WEB_SHOTS to a folder to keep screenshots of both pages.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ROOT = Path(__file__).resolve().parents[2]
START_S = 60  # the server warms up its models before it prints the codes


def _missing() -> str:
    if not os.path.exists(CHROMIUM) or not os.path.exists(DRIVER):
        return ("no Chromium: install Debian's chromium and chromium-driver "
                "(apt-get install chromium chromium-driver) to run the browser test")
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed: pip install -e '.[test]'"
    return ""


pytestmark = pytest.mark.skipif(bool(_missing()), reason=_missing() or "-")


@pytest.fixture
def server(tmp_path):
    """`samenspel serve` on a free port; yields its printed text; stopped with Ctrl+C."""
    command = [sys.executable, "-c", "import sys; from lab.cli import main; sys.exit(main())",
               "serve", "--port", "0", "--teams", "Rood,Blauw", "--rounds", "2",
               "--set", "run.warmup_weeks=52", "--save", str(tmp_path / "session.json")]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    lines, deadline = [], time.monotonic() + START_S
    try:
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                pytest.fail(f"samenspel serve ended: {proc.wait()} {proc.stderr.read()}")
            lines.append(line)
            if line.startswith("Stop with Ctrl+C"):
                break
        yield "".join(lines)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _shot(driver, name: str) -> None:
    folder = os.environ.get("SAMENSPEL_WEB_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def _retry(action, tries: int = 5):
    """A find-and-act that may meet an element just redrawn (stale): try again."""
    from selenium.common.exceptions import StaleElementReferenceException

    for i in range(tries):
        try:
            return action()
        except StaleElementReferenceException:
            if i == tries - 1:
                raise
            time.sleep(0.1)
    return None


def test_a_team_joins_plays_a_card_and_finds_it_after_a_reload(server, browser):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url = re.search(r"^    (http://127\.0\.0\.1:\d+/)$", server, re.M).group(1)
    codes = dict(re.findall(r"^    (\S+)\s+([A-Z0-9]{3}-[A-Z0-9]{3})$", server, re.M))
    console = re.search(r"^    (http://\S+/facilitator#\S+)$", server, re.M).group(1)
    # every state from the server redraws the page: an element found a moment ago may be gone
    wait = WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException])
    card = "[data-card=integral]"

    browser.get(url)
    wait.until(lambda d: d.find_element(By.ID, "code").is_displayed())
    assert browser.find_element(By.CSS_SELECTOR, "[data-t='web.join.button']").text == "Meedoen"
    browser.find_element(By.ID, "code").send_keys("zzz-zzz")  # a wrong code first
    browser.find_element(By.ID, "join-button").click()
    wait.until(lambda d: d.find_element(By.ID, "join-error").text)
    assert "ZZZ" in browser.find_element(By.ID, "join-error").text.upper()
    browser.find_element(By.ID, "code").clear()
    browser.find_element(By.ID, "code").send_keys(codes["Blauw"].lower())
    browser.find_element(By.ID, "join-button").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"{card} button"))
    assert browser.find_element(By.ID, "team-name").text == "Blauw"
    _retry(lambda: browser.find_element(By.CSS_SELECTOR, f"{card} button").click())
    wait.until(lambda d: "played" in d.find_element(By.CSS_SELECTOR, card).get_attribute("class"))
    budget = _retry(lambda: browser.find_element(By.ID, "budget").text)
    assert budget.replace("\u202f", " ").replace("\xa0", " ") == "€ 190.000"
    browser.find_element(By.ID, "predict-value").send_keys("9")  # weeks of waiting
    browser.find_element(By.CSS_SELECTOR, "#predict-form button").click()
    wait.until(lambda d: "9,0" in d.find_element(By.ID, "prediction").text)
    _retry(lambda: browser.find_element(By.ID, "ready").click())
    wait.until(lambda d: d.find_element(By.ID, "ready").text == "Toch nog niet klaar")
    _shot(browser, "team")

    browser.refresh()  # the code is kept in the browser: it joins again by itself
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"{card}.played"))
    assert "Integraal werken" in _retry(lambda: browser.find_element(By.ID, "played").text)
    assert _retry(lambda: browser.find_element(By.CSS_SELECTOR, f"{card} button")
                  .get_attribute("disabled"))

    browser.get(console)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#teams tbody tr")) == 2)
    row = _retry(lambda: browser.find_element(By.CSS_SELECTOR,
                                              "#teams tbody tr[data-team='1']").text)
    assert "Blauw" in row and codes["Blauw"] in row and "Integraal werken" in row
    assert "Wachttijd 9,0" in row and "ja" in row  # its prediction, and it is ready
    _shot(browser, "facilitator")
    browser.find_element(By.ID, "lang").click()  # English, from the same translation files
    wait.until(lambda d: d.find_element(By.ID, "start").text == "Start the round for all teams")
    assert "Integral working" in _retry(lambda: browser.find_element(
        By.CSS_SELECTOR, "#teams tbody tr[data-team='1']").text)
