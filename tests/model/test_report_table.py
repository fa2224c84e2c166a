"""The one report of a manifest: its problems, and what a request does (DNS, kube-proxy, Pod).

K · pkg/proxy/iptables/proxier.go · `syncProxyRules` (REJECT "has no endpoints", DROP "has no
local endpoints", the KUBE-SVC/KUBE-SVL jump); K · pkg/proxy/topology.go · `CategorizeEndpoints`;
the simulator's convention: a container listens on the ports it declares, a Pod that declares
none is assumed to listen on the port it is sent to.
"""

from __future__ import annotations

from typing import Any

import pytest
from testkit import dump_yaml_all

from tutor.model import analyze
from tutor.model.proxy import NODE_PORT_ENTRY, Client
from tutor.model.report import Outcome, problems, request, requests, unreadable

NODE1 = Client("client", "10.244.1.100", "node-1")
NODE2 = Client("client", "10.244.2.100", "node-2")


def pod(
    name: str,
    ip: str,
    *,
    node: str = "node-1",
    ports: list[int] | None = None,
    ready: str = "True",
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    container: dict[str, Any] = {"name": "c", "image": "x"}
    if ports is not None:
        container["ports"] = [{"containerPort": p} for p in ports]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels or {"app": "web"}},
        "spec": {"nodeName": node, "containers": [container]},
        "status": {
            "phase": "Running",
            "podIP": ip,
            "conditions": [{"type": "Ready", "status": ready}],
        },
    }


def service(**spec: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 80}]}
    body.update(spec)
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": body}


def text(*docs: dict[str, Any]) -> str:
    return dump_yaml_all(docs)


ONE_8080 = [pod("web-1", "10.244.1.5", ports=[8080])]
ONE_NONE = [pod("web-1", "10.244.1.5")]
ONE_80 = [pod("web-1", "10.244.1.5", ports=[80, 9090])]

# (id, docs, client, target, port, kind, words in the summary, words in the rule)
CASES: list[tuple[str, list[dict[str, Any]], Client, str, int, Outcome, list[str], list[str]]] = [
    (
        "declares-only-8080",
        [service(), *ONE_8080],
        NODE1,
        "web",
        80,
        Outcome.REFUSED_BY_POD,
        ["refused by the Pod", "nothing listens on port 80", "8080/TCP"],
        ["KUBE-SVC-"],
    ),
    (
        "declares-no-ports-assumed",
        [service(), *ONE_NONE],
        NODE1,
        "web",
        80,
        Outcome.ANSWERED,
        ["answered by web-1 on port 80", "assumed to listen on 80"],
        ["KUBE-SVC-"],
    ),
    (
        "declares-80",
        [service(), *ONE_80],
        NODE1,
        "web.default.svc.cluster.local",
        80,
        Outcome.ANSWERED,
        ["answered by web-1 on port 80"],
        ["KUBE-SVC-"],
    ),
    (
        "target-port-8080-answers",
        [service(ports=[{"port": 80, "targetPort": 8080}]), *ONE_8080],
        NODE1,
        "web",
        80,
        Outcome.ANSWERED,
        ["answered by web-1 on port 8080"],
        [],
    ),
    (
        "no-endpoints-reject",
        [service(selector={"app": "nope"}), *ONE_80],
        NODE1,
        "web",
        80,
        Outcome.REJECTED,
        ["connection refused by kube-proxy", "no endpoints"],
        ["has no endpoints", "-j REJECT", "--dport 80"],
    ),
    (
        "local-policy-drop",
        [service(internalTrafficPolicy="Local"), pod("web-1", "10.244.2.5", node="node-2")],
        NODE1,
        "web",
        80,
        Outcome.TIMED_OUT,
        ["timed out", "DROP", "no Ready endpoint on node-1"],
        ["has no local endpoints", "-j DROP"],
    ),
    (
        "local-policy-same-node",
        [service(internalTrafficPolicy="Local"), pod("web-1", "10.244.2.5", node="node-2")],
        NODE2,
        "web",
        80,
        Outcome.ANSWERED,
        ["answered by web-1"],
        ["KUBE-SVL-"],
    ),
    (
        "nxdomain",
        [service(), *ONE_80],
        NODE1,
        "wbe",
        80,
        Outcome.NAME_NOT_FOUND,
        ["name not found", "NXDOMAIN"],
        [],
    ),
    (
        "other-namespace-short-name",
        [service(), *ONE_80],
        NODE1,
        "web.shop",
        80,
        Outcome.NAME_NOT_FOUND,
        ["NXDOMAIN"],
        [],
    ),
    (
        "headless",
        [service(clusterIP="None"), *ONE_80],
        NODE1,
        "web",
        80,
        Outcome.NO_VIRTUAL_IP,
        ["no virtual IP", "connects to web-1 directly", "answered by web-1 on port 80"],
        [],
    ),
    (
        "headless-port-not-translated",
        [service(clusterIP="None", ports=[{"port": 80, "targetPort": 8080}]), *ONE_8080],
        NODE1,
        "web",
        80,
        Outcome.NO_VIRTUAL_IP,
        ["refused", "nothing listens on port 80"],
        [],
    ),
    (
        "headless-no-ready-pod",
        [service(clusterIP="None"), pod("web-1", "10.244.1.5", ready="False")],
        NODE1,
        "web",
        80,
        Outcome.NAME_NOT_FOUND,
        ["no Ready Pod"],
        [],
    ),
    (
        "external-name",
        [
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "web"},
                "spec": {"type": "ExternalName", "externalName": "example.com"},
            }
        ],
        NODE1,
        "web",
        443,
        Outcome.EXTERNAL,
        ["CNAME to example.com", "leaves the cluster"],
        [],
    ),
    (
        "pod-ip-direct",
        [service(), *ONE_8080],
        NODE1,
        "10.244.1.5",
        8080,
        Outcome.ANSWERED,
        ["answered by web-1 on port 8080"],
        [],
    ),
    (
        "unknown-port-on-service",
        [service(), *ONE_80],
        NODE1,
        "web",
        81,
        Outcome.TIMED_OUT,
        ["has no port 81"],
        [],
    ),
    (
        "unknown-ip",
        [service(), *ONE_80],
        NODE1,
        "10.1.2.3",
        80,
        Outcome.TIMED_OUT,
        ["no Service or Pod has the IP 10.1.2.3"],
        [],
    ),
]


