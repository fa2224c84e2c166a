"""Workshop capacity: `python benchmarks/serve.py` drives simulated learners against `ktutor serve`.

The issue's scenarios (#14), best run on a quiet machine (the load average is printed with
every figure: on a shared machine the figures say more about the neighbours):

    python benchmarks/serve.py           # the issue's scenario: 100 learners, the first 40
                                         # within 1 s (ktutor serve --warm 40), then 10 type
    python benchmarks/serve.py --learners 40 --typing 0            # the 40-tab rush alone
    python benchmarks/serve.py --learners 40 --typing 0 --warm 0   # the rush, no warm pool
    python benchmarks/serve.py --learners 20 --rush 20 --typing 5 --warm 20  # a quick look
    python benchmarks/serve.py --no-fork                # a `python -m tutor` per tab
    python benchmarks/serve.py --size 150x45            # tabs of another size than the
                                                        # warm tutors' (120x40)

Goals on a 2-core machine: every rush tab shows the name prompt within 3 s and a lesson within
5 s; keystroke -> frame p95 < 150 ms with 100 connected and 10 typing; < 40 MB PSS per learner.

No browser: each learner speaks textual-serve's websocket protocol as textual.js does (the
`resize` message on open, keys as `["stdin", text]`, the screen as terminal output), reads the
screen by stripping the escape sequences, and does what a learner does:

1. the rush: `--rush` tabs open within one second; each answers the name prompt and opens
   lesson 1 (time to the prompt, time to the lesson's first step; goal: all within 3 s and 5 s)
   once the lesson list has replaced the prompt (whole frames: the learner answers Textual's
   synchronized-output query as a terminal does); and the CPU each warm tutor the rush took
   used from its learner's arrival to lesson 1 (`rush cpu`), after waiting for the pool's
   tutors to finish warming up (each builds lesson 1's screen while it waits);
2. the rest of `--learners` join, a few per second, and open lesson 1 too; then the CPU each
   tutor used to get there (`joining`), and what the whole class uses while nobody types
   (`idle`, over 3 s);
3. `--typing` of them type in the YAML editor (a `Q` and its Backspace, 3 keys a second each)
   and send a request (Ctrl+T) every few seconds, for `--seconds`: keystroke to the first
   frame that shows the `Q` (goal: p95 < 150 ms), and the CPU time per key (`typing cpu`:
   the busiest tutors' CPU over the keys they were sent; CPU seconds do not depend on what
   else the machine runs, so they size a class on a shared machine too);
4. memory: the proportional set size (PSS, shared pages split among the processes that share
   them, from /proc/PID/smaps_rollup) of every tab's tutor, the warm ones waiting, the fork
   server and the web server, divided by the number of learners (goal: < 40 MB), and by the
   number of tutor processes; and the CPU time each tab's tutor used to get there.

Everything talks to 127.0.0.1 only, is bounded in time, and stops the server it started.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[PX^_].*?\x1b\\|\x1b\][^\x07]*\x07|\x1b[@-_]")
PROMPT = "What is your name"
SYNC_QUERY = "\x1b[?2026$p"
"""Textual asks whether the terminal draws a frame at once (synchronized output)..."""
SYNC_SUPPORTED = "\x1b[?2026;2$y"
"""...and a terminal that does answers so; each frame then comes between these:"""
SYNC_FRAME = "\x1b\\[\\?2026h(.*?)\x1b\\[\\?2026l"
F3 = "\x1bOR"
CTRL_T = "\x14"
BACKSPACE = "\x7f"


def plain(data: bytes) -> str:
    """Terminal output without its escape sequences (what a screen would show, in order)."""
    return ANSI.sub("", data.decode("utf-8", "replace"))


@dataclass
class Learner:
    n: int
    url: str
    size: tuple[int, int] = (120, 40)
    """The browser tab's terminal (columns, rows)."""
    started: float = 0.0
    prompt: float | None = None
    listed: float | None = None
    lesson: float | None = None
    latencies: list[float] = field(default_factory=list)
    error: str = ""
    text: str = ""
    raw: str = ""
    """The output as sent (escape sequences kept), for whole frames."""
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    ws: aiohttp.ClientWebSocketResponse | None = None
    keys: int = 0
    """Key messages sent (each a keystroke the tutor handles)."""

    async def _reader(self) -> None:
        assert self.ws is not None
        async for msg in self.ws:
            if msg.type == aiohttp.WSMsgType.BINARY:
                raw = msg.data.decode("utf-8", "replace")
                if SYNC_QUERY in raw:  # as a terminal does: frames then come whole, marked
                    await self.ws.send_str(json.dumps(["stdin", SYNC_SUPPORTED]))
                self.raw = (self.raw + raw)[-200000:]
                self.text = (self.text + ANSI.sub("", raw))[-20000:]
                self.changed.set()
            elif msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break

    async def wait_for(self, needle: str, timeout: float) -> float:
        """Seconds until `needle` appears in the output from now on (or in what came before)."""
        start = time.monotonic()
        while needle not in self.text:
            await self._next_change(
                start,
                timeout,
                lambda: (
                    f"no {needle!r} within {timeout:.0f} s; the screen's last text: "
                    f"{' '.join(self.text[-300:].split())!r}"
                ),
            )
        return time.monotonic() - start

    async def _next_change(self, start: float, timeout: float, why: Callable[[], str]) -> None:
        """Until the output changes, or TimeoutError saying `why()` once `timeout` seconds
        have passed since `start`."""
        self.changed.clear()
        left = timeout - (time.monotonic() - start)
        try:
            if left <= 0:
                raise TimeoutError
            await asyncio.wait_for(self.changed.wait(), left)
        except TimeoutError:
            raise TimeoutError(why()) from None

    async def wait_for_frame(self, needle: str, without: str, timeout: float) -> None:
        """Until a whole frame drawn since `raw` was emptied shows `needle` and not
        `without` (the lesson list once the name prompt is gone: a warm tutor draws the
        list behind the prompt too)."""
        start = time.monotonic()
        while True:
            for frame in re.findall(SYNC_FRAME, self.raw, re.DOTALL):
                shown = ANSI.sub("", frame)
                if needle in shown and without not in shown:
                    return
            await self._next_change(
                start,
                timeout,
                lambda: f"no frame with {needle!r} and without {without!r} within {timeout:.0f} s",
            )

    async def send(self, keys: str) -> None:
        assert self.ws is not None
        await self.ws.send_str(json.dumps(["stdin", keys]))
        self.keys += 1

    async def join(self, session: aiohttp.ClientSession, lesson_title: str) -> None:
        """Open the page's websocket, give a name, open lesson 1."""
        self.started = time.monotonic()
        try:
            width, height = self.size
            self.ws = await session.ws_connect(
                f"{self.url}?width={width}&height={height}", heartbeat=30
            )
            await self.ws.send_str(json.dumps(["resize", {"width": width, "height": height}]))
            self.reader = asyncio.create_task(self._reader())
            await self.wait_for(PROMPT, 60)
            self.prompt = time.monotonic() - self.started
            self.text = self.raw = ""
            await self.send(f"learner-{self.n:03d}\r")
            await self.wait_for_frame(lesson_title, PROMPT, 60)
            self.listed = time.monotonic() - self.started
            self.text = ""
            await self.send("\r")
            await self.wait_for("step 1 of", 60)
            self.lesson = time.monotonic() - self.started
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            self.error = str(exc) or type(exc).__name__

    async def type_for(self, seconds: float) -> None:
        """Type `Q` + Backspace into the editor, ~3 keys a second, a request every 4 s."""
        try:
            await self._type_for(seconds)
        except (aiohttp.ClientError, OSError) as exc:
            self.error = f"while typing: {exc}"

    async def _type_for(self, seconds: float) -> None:
        await self.send(F3)
        await asyncio.sleep(0.5)
        end = time.monotonic() + seconds
        sent = 0
        while time.monotonic() < end:
            self.text = ""
            t0 = time.monotonic()
            await self.send("Q")
            try:
                await self.wait_for("Q", 5)
                self.latencies.append(time.monotonic() - t0)
            except TimeoutError:
                self.latencies.append(5.0)
            await asyncio.sleep(0.3)
            await self.send(BACKSPACE)
            await asyncio.sleep(0.3)
            sent += 1
            if sent % 6 == 0:
                await self.send(CTRL_T)
                await asyncio.sleep(0.3)


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in children.get(p, []):
            out.append(c)
            todo.append(c)
    return out


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def ppid_of(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (not its children)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def processes(server: int) -> tuple[list[int], list[int]]:
    """(the tabs' tutor processes, the fork server) under the web server: tutors started as
    `python -m tutor` (not the shells that start them) and the fork server's children."""
    tabs: list[int] = []
    forkers: list[int] = []
    for pid in descendants(server):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"tutor.app.fork_server" in cmd:
            (forkers if ppid_of(pid) == server else tabs).append(pid)
        elif b"-m" in cmd and b"tutor" in cmd and b"serve" not in cmd:
            tabs.append(pid)
    return tabs, forkers


def tutor_pids(server: int) -> list[int]:
    return processes(server)[0]


async def settle_pool(server: int, timeout: float) -> None:
    """Wait until the tutors started ahead of time are done warming up (each builds lesson
    1's screen while it waits): their CPU time unchanged over 1.5 s."""
    last: list[float] | None = None
    still = 0
    deadline = time.monotonic() + timeout
    while still < 3 and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        now = [cpu_seconds(p) for p in tutor_pids(server)]
        still = still + 1 if now == last else 0
        last = now
    if still < 3:
        print(f"the warm tutors were still busy after {timeout:.0f} s", flush=True)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} {five:.1f} {fifteen:.1f} ({os.cpu_count()} cores)"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def free_port(start: int, end: int) -> int:
    for port in range(start, end):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {start}-{end}")


