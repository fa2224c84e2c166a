"""Nothing lost: a writer SIGKILLed at any moment leaves the old file or the new one, whole.

A forked writer (no interpreter start-up, so the kills are cheap and land anywhere in the
write) is killed `KILLS` times for each of `write_atomic` and the real `ProgressStore.save_edit`,
and every file left behind is checked for being one complete version, not merely parseable. Then the CLI with a
home folder that is a file or does not exist: `ktutor progress` works and says "in memory".
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tutor.course.atomic import write_atomic
from tutor.course.progress import ProgressStore

ROOT = Path(__file__).resolve().parents[2]
KILLS = 60
"""200 took 14 s a test; the writes are 50-200 KB, so 60 kills within 10 ms still land mid-write
(the first test checks that some did)."""


def payload(i: int) -> str:
    """Version `i`: its number at both ends and a length that depends on it, so a torn or
    mixed file cannot pass for a whole one."""
    body = "x" * (50_000 + (i * 7919) % 150_000)
    return f"{i}:{len(body)}:{body}:{i}\n"


def whole(text: str) -> int:
    head, length, rest = text.split(":", 2)
    body, tail = rest.rsplit(":", 1)
    assert len(body) == int(length) and tail == f"{head}\n", "torn file"
    return int(head)


def kill_during(loop: Callable[[], None], rng: random.Random) -> None:
    """Fork a child running `loop` forever; SIGKILL it after a random moment."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.close(read_fd)
            os.write(write_fd, b"r")
            loop()
        finally:
            os._exit(0)
    os.close(write_fd)
    os.read(read_fd, 1)
    os.close(read_fd)
    time.sleep(rng.uniform(0.0, 0.01))
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def test_sigkill_during_write_atomic_leaves_one_whole_version(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    rng = random.Random(2026)
    versions: list[int] = []
    start = 0

    for _ in range(KILLS):
        first = start

        def loop(first: int = first) -> None:
            i = first
            while True:
                write_atomic(path, payload(i))
                i += 1

        kill_during(loop, rng)
        if path.exists():
            version = whole(path.read_text(encoding="utf-8"))
            assert version >= (versions[-1] if versions else 0), "went back in time"
            versions.append(version)
            start = version + 1
    temps = list(tmp_path.glob(".saved.txt.*.tmp"))
    # a kill in the middle of a write leaves its temporary file, never a torn target: the
    # test only proves something if some kills did land mid-write
    assert temps, "no kill landed during a write: the test would prove nothing"
    # and some kills landed after whole writes: the file moved on to later versions (how many runs
    # finish a write before their kill depends on the machine's load: 47 of 60 on CI at 14:09
    # with three workers on two cores, so the count is not asserted, only that it moved on)
    assert len(set(versions)) >= 3, f"the file hardly moved on: {versions}"


def test_sigkill_during_progress_save_edit_leaves_a_loadable_store(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    rng = random.Random(7)
    last_seen = -1
    for _ in range(KILLS):
        store = ProgressStore.open(path)
        assert store.notice == "" and store.persistent, store.notice
        edit = store.saved_edit("anatomy", "step-1")
        assert edit is not None or last_seen < 0, "a saved edit was lost"
        if edit is not None:  # (a kill before the first save leaves nothing yet)
            version = whole(edit)
            assert version >= last_seen
            # each step is marked before the edit of the same round is saved
            assert version % 30 in store.lesson("anatomy").steps_done, "a step mark was lost"
            last_seen = version
        first = last_seen + 1

        def loop(store: ProgressStore = store, first: int = first) -> None:
            i = first
            while True:
                store.mark_step_done("anatomy", i % 30)
                store.save_edit("anatomy", "step-1", payload(i))
                i += 1

        kill_during(loop, rng)
        if path.exists() or last_seen >= 0:
            json.loads(path.read_text(encoding="utf-8"))  # whole JSON after every kill
    assert last_seen > 0


@pytest.mark.parametrize("home_kind", ["a file", "missing"])
def test_ktutor_progress_with_a_bad_home_keeps_progress_in_memory(
    tmp_path: Path, home_kind: str
) -> None:
    if home_kind == "a file":
        home = tmp_path / "home-is-a-file"
        home.write_text("not a folder")
    else:
        home = tmp_path / "gone" / "home"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("XDG_DATA_HOME", "KTUTOR_DATA_DIR", "XDG_CONFIG_HOME")
    }
    env.update(HOME=str(home), PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "tutor", "progress"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "in memory" in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    assert "anatomy" in proc.stdout and "(not saved)" in proc.stdout
    if home_kind == "missing":
        assert not (tmp_path / "gone").exists(), "ktutor created a home folder"
