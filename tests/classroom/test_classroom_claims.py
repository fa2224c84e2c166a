"""One open tab per learner name, and a crashed tab does not hold its name for ever."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tutor.classroom import claims


def test_a_live_claim_refuses_the_name_until_released(tmp_path: Path) -> None:
    file = tmp_path / "learners" / "Ada.json"
    first = claims.claim(file, "Ada")
    assert isinstance(first, claims.NameClaim)
    refused = claims.claim(file, "Ada")
    assert isinstance(refused, str) and "already in use in another open tab" in refused
    first.release()
    assert isinstance(claims.claim(file, "Ada"), claims.NameClaim)


def test_a_lock_nobody_touches_goes_stale(tmp_path: Path) -> None:
    file = tmp_path / "Ada.json"
    held = claims.claim(file, "Ada")
    assert isinstance(held, claims.NameClaim) and held.path is not None
    old = time.time() - claims.STALE_SECONDS - 5
    os.utime(held.path, (old, old))  # the tab stopped its heartbeat (its machine died)
    again = claims.claim(file, "Ada")
    assert isinstance(again, claims.NameClaim)
    held.release()  # no longer ours: the new holder keeps it
    assert isinstance(claims.claim(file, "Ada"), str)


def test_a_dead_process_on_this_host_frees_the_name_at_once(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    lock = claims.lock_for(tmp_path / "Ada.json")
    lock.write_text(
        json.dumps({"host": socket.gethostname(), "pid": int(dead.stdout), "token": "x"})
    )
    assert claims.stale(lock)
    assert isinstance(claims.claim(tmp_path / "Ada.json", "Ada"), claims.NameClaim)


def test_another_hosts_fresh_lock_holds(tmp_path: Path) -> None:
    lock = claims.lock_for(tmp_path / "Ada.json")
    lock.write_text(json.dumps({"host": "another-replica", "pid": 1, "token": "x"}))
    assert not claims.stale(lock)
    assert isinstance(claims.claim(tmp_path / "Ada.json", "Ada"), str)


def test_heartbeat_keeps_the_lock_fresh(tmp_path: Path) -> None:
    held = claims.claim(tmp_path / "Ada.json", "Ada")
    assert isinstance(held, claims.NameClaim) and held.path is not None
    old = time.time() - 100
    os.utime(held.path, (old, old))
    held.refresh()
    assert not claims.stale(held.path)
