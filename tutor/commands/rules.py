"""`ktutor rules FILE [--node NODE]`: the iptables rules kube-proxy would program on a node."""

from __future__ import annotations

import argparse
import sys

from tutor.model.iptables import render_rules

from ._input import InputError, analyze_file, format_errors, terminal_safe


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a manifest file; - for stdin")
    parser.add_argument("--node", default=None, metavar="NODE",
                        help="the node whose kube-proxy programs the rules (default: the first "
                        "node); matters for internal/externalTrafficPolicy: Local")


@terminal_safe
def run(args: argparse.Namespace) -> int:
    try:
        manifest, analysis = analyze_file(args.file)
    except InputError as exc:
        print(f"ktutor: {exc}", file=sys.stderr)
        return 2
    nodes = analysis.cluster.nodes
    if args.node is not None and args.node not in nodes:
        print(f"ktutor rules: no node {args.node!r}; nodes: {', '.join(nodes)}", file=sys.stderr)
        return 2
    if analysis.errors:
        # the API server rejects these Services, so kube-proxy never sees them; the rest
        # of the file is still applied and programmed, as `kubectl apply` would do
        for line in format_errors(manifest.name, analysis.errors):
            print(line)
        print()
    print(render_rules(analysis, args.node), end="")
    return 0 if analysis.valid else 1
