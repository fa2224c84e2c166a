"""The web server of `ktutor serve`: textual-serve's `Server`, with the page pointed at the
address the browser used.

textual-serve 1.1.3 builds the page's script, stylesheet and websocket URLs from one fixed
`public_url` (`Server.handle_index`), which defaults to `http://HOST:PORT`: served on 0.0.0.0,
every learner's page would point at `localhost` (their own laptop). `ClassroomServer` keeps
textual-serve's routes, template and websocket handling and only overrides `handle_index`:
without an explicit `--public-url` the URLs come from the request's own Host header (the address
the learner typed), so one server works for every interface it listens on. The page itself is
`TEMPLATES`' copy of textual-serve's, which loads Roboto Mono from textual-serve's own static
folder instead of fonts.googleapis.com: a classroom offline, or behind a firewall that drops
packets to Google, would otherwise wait on that stylesheet; the page asks nothing of any other
host.

With a workshop code (`code=`, see `joining`), `/` shows the code form until the browser holds
the code's cookie, `POST /join` checks a code (slowed per browser and per network, see
`joining`), and `/ws`
refuses a browser without the cookie before any tutor process starts. `/healthz` answers
"ok" for a readiness probe.

The start-up rush: every tab used to start its own `python -m tutor` when it connected, so 40
tabs opened within a second each waited for 40 interpreters importing Textual at once. With
`warm=N` the server keeps N tutor processes started ahead of time, each already showing the
name prompt to nobody (its output waits in the pipe). A connecting tab takes one: it gets the
buffered output (the prompt) at once and its real size right after; the pool refills in the
background, one process at a time, only once no tab has arrived for `WarmPool.QUIET` seconds
and (once a tab has come) while the CPUs are at least half idle, so refilling never competes
with a rush or with learners typing. Beyond N tabs at once, the rest start as without a pool.

The fork server: with `fork_server=` (the default of `ktutor serve`) a tab's tutor is not a new
`python -m tutor` but a fork of one process that has imported and warmed the tutor once
(`forking`, `tutor.app.fork_server`): it starts in milliseconds and shares that process's
memory. The warm pool, when asked for, then keeps forked children. A fork server that stops
after serving a minute is started again; one that fails to start or stops sooner is not, and
tabs start `python -m tutor` as before (the instructor's terminal says so once).

Imported only by `serving.serve` (textual-serve pulls in aiohttp and rich).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import math
import os
import re
import shutil
import signal
import sys
import tempfile
from asyncio.subprocess import Process
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import log, to_int

from tutor import settings
from tutor.classroom import forking, joining
from tutor.classroom.shims import RoutedServer, TabService, idle_service, tab_environment

TEMPLATES = Path(__file__).with_name("templates")
"""Our `app_index.html` (given to textual-serve's public `templates_path`): textual-serve
1.1.3's page with its fonts served locally (tests/classroom/test_classroom_shims.py compares
the two, so an upstream change to the page is carried over by hand)."""

HOST_HEADER = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$")
"""A Host header we are willing to put into the page: a name or address and an optional port
(anything else, e.g. quotes or slashes, falls back to the configured URL)."""


def base_url(host_header: str | None, forwarded_proto: str | None, fallback: str) -> str:
    """`scheme://host[:port]` for a page requested with this Host header: the address the
    browser used, so its scripts and websocket go back to the same place. `X-Forwarded-Proto:
    https` (a TLS-terminating proxy or Ingress in front) gives https/wss. An absent or odd Host
    header gives `fallback`."""
    host = (host_header or "").strip()
    if not host or not HOST_HEADER.match(host):
        return fallback.rstrip("/")
    scheme = "https" if (forwarded_proto or "").strip().lower() == "https" else "http"
    return f"{scheme}://{host}"


def websocket_url(http_url: str) -> str:
    """The ws:// (or wss:// for https) twin of an http(s) URL."""
    scheme, rest = http_url.split(":", 1)
    return ("wss:" if scheme == "https" else "ws:") + rest


