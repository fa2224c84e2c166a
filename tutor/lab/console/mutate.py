"""kubectl's mutating verbs, each made through the learner's ClusterChanges, the same path the
routing view's keys take (`l` labels, `d` delete, `-`/`a` scale), so a command and a key make
the same cluster change. Services live in the YAML the learner edits: `expose` hands back a
Service to add to the manifest and `edit` opens the editor at the Service.

Texts: K · staging/src/k8s.io/kubectl/pkg/cmd/label/label.go (`labeled`, `not labeled`,
`'%s' already has a value (%s), and --overwrite is false`), cmd/scale/scale.go (`scaled`,
`The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0`),
cmd/delete/delete.go · `PrintObj` (`pod "x" deleted from NS namespace` since v1.34, `force
deleted` with `--force`), cmd/expose/expose.go (`exposed`),
cmd/portforward/portforward.go and client-go/tools/portforward (`Forwarding from ...`).
"""

from __future__ import annotations

from tutor.model.changes import ClusterChanges
from tutor.model.endpoints import find_port
from tutor.model.names import is_label_value, is_qualified_name
from tutor.model.objects import Pod

from .flags import KUBECTL_GLOBAL, Flag, UsageError, parse
from .output import AppendManifest, Changed, OpenEditor, Output
from .world import World, containers
from .yamlout import to_yaml


def _not_found(qualified: str, name: str) -> Output:
    return Output(f'Error from server (NotFound): {qualified} "{name}" not found\n', 1)


def _type_name(args: list[str], expected: tuple[str, ...], verb: str) -> tuple[str, str]:
    """`TYPE NAME` or `TYPE/NAME`; UsageError for anything else."""
    if len(args) == 1 and "/" in args[0]:
        kind, _, name = args[0].partition("/")
    elif len(args) >= 2:
        kind, name = args[0], args[1]
    elif len(args) == 1:
        if args[0].lower() in expected:
            raise UsageError("resource(s) were provided, but no name was specified")
        raise UsageError(f'the server doesn\'t have a resource type "{args[0]}"')
    else:
        raise UsageError("You must provide one or more resources by argument or filename.")
    if kind.lower() not in expected:
        from .resources import find

        if find(kind) is None:
            raise UsageError(f'the server doesn\'t have a resource type "{kind}"')
        raise UsageError(f"kubectl {verb} {kind} is not simulated here (try: {expected[0]})")
    return kind, name


LABEL_FLAGS = [*KUBECTL_GLOBAL, Flag("overwrite", value=False)]


def label(world: World, changes: ClusterChanges, argv: list[str], namespace: str) -> Output:
    opts = parse(argv, LABEL_FLAGS)
    ns = opts.get("namespace") or namespace
    args = opts.args
    specs_at = 1 if args and "/" in args[0] else 2
    _, name = _type_name(args[:specs_at], ("pod", "pods", "po"), "label")
    specs = args[specs_at:]
    if not specs:
        raise UsageError("at least one label update is required")
    pod = world.pod(ns, name)
    if pod is None:
        return _not_found("pods", name)
    labels = dict(pod.labels)
    changed = False
    for spec in specs:
        if spec.endswith("-") and "=" not in spec:
            key = spec[:-1]
            changed |= labels.pop(key, None) is not None
            continue
        key, eq, value = spec.partition("=")
        if not eq or is_qualified_name(key) or is_label_value(value):
            raise UsageError(f"invalid label spec: {spec}")
        if key in labels and labels[key] != value and not opts.on("overwrite"):
            return Output(
                f"error: '{key}' already has a value ({labels[key]}), and --overwrite is false\n",
                1,
            )
        changed |= labels.get(key) != value
        labels[key] = value
    if not changed:
        return Output(f"pod/{name} not labeled\n")
    changes.set_labels(pod.ref, labels)
    removed_only = all(s.endswith("-") and "=" not in s for s in specs)
    word = "unlabeled" if removed_only else "labeled"
    return Output(f"pod/{name} {word}\n", 0, [Changed(f"{name}'s labels changed")])


SCALE_FLAGS = [*KUBECTL_GLOBAL, Flag("replicas")]
SCALABLE = (
    "deployment",
    "deployments",
    "deploy",
    "statefulset",
    "statefulsets",
    "sts",
    "replicaset",
    "replicasets",
    "rs",
)


