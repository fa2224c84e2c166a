"""`ktutor serve` end to end: a real headless chromium talks to textual-serve, which runs the app.

The screen is read from xterm.js's own buffer (its public `buffer.active.getLine` API): the
terminal object is caught when textual.js assigns it, so the test reads exactly what a learner
sees, without OCR. Nothing is downloaded: Debian's chromium, and any request to another host
than the server is cut (and fails the test: the served page must work offline).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]

HOOK = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(v) {
    Object.defineProperty(this, 'terminal',
      {value: v, writable: true, configurable: true, enumerable: true});
    if (v && v.buffer && v.cols && !window.__ktutorTerm) { window.__ktutorTerm = v; }
  },
});
window.__ktutorScreen = () => {
  const t = window.__ktutorTerm;
  if (!t) return '';
  const b = t.buffer.active, out = [];
  for (let y = 0; y < t.rows; y++) {
    const line = b.getLine(b.viewportY + y);
    out.push(line ? line.translateToString(true) : '');
  }
  return out.join('\\n');
};
"""


def _chromium() -> str | None:
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def _browser_missing() -> str | None:
    if _chromium() is None:
        return f"no chromium at {CHROMIUM} or on PATH (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "python playwright is not installed"
    return None


def _require_browser() -> None:
    """Skip where chromium is missing; in CI (`CI=true`) a missing browser is a failure."""
    missing = _browser_missing()
    if missing is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test cannot run in CI: {missing}")
        pytest.skip(missing)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One chromium for the module (playwright's driver and the browser take ~2 s to start);
    each test gets a fresh context of its own (no cookies or storage from another test)."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=_chromium(), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def coded_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    yield from _serve(tmp_path, "--code", "probe-4821-0937")


def _serve(tmp_path: Path, *extra: str) -> Iterator[tuple[str, Path]]:
    _require_browser()
    port = _free_port()
    env = dict(os.environ)
    env.pop("KTUTOR_SERVE", None)
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tutor",
            "serve",
            "--host",
            "0.0.0.0",  # as in a classroom; the browser still connects over loopback
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path / "data"),
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"ktutor serve exited: {(tmp_path / 'serve.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("ktutor serve did not listen within 15 s")
        yield f"http://127.0.0.1:{port}/", tmp_path / "data"
    finally:
        # the server and the app processes it spawned share the session we gave it
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def _offline(page: Any, url: str) -> list[str]:
    """Cut every request to a host other than the server's; the list fills with their URLs."""
    elsewhere: list[str] = []

    def check(route: Any) -> None:
        if route.request.url.startswith(url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", check)
    return elsewhere


def _wait(page: Any, test: Callable[[str], bool], what: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = page.evaluate("window.__ktutorScreen ? window.__ktutorScreen() : ''") or ""
        if test(screen):
            return str(screen)
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}; the screen shows:\n{screen}")


def _right_pane(screen: str) -> str:
    """The routing view: the text right of the vertical divider on each row."""
    return "\n".join(line.split("│", 1)[1] for line in screen.splitlines() if "│" in line)


def test_browser_code_name_lesson_and_an_edit_that_changes_routing(
    coded_server: tuple[str, Path], page: Any
) -> None:
    """A learner's whole way in, in one page of one server (a served tab's tutor, a server and
    its warm tutors cost ~2 CPU s each: this was two tests, one with a code and one without):
    the workshop code first, the name prompt, the lesson list, lesson 1, and an edit that the
    routing view follows. A server without a code serves the same page at once
    (tests/classroom/test_classroom_web.py)."""
    url, data = coded_server
    # twelve classmates behind the same address mistyped first (the limit used to be 5 wrong
    # codes per address, then even the right code waited a minute)
    for learner in range(12):
        request = urllib.request.Request(
            url + "join",
            data=b"code=probe-4821-0973",
            headers={"Cookie": f"ktutor_try=classmate-{learner:02d}"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 403
    elsewhere = _offline(page, url)
    page.add_init_script(HOOK)
    page.goto(url)
    assert "Workshop code" in page.inner_text("body")
    assert page.locator("[data-session-websocket-url]").count() == 0
    page.fill("#code", "pod-0000")
    page.click("button[type=submit]")
    assert "not the workshop code" in page.inner_text("#join-error")
    page.fill("#code", "probe-4821-0937")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-session-websocket-url]")
    # the page points back at the address the browser used, not at `localhost`
    ws = page.locator("[data-session-websocket-url]").get_attribute("data-session-websocket-url")
    assert ws == url.replace("http://", "ws://") + "ws", ws
    _wait(page, lambda s: "What is your name" in s, "the name prompt after the code")
    # the terminal's font came from the server
    loaded = "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    assert any("Roboto Mono" in f for f in page.evaluate(loaded))
    page.locator(".xterm-screen").click()
    page.keyboard.type("Ada Browser")
    page.keyboard.press("Enter")
    listing = _wait(page, lambda s: "Labels and selectors" in s, "the lesson list")
    assert "1. Anatomy of a" in listing
    page.keyboard.press("Enter")  # the first lesson is selected
    lesson = _wait(
        page,
        lambda s: "step 1 of" in s and "TRAFFIC" in s,
        "lesson 1 with its routing view",
    )
    before = _right_pane(lesson)
    assert "my-app-1" in before and "selector app=my-app" in before
    # into the YAML editor, to line 7 (`    app: my-app`, the selector), end of line
    page.keyboard.press("F3")
    for _ in range(3):
        page.keyboard.press("PageUp")
    page.keyboard.press("Home")
    for _ in range(6):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    for _ in range(len("my-app")):
        page.keyboard.press("Backspace")
    page.keyboard.type("web")
    after = _wait(
        page,
        lambda s: "selector app=web" in _right_pane(s),
        "the routing view to show the new selector",
    )
    routing = _right_pane(after)
    assert "TRAFFIC" not in routing, routing
    assert "the Service wants web" in routing  # the name in bold, no backticks
    assert routing != before
    assert not elsewhere, f"the page asked other hosts: {elsewhere}"
    assert (data / "learners").is_dir(), "the named learner's progress lives on the server"
