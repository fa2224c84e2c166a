"""Manifest text -> a Cluster of typed objects, plus every decoding and validation error.

Handles multi-document YAML and `kind: List` (what `kubectl get svc,pods -o yaml` prints), puts
objects without a namespace in `default` as kubectl does, and expands Deployments, ReplicaSets,
StatefulSets, ReplicationControllers, DaemonSets and Jobs into simulated Pods with deterministic
names, IPs and nodes, the way their controllers would name them (K · pkg/controller/
controller_utils.go `getPodsPrefix` and apiserver `names.SimpleNameGenerator` for the 5-character
suffix; StatefulSet Pods are `<name>-<ordinal>`; K · pkg/controller/job/indexed_job_utils.go ·
`podGenerateNameWithIndex` for Indexed Jobs).

Nodes, EndpointSlices and v1 Endpoints in the input are read too: Node objects replace the
simulated nodes (see `ensure_nodes`), and kube-proxy routes from the slices (see analysis.py).

The simulated cluster, when the input has no Node objects: nodes `node-1` and `node-2` (plus any
node a Pod names), no zone labels (as kind), node k (1-based, sorted by name) has InternalIP
172.18.0.<k+1> and podCIDR 10.244.<k>.0/24 inside the cluster's Pod CIDR 10.244.0.0/16. Each
simulated Pod gets a unique IP from its node's podCIDR (kube-controller-manager's /24 per node);
when a node's /24 is full (250 Pods: .2 to .251; a real kubelet runs at most 110), the rest get unique
addresses from 10.244.128.0/17, a block no simulated node uses.
"""

from __future__ import annotations

import copy
import hashlib
import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import defaults, validation
from .errors import ALREADY_EXISTS, DECODING, REQUIRED, FieldError
from .limits import EDITOR, InputRejected, Limits
from .network import SINGLE_STACK, ClusterNetwork
from .objects import (
    DEFAULT_NAMESPACE,
    Cluster,
    ContainerPort,
    ContainerReadiness,
    EndpointSlice,
    Ignored,
    Node,
    Pod,
    Probe,
    Service,
    SliceEndpoint,
    Source,
    Termination,
    Workload,
)
from .paths import Path
from .schema import check_api_version, check_kind_served, decode, key_errors
from .templates import kustomization_message, with_template_hints
from .yamldoc import Document, YamlSyntaxError, load_documents

WORKLOAD_KINDS = (
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "ReplicationController",
    "Job",
)
DEFAULT_NODES = ("node-1", "node-2")
POD_CIDR = "10.244.0.0/16"
"""The simulated cluster's Pod CIDR (kind's default `podSubnet`)."""
OVERFLOW_CIDR = "10.244.128.0/17"
"""Where simulated Pods go once their node's /24 is full (no simulated node's block is in it)."""
NODE_IP_PREFIX = "172.18.0."
"""Simulated nodes' InternalIPs: kind's Docker network."""
ZONE_LABEL = "topology.kubernetes.io/zone"
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
SLICE_CONTROLLER = "endpointslice-controller.k8s.io"
MIRRORING_CONTROLLER = "endpointslicemirroring-controller.k8s.io"
SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror"
TOPOLOGY_MODE = "service.kubernetes.io/topology-mode"
TOPOLOGY_AWARE_HINTS = "service.kubernetes.io/topology-aware-hints"
MAX_GENERATED_BASE = 58
"""`names.SimpleNameGenerator`: the base is cut to 63 - 5 characters before the suffix."""
SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
"""`utilrand.String`'s alphabet: no vowels, so generated names never spell words."""

MAX_REPLICAS = 500
"""Most Pods one workload becomes; more is said (`Workload.capped_note`), not silently cut."""


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


def generated_name(base: str, *seed: object) -> str:
    """The API server's `names.SimpleNameGenerator`: `generateName` cut to 58 characters plus
    5 random ones (here: a hash of `seed`, so the same file gives the same name)."""
    return base[:MAX_GENERATED_BASE] + suffix(stable_hash(base, *seed), 5)


def _stored(data: dict[str, Any]) -> bool:
    """An object read back from a live cluster (a dump): the API server set its
    `resourceVersion` and `uid`, which no hand-written manifest carries."""
    meta = data.get("metadata")
    return isinstance(meta, dict) and bool(meta.get("resourceVersion") or meta.get("uid"))


def _owner_deployment(data: dict[str, Any], namespace: str) -> tuple[str, str] | None:
    """(namespace, name) of the Deployment that controls this ReplicaSet (its controller
    ownerReference), else None: a dump's ReplicaSet makes no Pods of its own beside its
    Deployment's."""
    meta = data.get("metadata")
    refs = meta.get("ownerReferences") if isinstance(meta, dict) else None
    for ref in refs if isinstance(refs, list) else []:
        if isinstance(ref, dict) and ref.get("controller") and ref.get("kind") == "Deployment":
            return namespace, str(ref.get("name", ""))
    return None


def _meta(raw: _Raw) -> tuple[str, str]:
    """(name, namespace); an object with only `generateName` gets the name the API server
    would generate for it (so a Job written that way is `pi-x7k2q`, not `Job/`)."""
    meta = raw.data.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    name = meta.get("name")
    ns = meta.get("namespace")
    gen = meta.get("generateName")
    if not (isinstance(name, str) and name) and isinstance(gen, str) and gen:
        name = generated_name(gen, raw.doc.index, raw.prefix)
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
    if not isinstance(spec, dict):
        return out
    for section, sidecar in (("containers", False), ("initContainers", True)):
        containers = spec.get(section)
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
                name = p.get("name")
                out.append(
                    ContainerPort(
                        name if name.__class__ is str else "",
                        num if num.__class__ is int else 0,
                        proto if proto.__class__ is str else "TCP",
                        str(c.get("name", "")),
                        sidecar,
                    )
                )
    return out


