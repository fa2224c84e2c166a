"""The web server of `ktutor serve`: textual-serve's `Server`, with the page pointed at the
address the browser used.

textual-serve 1.1.3 builds the page's script, stylesheet and websocket URLs from one fixed
`public_url` (`Server.handle_index`), which defaults to `http://HOST:PORT`: served on 0.0.0.0,
every learner's page would point at `localhost` (their own laptop). `ClassroomServer` keeps
textual-serve's routes, template and websocket handling and only overrides `handle_index`:
without an explicit `--public-url` the URLs come from the request's own Host header (the address
the learner typed), so one server works for every interface it listens on.

With a workshop code (`code=`, see `joining`), `/` shows the code form until the browser holds
the code's cookie, `POST /join` checks a code (rate-limited per client address), and `/ws`
refuses a browser without the cookie before any tutor process starts. `/healthz` answers
"ok" for a readiness probe.

Imported only by `serving.serve` (textual-serve pulls in aiohttp and rich).
"""

from __future__ import annotations

import hmac
import re
import sys
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from tutor.classroom import joining

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
        self,
        command: str,
        *,
        host: str,
        port: int,
        title: str,
        public_url: str | None,
        code: str | None = None,
    ) -> None:
        super().__init__(command, host=host, port=port, title=title, public_url=public_url)
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

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.add_routes(
            [
                web.post("/join", self.handle_join, name="join"),
                web.get("/healthz", self.handle_health, name="health"),
            ]
        )
        return app

    async def handle_health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def handle_join(self, request: web.Request) -> web.Response:
        """Check a workshop code from the form: the right one sets the cookie and goes back to
        the tutor page; a wrong one shows the form again; too many wrong ones wait."""
        if self.code is None:
            raise web.HTTPSeeOther("/")
        client = request.remote or "?"
        wait = self.attempts.wait(client)
        if wait > 0:
            page = joining.join_page(
                f"Too many wrong codes from your address: try again in {wait:.0f} s."
            )
            return web.Response(text=page, status=429, content_type="text/html")
        form = await request.post()
        given = form.get("code", "")
        if isinstance(given, str) and joining.same_code(given[: joining.MAX_CODE], self.code):
            response = web.HTTPSeeOther("/")
            response.set_cookie(
                joining.COOKIE,
                joining.join_token(self.code),
                httponly=True,
                samesite="Strict",
                max_age=24 * 3600,
            )
            raise response
        self.attempts.failed(client)
        page = joining.join_page("That is not the workshop code. Ask your instructor.")
        return web.Response(text=page, status=403, content_type="text/html")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's websocket, refused (before a tutor process starts) without the
        workshop code's cookie."""
        if not self.joined(request):
            raise web.HTTPForbidden(text="ktutor: open the page and type the workshop code first\n")
        return await super().handle_websocket(request)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The code form until the browser has joined, then the tutor page."""
        if not self.joined(request):
            return web.Response(text=joining.join_page(), content_type="text/html")
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
        """Print our own lines (textual-serve's banner shows the one fixed URL)."""
        for line in self.banner:
            print(line, file=sys.stderr, flush=True)
