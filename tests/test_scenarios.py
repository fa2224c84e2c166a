"""Every routing scenario (tests/scenarios/*.yaml) against its .expect.json, per the README there.

All of them go through `analyze().route_json()`; a few also through the real command line
(`python -m tutor route FILE --json`) so the CLI contract is checked end to end.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tutor.model import analyze

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "tests" / "scenarios").glob("*.yaml"))
CLI_SAMPLE = [p for p in SCENARIOS if p.name.startswith(("001-", "017-", "041-", "051-"))]


def check_against_expectation(got: dict[str, Any], expected: dict[str, Any]) -> None:
    """The README's contract: `valid`; for invalid files the distinct error paths (any order);
    for valid ones, per Service port: targetPort, endpoints (exact) and ready (as a set)."""
    assert got["valid"] is expected["valid"]
    if not expected["valid"]:
        want_paths = {e if isinstance(e, str) else e["path"] for e in expected["errors"]}
        assert {e["path"] for e in got["errors"]} == want_paths
        for err in got["errors"]:
            assert err["message"].startswith(err["path"] + ": ") or not err["path"]
        return
    assert got["errors"] == []
    for ref, ports in expected.get("services", {}).items():
        assert ref in got["services"], sorted(got["services"])
        assert set(got["services"][ref]) == set(ports)
        for key, want in ports.items():
            have = got["services"][ref][key]
            assert have["targetPort"] == want["targetPort"], (ref, key)
            assert have["endpoints"] == want["endpoints"], (ref, key)
            assert sorted(have["ready"]) == sorted(want["ready"]), (ref, key)


def _expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_suffix(".expect.json").read_text())
    return data


def test_there_are_scenarios() -> None:
    assert len(SCENARIOS) >= 10
    for path in SCENARIOS:
        assert path.with_suffix(".expect.json").exists(), path.name


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_through_analyze(path: Path) -> None:
    got = analyze(path.read_text()).route_json()
    check_against_expectation(json.loads(json.dumps(got)), _expected(path))


@pytest.mark.parametrize("path", CLI_SAMPLE, ids=[p.stem for p in CLI_SAMPLE])
def test_scenario_through_ktutor_route_json(path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tutor", "route", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    expected = _expected(path)
    assert proc.returncode == (0 if expected["valid"] else 1), proc.stderr
    assert "Traceback" not in proc.stderr
    check_against_expectation(json.loads(proc.stdout), expected)
