"""A fork server for `ktutor serve`: one process imports the tutor once, and each browser tab
gets a fork of it.

Why: every tab used to start `python -m tutor`, which imports Textual, the app and the lessons
(about a second of CPU each): 40 tabs opened in the same second queued 40 seconds of CPU on two
cores. A fork of a process that has already imported everything starts in milliseconds, and its
pages (the interpreter, the modules, the parsed lessons) stay shared with the fork server until
one side writes to them, so each tab's own memory is what it changes.

How (Linux and other POSIX systems with Unix sockets):

- `ktutor serve` starts the fork server (`tutor.app.fork_server`), which imports and warms the
  tutor, freezes the garbage collector's view of what it holds (`gc.freeze()`: a collection in a
  child would otherwise write to every object's header and unshare its page), listens on a Unix
  socket in a private folder and prints `ready`.
- For each tab, the web server (`web.ForkedAppService`) makes the three pipes textual-serve would
  give a subprocess, connects to the socket and sends the child's ends (SCM_RIGHTS) with the
  environment textual-serve built for the tab (its size, `TEXTUAL_DRIVER`, ...).
- The fork server forks; the child puts the pipes on its stdin, stdout and stderr, takes that
  environment, closes everything else the fork server held (the listening socket and the other
  tabs' connections), and runs the tutor; the fork server sends the child's pid back, and later
  its exit status (`os.waitstatus_to_exitcode`).
- The web server signals the child directly by its pid (closing a tab, shutting down).
- The fork server ends when the web server goes away (its stdin closes); the running tabs keep
  their pipes and go on. If the fork server is gone, tabs start `python -m tutor` as before.

This module is the standard library only (both sides: the fork server's loop and the web
server's asyncio client); what a child runs is given by the caller.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import selectors
import signal
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path

READY = b"ready\n"
"""The line the fork server prints on its stdout once it accepts tabs."""
MAX_REQUEST = 1 << 20
"""An environment larger than this is refused (a request is the environment, NUL-separated)."""
PID = 4
STATUS = 4


def supported() -> bool:
    """Linux only: where it was built and tested (fork, SCM_RIGHTS, pidfds). macOS forks too,
    but a process that has touched Apple's frameworks must not fork without exec; Windows
    has no fork. Elsewhere `ktutor serve` starts `python -m tutor` per tab."""
    return sys.platform.startswith("linux") and hasattr(socket, "send_fds")


def encode_environment(env: Mapping[str, str]) -> bytes:
    """`KEY=VALUE` pairs, NUL-separated (neither may contain NUL), length first."""
    body = b"\0".join(
        os.fsencode(k) + b"=" + os.fsencode(v) for k, v in env.items() if "\0" not in k + v
    )
    return len(body).to_bytes(4, "big") + body


def decode_environment(body: bytes) -> dict[str, str]:
    env: dict[str, str] = {}
    for item in body.split(b"\0"):
        key, sep, value = item.partition(b"=")
        if sep and key:
            env[os.fsdecode(key)] = os.fsdecode(value)
    return env


# -- the fork server's side ----------------------------------------------------------------------


class ForkServer:
    """Accepts tab requests on a Unix socket and forks a child running `run_child()` for each.

    Single-threaded (`fork` in a process with other threads could copy a held lock): a
    selector waits on the listening socket, on SIGCHLD (through a wake-up socket) and on stdin,
    whose end (the web server is gone) ends the loop."""

    def __init__(self, path: str | Path, run_child: Callable[[], int]) -> None:
        self.path = str(path)
        self.run_child = run_child
        self.children: dict[int, socket.socket] = {}
        """pid -> the connection its exit status goes back on."""

    def serve(self, ready_out: int = 1) -> None:
        """Listen, say `ready` on `ready_out`, and serve until stdin closes or SIGTERM."""
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        listener.bind(self.path)
        listener.listen(socket.SOMAXCONN)
        listener.setblocking(False)
        wake_r, wake_w = socket.socketpair()
        wake_r.setblocking(False)
        wake_w.setblocking(False)
        signal.signal(signal.SIGCHLD, _ignore)  # a Python handler, so that the wake-up fd is used
        signal.signal(signal.SIGTERM, _stop)
        signal.set_wakeup_fd(wake_w.fileno(), warn_on_full_buffer=False)
        selector = selectors.DefaultSelector()
        selector.register(listener, selectors.EVENT_READ, "accept")
        selector.register(wake_r, selectors.EVENT_READ, "wake")
        selector.register(0, selectors.EVENT_READ, "stdin")
        self._private = [listener, wake_r, wake_w]
        self._selector = selector
        os.write(ready_out, READY)
        try:
            while True:
                for key, _ in selector.select():
                    if key.data == "accept":
                        self._accept(listener)
                    elif key.data == "wake":
                        with contextlib.suppress(BlockingIOError):
                            wake_r.recv(4096)
                        self._reap()
                    elif not os.read(0, 4096):
                        return  # stdin closed: the web server is gone
        except _Stopped:
            return
        finally:
            signal.set_wakeup_fd(-1)
            selector.close()
            for s in (listener, wake_r, wake_w):
                s.close()
            with contextlib.suppress(OSError):
                os.unlink(self.path)

    def _accept(self, listener: socket.socket) -> None:
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            return
        try:
            conn.settimeout(5)
            env, fds = _receive(conn)
        except (OSError, ValueError) as error:
            print(f"ktutor fork server: a bad request: {error}", file=sys.stderr, flush=True)
            conn.close()
            return
        try:
            pid = self._fork(conn, env, fds)
        finally:
            for fd in fds:
                os.close(fd)  # the child has its copies: the pipes end when it does
        if pid is None:
            conn.close()
            return
        self.children[pid] = conn
        with contextlib.suppress(OSError):
            conn.sendall(pid.to_bytes(PID, "big"))

    def _fork(self, conn: socket.socket, env: dict[str, str], fds: list[int]) -> int | None:
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError as error:
            print(f"ktutor fork server: cannot fork: {error}", file=sys.stderr, flush=True)
            return None
        if pid:
            return pid
        code = 1
        try:  # the child: never returns into the fork server's loop
            self._become_child(conn, env, fds)
            code = self.run_child()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        except BaseException:
            traceback.print_exc()
        finally:
            with contextlib.suppress(BaseException):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)
        return None  # pragma: no cover

    def _become_child(self, conn: socket.socket, env: dict[str, str], fds: list[int]) -> None:
        """Drop the fork server's handles, take the tab's pipes and environment."""
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGCHLD, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        self._selector.close()
        for s in [*self._private, *self.children.values()]:
            s.close()  # another tab's connection held here would hide that tab's end
        self.children = {}
        conn.detach()  # kept open but unused: the web server sees its end when both are gone
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        fds.clear()
        os.environ.clear()
        os.environ.update(env)

    def _reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.children.pop(pid, None)
            if conn is not None:
                code = os.waitstatus_to_exitcode(status)
                with contextlib.suppress(OSError):
                    conn.sendall(code.to_bytes(STATUS, "big", signed=True))
                conn.close()


class _Stopped(Exception):
    pass


def _ignore(signum: int, frame: object) -> None:
    return None


def _stop(signum: int, frame: object) -> None:
    raise _Stopped


def _receive(conn: socket.socket) -> tuple[dict[str, str], list[int]]:
    """One request: the environment, and the tab's stdin, stdout and stderr."""
    data, fds, _, _ = socket.recv_fds(conn, 65536, 3)
    if len(fds) != 3:
        for fd in fds:
            os.close(fd)
        raise ValueError(f"{len(fds)} file descriptors instead of 3")
    try:
        while len(data) < 4:
            more = conn.recv(65536)
            if not more:
                raise ValueError("the request ended early")
            data += more
        size = int.from_bytes(data[:4], "big")
        if size > MAX_REQUEST:
            raise ValueError(f"a request of {size} bytes")
        while len(data) < 4 + size:
            more = conn.recv(65536)
            if not more:
                raise ValueError("the request ended early")
            data += more
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    return decode_environment(data[4 : 4 + size]), list(fds)


