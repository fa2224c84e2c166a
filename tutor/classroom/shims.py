"""ktutor's one module that reaches into textual-serve (1.1.3, pinned in pyproject.toml).

textual-serve's public API serves one command per tab, started through a shell, on its own
fixed routes. `ktutor serve` needs four things it has no public way to do; each is done here
once, behind a public name, and nowhere else (tests/app/test_shims.py checks):

- hand a tab a process started ahead of time or forked (`TabService.open_process`, through
  the private `AppService._open_app_process`, which also keeps the process and its stdin in
  the private `_process` and `_stdin`);
- give such a process the environment textual-serve gives its own (`tab_environment`,
  through `AppService._build_environment`);
- add routes to the web app (`RoutedServer.extra_routes`, through `Server._make_app`);
- relay a websocket's messages from our own `handle_websocket`
  (`RoutedServer.relay`, through `Server._process_messages`).

tests/classroom/test_classroom_shims.py fails when textual-serve renames any of these or
changes their signatures, or changes the methods that web.py copies (`handle_websocket`,
`handle_index`) or the page it copies (templates/app_index.html, given through the public
`templates_path`, with the fonts served locally): then adapt this module (and the copies) to
the new release.
"""

from __future__ import annotations

from asyncio.subprocess import Process
from typing import Any

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server


class TabService(AppService):
    """textual-serve's per-tab service, which can be handed its process."""

    async def open_process(self, width: int, height: int) -> Process | None:
        """The process for this tab, or None to start one as textual-serve does (override)."""
        return None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        process = await self.open_process(width, height)
        if process is None:
            return await super()._open_app_process(width, height)
        self._process = process
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def spawn(self, width: int, height: int) -> Process:
        """Start this tab's process (as `start` would) without relaying its output."""
        return await self._open_app_process(width, height)

    @property
    def process(self) -> Process | None:
        """The tab's process, once started."""
        return self._process

    def environment(self, width: int, height: int) -> dict[str, str]:
        """The environment textual-serve gives a tab's process of this size."""
        return self._build_environment(width, height)


async def _nothing(data: Any) -> None:
    return None


async def _nothing_to_close() -> None:
    return None


def idle_service(command: str, service: type[TabService] = TabService, **kw: Any) -> TabService:
    """A service that sends nowhere: for starting a process before its tab exists."""
    return service(
        command,
        write_bytes=_nothing,
        write_str=_nothing,
        close=_nothing_to_close,
        download_manager=None,  # type: ignore[arg-type]  # never used to start a process
        **kw,
    )


def tab_environment(width: int, height: int) -> dict[str, str]:
    """The environment textual-serve gives a tab's process."""
    return idle_service("").environment(width, height)


class RoutedServer(Server):
    """textual-serve's server, with routes of our own."""

    def extra_routes(self) -> list[web.RouteDef]:
        """Routes added to textual-serve's own (override)."""
        return []

    async def make_app(self) -> web.Application:
        """The aiohttp app with textual-serve's routes and `extra_routes` (what `serve` runs)."""
        return await self._make_app()

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.add_routes(self.extra_routes())
        return app

    async def relay(self, websocket: web.WebSocketResponse, service: AppService) -> None:
        """Relay the browser's messages to a tab's service until the socket closes."""
        await self._process_messages(websocket, service)
