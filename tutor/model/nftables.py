"""The `kube-proxy` nftables table that kube-proxy in nftables mode (GA since v1.33) programs on
one node, printed as `nft list table ip kube-proxy` shows it.

Everything follows K · pkg/proxy/nftables/proxier.go:
- `setupNFTables`: the base chains (`filter-prerouting-pre-dnat` … `nat-postrouting`), the jumps
  (`nftablesJumpChains`), `mark-for-masquerade` / `masquerading`, the `cluster-ips` set and
  `cluster-ips-check` (reject unknown ports of a ClusterIP, drop unallocated ClusterIPs), the
  `nodeport-ips` set (kube-proxy's default `--nodeport-addresses primary` in nftables mode: the
  node's own IP), the `no-endpoint-services` / `no-endpoint-nodeports` verdict maps with
  `reject-chain`, `firewall-ips` with `firewall-check`, and the dispatch maps `service-ips` and
  `service-nodeports` that the `services` chain looks up;
- `syncProxyRules`: per Service port the map elements, the `service-` (Cluster policy),
  `local-`, `external-` and `firewall-` chains, per endpoint an `endpoint-` chain and, with
  ClientIP affinity, an `affinity-` set; `writeServiceToEndpointRules`: affinity lookups, then
  one `numgen random mod N vmap { 0 : goto …, … }` rule instead of iptables' cascade;
- `servicePortChainNameBase`, `servicePortEndpointChainNameBase`, `hashAndTruncate`: chain
  names `HASH-ns/name/proto/portname` (the port name may be empty) with HASH the first 8
  characters of base32(sha256(name)).
Which endpoints a node uses is iptables.categorize (`CategorizeEndpoints`), shared with the
iptables mode. One table per IP family: `ip kube-proxy`, and `ip6 kube-proxy` on a dual-stack
cluster. The IPVS mode is deprecated in v1.35 and not modelled.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
from dataclasses import dataclass, field

from .allocation import range_notes, simulated_notes
from .analysis import Analysis, PortRoute
from .endpoints import Endpoint, family_endpoints
from .iptables import (
    DEFAULT_NODE,
    MASQ_MARK,
    categorize,
    cluster_ip_of,
    endpoint_ip,
    external_ips,
    externally_accessible,
    lb_vips,
    service_port_name,
    skip_reason,
    source_ranges,
)
from .network import IPV6, POD_CIDRS, SERVICE_CIDRS
from .objects import Service
from .proxy import skip_service

TABLE = "kube-proxy"
SERVICES = "services"
SERVICE_IPS = "service-ips"
SERVICE_NODEPORTS = "service-nodeports"
NODEPORT_IPS = "nodeport-ips"
CLUSTER_IPS = "cluster-ips"
SERVICE_ENDPOINTS_CHECK = "service-endpoints-check"
NODEPORT_ENDPOINTS_CHECK = "nodeport-endpoints-check"
NO_ENDPOINT_SERVICES = "no-endpoint-services"
NO_ENDPOINT_NODEPORTS = "no-endpoint-nodeports"
REJECT_CHAIN = "reject-chain"
CLUSTER_IPS_CHECK = "cluster-ips-check"
FIREWALL_IPS = "firewall-ips"
FIREWALL_CHECK = "firewall-check"
MARK_MASQ = "mark-for-masquerade"
MASQUERADING = "masquerading"

NFT_MASQ_MARK = f"{int(MASQ_MARK, 16):#010x}"
"""kube-proxy writes `fmt.Sprintf("%#08x", 1 << 14)` (0x004000); `nft list` prints a mark as
32 bits: 0x00004000."""

BASE_CHAINS = (
    # (name, type, hook, priority as `nft list` prints it): `nftablesBaseChains` since
    # kubernetes#132456 (v1.34, cherry-picked to 1.33): the firewall check before DNAT (-110),
    # the other filter chains at the filter priority (0), after DNAT, so that local traffic
    # to a LoadBalancer IP is short-circuited rather than dropped by externalTrafficPolicy
    # (nft names a priority only where it is defined for the hook: `dstnat` at prerouting,
    # -100 at output; `filter` everywhere)
    ("filter-prerouting-pre-dnat", "filter", "prerouting", "dstnat - 10"),
    ("filter-output-pre-dnat", "filter", "output", "-110"),
    ("filter-input", "filter", "input", "filter"),
    ("filter-forward", "filter", "forward", "filter"),
    ("filter-output", "filter", "output", "filter"),
    ("nat-prerouting", "nat", "prerouting", "dstnat"),
    ("nat-output", "nat", "output", "-100"),
    ("nat-postrouting", "nat", "postrouting", "srcnat"),
)
JUMPS = (
    # (destination, source, extra): `nftablesJumpChains`
    (NODEPORT_ENDPOINTS_CHECK, "filter-input", "ct state new"),
    (SERVICE_ENDPOINTS_CHECK, "filter-input", "ct state new"),
    (SERVICE_ENDPOINTS_CHECK, "filter-forward", "ct state new"),
    (SERVICE_ENDPOINTS_CHECK, "filter-output", "ct state new"),
    (FIREWALL_CHECK, "filter-prerouting-pre-dnat", "ct state new"),
    (FIREWALL_CHECK, "filter-output-pre-dnat", "ct state new"),
    (SERVICES, "nat-output", ""),
    (SERVICES, "nat-prerouting", ""),
    (MASQUERADING, "nat-postrouting", ""),
    (CLUSTER_IPS_CHECK, "filter-forward", "ct state new"),
    (CLUSTER_IPS_CHECK, "filter-output", "ct state new"),
)


def _anonymous_set(items: list[str]) -> str:
    """`{ a, b }` as nft lists an anonymous set; a single element is listed without braces."""
    return items[0] if len(items) == 1 else "{ " + ", ".join(items) + " }"


def hash_and_truncate(name: str) -> str:
    """`hashAndTruncate`: 8 characters of base32(sha256(name)), a dash, the name (names longer
    than 240 characters are cut with "...", which Service names never reach)."""
    digest = base64.b32encode(hashlib.sha256(name.encode()).digest()).decode()
    out = f"{digest[:8]}-{name}"
    return out if len(out) <= 240 else out[:237] + "..."


def chain_base(svc: Service, port_name: str, protocol: str) -> str:
    """`servicePortChainNameBase`: `HASH-namespace/name/protocol/portname`."""
    return hash_and_truncate(f"{svc.namespace}/{svc.name}/{protocol.lower()}/{port_name}")


def endpoint_base(svc: Service, port_name: str, protocol: str, ep: Endpoint) -> str:
    """`servicePortEndpointChainNameBase`: `…/portname__IP/port`, an IPv6 address with dots."""
    ip = endpoint_ip(ep).replace(":", ".")
    name = f"{svc.namespace}/{svc.name}/{protocol.lower()}/{port_name}__{ip}/{ep.port}"
    return hash_and_truncate(name)


def nft_duration(seconds: int) -> str:
    """A timeout as `nft list` prints it: 10800 -> 3h, 600 -> 10m, 90 -> 1m30s."""
    out = ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            out += f"{seconds // size}{unit}"
            seconds %= size
    return out or "0s"


@dataclass(slots=True)
class NftSet:
    """A set or a verdict map, its elements as `key : value` (or `key`) strings."""

    name: str
    type: str
    comment: str = ""
    flags: str = ""
    timeout: str = ""
    is_map: bool = False
    elements: list[str] = field(default_factory=list)
    added: set[str] = field(default_factory=set, repr=False)
    """`elements` as a set: a dump's maps hold thousands of elements."""

    def lines(self) -> list[str]:
        out = [f"\t{'map' if self.is_map else 'set'} {self.name} {{", f"\t\ttype {self.type}"]
        if self.flags:
            out.append(f"\t\tflags {self.flags}")
        if self.timeout:
            out.append(f"\t\ttimeout {self.timeout}")
        if self.comment:
            out.append(f'\t\tcomment "{self.comment}"')
        if self.elements:
            joined = ",\n\t\t\t     ".join(sorted(self.elements))
            out.append(f"\t\telements = {{ {joined} }}")
        out.append("\t}")
        return out


