"""`ktutor check FILE...`: validate manifests as the API server (and kubectl's strict field
validation) would, printing every error with its file, line and column."""

from __future__ import annotations

import argparse
import sys

from tutor.model.analysis import Analysis

from ._cluster import add_cluster_arguments, source
from ._input import (
    InputError,
    Manifest,
    add_network_argument,
    analyze_file,
    format_errors,
    network_of,
    terminal_safe,
)
from ._select import add_filter_arguments, errors_kept


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE", help="manifest files; - for stdin")
    parser.add_argument(
        "--no-hints",
        action="store_true",
        help="print only the API server's messages, without teaching hints",
    )
    add_filter_arguments(parser, service=False)
    add_cluster_arguments(parser)
    add_network_argument(parser)


def _valid_line(name: str, analysis: Analysis, namespace: str | None) -> str:
    cluster = analysis.cluster

    def here(ns: str) -> bool:
        return namespace is None or ns == namespace

    services = sum(1 for s in cluster.services if here(s.namespace))
    pods = sum(1 for p in cluster.pods if here(p.namespace))
    parts = [f"{services} Service(s)", f"{pods} Pod(s)"]
    workloads = sum(1 for w in cluster.workloads if here(w.namespace))
    if workloads:
        parts.append(f"{workloads} workload(s)")
    where = f' in namespace "{namespace}"' if namespace is not None else ""
    line = f"{name}: valid{where} ({', '.join(parts)})"
    ignored = sorted({f"{i.kind}/{i.name}" for i in cluster.ignored if here(i.namespace)})
    if ignored:
        line += f"; not modelled, ignored: {', '.join(ignored)}"
    return line


@terminal_safe
def run(args: argparse.Namespace) -> int:
    sources: list[str | Manifest] = list(args.files)
    if args.from_cluster or not sources:
        args.file = sources[0] if sources else None
        src = source(args, "ktutor check")
        if src is None:
            return 2
        sources = [src]
    worst = 0
    for path in sources:
        try:
            manifest, analysis = analyze_file(path, network=network_of(args))
        except InputError as exc:
            print(f"ktutor: {exc}", file=sys.stderr)
            worst = 2
            continue
        errors = errors_kept(analysis.errors, args)
        if errors:
            for line in format_errors(manifest.name, errors, hints=not args.no_hints):
                print(line)
            worst = max(worst, 1)
        else:
            print(_valid_line(manifest.name, analysis, args.filter_namespace))
        hidden = len(analysis.errors) - len(errors)
        if hidden:
            print(f"{manifest.name}: {hidden} error(s) in other namespaces")
            worst = max(worst, 1)
    return worst
