"""`--namespace/-n NS` and `--service NAME`: which Services a command prints, as kubectl's `-n`
narrows `get` (the whole file is still analyzed: kube-proxy sees every Service)."""

from __future__ import annotations

import argparse
import dataclasses

from tutor.model.analysis import Analysis, ServiceRoute
from tutor.model.errors import FieldError


class NoMatch(Exception):
    """The filters leave no Service: one line on stderr."""


def add_filter_arguments(
    parser: argparse.ArgumentParser, *, namespace: bool = True, service: bool = True
) -> None:
    if namespace:
        parser.add_argument(
            "-n",
            "--namespace",
            dest="filter_namespace",
            default=None,
            metavar="NS",
            help="only the Services in namespace NS (default: every namespace)",
        )
    if service:
        parser.add_argument(
            "--service",
            default=None,
            metavar="NAME",
            help="only the Service NAME (or NAMESPACE/NAME)",
        )


def namespace_and_name(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """(namespace, Service name) the filters ask for; `--service NS/NAME` names both."""
    namespace: str | None = getattr(args, "filter_namespace", None)
    name: str | None = getattr(args, "service", None)
    if name and "/" in name:
        ns, name = name.split("/", 1)
        if namespace and ns != namespace:
            raise NoMatch(f"--service {ns}/{name} is not in --namespace {namespace}")
        namespace = ns
    return namespace, name


def selected(analysis: Analysis, args: argparse.Namespace) -> list[ServiceRoute]:
    """The Services the filters keep, in file order; NoMatch when filters were given and none
    is left (a dump of 1,000 Services names a few of them, not all)."""
    namespace, name = namespace_and_name(args)
    if namespace is None and name is None:
        return analysis.services
    kept = [
        sr
        for sr in analysis.services
        if (namespace is None or sr.service.namespace == namespace)
        and (name is None or sr.service.name == name)
    ]
    if kept:
        return kept
    where = f' in namespace "{namespace}"' if namespace is not None else ""
    if name is None:
        raise NoMatch(f"no Services{where}")
    invalid = [
        ref
        for ref in analysis.parsed.invalid_objects
        if ref.startswith("Service/")
        and ref.endswith(f"/{name}")
        and (namespace is None or ref == f"Service/{namespace}/{name}")
    ]
    if invalid:
        raise NoMatch(f'Service "{name}"{where} is invalid: the API server rejects it')
    # the same name in another namespace first, else what the namespace does hold
    others = sorted(sr.service.ref for sr in analysis.services if sr.service.name == name)
    if not others and namespace is not None:
        others = sorted(
            sr.service.ref for sr in analysis.services if sr.service.namespace == namespace
        )
    more = ", ..." if len(others) > 5 else ""
    hint = f" (there is {', '.join(others[:5])}{more})" if others else ""
    raise NoMatch(f'no Service "{name}"{where}{hint}')


def narrowed(analysis: Analysis, args: argparse.Namespace) -> Analysis:
    """`analysis` with only the selected Services (rules and DNS records of those alone)."""
    kept = selected(analysis, args)
    if kept is analysis.services:
        return analysis
    return dataclasses.replace(analysis, services=kept)


def errors_kept(errors: list[FieldError], args: argparse.Namespace) -> list[FieldError]:
    """The errors of the objects in the selected namespace (every error without a filter;
    with `--service`, that Service's own errors)."""
    namespace, name = namespace_and_name(args)
    out = []
    for err in errors:
        ns, _, obj = err.object.partition("/")
        if namespace is not None and err.object and ns != namespace:
            continue
        if name is not None and not (err.kind == "Service" and obj == name):
            continue
        out.append(err)
    return out