@dataclass(slots=True)
class NftChain:
    name: str
    header: str = ""
    """`type filter hook input priority filter; policy accept;` for a base chain."""
    comment: str = ""
    rules: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"\tchain {self.name} {{"]
        if self.header:
            out.append(f"\t\t{self.header}")
        if self.comment:
            out.append(f'\t\tcomment "{self.comment}"')
        out += [f"\t\t{r}" for r in self.rules]
        out.append("\t}")
        return out


@dataclass(slots=True)
class NftTable:
    """The `kube-proxy` table of one IP family on one node."""

    node: str
    family: str
    node_ip: str = ""
    sets: dict[str, NftSet] = field(default_factory=dict)
    chains: dict[str, NftChain] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    simulated: list[str] = field(default_factory=list)

    @property
    def ip(self) -> str:
        """`ip` or `ip6`: the nft family keyword, in table names and address matches."""
        return "ip6" if self.family == IPV6 else "ip"

    @property
    def addr_type(self) -> str:
        return "ipv6_addr" if self.family == IPV6 else "ipv4_addr"

    def chain(self, name: str) -> NftChain:
        """`ensureChain`: the chain, created empty on first use."""
        found = self.chains.get(name)
        if found is None:
            found = self.chains[name] = NftChain(name)
        return found

    def rule(self, chain: str, rule: str, comment: str = "") -> None:
        self.chain(chain).rules.append(f'{rule} comment "{comment}"' if comment else rule)

    def element(self, container: str, element: str) -> None:
        target = self.sets[container]
        if element not in target.added:
            target.added.add(element)
            target.elements.append(element)

    def text(self) -> str:
        head = [
            f"# kube-proxy (nftables mode, {self.family}: nft list table {self.ip} {TABLE}) on "
            f"node {self.node}: generated by ktutor"
        ]
        head += [f"# not programmed: {s}" for s in self.skipped]
        head += [f"# simulated: {s}" for s in self.simulated]
        body = [f"table {self.ip} {TABLE} {{", '\tcomment "rules for kube-proxy"']
        for s in self.sets.values():
            body += s.lines()
        for c in self.chains.values():
            body += c.lines()
        body.append("}")
        return "\n".join(head + body) + "\n"


