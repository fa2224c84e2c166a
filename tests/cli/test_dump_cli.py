"""A cluster's dump on the command line: `kubectl get svc,pods,endpointslices,nodes -A -o json`
(and `-o yaml`) as one `kind: List` with Services, Pods of ReplicaSets, the controller's
EndpointSlices, Nodes and `default/kubernetes`, over the editor's 2 MB, through `check`, `route`,
`route --compare`, `dns` and `rules` (benchmarks/clusterdump.py writes it; benchmarks/dump.py
times the 10,000-Pod one)."""

from __future__ import annotations

import gc
import importlib.util
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tutor.cli import main
from tutor.commands._input import analyze_file
from tutor.model.limits import MAX_TEXT_BYTES

ROOT = Path(__file__).resolve().parents[2]
CLUSTERDUMP = ROOT / "benchmarks" / "clusterdump.py"
_SPEC = importlib.util.spec_from_file_location("clusterdump", CLUSTERDUMP)
assert _SPEC is not None and _SPEC.loader is not None
clusterdump: Any = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(clusterdump)

PODS, SERVICES = 500, 50


def _dump_file(shared_file: Callable[..., Path], layout: str) -> Path:
    """The dump in kubectl's JSON or YAML layout, written once for every worker and kept for
    later runs while benchmarks/clusterdump.py is unchanged."""
    path = shared_file(
        f"dump-{PODS}-{SERVICES}.{layout}",
        lambda out: clusterdump.write(clusterdump.dump(PODS, SERVICES), out),
        keep=(CLUSTERDUMP,),
    )
    assert path.stat().st_size > MAX_TEXT_BYTES  # past the editor's limit, within the CLI's
    return path


@pytest.fixture(scope="module", params=["json"])
def dump(request: pytest.FixtureRequest, shared_file: Callable[..., Path]) -> Path:
    """The dump the commands read: JSON. The commands print what the analysis holds, whatever
    the file's layout (they read nothing else from it), and the YAML layout is proven below to
    read as the same cluster, so each command ran on the YAML dump too only to parse 2 MB of
    YAML again (~1.2 CPU s a run, six runs)."""
    return _dump_file(shared_file, request.param)


def test_the_yaml_dump_reads_as_the_same_cluster_as_the_json_dump(
    shared_file: Callable[..., Path],
) -> None:
    """Every Service, Pod, workload, Node, EndpointSlice and the network, as dataclasses
    compared field by field, and the routing the commands print from them; each file read as
    every command reads it (`analyze_file`). So `check` runs on the JSON dump only: on the YAML
    one it ran the same code around this same reading (~1.2 CPU s for 2 MB of YAML)."""
    from_json, from_yaml = (
        analyze_file(str(_dump_file(shared_file, layout)))[1] for layout in ("json", "yaml")
    )
    assert from_json.valid and not from_json.errors
    assert len(from_json.cluster.pods) == PODS
    assert from_yaml.cluster == from_json.cluster
    assert from_yaml.route_json() == from_json.route_json()


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_check_reads_the_whole_dump(dump: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["check", str(dump)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"{dump}: valid ({SERVICES + 1} Service(s), {PODS} Pod(s)")
    assert "not modelled" not in out  # Nodes and EndpointSlices are read, not ignored


def test_route_follows_the_dumps_slices(dump: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["route", str(dump)], capsys)
    assert (code, err) == (0, "")
    assert out.count("\nService ") + out.startswith("Service ") == SERVICES + 1
    # default/kubernetes has no selector: kube-proxy routes from its hand-written slice
    head = out.split("\n\n", 1)[0]
    assert "selector: none" in head and re.search(
        r">\s+10\.132\.15\.200\s+10\.132\.15\.200:6443", head
    )
    # app-3's Pods (every tenth Pod) are not Ready: no traffic, said why
    app3 = out.split("Service team-03/app-3 ", 1)[1].split("\n\n", 1)[0]
    assert "not Ready" in app3 and not re.search(r"^\s+>", app3, re.MULTILINE)
    assert "a request: connection refused by kube-proxy (REJECT)" in app3
    # app-0's ten Pods share its traffic, from the controller's slice
    app0 = out.split("Service team-00/app-0 ", 1)[1].split("\n\n", 1)[0]
    assert "managed by endpointslice-controller.k8s.io" in app0
    assert len(re.findall(r"^\s+>\s+app-0-\S+\s+\S+:8080 .* 10%", app0, re.MULTILINE)) == 10


def test_route_compare_agrees_with_the_dump(dump: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["route", str(dump), "--compare"], capsys)
    assert (code, err) == (0, "")
    assert out.rstrip().endswith(
        f"the model agrees with the cluster ({2 * SERVICES} port(s), {SERVICES + 1} "
        "EndpointSlice(s))"
    )


def test_dns_and_rules_on_the_dump(dump: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["dns", str(dump)], capsys)
    assert (code, err) == (0, "")
    assert "app-0.team-00.svc.cluster.local.\t5\tIN\tA\t10.96.1.10" in out
    code, out, err = _run(["rules", str(dump)], capsys)
    assert (code, err) == (0, "")
    assert re.search(
        r"-A KUBE-SERVICES .*app-0:http.* -d 10\.96\.1\.10 --dport 80 -j KUBE-SVC-", out
    )
    assert out.count("-j KUBE-SEP-") > PODS  # every Ready endpoint of each port


@pytest.mark.parametrize("command", ["route", "rules"])
def test_the_collector_is_back_after_printing_a_dump(
    dump: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """route and rules print a dump with the garbage collector paused (`collector_paused`):
    it is on again when the command returns, as it was before (commands run in-process here and
    from the console), and off stays off."""
    assert gc.isenabled()
    assert _run([command, str(dump)], capsys)[0] == 0
    assert gc.isenabled()
    gc.disable()
    try:
        assert _run([command, str(dump)], capsys)[0] == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
