"""The one place that says what a learner sees: a manifest's problems, and what a request does.

Every front end (the app's routing and traffic views, `ktutor route`, handouts, goal messages)
prints these results and never works them out again, so two screens cannot disagree.

A request from client C to `name-or-IP:port` follows the real path:
1. DNS (CoreDNS, see `tutor.model.dns`): a name resolves through the ClusterFirst search path to
   a Service's ClusterIP (A), a headless Service's Pod IPs (A), a CNAME (ExternalName), or nothing
   (NXDOMAIN).
2. kube-proxy on the client's node (K · pkg/proxy/iptables/proxier.go · `syncProxyRules`): a
   ClusterIP with usable endpoints jumps to KUBE-SVC (KUBE-SVL for internalTrafficPolicy Local)
   and `writeServiceToEndpointRules` picks one endpoint (DNAT); no endpoints at all is the filter
   rule `-j REJECT` ("has no endpoints": the client gets "connection refused"); endpoints but
   none on this node under a Local policy is `-j DROP` ("has no local endpoints": the client
   times out). Which endpoints count: K · pkg/proxy/topology.go · `CategorizeEndpoints`
   (`tutor.model.proxy.endpoints_for`).
3. The Pod: the simulator's convention is that a container listens on the ports it declares
   (`containerPort`); a Pod that declares no ports is assumed to listen on the port it is sent to
   (real manifests often declare none: `containerPort` is informational, K · core/v1 types.go ·
   `ContainerPort`), and the outcome says it assumed so. Nothing listening means the Pod's
   kernel answers with a TCP reset: the connection is refused by the Pod.
"""

from __future__ import annotations

import ipaddress
import random
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import StrEnum

from .analysis import Analysis, PortRoute, ServiceRoute
from .endpoints import Endpoint, join_host_port
from .network import IPV6, family_of, ip_of_family, simulated_ipv6
from .objects import EXTERNAL_NAME, Pod, Service
from .proxy import (
    CLUSTER_IP_ENTRY,
    LOAD_BALANCER_ENTRY,
    NODE_PORT_ENTRY,
    Client,
    endpoints_for,
    simulate,
    skip_service,
)

# ---------------------------------------------------------------- problems


SYNTAX_HINT = "Check the indentation (2 spaces per level) and the `key: value` colons."


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a manifest, at a 1-based line and column (0 when unknown)."""

    line: int
    column: int
    message: str
    hint: str = ""
    path: str = ""
    object: str = ""
    """`namespace/name` of the object the API server refuses ("" for the whole text)."""
    kind: str = ""
    unreadable: bool = False
    """True for a YAML syntax error or input refused before parsing: nothing could be read."""

    @property
    def where(self) -> str:
        """`line 3, column 5`, `line 3` or "" when the position is unknown."""
        if not self.line:
            return ""
        return f"line {self.line}, column {self.column}" if self.column else f"line {self.line}"


def problems(analysis: Analysis) -> list[Problem]:
    """Every problem of the text, in the order a learner should fix them: a syntax error or
    refused input first (then nothing else was read), then the API server's field errors."""
    out: list[Problem] = []
    parsed = analysis.parsed
    if parsed.syntax_error is not None:
        se = parsed.syntax_error
        out.append(
            Problem(
                se.line,
                se.column,
                f"YAML syntax error: {se.message}",
                SYNTAX_HINT,
                unreadable=True,
            )
        )
    if parsed.rejected is not None:
        rj = parsed.rejected
        out.append(Problem(rj.line or 0, rj.column or 0, rj.reason, unreadable=True))
    for err in analysis.errors:
        out.append(
            Problem(
                err.line,
                err.column,
                err.message,
                err.hint,
                path=err.path,
                object=err.object,
                kind=err.kind,
            )
        )
    return out


def unreadable(analysis: Analysis) -> Problem | None:
    """The problem that stopped the text from being read at all, if any."""
    return next((p for p in problems(analysis) if p.unreadable), None)


# ---------------------------------------------------------------- one request


class Outcome(StrEnum):
    """What the client sees, in words a learner knows."""

    ANSWERED = "answered"
    """A Pod received the request on a port it listens on."""
    REFUSED_BY_POD = "refused-by-pod"
    """kube-proxy delivered it, but nothing listens on that port in the Pod (TCP reset)."""
    REJECTED = "rejected"
    """kube-proxy's REJECT rule: the Service port has no endpoints (connection refused)."""
    TIMED_OUT = "timed-out"
    """The packets are dropped (a DROP rule, or nothing catches them): the client times out."""
    NAME_NOT_FOUND = "name-not-found"
    """DNS has no record for the name (NXDOMAIN)."""
    NO_VIRTUAL_IP = "no-virtual-ip"
    """Headless: DNS returns Pod IPs and the client connects to one directly (no kube-proxy)."""
    EXTERNAL = "external"
    """ExternalName: DNS answers with a CNAME and the request leaves the cluster."""