def _setup(t: NftTable, service_cidr: str) -> None:
    """`setupNFTables` with kube-proxy's defaults."""
    ip = t.ip
    for name, typ, hook, priority in BASE_CHAINS:
        t.chains[name] = NftChain(
            name, f"type {typ} hook {hook} priority {priority}; policy accept;"
        )
    for dest, src, extra in JUMPS:
        t.chain(dest)
        t.rule(src, f"{extra} jump {dest}".strip())
    for name in (SERVICES, CLUSTER_IPS_CHECK, MASQUERADING, MARK_MASQ):
        t.chain(name)
    # kube-proxy writes `mark set mark or 0x004000`; nft lists the bitwise forms
    t.rule(MARK_MASQ, f"meta mark set meta mark | {NFT_MASQ_MARK}")
    t.rule(MASQUERADING, f"meta mark & {NFT_MASQ_MARK} == 0x00000000 return")
    t.rule(MASQUERADING, f"meta mark set meta mark ^ {NFT_MASQ_MARK}")
    t.rule(MASQUERADING, "masquerade fully-random")
    t.sets[CLUSTER_IPS] = NftSet(CLUSTER_IPS, t.addr_type, "Active ClusterIPs")
    t.rule(
        CLUSTER_IPS_CHECK,
        f"{ip} daddr @{CLUSTER_IPS} reject",
        "Reject traffic to invalid ports of ClusterIPs",
    )
    t.rule(
        CLUSTER_IPS_CHECK,
        f"{ip} daddr {service_cidr} drop",  # a one-element set is listed bare
        "Drop traffic to unallocated ClusterIPs",
    )
    t.sets[NODEPORT_IPS] = NftSet(NODEPORT_IPS, t.addr_type, "IPs that accept NodePort traffic")
    if t.node_ip:
        t.element(NODEPORT_IPS, t.node_ip)
    vmap = f"{t.addr_type} . inet_proto . inet_service : verdict"
    t.sets[NO_ENDPOINT_SERVICES] = NftSet(
        NO_ENDPOINT_SERVICES,
        vmap,
        "vmap to drop or reject packets to services with no endpoints",
        is_map=True,
    )
    t.sets[NO_ENDPOINT_NODEPORTS] = NftSet(
        NO_ENDPOINT_NODEPORTS,
        "inet_proto . inet_service : verdict",
        "vmap to drop or reject packets to service nodeports with no endpoints",
        is_map=True,
    )
    t.chains[REJECT_CHAIN] = NftChain(
        REJECT_CHAIN, comment="helper for @no-endpoint-services / @no-endpoint-nodeports"
    )
    t.rule(REJECT_CHAIN, "reject")
    t.rule(
        SERVICE_ENDPOINTS_CHECK,
        f"{ip} daddr . meta l4proto . th dport vmap @{NO_ENDPOINT_SERVICES}",
    )
    t.rule(
        NODEPORT_ENDPOINTS_CHECK,
        f"{ip} daddr @{NODEPORT_IPS} meta l4proto . th dport vmap @{NO_ENDPOINT_NODEPORTS}",
    )
    t.sets[FIREWALL_IPS] = NftSet(
        FIREWALL_IPS, vmap, "destinations that are subject to LoadBalancerSourceRanges", is_map=True
    )
    t.chain(FIREWALL_CHECK)
    t.rule(FIREWALL_CHECK, f"{ip} daddr . meta l4proto . th dport vmap @{FIREWALL_IPS}")
    t.sets[SERVICE_IPS] = NftSet(
        SERVICE_IPS, vmap, "ClusterIP, ExternalIP and LoadBalancer IP traffic", is_map=True
    )
    t.sets[SERVICE_NODEPORTS] = NftSet(
        SERVICE_NODEPORTS, "inet_proto . inet_service : verdict", "NodePort traffic", is_map=True
    )
    t.rule(SERVICES, f"{ip} daddr . meta l4proto . th dport vmap @{SERVICE_IPS}")
    t.rule(
        SERVICES, f"{ip} daddr @{NODEPORT_IPS} meta l4proto . th dport vmap @{SERVICE_NODEPORTS}"
    )


