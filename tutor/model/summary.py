"""One line per Service port for a whole cluster: how many Pods the Service selects, how many are
ready, how many get traffic, and the first thing to fix (`ktutor route --summary`).

The first problem is a Pod's verdict (tutor.model.explain), the same words `route` prints in its
WHY NOT column, or the Pod that would refuse the traffic (tutor.model.report.at_pod): a summary
never words a reason of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

from .analysis import Analysis, PortRoute, ServiceRoute
from .endpoints import has_selector
from .explain import EMPTY_SELECTOR_REASON, NO_SELECTOR_REASON, selector_mismatch
from .objects import EXTERNAL_NAME, Pod
from .report import at_pod, listens


def selector_text(selector: dict[str, str] | None) -> str:
    """A selector as kubectl prints one (`app=web,tier=front`, K · apimachinery/pkg/labels ·
    `FormatLabels`); `none` for a Service without one, and an empty one says it selects nothing."""
    if selector is None:
        return "none"
    if not selector:
        return "{} (selects nothing)"
    return ",".join(f"{k}={v}" for k, v in selector.items())


def no_services(analysis: Analysis) -> str:
    """Why a file gives nothing to route or resolve: every front end (`route`, `dns`) says it
    so that an empty answer is never silent."""
    if any(ref.startswith("Service/") for ref in analysis.parsed.invalid_objects):
        return "the API server rejects every Service in the file"
    return "the file has no Services"


def refusing(sr: ServiceRoute, pr: PortRoute) -> dict[str, tuple[bool, str]]:
    """Pod name -> (refuses, why) for each Pod this port's traffic goes to that refuses it
    (nothing listens on the port) or is only assumed to listen (it declares no ports)."""
    out: dict[str, tuple[bool, str]] = {}
    protocol = pr.port.protocol
    for ep in pr.used:
        asked = pr.port.port if sr.service.headless else ep.port
        if listens(ep.pod, asked, protocol):
            continue  # answers, as declared: nothing to say (a dump has 18,000 of them)
        answers, assumed, reason, hop = at_pod(ep.pod, asked, protocol)
        if not answers:
            out[ep.pod.name] = (True, reason)
        elif assumed:
            out[ep.pod.name] = (False, hop.text)
    return out


@dataclass(frozen=True, slots=True)
class PortSummary:
    service: str
    """`namespace/name`."""
    port: str
    """`80/TCP` or `http:80/TCP`."""
    selected: int | None
    """Pods the selector picks (None: the Service has no selector, or is ExternalName)."""
    ready: int
    """Ready endpoints of this port."""
    traffic: int
    """Endpoints kube-proxy sends this port's ClusterIP traffic to (for a headless Service,
    the Pods DNS returns)."""
    problem: str
    """The first thing to fix, "" when every endpoint gets traffic and answers."""


class _Namespaces:
    """The cluster's Pods by namespace, built once for every summary line that needs them."""

    def __init__(self, pods: list[Pod]) -> None:
        self._pods = pods
        self._by_ns: dict[str, list[Pod]] | None = None

    def pods(self, namespace: str) -> list[Pod]:
        if self._by_ns is None:
            self._by_ns = {}
            for pod in self._pods:
                self._by_ns.setdefault(pod.namespace, []).append(pod)
        return self._by_ns.get(namespace, [])


def _why(pr: PortRoute, pod: Pod) -> str:
    verdict = pr.verdicts.get(pod.ref)
    return f"{pod.name}: {verdict.reason}" if verdict is not None else ""


def _closeness(selector: dict[str, str], labels: dict[str, str]) -> int:
    """How near a Pod's labels come to the selector: equal pairs first, then pairs equal but
    for case (the typos a learner makes), then keys present with another value."""
    score = 0
    lowered = {k.lower(): v.lower() for k, v in labels.items()}
    for key, want in selector.items():
        if labels.get(key) == want:
            score += 4
        elif lowered.get(key.lower()) == want.lower():
            score += 2
        elif key.lower() in lowered:
            score += 1
    return score


