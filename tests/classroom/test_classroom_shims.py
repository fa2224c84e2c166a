"""tutor/classroom/shims.py, ktutor's one module that reaches into textual-serve: canaries that
fail when textual-serve (1.1.3, pinned) renames or reshapes what the shim relies on, or changes
the methods web.py copies; then adapt the shim and the copies to the new release."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import sys
from asyncio.subprocess import Process
from collections.abc import Callable
from typing import Any

import pytest
from textual_serve.app_service import AppService
from textual_serve.server import Server

from tutor.classroom import shims


def _parameters(method: Callable[..., Any]) -> list[str]:
    return list(inspect.signature(method).parameters)


@pytest.mark.parametrize(
    ("method", "parameters"),
    [
        (AppService._open_app_process, ["self", "width", "height"]),
        (AppService._build_environment, ["self", "width", "height"]),
        (Server._make_app, ["self"]),
        (Server._process_messages, ["self", "websocket", "app_service"]),
    ],
    ids=lambda m: getattr(m, "__qualname__", ""),
)
def test_canary_the_private_methods_the_shim_uses_keep_their_shape(
    method: Callable[..., Any], parameters: list[str]
) -> None:
    assert _parameters(method) == parameters


def test_canary_appservice_keeps_its_process_and_stdin_where_the_shim_puts_them() -> None:
    """`stdin` (what relays keys) reads `_stdin`, and `run` reads `_process`."""
    assert "self._stdin" in inspect.getsource(AppService.stdin.fget)  # type: ignore[attr-defined]
    assert "self._process" in inspect.getsource(AppService.run)


@pytest.mark.parametrize(
    ("method", "digest"),
    [(Server.handle_websocket, "87c0c9d50be81f45"), (Server.handle_index, "c961f57f6af22bfe")],
    ids=["handle_websocket", "handle_index"],
)
def test_canary_the_methods_web_py_copies_are_unchanged(
    method: Callable[..., Any], digest: str
) -> None:
    """ClassroomServer._websocket copies textual-serve's `handle_websocket` and `tutor_page` its
    `handle_index`: a change upstream (a fix, a new message) must be carried over by hand."""
    source = inspect.getsource(method)
    assert hashlib.sha256(source.encode()).hexdigest()[:16] == digest


async def test_a_tab_service_keeps_the_process_it_is_handed() -> None:
    """What `open_process` returns becomes the tab's process, and keys go to its stdin."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "import sys; print(sys.stdin.read().upper())",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )

    class Handed(shims.TabService):
        async def open_process(self, width: int, height: int) -> Process | None:
            return process

    service = shims.idle_service("false", Handed)
    assert await service.spawn(80, 24) is process and service.process is process
    service.stdin.write(b"keys")
    service.stdin.close()
    out, _ = await process.communicate()
    assert out == b"KEYS\n"


async def test_a_tab_service_without_a_process_starts_one_as_textual_serve_does() -> None:
    service = shims.idle_service(f"{sys.executable} -c 'print(1)'")
    process = await service.spawn(80, 24)
    assert service.process is process
    assert await process.wait() == 0


def test_the_tab_environment_is_textual_serves() -> None:
    env = shims.tab_environment(100, 30)
    assert env["COLUMNS"] == "100" and env["ROWS"] == "30"
    assert env["TEXTUAL_DRIVER"] == "textual.drivers.web_driver:WebDriver"


def test_canary_our_page_is_textual_serves_with_local_fonts() -> None:
    """tutor/classroom/templates/app_index.html is textual-serve's page with the Google Fonts
    stylesheet replaced by the fonts textual-serve ships: a change upstream (a new script, a
    fix) must be carried over by hand."""
    from pathlib import Path

    import textual_serve

    from tutor.classroom.web import TEMPLATES

    theirs = (Path(textual_serve.__file__).parent / "templates/app_index.html").read_text()
    ours = (TEMPLATES / "app_index.html").read_text()
    google = '    <link\n      rel="stylesheet"\n      href="https://fonts.googleapis.com/'
    start = theirs.index(google)
    end = theirs.index("/>\n", start) + 3
    head, tail = theirs[:start], theirs[end:]
    assert ours.startswith(head) and ours.endswith(tail)
    assert "@font-face" in ours[len(head) : -len(tail)]
