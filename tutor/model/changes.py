"""The learner's changes to the simulated cluster, kept apart from the manifest they edit.

"Pods come and go, the Service stays": deleting, adding, scaling, marking not Ready, relabelling or
moving Pods changes the cluster, not the Service's YAML. The changes are data applied after every
parse, so they survive edits to the manifest. A deleted Pod that a workload owns comes back under a
new name with a new IP, as the ReplicaSet controller would replace it (StatefulSet Pods keep their
ordinal name and get a new IP).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .analysis import Analysis, analyze_parsed
from .manifests import (
    Parsed,
    assign_simulated,
    container_statuses,
    expand_workload,
    parse,
    workload_pod_name,
)
from .network import SINGLE_STACK, ClusterNetwork
from .objects import Cluster, ContainerReadiness, Pod, Source, Termination, Workload

MAX_ADDED = 200


@dataclass(slots=True)
class PodEdit:
    ready: bool | None = None
    labels: dict[str, str] | None = None
    node: str | None = None


@dataclass(slots=True)
class AddedPod:
    name: str
    namespace: str
    labels: dict[str, str]
    like: str = ""
    """`namespace/name` of the Pod it was copied from (its container ports), if any."""
    node: str = ""


def _wl_key(wl: Workload) -> str:
    return f"{wl.namespace}/{wl.kind}/{wl.name}"


@dataclass(slots=True)
class ClusterChanges:
    edits: dict[str, PodEdit] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    added: list[AddedPod] = field(default_factory=list)
    replicas: dict[str, int] = field(default_factory=dict)
    generations: dict[str, dict[int, int]] = field(default_factory=dict)
    counter: int = 0
    """Bumped by every change: names new Pods and lets views know something happened."""

    @property
    def empty(self) -> bool:
        return not (self.edits or self.deleted or self.added or self.replicas or self.generations)

    # -- operations -------------------------------------------------------------------------

    def delete_pod(self, cluster: Cluster, pod_ref: str) -> str:
        """Delete (crash) a Pod; a workload's Pod is replaced with a new name and IP."""
        pod = cluster.pod(pod_ref)
        if pod is None:
            return f"no Pod {pod_ref}"
        self.counter += 1
        self.edits.pop(pod.ref, None)
        wl = _owner(cluster, pod)
        if wl is not None:
            gens = self.generations.setdefault(_wl_key(wl), {})
            for i in range(self.replicas.get(_wl_key(wl), wl.replicas)):
                if workload_pod_name(wl, i, gens.get(i, 0)) == pod.name:
                    gens[i] = gens.get(i, 0) + 1
                    new = workload_pod_name(wl, i, gens[i])
                    if wl.kind == "StatefulSet":
                        return (
                            f"{pod.name} was deleted; the StatefulSet recreated it with the "
                            "same name and a new IP"
                        )
                    return (
                        f"{pod.name} crashed and was deleted; the {wl.kind} created {new} "
                        "with a new IP"
                    )
        for added in self.added:
            if f"{added.namespace}/{added.name}" == pod.ref:
                self.added.remove(added)
                return f"{pod.name} was deleted; nothing owns it, so it does not come back"
        self.deleted.add(pod.ref)
        return f"{pod.name} was deleted; it is a bare Pod, so nothing recreates it"

    def set_ready(self, pod_ref: str, ready: bool) -> None:
        self.counter += 1
        self.edits.setdefault(pod_ref, PodEdit()).ready = ready

    def set_labels(self, pod_ref: str, labels: dict[str, str]) -> None:
        self.counter += 1
        self.edits.setdefault(pod_ref, PodEdit()).labels = dict(labels)

    def move(self, pod_ref: str, node: str) -> None:
        self.counter += 1
        self.edits.setdefault(pod_ref, PodEdit()).node = node

    def add_pod(self, cluster: Cluster, like_ref: str | None = None) -> str:
        """Add a Pod: a replica more if `like` belongs to a workload, else a copy of `like`."""
        like = cluster.pod(like_ref) if like_ref else (cluster.pods[0] if cluster.pods else None)
        if like is not None and (wl := _owner(cluster, like)) is not None:
            key = _wl_key(wl)
            n = self.replicas.get(key, wl.replicas) + 1
            return self.scale(cluster, wl.ref, n, namespace=wl.namespace)
        if len(self.added) >= MAX_ADDED:
            return f"at most {MAX_ADDED} added Pods"
        self.counter += 1
        ns = like.namespace if like else "default"
        base = like.name.rstrip("0123456789-") if like else "pod"
        existing = {p.name for p in cluster.pods}
        n = 1
        while f"{base or 'pod'}-{n}" in existing:
            n += 1
        name = f"{base or 'pod'}-{n}"
        self.added.append(
            AddedPod(
                name, ns, dict(like.labels) if like else {"app": "demo"}, like.ref if like else ""
            )
        )
        return f"created Pod {name}" + (f" with {like.name}'s labels" if like else "")

    def scale(
        self, cluster: Cluster, workload_ref: str, replicas: int, namespace: str | None = None
    ) -> str:
        """Set a workload's replica count (`Kind/name`)."""
        for wl in cluster.workloads:
            if wl.ref == workload_ref and (namespace is None or wl.namespace == namespace):
                if wl.kind == "DaemonSet":
                    return (
                        f"{wl.ref} runs one Pod on each node it fits on ({len(wl.nodes)}); "
                        "it has no replica count to scale"
                    )
                replicas = max(0, min(replicas, 50))
                self.counter += 1
                self.replicas[_wl_key(wl)] = replicas
                return f"scaled {wl.ref} to {replicas} replica(s)"
        return f"no workload {workload_ref}"

    def reset(self) -> None:
        self.edits.clear()
        self.deleted.clear()
        self.added.clear()
        self.replicas.clear()
        self.generations.clear()
        self.counter += 1

    # -- persistence ------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "edits": {k: dataclasses.asdict(v) for k, v in self.edits.items()},
            "deleted": sorted(self.deleted),
            "added": [dataclasses.asdict(a) for a in self.added],
            "replicas": dict(self.replicas),
            "generations": {
                k: {str(i): g for i, g in v.items()} for k, v in self.generations.items()
            },
        }

    @classmethod
    def from_json(cls, data: Any) -> ClusterChanges:
        """Best effort: anything malformed is dropped rather than raised."""
        out = cls()
        if not isinstance(data, dict):
            return out
        try:
            for k, v in (data.get("edits") or {}).items():
                if isinstance(v, dict):
                    labels = v.get("labels")
                    out.edits[str(k)] = PodEdit(
                        v.get("ready") if isinstance(v.get("ready"), bool) else None,
                        {str(a): str(b) for a, b in labels.items()}
                        if isinstance(labels, dict)
                        else None,
                        v.get("node") if isinstance(v.get("node"), str) else None,
                    )
            out.deleted = {str(x) for x in data.get("deleted") or []}
            for a in (data.get("added") or [])[:MAX_ADDED]:
                if isinstance(a, dict) and isinstance(a.get("name"), str):
                    out.added.append(
                        AddedPod(
                            a["name"],
                            str(a.get("namespace", "default")),
                            {str(k): str(v) for k, v in (a.get("labels") or {}).items()},
                            str(a.get("like", "")),
                            str(a.get("node", "")),
                        )
                    )
            out.replicas = {str(k): int(v) for k, v in (data.get("replicas") or {}).items()}
            out.generations = {
                str(k): {int(i): int(g) for i, g in v.items()}
                for k, v in (data.get("generations") or {}).items()
            }
        except (TypeError, ValueError, AttributeError):
            return cls()
        return out

    # -- application ------------------------------------------------------------------------

    def apply(self, parsed: Parsed) -> Cluster:
        """A new Cluster: the parsed one with these changes applied (the input is not modified)."""
        base = parsed.cluster
        pods: list[Pod] = []
        rebuilt: set[str] = set()
        for wl in base.workloads:
            key = _wl_key(wl)
            if key in self.replicas or key in self.generations:
                rebuilt.add(wl.ref + "@" + wl.namespace)
        placed: set[str] = set()
        for pod in base.pods:
            owner = pod.owner + "@" + pod.namespace
            if pod.owner and owner in rebuilt:
                if owner not in placed:  # the workload's new Pods take its old Pods' place
                    placed.add(owner)
                    pods.extend(self._rebuild(parsed, base, pod))
                continue
            if pod.ref in self.deleted:
                continue
            pods.append(dataclasses.replace(pod, labels=dict(pod.labels)))
        for wl in base.workloads:  # scaled up from zero: no old Pod marked the place
            if wl.ref + "@" + wl.namespace in rebuilt - placed:
                pods.extend(self._expand(parsed, wl))
        for added in self.added:
            like = base.pod(added.like) if added.like else None
            pod = Pod(
                added.name,
                added.namespace,
                like.source if like else Source(-1),
                labels=dict(added.labels),
                ports=list(like.ports) if like else [],
                node_name=added.node,
                simulated=True,
            )
            pods.append(pod)
        moved: set[str] = set()
        for pod in pods:
            edit = self.edits.get(pod.ref)
            if edit is not None and edit.node and edit.node != pod.node_name:
                pod.node_name, pod.ip, pod.simulated = edit.node, "", True
                moved.add(pod.ref)
        cluster = dataclasses.replace(base, pods=pods)
        assign_simulated(cluster)
        for pod in pods:
            edit = self.edits.get(pod.ref)
            if edit is None:
                continue
            if edit.ready is not None:
                pod.ready = edit.ready
                pod.ready_condition = "True" if edit.ready else "False"
                pod.containers = _toggled(container_statuses(pod), edit.ready)
                pod.initialized = pod.initialized or edit.ready
                if edit.ready and pod.phase == "Pending":
                    pod.phase = "Running"  # its containers run now (the kubelet's phase)
            if edit.labels is not None:
                pod.labels = dict(edit.labels)
        return cluster

    def _rebuild(self, parsed: Parsed, base: Cluster, pod: Pod) -> list[Pod]:
        wl = _owner(base, pod)
        return self._expand(parsed, wl) if wl is not None else []

    def _expand(self, parsed: Parsed, wl: Workload) -> list[Pod]:
        scaled = dataclasses.replace(wl, replicas=self.replicas.get(_wl_key(wl), wl.replicas))
        new_pods = expand_workload(scaled, _template(parsed, wl), self.generations.get(_wl_key(wl)))
        for p in new_pods:
            p.simulated = True
        return new_pods


