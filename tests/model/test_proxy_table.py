"""kube-proxy's choice of endpoints (semantics 4.1), the `why` reasons, and the seeded simulation.

K · pkg/proxy/util/utils.go · `ShouldSkipService`; K · pkg/proxy/topology.go ·
`CategorizeEndpoints`; K · pkg/proxy/endpointslicecache.go (sort by "IP:port");
K · pkg/proxy/iptables/proxier.go · `writeServiceToEndpointRules` (the 1/(n-i) cascade).
"""

from __future__ import annotations

from typing import Any

import pytest
from testkit import dump_yaml_all

from tutor.model import analyze
from tutor.model.analysis import Analysis
from tutor.model.proxy import (
    CLUSTER_IP_ENTRY,
    LOAD_BALANCER_ENTRY,
    NODE_PORT_ENTRY,
    Client,
    endpoints_for,
    entry_types,
    probabilities,
    simulate,
    skip_service,
)


def pod(
    name: str,
    ip: str,
    *,
    ready: str = "True",
    terminating: bool = False,
    node: str = "node-1",
    labels: dict[str, str] | None = None,
    ns: str | None = None,
    phase: str = "Running",
    ports: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "labels": labels or {"app": "web"}}
    if ns:
        meta["namespace"] = ns
    if terminating:
        meta["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    status: dict[str, Any] = {"phase": phase, "conditions": [{"type": "Ready", "status": ready}]}
    if ip:
        status["podIP"] = ip
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {
            "nodeName": node,
            "containers": [{"name": "c", "image": "x", "ports": ports or []}],
        },
        "status": status,
    }


def service(**spec: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"selector": {"app": "web"}, "ports": [{"port": 80}]}
    body.update(spec)
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": body}


def run(*objs: dict[str, Any], from_node: str | None = None) -> Analysis:
    result = analyze(dump_yaml_all(objs, sort_keys=False), from_node=from_node)
    assert result.valid, [e.message for e in result.errors]
    return result


READY: tuple[str, dict[str, Any]] = ("r", {})
NOT_READY: tuple[str, dict[str, Any]] = ("n", {"ready": "False"})
TERM_SERVING: tuple[str, dict[str, Any]] = ("t", {"terminating": True})
TERM_NOT_SERVING: tuple[str, dict[str, Any]] = ("x", {"terminating": True, "ready": "False"})

CHOICE: list[tuple[str, list[tuple[str, dict[str, Any]]], list[str], bool]] = [
    # (description, pods, used pod names, fallback?)
    ("ready only", [READY, NOT_READY, TERM_SERVING], ["r"], False),
    (
        "no ready: fall back to serving+terminating",
        [NOT_READY, TERM_SERVING, TERM_NOT_SERVING],
        ["t"],
        True,
    ),
    ("not ready and not terminating: never", [NOT_READY], [], False),
    ("terminating and not serving: never", [TERM_NOT_SERVING], [], False),
    ("nothing at all", [], [], False),
]


@pytest.mark.parametrize(
    ("pods", "used", "fallback"), [pytest.param(p, u, f, id=d) for d, p, u, f in CHOICE]
)
def test_categorize_endpoints(
    pods: list[tuple[str, dict[str, Any]]], used: list[str], fallback: bool
) -> None:
    objs = [pod(name, f"10.244.1.{10 + i}", **opts) for i, (name, opts) in enumerate(pods)]
    result = run(service(), *objs)
    pr = result.services[0].ports[0]
    assert sorted(ep.pod.name for ep in pr.used) == used
    assert pr.fallback is fallback
    assert result.route_json()["services"]["default/web"]["80"]["ready"] == used
    for name in used:
        assert pr.verdicts[f"default/{name}"].gets_traffic
    for name, _ in pods:
        if name not in used:
            assert not pr.verdicts[f"default/{name}"].gets_traffic


