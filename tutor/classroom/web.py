"""The web server of `ktutor serve`: textual-serve's `Server`, with the page pointed at the
address the browser used.

textual-serve 1.1.3 builds the page's script, stylesheet and websocket URLs from one fixed
`public_url` (`Server.handle_index`), which defaults to `http://HOST:PORT`: served on 0.0.0.0,
every learner's page would point at `localhost` (their own laptop). `ClassroomServer` keeps
textual-serve's routes, template and websocket handling and only overrides `handle_index`:
without an explicit `--public-url` the URLs come from the request's own Host header (the address
the learner typed), so one server works for every interface it listens on.

Imported only by `serving.serve` (textual-serve pulls in aiohttp and rich).
"""

from __future__ import annotations

import re
import sys
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

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


class ClassroomServer(Server):
    """textual-serve's server, with per-request page URLs (see the module docstring).

    `public_url=None` means "the address each browser used"; a given URL (`--public-url`,
    e.g. behind a proxy that rewrites Host) is used as is, as textual-serve does.
    """

    def __init__(
        self, command: str, *, host: str, port: int, title: str, public_url: str | None
    ) -> None:
        super().__init__(command, host=host, port=port, title=title, public_url=public_url)
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

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
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
        """Print our own lines (textual-serve's banner shows the one fixed URL)."""
        for line in self.banner:
            print(line, file=sys.stderr, flush=True)
