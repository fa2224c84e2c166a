"""Crash-safe file writes: a reader sees the old file or the new one, never half of either.

Progress is saved as the learner types and exports may be interrupted, so every write goes to a
temporary file in the same directory (same filesystem, so the rename is atomic), is flushed and
fsynced, and then replaces the target with `os.replace`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str, *, fsync: bool = True, mode: int | None = None) -> None:
    """Replace `path` with `text` (UTF-8) atomically. Raises OSError when it cannot be written;
    the temporary file is removed in that case.

    The new file keeps the old one's permissions, else gets `mode` (default 0o644), because
    mkstemp's private 0o600 would surprise someone sharing an exported file.
    """
    path = Path(path)
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            mode = 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with contextlib.suppress(OSError):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if fsync:
        _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)