LABELS: dict[Outcome, str] = {
    Outcome.ANSWERED: "answered",
    Outcome.REFUSED_BY_POD: "refused by the Pod",
    Outcome.REJECTED: "connection refused by kube-proxy (no endpoints)",
    Outcome.TIMED_OUT: "timed out (dropped)",
    Outcome.NAME_NOT_FOUND: "name not found",
    Outcome.NO_VIRTUAL_IP: "headless: no virtual IP",
    Outcome.EXTERNAL: "left the cluster (ExternalName)",
}
"""Short labels, for counts and tables."""

CONVENTION = (
    "ktutor assumes a container listens on the ports it declares (containerPort); a Pod that "
    "declares no ports is assumed to listen on the port it is sent to."
)
"""The simulator's convention, for docs and screens that explain an outcome."""


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a request's path, as a learner would trace it."""

    at: str
    """Who acts: `DNS`, `kube-proxy on node-1`, `web-1`."""
    text: str
    ok: bool = True
    """False for the hop where the request fails."""


@dataclass(frozen=True, slots=True)
class RequestOutcome:
    """What happened to one request, and why."""

    kind: Outcome
    summary: str
    """One line in a learner's words, e.g. "refused by web-1: nothing listens on port 80"."""
    hops: tuple[Hop, ...]
    client: Client
    target: str
    port: int
    service: str = ""
    """`namespace/name` of the Service the request went to ("" for none)."""
    pod: str = ""
    """The Pod that received it ("" when none did)."""
    address: str = ""
    """`IP:port` the request was delivered to ("" when none)."""
    rule: str = ""
    """The kube-proxy rule that decided: the jump into KUBE-SVC/KUBE-SVL, or REJECT/DROP."""
    assumed: bool = False
    """The Pod declares no ports, so it was assumed to listen on the port."""
    reason: str = ""
    """Why it failed, without the outcome's own words (e.g. "nothing listens on port 80")."""

    @property
    def answered(self) -> bool:
        """A Pod got the request and listens on its port (directly, for a headless Service)."""
        return self.kind == Outcome.ANSWERED or (
            self.kind == Outcome.NO_VIRTUAL_IP and bool(self.pod) and not self.reason
        )


def declared_ports(pod: Pod, protocol: str) -> list[int]:
    """The container ports `pod` declares for `protocol` (sidecars included)."""
    return sorted({cp.container_port for cp in pod.ports if cp.protocol == protocol})


def listens(pod: Pod, port: int, protocol: str = "TCP") -> bool | None:
    """True when a container of `pod` declares `port`, False when the Pod declares other ports
    only, None when it declares none (the simulator then assumes it listens)."""
    if not pod.ports:
        return None
    return any(cp.container_port == port and cp.protocol == protocol for cp in pod.ports)


def _ports_list(ports: list[int], protocol: str) -> str:
    shown = ", ".join(f"{p}/{protocol}" for p in ports)
    return shown or "no ports for " + protocol


def assumed_note(pod: Pod, port: int, *, named: bool = True) -> str:
    """Why the simulator assumes `pod` listens on `port`: it declares no ports, or it is an
    address from a slice (an external database, a VM) that is no Pod in the file."""
    if pod.address_only:
        return f"an address, not a Pod in the file: assumed to listen on {port}"
    return f"{pod.name if named else 'it'} declares no ports: assumed to listen on {port}"


def at_pod(pod: Pod, port: int, protocol: str = "TCP") -> tuple[bool, bool, str, Hop]:
    """(answered, assumed, reason, hop) for a request reaching `pod` on `port`."""
    heard = listens(pod, port, protocol)
    if heard is None:
        text = f"answers on {port} ({assumed_note(pod, port, named=False)})"
        return True, True, "", Hop(pod.name, text)
    if heard:
        return True, False, "", Hop(pod.name, f"answers on {port}")
    reason = (
        f"nothing listens on port {port} in {pod.name} "
        f"(it declares only {_ports_list(declared_ports(pod, protocol), protocol)})"
    )
    return False, False, reason, Hop(pod.name, f"{reason}: TCP reset", ok=False)


