"""`kubectl describe svc|pod|endpointslice|endpoints NAME` in kubectl v1.35's layout.

K · staging/src/k8s.io/kubectl/pkg/describe/describe.go: `describeService` (with
`formatEndpointSlices` for each port's Endpoints line), `describePod` with
`describeContainers`/`describeVolumes`, `describeEndpointSliceV1`, `describeEndpoints`,
`printLabelsMultiline` and `DescribeEvents`; aligned by `tabbedString` (tabwriter 0, 8, 2).
A describe without a name describes every object of the type, separated by blank lines.
Events are simulated: a Pod shows the scheduler's and kubelet's start-up events; the other
objects have none.
"""

from __future__ import annotations

from typing import Any

from tutor.model.explain import not_ready_detail
from tutor.model.manifests import container_statuses
from tutor.model.objects import ContainerReadiness, Pod, Service, Termination

from .flags import KUBECTL_GLOBAL, UsageError, parse
from .output import Output
from .podstatus import grace_seconds, pod_conditions, simulated_status, unscheduled
from .resources import Resource, find, ip_families
from .selector import format_labels
from .tabwriter import DESCRIBE, align
from .world import World, containers, hex_id, init_containers, parse_time, short_hash, uid

RFC1123Z = "%a, %d %b %Y %H:%M:%S %z"
ZERO_TIME = "Mon, 01 Jan 0001 00:00:00 +0000"
"""Go's zero time in RFC1123Z: a state whose time is not written."""


def _labels(title: str, labels: dict[str, str] | None, out: list[str]) -> None:
    """`printLabelsMultiline`: one `k=v` per line, continuation lines indented with a tab."""
    if not labels:
        out.append(f"{title}:\t<none>")
        return
    for i, key in enumerate(sorted(labels)):
        out.append(f"{title + ':' if i == 0 else ''}\t{key}={labels[key]}")


def format_endpoint_slices(slices: list[dict[str, Any]], port_name: str | None) -> str:
    """`formatEndpointSlices(slices, ports)`: ready endpoints of the named port, at most
    three, then ` + N more...` (the loop's quirks kept: `more` is set before readiness)."""
    if not slices:
        return "<none>"
    out: list[str] = []
    more, count = False, 0
    for sl in slices:
        if not sl["ports"]:
            for ep in sl["endpoints"]:
                if len(out) == 3:
                    more = True
                if not ep["conditions"].get("ready", True):
                    continue
                if not more:
                    out.append(ep["addresses"][0])
                count += 1
            continue
        for port in sl["ports"]:
            if port_name is not None and port.get("name", "") != port_name:
                continue
            for ep in sl["endpoints"]:
                if len(out) == 3:
                    more = True
                if not ep["conditions"].get("ready", True):
                    continue
                addr = ep["addresses"][0]
                if not more:
                    out.append(
                        f"[{addr}]:{port['port']}" if ":" in addr else f"{addr}:{port['port']}"
                    )
                count += 1
    text = ",".join(out)
    return f"{text} + {count - 3} more..." if more else text


