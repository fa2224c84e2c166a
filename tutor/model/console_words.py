"""The lab console's vocabulary, and a typed command line's normal form.

One table read by three layers: the console's engine (`tutor.lab.console`: which tools and
kubectl verbs it runs, which resource names it accepts), lessons' `ran` goals (`tutor.course.
goals`: did the learner run this command?) and `ktutor lint` (would the console understand a
lesson's command?). Resource names and short names follow `kubectl api-resources`
(K · staging/src/k8s.io/kubectl/pkg/cmd/apiresources).

The normal form (`read`) is what `ran` goals compare, so a learner is not failed over spelling
kubectl accepts: shell words (quotes removed, spaces collapsed), resource types as their plural
(`svc`, `service`, `Services` -> `services`; `svc/web` -> `services web`), flags in any order and
in their long form (`-n shop`, `--namespace=shop` -> `--namespace=shop`), and curl's and wget's
URLs with their defaults (`web` -> `http://web:80/`).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from urllib.parse import urlsplit

TOOLS = (
    "kubectl", "nslookup", "dig", "curl", "wget", "env", "cat", "clear", "help", "history", "exit"
)  # fmt: skip
"""The commands the console runs (`grep` only after a `|`)."""
KUBECTL_VERBS = (
    "get", "describe", "label", "scale", "delete", "expose", "edit", "port-forward", "run",
    "debug", "logs",
)  # fmt: skip
"""The kubectl verbs the console simulates."""
KNOWN_KUBECTL = (
    "create", "apply", "patch", "replace", "set", "rollout", "exec", "attach", "cp",
    "top", "cordon", "uncordon", "drain", "taint", "annotate", "autoscale", "explain", "diff",
    "wait", "proxy", "api-resources", "api-versions", "config", "version",
    "cluster-info", "auth", "certificate", "kustomize", "plugin", "completion", "events",
)  # fmt: skip
"""Real kubectl verbs the console does not simulate (it says so instead of "unknown command")."""

RESOURCE_NAMES: dict[str, tuple[str, ...]] = {
    "pods": ("pod", "pods", "po"),
    "services": ("service", "services", "svc"),
    "endpointslices.discovery.k8s.io": ("endpointslice", "endpointslices"),
    "endpoints": ("endpoints", "endpoint", "ep"),
    "deployments.apps": ("deployment", "deployments", "deploy"),
    "replicasets.apps": ("replicaset", "replicasets", "rs"),
    "statefulsets.apps": ("statefulset", "statefulsets", "sts"),
    "nodes": ("node", "nodes", "no"),
    "namespaces": ("namespace", "namespaces", "ns"),
    "configmaps": ("configmap", "configmaps", "cm"),
    "secrets": ("secret", "secrets"),
    "ingresses.networking.k8s.io": ("ingress", "ingresses", "ing"),
    "networkpolicies.networking.k8s.io": ("networkpolicy", "networkpolicies", "netpol"),
    "daemonsets.apps": ("daemonset", "daemonsets", "ds"),
    "jobs.batch": ("job", "jobs"),
    "cronjobs.batch": ("cronjob", "cronjobs", "cj"),
    "events": ("event", "events", "ev"),
    "persistentvolumeclaims": ("persistentvolumeclaim", "persistentvolumeclaims", "pvc"),
    "serviceaccounts": ("serviceaccount", "serviceaccounts", "sa"),
}
"""`plural.group` -> the names kubectl accepts for it (singular, plural, short names)."""

TYPE_VERBS = ("get", "describe", "label", "scale", "delete", "expose", "edit")
"""kubectl verbs whose first word after the verb is a resource type (or `TYPE/NAME`)."""

LONG_FLAGS = {
    "-n": "--namespace",
    "-l": "--selector",
    "-o": "--output",
    "-A": "--all-namespaces",
    "-c": "--container",
    "-i": "--stdin",
    "-t": "--tty",
    "-s": "--silent",
    "-m": "--max-time",
    "-v": "--verbose",
}
"""Short flags and their long names (kubectl's, and curl's `-s`, `-m`)."""
VALUE_FLAGS = frozenset(
    {
        "--namespace", "--selector", "--output", "--container", "--max-time", "--context",
        "--kubeconfig", "--replicas", "--port", "--target-port", "--name", "--type", "--image",
        "--protocol", "--address", "--restart", "--labels", "--grace-period",
    }
)  # fmt: skip
"""Flags whose value may be the next word (`-n shop`)."""


def resource_plural(word: str) -> str | None:
    """The resource `word` names (`svc`, `Service`, `services`, `deployments.apps`) as its
    plural (`services`, `deployments`), or None when kubectl has no such type."""
    low = word.lower()
    for qualified, names in RESOURCE_NAMES.items():
        plural, _, group = qualified.partition(".")
        if low in names or low == qualified or (group and low == f"{names[0]}.{group}"):
            return plural
    return None


@dataclass(frozen=True, slots=True)
class Words:
    """A command line in normal form: its words in order (flags left out) and its flags."""

    words: tuple[str, ...]
    flags: frozenset[str]

    def starts_with(self, other: Words) -> bool:
        """`other`'s words begin this line's words and every flag of `other` is given here."""
        n = len(other.words)
        return self.words[:n] == other.words and other.flags <= self.flags

    def __str__(self) -> str:
        return " ".join([*self.words, *sorted(self.flags)])


def split_words(line: str) -> list[str]:
    """Shell words as busybox sh reads them (quotes removed, `|` a word of its own).
    Raises ValueError for an unterminated quote."""
    lex = shlex.shlex(line, posix=True, punctuation_chars="|")
    lex.whitespace_split = True
    lex.commenters = "#"
    return list(lex)


def _url(word: str) -> str:
    """curl's and wget's defaults made explicit: `web` -> `http://web:80/`."""
    text = word if "://" in word else f"http://{word}"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return word
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if port is None:
        port = 443 if scheme == "https" else 80
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{host}:{port}{parts.path or '/'}{query}"


def read(line: str) -> Words:
    """`line` in normal form (see the module docstring). Raises ValueError for a line the
    shell cannot read (an unterminated quote)."""
    words: list[str] = []
    flags: set[str] = set()
    raw = split_words(line)
    tool = ""
    verb = ""
    typed = False
    i = 0
    while i < len(raw):
        word = raw[i]
        i += 1
        if word == "|":
            words.append(word)
            tool, verb, typed = "", "", False
            continue
        if word.startswith("-") and len(word) > 1 and not word[1:].isdigit():
            for name, value in _flags(word):
                if value is None and name in VALUE_FLAGS and i < len(raw) and raw[i] != "|":
                    value = raw[i]
                    i += 1
                flags.add(name if value is None else f"{name}={value}")
            continue
        if not tool:
            tool = word
        elif tool == "kubectl" and not verb:
            verb = word
        elif tool == "kubectl" and verb in (*TYPE_VERBS, "port-forward") and not typed:
            typed = True
            kind, slash, name = word.partition("/")
            if not slash and verb == "port-forward":
                kind, name = "pods", word  # `kubectl port-forward web-1 8080:80`
            words.append(",".join(resource_plural(k) or k for k in kind.split(",")))
            if not name:
                continue
            word = name
        elif tool in ("curl", "wget"):
            word = _url(word)
        words.append(word)
    return Words(tuple(words), frozenset(flags))


def _flags(word: str) -> list[tuple[str, str | None]]:
    """One flag word as (long name, value or None): `--output=wide`, `-o=wide`, `-owide`
    (a short flag's value attached) and `-it` (short flags together) as kubectl reads them."""
    name, eq, value = word.partition("=")
    if eq:
        return [(LONG_FLAGS.get(name, name), value)]
    if word.startswith("--") or len(word) == 2:
        return [(LONG_FLAGS.get(word, word), None)]
    head = LONG_FLAGS.get(word[:2])
    if head in VALUE_FLAGS:
        return [(head, word[2:])]
    return [(LONG_FLAGS.get(f"-{c}", f"-{c}"), None) for c in word[1:]]


def ran(want: str, line: str) -> bool:
    """Whether the learner's `line` meets a `ran` goal's `want` (both in normal form: `want`'s
    words begin `line`'s words and `want`'s flags are all in `line`)."""
    try:
        return read(line).starts_with(read(want))
    except ValueError:
        return False


def problem(line: str) -> str | None:
    """Why the console would not understand `line` (for `ktutor lint`), or None."""
    try:
        raw = split_words(line)
    except ValueError:
        return "the shell cannot read it: a quote is not closed"
    if not raw:
        return "it is empty"
    stages: list[list[str]] = [[]]
    for word in raw:
        if word == "|":
            stages.append([])
        else:
            stages[-1].append(word)
    if any(not stage for stage in stages):
        return "a `|` has no command on one side"
    for stage in stages[1:]:
        if stage[0] != "grep":
            return f"the console only pipes into `grep`, not `{stage[0]}`"
    first = stages[0]
    tool = first[0]
    if tool not in TOOLS:
        return f"`{tool}` is not a command the console runs (it runs {', '.join(TOOLS)})"
    if tool != "kubectl":
        return None
    positional = _positional(first[1:])
    if not positional:
        return "kubectl needs a verb (kubectl get, kubectl describe, ...)"
    verb = positional[0]
    if verb not in KUBECTL_VERBS:
        what = (
            "is not simulated by the console" if verb in KNOWN_KUBECTL else "is not a kubectl verb"
        )
        return f"`kubectl {verb}` {what} (the console runs kubectl {', '.join(KUBECTL_VERBS)})"
    if verb in TYPE_VERBS and len(positional) > 1:
        kind = positional[1].partition("/")[0]
        unknown = [k for k in kind.split(",") if resource_plural(k) is None]
        if unknown:
            return f'kubectl would say: the server doesn\'t have a resource type "{unknown[0]}"'
    return None


def _positional(args: list[str]) -> list[str]:
    """kubectl's words that are not flags or flag values."""
    out: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        i += 1
        if word.startswith("-") and len(word) > 1:
            name = LONG_FLAGS.get(word, word)
            if "=" not in word and name in VALUE_FLAGS:
                i += 1
            continue
        out.append(word)
    return out
