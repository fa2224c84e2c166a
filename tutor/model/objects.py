"""Typed Kubernetes objects after decoding and defaulting: what the rest of the core works on."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, NamedTuple

from .network import SINGLE_STACK, ClusterNetwork
from .paths import Path

CLUSTER_IP = "ClusterIP"
NODE_PORT = "NodePort"
LOAD_BALANCER = "LoadBalancer"
EXTERNAL_NAME = "ExternalName"
SERVICE_TYPES = (CLUSTER_IP, EXTERNAL_NAME, LOAD_BALANCER, NODE_PORT)

DEFAULT_NAMESPACE = "default"
CLUSTER_DOMAIN = "cluster.local"
DEFAULT_AFFINITY_TIMEOUT = 10800
"""`v1.DefaultClientIPServiceAffinitySeconds` (3 hours)."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where an object came from: the YAML document and the path prefix inside it.

    A Service inside a `kind: List` has prefix `("items", 3)`; a Pod expanded from a Deployment
    points at the Deployment's template.
    """

    document: int
    prefix: Path = ()


@dataclass(slots=True)
class ServicePort:
    name: str
    protocol: str
    port: int
    target_port: int | str
    node_port: int = 0
    app_protocol: str = ""
    index: int = 0

    @property
    def key(self) -> str:
        """The route --json key: the port's name, or its number when unnamed."""
        return self.name or str(self.port)

    @property
    def label(self) -> str:
        """How a learner reads this port: `80/TCP` or `http (80/TCP)`."""
        base = f"{self.port}/{self.protocol}"
        return f"{self.name} ({base})" if self.name else base


