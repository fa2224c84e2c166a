"""One call from manifest text to everything a learner sees: errors, endpoints, routes, reasons.

The CLI, the app and the lesson checks all use `analyze`, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .endpoints import (
    Endpoint,
    PodIndex,
    PortEndpoints,
    ServiceEndpoints,
    SliceDifference,
    assign_hints,
    from_slices,
    has_selector,
    primary_family,
    resolve,
    slice_differences,
)
from .errors import FieldError
from .explain import Verdict, explain_port
from .limits import EDITOR, Limits
from .manifests import SLICE_CONTROLLER, Parsed, parse
from .network import SINGLE_STACK, ClusterNetwork
from .objects import EXTERNAL_NAME, Cluster, EndpointSlice, Pod, Service, ServicePort
from .proxy import CLUSTER_IP_ENTRY, endpoints_for, skip_service


@dataclass(slots=True)
class PortRoute:
    port: ServicePort
    endpoints: list[Endpoint]
    used: list[Endpoint]
    """Where ClusterIP traffic goes (for a headless Service: what DNS returns)."""
    fallback: bool
    verdicts: Mapping[str, Verdict]
    """`namespace/pod` -> why it does or does not get this port's traffic (computed lazily)."""
    slice_endpoints: PortEndpoints
    """What kube-proxy reads for this port: the model's slices, or the input's (`given`)."""
    given: list[EndpointSlice] = field(default_factory=list)
    """The input's EndpointSlices for this Service: kube-proxy routes from them."""
    differences: list[SliceDifference] = field(default_factory=list)
    """Where the controller's slices, made from the Pods, would differ from the input's."""
    topology_note: str = ""
    """Why a requested topology (trafficDistribution, topology-mode: Auto) gives no hints."""
    model: PortEndpoints | None = None
    """With `given` slices: the endpoints the controller makes from the Pods."""
    model_verdicts: Mapping[str, Verdict] | None = None
    """With `given` slices: the verdicts from the Pods alone, as if the input had no slices."""

    @property
    def own_endpoints(self) -> list[Endpoint]:
        """The model's endpoints, made from the Pods (what `route --compare` checks)."""
        return self.model.endpoints if self.model is not None else self.endpoints

    @property
    def own_verdicts(self) -> Mapping[str, Verdict]:
        return self.model_verdicts if self.model_verdicts is not None else self.verdicts

    @property
    def from_input(self) -> bool:
        return bool(self.given)

    @property
    def source_note(self) -> str:
        """Where kube-proxy's endpoints for this port come from, when the input has slices."""
        if not self.given:
            return ""
        note = f"kube-proxy routes from the input's {slice_source(self.given)}"
        if (
            self.model is not None
            and not any(sl.managed_by == SLICE_CONTROLLER for sl in self.given)
            and self.model.endpoints
        ):
            note += " and from the EndpointSlice controller's slices, made from the Pods"
        return note

    @property
    def target_port(self) -> int | None:
        tp = self.port.target_port
        return tp if isinstance(tp, int) else None

    @property
    def share(self) -> dict[str, float]:
        """Each used Pod's expected share: the iptables cascade is uniform overall."""
        n = len(self.used)
        return {ep.pod.name: 1.0 / n for ep in self.used} if n else {}


@dataclass(slots=True)
class ServiceRoute:
    service: Service
    endpoints: ServiceEndpoints
    ports: list[PortRoute] = field(default_factory=list)

    def port(self, key: str | int) -> PortRoute | None:
        for pr in self.ports:
            if key in (pr.port.key, pr.port.name, pr.port.port, str(pr.port.port)):
                return pr
        return None