def describe_service(world: World, svc: Service) -> str:
    out = [f"Name:\t{svc.name}", f"Namespace:\t{svc.namespace}"]
    _labels("Labels", svc.labels, out)
    out.append("Annotations:\t<none>")
    out.append(f"Selector:\t{format_labels(svc.selector)}")
    out.append(f"Type:\t{svc.type}")
    if svc.type != "ExternalName":
        out.append(f"IP Family Policy:\t{svc.ip_family_policy or 'SingleStack'}")
        out.append(f"IP Families:\t{','.join(ip_families(svc))}")
        out.append(f"IP:\t{svc.cluster_ip}")
        out.append(f"IPs:\t{','.join(svc.cluster_ips or [svc.cluster_ip])}")
    else:
        out.append("IP Families:\t<none>")
        out.append("IP:\t")
        out.append("IPs:\t<none>")
    if svc.external_ips:
        out.append(f"External IPs:\t{','.join(svc.external_ips)}")
    if svc.type == "ExternalName" and svc.external_name:
        out.append(f"External Name:\t{svc.external_name}")
    if svc.type == "LoadBalancer" and svc.ingress_ips:
        out.append(f"LoadBalancer Ingress:\t{', '.join(f'{ip} (VIP)' for ip in svc.ingress_ips)}")
    # kubectl lists the slices labelled with the Service's name: the controller's, and any
    # written by hand for a Service without a selector (describeService's EndpointSlice list)
    slices = [
        s
        for s in world.all_slices(svc.namespace)
        if s["metadata"]["labels"].get("kubernetes.io/service-name") == svc.name
    ]
    for p in svc.ports:
        name = p.name or "<unset>"
        out.append(f"Port:\t{name}\t{p.port}/{p.protocol}")
        out.append(f"TargetPort:\t{p.target_port}/{p.protocol}")
        if p.app_protocol:
            out.append(f"AppProtocol:\t{p.app_protocol}")
        if p.node_port:
            out.append(f"NodePort:\t{name}\t{p.node_port}/{p.protocol}")
        out.append(f"Endpoints:\t{format_endpoint_slices(slices, p.name)}")
    out.append(f"Session Affinity:\t{svc.session_affinity}")
    if svc.external_traffic_policy:
        out.append(f"External Traffic Policy:\t{svc.external_traffic_policy}")
    if svc.type != "ExternalName":
        out.append(f"Internal Traffic Policy:\t{svc.internal_traffic_policy or 'Cluster'}")
    if svc.health_check_node_port:
        out.append(f"HealthCheck NodePort:\t{svc.health_check_node_port}")
    if svc.source_ranges:
        out.append(f"LoadBalancer Source Ranges:\t{','.join(svc.source_ranges)}")
    if svc.traffic_distribution:
        out.append(f"Traffic Distribution:\t{svc.traffic_distribution}")
    out.append("Events:\t<none>")
    return align("\n".join(out) + "\n", *DESCRIBE)


def describe_slice(world: World, data: dict[str, Any]) -> str:
    meta = data["metadata"]
    out = [f"Name:\t{meta['name']}", f"Namespace:\t{meta['namespace']}"]
    _labels("Labels", meta.get("labels"), out)
    out.append("Annotations:\t<none>")
    out.append(f"AddressType:\t{data['addressType']}")
    if not data["ports"]:
        out.append("Ports: <unset>")
    else:
        out.append("Ports:")
        out.append("  Name\tPort\tProtocol")
        out.append("  ----\t----\t--------")
        for p in data["ports"]:
            out.append(f"  {p.get('name') or '<unset>'}\t{p['port']}\t{p['protocol']}")
    if not data["endpoints"]:
        out.append("Endpoints: <none>")
    else:
        out.append("Endpoints:")
        for ep in data["endpoints"]:
            out.append(f"  - Addresses:\t{', '.join(ep['addresses']) or '<none>'}")
            out.append("    Conditions:")
            out.append(f"      Ready:\t{'true' if ep['conditions']['ready'] else 'false'}")
            out.append(f"    Hostname:\t{ep.get('hostname', '<unset>')}")
            ref = ep.get("targetRef")
            if ref:
                out.append(f"    TargetRef:\t{ref['kind']}/{ref['name']}")
            out.append(f"    NodeName:\t{ep.get('nodeName', '<unset>')}")
            out.append(f"    Zone:\t{ep.get('zone', '<unset>')}")
    out.append("Events:\t<none>")
    return align("\n".join(out) + "\n", *DESCRIBE)


