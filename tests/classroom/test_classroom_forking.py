"""`ktutor serve`'s fork server: each tab's tutor is a fork of one prepared process.

Most tests use a stand-in fork server (`tutor.classroom.forking.ForkServer` running a tiny child
that reports on itself), so they check the mechanism in milliseconds; one test runs the real
tutor through the real fork server (`tutor.app.fork_server`) over textual-serve's websocket.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientWebSocketResponse
from aiohttp.test_utils import TestClient, TestServer

from tutor import settings
from tutor.classroom import forking, serving
from tutor.classroom.web import ClassroomServer, ForkServer, tab_environment

ROOT = Path(__file__).resolve().parents[2]

CHILD_REPORT = r"""
import os, signal, socket, sys
from tutor.classroom.forking import ForkServer, prepare_to_fork


def listening(fd):
    s = socket.socket(fileno=os.dup(fd))
    try:
        return s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
    finally:
        s.close()


def run_child():
    out = sys.stdout.buffer
    out.write(b"__GANGLION__\n")
    links = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            links[int(name)] = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            pass  # the folder's own descriptor, closed by now
    sockets = [fd for fd, link in links.items() if link.startswith("socket:")]
    report = {
        "pid": os.getpid(),
        "ppid": os.getppid(),
        "columns": os.environ.get("COLUMNS"),
        "warm": os.environ.get("KTUTOR_WARM_TUTOR"),
        "sockets": len(sockets),
        "listening": sum(listening(fd) for fd in sockets),
    }
    msg = ("child " + json.dumps(report)).encode()
    out.write(b"D" + len(msg).to_bytes(4, "big") + msg)
    out.flush()
    got = sys.stdin.buffer.read(1)  # until the server says anything (quit) or closes
    return 0 if got else 3


