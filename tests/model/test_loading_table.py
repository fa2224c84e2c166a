"""Loading manifests: multi-document YAML, `kind: List`, workloads expanded into Pods, defaults.

K · pkg/controller/controller_utils.go and the apiserver's `names.SimpleNameGenerator` give the
shapes of generated Pod names; StatefulSet Pods are `<name>-<ordinal>`.
"""

from __future__ import annotations

import re

import pytest

from tutor.model import analyze
from tutor.model.manifests import SUFFIX_ALPHABET

SVC = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
"""


def deployment(
    kind: str = "Deployment", replicas: int = 3, name: str = "web", extra: str = ""
) -> str:
    return f"""\
apiVersion: apps/v1
kind: {kind}
metadata:
  name: {name}
spec:
  replicas: {replicas}
{extra}  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: registry.example/web:1
"""


def test_multi_document() -> None:
    text = SVC + "---\n" + deployment(replicas=2) + "---\n# just a comment\n"
    result = analyze(text)
    assert result.valid
    assert len(result.cluster.services) == 1
    assert len(result.cluster.pods) == 2
    assert len(result.parsed.documents) == 2


def test_kind_list() -> None:
    text = """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    selector:
      app: web
    ports:
    - port: 0
      targetPort: 80
- apiVersion: v1
  kind: Pod
  metadata:
    name: p
    labels:
      app: web
  spec:
    containers:
    - name: c
      image: x
