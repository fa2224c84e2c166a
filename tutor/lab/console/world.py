"""The simulated cluster as kubectl sees it: objects with names, ages and addresses.

Built from one `Analysis` (the manifest with the learner's cluster changes applied). Adds what
every real cluster has and a manifest never holds: the `kubernetes` Service in `default`
(K · pkg/controlplane/controller/kubernetesservice: ClusterIP 10.96.0.1, port https 443 ->
the API server's 6443) and Node objects for the nodes Pods run on.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tutor.model.analysis import Analysis, ServiceRoute
from tutor.model.endpoints import (
    ServiceEndpoints,
    endpoint_conditions,
    endpoint_slices,
    find_port,
    pod_ip_for,
)
from tutor.model.manifests import stable_hash, suffix
from tutor.model.objects import EndpointSlice, Node, Pod, Service, ServicePort, Source, Workload

KUBERNETES_VERSION = "v1.35.0"
"""The simulated cluster's version: kubectl's formats below follow v1.35."""
API_SERVER = "172.18.0.250"
"""The API server's address (outside the simulated nodes' 172.18.0.2-...)."""
DNS_SERVER = "10.96.0.10"
"""The kube-dns Service's ClusterIP: every Pod's resolv.conf nameserver."""
INITIAL_AGE = 600.0
"""Objects present when the console first looks are 10 minutes old (simulated)."""
EPOCH = dt.datetime(2026, 1, 1, 9, 0, 0, tzinfo=dt.UTC)
"""Wall-clock time of the console's first look, for timestamps (tests get stable output)."""


def kubernetes_service() -> Service:
    """The `default/kubernetes` Service the API server keeps for itself."""
    return Service(
        "kubernetes",
        "default",
        Source(-1),
        selector=None,
        ports=[ServicePort("https", "TCP", 443, 6443)],
        cluster_ip="10.96.0.1",
        cluster_ips=["10.96.0.1"],
        internal_traffic_policy="Cluster",
        labels={"component": "apiserver", "provider": "kubernetes"},
    )


def human_duration(seconds: float) -> str:
    """K · apimachinery/pkg/util/duration · `HumanDuration`: the AGE column."""
    return _human_duration(int(seconds))


@functools.lru_cache(maxsize=4096)
def _human_duration(s: int) -> str:
    """`human_duration` of whole seconds (kept: a table's objects mostly share an age)."""
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rest = s % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        rest = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y" if rest == 0 else f"{years}y{rest}d"
    return f"{hours // 24 // 365}y"


@dataclass(slots=True)
class Clock:
    """When each object was first seen: objects present at the first look are INITIAL_AGE old,
    objects that appear later (a replaced Pod, a new Service) are born when first seen."""

    now: Callable[[], float]
    initial_age: float = INITIAL_AGE
    born: dict[str, float] = field(default_factory=dict)
    start: float | None = None

    def look(self, keys: list[str]) -> None:
        t = self.now()
        if self.start is None:
            self.start = t
            for key in keys:
                self.born[key] = t - self.initial_age
            return
        for key in keys:
            self.born.setdefault(key, t)

    def seconds(self, key: str) -> float:
        born = self.born.get(key)
        return self.initial_age if born is None else self.now() - born

    def age(self, key: str) -> str:
        return human_duration(self.seconds(key))

    def wall(self) -> dt.datetime:
        """The simulated wall-clock time now (EPOCH at the first look)."""
        t = self.now()
        return EPOCH + dt.timedelta(seconds=t - (self.start if self.start is not None else t))

    def since(self, timestamp: str, now: dt.datetime | None = None) -> str:
        """K · pkg/printers/internalversion/printers.go · `translateTimestampSince`: how long
        before `now` (the simulated wall clock's now by default) an RFC 3339 time from the
        manifest was (`<unknown>` when it is not one)."""
        when = parse_time(timestamp)
        if when is None:
            return "<unknown>"
        return human_duration(((now or self.wall()) - when).total_seconds())

    def created(self, key: str) -> dt.datetime:
        """The wall-clock creation time of `key` (for timestamps in describe and -o yaml)."""
        start = self.start if self.start is not None else self.now()
        born = self.born.get(key, start - self.initial_age)
        return EPOCH + dt.timedelta(seconds=int(born - start))


