"""`ktutor route FILE`: per Service port, which Pods get traffic, on which port, and why not."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import Any

from tutor.model.analysis import Analysis, PortRoute, ServiceRoute, by_node, depends_on_node
from tutor.model.endpoints import pod_address
from tutor.model.limits import MAX_CLIENTS, MAX_REQUESTS
from tutor.model.proxy import Client
from tutor.model.report import (
    LABELS,
    Burst,
    Outcome,
    RequestOutcome,
    request_to,
    requests,
)
from tutor.model.summary import (
    FEW_PODS,
    NEAR,
    PodRows,
    no_services,
    refusing,
    selector_text,
    summarize,
)

from ._cluster import add_cluster_arguments, read_source
from ._input import (
    InputError,
    add_network_argument,
    analyze_file,
    collector_paused,
    format_errors,
    network_of,
    terminal_safe,
)
from ._select import NoMatch, add_filter_arguments, errors_kept, selected


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", nargs="?", help="a manifest file; - for stdin (or --from-cluster)"
    )
    parser.add_argument("--json", action="store_true", help="print the JSON routing contract")
    parser.add_argument(
        "--requests",
        type=int,
        default=0,
        metavar="N",
        help="simulate N requests to each Service port and count them per Pod",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="random seed for the simulation (same seed, same result)",
    )
    parser.add_argument(
        "--from-node",
        default=None,
        metavar="NODE",
        help="the client's node (matters for internalTrafficPolicy: Local)",
    )
    parser.add_argument(
        "--clients",
        type=int,
        default=1,
        metavar="N",
        help="how many distinct client IPs send the requests (default 1)",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="compare the model's endpoints with the real EndpointSlices in FILE "
        "(from `kubectl get svc,pods,endpointslices -o yaml`)",
    )
    parser.add_argument(
        "--summary",
        action="store_true",
        help="one line per Service port: Pods selected, ready, getting traffic, first problem",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help=f"on a file of more than {FEW_PODS} Pods, list every Pod that matches part of a Service's "
        f"selector (by default the {NEAR} closest per port, and how many more)",
    )
    add_filter_arguments(parser)
    add_cluster_arguments(parser)
    add_network_argument(parser)


def clients_for(analysis: Analysis, node: str | None, count: int) -> list[Client]:
    nodes = analysis.cluster.nodes or ["node-1"]
    out = []
    for i in range(max(1, count)):
        where = node or nodes[i % len(nodes)]
        out.append(Client(f"client-{i + 1}", f"10.244.0.{100 + i % 150}", where))
    return out


def _burst(
    sr: ServiceRoute, pr: PortRoute, args: argparse.Namespace, analysis: Analysis
) -> Burst | None:
    if args.requests <= 0:
        return None
    clients = clients_for(analysis, args.from_node, args.clients)
    return requests(analysis, sr, pr, clients, args.requests, args.seed)


def _one(
    sr: ServiceRoute,
    pr: PortRoute,
    args: argparse.Namespace,
    analysis: Analysis,
    *,
    rules: bool = True,
) -> RequestOutcome:
    """One request from a client on `--from-node` (else from outside any node's policy).
    `rules=False` when only its summary is printed: the REJECT/DROP rule's text programs the
    Service's rules (200 ports of a dump have no endpoints)."""
    client = Client("client-1", "10.244.0.100", args.from_node or "")
    return request_to(analysis, sr, pr, client, args.seed, rules=rules)


def _table(rows: list[list[str]], gap: str = "  ") -> list[str]:
    widths = [max(map(len, column)) for column in zip(*rows, strict=True)]
    return [gap.join(map(str.ljust, r, widths)).rstrip() for r in rows]


def print_summary(analysis: Analysis, services: list[ServiceRoute]) -> None:
    """`--summary`: kubectl's column layout (three spaces between columns)."""
    if not services:
        return
    rows = [["NAMESPACE", "NAME", "PORT", "SELECTED", "READY", "TRAFFIC", "FIRST PROBLEM"]]
    for line in summarize(analysis, services):
        ns, _, name = line.service.partition("/")
        rows.append(
            [
                ns,
                name,
                line.port,
                "-" if line.selected is None else str(line.selected),
                str(line.ready),
                str(line.traffic),
                line.problem or "-",
            ]
        )
    for text in _table(rows, gap="   "):
        print(text)


def print_text(
    analysis: Analysis, name: str, args: argparse.Namespace, services: list[ServiceRoute]
) -> None:
    rows_for = PodRows(analysis.cluster.pods, every=args.all)
    # a Service's lines are printed at once: 40,000 print calls cost more than the rows
    out: list[str] = []
    emit = out.append
    for sr in services:
        svc = sr.service
        head = f"Service {svc.ref} ({svc.type}"
        if svc.headless:
            head += ", headless"
        elif svc.cluster_ip:
            head += f", clusterIP {svc.cluster_ip}"
        head += f") selector: {selector_text(svc.selector)}"
        emit(head)
        if not sr.ports:
            emit("  (no ports)")
        for pr in sr.ports:
            burst = _burst(sr, pr, args, analysis)
            counts = burst.answered + burst.refused if burst is not None else None
            tp = pr.port.target_port
            emit(f"  port {pr.port.label} -> targetPort {tp}")
            if pr.given:
                emit(f"    {pr.source_note}")
                for d in pr.differences:
                    emit(f"    ! {d.summary}")
            if pr.topology_note:
                emit(f"    no topology hints: {pr.topology_note}")
            rows = [["", "POD", "ADDRESS", "NODE", "READY", "TRAFFIC", "WHY NOT"]]
            share = {pod: f"{part:.0%}" for pod, part in pr.share.items()}
            listed, near_left_out, left_out = rows_for.rows(sr, pr)
            for pod in listed:
                v = pr.verdicts.get(pod.ref)
                if v is None:
                    continue
                mark = ">" if v.gets_traffic else " "
                addr = pod_address(pod, sr.service, v.port or None) or "-"
                if counts is not None:
                    traffic = str(counts.get(pod.name, 0))
                else:
                    traffic = share.get(pod.name, "-")
                rows.append(
                    [
                        mark,
                        pod.name,
                        addr,
                        pod.node_name or "-",
                        "yes" if pod.ready else "no",
                        traffic,
                        "" if v.gets_traffic else v.reason,
                    ]
                )
            if len(rows) == 1 and not left_out and not near_left_out:
                if svc.type != "ExternalName":  # its request line says where traffic goes
                    emit("    no Pods in the file")
            else:
                out.extend(["    " + line for line in _table(rows)] if len(rows) > 1 else [])
            if near_left_out:
                emit(
                    f"    + {near_left_out} more Pod(s) in namespace {svc.namespace} that match "
                    "part of the selector (--all lists them)"
                )
            if left_out:
                emit(
                    f"    ({left_out} other Pod(s) in namespace {svc.namespace} left out: "
                    "they match none of the selector's labels)"
                )
            reason = (
                depends_on_node(sr, pr, analysis.cluster.nodes) if args.from_node is None else ""
            )
            if reason:
                emit(f"    which Pods a client reaches depends on its node ({reason}):")
                for node, eps in by_node(sr, pr, analysis.cluster.nodes).items():
                    names = ", ".join(sorted(ep.pod.name for ep in eps))
                    emit(f"      from {node}: {names or LABELS[Outcome.TIMED_OUT]}")
            if burst is not None:
                emit(f"    {burst.requests} requests:")
                for line in burst.lines():
                    emit(f"      {line}")
                headless = burst.examples.get(Outcome.NO_VIRTUAL_IP)
                if headless is not None:
                    emit(f"      e.g. {headless.summary}")
            else:
                for name, (refuses, why) in refusing(sr, pr).items():
                    emit(
                        f"    {name} refuses the traffic: {why}"
                        if refuses
                        else f"    {name}: {why}"
                    )
                if not pr.used and not svc.headless:
                    emit("    a request: " + _one(sr, pr, args, analysis, rules=False).summary)
        emit("")
        print("\n".join(out))
        out.clear()
    if analysis.cluster.ignored:
        kinds = ", ".join(f"{i.kind}/{i.name}" for i in analysis.cluster.ignored)
        print(f"not modelled, ignored: {kinds}")
    for wl in analysis.cluster.workloads:
        if wl.capped_note:
            print(wl.capped_note)


def json_failure(message: str) -> str:
    """What `route --json` prints on stdout when it exits with code 2 (the input cannot be
    read, kubectl fails, the options do not fit the file): the contract's shape, `valid`
    false and the reason as its one error, so a script reading stdout always gets one object."""
    return json.dumps(
        {"valid": False, "errors": [{"path": "", "message": message, "object": ""}], "services": {}}
    )


@terminal_safe
def run(args: argparse.Namespace) -> int:
    def fail(why: object, prog: str = "ktutor route") -> int:
        """Exit code 2: `PROG: why` on stderr, and with --json `why` in a JSON object too."""
        if args.json:
            print(json_failure(str(why)))
        print(f"{prog}: {why}", file=sys.stderr)
        return 2

    if args.requests < 0 or args.requests > MAX_REQUESTS:
        return fail(f"--requests must be between 0 and {MAX_REQUESTS}")
    if args.clients < 1 or args.clients > MAX_CLIENTS:
        return fail(f"--clients must be between 1 and {MAX_CLIENTS}")
    try:
        src = read_source(args)
    except InputError as exc:
        return fail(exc)
    try:
        manifest, analysis = analyze_file(src, from_node=args.from_node, network=network_of(args))
    except InputError as exc:
        return fail(exc, "ktutor")
    if args.from_node and args.from_node not in analysis.cluster.nodes:
        return fail(f"no node {args.from_node!r}; nodes: {', '.join(analysis.cluster.nodes)}")
    if args.compare:
        from tutor.classroom.compare import run_compare

        return run_compare(manifest.name, analysis, as_json=args.json)
    try:
        services = selected(analysis, args)
    except NoMatch as exc:
        refused = errors_kept(analysis.errors, args)
        if refused and not args.json:
            # the Service asked for is invalid: its errors say why it is not there
            for line in format_errors(manifest.name, refused):
                print(line)
            return 1
        return fail(exc)
    if args.json:
        out: dict[str, Any] = replace(analysis, services=services).route_json()
        for sr in services:
            for pr in sr.ports:
                port = out["services"][sr.service.ref][pr.port.key]
                one = _one(sr, pr, args, analysis)
                port["request"] = {
                    "outcome": str(one.kind),
                    "summary": one.summary,
                    "pod": one.pod,
                    "rule": one.rule,
                    "hops": [f"{h.at}: {h.text}" for h in one.hops],
                }
                port["refused"] = {n: why for n, (no, why) in refusing(sr, pr).items() if no}
                burst = _burst(sr, pr, args, analysis)
                if burst is not None:
                    port["traffic"] = dict(burst.answered + burst.refused)
                    port["outcomes"] = {str(k): n for k, n in burst.counts.items()}
                    port["requests"] = burst.lines()
        print(json.dumps(out, indent=2))
        return 0 if analysis.valid else 1
    errors = errors_kept(analysis.errors, args)
    if errors:
        for line in format_errors(manifest.name, errors):
            print(line)
        print()
    hidden = len(analysis.errors) - len(errors)
    with collector_paused(analysis):
        if not services:
            print(f"nothing to route: {no_services(analysis)}")
        if args.summary:
            print_summary(analysis, services)
        else:
            print_text(analysis, manifest.name, args, services)
    if hidden:
        print(f"{hidden} error(s) in objects the filters leave out (run without them to see)")
    return 1 if errors else 0