@dataclass(slots=True)
class Service:
    name: str
    namespace: str
    source: Source
    type: str = CLUSTER_IP
    selector: dict[str, str] | None = None
    ports: list[ServicePort] = field(default_factory=list)
    cluster_ip: str = ""
    cluster_ips: list[str] = field(default_factory=list)
    external_ips: list[str] = field(default_factory=list)
    external_name: str = ""
    session_affinity: str = "None"
    affinity_timeout: int = 0
    internal_traffic_policy: str = ""
    external_traffic_policy: str = ""
    publish_not_ready: bool = False
    load_balancer_ip: str = ""
    allocate_node_ports: bool = True
    """False only for a LoadBalancer with `allocateLoadBalancerNodePorts: false`."""
    labels: dict[str, str] = field(default_factory=dict)
    traffic_distribution: str = ""
    """`spec.trafficDistribution` as written (PreferClose, PreferSameZone, PreferSameNode)."""
    topology_mode: str = ""
    """The topology annotation's value (`service.kubernetes.io/topology-mode`, or the deprecated
    `topology-aware-hints`, which wins when both are set), "" when neither is."""
    ip_families: list[str] = field(default_factory=list)
    """`spec.ipFamilies` after the allocator: one family per ClusterIP, primary first."""
    ip_family_policy: str = ""
    health_check_node_port: int = 0
    """`spec.healthCheckNodePort` (LoadBalancer with externalTrafficPolicy Local)."""
    source_ranges: list[str] = field(default_factory=list)
    """`spec.loadBalancerSourceRanges`, trimmed (kube-proxy reads the field, not the annotation)."""
    ingress_ips: list[str] = field(default_factory=list)
    """`status.loadBalancer.ingress[].ip` with ipMode VIP: what kube-proxy captures."""
    ingress_given: bool = False
    """The file has a `status.loadBalancer.ingress` (then ktutor simulates none)."""
    simulated: list[str] = field(default_factory=list)
    """Field paths whose values ktutor made up (allocated ClusterIPs, nodePorts, a load
    balancer's ingress): shown as simulated wherever they are printed."""

    @property
    def ref(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def headless(self) -> bool:
        """`isHeadlessService`: type ClusterIP with clusterIP None."""
        return self.type == CLUSTER_IP and self.cluster_ip == "None"

    @property
    def dns_name(self) -> str:
        return f"{self.name}.{self.namespace}.svc.{CLUSTER_DOMAIN}"

    @property
    def externally_accessible(self) -> bool:
        """K · pkg/api/service/util.go · `ExternallyAccessible`."""
        return self.type in (LOAD_BALANCER, NODE_PORT) or (
            self.type == CLUSTER_IP and bool(self.external_ips)
        )


class ContainerPort(NamedTuple):
    """A container's declared port (a named tuple: a dump has 20,000, and a frozen
    dataclass's `__init__` was a third of reading a Pod)."""

    name: str
    container_port: int
    protocol: str
    container: str
    sidecar: bool = False


@dataclass(frozen=True, slots=True)
class Probe:
    """A container's readinessProbe as written (K · core/v1 types.go · `ProbeHandler`: exactly
    one of httpGet, tcpSocket, exec, grpc)."""

    kind: str
    """"httpGet", "tcpSocket", "exec" or "grpc"."""
    port: str = ""
    """The port as written: a number, or a container port's name."""
    path: str = ""
    host: str = ""
    scheme: str = ""
    command: tuple[str, ...] = ()
    service: str = ""
    """grpc: the health service name."""


@dataclass(frozen=True, slots=True)
class Termination:
    """A container's `state.terminated` or `lastState.terminated`, as written (times in RFC 3339)."""

    reason: str = ""
    exit_code: int = 0
    signal: int = 0
    message: str = ""
    started_at: str = ""
    finished_at: str = ""


@dataclass(frozen=True, slots=True)
class ContainerReadiness:
    """One container (or sidecar) of a Pod whose status lists its containers, or of a Pod that is
    not Ready: its readiness probe and what its status says."""

    container: str
    probe: Probe | None = None
    ready: bool | None = None
    """`status.containerStatuses[].ready` (None when the status does not list the container)."""
    waiting: str = ""
    """`state.waiting.reason` (CrashLoopBackOff, ImagePullBackOff, ContainerCreating...)."""
    terminated: str = ""
    """`state.terminated`: its reason and exit code, e.g. "Error, exit code 1"."""
    terminated_reason: str = ""
    """`state.terminated.reason` as written ("" when it has none)."""
    exit_code: int | None = None
    """`state.terminated.exitCode` (None when the container has not terminated)."""
    sidecar: bool = False
    """An init container with `restartPolicy: Always`."""
    init: bool = False
    """A plain init container (no `restartPolicy: Always`): it runs to completion before the
    others start, so it is never ready and never keeps a running Pod from being Ready."""
    listed: bool = False
    """The status lists this container (kubectl's printPod reads only the listed ones)."""
    restart_count: int = 0
    """`restartCount`: `kubectl get pods` sums it into RESTARTS."""
    started: bool | None = None
    """`started` (None when not written): a sidecar counts in READY once started and ready."""
    running_since: str | None = None
    """`state.running.startedAt` ("" when running without a time; None when not running)."""
    ended: Termination | None = None
    """`state.terminated` in full (for `describe pod`)."""
    last_ended: Termination | None = None
    """`lastState.terminated`: the previous run, whose `finishedAt` RESTARTS shows as `(2m ago)`."""


@dataclass(slots=True)
class Pod:
    name: str
    namespace: str
    source: Source
    labels: dict[str, str] = field(default_factory=dict)
    node_name: str = ""
    phase: str = "Running"
    ip: str = ""
    ready: bool = True
    ready_condition: str = "True"
    """The Ready condition's status as written: "True", "False", "Unknown" or "" when missing."""
    initialized: bool = True
    """The Initialized condition is True (or the simulator filled the status in): kubectl's
    printPod then reads the app containers even while a sidecar restarts."""
    terminating: bool = False
    ports: list[ContainerPort] = field(default_factory=list)
    hostname: str = ""
    subdomain: str = ""
    owner: str = ""
    """`Kind/name` of the workload that made this Pod, or "" for a bare Pod."""
    simulated: bool = False
    """True when ktutor filled in status (the file gave none, or the Pod came from a workload)."""
    host_network: bool = False
    """`spec.hostNetwork: true`: the Pod shares its node's network, so its IP is the node's."""
    ips: list[str] = field(default_factory=list)
    """`status.podIPs`: one address per IP family, primary (`ip`) first; a simulated Pod on a
    dual-stack cluster gets an IPv6 address next to its IPv4 one."""
    address_only: bool = False
    """Not a Pod at all: an address an EndpointSlice in the input lists without a Pod in the file
    (an external database, the API server behind `default/kubernetes`)."""
    containers: tuple[ContainerReadiness, ...] = ()
    """For a Pod whose status says it is not Ready: each container (sidecars first, as the spec
    runs them), its readiness probe and container status, so the reason can name the failing
    probe. A Ready Pod's are read when first asked for (manifests.container_statuses): a cluster
    dump lists every Pod's containers, and only the console looks at a Ready Pod's."""
    raw_status: tuple[Any, Any] | None = None
    """A Ready Pod's spec and status as written, for manifests.container_statuses."""
    ready_reason: str = ""
    ready_message: str = ""
    """The Ready condition's `reason` and `message` (ContainersNotReady: containers with unready
    status: [web]), when it is not True."""
    status_reason: str = ""
    status_message: str = ""
    """`status.reason` and `status.message`: why the Pod is in its phase (Evicted, NodeLost,
    UnexpectedAdmissionError...); kubectl's STATUS shows the reason instead of the phase."""
    deleted_at: str = ""
    """`metadata.deletionTimestamp` as written (`terminating` says whether there is one)."""
    grace_seconds: int | None = None
    """`metadata.deletionGracePeriodSeconds` (the API server sets it with the timestamp)."""
    scheduling_gated: bool = False
    """The PodScheduled condition's reason is SchedulingGated (`spec.schedulingGates` hold it)."""

    @property
    def ref(self) -> str:
        return f"{self.namespace}/{self.name}"

    def __copy__(self) -> Pod:
        """What `copy.copy` makes, field by field through `__init__`: its generic way (the
        slots' state through `__reduce_ex__`) cost 0.2 s on a dump's 10,000 Pods."""
        return Pod(*_POD_FIELDS(self))


_POD_FIELDS = attrgetter(*(f.name for f in fields(Pod)))


@dataclass(slots=True)
class Workload:
    """A Deployment, ReplicaSet, StatefulSet, ReplicationController, DaemonSet or Job: expanded
    into simulated Pods (`replicas` of them; a DaemonSet one per node it fits on; a Job
    `parallelism` running ones, at most `completions`)."""

    kind: str
    name: str
    namespace: str
    source: Source
    replicas: int = 1
    selector: dict[str, str] = field(default_factory=dict)
    template_labels: dict[str, str] = field(default_factory=dict)
    service_name: str = ""
    template_hash: str = ""
    nodes: list[str] = field(default_factory=list)
    """DaemonSet: the nodes it runs a Pod on, in order (its Pod i is on nodes[i])."""
    indexed: bool = False
    asked_replicas: int = 0
    """The replicas the manifest asks for when that is more than the simulator makes."""

    @property
    def capped_note(self) -> str:
        """One line saying the simulation has fewer Pods than asked, or ''."""
        if self.asked_replicas <= self.replicas:
            return ""
        return (
            f"{self.kind}/{self.name} asks for {self.asked_replicas:,} replicas: "
            f"ktutor simulates {self.replicas} Pods"
        )

    """Job with `completionMode: Indexed`: Pods are named `<job>-<index>-<suffix>`."""

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name}"


