"""Which Pods become endpoints, on which port, in which condition (semantics section 3).

K · pkg/controller/endpointslice/endpointslice_controller.go · `syncService`;
K · staging/src/k8s.io/endpointslice/util/controller_utils.go · `ShouldPodBeInEndpoints`;
K · staging/src/k8s.io/endpointslice/utils.go · `podToEndpoint`, `getEndpointPorts`, `FindPort`.
"""

from __future__ import annotations

from typing import Any

import pytest
from testkit import dump_yaml_all

from tutor.model import analyze
from tutor.model.analysis import Analysis
from tutor.model.endpoints import PodIndex, endpoint_slices, find_port, resolve
from tutor.model.network import DUAL_STACK
from tutor.model.objects import ContainerPort, Pod, Source

UNSET = object()


def pod(
    name: str,
    labels: dict[str, str] | None = None,
    *,
    ns: str | None = None,
    ip: str | None = "10.244.1.10",
    phase: str = "Running",
    ready: Any = "True",
    terminating: bool = False,
    ports: list[dict[str, Any]] | None = None,
    init: list[dict[str, Any]] | None = None,
    status: bool = True,
    node: str = "node-1",
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "name": name,
        "labels": labels if labels is not None else {"app": "web"},
    }
    if ns:
        meta["namespace"] = ns
    if terminating:
        meta["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    spec: dict[str, Any] = {
        "nodeName": node,
        "containers": [{"name": "app", "image": "x", "ports": ports or []}],
    }
    if init is not None:
        spec["initContainers"] = init
    out: dict[str, Any] = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}
    if status:
        st: dict[str, Any] = {"phase": phase}
        if ip:
            st["podIP"] = ip
        if ready is not None:
            st["conditions"] = [{"type": "Ready", "status": ready}]
        out["status"] = st
    return out


