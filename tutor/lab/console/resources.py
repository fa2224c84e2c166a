"""The resource types the console knows, and each object as the API server would return it.

Names and short names follow `kubectl api-resources` (the table is
`tutor.model.console_words.RESOURCE_NAMES`, which lint and `ran` goals read too); each object's
dict is what `kubectl get -o yaml` prints (defaulted fields included, status as the controllers
and kubelet set it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutor.model.console_words import RESOURCE_NAMES
from tutor.model.manifests import container_statuses
from tutor.model.objects import ContainerReadiness, Pod, Service, Termination, Workload

from .podstatus import GATED_MESSAGE, grace_seconds, pod_conditions, simulated_status, unscheduled
from .world import KUBERNETES_VERSION, World, containers, hex_id, init_containers, uid


@dataclass(frozen=True, slots=True)
class Resource:
    plural: str
    kind: str
    group: str
    names: tuple[str, ...]
    namespaced: bool = True

    @property
    def qualified(self) -> str:
        """`services`, `endpointslices.discovery.k8s.io`: how NotFound errors name it."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def prefix(self) -> str:
        """`service`, `deployment.apps`: the `-o name` and multi-type NAME prefix."""
        base = self.kind.lower()
        return f"{base}.{self.group}" if self.group else base


RESOURCES = [
    Resource("pods", "Pod", "", RESOURCE_NAMES["pods"]),
    Resource("services", "Service", "", RESOURCE_NAMES["services"]),
    Resource(
        "endpointslices",
        "EndpointSlice",
        "discovery.k8s.io",
        RESOURCE_NAMES["endpointslices.discovery.k8s.io"],
    ),
    Resource("endpoints", "Endpoints", "", RESOURCE_NAMES["endpoints"]),
    Resource("deployments", "Deployment", "apps", RESOURCE_NAMES["deployments.apps"]),
    Resource("replicasets", "ReplicaSet", "apps", RESOURCE_NAMES["replicasets.apps"]),
    Resource("statefulsets", "StatefulSet", "apps", RESOURCE_NAMES["statefulsets.apps"]),
    Resource("nodes", "Node", "", RESOURCE_NAMES["nodes"], namespaced=False),
    Resource("namespaces", "Namespace", "", RESOURCE_NAMES["namespaces"], namespaced=False),
]
EMPTY = {
    qualified: names
    for qualified, names in RESOURCE_NAMES.items()
    if qualified not in {r.qualified for r in RESOURCES}
}
"""Real resource types a lesson's cluster has none of: `get` finds nothing, as it would."""


def find(name: str) -> Resource | str | None:
    """The resource `name` means (any case, `plural.group` accepted); a str for a known type
    with no objects here; None for a type the server does not have."""
    low = name.lower()
    for res in RESOURCES:
        if low in res.names or low in (res.qualified, f"{res.kind.lower()}.{res.group}"):
            return res
    for qualified, names in EMPTY.items():
        if low in names or low == qualified:
            return qualified
    return None


def _meta(
    world: World, kind: str, namespace: str, name: str, labels: dict[str, str]
) -> dict[str, Any]:
    key = f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}"
    meta: dict[str, Any] = {
        "creationTimestamp": world.clock.created(key).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": name,
        "resourceVersion": str(_rv(key)),
        "uid": uid(key),
    }
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = dict(labels)
    return meta


def _rv(key: str) -> int:
    from tutor.model.manifests import stable_hash

    return 400 + stable_hash("rv", key) % 90000