def scale(world: World, changes: ClusterChanges, argv: list[str], namespace: str) -> Output:
    opts = parse(argv, SCALE_FLAGS)
    ns = opts.get("namespace") or namespace
    count = opts.get("replicas", "-1")
    try:
        replicas = int(count)
    except ValueError:
        raise UsageError(
            f'invalid argument "{count}" for "--replicas" flag: strconv.ParseInt: '
            f'parsing "{count}": invalid syntax'
        ) from None
    if replicas < 0:
        raise UsageError(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"
        )
    kind_word, name = _type_name(opts.args, SCALABLE, "scale")
    kind = {"d": "Deployment", "s": "StatefulSet", "r": "ReplicaSet"}[kind_word[0].lower()]
    wl = next(
        (
            w
            for w in world.analysis.cluster.workloads
            if w.kind == kind and w.name == name and w.namespace == ns
        ),
        None,
    )
    qualified = f"{kind.lower()}s.apps"
    if wl is None:
        return _not_found(qualified, name)
    message = changes.scale(world.analysis.cluster, wl.ref, replicas, namespace=ns)
    return Output(f"{kind.lower()}.apps/{name} scaled\n", 0, [Changed(message)])


def delete(world: World, changes: ClusterChanges, argv: list[str], namespace: str) -> Output:
    opts = parse(
        argv,
        [
            *KUBECTL_GLOBAL,
            Flag("now", value=False),
            Flag("force", value=False),
            Flag("grace-period"),
        ],
    )
    ns = opts.get("namespace") or namespace
    grace = _grace_period(opts.get("grace-period") or None, opts.on("now"), opts.on("force"))
    args = opts.args
    if len(args) == 1 and "/" not in args[0] and args[0].lower() in ("pod", "pods", "po"):
        raise UsageError("resource(s) were provided, but no name was specified")
    if len(args) >= 2 and "/" not in args[0]:
        names = args[1:]
        _type_name(args[:2], ("pod", "pods", "po"), "delete")
    else:
        names = []
        for a in args:
            _, n = _type_name([a], ("pod", "pods", "po"), "delete")
            names.append(n)
    out, code, effects = "", 0, []
    operation = "deleted"
    if grace == 0:
        out += (
            "Warning: Immediate deletion does not wait for confirmation that the running "
            "resource has been terminated. The resource may continue to run on the cluster "
            "indefinitely.\n"
        )
        operation = "force deleted"
    for name in names:
        pod = world.pod(ns, name)
        if pod is None:
            out += f'Error from server (NotFound): pods "{name}" not found\n'
            code = 1
            continue
        message = changes.delete_pod(world.analysis.cluster, pod.ref)
        out += f'pod "{name}" {operation} from {ns} namespace\n'
        effects.append(Changed(message))
    return Output(out, code, list(effects))


def _grace_period(given: str | None, now: bool, force: bool) -> int:
    """The grace period kubectl delete settles on (K · cmd/delete/delete.go · `Complete` and
    `Validate`): `--now` is 1, `--grace-period=0` without `--force` becomes 1, `--force` alone
    is 0; -1 means the Pod's own."""
    period = -1
    if given is not None:
        try:
            period = int(given)
        except ValueError:
            raise UsageError(
                f'invalid argument "{given}" for "--grace-period" flag: strconv.ParseInt: '
                f'parsing "{given}": invalid syntax'
            ) from None
    if now:
        if period != -1:
            raise UsageError("--now and --grace-period cannot be specified together")
        period = 1
    if period == 0 and not force:
        period = 1
    if force and period < 0:
        period = 0
    if force and period > 0:
        raise UsageError("--force and --grace-period greater than 0 cannot be specified together")
    return period


EXPOSE_FLAGS = [
    *KUBECTL_GLOBAL,
    Flag("port"),
    Flag("target-port"),
    Flag("name"),
    Flag("type"),
    Flag("protocol"),
]


