"""The DNS records cluster DNS (CoreDNS) serves for a file's Services, and how a Pod's lookup
of a short name finds them.

Sources: W · content/en/docs/concepts/services-networking/dns-pod-service.md and the
kubernetes/dns docs/specification.md (A records for ClusterIP Services; headless Services
answering with their ready endpoints' IPs (AAAA records for IPv6 ClusterIPs and endpoints), or all with `publishNotReadyAddresses`; per-endpoint
`<hostname>.<svc>.<ns>.svc.<zone>` names; SRV `_<port>._<proto>` for named ports (and every
port for an SRV query of the Service's own name: `any_port_srv`); CNAME for
ExternalName; the ClusterFirst search path `<ns>.svc.<zone> svc.<zone> <zone>` with `ndots:5`).
CoreDNS details: plugin/kubernetes (endpoint names are the endpoint `hostname`, else the IP with
dashes; only ready endpoints are served; TTL 5 s) and plugin/backend_lookup.go · `SRV` (priority
0, weight floor(100/n) for n answers). Endpoint `hostname` is set by the EndpointSlice controller
when `pod.spec.hostname` is set and `pod.spec.subdomain` equals the Service name (`podToEndpoint`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import Analysis, ServiceRoute
from .endpoints import endpoint_conditions, find_port
from .network import family_of, ip_of_family
from .objects import CLUSTER_DOMAIN, EXTERNAL_NAME, Pod, Service

A = "A"
AAAA = "AAAA"
SRV = "SRV"
CNAME = "CNAME"
TTL = 5
"""CoreDNS kubernetes plugin default `ttl`."""
NDOTS = 5
"""kubelet writes `options ndots:5` into ClusterFirst Pods' resolv.conf."""


@dataclass(frozen=True, slots=True)
class DnsRecord:
    name: str
    """Fully qualified, without the trailing dot: `web.default.svc.cluster.local`."""
    type: str
    """"A", "AAAA" (an IPv6 address, on a dual-stack cluster), "SRV" or "CNAME"."""
    value: str
    """An IP (A), the target name (SRV) or the canonical name (CNAME)."""
    service: str
    """`namespace/name` of the Service the record comes from."""
    port: int = 0
    priority: int = 0
    weight: int = 0
    pod: str = ""
    """The backing Pod's name for headless answers, else ""."""

    @property
    def zone_line(self) -> str:
        """The record as a zone-file / dig answer line."""
        if self.type == SRV:
            data = f"{self.priority} {self.weight} {self.port} {self.value}."
        elif self.type == CNAME:
            data = f"{self.value}."
        else:
            data = self.value
        return f"{self.name}.\t{TTL}\tIN\t{self.type}\t{data}"


def _dashed(ip: str) -> str:
    return ip.replace(".", "-").replace(":", "-")


def endpoint_name(pod: Pod, svc: Service, ip: str = "") -> str:
    """CoreDNS's name for a headless endpoint: its hostname when the EndpointSlice carries one
    (`hostname` set and `subdomain` equal to the Service name), else the IP with dashes (an
    IPv6 address's colons too: fd00-10-244-1--5)."""
    label = pod.hostname if pod.hostname and pod.subdomain == svc.name else _dashed(ip or pod.ip)
    return f"{label}.{svc.dns_name}"


def _record_type(ip: str) -> str:
    """A for an IPv4 address, AAAA for an IPv6 one."""
    return AAAA if ":" in ip else A


def _ip_in(pod: Pod, family: str) -> str:
    return pod.ip if family_of(pod.ip) == family else ip_of_family(pod.ips, family)


def _srv_weight(n: int) -> int:
    """`backend_lookup.go` `SRV`: equal-priority answers share a weight of 100."""
    return 100 // n if n else 0


def _ready_pods(sr: ServiceRoute) -> list[Pod]:
    """Pods in the Service's EndpointSlices whose endpoint is ready, sorted by IP string.

    Uses the selected Pods, not per-port endpoints: a Pod that fails to resolve a named
    targetPort is still in a slice, so it still gets an A record.
    """
    svc = sr.service
    if not sr.endpoints.managed:
        return []
    ready = [p for p in sr.endpoints.selected if endpoint_conditions(p, svc)[0]]
    seen: dict[str, Pod] = {}
    for pod in sorted(ready, key=lambda p: p.ip):
        seen.setdefault(pod.ip, pod)
    return list(seen.values())


