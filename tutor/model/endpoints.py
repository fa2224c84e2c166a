"""The EndpointSlice controller: which Pods back a Service, on which port, in which condition.

K · pkg/controller/endpointslice/endpointslice_controller.go · `syncService` (no selector or an
ExternalName Service: no slices; Pods listed from the Service's namespace with the selector), K ·
staging/src/k8s.io/endpointslice/utils.go · `podToEndpoint` (conditions), `getEndpointPorts` and
`FindPort` (per-Pod port resolution), controller_utils.go · `ShouldPodBeInEndpoints`.

Selection uses an index from (namespace, label key, label value) to Pods, so resolving a Service
costs an intersection of small sets rather than a scan of every Pod.
"""

from __future__ import annotations

import gc
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .manifests import stable_hash, suffix
from .objects import EXTERNAL_NAME, Cluster, ContainerPort, Pod, Service, ServicePort

TERMINAL_PHASES = ("Succeeded", "Failed")


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
    port: int
    ready: bool
    serving: bool
    terminating: bool

    @property
    def address(self) -> str:
        """`net.JoinHostPort(ip, port)`, as kube-proxy's endpoint String(): IPv6 in brackets."""
        ip = self.pod.ip
        return f"[{ip}]:{self.port}" if ":" in ip else f"{ip}:{self.port}"


class PortEndpoints:
    """One Service port: the endpoints that resolved it, and the selected Pods that did not.

    Built lazily: `resolve` only selects Pods, and a port's per-Pod `FindPort` work runs the first
    time `endpoints` or `unresolved` is read. Resolving every Service after each edit then costs a
    selector intersection per Service, and only the ports somebody looks at pay for endpoints.
    """

    __slots__ = ("_endpoints", "_selected", "_service", "_unresolved", "port")

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
            for pod in self._selected or ():
                num = target if isinstance(target, int) else find_port(pod, target, protocol)
                if num is None:
                    unresolved.append(pod)
                    continue
                serving = pod.ready_condition == "True"
                terminating = pod.terminating
                eps.append(
                    Endpoint(
                        pod, num, publish or (serving and not terminating), serving, terminating
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


def endpoint_slices(se: ServiceEndpoints) -> list[dict[str, Any]]:
    """The EndpointSlice objects the controller would write (K · staging/src/k8s.io/endpointslice
    reconciler.go): one set per address family and distinct port mapping (`NewPortMapKey`), so
    Pods that resolve a named port differently land in different slices, and at most
    MAX_ENDPOINTS_PER_SLICE endpoints in each slice."""
    svc = se.service
    if not se.managed:
        return []
    Key = tuple[str, tuple[tuple[str, str, int], ...]]
    groups: dict[Key, list[tuple[Pod, tuple[bool, bool, bool]]]] = {}
    for pod in se.selected:
        mapping: list[tuple[str, str, int]] = []
        for sp in svc.ports:
            num = find_port(pod, sp.target_port, sp.protocol)
            if num is not None:
                mapping.append((sp.name, sp.protocol, num))
        family = "IPv6" if ":" in pod.ip else "IPv4"
        groups.setdefault((family, tuple(mapping)), []).append((pod, endpoint_conditions(pod, svc)))
    if not groups:
        # the reconciler keeps one placeholder slice, with no endpoints and no ports, for a
        # Service whose selector matches nothing
        groups[("IPv4", ())] = []
    slices = []
    for (family, key), members in groups.items():
        for chunk in range(0, max(len(members), 1), MAX_ENDPOINTS_PER_SLICE):
            name = f"{svc.name}-{suffix(stable_hash(svc.ref, family, key, chunk), 5)}"
            eps = []
            for pod, (ready, serving, terminating) in members[
                chunk : chunk + MAX_ENDPOINTS_PER_SLICE
            ]:
                ep: dict[str, Any] = {
                    "addresses": [pod.ip],
                    "conditions": {"ready": ready, "serving": serving, "terminating": terminating},
                }
                if pod.hostname and pod.subdomain == svc.name:
                    ep["hostname"] = pod.hostname
                if pod.node_name:
                    ep["nodeName"] = pod.node_name
                ep["targetRef"] = {"kind": "Pod", "name": pod.name, "namespace": pod.namespace}
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
                    "ports": [{"name": n, "port": num, "protocol": proto} for n, proto, num in key],
                }
            )
    return slices