def first_problem(sr: ServiceRoute, pr: PortRoute, pods: _Namespaces) -> str:
    """The first thing wrong with one Service port, in the order a learner fixes it."""
    svc = sr.service
    if svc.type == EXTERNAL_NAME:
        return ""
    for name, (refuses, why) in refusing(sr, pr).items():
        if refuses:
            return f"{name} refuses the traffic: {why}"
    used = {id(ep) for ep in pr.used}
    for ep in pr.endpoints:
        if id(ep) not in used:
            why = _why(pr, ep.pod)
            if why:
                return why
    if pr.used:
        return ""
    if not has_selector(svc) and not pr.given:
        return NO_SELECTOR_REASON if svc.selector is None else EMPTY_SELECTOR_REASON
    if pr.given and not pr.endpoints:
        return "its EndpointSlices in the input list no endpoint for this port"
    for pod in sr.endpoints.selected:
        why = _why(pr, pod)
        if why:
            return why
    return nothing_selected(sr, pods, pr)


def nothing_selected(sr: ServiceRoute, pods: _Namespaces, pr: PortRoute | None) -> str:
    """A Service whose selector picks no Pod: the namespace's Pod that comes closest, and why
    it does not match (the verdict's words)."""
    svc = sr.service
    here = pods.pods(svc.namespace)
    want = selector_text(svc.selector)
    if not here:
        return f"no Pods in namespace `{svc.namespace}` (the selector {want} finds none)"
    closest = max(here, key=lambda p: _closeness(svc.selector or {}, p.labels))
    miss = selector_mismatch(svc.selector or {}, closest.labels)
    if miss is not None:
        return f"no Pod matches {want}; closest {closest.name}: {miss[1]}"
    return f"no Pod matches {want}; closest {_why(pr, closest) if pr else closest.name}"


def summarize(analysis: Analysis, services: Iterable[ServiceRoute]) -> list[PortSummary]:
    """A PortSummary for every port of `services` (a filtered part of `analysis.services`)."""
    pods = _Namespaces(analysis.cluster.pods)
    out: list[PortSummary] = []
    for sr in services:
        svc = sr.service
        counted = has_selector(svc) and svc.type != EXTERNAL_NAME
        if not sr.ports:
            # a headless Service may have no ports: it still has a line (DNS names its Pods)
            out.append(
                PortSummary(
                    svc.ref,
                    "-",
                    len(sr.endpoints.selected) if counted else None,
                    0,
                    0,
                    nothing_selected(sr, pods, None)
                    if counted and not sr.endpoints.selected
                    else "",
                )
            )
        for pr in sr.ports:
            port = f"{pr.port.name}:{pr.port.port}" if pr.port.name else str(pr.port.port)
            out.append(
                PortSummary(
                    service=svc.ref,
                    port=f"{port}/{pr.port.protocol}",
                    selected=len(sr.endpoints.selected) if counted else None,
                    ready=sum(1 for ep in pr.endpoints if ep.ready),
                    traffic=len(pr.used),
                    problem=first_problem(sr, pr, pods),
                )
            )
    return out


FEW_PODS = 50
"""Up to this many Pods in the file, `route` explains every Pod for every Service port (a
lesson's or a learner's file: the Pod in the wrong namespace is the lesson); beyond it (a
cluster's dump) only the Pods that concern the Service."""


CLOSEST = 5
"""How many of the closest Pods a port whose selector picks none lists, in a dump."""


NEAR = 3
"""How many of its namespace's Pods that match part of a port's selector `route` lists, in a
dump (the closest first), as `kubectl describe` lists 3 endpoints and "+ N more...": a label
every Pod of a namespace has (`component: server`) would otherwise list the whole namespace
under every port, 400,000 rows for 10,000 Pods."""


class Listing(NamedTuple):
    """The Pods `route` lists under one Service port, and how many it leaves out."""

    pods: list[Pod]
    """In file order, then the input slices' addresses."""
    near_left_out: int
    """Pods of the Service's namespace matching part of its selector, beyond the NEAR listed."""
    left_out: int
    """Pods of the Service's namespace matching none of its selector's labels."""