def test_endpoints_sorted_as_strings() -> None:
    """ "10.244.1.10:80" sorts before "10.244.1.9:80": the order of the iptables rules."""
    result = run(
        service(),
        pod("nine", "10.244.1.9"),
        pod("ten", "10.244.1.10"),
        pod("hundred", "10.244.1.100"),
    )
    used = [ep.address for ep in result.services[0].ports[0].used]
    assert used == ["10.244.1.100:80", "10.244.1.10:80", "10.244.1.9:80"]


def _local_objs() -> list[dict[str, Any]]:
    return [
        pod("a1", "10.244.1.10", node="node-1"),
        pod("a2", "10.244.1.11", node="node-1"),
        pod("b1", "10.244.2.10", node="node-2"),
        pod("b2", "10.244.2.11", node="node-2", ready="False"),
    ]


@pytest.mark.parametrize(
    ("from_node", "used"),
    [
        ("node-1", ["a1", "a2"]),
        ("node-2", ["b1"]),
        (None, ["a1", "a2", "b1"]),
    ],
)
def test_internal_traffic_policy_local(from_node: str | None, used: list[str]) -> None:
    result = run(service(internalTrafficPolicy="Local"), *_local_objs(), from_node=from_node)
    pr = result.services[0].ports[0]
    assert sorted(ep.pod.name for ep in pr.used) == used
    if from_node == "node-2":
        assert pr.verdicts["default/a1"].code == "other-node"


def test_local_policy_fallback_is_decided_per_node() -> None:
    """node-1 has a Ready endpoint; node-2 only a terminating one: each node decides alone."""
    objs = [
        pod("a", "10.244.1.10", node="node-1"),
        pod("b", "10.244.2.10", node="node-2", terminating=True),
    ]
    result = run(service(internalTrafficPolicy="Local"), *objs)
    svc = result.services[0].service
    pe = result.services[0].ports[0].slice_endpoints
    assert [ep.pod.name for ep in endpoints_for(svc, pe, CLUSTER_IP_ENTRY, "node-1")] == ["a"]
    assert [ep.pod.name for ep in endpoints_for(svc, pe, CLUSTER_IP_ENTRY, "node-2")] == ["b"]
    assert endpoints_for(svc, pe, CLUSTER_IP_ENTRY, "node-3") == []
    # Cluster policy: the terminating one is not used while a Ready one exists anywhere
    result = run(service(), *objs)
    assert [ep.pod.name for ep in result.services[0].ports[0].used] == ["a"]


def test_external_traffic_policy_local_affects_only_external_entries() -> None:
    result = run(service(type="NodePort", externalTrafficPolicy="Local"), *_local_objs())
    sr = result.services[0]
    svc, pe = sr.service, sr.ports[0].slice_endpoints
    assert entry_types(svc) == [CLUSTER_IP_ENTRY, NODE_PORT_ENTRY]
    on_node_2 = endpoints_for(svc, pe, NODE_PORT_ENTRY, "node-2")
    assert [ep.pod.name for ep in on_node_2] == ["b1"]
    cluster_ip = endpoints_for(svc, pe, CLUSTER_IP_ENTRY, "node-2")
    assert sorted(ep.pod.name for ep in cluster_ip) == ["a1", "a2", "b1"]


@pytest.mark.parametrize(
    ("spec", "skipped", "ready"),
    [
        ({"clusterIP": "None"}, True, ["r"]),
        ({"type": "ExternalName", "externalName": "db.example.com"}, True, []),
        ({}, False, ["r"]),
    ],
)
def test_not_proxied(spec: dict[str, Any], skipped: bool, ready: list[str]) -> None:
    result = run(service(**spec), pod("r", "10.244.1.10"), pod("n", "10.244.1.11", ready="False"))
    sr = result.services[0]
    assert skip_service(sr.service) is skipped
    assert (entry_types(sr.service) == []) is skipped
    assert result.route_json()["services"]["default/web"]["80"]["ready"] == ready


