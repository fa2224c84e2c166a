"""Every routing scenario (tests/scenarios/*.yaml) against its .expect.json, per the README there.

All of them go through `analyze().route_json()`; a few also through the real command line
(`python -m tutor route FILE --json`) so the CLI contract is checked end to end.
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path
from typing import Any

import pytest

from tutor.cli import main
from tutor.model import analyze
from tutor.model.network import ClusterNetwork

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "tests" / "scenarios").glob("*.yaml"))
CLI_SAMPLE = [p for p in SCENARIOS if p.name.startswith(("001-", "017-", "041-", "051-"))]


def _match(have: dict[str, Any], want: dict[str, Any] | list[Any], where: object) -> None:
    """`have` equals `want`, where a key (a Pod name) or a string value in `want` may be a glob
    pattern (`node-exporter-?????`, `10.244.1.*:9100`): generated names and simulated IPs are
    not Kubernetes' to predict, only their shape. Each pattern matches one distinct entry;
    `want` may be a list of [key, value] pairs, so a pattern can repeat."""
    pairs = list(want.items()) if isinstance(want, dict) else [tuple(p) for p in want]
    assert len(have) == len(pairs), (where, have, want)
    left = dict(have)
    for key, value in pairs:
        found = None
        for name, got in left.items():
            if fnmatch.fnmatchcase(name, key) and (
                got == value
                or (
                    isinstance(value, str)
                    and isinstance(got, str)
                    and fnmatch.fnmatchcase(got, value)
                )
            ):
                found = name
                break
        assert found is not None, (where, key, value, have)
        del left[found]


def _match_names(have: list[str], want: list[str], where: object) -> None:
    _match(dict.fromkeys(have, True), [[n, True] for n in want], where)


def check_against_expectation(got: dict[str, Any], expected: dict[str, Any]) -> None:
    """The README's contract: `valid`; for invalid files the distinct error paths (any order);
    for valid ones, per Service port: targetPort, endpoints (exact) and ready (as a set), and
    when given, addresses (Pod -> IP:port) and why (Pod -> a part of the reason)."""
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
            _match(have["endpoints"], want["endpoints"], (ref, key, "endpoints"))
            _match_names(have["ready"], want["ready"], (ref, key, "ready"))
            if "addresses" in want:
                _match(have["addresses"], want["addresses"], (ref, key, "addresses"))
            for pod, part in want.get("why", {}).items():
                assert part in have["why"][pod], (ref, key, pod, have["why"][pod])


def _expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_suffix(".expect.json").read_text())
    return data


def test_there_are_scenarios() -> None:
    assert len(SCENARIOS) >= 10
    for path in SCENARIOS:
        assert path.with_suffix(".expect.json").exists(), path.name


def _network(expected: dict[str, Any]) -> ClusterNetwork:
    """`cluster: {ip_families: [...]}` in an expect file: the cluster it runs on (default
    single-stack IPv4, as kind), as a lesson's `cluster:` or the CLI's --dual-stack sets it."""
    families = expected.get("cluster", {}).get("ip_families", ["IPv4"])
    return ClusterNetwork(tuple(families))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_through_analyze(path: Path) -> None:
    got = analyze(path.read_text(), network=_network(_expected(path))).route_json()
    check_against_expectation(json.loads(json.dumps(got)), _expected(path))


PER_NODE = [p for p in SCENARIOS if "from_nodes" in _expected(p)]


@pytest.mark.parametrize("path", PER_NODE, ids=[p.stem for p in PER_NODE])
def test_scenario_per_client_node(path: Path) -> None:
    """`from_nodes`: {node: {Service: {port: [Pods kube-proxy on that node sends to]}}}, for
    what depends on the client's node (topology hints, internalTrafficPolicy: Local)."""
    text = path.read_text()
    for node, services in _expected(path)["from_nodes"].items():
        got = analyze(text, from_node=node, network=_network(_expected(path))).route_json()
        for ref, ports in services.items():
            for key, want in ports.items():
                _match_names(got["services"][ref][key]["ready"], want, (node, ref, key))


@pytest.mark.parametrize("path", CLI_SAMPLE, ids=[p.stem for p in CLI_SAMPLE])
def test_scenario_through_ktutor_route_json(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ktutor route FILE --json` through `tutor.cli.main` in this process (a python start
    each was most of this test's time; tests/cli and tests/robustness run real children)."""
    code = main(["route", str(path), "--json"])
    out, err = capsys.readouterr()
    expected = _expected(path)
    assert code == (0 if expected["valid"] else 1), err
    assert "Traceback" not in err
    check_against_expectation(json.loads(out), expected)