def _probe(value: Any) -> Probe | None:
    """A readinessProbe's handler, as written."""
    if not isinstance(value, dict):
        return None
    for kind in ("httpGet", "tcpSocket", "grpc", "exec"):
        h = value.get(kind)
        if not isinstance(h, dict):
            continue
        port = h.get("port")
        command = h.get("command")
        return Probe(
            kind,
            port=str(port) if isinstance(port, (int, str)) and not isinstance(port, bool) else "",
            path=str(h.get("path") or ""),
            host=str(h.get("host") or ""),
            scheme=str(h.get("scheme") or ""),
            command=tuple(str(c) for c in command) if isinstance(command, list) else (),
            service=str(h.get("service") or ""),
        )
    return None


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _text(value: Any) -> str:
    """A string field as written (timestamps stay text: the YAML reader keeps them so)."""
    return value if isinstance(value, str) else ""


def _termination(value: Any) -> Termination | None:
    """A `terminated` container state (`state.terminated` or `lastState.terminated`)."""
    if not isinstance(value, dict):
        return None
    return Termination(
        reason=_text(value.get("reason")),
        exit_code=_int(value.get("exitCode")),
        signal=_int(value.get("signal")),
        message=_text(value.get("message")),
        started_at=_text(value.get("startedAt")),
        finished_at=_text(value.get("finishedAt")),
    )


def _readiness(spec: Any, status: dict[str, Any]) -> tuple[ContainerReadiness, ...]:
    """Each container's readiness probe and status (K · pkg/kubelet/prober/prober_manager.go ·
    `UpdatePodStatus`: a running container with a readinessProbe is ready once the probe
    succeeds, one without is ready once it has started; K · pkg/kubelet/status/generate.go ·
    `GeneratePodReadyCondition`: the Pod is Ready when every container is), with the restart
    count and the previous run kubectl's printPod and describer read. Sidecars (init containers
    with `restartPolicy: Always`) count, as for FindPort; plain init containers are listed
    (marked `init`) for printPod's `Init:N/M` and describe's Init Containers, not for
    readiness."""
    statuses: dict[str, dict[str, Any]] = {}
    for key in ("containerStatuses", "initContainerStatuses"):
        for st in _list(status.get(key)):
            if isinstance(st, dict) and isinstance(st.get("name"), str):
                statuses[st["name"]] = st
    out: list[ContainerReadiness] = []
    for section in ("initContainers", "containers"):
        for c in _list(_get(spec, section)):
            if not isinstance(c, dict) or not isinstance(c.get("name"), str):
                continue
            sidecar = section == "initContainers" and c.get("restartPolicy") == "Always"
            st = statuses.get(c["name"], {})
            ready = st.get("ready")
            started = st.get("started")
            running = _get(st, "state", "running")
            waiting = _get(st, "state", "waiting", "reason")
            term = _get(st, "state", "terminated")
            ended, reason, code = "", "", None
            if isinstance(term, dict):
                said = term.get("exitCode")
                code = said if isinstance(said, int) and not isinstance(said, bool) else 0
                why = term.get("reason")
                reason = why if isinstance(why, str) else ""
                ended = str(reason or "Terminated") + (
                    f", exit code {said}" if isinstance(said, int) else ""
                )
            out.append(
                ContainerReadiness(
                    c["name"],
                    _probe(c.get("readinessProbe")),
                    ready if isinstance(ready, bool) else None,
                    waiting if isinstance(waiting, str) else "",
                    ended,
                    reason,
                    code,
                    sidecar,
                    init=section == "initContainers" and not sidecar,
                    listed=bool(st),
                    restart_count=_int(st.get("restartCount")),
                    started=started if isinstance(started, bool) else None,
                    running_since=_text(running.get("startedAt"))
                    if isinstance(running, dict)
                    else None,
                    ended=_termination(term),
                    last_ended=_termination(_get(st, "lastState", "terminated")),
                )
            )
    return tuple(out)


def container_statuses(pod: Pod) -> tuple[ContainerReadiness, ...]:
    """Each container's status as the file gives it (see `_readiness`): a Pod that is not Ready
    has them already; a Ready one's are read the first time they are asked for, from the spec
    and status it keeps, and kept (the parse reuses the Pod while its document is unchanged)."""
    if not pod.containers and pod.raw_status is not None:
        pod.containers = _readiness(*pod.raw_status)
    return pod.containers