def test_headless_dns_answers_ready_only_unless_publish() -> None:
    objs = [pod("r", "10.244.1.10"), pod("n", "10.244.1.11", ready="False")]
    result = run(service(clusterIP="None"), *objs)
    assert [ep.pod.name for ep in result.services[0].ports[0].used] == ["r"]
    result = run(service(clusterIP="None", publishNotReadyAddresses=True), *objs)
    assert [ep.pod.name for ep in result.services[0].ports[0].used] == ["r", "n"]


REASONS: list[tuple[str, dict[str, Any], str, str]] = [
    # (description, pod options, verdict code, text the reason contains)
    (
        "label value differs",
        {"labels": {"app": "api"}},
        "label-value",
        "label `app` is `api`, the Service wants `web`",
    ),
    (
        "label value differs only in case",
        {"labels": {"app": "Web"}},
        "label-value",
        "values are case-sensitive",
    ),
    ("label missing", {"labels": {"tier": "web"}}, "label-missing", "has no label `app`"),
    (
        "label key case",
        {"labels": {"App": "web"}},
        "label-key-case",
        "label keys are case-sensitive",
    ),
    ("other namespace", {"ns": "other"}, "namespace", "in namespace `other`"),
    ("not Ready", {"ready": "False"}, "not-ready", "not Ready"),
    ("no IP", {"ip": "", "phase": "Pending"}, "no-ip", "no IP"),
    ("Failed", {"phase": "Failed"}, "terminal-phase", "Failed"),
    ("Succeeded", {"phase": "Succeeded"}, "terminal-phase", "Succeeded"),
    ("terminating while others are Ready", {"terminating": True}, "terminating", "terminating"),
]


@pytest.mark.parametrize(
    ("opts", "code", "text"), [pytest.param(o, c, t, id=d) for d, o, c, t in REASONS]
)
def test_why_reasons(opts: dict[str, Any], code: str, text: str) -> None:
    result = run(
        service(), pod("ok", "10.244.1.10"), pod("p", opts.pop("ip", "10.244.1.11"), **opts)
    )
    pr = result.services[0].ports[0]
    ns = opts.get("ns", "default")
    verdict = pr.verdicts[f"{ns}/p"]
    assert not verdict.gets_traffic
    assert verdict.code == code
    assert text in verdict.reason
    assert pr.verdicts["default/ok"].gets_traffic
    why = result.route_json()["services"]["default/web"]["80"]["why"]
    assert ("p" in why) is (ns == "default")


def test_why_named_port_protocol() -> None:
    svc = service(ports=[{"port": 80, "targetPort": "http"}])
    p = pod("p", "10.244.1.11", ports=[{"name": "http", "containerPort": 8080, "protocol": "UDP"}])
    result = run(svc, p)
    verdict = result.services[0].ports[0].verdicts["default/p"]
    assert verdict.code == "port-unresolved"
    assert verdict.reason == ("has no container port named `http` for TCP (it has `http` for UDP)")


def test_why_named_port_lists_the_other_names_in_a_sentence_that_agrees() -> None:
    """Lesson 5's first challenge: "(its named ports are web)", one port named in the plural."""
    svc = service(ports=[{"port": 80, "targetPort": "http"}])
    one = pod("p", "10.244.1.11", ports=[{"name": "web", "containerPort": 8080}])
    two = pod(
        "q",
        "10.244.1.12",
        ports=[{"name": "web", "containerPort": 8080}, {"name": "admin", "containerPort": 9090}],
    )
    verdicts = run(svc, one, two).services[0].ports[0].verdicts
    assert verdicts["default/p"].reason == (
        "has no container port named `http` for TCP (its only named port is `web`)"
    )
    assert verdicts["default/q"].reason == (
        "has no container port named `http` for TCP (its named ports are `admin`, `web`)"
    )


def test_why_no_selector_and_external_name() -> None:
    result = run(service(selector={}), pod("p", "10.244.1.10"))
    assert "selects nothing" in result.services[0].ports[0].verdicts["default/p"].reason
    result = run(
        service(type="ExternalName", externalName="db.example.com"), pod("p", "10.244.1.10")
    )
    assert result.services[0].ports[0].verdicts["default/p"].code == "external-name"