def describe_endpoints(world: World, svc: Service) -> str:
    out = [f"Name:\t{svc.name}", f"Namespace:\t{svc.namespace}"]
    _labels("Labels", svc.labels, out)
    out.append("Annotations:\t<none>")
    out.append("Subsets:")
    for ready, not_ready, ports in world.subsets(svc):
        out.append(f"  Addresses:\t{','.join(ready) or '<none>'}")
        out.append(f"  NotReadyAddresses:\t{','.join(not_ready) or '<none>'}")
        if ports:
            out.append("  Ports:")
            out.append("    Name\tPort\tProtocol")
            out.append("    ----\t----\t--------")
            for n, p, proto in ports:
                out.append(f"    {n or '<unset>'}\t{p}\t{proto}")
        out.append("")
    out.append("Events:\t<none>")
    return align("\n".join(out) + "\n", *DESCRIBE)


def _owner_line(world: World, pod: Pod) -> str:
    kind, _, name = pod.owner.partition("/")
    if kind == "Deployment":
        wl = next((w for w in world.deployments if w.ref == pod.owner), None)
        return f"ReplicaSet/{name}-{wl.template_hash}" if wl else f"ReplicaSet/{name}"
    return pod.owner


def _time(timestamp: str, otherwise: str) -> str:
    """An RFC 3339 time from the status in `describeStatus`'s RFC1123Z layout."""
    when = parse_time(timestamp) if timestamp else None
    return when.strftime(RFC1123Z) if when is not None else otherwise


def _state(out: list[str], title: str, c: ContainerReadiness, t: Termination | None) -> None:
    """`describeStatus`: Running with its start, Waiting with its reason, or Terminated with
    its reason, message, exit code, signal, start and finish."""
    if t is not None:
        out.append(f"    {title}:\tTerminated")
        if t.reason:
            out.append(f"      Reason:\t{t.reason}")
        if t.message:
            out.append(f"      Message:\t{t.message}")
        out.append(f"      Exit Code:\t{t.exit_code}")
        if t.signal > 0:
            out.append(f"      Signal:\t{t.signal}")
        out.append(f"      Started:\t{_time(t.started_at, ZERO_TIME)}")
        out.append(f"      Finished:\t{_time(t.finished_at, ZERO_TIME)}")
    elif c.waiting or c.running_since is None:
        out.append(f"    {title}:\tWaiting")
        if c.waiting:
            out.append(f"      Reason:\t{c.waiting}")
    else:
        out.append(f"    {title}:\tRunning")
        out.append(f"      Started:\t{_time(c.running_since, ZERO_TIME)}")


PROBE_DEFAULTS = (
    ("initialDelaySeconds", 0),
    ("timeoutSeconds", 1),
    ("periodSeconds", 10),
    ("successThreshold", 1),
    ("failureThreshold", 3),
)
"""K · pkg/apis/core/v1/defaults.go · `SetDefaults_Probe`."""


def describe_probe(probe: dict[str, Any]) -> str:
    """K · kubectl/pkg/describe/describe.go · `DescribeProbe`: the handler (an httpGet's URL
    with the defaulted scheme and path, `SetDefaults_HTTPGetAction`) and its timings."""

    def num(key: str, default: int) -> int:
        value = probe.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else default

    delay, timeout, period, success, failure = (num(k, d) for k, d in PROBE_DEFAULTS)
    attrs = (
        f"delay={delay}s timeout={timeout}s period={period}s #success={success} #failure={failure}"
    )

    def part(handler: dict[str, Any], key: str) -> str:
        value = handler.get(key)
        return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""

    for kind in ("exec", "httpGet", "tcpSocket", "grpc"):
        h = probe.get(kind)
        if not isinstance(h, dict):
            continue
        if kind == "exec":
            command = h.get("command")
            command = command if isinstance(command, list) else []
            return f"exec [{' '.join(str(c) for c in command)}] {attrs}"
        if kind == "httpGet":
            scheme = (part(h, "scheme") or "HTTP").lower()
            host, port = part(h, "host"), part(h, "port")
            where = (f"[{host}]:{port}" if ":" in host else f"{host}:{port}") if port else host
            return f"http-get {scheme}://{where}{part(h, 'path') or '/'} {attrs}"
        if kind == "tcpSocket":
            return f"tcp-socket {part(h, 'host')}:{part(h, 'port')} {attrs}"
        return f"grpc <pod>:{part(h, 'port') or 0} {part(h, 'service')} {attrs}"
    return f"unknown {attrs}"