def _find_rule(analysis: Analysis, sr: ServiceRoute, node: str, needle: str, target: str) -> str:
    """The filter rule kube-proxy on `node` programs for the Service with `needle` and
    `-j target` (`tutor.model.iptables.program`, the same rules `ktutor rules` prints)."""
    from .iptables import program

    svc = sr.service
    for rule in program(analysis, node or None, services=[sr]).filter.rules:
        if rule.service == svc.ref and needle in rule.args and rule.args.endswith(f"-j {target}"):
            return rule.text
    return f"-j {target}"


def _chain(svc: Service, pr: PortRoute, local: bool) -> str:
    from .iptables import SVC, SVL, chain_name, service_port_name

    return chain_name(SVL if local else SVC, service_port_name(svc, pr.port), pr.port.protocol)


def _entry_port(pr: PortRoute, entry: str) -> int:
    return pr.port.node_port if entry == NODE_PORT_ENTRY else pr.port.port


def _local_policy(svc: Service, entry: str) -> bool:
    policy = (
        svc.internal_traffic_policy if entry == CLUSTER_IP_ENTRY else svc.external_traffic_policy
    )
    return policy == "Local"


@dataclass(frozen=True, slots=True)
class _Failure:
    kind: Outcome
    rule: str
    reason: str


def _no_endpoint(
    analysis: Analysis, sr: ServiceRoute, pr: PortRoute, node: str, entry: str, rules: bool
) -> _Failure:
    """REJECT (no endpoints anywhere) or DROP (a Local policy and none on `node`)."""
    svc = sr.service
    port = _entry_port(pr, entry)
    needle = (
        f"--dport {port}" if entry == NODE_PORT_ENTRY else f"-d {svc.cluster_ip} --dport {port}"
    )
    if _local_policy(svc, entry) and endpoints_for(svc, pr.slice_endpoints, entry, None):
        policy = "internalTrafficPolicy" if entry == CLUSTER_IP_ENTRY else "externalTrafficPolicy"
        return _Failure(
            Outcome.TIMED_OUT,
            _find_rule(analysis, sr, node, needle, "DROP") if rules else "-j DROP",
            f"{policy} Local and no Ready endpoint on {node or 'this node'}",
        )
    return _Failure(
        Outcome.REJECTED,
        _find_rule(analysis, sr, node, needle, "REJECT") if rules else "-j REJECT",
        f"{svc.name} port {pr.port.port} has no endpoints",
    )


def summary(
    kind: Outcome, pod: str, port: int, reason: str, assumed: bool, *, note: str = ""
) -> str:
    """The outcome in one line; `note` says why an answering Pod was `assumed` to listen
    (`assumed_note`; the default is the Pod that declares no ports)."""
    if kind == Outcome.ANSWERED:
        if assumed and not note:
            note = f"{pod} declares no ports: assumed to listen on {port}"
        tail = f" ({note})" if assumed else ""
        return f"answered by {pod} on port {port}{tail}"
    if kind == Outcome.REFUSED_BY_POD:
        return f"refused by the Pod: {reason}"
    if kind == Outcome.REJECTED:
        return f"connection refused by kube-proxy (REJECT): {reason}"
    if kind == Outcome.TIMED_OUT:
        return f"timed out: kube-proxy drops the packets (DROP): {reason}"
    if kind == Outcome.NAME_NOT_FOUND:
        return f"name not found: {reason}"
    return reason


