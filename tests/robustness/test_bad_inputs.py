"""Every bad file through every entry point: `ktutor check`, `route`, `route --json`, `rules`,
`dns`, `lint`, `print`, and (in a child `probe.py`) `tutor.model.analyze` and the lesson loader.

Each answer must come with the right exit code, one line naming the file (and the line and
column where the problem has one), no traceback, no escape sequence from the input on the
terminal, within the time budget and in bounded memory (the child's own peak RSS).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "robustness_badfiles", Path(__file__).with_name("badfiles.py")
)
assert _SPEC is not None and _SPEC.loader is not None
bf: ModuleType = importlib.util.module_from_spec(_SPEC)
sys.modules["robustness_badfiles"] = bf
_SPEC.loader.exec_module(bf)

BUDGET_S = float(os.environ.get("KTUTOR_ROBUSTNESS_BUDGET", "2.0"))
"""Seconds per answer, process start included (the issue's 2 s): CPU seconds, with a wall-time
ceiling of three budgets (Answer.within), so 3 test workers on 2 cores do not fail it."""
CLI_RSS_MB = 150
PROBE_RSS_MB = 250
"""The probe reads the whole file into memory as the app would get a paste: the 50 MB input
costs its own size twice (bytes and text) before analyze refuses it."""

LOCATED = {
    "not-yaml",
    "alias-bomb",
    "deep-block-10000",
    "deep-indent-1400",
    "deep-flow-10000",
    "tabs",
}
"""Inputs whose problem sits at a line and column: the message must say `FILE:LINE:COL:`."""

LABELS = ["check", "route", "route --json", "rules", "dns", "lint", "print"]


SHARED = {"pack-3000-files"}
"""Inputs built once per test run for every worker (`shared_file`): writing the 3,000 lesson
files took ~0.9 CPU s in each worker that ran one of the pack's eight cases. The commands only
read them."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, shared_file: Any) -> Iterator[dict[str, Path]]:
    """Each bad input, built once on first use."""
    root = tmp_path_factory.mktemp("bad")

    class Lazy(dict[str, Path]):
        def __missing__(self, name: str) -> Path:
            bad = next(b for b in bf.CATALOGUE if b.name == name)
            if name in SHARED:

                def write(out: Path) -> None:
                    out.mkdir()
                    bad.build(out)

                (path,) = shared_file(f"bad-input-{name}", write).iterdir()
            else:
                folder = root / name
                folder.mkdir()
                path = bad.build(folder)
            self[name] = path
            return path

    yield Lazy()


TOO_LONG = ("name-too-long", "path-too-long")
"""Paths the file system refuses: the message cuts the path in the middle (#15 item 7)."""


def expected_codes(bad: Any, label: str) -> set[int]:
    """The documented exit codes: 0 ok, 1 invalid or failed check, 2 unreadable input."""
    name, kind = bad.name, bad.kind
    if label == "lint":
        if name in ("missing", "under-a-file", *TOO_LONG):
            return {2}
        if name == "directory":
            return {1}  # a folder without lesson files: nothing was checked (#15)
        return {0} if bad.lesson_ok else {1}
    if label == "print":
        return {0} if kind == "pack" or bad.lesson_ok else {2}
    return {1} if bad.manifest_ok else {2}


CASES = [
    pytest.param(bad, label, id=f"{bad.name}-{label.replace(' --', '-')}")
    for bad in bf.CATALOGUE
    for label in LABELS
]


@pytest.mark.parametrize(("bad", "label"), CASES)
def test_bad_input_cli(bad: Any, label: str, built: dict[str, Path], zygote: Any) -> None:
    path = built[bad.name]
    args = dict(bf.commands_for(bad, path))[label]
    answer = zygote.run(args, timeout=max(10.0, 5 * BUDGET_S))
    both = answer.stdout + answer.stderr
    assert answer.code in expected_codes(bad, label), both[-2000:]
    assert "Traceback" not in both, both[-2000:]
    leaked = [repr(ch) for ch in bf.FORBIDDEN if ch in both]
    assert not leaked, f"escape characters reached the terminal: {leaked}"
    budget = BUDGET_S * (2 if bad.name == "pack-3000-files" and label == "lint" else 1)
    assert answer.within(budget), f"{answer.cpu_seconds:.2f} CPU s, {answer.seconds:.2f} s"
    assert 0 < answer.max_rss_kb < CLI_RSS_MB * 1024, f"{answer.max_rss_kb // 1024} MB"
    err_lines = [ln for ln in answer.stderr.splitlines() if ln.strip()]
    if label == "lint" and bad.name == "directory":
        assert "no lesson files" in answer.stdout, answer.stdout
    elif label == "lint" and bad.name in TOO_LONG:
        assert len(err_lines) == 1 and "path too long" in err_lines[0], err_lines
    elif label == "lint":
        issues = answer.stdout.splitlines()[:-1]
        assert all(re.match(r"^.+:\d+: \S", ln) for ln in issues), issues[:5]
        if answer.code:
            assert issues and all(ln.startswith(str(path)) for ln in issues)
    elif answer.code == 2:
        assert len(err_lines) == 1, err_lines
        message = err_lines[0]
        assert message.startswith("ktutor"), message
        if bad.name in TOO_LONG:
            assert "too long" in message.lower(), message
        else:
            assert str(path) in message, message
        if bad.name in LOCATED and label != "print":
            assert re.search(re.escape(str(path)) + r":\d+:\d+: ", message), message
        elif bad.name in LOCATED:
            assert re.search(re.escape(str(path)) + r":\d+: ", message), message
    elif label == "route --json":
        out = json.loads(answer.stdout)
        assert out["valid"] is (answer.code == 0)
        assert all(e["line"] >= 1 and e["column"] >= 1 and e["message"] for e in out["errors"])
    elif answer.code == 1:
        assert re.search(re.escape(str(path)) + r":\d+:\d+: ", answer.stdout), answer.stdout[:500]


@pytest.mark.parametrize("bad", [pytest.param(b, id=b.name) for b in bf.CATALOGUE])
def test_bad_input_core_and_loader(bad: Any, built: dict[str, Path], zygote: Any) -> None:
    """analyze() and the loader, in a child so time and memory are its own."""
    path = built[bad.name]
    answer = zygote.run([str(bf.PROBE), bad.kind, str(path)], timeout=max(10.0, 5 * BUDGET_S))
    assert answer.code == 0, answer.stderr[-3000:]
    report = json.loads(answer.stdout)
    assert report["dirty"] is False, "escape characters survived into a loaded lesson"
    assert answer.within(BUDGET_S), f"{answer.cpu_seconds:.2f} CPU s, {answer.seconds:.2f} s"
    assert answer.max_rss_kb < PROBE_RSS_MB * 1024, f"{answer.max_rss_kb // 1024} MB"
    if bad.kind == "pack":
        assert report["outside"] == []
        assert report["errors"], "a hostile pack is reported, not silently half-loaded"
    elif bad.lesson_ok:
        assert report["lesson"].startswith("loaded ")
    else:
        assert report["lesson"].startswith("error: ")


def test_catalogue_covers_the_issue() -> None:
    """The issue's list of bad files, by name: none silently dropped from the table."""
    names = {b.name for b in bf.CATALOGUE}
    wanted = {
        "not-yaml",
        "binary",
        "nul-bytes",
        "utf-16",
        "latin-1",
        "empty",
        "only-comments",
        "50-MB",
        "3-MB-over-limit",
        "alias-bomb",
        "deep-block-10000",
        "deep-flow-10000",
        "1-MB-single-line",
        "100000-documents",
        "tabs",
        "hostile-lesson",
        "pack-symlink-outside",
        "pack-3000-files",
        "directory",
        "missing",
        "fifo",
        "under-a-file",
    }
    assert wanted <= names, wanted - names


HOSTILE_ARGS = [
    (["route", "--requests", "10000000"], "--requests must be between 0 and"),
    (["route", "--requests", "100", "--clients", "1000000000"], "--clients must be between 1"),
    (["route", "--from-node", bf.HOSTILE], "no node"),
    (["rules", "--node", bf.HOSTILE], "no node"),
    (["dns", "--namespace", bf.HOSTILE], "not a valid namespace"),
    (["dns", "--resolve", "a" * 100_000], ""),
    (["dns", "--resolve", bf.HOSTILE], ""),
]


@pytest.mark.parametrize(
    ("args", "says"),
    HOSTILE_ARGS,
    ids=["requests", "clients", "from-node", "node", "namespace", "long-name", "hostile-name"],
)
def test_hostile_arguments(args: list[str], says: str, zygote: Any) -> None:
    """Arguments are input too: bounded time and memory, one line, nothing raw echoed."""
    scenario = bf.ROOT / "tests" / "scenarios" / "001-seed-basic.yaml"
    answer = zygote.run([*args, str(scenario)], timeout=max(10.0, 5 * BUDGET_S))
    both = answer.stdout + answer.stderr
    assert "Traceback" not in both
    assert not [ch for ch in bf.FORBIDDEN if ch in both], both[:300]
    assert answer.within(BUDGET_S) and answer.max_rss_kb < CLI_RSS_MB * 1024
    if says:
        assert answer.code == 2 and says in answer.stderr, answer.stderr
        assert len(answer.stderr.strip().splitlines()) == 1
    else:
        assert answer.code in (0, 1), both[:300]


def test_yaml_tags_in_a_strangers_file_never_run_code(built: dict[str, Path], zygote: Any) -> None:
    """`!!python/object/apply:os.system` in a lesson or manifest is data, never a call."""
    from tutor.course.loader import load_lesson_file
    from tutor.model import analyze

    bf.PWNED.unlink(missing_ok=True)
    path = built["python-tags"]
    for label in ("check", "lint", "print"):
        zygote.run(dict(bf.commands_for(bf.CATALOGUE[0], path))[label])
    load_lesson_file(path)
    analyze(path.read_text(encoding="utf-8"))
    assert not bf.PWNED.exists(), "a YAML tag ran code"
