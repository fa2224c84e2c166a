"""A lesson step's manifests, made real: YAML a learner can `kubectl apply` on kind or minikube.

Services are kept as the step wrote them (minus a hard-coded clusterIP, which the real cluster
allocates). The model's Pods, simulated or bare, become Deployments: Pods with the same labels,
ports and readiness form one group, and each group runs agnhost `netexec`, which answers
`/hostname` with the Pod's name, so a curl loop shows which Pods a Service really picks.

A Pod listens where the lesson says its app answers (`report.listens`, the simulator's one
convention): on its declared container ports, or, when it declares none, on every port its
Services send it. So a targetPort that misses the app's port fails in the cluster exactly as the
lesson says it would, and the header names each such port.

Deployments in one export never share a selector, nor select each other's Pods: a group whose
labels another group's Pods also carry gets `ktutor.dev/group` in its selector and template.
With `nodes=True` the Pods keep their lesson node (a Deployment per node, pinned by
`ktutor.dev/node`), for the lessons where the node matters (traffic policies, topology), and
`kind_config` gives a kind cluster whose workers carry those labels and their zones.

A lesson's cluster (`cluster.ip_families`) is the export's too: a dual-stack lesson's Services
are checked on a dual-stack cluster, and its kind config asks kind for one (`ipFamily: dual`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from tutor.course.lesson import Lesson
from tutor.model.analysis import Analysis, analyze
from tutor.model.endpoints import TERMINAL_PHASES
from tutor.model.network import ClusterNetwork
from tutor.model.objects import DEFAULT_NAMESPACE, ContainerPort, Pod, Service

IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.53"
CURL_IMAGE = "curlimages/curl:8.10.1"
GROUP_LABEL = "ktutor.dev/group"
"""Added to Pods that have no labels at all (a Deployment needs a non-empty selector) or whose
labels would let another Deployment's selector pick them."""
NODE_LABEL = "ktutor.dev/node"
"""On the kind config's workers: the lesson's node name, which `nodes=True` Pods select."""
DEFAULT_ZONES = ("zone-a", "zone-b", "zone-c")


class ExportError(Exception):
    """Nothing sensible to export: a one-line message, and the exit code (2 bad usage, 1 an
    invalid manifest)."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


@dataclass(slots=True)
class Group:
    """Pods that become one Deployment."""

    namespace: str
    labels: dict[str, str]
    declared: tuple[ContainerPort, ...]
    listen: tuple[tuple[int, str], ...]
    """(port, protocol) the containers listen on."""
    ready: bool
    pods: list[Pod] = field(default_factory=list)
    name: str = ""
    node: str = ""
    """The lesson node its Pods are pinned to (only with `nodes=True`)."""
    tagged: bool = False
    """Selects by `GROUP_LABEL` too: its labels alone would select another group's Pods."""


@dataclass(slots=True)
class Export:
    text: str
    groups: list[Group]
    services: list[Service]
    skipped: list[str]
    kind: str = ""
    """A kind cluster config for this export (`kind_config`)."""


def _endpoint_ports(analysis: Analysis) -> dict[str, set[tuple[int, str]]]:
    """pod ref -> the (port, protocol) the Services send it, from the model's endpoints."""
    out: dict[str, set[tuple[int, str]]] = {}
    for sr in analysis.services:
        for pr in sr.ports:
            for ep in pr.endpoints:
                out.setdefault(ep.pod.ref, set()).add((ep.port, pr.port.protocol))
    return out


def _dns_label(text: str) -> str:
    name = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")[:40].strip("-")
    return name or "pods"


def _group_name(group: Group) -> str:
    owners = {p.owner for p in group.pods}
    if len(owners) == 1 and (owner := next(iter(owners))):
        return _dns_label(owner.split("/", 1)[1])
    names = [p.name for p in group.pods]
    if len(names) == 1:
        return _dns_label(names[0])
    prefix = names[0]
    for n in names[1:]:
        while not n.startswith(prefix):
            prefix = prefix[:-1]
    return _dns_label(prefix.rstrip("-0123456789") or names[0])


