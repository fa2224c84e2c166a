"""Every environment variable ktutor reads, read here and nowhere else.

Each reading strips the value and expands `~` the same way for every caller: the TUI, the CLI,
the lesson cache and `ktutor serve` once each had their own reading, and `KTUTOR_DATA_DIR='~/d'`
made the TUI write `./~/d/` while `ktutor progress` read `$HOME/d`. The values are read when asked
(not at import) so that `ktutor serve` and tests can set them for what runs next.

Imports only the standard library: any layer may use it, and start-up pays nothing for it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

DATA_DIR = "KTUTOR_DATA_DIR"
LESSONS = "KTUTOR_LESSONS"
SERVE = "KTUTOR_SERVE"
JOIN_CODE = "KTUTOR_JOIN_CODE"
WARM_TUTOR = "KTUTOR_WARM_TUTOR"
TEXTUAL_DRIVER = "TEXTUAL_DRIVER"
TERM = "TERM"


class Variable(NamedTuple):
    """One environment variable and its help. (A named tuple: a frozen dataclass took ~1.5 ms
    of CPU to create at import, and `ktutor` imports this module first.)"""

    name: str
    help: str


VARIABLES: tuple[Variable, ...] = (
    Variable(
        DATA_DIR,
        "folder for progress and the lesson cache (default: your user data folder)",
    ),
    Variable(LESSONS, f"extra lesson folders, separated by '{os.pathsep}' (like --lessons)"),
    Variable(SERVE, "set to 1 by `ktutor serve` for each browser tab: ask the learner's name"),
    Variable(JOIN_CODE, "the workshop code `ktutor serve` asks browsers for (like --code)"),
)
"""ktutor's own variables, as `ktutor --help` lists them."""


def _read(name: str) -> str:
    return os.environ.get(name, "").strip()


def _path(raw: str) -> Path:
    return Path(raw).expanduser()


def data_dir() -> Path | None:
    """`KTUTOR_DATA_DIR` with `~` expanded, or None when unset or blank."""
    raw = _read(DATA_DIR)
    return _path(raw) if raw else None


def lesson_dirs() -> list[Path]:
    """The folders in `KTUTOR_LESSONS` (os.pathsep-separated, blanks skipped, `~` expanded)."""
    return [_path(p.strip()) for p in _read(LESSONS).split(os.pathsep) if p.strip()]


def join_code() -> str:
    """`KTUTOR_JOIN_CODE` ("" when unset): `ktutor serve`'s workshop code, from a Secret."""
    return _read(JOIN_CODE)


def serving() -> bool:
    """True inside a process that `ktutor serve` started for a browser tab."""
    return _read(SERVE) == "1"


def warm_tutor() -> bool:
    """True in a tutor that `ktutor serve` starts ahead of time for its warm pool: it has time
    to warm up before a learner takes it (set by the server, not by people)."""
    return _read(WARM_TUTOR) == "1"


def web_driver() -> bool:
    """True when Textual draws to a browser (textual-serve): no terminal is needed."""
    return bool(_read(TEXTUAL_DRIVER))


def dumb_terminal() -> bool:
    """`TERM=dumb` (Emacs shell buffers, some CI logs): no cursor addressing."""
    return _read(TERM) == "dumb"


def set_for_children(*, serve: bool, data: Path | None, python_path: Path | None) -> None:
    """What `ktutor serve` passes to the process of each browser tab through the environment:
    serving on, the data folder (absolute), and this checkout first on PYTHONPATH."""
    if serve:
        os.environ[SERVE] = "1"
    if data is not None:
        os.environ[DATA_DIR] = str(data.expanduser().resolve())
    if python_path is not None:
        paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        if str(python_path) not in paths:
            os.environ["PYTHONPATH"] = os.pathsep.join([str(python_path), *paths])


def help_text() -> str:
    """The `environment:` section of `ktutor --help`."""
    width = max(len(v.name) for v in VARIABLES)
    return "environment:\n" + "\n".join(f"  {v.name:<{width}}  {v.help}" for v in VARIABLES)