def _through_proxy(
    analysis: Analysis,
    sr: ServiceRoute,
    pr: PortRoute,
    client: Client,
    target: str,
    seed: int,
    entry: str,
    hops: list[Hop],
    rules: bool = True,
) -> RequestOutcome:
    """kube-proxy's decision for one request to a proxied Service port, then the Pod's."""
    svc = sr.service
    node = client.node
    where = f"kube-proxy on {node or 'the node'}"
    port = _entry_port(pr, entry)
    sim = simulate(svc, pr.slice_endpoints, [client], 1, seed=seed, entry=entry)
    chosen = sim.sequence[0][1] if sim.sequence else ""
    if not chosen:
        fail = _no_endpoint(analysis, sr, pr, node, entry, rules)
        verb = "REJECT" if fail.kind == Outcome.REJECTED else "DROP"
        hops.append(Hop(where, f"{verb}: {fail.reason}", ok=False))
        return RequestOutcome(
            fail.kind,
            summary(fail.kind, "", port, fail.reason, False),
            tuple(hops),
            client,
            target,
            port,
            service=svc.ref,
            rule=fail.rule,
            reason=fail.reason,
        )
    usable = endpoints_for(svc, pr.slice_endpoints, entry, node or None)
    ep: Endpoint | None = next((e for e in usable if e.pod.name == chosen), None)
    assert ep is not None  # simulate picked it from these endpoints
    chain = _chain(svc, pr, _local_policy(svc, entry))
    hops.append(
        Hop(where, f"{chain} picks {ep.pod.name} (1 of {len(usable)}), DNAT to {ep.address}")
    )
    ok, assumed, reason, hop = at_pod(ep.pod, ep.port, pr.port.protocol)
    hops.append(hop)
    kind = Outcome.ANSWERED if ok else Outcome.REFUSED_BY_POD
    return RequestOutcome(
        kind,
        summary(kind, ep.pod.name, ep.port, reason, assumed, note=assumed_note(ep.pod, ep.port)),
        tuple(hops),
        client,
        target,
        port,
        service=svc.ref,
        pod=ep.pod.name,
        address=ep.address,
        rule=f"-j {chain}",
        assumed=assumed,
        reason=reason,
    )


def _headless(
    analysis: Analysis,
    sr: ServiceRoute,
    client: Client,
    target: str,
    port: int,
    protocol: str,
    seed: int,
    hops: list[Hop],
) -> RequestOutcome:
    """No virtual IP: the client picks one of the Pod IPs DNS returns (CoreDNS's `loadbalance`
    shuffles them) and connects to it on the port it asked for; kube-proxy is not involved."""
    from . import dns

    svc = sr.service
    answers = [r for r in dns.service_records(sr) if r.type == dns.A and r.name == svc.dns_name]
    if not answers:
        reason = f"{svc.dns_name} has no Ready Pod to answer with (headless, NXDOMAIN)"
        return _name_not_found(client, target, port, reason, hops, service=svc.ref)
    pick = answers[random.Random(seed).randrange(len(answers))]
    pod = analysis.cluster.pod(f"{svc.namespace}/{pick.pod}")
    assert pod is not None
    hops.append(Hop("DNS", f"{svc.dns_name} → {len(answers)} Pod IPs (A): picks {pick.value}"))
    hops.append(Hop(client.name, f"connects straight to {pick.value}:{port} (no kube-proxy)"))
    ok, assumed, reason, hop = at_pod(pod, port, protocol)
    hops.append(hop)
    result = f"answered by {pod.name} on port {port}" if ok else f"refused: {reason}"
    said = (
        f"headless, no virtual IP: DNS returns the Pod IPs and {client.name} connects to "
        f"{pod.name} directly: {result}"
    )
    if assumed:
        said += f" ({assumed_note(pod, port)})"
    return RequestOutcome(
        Outcome.NO_VIRTUAL_IP,
        said,
        tuple(hops),
        client,
        target,
        port,
        service=svc.ref,
        pod=pod.name,
        address=f"{pick.value}:{port}",
        assumed=assumed,
        reason=reason,
    )


def _to_pod(pod: Pod, client: Client, target: str, port: int, hops: list[Hop]) -> RequestOutcome:
    hops.append(Hop(client.name, f"connects straight to {pod.ip}:{port} ({pod.name})"))
    ok, assumed, reason, hop = at_pod(pod, port, "TCP")
    hops.append(hop)
    kind = Outcome.ANSWERED if ok else Outcome.REFUSED_BY_POD
    return RequestOutcome(
        kind,
        summary(kind, pod.name, port, reason, assumed, note=assumed_note(pod, port)),
        tuple(hops),
        client,
        target,
        port,
        pod=pod.name,
        address=f"{pod.ip}:{port}",
        assumed=assumed,
        reason=reason,
    )


def _stopped(
    kind: Outcome,
    hop: Hop,
    said: str,
    client: Client,
    target: str,
    port: int,
    reason: str,
    hops: list[Hop],
    service: str = "",
) -> RequestOutcome:
    """The request ends at `hop` (its failing step) without reaching a Pod."""
    hops.append(hop)
    return RequestOutcome(
        kind, said, tuple(hops), client, target, port, service=service, reason=reason
    )


def _nothing_at(
    client: Client, target: str, port: int, reason: str, hops: list[Hop]
) -> RequestOutcome:
    """Nothing takes the packets (no rule, no listener): the client times out."""
    hop = Hop(client.name, reason, ok=False)
    said = f"timed out: {reason}"
    return _stopped(Outcome.TIMED_OUT, hop, said, client, target, port, reason, hops)


