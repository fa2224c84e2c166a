"""`kubectl get`: the table printers of kubectl v1.35, `-o wide|yaml|json|name`, `-l`, `-A`,
`--show-labels`, several types at once (`svc,pods`) and `TYPE/NAME` arguments.

Columns and cells follow K · pkg/printers/internalversion/printers.go (`printPod`,
`printService` with `getServiceExternalIP` and `makePortString`, `printEndpoints` with
`formatEndpoints`, `printEndpointSlice` with `formatDiscoveryPorts`/`formatDiscoveryEndpoints`,
`printDeployment`, `printReplicaSet`, `printStatefulSet`, `printNode`, `printNamespace`); the
rows are sorted by namespace and name, as the API server lists them; messages follow
K · staging/src/k8s.io/kubectl/pkg/cmd/get/get.go (`No resources found in default namespace.`)
and the API server's NotFound status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from typing import Any

from .flags import KUBECTL_GLOBAL, Flag, UsageError, parse
from .output import Output
from .podstatus import pod_columns
from .resources import (
    RESOURCES,
    Resource,
    deployment_dict,
    endpoints_dict,
    find,
    node_dict,
    pod_dict,
    service_dict,
    slice_dict,
)
from .selector import format_labels, parse_selector
from .tabwriter import table
from .world import KUBERNETES_VERSION, World, containers, sidecars
from .yamlout import to_json, to_yaml

FLAGS = [
    *KUBECTL_GLOBAL,
    Flag("all-namespaces", "A", value=False),
    Flag("output", "o"),
    Flag("selector", "l"),
    Flag("show-labels", value=False),
    Flag("no-headers", value=False),
    Flag("watch", "w", value=False),
]
WATCH_NOTE = (
    "ktutor: the console prints once and does not keep watching (--watch); "
    "run the command again after a change\n"
)
"""`-w` is kubectl's: refusing it as an unknown flag was false. The table is printed as at the
start of a watch, then this note instead of the stream."""
FORMATS = (
    "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
    "jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml"
)
ENDPOINTS_WARNING = (
    "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
)
"""The API server's warning header for the v1 Endpoints API (KEP-4974, v1.33+)."""


@dataclass(slots=True)
class Row:
    namespace: str
    name: str
    cells: list[str]
    wide: list[str]
    labels: dict[str, str]
    obj: Callable[[], dict[str, Any]]


BY_NAMESPACE_AND_NAME = attrgetter("namespace", "name")
"""How the API server lists objects."""


@dataclass(slots=True)
class Kind:
    headers: list[str]
    wide: list[str]
    rows: Callable[[World, str | None], list[Row]]


def _more(items: list[str], more: bool, count: int, limit: int = 3) -> str:
    """`listWithMoreString`."""
    text = ",".join(items)
    if more:
        return f"{text} + {count - limit} more..."
    return text or "<unset>"


def format_endpoints(subsets: list[tuple[list[str], list[str], list[tuple[str, int, str]]]]) -> str:
    """`formatEndpoints(endpoints, nil)`: ready addresses only, at most three."""
    if not subsets:
        return "<none>"
    out: list[str] = []
    more, count = False, 0
    for ready, _not_ready, ports in subsets:
        if not ports:
            count += len(ready)
            for ip in ready:
                if len(out) == 3:
                    more = True
                    break
                out.append(ip)
            continue
        for _name, port, _proto in ports:
            count += len(ready)
            for ip in ready:
                if len(out) == 3:
                    more = True
                    break
                out.append(f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}")
    text = ",".join(out)
    return f"{text} + {count - 3} more..." if more else text


