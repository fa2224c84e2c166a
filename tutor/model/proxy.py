"""kube-proxy: which endpoints a node's kube-proxy uses, and a seeded simulation of traffic.

K · pkg/proxy/util/utils.go · `ShouldSkipService` (headless and ExternalName are not proxied);
K · pkg/proxy/topology.go · `CategorizeEndpoints` (Ready endpoints, narrowed by topology hints for
the node or its zone, else the serving-and-terminating fallback; the Local policies restrict to the
node's own endpoints with a separate fallback);
K · pkg/proxy/endpointslicecache.go (endpoints sorted by the "IP:port" string);
K · pkg/proxy/iptables/proxier.go · `writeServiceToEndpointRules` (the random cascade: rule i of n
matches with probability 1/(n-i); ClientIP affinity via the `recent` module).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from .endpoints import Endpoint, PortEndpoints
from .objects import EXTERNAL_NAME, LOAD_BALANCER, NODE_PORT, Service

CLUSTER_IP_ENTRY = "ClusterIP"
NODE_PORT_ENTRY = "NodePort"
LOAD_BALANCER_ENTRY = "LoadBalancer"
ENTRIES = (CLUSTER_IP_ENTRY, NODE_PORT_ENTRY, LOAD_BALANCER_ENTRY)


def skip_service(svc: Service) -> bool:
    """`ShouldSkipService`: headless and ExternalName Services get no proxy rules."""
    return svc.type == EXTERNAL_NAME or svc.cluster_ip in ("", "None")


def sort_key(ep: Endpoint) -> str:
    """kube-proxy sorts endpoints by the "IP:port" string, lexicographically."""
    return ep.address


def _categorize(endpoints: list[Endpoint]) -> tuple[list[Endpoint], bool]:
    """Ready endpoints; if there are none, serving-and-terminating ones (the fallback flag)."""
    ready = [ep for ep in endpoints if ep.ready]
    if ready:
        return sorted(ready, key=sort_key), False
    fallback = [ep for ep in endpoints if ep.serving and ep.terminating]
    return sorted(fallback, key=sort_key), bool(fallback)


SAME_NODE = "PreferSameNode"
SAME_ZONE = "PreferSameZone"


def topology_mode(endpoints: list[Endpoint], node: str, zone: str) -> str:
    """K · pkg/proxy/topology.go · `topologyModeFromHints` (PreferSameTrafficDistribution is
    GA in v1.35): "PreferSameNode" when every ready endpoint has a node hint and one is hinted
    for this node; else "PreferSameZone" when every ready endpoint has a zone hint and one is
    hinted for this node's zone; else "" (all ready endpoints, cluster-wide)."""
    ready = [ep for ep in endpoints if ep.ready]
    if not ready:
        return ""
    if all(ep.for_nodes for ep in ready) and any(node in ep.for_nodes for ep in ready):
        return SAME_NODE
    if all(ep.for_zones for ep in ready) and any(zone in ep.for_zones for ep in ready):
        return SAME_ZONE
    return ""


def available_for_topology(ep: Endpoint, mode: str, node: str, zone: str) -> bool:
    """`availableForTopology`."""
    if mode == SAME_NODE:
        return node in ep.for_nodes
    if mode == SAME_ZONE:
        return zone in ep.for_zones
    return True


def cluster_endpoints(
    endpoints: list[Endpoint], node: str | None, zone: str = ""
) -> tuple[list[Endpoint], bool, str]:
    """`CategorizeEndpoints`' Cluster-policy list for the kube-proxy on `node` (None: topology
    left out, as for "any node"): the ready endpoints its topology mode allows, else the
    serving-and-terminating ones. Returns (endpoints, fallback, topology mode)."""
    mode = topology_mode(endpoints, node, zone) if node is not None else ""
    ready = [
        ep for ep in endpoints if ep.ready and available_for_topology(ep, mode, node or "", zone)
    ]
    if ready:
        return sorted(ready, key=sort_key), False, mode
    fallback = [ep for ep in endpoints if ep.serving and ep.terminating]
    return sorted(fallback, key=sort_key), bool(fallback), mode


@dataclass(slots=True)
class Usable:
    """The endpoints one kube-proxy sends a Service port's traffic to."""

    cluster: list[Endpoint]
    """For Cluster policy: every node's choice (topology hints not applied)."""
    cluster_fallback: bool
    local: dict[str, list[Endpoint]]
    """For Local policy: per node, that node's endpoints (with their own fallback)."""


def categorize(pe: PortEndpoints) -> Usable:
    cluster, fb = _categorize(pe.endpoints)
    nodes = sorted({ep.node_name for ep in pe.endpoints})
    local = {n: _categorize([ep for ep in pe.endpoints if ep.node_name == n])[0] for n in nodes}
    return Usable(cluster, fb, local)


