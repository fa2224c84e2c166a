"""`ktutor serve`: the tutor in browsers, for a workshop, with textual-serve.

textual-serve starts one `python -m tutor` process per browser tab, with this server's
environment, so there is no shared state between tabs. `KTUTOR_SERVE=1` in that environment tells
the app to ask for the learner's name first (see `ask_learner_name`), and each name gets its own
progress file on the serving machine (`ProgressStore.open(learner=name)`).

There is no authentication: anyone who can reach the address can use a shell-less tutor that
writes progress files. So the default address is loopback, and any other address gets a warning.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

SERVE_ENV = "KTUTOR_SERVE"
"""Set to "1" in the served processes' environment: ask for a name before anything else."""
DATA_DIR_ENV = "KTUTOR_DATA_DIR"
MAX_NAME = 40


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (`localhost`, 127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int) -> str | None:
    """The warning to print when the server is reachable from other machines, else None."""
    if is_loopback(host):
        return None
    where = "every network interface" if host in ("0.0.0.0", "::", "") else host
    return (
        f"warning: serving on {where}, port {port}, with NO authentication: anyone who can "
        "reach this address can open the tutor and pick any learner name. Use it only on a "
        "classroom network you trust, and stop the server (Ctrl+C) after the session."
    )


def served_command(lesson_dirs: Sequence[str | Path] = (), python: str | None = None) -> str:
    """The shell command textual-serve runs per browser tab: this Python, `-m tutor`, the same
    lesson packs (absolute, since the child may not share our working directory)."""
    argv = [python or sys.executable, "-m", "tutor"]
    for d in lesson_dirs:
        argv += ["--lessons", str(Path(d).expanduser().resolve())]
    return shlex.join(argv)


def public_url(host: str, port: int) -> str:
    shown = "localhost" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def serving() -> bool:
    """True inside a process that `ktutor serve` started for a browser tab."""
    return os.environ.get(SERVE_ENV) == "1"


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


def ask_learner_name(app: App[Any], then: Callable[[str], None]) -> bool:
    """The hook for the app: when served and no learner is set, show the name prompt and call
    `then(name)` once the learner gives one. Returns True when the prompt was shown (the caller
    should wait for `then` before opening progress), False when nothing needs asking."""
    if not serving() or getattr(app, "learner", None):
        return False
    from tutor.classroom.name_screen import NameScreen

    def done(name: str | None) -> None:
        if name:
            then(name)

    app.push_screen(NameScreen(), done)
    return True


def source_checkout() -> Path | None:
    """The repository root when ktutor runs from a source checkout (not installed), else None:
    the children must then find `tutor` on PYTHONPATH whatever their working directory."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "tutor").is_dir() else None


def serve(
    host: str, port: int, lesson_dirs: Sequence[str | Path] = (), data_dir: str | Path | None = None
) -> None:
    """Run the web server until Ctrl+C. Raises OSError when the address cannot be bound."""
    from textual_serve.server import Server

    os.environ[SERVE_ENV] = "1"
    root = source_checkout()
    if root is not None:
        paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        if str(root) not in paths:
            os.environ["PYTHONPATH"] = os.pathsep.join([str(root), *paths])
    if data_dir is not None:
        os.environ[DATA_DIR_ENV] = str(Path(data_dir).expanduser().resolve())
    server = Server(
        served_command(lesson_dirs),
        host=host,
        port=port,
        title="ktutor",
        public_url=public_url(host, port),
    )
    server.serve()