def expose(world: World, argv: list[str], namespace: str) -> Output:
    opts = parse(argv, EXPOSE_FLAGS)
    ns = opts.get("namespace") or namespace
    _, name = _type_name(opts.args, ("deployment", "deployments", "deploy"), "expose")
    wl = world.deployment(ns, name)
    if wl is None:
        return _not_found("deployments.apps", name)
    port_text = opts.get("port")
    if not port_text:
        spec = world.pod_template(wl).get("spec")
        declared = [
            p.get("containerPort")
            for c in (spec.get("containers") or [] if isinstance(spec, dict) else [])
            if isinstance(c, dict)
            for p in (c.get("ports") or [])
            if isinstance(p, dict)
        ]
        if not declared:
            return Output("error: couldn't find port via --port flag or introspection\n", 1)
        port_text = str(declared[0])
    try:
        port = int(port_text)
    except ValueError:
        raise UsageError(f'invalid argument "{port_text}" for "--port" flag') from None
    svc_name = opts.get("name") or name
    if world.service(ns, svc_name) is not None:
        return Output(
            f'Error from server (AlreadyExists): services "{svc_name}" already exists\n', 1
        )
    target: int | str = opts.get("target-port") or port
    if isinstance(target, str) and target.isdigit():
        target = int(target)
    svc_type = opts.get("type") or "ClusterIP"
    obj = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": svc_name, "namespace": ns} if ns != "default" else {"name": svc_name},
        "spec": {
            "ports": [
                {"port": port, "protocol": opts.get("protocol") or "TCP", "targetPort": target}
            ],
            "selector": dict(wl.selector),
            "type": svc_type,
        },
    }
    text = to_yaml(obj)
    return Output(f"service/{svc_name} exposed\n", 0, [AppendManifest(text, "Service", svc_name)])


def edit(world: World, argv: list[str], namespace: str) -> Output:
    opts = parse(argv, [*KUBECTL_GLOBAL, Flag("output", "o")])
    ns = opts.get("namespace") or namespace
    _, name = _type_name(opts.args, ("service", "services", "svc"), "edit")
    svc = world.service(ns, name)
    if svc is None or svc.source.document < 0:
        return _not_found("services", name)
    return Output("", 0, [OpenEditor("Service", ns, name)])


def first_pod(world: World, pods: list[Pod]) -> Pod | None:
    """The Pod `kubectl port-forward svc/...` attaches to (K · kubectl/pkg/util/podutils ·
    `ByLogging` via `GetFirstPod`): Running and Ready Pods before others, then the oldest."""
    if not pods:
        return None

    def key(p: Pod) -> tuple[int, int, int, float, str]:
        return (
            0 if p.node_name else 1,
            0 if p.phase == "Running" else 1,
            0 if p.ready_condition == "True" else 1,
            -world.clock.seconds(f"Pod/{p.ref}"),
            p.name,
        )

    return sorted(pods, key=key)[0]


def port_forward(world: World, argv: list[str], namespace: str) -> Output:
    opts = parse(argv, [*KUBECTL_GLOBAL, Flag("address")])
    ns = opts.get("namespace") or namespace
    if len(opts.args) < 2:
        raise UsageError("TYPE/NAME and list of ports are required for port-forward")
    target, *specs = opts.args
    kind, slash, name = target.partition("/")
    if not slash:
        kind, name = "pod", target
    pod: Pod | None
    svc = None
    if kind.lower() in ("svc", "service", "services"):
        svc = world.service(ns, name)
        if svc is None:
            return _not_found("services", name)
        se = world.endpoints_of(svc)
        pod = first_pod(world, list(se.selected) if se is not None else [])
        if pod is None:
            return Output("error: timed out waiting for the condition\n", 1)
    elif kind.lower() in ("pod", "pods", "po"):
        pod = world.pod(ns, name)
        if pod is None:
            return _not_found("pods", name)
    else:
        raise UsageError(f"kubectl port-forward {kind}/ is not simulated here (try svc/ or pod/)")
    lines = []
    for spec in specs:
        local, colon, remote = spec.partition(":")
        remote = remote if colon else local
        local = local or remote
        if not remote.isdigit() or (local and not local.isdigit()):
            return Output(f"error: Error parsing local port '{local}': invalid port\n", 1)
        port = int(remote)
        if svc is not None:
            sp = next((p for p in svc.ports if p.port == port), None)
            if sp is None:
                return Output(f"error: Service {name} does not have a service port {port}\n", 1)
            found = find_port(pod, sp.target_port, sp.protocol)
            if found is None:
                return Output(
                    f"error: Pod '{pod.name}' does not have a named port '{sp.target_port}'\n", 1
                )
            port = found
        lines.append(f"Forwarding from 127.0.0.1:{local} -> {port}")
        lines.append(f"Forwarding from [::1]:{local} -> {port}")
    note = (
        f"ktutor: kubectl picked one Pod, {pod.name}, and forwards every connection to it: "
        "port-forward goes straight to that Pod, not through the Service's load balancing."
        if svc is not None
        else f"ktutor: every connection goes to Pod {pod.name}."
    )
    return Output("\n".join(lines) + "\n" + note + "\n")


def container_names(world: World, pod: Pod) -> list[str]:
    return [n for n, _ in containers(world.pod_spec(pod))]