@dataclass(slots=True)
class Node:
    """A node of the cluster: from a Node object in the input, or one of the simulated ones."""

    name: str
    zone: str = ""
    """The `topology.kubernetes.io/zone` label ("" when the node has none, as in kind)."""
    ip: str = ""
    """The InternalIP address: what hostNetwork Pods on this node use as their IP."""
    pod_cidr: str = ""
    """`spec.podCIDR`: where this node's Pods get their IPs."""
    cpu_millis: int = 0
    """`status.allocatable.cpu` in millicores (topology hints weigh zones by it); 0 = unknown."""
    labels: dict[str, str] = field(default_factory=dict)
    ready: bool = True
    taints: list[tuple[str, str, str]] = field(default_factory=list)
    """(key, value, effect) of `spec.taints`."""
    simulated: bool = True


@dataclass(slots=True)
class SliceEndpoint:
    """One endpoint of an EndpointSlice in the input, with discovery/v1's defaults applied as
    kube-proxy reads them (K · pkg/proxy/endpointslicecache.go · `newEndpointSliceInfo`: a nil
    `ready` or `serving` is true, a nil `terminating` is false)."""

    addresses: list[str]
    ready: bool = True
    serving: bool = True
    terminating: bool = False
    node_name: str = ""
    zone: str = ""
    hostname: str = ""
    pod: str = ""
    """The targetRef's name when it is a Pod, else ""."""
    for_zones: tuple[str, ...] = ()
    for_nodes: tuple[str, ...] = ()
    written: tuple[str, ...] = ("ready", "serving", "terminating")
    """The conditions the input wrote (the API server defaults none of them): what `kubectl
    get -o yaml` reads back; the three fields above are kube-proxy's reading of them."""