def group_pods(analysis: Analysis, nodes: bool = False) -> tuple[list[Group], list[str]]:
    """Pods -> Deployment groups (by namespace, labels, ports, readiness, and node with
    `nodes`); Pods that cannot be reproduced with a Deployment (finished, never started,
    terminating) are skipped with why."""
    listen_by_pod = _endpoint_ports(analysis)
    groups: dict[tuple[Any, ...], Group] = {}
    skipped: list[str] = []
    for pod in analysis.cluster.pods:
        if pod.phase in TERMINAL_PHASES:
            skipped.append(f"Pod {pod.ref}: phase {pod.phase} (finished Pods are not exported)")
            continue
        if not pod.ip:
            skipped.append(f"Pod {pod.ref}: not running in the lesson (no IP)")
            continue
        if pod.terminating:
            skipped.append(f"Pod {pod.ref}: terminating in the lesson")
            continue
        declared = tuple(
            sorted(
                (cp for cp in pod.ports if cp.container_port),
                key=lambda c: (c.container_port, c.protocol, c.name),
            )
        )
        if declared:
            listen = tuple(sorted({(cp.container_port, cp.protocol) for cp in declared}))
        else:
            listen = tuple(sorted(listen_by_pod.get(pod.ref, set())))
        node = pod.node_name if nodes else ""
        key = (
            pod.namespace,
            tuple(sorted(pod.labels.items())),
            tuple((c.name, c.container_port, c.protocol) for c in declared),
            listen,
            pod.ready,
            node,
        )
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(
                pod.namespace, dict(pod.labels), declared, listen, pod.ready, node=node
            )
        group.pods.append(pod)
    taken: set[tuple[str, str]] = set()
    for group in groups.values():
        base = _group_name(group)
        if group.node:
            base = _dns_label(f"{base}-{group.node}")
        name, n = base, 2
        while (group.namespace, name) in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add((group.namespace, name))
        group.name = name
    out = list(groups.values())
    for g in out:
        g.tagged = not g.labels or any(
            h is not g
            and h.namespace == g.namespace
            and all(h.labels.get(k) == v for k, v in g.labels.items())
            for h in out
        )
    return out, skipped


def _containers(group: Group) -> list[dict[str, Any]]:
    """One agnhost container per listening port number (TCP and UDP share the number)."""
    numbers = sorted({port for port, _ in group.listen})
    containers: list[dict[str, Any]] = []
    for port in numbers:
        args = ["netexec", f"--http-port={port}"]
        if len(numbers) > 1:
            # netexec also opens UDP 8081 by default: two containers would collide on it
            args.append(f"--udp-port={port}")
        elif any(proto == "UDP" for p, proto in group.listen if p == port):
            args.append(f"--udp-port={port}")
        c: dict[str, Any] = {
            "name": "app" if len(numbers) == 1 else f"app-{port}",
            "image": IMAGE,
            "args": args,
        }
        ports = [
            {
                k: v
                for k, v in (
                    ("name", cp.name),
                    ("containerPort", cp.container_port),
                    ("protocol", cp.protocol),
                )
                if v
            }
            for cp in group.declared
            if cp.container_port == port
        ]
        if ports:
            c["ports"] = ports
        if not group.ready:
            # the lesson's Pod is not Ready: a probe that can never pass keeps it that way
            c["readinessProbe"] = {"tcpSocket": {"port": 1}, "periodSeconds": 5}
        containers.append(c)
    if not containers:
        containers.append({"name": "app", "image": IMAGE, "args": ["netexec", "--http-port=8080"]})
    return containers


def deployment(group: Group) -> dict[str, Any]:
    labels = dict(group.labels)
    if group.tagged:
        labels[GROUP_LABEL] = group.name
    meta: dict[str, Any] = {"name": group.name}
    if group.namespace != DEFAULT_NAMESPACE:
        meta["namespace"] = group.namespace
    pod_spec: dict[str, Any] = {"containers": _containers(group)}
    if group.node:
        pod_spec["nodeSelector"] = {NODE_LABEL: group.node}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": {
            "replicas": len(group.pods),
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": pod_spec,
            },
        },
    }


