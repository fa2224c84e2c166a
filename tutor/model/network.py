"""The simulated cluster's network: its IP families and address ranges.

By default the cluster is single-stack IPv4, as a `kind` cluster is out of the box: Services get
ClusterIPs from 10.96.0.0/12, Pods IPs from 10.244.0.0/16 (10.244.<node>.0/24 per node). A
dual-stack cluster (`--dual-stack`, or a lesson's `cluster: {ip_families: [IPv4, IPv6]}`) adds
kind's IPv6 defaults: Services from fd00:10:96::/112, Pods from fd00:10:244::/56
(fd00:10:244:<node>::/64 per node). The API server's allocators are configured per family
(K · pkg/registry/core/service/storage/alloc.go · `Allocators.serviceIPAllocatorsByFamily`); the
first family is the default one (`--service-cluster-ip-range[0]`).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

IPV4 = "IPv4"
IPV6 = "IPv6"
FAMILIES = (IPV4, IPV6)

SERVICE_CIDRS = {
    IPV4: ipaddress.ip_network("10.96.0.0/12"),
    IPV6: ipaddress.ip_network("fd00:10:96::/112"),
}
"""kind's `serviceSubnet` defaults."""
POD_CIDRS = {
    IPV4: ipaddress.ip_network("10.244.0.0/16"),
    IPV6: ipaddress.ip_network("fd00:10:244::/56"),
}
"""kind's `podSubnet` defaults (the local-traffic detector's cluster CIDRs)."""


HELD_IPS = {
    IPV4: {"10.96.0.1": "default/kubernetes", "10.96.0.10": "kube-system/kube-dns"},
    IPV6: {"fd00:10:96::1": "default/kubernetes", "fd00:10:96::a": "kube-system/kube-dns"},
}
"""The ClusterIPs a new kind cluster has already handed out, in its default family: the API
server's `kubernetes` Service takes the range's first address (K · pkg/controlplane/controller/
kubernetesservice), kubeadm gives `kube-dns` the tenth (`GetDNSIP`)."""


def family_of(ip: str) -> str:
    """`IPv6` when the address has a colon, else `IPv4` (the address was validated before)."""
    return IPV6 if ":" in ip else IPV4


def ip_of_family(ips: list[str], family: str) -> str:
    """The first address of `family` among `ips` ("" when there is none): what the EndpointSlice
    controller puts in a slice of that address type (`getEndpointAddresses`)."""
    return next((ip for ip in ips if family_of(ip) == family), "")


def simulated_ipv6(ipv4: str) -> str:
    """A simulated Pod's IPv6 address next to its IPv4 one: 10.244.X.Y -> fd00:10:244:X::Y
    (inside kind's fd00:10:244::/56; unique because the IPv4 address is)."""
    parts = ipv4.split(".")
    if len(parts) != 4 or not ipv4.startswith("10.244."):
        h = sum(int(p) << (8 * (3 - i)) for i, p in enumerate(parts)) if len(parts) == 4 else 0
        return f"fd00:10:244:ff::{h & 0xFFFF:x}"
    return f"fd00:10:244:{parts[2]}::{parts[3]}"


@dataclass(frozen=True, slots=True)
class ClusterNetwork:
    """Which IP families the simulated cluster's Services and Pods use, default family first."""

    ip_families: tuple[str, ...] = (IPV4,)

    @property
    def dual_stack(self) -> bool:
        return len(self.ip_families) == 2

    @property
    def default_family(self) -> str:
        return self.ip_families[0]

    def held_by(self, ip: str) -> str:
        """The Service that holds `ip` in a new cluster of this network ("" when none does)."""
        return HELD_IPS[self.default_family].get(ip, "")

    def service_cidr(self, family: str) -> str:
        return str(SERVICE_CIDRS[family])

    def pod_cidr(self, family: str) -> str:
        return str(POD_CIDRS[family])

    def describe(self) -> str:
        """One line for notes and `--help`: the stack and its ranges."""
        kind = "dual-stack" if self.dual_stack else f"single-stack {self.default_family}"
        ranges = ", ".join(
            f"{f} Services {SERVICE_CIDRS[f]}, Pods {POD_CIDRS[f]}" for f in self.ip_families
        )
        return f"{kind} ({ranges})"


SINGLE_STACK = ClusterNetwork()
DUAL_STACK = ClusterNetwork((IPV4, IPV6))


def parse_families(value: object) -> ClusterNetwork | str:
    """A lesson's `ip_families` list -> a ClusterNetwork, or a one-line reason it is wrong."""
    if not isinstance(value, list) or not value or len(value) > 2:
        return "ip_families must be a list of one or two of IPv4, IPv6"
    if any(v not in FAMILIES for v in value) or len(set(value)) != len(value):
        return "ip_families must be a list of one or two of IPv4, IPv6, each once"
    return ClusterNetwork(tuple(str(v) for v in value))
