"""One line per Service port for a whole cluster: how many Pods the Service selects, how many are
ready, how many get traffic, and the first thing to fix (`ktutor route --summary`).

The first problem is a Pod's verdict (tutor.model.explain), the same words `route` prints in its
WHY NOT column, or the Pod that would refuse the traffic (tutor.model.report.at_pod): a summary
never words a reason of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .analysis import Analysis, PortRoute, ServiceRoute
from .endpoints import has_selector
from .explain import EMPTY_SELECTOR_REASON, NO_SELECTOR_REASON, selector_mismatch
from .objects import EXTERNAL_NAME, Pod
from .report import at_pod


def selector_text(selector: dict[str, str] | None) -> str:
    """A selector as kubectl prints one (`app=web,tier=front`, K · apimachinery/pkg/labels ·
    `FormatLabels`); `none` for a Service without one, and an empty one says it selects nothing."""
    if selector is None:
        return "none"
    if not selector:
        return "{} (selects nothing)"
    return ",".join(f"{k}={v}" for k, v in selector.items())


def refusing(sr: ServiceRoute, pr: PortRoute) -> dict[str, tuple[bool, str]]:
    """Pod name -> (refuses, why) for each Pod this port's traffic goes to that refuses it
    (nothing listens on the port) or is only assumed to listen (it declares no ports)."""
    out: dict[str, tuple[bool, str]] = {}
    for ep in pr.used:
        asked = pr.port.port if sr.service.headless else ep.port
        answers, assumed, reason, hop = at_pod(ep.pod, asked, pr.port.protocol)
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


class PodRows:
    """Which Pods `route` lists under a Service port. A dump of 10,000 Pods and 1,000 Services
    would otherwise print ten million rows: beyond FEW_PODS, a port lists its endpoints, the
    Pods its selector picks, the Pods of its namespace that match one of its pairs (or, when it
    picks none, the few that come closest), and the Pods of other namespaces whose labels match
    it entirely (the namespace being the mistake)."""

    def __init__(self, pods: list[Pod]) -> None:
        self._pods = pods
        self._few = len(pods) <= FEW_PODS
        self._namespaces = _Namespaces(pods)
        self._by_pair: dict[tuple[str, str], list[Pod]] | None = None
        self._by_ns_pair: dict[tuple[str, str, str], list[Pod]] = {}
        self._position: dict[int, int] = {}

    def _pairs(self) -> dict[tuple[str, str], list[Pod]]:
        """Pods by label pair, and (in `_by_ns_pair`) by namespace and pair: a pair every Pod
        has (`component: server`) must not make each port walk the whole cluster."""
        if self._by_pair is None:
            self._by_pair = {}
            for i, pod in enumerate(self._pods):
                self._position[id(pod)] = i
                for k, v in pod.labels.items():
                    self._by_pair.setdefault((k, v), []).append(pod)
                    self._by_ns_pair.setdefault((pod.namespace, k, v), []).append(pod)
        return self._by_pair

    def rows(self, sr: ServiceRoute, pr: PortRoute) -> tuple[list[Pod], int]:
        """(the Pods to list in file order, then the input slices' addresses; how many Pods
        of the Service's namespace are left out)."""
        stand_ins = [ep.pod for ep in pr.endpoints if ep.pod.address_only]
        if self._few:
            return self._pods + stand_ins, 0
        svc = sr.service
        selector = svc.selector or {}
        pairs = self._pairs()
        keep = {id(ep.pod): ep.pod for ep in pr.endpoints if not ep.pod.address_only}
        keep.update((id(p), p) for p in sr.endpoints.selected)
        here = self._namespaces.pods(svc.namespace)
        for k, v in selector.items():
            for pod in self._by_ns_pair.get((svc.namespace, k, v), []):
                keep.setdefault(id(pod), pod)
        if not keep and here and selector:
            # nothing selected: the namespace's closest Pods (a typo in a key or value)
            scored = [(_closeness(selector, p.labels), i, p) for i, p in enumerate(here)]
            best = max(score for score, _, _ in scored)
            if best:
                for _, _, pod in sorted(t for t in scored if t[0] == best)[:CLOSEST]:
                    keep.setdefault(id(pod), pod)
        if selector:
            # other namespaces: only a Pod whose labels match every pair
            rarest = min(selector.items(), key=lambda pair: len(pairs.get(pair, [])))
            for pod in pairs.get(rarest, []):
                if pod.namespace != svc.namespace and all(
                    pod.labels.get(k) == v for k, v in selector.items()
                ):
                    keep.setdefault(id(pod), pod)
        listed = sorted(keep.values(), key=lambda p: self._position.get(id(p), 0))
        shown_here = sum(1 for p in listed if p.namespace == svc.namespace)
        return listed + stand_ins, len(here) - shown_here