"""
    result = analyze(text)
    (err,) = result.errors
    assert err.path == "spec.ports[0].port"
    assert (err.line, err.column) == (12, 7), "positions inside List items are exact"
    assert [p.name for p in result.cluster.pods] == ["p"]


def test_service_list_from_kubectl_get() -> None:
    text = "apiVersion: v1\nkind: ServiceList\nitems:\n" + "".join(
        "- " + line + "\n" if i == 0 else "  " + line + "\n"
        for i, line in enumerate(SVC.splitlines())
    )
    result = analyze(text)
    assert result.valid
    assert [s.name for s in result.cluster.services] == ["web"]


@pytest.mark.parametrize(
    ("kind", "pattern"),
    [
        ("Deployment", r"web-[{a}]{{10}}-[{a}]{{5}}"),
        ("ReplicaSet", r"web-[{a}]{{5}}"),
        ("StatefulSet", r"web-\d+"),
    ],
)
def test_workload_expansion_names(kind: str, pattern: str) -> None:
    extra = "  serviceName: web\n" if kind == "StatefulSet" else ""
    text = SVC + "---\n" + deployment(kind, 3, extra=extra)
    first = analyze(text)
    second = analyze(text)
    names = [p.name for p in first.cluster.pods]
    assert len(names) == 3 and len(set(names)) == 3
    regex = re.compile(pattern.format(a=SUFFIX_ALPHABET) + r"\Z")
    assert all(regex.match(n) for n in names), names
    assert names == [p.name for p in second.cluster.pods], "deterministic names"
    assert [p.ip for p in first.cluster.pods] == [p.ip for p in second.cluster.pods]
    assert [p.node_name for p in first.cluster.pods] == [p.node_name for p in second.cluster.pods]
    assert len({p.ip for p in first.cluster.pods}) == 3
    assert {p.node_name for p in first.cluster.pods} == {"node-1", "node-2"}
    assert all(p.owner == f"{kind}/web" and p.simulated for p in first.cluster.pods)
    if kind == "StatefulSet":
        assert names == ["web-0", "web-1", "web-2"]
        assert all(p.hostname == p.name and p.subdomain == "web" for p in first.cluster.pods)
    eps = first.route_json()["services"]["default/web"]["80"]["endpoints"]
    assert set(eps) == set(names) and set(eps.values()) == {8080}


def test_changing_the_template_changes_deployment_pod_names() -> None:
    a = analyze(deployment()).cluster.pods
    b = analyze(deployment().replace("web:1", "web:2")).cluster.pods
    assert {p.name for p in a}.isdisjoint({p.name for p in b})


def test_workload_selector_must_match_template() -> None:
    text = deployment().replace(
        "      labels:\n        app: web", "      labels:\n        app: api"
    )
    result = analyze(text)
    assert [e.path for e in result.errors] == ["spec.template.metadata.labels"]
    assert result.cluster.pods == []


def test_default_namespace_and_explicit_namespace() -> None:
    text = SVC + "---\n" + SVC.replace("  name: web\n", "  name: web\n  namespace: shop\n")
    result = analyze(text)
    assert sorted(s.ref for s in result.cluster.services) == ["default/web", "shop/web"]
    assert set(result.route_json()["services"]) == {"default/web", "shop/web"}


def test_ignored_kinds_are_listed() -> None:
    text = (
        SVC + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n---\n"
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ing\n"
    )
    result = analyze(text)
    assert result.valid
    assert [(i.kind, i.name) for i in result.cluster.ignored] == [
        ("ConfigMap", "cfg"),
        ("Ingress", "ing"),
    ]
    assert result.route_json()["ignored"] == ["ConfigMap/cfg", "Ingress/ing"]


def test_pod_without_status_is_simulated_running_ready() -> None:
    text = (
        SVC + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n"
        "    app: web\nspec:\n  containers:\n  - name: c\n    image: x\n"
    )
    result = analyze(text)
    (p,) = result.cluster.pods
    assert p.simulated and p.ready and p.ip and p.node_name
    assert result.route_json()["services"]["default/web"]["80"]["ready"] == ["p"]


def test_pod_with_status_keeps_its_own() -> None:
    text = (
        SVC + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n"
        "    app: web\nspec:\n  containers:\n  - name: c\n    image: x\nstatus:\n"
        "  phase: Pending\n"
    )
    (p,) = analyze(text).cluster.pods
    assert not p.simulated and p.ip == "" and p.phase == "Pending" and not p.ready


def test_service_gets_a_cluster_ip_and_node_ports() -> None:
    text = SVC.replace("spec:\n", "spec:\n  type: NodePort\n")
    result = analyze(text)
    svc = result.cluster.services[0]
    assert svc.cluster_ip.startswith("10.96.") and svc.cluster_ips == [svc.cluster_ip]
    assert 30000 <= svc.ports[0].node_port <= 32767
    assert analyze(text).cluster.services[0].cluster_ip == svc.cluster_ip


def test_replicas_zero_and_invalid_pod_excluded() -> None:
    text = (
        SVC + "---\n" + deployment(replicas=0) + "---\napiVersion: v1\nkind: Pod\n"
        "metadata:\n  name: Bad_Name\n  labels:\n    app: web\nspec:\n  containers:\n"
        "  - name: c\n    image: x\n"
    )
    result = analyze(text)
    assert result.cluster.pods == []
    assert [e.kind for e in result.errors] == ["Pod"]
    assert "Pod/default/Bad_Name" in result.parsed.invalid_objects


def test_list_items_need_a_kind() -> None:
    result = analyze(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  metadata:\n    name: x\n- 5\n"
    )
    assert [(e.message, e.line) for e in result.errors] == [
        ("items[0].kind: Required value", 4),
        ("items[1].kind: Required value", 7),
    ]


_POD_SPEC = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: web\n"
    "spec:\n  containers:\n  - name: c\n    image: x\n"
)
_TEMPLATE_OWNER = (
    "apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: web\nspec:\n  {selector}template:\n"
    "    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n"
    "      - name: c\n        image: x\n"
)


@pytest.mark.parametrize(
    ("kind", "api", "selector"),
    [
        ("Pod", "v1", ""),
        ("Deployment", "apps/v1", "selector:\n    matchLabels:\n      app: web\n  "),
        ("ReplicaSet", "apps/v1", "selector:\n    matchLabels:\n      app: web\n  "),
        ("StatefulSet", "apps/v1", "selector:\n    matchLabels:\n      app: web\n  "),
        ("DaemonSet", "apps/v1", "selector:\n    matchLabels:\n      app: web\n  "),
        ("ReplicationController", "v1", ""),
        ("Job", "batch/v1", ""),
    ],
)
@pytest.mark.parametrize(
    "containers",
    [
        "containers: []",
        "",  # no containers key at all
    ],
    ids=["empty list", "missing"],
)
def test_a_pod_or_template_without_containers_is_refused(
    kind: str, api: str, selector: str, containers: str
) -> None:
    """K · pkg/apis/core/validation · `validateContainers`: no container is `Required value`,
    whether the list is empty or missing, at the Pod's or the template's `spec.containers`."""
    if kind == "Pod":
        good, prefix, at = _POD_SPEC, "spec", 7
    else:
        good = _TEMPLATE_OWNER.format(kind=kind, api=api, selector=selector)
        if kind == "Job":  # a Job's Pods must end: restartPolicy Never or OnFailure
            good = good.replace(
                "      containers:\n", "      restartPolicy: Never\n      containers:\n"
            )
        prefix, at = "spec.template.spec", good.splitlines().index("    spec:") + 1
    assert analyze(good).valid, kind
    indent = "  " * prefix.count(".") + "  "
    lines = good.splitlines()
    start = lines.index(f"{indent}containers:")
    bad_lines = (
        lines[:start] + ([f"{indent}{containers}"] if containers else []) + lines[start + 3 :]
    )
    if not containers and bad_lines[-1].endswith("spec:"):
        bad_lines[-1] += " {}"
    result = analyze("\n".join(bad_lines) + "\n")
    assert [(e.path, e.message) for e in result.errors] == [
        (f"{prefix}.containers", f"{prefix}.containers: Required value")
    ], kind
    assert result.errors[0].line == (start + 1 if containers else at)
    assert result.cluster.pods == []