import json
import time
time.sleep(float(os.environ.get("PREPARING", "0")))  # importing the tutor, say
prepare_to_fork()
ForkServer(sys.argv[1], run_child).serve()
"""

COLD_APP = r"""
import os, sys
out = sys.stdout.buffer
out.write(b"__GANGLION__\n")
msg = b"cold " + str(os.getpid()).encode()
out.write(b"D" + len(msg).to_bytes(4, "big") + msg)
out.flush()
sys.stdin.buffer.read(1)
"""


@pytest.fixture
def scripts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[str]]:
    """(the cold command, the stand-in fork server's command); the children import this
    checkout's `tutor`."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    cold = tmp_path / "cold_app.py"
    cold.write_text(COLD_APP)
    forker = tmp_path / "fork_server.py"
    forker.write_text(CHILD_REPORT)
    return f"exec {sys.executable} {cold}", [sys.executable, str(forker)]


@pytest.fixture
async def quiet_loop() -> AsyncIterator[None]:
    """Subprocess transports that asyncio closes only when collected are closed while the loop
    still runs (as in test_classroom_web)."""
    yield
    import gc
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


async def _first_words(ws: ClientWebSocketResponse) -> str:
    msg = await asyncio.wait_for(ws.receive(), 30)
    assert isinstance(msg.data, bytes), msg
    return msg.data.decode()


def _report(words: str) -> dict[str, Any]:
    assert words.startswith("child "), words
    report: dict[str, Any] = json.loads(words.removeprefix("child "))
    return report


async def _until(condition: Any, seconds: float = 10) -> None:
    for _ in range(int(seconds * 20)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_each_tab_is_a_fork_with_its_own_environment_and_nothing_else(
    scripts: tuple[str, list[str]], quiet_loop: None
) -> None:
    cold, forker = scripts
    server = ClassroomServer(
        cold, host="127.0.0.1", port=8000, title="t", public_url=None, fork_server=forker
    )
    async with TestClient(TestServer(await server.make_app())) as client:
        first = await client.ws_connect("/ws?width=100&height=30")
        one = _report(await _first_words(first))
        second = await client.ws_connect("/ws?width=90&height=30")
        two = _report(await _first_words(second))
        assert server.forks is not None and server.forks.process is not None
        forker_pid = server.forks.process.pid
        # forked by the fork server, not started by the web server (no exec, no import)
        assert one["ppid"] == two["ppid"] == forker_pid and one["pid"] != two["pid"]
        assert (one["columns"], two["columns"]) == ("100", "90")  # each tab's own size
        # only its own connection: not the listening socket, not the first tab's connection
        assert one["sockets"] == two["sockets"] == 1
        assert one["listening"] == two["listening"] == 0
        await first.close()
        await _until(lambda: len(server.tabs) == 1)  # the tab's child ended and was reaped
        await second.close()
        await _until(lambda: not server.tabs)


async def test_a_tab_that_comes_early_waits_for_the_fork_server(
    scripts: tuple[str, list[str]], quiet_loop: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first tab, opened while the fork server is still preparing, is forked when it is
    ready rather than started cold (which would take longer on a busy machine)."""
    cold, forker = scripts
    monkeypatch.setenv("PREPARING", "0.5")  # the tab connects within milliseconds
    server = ClassroomServer(
        cold, host="127.0.0.1", port=8000, title="t", public_url=None, fork_server=forker
    )
    async with TestClient(TestServer(await server.make_app())) as client:
        assert server.forks is not None and not server.forks.ready.is_set()
        ws = await client.ws_connect("/ws")
        report = _report(await _first_words(ws))
        assert server.forks.process is not None and report["ppid"] == server.forks.process.pid
        await ws.close()
        await _until(lambda: not server.tabs)


async def test_exit_status_and_signals_reach_the_child(
    scripts: tuple[str, list[str]], quiet_loop: None
) -> None:
    _, forker = scripts
    forks = ForkServer(forker)
    await forks.start()
    try:
        hung_up = await forks.fork(80, 24, tab_environment(80, 24))
        assert isinstance(hung_up, forking.ForkedProcess)
        hung_up.send_signal(signal.SIGHUP)  # what closing a terminal sends
        assert await asyncio.wait_for(hung_up.wait(), 10) == -signal.SIGHUP
        closed = await forks.fork(80, 24, tab_environment(80, 24))
        assert isinstance(closed, forking.ForkedProcess)
        closed.stdin.close()  # the child returns 3 when its input ends
        assert await asyncio.wait_for(closed.wait(), 10) == 3
    finally:
        await forks.close()
    assert not forks.folder.exists()  # its socket's private folder is gone


async def test_without_a_fork_server_each_tab_starts_its_own(
    scripts: tuple[str, list[str]], quiet_loop: None, capsys: pytest.CaptureFixture[str]
) -> None:
    cold, _ = scripts
    broken = [sys.executable, "-c", "import sys; sys.exit(5)"]
    server = ClassroomServer(
        cold, host="127.0.0.1", port=8000, title="t", public_url=None, fork_server=broken
    )
    async with TestClient(TestServer(await server.make_app())) as client:
        ws = await client.ws_connect("/ws")
        assert (await _first_words(ws)).startswith("cold ")
        await ws.close()
    err = capsys.readouterr().err
    assert "the fork server is not running (it stopped (exit code 5))" in err
    assert "each new tab now starts its own tutor" in err


async def test_a_fork_server_that_dies_leaves_open_tabs_running(
    scripts: tuple[str, list[str]], quiet_loop: None, capsys: pytest.CaptureFixture[str]
) -> None:
    cold, forker = scripts
    server = ClassroomServer(
        cold, host="127.0.0.1", port=8000, title="t", public_url=None, fork_server=forker
    )
    async with TestClient(TestServer(await server.make_app())) as client:
        open_tab = await client.ws_connect("/ws")
        report = _report(await _first_words(open_tab))
        assert server.forks is not None and server.forks.process is not None
        server.forks.process.kill()
        await _until(lambda: server.forks is not None and server.forks.gone)
        os.kill(report["pid"], 0)  # still there: its pipes go straight to the web server
        later = await client.ws_connect("/ws")
        assert (await _first_words(later)).startswith("cold ")
        assert not open_tab.closed
        await open_tab.close()
        await later.close()
        await _until(lambda: not server.tabs)
    assert "the fork server is not running" in capsys.readouterr().err


async def test_a_fork_server_that_served_a_while_is_started_again(
    scripts: tuple[str, list[str]],
    quiet_loop: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cold, forker = scripts
    monkeypatch.setattr(ForkServer, "RESTART_AFTER", 0.0)
    server = ClassroomServer(
        cold, host="127.0.0.1", port=8000, title="t", public_url=None, fork_server=forker
    )
    async with TestClient(TestServer(await server.make_app())) as client:
        forks = server.forks
        assert forks is not None and forks.process is not None
        first = forks.process
        await _until(forks.ready.is_set)
        first.kill()
        await _until(lambda: forks.process is not first and forks.ready.is_set())
        assert forks.process is not None and not forks.gone and forks.restarts == 1
        ws = await client.ws_connect("/ws")
        assert _report(await _first_words(ws))["ppid"] == forks.process.pid
        await ws.close()
        await _until(lambda: not server.tabs)
    assert "the fork server stopped (exit code -9); starting it again" in capsys.readouterr().err


async def test_the_warm_pool_keeps_forked_children(
    scripts: tuple[str, list[str]], quiet_loop: None
) -> None:
    cold, forker = scripts
    server = ClassroomServer(
        cold, host="127.0.0.1", port=8000, title="t", public_url=None, warm=1, fork_server=forker
    )
    async with TestClient(TestServer(await server.make_app())) as client:
        assert server.pool is not None
        pool = server.pool
        await _until(lambda: len(pool.ready) == 1, 30)
        waiting = pool.ready[0]
        assert isinstance(waiting, forking.ForkedProcess)
        ws = await client.ws_connect("/ws")
        report = _report(await _first_words(ws))
        assert report["pid"] == waiting.pid
        assert report["warm"] == "1", "a pool's tutor is told it may warm up"
        second = await client.ws_connect("/ws")  # the pool refills only after a quiet while
        report = _report(await _first_words(second))
        assert report["pid"] != waiting.pid and report["warm"] is None
        await ws.close()
        await second.close()
        await _until(lambda: not server.tabs)


ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[PX^_].*?\x1b\\|\x1b\][^\x07]*\x07|\x1b[@-_]")


class Tab:
    """A browser tab as textual.js is one: the screen as text, keys as `stdin` messages."""

    def __init__(self, ws: ClientWebSocketResponse) -> None:
        self.ws = ws
        self.text = ""

    async def wait_for(self, words: str, seconds: float = 60) -> None:
        async def read() -> None:
            while words not in self.text:
                msg = await self.ws.receive()
                assert isinstance(msg.data, bytes), msg
                self.text += ANSI.sub("", msg.data.decode("utf-8", "replace"))

        await asyncio.wait_for(read(), seconds)

    async def type(self, keys: str) -> None:
        self.text = ""
        await self.ws.send_str(json.dumps(["stdin", keys]))


def _progress_files(data: Path) -> int:
    return len(list((data / "learners").glob("*.json")))


@pytest.mark.slow
async def test_the_tutor_through_the_fork_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quiet_loop: None
) -> None:
    """Two learners: each gets a forked tutor (the fork server's child, same program, no
    exec), the name prompt, the lesson list, and a progress file of their own."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv(settings.SERVE, "1")
    monkeypatch.setenv(settings.DATA_DIR, str(tmp_path))
    server = ClassroomServer(
        serving.served_command(),
        host="127.0.0.1",
        port=8000,
        title="t",
        public_url=None,
        fork_server=serving.fork_server_command(),
    )
    async with TestClient(TestServer(await server.make_app())) as client:
        tabs = []
        for name in ("Ada", "王芳"):
            tab = Tab(await client.ws_connect("/ws?width=100&height=30"))
            await tab.ws.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
            await tab.wait_for("What is your name")
            await tab.type(f"{name}\r")
            tabs.append(tab)
            await _until(lambda: _progress_files(tmp_path) == len(tabs), 60)
        assert server.forks is not None and server.forks.process is not None
        forker = server.forks.process.pid
        children = [s.process for s in server.tabs]
        assert all(isinstance(c, forking.ForkedProcess) for c in children)
        pids = {c.pid for c in children if c is not None}
        assert len(pids) == 2
        for pid in pids:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            assert int(stat[1]) == forker
            assert (
                Path(f"/proc/{pid}/cmdline").read_bytes()
                == Path(f"/proc/{forker}/cmdline").read_bytes()
            )
        files = sorted((tmp_path / "learners").glob("*.json"))
        learners = {json.loads(f.read_text(encoding="utf-8"))["learner"] for f in files}
        assert len(files) == 2 and learners == {"Ada", "王芳"}
        for tab in tabs:
            await tab.ws.close()
        await _until(lambda: not server.tabs, 30)
