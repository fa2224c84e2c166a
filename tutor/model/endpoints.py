"""The EndpointSlice controller: which Pods back a Service, on which port, in which condition.

K · pkg/controller/endpointslice/endpointslice_controller.go · `syncService` (no selector or an
ExternalName Service: no slices; Pods listed from the Service's namespace with the selector), K ·
staging/src/k8s.io/endpointslice/utils.go · `podToEndpoint` (conditions), `getEndpointPorts` and
`FindPort` (per-Pod port resolution), controller_utils.go · `ShouldPodBeInEndpoints`.

Selection uses an index from (namespace, label key, label value) to Pods, so resolving a Service
costs an intersection of small sets rather than a scan of every Pod.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .manifests import stable_hash, suffix
from .objects import EXTERNAL_NAME, Cluster, ContainerPort, Pod, Service, ServicePort

TERMINAL_PHASES = ("Succeeded", "Failed")


def has_selector(svc: Service) -> bool:
    """`selector: {}` is treated as no selector (ServiceSpec docs; kubernetes#25837)."""
    return bool(svc.selector)


def eligible(pod: Pod) -> bool:
    """`ShouldPodBeInEndpoints(pod, includeTerminating=true)`."""
    return bool(pod.ip) and pod.phase not in TERMINAL_PHASES


class PodIndex:
    """Pods indexed by namespace and label pair; only Pods that can be endpoints are indexed."""

    def __init__(self, pods: list[Pod]) -> None:
        self.pods = pods
        self.by_label: dict[tuple[str, str, str], set[int]] = {}
        self.by_namespace: dict[str, set[int]] = {}
        for i, pod in enumerate(pods):
            if not eligible(pod):
                continue
            self.by_namespace.setdefault(pod.namespace, set()).add(i)
            for key, value in pod.labels.items():
                self.by_label.setdefault((pod.namespace, key, value), set()).add(i)

    def select(self, namespace: str, selector: dict[str, str]) -> list[int]:
        """Indexes of eligible Pods in `namespace` with every selector pair (AND, exact)."""
        if not selector:
            return []
        sets = []
        for key, value in selector.items():
            found = self.by_label.get((namespace, key, value))
            if not found:
                return []
            sets.append(found)
        sets.sort(key=len)
        result = sets[0].intersection(*sets[1:]) if len(sets) > 1 else sets[0]
        return sorted(result)


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
        return f"{self.pod.ip}:{self.port}"


@dataclass(slots=True)
class PortEndpoints:
    """One Service port: the endpoints that resolved it, and the selected Pods that did not."""

    port: ServicePort
    endpoints: list[Endpoint] = field(default_factory=list)
    unresolved: list[Pod] = field(default_factory=list)


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
    result = ServiceEndpoints(svc)
    if svc.type == EXTERNAL_NAME or not has_selector(svc):
        result.managed = False
        result.ports = [PortEndpoints(p) for p in svc.ports]
        return result
    assert svc.selector is not None
    result.selected = [cluster.pods[i] for i in index.select(svc.namespace, svc.selector)]
    for sp in svc.ports:
        pe = PortEndpoints(sp)
        for pod in result.selected:
            num = find_port(pod, sp.target_port, sp.protocol)
            if num is None:
                pe.unresolved.append(pod)
                continue
            ready, serving, terminating = endpoint_conditions(pod, svc)
            pe.endpoints.append(Endpoint(pod, num, ready, serving, terminating))
        result.ports.append(pe)
    return result


def resolve_all(cluster: Cluster, index: PodIndex | None = None) -> list[ServiceEndpoints]:
    index = index or PodIndex(cluster.pods)
    return [resolve(svc, cluster, index) for svc in cluster.services]


def endpoint_slices(se: ServiceEndpoints) -> list[dict[str, Any]]:
    """The EndpointSlice objects the controller would write: one per distinct port mapping
    (`NewPortMapKey`), so Pods that resolve a named port differently land in different slices."""
    svc = se.service
    if not se.managed:
        return []
    groups: dict[tuple[tuple[str, str, int], ...], list[tuple[Pod, tuple[bool, bool, bool]]]] = {}
    for pod in se.selected:
        mapping = []
        for sp in svc.ports:
            num = find_port(pod, sp.target_port, sp.protocol)
            if num is not None:
                mapping.append((sp.name, sp.protocol, num))
        groups.setdefault(tuple(mapping), []).append((pod, endpoint_conditions(pod, svc)))
    slices = []
    for mapping, members in groups.items():
        name = f"{svc.name}-{suffix(stable_hash(svc.ref, mapping), 5)}"
        eps = []
        for pod, (ready, serving, terminating) in members:
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
        slices.append({
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {
                "name": name,
                "namespace": svc.namespace,
                "labels": {"kubernetes.io/service-name": svc.name,
                           "endpointslice.kubernetes.io/managed-by":
                           "endpointslice-controller.k8s.io"},
            },
            "addressType": "IPv4",
            "endpoints": eps,
            "ports": [{"name": n, "port": num, "protocol": proto} for n, proto, num in mapping],
        })
    return slices
