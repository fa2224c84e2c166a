"""One object per kind, namespace and name: the API server stores one, and a second create of a
valid object fails after validation with AlreadyExists (K ·
staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go · `Create`). The model kept
both, and two Pods of one name shared one routing verdict (found by
tests/robustness/test_mutation_properties.py)."""

from __future__ import annotations

import pytest

from tutor.commands._input import format_errors
from tutor.model import analyze

SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {{name: {name}{ns}}}\nspec:\n  selector: {{app: {app}}}\n  ports: [{{port: 80}}]{ip}\n"
POD = "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}{ns}, labels: {{app: {app}}}}}\nspec: {{containers: [{{name: c, image: {image}}}]}}\n"
DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}}}\nspec:\n  replicas: 2\n"
    "  selector: {{matchLabels: {{app: {app}}}}}\n  template:\n    metadata: {{labels: {{app: {app}}}}}\n"
    "    spec: {{containers: [{{name: c, image: nginx}}]}}\n"
)
NODE = "apiVersion: v1\nkind: Node\nmetadata: {{name: {name}{ns}}}\n"


def svc(name: str, app: str = "web", ns: str = "", ip: str = "") -> str:
    return SERVICE.format(
        name=name,
        app=app,
        ns=f", namespace: {ns}" if ns else "",
        ip=f"\n  clusterIP: {ip}" if ip else "",
    )


def pod(name: str, app: str = "web", ns: str = "") -> str:
    return POD.format(name=name, app=app, ns=f", namespace: {ns}" if ns else "", image="nginx")


def node(name: str, ns: str = "") -> str:
    return NODE.format(name=name, ns=f", namespace: {ns}" if ns else "")


@pytest.mark.parametrize(
    ("docs", "expected", "pods"),
    [
        ([svc("web"), pod("p1"), pod("p1", app="api")], {'pods "p1" already exists'}, ["p1"]),
        ([svc("web"), pod("p1"), pod("p1", ns="other")], set(), ["p1", "p1"]),
        # kinds apart: a Service, a Deployment and a Pod may share a name
        ([svc("web"), DEPLOYMENT.format(name="web", app="web"), pod("web")], set(), None),
        # the first was refused (an invalid label value): nothing took the name
        ([svc("web"), pod("p1", app="'bad value'"), pod("p1")], None, ["p1"]),
        (
            [
                svc("web"),
                DEPLOYMENT.format(name="web", app="web"),
                DEPLOYMENT.format(name="web", app="api"),
            ],
            {'deployments.apps "web" already exists'},
            None,
        ),
        # Nodes are cluster-scoped: a namespace written on one does not tell two apart
        (
            [svc("web"), node("node-1"), node("node-1", ns="other")],
            {'nodes "node-1" already exists'},
            None,
        ),
    ],
    ids=["pods", "pods-other-namespace", "kinds-apart", "first-refused", "deployments", "nodes"],
)
def test_a_second_object_of_one_name_is_refused(
    docs: list[str], expected: set[str] | None, pods: list[str] | None
) -> None:
    result = analyze("---\n".join(docs))
    exists = {e.message for e in result.errors if e.type == "AlreadyExists"}
    assert exists == (expected or set())
    if pods is not None:
        assert [p.name for p in result.cluster.pods] == pods
    if expected is None:  # the refused first one's own error only
        assert result.errors and not exists


def test_the_first_object_stays_and_the_second_is_not_modelled() -> None:
    """The refused Pod's labels never reach the Service; the error points at the second
    `name:` and says where the first one is."""
    text = "---\n".join([svc("web"), pod("p1"), pod("p1", app="api")])
    result = analyze(text)
    (err,) = result.errors
    assert (err.path, err.line, err.object, err.kind) == ("metadata.name", 15, "default/p1", "Pod")
    assert err.hint.startswith("line 10 already has a Pod of this name in namespace default")
    assert len(result.services) == 1
    assert [p.name for p in result.cluster.pods] == ["p1"]
    assert result.cluster.pods[0].labels == {"app": "web"}
    assert format_errors("f.yaml", result.errors, hints=False) == [
        'Error from server (AlreadyExists): error when creating "f.yaml":',
        'f.yaml:15:12: pods "p1" already exists',
    ]


def test_a_refused_service_releases_its_cluster_ip() -> None:
    """A second `web` asking for 10.96.0.50 is refused as a duplicate, after its allocation:
    the address goes back, and `other` gets it."""
    text = "---\n".join(
        [svc("web"), svc("web", ip="10.96.0.50"), svc("other", ip="10.96.0.50"), pod("p1")]
    )
    result = analyze(text)
    assert [e.message for e in result.errors] == ['services "web" already exists']
    assert sorted(s.name for s in result.cluster.services) == ["other", "web"]
    other = next(s for s in result.cluster.services if s.name == "other")
    assert other.cluster_ip == "10.96.0.50"


def test_a_large_dump_without_duplicates_is_not_located_again() -> None:
    """Positions in a text over 2 MB are found by reading an object again; names are looked
    up only for a refusal (looking up every Pod's made `check` on the 10,000-Pod dump 10x
    slower). A 2.2 MB List of 4,000 Pods and one duplicate: one object is read again, and the
    error still says both lines."""
    import json

    from tutor.model.limits import FILE

    pod_item = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "", "labels": {"app": "web", "pad": "x" * 40}},
        "spec": {"containers": [{"name": "c", "image": "nginx", "args": ["y" * 300]}]},
    }
    items = []
    for i in [*range(4000), 7]:
        item = json.loads(json.dumps(pod_item))
        item["metadata"]["name"] = f"p{i}"
        items.append(item)
    text = json.dumps({"apiVersion": "v1", "kind": "List", "items": items}, indent=1)
    assert len(text.encode()) > 2 * 1024 * 1024
    result = analyze(text, limits=FILE)
    assert [e.message for e in result.errors] == ['pods "p7" already exists']
    (doc,) = result.parsed.documents
    located = {path[:2] for path in doc.spans if len(path) >= 2}
    assert located <= {("items", 7), ("items", 4000)}, sorted(located)[:5]
    (err,) = result.errors
    first = int(err.hint.split()[1])  # "line N already has a Pod of this name ..."
    assert 1 < first < err.line, (first, err.line)