@dataclass(slots=True)
class EndpointSlice:
    """An EndpointSlice (or a v1 Endpoints object, mirrored into one) from the input."""

    name: str
    namespace: str
    service: str
    """The `kubernetes.io/service-name` label: kube-proxy uses the slice for that Service."""
    managed_by: str
    """The `endpointslice.kubernetes.io/managed-by` label ("" when unset)."""
    source: Source
    address_type: str = "IPv4"
    ports: list[tuple[str, str, int]] = field(default_factory=list)
    """(name, protocol, port): discovery/v1 defaults a missing name to "" and protocol to TCP."""
    app_protocols: dict[str, str] = field(default_factory=dict)
    """A port's `appProtocol` as written, by port name (names are unique within a slice); kube-proxy
    ignores it, but `kubectl get endpointslices -o yaml` shows it."""
    endpoints: list[SliceEndpoint] = field(default_factory=list)
    kind: str = "EndpointSlice"
    """"EndpointSlice", or "Endpoints" for a legacy object mirrored the way the mirroring
    controller does (see manifests.mirror_endpoints)."""
    labels: dict[str, str] = field(default_factory=dict)
    """Every label the input slice has (`service` and `managed_by` are two of them), as
    `kubectl get --show-labels`, `describe` and `-l` see them; empty for a mirrored one."""

    @property
    def ref(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass(frozen=True, slots=True)
class Ignored:
    """An object of a kind the routing model does not use, listed so the learner knows."""

    kind: str
    name: str
    namespace: str
    document: int


@dataclass(slots=True)
class Cluster:
    """Everything one manifest text describes, ready for endpoints and routing."""

    services: list[Service] = field(default_factory=list)
    pods: list[Pod] = field(default_factory=list)
    workloads: list[Workload] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    nodes: list[str] = field(default_factory=list)
    """Node names, sorted: the input's Node objects, else the simulated nodes (plus any node a
    Pod names)."""
    node_info: dict[str, Node] = field(default_factory=dict)
    """Name -> Node, for every name in `nodes`."""
    slices: list[EndpointSlice] = field(default_factory=list)
    """EndpointSlices in the input (and v1 Endpoints mirrored into slices), in input order."""
    endpoints_objects: list[EndpointSlice] = field(default_factory=list)
    """The input's legacy v1 Endpoints, converted (for `route --compare`)."""
    network: ClusterNetwork = SINGLE_STACK
    """The simulated cluster's IP families and ranges (single-stack IPv4 unless asked)."""

    def zone_of(self, node: str | None) -> str:
        info = self.node_info.get(node or "")
        return info.zone if info is not None else ""

    def slices_for(self, svc: Service) -> list[EndpointSlice]:
        """The input's slices kube-proxy uses for `svc` (labelled with its name, same namespace)."""
        return [s for s in self.slices if s.service == svc.name and s.namespace == svc.namespace]

    def service(self, ref: str) -> Service | None:
        for svc in self.services:
            if svc.ref == ref or svc.name == ref:
                return svc
        return None

    def pod(self, name: str) -> Pod | None:
        for pod in self.pods:
            if pod.name == name or pod.ref == name:
                return pod
        return None
