"""The served page points its scripts and websocket at the address the browser used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from tutor.classroom.web import ClassroomServer, base_url


@pytest.mark.parametrize(
    ("host", "proto", "expected"),
    [
        ("192.0.2.7:8000", None, "http://192.0.2.7:8000"),
        ("127.0.0.1:8000", None, "http://127.0.0.1:8000"),
        ("[2001:db8::7]:8000", None, "http://[2001:db8::7]:8000"),
        ("workshop.example.org", "https", "https://workshop.example.org"),
        (None, None, "http://localhost:8000"),
        ('evil"><script>', None, "http://localhost:8000"),
        ("a/b", None, "http://localhost:8000"),
    ],
)
def test_base_url(host: str | None, proto: str | None, expected: str) -> None:
    assert base_url(host, proto, "http://localhost:8000/") == expected


async def _page(server: ClassroomServer, headers: dict[str, str]) -> str:
    async with TestClient(TestServer(await server.make_app())) as client:
        response = await client.get("/", headers=headers)
        assert response.status == 200
        return await response.text()


def _urls(page: str) -> tuple[str, str]:
    ws = re.search(r'data-session-websocket-url="([^"]*)"', page)
    script = re.search(r'<script src="([^"]*)textual.js"', page)
    assert ws is not None and script is not None, page[:500]
    return ws.group(1), script.group(1)


async def test_page_follows_the_host_header() -> None:
    server = ClassroomServer("true", host="0.0.0.0", port=8000, title="t", public_url=None)
    page = await _page(server, {"Host": "192.0.2.7:8000"})
    assert _urls(page) == ("ws://192.0.2.7:8000/ws", "http://192.0.2.7:8000/static/js/")
    assert "localhost" not in page
    page = await _page(server, {"Host": "k8s.example.org", "X-Forwarded-Proto": "https"})
    assert _urls(page)[0] == "wss://k8s.example.org/ws"


async def test_the_page_asks_nothing_of_any_other_host() -> None:
    """A classroom offline, or behind a firewall that drops packets, must not wait on a
    stylesheet from fonts.googleapis.com (textual-serve's own page loads one): every address
    the page loads is on the server, and the fonts it names are served."""
    server = ClassroomServer("true", host="0.0.0.0", port=8000, title="t", public_url=None)
    async with TestClient(TestServer(await server.make_app())) as client:
        page = await (await client.get("/", headers={"Host": "192.0.2.7:8000"})).text()
        loaded = re.findall(r'(?:src|href)="([^"]*)"|url\("?([^")]*)"?\)', page)
        urls = [a or b for a, b in loaded]
        assert len(urls) >= 5, urls  # xterm.css, the font, its two faces, textual.js, ...
        assert all(u.startswith("http://192.0.2.7:8000/static/") for u in urls), urls
        assert "googleapis" not in page and "@import" not in page
        fonts = {u.removeprefix("http://192.0.2.7:8000") for u in urls if "/fonts/" in u}
        assert len(fonts) == 2
        for font in fonts:
            response = await client.get(font)
            assert response.status == 200 and len(await response.read()) > 100_000


async def test_explicit_public_url_wins() -> None:
    server = ClassroomServer(
        "true", host="0.0.0.0", port=8000, title="t", public_url="https://k8s.example.org/"
    )
    page = await _page(server, {"Host": "192.0.2.7:8000"})
    assert _urls(page) == ("wss://k8s.example.org/ws", "https://k8s.example.org/static/js/")


async def test_a_workshop_code_guards_the_page_and_the_websocket() -> None:
    server = ClassroomServer(
        "true", host="0.0.0.0", port=8000, title="t", public_url=None, code="probe-4821"
    )
    async with TestClient(TestServer(await server.make_app())) as client:
        page = await (await client.get("/")).text()
        assert "Workshop code" in page and "data-session-websocket-url" not in page
        assert "http" not in page and "src=" not in page  # the form asks no other host either
        ws = await client.get("/ws")
        assert ws.status == 403  # no tutor process for a browser without the code
        wrong = await client.post("/join", data={"code": "pod-0000"}, allow_redirects=False)
        assert wrong.status == 403 and "not the workshop code" in await wrong.text()
        assert "ktutor_join" not in client.session.cookie_jar.filter_cookies(client.make_url("/"))
        right = await client.post("/join", data={"code": " Probe-4821 "}, allow_redirects=False)
        assert right.status == 303 and right.headers["Location"] == "/"
        page = await (await client.get("/")).text()
        assert "data-session-websocket-url" in page
        assert (await client.get("/healthz")).status == 200


async def test_a_browser_that_keeps_giving_wrong_codes_waits_longer_each_time() -> None:
    server = ClassroomServer(
        "true", host="127.0.0.1", port=8000, title="t", public_url=None, code="probe-4821-0937"
    )
    async with TestClient(TestServer(await server.make_app())) as client:
        await client.get("/")  # the form gives the browser its id
        first = await client.post("/join", data={"code": "nope"}, allow_redirects=False)
        assert first.status == 403 and "try again in" not in await first.text()
        second = await client.post("/join", data={"code": "nope"}, allow_redirects=False)
        assert second.status == 403 and "You can try again in 1 s." in await second.text()
        # too soon: refused without being checked, even the right code
        soon = await client.post("/join", data={"code": "probe-4821-0937"}, allow_redirects=False)
        assert soon.status == 429 and soon.headers["Retry-After"] == "1"
        assert "after a wrong code" in await soon.text()
        # another learner on the same address is not slowed by it
        client.session.cookie_jar.clear()
        await client.get("/")
        other = await client.post("/join", data={"code": "probe-4821-0937"}, allow_redirects=False)
        assert other.status == 303


async def test_a_classroom_behind_one_address_is_never_locked_out_by_typos() -> None:
    """Twenty learners behind one NAT address mistype twice each (40 wrong codes; the limit
    used to be 5 per address, after which even the right code waited a minute): the next
    learner's right code gets in."""
    server = ClassroomServer(
        "true", host="127.0.0.1", port=8000, title="t", public_url=None, code="probe-4821-0937"
    )
    async with TestClient(TestServer(await server.make_app())) as client:
        for _ in range(20):
            client.session.cookie_jar.clear()
            await client.get("/")
            for _ in range(2):
                r = await client.post("/join", data={"code": "probe-4821-0973"})
                assert r.status == 403
        client.session.cookie_jar.clear()
        await client.get("/")
        right = await client.post("/join", data={"code": "Probe-4821-0937"}, allow_redirects=False)
        assert right.status == 303


async def test_a_network_that_spent_its_budget_waits_seconds_not_minutes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = ClassroomServer(
        "true", host="127.0.0.1", port=8000, title="t", public_url=None, code="probe-4821-0937"
    )
    server.attempts.BURST = 3
    clock = [1000.0]
    server.attempts.clock = lambda: clock[0]
    async with TestClient(TestServer(await server.make_app())) as client:
        for _ in range(3):  # three learners, a wrong code each
            client.session.cookie_jar.clear()
            await client.get("/")
            assert (await client.post("/join", data={"code": "nope"})).status == 403
        client.session.cookie_jar.clear()
        await client.get("/")
        r = await client.post("/join", data={"code": "probe-4821-0937"}, allow_redirects=False)
        assert r.status == 429 and "from your network" in await r.text()
        told = capsys.readouterr().err
        assert "127.0.0.1 gave 3 wrong workshop codes" in told and told.count("\n") == 1
        assert r.headers["Retry-After"] == "10"
        clock[0] += 10.0  # one wrong code regained (REFILL): the right code is checked
        r = await client.post("/join", data={"code": "probe-4821-0937"}, allow_redirects=False)
        assert r.status == 303


def test_attempts_per_browser() -> None:
    from tutor.classroom.joining import Attempts

    attempts = Attempts()
    delays = [attempts.failed("net", "b1", now=100.0 * i) for i in range(9)]
    assert delays == [0, 1, 2, 4, 8, 15, 30, 30, 30]
    assert attempts.refusal("net", "b1", now=810) is not None  # 30 s after the last one
    assert attempts.refusal("net", "b1", now=830) is None
    assert attempts.refusal("net", "b2", now=810) is None  # another browser
    assert attempts.failed("net", "b1", now=830 + Attempts.FORGET) == 0  # forgotten: anew
    attempts.failed("net", "b1", now=2000)
    assert attempts.refusal("net", "b1", now=2000.5) is not None
    attempts.succeeded("net", "b1")
    assert attempts.refusal("net", "b1", now=2000.5) is None


def test_attempts_per_network() -> None:
    from tutor.classroom.joining import Attempts

    attempts = Attempts()
    for i in range(Attempts.BURST):
        assert attempts.refusal("net", f"learner{i}", now=0) is None
        attempts.failed("net", f"learner{i}", now=0)
    refusal = attempts.refusal("net", "late", now=0)
    assert refusal is not None and refusal.seconds == Attempts.REFILL
    assert attempts.refusal("other", "late", now=0) is None  # another network
    assert attempts.refusal("net", "late", now=Attempts.REFILL) is None
    attempts.failed("net", "late", now=Attempts.REFILL)
    assert attempts.refusal("net", "later", now=Attempts.REFILL) is not None
    assert attempts.alarm("net", now=Attempts.REFILL) is not None  # told once,
    assert attempts.alarm("net", now=Attempts.REFILL + 1) is None  # not at every try
    assert attempts.alarm("other", now=Attempts.REFILL) is None
    # an hour later the budget is whole again, and no more
    assert attempts.refusal("net", "x", now=3600) is None
    assert attempts._left("net", 3600) == Attempts.BURST


def test_attempts_memory_is_bounded() -> None:
    from tutor.classroom.joining import Attempts

    attempts = Attempts()
    for i in range(3 * Attempts.MAX_ENTRIES):
        attempts.failed(f"net{i}", "b", now=float(i))
    assert len(attempts._networks) <= Attempts.MAX_ENTRIES
    assert len(attempts._browsers) <= Attempts.MAX_ENTRIES
    assert "net29999" in attempts._networks  # the newest are kept


@pytest.mark.parametrize(
    ("remote", "network"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2::7", "2001:db8:1::/48"),
        ("2001:db8:1:ffff::9", "2001:db8:1::/48"),  # the same site: the same budget
        ("fe80::1%eth0", "fe80::/48"),
        (None, "?"),
        ("odd", "odd"),
    ],
)
def test_network(remote: str | None, network: str) -> None:
    from tutor.classroom.joining import network as network_of

    assert network_of(remote) == network


def test_generated_codes_are_valid() -> None:
    from tutor.classroom.joining import code_problem, generate_code, join_token

    codes = {generate_code() for _ in range(20)}
    assert len(codes) > 1 and all(code_problem(c) is None for c in codes)
    assert all(re.fullmatch(r"[a-z]+-[0-9]{4}-[0-9]{4}", c) for c in codes), codes
    assert join_token("pod-1") != join_token("pod-2") and "pod" not in join_token("pod-1")


FAKE_APP = r"""
import os, sys, time
out = sys.stdout.buffer
out.write(b"__GANGLION__\n")
msg = ("hello from %d" % os.getpid()).encode()
out.write(b"D" + len(msg).to_bytes(4, "big") + msg)
out.flush()
sys.stdin.buffer.read(1)  # until the server says anything (quit) or closes
"""


async def test_warm_processes_answer_at_once_and_the_pool_refills(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio
    import shlex
    import sys

    from tutor.classroom import web
    from tutor.classroom.web import WarmPool

    monkeypatch.setattr(WarmPool, "QUIET", 1.5)
    monkeypatch.setattr(WarmPool, "IDLE_SHARE", 0.0)  # the test machine's own load aside
    real_busy = web.busy_machine  # which it watches over 50 ms instead of a second
    monkeypatch.setattr(web, "busy_machine", lambda share: real_busy(share, 0.05))

    script = tmp_path / "fake_app.py"
    script.write_text(FAKE_APP)
    command = shlex.join([sys.executable, str(script)])
    server = ClassroomServer(
        command, host="127.0.0.1", port=8000, title="t", public_url=None, warm=2
    )
    async with TestClient(TestServer(await server.make_app())) as client:
        pool = server.pool
        assert pool is not None
        for _ in range(100):
            if len(pool.ready) == 2:
                break
            await asyncio.sleep(0.1)
        assert len(pool.ready) == 2
        warm_pids = {p.pid for p in pool.ready}
        ws = await client.ws_connect("/ws?width=100&height=30")
        msg = await asyncio.wait_for(ws.receive(), 5)
        assert msg.data.startswith(b"hello from ")
        await asyncio.sleep(0.5)  # while tabs arrive, the pool does not compete with them
        assert len(pool.ready) == 1 and pool.starting is None
        for _ in range(100):  # then it starts a replacement
            if len(pool.ready) == 2 and {p.pid for p in pool.ready} != warm_pids:
                break
            await asyncio.sleep(0.1)
        assert len(pool.ready) == 2 and len({p.pid for p in pool.ready} & warm_pids) == 1
        await ws.close()
        for _ in range(50):  # the tab's process quits and is reaped with its pipes
            await asyncio.sleep(0.1)
            if not server.tabs:
                break
        assert not server.tabs
    # asyncio closes a finished subprocess's transport only when it is collected: do it while
    # the loop still runs (textual-serve never closes them either)
    import gc
    import warnings

    del server, pool, ws, msg
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.mark.parametrize(
    ("line", "idle"),
    [
        ("cpu  100 0 100 800 0 0 0 0 0 0", (800, 1000)),
        ("cpu  100 5 100 700 100 0 0 0 0 0", (800, 1005)),  # iowait is idle too
        ("cpu  1 2", None),
        ("intr 5", None),
    ],
)
def test_cpu_times_read_the_machine_line(
    tmp_path: Path, line: str, idle: tuple[int, int] | None
) -> None:
    from tutor.classroom.web import cpu_times

    stat = tmp_path / "stat"
    stat.write_text(line + "\ncpu0 1 1 1 1 1 1 1 1\n")
    assert cpu_times(str(stat)) == idle
    assert cpu_times(str(tmp_path / "missing")) is None


def test_idle_share() -> None:
    from tutor.classroom.web import idle_share

    assert idle_share((100, 1000), (150, 1200)) == 0.25
    assert idle_share((100, 1000), (100, 1000)) == 1.0  # no time passed: not busy


async def test_refills_wait_for_idle_cpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first filling goes ahead on a busy machine (nobody is there yet); once a tab has
    taken a tutor, the pool starts no other while the CPUs are less than half idle."""
    import asyncio
    import shlex
    import sys

    from tutor.classroom import web

    idle = {"share": 0.2}
    ticks = {"idle": 0, "total": 0}

    def fake_times(stat: str = "") -> tuple[int, int]:
        ticks["total"] += 100
        ticks["idle"] += int(100 * idle["share"])
        return ticks["idle"], ticks["total"]

    monkeypatch.setattr(web, "cpu_times", fake_times)
    monkeypatch.setattr(web.WarmPool, "QUIET", 0.0)
    real_busy = web.busy_machine
    monkeypatch.setattr(web, "busy_machine", lambda share: real_busy(share, 0.05))
    script = tmp_path / "fake_app.py"
    script.write_text(FAKE_APP)
    pool = web.WarmPool(shlex.join([sys.executable, str(script)]), 1)
    pool.start()
    taken = None
    try:
        for _ in range(100):
            if pool.ready:
                break
            await asyncio.sleep(0.1)
        assert len(pool.ready) == 1, "the first filling waits for nothing"
        taken = pool.take()
        await asyncio.sleep(1.0)
        assert not pool.ready and pool.starting is None, "refilled while the CPUs were busy"
        idle["share"] = 0.9
        for _ in range(100):
            if pool.ready:
                break
            await asyncio.sleep(0.1)
        assert len(pool.ready) == 1
    finally:
        await pool.close()
        if taken is not None:
            web.kill_tree(taken.pid)
            await taken.wait()
