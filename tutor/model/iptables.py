"""The iptables rules kube-proxy (iptables mode) programs on one node for a file's Services.

Everything follows K · pkg/proxy/iptables/proxier.go:
- `syncProxyRules`: the fixed chains and rules, the per-Service-port capture rules (ClusterIP,
  externalIPs, LoadBalancer ingress, NodePorts), the KUBE-EXT/KUBE-SVC/KUBE-SVL/KUBE-SEP chains,
  and the filter-table REJECT ("has no endpoints") and DROP ("has no local endpoints") rules;
- `writeServiceToEndpointRules`: ClientIP affinity (`recent --rcheck`) before the random cascade,
  rule i of n matching with probability 1/(n-i) from `computeProbability` (`%0.10f`);
- `portProtoHash`, `servicePortPolicyClusterChain`, `servicePortPolicyLocalChainName`,
  `serviceExternalChainName`, `servicePortEndpointChainName`: the chain names;
- `iptablesJumpChains`: the jumps from the built-in chains into kube-proxy's chains.
Which endpoints are used comes from K · pkg/proxy/topology.go · `CategorizeEndpoints` with
K · pkg/proxy/serviceport.go · `UsesClusterEndpoints`/`UsesLocalEndpoints`/`ExternallyAccessible`;
which Services are skipped from K · pkg/proxy/util/utils.go · `ShouldSkipService`.

Rules are printed with kube-proxy's own argument order (what it feeds to iptables-restore, and
what its proxier_test.go compares), grouped by chain the way `iptables-save` groups them. The
settings are kube-proxy's defaults: masquerade bit 14 (mark 0x4000), no --masquerade-all,
`--iptables-localhost-nodeports=true`, a cluster-CIDR local-traffic detector for the Pod range
10.244.0.0/16 (fd00:10:244::/56 for the IPv6 proxier), topology hints read for the node and its
zone; the firewall chain (KUBE-FW-*, KUBE-PROXY-FIREWALL drops) for `loadBalancerSourceRanges`,
the health-check nodePort ACCEPT for externalTrafficPolicy Local. Not modelled: large-cluster mode
(which drops the comments above 1000 endpoints).
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass, field
from typing import NamedTuple

from .allocation import range_notes, simulated_notes
from .analysis import Analysis, PortRoute, ServiceRoute
from .endpoints import Endpoint, family_endpoints
from .network import IPV4, IPV6, POD_CIDRS, family_of
from .objects import LOAD_BALANCER, Service, ServicePort
from .proxy import available_for_topology, skip_service, topology_mode
from .validation import parse_cidr_sloppy

CLUSTER_CIDR = str(POD_CIDRS[IPV4])
"""The Pod range the local-traffic detector treats as "inside the cluster" (IPv4)."""
MASQ_MARK = "0x4000"
"""`1 << masqueradeBit` with the default bit 14."""
DEFAULT_NODE = "node-1"

SVC = "KUBE-SVC-"
SVL = "KUBE-SVL-"
EXT = "KUBE-EXT-"
FW = "KUBE-FW-"
SEP = "KUBE-SEP-"
PREFIXES = (SVC, SVL, EXT, FW, SEP)

KUBE_SERVICES = "KUBE-SERVICES"
KUBE_EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES"
KUBE_FORWARD = "KUBE-FORWARD"
KUBE_NODEPORTS = "KUBE-NODEPORTS"
KUBE_PROXY_FIREWALL = "KUBE-PROXY-FIREWALL"
KUBE_FIREWALL = "KUBE-FIREWALL"
KUBE_POSTROUTING = "KUBE-POSTROUTING"
KUBE_MARK_MASQ = "KUBE-MARK-MASQ"

FILTER_CHAINS = (
    KUBE_SERVICES,
    KUBE_EXTERNAL_SERVICES,
    KUBE_FORWARD,
    KUBE_NODEPORTS,
    KUBE_PROXY_FIREWALL,
)
NAT_CHAINS = (KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ)
BUILTIN = {
    "filter": ("INPUT", "FORWARD", "OUTPUT"),
    "nat": ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
}

_NEW = "-m conntrack --ctstate NEW "
_PORTALS = '-m comment --comment "kubernetes service portals"'
JUMPS: tuple[tuple[str, str, str, str], ...] = (
    # (table, built-in chain, kube-proxy chain, extra args + comment): `iptablesJumpChains`
    (
        "filter",
        "INPUT",
        KUBE_EXTERNAL_SERVICES,
        _NEW + '-m comment --comment "kubernetes externally-visible service portals"',
    ),
    (
        "filter",
        "FORWARD",
        KUBE_EXTERNAL_SERVICES,
        _NEW + '-m comment --comment "kubernetes externally-visible service portals"',
    ),
    (
        "filter",
        "INPUT",
        KUBE_NODEPORTS,
        '-m comment --comment "kubernetes health check service ports"',
    ),
    ("filter", "FORWARD", KUBE_SERVICES, _NEW + _PORTALS),
    ("filter", "OUTPUT", KUBE_SERVICES, _NEW + _PORTALS),
    ("filter", "FORWARD", KUBE_FORWARD, '-m comment --comment "kubernetes forwarding rules"'),
    (
        "filter",
        "INPUT",
        KUBE_PROXY_FIREWALL,
        _NEW + '-m comment --comment "kubernetes load balancer firewall"',
    ),
    (
        "filter",
        "OUTPUT",
        KUBE_PROXY_FIREWALL,
        _NEW + '-m comment --comment "kubernetes load balancer firewall"',
    ),
    (
        "filter",
        "FORWARD",
        KUBE_PROXY_FIREWALL,
        _NEW + '-m comment --comment "kubernetes load balancer firewall"',
    ),
    ("nat", "OUTPUT", KUBE_SERVICES, _PORTALS),
    ("nat", "PREROUTING", KUBE_SERVICES, _PORTALS),
    ("nat", "POSTROUTING", KUBE_POSTROUTING, '-m comment --comment "kubernetes postrouting rules"'),
)


def port_proto_hash(service_port_name: str, protocol: str) -> str:
    """`portProtoHash`: base32(sha256(servicePortName + protocol))[:16]."""
    digest = hashlib.sha256((service_port_name + protocol).encode()).digest()
    # base32's first 16 characters are the first 80 bits, 5 at a time: two characters per
    # 10 bits from a table (base64.b32encode is pure Python and a dump has 20,000 chains)
    bits = int.from_bytes(digest[:10], "big")
    pairs = _BASE32_PAIRS
    return (
        pairs[bits >> 70]
        + pairs[(bits >> 60) & 1023]
        + pairs[(bits >> 50) & 1023]
        + pairs[(bits >> 40) & 1023]
        + pairs[(bits >> 30) & 1023]
        + pairs[(bits >> 20) & 1023]
        + pairs[(bits >> 10) & 1023]
        + pairs[bits & 1023]
    )


_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_BASE32_PAIRS = tuple(a + b for a in _BASE32 for b in _BASE32)
"""The base32 characters of every 10-bit value, in order."""


def chain_name(
    prefix: str, service_port_name: str, protocol: str, endpoint: str | None = None
) -> str:
    """A per-Service-port chain name, e.g. `chain_name("KUBE-SVC", "default/web:http", "TCP")`.

    The protocol is lowercased as `newServiceInfo` does before hashing. With `endpoint`
    ("IP:port") this is `servicePortEndpointChainName`, whose hash also covers the endpoint.
    """
    prefix = prefix if prefix.endswith("-") else prefix + "-"
    proto = protocol.lower()
    if endpoint is None:
        return prefix + port_proto_hash(service_port_name, proto)
    return prefix + port_proto_hash(service_port_name, proto + endpoint)


def endpoint_ip(ep: Endpoint) -> str:
    """The endpoint's address without the port (the Pod's IP of the slice's family)."""
    address = ep.address
    return address[1 : address.index("]")] if address.startswith("[") else address.rsplit(":", 1)[0]


