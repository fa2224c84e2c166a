"""Why a Pod does or does not get a Service port's traffic, in words a learner understands.

The checks run in the order the real pipeline applies them, so the *first* reason is the one to
fix first: the Service kind and selector (endpointslice_controller `syncService`), the namespace
and labels (the Pod lister and selector), the Pod's phase and IP (`ShouldPodBeInEndpoints`), the
port (`FindPort`), the conditions (`podToEndpoint`), then kube-proxy's choice (`CategorizeEndpoints`
and the traffic policies).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator, Mapping
from typing import NamedTuple

from .endpoints import TERMINAL_PHASES, Endpoint, PortEndpoints, has_selector, ports_named
from .objects import EXTERNAL_NAME, ContainerReadiness, Pod, Probe, Service, ServicePort

OK = "ok"
EXTERNAL = "external-name"
NO_SELECTOR = "no-selector"
NAMESPACE = "namespace"
LABEL_MISSING = "label-missing"
LABEL_CASE = "label-key-case"
LABEL_VALUE = "label-value"
TERMINAL = "terminal-phase"
NO_IP = "no-ip"
PORT = "port-unresolved"
NOT_READY = "not-ready"
TERMINATING = "terminating"
FALLBACK = "terminating-fallback"
LOCAL_POLICY = "other-node"
HEADLESS = "headless"
NOT_PROXIED = "not-proxied"
FROM_SLICE = "from-slice"
NOT_IN_SLICES = "not-in-slices"
TOPOLOGY = "topology"

NO_SELECTOR_REASON = "the Service has no selector, so Kubernetes makes no endpoints for it"
EMPTY_SELECTOR_REASON = "`selector: {}` selects nothing: Kubernetes makes no endpoints for it"


class Verdict(NamedTuple):
    """One Pod on one Service port (a named tuple: a dump's `route` makes 30,000 of them, and
    a frozen dataclass's `__init__` cost as much as deciding the verdict)."""

    pod: str
    gets_traffic: bool
    code: str
    reason: str
    port: int | None = None
    selector: dict[str, str] | None = None
    """The Service's selector and the Pod's labels, for `matched` (worked out when asked:
    only the routing view colours the labels)."""
    labels: dict[str, str] | None = None

    @property
    def matched(self) -> tuple[str, ...]:
        """Selector keys whose value this Pod's labels match (whatever the Pod's namespace)."""
        return matched_keys(self.selector, self.labels or {})


def _q(value: str) -> str:
    return f"`{value}`"


def selector_mismatch(selector: dict[str, str], labels: dict[str, str]) -> tuple[str, str] | None:
    """The first selector pair the labels fail, as (code, reason); None when all match."""
    for key, want in selector.items():
        if key not in labels:
            twins = [k for k in labels if k.lower() == key.lower()]
            if twins:
                return LABEL_CASE, (
                    f"has label {_q(twins[0])}, the Service wants {_q(key)} "
                    "(label keys are case-sensitive)"
                )
            shown = _q(want) if want else "an empty value"
            return LABEL_MISSING, f"has no label {_q(key)} (the Service wants {_q(key)}: {shown})"
        have = labels[key]
        if have != want:
            note = " (values are case-sensitive)" if have.lower() == want.lower() else ""
            return LABEL_VALUE, (
                f"label {_q(key)} is {_q(have) if have else 'empty'}, the Service wants "
                f"{_q(want) if want else 'it empty'}{note}"
            )
    return None


def matched_keys(selector: dict[str, str] | None, labels: dict[str, str]) -> tuple[str, ...]:
    if not selector:
        return ()
    return tuple([k for k, v in selector.items() if labels.get(k) == v])


def port_reason(pod: Pod, sp: ServicePort) -> str:
    name = str(sp.target_port)
    same_name = ports_named(pod, name)
    if same_name:
        others = ", ".join(f"{_q(cp.name)} for {cp.protocol}" for cp in same_name)
        return f"has no container port named {_q(name)} for {sp.protocol} (it has {others})"
    declared = sorted({cp.name for cp in pod.ports if cp.name})
    if declared:
        names = ", ".join(_q(n) for n in declared)
        its = (
            f"its only named port is {names}"
            if len(declared) == 1
            else f"its named ports are {names}"
        )
        return f"has no container port named {_q(name)} for {sp.protocol} ({its})"
    return (
        f"has no container port named {_q(name)} (it declares no named ports; "
        "a named targetPort needs `ports: - name: ...` in the container)"
    )


def probe_text(probe: Probe) -> str:
    """A readiness probe in one phrase, in the manifest's own field names:
    `httpGet :8080/healthz`, `tcpSocket :5432`, `exec `pg_isready``, `grpc :9090`."""
    port = f"{probe.host}:{probe.port}"
    if probe.kind == "httpGet":
        scheme = "https://" if probe.scheme.upper() == "HTTPS" else ""
        path = probe.path if probe.path.startswith("/") else "/" + probe.path
        return f"httpGet {scheme}{port}{path}"
    if probe.kind == "exec":
        command = shlex.join(probe.command)
        return f"exec `{command if len(command) <= 60 else command[:57] + '...'}`"
    if probe.kind == "grpc":
        return f"grpc {port}" + (f" (service {probe.service})" if probe.service else "")
    return f"{probe.kind} {port}"


_UNREADY = re.compile(r"containers with unready status: \[([^\]]*)\]")


def _container_reason(c: ContainerReadiness, known: bool, condition: str) -> str:
    """Why one container keeps its Pod from being Ready (`known`: its status says so;
    `condition`: the Ready condition's reason, e.g. ContainersNotReady). A container without a
    readiness probe is ready once it runs (K · pkg/kubelet/prober/prober_manager.go ·
    `UpdatePodStatus`): one whose status says it runs (or has started) yet is not ready is
    the kubelet's word, not a start-up still under way."""
    if c.waiting:
        return f"container {c.container} is waiting ({c.waiting})"
    if c.terminated:
        return f"container {c.container} terminated ({c.terminated})"
    if c.probe is not None:
        if known:
            return (
                f"readiness probe {probe_text(c.probe)} fails (container {c.container} not ready)"
            )
        return f"readiness probe {probe_text(c.probe)} has not passed (container {c.container})"
    said = f"; Ready condition: {condition}" if condition else ""
    if c.running_since is not None or c.started:
        return (
            f"container {c.container} runs but the kubelet marks it not ready"
            f" (it has no readiness probe{said})"
        )
    if c.listed:
        return (
            f"container {c.container} has not started"
            " (it has no readiness probe: it is ready once it runs)"
        )
    return f"the kubelet marks container {c.container} not ready (it has no readiness probe{said})"


def _init_reason(c: ContainerReadiness) -> str:
    """A plain init container that has not completed holds the app containers back (K ·
    pkg/kubelet/kuberuntime/kuberuntime_container.go · `computeInitContainerActions`: init
    containers run one at a time, in order, each to a successful exit)."""
    if c.waiting:
        state = f"is waiting ({c.waiting})"
    elif c.terminated:
        state = f"terminated ({c.terminated})"
    elif c.running_since is not None:
        state = "is still running"
    else:
        state = "has not run yet"
    return f"init container {c.container} {state}: the app containers start once it has completed"


def not_ready_detail(pod: Pod) -> str:
    """What keeps a Pod from being Ready, from its spec and status: the failing readiness probe
    of the first unready container (`containerStatuses[].ready: false`, or the containers the
    Ready condition's message names), a waiting or terminated container, or an unmet readiness
    gate; "" when the file says nothing more than the condition."""
    if pod.ready_reason == "ReadinessGatesNotReady":
        return f"a readiness gate is not met ({pod.ready_message or 'ReadinessGatesNotReady'})"
    held = next(
        (
            c
            for c in pod.containers
            if c.init and c.listed and not (c.terminated and c.exit_code == 0)
        ),
        None,
    )
    if held is not None and not pod.initialized:
        return _init_reason(held)
    # a plain init container is never ready (it has completed): not one of the reasons
    containers = [c for c in pod.containers if not c.init]
    unready = [c for c in containers if c.ready is False]
    known = bool(unready)
    if not unready:
        named = _UNREADY.search(pod.ready_message)
        names = set(named.group(1).split()) if named else set()
        unready = [c for c in containers if c.container in names and c.ready is None]
        known = bool(unready)
    if not unready and pod.ready_condition == "False":
        unready = [c for c in containers if c.ready is None and c.probe is not None]
    if not unready:
        return ""
    more = f" (and {len(unready) - 1} more container(s))" if len(unready) > 1 else ""
    return _container_reason(unready[0], known, pod.ready_reason) + more


def _not_ready_reason(pod: Pod) -> str:
    detail = not_ready_detail(pod)
    if detail:
        return f"not Ready: {detail}: kube-proxy sends no traffic until it is Ready"
    if pod.ready_condition in ("False", "Unknown"):
        why = f"its Ready condition is {pod.ready_condition}"
    else:
        why = "it has no Ready condition yet"
    return f"not Ready ({why}): kube-proxy sends no traffic until the readiness check passes"


class Verdicts(Mapping[str, Verdict]):
    """`namespace/pod` -> Verdict for every Pod of the cluster, computed when first asked for.

    A routing view shows a few Pods, but the cluster may hold thousands: computing every verdict
    for every Service port up front would cost O(services x pods) time and memory.
    """

    def __init__(
        self,
        svc: Service,
        pe: PortEndpoints,
        used: list[Endpoint],
        pods: list[Pod],
        fallback: bool,
        client_node: str | None,
        given: str = "",
        model: PortEndpoints | None = None,
        from_node: str | None = None,
        refs: dict[str, Pod] | None = None,
    ) -> None:
        self._given = given
        self._model = model
        self._from_node = from_node
        self._svc = svc
        self._pe = pe
        self._used = used
        self._pods = pods
        self._fallback = fallback
        self._client_node = client_node
        self._cache: dict[str, Verdict] = {}
        self._by_ref: dict[str, Pod] | None = None
        self._shared_refs = refs
        self._by_pod: dict[str, Endpoint] | None = None
        self._used_names: set[str] = set()
        self._unresolved: set[str] = set()
        self._modelled: set[int] = set()

    def _refs(self) -> dict[str, Pod]:
        if self._by_ref is None:
            self._by_ref = (
                self._shared_refs
                if self._shared_refs is not None
                else {f"{p.namespace}/{p.name}": p for p in self._pods}
            )
            self._by_pod = {ep.pod.name: ep for ep in self._pe.endpoints}
            self._used_names = {ep.pod.name for ep in self._used}
            self._unresolved = {p.name for p in self._pe.unresolved}
            if self._model is not None:
                self._modelled = {id(e.pod) for e in self._model.endpoints}
        return self._by_ref

    def __getitem__(self, key: str) -> Verdict:
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        pod = self._refs().get(key)
        if pod is None:
            raise KeyError(key)
        verdict = self._verdict(pod)
        self._cache[key] = verdict
        return verdict

    def get(self, key: str, default: Verdict | None = None) -> Verdict | None:  # type: ignore[override]
        """Mapping.get without its try/except round trip: `route` asks 30,000 times."""
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        pod = self._refs().get(key)
        if pod is None:
            return default
        verdict = self._cache[key] = self._verdict(pod)
        return verdict

    def __iter__(self) -> Iterator[str]:
        return iter(self._refs())

    def __len__(self) -> int:
        return len(self._refs())

    def __contains__(self, key: object) -> bool:
        return key in self._refs()

    def _verdict(self, pod: Pod) -> Verdict:
        svc, pe = self._svc, self._pe
        assert self._by_pod is not None
        by_pod = self._by_pod
        # the label match is about labels alone: a Pod in another namespace whose labels fit
        # shows them as matching, and its reason names the namespace
        name, selector, labels = pod.name, svc.selector, pod.labels

        def v(ok: bool, code: str, reason: str, port: int | None = None) -> Verdict:
            return Verdict(name, ok, code, reason, port, selector, labels)

        if svc.type == EXTERNAL_NAME:
            return v(
                False,
                EXTERNAL,
                "ExternalName Service: DNS answers with a CNAME to "
                f"{_q(svc.external_name)}; no Pod is involved",
            )
        if self._given:
            ep = by_pod.get(pod.name)
            if ep is not None and ep.pod is pod:
                if pod.name in self._used_names:
                    return v(
                        True,
                        FROM_SLICE,
                        f"listed in {self._given}: kube-proxy uses it",
                        ep.port,
                    )
                return self._not_used(pod, ep, v)
            if id(pod) in self._modelled:
                return v(
                    False,
                    NOT_IN_SLICES,
                    "the Service selects it, but the EndpointSlices in the input do not list "
                    f"it ({self._given}): kube-proxy routes from the slices; the EndpointSlice "
                    "controller would add it",
                )
            if not has_selector(svc):
                return v(
                    False,
                    NOT_IN_SLICES,
                    "the Service has no selector: its endpoints are what its EndpointSlices "
                    f"list ({self._given}), and they do not list this Pod",
                )
        if not has_selector(svc):
            return v(
                False,
                NO_SELECTOR,
                NO_SELECTOR_REASON if svc.selector is None else EMPTY_SELECTOR_REASON,
            )
        if pod.namespace != svc.namespace:
            return v(
                False,
                NAMESPACE,
                f"in namespace {_q(pod.namespace)}, the Service is in "
                f"{_q(svc.namespace)} (a selector only sees its own namespace)",
            )
        miss = selector_mismatch(svc.selector or {}, pod.labels)
        if miss is not None:
            return v(False, miss[0], miss[1])
        if pod.phase in TERMINAL_PHASES:
            return v(False, TERMINAL, f"{pod.phase}: a Pod that has finished never gets traffic")
        if not pod.ip:
            return v(
                False, NO_IP, f"no IP yet (phase {pod.phase}): it is not scheduled or not started"
            )
        if pod.name in self._unresolved:
            return v(False, PORT, port_reason(pod, pe.port))
        ep = by_pod.get(pod.name)
        if ep is None:
            return v(False, NO_IP, "not an endpoint")
        if pod.name in self._used_names and not svc.headless and svc.cluster_ip not in ("", "None"):
            if self._fallback:
                return v(
                    True,
                    FALLBACK,
                    "terminating but still serving: kube-proxy uses it "
                    "because no endpoint is Ready",
                    ep.port,
                )
            return v(True, OK, "selected, Ready", ep.port)
        return self._not_used(pod, ep, v)

    def _not_used(self, pod: Pod, ep: Endpoint, v: Callable[..., Verdict]) -> Verdict:
        """An endpoint kube-proxy does not use here (or DNS, for a headless Service): why."""
        svc = self._svc
        if svc.headless:
            if ep.ready:
                return v(
                    True,
                    HEADLESS,
                    "headless Service: DNS returns this Pod's IP and "
                    "clients connect to it directly",
                    ep.port,
                )
            if ep.terminating:
                return v(False, TERMINATING, "terminating, so DNS leaves it out", ep.port)
            detail = not_ready_detail(pod)
            return v(
                False,
                NOT_READY,
                f"not Ready: {detail}, so DNS leaves it out"
                if detail
                else "not Ready, so DNS leaves it out",
                ep.port,
            )
        if svc.cluster_ip in ("", "None"):
            return v(False, NOT_PROXIED, "not proxied", ep.port)
        if ep.terminating:
            if not ep.serving:
                return v(
                    False,
                    TERMINATING,
                    "terminating and no longer serving (not Ready): "
                    "kube-proxy never sends it traffic",
                    ep.port,
                )
            return v(
                False,
                TERMINATING,
                "terminating: it is shutting down and gets no new "
                "connections while other Pods are Ready",
                ep.port,
            )
        if not ep.ready:
            if pod.address_only or ep.slice:
                why = f"the input's EndpointSlice {_q(ep.slice)} marks it not ready"
                if not pod.address_only and pod.ready_condition == "True":
                    why += "; the Pod is Ready, so the EndpointSlice controller would mark it ready"
                elif not pod.address_only and not_ready_detail(pod):
                    why += f"; the Pod is not Ready: {not_ready_detail(pod)}"
                return v(False, NOT_READY, why, ep.port)
            return v(False, NOT_READY, _not_ready_reason(pod), ep.port)
        node = self._client_node
        if node is not None and ep.node_name != node:
            return v(
                False,
                LOCAL_POLICY,
                f"on {_q(ep.node_name)}; with "
                "internalTrafficPolicy: Local a client on "
                f"{_q(node)} only reaches Pods on its own node",
                ep.port,
            )
        here = self._from_node
        if here is not None and (ep.for_nodes or ep.for_zones):
            zone = self._pe.node_zones.get(here, "")
            if (
                ep.for_nodes
                and here not in ep.for_nodes
                and any(here in e.for_nodes for e in self._used)
            ):
                return v(
                    False,
                    TOPOLOGY,
                    f"hinted for node {_q(', '.join(ep.for_nodes))}: kube-proxy on {_q(here)} "
                    "prefers the endpoints on its own node (trafficDistribution: PreferSameNode)",
                    ep.port,
                )
            return v(
                False,
                TOPOLOGY,
                f"hinted for zone {_q(', '.join(ep.for_zones))}: kube-proxy on {_q(here)} "
                f"(zone {_q(zone) if zone else 'none'}) uses the endpoints hinted for its own zone",
                ep.port,
            )
        return v(False, NOT_READY, "not used by kube-proxy", ep.port)


def explain_port(
    svc: Service,
    pe: PortEndpoints,
    used: list[Endpoint],
    pods: list[Pod],
    fallback: bool,
    client_node: str | None = None,
    *,
    given: str = "",
    model: PortEndpoints | None = None,
    from_node: str | None = None,
    refs: dict[str, Pod] | None = None,
) -> Verdicts:
    """A verdict for every Pod in `pods` on one Service port (computed lazily, per Pod).

    `given` describes the input's EndpointSlices when kube-proxy routes from them (then
    `model` holds the endpoints the controller would make from the Pods); `from_node` is the
    client's node, for topology hints. `refs` is `pods` by `namespace/name` when the caller
    has it: shared by every port of a dump, instead of a 10,000-entry map per port."""
    return Verdicts(svc, pe, used, pods, fallback, client_node, given, model, from_node, refs)
