"""Nothing typed is lost when the terminal closes or the app is killed (issue #15 item 2).

The real `ktutor anatomy` in a pseudo-terminal: focus the editor, type at 8 keys a second,
then SIGHUP (what closing the terminal window sends) or SIGTERM right after the last key: every
key is in progress.json, and the terminal is restored (the alternate screen left). SIGKILL
cannot be caught, so continuous typing is written at least every `SAVE_MAX_WAIT` seconds: a
kill after seconds of typing without a pause keeps all but the last couple of seconds.

`KTUTOR_SIGNAL_RUNS=20 pytest -m slow tests/robustness/test_signals.py` repeats each case.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from ptykit import Terminal

from tutor.app import signals
from tutor.app.widgets.workbench import SAVE_MAX_WAIT

RUNS = int(os.environ.get("KTUTOR_SIGNAL_RUNS", "1"))
F3 = b"\x1bOR"
END = b"\x1b[F"
LEAVE_ALT_SCREEN = b"\x1b[?1049l"
KEYS = 8
"""One second of typing: the editor's save waits for a 0.4 s pause (`SAVE_DELAY`) or 2 s of
typing (`SAVE_MAX_WAIT`), so none of these keys is written before the signal comes."""


def saved_step(data: Path) -> str:
    raw = json.loads((data / "progress.json").read_text(encoding="utf-8"))
    return str(raw.get("edits", {}).get("anatomy", {}).get("step-0", ""))


def type_keys(term: Terminal, count: int, per_second: float = 8.0) -> None:
    """Open the editor (F3: at 80x24 the YAML tab shows), go to the end of line 1, type `k`
    `count` times at `per_second`. The app reads keys in order: only the editor's coming into
    view is waited for, not a quiet spell after each key."""
    term.wait_for(b"step 1 of")
    shown = len(term.out)
    term.send(F3)
    term.wait_for(b"1  apiVersion: v1", since=shown)
    term.send(END)
    for _ in range(count):
        term.send(b"k")
        term.read(1 / per_second)


@pytest.mark.slow
@pytest.mark.parametrize("run", range(RUNS))
@pytest.mark.parametrize("signum", [signal.SIGHUP], ids=["SIGHUP"])
def test_a_signal_right_after_typing_loses_nothing(
    tmp_path: Path, signum: signal.Signals, run: int
) -> None:
    """SIGHUP, what closing the terminal sends. SIGTERM goes to the same handler with its own
    number (`test_sigterm_is_handled_as_sighup_is`): a second real app for it cost ~2 CPU s."""
    term = Terminal(tmp_path, ["anatomy"])
    try:
        type_keys(term, KEYS)
        os.kill(term.pid, signum)
        code = term.exit_code()
    finally:
        term.close()
    assert code == 128 + signum, (code, bytes(term.out[-300:]))
    assert saved_step(tmp_path).startswith("apiVersion: v1" + "k" * KEYS + "\n")
    assert b"Traceback" not in term.out
    assert term.out.rfind(LEAVE_ALT_SCREEN) > term.out.rfind(b"\x1b[?1049h"), "not restored"


@pytest.mark.slow
@pytest.mark.parametrize("run", range(RUNS))
def test_long_typing_is_written_without_a_pause(tmp_path: Path, run: int) -> None:
    """Typing 4.5 s without a pause, then SIGKILL: at most the last `SAVE_MAX_WAIT` seconds
    (and a little scheduling slack) are lost; before, all of it was."""
    keys, per_second = 36, 8.0
    term = Terminal(tmp_path, ["anatomy"])
    try:
        type_keys(term, keys, per_second)
        os.kill(term.pid, signal.SIGKILL)
        term.exit_code()
    finally:
        term.close()
    first = saved_step(tmp_path).split("\n", 1)[0]
    kept = first.count("k")
    assert kept >= keys - per_second * (SAVE_MAX_WAIT + 1.0), (kept, keys)


async def test_sigterm_is_handled_as_sighup_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's loop gets the same handler for SIGHUP and SIGTERM; on SIGTERM it saves every
    open lesson's text and the progress file, then exits with 128 + 15 (and ends the process
    with that code if the exit takes longer than EXIT_GRACE)."""
    loop = asyncio.get_running_loop()
    added: list[tuple[int, Any, tuple[Any, ...]]] = []
    monkeypatch.setattr(loop, "add_signal_handler", lambda n, cb, *a: added.append((n, cb, a)))
    saved: list[str] = []
    exits: list[int] = []
    screen = SimpleNamespace(save_now=lambda: saved.append("lesson text"))
    progress = SimpleNamespace(save=lambda: saved.append("progress"))
    app = SimpleNamespace(
        is_headless=False,
        screen_stack=[screen],
        _progress=progress,
        exit=lambda return_code: exits.append(return_code),
    )
    signals.install(app)  # type: ignore[arg-type]
    assert [(n, cb) for n, cb, _a in added] == [
        (signal.SIGHUP, signals._on_signal),
        (signal.SIGTERM, signals._on_signal),
    ]
    timers: list[tuple[float, Any, tuple[Any, ...]]] = []

    class Timer:
        daemon = False

        def __init__(self, seconds: float, call: Any, args: tuple[Any, ...]) -> None:
            timers.append((seconds, call, args))

        def start(self) -> None:
            pass

    monkeypatch.setattr(signals.threading, "Timer", Timer)
    _n, handler, args = added[1]
    handler(*args)
    assert saved == ["lesson text", "progress"]
    assert exits == [128 + signal.SIGTERM]
    assert timers == [(signals.EXIT_GRACE, os._exit, (128 + signal.SIGTERM,))]