def service_port_name(svc: Service, port: ServicePort) -> str:
    """`ServicePortName.String()`: `ns/name`, or `ns/name:port` when the port is named."""
    return f"{svc.ref}:{port.name}" if port.name else svc.ref


def probability(n: int) -> str:
    """`computeProbability`: 1/n printed with `%0.10f`."""
    return f"{1.0 / n:0.10f}"


class Rule(NamedTuple):
    """One `-A CHAIN ARGS` line (a named tuple: a dump programs 57,000 of them)."""

    chain: str
    args: str
    service: str = ""
    """`ns/name` of the Service this rule belongs to ("" for kube-proxy's fixed rules)."""

    @property
    def text(self) -> str:
        return f"-A {self.chain} {self.args}"


@dataclass(slots=True)
class Table:
    name: str
    chains: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)

    declared: set[str] = field(default_factory=set, repr=False)
    """`chains` as a set: a dump's 20,000 chains made declaring one a scan of the list."""

    def declare(self, chain: str) -> None:
        if chain not in self.declared:
            self.declared.add(chain)
            self.chains.append(chain)

    def add(self, chain: str, args: str, service: str = "") -> None:
        self.rules.append(Rule(chain, args, service))

    def chain_rules(self, chain: str) -> list[Rule]:
        return [r for r in self.rules if r.chain == chain]

    def lines(self) -> list[str]:
        """iptables-save layout: declarations, then each chain's rules in declaration order."""
        out = [f"*{self.name}"]
        builtins = BUILTIN.get(self.name, ())
        out += [f":{c} ACCEPT [0:0]" for c in builtins]
        out += [f":{c} - [0:0]" for c in self.chains]
        grouped: dict[str, list[str]] = {}
        for rule in self.rules:
            grouped.setdefault(rule.chain, []).append(rule.text)
        for chain in (*builtins, *self.chains):
            out += grouped.get(chain, [])
        out.append("COMMIT")
        return out