def _raw_service(analysis: Analysis, svc: Service) -> dict[str, Any]:
    data: Any = analysis.parsed.documents[svc.source.document].data
    for seg in svc.source.prefix:
        data = data[seg]
    raw = copy.deepcopy(data)
    raw.pop("status", None)
    meta = raw.get("metadata") or {}
    raw["metadata"] = {
        k: meta[k] for k in ("name", "namespace", "labels", "annotations") if k in meta
    }
    spec = raw.get("spec") or {}
    if spec.get("clusterIP") not in (None, "None"):
        spec.pop("clusterIP", None)
        spec.pop("clusterIPs", None)
    elif spec.get("clusterIP") == "None":
        spec.pop("clusterIPs", None)
    return dict(raw)


def _urls(services: Iterable[Service]) -> list[str]:
    urls = []
    for svc in services:
        if svc.type == "ExternalName":
            continue
        for sp in svc.ports:
            if sp.protocol == "TCP":
                urls.append(f"http://{svc.dns_name}:{sp.port}/hostname")
    return urls


def _header(
    lesson: Lesson,
    where: str,
    groups: list[Group],
    services: list[Service],
    analysis: Analysis,
    skipped: list[str],
    namespaces: list[str],
) -> list[str]:
    by_pod = {p.ref: g for g in groups for p in g.pods}
    needs_kind = lesson.network.dual_stack or any(g.node for g in groups)
    run = (
        "Run it on the kind cluster described at the end (`kind create cluster --config kind.yaml`):"
        if needs_kind
        else "Run it (kind: `kind create cluster`; minikube: `minikube start`):"
    )
    lines = [
        f"ktutor export: lesson {lesson.id!r} ({lesson.title}), {where}",
        "",
        "The Services are as in the lesson. Each group of Pods with the same labels and ports",
        f"became a Deployment running {IMAGE}",
        "(`netexec`: answers /hostname with the Pod's name). Pod names in a real cluster",
        "come from the Deployment, so compare by Deployment.",
        "",
        run,
        "  kubectl apply -f THIS-FILE.yaml",
    ]
    lines += [
        f"  kubectl rollout status deployment/{g.name}"
        + (f" -n {g.namespace}" if g.namespace != DEFAULT_NAMESPACE else "")
        + " --timeout=120s"
        for g in groups
        if g.ready
    ]
    urls = _urls(services)
    if urls:
        loop = "; ".join(f"curl -s --max-time 2 {u}; echo" for u in urls)
        lines += [
            "Then watch which Pods answer (Ctrl-C to stop):",
            f"  kubectl run client --image={CURL_IMAGE} --restart=Never -it --rm -- \\",
            f"    sh -c 'while true; do {loop}; sleep 1; done'",
        ]
    lines += ["What ktutor expects:"]
    for sr in analysis.services:
        for pr in sr.ports:
            used = sorted({by_pod[ep.pod.ref].name for ep in pr.used if ep.pod.ref in by_pod})
            who = ", ".join(f"Pods of deployment/{n}" for n in used) or "no Pod (refused)"
            lines.append(f"  {sr.service.ref} port {pr.port.label}: {who}")
    lines += [
        "Compare with the cluster's own view:",
        "  kubectl get svc,pods,endpointslices -o yaml > snapshot.yaml",
        "  ktutor route snapshot.yaml --compare",
        "Clean up:",
        "  kubectl delete -f THIS-FILE.yaml",
    ]
    if namespaces:
        lines.append(f"  (this also deletes namespace(s) {', '.join(namespaces)})")
    if skipped:
        lines += ["Not exported:"] + [f"  {s}" for s in skipped]
    if any(not g.ready for g in groups):
        lines.append(
            "Pods that are not Ready in the lesson get a readiness probe that never passes."
        )
    if any(g.tagged for g in groups):
        lines.append(
            f"Some Pods got `{GROUP_LABEL}` so that no two Deployments select the same Pods "
            "(or Pods with no labels can be selected); the Services do not use it."
        )
    lines += _refusals(analysis, by_pod)
    lines += _kind_notes(services, any(g.node for g in groups), lesson.network)
    return ["# " + line if line else "#" for line in lines]