def service_dict(world: World, svc: Service) -> dict[str, Any]:
    ports: list[dict[str, Any]] = []
    for p in svc.ports:
        port: dict[str, Any] = {"port": p.port, "protocol": p.protocol, "targetPort": p.target_port}
        if p.name:
            port["name"] = p.name
        if p.node_port:
            port["nodePort"] = p.node_port
        if p.app_protocol:
            port["appProtocol"] = p.app_protocol
        ports.append(port)
    spec: dict[str, Any] = {"type": svc.type, "sessionAffinity": svc.session_affinity}
    if ports:
        spec["ports"] = ports
    if svc.selector:
        spec["selector"] = dict(svc.selector)
    if svc.type != "ExternalName":
        spec["clusterIP"] = svc.cluster_ip
        spec["clusterIPs"] = list(svc.cluster_ips or [svc.cluster_ip])
        spec["ipFamilies"] = ip_families(svc)
        spec["ipFamilyPolicy"] = svc.ip_family_policy or "SingleStack"
        spec["internalTrafficPolicy"] = svc.internal_traffic_policy or "Cluster"
    else:
        spec["externalName"] = svc.external_name
    if svc.external_traffic_policy:
        spec["externalTrafficPolicy"] = svc.external_traffic_policy
    if svc.external_ips:
        spec["externalIPs"] = list(svc.external_ips)
    if svc.publish_not_ready:
        spec["publishNotReadyAddresses"] = True
    if svc.session_affinity == "ClientIP":
        spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": svc.affinity_timeout}}
    if svc.type == "LoadBalancer" and not svc.allocate_node_ports:
        spec["allocateLoadBalancerNodePorts"] = False
    if svc.health_check_node_port:
        spec["healthCheckNodePort"] = svc.health_check_node_port
    if svc.source_ranges:
        spec["loadBalancerSourceRanges"] = list(svc.source_ranges)
    if svc.traffic_distribution:
        spec["trafficDistribution"] = svc.traffic_distribution
    status: dict[str, Any] = {"loadBalancer": {}}
    if svc.type == "LoadBalancer" and svc.ingress_ips:
        status["loadBalancer"] = {
            "ingress": [{"ip": ip, "ipMode": "VIP"} for ip in svc.ingress_ips]
        }
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta(world, "Service", svc.namespace, svc.name, svc.labels),
        "spec": spec,
        "status": status,
    }


def ip_families(svc: Service) -> list[str]:
    """`spec.ipFamilies`: the allocator's, else the ClusterIPs' families."""
    if svc.ip_families:
        return list(svc.ip_families)
    ips = svc.cluster_ips or [svc.cluster_ip]
    return ["IPv6" if ":" in ip else "IPv4" for ip in ips if ip and ip != "None"] or ["IPv4"]


def _termination(t: Termination) -> dict[str, Any]:
    out: dict[str, Any] = {"exitCode": t.exit_code}
    for key, value in (
        ("reason", t.reason),
        ("message", t.message),
        ("startedAt", t.started_at),
        ("finishedAt", t.finished_at),
    ):
        if value:
            out[key] = value
    if t.signal:
        out["signal"] = t.signal
    return out


def container_status(
    pod: Pod,
    name: str,
    image: str,
    created: str,
    said: ContainerReadiness | None,
    completed: bool = False,
) -> dict[str, Any]:
    """One entry of `status.containerStatuses` (or `initContainerStatuses`): the file's own
    (state, last state, readiness, restart count), else the simulator's (running since the
    Pod started, ready with the Pod, never restarted; a plain init container, `completed`,
    exited 0 as the Pod started)."""
    out: dict[str, Any] = {
        "containerID": f"containerd://{hex_id(pod.ref, name)}",
        "image": image,
        "imageID": f"{image}@sha256:{hex_id(image)}",
        "lastState": {},
        "name": name,
    }
    if said is None or not said.listed:
        said = simulated_status(pod, name, created, completed)
    if said.terminated and said.ended is not None:
        state: dict[str, Any] = {"terminated": _termination(said.ended)}
    elif said.waiting:
        state = {"waiting": {"reason": said.waiting}}
    elif said.running_since is not None:
        state = {"running": {"startedAt": said.running_since} if said.running_since else {}}
    else:
        state = {"waiting": {}}
    if said.last_ended is not None:
        out["lastState"] = {"terminated": _termination(said.last_ended)}
    out |= {"ready": bool(said.ready), "restartCount": said.restart_count, "state": state}
    if said.started is not None:
        out["started"] = said.started
    return out