def endpoints_for(svc: Service, pe: PortEndpoints, entry: str, node: str | None) -> list[Endpoint]:
    """What kube-proxy on `node` uses for traffic that arrives through `entry`.

    ClusterIP traffic follows internalTrafficPolicy; NodePort and LoadBalancer traffic follows
    externalTrafficPolicy. A Local policy with no node given means "any node": the union.
    Under a Cluster policy the node's topology (hints for its zone or itself, see
    `topology_mode`) narrows the choice; no node given means no topology.
    """
    if skip_service(svc):
        return []
    policy = (
        svc.internal_traffic_policy if entry == CLUSTER_IP_ENTRY else svc.external_traffic_policy
    )
    if policy != "Local":
        if node is None:
            return _categorize(pe.endpoints)[0]
        return cluster_endpoints(pe.endpoints, node, pe.node_zones.get(node, ""))[0]
    usable = categorize(pe)
    if node is None:
        merged = [ep for eps in usable.local.values() for ep in eps]
        return sorted(merged, key=sort_key)
    return usable.local.get(node, [])


def probabilities(n: int) -> list[float]:
    """The iptables cascade's per-rule probabilities: 1/(n-i) for each rule but the last."""
    return [1.0 / (n - i) for i in range(n - 1)]


@dataclass(slots=True)
class Client:
    name: str
    ip: str
    node: str
    """The node whose kube-proxy handles this client's packets ("" = outside the cluster)."""


@dataclass(slots=True)
class Simulation:
    requests: int
    served: Counter[str] = field(default_factory=Counter)
    """Pod name -> requests served."""
    dropped: int = 0
    rejected: int = 0
    sequence: list[tuple[str, str]] = field(default_factory=list)
    """(client name, pod name or "" for dropped/rejected) for the first requests."""
    drop_reason: str = ""


def simulate(
    svc: Service,
    pe: PortEndpoints,
    clients: list[Client],
    requests: int,
    seed: int = 0,
    entry: str = CLUSTER_IP_ENTRY,
    entry_nodes: list[str] | None = None,
    keep_sequence: int = 200,
) -> Simulation:
    """Send `requests` requests round-robin from `clients`; the same seed gives the same result.

    Each request walks the cascade kube-proxy programs: with ClientIP affinity a client that
    already has an endpoint (the `recent` match) goes back to it; otherwise rule i of n matches
    with probability 1/(n-i). For NodePort and LoadBalancer traffic the packet first lands on a
    node (round-robin over `entry_nodes`; a cloud load balancer with externalTrafficPolicy:
    Local only sends to nodes that pass the health check, i.e. that have local endpoints).
    """
    rng = random.Random(seed)
    sim = Simulation(requests)
    if not clients:
        clients = [Client("client", "10.244.0.100", "")]
    sticky: dict[str, Endpoint] = {}
    affinity = svc.session_affinity == "ClientIP"
    nodes = entry_nodes or sorted({ep.node_name for ep in pe.endpoints}) or [""]
    if entry == LOAD_BALANCER_ENTRY and svc.external_traffic_policy == "Local":
        healthy = [n for n in nodes if endpoints_for(svc, pe, entry, n)]
        nodes = healthy or nodes
    local_policy = (
        svc.internal_traffic_policy if entry == CLUSTER_IP_ENTRY else svc.external_traffic_policy
    ) == "Local"
    cache: dict[str, list[Endpoint]] = {}
    for i in range(requests):
        client = clients[i % len(clients)]
        node = client.node if entry == CLUSTER_IP_ENTRY else nodes[i % len(nodes)]
        key = node or ""
        eps = cache.get(key)
        if eps is None:
            eps = cache[key] = endpoints_for(svc, pe, entry, node if node else None)
        chosen: Endpoint | None = None
        if not eps:
            # no local endpoint under a Local policy: DROP; no endpoint at all: REJECT
            if local_policy and endpoints_for(svc, pe, entry, None):
                sim.dropped += 1
            else:
                sim.rejected += 1
        else:
            if affinity:
                prev = sticky.get(client.ip)
                if prev is not None and prev in eps:
                    chosen = prev
            if chosen is None:
                n = len(eps)
                chosen = eps[-1]
                for idx in range(n - 1):
                    if rng.random() < 1.0 / (n - idx):
                        chosen = eps[idx]
                        break
                if affinity:
                    sticky[client.ip] = chosen
            sim.served[chosen.pod.name] += 1
        if len(sim.sequence) < keep_sequence:
            sim.sequence.append((client.name, chosen.pod.name if chosen else ""))
    return sim


def entry_types(svc: Service) -> list[str]:
    """The ways in: ClusterIP always (unless headless/ExternalName), NodePort for NodePort and
    LoadBalancer, LoadBalancer for LoadBalancer."""
    if skip_service(svc):
        return []
    out = [CLUSTER_IP_ENTRY]
    if svc.type in (NODE_PORT, LOAD_BALANCER) and any(p.node_port for p in svc.ports):
        out.append(NODE_PORT_ENTRY)
    if svc.type == LOAD_BALANCER:
        out.append(LOAD_BALANCER_ENTRY)
    return out