def _program_port(t: NftTable, svc: Service, pr: PortRoute, cluster_cidr: str) -> None:
    """One iteration of `syncProxyRules`' per-Service-port loop."""
    port = pr.port
    ip = t.ip
    name = service_port_name(svc, port)
    proto = port.protocol.lower()
    fam = t.family
    cip = cluster_ip_of(svc, fam)
    pe = pr.slice_endpoints
    zone = pe.node_zones.get(t.node, "")
    cat = categorize(svc, port, family_endpoints(pe.endpoints, fam), t.node, fam, zone)
    base = chain_base(svc, port.name, proto)
    cluster_chain, local_chain = f"service-{base}", f"local-{base}"
    ext_chain, fw_chain = f"external-{base}", f"firewall-{base}"
    ext_access = externally_accessible(svc, port, fam)
    internal_local = svc.internal_traffic_policy == "Local"
    external_local = svc.externally_accessible and svc.external_traffic_policy == "Local"
    uses_cluster = bool(cat.cluster) and (not internal_local or ext_access)
    uses_local = bool(cat.local) and (internal_local or (external_local and ext_access))
    ep_chain = {
        ep.address: f"endpoint-{endpoint_base(svc, port.name, proto, ep)}" for ep in cat.reachable
    }
    for ep in cat.reachable:
        t.chain(ep_chain[ep.address])
    if uses_cluster:
        t.chain(cluster_chain)
    if uses_local:
        t.chain(local_chain)
    internal_chain, has_internal = cluster_chain, cat.has_any
    if internal_local:
        internal_chain, has_internal = local_chain, cat.has_any and bool(cat.local)
    external_policy_chain, has_external = cluster_chain, cat.has_any
    if external_local:
        external_policy_chain, has_external = local_chain, cat.has_any and bool(cat.local)
    uses_ext = cat.has_any and ext_access
    if uses_ext:
        t.chain(ext_chain)
    if not cat.has_any:
        int_verdict = ext_verdict = f"goto {REJECT_CHAIN}"
    else:
        int_verdict = ext_verdict = "drop"
    key = f". {proto} . {port.port}"
    comment = f'comment "{name}"'

    t.element(CLUSTER_IPS, cip)
    if has_internal:
        t.element(SERVICE_IPS, f"{cip} {key} : goto {internal_chain}")
    else:
        t.element(NO_ENDPOINT_SERVICES, f"{cip} {key} {comment} : {int_verdict}")
    for eip in external_ips(svc, fam):
        if cat.has_any:
            t.element(SERVICE_IPS, f"{eip} {key} : goto {ext_chain}")
        if not has_external:
            t.element(NO_ENDPOINT_SERVICES, f"{eip} {key} {comment} : {ext_verdict}")
    vips = lb_vips(svc, fam)
    ranges = source_ranges(svc, fam)
    uses_fw = bool(vips) and bool(ranges)
    if uses_fw:
        sources = list(ranges)
        if t.node_ip and any(
            ipaddress.ip_address(t.node_ip) in ipaddress.ip_network(c) for c in ranges
        ):
            sources += vips
        t.rule(fw_chain, f"{ip} saddr != {_anonymous_set(sources)} drop")
    for vip in vips:
        if cat.has_any:
            t.element(SERVICE_IPS, f"{vip} {key} : goto {ext_chain}")
        if uses_fw:
            t.element(FIREWALL_IPS, f"{vip} {key} {comment} : goto {fw_chain}")
    if not has_external:
        for vip in vips:
            t.element(NO_ENDPOINT_SERVICES, f"{vip} {key} {comment} : {ext_verdict}")
    if port.node_port:
        if cat.has_any:
            t.element(SERVICE_NODEPORTS, f"{proto} . {port.node_port} : goto {ext_chain}")
        if not has_external:
            t.element(
                NO_ENDPOINT_NODEPORTS, f"{proto} . {port.node_port} {comment} : {ext_verdict}"
            )

    if has_internal:
        # off-cluster traffic to the ClusterIP is masqueraded; the service-ips map already
        # matched protocol and port, so only the addresses are checked (kubernetes#131492)
        t.rule(internal_chain, f"{ip} daddr {cip} {ip} saddr != {cluster_cidr} jump {MARK_MASQ}")
    if uses_ext:
        if not external_local:
            t.rule(ext_chain, f"jump {MARK_MASQ}")
        else:
            t.rule(
                ext_chain,
                f"{ip} saddr {cluster_cidr} goto {cluster_chain}",
                "short-circuit pod traffic",
            )
            t.rule(ext_chain, f"fib saddr type local jump {MARK_MASQ}", "masquerade local traffic")
            t.rule(
                ext_chain,
                f"fib saddr type local goto {cluster_chain}",
                "short-circuit local traffic",
            )
        if has_external:
            t.rule(ext_chain, f"goto {external_policy_chain}")

    affinity = svc.session_affinity == "ClientIP"
    aff_set = {
        ep.address: "affinity-" + ep_chain[ep.address].removeprefix("endpoint-")
        for ep in cat.reachable
    }
    if affinity:
        for ep in cat.reachable:
            t.sets[aff_set[ep.address]] = NftSet(
                aff_set[ep.address],
                t.addr_type,
                flags="dynamic,timeout",
                timeout=nft_duration(svc.affinity_timeout),
            )
    for chain, eps in ((cluster_chain, cat.cluster), (local_chain, cat.local)):
        if (chain == cluster_chain and not uses_cluster) or (
            chain == local_chain and not uses_local
        ):
            continue
        if affinity:
            for ep in eps:
                t.rule(chain, f"{ip} saddr @{aff_set[ep.address]} goto {ep_chain[ep.address]}")
        choices = ", ".join(f"{i} : goto {ep_chain[ep.address]}" for i, ep in enumerate(eps))
        t.rule(chain, f"numgen random mod {len(eps)} vmap {{ {choices} }}")
    for ep in cat.reachable:
        chain = ep_chain[ep.address]
        t.rule(chain, f"{ip} saddr {endpoint_ip(ep)} jump {MARK_MASQ}")
        if affinity:
            t.rule(chain, f"update @{aff_set[ep.address]} {{ {ip} saddr }}")
        t.rule(chain, f"meta l4proto {proto} dnat to {ep.address}")


