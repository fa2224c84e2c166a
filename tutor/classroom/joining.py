"""The workshop code: who may open a tutor on a served address.

`ktutor serve --code WORD` makes the page ask for the code before anything else; the server
checks it, and only then serves the tutor page and accepts its websocket (so a stranger cannot
even start a process). A right code gives the browser a cookie holding `join_token(code)`: an
HMAC of the code, the same on every replica of a Deployment, so a learner whose next request
lands on another Pod is not asked again.

Guessing is slowed twice (`Attempts`), and neither locks out a classroom:
- per browser (a random id in the `TRY_COOKIE` cookie, given with the form): after each wrong
  code the next try waits a little longer (`Attempts.DELAYS`), so a learner who keeps pressing
  Enter on a typo spends almost nothing of what the room shares;
- per network (an IPv4 address, an IPv6 /48: a classroom behind one NAT is one address): a
  budget of wrong codes, `Attempts.BURST` at once and one more every `Attempts.REFILL`
  seconds. Only wrong codes spend it, so a right code gets in whenever one wrong code is left;
  when none is, the wait is at most `REFILL` seconds, not minutes.
The budget's long-run rate is what an attacker gets; `generate_code` is long enough for it
(the arithmetic is in its docstring and in docs/workshop.md).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

COOKIE = "ktutor_join"
TRY_COOKIE = "ktutor_try"
"""A browser's random id, so its wrong codes slow down its own next try (not the room's)."""
BROWSER_ID = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
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
    """A code people can read aloud and type: a Kubernetes word and two groups of four digits
    (`probe-4821-0937`): 20 x 10^8 = 2 x 10^9 choices. One network may give 100 wrong codes
    at once and 360 an hour after that (`Attempts`): 8,740 guesses in a whole day, a chance of
    1 in 229,000 of finding the code; from 1,000 networks at once, 1 in 229 a day."""
    first, second = secrets.randbelow(10000), secrets.randbelow(10000)
    return f"{secrets.choice(WORDS)}-{first:04d}-{second:04d}"


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


def network(remote: str | None) -> str:
    """Whose budget a request spends: its IPv4 address, or its IPv6 address's /48 (one site:
    an attacker with a block of IPv6 addresses gets one budget, as a NAT'd classroom does)."""
    try:
        address = ipaddress.ip_address((remote or "").split("%", 1)[0])
    except ValueError:
        return remote or "?"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/48", strict=False))
    return str(address)


def browser_id(cookie: str | None) -> str:
    """The browser's id from its `TRY_COOKIE`, or "" (all browsers without one share it)."""
    return cookie if cookie and BROWSER_ID.match(cookie) else ""


def new_browser_id() -> str:
    return secrets.token_urlsafe(12)


@dataclass(frozen=True)
class Refusal:
    """A try refused before its code is checked: wait `seconds`, for the reason `message`."""

    seconds: float
    message: str


@dataclass
class Attempts:
    """Wrong workshop codes, per browser and per network (see the module docstring)."""

    BURST = 100
    """Wrong codes a network may give at once: a class of 60 behind one NAT address, each
    mistyping once, spends 60."""
    REFILL = 10.0
    """Seconds until a network may give one more wrong code (6 a minute, 360 an hour)."""
    DELAYS = (0.0, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
    """Seconds a browser waits before its next try after its 1st, 2nd, ... wrong code (the
    last repeats)."""
    FORGET = 600.0
    """Seconds without a wrong code after which a browser starts again from no delay."""
    MAX_ENTRIES = 10_000
    """Networks and browsers remembered at most (a flood forgets the oldest)."""

    clock: Callable[[], float] = time.monotonic
    """Where `now` comes from when a caller gives none: a test advances a fake clock instead
    of sleeping through `REFILL`."""

    _networks: dict[str, tuple[float, float]] = field(default_factory=dict)
    """network -> (wrong codes it may still give, when that was counted)."""
    _browsers: dict[tuple[str, str], tuple[int, float]] = field(default_factory=dict)
    """(network, browser id) -> (wrong codes in a row, when the last one came)."""
    _told: dict[str, float] = field(default_factory=dict)
    """network -> when `alarm` last spoke of it."""

    def _left(self, network: str, now: float) -> float:
        left, then = self._networks.get(network, (float(self.BURST), now))
        return min(float(self.BURST), left + (now - then) / self.REFILL)

    def refusal(self, network: str, browser: str, now: float | None = None) -> Refusal | None:
        """Why this try must wait (its code unchecked), or None: check it."""
        now = self.clock() if now is None else now
        wrong, last = self._browsers.get((network, browser), (0, now))
        if wrong and now - last < self.FORGET:
            wait = last + self.delay(wrong) - now
            if wait > 0:
                return Refusal(
                    wait, f"Wait {math.ceil(wait)} s after a wrong code, then try again."
                )
        left = self._left(network, now)
        if left < 1:
            wait = (1 - left) * self.REFILL
            return Refusal(
                wait,
                f"Too many wrong codes from your network: try again in {math.ceil(wait)} s.",
            )
        return None

    def delay(self, wrong: int) -> float:
        """Seconds before the next try after `wrong` wrong codes in a row."""
        return self.DELAYS[min(wrong, len(self.DELAYS)) - 1] if wrong > 0 else 0.0

    def failed(self, network: str, browser: str, now: float | None = None) -> float:
        """Count a wrong code; the seconds before this browser may try again."""
        now = self.clock() if now is None else now
        left = self._left(network, now)
        self._networks.pop(network, None)  # re-inserted last: the oldest come first
        self._networks[network] = (left - 1, now)
        key = (network, browser)
        wrong, last = self._browsers.pop(key, (0, now))
        wrong = wrong + 1 if now - last < self.FORGET else 1
        self._browsers[key] = (wrong, now)
        self._forget_some(now)
        return self.delay(wrong)

    def alarm(self, network: str, now: float | None = None) -> str | None:
        """A line for the instructor's terminal when `network` has spent its budget (once in
        `FORGET` seconds): a room that mistypes that much is rare, someone guessing is not."""
        now = self.clock() if now is None else now
        if (
            self._left(network, now) >= 1
            or now - self._told.get(network, -self.FORGET) < self.FORGET
        ):
            return None
        if len(self._told) > self.MAX_ENTRIES:
            self._told.clear()
        self._told[network] = now
        return (
            f"ktutor: {network} gave {self.BURST} wrong workshop codes: each of its tries now "
            f"waits up to {self.REFILL:.0f} s (someone guessing? give the class a new code)"
        )

    def succeeded(self, network: str, browser: str) -> None:
        """A right code: the browser's wrong codes no longer slow it (the network's stay spent)."""
        self._browsers.pop((network, browser), None)

    def _forget_some(self, now: float) -> None:
        """Keep memory bounded: drop what is as good as new, then (a flood from more than
        `MAX_ENTRIES` networks) the oldest half."""
        if len(self._networks) > self.MAX_ENTRIES:
            for key in [k for k in self._networks if self._left(k, now) >= self.BURST]:
                del self._networks[key]
        if len(self._networks) > self.MAX_ENTRIES:
            for key in list(self._networks)[: len(self._networks) - self.MAX_ENTRIES // 2]:
                del self._networks[key]
        if len(self._browsers) > self.MAX_ENTRIES:
            for bkey in [k for k, (_, t) in self._browsers.items() if now - t >= self.FORGET]:
                del self._browsers[bkey]
        if len(self._browsers) > self.MAX_ENTRIES:
            for bkey in list(self._browsers)[: len(self._browsers) - self.MAX_ENTRIES // 2]:
                del self._browsers[bkey]


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
