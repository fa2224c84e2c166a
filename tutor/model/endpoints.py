"""The EndpointSlice controller: which Pods back a Service, on which port, in which condition.

K · pkg/controller/endpointslice/endpointslice_controller.go · `syncService` (no selector or an
ExternalName Service: no slices; Pods listed from the Service's namespace with the selector), K ·
staging/src/k8s.io/endpointslice/utils.go · `podToEndpoint` (conditions), `getEndpointPorts` and
`FindPort` (per-Pod port resolution), controller_utils.go · `ShouldPodBeInEndpoints`.

Selection uses an index from (namespace, label key, label value) to Pods, so resolving a Service
costs an intersection of small sets rather than a scan of every Pod.
"""

from __future__ import annotations

import dataclasses
import gc
import math
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .manifests import stable_hash, suffix
from .network import family_of, ip_of_family
from .objects import (
    EXTERNAL_NAME,
    Cluster,
    ContainerPort,
    EndpointSlice,
    Pod,
    Service,
    ServicePort,
    SliceEndpoint,
)

TERMINAL_PHASES = ("Succeeded", "Failed")
NO_ZONES: Mapping[str, str] = MappingProxyType({})
"""Shared by every port until zones matter, so resolving allocates no dict per port."""


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector around a bulk build.

    Indexing 10,000 Pods allocates tens of thousands of small lists, none of which can form a
    cycle; letting the collector traverse the whole heap several times meanwhile doubled the
    build time. The previous state is restored, so nesting and callers that disabled it are safe.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def has_selector(svc: Service) -> bool:
    """`selector: {}` is treated as no selector (ServiceSpec docs; kubernetes#25837)."""
    return bool(svc.selector)


def eligible(pod: Pod) -> bool:
    """`ShouldPodBeInEndpoints(pod, includeTerminating=true)`."""
    return bool(pod.ip) and pod.phase not in TERMINAL_PHASES


class PodIndex:
    """Eligible Pods indexed by namespace and label pair, for the selector's AND of pairs.

    Posting lists hold Pod indexes in ascending order, so an intersection walks the shortest list
    and keeps cluster order. Only Pods that `ShouldPodBeInEndpoints` accepts are indexed.
    """

    def __init__(self, pods: list[Pod]) -> None:
        with no_gc():
            self._build(pods)

    def _build(self, pods: list[Pod]) -> None:
        self.pods = pods
        self._by_ns: dict[str, dict[tuple[str, str], list[int]]] = {}
        by_ns = self._by_ns
        for i, pod in enumerate(pods):
            if not pod.ip or pod.phase in TERMINAL_PHASES:
                continue
            postings = by_ns.get(pod.namespace)
            if postings is None:
                postings = by_ns[pod.namespace] = {}
            for pair in pod.labels.items():
                found = postings.get(pair)
                if found is None:
                    postings[pair] = [i]
                else:
                    found.append(i)

    @property
    def by_namespace(self) -> dict[str, set[int]]:
        """Eligible Pod indexes per namespace."""
        return {
            ns: {i for ids in postings.values() for i in ids}
            for ns, postings in self._by_ns.items()
        }

    def select(self, namespace: str, selector: dict[str, str]) -> list[int]:
        """Indexes of eligible Pods in `namespace` with every selector pair (AND, exact),
        ascending. An empty selector selects nothing (see `has_selector`).

        Walks the shortest posting list and binary-searches the others (they are sorted), so a
        selector that combines a rare label with a common one costs a few lookups, not a set.
        """
        if not selector:
            return []
        postings = self._by_ns.get(namespace)
        if postings is None:
            return []
        lists: list[list[int]] = []
        for pair in selector.items():
            found = postings.get(pair)
            if not found:
                return []
            lists.append(found)
        if len(lists) == 1:
            return list(lists[0])
        lists.sort(key=len)
        result = lists[0]
        for ids in lists[1:]:
            n = len(ids)
            kept = []
            for i in result:
                at = bisect_left(ids, i)
                if at < n and ids[at] == i:
                    kept.append(i)
            result = kept
            if not result:
                break
        return result


def find_port(pod: Pod, target: int | str, protocol: str) -> int | None:
    """`FindPort`: an int is used as-is; a name must match a container port's name and protocol,
    searching containers first, then sidecar (restartPolicy: Always) init containers."""
    if isinstance(target, int):
        return target
    for cp in pod.ports:  # containers come before sidecars in pod.ports
        if cp.name == target and cp.protocol == protocol:
            return cp.container_port
    return None


