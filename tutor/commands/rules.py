"""`ktutor rules FILE [--node NODE]`: the iptables rules kube-proxy would program on a node."""

from __future__ import annotations

import argparse
import sys

from tutor.model.iptables import render_rules

from ._input import open_analysis, terminal_safe


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a manifest file; - for stdin")
    parser.add_argument(
        "--node",
        default=None,
        metavar="NODE",
        help="the node whose kube-proxy programs the rules (default: the first "
        "node); matters for internal/externalTrafficPolicy: Local",
    )


@terminal_safe
def run(args: argparse.Namespace) -> int:
    opened = open_analysis(args.file)
    if opened is None:
        return 2
    _, analysis = opened
    nodes = analysis.cluster.nodes
    if args.node is not None and args.node not in nodes:
        print(f"ktutor rules: no node {args.node!r}; nodes: {', '.join(nodes)}", file=sys.stderr)
        return 2
    # rejected Services never reach kube-proxy; the rest of the file is still programmed
    print(render_rules(analysis, args.node), end="")
    return 0 if analysis.valid else 1
