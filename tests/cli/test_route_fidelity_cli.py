"""`ktutor route` on what issue #11's first section adds: slices in the input, per-node splits,
a headless Service under --requests, and `--compare` with legacy Endpoints."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tutor.cli import main

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def _route(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["route", *args])
    return code, capsys.readouterr().out


def test_selectorless_service_routes_to_its_hand_written_slice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = _route(capsys, str(SCENARIOS / "064-selectorless-handwritten-slice.yaml"))
    assert code == 0
    assert "kube-proxy routes from the input's EndpointSlice `db-1`" in out
    assert ">  192.168.10.5  192.168.10.5:5432" in out
    assert "REJECT" not in out and "refused" not in out
    # an address outside the cluster declares no ports: it is no Pod
    assumed = "an address, not a Pod in the file: assumed to listen on 5432"
    assert f"192.168.10.5: answers on 5432 ({assumed})" in out
    assert "declares no ports" not in out
    code, out = _route(capsys, str(SCENARIOS / "064-selectorless-handwritten-slice.yaml"), "--json")
    (port,) = json.loads(out)["services"]["default/db"].values()
    assert port["request"]["summary"] == f"answered by 192.168.10.5 on port 5432 ({assumed})"


def test_dump_with_slices_marks_where_the_controller_would_differ(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = _route(capsys, str(SCENARIOS / "067-dump-slices-differ.yaml"))
    assert code == 0
    assert (
        "! web-2: the input's slices say port 8080, not ready; the controller would write port 8080, ready"
        in out
    )
    code, out = _route(capsys, str(SCENARIOS / "067-dump-slices-differ.yaml"), "--json")
    port = json.loads(out)["services"]["default/web"]["http"]
    assert port["slices"] == ["web-abcde"]
    assert port["ready"] == ["web-1"]
    assert len(port["controller_would_differ"]) == 1


def test_internal_traffic_policy_local_explains_the_split_per_node(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = _route(capsys, str(SCENARIOS / "072-internal-traffic-policy-local.yaml"))
    assert code == 0
    assert "which Pods a client reaches depends on its node (internalTrafficPolicy: Local)" in out
    assert "from node-1: cache-1" in out
    assert "from node-2: timed out (dropped)" in out
    assert "from node-3: cache-3" in out
    code, out = _route(capsys, str(SCENARIOS / "072-internal-traffic-policy-local.yaml"), "--json")
    by_node = json.loads(out)["services"]["default/cache"]["6379"]["by_node"]
    assert by_node == {"node-1": ["cache-1"], "node-2": [], "node-3": ["cache-3"]}


def test_topology_split_per_node_and_why_from_one_node(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(SCENARIOS / "069-traffic-distribution-prefer-same-zone.yaml")
    code, out = _route(capsys, path)
    assert "topology hints from trafficDistribution: PreferSameZone" in out
    assert "from node-c1: api-a, api-b" in out
    code, out = _route(capsys, path, "--from-node", "node-b1")
    assert code == 0
    assert "hinted for zone `zone-a`: kube-proxy on `node-b1` (zone `zone-b`)" in out


HEADLESS = """\
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 5432}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: pg, image: postgres, ports: [{containerPort: 5432}]}]
"""


def test_headless_service_with_requests_has_no_virtual_ip_not_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "headless.yaml"
    f.write_text(HEADLESS)
    code, out = _route(capsys, str(f), "--requests", "20")
    assert code == 0
    assert "no virtual IP: DNS returns the Pod IPs" in out
    assert "rejected" not in out and "REJECT" not in out
    code, out = _route(capsys, str(f), "--requests", "20", "--json")
    port = json.loads(out)["services"]["default/db"]["5432"]
    assert port["outcomes"] == {"no-virtual-ip": 20}


ENDPOINTS_SNAPSHOT = """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: default}
  spec:
    clusterIP: 10.96.5.5
    selector: {app: web}
    ports: [{name: http, port: 80, targetPort: 8080}]
- apiVersion: v1
  kind: Pod
  metadata: {name: web-1, namespace: default, labels: {app: web}}
  spec: {nodeName: node-1, containers: [{name: w, image: nginx}]}
  status:
    phase: Running
    podIP: 10.244.1.5
    conditions: [{type: Ready, status: "True"}]
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-2
    namespace: default
    labels: {app: web}
    deletionTimestamp: "2026-01-01T00:00:00Z"
  spec: {nodeName: node-2, containers: [{name: w, image: nginx}]}
  status:
    phase: Running
    podIP: 10.244.2.5
    conditions: [{type: Ready, status: "True"}]
- apiVersion: v1
  kind: Endpoints
  metadata: {name: web, namespace: default}
  subsets:
  - addresses:
    - ip: 10.244.1.5
      targetRef: {kind: Pod, name: web-1, namespace: default}
    ports: [{name: http, port: 8080, protocol: TCP}]
"""


def test_compare_accepts_legacy_endpoints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Endpoints controller leaves the terminating web-2 out (the slices would keep it,
    not ready): compared by the Endpoints rules, the model agrees."""
    f = tmp_path / "snap.yaml"
    f.write_text(ENDPOINTS_SNAPSHOT)
    code, out = _route(capsys, str(f), "--compare")
    assert "Service default/web port http (80/TCP) (with its legacy Endpoints object): agree" in out
    assert code == 0


def test_compare_explains_a_slice_another_controller_manages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = _route(capsys, str(SCENARIOS / "066-slice-other-controller.yaml"), "--compare")
    # the file lacks the controller's own slice for web-1: that is the one difference
    assert code == 1
    assert "web-1: model port 8080, ready; cluster absent" in out
    assert "default/web-vm (Service web) is managed by my-operator" in out
    assert "not in the file" not in out


LEGACY_SELECTORLESS = """\
apiVersion: v1
kind: Service
metadata: {name: legacy}
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: legacy}
subsets:
- addresses: [{ip: 10.9.9.9}]
  ports: [{port: 8080}]
"""


def test_route_names_the_endpoints_object_a_mirrored_slice_comes_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The mirrored slice has a generated name; the Endpoints object has the Service's."""
    f = tmp_path / "legacy.yaml"
    f.write_text(LEGACY_SELECTORLESS)
    code, out = _route(capsys, str(f))
    assert code == 0
    line = next(s for s in out.splitlines() if "kube-proxy routes from" in s).strip()
    assert re.fullmatch(
        r"kube-proxy routes from the input's EndpointSlice `legacy-[a-z0-9]{5}`, mirrored from "
        r"Endpoints `legacy` \(managed by endpointslicemirroring-controller\.k8s\.io\)",
        line,
    ), line


def test_compare_with_legacy_endpoints_says_endpoints_not_slice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Pod the model finds not ready, listed under `addresses` (ready) by the Endpoints
    object: the reason names the Endpoints object, and the count says what was compared."""
    f = tmp_path / "snap.yaml"
    f.write_text(
        ENDPOINTS_SNAPSHOT.replace(
            '    conditions: [{type: Ready, status: "True"}]\n- apiVersion: v1\n  kind: Pod',
            '    conditions: [{type: Ready, status: "False"}]\n- apiVersion: v1\n  kind: Pod',
            1,
        )
    )
    code, out = _route(capsys, str(f), "--compare")
    assert code == 1
    assert "the Endpoints object lists it as ready (under addresses)" in out
    assert "slice" not in out.split("why:", 1)[1].splitlines()[0]
    assert out.rstrip().endswith("(1 port(s), 1 Endpoints object(s))")