@dataclass(slots=True)
class Ruleset:
    node: str
    family: str = IPV4
    """The proxier's IP family: `iptables` for IPv4, `ip6tables` for IPv6 (one per family)."""
    node_ip: str = ""
    filter: Table = field(default_factory=lambda: Table("filter"))
    nat: Table = field(default_factory=lambda: Table("nat"))
    skipped: list[str] = field(default_factory=list)
    """`ns/name (reason)` for Services kube-proxy does not program."""
    simulated: list[str] = field(default_factory=list)
    """Values in these rules that ktutor made up (see allocation.simulated_notes)."""

    @property
    def cluster_cidr(self) -> str:
        return str(POD_CIDRS[self.family])

    @property
    def command(self) -> str:
        return "ip6tables" if self.family == IPV6 else "iptables"

    def text(self) -> str:
        head = [
            f"# kube-proxy (iptables mode, {self.family}: {self.command}-save) on node "
            f"{self.node}: generated by ktutor"
        ]
        head += [f"# not programmed: {s}" for s in self.skipped]
        head += [f"# simulated: {s}" for s in self.simulated]
        body = self.filter.lines() + self.nat.lines()
        head += probability_notes(body)
        return "\n".join(head + body) + "\n"


def kernel_probability(written: str) -> str:
    """What `iptables-save` prints for a probability kube-proxy wrote: xt_statistic keeps
    `lround(p * 2^31)` and libxt_statistic prints it back with `%.11f`."""
    return f"{round(float(written) * 0x80000000) / 0x80000000:.11f}"


def probability_notes(lines: list[str]) -> list[str]:
    """A comment per distinct `--probability` in `lines`: kube-proxy's `%0.10f` text and the
    value `iptables-save` shows on a real node (the kernel stores a 31-bit fraction)."""
    seen: list[str] = []
    for line in lines:
        if "--probability " in line:
            value = line.split("--probability ", 1)[1].split(" ", 1)[0]
            if value not in seen:
                seen.append(value)
    return [
        f"# --probability {v} is what kube-proxy writes; iptables-save on a node prints "
        f"{kernel_probability(v)} (the kernel keeps it as a 31-bit fraction)"
        for v in seen
    ]


@dataclass(slots=True)
class Categorized:
    """`CategorizeEndpoints` for one Service port on one node."""

    cluster: list[Endpoint]
    local: list[Endpoint]
    reachable: list[Endpoint]
    """Endpoints this node may DNAT to: it gets one KUBE-SEP chain per entry."""
    has_any: bool


def _sorted_unique(endpoints: list[Endpoint], ipv6: bool | None = None) -> list[Endpoint]:
    """Endpoints sorted by the "IP:port" string (lexicographic), duplicates dropped; with
    `ipv6` set, only that family (each proxier handles one family, as `NewDualStackProxier`)."""
    seen: dict[str, Endpoint] = {}
    for ep in endpoints:
        address = ep.address
        if ipv6 is None or address.startswith("[") == ipv6:
            seen.setdefault(address, ep)
    return [seen[k] for k in sorted(seen)]