def _probes(spec: dict[str, Any], section: str, name: str) -> list[str]:
    """`describeContainerProbe`: the Liveness, Readiness and Startup lines of one container."""
    found = next(
        (
            c
            for c in spec.get(section) or []
            if isinstance(c, dict) and str(c.get("name", "")) == name
        ),
        {},
    )
    return [
        f"    {title}:\t{describe_probe(found[key])}"
        for title, key in (
            ("Liveness", "livenessProbe"),
            ("Readiness", "readinessProbe"),
            ("Startup", "startupProbe"),
        )
        if isinstance(found.get(key), dict)
    ]


def _container(
    out: list[str],
    pod: Pod,
    name: str,
    image: str,
    created: str,
    token: str,
    probes: list[str],
    init: bool = False,
    sidecar: bool = False,
) -> None:
    """`describeContainers` for one container: the status the file lists (its state, last
    state, readiness and restart count, K · kubectl/pkg/describe/describe.go ·
    `describeContainerState`), else the simulator's (podstatus.simulated_status, as `-o yaml`
    prints it)."""
    ports = [cp for cp in pod.ports if cp.container == name and cp.sidecar == sidecar]
    texts = [
        f"{cp.container_port}/{cp.protocol} ({cp.name})"
        if cp.name
        else f"{cp.container_port}/{cp.protocol}"
        for cp in ports
    ]
    host = [f"0/{cp.protocol}" for cp in ports]
    said = next((c for c in container_statuses(pod) if c.container == name), None)
    if said is None or not said.listed:
        # no node has the Pod: its status lists no container (describeContainers prints only
        # the spec's lines)
        said = (
            None if unscheduled(pod) else simulated_status(pod, name, created, init and not sidecar)
        )
    out.append(f"  {name}:")
    if said is not None:
        out.append(f"    Container ID:\tcontainerd://{hex_id(pod.ref, name)}")
    out.append(f"    Image:\t{image}")
    if said is not None:
        out.append(f"    Image ID:\t{image}@sha256:{hex_id(image)}")
    if len(texts) > 1:
        out.append(f"    Ports:\t{', '.join(texts)}")
        out.append(f"    Host Ports:\t{', '.join(host)}")
    else:
        out.append(f"    Port:\t{texts[0] if texts else '<none>'}")
        out.append(f"    Host Port:\t{host[0] if host else '<none>'}")
    if said is not None:
        _state(out, "State", said, said.ended if said.terminated else None)
        if said.last_ended is not None:
            _state(out, "Last State", said, said.last_ended)
        out.append(f"    Ready:\t{'True' if said.ready else 'False'}")
        out.append(f"    Restart Count:\t{said.restart_count}")
    out.extend(probes)
    out.append("    Environment:\t<none>")
    out.append("    Mounts:")
    out.append(f"      /var/run/secrets/kubernetes.io/serviceaccount from {token} (ro)")


