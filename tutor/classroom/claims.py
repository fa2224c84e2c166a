"""One open tab per learner name: a lock file beside the learner's progress file.

Two tabs with the same name would both rewrite one progress file, and the last writer wins (a
learner's progress went from step 6 back to step 3). So a served tab claims its name: it creates
`<learners>/<file>.lock` holding its host, pid and a random token, and touches it every
`HEARTBEAT_SECONDS` while it runs. Another tab that finds the lock is refused, unless the lock is
stale: its mtime is older than `STALE_SECONDS` (the holder stopped touching it: it crashed, or its
machine did) or its holder is a process of this host that no longer exists. On a shared volume
(several replicas) the host name tells the replicas apart, and the mtime covers the rest.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import time
from dataclasses import dataclass
from pathlib import Path

HEARTBEAT_SECONDS = 10.0
STALE_SECONDS = 30.0


@dataclass
class NameClaim:
    """A held name; `refresh` keeps it, `release` gives it back. `path` is None when the
    folder cannot be written (the store then keeps progress in memory: nothing to guard)."""

    path: Path | None
    token: str

    def refresh(self) -> None:
        """The heartbeat: touch the lock (and put it back if someone removed it)."""
        if self.path is None:
            return
        try:
            os.utime(self.path)
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                _write(self.path, self.token)
        except OSError:
            pass

    def release(self) -> None:
        """Remove the lock if it is still ours."""
        if self.path is None:
            return
        with contextlib.suppress(OSError, ValueError):
            if _read(self.path).get("token") == self.token:
                self.path.unlink()
        self.path = None


def lock_for(progress_file: Path) -> Path:
    return progress_file.with_name(progress_file.stem + ".lock")


def _content(token: str) -> str:
    return json.dumps({"host": socket.gethostname(), "pid": os.getpid(), "token": token})


def _write(path: Path, token: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(_content(token))


def _read(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def stale(path: Path, now: float | None = None) -> bool:
    """True when the lock's holder is gone (see the module docstring)."""
    now = time.time() if now is None else now
    try:
        if now - path.stat().st_mtime > STALE_SECONDS:
            return True
        data = _read(path)
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False  # being written right now: a live claim
    return data.get("host") == socket.gethostname() and not _alive(data.get("pid"))


def claim(progress_file: Path, name: str) -> NameClaim | str:
    """Claim `name` (whose progress lives in `progress_file`): the claim, or the one-line
    reason the learner must pick another name."""
    lock = lock_for(progress_file)
    token = secrets.token_hex(8)
    for _ in range(3):
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            _write(lock, token)
            return NameClaim(lock, token)
        except FileExistsError:
            if not stale(lock):
                return (
                    f"“{name}” is already in use in another open tab. Close that tab, or "
                    f"pick another name (a closed tab frees its name within {STALE_SECONDS:.0f} s)."
                )
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()  # then race the other claimants fairly with O_EXCL
        except OSError:
            return NameClaim(None, token)  # unwritable folder: progress stays in memory
    return f"“{name}” is being claimed by another tab right now: try again in a moment."