def _pod_rows(world: World, ns: str | None) -> list[Row]:
    rows = []
    totals: dict[tuple[object, ...], int] = {}
    clock = world.clock
    now = clock.wall()
    for pod in world.pods:
        if ns is not None and pod.namespace != ns:
            continue
        source = pod.source
        where = (source.document, *source.prefix)
        total = totals.get(where)
        if total is None:  # a workload's Pods share one template
            spec = world.pod_spec(pod)
            total = totals[where] = max(1, len(containers(spec)) + len(sidecars(spec)))
        cols = pod_columns(pod, total)
        restarts = str(cols.restarts)
        if cols.restarts and cols.last_restart:
            restarts += f" ({clock.since(cols.last_restart, now)} ago)"
        rows.append(
            Row(
                pod.namespace,
                pod.name,
                [
                    f"{cols.ready}/{cols.total}",
                    cols.status,
                    restarts,
                    clock.age(f"Pod/{pod.namespace}/{pod.name}"),
                ],
                [pod.ip or "<none>", pod.node_name or "<none>", "<none>", "<none>"],
                pod.labels,
                partial(pod_dict, world, pod),
            )
        )
    return rows


def external_ip(svc: Any) -> str:
    """`getServiceExternalIP`."""
    if svc.type in ("ClusterIP", "NodePort"):
        return ",".join(svc.external_ips) if svc.external_ips else "<none>"
    if svc.type == "LoadBalancer":
        lb = list(svc.ingress_ips)
        if svc.external_ips:
            return ",".join(lb + list(svc.external_ips))
        return ",".join(lb) if lb else "<pending>"
    if svc.type == "ExternalName":
        return str(svc.external_name)
    return "<unknown>"


def port_string(svc: Any) -> str:
    """`makePortString`, `<none>` when the Service has no ports."""
    pieces = [
        f"{p.port}:{p.node_port}/{p.protocol}" if p.node_port else f"{p.port}/{p.protocol}"
        for p in svc.ports
    ]
    return ",".join(pieces) or "<none>"


def _svc_rows(world: World, ns: str | None) -> list[Row]:
    return [
        Row(
            s.namespace,
            s.name,
            [
                s.type,
                s.cluster_ip or "<none>",
                external_ip(s),
                port_string(s),
                world.clock.age(f"Service/{s.ref}"),
            ],
            [format_labels(s.selector)],
            s.labels,
            partial(service_dict, world, s),
        )
        for s in world.services
        if ns is None or s.namespace == ns
    ]


def discovery_ports(ports: list[dict[str, Any]]) -> str:
    """`formatDiscoveryPorts`."""
    out: list[str] = []
    more, count = False, 0
    for p in ports:
        if len(out) < 3:
            out.append(str(p["port"]) if p.get("port") is not None else p.get("name") or "*")
        elif len(out) == 3:
            more = True
        count += 1
    return _more(out, more, count)


def discovery_endpoints(endpoints: list[dict[str, Any]]) -> str:
    """`formatDiscoveryEndpoints`: every address, ready or not."""
    out: list[str] = []
    more, count = False, 0
    for ep in endpoints:
        for addr in ep["addresses"]:
            if len(out) < 3:
                out.append(addr)
            elif len(out) == 3:
                more = True
            count += 1
    return _more(out, more, count)


def _slice_rows(world: World, ns: str | None) -> list[Row]:
    rows = []
    for data in world.all_slices(ns):
        meta = data["metadata"]
        rows.append(
            Row(
                meta["namespace"],
                meta["name"],
                [
                    data["addressType"],
                    discovery_ports(data["ports"]),
                    discovery_endpoints(data["endpoints"]),
                    world.clock.age(
                        f"Service/{meta['namespace']}/{meta['labels'].get('kubernetes.io/service-name', '')}"
                    ),
                ],
                [],
                meta["labels"],
                partial(slice_dict, world, data),
            )
        )
    return rows


def _ep_rows(world: World, ns: str | None) -> list[Row]:
    rows = []
    for s in world.services:
        if ns is not None and s.namespace != ns:
            continue
        if not world.has_endpoints(s):
            continue
        rows.append(
            Row(
                s.namespace,
                s.name,
                [format_endpoints(world.subsets(s)), world.clock.age(f"Service/{s.ref}")],
                [],
                s.labels,
                partial(endpoints_dict, world, s),
            )
        )
    return rows