def _name_not_found(
    client: Client,
    target: str,
    port: int,
    reason: str,
    hops: list[Hop],
    service: str = "",
) -> RequestOutcome:
    """DNS answered NXDOMAIN (or nothing a client can connect to): the request never leaves."""
    kind = Outcome.NAME_NOT_FOUND
    said = summary(kind, "", port, reason, False)
    hop = Hop("DNS", reason, ok=False)
    return _stopped(kind, hop, said, client, target, port, reason, hops, service)


def source_address(analysis: Analysis, client: Client, destination: str) -> Client:
    """The client with the address it sends from to `destination`: a Pod on a dual-stack
    cluster has one address per family (`status.podIPs`) and the kernel sends from the one of
    the destination's family, so a request to an IPv6 ClusterIP comes from the Pod's IPv6
    address (kube-proxy's ip6tables rules, and ClientIP affinity, see that one). A client of
    another family than the destination with no address of its family is left as it is."""
    family = family_of(destination)
    if not client.ip or family_of(client.ip) == family:
        return client
    pod = next(
        (p for p in analysis.cluster.pods if p.name == client.name and client.ip in (p.ip, *p.ips)),
        None,
    )
    if pod is not None:
        other = ip_of_family(pod.ips, family)
    elif analysis.cluster.network.dual_stack and family == IPV6:
        other = simulated_ipv6(client.ip)  # the simulated client Pod, as allocation gives Pods
    else:
        other = ""
    return replace(client, ip=other) if other else client


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def request(
    analysis: Analysis,
    client: Client,
    target: str,
    port: int,
    seed: int = 0,
    *,
    namespace: str = "default",
    entry: str = CLUSTER_IP_ENTRY,
) -> RequestOutcome:
    """ "`client` (a Pod in `namespace`, on `client.node`) sends one TCP request to
    `target:port`": `target` is a DNS name (short or full) or an IP. The same seed gives the
    same endpoint. With `entry` NodePort (or LoadBalancer), `target` names the Service and the
    request arrives at the client's node through the port's nodePort instead of the ClusterIP.
    """
    from . import dns

    hops: list[Hop] = []
    sr: ServiceRoute | None = None
    if entry != CLUSTER_IP_ENTRY:
        sr = analysis.service(target) or next(
            (s for s in analysis.services if s.service.dns_name == target.rstrip(".")), None
        )
        if sr is None:
            return _nothing_at(client, target, port, f"there is no Service {target}", hops)
        return _through_entry(analysis, sr, client, target, port, seed, entry, hops)
    if _is_ip(target):
        ip = target
        hops.append(Hop(client.name, f"sends to {ip}:{port}"))
    else:
        answers = dns.resolve(analysis, target, namespace)
        if not answers:
            names = set(dns.candidates(target, namespace))
            empty = next(
                (
                    s
                    for s in analysis.services
                    if s.service.headless and s.service.dns_name in names
                ),
                None,
            )
            if empty is not None:
                reason = (
                    f"{empty.service.dns_name} has no Ready Pod to answer with (headless, NXDOMAIN)"
                )
            else:
                reason = f"`{target}` does not resolve from namespace {namespace} (NXDOMAIN)"
            return _name_not_found(client, target, port, reason, hops)
        first = answers[0]
        owner = analysis.service(first.service)
        if first.type == dns.CNAME:
            text = f"{first.name} → CNAME {first.value}"
            hops.append(Hop("DNS", text))
            said = (
                f"DNS answers with a CNAME to {first.value}: the request leaves the cluster "
                "(no kube-proxy, no Pod)"
            )
            return RequestOutcome(
                Outcome.EXTERNAL, said, tuple(hops), client, target, port, service=first.service
            )
        if owner is not None and owner.service.headless and first.name == owner.service.dns_name:
            protocol = "TCP"
            return _headless(analysis, owner, client, target, port, protocol, seed, hops)
        # getaddrinfo asks for both families; every Pod of a dual-stack cluster has an IPv6
        # address too, so a name with only an AAAA record is reached over IPv6
        a = [r for r in answers if r.type == dns.A] or [r for r in answers if r.type == dns.AAAA]
        if not a:
            reason = f"`{target}` has no A or AAAA record (only {first.type})"
            return _name_not_found(client, target, port, reason, hops)
        ip = a[0].value
        hops.append(Hop("DNS", f"{a[0].name} → {a[0].type} {ip}"))
    client = source_address(analysis, client, ip)
    for s in analysis.services:
        if ip == s.service.cluster_ip or ip in s.service.cluster_ips:
            sr = s
            break
    if sr is None or skip_service(sr.service):
        pod = next((p for p in analysis.cluster.pods if p.ip == ip), None)
        if pod is not None:
            return _to_pod(pod, client, target, port, hops)
        node = next((n for n in analysis.cluster.node_info.values() if n.ip == ip), None)
        if node is not None:
            return _to_node(analysis, client, node.name, target, port, seed, hops)
        for s in analysis.services:
            if ip in s.service.ingress_ips:
                return _to_load_balancer(analysis, s, client, ip, target, port, seed, hops)
        return _nothing_at(
            client, target, port, f"no Service or Pod has the IP {ip}: nothing answers", hops
        )
    pr = next((p for p in sr.ports if p.port.port == port and p.port.protocol == "TCP"), None)
    if pr is None:
        have = ", ".join(p.port.label for p in sr.ports) or "none"
        return _nothing_at(
            client,
            target,
            port,
            f"Service {sr.service.name} has no port {port} (its ports: {have}): "
            "no kube-proxy rule catches it",
            hops,
        )
    hops.append(Hop("Service", f"{sr.service.name} {join_host_port(ip, port)}"))
    return _through_proxy(analysis, sr, pr, client, target, seed, CLUSTER_IP_ENTRY, hops)


