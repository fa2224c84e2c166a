"""`ktutor rules FILE [--node NODE] [--mode iptables|nftables] [--dual-stack]`: the rules
kube-proxy would program on a node, in its iptables mode (the default) or its nftables mode (GA
since v1.33). The IPVS mode is deprecated in v1.35 and not simulated."""

from __future__ import annotations

import argparse
import sys

from tutor.model.iptables import render_rules
from tutor.model.nftables import render_nftables

from ._cluster import add_cluster_arguments, source
from ._input import (
    add_network_argument,
    collector_paused,
    network_of,
    open_analysis,
    terminal_safe,
)
from ._select import NoMatch, add_filter_arguments, narrowed

MODES = ("iptables", "nftables", "ipvs")
IPVS_DEPRECATED = (
    "ktutor rules: --mode ipvs: kube-proxy's IPVS mode is deprecated in Kubernetes v1.35 "
    "and ktutor does not simulate it; use --mode iptables or --mode nftables"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", nargs="?", help="a manifest file; - for stdin (or --from-cluster)"
    )
    parser.add_argument(
        "--node",
        default=None,
        metavar="NODE",
        help="the node whose kube-proxy programs the rules (default: the first "
        "node); matters for internal/externalTrafficPolicy: Local",
    )
    parser.add_argument(
        "--mode",
        choices=MODES,
        default="iptables",
        help="kube-proxy's mode: iptables (iptables-save, the default) or nftables "
        "(nft list table ip kube-proxy); ipvs is deprecated in v1.35 and not simulated",
    )
    add_filter_arguments(parser)
    add_cluster_arguments(parser)
    add_network_argument(parser)


@terminal_safe
def run(args: argparse.Namespace) -> int:
    if args.mode == "ipvs":
        print(IPVS_DEPRECATED, file=sys.stderr)
        return 2
    src = source(args, "ktutor rules")
    if src is None:
        return 2
    opened = open_analysis(src, network=network_of(args))
    if opened is None:
        return 2
    _, analysis = opened
    nodes = analysis.cluster.nodes
    if args.node is not None and args.node not in nodes:
        print(f"ktutor rules: no node {args.node!r}; nodes: {', '.join(nodes)}", file=sys.stderr)
        return 2
    try:
        shown = narrowed(analysis, args)
    except NoMatch as exc:
        print(f"ktutor rules: {exc}", file=sys.stderr)
        return 2
    # rejected Services never reach kube-proxy; the rest of the file is still programmed
    render = render_nftables if args.mode == "nftables" else render_rules
    with collector_paused(analysis):
        print(render(shown, args.node), end="")
    return 0 if analysis.valid else 1