class ForkServer:
    """The fork server process (`tutor.app.fork_server`), as the web server sees it: started
    with a tab's environment, ready once it prints `ready`, asked for one child per tab.

    One that stops after it has served a while (killed by the kernel when memory ran out, say)
    is started again: without it every later tab would start cold for the rest of the day. One
    that stops sooner is not, so a fork server that cannot work does not loop."""

    RESTART_AFTER = 60.0
    """Seconds a fork server must have run to be started again when it stops."""

    def __init__(self, command: Sequence[str]) -> None:
        self.command = list(command)
        self.folder = Path(tempfile.mkdtemp(prefix="ktutor-fork-"))  # 0700: only us
        self.path = str(self.folder / "tabs.sock")
        self.process: Process | None = None
        self.ready = asyncio.Event()
        self.gone = False
        self.closing = False
        self.restarts = 0
        self._watch: asyncio.Task[None] | None = None

    async def start(self) -> None:
        env = tab_environment(80, 24)
        self.ready.clear()
        try:
            self.process = await asyncio.create_subprocess_exec(
                *self.command,
                self.path,
                stdin=asyncio.subprocess.PIPE,  # its end tells the fork server we are gone
                stdout=asyncio.subprocess.PIPE,
                env=env,
            )
        except OSError as error:
            self._lost(f"cannot start it: {error}")
            return
        self._watch = asyncio.create_task(self._watch_it(self.process))

    async def _watch_it(self, process: Process) -> None:
        loop = asyncio.get_running_loop()
        began = loop.time()
        assert process.stdout is not None
        line = await process.stdout.readline()
        if line == forking.READY:
            self.ready.set()
        code = await process.wait()
        if self.closing:
            return
        if self.ready.is_set() and loop.time() - began >= self.RESTART_AFTER:
            self.restarts += 1
            print(
                f"ktutor: the fork server stopped (exit code {code}); starting it again "
                "(tabs already open go on)",
                file=sys.stderr,
                flush=True,
            )
            await self.start()
        else:
            self._lost(f"it stopped (exit code {code})")

    def _lost(self, why: str) -> None:
        self.gone = True
        self.ready.set()  # nobody waits for it any more
        print(
            f"ktutor: the fork server is not running ({why}); each new tab now starts its own "
            "tutor, which takes a few seconds",
            file=sys.stderr,
            flush=True,
        )

    async def fork(self, width: int, height: int, env: dict[str, str]) -> Process | None:
        """A child for one tab, or None (then the tab starts its own tutor)."""
        if self.gone:
            return None
        if not self.ready.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.ready.wait(), 60)
        if self.gone or not self.ready.is_set():
            return None
        try:
            process = await forking.fork_tab(self.path, env)
        except OSError as error:
            log.error("the fork server gave no child: %s", error)
            return None
        return process  # type: ignore[return-value]  # a Process as far as AppService goes

    async def close(self) -> None:
        self.closing = True
        process = self.process
        if process is not None and process.returncode is None:
            assert process.stdin is not None
            process.stdin.close()  # the fork server ends; tabs still open keep running
            try:
                await asyncio.wait_for(process.wait(), 5)
            except TimeoutError:
                process.kill()
                await process.wait()
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        shutil.rmtree(self.folder, ignore_errors=True)