def program(analysis: Analysis, node: str | None = None, family: str | None = None) -> NftTable:
    """The `kube-proxy` table kube-proxy's `family` proxier on `node` (default: the first node
    and the cluster's first family) would program."""
    cluster = analysis.cluster
    nodes = cluster.nodes
    name = node or (nodes[0] if nodes else DEFAULT_NODE)
    info = cluster.node_info.get(name)
    fam = family or cluster.network.default_family
    node_ip = info.ip if info is not None and info.ip and (":" in info.ip) == (fam == IPV6) else ""
    t = NftTable(name, fam, node_ip)
    t.simulated += range_notes(cluster, fam, service_range=True)
    _setup(t, str(SERVICE_CIDRS[fam]))
    for sr in analysis.services:
        svc = sr.service
        if skip_service(svc):
            t.skipped.append(f"{svc.ref}: {skip_reason(svc)}")
            continue
        if not cluster_ip_of(svc, fam):
            t.skipped.append(
                f"{svc.ref}: no {fam} ClusterIP (ipFamilies: {', '.join(svc.ip_families)})"
            )
            continue
        t.simulated += simulated_notes(svc)
        for pr in sr.ports:
            _program_port(t, svc, pr, str(POD_CIDRS[fam]))
    return t


def render_nftables(analysis: Analysis, node: str | None = None) -> str:
    """`nft list table ip kube-proxy` (and `ip6 kube-proxy` on a dual-stack cluster) for
    `node` (default: the first node)."""
    return "".join(program(analysis, node, f).text() for f in analysis.cluster.network.ip_families)
