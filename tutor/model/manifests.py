"""Manifest text -> a Cluster of typed objects, plus every decoding and validation error.

Handles multi-document YAML and `kind: List` (what `kubectl get svc,pods -o yaml` prints), puts
objects without a namespace in `default` as kubectl does, and expands Deployments, ReplicaSets and
StatefulSets into simulated Pods with deterministic names, IPs and nodes, the way their
controllers would name them (K · pkg/controller/controller_utils.go and apiserver
`names.SimpleNameGenerator` for the 5-character suffix; StatefulSet Pods are `<name>-<ordinal>`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import defaults, validation
from .errors import DECODING, REQUIRED, FieldError
from .limits import InputRejected
from .objects import (
    DEFAULT_NAMESPACE,
    Cluster,
    ContainerPort,
    Ignored,
    Pod,
    Source,
    Workload,
)
from .paths import Path
from .schema import check_api_version, decode
from .yamldoc import Document, YamlSyntaxError, load_documents

WORKLOAD_KINDS = ("Deployment", "ReplicaSet", "StatefulSet")
DEFAULT_NODES = ("node-1", "node-2")
SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
"""`utilrand.String`'s alphabet: no vowels, so generated names never spell words."""

MAX_REPLICAS = 500


def _list(value: Any) -> list[Any]:
    """`value` if it is a list, else []: a wrong-typed field was already a decoding error, and
    iterating a string or a map in its place would invent nonsense errors."""
    return value if isinstance(value, list) else []


def stable_hash(*parts: object) -> int:
    digest = hashlib.sha256("\x00".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def suffix(n: int, length: int) -> str:
    out = []
    for _ in range(length):
        n, r = divmod(n, len(SUFFIX_ALPHABET))
        out.append(SUFFIX_ALPHABET[r])
    return "".join(out)


@dataclass(slots=True)
class Parsed:
    """The result of reading one manifest text."""

    cluster: Cluster
    errors: list[FieldError] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    syntax_error: YamlSyntaxError | None = None
    rejected: InputRejected | None = None
    invalid_objects: set[str] = field(default_factory=set)
    """`Kind/namespace/name` of objects with errors: left out of routing."""

    @property
    def valid(self) -> bool:
        return not self.errors and self.syntax_error is None and self.rejected is None


@dataclass(slots=True)
class _Raw:
    kind: str
    data: dict[str, Any]
    doc: Document
    prefix: Path


def _iter_objects(docs: list[Document], errors: list[FieldError]) -> Iterator[_Raw]:
    for doc in docs:
        data = doc.data
        if not isinstance(data, dict):
            errors.append(
                FieldError(
                    "",
                    DECODING,
                    f"document {doc.index + 1} is {type(data).__name__}, "
                    "not a Kubernetes object (a map with apiVersion, kind and metadata)",
                    line=doc.line,
                    column=1,
                )
            )
            continue
        kind = data.get("kind")
        if kind == "List" or (
            isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), list)
        ):
            items = data.get("items")
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                item_kind = item.get("kind") if isinstance(item, dict) else None
                if isinstance(item_kind, str) and item_kind:
                    yield _Raw(item_kind, item, doc, ("items", i))
                    continue
                span = (
                    doc.span(("items", i, "kind"))
                    if isinstance(item, dict)
                    else doc.span(("items", i))
                )
                errors.append(
                    FieldError(
                        f"items[{i}].kind",
                        REQUIRED,
                        line=span.line if span else doc.line,
                        column=span.column if span else 1,
                        hint="every item of a List is an object with `kind:`",
                    )
                )
            continue
        if not isinstance(kind, str) or not kind:
            span = doc.span(("kind",))
            errors.append(
                FieldError(
                    "kind",
                    REQUIRED,
                    line=span.line if span else doc.line,
                    column=span.column if span else 1,
                    hint="every object needs `kind:` (Service, Pod, Deployment...)",
                )
            )
            continue
        yield _Raw(kind, data, doc, ())


def _meta(raw: _Raw) -> tuple[str, str]:
    meta = raw.data.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    name = meta.get("name")
    ns = meta.get("namespace")
    return (
        name if isinstance(name, str) else "",
        ns if isinstance(ns, str) and ns else DEFAULT_NAMESPACE,
    )


def _str_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def _get(data: Any, *keys: str | int) -> Any:
    for key in keys:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


