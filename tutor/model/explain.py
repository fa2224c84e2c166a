"""Why a Pod does or does not get a Service port's traffic, in words a learner understands.

The checks run in the order the real pipeline applies them, so the *first* reason is the one to
fix first: the Service kind and selector (endpointslice_controller `syncService`), the namespace
and labels (the Pod lister and selector), the Pod's phase and IP (`ShouldPodBeInEndpoints`), the
port (`FindPort`), the conditions (`podToEndpoint`), then kube-proxy's choice (`CategorizeEndpoints`
and the traffic policies).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .endpoints import TERMINAL_PHASES, Endpoint, PortEndpoints, has_selector, ports_named
from .objects import EXTERNAL_NAME, Pod, Service, ServicePort

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


@dataclass(frozen=True, slots=True)
class Verdict:
    pod: str
    gets_traffic: bool
    code: str
    reason: str
    port: int | None = None
    matched: tuple[str, ...] = field(default_factory=tuple)
    """Selector keys whose value this Pod's labels match."""


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
                    "(label keys are case-sensitive)")
            shown = _q(want) if want else 'an empty value'
            return LABEL_MISSING, f"has no label {_q(key)} (the Service wants {_q(key)}: {shown})"
        have = labels[key]
        if have != want:
            note = " (values are case-sensitive)" if have.lower() == want.lower() else ""
            return LABEL_VALUE, (
                f"label {_q(key)} is {_q(have) if have else 'empty'}, the Service wants "
                f"{_q(want) if want else 'it empty'}{note}")
    return None


def matched_keys(selector: dict[str, str] | None, labels: dict[str, str]) -> tuple[str, ...]:
    if not selector:
        return ()
    return tuple(k for k, v in selector.items() if labels.get(k) == v)


def port_reason(pod: Pod, sp: ServicePort) -> str:
    name = str(sp.target_port)
    same_name = ports_named(pod, name)
    if same_name:
        others = ", ".join(f"{_q(cp.name)} for {cp.protocol}" for cp in same_name)
        return f"has no container port named {_q(name)} for {sp.protocol} (it has {others})"
    declared = sorted({cp.name for cp in pod.ports if cp.name})
    if declared:
        return (f"has no container port named {_q(name)} for {sp.protocol} "
                f"(its named ports are {', '.join(_q(n) for n in declared)})")
    return (f"has no container port named {_q(name)} (it declares no named ports; "
            "a named targetPort needs `ports: - name: ...` in the container)")


def _not_ready_reason(pod: Pod) -> str:
    if pod.ready_condition in ("False", "Unknown"):
        why = f"its Ready condition is {pod.ready_condition}"
    else:
        why = "it has no Ready condition yet"
    return f"not Ready ({why}): kube-proxy sends no traffic until the readiness check passes"


def explain_port(svc: Service, pe: PortEndpoints, used: list[Endpoint], pods: list[Pod],
                 fallback: bool, client_node: str | None = None) -> dict[str, Verdict]:
    """A verdict for every Pod in `pods` on one Service port."""
    by_pod = {ep.pod.name: ep for ep in pe.endpoints}
    used_names = {ep.pod.name for ep in used}
    unresolved = {p.name for p in pe.unresolved}
    headless = svc.headless
    out: dict[str, Verdict] = {}
    for pod in pods:
        key = f"{pod.namespace}/{pod.name}"
        matched = matched_keys(svc.selector, pod.labels) if pod.namespace == svc.namespace else ()

        def v(ok: bool, code: str, reason: str, port: int | None = None,
              pod: Pod = pod, matched: tuple[str, ...] = matched) -> Verdict:
            return Verdict(pod.name, ok, code, reason, port, matched)

        if svc.type == EXTERNAL_NAME:
            verdict = v(False, EXTERNAL, "ExternalName Service: DNS answers with a CNAME to "
                        f"{_q(svc.external_name)}; no Pod is involved")
        elif not has_selector(svc):
            verdict = v(False, NO_SELECTOR, "the Service has no selector, so Kubernetes makes no "
                        "endpoints for it" if svc.selector is None else
                        "`selector: {}` selects nothing: Kubernetes makes no endpoints for it")
        elif pod.namespace != svc.namespace:
            verdict = v(False, NAMESPACE, f"in namespace {_q(pod.namespace)}, the Service is in "
                        f"{_q(svc.namespace)} (a selector only sees its own namespace)")
        elif (miss := selector_mismatch(svc.selector or {}, pod.labels)) is not None:
            verdict = v(False, miss[0], miss[1])
        elif pod.phase in TERMINAL_PHASES:
            verdict = v(False, TERMINAL, f"{pod.phase}: a Pod that has finished never gets traffic")
        elif not pod.ip:
            verdict = v(False, NO_IP, f"no IP yet (phase {pod.phase}): it is not scheduled or "
                        "not started")
        elif pod.name in unresolved:
            verdict = v(False, PORT, port_reason(pod, pe.port))
        elif (ep := by_pod.get(pod.name)) is None:
            verdict = v(False, NO_IP, "not an endpoint")
        elif headless:
            if ep.ready:
                verdict = v(True, HEADLESS, "headless Service: DNS returns this Pod's IP and "
                            "clients connect to it directly", ep.port)
            elif ep.terminating:
                verdict = v(False, TERMINATING, "terminating, so DNS leaves it out", ep.port)
            else:
                verdict = v(False, NOT_READY, "not Ready, so DNS leaves it out", ep.port)
        elif svc.cluster_ip in ("", "None"):
            verdict = v(False, NOT_PROXIED, "not proxied", ep.port)
        elif pod.name in used_names:
            if fallback:
                verdict = v(True, FALLBACK, "terminating but still serving: kube-proxy uses it "
                            "because no endpoint is Ready", ep.port)
            else:
                verdict = v(True, OK, "selected, Ready", ep.port)
        elif ep.terminating:
            verdict = v(False, TERMINATING, "terminating: it is shutting down and gets no new "
                        "connections while other Pods are Ready", ep.port)
        elif not ep.ready:
            verdict = v(False, NOT_READY, _not_ready_reason(pod), ep.port)
        elif client_node is not None and pod.node_name != client_node:
            verdict = v(False, LOCAL_POLICY, f"on {_q(pod.node_name)}; with "
                        "internalTrafficPolicy: Local a client on "
                        f"{_q(client_node)} only reaches Pods on its own node", ep.port)
        else:
            verdict = v(False, NOT_READY, "not used by kube-proxy", ep.port)
        out[key] = verdict
    return out
