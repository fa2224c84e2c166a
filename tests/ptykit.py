"""A real `ktutor` in a pseudo-terminal, for the tests only a terminal can show (signals, bytes
that are not UTF-8, bracketed pastes). Shared by tests/robustness and tests/app."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]")
"""A control sequence (colour, cursor move): a text on screen may hold some between its letters."""


def set_size(fd: int, cols: int, rows: int) -> None:
    """Give the pseudo-terminal a size; on a change the kernel sends SIGWINCH to the app, as
    when a terminal window is resized."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Terminal:
    """`ktutor ARGS` in a pseudo-terminal, its output drained as it comes."""

    def __init__(self, data: Path, args: list[str], cols: int = 80, rows: int = 24) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
        env.update(TERM="xterm-256color", KTUTOR_DATA_DIR=str(data), PYTHONPATH=str(ROOT))
        env.pop("KTUTOR_LESSONS", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - the child
            try:
                os.chdir(ROOT)
                os.execve(sys.executable, [sys.executable, "-m", "tutor", *args], env)
            finally:
                os._exit(127)
        set_size(self.fd, cols, rows)
        self.out = bytearray()
        self.status: int | None = None

    def read(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError as exc:
                if exc.errno == errno.EIO:
                    return
                raise
            if not chunk:
                return
            self.out += chunk

    def settle(self, quiet: float = 0.25, seconds: float = 10) -> None:
        """Read until the app has drawn nothing for `quiet` seconds: what a key or a start
        caused is on screen (at most `seconds`)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            before = len(self.out)
            self.read(quiet)
            if len(self.out) == before:
                return

    def read_some(self, seconds: float) -> bool:
        """Read what the app writes next: return after its first chunk, or after `seconds`.
        False once the app has closed the terminal (it ended)."""
        ready, _, _ = select.select([self.fd], [], [], seconds)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError as exc:
            if exc.errno == errno.EIO:
                return False
            raise
        self.out += chunk
        return bool(chunk)

    def shown(self, since: int = 0) -> bytes:
        """What the app wrote after byte `since`, its control sequences left out."""
        return CSI.sub(b"", bytes(self.out[since:]))

    def wait_for(self, text: bytes, seconds: float = 60, since: int = 0) -> None:
        """Wait until the app has written `text` (after byte `since`: what a key caused)."""
        deadline = time.monotonic() + seconds
        while text not in self.shown(since) and time.monotonic() < deadline:
            if not self.read_some(deadline - time.monotonic()):
                break
        assert text in self.shown(since), f"{text!r} never shown: {bytes(self.out[-500:])!r}"

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def exit_code(self, seconds: float = 20) -> int:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.read(0.1)
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.read(0.2)
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        pytest.fail("ktutor did not end")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)