def _through_entry(
    analysis: Analysis,
    sr: ServiceRoute,
    client: Client,
    target: str,
    port: int,
    seed: int,
    entry: str,
    hops: list[Hop],
) -> RequestOutcome:
    svc = sr.service
    pr = sr.port(port)
    if pr is None or not pr.port.node_port or skip_service(svc):
        kind = "LoadBalancer" if entry == LOAD_BALANCER_ENTRY else "NodePort"
        return _nothing_at(
            client,
            target,
            port,
            f"Service {svc.name} ({svc.type}) opens no {kind} entry for port {port}",
            hops,
        )
    hops.append(
        Hop("node", f"{client.node or 'a node'}:{pr.port.node_port} (nodePort of {svc.name})")
    )
    return _through_proxy(analysis, sr, pr, client, target, seed, entry, hops)


def _to_node(
    analysis: Analysis,
    client: Client,
    node: str,
    target: str,
    port: int,
    seed: int,
    hops: list[Hop],
) -> RequestOutcome:
    """A Pod sends to a node's IP: kube-proxy's rules on that node take a Service's nodePort
    (nothing else listens there here). A Pod's packets go to every endpoint even under
    externalTrafficPolicy Local (K · pkg/proxy/iptables/proxier.go · syncProxyRules: "pod
    traffic for ... external destinations" jumps to the cluster chain; nftables mode:
    "short-circuit pod traffic")."""
    for sr in analysis.services:
        svc = sr.service
        if skip_service(svc) or not svc.externally_accessible:
            continue
        pr = next((p for p in sr.ports if p.port.node_port == port), None)
        if pr is None or svc.type not in ("NodePort", "LoadBalancer"):
            continue
        hops.append(Hop(client.name, f"sends to {node} {target}:{port} (nodePort of {svc.name})"))
        sr = _from_a_pod(sr, node, hops)
        pr = next(p for p in sr.ports if p.port.node_port == port)
        return _through_proxy(
            analysis, sr, pr, replace(client, node=node), target, seed, NODE_PORT_ENTRY, hops
        )
    return _nothing_at(
        client, target, port, f"nothing listens on {node}'s port {port} (no nodePort)", hops
    )


def _from_a_pod(sr: ServiceRoute, node: str, hops: list[Hop]) -> ServiceRoute:
    """`sr` as kube-proxy treats a Pod's packets to its nodePort or load-balancer IP: under
    externalTrafficPolicy Local they still go to every endpoint (the cluster chain)."""
    svc = sr.service
    if svc.external_traffic_policy != "Local":
        return sr
    hops.append(
        Hop(
            f"kube-proxy on {node or 'the node'}",
            "externalTrafficPolicy Local is for clients outside the cluster: a Pod's packets "
            "go to any endpoint",
        )
    )
    return replace(sr, service=replace(svc, external_traffic_policy="Cluster"))