def describe_pod(world: World, pod: Pod) -> str:
    key = f"Pod/{pod.ref}"
    started = world.clock.created(key)
    start = started.strftime(RFC1123Z)
    created = started.strftime("%Y-%m-%dT%H:%M:%SZ")
    token = f"kube-api-access-{short_hash(pod.ref)}"
    out = [
        f"Name:\t{pod.name}",
        f"Namespace:\t{pod.namespace}",
        "Priority:\t0",
        "Service Account:\tdefault",
        f"Node:\t{pod.node_name}/{world.node_ip(pod.node_name)}"
        if pod.node_name
        else "Node:\t<none>",
    ]
    if not unscheduled(pod):  # status.startTime: set when the kubelet takes the Pod
        out.append(f"Start Time:\t{start}")
    _labels("Labels", pod.labels, out)
    out.append("Annotations:\t<none>")
    if pod.terminating and pod.phase not in ("Succeeded", "Failed"):
        # kubectl measures from deletionTimestamp, the time the grace period ends: while it
        # lasts that is in the future, which HumanDuration prints as <invalid>
        out.append(f"Status:\tTerminating (lasts {world.clock.since(pod.deleted_at)})")
        out.append(f"Termination Grace Period:\t{grace_seconds(pod)}s")
    else:
        out.append(f"Status:\t{pod.phase}")
    if pod.status_reason:
        out.append(f"Reason:\t{pod.status_reason}")
    if pod.status_message:
        out.append(f"Message:\t{pod.status_message}")
    out.append(f"IP:\t{pod.ip}")
    if pod.ip:
        out.append("IPs:")
        out.append(f"  IP:\t{pod.ip}")
    else:
        out.append("IPs:\t<none>")
    if pod.owner:
        out.append(f"Controlled By:\t{_owner_line(world, pod)}")
    ready = pod.ready_condition == "True"
    spec = world.pod_spec(pod)
    inits = init_containers(spec)
    if inits:
        out.append("Init Containers:")
        for name, image, sidecar in inits:
            probes = _probes(spec, "initContainers", name)
            _container(out, pod, name, image, created, token, probes, True, sidecar)
    out.append("Containers:")
    for name, image in containers(spec) or [("app", "<none>")]:
        _container(out, pod, name, image, created, token, _probes(spec, "containers", name))
    out.append("Conditions:")
    out.append("  Type\tStatus")
    for cond, status, _ in pod_conditions(pod):
        out.append(f"  {cond} \t{status} ")
    out.append("Volumes:")
    out.append(f"  {token}:")
    out.append("    Type:\tProjected (a volume that contains injected data from multiple sources)")
    out.append("    TokenExpirationSeconds:\t3607")
    out.append("    ConfigMapName:\tkube-root-ca.crt")
    out.append("    Optional:\tfalse")
    out.append("    DownwardAPI:\ttrue")
    out.append("QoS Class:\tBestEffort")
    out.append("Node-Selectors:\t<none>")
    out.append("Tolerations:\tnode.kubernetes.io/not-ready:NoExecute op=Exists for 300s")
    out.append("\tnode.kubernetes.io/unreachable:NoExecute op=Exists for 300s")
    age = world.clock.age(key)
    events: list[tuple[str, str, str, str, str]] = []
    if not unscheduled(pod):
        events.append(
            (
                "Normal",
                "Scheduled",
                age,
                "default-scheduler",
                f"Successfully assigned {pod.namespace}/{pod.name} to {pod.node_name}",
            )
        )
    said = {c.container: c for c in container_statuses(pod)}
    for name, image, plain in [(n, i, not side) for n, i, side in inits] + [
        (n, i, False) for n, i in containers(spec)
    ]:
        c = said.get(name)
        if c is None or not c.listed:
            c = simulated_status(pod, name, created, plain)
        if c.running_since is None and not c.terminated and not c.restart_count:
            continue  # never started: the kubelet has not pulled, created or started it
        events += [
            (
                "Normal",
                "Pulled",
                age,
                "kubelet",
                f'Container image "{image}" already present on machine',
            ),
            ("Normal", "Created", age, "kubelet", f"Created container: {name}"),
            ("Normal", "Started", age, "kubelet", f"Started container {name}"),
        ]
        if c.waiting == "CrashLoopBackOff":
            # K · pkg/kubelet/kuberuntime/kuberuntime_manager.go · `doBackOff`, format.Pod
            events.append(
                (
                    "Warning",
                    "BackOff",
                    age,
                    "kubelet",
                    f"Back-off restarting failed container {name} in pod "
                    f"{pod.name}_{pod.namespace}({uid(key)})",
                )
            )
    app = [c for c in said.values() if not c.init]
    probed = any(
        c.probe is not None and c.ready is not True and not c.waiting and not c.terminated
        for c in app
    )
    if not ready and pod.phase == "Running" and (probed or not any(c.listed for c in app)):
        # only a readiness probe that runs fails (a waiting or ended container is not probed);
        # the file's own probe and container status when it has them (tutor.model.explain,
        # the words the routing view and `ktutor route` use), else the simulator's toggle
        detail = not_ready_detail(pod) or "ktutor marked this Pod not Ready"
        events.append(
            (
                "Warning",
                "Unhealthy",
                age,
                "kubelet",
                f"Readiness probe failed: simulated ({detail})",
            )
        )
    if not events:  # `DescribeEvents`: one line, aligned with the rest
        return align("\n".join([*out, "Events:\t<none>"]) + "\n", *DESCRIBE)
    body = align("\n".join(out) + "\n", *DESCRIBE)
    ev = ["Events:", "  Type\tReason\tAge\tFrom\tMessage", "  ----\t------\t----\t----\t-------"]
    ev += [f"  {t}\t{r}\t{a}\t{f}\t{m}" for t, r, a, f, m in events]
    return body + align("\n".join(ev) + "\n", *DESCRIBE)