def ports_named(pod: Pod, name: str) -> list[ContainerPort]:
    return [cp for cp in pod.ports if cp.name == name]


@dataclass(slots=True)
class Endpoint:
    pod: Pod
    """The Pod behind it (for an address an input slice lists without a Pod in the file, a
    stand-in with `address_only` set)."""
    port: int
    ready: bool
    serving: bool
    terminating: bool
    ip: str = ""
    """The slice's address when it came from an input slice ("" = the Pod's IP)."""
    node: str = ""
    """The slice's `nodeName` when it came from an input slice ("" = the Pod's node)."""
    zone: str = ""
    for_zones: tuple[str, ...] = ()
    """Topology hints (`hints.forZones`)."""
    for_nodes: tuple[str, ...] = ()
    """`hints.forNodes` (trafficDistribution: PreferSameNode)."""
    slice: str = ""
    """The input EndpointSlice it came from ("" = the model's own, from the Pods)."""

    @property
    def address(self) -> str:
        """`net.JoinHostPort(ip, port)`, as kube-proxy's endpoint String(): IPv6 in brackets."""
        return join_host_port(self.ip or self.pod.ip, self.port)

    @property
    def node_name(self) -> str:
        return self.node or self.pod.node_name


class PortEndpoints:
    """One Service port: the endpoints that resolved it, and the selected Pods that did not.

    Built lazily: `resolve` only selects Pods, and a port's per-Pod `FindPort` work runs the first
    time `endpoints` or `unresolved` is read. Resolving every Service after each edit then costs a
    selector intersection per Service, and only the ports somebody looks at pay for endpoints.
    """

    __slots__ = ("_endpoints", "_selected", "_service", "_unresolved", "node_zones", "port")

    def __init__(
        self,
        port: ServicePort,
        endpoints: list[Endpoint] | None = None,
        unresolved: list[Pod] | None = None,
        *,
        service: Service | None = None,
        selected: list[Pod] | None = None,
    ) -> None:
        self.port = port
        self._service = service
        self._selected = selected
        self.node_zones: Mapping[str, str] = NO_ZONES
        """Node name -> zone, for kube-proxy's topology choice (set when zones matter)."""
        if endpoints is not None or unresolved is not None or service is None:
            self._endpoints: list[Endpoint] | None = endpoints if endpoints is not None else []
            self._unresolved: list[Pod] | None = unresolved if unresolved is not None else []
        else:
            self._endpoints = self._unresolved = None

    def _materialise(self) -> tuple[list[Endpoint], list[Pod]]:
        """`getEndpointPorts` + `podToEndpoint` for this port over the selected Pods."""
        eps: list[Endpoint] = []
        unresolved: list[Pod] = []
        svc = self._service
        sp = self.port
        if svc is not None:
            target, protocol, publish = sp.target_port, sp.protocol, svc.publish_not_ready
            family = primary_family(svc)
            for pod in self._selected or ():
                # the slice of the Service's primary family lists the Pod's IP of that family
                ip = pod.ip if family_of(pod.ip) == family else ip_of_family(pod.ips, family)
                if not ip:
                    continue
                num = target if isinstance(target, int) else find_port(pod, target, protocol)
                if num is None:
                    unresolved.append(pod)
                    continue
                serving = pod.ready_condition == "True"
                terminating = pod.terminating
                eps.append(
                    Endpoint(
                        pod,
                        num,
                        publish or (serving and not terminating),
                        serving,
                        terminating,
                        ip="" if ip == pod.ip else ip,
                    )
                )
        self._endpoints, self._unresolved = eps, unresolved
        return eps, unresolved

    @property
    def endpoints(self) -> list[Endpoint]:
        return self._endpoints if self._endpoints is not None else self._materialise()[0]

    @endpoints.setter
    def endpoints(self, value: list[Endpoint]) -> None:
        if self._unresolved is None:
            self._materialise()
        self._endpoints = value

    @property
    def unresolved(self) -> list[Pod]:
        return self._unresolved if self._unresolved is not None else self._materialise()[1]

    @unresolved.setter
    def unresolved(self, value: list[Pod]) -> None:
        if self._endpoints is None:
            self._materialise()
        self._unresolved = value

    def __repr__(self) -> str:
        return (
            f"PortEndpoints(port={self.port!r}, endpoints={self.endpoints!r}, "
            f"unresolved={[p.name for p in self.unresolved]!r})"
        )