@pytest.mark.parametrize(
    ("docs", "client", "target", "port", "kind", "summary", "rule"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_request_outcome(
    docs: list[dict[str, Any]],
    client: Client,
    target: str,
    port: int,
    kind: Outcome,
    summary: list[str],
    rule: list[str],
) -> None:
    analysis = analyze(text(*docs))
    assert analysis.valid, analysis.errors
    out = request(analysis, client, target, port)
    assert out.kind == kind, out.summary
    for words in summary:
        assert words in out.summary, out.summary
    for words in rule:
        assert words in out.rule, out.rule
    assert out.hops, "every outcome has a trace"
    assert out.hops[-1].ok == out.answered or kind == Outcome.EXTERNAL


def test_the_same_seed_picks_the_same_pod_and_seeds_spread() -> None:
    analysis = analyze(text(service(), *[pod(f"web-{i}", f"10.244.1.{i}") for i in range(1, 4)]))
    picks = {request(analysis, NODE1, "web", 80, seed).pod for seed in range(30)}
    assert picks == {"web-1", "web-2", "web-3"}
    assert request(analysis, NODE1, "web", 80, 7) == request(analysis, NODE1, "web", 80, 7)


def test_node_port_entry() -> None:
    svc = service(type="NodePort", ports=[{"port": 80, "targetPort": 80, "nodePort": 30080}])
    analysis = analyze(text(svc, *ONE_80))
    out = request(analysis, NODE2, "web", 80, entry=NODE_PORT_ENTRY)
    assert out.kind == Outcome.ANSWERED and out.port == 30080
    plain = analyze(text(service(), *ONE_80))
    out = request(plain, NODE2, "web", 80, entry=NODE_PORT_ENTRY)
    assert out.kind == Outcome.TIMED_OUT and "opens no NodePort entry" in out.summary


def test_a_pod_reaches_a_node_port_at_a_node_ip_and_a_load_balancer_ip() -> None:
    """Lesson 9 step 2 says `<any-node-IP>:30080` reaches the Pods; from the console,
    `curl 172.18.0.3:30080` timed out ("no Service or Pod has the IP"). Packets from a Pod to
    a node's IP and nodePort go through that node's rules; with externalTrafficPolicy Local a
    Pod's packets still reach every endpoint (K · pkg/proxy/iptables/proxier.go: "pod traffic
    for ... external destinations" jumps to the cluster chain; nftables: "short-circuit pod
    traffic"). A port that is no nodePort on a node's IP has nothing behind it."""
    ports = [{"port": 80, "targetPort": 80, "nodePort": 30080}]
    for policy in ("Cluster", "Local"):
        svc = service(type="NodePort", ports=ports, externalTrafficPolicy=policy)
        analysis = analyze(text(svc, *ONE_80))  # web-1 runs on node-1
        for node_ip in ("172.18.0.2", "172.18.0.3"):
            out = request(analysis, NODE1, node_ip, 30080)
            assert out.kind == Outcome.ANSWERED and out.pod == "web-1", (policy, node_ip, out)
            assert "nodePort of web" in " ".join(h.text for h in out.hops), out.hops
        out = request(analysis, NODE1, "172.18.0.3", 30081)
        assert out.kind != Outcome.ANSWERED, out
        # the same for a LoadBalancer's address (lesson 9 step 3: curl 203.0.113.x timed out)
        lb = analyze(text(service(type="LoadBalancer", externalTrafficPolicy=policy), *ONE_80))
        ingress = lb.services[0].service.ingress_ips
        assert ingress, lb.services[0].service
        out = request(lb, NODE2, ingress[0], 80)
        assert out.kind == Outcome.ANSWERED and out.pod == "web-1", (policy, out)


def test_a_pod_outside_the_source_ranges_is_dropped_at_a_load_balancer_ip() -> None:
    """loadBalancerSourceRanges: kube-proxy sends an ingress IP's packets to KUBE-FW-*, which
    lets the ranges through to the EXT chain and leaves the rest to KUBE-PROXY-FIREWALL's DROP
    (K · pkg/proxy/iptables/proxier.go · syncProxyRules, "other traffic to ... will be
    dropped"). From a Pod the console said "no Service or Pod has the IP", false for an
    address `kubectl get svc` shows."""
    for ranges, answered in ((["198.51.100.0/24"], False), (["10.244.0.0/16"], True)):
        svc = service(type="LoadBalancer", loadBalancerSourceRanges=ranges)
        lb = analyze(text(svc, *ONE_80))
        assert lb.valid, lb.errors
        ingress = lb.services[0].service.ingress_ips
        out = request(lb, NODE2, ingress[0], 80)
        if answered:
            assert out.kind == Outcome.ANSWERED and out.pod == "web-1", out
            continue
        assert out.kind == Outcome.TIMED_OUT, out
        assert "no Service or Pod has" not in out.summary, out.summary
        assert "kube-proxy drops the packets (DROP)" in out.summary, out.summary
        assert "not in web's loadBalancerSourceRanges (198.51.100.0/24)" in out.summary
        assert out.hops[-1].at == "kube-proxy on node-2" and not out.hops[-1].ok, out.hops
    # no endpoints: KUBE-EXTERNAL-SERVICES rejects before the firewall chain is consulted
    svc = service(type="LoadBalancer", loadBalancerSourceRanges=["198.51.100.0/24"])
    lb = analyze(text(svc, pod("other", "10.244.1.9", labels={"app": "other"})))
    out = request(lb, NODE2, lb.services[0].service.ingress_ips[0], 80)
    assert out.kind == Outcome.REJECTED, out


@pytest.mark.parametrize(
    ("docs", "clients", "counts", "lines"),
    [
        pytest.param(
            [service(), pod("a", "10.244.1.5", ports=[80]), pod("b", "10.244.1.6", ports=[8080])],
            [NODE1],
            {Outcome.ANSWERED: (30, 70), Outcome.REFUSED_BY_POD: (30, 70)},
            ["answered by a", "refused by b: nothing listens on port 80"],
            id="half-refused",
        ),
        pytest.param(
            [service(selector={"app": "x"}), *ONE_80],
            [NODE1],
            {Outcome.REJECTED: (100, 100)},
            ["100 connection refused by kube-proxy"],
            id="all-rejected",
        ),
        pytest.param(
            [service(internalTrafficPolicy="Local"), pod("a", "10.244.2.5", node="node-2")],
            [NODE1, NODE2],
            {Outcome.TIMED_OUT: (50, 50), Outcome.ANSWERED: (50, 50)},
            ["50 answered by a", "50 timed out"],
            id="local-half-dropped",
        ),
        pytest.param(
            [service(clusterIP="None"), pod("a", "10.244.1.5"), pod("b", "10.244.1.6")],
            [NODE1],
            {Outcome.NO_VIRTUAL_IP: (100, 100)},
            ["answered by a", "answered by b"],
            id="headless",
        ),
    ],
)
def test_burst(
    docs: list[dict[str, Any]],
    clients: list[Client],
    counts: dict[Outcome, tuple[int, int]],
    lines: list[str],
) -> None:
    analysis = analyze(text(*docs))
    sr = analysis.services[0]
    burst = requests(analysis, sr, sr.ports[0], clients, 100, seed=3)
    assert sum(burst.counts.values()) == 100 == len(burst.sequence)
    for kind, (lo, hi) in counts.items():
        assert lo <= burst.counts[kind] <= hi, burst.counts
    assert set(burst.counts) == set(counts)
    shown = "\n".join(burst.lines())
    for words in lines:
        assert words in shown, shown
    again = requests(analysis, sr, sr.ports[0], clients, 100, seed=3)
    assert again.sequence == burst.sequence


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "kind: Service\nmetadata: {name: web\n",
            [(True, "YAML syntax error")],
            id="syntax",
        ),
        pytest.param("\x00binary", [(True, "")], id="refused-input"),
        pytest.param(
            text(service(ports=[{"port": 0, "targetPort": 80}])),
            [(False, "spec.ports[0].port: Invalid value: 0")],
            id="field-error",
        ),
        pytest.param(text(service()), [], id="valid"),
    ],
)
def test_problems(source: str, expected: list[tuple[bool, str]]) -> None:
    found = problems(analyze(source))
    assert [p.unreadable for p in found] == [u for u, _m in expected]
    for p, (_u, words) in zip(found, expected, strict=True):
        assert p.message.startswith(words), p.message
    first = unreadable(analyze(source))
    assert (first is not None) == any(u for u, _m in expected)
    for p in found:
        assert p.line >= 0 and p.message