def _headless_from_slices(sr: ServiceRoute) -> list[DnsRecord]:
    """A headless Service whose EndpointSlices are in the input (a dump, or a selector-less
    Service with hand-written ones): CoreDNS answers from the slices' ready endpoints, as
    kube-proxy routes from them (the same endpoints `route` lists)."""
    svc = sr.service
    ref, name = svc.ref, svc.dns_name
    named: dict[str, tuple[Pod, str]] = {}
    for pr in sr.ports:
        for ep in pr.endpoints:
            if ep.ready:
                ip = ep.ip or ep.pod.ip
                label = (
                    f"{ep.pod.hostname}.{name}"
                    if ep.pod.address_only and ep.pod.hostname
                    else endpoint_name(ep.pod, svc, ip)
                )
                named.setdefault(ip, (ep.pod, label))
    ordered = sorted(named.items())
    out = [DnsRecord(name, _record_type(ip), ip, ref, pod=p.name) for ip, (p, _) in ordered]
    out += [DnsRecord(label, _record_type(ip), ip, ref, pod=p.name) for ip, (p, label) in ordered]
    for pr in sr.ports:
        if not pr.port.name:
            continue
        ready = sorted((ep for ep in pr.endpoints if ep.ready), key=lambda e: e.ip or e.pod.ip)
        srv_name = f"_{pr.port.name}._{pr.port.protocol.lower()}.{name}"
        weight = _srv_weight(len(ready))
        out += [
            DnsRecord(
                srv_name,
                SRV,
                named[ep.ip or ep.pod.ip][1],
                ref,
                port=ep.port,
                weight=weight,
                pod=ep.pod.name,
            )
            for ep in ready
        ]
    return out


def service_records(sr: ServiceRoute) -> list[DnsRecord]:
    """Every record one Service produces."""
    svc = sr.service
    ref = svc.ref
    name = svc.dns_name
    out: list[DnsRecord] = []
    if svc.type == EXTERNAL_NAME:
        target = svc.external_name.removesuffix(".")
        return [DnsRecord(name, CNAME, target, ref)] if target else []
    if svc.headless and any(pr.given for pr in sr.ports):
        return _headless_from_slices(sr)
    if svc.headless:
        pods = _ready_pods(sr)
        # one slice per family of the Service: A records from the IPv4 one, AAAA from the IPv6
        addressed = [
            (p, ip) for fam in svc.ip_families or ["IPv4"] for p in pods if (ip := _ip_in(p, fam))
        ]
        out += [DnsRecord(name, _record_type(ip), ip, ref, pod=p.name) for p, ip in addressed]
        out += [
            DnsRecord(endpoint_name(p, svc, ip), _record_type(ip), ip, ref, pod=p.name)
            for p, ip in addressed
        ]
        named = {p.ip: endpoint_name(p, svc) for p in pods}
        for port in svc.ports:
            if not port.name:
                continue
            answers = [(p, find_port(p, port.target_port, port.protocol)) for p in pods]
            resolved = [(p, num) for p, num in answers if num is not None]
            srv_name = f"_{port.name}._{port.protocol.lower()}.{name}"
            weight = _srv_weight(len(resolved))
            out += [
                DnsRecord(srv_name, SRV, named[p.ip], ref, port=num, weight=weight, pod=p.name)
                for p, num in resolved
            ]
        return out
    if not svc.cluster_ip:
        return []
    for ip in svc.cluster_ips or [svc.cluster_ip]:
        out.append(DnsRecord(name, _record_type(ip), ip, ref))
    for port in svc.ports:
        if port.name:
            out.append(
                DnsRecord(
                    f"_{port.name}._{port.protocol.lower()}.{name}",
                    SRV,
                    name,
                    ref,
                    port=port.port,
                    weight=_srv_weight(1),
                )
            )
    return out