async def run(args: argparse.Namespace) -> int:
    from tutor.course.loader import load_lessons

    lesson_title = load_lessons(use_env=False).lessons[0].title
    port = args.port or free_port(18750, 18799)
    data = Path(tempfile.mkdtemp(prefix="ktutor-bench-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("KTUTOR_SERVE", None)
    log = data / "serve.log"
    command = [sys.executable, "-m", "tutor", "serve", "--port", str(port)]
    command += ["--data-dir", str(data), "--warm", str(args.warm)]
    command += [] if args.fork else ["--no-fork"]
    with log.open("wb") as out:
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    print(f"before: {load()}", flush=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("ktutor serve did not start", file=sys.stderr)
                    return 1
                await asyncio.sleep(0.2)
        # let the fork server get ready and the warm pool fill (one process at a time)
        # before the class arrives
        t0 = time.monotonic()
        while args.fork and b"fork server: ready" not in log.read_bytes():
            if time.monotonic() - t0 > 60:
                print("the fork server was not ready after 60 s", flush=True)
                break
            await asyncio.sleep(0.2)
        while len(tutor_pids(server.pid)) < args.warm and time.monotonic() - t0 < 5 + 3 * args.warm:
            await asyncio.sleep(0.5)
        await settle_pool(server.pid, 30 + args.warm)
        warm = {p: cpu_seconds(p) for p in tutor_pids(server.pid)}
        print(
            f"server on port {port}, {'fork server, ' if args.fork else ''}"
            f"{len(warm)} warm processes after {time.monotonic() - t0:.0f} s, each had used "
            f"{pct(list(warm.values()), 0.5):.2f} CPU s (p50) before its learner came",
            flush=True,
        )
        url = f"ws://127.0.0.1:{port}/ws"
        learners = [Learner(i, url, args.size) for i in range(args.learners)]
        timeout = aiohttp.ClientTimeout(total=None)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            rush = learners[: args.rush]
            tasks = []
            for learner in rush:  # all within one second
                tasks.append(asyncio.create_task(learner.join(session, lesson_title)))
                await asyncio.sleep(1.0 / max(1, len(rush)))
            await asyncio.wait_for(asyncio.gather(*tasks), 120)
            prompts = [x.prompt for x in rush if x.prompt is not None]
            lessons = [x.lesson for x in rush if x.lesson is not None]
            listed = [x.listed for x in rush if x.listed is not None]
            failed = [x for x in rush if x.error]
            print(
                f"rush: {len(rush)} tabs in 1 s: name prompt max {max(prompts, default=0):.2f} s "
                f"(p50 {pct(prompts, 0.5):.2f}), list max {max(listed, default=0):.2f} s, "
                f"lesson max {max(lessons, default=0):.2f} s "
                f"(p50 {pct(lessons, 0.5):.2f}), {len(failed)} failed; {load()}",
                flush=True,
            )
            for x in failed[:3]:
                print(f"  learner {x.n}: {x.error}", flush=True)
            await asyncio.sleep(1)  # the last lessons' settling frames
            arrived = sorted((cpu_seconds(p) - c for p, c in warm.items()), reverse=True)
            arrived = arrived[: len(rush)]  # the warm tutors the rush took
            if arrived:
                print(
                    f"rush cpu: from arrival to lesson 1, each warm tutor taken used "
                    f"{pct(arrived, 0.5):.2f} CPU s (p50), {max(arrived):.2f} (max); "
                    f"{len(rush)} x p50 / {os.cpu_count()} cores = "
                    f"{len(rush) * pct(arrived, 0.5) / (os.cpu_count() or 1):.1f} s of the "
                    "machine's time",
                    flush=True,
                )
            rest = learners[args.rush :]
            tasks = []
            for learner in rest:
                tasks.append(asyncio.create_task(learner.join(session, lesson_title)))
                await asyncio.sleep(1.0 / args.join_rate)
            await asyncio.wait_for(asyncio.gather(*tasks), 60 + len(rest))
            joined = [x for x in learners if x.lesson is not None]
            print(f"joined: {len(joined)} of {len(learners)} learners in a lesson", flush=True)
            for x in [x for x in rest if x.error][:3]:
                print(f"  learner {x.n}: {x.error}", flush=True)
            tabs_now = processes(server.pid)[0]
            joining = [cpu_seconds(p) for p in tabs_now]
            print(
                f"joining: each tutor had used {pct(joining, 0.5):.2f} s of CPU (p50), "
                f"{max(joining, default=0):.2f} s (max) by now: fork, name prompt, list, "
                "lesson 1 open (a warm tutor's part before its tab came included)",
                flush=True,
            )
            await asyncio.sleep(2)  # the last lessons' opening frames
            idle_from = {p: cpu_seconds(p) for p in tabs_now}
            idle_began, web_from = time.monotonic(), cpu_seconds(server.pid)
            await asyncio.sleep(3)
            idle_cpu = sum(cpu_seconds(p) - c for p, c in idle_from.items())
            idle_cpu += cpu_seconds(server.pid) - web_from
            idle_span = time.monotonic() - idle_began
            print(
                f"idle: {len(joined)} learners in a lesson, nobody typing: tutors and web server "
                f"used {idle_cpu / idle_span:.3f} CPU s per second in all",
                flush=True,
            )
            typists = joined[: args.typing]
            for x in typists:
                x.keys = 0
            type_from = {p: cpu_seconds(p) for p in processes(server.pid)[0]}
            web_from = cpu_seconds(server.pid)
            await asyncio.wait_for(
                asyncio.gather(*(x.type_for(args.seconds) for x in typists)), args.seconds + 60
            )
            used = sorted(
                (cpu_seconds(p) - type_from.get(p, 0.0) for p in processes(server.pid)[0]),
                reverse=True,
            )
            keys = sum(x.keys for x in typists)
            typing_cpu = sum(used[: len(typists)])
            print(
                f"typing cpu: the {len(typists)} busiest tutors used {typing_cpu:.1f} s for "
                f"{keys} keys ({1000 * typing_cpu / max(1, keys):.0f} ms per key; "
                f"{keys / max(1, len(typists)) / args.seconds:.1f} keys a second each), the other "
                f"{max(0, len(used) - len(typists))} tutors {sum(used[len(typists) :]):.1f} s "
                f"(warm ones started meanwhile included), the web server "
                f"{cpu_seconds(server.pid) - web_from:.1f} s, over {args.seconds:.0f} s",
                flush=True,
            )
            lat = [v * 1000 for x in typists for v in x.latencies]
            for x in [x for x in typists if x.error][:3]:
                print(f"  learner {x.n}: {x.error}", flush=True)
            pids, forkers = processes(server.pid)
            tabs = sum(pss_kb(p) for p in pids)
            forker = sum(pss_kb(p) for p in forkers)
            own = pss_kb(server.pid)
            spare = max(0, len(pids) - len(joined))
            everything = (tabs + forker + own) / 1024
            per = everything / max(1, len(pids))
            per_learner = everything / max(1, len(joined))
            cpu = [cpu_seconds(p) for p in pids]
            print(
                f"typing: {len(typists)} learners, {len(lat)} keystrokes: keystroke -> frame "
                f"p50 {pct(lat, 0.5):.0f} ms, p95 {pct(lat, 0.95):.0f} ms, "
                f"max {max(lat, default=0):.0f} ms; {load()}",
                flush=True,
            )
            print(
                f"memory: {len(pids)} tutor processes ({len(joined)} learners + {spare} warm): "
                f"PSS {tabs / 1024:.0f} MB + fork server {forker / 1024:.0f} MB + web server "
                f"{own / 1024:.0f} MB = {per_learner:.1f} MB per learner (all of it, warm "
                f"tutors included), {per:.1f} MB per tutor process (a tutor's own: "
                f"{tabs / 1024 / max(1, len(pids)):.1f} MB)",
                flush=True,
            )
            print(
                f"cpu: each tab's tutor used {pct(cpu, 0.5):.2f} s (p50), "
                f"{max(cpu, default=0):.2f} s (max) up to now; the web server "
                f"{cpu_seconds(server.pid):.1f} s, the fork server "
                f"{sum(cpu_seconds(p) for p in forkers):.1f} s",
                flush=True,
            )
            for x in learners:
                if x.ws is not None:
                    await x.ws.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(data, ignore_errors=True)
    return 0


def size(text: str) -> tuple[int, int]:
    columns, _, rows = text.lower().partition("x")
    try:
        return int(columns), int(rows)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not COLSxROWS (e.g. 150x45)") from None


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, default=100, help="tabs in all (default 100)")
    parser.add_argument(
        "--rush", type=int, default=40, help="tabs opened within the first second (default 40)"
    )
    parser.add_argument(
        "--typing", type=int, default=10, help="learners who then type (default 10)"
    )
    parser.add_argument(
        "--warm",
        type=int,
        default=40,
        help="ktutor serve --warm: tutors waiting at the name prompt (default 40, the rush)",
    )
    parser.add_argument(
        "--no-fork",
        dest="fork",
        action="store_false",
        help="ktutor serve --no-fork: a `python -m tutor` per tab",
    )
    parser.add_argument("--seconds", type=float, default=30, help="how long the typists type")
    parser.add_argument("--join-rate", type=float, default=5, help="later tabs per second")
    parser.add_argument("--port", type=int, default=0, help="default: free one in 18750-18799")
    parser.add_argument(
        "--size",
        type=size,
        default=(120, 40),
        metavar="COLSxROWS",
        help="each tab's terminal size (default 120x40: the size warm tutors start at, so "
        "lesson 1's prebuilt screen is already laid out; 150x45 shows a tab of another size)",
    )
    args = parser.parse_args()
    args.rush = min(args.rush, args.learners)
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