@functools.lru_cache(maxsize=4096)
def parse_time(timestamp: str) -> dt.datetime | None:
    """An RFC 3339 time as the API writes it (`2026-01-01T08:57:46Z`), None when it is not."""
    try:
        when = dt.datetime.fromisoformat(timestamp)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def node_ip(nodes: list[str], node: str, info: Node | None = None) -> str:
    """A node's InternalIP: the manifest's Node's, else one on kind's docker network (the API
    server has .2)."""
    if info is not None and info.ip:
        return info.ip
    return f"172.18.0.{nodes.index(node) + 3}" if node in nodes else ""


def uid(*parts: object) -> str:
    """A stable UUID-shaped uid for an object."""
    h = f"{stable_hash('uid', *parts):016x}{stable_hash('uid2', *parts):016x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


@dataclass(slots=True)
class World:
    """One snapshot of the cluster for the console's commands."""

    analysis: Analysis
    clock: Clock
    services: list[Service] = field(default_factory=list)
    routes: dict[str, ServiceRoute] = field(default_factory=dict)
    pods: list[Pod] = field(default_factory=list)
    nodes: list[str] = field(default_factory=list)
    deployments: list[Workload] = field(default_factory=list)
    _slices: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def build(cls, analysis: Analysis, clock: Clock) -> World:
        cluster = analysis.cluster
        services = list(cluster.services)
        if not any(s.namespace == "default" and s.name == "kubernetes" for s in services):
            services.insert(0, kubernetes_service())
        world = cls(
            analysis,
            clock,
            services=services,
            routes={sr.service.ref: sr for sr in analysis.services},
            pods=[p for p in cluster.pods if not p.address_only],
            nodes=sorted(set(cluster.nodes) | {p.node_name for p in cluster.pods if p.node_name}),
            deployments=[w for w in cluster.workloads if w.kind == "Deployment"],
        )
        keys = [f"Service/{s.ref}" for s in services] + [f"Pod/{p.ref}" for p in world.pods]
        keys += [f"Deployment/{d.namespace}/{d.name}" for d in world.deployments]
        keys += [f"Node/{n}" for n in world.nodes]
        clock.look(keys)
        return world

    # -- lookups --------------------------------------------------------------------------

    def node_ip(self, node: str) -> str:
        return node_ip(self.nodes, node, self.analysis.cluster.node_info.get(node))

    def node(self, name: str) -> Node | None:
        return self.analysis.cluster.node_info.get(name)

    def namespaces(self) -> list[str]:
        found = {s.namespace for s in self.services} | {p.namespace for p in self.pods}
        return sorted(found | {"default", "kube-node-lease", "kube-public", "kube-system"})

    def service(self, namespace: str, name: str) -> Service | None:
        return next((s for s in self.services if s.namespace == namespace and s.name == name), None)

    def pod(self, namespace: str, name: str) -> Pod | None:
        return next((p for p in self.pods if p.namespace == namespace and p.name == name), None)

    def deployment(self, namespace: str, name: str) -> Workload | None:
        return next(
            (d for d in self.deployments if d.namespace == namespace and d.name == name), None
        )

    def has_endpoints(self, svc: Service) -> bool:
        """Whether a v1 Endpoints object exists for `svc`: the endpoints controller writes one
        for a Service with a selector (not for ExternalName), the API server for `kubernetes`,
        and the input may hold a hand-written one."""
        if svc.type == "ExternalName":
            return False
        if svc.selector or svc.source.document < 0:
            return True
        return any(
            e.name == svc.name and e.namespace == svc.namespace
            for e in self.analysis.cluster.endpoints_objects
        )

    def endpoints_of(self, svc: Service) -> ServiceEndpoints | None:
        sr = self.routes.get(svc.ref)
        return sr.endpoints if sr is not None else None

    def slices(self, svc: Service) -> list[dict[str, Any]]:
        """The EndpointSlices of `svc`: the controller's, or the API server's own for
        `kubernetes` (named like the Service, with the API server's address)."""
        cached = self._slices.get(svc.ref)
        if cached is not None:
            return cached
        if svc.source.document < 0 and svc.name == "kubernetes":
            out = [
                {
                    "apiVersion": "discovery.k8s.io/v1",
                    "kind": "EndpointSlice",
                    "metadata": {
                        "name": "kubernetes",
                        "namespace": "default",
                        "labels": {"kubernetes.io/service-name": "kubernetes"},
                    },
                    "addressType": "IPv4",
                    "endpoints": [
                        {
                            "addresses": [API_SERVER],
                            "conditions": {"ready": True, "serving": True, "terminating": False},
                        }
                    ],
                    "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
                }
            ]
        else:
            se = self.endpoints_of(svc)
            out = endpoint_slices(se) if se is not None else []
        self._slices[svc.ref] = out
        return out

    def all_slices(self, namespace: str | None) -> list[dict[str, Any]]:
        """The controller's slices of every Service, then the slices the manifest holds and
        those the mirroring controller made of its Endpoints objects."""
        out: list[dict[str, Any]] = []
        for svc in self.services:
            if namespace is None or svc.namespace == namespace:
                out.extend(self.slices(svc))
        for given in self.analysis.cluster.slices:
            if namespace is None or given.namespace == namespace:
                out.append(slice_data(given))
        return out

    def subsets(
        self, svc: Service
    ) -> list[tuple[list[str], list[str], list[tuple[str, int, str]]]]:
        """The legacy Endpoints object's subsets: (ready IPs, not-ready IPs, ports), one per
        distinct port mapping (K · pkg/controller/endpoint · `syncService`: terminating Pods
        are left out unless `publishNotReadyAddresses`; ports resolved per Pod by FindPort;
        each Pod's address of `spec.ipFamilies[0]`, one family only)."""
        if svc.source.document < 0 and svc.name == "kubernetes":
            return [([API_SERVER], [], [("https", 6443, "TCP")])]
        se = self.endpoints_of(svc)
        if se is None or not se.managed:
            given = [
                e
                for e in self.analysis.cluster.endpoints_objects
                if e.name == svc.name and e.namespace == svc.namespace
            ]
            return [
                (
                    sorted(a for ep in e.endpoints if ep.ready for a in ep.addresses),
                    sorted(a for ep in e.endpoints if not ep.ready for a in ep.addresses),
                    [(n, port, proto) for n, proto, port in e.ports],
                )
                for e in given
            ]
        groups: dict[tuple[tuple[str, int, str], ...], tuple[list[str], list[str]]] = {}
        for pod in se.selected:
            if pod.terminating and not svc.publish_not_ready:
                continue
            ports: list[tuple[str, int, str]] = []
            for sp in svc.ports:
                num = find_port(pod, sp.target_port, sp.protocol)
                if num is not None:
                    ports.append((sp.name, num, sp.protocol))
            ready = endpoint_conditions(pod, svc)[0]
            entry = groups.setdefault(tuple(ports), ([], []))
            # the Pod's address of the Service's first family (`podToEndpointAddressForService`)
            entry[0 if ready else 1].append(pod_ip_for(pod, svc))
        return [(sorted(r), sorted(n), list(k)) for k, (r, n) in sorted(groups.items())]

    def pod_template(self, wl: Workload) -> dict[str, Any]:
        """The workload's Pod template as written in the manifest ({} if unreadable)."""
        docs = self.analysis.parsed.documents
        data: Any = docs[wl.source.document].data if 0 <= wl.source.document < len(docs) else {}
        for seg in wl.source.prefix:
            if isinstance(data, dict) and isinstance(seg, str):
                data = data.get(seg)
            elif isinstance(data, list) and isinstance(seg, int) and seg < len(data):
                data = data[seg]
            else:
                return {}
        return data if isinstance(data, dict) else {}

    def pod_spec(self, pod: Pod) -> dict[str, Any]:
        """The Pod's spec as written (a bare Pod's, or its workload's template's)."""
        docs = self.analysis.parsed.documents
        if not 0 <= pod.source.document < len(docs):
            return {}
        data: Any = docs[pod.source.document].data
        for seg in pod.source.prefix:
            if isinstance(data, dict) and isinstance(seg, str):
                data = data.get(seg)
            elif isinstance(data, list) and isinstance(seg, int) and seg < len(data):
                data = data[seg]
            else:
                return {}
        spec = data.get("spec") if isinstance(data, dict) else None
        return spec if isinstance(spec, dict) else {}