def _counts(world: World, ref: str, namespace: str) -> tuple[int, int]:
    pods = [p for p in world.pods if p.owner == ref and p.namespace == namespace]
    ready = sum(1 for p in pods if p.ready_condition == "True" and not p.terminating)
    return ready, len(pods)


def _template_columns(world: World, wl: Any) -> tuple[str, str]:
    spec = world.pod_template(wl).get("spec")
    conts = containers(spec if isinstance(spec, dict) else {})
    return ",".join(n for n, _ in conts) or "<none>", ",".join(i for _, i in conts) or "<none>"


def _deploy_rows(world: World, ns: str | None) -> list[Row]:
    rows = []
    for wl in world.deployments:
        if ns is not None and wl.namespace != ns:
            continue
        ready, n = _counts(world, wl.ref, wl.namespace)
        names, images = _template_columns(world, wl)
        rows.append(
            Row(
                wl.namespace,
                wl.name,
                [
                    f"{ready}/{n}",
                    str(n),
                    str(ready),
                    world.clock.age(f"Deployment/{wl.namespace}/{wl.name}"),
                ],
                [names, images, format_labels(wl.selector)],
                {},
                partial(deployment_dict, world, wl, ready, n),
            )
        )
    return rows


def _rs_rows(world: World, ns: str | None) -> list[Row]:
    rows = []
    for wl in world.analysis.cluster.workloads:
        if wl.kind not in ("Deployment", "ReplicaSet") or (ns is not None and wl.namespace != ns):
            continue
        ready, n = _counts(world, wl.ref, wl.namespace)
        name = f"{wl.name}-{wl.template_hash}" if wl.kind == "Deployment" else wl.name
        selector = dict(wl.selector)
        if wl.kind == "Deployment":
            selector["pod-template-hash"] = wl.template_hash
        names, images = _template_columns(world, wl)
        rows.append(
            Row(
                wl.namespace,
                name,
                [
                    str(n),
                    str(n),
                    str(ready),
                    world.clock.age(f"Deployment/{wl.namespace}/{wl.name}"),
                ],
                [names, images, format_labels(selector)],
                {},
                dict,
            )
        )
    return rows


def _sts_rows(world: World, ns: str | None) -> list[Row]:
    rows = []
    for wl in world.analysis.cluster.workloads:
        if wl.kind != "StatefulSet" or (ns is not None and wl.namespace != ns):
            continue
        ready, n = _counts(world, wl.ref, wl.namespace)
        names, images = _template_columns(world, wl)
        rows.append(
            Row(
                wl.namespace,
                wl.name,
                [f"{ready}/{n}", world.clock.age(f"StatefulSet/{wl.namespace}/{wl.name}")],
                [names, images],
                {},
                dict,
            )
        )
    return rows


def _roles(labels: dict[str, str]) -> str:
    """`findNodeRoles`: `node-role.kubernetes.io/<role>` labels (and `kubernetes.io/role`)."""
    roles = {k.split("/", 1)[1] for k in labels if k.startswith("node-role.kubernetes.io/")}
    roles |= {v for k, v in labels.items() if k == "kubernetes.io/role" and v}
    return ",".join(sorted(r for r in roles if r)) or "<none>"


def _node_rows(world: World, ns: str | None) -> list[Row]:
    rows = []
    for n in world.nodes:
        info = world.node(n)
        labels = dict(info.labels) if info is not None and info.labels else {}
        if not labels:
            labels = {
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": n,
                "kubernetes.io/os": "linux",
            }
        status = "Ready" if info is None or info.ready else "NotReady"
        if info is not None and any(
            e == "NoSchedule" and k == "node.kubernetes.io/unschedulable"
            for k, _v, e in info.taints
        ):
            status += ",SchedulingDisabled"
        rows.append(
            Row(
                "",
                n,
                [status, _roles(labels), world.clock.age(f"Node/{n}"), KUBERNETES_VERSION],
                [
                    world.node_ip(n),
                    "<none>",
                    "Debian GNU/Linux 12 (bookworm)",
                    "6.8.0-52-generic",
                    "containerd://2.1.3",
                ],
                labels,
                partial(node_dict, world, n),
            )
        )
    return rows