class WarmAppService(TabService):
    """textual-serve's per-tab service, given a process started ahead of time or forked.

    Only how the tab's process starts differs (`open_process`); everything else (reading the
    output, relaying keys, stopping) is textual-serve's own. The browser sends its size as soon
    as the socket opens, which repaints a waiting app at the right size."""

    def __init__(
        self,
        command: str,
        *,
        warm: Process | None,
        forks: ForkServer | None = None,
        pooled: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(command, **kw)
        self.warm = warm
        self.forks = forks
        self.pooled = pooled
        """Starting a tutor for the warm pool: a forked one is told so
        (`settings.warm_tutor`) and warms up while it waits."""

    async def open_process(self, width: int, height: int) -> Process | None:
        process, self.warm = self.warm, None
        if process is None and self.forks is not None:
            environment = self.environment(width, height)
            if self.pooled:
                environment[settings.WARM_TUTOR] = "1"
            process = await self.forks.fork(width, height, environment)
        return process

    async def stop(self) -> None:
        """textual-serve's stop, then reap the process (its pipes close with it)."""
        await super().stop()
        process = self.process
        if process is not None and process.returncode is None:
            with contextlib.suppress(asyncio.TimeoutError, ProcessLookupError):
                await asyncio.wait_for(process.wait(), 5)


WARM_SIZE = (120, 40)
"""The terminal size a warm tutor starts with, until its browser sends the real one. A warm
tutor builds the first lesson's screen while it waits (`TutorApp.prebuild`), and that screen
is used only by a tab as wide or as narrow as it (side by side from 100 columns, tabs below):
most browsers are wide (a 1280-pixel window at textual-serve's 16 px font is about 130
columns). The height and the exact width do not matter: the learner's size is laid out when
the screen opens."""


class WarmPool:
    """Tutor processes started ahead of time (see the module docstring)."""

    QUIET = 10.0
    """Seconds without a new tab before the pool refills: the tabs that just took their
    tutors are opening their lessons, and a refill started meanwhile competes with them for
    the CPU (in a rush of 20 on 2 cores, 8 refills ran while the class waited)."""

    IDLE_SHARE = 0.5
    """Once a tab has taken a tutor, no refill starts unless at least this share of the CPUs'
    time was idle over the last second. A refill is a tutor's start, about half a CPU second:
    learners who type meanwhile wait for it (in a class of 40 with 10 typing, the pool
    refilled 6 tutors during the typing, which a 2-core machine felt in every keystroke).
    The first filling does not wait: nobody is there yet, and a machine busy with other work
    would never fill it."""

    def __init__(self, command: str, size: int, forks: ForkServer | None = None) -> None:
        self.command = command
        self.forks = forks
        self.size = max(0, size)
        self.ready: list[Process] = []
        self.starting: Process | None = None
        """The process being started (not yet idle at the prompt)."""
        self._filling: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._closed = False
        self.taken_at = -self.QUIET
        """When a tab last took a tutor (the event loop's clock)."""
        self.served = False
        """A tab has taken a tutor: from then on refills wait for idle CPUs."""

    async def _spawn(self) -> Process:
        """A process exactly as textual-serve starts one (its environment, `WARM_SIZE` until
        the browser sends its size), forked when the fork server runs."""
        spawner = idle_service(
            self.command, WarmAppService, warm=None, forks=self.forks, pooled=True
        )
        return await spawner.spawn(*WARM_SIZE)

    def start(self) -> None:
        if self.size:
            self._filling = asyncio.create_task(self._fill())

    async def _fill(self) -> None:
        """Keep `size` processes ready, starting one at a time, after the previous one has
        shown its first output (so refilling never starts a burst of interpreters), only once
        no tab has arrived for `QUIET` seconds, and (after the first tab) only while the CPUs
        are not busy (`IDLE_SHARE`)."""
        loop = asyncio.get_running_loop()
        while not self._closed:
            self.ready = [p for p in self.ready if p.returncode is None]
            if len(self.ready) >= self.size:
                self._wake.clear()
                await self._wake.wait()
                continue
            since = loop.time() - self.taken_at
            if since < self.QUIET:
                await asyncio.sleep(self.QUIET - since)
                continue
            if self.served and await busy_machine(self.IDLE_SHARE):
                continue
            try:
                self.starting = await self._spawn()
            except OSError as error:
                log.error("cannot start a warm tutor process: %s", error)
                await asyncio.sleep(5)
                continue
            await settled(self.starting.pid)
            self.ready.append(self.starting)
            self.starting = None

    def take(self) -> Process | None:
        """A started process for a new tab, or None (then it starts cold)."""
        self.taken_at = asyncio.get_running_loop().time()
        self.served = True
        while self.ready:
            process = self.ready.pop(0)
            if process.returncode is None:
                self._wake.set()
                return process
        self._wake.set()
        return None

    async def close(self) -> None:
        self._closed = True
        self._wake.set()
        if self._filling is not None:
            self._filling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._filling
        for process in [*self.ready, *([self.starting] if self.starting else [])]:
            kill_tree(process.pid)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(process.wait(), 5)  # reaped, its pipes closed
        self.ready, self.starting = [], None


def tree(pid: int) -> list[int]:
    """A process and its descendants (Linux /proc; elsewhere the process alone)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        with contextlib.suppress(OSError, ValueError):
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
    return out


def kill_tree(pid: int) -> None:
    """Kill a process and its children (a shell's child would keep the pipes open)."""
    for p in reversed(tree(pid)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(p, signal.SIGKILL)


def cpu_state(pid: int) -> tuple[str, int] | None:
    """(states, user + system CPU ticks) of a process and its children (textual-serve starts
    the tutor through a shell) from Linux /proc; None when unknown."""
    states, ticks, todo = "", 0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            states += fields[0]
            ticks += int(fields[11]) + int(fields[12])
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except (OSError, IndexError, ValueError):
            if p == pid:
                return None
    return states, ticks


def cpu_times(stat: str = "/proc/stat") -> tuple[int, int] | None:
    """(idle, total) CPU ticks of the whole machine since boot (Linux), None elsewhere. One
    read of one line: the web server relays every tab, so it must not walk a hundred
    processes' /proc files each second (13 ms a walk)."""
    try:
        with open(stat, encoding="ascii") as f:
            fields = [int(v) for v in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    if len(fields) < 5:
        return None
    return fields[3] + fields[4], sum(fields)  # idle + iowait; user .. steal


def idle_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The share of CPU time that was idle between two `cpu_times` readings."""
    total = after[1] - before[1]
    return (after[0] - before[0]) / total if total > 0 else 1.0


async def busy_machine(idle_wanted: float, seconds: float = 1.0) -> bool:
    """Watch the CPUs for `seconds`: True when less than `idle_wanted` of their time was idle
    (learners are typing or opening lessons). False without /proc (after waiting)."""
    before = cpu_times()
    await asyncio.sleep(seconds)
    after = cpu_times()
    if before is None or after is None:
        return False
    return idle_share(before, after) < idle_wanted


async def settled(pid: int, timeout: float = 60.0) -> None:
    """Wait until a starting process has gone idle: sleeping, its CPU time unchanged, for
    0.3 s (it has imported everything and drawn the name prompt). A process waiting for a
    busy CPU is runnable (`R`), not idle. Without /proc, wait 2 s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last, still = cpu_state(pid), 0
    if last is None:
        await asyncio.sleep(2)
        return
    began = loop.time()
    while loop.time() < deadline and still < 3:
        await asyncio.sleep(0.1)
        now = cpu_state(pid)
        if now is None:
            return  # it exited
        started = now[1] > 0 or loop.time() - began > 1  # not a process yet to be scheduled
        idle = not set(now[0]) - set("SI") and now[1] == last[1] and started
        still = still + 1 if idle else 0
        last = now


class ClassroomServer(RoutedServer):
    """textual-serve's server, with per-request page URLs (see the module docstring).

    `public_url=None` means "the address each browser used"; a given URL (`--public-url`,
    e.g. behind a proxy that rewrites Host) is used as is, as textual-serve does.
    """

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        title: str,
        public_url: str | None,
        code: str | None = None,
        warm: int = 0,
        fork_server: Sequence[str] | None = None,
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            public_url=public_url,
            templates_path=TEMPLATES,
        )
        self.warm = warm
        self.pool: WarmPool | None = None
        self.fork_server_command = fork_server
        """How to start the fork server (its socket's path is added), or None: no forking."""
        self.forks: ForkServer | None = None
        self.tabs: set[WarmAppService] = set()
        """The tabs being served (with a pool), for shutting down cleanly."""
        self.code = code
        self.attempts = joining.Attempts()
        self.fixed_public_url = public_url.rstrip("/") if public_url else None
        if public_url is None and host in ("0.0.0.0", "::", ""):
            self.public_url = f"http://localhost:{port}"  # only for a request without Host
        self.banner: list[str] = []
        """Lines printed once the server listens (the addresses learners can type)."""

    def page_base(self, request: web.Request) -> str:
        if self.fixed_public_url is not None:
            return self.fixed_public_url
        return base_url(
            request.headers.get("Host"),
            request.headers.get("X-Forwarded-Proto"),
            self.public_url,
        )

    def joined(self, request: web.Request) -> bool:
        """True without a code, or when the browser holds the code's cookie."""
        if self.code is None:
            return True
        held = request.cookies.get(joining.COOKIE, "")
        return hmac.compare_digest(held.encode(), joining.join_token(self.code).encode())

    def extra_routes(self) -> list[web.RouteDef]:
        return [
            web.post("/join", self.handle_join, name="join"),
            web.get("/healthz", self.handle_health, name="health"),
        ]

    async def handle_health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def handle_join(self, request: web.Request) -> web.Response:
        """Check a workshop code from the form: the right one sets the cookie and goes back to
        the tutor page; a wrong one shows the form again; a try too soon waits, unchecked."""
        if self.code is None:
            raise web.HTTPSeeOther("/")
        network = joining.network(request.remote)
        browser = joining.browser_id(request.cookies.get(joining.TRY_COOKIE))
        refusal = self.attempts.refusal(network, browser)
        if refusal is not None:
            page = joining.join_page(refusal.message)
            response = web.Response(text=page, status=429, content_type="text/html")
            response.headers["Retry-After"] = str(math.ceil(refusal.seconds))
            return response
        form = await request.post()
        given = form.get("code", "")
        if isinstance(given, str) and joining.same_code(given[: joining.MAX_CODE], self.code):
            self.attempts.succeeded(network, browser)
            found = web.HTTPSeeOther("/")
            found.set_cookie(
                joining.COOKIE,
                joining.join_token(self.code),
                httponly=True,
                samesite="Strict",
                max_age=24 * 3600,
            )
            raise found
        wait = self.attempts.failed(network, browser)
        alarm = self.attempts.alarm(network)
        if alarm is not None:
            print(alarm, file=sys.stderr, flush=True)
        error = "That is not the workshop code. Ask your instructor."
        if wait > 0:
            error += f" You can try again in {math.ceil(wait)} s."
        response = web.Response(text=joining.join_page(error), status=403, content_type="text/html")
        if not browser:
            self.give_browser_id(response)
        return response

    @staticmethod
    def give_browser_id(response: web.StreamResponse) -> None:
        """A random id for a browser without one, so its wrong codes slow only itself."""
        response.set_cookie(
            joining.TRY_COOKIE, joining.new_browser_id(), httponly=True, samesite="Strict"
        )

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's websocket, refused (before a tutor process starts) without the
        workshop code's cookie."""
        if not self.joined(request):
            raise web.HTTPForbidden(text="ktutor: open the page and type the workshop code first\n")
        return await self._websocket(request, self.pool.take() if self.pool else None)

    async def _websocket(self, request: web.Request, warm: Process | None) -> web.WebSocketResponse:
        """textual-serve 1.1.3's `handle_websocket`, with `WarmAppService`: a pooled process, a
        forked one, or (without either) one started as textual-serve would."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app_service: WarmAppService | None = None
        try:
            await websocket.prepare(request)
            app_service = WarmAppService(
                self.command,
                warm=warm,
                forks=self.forks,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            warm = None
            self.tabs.add(app_service)
            await app_service.start(width, height)
            try:
                await self.relay(websocket, app_service)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if warm is not None:  # the socket failed before the process was handed over
                kill_tree(warm.pid)
            if app_service is not None:
                await app_service.stop()
                self.tabs.discard(app_service)
        return websocket

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The code form until the browser has joined, then the tutor page."""
        if not self.joined(request):
            response = web.Response(text=joining.join_page(), content_type="text/html")
            if not joining.browser_id(request.cookies.get(joining.TRY_COOKIE)):
                self.give_browser_id(response)
            return response
        return await self.tutor_page(request)

    @aiohttp_jinja2.template("app_index.html")
    async def tutor_page(self, request: web.Request) -> dict[str, Any]:
        """textual-serve's `handle_index` with the base URL from `page_base(request)`."""
        router = request.app.router
        base = self.page_base(request)

        def get_url(route: str, **args: str) -> str:
            return f"{base}{router[route].url_for(**args)}"

        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": websocket_url(get_url("websocket")),
            "config": {"static": {"url": get_url("static", filename="/").rstrip("/") + "/"}},
            "application": {"name": self.title},
        }

    async def on_startup(self, app: web.Application) -> None:
        """Print our own lines (textual-serve's banner shows the one fixed URL); start the
        fork server and the warm pool."""
        for line in self.banner:
            print(line, file=sys.stderr, flush=True)
        if self.fork_server_command is not None:
            self.forks = ForkServer(self.fork_server_command)
            await self.forks.start()
        if self.warm > 0:
            self.pool = WarmPool(self.command, self.warm, self.forks)
            self.pool.start()

    async def on_shutdown(self, app: web.Application) -> None:
        if self.pool is not None:
            await self.pool.close()
        if self.forks is not None:
            await self.forks.close()
