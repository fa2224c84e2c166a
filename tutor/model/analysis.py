"""One call from manifest text to everything a learner sees: errors, endpoints, routes, reasons.

The CLI, the app and the lesson checks all use `analyze`, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .endpoints import Endpoint, PodIndex, PortEndpoints, ServiceEndpoints, resolve
from .errors import FieldError
from .explain import Verdict, explain_port
from .manifests import Parsed, parse
from .network import SINGLE_STACK, ClusterNetwork
from .objects import Cluster, Service, ServicePort
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
        for sr in self.services:
            ports: dict[str, Any] = {}
            for pr in sr.ports:
                ports[pr.port.key] = {
                    "targetPort": pr.target_port,
                    "endpoints": {ep.pod.name: ep.port for ep in pr.endpoints},
                    "ready": sorted(ep.pod.name for ep in pr.used),
                    "protocol": pr.port.protocol,
                    "port": pr.port.port,
                    "why": {
                        key.split("/", 1)[1]: v.reason
                        for key, v in pr.verdicts.items()
                        if not v.gets_traffic and key.startswith(sr.service.namespace + "/")
                    },
                }
            services[sr.service.ref] = ports
        out["services"] = services
        if self.cluster.ignored:
            out["ignored"] = [f"{i.kind}/{i.name}" for i in self.cluster.ignored]
        return out


def route_service(
    svc: Service, cluster: Cluster, index: PodIndex, from_node: str | None = None
) -> ServiceRoute:
    se = resolve(svc, cluster, index)
    sr = ServiceRoute(svc, se)
    for pe in se.ports:
        if svc.headless:
            used = sorted((ep for ep in pe.endpoints if ep.ready), key=lambda e: e.address)
            fallback = False
        elif skip_service(svc):
            used, fallback = [], False
        else:
            used = endpoints_for(svc, pe, CLUSTER_IP_ENTRY, from_node)
            fallback = bool(used) and not any(ep.ready for ep in used)
        local_node = from_node if svc.internal_traffic_policy == "Local" else None
        verdicts = explain_port(svc, pe, used, cluster.pods, fallback, local_node)
        sr.ports.append(PortRoute(pe.port, pe.endpoints, used, fallback, verdicts, pe))
    return sr


def analyze_parsed(parsed: Parsed, text: str = "", from_node: str | None = None) -> Analysis:
    cluster = parsed.cluster
    index = PodIndex(cluster.pods)
    routes = [route_service(svc, cluster, index, from_node) for svc in cluster.services]
    return Analysis(text, parsed, routes, from_node)


def analyze(
    text: str, from_node: str | None = None, network: ClusterNetwork | None = None
) -> Analysis:
    """Parse, validate, resolve endpoints and route every Service in `text`, in a cluster with
    `network`'s IP families (default: single-stack IPv4, as kind). Never raises on bad input:
    syntax errors, rejected input and validation errors are in the result."""
    return analyze_parsed(parse(text, network or SINGLE_STACK), text, from_node)