def _namespace(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def _ns_rows(world: World, ns: str | None) -> list[Row]:
    return [
        Row(
            "",
            n,
            ["Active", world.clock.age(f"Namespace/{n}")],
            [],
            {"kubernetes.io/metadata.name": n},
            partial(_namespace, n),
        )
        for n in world.namespaces()
    ]


KINDS: dict[str, Kind] = {
    "pods": Kind(
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        _pod_rows,
    ),
    "services": Kind(
        ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], ["SELECTOR"], _svc_rows
    ),
    "endpointslices": Kind(["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], [], _slice_rows),
    "endpoints": Kind(["NAME", "ENDPOINTS", "AGE"], [], _ep_rows),
    "deployments": Kind(
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        ["CONTAINERS", "IMAGES", "SELECTOR"],
        _deploy_rows,
    ),
    "replicasets": Kind(
        ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
        ["CONTAINERS", "IMAGES", "SELECTOR"],
        _rs_rows,
    ),
    "statefulsets": Kind(["NAME", "READY", "AGE"], ["CONTAINERS", "IMAGES"], _sts_rows),
    "nodes": Kind(
        ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
        ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
        _node_rows,
    ),
    "namespaces": Kind(["NAME", "STATUS", "AGE"], [], _ns_rows),
}


@dataclass(slots=True)
class Request:
    resource: Resource | str
    names: list[str] = field(default_factory=list)


def _requests(args: list[str]) -> list[Request]:
    """`TYPE[,TYPE] [NAME...]` or `TYPE/NAME...` into requests; UsageError for unknown types."""
    if any("/" in a for a in args):
        out: list[Request] = []
        for a in args:
            type_name, slash, name = a.partition("/")
            if not slash:
                raise UsageError(
                    "there is no need to specify a resource type as a separate argument when "
                    "passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' "
                    "instead of 'kubectl get resource resource/<resource_name>'"
                )
            res = _resource(type_name)
            out.append(Request(res, [name]))
        return out
    types, names = args[0], args[1:]
    requests = [
        Request(res)
        for t in types.split(",")
        if t
        for res in (ALL if t.lower() == "all" else [_resource(t)])
    ]
    if names and len(requests) > 1:
        raise UsageError("you must specify only one resource type when providing names")
    if requests:
        requests[0].names = names
    return requests


ALL = [
    res
    for plural in ("pods", "services", "deployments", "replicasets", "statefulsets")
    for res in RESOURCES
    if res.plural == plural
]
"""`kubectl get all`: the `all` category's types (`kubectl api-resources --categories=all`:
pods, replicationcontrollers, services, daemonsets, deployments, replicasets, statefulsets,
horizontalpodautoscalers, cronjobs, jobs) that a lesson's cluster can hold, in that order.
It was refused as `the server doesn't have a resource type "all"`."""


def _resource(name: str) -> Resource | str:
    res = find(name)
    if res is None:
        raise UsageError(f'the server doesn\'t have a resource type "{name}"')
    return res


def run(world: World, argv: list[str], namespace: str) -> Output:
    opts = parse(argv, FLAGS)
    ns = opts.get("namespace") or namespace
    all_ns = opts.on("all-namespaces")
    fmt = opts.get("output")
    if fmt not in ("", "wide", "yaml", "json", "name"):
        printer = fmt.partition("=")[0]  # -o jsonpath='{.spec.clusterIP}': the template after =
        if printer in FORMATS.split(","):
            return Output(
                f"error: -o {printer} is not simulated here; use wide, yaml, json or name\n", 1
            )
        raise UsageError(
            f'unable to match a printer suitable for the output format "{fmt}", '
            f"allowed formats are: {FORMATS}"
        )
    if not opts.args:
        return Output(
            'You must specify the type of resource to get. Use "kubectl api-resources" for a '
            "complete list of supported resources.\n\nerror: Required resource not specified.\n",
            1,
        )
    requests = _requests(opts.args)
    named = any(r.names for r in requests)
    if named and all_ns:
        raise UsageError("a resource cannot be retrieved by name across all namespaces")
    if named and opts.get("selector"):
        raise UsageError("name cannot be provided when a selector is specified")
    selector = opts.get("selector")
    match = parse_selector(selector)
    warnings = ""
    errors: list[str] = []
    sections: list[tuple[Resource, Kind, list[Row]]] = []
    for req in requests:
        res = req.resource
        if isinstance(res, str):
            if req.names:
                errors.extend(
                    f'Error from server (NotFound): {res} "{n}" not found' for n in req.names
                )
            continue
        if res.plural == "endpoints":
            warnings = ENDPOINTS_WARNING
        kind = KINDS[res.plural]
        scope = None if (all_ns or not res.namespaced) else ns
        rows = sorted(kind.rows(world, scope), key=BY_NAMESPACE_AND_NAME)
        if req.names:
            by_name = {r.name: r for r in rows}
            picked = []
            for n in req.names:
                if n in by_name:
                    picked.append(by_name[n])
                else:
                    errors.append(f'Error from server (NotFound): {res.qualified} "{n}" not found')
            rows = picked
        elif selector:
            rows = [r for r in rows if match(r.labels)]
        sections.append((res, kind, rows))
    text = warnings + _print(
        sections, fmt, all_ns, opts.on("show-labels"), opts.on("no-headers"), named
    )
    if opts.on("watch"):
        text += WATCH_NOTE
    total = sum(len(rows) for _, _, rows in sections)
    if total == 0 and not errors and fmt not in ("yaml", "json"):
        where = "" if all_ns else f" in {ns} namespace"
        if all(not r.namespaced for r, _, _ in sections) and sections:
            where = ""
        text += f"No resources found{where}.\n"
    if errors:
        text += "\n".join(errors) + "\n"
    return Output(text, 1 if errors else 0)


def _print(
    sections: list[tuple[Resource, Kind, list[Row]]],
    fmt: str,
    all_ns: bool,
    show_labels: bool,
    no_headers: bool,
    named: bool,
) -> str:
    if fmt in ("yaml", "json"):
        objs = [row.obj() for _, _, rows in sections for row in rows]
        if named and not objs:
            return ""  # every name was not found: only the errors
        if named and len(objs) == 1:
            data: Any = objs[0]
        else:
            data = {
                "apiVersion": "v1",
                "items": objs,
                "kind": "List",
                "metadata": {"resourceVersion": ""},
            }
        return to_yaml(data) if fmt == "yaml" else to_json(data)
    if fmt == "name":
        return "".join(f"{res.prefix}/{row.name}\n" for res, _, rows in sections for row in rows)
    several = len(sections) > 1
    blocks = []
    for res, kind, rows in sections:
        if not rows:
            continue
        header = list(kind.headers)
        if fmt == "wide":
            header += kind.wide
        if show_labels:
            header.append("LABELS")
        if all_ns and res.namespaced:
            header.insert(0, "NAMESPACE")
        lines = [] if no_headers else [header]
        wide, with_ns = fmt == "wide", all_ns and res.namespaced
        for row in rows:
            name = f"{res.prefix}/{row.name}" if several else row.name
            cells = [row.namespace, name, *row.cells] if with_ns else [name, *row.cells]
            if wide:
                cells += row.wide
            if show_labels:
                cells.append(format_labels(row.labels))
            lines.append(cells)
        blocks.append(table(lines))
    return "\n".join(blocks)
