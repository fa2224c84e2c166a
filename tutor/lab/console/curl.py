"""`curl` and busybox `wget` from the client Pod: what happens comes from
`tutor.model.report.request` (DNS, kube-proxy's rule, the Pod), only the words are the tools'.

Answers: every simulated Pod runs agnhost `netexec`, which answers with its own name (as
`/hostname` does; W · debug-service.md uses a serve_hostname image the same way), and
`/clientip` with the address the request came from.

Failures are the texts of curl 8.14.1 (Debian 13's; the same in 8.9 to 8.20 with the threaded
resolver that Linux builds use), checked against curl's source (github.com/curl/curl, tag
curl-8_14_1):
- refused (exit 7): lib/connect.c · `is_connected`: `failf(data, "Failed to connect to %s port
  %u after %" FMT_TIMEDIFF_T " ms: %s", ..., curl_easy_strerror(result))`, the reason being
  lib/strerror.c · `curl_easy_strerror` for CURLE_COULDNT_CONNECT: `Could not connect to server`
  (curl 8.0 to 8.8 said `Couldn't connect to server`, 7.x the errno's `Connection refused`;
  8.21 writes the host as `HOST:PORT`);
- a dropped SYN with no `-m` (exit 28): the same line when the kernel gives up (is_connected turns
  the result into CURLE_OPERATION_TIMEDOUT when the socket's errno is ETIMEDOUT), after Linux's
  SYN retries (curl's own connect timeout, 300 s, comes later);
- a dropped SYN with `-m S` or `--connect-timeout S` below that (exit 28): lib/multi.c ·
  `multi_handle_timeout`: `Connection timed out after %" FMT_TIMEDIFF_T " milliseconds`;
- NXDOMAIN (exit 6): lib/hostip.c · `Curl_resolver_error`: `Could not resolve %s: %s` with `host`.
`-s` silences the error text, as in curl (`-sS` shows it again).
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from tutor.model.endpoints import join_host_port
from tutor.model.report import Outcome, RequestOutcome, request

from .output import Output
from .world import World

SYN_TIMEOUT_MS = 130_968
"""How long Linux retries a SYN that gets no answer (tcp_syn_retries=6) before ETIMEDOUT."""
COULDNT_CONNECT = "Could not connect to server"
"""curl 8.14.1 lib/strerror.c · `curl_easy_strerror`, CURLE_COULDNT_CONNECT (since 8.9.0)."""


def _usage(message: str) -> Output:
    """curl's own command-line error (src/tool_msgs.c · `helpf`, exit 2), without the
    `curl: try 'curl --help'...` line after it: a bad line gets one line here (issue #12)."""
    return Output(f"curl: {message}\n", 2)


REAL_SHORT = "0123#aAbBcCdDeEFgGhHIjJkKlMnNoOpPqQrRtTuUVwxXyYzZ"
"""curl's own one-letter options this console does not simulate (src/tool_listhelp.c): they
were refused as `option -I: is unknown`, which curl never says of them."""
REAL_LONG = frozenset(
    [
        "--head",
        "--output",
        "--write-out",
        "--insecure",
        "--header",
        "--request",
        "--data",
        "--user",
        "--user-agent",
        "--resolve",
        "--http1.1",
        "--http2",
        "--noproxy",
        "--retry",
        "--cacert",
        "--cert",
        "--key",
        "--remote-name",
        "--compressed",
        "--trace",
        "--trace-ascii",
        "--dump-header",
        "--cookie",
        "--form",
        "--get",
        "--proxy",
    ]
)
"""Common long options of curl's that the console does not simulate (any other is unknown)."""
SIMULATED = "-s, -S, -v, -i, -f, -L, -4, -6, -m and --connect-timeout"


def _not_simulated(option: str) -> Output:
    return Output(f"ktutor: curl {option} is not simulated here (this curl takes {SIMULATED})\n", 2)


def parse_url(url: str) -> tuple[str, str, int, str] | str:
    """(scheme, host, port, path) or an error text."""
    if "://" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "(3) URL rejected: Port number was not a decimal number between 0 and 65535"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return f'(1) Protocol "{scheme}" not supported'
    host = parts.hostname or ""
    if not host:
        return "(3) URL rejected: No host part in the URL"
    return scheme, host, port or (443 if scheme == "https" else 80), parts.path or "/"


LOOPBACK = ("localhost", "127.0.0.1", "::1")
"""Names and addresses of the client's own network namespace (a Pod's /etc/hosts names
localhost). They were sent to cluster DNS and the Services: `curl localhost:8080` from a debug
container in a Pod said `Could not resolve host: localhost` instead of the app's answer."""


def own_outcome(world: World, client: Any, port: int, seed: int) -> RequestOutcome | None:
    """A request to the client's own loopback: to its Pod's app when the client is one of the
    cluster's Pods (a `kubectl debug` container shares its network), else None: nothing
    listens in the console's client or debug Pod, and the kernel refuses at once."""
    if not any(p.ip == client.ip for p in world.pods):
        return None
    return request(world.analysis, client.client, client.ip, port, seed, namespace=client.namespace)


def body(outcome: RequestOutcome, path: str) -> str:
    if path.startswith("/clientip"):
        # agnhost's /clientip answers Go's r.RemoteAddr: net.JoinHostPort (IPv6 in brackets)
        return join_host_port(outcome.client.ip, 40000 + outcome.port % 20000)
    return outcome.pod


def run(world: World, argv: list[str], client: object, seed: int) -> Output:
    from .session import ClientPod

    assert isinstance(client, ClientPod)
    silent = show_errors = False
    max_time: float | None = None
    family = ""  # -4 / -6: resolve the name to that family only
    url = ""
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg in ("-m", "--max-time", "--connect-timeout"):
            if i >= len(argv):
                return _usage(f"option {arg}: requires parameter")
            try:
                max_time = float(argv[i])
            except ValueError:
                return _usage(f"option {arg}: expected a proper numerical parameter")
            i += 1
        elif arg.startswith("--"):
            if arg in ("--silent",):
                silent = True
            elif arg in ("--show-error",):
                show_errors = True
            elif arg in ("--ipv4", "--ipv6"):
                family = arg[-1]
            elif arg.split("=", 1)[0] in REAL_LONG:
                return _not_simulated(arg.split("=", 1)[0])
            elif arg not in ("--verbose", "--include", "--fail", "--location"):
                return _usage(f"option {arg}: is unknown")
        elif arg.startswith("-") and len(arg) > 1:
            for c in arg[1:]:
                if c == "s":
                    silent = True
                elif c == "S":
                    show_errors = True
                elif c in "46":
                    family = c
                elif c in REAL_SHORT:
                    return _not_simulated(f"-{c}")
                elif c not in "vifL":
                    return _usage(f"option -{c}: is unknown")
        else:
            url = arg
    if not url:
        return _usage("(2) no URL specified")  # src/tool_operate.c: "(%d) no URL specified"
    parsed = parse_url(url)
    if isinstance(parsed, str):
        return Output("" if silent and not show_errors else f"curl: {parsed}\n", 3)
    scheme, host, port, path = parsed
    quiet = silent and not show_errors
    if host.lower() in LOOPBACK:
        own = own_outcome(world, client, port, seed)
        if own is None:
            text = (
                f"curl: (7) Failed to connect to {host} port {port} after 0 ms: {COULDNT_CONNECT}\n"
            )
            return Output("" if quiet else text, 7)
        return said(own, scheme, host, port, path, max_time, quiet=quiet)
    target = host
    if family:
        picked = of_family(world, host, client.namespace, family)
        if picked is None:
            return Output("" if quiet else f"curl: (6) Could not resolve host: {host}\n", 6)
        target = picked
    outcome = request(world.analysis, client.client, target, port, seed, namespace=client.namespace)
    return said(outcome, scheme, host, port, path, max_time, quiet=quiet)


def of_family(world: World, host: str, namespace: str, family: str) -> str | None:
    """curl -4 / -6: the first address of that family `host` resolves to (an address of
    that family as it is; a name whose answer is a CNAME, an ExternalName, as it is), else
    None: no such address, `Could not resolve host`."""
    from tutor.model import dns

    want = dns.A if family == "4" else dns.AAAA
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        return host if (ip.version == 4) == (want == dns.A) else None
    answers = dns.resolve(world.analysis, host, namespace)
    if any(r.type == dns.CNAME for r in answers):
        return host
    return next((r.value for r in answers if r.type == want), None)


def said(
    outcome: RequestOutcome,
    scheme: str,
    host: str,
    port: int,
    path: str = "/",
    max_time: float | None = None,
    *,
    quiet: bool = False,
) -> Output:
    """What curl prints for `outcome` and its exit code: the answering Pod's reply, or curl's
    error line (the lab session shows the same line for a request sent from the routing view
    while it shows symptoms only)."""
    if outcome.answered:
        if scheme == "https":
            text = (
                "curl: (35) TLS connect error: error:0A00010B:SSL routines::wrong version number\n"
            )
            return Output("" if quiet else text, 35)
        return Output(body(outcome, path) + "\n")
    kind = outcome.kind
    if kind == Outcome.NAME_NOT_FOUND:
        return Output("" if quiet else f"curl: (6) Could not resolve host: {host}\n", 6)
    if kind in (Outcome.REFUSED_BY_POD, Outcome.REJECTED) or (
        kind == Outcome.NO_VIRTUAL_IP and outcome.pod
    ):
        text = f"curl: (7) Failed to connect to {host} port {port} after 0 ms: {COULDNT_CONNECT}\n"
        return Output("" if quiet else text, 7)
    if kind == Outcome.EXTERNAL:
        return Output(
            f"ktutor: {host} is an ExternalName Service: {outcome.summary} (not simulated)\n", 0
        )
    if max_time is not None and 0 < max_time * 1000 < SYN_TIMEOUT_MS:
        ms = int(max_time * 1000) + 1
        return Output(
            "" if quiet else f"curl: (28) Connection timed out after {ms} milliseconds\n", 28
        )
    text = (
        f"curl: (28) Failed to connect to {host} port {port} after {SYN_TIMEOUT_MS} ms: "
        f"{COULDNT_CONNECT}\n"
    )
    return Output("" if quiet else text, 28)


def wget(world: World, argv: list[str], client: object, seed: int) -> Output:
    """busybox `wget -qO- URL` (the Debug Services page's client)."""
    from .session import ClientPod

    assert isinstance(client, ClientPod)
    urls = [a for a in argv if not a.startswith("-")]
    if not urls:
        return Output(
            "BusyBox v1.28.4 multi-call binary.\n\nUsage: wget [-c|--continue] [-q|--quiet] [-O FILE] URL...\n",
            1,
        )
    parsed = parse_url(urls[-1])
    if isinstance(parsed, str):
        return Output(f"wget: bad address '{urls[-1]}'\n", 1)
    _, host, port, path = parsed
    if host.lower() in LOOPBACK:
        own = own_outcome(world, client, port, seed)
        if own is None or not own.answered:
            return Output("wget: can't connect to remote host (127.0.0.1): Connection refused\n", 1)
        return Output(body(own, path) + "\n")
    outcome = request(world.analysis, client.client, host, port, seed, namespace=client.namespace)
    if outcome.answered:
        return Output(body(outcome, path) + "\n")
    if outcome.kind == Outcome.NAME_NOT_FOUND:
        return Output(f"wget: bad address '{host}:{port}'\n", 1)
    if outcome.kind in (Outcome.REFUSED_BY_POD, Outcome.REJECTED) or outcome.pod:
        from .dnstools import lookup

        found = [r.value for r in lookup(world, host, client.namespace) if r.type == "A"]
        ip = outcome.address.rsplit(":", 1)[0] if outcome.address else (found or [host])[0]
        return Output(f"wget: can't connect to remote host ({ip}): Connection refused\n", 1)
    if outcome.kind == Outcome.EXTERNAL:
        return Output(
            f"ktutor: {host} is an ExternalName Service: {outcome.summary} (not simulated)\n", 0
        )
    return Output("wget: download timed out\n", 1)