def prepare_to_fork() -> None:
    """What the fork server does once everything is imported: collect, then freeze, so that
    no collection in a child touches (and unshares) the objects it inherited. A thread still
    running would be missing from every child, with whatever lock it held: say so."""
    gc.collect()
    gc.freeze()
    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    if others:
        print(
            f"ktutor fork server: threads still running before forking: {', '.join(others)}",
            file=sys.stderr,
            flush=True,
        )


# -- the web server's side -----------------------------------------------------------------------


class ForkedProcess:
    """A tab's tutor forked by the fork server, looking enough like `asyncio.subprocess.Process`
    for textual-serve's `AppService` (it reads `stdout` and `stderr` and writes `stdin`)."""

    def __init__(
        self,
        pid: int,
        conn: socket.socket,
        stdin: asyncio.StreamWriter,
        stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
    ) -> None:
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.returncode: int | None = None
        self._conn = conn
        self._pidfd: int | None = None
        """A handle on the child itself (Linux): a signal sent through it cannot reach another
        process that got the pid after the fork server reaped the child."""
        with contextlib.suppress(AttributeError, OSError):
            self._pidfd = os.pidfd_open(pid)
        self._waiter = asyncio.ensure_future(self._wait_for_status())

    async def _wait_for_status(self) -> int:
        loop = asyncio.get_running_loop()
        data = b""
        try:
            while len(data) < STATUS:
                more = await loop.sock_recv(self._conn, STATUS - len(data))
                if not more:
                    break
                data += more
        except OSError:
            pass
        finally:
            self._conn.close()
            self.stdin.close()
            if self._pidfd is not None:
                os.close(self._pidfd)
                self._pidfd = None
        # no status: the fork server died, and the child (which holds the connection too) ended
        self.returncode = int.from_bytes(data, "big", signed=True) if len(data) == STATUS else 1
        return self.returncode

    async def wait(self) -> int:
        return await asyncio.shield(self._waiter)

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if self._pidfd is not None:
                    signal.pidfd_send_signal(self._pidfd, signum)
                else:
                    os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