def slice_data(given: EndpointSlice) -> dict[str, Any]:
    """An EndpointSlice from the manifest as the API returns it."""
    labels = dict(given.labels)  # a hand-written slice's own labels, whatever they are
    if given.service:
        labels["kubernetes.io/service-name"] = given.service
    if given.managed_by:
        labels["endpointslice.kubernetes.io/managed-by"] = given.managed_by
    endpoints = []
    for ep in given.endpoints:
        conditions: dict[str, bool] = {"ready": ep.ready}
        if given.kind == "EndpointSlice":  # as written: the API server defaults none
            read = {"ready": ep.ready, "serving": ep.serving, "terminating": ep.terminating}
            conditions = {c: read[c] for c in ep.written}
        item: dict[str, Any] = {"addresses": list(ep.addresses), "conditions": conditions}
        if ep.hostname:
            item["hostname"] = ep.hostname
        if ep.node_name:
            item["nodeName"] = ep.node_name
        if ep.pod:
            item["targetRef"] = {"kind": "Pod", "name": ep.pod, "namespace": given.namespace}
        if ep.zone:
            item["zone"] = ep.zone
        endpoints.append(item)
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": given.name, "namespace": given.namespace, "labels": labels},
        "addressType": given.address_type,
        "endpoints": endpoints,
        "ports": [
            {"name": n, "port": port, "protocol": proto}
            | ({"appProtocol": given.app_protocols[n]} if n in given.app_protocols else {})
            for n, proto, port in given.ports
        ],
    }