def _refusals(analysis: Analysis, by_pod: dict[str, Group]) -> list[str]:
    """The ports a Service sends to where the lesson's Pods do not listen (refused in the
    lesson, so not opened in the cluster either)."""
    from tutor.model.report import declared_ports, listens

    out: list[str] = []
    for sr in analysis.services:
        for pr in sr.ports:
            for ep in pr.endpoints:
                group = by_pod.get(ep.pod.ref)
                if group is None or listens(ep.pod, ep.port, pr.port.protocol) is not False:
                    continue
                ports = ", ".join(map(str, declared_ports(ep.pod, pr.port.protocol))) or "none"
                line = (
                    f"  {sr.service.ref} port {pr.port.label} sends to {ep.port}: "
                    f"deployment/{group.name} does not listen there (its Pods declare "
                    f"{pr.port.protocol} {ports}): refused, as in the lesson."
                )
                if line not in out:
                    out.append(line)
    return ["Refused on purpose:", *out] if out else []


def _kind_notes(services: list[Service], pinned: bool, network: ClusterNetwork) -> list[str]:
    """What NodePort and LoadBalancer Services do on kind, whose nodes are containers, and
    the cluster a dual-stack lesson needs."""
    out: list[str] = []
    if network.dual_stack:
        out += [
            "Dual-stack: the lesson's cluster has IPv4 and IPv6 (a single-stack cluster refuses",
            "  a Service that asks for IPv6). Create one with the kind config ktutor writes",
            "  (`--kind-config kind.yaml`, networking.ipFamily: dual):",
            "  kind create cluster --config kind.yaml",
        ]
    types = {s.type for s in services}
    if types & {"NodePort", "LoadBalancer"}:
        out += [
            "NodePort on kind: the nodes are containers, so reach a nodePort from inside the",
            "  cluster (the client Pod) at http://NODE-INTERNAL-IP:NODEPORT/hostname",
            "  (`kubectl get nodes -o wide`); from your own machine only through the kind",
            "  config's extraPortMappings.",
        ]
    if "LoadBalancer" in types:
        out += [
            "LoadBalancer on kind: EXTERNAL-IP stays <pending> (kind has no cloud load",
            "  balancer) unless you run cloud-provider-kind; the Service's nodePort and",
            "  ClusterIP work as in the lesson meanwhile.",
        ]
    if pinned:
        out += [
            f"The Pods stay on their lesson nodes (nodeSelector {NODE_LABEL}): create the",
            "  cluster with the kind config ktutor writes (`--kind-config kind.yaml`):",
            "  kind create cluster --config kind.yaml",
        ]
    return out


def kind_config(analysis: Analysis, network: ClusterNetwork | None = None) -> str:
    """A kind cluster with one worker per lesson node (at least two), each labelled with
    `NODE_LABEL` and `topology.kubernetes.io/zone` (the lesson's zone, else zone-a, b, c...):
    for the lessons where nodes matter (internal/externalTrafficPolicy Local, topology).
    A dual-stack `network` asks for a dual-stack cluster (kind's `ipFamily: dual`)."""
    names = [n for n in analysis.cluster.nodes if n] or ["node-1", "node-2"]
    if len(names) < 2:
        names.append("node-2" if names[0] != "node-2" else "node-1")
    nodes: list[dict[str, Any]] = [{"role": "control-plane"}]
    for i, name in enumerate(names):
        zone = analysis.cluster.zone_of(name) or DEFAULT_ZONES[i % len(DEFAULT_ZONES)]
        nodes.append(
            {
                "role": "worker",
                "labels": {NODE_LABEL: name, "topology.kubernetes.io/zone": zone},
            }
        )
    config: dict[str, Any] = {"kind": "Cluster", "apiVersion": "kind.x-k8s.io/v1alpha4"}
    if network is not None and network.dual_stack:
        config["networking"] = {"ipFamily": "dual"}
    config["nodes"] = nodes
    head = (
        "# ktutor: a kind cluster whose workers stand for the lesson's nodes\n"
        "#   kind create cluster --config THIS-FILE.yaml\n"
    )
    return head + yaml.safe_dump(config, sort_keys=False, default_flow_style=False)


