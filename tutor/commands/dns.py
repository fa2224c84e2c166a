"""`ktutor dns FILE [-n NS] [--service NAME] [--resolve NAME]`: cluster DNS records for the
Services (of namespace NS, as `-n` narrows `route` and `rules`), or what one lookup from a Pod
in namespace NS (default `default`) returns and which names the resolver tried on the way."""

from __future__ import annotations

import argparse
import sys

from tutor.model.analysis import Analysis, ServiceRoute
from tutor.model.dns import (
    NDOTS,
    candidates,
    no_records_reason,
    resolve,
    search_path,
    service_records,
)
from tutor.model.names import is_dns1123_label
from tutor.model.objects import DEFAULT_NAMESPACE
from tutor.model.summary import no_services

from ._cluster import add_cluster_arguments, source
from ._input import add_network_argument, network_of, open_analysis, terminal_safe
from ._select import NoMatch, add_filter_arguments, selected


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", nargs="?", help="a manifest file; - for stdin (or --from-cluster)"
    )
    parser.add_argument(
        "--resolve",
        default=None,
        metavar="NAME",
        help="look NAME up as a Pod would (e.g. web, web.shop, web.shop.svc)",
    )
    parser.add_argument(
        "-n",
        "--namespace",
        dest="filter_namespace",
        default=None,
        metavar="NS",
        help="only the records of the Services in namespace NS (default: every namespace); "
        "with --resolve, the namespace of the Pod doing the lookup (default: default)",
    )
    add_filter_arguments(parser, namespace=False)
    add_cluster_arguments(parser)
    add_network_argument(parser)


def print_records(analysis: Analysis, services: list[ServiceRoute]) -> None:
    """Each Service's records, or why it has none (a headless Service with no ready endpoint
    does not resolve; it is still a Service of the file)."""
    if not services:
        print(f"; no DNS records: {no_services(analysis)}")
        return
    for i, sr in enumerate(services):
        if i:
            print()
        print(f"; {sr.service.ref}")
        found = service_records(sr)
        for rec in found:
            print(rec.zone_line)
        if not found:
            print(f"; {no_records_reason(sr)}")


def print_lookup(analysis: Analysis, name: str, namespace: str) -> int:
    print(f"; lookup {name!r} from a Pod in namespace {namespace!r}")
    print(f"; search {' '.join(search_path(namespace))}  (options ndots:{NDOTS})")
    answer = resolve(analysis, name, namespace)
    found = answer[0].name if answer else None
    for cand in candidates(name, namespace):
        status = "found" if cand == found else "NXDOMAIN"
        print(f";   {cand}.  {status}")
        if cand == found:
            break
    if not answer:
        print(f"; no answer: {name!r} does not resolve from namespace {namespace!r}")
        return 1
    for rec in answer:
        print(rec.zone_line)
    return 0


@terminal_safe
def run(args: argparse.Namespace) -> int:
    namespace = args.filter_namespace
    if namespace is not None and is_dns1123_label(namespace):
        print(
            f"ktutor dns: --namespace {namespace!r} is not a valid namespace name "
            "(a DNS-1123 label, e.g. 'default')",
            file=sys.stderr,
        )
        return 2
    lookup_from = namespace or DEFAULT_NAMESPACE
    if args.resolve is not None and not candidates(args.resolve, lookup_from):
        print("ktutor dns: --resolve needs a name, e.g. --resolve my-service", file=sys.stderr)
        return 2
    if args.resolve is not None:
        # the Pod's namespace, not a filter: the name may be a Service of any namespace, so
        # --from-cluster reads them all
        args = argparse.Namespace(**{**vars(args), "filter_namespace": None})
    src = source(args, "ktutor dns")
    if src is None:
        return 2
    opened = open_analysis(src, network=network_of(args))
    if opened is None:
        return 2
    _, analysis = opened
    code = 0
    if args.resolve is not None:
        code = print_lookup(analysis, args.resolve, lookup_from)
    else:
        try:
            services = selected(analysis, args)
        except NoMatch as exc:
            print(f"ktutor dns: {exc}", file=sys.stderr)
            return 2
        print_records(analysis, services)
    return 1 if not analysis.valid else code