def service(
    selector: Any = UNSET,
    ports: list[dict[str, Any]] | None = None,
    *,
    ns: str | None = None,
    **spec: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = dict(spec)
    if selector is not UNSET:
        body["selector"] = selector
    elif "type" not in spec or spec["type"] != "ExternalName":
        body["selector"] = {"app": "web"}
    if ports is not None:
        body["ports"] = ports
    elif spec.get("type") != "ExternalName":
        body["ports"] = [{"port": 80, "targetPort": 8080}]
    meta: dict[str, Any] = {"name": "web"}
    if ns:
        meta["namespace"] = ns
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": body}


def run(*objs: dict[str, Any]) -> Analysis:
    result = analyze(dump_yaml_all(objs, sort_keys=False))
    assert result.valid, [e.message for e in result.errors]
    return result


def endpoints(result: Analysis, port: str = "80") -> dict[str, int]:
    routes: dict[str, int] = result.route_json()["services"]["default/web"][port]["endpoints"]
    return routes


SELECTION: list[tuple[str, Any, dict[str, str] | None, bool]] = [
    # (description, selector, pod labels, selected?)
    ("exact pair", {"app": "web"}, {"app": "web"}, True),
    ("extra pod labels are fine", {"app": "web"}, {"app": "web", "tier": "fe", "v": "1"}, True),
    ("AND of pairs: all match", {"app": "web", "tier": "fe"}, {"app": "web", "tier": "fe"}, True),
    (
        "AND of pairs: one differs",
        {"app": "web", "tier": "fe"},
        {"app": "web", "tier": "be"},
        False,
    ),
    ("AND of pairs: one missing", {"app": "web", "tier": "fe"}, {"app": "web"}, False),
    ("value is case-sensitive", {"app": "web"}, {"app": "Web"}, False),
    ("key is case-sensitive", {"app": "web"}, {"App": "web"}, False),
    ('app: "" matches an empty value', {"app": ""}, {"app": ""}, True),
    ('app: "" does not match a missing label', {"app": ""}, {"other": "x"}, False),
    ('app: "" does not match a non-empty value', {"app": ""}, {"app": "web"}, False),
    ("selector: {} selects nothing", {}, {"app": "web"}, False),
    ("no selector selects nothing", None, {"app": "web"}, False),
    ("no labels at all", {"app": "web"}, {}, False),
]


@pytest.mark.parametrize(
    ("selector", "labels", "selected"),
    [pytest.param(s, lab, sel, id=d) for d, s, lab, sel in SELECTION],
)
def test_selector_semantics(selector: Any, labels: dict[str, str], selected: bool) -> None:
    svc = service() if selector is None else service(selector)
    if selector is None:
        del svc["spec"]["selector"]
    result = run(svc, pod("p", labels))
    assert ("p" in endpoints(result)) is selected
    sr = result.services[0]
    assert sr.endpoints.managed is bool(selector)


ELIGIBILITY: list[tuple[str, dict[str, Any], bool, tuple[bool, bool, bool] | None]] = [
    # (description, pod options, is an endpoint?, (ready, serving, terminating))
    ("Running and Ready", {}, True, (True, True, False)),
    ("Running, Ready False", {"ready": "False"}, True, (False, False, False)),
    ("Ready Unknown", {"ready": "Unknown"}, True, (False, False, False)),
    ("no Ready condition", {"ready": None}, True, (False, False, False)),
    (
        "Pending with an IP: kept, not ready",
        {"phase": "Pending", "ready": "False"},
        True,
        (False, False, False),
    ),
    ("Pending without an IP: dropped", {"phase": "Pending", "ip": None}, False, None),
    ("Running without an IP: dropped", {"ip": None}, False, None),
    ("Failed with an IP: dropped", {"phase": "Failed"}, False, None),
    ("Succeeded with an IP: dropped", {"phase": "Succeeded"}, False, None),
    (
        "terminating and Ready: kept, serving, not ready",
        {"terminating": True},
        True,
        (False, True, True),
    ),
    ("terminating, not Ready", {"terminating": True, "ready": "False"}, True, (False, False, True)),
]


@pytest.mark.parametrize(
    ("opts", "present", "conditions"), [pytest.param(o, p, c, id=d) for d, o, p, c in ELIGIBILITY]
)
def test_should_pod_be_in_endpoints(
    opts: dict[str, Any], present: bool, conditions: tuple[bool, bool, bool] | None
) -> None:
    result = run(service(), pod("p", **opts))
    assert ("p" in endpoints(result)) is present
    eps = result.services[0].ports[0].endpoints
    if conditions is None:
        assert eps == []
    else:
        (ep,) = eps
        assert (ep.ready, ep.serving, ep.terminating) == conditions


@pytest.mark.parametrize(
    ("opts", "ready"),
    [
        ({}, True),
        ({"ready": "False"}, True),
        ({"terminating": True}, True),
        ({"terminating": True, "ready": "False"}, True),
        ({"phase": "Failed"}, None),
        ({"ip": None}, None),
    ],
)
def test_publish_not_ready_addresses(opts: dict[str, Any], ready: bool | None) -> None:
    """`ready = publishNotReadyAddresses || (serving && !terminating)`; eligibility unchanged."""
    result = run(service(publishNotReadyAddresses=True), pod("p", **opts))
    eps = result.services[0].ports[0].endpoints
    if ready is None:
        assert eps == []
    else:
        assert [ep.ready for ep in eps] == [ready]
        assert result.route_json()["services"]["default/web"]["80"]["ready"] == ["p"]


def test_same_namespace_only() -> None:
    result = run(service(), pod("here"), pod("there", ns="other", ip="10.244.1.11"))
    assert set(endpoints(result)) == {"here"}
    verdict = result.services[0].ports[0].verdicts["other/there"]
    assert verdict.code == "namespace"


def test_service_in_another_namespace_selects_its_own_pods() -> None:
    result = run(service(ns="shop"), pod("a", ns="shop"), pod("b", ip="10.244.1.11"))
    eps = result.route_json()["services"]["shop/web"]["80"]["endpoints"]
    assert set(eps) == {"a"}


def test_external_name_has_no_endpoints_even_with_a_selector() -> None:
    result = run(
        service({"app": "web"}, [{"port": 80}], type="ExternalName", externalName="db.example.com"),
        pod("p"),
    )
    sr = result.services[0]
    assert not sr.endpoints.managed
    assert endpoints(result) == {}
    assert endpoint_slices(sr.endpoints) == []


NAMED = {"port": 80, "targetPort": "http"}
HTTP_TCP = {"name": "http", "containerPort": 8080}

PORTS: list[tuple[str, dict[str, Any], dict[str, Any], int | None]] = [
    # (description, service port, pod options, resolved port or None = unresolved)
    (
        "numeric targetPort used as is, no containerPort needed",
        {"port": 80, "targetPort": 9376},
        {},
        9376,
    ),
    (
        "numeric targetPort ignores declared ports",
        {"port": 80, "targetPort": 9376},
        {"ports": [HTTP_TCP]},
        9376,
    ),
    ("missing targetPort means port", {"port": 8081}, {}, 8081),
    ("named: found by name (protocol defaults to TCP)", NAMED, {"ports": [HTTP_TCP]}, 8080),
    (
        "named: protocol must match too",
        NAMED,
        {"ports": [{"name": "http", "containerPort": 8080, "protocol": "UDP"}]},
        None,
    ),
    (
        "named UDP port matches a UDP Service port",
        {"port": 53, "targetPort": "dns", "protocol": "UDP"},
        {"ports": [{"name": "dns", "containerPort": 5353, "protocol": "UDP"}]},
        5353,
    ),
    (
        "named: the first match wins",
        NAMED,
        {"ports": [HTTP_TCP, {"name": "http", "containerPort": 9090}]},
        8080,
    ),
    ("named: no such name", NAMED, {"ports": [{"name": "web", "containerPort": 8080}]}, None),
    ("named: no ports at all", NAMED, {}, None),
    (
        "named: sidecar init container (restartPolicy Always) is searched",
        NAMED,
        {
            "init": [
                {
                    "name": "proxy",
                    "image": "x",
                    "restartPolicy": "Always",
                    "ports": [{"name": "http", "containerPort": 15001}],
                }
            ]
        },
        15001,
    ),
    (
        "named: containers are searched before sidecars",
        NAMED,
        {
            "ports": [HTTP_TCP],
            "init": [
                {
                    "name": "proxy",
                    "image": "x",
                    "restartPolicy": "Always",
                    "ports": [{"name": "http", "containerPort": 15001}],
                }
            ],
        },
        8080,
    ),
    (
        "named: a plain init container is ignored",
        NAMED,
        {
            "init": [
                {"name": "setup", "image": "x", "ports": [{"name": "http", "containerPort": 15001}]}
            ]
        },
        None,
    ),
]


@pytest.mark.parametrize(
    ("sport", "opts", "expected"), [pytest.param(s, o, e, id=d) for d, s, o, e in PORTS]
)
def test_find_port(sport: dict[str, Any], opts: dict[str, Any], expected: int | None) -> None:
    result = run(service(ports=[sport]), pod("p", **opts))
    key = str(sport["port"])
    eps = endpoints(result, key)
    pr = result.services[0].ports[0]
    if expected is None:
        assert eps == {}
        assert [p.name for p in pr.slice_endpoints.unresolved] == ["p"]
        assert pr.verdicts["default/p"].code == "port-unresolved"
    else:
        assert eps == {"p": expected}


def test_named_port_resolved_per_pod_and_per_service_port() -> None:
    """A Pod missing one named port still serves the Service's other ports."""
    svc = service(
        ports=[
            {"name": "web", "port": 80, "targetPort": "http"},
            {"name": "metrics", "port": 9090, "targetPort": "metrics"},
        ]
    )
    a = pod("a", ports=[HTTP_TCP, {"name": "metrics", "containerPort": 9100}])
    b = pod("b", ip="10.244.1.11", ports=[{"name": "http", "containerPort": 9000}])
    result = run(svc, a, b)
    routes = result.route_json()["services"]["default/web"]
    assert routes["web"]["endpoints"] == {"a": 8080, "b": 9000}
    assert routes["metrics"]["endpoints"] == {"a": 9100}
    slices = endpoint_slices(result.services[0].endpoints)
    assert len(slices) == 2, "one EndpointSlice per distinct port mapping"
    by_pod = {s["endpoints"][0]["targetRef"]["name"]: s for s in slices}
    assert {p["name"]: p["port"] for p in by_pod["a"]["ports"]} == {"web": 8080, "metrics": 9100}
    assert {p["name"]: p["port"] for p in by_pod["b"]["ports"]} == {"web": 9000}


def test_slice_ports_carry_the_service_ports_app_protocol() -> None:
    """`getEndpointPorts` copies each Service port's `appProtocol` into the slice's port."""
    svc = service(
        ports=[
            {"name": "web", "port": 80, "targetPort": 8080, "appProtocol": "kubernetes.io/h2c"},
            {"name": "metrics", "port": 9090, "targetPort": 9100},
        ]
    )
    (sl,) = endpoint_slices(run(svc, pod("a")).services[0].endpoints)
    assert sl["ports"] == [
        {"name": "web", "port": 8080, "protocol": "TCP", "appProtocol": "kubernetes.io/h2c"},
        {"name": "metrics", "port": 9100, "protocol": "TCP"},
    ]


def test_find_port_function_directly() -> None:
    p = Pod(
        "p",
        "default",
        Source(0),
        ports=[ContainerPort("http", 8080, "UDP", "c"), ContainerPort("http", 8081, "TCP", "c")],
    )
    assert find_port(p, 7000, "TCP") == 7000
    assert find_port(p, "http", "TCP") == 8081
    assert find_port(p, "http", "UDP") == 8080
    assert find_port(p, "http", "SCTP") is None


def test_pod_index_select_is_and_exact_and_namespaced() -> None:
    pods = [
        Pod("a", "default", Source(0), labels={"app": "web", "tier": "fe"}, ip="10.0.0.1"),
        Pod("b", "default", Source(0), labels={"app": "web"}, ip="10.0.0.2"),
        Pod("c", "other", Source(0), labels={"app": "web", "tier": "fe"}, ip="10.0.0.3"),
        Pod("d", "default", Source(0), labels={"app": "web", "tier": "fe"}, ip=""),
        Pod(
            "e",
            "default",
            Source(0),
            labels={"app": "web", "tier": "fe"},
            ip="10.0.0.5",
            phase="Failed",
        ),
        Pod("f", "default", Source(0), labels={"app": "web", "tier": "fe"}, ip="10.0.0.6"),
    ]
    index = PodIndex(pods)
    assert index.select("default", {"app": "web", "tier": "fe"}) == [0, 5]
    assert index.select("default", {"app": "web"}) == [0, 1, 5]
    assert index.select("other", {"app": "web"}) == [2]
    assert index.select("default", {}) == []
    assert index.select("default", {"app": "nope"}) == []
    assert index.select("nowhere", {"app": "web"}) == []
    assert index.by_namespace == {"default": {0, 1, 5}, "other": {2}}


def test_resolve_uses_the_index_pods() -> None:
    result = run(service(), pod("a"), pod("b", ip="10.244.1.11"))
    cluster = result.cluster
    se = resolve(cluster.services[0], cluster, PodIndex(cluster.pods))
    assert [p.name for p in se.selected] == ["a", "b"]
    assert [ep.address for ep in se.ports[0].endpoints] == ["10.244.1.10:8080", "10.244.1.11:8080"]


def test_headless_without_ports_gets_an_empty_port_list() -> None:
    result = run(service(ports=[], clusterIP="None"), pod("p"))
    sr = result.services[0]
    assert sr.ports == []
    slices = endpoint_slices(sr.endpoints)
    assert len(slices) == 1 and slices[0]["ports"] == []
    assert slices[0]["endpoints"][0]["addresses"] == ["10.244.1.10"]


def test_endpoint_slice_conditions_and_hostname() -> None:
    svc = service(clusterIP="None")
    p = pod("db-0", terminating=True)
    p["spec"]["hostname"] = "db-0"
    p["spec"]["subdomain"] = "web"
    result = run(svc, p)
    (sl,) = endpoint_slices(result.services[0].endpoints)
    (ep,) = sl["endpoints"]
    assert ep["conditions"] == {"ready": False, "serving": True, "terminating": True}
    assert ep["hostname"] == "db-0"
    assert sl["metadata"]["labels"]["kubernetes.io/service-name"] == "web"


def test_placeholder_slice_when_nothing_matches() -> None:
    result = run(service({"app": "nothing"}), pod("p"))
    (sl,) = endpoint_slices(result.services[0].endpoints)
    assert sl["endpoints"] == [] and sl["ports"] == []


def test_slices_hold_at_most_100_endpoints() -> None:
    pods = [pod(f"p{i}", ip=f"10.244.{i // 200}.{i % 200 + 1}") for i in range(250)]
    result = run(service(), *pods)
    slices = endpoint_slices(result.services[0].endpoints)
    assert sorted(len(s["endpoints"]) for s in slices) == [50, 100, 100]
    assert len({s["metadata"]["name"] for s in slices}) == 3
    names = [ep["targetRef"]["name"] for s in slices for ep in s["endpoints"]]
    assert sorted(names) == sorted(f"p{i}" for i in range(250))


def test_a_single_stack_service_has_slices_of_its_family_only() -> None:
    """`getAddressTypesForService`: the slices' address types are the Service's ipFamilies, so
    on the single-stack IPv4 cluster an IPv6-only Pod is in no slice."""
    result = run(service(), pod("v4"), pod("v6", ip="fd00:10:244:1::5"))
    slices = endpoint_slices(result.services[0].endpoints)
    assert [s["addressType"] for s in slices] == ["IPv4"]
    assert [e["addresses"] for s in slices for e in s["endpoints"]] == [["10.244.1.10"]]


def _dual(*objs: dict[str, Any]) -> Analysis:
    result = analyze(dump_yaml_all(objs, sort_keys=False), network=DUAL_STACK)
    assert result.valid, [e.message for e in result.errors]
    return result


def test_dual_stack_service_gets_one_slice_per_family_with_podips_filtered() -> None:
    both = pod("both")
    both["status"]["podIPs"] = [{"ip": "10.244.1.10"}, {"ip": "fd00:10:244:1::a"}]
    result = _dual(
        service(ipFamilyPolicy="RequireDualStack"), both, pod("v6", ip="fd00:10:244:2::5")
    )
    by_family = {
        s["addressType"]: sorted(a for e in s["endpoints"] for a in e["addresses"])
        for s in endpoint_slices(result.services[0].endpoints)
    }
    assert by_family == {
        "IPv4": ["10.244.1.10"],
        "IPv6": ["fd00:10:244:1::a", "fd00:10:244:2::5"],
    }


def test_endpoint_address_is_join_host_port() -> None:
    """An IPv6 Service's endpoints are the Pods' IPv6 addresses, in brackets before the port."""
    both = pod("both")
    both["status"]["podIPs"] = [{"ip": "10.244.1.10"}, {"ip": "fd00:10:244:1::a"}]
    result = _dual(service(ipFamilies=["IPv6"]), both)
    addresses = [ep.address for ep in result.services[0].ports[0].endpoints]
    assert addresses == ["[fd00:10:244:1::a]:8080"]
