"""`ktutor export`: real-cluster YAML that `ktutor check` accepts and routes like the lesson."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from testkit import builtin_lesson, builtin_lessons, load_yaml_all

from tutor.classroom.exporting import (
    GROUP_LABEL,
    IMAGE,
    NODE_LABEL,
    ExportError,
    export_text,
    pick_manifest,
)
from tutor.cli import main
from tutor.course.find import find_lesson
from tutor.course.lesson import Lesson
from tutor.model import analyze
from tutor.model.analysis import Analysis
from tutor.model.report import listens

FIXTURE = Path(__file__).parent / "data" / "pack" / "01-hostile.yaml"

Shape = Counter[tuple[str, tuple[tuple[str, str], ...], int, bool]]


def _shape(analysis: Analysis, used: bool) -> dict[str, Shape]:
    """Per Service port: the multiset of (namespace, labels, port, answers) of its endpoints (or
    of the Pods that get traffic). Pod names differ after export; labels, ports and whether the
    Pod answers on the port must not (every exported Pod listens wherever the lesson's does).
    Terminating Pods are left out: a Deployment cannot start a Pod that is shutting down."""
    out: dict[str, Shape] = {}
    for sr in analysis.services:
        for pr in sr.ports:
            eps = pr.used if used else pr.endpoints
            out[f"{sr.service.ref}:{pr.port.key}"] = Counter(
                (
                    ep.pod.namespace,
                    tuple(sorted((k, v) for k, v in ep.pod.labels.items() if k != GROUP_LABEL)),
                    ep.port,
                    listens(ep.pod, ep.port, pr.port.protocol) is not False,
                )
                for ep in eps
                if not ep.pod.terminating
            )
    return out


def _cases() -> list[tuple[str, Lesson, str, str]]:
    """Every step's manifest and every reference solution, each text once per lesson: a step
    without a manifest of its own shows the one before it, and its export was the same run
    again (68 of 151 cases; `where` only names the step in the file's first comment line)."""
    lessons = [*builtin_lessons(), find_lesson(str(FIXTURE))]
    cases = []
    seen: set[tuple[str, str]] = set()
    for lesson in lessons:
        picked = [
            (f"step{n}", pick_manifest(lesson, step=n)) for n in range(1, len(lesson.steps) + 1)
        ]
        picked += [
            (f"{ch.id}-solution", pick_manifest(lesson, challenge=ch.id, solution=True))
            for ch in lesson.challenges
        ]
        for name, (text, where) in picked:
            if (lesson.id, text) not in seen:
                seen.add((lesson.id, text))
                cases.append((f"{lesson.id}-{name}", lesson, text, where))
    return cases


CASES = _cases()


@pytest.mark.parametrize(("case", "lesson", "text", "where"), CASES, ids=[c[0] for c in CASES])
def test_export_is_valid_and_routes_like_the_lesson(
    case: str, lesson: Lesson, text: str, where: str
) -> None:
    network = lesson.network  # the lesson's cluster: a dual-stack lesson's is dual-stack
    before = analyze(text, network=network)
    if not before.valid:
        with pytest.raises(ExportError) as err:
            export_text(lesson, text, where)
        assert err.value.code == 1
        return
    exported = export_text(lesson, text, where)
    after = analyze(exported.text, network=network)
    assert after.valid, [e.message for e in after.errors]
    assert all(p.owner.startswith("Deployment/") for p in after.cluster.pods)
    assert _shape(after, used=False) == _shape(before, used=False)
    if all(p.ready and not p.terminating for p in before.cluster.pods):
        # the model cannot run a readiness probe, so compare traffic only when all are Ready
        assert _shape(after, used=True) == _shape(before, used=True)
    selectors = []
    docs = load_yaml_all(exported.text)  # libyaml: the same data, a tenth of the CPU
    for doc in docs:
        if doc["kind"] == "Deployment":
            selector = doc["spec"]["selector"]["matchLabels"]
            selectors.append((doc["metadata"].get("namespace", "default"), selector))
            assert selector.items() <= doc["spec"]["template"]["metadata"]["labels"].items()
            for c in doc["spec"]["template"]["spec"]["containers"]:
                assert c["image"] == IMAGE and c["args"][0] == "netexec"
        if doc["kind"] == "Service":
            assert doc["spec"].get("clusterIP") in (None, "None")
    # no Deployment's selector picks another Deployment's Pods (identical or a subset)
    templates = [
        (d["metadata"].get("namespace", "default"), d["spec"]["template"]["metadata"]["labels"])
        for d in docs
        if d["kind"] == "Deployment"
    ]
    for i, (ns, selector) in enumerate(selectors):
        for j, (other_ns, labels) in enumerate(templates):
            if i != j and ns == other_ns:
                assert not selector.items() <= labels.items(), (selector, labels)


MIXED = """\
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  clusterIP: 10.96.50.50
  selector: {app: api}
  ports:
  - {name: http, port: 80, targetPort: http}
  - {name: metrics, port: 9100, targetPort: 9100}
---
apiVersion: v1
kind: Pod
metadata: {name: api-1, namespace: shop, labels: {app: api}}
spec:
  containers:
  - name: app
    image: x
    ports:
    - {name: http, containerPort: 8080}
    - {containerPort: 9100}
---
apiVersion: v1
kind: Pod
metadata: {name: api-2, namespace: shop, labels: {app: api}}
spec:
  containers:
  - name: app
    image: x
    ports:
    - {name: http, containerPort: 8080}
    - {containerPort: 9100}
status:
  phase: Running
  podIP: 10.244.1.9
  conditions: [{type: Ready, status: "False"}]
---
apiVersion: v1
kind: Pod
metadata: {name: api-3, namespace: shop, labels: {app: api}}
spec:
  containers:
  - name: app
    image: x
    ports:
    - {name: http, containerPort: 8080}
    - {containerPort: 9100}
---
apiVersion: v1
kind: Pod
metadata: {name: done, labels: {app: api}}
spec: {containers: [{name: app, image: x}]}
status: {phase: Succeeded}
"""


def test_groups_by_labels_ports_and_readiness() -> None:
    lesson = find_lesson(str(FIXTURE))
    exported = export_text(lesson, MIXED, "test")
    docs = list(yaml.safe_load_all(exported.text))
    kinds = [d["kind"] for d in docs]
    assert kinds == ["Namespace", "Service", "Deployment", "Deployment"]
    assert "clusterIP" not in docs[1]["spec"]
    ready, unready = docs[2], docs[3]
    assert ready["spec"]["replicas"] == 2 and unready["spec"]["replicas"] == 1
    assert ready["metadata"]["namespace"] == "shop"
    assert ready["metadata"]["name"] != unready["metadata"]["name"]
    containers = ready["spec"]["template"]["spec"]["containers"]
    # two ports: two netexec processes, each with its own UDP port so they do not collide
    assert [c["args"] for c in containers] == [
        ["netexec", "--http-port=8080", "--udp-port=8080"],
        ["netexec", "--http-port=9100", "--udp-port=9100"],
    ]
    assert containers[0]["ports"] == [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]
    assert "readinessProbe" not in containers[0]
    assert all("readinessProbe" in c for c in unready["spec"]["template"]["spec"]["containers"])
    assert any("done" in s and "Succeeded" in s for s in exported.skipped)
    assert "kubectl run client --image=curlimages/curl" in exported.text
    assert "http://api.shop.svc.cluster.local:80/hostname" in exported.text
    assert "kubectl delete -f" in exported.text


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "lab.yaml"
    assert main(["export", str(FIXTURE), "--step", "2", "-o", str(out)]) == 0
    assert f"kubectl apply -f {out}" in out.read_text()
    assert main(["check", str(out)]) == 0
    capsys.readouterr()
    assert main(["export", str(FIXTURE), "--step", "9"]) == 2
    assert "steps 1 to 3" in capsys.readouterr().err
    assert main(["export", str(FIXTURE), "--challenge", "second", "--solution"]) == 1
    assert "invalid" in capsys.readouterr().err
    assert main(["export", str(FIXTURE), "--challenge", "nope"]) == 2
    assert main(["export", str(FIXTURE), "--solution"]) == 2


SAME_LABELS = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  internalTrafficPolicy: Local
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, labels: {app: web}}
spec: {nodeName: node-1, containers: [{name: a, image: x, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-2, labels: {app: web}}
spec: {nodeName: node-2, containers: [{name: a, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-3, labels: {app: web, tier: canary}}
spec: {nodeName: node-2, containers: [{name: a, image: x}]}
"""


def test_deployments_never_share_or_overlap_selectors() -> None:
    lesson = find_lesson(str(FIXTURE))
    docs = [d for d in yaml.safe_load_all(export_text(lesson, SAME_LABELS, "t").text)]
    deps = [d for d in docs if d["kind"] == "Deployment"]
    assert len(deps) == 3
    selectors = [d["spec"]["selector"]["matchLabels"] for d in deps]
    assert all(GROUP_LABEL in s for s in selectors[:2]), selectors  # {app: web} twice
    assert len({tuple(sorted(s.items())) for s in selectors}) == 3


def test_nodes_pin_pods_and_the_kind_config_has_zoned_workers(tmp_path: Path) -> None:
    lesson = find_lesson(str(FIXTURE))
    exported = export_text(lesson, SAME_LABELS, "t", nodes=True)
    deps = [d for d in yaml.safe_load_all(exported.text) if d["kind"] == "Deployment"]
    pinned = {d["spec"]["template"]["spec"]["nodeSelector"][NODE_LABEL] for d in deps}
    assert pinned == {"node-1", "node-2"}
    kind = yaml.safe_load(exported.kind)
    workers = [n for n in kind["nodes"] if n["role"] == "worker"]
    assert 2 <= len(workers) <= 3
    assert {w["labels"][NODE_LABEL] for w in workers} >= pinned
    assert all(w["labels"]["topology.kubernetes.io/zone"] for w in workers)
    out, cfg = tmp_path / "lab.yaml", tmp_path / "kind.yaml"
    args = ["export", str(FIXTURE), "--step", "1", "--nodes", "--kind-config", str(cfg)]
    assert main([*args, "-o", str(out)]) == 0
    assert yaml.safe_load(cfg.read_text())["kind"] == "Cluster"


def test_refused_ports_and_kind_notes_are_in_the_header() -> None:
    multi = builtin_lesson("multi-port")
    text, where = pick_manifest(multi, step=1)
    exported = export_text(multi, text, where)
    before = analyze(text)
    deaf = [
        (ep.pod.name, ep.port)
        for sr in before.services
        for pr in sr.ports
        for ep in pr.endpoints
        if listens(ep.pod, ep.port, pr.port.protocol) is False
    ]
    if deaf:  # the lesson's Pods refuse a port: the cluster's refuse it too, and it says so
        assert "Refused on purpose:" in exported.text
    types = builtin_lesson("service-types")
    for n in range(1, len(types.steps) + 1):
        text, where = pick_manifest(types, step=n)
        if "type: LoadBalancer" in text and analyze(text).valid:
            header = export_text(types, text, where).text
            assert "EXTERNAL-IP stays <pending>" in header and "NodePort on kind" in header
            break
    else:
        pytest.fail("no LoadBalancer step in service-types")


def test_a_dual_stack_lesson_exports_for_a_dual_stack_cluster() -> None:
    """Lesson 13's dual-stack steps were refused (`IPv6: not configured on this cluster`):
    the export checked them on a single-stack cluster. They export, the kind config asks for
    a dual-stack cluster and the header says to create it."""
    lesson = builtin_lesson("dual-stack")
    texts = [pick_manifest(lesson, step=n)[0] for n in range(1, len(lesson.steps) + 1)]
    dual = [n for n, t in enumerate(texts, 1) if not analyze(t).valid]  # refused single-stack
    assert dual
    for n in dual:
        exported = export_text(lesson, *pick_manifest(lesson, step=n))
        assert yaml.safe_load(exported.kind)["networking"] == {"ipFamily": "dual"}
        assert "Dual-stack: " in exported.text and "kind create cluster --config" in exported.text
        # and the first thing it says to run is that cluster, not a plain `kind create cluster`
        assert "Run it on the kind cluster described at the end" in exported.text
        assert "minikube start" not in exported.text
    single = export_text(
        builtin_lesson("anatomy"), *pick_manifest(builtin_lesson("anatomy"), step=1)
    )
    assert "networking" not in yaml.safe_load(single.kind) and "Dual-stack" not in single.text


def test_the_lessons_nodes_are_named_as_not_exported() -> None:
    """Topology's Node objects (with zones) were dropped without a word, so its export ran on a
    zoneless kind cluster as if it were the lesson's."""
    lesson = builtin_lesson("topology")
    text, where = pick_manifest(lesson, step=1)
    assert "kind: Node" in text
    plain = export_text(lesson, text, where).text
    assert "#   Node node-1, node-2, node-3: a cluster has its own nodes; --nodes" in plain
    pinned = export_text(lesson, text, where, nodes=True).text
    assert "#   Node node-1, node-2, node-3: the kind config's workers stand for them" in pinned
