"""`kubectl logs`: kubectl's own answers where the simulated cluster has them, and a plain note
where it has nothing to show.

The simulator works out where each request goes (DNS, kube-proxy, the Pod); it runs no program
and keeps no container output, so it never prints log lines: a made-up line would read as what
the app or kube-proxy did. What it can answer as kubectl does: which Pods a name or a selector
finds in which namespace, and the errors for the rest (K · staging/src/k8s.io/kubectl/pkg/cmd/
logs/logs.go v0.35 · `Complete`: the usage error, "only a selector (-l) or a POD name is
allowed", "error from server (NotFound): ... in namespace", "No resources found in NS
namespace." for a selector that finds none; pkg/polymorphichelpers/logsforobject.go ·
`logsForObjectWithClient`: "container C is not valid for pod P out of: ...").

The simulated cluster holds the manifest's objects only: no kube-system Pods run in it (`kubectl
get pods -n kube-system` finds none), so there is no kube-proxy Pod to read. kube-proxy's work
is shown instead in Behind the scenes (F5): the rules it writes for this cluster.
"""

from __future__ import annotations

from tutor.model.limits import visible
from tutor.model.objects import Pod

from .flags import KUBECTL_GLOBAL, Flag, UsageError, parse
from .output import Output
from .resources import Resource, find
from .selector import parse_selector
from .world import World, containers

USAGE = (
    "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
    "POD or TYPE/NAME is a required argument for the logs command\n"
    "See 'kubectl logs -h' for help and examples"
)
"""logs.go's `logsUsageErrStr`, as `cmdutil.UsageErrorf` ends it."""

FLAGS = [
    *KUBECTL_GLOBAL,
    Flag("selector", "l"),
    Flag("container", "c"),
    Flag("follow", "f", value=False),
    Flag("previous", "p", value=False),
    Flag("prefix", value=False),
    Flag("timestamps", value=False),
    Flag("all-containers", value=False),
    Flag("all-pods", value=False),
    Flag("tail"),
    Flag("since"),
    Flag("since-time"),
    Flag("limit-bytes"),
    Flag("max-log-requests"),
    Flag("pod-running-timeout"),
    Flag("ignore-errors", value=False),
]

NOT_KEPT = (
    "ktutor: the simulator keeps no container logs (it works out where requests go, not what "
    "a program prints); curl from here, or ctrl+t, shows which Pod answers.\n"
)
NO_SYSTEM_PODS = (
    "ktutor: no {ns} Pods run in the simulated cluster (only your manifest's objects), so "
    "there is no kube-proxy log; Behind the scenes (F5) shows kube-proxy's rules.\n"
)


def run(world: World, argv: list[str], namespace: str) -> Output:
    """`kubectl logs POD|pod/POD|-l SELECTOR [-c CONTAINER] [-n NS]` (other flags accepted)."""
    opts = parse(argv, FLAGS)
    ns = opts.get("namespace") or namespace
    selector = opts.get("selector")
    args = opts.args
    if not args and not selector:
        raise UsageError(USAGE)
    if len(args) > 2:
        raise UsageError(USAGE)
    if len(args) == 1 and selector:
        raise UsageError(
            "only a selector (-l) or a POD name is allowed\n"
            "See 'kubectl logs -h' for help and examples"
        )
    container = opts.get("container") or (args[1] if len(args) == 2 else "")
    if selector:
        matches = parse_selector(selector)
        pods = [p for p in world.pods if p.namespace == ns and matches(p.labels)]
        if not pods:
            note = NO_SYSTEM_PODS.format(ns=ns) if ns == "kube-system" else ""
            return Output(f"No resources found in {ns} namespace.\n{note}", 0)
        return _not_kept(world, pods, container)
    kind, _, name = args[0].rpartition("/")
    if kind:
        res = find(kind)
        if res is None:
            raise UsageError(f'the server doesn\'t have a resource type "{visible(kind)[:60]}"')
        if not (isinstance(res, Resource) and res.plural == "pods"):
            plural = res if isinstance(res, str) else res.qualified
            if ns == "kube-system":
                return Output(
                    f'error: error from server (NotFound): {plural} "{visible(name)[:60]}" not '
                    f'found in namespace "{ns}"\n' + NO_SYSTEM_PODS.format(ns=ns),
                    1,
                )
            return Output(
                f"ktutor: kubectl logs {visible(kind)[:30]}/ is not simulated here "
                "(try: kubectl logs POD, or kubectl logs -l SELECTOR)\n",
                1,
            )
    pod = world.pod(ns, name)
    if pod is None:
        note = NO_SYSTEM_PODS.format(ns=ns) if ns == "kube-system" else ""
        return Output(
            f'error: error from server (NotFound): pods "{visible(name)[:60]}" not found in '
            f'namespace "{ns}"\n{note}',
            1,
        )
    return _not_kept(world, [pod], container)


def _not_kept(world: World, pods: list[Pod], container: str) -> Output:
    """The note for Pods that exist, after kubectl's check of the container name."""
    if container:
        for pod in pods:
            names = [n for n, _ in containers(world.pod_spec(pod))]
            if names and container not in names:
                return Output(
                    f"error: container {visible(container)[:60]} is not valid for pod "
                    f"{pod.name} out of: {', '.join(names)}\n",
                    1,
                )
    return Output(NOT_KEPT, 1)