def _ports(pod: Pod, container: str, sidecar: bool) -> list[dict[str, Any]]:
    """A container's `ports` as the API returns them."""
    return [
        {
            k: v
            for k, v in (
                ("containerPort", cp.container_port),
                ("name", cp.name),
                ("protocol", cp.protocol),
            )
            if v != ""
        }
        for cp in pod.ports
        if cp.container == container and cp.sidecar == sidecar
    ]


def pod_dict(world: World, pod: Pod) -> dict[str, Any]:
    spec_in = world.pod_spec(pod)
    conts = containers(spec_in) or [("app", "")]
    spec_containers: list[dict[str, Any]] = []
    for name, image in conts:
        c: dict[str, Any] = {"image": image, "imagePullPolicy": "Always", "name": name}
        ports = _ports(pod, name, sidecar=False)
        if ports:
            c["ports"] = ports
        c["resources"] = {}
        c["terminationMessagePath"] = "/dev/termination-log"
        c["terminationMessagePolicy"] = "File"
        spec_containers.append(c)
    spec: dict[str, Any] = {
        "containers": spec_containers,
        "dnsPolicy": "ClusterFirst",
        "enableServiceLinks": True,
        "preemptionPolicy": "PreemptLowerPriority",
        "priority": 0,
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "serviceAccount": "default",
        "serviceAccountName": "default",
        "terminationGracePeriodSeconds": 30,
    }
    if pod.node_name:
        spec["nodeName"] = pod.node_name
    if pod.hostname:
        spec["hostname"] = pod.hostname
    if pod.subdomain:
        spec["subdomain"] = pod.subdomain
    gates = spec_in.get("schedulingGates")
    if isinstance(gates, list) and gates:
        spec["schedulingGates"] = [
            {"name": str(g.get("name", ""))} for g in gates if isinstance(g, dict)
        ]
    created = world.clock.created(f"Pod/{pod.namespace}/{pod.name}").strftime("%Y-%m-%dT%H:%M:%SZ")
    conditions: list[dict[str, Any]] = []
    for t, s, why in pod_conditions(pod):
        cond: dict[str, Any] = {"lastProbeTime": None, "lastTransitionTime": created}
        if why:
            cond |= {"message": GATED_MESSAGE, "reason": why}
        conditions.append(cond | {"status": s, "type": t})
    status: dict[str, Any] = {
        "conditions": conditions,
        "phase": pod.phase,
        "qosClass": "BestEffort",
    }
    if not unscheduled(pod):
        status["startTime"] = created  # the kubelet sets it when it takes the Pod
    if pod.node_name:
        status["hostIP"] = world.node_ip(pod.node_name)
        status["hostIPs"] = [{"ip": status["hostIP"]}]
    if pod.ip:
        status["podIP"] = pod.ip
        status["podIPs"] = [{"ip": pod.ip}]
    if pod.status_reason:
        status["reason"] = pod.status_reason
    if pod.status_message:
        status["message"] = pod.status_message
    said = {c.container: c for c in container_statuses(pod)}
    # no node has an unscheduled Pod: nothing reports its containers
    seen = not unscheduled(pod) or any(c.listed for c in said.values())
    if seen:
        status["containerStatuses"] = [
            container_status(pod, n, i, created, said.get(n)) for n, i in conts
        ]
    inits = init_containers(spec_in)
    if inits:
        spec["initContainers"] = [
            {
                "image": i,
                "imagePullPolicy": "Always",
                "name": n,
                **({"ports": ports} if (ports := _ports(pod, n, sidecar=side)) else {}),
                "resources": {},
                **({"restartPolicy": "Always"} if side else {}),
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
            }
            for n, i, side in inits
        ]
    if inits and seen:
        status["initContainerStatuses"] = [
            container_status(pod, n, i, created, said.get(n), completed=not side)
            for n, i, side in inits
        ]
    meta = _meta(world, "Pod", pod.namespace, pod.name, pod.labels)
    if pod.terminating:
        meta["deletionGracePeriodSeconds"] = grace_seconds(pod)
        meta["deletionTimestamp"] = pod.deleted_at
    if pod.owner:
        kind, _, name = pod.owner.partition("/")
        owner_kind, owner_name = kind, name
        if kind == "Deployment":
            wl = next((w for w in world.deployments if w.ref == pod.owner), None)
            owner_kind = "ReplicaSet"
            owner_name = f"{name}-{wl.template_hash}" if wl else name
        meta["ownerReferences"] = [
            {
                "apiVersion": "apps/v1",
                "blockOwnerDeletion": True,
                "controller": True,
                "kind": owner_kind,
                "name": owner_name,
                "uid": uid(f"{owner_kind}/{pod.namespace}/{owner_name}"),
            }
        ]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