def containers(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, image) of each container in a Pod spec."""
    out = []
    for c in spec.get("containers") or []:
        if isinstance(c, dict):
            out.append((str(c.get("name", "")), str(c.get("image", ""))))
    return out


def sidecars(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, image) of each sidecar in a Pod spec: an init container with `restartPolicy:
    Always` (K · pkg/api/v1/pod · `IsRestartableInitContainer`)."""
    out = []
    for c in spec.get("initContainers") or []:
        if isinstance(c, dict) and c.get("restartPolicy") == "Always":
            out.append((str(c.get("name", "")), str(c.get("image", ""))))
    return out


def init_containers(spec: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(name, image, is a sidecar) of each init container in a Pod spec, in order."""
    return [
        (str(c.get("name", "")), str(c.get("image", "")), c.get("restartPolicy") == "Always")
        for c in spec.get("initContainers") or []
        if isinstance(c, dict)
    ]


def template_hash(wl: Workload) -> str:
    """The `pod-template-hash` label value a Deployment's ReplicaSet carries."""
    return wl.template_hash


def hex_id(*parts: object) -> str:
    """A stable 64-hex-digit id (container ids, image digests)."""
    return "".join(f"{stable_hash(i, *parts):016x}" for i in range(4))


def short_hash(*parts: object) -> str:
    return suffix(stable_hash(*parts), 5)
