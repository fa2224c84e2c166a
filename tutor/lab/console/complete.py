"""Tab completion for the console: commands, kubectl verbs, resource types, object names and
flags, from the cluster as it is now (like kubectl's shell completion, `kubectl completion`)."""

from __future__ import annotations

import shlex

from tutor.model.console_words import KUBECTL_VERBS

from .session import VERBS, Console
from .world import World

TYPES = {
    "get": ("svc", "pods", "endpointslices", "endpoints", "deploy", "nodes", "statefulsets",
            "replicasets", "namespaces"),
    "describe": ("svc", "pod", "endpointslice", "endpoints"),
    "label": ("pod",),
    "delete": ("pod",),
    "scale": ("deploy", "statefulset"),
    "expose": ("deploy",),
    "edit": ("svc",),
    "port-forward": ("svc/", "pod/"),
}  # fmt: skip
FLAGS = {
    "get": ("-A", "-n", "-o", "-l", "--show-labels", "--all-namespaces", "--namespace",
            "--output", "--selector"),
    "describe": ("-n", "--namespace"),
    "label": ("--overwrite", "-n"),
    "scale": ("--replicas=", "-n"),
    "expose": ("--port", "--target-port", "--name", "--type"),
    "run": ("--image=busybox", "-it", "--rm", "--restart=Never", "--"),
    "debug": ("-it", "--image=busybox", "--target=", "-n"),
}  # fmt: skip
OUTPUTS = ("wide", "yaml", "json", "name")


def _names(world: World, kind: str, namespace: str) -> list[str]:
    kind = kind.lower().rstrip("/")
    if kind in ("svc", "service", "services"):
        return [s.name for s in world.services if s.namespace == namespace]
    if kind in ("pod", "pods", "po"):
        return [p.name for p in world.pods if p.namespace == namespace]
    if kind in ("endpointslice", "endpointslices"):
        return [d["metadata"]["name"] for d in world.all_slices(namespace)]
    if kind in ("endpoints", "ep"):
        return [s.name for s in world.services if s.namespace == namespace]
    if kind in ("deploy", "deployment", "deployments"):
        return [d.name for d in world.deployments if d.namespace == namespace]
    if kind in ("statefulset", "statefulsets", "sts"):
        return [
            w.name
            for w in world.analysis.cluster.workloads
            if w.kind == "StatefulSet" and w.namespace == namespace
        ]
    if kind in ("node", "nodes", "no"):
        return list(world.nodes)
    if kind in ("namespace", "namespaces", "ns"):
        return world.namespaces()
    return []


def candidates(line: str, world: World, console: Console) -> list[str]:
    """The words that could stand where the line's last word is (all of them when the line
    ends with a space), sorted; the last word is what they must start with."""
    try:
        words = shlex.split(line)
    except ValueError:
        return []
    if line.endswith(" ") or not words:
        words.append("")
    *before, word = words
    options: list[str]
    if not before:
        options = list(VERBS)
    elif before[0] == "kubectl":
        options = _kubectl(before[1:], word, world, console)
    elif before[0] in ("nslookup", "dig", "curl", "wget"):
        options = [s.name for s in world.services if s.namespace == console.client.namespace]
        if before[0] == "curl":
            options = [f"http://{o}" for o in options] + ["-s", "-m"]
    elif before[0] == "env":
        options = ["|"]
    elif before[0] == "cat":
        options = ["/etc/resolv.conf"]  # the one file the console keeps
    else:
        options = []
    return sorted({o for o in options if o.startswith(word)})


def _kubectl(args: list[str], word: str, world: World, console: Console) -> list[str]:
    ns = console.namespace
    for i, a in enumerate(args):
        if a in ("-n", "--namespace") and i + 1 < len(args):
            ns = args[i + 1]
    if args and args[-1] in ("-n", "--namespace"):
        return world.namespaces()
    if args and args[-1] in ("-o", "--output"):
        return list(OUTPUTS)
    positional = [a for a in args if not a.startswith("-")]
    if not positional:
        return list(KUBECTL_VERBS)
    verb = positional[0]
    if word.startswith("-"):
        return list(FLAGS.get(verb, ()))
    if verb == "port-forward" and "/" in word:
        kind, _, _ = word.partition("/")
        return [f"{kind}/{n}" for n in _names(world, kind, ns)]
    if verb == "debug":  # `kubectl debug POD`: the name comes first, no type
        return _names(world, "pod", ns) if len(positional) == 1 else []
    if len(positional) == 1:
        return list(TYPES.get(verb, ()))
    if len(positional) >= 2 and verb in TYPES:
        return _names(world, positional[1], ns)
    return []


def complete(line: str, world: World, console: Console) -> tuple[str, list[str]]:
    """(the line completed as far as it is unambiguous, the candidates when several remain)."""
    found = candidates(line, world, console)
    if not found:
        return line, []
    cut = 0 if line.endswith(" ") else len(line.split(" ")[-1])
    head = line[: len(line) - cut]
    if len(found) == 1:
        single = found[0]
        return head + single + ("" if single.endswith(("/", "=")) else " "), []
    prefix = found[0]
    for other in found[1:]:
        while not other.startswith(prefix):
            prefix = prefix[:-1]
    return head + prefix, found
