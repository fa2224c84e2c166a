"""Topology (trafficDistribution, topology-mode: Auto, kube-proxy's per-node choice) and
EndpointSlices / Endpoints in the input, table-driven."""

from __future__ import annotations

import pytest

from tutor.model import analyze

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: api
  {annotations}
spec:
  selector: {app: api}
  {spec}
  ports: [{port: 80, targetPort: 8080}]
"""


def _node(name: str, zone: str = "", cpu: str = "") -> str:
    labels = f"labels: {{topology.kubernetes.io/zone: {zone}}}" if zone else ""
    status = (
        f"status: {{allocatable: {{cpu: '{cpu}'}}, conditions: [{{type: Ready, status: 'True'}}]}}"
        if cpu
        else ""
    )
    return f"---\napiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n  {labels}\n{status}\n"


def _pod(name: str, node: str) -> str:
    return (
        f"---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, labels: {{app: api}}}}\n"
        f"spec: {{nodeName: {node}, containers: [{{name: c, image: x}}]}}\n"
        "status: {phase: Running, podIP: 10.244.%d.%d, conditions: [{type: Ready, status: 'True'}]}\n"
        % (sum(map(ord, node)) % 200 + 1, sum(map(ord, name)) % 250 + 2)
    )


def _text(spec: str = "", annotations: str = "", nodes: str = "", pods: str = "") -> str:
    return SERVICE.replace("{spec}", spec).replace("{annotations}", annotations) + nodes + pods


ZONED = _node("a1", "za", "4") + _node("a2", "za", "4") + _node("b1", "zb", "4")
PODS = _pod("p-a1", "a1") + _pod("p-a2", "a2") + _pod("p-b1", "b1")


def _used(text: str, node: str | None) -> list[str]:
    a = analyze(text, from_node=node)
    assert a.valid, a.errors
    return sorted(ep.pod.name for ep in a.services[0].ports[0].used)


@pytest.mark.parametrize(
    ("spec", "node", "want"),
    [
        ("", "a1", ["p-a1", "p-a2", "p-b1"]),
        ("trafficDistribution: PreferClose", "a1", ["p-a1", "p-a2"]),
        ("trafficDistribution: PreferSameZone", "b1", ["p-b1"]),
        ("trafficDistribution: PreferSameNode", "a2", ["p-a2"]),
        ("trafficDistribution: PreferSameNode", "b1", ["p-b1"]),
        # no node given: kube-proxy's view on "any node" ignores topology
        ("trafficDistribution: PreferSameZone", None, ["p-a1", "p-a2", "p-b1"]),
        # topology applies to the Cluster policy only; Local keeps to the node
        ("{trafficDistribution: PreferSameZone, internalTrafficPolicy: Local}", "a2", ["p-a2"]),
    ],
)
def test_traffic_distribution_per_client_node(spec: str, node: str | None, want: list[str]) -> None:
    if spec.startswith("{"):
        spec = spec[1:-1].replace(", ", "\n  ")
    assert _used(_text(spec, nodes=ZONED, pods=PODS), node) == want


def test_prefer_same_node_falls_back_to_the_zone_then_to_all() -> None:
    nodes = ZONED + _node("c1", "zc", "4")
    text = _text(
        "trafficDistribution: PreferSameNode",
        nodes=nodes,
        pods=_pod("p-a1", "a1") + _pod("p-b1", "b1"),
    )
    assert _used(text, "a2") == ["p-a1"]  # no endpoint on a2: its zone
    assert _used(text, "c1") == ["p-a1", "p-b1"]  # none in zone zc either: all


def test_without_zone_labels_prefer_close_gives_no_hints_and_says_why() -> None:
    nodes = _node("a1") + _node("b1")
    a = analyze(
        _text(
            "trafficDistribution: PreferClose",
            nodes=nodes,
            pods=_pod("p-a1", "a1") + _pod("p-b1", "b1"),
        ),
        from_node="a1",
    )
    pr = a.services[0].ports[0]
    assert sorted(ep.pod.name for ep in pr.used) == ["p-a1", "p-b1"]
    assert "no `topology.kubernetes.io/zone` label" in pr.topology_note


AUTO = "annotations: {service.kubernetes.io/topology-mode: Auto}"


@pytest.mark.parametrize(
    ("nodes", "pods", "note"),
    [
        (_node("a1", "za") + _node("b1", "zb"), PODS.replace("a2", "a1"), "allocatable CPU"),
        (
            _node("a1", "za", "4") + _node("a2", "za", "4"),
            _pod("p-a1", "a1") + _pod("p-a2", "a2"),
            "fewer than 2 zones",
        ),
        (
            ZONED + _node("c1", "zc", "4"),
            _pod("p-a1", "a1") + _pod("p-b1", "b1"),
            "fewer ready endpoints (2) than zones (3)",
        ),
    ],
)
def test_topology_mode_auto_gives_no_hints_when_the_controller_would_not(
    nodes: str, pods: str, note: str
) -> None:
    a = analyze(_text(annotations=AUTO, nodes=nodes, pods=pods), from_node="a1")
    pr = a.services[0].ports[0]
    assert note in pr.topology_note
    assert not any(ep.for_zones for ep in pr.endpoints)
    assert len(pr.used) == len(pr.endpoints)


def test_topology_mode_auto_moves_hints_to_a_zone_short_of_its_cpu_share() -> None:
    """Zones za and zb have equal CPU, so each should get 2 of the 4 endpoints; za has 3 of
    them, so the controller hints one of za's endpoints for zb (`redistributeHints`)."""
    nodes = _node("a1", "za", "4") + _node("b1", "zb", "4")
    pods = _pod("p-1", "a1") + _pod("p-2", "a1") + _pod("p-3", "a1") + _pod("p-4", "b1")
    text = _text(annotations=AUTO, nodes=nodes, pods=pods)
    a = analyze(text, from_node="b1")
    pr = a.services[0].ports[0]
    assert pr.topology_note == ""
    hinted = sorted(ep.for_zones[0] for ep in pr.endpoints)
    assert hinted == ["za", "za", "zb", "zb"]
    assert len(pr.used) == 2 and "p-4" in {ep.pod.name for ep in pr.used}