def _toggled(
    containers: tuple[ContainerReadiness, ...], ready: bool
) -> tuple[ContainerReadiness, ...]:
    """The file's container statuses after the learner marks the Pod Ready or not: Ready
    means every container runs and passes its probe (what was waiting or ended is over, the
    restart counts stay); not Ready leaves each container's readiness unknown, as a failing
    probe the simulator does not name (kubectl's READY counts them as not ready). A plain
    init container of a Ready Pod has run to completion."""
    if ready:
        return tuple(
            _completed(c)
            if c.init and c.listed
            else dataclasses.replace(
                c,
                ready=True,
                started=True,
                waiting="",
                terminated="",
                terminated_reason="",
                exit_code=None,
                ended=None,
                running_since=c.running_since if c.running_since is not None else "",
            )
            if c.listed
            else c
            for c in containers
        )
    return tuple(dataclasses.replace(c, ready=None) if c.ready else c for c in containers)


def _completed(c: ContainerReadiness) -> ContainerReadiness:
    """A plain init container that has exited 0, as the kubelet leaves it (not ready, not
    started, `Completed`); one that has already done so keeps its times."""
    if c.terminated and c.exit_code == 0:
        return c
    return dataclasses.replace(
        c,
        ready=False,
        started=False,
        waiting="",
        terminated="Completed, exit code 0",
        terminated_reason="Completed",
        exit_code=0,
        ended=Termination(reason="Completed"),
        running_since=None,
    )


def _owner(cluster: Cluster, pod: Pod) -> Workload | None:
    if not pod.owner:
        return None
    for wl in cluster.workloads:
        if wl.ref == pod.owner and wl.namespace == pod.namespace:
            return wl
    return None


def _template(parsed: Parsed, wl: Workload) -> dict[str, Any]:
    doc = (
        parsed.documents[wl.source.document]
        if 0 <= wl.source.document < len(parsed.documents)
        else None
    )
    data: Any = doc.data if doc else None
    for seg in wl.source.prefix:
        if isinstance(data, dict) and isinstance(seg, str):
            data = data.get(seg)
        elif isinstance(data, list) and isinstance(seg, int) and seg < len(data):
            data = data[seg]
        else:
            return {}
    return data if isinstance(data, dict) else {}


def analyze_with_changes(
    text: str,
    changes: ClusterChanges | None,
    from_node: str | None = None,
    network: ClusterNetwork | None = None,
) -> Analysis:
    """`analyze`, with the learner's cluster changes applied on top of the manifest's objects."""
    parsed = parse(text, network or SINGLE_STACK)
    if changes is not None and not changes.empty and parsed.documents:
        parsed.cluster = changes.apply(parsed)
    return analyze_parsed(parsed, text, from_node)