def _grace(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _pod_from(data: dict[str, Any], name: str, ns: str, source: Source) -> Pod:
    spec: dict[str, Any] = data["spec"] if isinstance(data.get("spec"), dict) else {}
    meta: dict[str, Any] = data["metadata"] if isinstance(data.get("metadata"), dict) else {}
    status = data.get("status")
    deleted = meta.get("deletionTimestamp")  # spec and meta are maps: no `_get` walk
    pod = Pod(
        name=name,
        namespace=ns,
        source=source,
        labels=_str_map(meta.get("labels")),
        node_name=str(spec.get("nodeName") or ""),
        ports=_container_ports(spec),
        hostname=str(spec.get("hostname") or ""),
        subdomain=str(spec.get("subdomain") or ""),
        terminating=deleted is not None,
        deleted_at=_text(deleted),
        grace_seconds=_grace(meta.get("deletionGracePeriodSeconds")),
        host_network=spec.get("hostNetwork") is True,
    )
    if isinstance(status, dict):
        phase = status.get("phase")
        pod.phase = phase if isinstance(phase, str) and phase else "Pending"
        pod.status_reason = _text(status.get("reason"))
        pod.status_message = _text(status.get("message"))
        ip = status.get("podIP")
        if not ip:
            ip = _get(status, "podIPs", 0, "ip")
        pod.ip = ip if isinstance(ip, str) else ""
        pod.ips = [
            e["ip"]
            for e in _list(status.get("podIPs"))
            if isinstance(e, dict) and isinstance(e.get("ip"), str) and e["ip"]
        ] or ([pod.ip] if pod.ip else [])
        cond = ""
        ready_cond: dict[str, Any] = {}
        pod.initialized = False
        for c in _list(status.get("conditions")):
            if isinstance(c, dict) and c.get("type") == "Ready":
                cond = str(c.get("status", ""))
                ready_cond = c
            elif isinstance(c, dict) and c.get("type") == "Initialized":
                pod.initialized = c.get("status") == "True"
            elif isinstance(c, dict) and c.get("type") == "PodScheduled":
                pod.scheduling_gated = c.get("reason") == "SchedulingGated"
        pod.ready_condition = cond
        pod.ready = cond == "True"
        if not pod.ready:
            pod.ready_reason = str(ready_cond.get("reason") or "")
            pod.ready_message = str(ready_cond.get("message") or "")
        if not pod.ready:
            pod.containers = _readiness(spec, status)
        elif status.get("containerStatuses") or status.get("initContainerStatuses"):
            pod.raw_status = (spec, status)
    else:
        pod.simulated = True
    return pod


def _count(value: Any, default: int) -> int:
    return (
        value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default
    )


def _workload(raw: _Raw, name: str, ns: str) -> tuple[Workload, dict[str, Any]]:
    spec: dict[str, Any] = raw.data["spec"] if isinstance(raw.data.get("spec"), dict) else {}
    template: dict[str, Any] = spec["template"] if isinstance(spec.get("template"), dict) else {}
    replicas = _count(spec.get("replicas"), 1)
    template_labels = _str_map(_get(template, "metadata", "labels"))
    selector = _str_map(_get(spec, "selector", "matchLabels"))
    indexed = False
    if raw.kind == "ReplicationController":
        # `SetDefaults_ReplicationController`: no selector means the template's labels
        selector = _str_map(spec.get("selector")) or dict(template_labels)
    elif raw.kind == "Job":
        replicas, selector, template_labels, indexed = _job_shape(spec, name, ns, template_labels)
    wl = Workload(
        kind=raw.kind,
        name=name,
        namespace=ns,
        source=Source(raw.doc.index, (*raw.prefix, "spec", "template")),
        replicas=min(replicas, MAX_REPLICAS),
        asked_replicas=replicas if replicas > MAX_REPLICAS else 0,
        selector=selector,
        template_labels=template_labels,
        service_name=str(spec.get("serviceName") or ""),
        indexed=indexed,
    )
    wl.template_hash = suffix(stable_hash(repr(template)), 10)
    return wl, template


def _job_shape(
    spec: dict[str, Any], name: str, ns: str, labels: dict[str, str]
) -> tuple[int, dict[str, str], dict[str, str], bool]:
    """A Job's running Pods, selector and Pod labels (K · pkg/registry/batch/job/strategy.go ·
    `generateSelector`: the controller-uid and job-name labels; K · pkg/controller/job ·
    `job_controller.go`: `parallelism` Pods at a time, at most the `completions` left; a
    suspended Job runs none)."""
    parallelism = _count(spec.get("parallelism"), 1)
    completions = spec.get("completions")
    running = parallelism
    if isinstance(completions, int) and not isinstance(completions, bool) and completions >= 0:
        running = min(parallelism, completions)
    if spec.get("suspend") is True:
        running = 0
    uid = _fake_uid("Job", ns, name)
    own = {
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": name,
        "controller-uid": uid,
        "job-name": name,
    }
    selector = _str_map(_get(spec, "selector", "matchLabels"))
    if spec.get("manualSelector") is not True or not selector:
        selector = {"batch.kubernetes.io/controller-uid": uid}
    return running, selector, {**labels, **own}, spec.get("completionMode") == "Indexed"


def _fake_uid(*parts: str) -> str:
    h = hashlib.sha256("\x00".join(parts).encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def workload_pod_name(wl: Workload, index: int, generation: int = 0) -> str:
    """Deterministic Pod names in the controllers' shapes; a new generation is a new name.

    StatefulSet: `<name>-<ordinal>`; Deployment: `<name>-<pod-template-hash>-<5>`; an Indexed
    Job: `<name>-<index>-<5>` (`podGenerateNameWithIndex`); the others (ReplicaSet,
    ReplicationController, DaemonSet, Job): `<name>-<5>` (`getPodsPrefix` + generateName).
    """
    if wl.kind == "StatefulSet":
        return f"{wl.name}-{index}"
    tail = suffix(stable_hash(wl.ref, wl.template_hash, index, generation), 5)
    if wl.kind == "Deployment":
        return f"{wl.name}-{wl.template_hash}-{tail}"
    if wl.kind == "Job" and wl.indexed:
        return f"{wl.name}-{index}-{tail}"
    return f"{wl.name}-{tail}"


def expand_workload(
    wl: Workload, template: dict[str, Any], generations: dict[int, int] | None = None
) -> list[Pod]:
    pods = []
    count = len(wl.nodes) if wl.kind == "DaemonSet" else wl.replicas
    for i in range(count):
        gen = (generations or {}).get(i, 0)
        meta = dict(template.get("metadata") or {})
        if wl.kind == "Job":
            labels = dict(wl.template_labels)
            if wl.indexed:
                labels["batch.kubernetes.io/job-completion-index"] = str(i)
            meta["labels"] = labels
        pod = _pod_from(
            {"metadata": meta, "spec": template.get("spec") or {}},
            workload_pod_name(wl, i, gen),
            wl.namespace,
            wl.source,
        )
        pod.owner = wl.ref
        if wl.kind == "StatefulSet":
            pod.hostname = pod.hostname or pod.name
            pod.subdomain = pod.subdomain or wl.service_name
        elif wl.kind == "Job" and wl.indexed:
            pod.hostname = pod.hostname or f"{wl.name}-{i}"
        elif wl.kind == "DaemonSet":
            pod.node_name = wl.nodes[i]
        pods.append(pod)
    return pods


def _tolerates(tolerations: list[Any], key: str, value: str, effect: str) -> bool:
    """`ToleratesTaint` (K · staging/src/k8s.io/component-helpers/scheduling/corev1 ·
    `helper.go`): an empty effect matches every effect; `Exists` with no key matches every taint."""
    for t in tolerations:
        if not isinstance(t, dict):
            continue
        t_effect = t.get("effect") or ""
        if t_effect and t_effect != effect:
            continue
        t_key = t.get("key") or ""
        op = t.get("operator") or "Equal"
        if op == "Exists" and not t_key:
            return True
        if t_key != key:
            continue
        if op == "Exists" or (op == "Equal" and (t.get("value") or "") == value):
            return True
    return False


DAEMON_TOLERATIONS = (
    ("node.kubernetes.io/not-ready", "NoExecute"),
    ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
    ("node.kubernetes.io/unschedulable", "NoSchedule"),
)
"""`AddOrUpdateDaemonPodTolerations` (K · pkg/controller/daemon/util): every DaemonSet Pod
tolerates these, so a cordoned or not-ready node still runs it."""


def daemon_nodes(template: dict[str, Any], cluster: Cluster) -> list[str]:
    """The nodes a DaemonSet runs a Pod on (K · pkg/controller/daemon/daemon_controller.go ·
    `NodeShouldRunDaemonPod` → `predicates`): the template's `nodeName` if set, its
    `nodeSelector` matching the node's labels, and no NoSchedule/NoExecute taint it does not
    tolerate (the DaemonSet's own default tolerations included). Node affinity is not modelled.
    """
    spec = template.get("spec") if isinstance(template.get("spec"), dict) else {}
    assert isinstance(spec, dict)
    selector = _str_map(spec.get("nodeSelector"))
    tolerations = _list(spec.get("tolerations"))
    only = spec.get("nodeName")
    out = []
    for name in cluster.nodes:
        node = cluster.node_info[name]
        if isinstance(only, str) and only and only != name:
            continue
        if any(node.labels.get(k) != v for k, v in selector.items()):
            continue
        blocked = False
        for key, value, effect in node.taints:
            if effect not in ("NoSchedule", "NoExecute"):
                continue
            if (key, effect) in DAEMON_TOLERATIONS:
                continue
            if not _tolerates(tolerations, key, value, effect):
                blocked = True
                break
        if not blocked:
            out.append(name)
    return out


def _cpu_millis(value: Any) -> int:
    """A CPU quantity ("4", "3800m", "0.5", 2) in millicores; 0 when unreadable."""
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return int(value * 1000)
        if isinstance(value, str):
            if value.endswith("m"):
                return int(float(value[:-1]))
            return int(float(value) * 1000)
    except ValueError:
        return 0
    return 0


def _node_from(data: dict[str, Any], name: str) -> Node:
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    spec = data.get("spec") if isinstance(data.get("spec"), dict) else {}
    status = data.get("status") if isinstance(data.get("status"), dict) else {}
    labels = _str_map(_get(meta, "labels"))
    ip = ""
    for a in _list(_get(status, "addresses")):
        if (
            isinstance(a, dict)
            and a.get("type") == "InternalIP"
            and isinstance(a.get("address"), str)
        ):
            ip = a["address"]
            break
    ready = True
    for c in _list(_get(status, "conditions")):
        if isinstance(c, dict) and c.get("type") == "Ready":
            ready = c.get("status") == "True"
    taints = [
        (str(t.get("key") or ""), str(t.get("value") or ""), str(t.get("effect") or ""))
        for t in _list(_get(spec, "taints"))
        if isinstance(t, dict)
    ]
    if _get(spec, "unschedulable") is True:
        taints.append(("node.kubernetes.io/unschedulable", "", "NoSchedule"))
    cidr = _get(spec, "podCIDR")
    return Node(
        name=name,
        zone=labels.get(ZONE_LABEL, ""),
        ip=ip,
        pod_cidr=cidr if isinstance(cidr, str) else "",
        cpu_millis=_cpu_millis(_get(status, "allocatable", "cpu")),
        labels=labels,
        ready=ready,
        taints=taints,
        simulated=False,
    )


def _hints(value: Any, key: str) -> tuple[str, ...]:
    return tuple(
        str(h["name"]) for h in _list(_get(value, key)) if isinstance(h, dict) and h.get("name")
    )


def _slice_from(data: dict[str, Any], name: str, ns: str, source: Source) -> EndpointSlice:
    """An input EndpointSlice, with discovery/v1 defaulting (`SetDefaults_EndpointPort`: a
    missing port name is "", protocol TCP) and kube-proxy's reading of the conditions."""
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    labels = _str_map(_get(meta, "labels"))
    ports = []
    app_protocols: dict[str, str] = {}
    for p in _list(data.get("ports")):
        if not isinstance(p, dict):
            continue
        num = p.get("port")
        ports.append(
            (
                str(p.get("name") or ""),
                str(p.get("protocol") or "TCP"),
                num if isinstance(num, int) and not isinstance(num, bool) else 0,
            )
        )
        _app_protocol(p, app_protocols)
    endpoints = []
    for ep in _list(data.get("endpoints")):
        if not isinstance(ep, dict):
            continue
        cond = ep.get("conditions") if isinstance(ep.get("conditions"), dict) else {}
        assert isinstance(cond, dict)
        ref = ep.get("targetRef")
        pod = ""
        if isinstance(ref, dict) and ref.get("kind", "Pod") == "Pod":
            pod = str(ref.get("name") or "")
        hints = ep.get("hints")  # most endpoints have none: no walk for them (a dump has 10,000)
        endpoints.append(
            SliceEndpoint(
                addresses=[str(a) for a in _list(ep.get("addresses"))],
                ready=cond.get("ready") is not False,
                serving=cond.get("serving") is not False,
                terminating=cond.get("terminating") is True,
                node_name=str(ep.get("nodeName") or ""),
                zone=str(ep.get("zone") or ""),
                hostname=str(ep.get("hostname") or ""),
                pod=pod,
                for_zones=_hints(hints, "forZones") if hints else (),
                for_nodes=_hints(hints, "forNodes") if hints else (),
                written=tuple(
                    c for c in ("ready", "serving", "terminating") if isinstance(cond.get(c), bool)
                ),
            )
        )
    return EndpointSlice(
        name=name,
        namespace=ns,
        service=labels.get(SERVICE_NAME_LABEL, ""),
        managed_by=labels.get(MANAGED_BY_LABEL, ""),
        source=source,
        address_type=str(data.get("addressType") or "IPv4"),
        ports=ports,
        app_protocols=app_protocols,
        endpoints=endpoints,
        labels=labels,
    )


def _app_protocol(port: dict[str, Any], into: dict[str, str]) -> None:
    """Keep a port's `appProtocol` as written, by port name."""
    app = port.get("appProtocol")
    if isinstance(app, str) and app:
        into.setdefault(str(port.get("name") or ""), app)


def _endpoints_from(data: dict[str, Any], name: str, ns: str, source: Source) -> EndpointSlice:
    """A legacy v1 Endpoints object as the mirroring controller turns it into a slice (K ·
    pkg/controller/endpointslicemirroring/utils.go · `addressToEndpoint`: `addresses` are
    ready, `notReadyAddresses` not; serving and terminating are left unset). One slice holds
    every subset's addresses with their ports (the controller splits per subset; kube-proxy's
    view is the same)."""
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    labels = _str_map(_get(meta, "labels"))
    out = EndpointSlice(
        name=name,
        namespace=ns,
        service=name,
        managed_by=MIRRORING_CONTROLLER if labels.get(SKIP_MIRROR_LABEL) != "true" else "",
        source=source,
        kind="Endpoints",
    )
    for subset in _list(data.get("subsets")):
        if not isinstance(subset, dict):
            continue
        for p in _list(subset.get("ports")):
            if isinstance(p, dict) and isinstance(p.get("port"), int):
                entry = (str(p.get("name") or ""), str(p.get("protocol") or "TCP"), p["port"])
                if entry not in out.ports:
                    out.ports.append(entry)
                _app_protocol(p, out.app_protocols)
        for key, ready in (("addresses", True), ("notReadyAddresses", False)):
            for a in _list(subset.get(key)):
                if not isinstance(a, dict) or not isinstance(a.get("ip"), str):
                    continue
                ref = a.get("targetRef")
                pod = ""
                if isinstance(ref, dict) and ref.get("kind", "Pod") == "Pod":
                    pod = str(ref.get("name") or "")
                out.endpoints.append(
                    SliceEndpoint(
                        addresses=[a["ip"]],
                        ready=ready,
                        node_name=str(a.get("nodeName") or ""),
                        hostname=str(a.get("hostname") or ""),
                        pod=pod,
                    )
                )
    return out


def mirror_endpoints(cluster: Cluster) -> None:
    """The EndpointSlice mirroring controller (K · pkg/controller/endpointslicemirroring/
    endpointslicemirroring_controller.go · `syncEndpoints`, `shouldMirror`): a v1 Endpoints
    object is mirrored into a slice kube-proxy reads when its Service exists with a nil
    selector, the Endpoints has no `endpointslice.kubernetes.io/skip-mirror: "true"` label,
    and (here) the input holds no slice for that Service already (a dump has both)."""
    with_slices = {(s.namespace, s.service) for s in cluster.slices}
    nil_selector = {(s.namespace, s.name) for s in cluster.services if s.selector is None}
    for ep in cluster.endpoints_objects:
        key = (ep.namespace, ep.service)
        if ep.managed_by and key in nil_selector and key not in with_slices:
            mirrored = EndpointSlice(
                name=f"{ep.name}-{suffix(stable_hash(ep.ref, 'mirror'), 5)}",
                namespace=ep.namespace,
                service=ep.service,
                managed_by=MIRRORING_CONTROLLER,
                source=ep.source,
                ports=list(ep.ports),
                app_protocols=dict(ep.app_protocols),
                endpoints=list(ep.endpoints),
                kind="Endpoints",
            )
            cluster.slices.append(mirrored)


def _schedulable(node: Node) -> bool:
    return node.ready and not any(e in ("NoSchedule", "NoExecute") for _, _, e in node.taints)


def ensure_nodes(cluster: Cluster) -> None:
    """Fill `cluster.nodes` and `cluster.node_info`.

    Node objects from the input are kept as they are. Without any, the simulated nodes are
    DEFAULT_NODES plus every node a Pod names; with some, a node a Pod names that is not among
    them is added as a simulated node. Simulated node k (1-based, in name order) has InternalIP
    172.18.0.<k+1> and podCIDR 10.244.<k>.0/24; an input node without `spec.podCIDR` gets the
    same /24 for its position (the IPAM controller's /24 per node).
    """
    given = {n: info for n, info in cluster.node_info.items() if not info.simulated}
    named = {p.node_name for p in cluster.pods if p.node_name}
    names = sorted(set(given) | named | (set() if given else set(DEFAULT_NODES)))
    info: dict[str, Node] = {}
    for k, name in enumerate(names, 1):
        node = given.get(name)
        if node is None:
            node = Node(name, ip=f"{NODE_IP_PREFIX}{min(k + 1, 254)}")
        if not node.pod_cidr and k < 128:
            node.pod_cidr = f"10.244.{k}.0/24"
        info[name] = node
    cluster.nodes = names
    cluster.node_info = info


class PodIPs:
    """Unique simulated Pod IPs: a hash of the Pod's name picks the first address tried in its
    node's podCIDR (so an added Pod does not move the others), the next free one is taken;
    a full node block sends the Pod to OVERFLOW_CIDR, filled in order."""

    def __init__(self, used: set[str]) -> None:
        self.used = used
        self.full: set[str] = set()
        self._overflow = ipaddress.ip_network(OVERFLOW_CIDR)
        self._next = 2
        self._blocks: dict[str, tuple[int, int] | None] = {}
        """podCIDR -> (first address, how many), None when Pods get none from it: parsed
        once per cluster, not once per Pod (it was a third of a 50-Pod keystroke's model)."""

    def _block(self, cidr: str) -> tuple[int, int] | None:
        if cidr not in self._blocks:
            try:
                net = ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                net = None
            self._blocks[cidr] = (
                # .2 to .251 in a /24, as ktutor always had
                (int(net.network_address) + 2, net.num_addresses - 6)
                if net is not None and net.version == 4 and net.num_addresses >= 8
                else None
            )
        return self._blocks[cidr]

    def take(self, cidr: str, h: int) -> str:
        if cidr and cidr not in self.full:
            block = self._block(cidr)
            if block is not None:
                first, size = block
                for probe in range(size):
                    ip = _ipv4(first + (h + probe) % size)
                    if ip not in self.used:
                        self.used.add(ip)
                        return ip
            self.full.add(cidr)
        base = int(self._overflow.network_address)
        while True:
            n = self._next
            self._next += 1
            ip = _ipv4((base + n) & 0xFFFFFFFF)
            if n % 256 not in (0, 255) and ip not in self.used:
                self.used.add(ip)
                return ip


def _ipv4(n: int) -> str:
    """`str(ipaddress.IPv4Address(n))`, without building the object."""
    return f"{n >> 24}.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def assign_simulated(cluster: Cluster) -> None:
    """Give simulated Pods a node and an IP, and Services a ClusterIP and NodePorts.

    Deterministic (hashes of names), so the same file always shows the same addresses, and a
    replaced Pod (a new name) gets a new IP, as it would in a real cluster. Pods without a
    node go round-robin over the schedulable nodes (the simulated ones: DEFAULT_NODES); a
    hostNetwork Pod's IP is its node's InternalIP; the others get a unique IP (PodIPs).
    """
    ensure_nodes(cluster)
    info = cluster.node_info
    given = [n for n in cluster.nodes if not info[n].simulated]
    targets = list(DEFAULT_NODES)
    if given:
        targets = [n for n in given if _schedulable(info[n])] or given
    ips = PodIPs({p.ip for p in cluster.pods if p.ip and not p.host_network})
    rr = 0
    for pod in cluster.pods:
        if not pod.simulated:
            continue
        if not pod.node_name:
            pod.node_name = targets[rr % len(targets)]
            rr += 1
        if not pod.ip:
            node = info.get(pod.node_name)
            if pod.host_network and node is not None and node.ip:
                pod.ip = node.ip
            else:
                cidr = node.pod_cidr if node is not None else ""
                pod.ip = ips.take(cidr, stable_hash(pod.namespace, pod.name))
        pod.phase, pod.ready, pod.ready_condition = "Running", True, "True"
    from .allocation import assign_pod_families, assign_service_addresses  # they import this

    assign_pod_families(cluster)
    assign_service_addresses(cluster)


def _service_extras(svc: Service, data: dict[str, Any]) -> None:
    """What build_service leaves out and topology needs: `trafficDistribution` and the
    topology annotation (`HeuristicNameFromAnnotations`: the deprecated
    `topology-aware-hints` wins when both are set)."""
    td = _get(data, "spec", "trafficDistribution")
    svc.traffic_distribution = td if isinstance(td, str) else ""
    annotations = _str_map(_get(data, "metadata", "annotations"))
    if TOPOLOGY_AWARE_HINTS in annotations:
        svc.topology_mode = annotations[TOPOLOGY_AWARE_HINTS]
    else:
        svc.topology_mode = annotations.get(TOPOLOGY_MODE, "")


def _cluster_scoped(data: dict[str, Any]) -> dict[str, Any]:
    """A cluster-scoped object's metadata without `namespace`, which the API server clears
    before validating (K · staging/src/k8s.io/apiserver/pkg/registry/rest/create.go ·
    `BeforeCreate`)."""
    meta = data.get("metadata")
    if not isinstance(meta, dict) or "namespace" not in meta:
        return data
    return {**data, "metadata": {k: v for k, v in meta.items() if k != "namespace"}}


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


RESOURCES = {
    "Pod": "pods",
    "Service": "services",
    "Deployment": "deployments.apps",
    "ReplicaSet": "replicasets.apps",
    "StatefulSet": "statefulsets.apps",
    "DaemonSet": "daemonsets.apps",
    "ReplicationController": "replicationcontrollers",
    "Job": "jobs.batch",
    "Node": "nodes",
    "EndpointSlice": "endpointslices.discovery.k8s.io",
    "Endpoints": "endpoints",
}
"""The qualified resource of each kind the model reads, as an AlreadyExists message names it."""


class _Created:
    """The objects the file has created so far, by kind, namespace and name: the API server
    stores one object per name, and a second one's create fails after validation (K ·
    staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go · `Create` →
    `storage.Create` → `apierrors.NewAlreadyExists`). `kubectl apply -f` would turn the first
    into the second instead; either way the cluster never holds two (the model used to keep
    both, and two Pods of one name had one verdict between them)."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str, str], _Raw] = {}

    def refuse(self, raw: _Raw, name: str, ns: str, obj: str) -> FieldError | None:
        """The AlreadyExists error for a valid object whose name an earlier one took, or None
        (and this one is recorded as created). Nodes are cluster-scoped: no namespace. Positions
        are looked up only for a refusal: in a dump's large file finding one reads its object
        again."""
        key = (raw.kind, "" if raw.kind == "Node" else ns, name)
        first = self.first.setdefault(key, raw)
        if first is raw:
            return None
        span = raw.doc.span((*raw.prefix, "metadata", "name"))
        taken = first.doc.span((*first.prefix, "metadata", "name"))
        return FieldError(
            "metadata.name",
            ALREADY_EXISTS,
            f'{RESOURCES[raw.kind]} "{name}" already exists',
            line=span.line if span else raw.doc.line,
            column=span.column if span else 1,
            object=obj,
            kind=raw.kind,
            hint=(
                f"line {taken.line if taken else first.doc.line} already has a {raw.kind} of "
                "this name"
                + ("" if raw.kind == "Node" else f" in namespace {ns}")
                + ": `kubectl create -f` refuses this one (`kubectl apply -f` would change that "
                "one into this one); give one of them another name"
            ),
        )


def _read_pod(raw: _Raw) -> tuple[list[FieldError], Pod | None, str]:
    """A Pod's decoding and validation errors, or the Pod, and its `namespace/name`. Kept in its document's memo: a Pod
    depends on its own document only, and a keystroke elsewhere reuses the document (a third
    of a 50-Pod keystroke's model was reading the 49 Pods it did not change)."""
    key = ("Pod", raw.prefix, raw.doc.index)
    kept: tuple[list[FieldError], Pod | None, str] | None = raw.doc.memo.get(key)
    if kept is None:
        name, ns = _meta(raw)
        obj = f"{ns}/{name}"
        problems = (
            check_api_version(raw.doc, raw.data, raw.kind, raw.prefix, obj)
            + decode(raw.doc, raw.data, raw.kind, raw.prefix, obj)
            + validation.validate_pod_meta(raw.data, raw.doc, raw.prefix, obj, "Pod")
        )
        pod = None
        if not problems:
            pod = _pod_from(raw.data, name, ns, Source(raw.doc.index, raw.prefix))
        kept = raw.doc.memo[key] = (problems, pod, obj)
    return kept


def parse(text: str, network: ClusterNetwork = SINGLE_STACK, limits: Limits = EDITOR) -> Parsed:
    """Read manifest text into a cluster with `network`'s IP families, within `limits` (the
    editor's by default; files named on the command line get `limits.FILE`). Never raises for
    bad input: problems land in the result."""
    cluster = Cluster(network=network)
    result = Parsed(cluster)
    try:
        # the editor's texts are parsed again at every keystroke: reuse their documents; a
        # file named on the command line is read once (parsing it piece by piece, ~50 us a
        # document, would only cost)
        docs = load_documents(text, limits, reuse=limits == EDITOR)
    except YamlSyntaxError as exc:
        result.syntax_error = exc
        return result
    except InputRejected as exc:
        result.rejected = exc
        return result
    result.documents = docs
    for doc in docs:
        if message := kustomization_message(doc.data):
            first = doc.exact((next(iter(doc.data)),)) if doc.data else None
            line, column = (first.line, first.column) if first else (doc.line, 1)
            result.rejected = InputRejected(message, line, column)
            return result
    errors = result.errors
    allocations = validation.Allocations(network=network)
    daemons: list[tuple[Workload, dict[str, Any], bool]] = []
    # workloads read back from a live cluster: expanded after the loop, only when the input
    # holds no Pods read back with them (a `kubectl get all` dump lists the Pods they made)
    read_back: list[tuple[Workload, dict[str, Any], dict[str, Any]]] = []
    pods_read_back = False
    created = _Created()
    for raw in _iter_objects(docs, errors):
        if raw.kind == "Pod":
            pods_read_back = pods_read_back or _stored(raw.data)
            problems, pod, obj = _read_pod(raw)
            errors.extend(problems)
            if pod is None:
                result.invalid_objects.add(f"Pod/{obj}")
            elif (taken := created.refuse(raw, pod.name, pod.namespace, obj)) is not None:
                errors.append(taken)
            else:
                cluster.pods.append(copy.copy(pod))  # the cluster's to change, not the memo's
            continue
        name, ns = _meta(raw)
        obj = f"{ns}/{name}"
        decode_errors = check_api_version(raw.doc, raw.data, raw.kind, raw.prefix, obj) + decode(
            raw.doc, raw.data, raw.kind, raw.prefix, obj
        )
        source = Source(raw.doc.index, raw.prefix)
        if raw.kind == "Service":
            defaulted = defaults.service(raw.data)
            if decode_errors:
                problems = decode_errors + _not_under(
                    validation.validate_service(defaulted, raw.doc, raw.prefix, obj),
                    decode_errors,
                )
            else:
                # the allocators run before validation and, when they refuse, alone
                problems, claim = validation.allocate(
                    defaulted, raw.doc, raw.prefix, obj, allocations, stored=_stored(raw.data)
                )
                if not problems:
                    problems = validation.validate_service(defaulted, raw.doc, raw.prefix, obj)
                if not problems and (taken := created.refuse(raw, name, ns, obj)) is not None:
                    problems = [taken]  # its allocations are released with it
                if not problems:
                    allocations.take(claim)
            svc = defaults.build_service(defaulted, name, ns, source)
            _service_extras(svc, raw.data)
            if problems:
                result.invalid_objects.add(f"Service/{obj}")
            else:
                cluster.services.append(svc)
            errors.extend(problems)
        elif raw.kind in WORKLOAD_KINDS:
            if raw.kind in ("Job", "ReplicationController"):
                # no matchLabels to check: a Job's selector is generated, an RC's defaulted
                checks = validation.validate_template_meta(
                    raw.data, raw.doc, raw.prefix, obj, raw.kind
                )
            else:
                checks = validation.validate_workload(raw.data, raw.doc, raw.prefix, obj, raw.kind)
            problems = decode_errors + checks
            errors.extend(problems)
            if problems:
                result.invalid_objects.add(f"{raw.kind}/{obj}")
                continue
            if (taken := created.refuse(raw, name, ns, obj)) is not None:
                errors.append(taken)
                continue
            wl, template = _workload(raw, name, ns)
            cluster.workloads.append(wl)
            if raw.kind == "DaemonSet":
                daemons.append((wl, template, _stored(raw.data)))
            elif _stored(raw.data):
                read_back.append((wl, template, raw.data))
            else:
                cluster.pods.extend(expand_workload(wl, template))
        elif raw.kind in ("Node", "EndpointSlice", "Endpoints"):
            check = (
                validation.validate_endpoint_slice
                if raw.kind == "EndpointSlice"
                else validation.validate_endpoints
                if raw.kind == "Endpoints"
                else validation.validate_meta
            )
            problems = decode_errors or check(
                _cluster_scoped(raw.data) if raw.kind == "Node" else raw.data,
                raw.doc,
                raw.prefix,
                obj,
                raw.kind,
            )
            if problems:
                # the API server refuses it: kube-proxy never sees a nameless slice
                errors.extend(problems)
                result.invalid_objects.add(f"{raw.kind}/{obj}")
            elif (taken := created.refuse(raw, name, ns, obj)) is not None:
                errors.append(taken)
            elif raw.kind == "Node":
                cluster.node_info[name] = _node_from(raw.data, name)
            elif raw.kind == "EndpointSlice":
                cluster.slices.append(_slice_from(raw.data, name, ns, source))
            else:
                cluster.endpoints_objects.append(_endpoints_from(raw.data, name, ns, source))
        elif unserved := check_kind_served(raw.doc, raw.data, raw.kind, raw.prefix, obj):
            errors.extend(unserved)
            result.invalid_objects.add(f"{raw.kind}/{obj}")
        elif bad := key_errors(raw.doc, raw.prefix, obj, raw.kind) or (
            validation.validate_name_given(raw.data, raw.doc, raw.prefix, obj, raw.kind)
        ):
            # strict decoding and ObjectMeta refuse these in any kind, read by the model or not
            errors.extend(bad)
            result.invalid_objects.add(f"{raw.kind}/{obj}")
        else:
            cluster.ignored.append(Ignored(raw.kind, name, ns, raw.doc.index))
    if not pods_read_back:
        deployments = {(w.namespace, w.name) for w in cluster.workloads if w.kind == "Deployment"}
        for wl, template, data in read_back:
            if _owner_deployment(data, wl.namespace) not in deployments:
                cluster.pods.extend(expand_workload(wl, template))
    ensure_nodes(cluster)
    for wl, template, stored in daemons:
        wl.nodes = daemon_nodes(template, cluster)
        wl.replicas = len(wl.nodes)
        if not (stored and pods_read_back):
            cluster.pods.extend(expand_workload(wl, template))
    mirror_endpoints(cluster)
    assign_simulated(cluster)
    if errors:
        result.errors = with_template_hints(errors)
    return result
