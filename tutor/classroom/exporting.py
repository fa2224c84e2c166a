"""A lesson step's manifests, made real: YAML a learner can `kubectl apply` on kind or minikube.

Services are kept as the step wrote them (minus a hard-coded clusterIP, which the real cluster
allocates). The model's Pods, simulated or bare, become Deployments: Pods with the same labels,
ports and readiness form one group, and each group runs agnhost `netexec`, which answers
`/hostname` with the Pod's name, so a curl loop shows which Pods a Service really picks.

A Pod listens where the lesson says its app listens: on its declared container ports, or, when it
declares none, on the ports the Service sends it. So a targetPort that misses the app's port fails
in the cluster exactly as the lesson says it would.
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
from tutor.model.objects import DEFAULT_NAMESPACE, ContainerPort, Pod, Service

IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.53"
CURL_IMAGE = "curlimages/curl:8.10.1"
GROUP_LABEL = "ktutor.dev/group"
"""Added only to Pods that have no labels at all: a Deployment needs a non-empty selector."""


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


@dataclass(slots=True)
class Export:
    text: str
    groups: list[Group]
    services: list[Service]
    skipped: list[str]


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


def group_pods(analysis: Analysis) -> tuple[list[Group], list[str]]:
    """Pods -> Deployment groups (by namespace, labels, ports, readiness); Pods that cannot be
    reproduced with a Deployment (finished, never started, terminating) are skipped with why."""
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
        key = (
            pod.namespace,
            tuple(sorted(pod.labels.items())),
            tuple((c.name, c.container_port, c.protocol) for c in declared),
            listen,
            pod.ready,
        )
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(
                pod.namespace, dict(pod.labels), declared, listen, pod.ready
            )
        group.pods.append(pod)
    taken: set[tuple[str, str]] = set()
    for group in groups.values():
        base = _group_name(group)
        name, n = base, 2
        while (group.namespace, name) in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add((group.namespace, name))
        group.name = name
    return list(groups.values()), skipped


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
    labels = dict(group.labels) or {GROUP_LABEL: group.name}
    meta: dict[str, Any] = {"name": group.name}
    if group.namespace != DEFAULT_NAMESPACE:
        meta["namespace"] = group.namespace
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": {
            "replicas": len(group.pods),
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {"containers": _containers(group)},
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
    lines = [
        f"ktutor export: lesson {lesson.id!r} ({lesson.title}), {where}",
        "",
        "The Services are as in the lesson. Each group of Pods with the same labels and ports",
        f"became a Deployment running {IMAGE}",
        "(`netexec`: answers /hostname with the Pod's name). Pod names in a real cluster",
        "come from the Deployment, so compare by Deployment.",
        "",
        "Run it (kind: `kind create cluster`; minikube: `minikube start`):",
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
    if any(not g.labels for g in groups):
        lines.append(
            f"Pods without labels got `{GROUP_LABEL}` so their Deployment can select them."
        )
    return ["# " + line if line else "#" for line in lines]


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


def export_text(lesson: Lesson, text: str, where: str) -> Export:
    analysis = analyze(text)
    if not analysis.valid:
        first = analysis.errors[0] if analysis.errors else None
        detail = f"line {first.line}: {first.message}" if first else "it does not parse"
        raise ExportError(
            f"the manifest of {where} is invalid ({detail}); a cluster would "
            "reject it, so there is nothing to export",
            code=1,
        )
    groups, skipped = group_pods(analysis)
    namespaces = sorted(
        {g.namespace for g in groups} | {s.namespace for s in analysis.cluster.services}
    )
    namespaces = [ns for ns in namespaces if ns != DEFAULT_NAMESPACE]
    objects: list[dict[str, Any]] = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}} for ns in namespaces
    ]
    objects += [_raw_service(analysis, svc) for svc in analysis.cluster.services]
    objects += [deployment(g) for g in groups]
    for ig in analysis.cluster.ignored:
        skipped.append(f"{ig.kind} {ig.namespace}/{ig.name}: not modelled by ktutor")
    header = _header(
        lesson, where, groups, analysis.cluster.services, analysis, skipped, namespaces
    )
    body = "---\n".join(
        yaml.safe_dump(o, sort_keys=False, default_flow_style=False) for o in objects
    )
    return Export("\n".join(header) + "\n" + body, groups, list(analysis.cluster.services), skipped)