def any_port_srv(analysis: Analysis, name: str) -> list[DnsRecord]:
    """CoreDNS's answer to an SRV query for a Service's own name, without `_port._proto`
    (plugin/kubernetes · `parseRequest` reads the missing port and protocol as "*", so
    `matchPortAndProtocol` in `findServices` lets every port through, unnamed ones included):
    for a ClusterIP Service one answer per port, targeting the Service's name; for a headless
    one, one per ready endpoint and port the Pod resolves, targeting the endpoint's name.
    Weights as backend_lookup.go · `SRV`: 100 shared by every entry found (a dual-stack
    ClusterIP counts once per family), duplicate target and port answered once."""
    name = name.rstrip(".").lower()
    for sr in analysis.services:
        svc = sr.service
        if svc.dns_name != name or svc.type == EXTERNAL_NAME:
            continue
        entries: list[tuple[str, int, str]] = []
        if svc.headless:
            for pod in _ready_pods(sr):
                for port in svc.ports:
                    num = find_port(pod, port.target_port, port.protocol)
                    if num is not None:
                        entries.append((endpoint_name(pod, svc), num, pod.name))
        elif svc.cluster_ip:
            ips = svc.cluster_ips or [svc.cluster_ip]
            entries = [(name, port.port, "") for port in svc.ports for _ in ips]
        weight = _srv_weight(len(entries))
        unique = dict.fromkeys(entries)
        return [
            DnsRecord(name, SRV, target, svc.ref, port=num, weight=weight, pod=pod)
            for target, num, pod in unique
        ]
    return []


def headless_answer(sr: ServiceRoute) -> str:
    """What a headless Service's name answers, in a learner's words (a front end shows it for
    a headless Service without ports, where there is no port to send a request to)."""
    name = sr.service.dns_name
    ips = [r.value for r in service_records(sr) if r.name == name and r.type in (A, AAAA)]
    if not ips:
        return no_records_reason(sr)
    return (
        f"DNS answers with the ready Pods' IPs ({', '.join(ips)}); a client connects to one "
        "directly, on the port it chooses"
    )


def no_records_reason(sr: ServiceRoute) -> str:
    """Why a Service has no DNS record (its name does not resolve), in CoreDNS's terms."""
    svc = sr.service
    if svc.type == EXTERNAL_NAME:
        return f"{svc.ref}: ExternalName without an externalName: no CNAME"
    if svc.headless:
        return (
            f"{svc.ref}: headless with no ready endpoints, so its name does not resolve (NXDOMAIN)"
        )
    return f"{svc.ref}: no ClusterIP, so no A record"


def records(analysis: Analysis) -> list[DnsRecord]:
    """All records for the file's Services, Service by Service in file order."""
    return [rec for sr in analysis.services for rec in service_records(sr)]


def search_path(client_namespace: str = "default") -> list[str]:
    """The `search` line of a ClusterFirst Pod's resolv.conf."""
    return [f"{client_namespace}.svc.{CLUSTER_DOMAIN}", f"svc.{CLUSTER_DOMAIN}", CLUSTER_DOMAIN]


def candidates(name: str, client_namespace: str = "default") -> list[str]:
    """The names the resolver tries, in order: with fewer than `ndots` dots the search
    domains come first; a trailing dot means the name is absolute and is tried alone."""
    name = name.strip().lower()
    if name.endswith("."):
        return [name.rstrip(".")] if name.rstrip(".") else []
    if not name:
        return []
    searched = [f"{name}.{domain}" for domain in search_path(client_namespace)]
    return [*searched, name] if name.count(".") < NDOTS else [name, *searched]


def resolve(analysis: Analysis, name: str, client_namespace: str = "default") -> list[DnsRecord]:
    """What a Pod in `client_namespace` gets for `name`: the records of the first candidate
    name (see `candidates`) that has any; [] means NXDOMAIN."""
    by_name: dict[str, list[DnsRecord]] = {}
    for rec in records(analysis):
        by_name.setdefault(rec.name, []).append(rec)
    for candidate in candidates(name, client_namespace):
        found = by_name.get(candidate)
        if found:
            return found
    return []