@dataclass(slots=True)
class ServiceEndpoints:
    service: Service
    selected: list[Pod] = field(default_factory=list)
    ports: list[PortEndpoints] = field(default_factory=list)
    managed: bool = True
    """False for ExternalName and selector-less Services: the controller writes no slices."""


def endpoint_conditions(pod: Pod, svc: Service) -> tuple[bool, bool, bool]:
    """`podToEndpoint`: (ready, serving, terminating)."""
    serving = pod.ready_condition == "True"
    terminating = pod.terminating
    ready = svc.publish_not_ready or (serving and not terminating)
    return ready, serving, terminating


def resolve(svc: Service, cluster: Cluster, index: PodIndex) -> ServiceEndpoints:
    """The EndpointSlice controller's view of one Service (`syncService`): no slices for
    ExternalName or a missing/empty selector; otherwise the selected Pods, with each port's
    endpoints resolved when first read (see PortEndpoints)."""
    result = ServiceEndpoints(svc)
    if svc.type == EXTERNAL_NAME or not has_selector(svc):
        result.managed = False
        result.ports = [PortEndpoints(p) for p in svc.ports]
        return result
    assert svc.selector is not None
    pods = index.pods
    selected = result.selected = [pods[i] for i in index.select(svc.namespace, svc.selector)]
    result.ports = [PortEndpoints(sp, service=svc, selected=selected) for sp in svc.ports]
    return result


def resolve_all(cluster: Cluster, index: PodIndex | None = None) -> list[ServiceEndpoints]:
    """Every Service of the cluster, resolved with one index (built here if not given)."""
    index = index or PodIndex(cluster.pods)
    with no_gc():
        return [resolve(svc, cluster, index) for svc in cluster.services]


MAX_ENDPOINTS_PER_SLICE = 100
"""The controller's `--max-endpoints-per-slice` default."""


def primary_family(svc: Service) -> str:
    """The Service's first IP family (`spec.ipFamilies[0]`), IPv4 when it has none."""
    return svc.ip_families[0] if svc.ip_families else "IPv4"


def pod_ip_for(pod: Pod, svc: Service) -> str:
    """The Pod's address in the Service's primary family (its IP in that family's slice)."""
    family = primary_family(svc)
    return pod.ip if family_of(pod.ip) == family else ip_of_family(pod.ips, family) or pod.ip


def join_host_port(ip: str, port: int) -> str:
    """`net.JoinHostPort`: an IPv6 address in brackets."""
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def pod_address(pod: Pod, svc: Service, port: int | None) -> str:
    """Where the Service's traffic reaches a Pod, as the routing view and `ktutor route` show
    it: the Pod's IP of the Service's primary family (the address its slices of that family
    list, so an IPv6-first Service shows IPv6), with `port` when given; "" without an IP."""
    ip = pod_ip_for(pod, svc)
    return join_host_port(ip, port) if ip and port is not None else ip


def family_endpoints(endpoints: list[Endpoint], family: str) -> list[Endpoint]:
    """`endpoints` as the slices of address type `family` list them: each Pod's address of that
    family (`getEndpointAddresses`); Pods without one are not in those slices."""
    out = []
    for ep in endpoints:
        if family_of(ep.ip or ep.pod.ip) == family:
            out.append(ep)
            continue
        ip = ip_of_family(ep.pod.ips, family)
        if ip:
            out.append(dataclasses.replace(ep, ip=ip))
    return out


