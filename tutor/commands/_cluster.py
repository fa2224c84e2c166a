"""`--from-cluster [--context C]`: read a live cluster through kubectl instead of a file.

ktutor runs `kubectl get svc,pods,endpointslices,nodes -A -o json` itself (the dump the README
suggests) and analyzes what it prints. No kubectl, a cluster kubectl cannot reach, or one that
does not answer in time is one line and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import subprocess
import sys

from tutor.model.limits import FILE, InputRejected, decode_bytes

from ._input import InputError, Manifest
from ._select import NoMatch, namespace_and_name

RESOURCES = "svc,pods,endpointslices,nodes"
DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for kubectl (its own `--request-timeout` is 0, wait forever, by default)."""

_KLOG = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [^\]]*\] ?")
"""A klog header (`E1203 10:44:52.091585    7818 memcache.go:265] `): kubectl logs the client's
retries this way before it prints its own error (K · staging/src/k8s.io/kubectl/pkg/cmd/util/
helpers.go · `StandardErrorMessage`: "The connection to the server ... was refused - did you
specify the right host or port?")."""


def add_cluster_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from-cluster",
        action="store_true",
        help=f"read the current cluster instead of FILE (runs `kubectl get {RESOURCES} -A -o json`)",
    )
    parser.add_argument(
        "--context",
        default=None,
        metavar="C",
        help="with --from-cluster: the kubeconfig context to read (default: the current one)",
    )
    parser.add_argument(
        "--kubectl-timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"with --from-cluster: how long to wait for kubectl (default {DEFAULT_TIMEOUT:g})",
    )


def usage_problem(args: argparse.Namespace, file: str | None) -> str:
    """Why FILE and the cluster options do not fit together ("" when they do)."""
    if args.from_cluster and file is not None:
        return "give FILE or --from-cluster, not both"
    if not args.from_cluster and file is None:
        return "give a manifest FILE (- for stdin), or --from-cluster"
    if not args.from_cluster and args.context is not None:
        return "--context needs --from-cluster"
    if not 0 < args.kubectl_timeout <= 3600:
        return "--kubectl-timeout must be between 0 and 3600 seconds"
    return ""


def command(context: str | None, namespace: str | None = None) -> list[str]:
    """The kubectl command line: every namespace, or only the one the filters name (the
    Services of one namespace only select Pods and read slices there; Nodes are
    cluster-scoped, so `-n` still lists them)."""
    where = ["-n", namespace] if namespace is not None else ["-A"]
    argv = ["kubectl", "get", RESOURCES, *where, "-o", "json"]
    if context is not None:
        argv += ["--context", context]
    return argv


def kubectl_error(stderr: str) -> str:
    """kubectl's own error line: the first line of its stderr that is neither a klog retry
    line nor a `Warning:` (or, when every line is one, the first one's message)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        # the API server's deprecation warnings come first, kubectl's error after them
        if not _KLOG.match(line) and not line.startswith("Warning: "):
            return line
    return _KLOG.sub("", lines[0]) if lines else ""


def read_cluster(
    context: str | None, timeout: float = DEFAULT_TIMEOUT, namespace: str | None = None
) -> Manifest:
    """What kubectl prints for the cluster, as a manifest named after it; InputError (one
    line) when kubectl is missing, fails or does not answer within `timeout` seconds."""
    argv = command(context, namespace)
    shown = f"`{shlex.join(argv)}`"
    if shutil.which("kubectl") is None:
        raise InputError(
            "--from-cluster needs kubectl on PATH (or dump the cluster yourself: "
            f"kubectl get {RESOURCES} -A -o json > dump.json, then give dump.json)"
        )
    try:
        done = subprocess.run(
            argv, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False
        )
    except subprocess.TimeoutExpired:
        raise InputError(
            f"{shown} did not answer within {timeout:g} s (is the cluster reachable? "
            "--kubectl-timeout waits longer)"
        ) from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot run kubectl ({exc.strerror or exc})") from None
    if done.returncode != 0:
        said = kubectl_error(done.stderr.decode("utf-8", "replace"))
        if not done.stdout.lstrip().startswith(b"{"):
            raise InputError(
                f"{shown} failed (exit {done.returncode})" + (f": {said}" if said else "")
            )
        # kubectl get prints the resources it could read, then fails for the others (a
        # namespace's user may not list Nodes: `nodes is forbidden`): use what it read
        # (K · staging/src/k8s.io/kubectl/pkg/cmd/get/get.go · `printGeneric`)
        print(
            f"ktutor: {shown} read only part of the cluster (exit {done.returncode}"
            + (f": {said}" if said else "")
            + "); what it printed is analyzed (without Nodes the simulated ones stand in)",
            file=sys.stderr,
        )
    try:
        text = decode_bytes(done.stdout, limit=FILE.text_bytes)
    except InputRejected as exc:
        raise InputError(f"{shown} printed what ktutor cannot read: {exc.reason}") from None
    return Manifest(f"<cluster {context}>" if context is not None else "<cluster>", text)


def read_source(args: argparse.Namespace) -> str | Manifest:
    """FILE, or what kubectl read from the cluster; InputError (one line: why) when the
    options do not fit or kubectl fails."""
    problem = usage_problem(args, args.file)
    if problem:
        raise InputError(problem)
    if not args.from_cluster:
        file: str = args.file
        return file
    try:
        namespace = namespace_and_name(args)[0] if hasattr(args, "filter_namespace") else None
        return read_cluster(args.context, args.kubectl_timeout, namespace)
    except NoMatch as exc:
        raise InputError(str(exc)) from None


def source(args: argparse.Namespace, prog: str) -> str | Manifest | None:
    """`read_source`, its reason printed on stderr and None (exit code 2 for the caller)
    when it fails."""
    try:
        return read_source(args)
    except InputError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return None