def _container_ports(spec: Any) -> list[ContainerPort]:
    """Containers first, then sidecar init containers (`restartPolicy: Always`), as FindPort."""
    out: list[ContainerPort] = []
    for section, sidecar in (("containers", False), ("initContainers", True)):
        containers = _get(spec, section)
        if not isinstance(containers, list):
            continue
        for c in containers:
            if not isinstance(c, dict):
                continue
            if sidecar and c.get("restartPolicy") != "Always":
                continue
            for p in _list(c.get("ports")):
                if not isinstance(p, dict):
                    continue
                num = p.get("containerPort")
                proto = p.get("protocol") or "TCP"
                out.append(
                    ContainerPort(
                        name=p["name"] if isinstance(p.get("name"), str) else "",
                        container_port=num
                        if isinstance(num, int) and not isinstance(num, bool)
                        else 0,
                        protocol=proto if isinstance(proto, str) else "TCP",
                        container=str(c.get("name", "")),
                        sidecar=sidecar,
                    )
                )
    return out


def _pod_from(data: dict[str, Any], name: str, ns: str, source: Source) -> Pod:
    spec = data.get("spec") if isinstance(data.get("spec"), dict) else {}
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    status = data.get("status")
    pod = Pod(
        name=name,
        namespace=ns,
        source=source,
        labels=_str_map(_get(meta, "labels")),
        node_name=str(_get(spec, "nodeName") or ""),
        ports=_container_ports(spec),
        hostname=str(_get(spec, "hostname") or ""),
        subdomain=str(_get(spec, "subdomain") or ""),
        terminating=_get(meta, "deletionTimestamp") is not None,
    )
    if isinstance(status, dict):
        phase = status.get("phase")
        pod.phase = phase if isinstance(phase, str) and phase else "Pending"
        ip = status.get("podIP")
        if not ip:
            ip = _get(status, "podIPs", 0, "ip")
        pod.ip = ip if isinstance(ip, str) else ""
        cond = ""
        for c in _list(status.get("conditions")):
            if isinstance(c, dict) and c.get("type") == "Ready":
                cond = str(c.get("status", ""))
        pod.ready_condition = cond
        pod.ready = cond == "True"
    else:
        pod.simulated = True
    return pod


def _workload(raw: _Raw, name: str, ns: str) -> tuple[Workload, dict[str, Any]]:
    spec: dict[str, Any] = raw.data["spec"] if isinstance(raw.data.get("spec"), dict) else {}
    template: dict[str, Any] = spec["template"] if isinstance(spec.get("template"), dict) else {}
    replicas = spec.get("replicas", 1)
    if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
        replicas = 1
    wl = Workload(
        kind=raw.kind,
        name=name,
        namespace=ns,
        source=Source(raw.doc.index, (*raw.prefix, "spec", "template")),
        replicas=min(replicas, MAX_REPLICAS),
        selector=_str_map(_get(spec, "selector", "matchLabels")),
        template_labels=_str_map(_get(template, "metadata", "labels")),
        service_name=str(spec.get("serviceName") or ""),
    )
    wl.template_hash = suffix(stable_hash(repr(template)), 10)
    return wl, template


def workload_pod_name(wl: Workload, index: int, generation: int = 0) -> str:
    """Deterministic Pod names in the controllers' shapes; a new generation is a new name."""
    if wl.kind == "StatefulSet":
        return f"{wl.name}-{index}"
    tail = suffix(stable_hash(wl.ref, wl.template_hash, index, generation), 5)
    if wl.kind == "Deployment":
        return f"{wl.name}-{wl.template_hash}-{tail}"
    return f"{wl.name}-{tail}"


def expand_workload(
    wl: Workload, template: dict[str, Any], generations: dict[int, int] | None = None
) -> list[Pod]:
    pods = []
    for i in range(wl.replicas):
        gen = (generations or {}).get(i, 0)
        pod = _pod_from(
            {"metadata": template.get("metadata") or {}, "spec": template.get("spec") or {}},
            workload_pod_name(wl, i, gen),
            wl.namespace,
            wl.source,
        )
        pod.owner = wl.ref
        if wl.kind == "StatefulSet":
            pod.hostname = pod.hostname or pod.name
            pod.subdomain = pod.subdomain or wl.service_name
        pods.append(pod)
    return pods