class PodRows:
    """Which Pods `route` lists under a Service port. A dump of 10,000 Pods and 1,000 Services
    would otherwise print ten million rows: beyond FEW_PODS, a port lists its endpoints, the
    Pods its selector picks and the Pods of other namespaces whose labels match it entirely (the
    namespace being the mistake), in file order; then the NEAR Pods of its namespace that match
    most of its pairs (every one with `every`, `route --all`; or, when none matches a pair, the
    few that come closest). kubectl bounds its output the same way (`kubectl describe svc`
    lists a few endpoints and "+ N more...")."""

    def __init__(self, pods: list[Pod], every: bool = False) -> None:
        self._pods = pods
        self._few = len(pods) <= FEW_PODS
        self._every = every
        self._namespaces = _Namespaces(pods)
        self._by_pair: dict[tuple[str, str], list[int]] | None = None
        self._by_ns_pair: dict[tuple[str, str, str], list[int]] = {}
        self._position: dict[int, int] = {}
        self._near: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[list[int], set[int]]] = {}

    def _pairs(self) -> dict[tuple[str, str], list[int]]:
        """Pod positions by label pair, and (in `_by_ns_pair`) by namespace and pair: a pair
        every Pod has (`component: server`) must not make each port walk the whole cluster."""
        if self._by_pair is None:
            by_pair: dict[tuple[str, str], list[int]] = {}
            by_ns_pair = self._by_ns_pair
            position = self._position
            for i, pod in enumerate(self._pods):
                position[id(pod)] = i
                ns = pod.namespace
                for k, v in pod.labels.items():
                    pair = (k, v)
                    found = by_pair.get(pair)
                    if found is None:
                        by_pair[pair] = [i]
                    else:
                        found.append(i)
                    key = (ns, k, v)
                    found = by_ns_pair.get(key)
                    if found is None:
                        by_ns_pair[key] = [i]
                    else:
                        found.append(i)
            self._by_pair = by_pair
        return self._by_pair

    def _partial(self, namespace: str, selector: dict[str, str]) -> tuple[list[int], set[int]]:
        """Positions of the namespace's Pods matching at least one of the selector's pairs,
        those matching the most pairs first, then in file order, and as a set (once per
        Service: its ports share them)."""
        key = (namespace, tuple(selector.items()))
        hit = self._near.get(key)
        if hit is None:
            lists = [self._by_ns_pair.get((namespace, k, v), []) for k, v in selector.items()]
            if len(lists) == 1:
                ranked = lists[0]
            else:
                counts = Counter(chain.from_iterable(lists))
                # file order, then (a stable sort) the most pairs first
                ranked = sorted(sorted(counts), key=counts.__getitem__, reverse=True)
            hit = self._near[key] = (ranked, set(ranked))
        return hit

    def rows(self, sr: ServiceRoute, pr: PortRoute) -> Listing:
        """The Pods to list under one port, and how many of its namespace are left out."""
        stand_ins = [ep.pod for ep in pr.endpoints if ep.pod.address_only]
        if self._few:
            return Listing(self._pods + stand_ins, 0, 0)
        svc = sr.service
        selector = svc.selector or {}
        pairs = self._pairs()
        pods, position = self._pods, self._position
        keep = {id(ep.pod): ep.pod for ep in pr.endpoints if not ep.pod.address_only}
        keep.update((id(p), p) for p in sr.endpoints.selected)
        here = self._namespaces.pods(svc.namespace)
        if selector:
            # other namespaces: only a Pod whose labels match every pair
            rarest = min(selector.items(), key=lambda pair: len(pairs.get(pair, [])))
            for i in pairs.get(rarest, []):
                pod = pods[i]
                if pod.namespace != svc.namespace and all(
                    pod.labels.get(k) == v for k, v in selector.items()
                ):
                    keep.setdefault(id(pod), pod)
        listed = sorted(keep.values(), key=lambda p: position.get(id(p), 0))
        partial, among = self._partial(svc.namespace, selector) if selector else ([], set())
        near: list[Pod] = []
        limit = len(partial) if self._every else NEAR
        for i in partial:
            if len(near) >= limit:
                break
            if id(pods[i]) not in keep:
                near.append(pods[i])
        if not listed and not near and here and selector:
            # nothing selected: the namespace's closest Pods (a typo in a key or value)
            scored = [(_closeness(selector, p.labels), i, p) for i, p in enumerate(here)]
            best = max(score for score, _, _ in scored)
            if best:
                near = [pod for _, _, pod in sorted(t for t in scored if t[0] == best)[:CLOSEST]]
        listed_here = sum(1 for p in listed if p.namespace == svc.namespace)
        listed_partial = sum(1 for p in listed if position.get(id(p), -1) in among)
        near_left_out = len(partial) - listed_partial - len(near) if partial else 0
        shown_here = listed_here + len(near) + near_left_out
        return Listing(listed + near + stand_ins, near_left_out, len(here) - shown_here)
