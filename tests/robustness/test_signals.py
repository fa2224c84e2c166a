"""Nothing typed is lost when the terminal closes or the app is killed (issue #15 item 2).

The real `ktutor anatomy` in a pseudo-terminal: focus the editor, type at 8 keys a second,
then SIGHUP (what closing the terminal window sends) or SIGTERM right after the last key: every
key is in progress.json, and the terminal is restored (the alternate screen left). SIGKILL
cannot be caught, so continuous typing is written at least every `SAVE_MAX_WAIT` seconds: a
kill after seconds of typing without a pause keeps all but the last couple of seconds.

`KTUTOR_SIGNAL_RUNS=20 pytest -m slow tests/robustness/test_signals.py` repeats each case.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from tutor.app.widgets.workbench import SAVE_MAX_WAIT

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("KTUTOR_SIGNAL_RUNS", "1"))
F3 = b"\x1bOR"
END = b"\x1b[F"
LEAVE_ALT_SCREEN = b"\x1b[?1049l"


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
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
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

    def wait_for(self, text: bytes, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.out and time.monotonic() < deadline:
            self.read(0.1)
        assert text in self.out, f"{text!r} never shown: {bytes(self.out[-500:])!r}"

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


def saved_step(data: Path) -> str:
    raw = json.loads((data / "progress.json").read_text(encoding="utf-8"))
    return str(raw.get("edits", {}).get("anatomy", {}).get("step-0", ""))


def type_keys(term: Terminal, count: int, per_second: float = 8.0) -> None:
    term.send(F3)
    term.read(1.0)
    term.send(END)
    term.read(0.3)
    for _ in range(count):
        term.send(b"k")
        term.read(1 / per_second)


@pytest.mark.slow
@pytest.mark.parametrize("run", range(RUNS))
@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_signal_right_after_typing_loses_nothing(
    tmp_path: Path, signum: signal.Signals, run: int
) -> None:
    term = Terminal(tmp_path, ["anatomy"])
    try:
        term.wait_for(b"step 1 of")
        term.read(1.0)
        type_keys(term, 24)
        os.kill(term.pid, signum)
        code = term.exit_code()
    finally:
        term.close()
    assert code == 128 + signum, (code, bytes(term.out[-300:]))
    assert saved_step(tmp_path).startswith("apiVersion: v1" + "k" * 24 + "\n")
    assert b"Traceback" not in term.out
    assert term.out.rfind(LEAVE_ALT_SCREEN) > term.out.rfind(b"\x1b[?1049h"), "not restored"


@pytest.mark.slow
@pytest.mark.parametrize("run", range(RUNS))
def test_long_typing_is_written_without_a_pause(tmp_path: Path, run: int) -> None:
    """Typing 6 s without a pause, then SIGKILL: at most the last `SAVE_MAX_WAIT` seconds
    (and a little scheduling slack) are lost; before, all of it was."""
    keys, per_second = 48, 8.0
    term = Terminal(tmp_path, ["anatomy"])
    try:
        term.wait_for(b"step 1 of")
        term.read(1.0)
        type_keys(term, keys, per_second)
        os.kill(term.pid, signal.SIGKILL)
        term.exit_code()
    finally:
        term.close()
    first = saved_step(tmp_path).split("\n", 1)[0]
    kept = first.count("k")
    assert kept >= keys - per_second * (SAVE_MAX_WAIT + 1.0), (kept, keys)
