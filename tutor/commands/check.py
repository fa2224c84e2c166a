"""`ktutor check FILE...`: validate manifests as the API server (and kubectl's strict field
validation) would, printing every error with its file, line and column."""

from __future__ import annotations

import argparse
import sys

from ._input import (
    InputError,
    add_network_argument,
    analyze_file,
    format_errors,
    network_of,
    terminal_safe,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="manifest files; - for stdin")
    parser.add_argument(
        "--no-hints",
        action="store_true",
        help="print only the API server's messages, without teaching hints",
    )
    add_network_argument(parser)


@terminal_safe
def run(args: argparse.Namespace) -> int:
    worst = 0
    for path in args.files:
        try:
            manifest, analysis = analyze_file(path, network=network_of(args))
        except InputError as exc:
            print(f"ktutor: {exc}", file=sys.stderr)
            worst = 2
            continue
        if analysis.errors:
            for line in format_errors(manifest.name, analysis.errors, hints=not args.no_hints):
                print(line)
            worst = max(worst, 1)
        else:
            cluster = analysis.cluster
            parts = [f"{len(cluster.services)} Service(s)", f"{len(cluster.pods)} Pod(s)"]
            if cluster.workloads:
                parts.append(f"{len(cluster.workloads)} workload(s)")
            line = f"{manifest.name}: valid ({', '.join(parts)})"
            if cluster.ignored:
                kinds = ", ".join(sorted({f"{i.kind}/{i.name}" for i in cluster.ignored}))
                line += f"; not modelled, ignored: {kinds}"
            print(line)
    return worst
