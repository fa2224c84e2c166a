"""Suite-wide settings: cached bytecode for the suite and the `ktutor` children it starts.

This machine sets PYTHONDONTWRITEBYTECODE=1, so every `python -m tutor` a test starts (about
400 of them: CLI, pty, signal and bad-input tests) compiled the whole package again, and each
xdist worker rewrote every test module's asserts afresh. Bytecode now goes to a cache folder
outside the source tree (PYTHONPYCACHEPREFIX), so the tree stays clean and a child pays only for
what changed. Python checks each cached file against its source's mtime and size, so a stale
entry is never used.
"""

from __future__ import annotations

import fcntl
import gc
import importlib.util
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

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


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection built (the imported modules, every test item and its parameters: most
    of a worker's heap) lives to the end of the run, so it is frozen: the collector's full
    passes no longer walk it after every few thousand allocations of a test."""
    gc.freeze()


SharedFile = Callable[..., Path]

KEPT = Path(tempfile.gettempdir()) / f"ktutor-test-inputs-{os.getuid()}"
"""Inputs kept from one test run to the next (`shared_file(..., keep=SOURCES)`)."""


@pytest.fixture(scope="session")
def shared_file(tmp_path_factory: pytest.TempPathFactory) -> SharedFile:
    """`shared_file(name, write)`: the file `name`, written by `write(path)` once per test run
    and read by every xdist worker (each worker is a process with its own module fixtures, so
    a 2 MB dump was written by each worker that ran one of its tests: ~2 CPU s for YAML).
    The folder is the run's own (the workers' base temp folders sit in it), a lock makes the
    other workers wait for the first writer, and the file appears whole (written aside,
    then renamed) or not at all.

    `keep=(PATH, ...)`: the files `write` depends on (its generator's source). The file is then
    kept in KEPT for later runs too, under a name made from their bytes and the Python and
    PyYAML versions, so a changed generator writes a new file and a file is never stale: the
    YAML of a 500-Pod dump took ~2 CPU s of yaml's representer in every run."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the controller's base temp: one per run, shared by its workers
    run_folder = root / "shared"
    run_folder.mkdir(exist_ok=True)

    def get(name: str, write: Callable[[Path], None], keep: tuple[Path, ...] = ()) -> Path:
        folder = run_folder
        if keep:
            import hashlib

            import yaml

            digest = hashlib.sha256(f"{sys.version}|{yaml.__version__}|{name}".encode())
            for source in keep:
                digest.update(source.read_bytes())
            folder = KEPT
            folder.mkdir(exist_ok=True)
            name = f"{digest.hexdigest()[:16]}-{name}"
        path = folder / name
        with (folder / f"{name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not path.exists():
                aside = folder / f"part-{os.getpid()}-{name}"  # the same suffix as `name`
                write(aside)
                aside.replace(path)
        return path

    return get


def badfiles() -> ModuleType:
    """tests/robustness/badfiles.py, loaded once per process as `robustness_badfiles` (the
    name the bad-input tests import it under)."""
    name = "robustness_badfiles"
    module = sys.modules.get(name)
    if module is None:
        path = Path(__file__).with_name("robustness") / "badfiles.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def zygote(shared_file: SharedFile) -> Iterator[Any]:
    """`ktutor` children forked from one prepared python (badfiles.Zygote: each still a process
    of its own, its time including a cold start measured once per run). One per worker for the
    whole run: tests/robustness/test_bad_inputs.py and tests/cli/test_check_route_cli.py each
    started one (a python importing the tutor's commands, ~0.5 CPU s) in every worker."""
    bf = badfiles()
    cold = shared_file(
        "zygote-cold-start.json", lambda out: out.write_text(json.dumps(bf.cold_start()))
    )
    forker = bf.Zygote(cold=json.loads(cold.read_text()))
    yield forker
    forker.close()