def _to_load_balancer(
    analysis: Analysis,
    sr: ServiceRoute,
    client: Client,
    ip: str,
    target: str,
    port: int,
    seed: int,
    hops: list[Hop],
) -> RequestOutcome:
    """A Pod sends to a LoadBalancer's ingress IP (ipMode VIP): kube-proxy on the Pod's own
    node takes it, as it takes the ClusterIP (K · pkg/proxy/iptables/proxier.go: a
    KUBE-SERVICES rule per ingress IP and port), through KUBE-FW-* when the Service has
    `loadBalancerSourceRanges` and endpoints (without endpoints KUBE-EXTERNAL-SERVICES
    rejects it first)."""
    svc = sr.service
    pr = next((p for p in sr.ports if p.port.port == port), None)
    if pr is None:
        return _nothing_at(
            client, target, port, f"the load balancer of {svc.name} has no port {port}", hops
        )
    hops.append(Hop(client.name, f"sends to {ip}:{port} (load balancer of {svc.name})"))
    outside = _outside_source_ranges(svc, client, ip)
    anywhere = replace(svc, external_traffic_policy="Cluster")
    if outside and endpoints_for(anywhere, pr.slice_endpoints, LOAD_BALANCER_ENTRY, None):
        return _firewall_drop(client, target, port, outside, hops)  # no endpoints: REJECT first
    sr = _from_a_pod(sr, client.node, hops)
    pr = next(p for p in sr.ports if p.port.port == port)
    return _through_proxy(analysis, sr, pr, client, target, seed, LOAD_BALANCER_ENTRY, hops)


def _outside_source_ranges(svc: Service, client: Client, ip: str) -> str:
    """Why `loadBalancerSourceRanges` keeps `client` from the load balancer IP `ip`, or "":
    kube-proxy sends the IP's packets to KUBE-FW-*, which passes the ranges to the EXT chain
    and leaves the rest to KUBE-PROXY-FIREWALL's DROP (K · pkg/proxy/iptables/proxier.go ·
    syncProxyRules, "other traffic to ... will be dropped")."""
    from .iptables import source_ranges

    ranges = source_ranges(svc, family_of(ip))
    source = ipaddress.ip_address(client.ip)
    if not ranges or any(source in ipaddress.ip_network(cidr) for cidr in ranges):
        return ""
    return f"{client.ip} is not in {svc.name}'s loadBalancerSourceRanges ({', '.join(ranges)})"


def _firewall_drop(
    client: Client, target: str, port: int, reason: str, hops: list[Hop]
) -> RequestOutcome:
    hop = Hop(f"kube-proxy on {client.node or 'the node'}", f"DROP: {reason}", ok=False)
    said = summary(Outcome.TIMED_OUT, "", port, reason, False)
    return _stopped(Outcome.TIMED_OUT, hop, said, client, target, port, reason, hops)


def dns_type(ip: str) -> str:
    """The DNS record that answers with `ip`: AAAA for an IPv6 address, else A."""
    return "AAAA" if ":" in ip else "A"


def request_to(
    analysis: Analysis,
    sr: ServiceRoute,
    pr: PortRoute,
    client: Client,
    seed: int = 0,
    entry: str = CLUSTER_IP_ENTRY,
    *,
    rules: bool = True,
) -> RequestOutcome:
    """`request` to a Service port by its full DNS name (what the routing view selects).
    `rules=False` leaves out the REJECT/DROP rule's full text (it programs the node's rules):
    for views redrawn on every keystroke that show only the summary."""
    target = sr.service.name if entry != CLUSTER_IP_ENTRY else sr.service.dns_name
    if sr.service.type == EXTERNAL_NAME or entry != CLUSTER_IP_ENTRY or sr.service.headless:
        return request(analysis, client, target, pr.port.port, seed, entry=entry)
    if not sr.service.cluster_ip:
        return request(analysis, client, target, pr.port.port, seed)
    # the name resolves to the ClusterIP: skip building every DNS record of the file
    hops = [
        # an IPv6-first Service's ClusterIP is an AAAA answer (the routing view's client asks
        # for the primary family)
        Hop(
            "DNS",
            f"{sr.service.dns_name} → {dns_type(sr.service.cluster_ip)} {sr.service.cluster_ip}",
        ),
        Hop("Service", f"{sr.service.name} {join_host_port(sr.service.cluster_ip, pr.port.port)}"),
    ]
    client = source_address(analysis, client, sr.service.cluster_ip)
    return _through_proxy(analysis, sr, pr, client, target, seed, CLUSTER_IP_ENTRY, hops, rules)


# ---------------------------------------------------------------- many requests