def run(world: World, argv: list[str], namespace: str) -> Output:
    opts = parse(argv, [*KUBECTL_GLOBAL])
    ns = opts.get("namespace") or namespace
    if not opts.args:
        raise UsageError(
            'You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.'
        )
    args = opts.args
    if "/" in args[0]:
        type_name, _, first = args[0].partition("/")
        names = [first] + [a.partition("/")[2] for a in args[1:]]
    else:
        type_name, names = args[0], args[1:]
    res = find(type_name)
    if res is None:
        raise UsageError(f'the server doesn\'t have a resource type "{type_name}"')
    if not isinstance(res, Resource) or res.plural not in (
        "services",
        "pods",
        "endpointslices",
        "endpoints",
    ):
        plural = res if isinstance(res, str) else res.plural
        return Output(
            f"error: kubectl describe {plural} is not simulated here "
            "(try: svc, pod, endpointslice, endpoints)\n",
            1,
        )
    blocks: list[str] = []
    errors: list[str] = []
    if res.plural in ("services", "endpoints"):
        objs = {s.name: s for s in world.services if s.namespace == ns}
        if res.plural == "endpoints":
            objs = {n: s for n, s in objs.items() if world.has_endpoints(s)}
        fn = describe_service if res.plural == "services" else describe_endpoints
        for n in names or sorted(objs):
            svc = objs.get(n)
            if svc is None:
                errors.append(f'Error from server (NotFound): {res.qualified} "{n}" not found')
            else:
                blocks.append(fn(world, svc))
    elif res.plural == "pods":
        pods = {p.name: p for p in world.pods if p.namespace == ns}
        for n in names or sorted(pods):
            pod = pods.get(n)
            if pod is None:
                errors.append(f'Error from server (NotFound): pods "{n}" not found')
            else:
                blocks.append(describe_pod(world, pod))
    else:
        slices = {d["metadata"]["name"]: d for d in world.all_slices(ns)}
        for n in names or sorted(slices):
            data = slices.get(n)
            if data is None:
                errors.append(f'Error from server (NotFound): {res.qualified} "{n}" not found')
            else:
                blocks.append(describe_slice(world, data))
    text = "\n\n".join(b.rstrip("\n") for b in blocks) + ("\n" if blocks else "")
    if not blocks and not errors:
        text = f"No resources found in {ns} namespace.\n"
    if errors:
        text += "\n".join(errors) + "\n"
    return Output(text, 1 if errors else 0)