def test_topology_mode_auto_refuses_a_split_that_would_overload_a_zone() -> None:
    """CPU 4:8 wants za 4/3 and zb 8/3 of 4 endpoints: the minimums (2 and 3, 20% overload
    at most) exceed 4, so `getAllocations` gives up and there are no hints."""
    nodes = _node("a1", "za", "4") + _node("b1", "zb", "8")
    pods = _pod("p-1", "a1") + _pod("p-2", "a1") + _pod("p-3", "a1") + _pod("p-4", "b1")
    pr = (
        analyze(_text(annotations=AUTO, nodes=nodes, pods=pods), from_node="b1")
        .services[0]
        .ports[0]
    )
    assert "minimum share" in pr.topology_note
    assert len(pr.used) == 4


def test_topology_annotation_wins_over_traffic_distribution() -> None:
    nodes = _node("a1", "za") + _node("b1", "zb")  # no CPU: Auto gives no hints
    text = _text(
        "trafficDistribution: PreferClose", AUTO, nodes, _pod("p-a1", "a1") + _pod("p-b1", "b1")
    )
    assert _used(text, "a1") == ["p-a1", "p-b1"]


SLICE = """\
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: {name}
  labels: {kubernetes.io/service-name: api{managed}}
addressType: {family}
ports: [{name: "{port_name}", port: {port}, protocol: TCP}]
endpoints:
{endpoints}
"""


def _slice(
    name: str,
    endpoints: str,
    *,
    port: int = 8080,
    port_name: str = "",
    family: str = "IPv4",
    managed: str = "",
) -> str:
    return (
        SLICE.replace("{name}", name)
        .replace("{endpoints}", endpoints)
        .replace("{port}", str(port))
        .replace("{port_name}", port_name)
        .replace("{family}", family)
        .replace(
            "{managed}", f", endpointslice.kubernetes.io/managed-by: {managed}" if managed else ""
        )
    )


SELECTORLESS = """\
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  ports: [{port: 80, targetPort: 8080}]
"""