def pick_manifest(
    lesson: Lesson, step: int | None = None, challenge: str | None = None, solution: bool = False
) -> tuple[str, str]:
    """(manifest text, a phrase saying which) for a 1-based step or a challenge id."""
    if challenge is not None:
        for ch in lesson.challenges:
            if ch.id == challenge:
                if solution:
                    return ch.solution, f"challenge {ch.id!r}, reference solution"
                return ch.manifest, f"challenge {ch.id!r}, starting manifest"
        known = ", ".join(ch.id for ch in lesson.challenges) or "none"
        raise ExportError(
            f"lesson {lesson.id!r} has no challenge {challenge!r}; challenges: {known}"
        )
    n = 1 if step is None else step
    if not 1 <= n <= max(1, len(lesson.steps)):
        raise ExportError(f"lesson {lesson.id!r} has steps 1 to {len(lesson.steps)}, not {n}")
    if not lesson.steps:
        return lesson.manifest, "the lesson's manifest"
    return lesson.step_manifest(n - 1), f"step {n}: {lesson.steps[n - 1].title}"


def _hand_written_slices(analysis: Analysis) -> list[dict[str, Any]]:
    """The input's EndpointSlices as written (a selector-less Service's endpoints, such as an
    outside database): no controller would write them on kind, so they go along. Slices the
    EndpointSlice controller manages, and v1 Endpoints the model mirrored, are left to the
    cluster's controllers."""
    out = []
    for s in analysis.cluster.slices:
        data: Any = analysis.parsed.documents[s.source.document].data
        for seg in s.source.prefix:
            data = data[seg]
        if data.get("kind") != "EndpointSlice" or s.managed_by == CONTROLLER:
            continue
        raw = copy.deepcopy(data)
        meta = raw.get("metadata") or {}
        raw["metadata"] = {
            k: meta[k] for k in ("name", "namespace", "labels", "annotations") if k in meta
        }
        out.append(raw)
    return out


CONTROLLER = "endpointslice-controller.k8s.io"
"""`endpointslice.kubernetes.io/managed-by` of the slices the controller writes itself."""


def export_text(lesson: Lesson, text: str, where: str, nodes: bool = False) -> Export:
    """The export of one manifest (see the module docstring); `nodes` pins Pods to their
    lesson nodes (use with `kind_config`)."""
    network = lesson.network
    analysis = analyze(text, network=network)
    if not analysis.valid:
        first = analysis.errors[0] if analysis.errors else None
        detail = f"line {first.line}: {first.message}" if first else "it does not parse"
        raise ExportError(
            f"the manifest of {where} is invalid ({detail}); a cluster would "
            "reject it, so there is nothing to export",
            code=1,
        )
    groups, skipped = group_pods(analysis, nodes)
    namespaces = sorted(
        {g.namespace for g in groups} | {s.namespace for s in analysis.cluster.services}
    )
    namespaces = [ns for ns in namespaces if ns != DEFAULT_NAMESPACE]
    objects: list[dict[str, Any]] = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}} for ns in namespaces
    ]
    objects += [_raw_service(analysis, svc) for svc in analysis.cluster.services]
    objects += [deployment(g) for g in groups]
    objects += _hand_written_slices(analysis)
    for ig in analysis.cluster.ignored:
        skipped.append(f"{ig.kind} {ig.namespace}/{ig.name}: not modelled by ktutor")
    # the lesson's Node objects: a real cluster has its own nodes
    given = [n.name for n in analysis.cluster.node_info.values() if not n.simulated]
    if given:
        skipped.append(
            f"Node {', '.join(given)}: "
            + (
                "the kind config's workers stand for them"
                if nodes
                else "a cluster has its own nodes; --nodes --kind-config kind.yaml gives kind "
                "workers with the lesson's node names and zones"
            )
        )
    header = _header(
        lesson, where, groups, analysis.cluster.services, analysis, skipped, namespaces
    )
    body = "---\n".join(
        yaml.safe_dump(o, sort_keys=False, default_flow_style=False) for o in objects
    )
    return Export(
        "\n".join(header) + "\n" + body,
        groups,
        list(analysis.cluster.services),
        skipped,
        kind_config(analysis, network),
    )