@dataclass(slots=True)
class Analysis:
    text: str
    parsed: Parsed
    services: list[ServiceRoute]
    from_node: str | None = None

    @property
    def cluster(self) -> Cluster:
        return self.parsed.cluster

    @property
    def valid(self) -> bool:
        return self.parsed.valid

    @property
    def errors(self) -> list[FieldError]:
        return self.parsed.errors

    def service(self, ref: str) -> ServiceRoute | None:
        for sr in self.services:
            if ref in (sr.service.ref, sr.service.name):
                return sr
        return None

    def route_json(self) -> dict[str, Any]:
        """The `ktutor route --json` contract (tests/scenarios/README.md), plus extra keys."""
        out: dict[str, Any] = {"valid": self.valid, "errors": [e.to_json() for e in self.errors]}
        if self.parsed.syntax_error is not None:
            se = self.parsed.syntax_error
            out["errors"].append(
                {
                    "path": "",
                    "message": f"YAML syntax error: {se.message}",
                    "object": "",
                    "line": se.line,
                    "column": se.column,
                }
            )
        if self.parsed.rejected is not None:
            rj = self.parsed.rejected
            out["errors"].append(
                {
                    "path": "",
                    "message": rj.reason,
                    "object": "",
                    "line": rj.line,
                    "column": rj.column,
                }
            )
        services: dict[str, Any] = {}
        # each port explains the Pods of its own namespace only: asking the lazy verdicts for
        # every Pod of a 10,000-Pod dump, per port, was most of `route --json`'s time
        by_ns: dict[str, list[Pod]] = {}
        for pod in self.cluster.pods:
            by_ns.setdefault(pod.namespace, []).append(pod)
        for sr in self.services:
            ports: dict[str, Any] = {}
            for pr in sr.ports:
                ports[pr.port.key] = {
                    "targetPort": pr.target_port,
                    "targetPortName": pr.port.target_port if pr.target_port is None else None,
                    "endpoints": {ep.pod.name: ep.port for ep in pr.endpoints},
                    "ready": sorted(ep.pod.name for ep in pr.used),
                    "protocol": pr.port.protocol,
                    "port": pr.port.port,
                    "why": _why(pr, by_ns.get(sr.service.namespace, [])),
                    "addresses": {ep.pod.name: ep.address for ep in pr.endpoints},
                }
                if pr.given:
                    ports[pr.port.key]["slices"] = [sl.name for sl in pr.given]
                    ports[pr.port.key]["controller_would_differ"] = [
                        d.summary for d in pr.differences
                    ]
                if pr.topology_note:
                    ports[pr.port.key]["topology"] = pr.topology_note
                if self.from_node is None and depends_on_node(sr, pr, self.cluster.nodes):
                    ports[pr.port.key]["by_node"] = {
                        n: sorted(ep.pod.name for ep in eps)
                        for n, eps in by_node(sr, pr, self.cluster.nodes).items()
                    }
            services[sr.service.ref] = ports
        out["services"] = services
        if self.cluster.ignored:
            out["ignored"] = [f"{i.kind}/{i.name}" for i in self.cluster.ignored]
        return out


def _why(pr: PortRoute, pods: list[Pod]) -> dict[str, str]:
    """Pod name -> why it gets none of this port's traffic, for the Service's namespace's Pods
    (and the input slices' addresses, which stand in for Pods)."""
    out: dict[str, str] = {}
    stand_ins = [ep.pod for ep in pr.endpoints if ep.pod.address_only]
    for pod in pods + stand_ins:
        v = pr.verdicts.get(pod.ref)
        if v is not None and not v.gets_traffic:
            out[pod.name] = v.reason
    return out


def depends_on_node(sr: ServiceRoute, pr: PortRoute, nodes: list[str]) -> str:
    """Why the Pods a client reaches depend on the client's node ("" when they do not):
    internalTrafficPolicy Local (each kube-proxy only uses its own node's endpoints), or
    topology hints (`CategorizeEndpoints` narrows each node's choice to its zone or itself).
    When every node's kube-proxy makes the same choice (no usable endpoint anywhere: each
    REJECTs alike), it does not depend on the node."""
    svc = sr.service
    if skip_service(svc):
        return ""
    local = svc.internal_traffic_policy == "Local"
    if not local and not any(ep.for_zones or ep.for_nodes for ep in pr.slice_endpoints.endpoints):
        return ""
    choices = {frozenset(ep.address for ep in eps) for eps in by_node(sr, pr, nodes).values()}
    if len(choices) <= 1:
        return ""
    if local:
        return "internalTrafficPolicy: Local"
    if pr.given and not svc.traffic_distribution and not svc.topology_mode:
        return "topology hints in the input's EndpointSlices"
    if svc.topology_mode and not svc.traffic_distribution:
        return f"topology hints from topology-mode: {svc.topology_mode}"
    return f"topology hints from trafficDistribution: {svc.traffic_distribution}"


def by_node(sr: ServiceRoute, pr: PortRoute, nodes: list[str]) -> dict[str, list[Endpoint]]:
    """Node -> the endpoints its kube-proxy sends this port's ClusterIP traffic to."""
    return {n: endpoints_for(sr.service, pr.slice_endpoints, CLUSTER_IP_ENTRY, n) for n in nodes}


def slice_source(given: list[EndpointSlice]) -> str:
    """`EndpointSlice `db-1` (managed by `my-operator`)`, for explanations."""
    parts = []
    for sl in given:
        who = (
            f"managed by {sl.managed_by}"
            if sl.managed_by
            else "no managed-by label: written by hand, by a tool, or by the API server"
        )
        # a mirrored slice's name is generated; the Endpoints object has the Service's
        mirrored = f", mirrored from Endpoints `{sl.service}`" if sl.kind == "Endpoints" else ""
        parts.append(f"EndpointSlice `{sl.name}`{mirrored} ({who})")
    return "; ".join(parts)


