"""`curl` (8.x) and busybox `wget` from the client Pod: what happens comes from
`tutor.model.report.request` (DNS, kube-proxy's rule, the Pod), only the words are the tools'.

Answers: every simulated Pod runs agnhost `netexec`, which answers with its own name (as
`/hostname` does; W · debug-service.md uses a serve_hostname image the same way), and
`/clientip` with the address the request came from. Failures are curl's own texts (curl
lib/connect.c: `Failed to connect to %s port %u after %d ms: Couldn't connect to server`, exit 7
for a refused connection and 28, with the same text, when the kernel's SYN retries run out;
lib/multi.c `Connection timed out after %d milliseconds` for `-m`; lib/url.c `Could not resolve
host: %s`, exit 6). `-s` silences the error text, as in curl (`-sS` shows it again).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from tutor.model.report import Outcome, RequestOutcome, request

from .output import Output
from .world import World

SYN_TIMEOUT_MS = 130_968
"""How long Linux retries a SYN that gets no answer (tcp_syn_retries=6) before ETIMEDOUT."""


def _usage(message: str) -> Output:
    return Output(f"curl: {message}\n", 2)


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


def body(outcome: RequestOutcome, path: str) -> str:
    if path.startswith("/clientip"):
        return f"{outcome.client.ip}:{40000 + outcome.port % 20000}"
    return outcome.pod


def run(world: World, argv: list[str], client: object, seed: int) -> Output:
    from .session import ClientPod

    assert isinstance(client, ClientPod)
    silent = show_errors = False
    max_time: float | None = None
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
            elif arg not in ("--verbose", "--include", "--fail", "--location"):
                return _usage(f"option {arg}: is unknown")
        elif arg.startswith("-") and len(arg) > 1:
            for c in arg[1:]:
                if c == "s":
                    silent = True
                elif c == "S":
                    show_errors = True
                elif c not in "vifL":
                    return _usage(f"option -{c}: is unknown")
        else:
            url = arg
    if not url:
        return _usage("no URL specified")
    parsed = parse_url(url)
    if isinstance(parsed, str):
        return Output("" if silent and not show_errors else f"curl: {parsed}\n", 3)
    scheme, host, port, path = parsed
    outcome = request(world.analysis, client.client, host, port, seed, namespace=client.namespace)
    quiet = silent and not show_errors
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
        text = (
            f"curl: (7) Failed to connect to {host} port {port} after 0 ms: "
            "Couldn't connect to server\n"
        )
        return Output("" if quiet else text, 7)
    if kind == Outcome.EXTERNAL:
        return Output(
            f"ktutor: {host} is an ExternalName Service: {outcome.summary} (not simulated)\n", 0
        )
    if max_time is not None:
        ms = int(max_time * 1000) + 1
        return Output(
            "" if quiet else f"curl: (28) Connection timed out after {ms} milliseconds\n", 28
        )
    text = (
        f"curl: (28) Failed to connect to {host} port {port} after {SYN_TIMEOUT_MS} ms: "
        "Couldn't connect to server\n"
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