async def fork_tab(path: str, env: Mapping[str, str]) -> ForkedProcess:
    """Ask the fork server at `path` for a child with `env`; its pipes as asyncio streams.
    Raises OSError when the fork server cannot be reached or gives no child."""
    loop = asyncio.get_running_loop()
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    pipes: list[int] = []
    try:
        conn.setblocking(False)
        await loop.sock_connect(conn, path)
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        pipes = [in_r, in_w, out_r, out_w, err_r, err_w]
        request = encode_environment(env)
        sent = socket.send_fds(conn, [request], [in_r, out_w, err_w])
        if sent < len(request):
            await loop.sock_sendall(conn, request[sent:])
        for fd in (in_r, out_w, err_w):
            os.close(fd)
            pipes.remove(fd)
        data = b""
        while len(data) < PID:
            more = await asyncio.wait_for(loop.sock_recv(conn, PID - len(data)), 30)
            if not more:
                raise ConnectionError("the fork server gave no child")
            data += more
        pid = int.from_bytes(data, "big")
        stdout = await _reader(out_r)
        pipes.remove(out_r)
        stderr = await _reader(err_r)
        pipes.remove(err_r)
        stdin = await _writer(in_w)
        pipes.remove(in_w)
    except BaseException:
        conn.close()
        for fd in pipes:
            os.close(fd)
        raise
    return ForkedProcess(pid, conn, stdin, stdout, stderr)


async def _reader(fd: int) -> asyncio.StreamReader:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 16)
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, "rb", buffering=0)
    )
    return reader


async def _writer(fd: int) -> asyncio.StreamWriter:
    loop = asyncio.get_running_loop()
    protocol = asyncio.StreamReaderProtocol(asyncio.StreamReader())
    transport, _ = await loop.connect_write_pipe(lambda: protocol, os.fdopen(fd, "wb", buffering=0))
    return asyncio.StreamWriter(transport, protocol, None, loop)