def test_verdicts_mapping_is_complete_and_lazy() -> None:
    objs = [pod(f"p{i}", f"10.244.1.{10 + i}") for i in range(5)]
    result = run(service(), *objs)
    verdicts = result.services[0].ports[0].verdicts
    assert len(verdicts) == 5
    assert set(verdicts) == {f"default/p{i}" for i in range(5)}
    assert "default/nope" not in verdicts
    assert verdicts.get("default/nope") is None
    with pytest.raises(KeyError):
        verdicts["default/nope"]
    assert all(v.gets_traffic for v in verdicts.values())


# --- simulation -------------------------------------------------------------------------------


def _three(**spec: Any) -> Analysis:
    return run(
        service(**spec),
        pod("a", "10.244.1.10"),
        pod("b", "10.244.1.11", node="node-2"),
        pod("c", "10.244.1.12"),
    )


def _clients(n: int, node: str = "node-1") -> list[Client]:
    return [Client(f"c{i}", f"10.244.0.{100 + i}", node) for i in range(n)]


def test_same_seed_same_result() -> None:
    sr = _three().services[0]
    pe = sr.ports[0].slice_endpoints
    one = simulate(sr.service, pe, _clients(3), 500, seed=7)
    two = simulate(sr.service, pe, _clients(3), 500, seed=7)
    other = simulate(sr.service, pe, _clients(3), 500, seed=8)
    assert one.served == two.served and one.sequence == two.sequence
    assert one.sequence != other.sequence


def test_counts_add_up_and_are_uniform() -> None:
    sr = _three().services[0]
    sim = simulate(sr.service, sr.ports[0].slice_endpoints, _clients(10), 30_000, seed=1)
    assert sum(sim.served.values()) + sim.dropped + sim.rejected == 30_000
    assert set(sim.served) == {"a", "b", "c"}
    for count in sim.served.values():
        assert abs(count - 10_000) < 600, sim.served


def test_probabilities_match_the_cascade() -> None:
    assert probabilities(1) == []
    assert [round(p, 10) for p in probabilities(3)] == [0.3333333333, 0.5]


def test_client_ip_affinity_is_sticky() -> None:
    sr = _three(sessionAffinity="ClientIP").services[0]
    sim = simulate(sr.service, sr.ports[0].slice_endpoints, _clients(6), 600, seed=3)
    per_client: dict[str, set[str]] = {}
    for client, pod_name in sim.sequence:
        per_client.setdefault(client, set()).add(pod_name)
    assert all(len(pods) == 1 for pods in per_client.values()), per_client
    assert sum(sim.served.values()) == 600


def test_no_endpoints_rejects_and_local_without_local_endpoint_drops() -> None:
    result = run(service(), pod("n", "10.244.1.10", ready="False"))
    sr = result.services[0]
    sim = simulate(sr.service, sr.ports[0].slice_endpoints, _clients(1), 10, seed=0)
    assert sim.rejected == 10 and not sim.served
    result = run(service(internalTrafficPolicy="Local"), pod("a", "10.244.1.10", node="node-1"))
    sr = result.services[0]
    sim = simulate(sr.service, sr.ports[0].slice_endpoints, _clients(1, "node-2"), 10, seed=0)
    assert sim.dropped == 10 and not sim.served


def test_load_balancer_local_only_sends_to_healthy_nodes() -> None:
    result = run(
        service(type="LoadBalancer", externalTrafficPolicy="Local"),
        pod("a", "10.244.1.10", node="node-1"),
    )
    sr = result.services[0]
    sim = simulate(
        sr.service,
        sr.ports[0].slice_endpoints,
        _clients(1),
        100,
        seed=0,
        entry=LOAD_BALANCER_ENTRY,
        entry_nodes=["node-1", "node-2"],
    )
    assert sim.served["a"] == 100 and sim.dropped == 0