def _of_family(values: list[str], family: str | None) -> list[str]:
    """`MapIPsByIPFamily`: a proxier only sees the addresses of its own family."""
    return [v for v in values if family is None or family_of(v) == family]


def cluster_ip_of(svc: Service, family: str) -> str:
    """The Service's ClusterIP in `family` ("" when it has none: that proxier ignores it)."""
    return next(
        (ip for ip in svc.cluster_ips or [svc.cluster_ip] if ip and family_of(ip) == family), ""
    )


def external_ips(svc: Service, family: str | None = None) -> list[str]:
    return _of_family(list(svc.external_ips), family)


def lb_vips(svc: Service, family: str | None = None) -> list[str]:
    """`status.loadBalancer.ingress` IPs (ipMode VIP); ktutor simulates one when the file has
    no status (allocation.assign_service_addresses)."""
    if svc.type != LOAD_BALANCER:
        return []
    return _of_family(svc.ingress_ips, family)


def source_ranges(svc: Service, family: str | None = None) -> list[str]:
    """`loadBalancerSourceRanges` of `family` as kube-proxy prints them (`net.IPNet.String()`)."""
    out = []
    for value in svc.source_ranges:
        net = parse_cidr_sloppy(value)
        if net is not None and (family is None or family_of(str(net.network_address)) == family):
            out.append(str(net))
    return out


def externally_accessible(svc: Service, port: ServicePort, family: str | None = None) -> bool:
    """serviceport.go `ExternallyAccessible` (per port): a NodePort, LB VIPs or externalIPs."""
    return bool(port.node_port or lb_vips(svc, family) or external_ips(svc, family))


def categorize(
    svc: Service,
    port: ServicePort,
    endpoints: list[Endpoint],
    node: str,
    family: str = IPV4,
    zone: str = "",
) -> Categorized:
    """`CategorizeEndpoints`: Ready endpoints (for the Cluster policy, those the topology hints
    leave this node, in `zone`: `topologyModeFromHints`, `availableForTopology`), else serving-
    and-terminating ones, decided separately for Cluster and Local (this node's) policies; only
    the endpoints of the proxier's `family`."""
    eps = _sorted_unique(endpoints, ipv6=family == IPV6)
    ext_access = externally_accessible(svc, port, family)
    internal_local = svc.internal_traffic_policy == "Local"
    external_local = svc.externally_accessible and svc.external_traffic_policy == "Local"
    uses_cluster = not internal_local or ext_access
    uses_local = internal_local or (external_local and ext_access)
    cluster: list[Endpoint] = []
    has_any = False
    if uses_cluster:
        mode = topology_mode(eps, node, zone)
        cluster = [
            ep for ep in eps if ep.ready and available_for_topology(ep, mode, node, zone)
        ] or [ep for ep in eps if ep.serving and ep.terminating]
        has_any = bool(cluster)
    if not uses_local:
        return Categorized(cluster, [], cluster, has_any)
    if any(ep.ready or (ep.serving and ep.terminating) for ep in eps):
        has_any = True
    mine = [ep for ep in eps if ep.pod.node_name == node]
    local = [ep for ep in mine if ep.ready]
    serving_terminating = False
    if not local:
        local = [ep for ep in mine if ep.serving and ep.terminating]
        serving_terminating = bool(local)
    if not uses_cluster:
        return Categorized(cluster, local, local, has_any)
    if not serving_terminating:
        return Categorized(cluster, local, cluster, has_any)
    return Categorized(cluster, local, _sorted_unique(cluster + local), has_any)


def _write_service_to_endpoint_rules(
    nat: Table,
    name: str,
    svc: Service,
    chain: str,
    endpoints: list[Endpoint],
    sep: dict[str, str],
) -> None:
    """`writeServiceToEndpointRules`: affinity checks first, then the random cascade (`sep`:
    each endpoint's KUBE-SEP chain by address)."""
    addresses = [ep.address for ep in endpoints]
    if svc.session_affinity == "ClientIP":
        for address in addresses:
            nat.add(
                chain,
                f'-m comment --comment "{name} -> {address}" -m recent --name '
                f"{sep[address]} --rcheck --seconds {svc.affinity_timeout} --reap "
                f"-j {sep[address]}",
                svc.ref,
            )
    n = len(endpoints)
    for i, address in enumerate(addresses):
        stat = (
            f" -m statistic --mode random --probability {probability(n - i)}" if i < n - 1 else ""
        )
        nat.add(
            chain,
            f'-m comment --comment "{name} -> {address}"{stat} -j {sep[address]}',
            svc.ref,
        )


