"""Suite-wide settings: cached bytecode for the suite and the `ktutor` children it starts.

This machine sets PYTHONDONTWRITEBYTECODE=1, so every `python -m tutor` a test starts (about
400 of them: CLI, pty, signal and bad-input tests) compiled the whole package again, and each
xdist worker rewrote every test module's asserts afresh. Bytecode now goes to a cache folder
outside the source tree (PYTHONPYCACHEPREFIX), so the tree stays clean and a child pays only for
what changed. Python checks each cached file against its source's mtime and size, so a stale
entry is never used.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

PYCACHE = Path(tempfile.gettempdir()) / f"ktutor-test-pycache-{os.getuid()}"

if not os.environ.get("PYTHONPYCACHEPREFIX"):
    os.environ["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    sys.pycache_prefix = str(PYCACHE)
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` starts one worker more than there are cores. A Pilot test is idle much of its
    time (Textual's wait_for_idle sleeps 20 ms at least once per key and per pause: the course
    walkthroughs took 111 s for 33 CPU s), and the pty, signal and browser tests wait on their
    children, so one worker per core left a core idle. Not more: the bad-input budgets (2 s
    per `ktutor` child, process start included) must hold while every worker is busy."""
    return len(os.sched_getaffinity(0)) + 1
