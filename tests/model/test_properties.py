"""Properties of the core, checked with Hypothesis on random and mutated manifests.

1. `analyze()` never raises, whatever the text, and every FieldError can be shown to a learner
   (a path or a message, and a position with line >= 1).
2. Routing invariants on random clusters: kube-proxy's `used` endpoints are a subset of the
   EndpointSlice endpoints; every endpoint's Pod is in the Service's namespace and matches its
   selector; a Ready, Running Pod with an IP that matches is always an endpoint of a numeric
   targetPort; simulated requests add up and only reach `used` Pods; same seed, same result.

Budgets are fixed with `settings(max_examples=...)` and the number of examples actually run is
counted and printed (run with `-s` to see it); the whole file stays well under 60 seconds.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import dump_yaml_all, parent_of, tree_paths

from tutor.model import analyze
from tutor.model.analysis import Analysis
from tutor.model.proxy import Client, simulate

EXAMPLES: Counter[str] = Counter()
FAST = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module", autouse=True)
def report_examples() -> Iterator[None]:
    yield
    total = sum(EXAMPLES.values())
    print(f"\nhypothesis examples run: {dict(EXAMPLES)} (total {total})")


def check_result(result: Analysis) -> None:
    """What every caller relies on, whatever the input was."""
    for err in result.errors:
        assert err.path or err.message
        assert err.message
        assert err.line >= 1 and err.column >= 1, err
    out = result.route_json()
    assert isinstance(out["valid"], bool)
    for err in out["errors"]:
        assert isinstance(err["message"], str) and err["message"]
    if result.parsed.syntax_error is not None:
        assert result.parsed.syntax_error.line >= 1
    if result.parsed.rejected is not None:
        assert result.parsed.rejected.reason
    for sr in result.services:
        for pr in sr.ports:
            for verdict in pr.verdicts.values():
                assert verdict.reason


# --- 1. robustness ----------------------------------------------------------------------------

BASE: list[dict[str, Any]] = [
    {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "labels": {"a": "b"}},
        "spec": {
            "selector": {"app": "web"},
            "type": "NodePort",
            "sessionAffinity": "ClientIP",
            "ports": [
                {"name": "http", "port": 80, "targetPort": "http", "nodePort": 30080},
                {"name": "m", "port": 9090, "protocol": "TCP"},
            ],
        },
    },
    {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "labels": {"app": "web"}},
        "spec": {
            "nodeName": "node-1",
            "containers": [
                {"name": "c", "image": "x", "ports": [{"name": "http", "containerPort": 8080}]}
            ],
            "initContainers": [{"name": "s", "image": "x", "restartPolicy": "Always"}],
        },
        "status": {
            "phase": "Running",
            "podIP": "10.244.1.5",
            "conditions": [{"type": "Ready", "status": "True"}],
        },
    },
    {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "c", "image": "x"}]},
            },
        },
    },
    {
        "apiVersion": "v1",
        "kind": "List",
        "items": [
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "h", "namespace": "n"},
                "spec": {"clusterIP": "None", "selector": {"app": "web"}},
            },
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "e"},
                "spec": {"type": "ExternalName", "externalName": "db.example.com"},
            },
        ],
    },
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(
        [
            "yes",
            "on",
            "1.10",
            "None",
            "TCP",
            "tcp",
            "",
            "0",
            "http",
            "-",
            "a/b",
            "ClusterIP",
            "Local",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


OPERATIONS = st.sampled_from(["delete", "retype", "rename", "nest", "huge", "dup"])
"""Built once: `st.sampled_from(a_list)` is not cached by Hypothesis (a list is not hashable), so
one built inside a draw was a new strategy whose properties were worked out again each time."""
HUGE: list[Callable[[], Any]] = [
    lambda: "a" * 5000,
    lambda: list(range(2000)),
    lambda: {f"k{i}": "v" for i in range(500)},
    lambda: [copy.deepcopy(BASE[1]["spec"]["containers"][0]) for _ in range(200)],
]
"""Large values, each built fresh when drawn (a later mutation may change it in place)."""
HUGE_CHOICES = st.sampled_from(range(len(HUGE)))


@st.composite
def mutated(draw: st.DrawFn) -> list[Any]:
    docs: list[Any] = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 6))):
        paths = tree_paths(docs)
        path = draw(st.sampled_from(paths))
        parent = parent_of(docs, path)
        key = path[-1]
        op = draw(OPERATIONS)
        if op == "delete":
            del parent[key]
        elif op == "retype":
            parent[key] = draw(values)
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = parent.pop(key)
        elif op == "nest":
            wrapped = parent[key]
            depth = draw(st.integers(1, 80))
            shape = draw(st.integers(0, 2**depth - 1))  # one draw, not one per level
            for level in range(depth):
                wrapped = [wrapped] if shape >> level & 1 else {"x": wrapped}
            parent[key] = wrapped
        elif op == "huge":
            parent[key] = HUGE[draw(HUGE_CHOICES)]()
        elif op == "dup" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        if not docs:  # the list of documents itself is never replaced: no paths left
            break
    return docs


@FAST
@given(mutated())
def test_mutated_manifests_never_raise(docs: list[Any]) -> None:
    EXAMPLES["mutated manifests"] += 1
    text = dump_yaml_all(docs, sort_keys=False)
    check_result(analyze(text))


@FAST
@given(st.text(max_size=400))
def test_random_text_never_raises(text: str) -> None:
    EXAMPLES["random text"] += 1
    check_result(analyze(text))


base_text = yaml.safe_dump_all(BASE, sort_keys=False)
base_lines = base_text.splitlines(keepends=True)


@FAST
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(base_lines) - 1),
            st.sampled_from(["dup", "drop", "indent", "dedent", "garble"]),
        ),
        min_size=1,
        max_size=5,
    ),
    st.text(max_size=8),
)
def test_textual_edits_never_raise(edits: list[tuple[int, str]], junk: str) -> None:
    """Line-level damage a learner makes while typing: duplicated keys, wrong indentation."""
    EXAMPLES["textual edits"] += 1
    lines = list(base_lines)
    for index, op in edits:
        index = min(index, len(lines) - 1)
        if index < 0:
            break
        if op == "dup":
            lines.insert(index, lines[index])
        elif op == "drop":
            del lines[index]
        elif op == "indent":
            lines[index] = "  " + lines[index]
        elif op == "dedent":
            lines[index] = lines[index].lstrip()
        else:
            lines[index] = lines[index].rstrip("\n") + junk + "\n"
    check_result(analyze("".join(lines)))


# --- 2. routing invariants --------------------------------------------------------------------

LABEL_KEYS = ["app", "tier", "App"]
LABEL_VALUES = ["web", "api", "Web", ""]
NAMESPACES = [None, "default", "other"]
PORT_NAMES = ["http", "metrics"]

label_maps = st.dictionaries(st.sampled_from(LABEL_KEYS), st.sampled_from(LABEL_VALUES), max_size=3)
# The strategies the generators below draw from, built once: `st.sampled_from(a_list)` is not
# cached by Hypothesis (a list is not hashable), so building one inside a draw made a new object
# whose properties Hypothesis worked out again at every draw. Same choices, same order of draws.
namespaces = st.sampled_from(NAMESPACES)
port_names = st.sampled_from(PORT_NAMES)
protocols = st.sampled_from(["TCP", "UDP"])
node_names = st.sampled_from(["node-1", "node-2"])
phases = st.sampled_from(["Running", "Running", "Pending", "Failed", "Succeeded"])
ready_statuses = st.sampled_from(["True", "True", "False", "Unknown", None])
container_ports = st.integers(1, 65535)
target_ports = st.one_of(st.integers(1, 65535), st.sampled_from(PORT_NAMES))
traffic_policies = st.sampled_from(["Cluster", "Cluster", "Local"])


@st.composite
def pods(draw: st.DrawFn, index: int) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": f"pod-{index}", "labels": draw(label_maps)}
    ns = draw(namespaces)
    if ns:
        meta["namespace"] = ns
    if draw(st.booleans()):
        meta["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    cports = [
        {
            "name": draw(port_names),
            "containerPort": draw(container_ports),
            "protocol": draw(protocols),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    spec = {
        "nodeName": draw(node_names),
        "containers": [{"name": "c", "image": "x", "ports": cports}],
    }
    doc: dict[str, Any] = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}
    if draw(st.integers(0, 4)):
        status: dict[str, Any] = {"phase": draw(phases)}
        if draw(st.integers(0, 4)):
            status["podIP"] = f"10.244.{index // 200}.{index % 200 + 1}"
        ready = draw(ready_statuses)
        if ready is not None:
            status["conditions"] = [{"type": "Ready", "status": ready}]
        doc["status"] = status
    return doc


@st.composite
def services(draw: st.DrawFn, index: int) -> dict[str, Any]:
    ports = []
    for j in range(draw(st.integers(1, 2))):
        target = draw(target_ports)
        ports.append(
            {
                "name": f"p{j}",
                "port": 80 + j,
                "targetPort": target,
                "protocol": draw(protocols),
            }
        )
    spec: dict[str, Any] = {"ports": ports}
    choice = draw(st.integers(0, 9))
    if choice:
        spec["selector"] = draw(label_maps)
    spec["internalTrafficPolicy"] = draw(traffic_policies)
    spec["publishNotReadyAddresses"] = draw(st.booleans())
    if draw(st.integers(0, 5)) == 0:
        spec["clusterIP"] = "None"
    if draw(st.booleans()):
        spec["sessionAffinity"] = "ClientIP"
    meta: dict[str, Any] = {"name": f"svc-{index}"}
    ns = draw(namespaces)
    if ns:
        meta["namespace"] = ns
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec}


@st.composite
def clusters(draw: st.DrawFn) -> str:
    n_pods = draw(st.integers(0, 12))
    n_svcs = draw(st.integers(1, 3))
    docs = [draw(services(i)) for i in range(n_svcs)] + [draw(pods(i)) for i in range(n_pods)]
    return dump_yaml_all(docs, sort_keys=False)


ROUTING = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@ROUTING
@given(clusters(), st.sampled_from([None, "node-1", "node-2"]), st.integers(0, 2**32))
def test_routing_invariants(text: str, from_node: str | None, seed: int) -> None:
    EXAMPLES["routing invariants"] += 1
    result = analyze(text, from_node=from_node)
    assert result.valid, [e.message for e in result.errors]
    check_result(result)
    for sr in result.services:
        svc = sr.service
        for pr in sr.ports:
            endpoint_pods = {ep.pod.name for ep in pr.endpoints}
            used = {ep.pod.name for ep in pr.used}
            assert used <= endpoint_pods
            assert len(endpoint_pods) == len(pr.endpoints), "one endpoint per Pod per port"
            for ep in pr.endpoints:
                assert ep.pod.namespace == svc.namespace
                assert svc.selector, "no or empty selector: no endpoints"
                assert all(ep.pod.labels.get(k) == v for k, v in svc.selector.items())
                assert ep.pod.ip and ep.pod.phase not in ("Failed", "Succeeded")
            for ep in pr.used:
                assert ep.ready or (ep.serving and ep.terminating)
            if svc.selector and isinstance(pr.port.target_port, int):
                for pod in result.cluster.pods:
                    if (
                        pod.namespace == svc.namespace
                        and pod.ip
                        and pod.phase == "Running"
                        and pod.ready_condition == "True"
                        and all(pod.labels.get(k) == v for k, v in svc.selector.items())
                    ):
                        assert pod.name in endpoint_pods
                        ep_port = {ep.pod.name: ep.port for ep in pr.endpoints}[pod.name]
                        assert ep_port == pr.port.target_port
            for key, verdict in pr.verdicts.items():
                assert verdict.gets_traffic is (
                    key.split("/", 1)[1] in used and key.startswith(svc.namespace + "/")
                ), verdict
            clients = [
                Client(f"c{i}", f"10.244.0.{10 + i}", from_node or "node-1") for i in range(3)
            ]
            one = simulate(svc, pr.slice_endpoints, clients, 60, seed=seed)
            two = simulate(svc, pr.slice_endpoints, clients, 60, seed=seed)
            assert one.served == two.served and one.sequence == two.sequence
            assert sum(one.served.values()) + one.dropped + one.rejected == 60
            if not sr.endpoints.managed or svc.headless:
                continue
            reachable = {ep.pod.name for ep in pr.used}
            assert set(one.served) <= reachable
            if not reachable:
                assert not one.served