def assign_simulated(cluster: Cluster) -> None:
    """Give simulated Pods a node and an IP, and Services a ClusterIP and NodePorts.

    Deterministic (hashes of names), so the same file always shows the same addresses, and a
    replaced Pod (a new name) gets a new IP, as it would in a real cluster.
    """
    named = {p.node_name for p in cluster.pods if p.node_name}
    cluster.nodes = sorted(named | set(DEFAULT_NODES))
    used_ips = {p.ip for p in cluster.pods if p.ip}
    rr = 0
    for pod in cluster.pods:
        if not pod.simulated:
            continue
        if not pod.node_name:
            pod.node_name = DEFAULT_NODES[rr % len(DEFAULT_NODES)]
            rr += 1
        if not pod.ip:
            node_idx = (
                cluster.nodes.index(pod.node_name) + 1 if pod.node_name in cluster.nodes else 9
            )
            h = stable_hash(pod.namespace, pod.name)
            for probe in range(250):
                ip = f"10.244.{node_idx}.{(h + probe) % 250 + 2}"
                if ip not in used_ips:
                    break
            used_ips.add(ip)
            pod.ip = ip
        pod.phase, pod.ready, pod.ready_condition = "Running", True, "True"
    used_cips = {s.cluster_ip for s in cluster.services if s.cluster_ip}
    used_cips |= {"10.96.0.1", "10.96.0.10"}
    used_np = {p.node_port for s in cluster.services for p in s.ports if p.node_port}
    for svc in cluster.services:
        if svc.type != "ExternalName" and not svc.cluster_ip:
            h = stable_hash(svc.namespace, svc.name)
            for probe in range(60000):
                n = (h + probe) % 65000 + 11
                ip = f"10.96.{n // 256}.{n % 256}"
                if ip not in used_cips and n % 256 not in (0, 255):
                    break
            used_cips.add(ip)
            svc.cluster_ip = ip
            svc.cluster_ips = [ip]
        if svc.type in ("NodePort", "LoadBalancer"):
            for port in svc.ports:
                if port.node_port or not svc.allocate_node_ports:
                    continue
                h = stable_hash(svc.ref, port.index)
                for probe in range(2768):
                    np = 30000 + (h + probe) % 2768
                    if np not in used_np:
                        break
                used_np.add(np)
                port.node_port = np
        if svc.type == "LoadBalancer" and not svc.load_balancer_ip:
            svc.load_balancer_ip = f"203.0.113.{stable_hash(svc.ref) % 200 + 10}"


def _not_under(errors: list[FieldError], decode_errors: list[FieldError]) -> list[FieldError]:
    """Drop validation errors at or below a field whose value had the wrong type.

    The real decoder would have refused the whole object there; validating what is left would
    only add consequences (a `ports:` map is not "missing ports"), so the learner sees the cause.
    """
    typed = [e.path for e in decode_errors if e.path and ": expected " in e.detail]
    if not typed:
        return errors

    def under(path: str) -> bool:
        return any(path == t or path.startswith((t + ".", t + "[")) for t in typed)

    return [e for e in errors if not under(e.path)]


def parse(text: str) -> Parsed:
    """Read manifest text. Never raises for bad input: problems land in the result."""
    cluster = Cluster()
    result = Parsed(cluster)
    try:
        docs = load_documents(text)
    except YamlSyntaxError as exc:
        result.syntax_error = exc
        return result
    except InputRejected as exc:
        result.rejected = exc
        return result
    result.documents = docs
    errors = result.errors
    allocations = validation.Allocations()
    for raw in _iter_objects(docs, errors):
        name, ns = _meta(raw)
        obj = f"{ns}/{name}"
        decode_errors = check_api_version(raw.doc, raw.data, raw.kind, raw.prefix, obj) + decode(
            raw.doc, raw.data, raw.kind, raw.prefix, obj
        )
        source = Source(raw.doc.index, raw.prefix)
        if raw.kind == "Service":
            defaulted = defaults.service(raw.data)
            problems = decode_errors + _not_under(
                validation.validate_service(defaulted, raw.doc, raw.prefix, obj), decode_errors
            )
            if not problems:
                problems = validation.allocate(defaulted, raw.doc, raw.prefix, obj, allocations)
            svc = defaults.build_service(defaulted, name, ns, source)
            if problems:
                result.invalid_objects.add(f"Service/{obj}")
            else:
                cluster.services.append(svc)
            errors.extend(problems)
        elif raw.kind == "Pod":
            problems = decode_errors + validation.validate_pod_meta(
                raw.data, raw.doc, raw.prefix, obj, "Pod"
            )
            errors.extend(problems)
            if problems:
                result.invalid_objects.add(f"Pod/{obj}")
            else:
                cluster.pods.append(_pod_from(raw.data, name, ns, source))
        elif raw.kind in WORKLOAD_KINDS:
            problems = decode_errors + validation.validate_workload(
                raw.data, raw.doc, raw.prefix, obj, raw.kind
            )
            errors.extend(problems)
            if problems:
                result.invalid_objects.add(f"{raw.kind}/{obj}")
                continue
            wl, template = _workload(raw, name, ns)
            cluster.workloads.append(wl)
            cluster.pods.extend(expand_workload(wl, template))
        else:
            cluster.ignored.append(Ignored(raw.kind, name, ns, raw.doc.index))
    assign_simulated(cluster)
    return result
