"""The served page points its scripts and websocket at the address the browser used."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from tutor.classroom.web import ClassroomServer, base_url


@pytest.mark.parametrize(
    ("host", "proto", "expected"),
    [
        ("192.0.2.7:8000", None, "http://192.0.2.7:8000"),
        ("127.0.0.1:8000", None, "http://127.0.0.1:8000"),
        ("[2001:db8::7]:8000", None, "http://[2001:db8::7]:8000"),
        ("workshop.example.org", "https", "https://workshop.example.org"),
        (None, None, "http://localhost:8000"),
        ('evil"><script>', None, "http://localhost:8000"),
        ("a/b", None, "http://localhost:8000"),
    ],
)
def test_base_url(host: str | None, proto: str | None, expected: str) -> None:
    assert base_url(host, proto, "http://localhost:8000/") == expected


async def _page(server: ClassroomServer, headers: dict[str, str]) -> str:
    async with TestClient(TestServer(await server._make_app())) as client:
        response = await client.get("/", headers=headers)
        assert response.status == 200
        return await response.text()


def _urls(page: str) -> tuple[str, str]:
    ws = re.search(r'data-session-websocket-url="([^"]*)"', page)
    script = re.search(r'<script src="([^"]*)textual.js"', page)
    assert ws is not None and script is not None, page[:500]
    return ws.group(1), script.group(1)


async def test_page_follows_the_host_header() -> None:
    server = ClassroomServer("true", host="0.0.0.0", port=8000, title="t", public_url=None)
    page = await _page(server, {"Host": "192.0.2.7:8000"})
    assert _urls(page) == ("ws://192.0.2.7:8000/ws", "http://192.0.2.7:8000/static/js/")
    assert "localhost" not in page
    page = await _page(server, {"Host": "k8s.example.org", "X-Forwarded-Proto": "https"})
    assert _urls(page)[0] == "wss://k8s.example.org/ws"


async def test_explicit_public_url_wins() -> None:
    server = ClassroomServer(
        "true", host="0.0.0.0", port=8000, title="t", public_url="https://k8s.example.org/"
    )
    page = await _page(server, {"Host": "192.0.2.7:8000"})
    assert _urls(page) == ("wss://k8s.example.org/ws", "https://k8s.example.org/static/js/")
