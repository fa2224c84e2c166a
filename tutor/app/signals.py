"""Closing the terminal (SIGHUP) or `kill` (SIGTERM) saves the learner's text and restores the
terminal, instead of ending the process where it stands.

Python's default for both signals ends the process at once: the text typed since the last
pause was lost, and SIGTERM left the terminal in the alternate screen with mouse reporting on.
Here each signal saves every open lesson's text and the progress file (synchronously: the
process is about to end), then asks the app to exit, which restores the terminal. A closed
terminal may never take the restoring escapes, so the process ends on its own after
`EXIT_GRACE` seconds whatever happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

SIGNALS = (signal.SIGHUP, signal.SIGTERM)
EXIT_GRACE = 3.0
"""Seconds the app has to exit cleanly after a signal before the process ends anyway."""


def install(app: App[Any]) -> None:
    """Handle SIGHUP and SIGTERM on the app's event loop (a real terminal only: tests run
    many apps in one process, and the test runner owns its signals)."""
    if app.is_headless:
        return
    loop = asyncio.get_running_loop()
    for signum in SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, _on_signal, app, signum)


def remove() -> None:
    with contextlib.suppress(RuntimeError):
        loop = asyncio.get_running_loop()
        for signum in SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)


def save_everything(app: App[Any]) -> None:
    """Hand every open workbench's text to the progress store and write it now."""
    for screen in list(app.screen_stack):
        save_now = getattr(screen, "save_now", None)
        if callable(save_now):
            with contextlib.suppress(Exception):  # a half-built screen must not stop the rest
                save_now()
    progress = getattr(app, "_progress", None)
    if progress is not None:
        with contextlib.suppress(Exception):
            progress.save()


def _on_signal(app: App[Any], signum: int) -> None:
    save_everything(app)
    timer = threading.Timer(EXIT_GRACE, os._exit, (128 + signum,))
    timer.daemon = True
    timer.start()
    app.exit(return_code=128 + signum)