CONTROLLERS = ("endpointslice-controller.k8s.io", "endpointslicemirroring-controller.k8s.io")
"""The `endpointslice.kubernetes.io/managed-by` values of the slices the cluster makes itself."""


def slice_dict(world: World, data: dict[str, Any]) -> dict[str, Any]:
    """An EndpointSlice as the API returns it: the controllers (EndpointSlice and mirroring)
    name their slices by `generateName` (the Service's name and a dash); a hand-written slice
    has none."""
    out = dict(data)
    meta = data["metadata"]
    labels = meta.get("labels", {})
    out["metadata"] = _meta(world, "EndpointSlice", meta["namespace"], meta["name"], labels)
    if labels.get("endpointslice.kubernetes.io/managed-by") in CONTROLLERS:
        out["metadata"]["generateName"] = meta["name"].rsplit("-", 1)[0] + "-"
    return out


def endpoints_dict(world: World, svc: Service) -> dict[str, Any]:
    """The legacy Endpoints object; the controller copies each Service port's `appProtocol`
    into its ports (K · pkg/controller/endpoint · `endpointPortFromServicePort`); a hand-written
    one keeps its own."""
    se = world.endpoints_of(svc)
    if se is not None and se.managed:
        app = {p.name: p.app_protocol for p in svc.ports}
    else:
        app = {
            n: a
            for e in world.analysis.cluster.endpoints_objects
            if e.name == svc.name and e.namespace == svc.namespace
            for n, a in e.app_protocols.items()
        }
    subsets = []
    for ready, not_ready, ports in world.subsets(svc):
        sub: dict[str, Any] = {}
        if ready:
            sub["addresses"] = [{"ip": ip} for ip in ready]
        if not_ready:
            sub["notReadyAddresses"] = [{"ip": ip} for ip in not_ready]
        if ports:
            sub["ports"] = [
                {
                    k: v
                    for k, v in (
                        ("name", n),
                        ("port", p),
                        ("protocol", pr),
                        ("appProtocol", app.get(n, "")),
                    )
                    if v != ""
                }
                for n, p, pr in ports
            ]
        subsets.append(sub)
    out: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": _meta(world, "Endpoints", svc.namespace, svc.name, svc.labels),
    }
    if subsets:
        out["subsets"] = subsets
    return out


def deployment_dict(world: World, wl: Workload, ready: int, replicas: int) -> dict[str, Any]:
    template = world.pod_template(wl)
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta(world, "Deployment", wl.namespace, wl.name, {}),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(wl.selector)},
            "template": template,
        },
        "status": {
            "availableReplicas": ready,
            "readyReplicas": ready,
            "replicas": replicas,
            "updatedReplicas": replicas,
        },
    }


def node_dict(world: World, node: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": _meta(
            world,
            "Node",
            "",
            node,
            {"kubernetes.io/hostname": node, "kubernetes.io/os": "linux"},
        ),
        "spec": {"podCIDR": f"10.244.{world.nodes.index(node) + 1}.0/24"},
        "status": {
            "addresses": [
                {"address": world.node_ip(node), "type": "InternalIP"},
                {"address": node, "type": "Hostname"},
            ],
            "nodeInfo": {"kubeletVersion": KUBERNETES_VERSION},
        },
    }