def _given_endpoints(
    svc: Service,
    pe: PortEndpoints,
    given: list[EndpointSlice],
    pods: dict[str, Pod],
) -> tuple[PortEndpoints, list[SliceDifference]]:
    """kube-proxy reads every slice labelled with the Service, whoever manages it. When the
    input holds the EndpointSlice controller's own slices they are what kube-proxy uses (and
    the model's, made from the Pods, are compared with them); when it holds only other
    managers' slices, the controller's are still written for a Service with a selector, and
    kube-proxy reads both."""
    family = primary_family(svc)
    given_eps = from_slices(pe.port, given, pods, family)
    controller = [sl for sl in given if sl.managed_by == SLICE_CONTROLLER]
    diffs: list[SliceDifference] = []
    managed = has_selector(svc) and svc.type != EXTERNAL_NAME
    if managed and controller:
        # a dump's slices are all the controller's: the same list gives the same endpoints
        mine = (
            given_eps
            if len(controller) == len(given)
            else from_slices(pe.port, controller, pods, family)
        )
        diffs = slice_differences(pe.endpoints, mine)
        eps = given_eps
    elif managed:
        seen = {ep.address for ep in given_eps}
        eps = given_eps + [ep for ep in pe.endpoints if ep.address not in seen]
    else:
        eps = given_eps
    return PortEndpoints(pe.port, eps, pe.unresolved if managed else []), diffs


def route_service(
    svc: Service,
    cluster: Cluster,
    index: PodIndex,
    from_node: str | None = None,
    given: list[EndpointSlice] | None = None,
    pods: dict[str, Pod] | None = None,
) -> ServiceRoute:
    """One Service: its endpoints (the model's, or the input's slices as kube-proxy reads
    them), topology hints, where ClusterIP traffic goes and why each Pod does or does not.
    `pods` is `cluster.pods` by `namespace/name`, shared by every port's verdicts (None: made
    here when the input's slices need it, else by each port's verdicts when first asked)."""
    if given and pods is None:
        pods = {p.ref: p for p in cluster.pods}
    se = resolve(svc, cluster, index)
    sr = ServiceRoute(svc, se)
    zones = any(info.zone for info in cluster.node_info.values())
    node_zones: dict[str, str] | None = None
    for model_pe in se.ports:
        pe, diffs = model_pe, list[SliceDifference]()
        if given:
            pe, diffs = _given_endpoints(svc, model_pe, given, pods or {})
        note = ""
        if zones or svc.traffic_distribution or svc.topology_mode:
            note = assign_hints(svc, pe.endpoints, cluster)
            if node_zones is None:
                node_zones = {n: info.zone for n, info in cluster.node_info.items()}
            pe.node_zones = node_zones
        if svc.headless:
            used = sorted((ep for ep in pe.endpoints if ep.ready), key=lambda e: e.address)
            fallback = False
        elif skip_service(svc):
            used, fallback = [], False
        else:
            used = endpoints_for(svc, pe, CLUSTER_IP_ENTRY, from_node)
            fallback = bool(used) and not any(ep.ready for ep in used)
        local_node = from_node if svc.internal_traffic_policy == "Local" else None
        stand_ins = [ep.pod for ep in pe.endpoints if ep.pod.address_only] if given else []
        verdicts = explain_port(
            svc,
            pe,
            used,
            cluster.pods + stand_ins if stand_ins else cluster.pods,
            fallback,
            local_node,
            given=slice_source(given) if given else "",
            model=model_pe if given else None,
            from_node=from_node,
            refs=None if stand_ins else pods,
        )
        route = PortRoute(
            pe.port, pe.endpoints, used, fallback, verdicts, pe, given or [], diffs, note
        )
        if given:
            route.model = model_pe
            own = (
                endpoints_for(svc, model_pe, CLUSTER_IP_ENTRY, from_node)
                if not skip_service(svc)
                else []
            )
            route.model_verdicts = explain_port(
                svc,
                model_pe,
                own,
                cluster.pods,
                bool(own) and not any(e.ready for e in own),
                local_node,
                refs=pods,
            )
        sr.ports.append(route)
    return sr


def analyze_parsed(parsed: Parsed, text: str = "", from_node: str | None = None) -> Analysis:
    cluster = parsed.cluster
    index = PodIndex(cluster.pods)
    by_service: dict[tuple[str, str], list[EndpointSlice]] = {}
    for sl in cluster.slices:
        if sl.service:
            by_service.setdefault((sl.namespace, sl.service), []).append(sl)
    pods = {p.ref: p for p in cluster.pods}  # shared by every port's verdicts
    routes = [
        route_service(
            svc, cluster, index, from_node, by_service.get((svc.namespace, svc.name)), pods
        )
        for svc in cluster.services
    ]
    return Analysis(text, parsed, routes, from_node)


def analyze(
    text: str,
    from_node: str | None = None,
    network: ClusterNetwork | None = None,
    limits: Limits = EDITOR,
) -> Analysis:
    """Parse, validate, resolve endpoints and route every Service in `text`, in a cluster with
    `network`'s IP families (default: single-stack IPv4, as kind). Never raises on bad input:
    syntax errors, rejected input and validation errors are in the result."""
    return analyze_parsed(parse(text, network or SINGLE_STACK, limits), text, from_node)