def _program_port(rs: Ruleset, svc: Service, pr: PortRoute) -> None:
    """One iteration of `syncProxyRules`' per-Service-port loop."""
    port = pr.port
    name = service_port_name(svc, port)
    proto = port.protocol.lower()
    match = f"-m {proto} -p {proto}"
    ref = svc.ref
    nat, filt = rs.nat, rs.filter
    fam = rs.family
    cip = cluster_ip_of(svc, fam)
    pe = pr.slice_endpoints
    zone = pe.node_zones.get(rs.node, "")
    cat = categorize(svc, port, family_endpoints(pe.endpoints, fam), rs.node, fam, zone)
    # `servicePortChainName`: the SVC, SVL, EXT and FW chains share one hash
    hashed = port_proto_hash(name, proto)
    svc_chain, svl_chain, ext_chain = SVC + hashed, SVL + hashed, EXT + hashed
    internal_local = svc.internal_traffic_policy == "Local"
    external_local = svc.externally_accessible and svc.external_traffic_policy == "Local"
    ext_access = externally_accessible(svc, port, fam)
    uses_cluster_chain = bool(cat.cluster) and (not internal_local or ext_access)
    uses_local_chain = bool(cat.local) and (internal_local or (external_local and ext_access))

    internal_chain, has_internal = svc_chain, cat.has_any
    if internal_local:
        internal_chain = svl_chain
        has_internal = has_internal and bool(cat.local)
    external_policy_chain, has_external = svc_chain, cat.has_any
    if external_local:
        external_policy_chain = svl_chain
        has_external = has_external and bool(cat.local)
    uses_ext_chain = cat.has_any and ext_access
    fw_chain = FW + hashed
    vips = lb_vips(svc, fam)
    ranges = source_ranges(svc, fam)
    uses_fw_chain = cat.has_any and bool(vips) and bool(ranges)
    lb_chain = fw_chain if uses_fw_chain else ext_chain

    if not cat.has_any:
        int_target = ext_target = "REJECT"
        int_comment = ext_comment = f'"{name} has no endpoints"'
    else:
        int_target = ext_target = "DROP"
        int_comment = ext_comment = f'"{name} has no local endpoints"'

    dport = f"--dport {port.port}"
    if has_internal:
        nat.add(
            KUBE_SERVICES,
            f'-m comment --comment "{name} cluster IP" {match} '
            f"-d {cip} {dport} -j {internal_chain}",
            ref,
        )
    else:
        filt.add(
            KUBE_SERVICES,
            f"-m comment --comment {int_comment} {match} -d {cip} {dport} -j {int_target}",
            ref,
        )

    for ip in external_ips(svc, fam):
        if cat.has_any:
            nat.add(
                KUBE_SERVICES,
                f'-m comment --comment "{name} external IP" {match} -d {ip} {dport} -j {ext_chain}',
                ref,
            )
        if not has_external:
            filt.add(
                KUBE_EXTERNAL_SERVICES,
                f"-m comment --comment {ext_comment} {match} -d {ip} {dport} -j {ext_target}",
                ref,
            )
    for ip in vips:
        if cat.has_any:
            nat.add(
                KUBE_SERVICES,
                f'-m comment --comment "{name} loadbalancer IP" {match} '
                f"-d {ip} {dport} -j {lb_chain}",
                ref,
            )
        if uses_fw_chain:
            filt.add(
                KUBE_PROXY_FIREWALL,
                f'-m comment --comment "{name} traffic not accepted by {fw_chain}" {match} '
                f"-d {ip} {dport} -j DROP",
                ref,
            )
    if not has_external:
        for ip in lb_vips(svc, fam):
            filt.add(
                KUBE_EXTERNAL_SERVICES,
                f"-m comment --comment {ext_comment} {match} -d {ip} {dport} -j {ext_target}",
                ref,
            )
    if port.node_port:
        if cat.has_any:
            nat.add(
                KUBE_NODEPORTS,
                f"-m comment --comment {name} {match} --dport {port.node_port} -j {ext_chain}",
                ref,
            )
        if not has_external:
            filt.add(
                KUBE_EXTERNAL_SERVICES,
                f"-m comment --comment {ext_comment} "
                f"-m addrtype --dst-type LOCAL {match} --dport {port.node_port} "
                f"-j {ext_target}",
                ref,
            )

    if svc.health_check_node_port and svc.external_traffic_policy == "Local":
        # no matter if the node has local endpoints, the health check port must be reachable
        filt.add(
            KUBE_NODEPORTS,
            f'-m comment --comment "{name} health check node port" -m tcp -p tcp '
            f"--dport {svc.health_check_node_port} -j ACCEPT",
            ref,
        )

    if has_internal:
        # masquerade off-cluster traffic to the ClusterIP (`localDetector.IfNotLocal`); the
        # chain itself is declared below, with its endpoint rules
        nat.add(
            internal_chain,
            f'-m comment --comment "{name} cluster IP" {match} '
            f"-d {cip} {dport} ! -s {rs.cluster_cidr} -j {KUBE_MARK_MASQ}",
            ref,
        )

    if uses_ext_chain:
        nat.declare(ext_chain)
        if not external_local:
            nat.add(
                ext_chain,
                f'-m comment --comment "masquerade traffic for {name} '
                f'external destinations" -j {KUBE_MARK_MASQ}',
                ref,
            )
        else:
            nat.add(
                ext_chain,
                f'-m comment --comment "pod traffic for {name} external '
                f'destinations" -s {rs.cluster_cidr} -j {svc_chain}',
                ref,
            )
            nat.add(
                ext_chain,
                f'-m comment --comment "masquerade LOCAL traffic for {name} '
                f'external destinations" -m addrtype --src-type LOCAL -j {KUBE_MARK_MASQ}',
                ref,
            )
            nat.add(
                ext_chain,
                f'-m comment --comment "route LOCAL traffic for {name} '
                f'external destinations" -m addrtype --src-type LOCAL -j {svc_chain}',
                ref,
            )
        if has_external:
            nat.add(ext_chain, f"-j {external_policy_chain}", ref)

    if uses_fw_chain:
        # the firewall works for VIP-like load balancers that keep the client's source IP;
        # what falls through is not DNATed and meets KUBE-PROXY-FIREWALL's DROP
        nat.declare(fw_chain)
        fw_args = f'-m comment --comment "{name} loadbalancer IP"'
        allow_from_node = False
        for cidr in ranges:
            nat.add(fw_chain, f"{fw_args} -s {cidr} -j {ext_chain}", ref)
            if rs.node_ip and ipaddress.ip_address(rs.node_ip) in ipaddress.ip_network(cidr):
                allow_from_node = True
        if allow_from_node:
            for ip in vips:
                nat.add(fw_chain, f"{fw_args} -s {ip} -j {ext_chain}", ref)
        nat.add(
            fw_chain,
            f'-m comment --comment "other traffic to {name} will be dropped by '
            f'{KUBE_PROXY_FIREWALL}"',
            ref,
        )

    seps: dict[str, str] = {}
    for ep in (*cat.reachable, *cat.cluster, *cat.local):
        address = ep.address
        if address not in seps:
            seps[address] = SEP + port_proto_hash(name, proto + address)
    if uses_cluster_chain:
        nat.declare(svc_chain)
        _write_service_to_endpoint_rules(nat, name, svc, svc_chain, cat.cluster, seps)
    if uses_local_chain:
        nat.declare(svl_chain)
        _write_service_to_endpoint_rules(nat, name, svc, svl_chain, cat.local, seps)

    for ep in cat.reachable:
        address = ep.address
        sep = seps[address]
        nat.declare(sep)
        nat.add(sep, f"-m comment --comment {name} -s {endpoint_ip(ep)} -j {KUBE_MARK_MASQ}", ref)
        recent = f" -m recent --name {sep} --set" if svc.session_affinity == "ClientIP" else ""
        nat.add(
            sep,
            f"-m comment --comment {name}{recent} {match} -j DNAT --to-destination {address}",
            ref,
        )