@pytest.mark.parametrize(
    ("slices", "endpoints", "ready"),
    [
        (_slice("s1", "- addresses: [10.0.0.1]"), {"10.0.0.1": 8080}, ["10.0.0.1"]),
        # the same IP:port in two slices counts once
        (
            _slice("s1", "- addresses: [10.0.0.1]")
            + _slice("s2", "- addresses: [10.0.0.1]\n- addresses: [10.0.0.2]"),
            {"10.0.0.1": 8080, "10.0.0.2": 8080},
            ["10.0.0.1", "10.0.0.2"],
        ),
        # a port named otherwise is not this Service port's; port 0 is ignored
        (_slice("s1", "- addresses: [10.0.0.1]", port_name="metrics"), {}, []),
        (_slice("s1", "- addresses: [10.0.0.1]", port=0), {}, []),
        # an IPv6 address is not for the IPv4 Service
        (_slice("s1", "- addresses: ['fd00::1']", family="IPv6"), {}, []),
        # conditions: serving-and-terminating is the fallback, not-ready is left out
        (
            _slice(
                "s1",
                "- addresses: [10.0.0.1]\n  conditions: {ready: false, serving: true, terminating: true}",
            ),
            {"10.0.0.1": 8080},
            ["10.0.0.1"],
        ),
        (
            _slice("s1", "- addresses: [10.0.0.1]\n  conditions: {ready: false}"),
            {"10.0.0.1": 8080},
            [],
        ),
        # a slice for another Service is not this one's
        (
            _slice("s1", "- addresses: [10.0.0.1]").replace(
                "service-name: api", "service-name: other"
            ),
            {},
            [],
        ),
    ],
)
def test_kube_proxy_reads_slices_from_the_input(
    slices: str, endpoints: dict[str, int], ready: list[str]
) -> None:
    got = analyze(SELECTORLESS + slices).route_json()["services"]["default/api"]["80"]
    assert got["endpoints"] == endpoints
    assert sorted(got["ready"]) == ready


ENDPOINTS = """\
---
apiVersion: v1
kind: Endpoints
metadata:
  name: api
  {labels}
subsets:
- addresses: [{ip: 10.0.0.7}]
  ports: [{port: 8080}]
"""


@pytest.mark.parametrize(
    ("service", "labels", "ready"),
    [
        (SELECTORLESS, "", ["10.0.0.7"]),
        # skip-mirror: the mirroring controller leaves it alone (the API server's own objects)
        (SELECTORLESS, "labels: {endpointslice.kubernetes.io/skip-mirror: 'true'}", []),
        # a Service with a selector: its slices come from the Pods, the Endpoints is not mirrored
        (SERVICE.replace("{spec}", "").replace("{annotations}", ""), "", []),
    ],
)
def test_legacy_endpoints_are_mirrored_for_selectorless_services(
    service: str, labels: str, ready: list[str]
) -> None:
    got = analyze(service + ENDPOINTS.replace("{labels}", labels)).route_json()
    assert got["valid"], got["errors"]
    assert sorted(got["services"]["default/api"]["80"]["ready"]) == ready


def test_a_slice_pointing_at_a_pod_in_the_file_uses_that_pod_and_explains_it() -> None:
    text = SERVICE.replace("{spec}", "").replace("{annotations}", "")
    text = text.replace("selector: {app: api}", "selector: {app: other}")
    text += _pod("p-a1", "a1") + _slice(
        "mine",
        "- addresses: [10.9.9.9]\n  targetRef: {kind: Pod, name: p-a1, namespace: default}",
        managed="my-operator",
    )
    a = analyze(text)
    pr = a.services[0].ports[0]
    (ep,) = pr.used
    assert ep.pod.name == "p-a1" and not ep.pod.address_only and ep.address == "10.9.9.9:8080"
    verdict = pr.verdicts["default/p-a1"]
    assert verdict.gets_traffic and "`mine` (managed by my-operator)" in verdict.reason


HINTED = "\n".join(
    f"- addresses: [{ip}]\n  nodeName: {node}\n  zone: {zone}\n"
    f"  hints: {{forZones: [{{name: {zone}}}]}}\n"
    f"  targetRef: {{kind: Pod, name: {pod}, namespace: default}}"
    for ip, node, zone, pod in [
        ("10.244.1.2", "a1", "za", "p-a1"),
        ("10.244.3.2", "b1", "zb", "p-b1"),
    ]
)
"""Two endpoints of a dump's slice, each with the controller's hint for its own zone."""


@pytest.mark.parametrize("value", ["PreferClose", "PreferSameZone", "PreferSameNode"])
def test_traffic_distribution_values_of_1_35_are_accepted(value: str) -> None:
    assert analyze(_text(f"trafficDistribution: {value}")).valid