@pytest.mark.parametrize(
    "families,record", [("", "A 10.96."), ("ipFamilies: [IPv6, IPv4]", "AAAA fd00:10:96::")]
)
def test_the_routing_views_request_names_the_record_of_the_primary_family(
    families: str, record: str
) -> None:
    """An IPv6-first Service's ClusterIP is an AAAA answer (the trace said `A fd00:...`)."""
    from tutor.model.network import DUAL_STACK
    from tutor.model.report import request_to

    text = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
        f"  ipFamilyPolicy: PreferDualStack\n  {families}\n"
        "  selector: {app: web}\n  ports: [{port: 80}]\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web-1, labels: {app: web}}\n"
        "spec: {containers: [{name: c, image: x}]}\n"
    )
    analysis = analyze(text, network=DUAL_STACK)
    sr = analysis.services[0]
    outcome = request_to(analysis, sr, sr.ports[0], NODE1)
    assert outcome.kind == Outcome.ANSWERED
    assert f"web.default.svc.cluster.local → {record}" in outcome.hops[0].text


def test_a_name_with_only_an_aaaa_record_is_reached_over_ipv6() -> None:
    """On a dual-stack cluster every Pod has an IPv6 address, and curl's getaddrinfo asks for
    both families: an IPv6-only Service (lesson 13, third challenge's wrong fix) is reached
    over IPv6. The console's `curl api` said `Could not resolve host: api` while `nslookup
    api` answered with its address."""
    from tutor.model.network import DUAL_STACK
    from tutor.model.report import request

    text = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n"
        "  ipFamilies: [IPv6]\n  selector: {app: api}\n  ports: [{port: 80}]\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: api-1, labels: {app: api}}\n"
        "spec: {containers: [{name: c, image: x}]}\n"
    )
    analysis = analyze(text, network=DUAL_STACK)
    outcome = request(analysis, NODE1, "api", 80)
    assert outcome.kind == Outcome.ANSWERED, outcome.summary
    assert "api.default.svc.cluster.local → AAAA fd00:10:96::" in outcome.hops[0].text
