"""`ktutor serve`: the tutor in browsers, for a workshop, with textual-serve.

Each browser tab gets its own tutor process, with this server's environment, so there is no
shared state between tabs: a fork of the fork server (`forking`, `tutor.app.fork_server`), or,
without it, the `python -m tutor` that textual-serve starts (`served_command`). `KTUTOR_SERVE=1` in that environment tells
the app to ask for the learner's name first (`tutor.app.screens.name`), and each name gets its own
progress file on the serving machine (`ProgressStore.open(learner=name)`).

There is no authentication: anyone who can reach the address can use a shell-less tutor that
writes progress files. So the default address is loopback, and any other address gets a warning.
"""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from tutor import settings

MAX_NAME = 40


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (`localhost`, 127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int, code: bool = False) -> str | None:
    """The warning to print when the server is reachable from other machines without a
    workshop code, else None."""
    if is_loopback(host) or code:
        return None
    where = "every network interface" if host in ("0.0.0.0", "::", "") else host
    return (
        f"warning: serving on {where}, port {port}, with NO authentication: anyone who can "
        "reach this address can open the tutor and pick any learner name. Use it only on a "
        "classroom network you trust (or add --code to ask for a workshop code), and stop "
        "the server (Ctrl+C) after the session."
    )


def served_command(lesson_dirs: Sequence[str | Path] = (), python: str | None = None) -> str:
    """The shell command textual-serve runs per browser tab: this Python, `-m tutor`, the same
    lesson packs (absolute, since the child may not share our working directory). `exec`: the
    shell becomes the tutor, so a tab costs one process and killing it kills the tutor."""
    argv = [python or sys.executable, "-m", "tutor"]
    for d in lesson_dirs:
        argv += ["--lessons", str(Path(d).expanduser().resolve())]
    return "exec " + shlex.join(argv)


def fork_server_command(
    lesson_dirs: Sequence[str | Path] = (), python: str | None = None
) -> list[str]:
    """How `ktutor serve` starts its fork server (`tutor.app.fork_server`; the web server adds
    the socket's path): this Python, the same lesson packs as the tabs."""
    argv = [python or sys.executable, "-m", "tutor.app.fork_server"]
    for d in lesson_dirs:
        argv += ["--lessons", str(Path(d).expanduser().resolve())]
    return argv


def url_for(address: str, port: int) -> str:
    """`http://ADDRESS:PORT`, with IPv6 addresses in brackets."""
    if ":" in address and not address.startswith("["):
        address = f"[{address}]"
    return f"http://{address}:{port}"


def public_url(host: str, port: int) -> str:
    """The URL textual-serve falls back to when a request has no usable Host header."""
    return url_for("localhost" if host in ("0.0.0.0", "::", "") else host, port)


def interface_addresses() -> list[str]:
    """This machine's own addresses, IPv4 then IPv6, loopback and link-local left out (a
    learner cannot type a link-local address without its interface). Linux: SIOCGIFADDR per
    interface and /proc/net/if_inet6; elsewhere the addresses the host name resolves to."""
    found: list[str] = []
    try:
        import fcntl
        import struct

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            for _, name in socket.if_nameindex():
                try:
                    packed = fcntl.ioctl(  # SIOCGIFADDR
                        s.fileno(), 0x8915, struct.pack("256s", name.encode()[:15])
                    )
                except OSError:
                    continue  # no IPv4 address on this interface
                found.append(socket.inet_ntoa(packed[20:24]))
    except (ImportError, OSError):
        pass
    try:
        for line in Path("/proc/net/if_inet6").read_text().splitlines():
            raw = line.split()[0]
            found.append(str(ipaddress.IPv6Address(int(raw, 16))))
    except (OSError, ValueError, IndexError):
        pass
    if not found:
        try:
            found = [str(i[4][0]) for i in socket.getaddrinfo(socket.gethostname(), None)]
        except OSError:
            found = []
    unique: list[str] = []
    for a in found:
        ip = ipaddress.ip_address(a)
        if ip.is_loopback or ip.is_link_local or ip.is_unspecified or a in unique:
            continue
        unique.append(a)
    return sorted(unique, key=lambda a: ipaddress.ip_address(a).version)


def learner_urls(host: str, port: int, addresses: Sequence[str] | None = None) -> list[str]:
    """The URLs a learner can type to reach a server listening on `host`: the address itself,
    or for 0.0.0.0 each of this machine's IPv4 addresses (and IPv6 ones for `::`)."""
    if host not in ("0.0.0.0", "::", ""):
        return [url_for(host, port)]
    addresses = interface_addresses() if addresses is None else addresses
    wanted = (4, 6) if host == "::" else (4,)
    return [url_for(a, port) for a in addresses if ipaddress.ip_address(a).version in wanted]


def name_problem(text: str) -> str | None:
    """Why `text` cannot be a learner name (None when it can). Names label progress files and
    the instructor's `progress --all` table, so they are short, printable, on one line."""
    name = text.strip()
    if not name:
        return "Type your name (or a nickname) so your progress is kept for you."
    if len(name) > MAX_NAME:
        return f"At most {MAX_NAME} characters, please."
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        return "Use letters, digits, spaces and punctuation only."
    if name.strip(". ") == "":
        return "A name needs at least one letter or digit."
    return None


def source_checkout() -> Path | None:
    """The repository root when ktutor runs from a source checkout (not installed), else None:
    the children must then find `tutor` on PYTHONPATH whatever their working directory."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "tutor").is_dir() else None


def serve(
    host: str,
    port: int,
    lesson_dirs: Sequence[str | Path] = (),
    data_dir: str | Path | None = None,
    public: str | None = None,
    banner: Sequence[str] = (),
    code: str | None = None,
    warm: int = 0,
    fork: bool = True,
) -> None:
    """Run the web server until Ctrl+C. Raises OSError when the address cannot be bound.

    `public` is an explicit base URL for the page's scripts and websocket (`--public-url`);
    without it each page points at the address its browser used (`web.ClassroomServer`).
    `banner` is printed once the server listens. With `code`, browsers must type it first
    (`joining`). With `fork`, each tab's tutor is a fork of one prepared process
    (`forking`); `warm` tutor processes are kept started ahead of time (`web.WarmPool`)."""
    from tutor.classroom import forking
    from tutor.classroom.web import ClassroomServer

    settings.set_for_children(
        serve=True,
        data=Path(data_dir) if data_dir is not None else None,
        python_path=source_checkout(),
    )
    server = ClassroomServer(
        served_command(lesson_dirs),
        host=host,
        port=port,
        title="ktutor",
        public_url=public,
        code=code,
        warm=warm,
        fork_server=fork_server_command(lesson_dirs) if fork and forking.supported() else None,
    )
    server.banner = list(banner)
    server.serve()