def test_an_unknown_traffic_distribution_is_refused() -> None:
    a = analyze(_text("trafficDistribution: PreferRegion"))
    assert [e.path for e in a.errors] == ["spec.trafficDistribution"]


def test_the_controllers_slices_carry_zones_and_hints() -> None:
    from tutor.model.endpoints import endpoint_slices

    a = analyze(_text("trafficDistribution: PreferSameNode", nodes=ZONED, pods=PODS))
    sr = a.services[0]
    (slice_,) = endpoint_slices(sr.endpoints, sr.ports[0].slice_endpoints.endpoints)
    by_pod = {ep["targetRef"]["name"]: ep for ep in slice_["endpoints"]}
    assert by_pod["p-b1"]["zone"] == "zb"
    assert by_pod["p-b1"]["hints"] == {"forZones": [{"name": "zb"}], "forNodes": [{"name": "b1"}]}


@pytest.mark.parametrize(
    "topology",
    [("trafficDistribution: PreferSameZone", ""), ("", AUTO)],
)
def test_hints_in_the_input_slices_are_not_said_to_be_missing(topology: tuple[str, str]) -> None:
    """A dump's slices carry the controller's hints: kube-proxy uses them, and `route` must
    not add "no topology hints" (the model's own endpoints, none here, are not what routes)."""
    spec, annotations = topology
    text = _text(spec, annotations, nodes=ZONED, pods=_pod("p-a1", "a1") + _pod("p-b1", "b1"))
    text += _slice("api-x", HINTED, managed="endpointslice-controller.k8s.io")
    a = analyze(text, from_node="b1")
    assert a.valid, a.errors
    pr = a.services[0].ports[0]
    assert sorted(ep.pod.name for ep in pr.used) == ["p-b1"]
    assert pr.topology_note == ""


NOT_READY_HINTED = _slice(
    "api-x",
    "- addresses: [10.244.1.2]\n  nodeName: a1\n  zone: za\n  conditions: {ready: false}\n"
    "  hints: {forZones: [{name: za}]}\n  targetRef: {kind: Pod, name: p-a1, namespace: default}",
    managed="endpointslice-controller.k8s.io",
)


@pytest.mark.parametrize(
    ("spec", "slices"),
    [
        ("trafficDistribution: PreferSameZone", ""),
        ("internalTrafficPolicy: Local", ""),
        # a dump's slice keeps the hint of an endpoint that is no longer ready
        ("trafficDistribution: PreferSameZone", NOT_READY_HINTED),
    ],
)
def test_no_usable_endpoint_anywhere_does_not_depend_on_the_node(spec: str, slices: str) -> None:
    """Every kube-proxy REJECTs a port with no usable endpoint: route said 'which Pods a
    client reaches depends on its node' and 'from a1: timed out (dropped)' for each node
    above 'a request: connection refused by kube-proxy (REJECT)'."""
    not_ready = PODS.replace("status: 'True'", "status: 'False'")
    a = analyze(_text(spec, nodes=ZONED, pods=not_ready) + slices)
    assert a.valid, a.errors
    port = a.route_json()["services"]["default/api"]["80"]
    assert port["ready"] == []
    assert "by_node" not in port
    ready = analyze(_text(spec, nodes=ZONED, pods=PODS)).route_json()
    assert sorted(ready["services"]["default/api"]["80"]["by_node"]) == ["a1", "a2", "b1"]


def test_hints_without_the_nodes_zones_say_why_they_are_not_used() -> None:
    """`kubectl get svc,pods,endpointslices` without nodes: the slices' zone hints cannot be
    matched to any node's zone, so kube-proxy uses every endpoint (canUseTopology); route
    said nothing about the hints it did not apply."""
    text = _text(
        "trafficDistribution: PreferSameZone", pods=_pod("p-a1", "a1") + _pod("p-b1", "b1")
    )
    text += _slice("api-x", HINTED, managed="endpointslice-controller.k8s.io")
    a = analyze(text, from_node="b1")
    assert a.valid, a.errors
    pr = a.services[0].ports[0]
    assert sorted(ep.pod.name for ep in pr.used) == ["p-a1", "p-b1"]
    assert "no node has a `topology.kubernetes.io/zone` label" in pr.topology_note
    zoned = analyze(text + ZONED, from_node="b1").services[0].ports[0]
    assert zoned.topology_note == ""
