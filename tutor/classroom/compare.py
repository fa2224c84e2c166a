"""Compare the model's endpoints with a real cluster's EndpointSlices.

A learner runs `kubectl get svc,pods,endpointslices -o yaml > snap.yaml` and `ktutor route
snap.yaml --compare`: the Services and Pods go through the model as usual, and the EndpointSlices
are read here, straight from the YAML. Per Service port we line up pod -> (port, ready) on both
sides and, where they differ, quote the model's verdict so the learner sees which rule the model
applied. Only the EndpointSlice controller's slices are compared with the model; a slice another
controller manages is listed as such (kube-proxy uses it too, the model does not make it).

A snapshot of legacy v1 `Endpoints` (`kubectl get svc,pods,endpoints`) is compared with the
Endpoints controller's rules, which differ from the slices' in one way: it leaves terminating
Pods out unless the Service publishes not-ready addresses (K · pkg/controller/endpoint/
endpoints_controller.go · `syncService` → `ShouldPodBeInEndpoints(pod,
service.Spec.PublishNotReadyAddresses)`); `addresses` are ready, `notReadyAddresses` not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tutor.model.analysis import Analysis, PortRoute, ServiceRoute
from tutor.model.objects import DEFAULT_NAMESPACE
from tutor.model.yamldoc import Document, YamlSyntaxError, load_documents

SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
CONTROLLER = "endpointslice-controller.k8s.io"
ENDPOINTS_KIND = "Endpoints"


@dataclass(frozen=True, slots=True)
class SliceEndpoint:
    """One endpoint of one port, as a real EndpointSlice lists it."""

    pod: str
    """The targetRef Pod's name, or the address when the slice names no Pod."""
    address: str
    port: int
    ready: bool
    slice: str


@dataclass(slots=True)
class RealSlice:
    name: str
    namespace: str
    service: str
    managed_by: str
    ports: list[tuple[str, str, int]]
    """(name, protocol, port) as in the slice's `ports`."""
    endpoints: list[tuple[str, str, bool]]
    """(pod name or "", first address, ready)."""
    kind: str = "EndpointSlice"
    """"EndpointSlice", or "Endpoints" for a legacy v1 Endpoints object."""


@dataclass(frozen=True, slots=True)
class Difference:
    pod: str
    model: tuple[int, bool] | None
    """(port, ready) in the model's endpoints, or None when the model has no endpoint."""
    cluster: tuple[int, bool] | None
    why: str

    @property
    def summary(self) -> str:
        def side(v: tuple[int, bool] | None) -> str:
            return "absent" if v is None else f"port {v[0]}, {'ready' if v[1] else 'not ready'}"

        return f"{self.pod}: model {side(self.model)}; cluster {side(self.cluster)}"


@dataclass(slots=True)
class PortComparison:
    service: str
    port: str
    """The port's label, e.g. `http (80/TCP)`."""
    model: dict[str, tuple[int, bool]]
    cluster: dict[str, tuple[int, bool]]
    differences: list[Difference] = field(default_factory=list)
    note: str = ""
    legacy: bool = False
    """Compared with a legacy v1 Endpoints object (the Endpoints controller's rules)."""