def _fixed(rs: Ruleset) -> None:
    """The chains and rules `syncProxyRules` writes whatever the Services are."""
    for c in FILTER_CHAINS:
        rs.filter.declare(c)
    for c in NAT_CHAINS:
        rs.nat.declare(c)
    rs.filter.declare(KUBE_FIREWALL)
    by_builtin: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for table, builtin, target, args in JUMPS:
        by_builtin.setdefault((table, builtin), []).append((target, args))
    for (table, builtin), jumps in by_builtin.items():
        tbl = rs.filter if table == "filter" else rs.nat
        for target, args in reversed(jumps):  # EnsureRule(Prepend): the last one ends up first
            tbl.add(builtin, f"{args} -j {target}")
    # kubelet's anti-martian chain, which kube-proxy duplicates (`iptablesKubeletJumpChains`)
    rs.filter.add("INPUT", f"-j {KUBE_FIREWALL}")
    rs.filter.add("OUTPUT", f"-j {KUBE_FIREWALL}")
    rs.filter.add(
        KUBE_FIREWALL,
        '-m comment --comment "block incoming localnet connections" '
        "-d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate "
        "RELATED,ESTABLISHED,DNAT -j DROP",
    )
    rs.nat.add(KUBE_POSTROUTING, f"-m mark ! --mark {MASQ_MARK}/{MASQ_MARK} -j RETURN")
    rs.nat.add(KUBE_POSTROUTING, f"-j MARK --xor-mark {MASQ_MARK}")
    rs.nat.add(
        KUBE_POSTROUTING,
        '-m comment --comment "kubernetes service traffic requiring '
        'SNAT" -j MASQUERADE --random-fully',
    )
    rs.nat.add(KUBE_MARK_MASQ, f"-j MARK --or-mark {MASQ_MARK}")