@dataclass(slots=True)
class Burst:
    """`n` requests: how many ended each way, and per Pod."""

    requests: int
    counts: Counter[Outcome] = field(default_factory=Counter)
    answered: Counter[str] = field(default_factory=Counter)
    """Pod name -> requests it answered."""
    refused: Counter[str] = field(default_factory=Counter)
    """Pod name -> requests delivered to it that nothing listened for."""
    sequence: list[tuple[str, str, Outcome]] = field(default_factory=list)
    """(client name, Pod name or "", outcome) per request, in order."""
    examples: dict[Outcome, RequestOutcome] = field(default_factory=dict)
    """One request of each outcome, or of each refusing Pod (`refused:<pod>`), for the why."""
    refusals: dict[str, str] = field(default_factory=dict)
    """Pod name -> why it refuses (nothing listens on the port)."""

    @property
    def failed(self) -> int:
        return self.requests - sum(self.answered.values())

    def lines(self) -> list[str]:
        """`37 answered by web-1`, `10 refused by web-2: nothing listens ...`, `5 timed out: ...`"""
        out = [f"{n} answered by {pod}" for pod, n in sorted(self.answered.items())]
        out += [
            f"{n} refused by {pod}: {self.refusals[pod]}" for pod, n in sorted(self.refused.items())
        ]
        for kind in (Outcome.REJECTED, Outcome.TIMED_OUT, Outcome.NAME_NOT_FOUND, Outcome.EXTERNAL):
            if self.counts.get(kind):
                out.append(f"{self.counts[kind]} {self.examples[kind].summary}")
        return out


def requests(
    analysis: Analysis,
    sr: ServiceRoute,
    pr: PortRoute,
    clients: list[Client],
    n: int,
    seed: int = 0,
    entry: str = CLUSTER_IP_ENTRY,
) -> Burst:
    """`n` requests round-robin from `clients` to a Service port, built on kube-proxy's seeded
    cascade (`tutor.model.proxy.simulate`); each delivered request then meets its Pod."""
    burst = Burst(n)
    clients = clients or [Client("client", "10.244.0.100", "")]
    svc = sr.service
    if (
        svc.type == EXTERNAL_NAME
        or svc.headless
        or (entry == CLUSTER_IP_ENTRY and skip_service(svc))
    ):
        for i in range(n):
            one = request_to(analysis, sr, pr, clients[i % len(clients)], seed + i, entry)
            _count(burst, one, clients[i % len(clients)].name)
        return burst
    sim = simulate(svc, pr.slice_endpoints, clients, n, seed, entry, keep_sequence=n)
    pods = {ep.pod.name: ep for ep in pr.slice_endpoints.endpoints}
    verdict: dict[str, tuple[bool, bool, str]] = {}
    for client_name, pod_name in sim.sequence:
        if pod_name:
            if pod_name not in verdict:
                ep = pods[pod_name]
                ok, assumed, reason, _hop = at_pod(ep.pod, ep.port, pr.port.protocol)
                verdict[pod_name] = (ok, assumed, reason)
            ok, _assumed, reason = verdict[pod_name]
            kind = Outcome.ANSWERED if ok else Outcome.REFUSED_BY_POD
            if ok:
                burst.answered[pod_name] += 1
            else:
                burst.refused[pod_name] += 1
                burst.refusals[pod_name] = reason
        else:
            kind = Outcome.TIMED_OUT if sim.dropped else Outcome.REJECTED
        burst.counts[kind] += 1
        burst.sequence.append((client_name, pod_name, kind))
        if kind not in burst.examples:
            client = next(c for c in clients if c.name == client_name)
            burst.examples[kind] = _example(analysis, sr, pr, client, seed, entry, kind)
    return burst


def _example(
    analysis: Analysis,
    sr: ServiceRoute,
    pr: PortRoute,
    client: Client,
    seed: int,
    entry: str,
    kind: Outcome,
) -> RequestOutcome:
    """A single request from `client` that ends as `kind` (tries a few seeds)."""
    one = request_to(analysis, sr, pr, client, seed, entry)
    for s in range(seed + 1, seed + 64):
        if one.kind == kind:
            break
        one = request_to(analysis, sr, pr, client, s, entry)
    return one


def _count(burst: Burst, one: RequestOutcome, client: str) -> None:
    kind = one.kind
    if one.pod:
        if one.answered:
            burst.answered[one.pod] += 1
        else:
            burst.refused[one.pod] += 1
            burst.refusals[one.pod] = one.reason
    burst.counts[kind] += 1
    burst.sequence.append((client, one.pod, kind))
    burst.examples.setdefault(kind, one)