@dataclass(slots=True)
class Comparison:
    ports: list[PortComparison] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Services not compared, with the reason (no selector: someone else writes their slices)."""
    orphans: list[str] = field(default_factory=list)
    """Slices whose Service is not in the file."""
    others: list[str] = field(default_factory=list)
    """Slices another controller manages: kube-proxy uses them, the model does not make them."""
    slices: int = 0
    """EndpointSlices and legacy Endpoints objects read from the file."""
    endpoints: int = 0
    """How many of `slices` are legacy Endpoints objects."""

    @property
    def agrees(self) -> bool:
        # orphan slices are reported but do not count: a Service deleted a moment before the
        # snapshot leaves its slices behind until garbage collection
        return all(not pc.differences and not pc.note for pc in self.ports)


class CompareError(Exception):
    """The file cannot be compared (no EndpointSlices in it): a one-line message."""


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _items(docs: list[Document]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for doc in docs:
        data = doc.data
        if not isinstance(data, dict):
            continue
        items = data.get("items")
        if isinstance(items, list) and str(data.get("kind", "")).endswith("List"):
            out.extend(i for i in items if isinstance(i, dict))
        else:
            out.append(data)
    return out


def _endpoints_object(obj: dict[str, Any]) -> RealSlice:
    """A legacy v1 Endpoints object, read like a slice (`addresses` ready, `notReadyAddresses`
    not; every subset's ports and addresses)."""
    meta = obj.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    ports: list[tuple[str, str, int]] = []
    endpoints: list[tuple[str, str, bool]] = []
    for subset in obj.get("subsets") or []:
        if not isinstance(subset, dict):
            continue
        sub_ports = [
            (str(p.get("name") or ""), str(p.get("protocol") or "TCP"), p["port"])
            for p in subset.get("ports") or []
            if isinstance(p, dict) and isinstance(p.get("port"), int)
        ]
        ports.extend(p for p in sub_ports if p not in ports)
        for key, ready in (("addresses", True), ("notReadyAddresses", False)):
            for a in subset.get(key) or []:
                if not isinstance(a, dict):
                    continue
                ref = a.get("targetRef")
                pod = ""
                if isinstance(ref, dict) and ref.get("kind", "Pod") == "Pod":
                    pod = str(ref.get("name") or "")
                endpoints.append((pod, str(a.get("ip") or ""), ready))
    name = str(meta.get("name") or "")
    return RealSlice(
        name=name,
        namespace=str(meta.get("namespace") or DEFAULT_NAMESPACE),
        service=name,
        managed_by=CONTROLLER,
        ports=ports,
        endpoints=endpoints,
        kind=ENDPOINTS_KIND,
    )


def read_slices(text: str | list[Document]) -> list[RealSlice]:
    """Every `discovery.k8s.io/v1` EndpointSlice in the text or its parsed documents (also
    inside `kind: List`), and every legacy v1 Endpoints object (kind "Endpoints")."""
    slices: list[RealSlice] = []
    for obj in _items(load_documents(text) if isinstance(text, str) else text):
        if obj.get("kind") == ENDPOINTS_KIND:
            slices.append(_endpoints_object(obj))
            continue
        if obj.get("kind") != "EndpointSlice":
            continue
        meta = obj.get("metadata")
        meta = meta if isinstance(meta, dict) else {}
        labels = meta.get("labels")
        labels = labels if isinstance(labels, dict) else {}
        ports = []
        for p in obj.get("ports") or []:
            if isinstance(p, dict) and isinstance(p.get("port"), int):
                ports.append((str(p.get("name") or ""), str(p.get("protocol") or "TCP"), p["port"]))
        endpoints = []
        for ep in obj.get("endpoints") or []:
            if not isinstance(ep, dict):
                continue
            addresses = ep.get("addresses") or []
            address = str(addresses[0]) if isinstance(addresses, list) and addresses else ""
            ready = _get(ep, "conditions", "ready")
            # discovery/v1: a nil `ready` is "unknown", which consumers treat as ready
            ref = ep.get("targetRef")
            pod = ""
            if isinstance(ref, dict) and ref.get("kind", "Pod") == "Pod":
                pod = str(ref.get("name") or "")
            endpoints.append((pod, address, ready is not False))
        slices.append(
            RealSlice(
                name=str(meta.get("name") or ""),
                namespace=str(meta.get("namespace") or DEFAULT_NAMESPACE),
                service=str(labels.get(SERVICE_NAME_LABEL) or ""),
                managed_by=str(labels.get(MANAGED_BY_LABEL) or ""),
                ports=ports,
                endpoints=endpoints,
            )
        )
    return slices


def _cluster_port(
    pr: PortRoute, slices: list[RealSlice], pods_by_ip: dict[str, str]
) -> dict[str, tuple[int, bool]]:
    """pod -> (port, ready) for one Service port: slice ports match by name and protocol."""
    out: dict[str, tuple[int, bool]] = {}
    for sl in slices:
        for name, protocol, number in sl.ports:
            if name != pr.port.name or protocol != pr.port.protocol:
                continue
            for pod, address, ready in sl.endpoints:
                key = pod or pods_by_ip.get(address, address)
                out[key] = (number, ready)
    return out


def _why(
    pr: PortRoute,
    sr: ServiceRoute,
    pod: str,
    model: tuple[int, bool] | None,
    cluster: tuple[int, bool] | None,
    known: set[str],
    legacy: bool = False,
) -> str:
    verdict = pr.own_verdicts.get(f"{sr.service.namespace}/{pod}")
    reason = f"the model says: {verdict.reason}" if verdict else ""
    if model is None and pod not in known:
        return (
            "the Pod is not in the file (take the snapshot with `kubectl get "
            "svc,pods,endpointslices -o yaml` so Pods come with their slices)"
        )
    if model is None:
        return reason or "the model makes no endpoint for this Pod"
    if cluster is None:
        return (
            f"{reason}; the cluster lists no endpoint: the snapshot may be from a moment "
            "when the Pod was changing, or the cluster disagrees with the model"
        )
    if model[0] != cluster[0]:
        return (
            f"the model resolves targetPort {pr.port.target_port} to {model[0]}, "
            f"{'the Endpoints object' if legacy else 'the slice'} says {cluster[0]}"
        )
    if legacy:
        where = "as ready (under addresses)" if cluster[1] else "as not ready (notReadyAddresses)"
        return f"{reason}; the Endpoints object lists it {where}"
    return f"{reason}; the slice marks it {'ready' if cluster[1] else 'not ready'}"


def compare(analysis: Analysis, text: str | None = None) -> Comparison:
    """Line up the model's endpoints with the slices in `text` (default: the analysed text).

    Raises CompareError when the text has no EndpointSlice at all, since an empty comparison
    would otherwise look like "they differ everywhere".
    """
    try:
        # the analysis' own documents: a dump named on the command line is over the limit a
        # text is read again with
        slices = read_slices(analysis.parsed.documents if text is None else text)
    except YamlSyntaxError as exc:
        raise CompareError(f"{exc.line}:{exc.column}: YAML syntax error: {exc.message}") from None
    if not slices:
        raise CompareError(
            "no EndpointSlices or Endpoints in the file; take it with `kubectl get "
            "svc,pods,endpointslices -o yaml`"
        )
    result = Comparison(slices=len(slices), endpoints=sum(s.kind == ENDPOINTS_KIND for s in slices))
    pods_by_ip = {p.ip: p.name for p in analysis.cluster.pods if p.ip}
    known = {p.name for p in analysis.cluster.pods}
    seen: set[str] = set()
    by_service: dict[tuple[str, str], list[RealSlice]] = {}
    for s in slices:
        by_service.setdefault((s.namespace, s.service), []).append(s)
    for sr in analysis.services:
        svc = sr.service
        labelled = by_service.get((svc.namespace, svc.name), [])
        seen.update(f"{s.namespace}/{s.name}" for s in labelled)
        if not sr.endpoints.managed:
            result.skipped.append(
                f"{svc.ref}: no selector (or ExternalName), so its "
                "EndpointSlices are not made from Pods; not compared"
            )
            continue
        for s in labelled:
            if s.kind != ENDPOINTS_KIND and s.managed_by != CONTROLLER:
                who = f"managed by {s.managed_by}" if s.managed_by else "with no managed-by label"
                result.others.append(
                    f"{s.namespace}/{s.name} (Service {svc.name}) is {who}, not by the "
                    "EndpointSlice controller: kube-proxy uses its endpoints too, the model does "
                    "not make them from Pods; not compared"
                )
        mine = [s for s in labelled if s.kind != ENDPOINTS_KIND and s.managed_by == CONTROLLER]
        legacy = not mine and any(s.kind == ENDPOINTS_KIND for s in labelled)
        if legacy:
            mine = [s for s in labelled if s.kind == ENDPOINTS_KIND]
        for pr in sr.ports:
            model = {
                ep.pod.name: (ep.port, ep.ready)
                for ep in pr.own_endpoints
                if not (legacy and ep.terminating and not svc.publish_not_ready)
            }
            cluster = _cluster_port(pr, mine, pods_by_ip)
            pc = PortComparison(svc.ref, pr.port.label, model, cluster)
            if legacy:
                pc.legacy = True
            if not mine:
                pc.note = (
                    "no EndpointSlice of the EndpointSlice controller for this Service in the file"
                )
            for pod in sorted(set(model) | set(cluster)):
                m, c = model.get(pod), cluster.get(pod)
                if m != c:
                    pc.differences.append(
                        Difference(pod, m, c, _why(pr, sr, pod, m, c, known, legacy))
                    )
            result.ports.append(pc)
    result.orphans = [
        f"{s.namespace}/{s.name} (Service {s.service or '?'})"
        for s in slices
        if f"{s.namespace}/{s.name}" not in seen and s.managed_by in ("", CONTROLLER)
    ]
    return result


def format_comparison(cmp: Comparison) -> list[str]:
    """Plain lines for the terminal: per port `agree` or each difference with its reason."""
    lines: list[str] = []
    for pc in cmp.ports:
        status = "agree" if not pc.differences and not pc.note else "DIFFER"
        against = " (with its legacy Endpoints object)" if pc.legacy else ""
        lines.append(f"Service {pc.service} port {pc.port}{against}: {status}")
        if pc.note:
            lines.append(f"  {pc.note}")
        if not pc.differences:
            shown = (
                ", ".join(
                    f"{p}:{v[0]}{'' if v[1] else ' (not ready)'}"
                    for p, v in sorted(pc.model.items())
                )
                or "no endpoints"
            )
            lines.append(f"  both: {shown}")
        for d in pc.differences:
            lines.append(f"  {d.summary}")
            lines.append(f"    why: {d.why}")
    for s in cmp.skipped:
        lines.append(f"skipped {s}")
    for s in cmp.others:
        lines.append(f"EndpointSlice {s}")
    for o in cmp.orphans:
        lines.append(f"EndpointSlice {o}: its Service is not in the file")
    verdict = (
        "the model agrees with the cluster" if cmp.agrees else "the model and the cluster differ"
    )
    counted = [f"{len(cmp.ports)} port(s)"]
    if cmp.slices > cmp.endpoints:
        counted.append(f"{cmp.slices - cmp.endpoints} EndpointSlice(s)")
    if cmp.endpoints:
        counted.append(f"{cmp.endpoints} Endpoints object(s)")
    lines.append(f"{verdict} ({', '.join(counted)})")
    return lines


def comparison_json(cmp: Comparison) -> dict[str, Any]:
    def side(v: tuple[int, bool] | None) -> dict[str, Any] | None:
        return None if v is None else {"port": v[0], "ready": v[1]}

    return {
        "agree": cmp.agrees,
        "slices": cmp.slices,
        "ports": [
            {
                "service": pc.service,
                "port": pc.port,
                "agree": not pc.differences and not pc.note,
                "note": pc.note,
                "differences": [
                    {"pod": d.pod, "model": side(d.model), "cluster": side(d.cluster), "why": d.why}
                    for d in pc.differences
                ],
            }
            for pc in cmp.ports
        ],
        "skipped": cmp.skipped,
        "others": cmp.others,
        "orphans": cmp.orphans,
    }


def run_compare(name: str, analysis: Analysis, *, as_json: bool = False) -> int:
    """`ktutor route FILE --compare`: 0 when the model agrees with the slices, 1 when not, 2 when
    the file holds no EndpointSlices."""
    import json
    import sys

    try:
        cmp = compare(analysis)
    except CompareError as exc:
        print(f"ktutor: {name}: {exc}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(comparison_json(cmp), indent=2))
        return 0 if cmp.agrees else 1
    if analysis.errors:
        print(
            f"note: {len(analysis.errors)} error(s) in {name}; objects with errors are left "
            "out (see `ktutor check`)"
        )
    for line in format_comparison(cmp):
        print(line)
    return 0 if cmp.agrees else 1