def _finish(rs: Ruleset) -> None:
    rs.nat.add(
        KUBE_SERVICES,
        '-m comment --comment "kubernetes service nodeports; NOTE: this '
        'must be the last rule in this chain" -m addrtype --dst-type LOCAL '
        f"-j {KUBE_NODEPORTS}",
    )
    rs.filter.add(KUBE_FORWARD, "-m conntrack --ctstate INVALID -j DROP")
    rs.filter.add(
        KUBE_FORWARD,
        '-m comment --comment "kubernetes forwarding rules" -m mark '
        f"--mark {MASQ_MARK}/{MASQ_MARK} -j ACCEPT",
    )
    rs.filter.add(
        KUBE_FORWARD,
        '-m comment --comment "kubernetes forwarding conntrack rule" '
        "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    )


def skip_reason(svc: Service) -> str:
    """Why `ShouldSkipService` skips a Service, or "" when it is programmed."""
    if svc.type == "ExternalName":
        return "ExternalName (DNS only)"
    if svc.cluster_ip in ("", "None"):
        return "headless (clusterIP: None; DNS returns the Pod IPs)"
    return ""


def program(
    analysis: Analysis,
    node: str | None = None,
    family: str | None = None,
    services: list[ServiceRoute] | None = None,
) -> Ruleset:
    """The rules the `family` proxier of kube-proxy on `node` (default: the file's first node
    and the cluster's first family) would program; a Service without a ClusterIP of that family
    is not its business (`NewDualStackProxier` runs one proxier per family). `services` (default
    all) programs only those: a Service's rules do not depend on the others', and finding one
    REJECT rule must not program a 1,000-Service dump."""
    cluster = analysis.cluster
    nodes = cluster.nodes
    name = node or (nodes[0] if nodes else DEFAULT_NODE)
    info = cluster.node_info.get(name)
    rs = Ruleset(name, family or cluster.network.default_family, info.ip if info else "")
    rs.simulated += range_notes(cluster, rs.family, service_range=False)
    _fixed(rs)
    for sr in analysis.services if services is None else services:
        svc = sr.service
        if skip_service(svc):
            rs.skipped.append(f"{svc.ref}: {skip_reason(svc)}")
            continue
        if not cluster_ip_of(svc, rs.family):
            rs.skipped.append(
                f"{svc.ref}: no {rs.family} ClusterIP (ipFamilies: {', '.join(svc.ip_families)})"
            )
            continue
        rs.simulated += simulated_notes(svc)
        for pr in sr.ports:
            _program_port(rs, svc, pr)
    _finish(rs)
    return rs


def render_rules(analysis: Analysis, node: str | None = None) -> str:
    """iptables-save style text for `node` (default: the first node): *filter then *nat,
    the order kube-proxy writes them to iptables-restore; a dual-stack cluster's node has an
    iptables and an ip6tables ruleset, printed one after the other."""
    return "".join(
        program(analysis, node, family).text() for family in analysis.cluster.network.ip_families
    )
