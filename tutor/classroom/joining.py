"""The workshop code: who may open a tutor on a served address.

`ktutor serve --code WORD` makes the page ask for the code before anything else; the server
checks it, and only then serves the tutor page and accepts its websocket (so a stranger cannot
even start a process). A right code gives the browser a cookie holding `join_token(code)`: an
HMAC of the code, the same on every replica of a Deployment, so a learner whose next request
lands on another Pod is not asked again. Wrong codes are counted per client address and refused
for a while after a few (`Attempts`), so the code cannot be guessed by trying.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import deque
from dataclasses import dataclass, field

COOKIE = "ktutor_join"
MAX_CODE = 64
WORDS = [
    "pod",
    "node",
    "port",
    "label",
    "probe",
    "slice",
    "proxy",
    "ingress",
    "service",
    "cluster",
    "selector",
    "replica",
    "endpoint",
    "deploy",
    "volume",
    "secret",
    "config",
    "kubelet",
    "taint",
    "zone",
]


def generate_code() -> str:
    """A code people can read aloud and type: a Kubernetes word and four digits (`probe-4821`,
    about 200,000 choices: with the rate limit, hours of guessing per address)."""
    return f"{secrets.choice(WORDS)}-{secrets.randbelow(10000):04d}"


def code_problem(code: str) -> str | None:
    """Why `code` cannot be a workshop code, else None."""
    if not code.strip():
        return "the code is empty"
    if len(code) > MAX_CODE:
        return f"at most {MAX_CODE} characters"
    if not code.isprintable() or code != code.strip():
        return "use printable characters, no leading or trailing spaces"
    return None


def join_token(code: str) -> str:
    """The cookie value a browser gets for the right code (never the code itself)."""
    return hmac.new(code.encode(), b"ktutor-join-v1", hashlib.sha256).hexdigest()


def same_code(given: str, code: str) -> bool:
    """Compare in constant time; case and surrounding spaces do not matter to a person."""
    return hmac.compare_digest(given.strip().casefold().encode(), code.casefold().encode())


@dataclass
class Attempts:
    """Wrong codes per client address: at most `limit` in `window` seconds, then refused until
    the oldest of them is `window` seconds old."""

    limit: int = 5
    window: float = 60.0
    _wrong: dict[str, deque[float]] = field(default_factory=dict)

    def wait(self, client: str, now: float | None = None) -> float:
        """Seconds `client` must wait before trying again (0: may try now)."""
        now = time.monotonic() if now is None else now
        times = self._wrong.get(client)
        if not times:
            return 0.0
        while times and now - times[0] >= self.window:
            times.popleft()
        if not times:
            del self._wrong[client]
            return 0.0
        return self.window - (now - times[0]) if len(times) >= self.limit else 0.0

    def failed(self, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self._wrong.setdefault(client, deque()).append(now)
        if len(self._wrong) > 10_000:  # a flood of addresses: forget the quietest ones
            for key in list(self._wrong)[:5_000]:
                del self._wrong[key]


JOIN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ktutor: workshop code</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ background: #0c181f; color: #eee; font-family: system-ui, sans-serif;
  display: flex; align-items: center; justify-content: center; height: 100vh; margin: 0; }}
form {{ background: #12232d; padding: 2em 3em; border-radius: 8px; }}
input {{ font-size: 1.2em; padding: .3em; }}
button {{ font-size: 1.1em; padding: .3em 1em; margin-left: .5em; }}
.error {{ color: #ff8080; }}
</style></head>
<body><form method="post" action="/join">
<h1>ktutor</h1>
<p><label for="code">Workshop code (your instructor has it):</label></p>
<p><input id="code" name="code" autocomplete="off" autofocus maxlength="{max_code}">
<button type="submit">Join</button></p>
<p class="error" id="join-error">{error}</p>
</form></body></html>
"""


def join_page(error: str = "") -> str:
    """The code form (self-contained, no scripts); `error` is our own text, escaped anyway."""
    from html import escape

    return JOIN_PAGE.format(error=escape(error), max_code=MAX_CODE)