def endpoint_slices(
    se: ServiceEndpoints, hinted: list[Endpoint] | None = None
) -> list[dict[str, Any]]:
    """The EndpointSlice objects the controller would write (K · staging/src/k8s.io/endpointslice
    reconciler.go): one set per address type of the Service (`getAddressTypesForService`: its
    `ipFamilies`), each listing the Pods' addresses of that family, and per distinct port
    mapping (`NewPortMapKey`), so Pods that resolve a named port differently land in different
    slices, and at most MAX_ENDPOINTS_PER_SLICE endpoints in each slice. A slice's ports are
    `getEndpointPorts`' (K · staging/src/k8s.io/endpointslice/utils.go): each Service port the
    Pod resolves, with its name, protocol and `appProtocol`. `hinted` (a port's endpoints after
    `assign_hints`) gives each endpoint its `zone` and `hints`."""
    by_pod = {ep.pod.name: ep for ep in hinted or () if not ep.slice}
    svc = se.service
    if not se.managed:
        return []
    Key = tuple[str, tuple[tuple[str, str, int, str], ...]]
    groups: dict[Key, list[tuple[Pod, str, tuple[bool, bool, bool]]]] = {}
    families = svc.ip_families or ["IPv4"]
    for pod in se.selected:
        mapping: list[tuple[str, str, int, str]] = []
        for sp in svc.ports:
            num = find_port(pod, sp.target_port, sp.protocol)
            if num is not None:
                mapping.append((sp.name, sp.protocol, num, sp.app_protocol))
        for family in families:
            ip = pod.ip if family_of(pod.ip) == family else ip_of_family(pod.ips, family)
            if ip:
                groups.setdefault((family, tuple(mapping)), []).append(
                    (pod, ip, endpoint_conditions(pod, svc))
                )
    for family in families:
        if not any(f == family for f, _ in groups):
            # the reconciler keeps one placeholder slice per address type, with no endpoints
            # and no ports, for a Service whose selector matches no Pod of that family
            groups[(family, ())] = []
    slices = []
    for (family, key), members in groups.items():
        for chunk in range(0, max(len(members), 1), MAX_ENDPOINTS_PER_SLICE):
            named = tuple(
                port[:3] for port in key
            )  # the name leaves appProtocol out: names stay as they were
            name = f"{svc.name}-{suffix(stable_hash(svc.ref, family, named, chunk), 5)}"
            eps = []
            for pod, ip, (ready, serving, terminating) in members[
                chunk : chunk + MAX_ENDPOINTS_PER_SLICE
            ]:
                ep: dict[str, Any] = {
                    "addresses": [ip],
                    "conditions": {"ready": ready, "serving": serving, "terminating": terminating},
                }
                if pod.hostname and pod.subdomain == svc.name:
                    ep["hostname"] = pod.hostname
                if pod.node_name:
                    ep["nodeName"] = pod.node_name
                ep["targetRef"] = {"kind": "Pod", "name": pod.name, "namespace": pod.namespace}
                known = by_pod.get(pod.name)
                if known is not None and known.zone:
                    ep["zone"] = known.zone
                if known is not None and (known.for_zones or known.for_nodes):
                    hints: dict[str, Any] = {}
                    if known.for_zones:
                        hints["forZones"] = [{"name": z} for z in known.for_zones]
                    if known.for_nodes:
                        hints["forNodes"] = [{"name": n} for n in known.for_nodes]
                    ep["hints"] = hints
                eps.append(ep)
            slices.append(
                {
                    "apiVersion": "discovery.k8s.io/v1",
                    "kind": "EndpointSlice",
                    "metadata": {
                        "name": name,
                        "namespace": svc.namespace,
                        "labels": {
                            "kubernetes.io/service-name": svc.name,
                            "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                        },
                    },
                    "addressType": family,
                    "endpoints": eps,
                    "ports": [slice_port(*port) for port in key],
                }
            )
    return slices


def slice_port(name: str, protocol: str, port: int, app_protocol: str) -> dict[str, Any]:
    """One of a slice's `ports` (`discovery.EndpointPort`): `appProtocol` only when set."""
    out: dict[str, Any] = {"name": name, "port": port, "protocol": protocol}
    if app_protocol:
        out["appProtocol"] = app_protocol
    return out


# ---------------------------------------------------------------- slices from the input

CLOSE_DISTRIBUTIONS = ("PreferClose", "PreferSameZone", "PreferSameNode")
"""`closeTrafficDistribution` (K · staging/src/k8s.io/endpointslice/trafficdist): PreferClose is
the older name of PreferSameZone."""


def _stand_in(se: SliceEndpoint, sl: EndpointSlice, address: str) -> Pod:
    """A Pod-shaped stand-in for an address with no Pod in the file, so views list it."""
    return Pod(
        name=se.pod or address,
        namespace=sl.namespace,
        source=sl.source,
        node_name=se.node_name,
        ip=address,
        ready=se.ready,
        ready_condition="True" if se.serving else "False",
        terminating=se.terminating,
        hostname=se.hostname,
        address_only=True,
    )


def from_slices(
    sp: ServicePort, slices: list[EndpointSlice], pods: dict[str, Pod], family: str = "IPv4"
) -> list[Endpoint]:
    """kube-proxy's endpoints for one Service port from the slices labelled with its Service
    (K · pkg/proxy/endpointslicecache.go · `endpointInfoByServicePort`, `addEndpoints`): a
    slice port counts when its name and protocol are the Service port's and its number is not
    0; an endpoint is its first address, of the Service's family; duplicates (same IP:port
    in two slices) count once. `pods` maps `namespace/name` to the file's Pods, so a slice
    naming a Pod in the file points at it."""
    out: dict[str, Endpoint] = {}
    for sl in slices:
        for name, protocol, number in sl.ports:
            if name != sp.name or protocol != sp.protocol or not number:
                continue
            for se in sl.endpoints:
                if not se.addresses:
                    continue
                address = se.addresses[0]
                if (":" in address) != (family == "IPv6"):
                    continue
                pod = pods.get(f"{sl.namespace}/{se.pod}") if se.pod else None
                ep = Endpoint(
                    pod if pod is not None else _stand_in(se, sl, address),
                    number,
                    se.ready,
                    se.serving,
                    se.terminating,
                    ip=address,
                    node=se.node_name,
                    zone=se.zone,
                    for_zones=se.for_zones,
                    for_nodes=se.for_nodes,
                    slice=sl.name,
                )
                out.setdefault(ep.address, ep)
    return list(out.values())


def topology_annotation_enabled(svc: Service) -> bool:
    """`hintsEnabled` (K · staging/src/k8s.io/endpointslice/reconciler.go): the topology
    annotation is `Auto` (or `auto`)."""
    return svc.topology_mode in ("Auto", "auto")


OVERLOAD_THRESHOLD = 0.2
"""`overloadThreshold` of the topology cache: no zone should get more than 20% over its share."""


def _auto_hints(endpoints: list[Endpoint], cluster: Cluster) -> str:
    """Topology Aware Routing (`topology-mode: Auto`) as the EndpointSlice controller's topology
    cache does it (K · staging/src/k8s.io/endpointslice/topologycache/topologycache.go ·
    `SetNodes`, `getAllocations`, `AddHints`; utils.go · `getGivingAndReceivingZones`,
    `redistributeHints`): zones weighed by their Ready nodes' allocatable CPU (control-plane
    nodes left out); no hints at all when a node lacks a zone or CPU, with fewer than 2 zones,
    fewer ready endpoints than zones, or when a zone's minimum share cannot be met. Each
    ready endpoint is hinted for its own zone, then some are moved to zones short of their
    share (in a fixed order here; the controller walks Go maps). Returns why there are no
    hints ("" when there are)."""
    cpu: dict[str, int] = {}
    for name in cluster.nodes:
        node = cluster.node_info[name]
        if (
            "node-role.kubernetes.io/control-plane" in node.labels
            or "node-role.kubernetes.io/master" in node.labels
            or not node.ready
        ):
            continue
        if not node.zone or not node.cpu_millis:
            return (
                f"node `{name}` has no {'zone label' if not node.zone else 'allocatable CPU'}, "
                "so the controller has not enough node information"
            )
        cpu[node.zone] = cpu.get(node.zone, 0) + node.cpu_millis
    if len(cpu) < 2:
        return "the nodes are in fewer than 2 zones"
    ready = [ep for ep in endpoints if ep.ready]
    if len(cpu) > len(ready):
        return f"fewer ready endpoints ({len(ready)}) than zones ({len(cpu)})"
    total = sum(cpu.values())
    allocations: dict[str, tuple[int, float]] = {}
    remaining = len(ready)
    for zone in sorted(cpu):
        desired = cpu[zone] / total * len(ready)
        minimum = math.ceil(desired * (1 / (1 + OVERLOAD_THRESHOLD)))
        allocations[zone] = (minimum, max(desired, float(minimum)))
        remaining -= minimum
        if remaining < 0:
            return "a zone's minimum share cannot be met without overloading the endpoints"
    allocated: dict[str, int] = {}
    for ep in ready:
        if not ep.zone:
            return f"endpoint {ep.pod.name} has no zone"
        ep.for_zones = (ep.zone,)
        allocated[ep.zone] = allocated.get(ep.zone, 0) + 1
    giving_d = {
        z: allocated.get(z, 0) - d for z, (_, d) in allocations.items() if allocated.get(z, 0) > d
    }
    receiving_d = {
        z: d - allocated.get(z, 0) for z, (_, d) in allocations.items() if allocated.get(z, 0) < d
    }
    giving: dict[str, int] = {}
    receiving: dict[str, int] = {}
    while True:
        g = max(sorted(giving_d), key=lambda z: giving_d[z], default="")
        r = max(sorted(receiving_d), key=lambda z: receiving_d[z], default="")
        give = giving_d.get(g, 0.0) if g else 0.0
        take = receiving_d.get(r, 0.0) if r else 0.0
        if not g or not r or (give < 1.0 and take < 1.0) or give < 0.5 or take < 0.5:
            break
        giving[g] = giving.get(g, 0) + 1
        giving_d[g] -= 1
        receiving[r] = receiving.get(r, 0) + 1
        receiving_d[r] -= 1
    for ep in ready:
        if not giving or not receiving:
            break
        if giving.get(ep.zone, 0) > 0:
            to = sorted(z for z, n in receiving.items() if n > 0)[0]
            ep.for_zones = (to,)
            giving[ep.zone] -= 1
            if not giving[ep.zone]:
                del giving[ep.zone]
            receiving[to] -= 1
            if not receiving[to]:
                del receiving[to]
    return ""


def assign_hints(svc: Service, endpoints: list[Endpoint], cluster: Cluster) -> str:
    """Zones and topology hints on the model's own endpoints, as the EndpointSlice controller
    writes them (K · staging/src/k8s.io/endpointslice/reconciler.go · `reconcileByAddressType`):
    each endpoint's `zone` is its node's `topology.kubernetes.io/zone`; the topology
    annotation (`Auto`) wins over `trafficDistribution`; with trafficDistribution PreferClose
    or PreferSameZone every ready endpoint with a zone is hinted for its own zone, and
    PreferSameNode adds a hint for its own node (K · trafficdist/trafficdist.go ·
    `preferCloseHeuristic.update`). Returns why a requested topology gives no hints ("").
    Endpoints read from the input's slices keep the hints written there: with none of the
    model's own, there is nothing to explain."""
    for ep in endpoints:
        if not ep.slice:
            ep.zone = cluster.zone_of(ep.node_name)
            ep.for_zones = ep.for_nodes = ()
    own = [ep for ep in endpoints if not ep.slice]
    if not own:
        hinted = any(ep.for_zones for ep in endpoints if ep.ready)
        if hinted and not any(cluster.zone_of(n) for n in cluster.nodes):
            # K · pkg/proxy/topology.go · `canUseTopology`: a node without a zone label
            # finds no endpoint hinted for its zone and uses them all
            return (
                "kube-proxy cannot use the zone hints of the input's EndpointSlices: no node "
                "has a `topology.kubernetes.io/zone` label (give the dump its Node objects), "
                "and a node without a zone uses every endpoint"
            )
        return ""
    if topology_annotation_enabled(svc):
        why = _auto_hints(own, cluster)
        if why:
            for ep in own:
                ep.for_zones = ()
        return why
    if svc.traffic_distribution not in CLOSE_DISTRIBUTIONS:
        return ""
    same_node = svc.traffic_distribution == "PreferSameNode"
    for ep in own:
        if not ep.ready:
            continue
        ep.for_zones = (ep.zone,) if ep.zone else ()
        ep.for_nodes = (ep.node_name,) if same_node and ep.node_name else ()
    if not same_node and not any(ep.zone for ep in own):
        return "the nodes have no `topology.kubernetes.io/zone` label, so there are no zone hints"
    return ""


@dataclass(frozen=True, slots=True)
class SliceDifference:
    """Where the EndpointSlice controller's slices (the model's, from the Pods) would differ
    from the controller-managed slices in the input, for one Service port."""

    name: str
    """The Pod's name (or the address)."""
    model: tuple[int, bool] | None
    """(port, ready) in the model's slices, None when the model lists it not."""
    given: tuple[int, bool] | None
    """(port, ready) in the input's slices, None when they list it not."""

    @property
    def summary(self) -> str:
        def side(v: tuple[int, bool] | None) -> str:
            return "absent" if v is None else f"port {v[0]}, {'ready' if v[1] else 'not ready'}"

        return f"{self.name}: the input's slices say {side(self.given)}; the controller would write {side(self.model)}"


def slice_differences(model: list[Endpoint], given: list[Endpoint]) -> list[SliceDifference]:
    """The model's endpoints against the input's, by Pod name (or address)."""
    mine = {ep.pod.name: (ep.port, ep.ready) for ep in model}
    theirs = {ep.pod.name: (ep.port, ep.ready) for ep in given}
    return [
        SliceDifference(name, mine.get(name), theirs.get(name))
        for name in sorted(set(mine) | set(theirs))
        if mine.get(name) != theirs.get(name)
    ]
