"""The console: one typed line in, what the real tools would print out.

`Console.run(line, analysis)` reads the line as a shell would (words, quotes, `|`), runs
kubectl, nslookup, dig, curl, env or grep against the simulated cluster and returns an Output:
the text, an exit code and effects for the screen (clear, a cluster change made through the
learner's ClusterChanges, open the editor, add a Service to the manifest). It never raises for
anything typed: every refusal is the tool's own one line, and control characters in the output
are spelled out (`\\u001b`) so nothing reaches the terminal raw.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tutor.model.analysis import Analysis
from tutor.model.changes import AddedPod, ClusterChanges
from tutor.model.console_words import KNOWN_KUBECTL, TOOLS
from tutor.model.dns import NDOTS, search_path
from tutor.model.limits import visible
from tutor.model.objects import Service
from tutor.model.proxy import Client

from .env import environment
from .flags import KUBECTL_GLOBAL, Flag, UsageError, parse
from .line import LineError, split
from .output import Clear, Output
from .world import DNS_SERVER, EPOCH, INITIAL_AGE, Clock, World

MAX_OUTPUT_LINES = 2000
"""Longest output kept from one command (a 10,000-Pod `get pods` is cut, saying so)."""


def _cat(paths: list[str], namespace: str) -> Output:
    """busybox `cat`: /etc/resolv.conf is the client Pod's, as kubelet writes it for the
    default `dnsPolicy: ClusterFirst` (the search path of its namespace, the kube-dns ClusterIP,
    ndots); no other file is simulated, and it says so. Lesson 14 says to read it, and `cat`
    was `sh: cat: not found`, in a busybox shell that has it."""
    out, code = [], 0
    for path in paths:
        if path == "/etc/resolv.conf":
            out.append(
                f"search {' '.join(search_path(namespace))}\nnameserver {DNS_SERVER}\n"
                f"options ndots:{NDOTS}\n"
            )
        else:
            # a real Pod has its /etc/hosts and more: "No such file" would be false
            out.append(
                "ktutor: only /etc/resolv.conf is simulated here (cat reads no other file)\n"
            )
            code = 1
    return Output("".join(out), code)


HELP = """\
Commands (run against the simulated cluster; output as the real tools print it):
  kubectl get svc|pods|endpointslices|endpoints|deploy|nodes [NAME] [-n NS|-A]
              [-o wide|yaml|json|name] [-l SELECTOR] [--show-labels]
  kubectl describe svc|pod|endpointslice|endpoints NAME
  kubectl label pod NAME KEY=VALUE [--overwrite]     kubectl delete pod NAME
  kubectl scale deploy NAME --replicas=N             kubectl edit svc NAME
  kubectl expose deploy NAME --port P [--target-port T]
  kubectl port-forward svc/NAME LOCAL:PORT
  kubectl logs POD|-l SELECTOR                       (no logs are kept: says why)
  kubectl run debug --image=busybox -it --rm -- sh   (then: exit)
  kubectl debug -it POD --image=busybox [--target=C] (a shell in POD's network; then: exit)
  nslookup NAME      dig NAME [A|SRV|AAAA] [+short] [+search]   cat /etc/resolv.conf
  curl [-s] [-m SECONDS] http://NAME:PORT/PATH       env | grep SERVICE
  clear   help   history
Simulated: Pods run agnhost netexec (they answer with their own name), are 10 minutes old when
the console starts, and nslookup is busybox 1.28's. Events in describe are simulated.
"""

ATTACHED = (
    "All commands and output from this session will be recorded in container logs, including "
    "credentials and sensitive information passed through the command prompt.\n"
    "If you don't see a command prompt, try pressing enter.\n"
)
"""What kubectl prints when it attaches to a container (cmd/attach/attach.go v0.35 · `Run`)."""


def _suffix(seed: int, taken: list[str]) -> str:
    """Five letters from utilrand's alphabet, as kubectl names a debug container; from the
    console's own counter, so a transcript is the same each time."""
    from tutor.model.manifests import SUFFIX_ALPHABET

    rng = random.Random(seed)
    while True:
        word = "".join(rng.choice(SUFFIX_ALPHABET) for _ in range(5))
        if f"debugger-{word}" not in taken:
            return word


VERBS = TOOLS
"""The commands the console runs (`tutor.model.console_words`: lint and `ran` goals read the
same table)."""


@dataclass(slots=True)
class ClientPod:
    """Where nslookup, dig, curl and env run: a Pod in a namespace on a node."""

    name: str
    namespace: str
    ip: str
    node: str
    services: list[Service] | None = None
    """The Services when the container started (for `env`); None means "as now"."""
    debug: bool = False
    """True for the Pod `kubectl run ... --rm` made (deleted again on `exit`)."""
    ephemeral: str = ""
    """The debug container `kubectl debug` added to this Pod (`exit` ends it; the Pod stays)."""
    parent: ClientPod | None = None
    """Where `exit` returns: the shell the learner was in before `run` or `debug`."""

    @property
    def client(self) -> Client:
        return Client(self.name, self.ip, self.node)

    @property
    def entered(self) -> bool:
        """The learner is in a shell they started (`kubectl run -it`, `kubectl debug -it`):
        it stays the client until `exit`, whatever the routing view's client is."""
        return self.debug or bool(self.ephemeral)


DEFAULT_CLIENT = ClientPod("client", "default", "10.244.1.100", "node-1")
"""The routing view's first client: a Pod on node-1."""


@dataclass(slots=True)
class Console:
    """One learner's console: history, the client Pod, and the cluster changes it shares with
    the routing view."""

    changes: ClusterChanges = field(default_factory=ClusterChanges)
    now: Callable[[], float] = time.monotonic
    client: ClientPod = field(default_factory=lambda: DEFAULT_CLIENT)
    namespace: str = "default"
    history: list[str] = field(default_factory=list)
    seed: int = 0
    initial_age: float = INITIAL_AGE
    """How old the objects present at the console's first look are (simulated)."""
    clock: Clock = field(init=False)
    _world: tuple[Analysis, World] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.clock = Clock(self.now, self.initial_age)

    @property
    def prompt(self) -> str:
        """busybox sh's prompt (`/ # `), after the client Pod's name."""
        return f"{self.client.name}:/ # "

    def world(self, analysis: Analysis) -> World:
        """The cluster of `analysis` as kubectl sees it; made once per analysis (each line
        would otherwise look at every object again: 500 Pods, a millisecond), since the same
        analysis holds the same objects and the clock already knows them."""
        kept = self._world
        if kept is not None and kept[0] is analysis and kept[1].clock is self.clock:
            return kept[1]
        world = World.build(analysis, self.clock)
        self._world = (analysis, world)
        return world

    def run(self, line: str, analysis: Analysis) -> Output:
        """Run one typed line. Never raises: every failure is one line of the tool's text."""
        stripped = line.strip()
        if stripped:
            self.history.append(visible(stripped)[:500])
        try:
            out = self._run(stripped, analysis)
        except LineError as exc:
            out = Output(f"{exc}\n", 2)
        except UsageError as exc:
            out = Output(f"error: {exc}\n", 1)
        except Exception as exc:  # a console never shows a traceback
            out = Output(f"ktutor: the simulator could not run this ({type(exc).__name__})\n", 1)
        out.text = _safe(out.text)
        return out

    def _run(self, line: str, analysis: Analysis) -> Output:
        if not line:
            return Output()
        pipeline = split(line)
        if not pipeline:
            return Output()
        out = self._command(pipeline[0], analysis)
        for stage in pipeline[1:]:
            out = _filter(stage, out)
        return out

    def _command(self, argv: list[str], analysis: Analysis) -> Output:
        cmd, args = argv[0], argv[1:]
        if cmd == "kubectl":
            return self._kubectl(args, analysis)
        if cmd == "clear":
            return Output("", 0, [Clear()])
        if cmd == "help":
            return Output(HELP)
        if cmd == "history":
            return Output("".join(f"{i:5d}  {h}\n" for i, h in enumerate(self.history, 1)))
        if cmd == "exit":
            return self._exit(analysis)
        if cmd in ("nslookup", "dig"):
            from . import dnstools
        if cmd == "nslookup":
            return dnstools.nslookup(self.world(analysis), args, self.client.namespace)
        if cmd == "dig":
            return dnstools.dig(self.world(analysis), args, self.client.namespace, self._when())
        if cmd == "curl":
            from . import curl

            self.seed += 1
            return curl.run(self.world(analysis), args, self.client, self.seed)
        if cmd == "wget":
            from . import curl

            self.seed += 1
            return curl.wget(self.world(analysis), args, self.client, self.seed)
        if cmd == "env":
            world = self.world(analysis)
            services = self.client.services
            if services is None:
                services = world.services
            ns = self.client.namespace
            visible_svcs = [
                s
                for s in services
                if s.namespace == ns
                or (s.name == "kubernetes" and s.namespace == "default" and s.source.document < 0)
            ]
            return Output("".join(v + "\n" for v in environment(self.client.name, visible_svcs)))
        if cmd == "cat":
            return _cat(args, self.client.namespace)
        if cmd == "grep":
            return (
                Output("", 1)
                if args
                else Output(
                    "BusyBox v1.28.4 multi-call binary.\n\nUsage: grep [-HhnlLoqvsriwFE] [-m N] [-A/B/C N] PATTERN/-e PATTERN.../-f FILE [FILE]...\n",
                    2,
                )
            )
        name = visible(cmd)
        if len(name) > 60:
            name = name[:60] + "…"
        return Output(f"sh: {name}: not found\n", 127)

    def _kubectl(self, args: list[str], analysis: Analysis) -> Output:
        pre = parse_leading(args)
        if not pre:
            return Output(
                "kubectl controls the Kubernetes cluster manager.\n\n"
                "Try: kubectl get pods, kubectl get svc, kubectl describe svc NAME "
                "(type `help` for the commands simulated here).\n"
            )
        verb, rest = pre[0], pre[1:]
        ns = self.namespace
        from . import describe, get, mutate  # loaded on the first kubectl command

        if verb == "get":
            return get.run(self.world(analysis), rest, ns)
        if verb == "describe":
            return describe.run(self.world(analysis), rest, ns)
        if verb == "label":
            return mutate.label(self.world(analysis), self.changes, rest, ns)
        if verb == "scale":
            return mutate.scale(self.world(analysis), self.changes, rest, ns)
        if verb == "delete":
            return mutate.delete(self.world(analysis), self.changes, rest, ns)
        if verb == "expose":
            return mutate.expose(self.world(analysis), rest, ns)
        if verb == "edit":
            return mutate.edit(self.world(analysis), rest, ns)
        if verb == "port-forward":
            return mutate.port_forward(self.world(analysis), rest, ns)
        if verb == "run":
            return self._run_pod(rest, analysis)
        if verb == "debug":
            return self._debug(rest, analysis)
        if verb == "logs":
            from . import logs

            return logs.run(self.world(analysis), rest, ns)
        if verb in KNOWN_KUBECTL:
            return Output(
                f"ktutor: kubectl {verb} is not simulated here; type `help` for the commands "
                "that are\n",
                1,
            )
        shown = visible(verb)[:60]
        return Output(f'error: unknown command "{shown}" for "kubectl"\n', 1)

    def _run_pod(self, args: list[str], analysis: Analysis) -> Output:
        opts = parse(
            args,
            [
                *KUBECTL_GLOBAL,
                Flag("image"),
                Flag("stdin", "i", value=False),
                Flag("tty", "t", value=False),
                Flag("rm", value=False),
                Flag("restart"),
                Flag("command", value=False),
                Flag("labels", "l"),
            ],
        )
        if not opts.args:
            raise UsageError("NAME is required for run")
        if not opts.get("image"):
            raise UsageError("--image is required")
        name = opts.args[0]
        ns = opts.get("namespace") or self.namespace
        world = self.world(analysis)
        if world.pod(ns, name) is not None:
            return Output(f'Error from server (AlreadyExists): pods "{name}" already exists\n', 1)
        if not (opts.on("stdin") and opts.on("tty")):
            return Output(
                "ktutor: only an interactive debug Pod is simulated: "
                "kubectl run debug --image=busybox -it --rm -- sh\n",
                1,
            )
        self.changes.counter += 1
        self.changes.added.append(AddedPod(name, ns, {"run": name}))
        from tutor.model.changes import analyze_with_changes

        after = analyze_with_changes(analysis.text, self.changes, network=analysis.cluster.network)
        pod = after.cluster.pod(f"{ns}/{name}")
        ip = pod.ip if pod is not None else "10.244.1.200"
        node = pod.node_name if pod is not None else "node-1"
        self.client = ClientPod(
            name, ns, ip, node, services=list(world.services), debug=True, parent=self.client
        )
        from .output import Changed

        return Output(
            ATTACHED,
            0,
            [Changed(f"Pod {name} started on {node}; the console now runs in it")],
        )

    def _debug(self, args: list[str], analysis: Analysis) -> Output:
        """`kubectl debug -it POD --image=IMAGE [--target=CONTAINER]`: an ephemeral container
        in POD, which shares POD's network namespace, so nslookup, dig and curl run as POD
        itself would (its IP, its node, its namespace's DNS search path).

        K · staging/src/k8s.io/kubectl/pkg/cmd/debug/debug.go (v0.35) · `Validate` (its
        errors, "Targeting container", the `--profile=legacy` deprecation line, since legacy
        is still the default), `computeDebugContainerName` ("debugger-" and five letters of
        utilrand), cmd/attach/attach.go · `Run` and `reattachMessage`; the API server refuses
        an unknown target (K · pkg/apis/core/validation · `validateEphemeralContainers`)."""
        opts = parse(
            args,
            [
                *KUBECTL_GLOBAL,
                Flag("image"),
                Flag("stdin", "i", value=False),
                Flag("tty", "t", value=False),
                Flag("target"),
                Flag("container", "c"),
                Flag("profile"),
                Flag("quiet", "q", value=False),
                Flag("copy-to"),
                Flag("share-processes", value=False),
            ],
        )
        if opts.get("copy-to"):
            return Output(
                "ktutor: kubectl debug --copy-to is not simulated here; an ephemeral container "
                "(kubectl debug -it POD --image=busybox) is\n",
                1,
            )
        image = opts.get("image") or ""
        if not image:
            raise UsageError("you must specify --image when not using --copy-to.")
        if not opts.args:
            raise UsageError("NAME or filename is required for debug")
        target = opts.get("target") or ""
        quiet = opts.on("quiet")
        out = ""
        if target and not quiet:
            out += (
                f'Targeting container "{target}". If you don\'t see processes from this '
                "container it may be because the container runtime doesn't support this "
                "feature.\n"
            )
        if opts.on("tty") and not opts.on("stdin"):
            return Output(
                out + "error: -i/--stdin is required for containers with -t/--tty=true\n", 1
            )
        profile = opts.get("profile") or "legacy"
        if profile == "legacy":
            out += (
                "--profile=legacy is deprecated and will be removed in the future. It is "
                'recommended to explicitly specify a profile, for example "--profile=general".\n'
            )
        kind, _, name = opts.args[0].rpartition("/")
        if kind and kind.lower() not in ("pod", "pods", "po"):
            return Output(
                out + f"ktutor: kubectl debug {visible(kind)[:30]}/ is not simulated here "
                "(try: kubectl debug -it POD --image=busybox)\n",
                1,
            )
        ns = opts.get("namespace") or self.namespace
        world = self.world(analysis)
        pod = world.pod(ns, name)
        if pod is None:
            shown = visible(name)[:60]
            return Output(out + f'Error from server (NotFound): pods "{shown}" not found\n', 1)
        from .world import containers

        spec = world.pod_spec(pod)
        names = [n for n, _ in containers(spec)]
        container = opts.get("container") or ""
        if not container:
            container = "debugger-" + _suffix(self.seed + len(self.history), names)
            if not quiet:
                out += f"Defaulting debug container name to {container}.\n"
        if target and target not in names:  # the API server refuses the patch
            return Output(
                out + f'The Pod "{pod.name}" is invalid: spec.ephemeralContainers[0]'
                f'.targetContainerName: Not found: "{visible(target)[:60]}"\n',
                1,
            )
        if not (opts.on("stdin") and opts.on("tty")):
            return Output(
                out + "ktutor: only an interactive debug container is simulated: "
                "kubectl debug -it POD --image=busybox\n",
                1,
            )
        self.client = ClientPod(
            pod.name,
            pod.namespace,
            pod.ip,
            pod.node_name or "node-1",
            services=list(world.services),
            ephemeral=container,
            parent=self.client,
        )
        from .output import Changed

        return Output(
            out + ("" if quiet else ATTACHED),
            0,
            [Changed(f"a debug container in {pod.name}: the console now runs in its network")],
        )

    def _exit(self, analysis: Analysis) -> Output:
        """Leave a `run` or `debug` shell with what kubectl prints when the attach ends
        (cmd/attach/attach.go v0.35 · `reattachMessage`), then `run --rm`'s deletion
        (cmd/delete/delete.go · `PrintObj`: "deleted from NS namespace" since v1.34)."""
        pod = self.client
        if not pod.entered:
            return Output("ktutor: this is the console's own shell; F8 closes the console\n", 0)
        self.client = pod.parent or DEFAULT_CLIENT
        from .output import Changed

        if pod.ephemeral:
            return Output(
                "Session ended, the ephemeral container will not be restarted but may be "
                f"reattached using 'kubectl attach {pod.name} -c {pod.ephemeral} -i -t' if it "
                "is still running\n",
                0,
                [Changed(f"left the debug container in {pod.name}")],
            )
        cluster = analysis.cluster
        self.changes.delete_pod(cluster, f"{pod.namespace}/{pod.name}")
        return Output(
            f"Session ended, resume using 'kubectl attach {pod.name} -c {pod.name} -i -t' "
            "command when the pod is running\n"
            f'pod "{pod.name}" deleted from {pod.namespace} namespace\n',
            0,
            [Changed(f"Pod {pod.name} deleted")],
        )

    def _when(self) -> str:
        import datetime as dt

        start = self.clock.start if self.clock.start is not None else self.now()
        t = EPOCH + dt.timedelta(seconds=int(self.now() - start))
        return t.strftime("%a %b %d %H:%M:%S UTC %Y")


def parse_leading(args: list[str]) -> list[str]:
    """kubectl's global flags may come before the verb (`kubectl -n shop get svc`): move them
    after it so the verb's parser sees them."""
    lead: list[str] = []
    i = 0
    while i < len(args) and args[i].startswith("-"):
        lead.append(args[i])
        if args[i] in ("-n", "--namespace", "--context", "--kubeconfig") and i + 1 < len(args):
            lead.append(args[i + 1])
            i += 1
        i += 1
    rest = args[i:]
    if not rest:
        if lead:
            parse(lead, KUBECTL_GLOBAL)
        return []
    return [rest[0], *lead, *rest[1:]]


def _filter(stage: list[str], out: Output) -> Output:
    """`| grep [-i] [-v] [-E] PATTERN` over the previous command's output."""
    cmd, args = stage[0], stage[1:]
    if cmd != "grep":
        name = visible(cmd)[:60]
        return Output(f"sh: {name}: not found\n", 127)
    flags = [a for a in args if a.startswith("-") and len(a) > 1]
    words = [a for a in args if not (a.startswith("-") and len(a) > 1)]
    if not words:
        return Output(
            "BusyBox v1.28.4 multi-call binary.\n\nUsage: grep [-HhnlLoqvsriwFE] [-m N] [-A/B/C N] PATTERN/-e PATTERN.../-f FILE [FILE]...\n",
            2,
        )
    ignore = any("i" in f for f in flags)
    invert = any("v" in f for f in flags)
    try:
        rx = re.compile(words[0], re.IGNORECASE if ignore else 0)
    except re.error:
        rx = re.compile(re.escape(words[0]), re.IGNORECASE if ignore else 0)
    lines = [ln for ln in out.text.splitlines() if bool(rx.search(ln)) != invert]
    return Output("".join(ln + "\n" for ln in lines), 0 if lines else 1, out.effects)


def _safe(text: str) -> str:
    """Control characters spelled out, at most MAX_OUTPUT_LINES lines."""
    text = visible(text)
    if text.count("\n") > MAX_OUTPUT_LINES:
        lines = text.split("\n")
        text = "\n".join(lines[:MAX_OUTPUT_LINES]) + (
            f"\nktutor: {len(lines) - MAX_OUTPUT_LINES:,} more lines not shown\n"
        )
    return text
