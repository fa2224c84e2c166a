"""What the API server and a cloud would fill in for Services the file leaves open, simulated.

The allocators give each family in `spec.ipFamilies` a ClusterIP from its range, a nodePort to
each port (K · pkg/registry/core/service/storage/alloc.go · `initNodePorts`: ports with the same
`port` number share one), and a healthCheckNodePort to a LoadBalancer with
externalTrafficPolicy Local (`allocHealthCheckNodePort`). A LoadBalancer's
`status.loadBalancer.ingress` comes from a cloud controller, which a file never has: ktutor
invents one (the requested `loadBalancerIP`, else an address from 203.0.113.0/24, TEST-NET-3).
Every value made up here is recorded in `Service.simulated`, so front ends can say so.

Deterministic (hashes of names): the same file always shows the same addresses.
"""

from __future__ import annotations

import ipaddress

from .manifests import stable_hash
from .network import HELD_IPS, IPV6, POD_CIDRS, SERVICE_CIDRS, family_of, simulated_ipv6
from .objects import EXTERNAL_NAME, LOAD_BALANCER, NODE_PORT, Cluster, Service

NODE_PORT_BASE = 30000
NODE_PORT_COUNT = 2768
RESERVED_IPS = {ip for held in HELD_IPS.values() for ip in held}
"""`kubernetes` and `kube-dns` in a kind cluster (network.HELD_IPS): never allocated here."""
SIMULATED_LB_NET = ipaddress.ip_network("203.0.113.0/24")
SIMULATED_LB_NET6 = ipaddress.ip_network("2001:db8::/64")


def _cluster_ip(family: str, h: int, used: set[str]) -> str:
    """A free address of `family`'s Service range, probing from the name's hash."""
    net = SERVICE_CIDRS[family]
    if family == IPV6:
        base = int(net.network_address)
        for probe in range(60000):
            ip = str(ipaddress.IPv6Address(base + (h + probe) % 65000 + 11))
            if ip not in used:
                return ip
    for probe in range(60000):
        n = (h + probe) % 65000 + 11
        ip = f"10.96.{n // 256}.{n % 256}"
        if ip not in used and n % 256 not in (0, 255):
            return ip
    return ""


def _node_port(h: int, used: set[int]) -> int:
    for probe in range(NODE_PORT_COUNT):
        np = NODE_PORT_BASE + (h + probe) % NODE_PORT_COUNT
        if np not in used:
            return np
    return 0


def assign_service_addresses(cluster: Cluster) -> None:
    """Fill in every Service's missing ClusterIPs, nodePorts, health-check nodePort and load
    balancer ingress, marking each in `Service.simulated`."""
    used_ips = {ip for s in cluster.services for ip in s.cluster_ips if ip} | RESERVED_IPS
    used_np = {p.node_port for s in cluster.services for p in s.ports if p.node_port}
    used_np |= {s.health_check_node_port for s in cluster.services if s.health_check_node_port}
    for svc in cluster.services:
        if svc.type != EXTERNAL_NAME and svc.cluster_ip != "None":
            _assign_cluster_ips(svc, cluster, used_ips)
        if svc.type in (NODE_PORT, LOAD_BALANCER):
            _assign_node_ports(svc, used_np)
        if svc.type == LOAD_BALANCER:
            if svc.external_traffic_policy == "Local" and not svc.health_check_node_port:
                svc.health_check_node_port = _node_port(stable_hash(svc.ref, "health"), used_np)
                used_np.add(svc.health_check_node_port)
                svc.simulated.append("spec.healthCheckNodePort")
            if not svc.ingress_given and not svc.ingress_ips:
                svc.ingress_ips = _simulated_ingress(svc)
                svc.simulated.append("status.loadBalancer.ingress")
            if svc.ingress_ips:
                svc.load_balancer_ip = svc.ingress_ips[0]


def _assign_cluster_ips(svc: Service, cluster: Cluster, used: set[str]) -> None:
    families = svc.ip_families or [cluster.network.default_family]
    ips = list(svc.cluster_ips)
    h = stable_hash(svc.namespace, svc.name)
    for i, family in enumerate(families):
        if i < len(ips) and ips[i]:
            continue
        ip = _cluster_ip(family, h, used)
        used.add(ip)
        if i < len(ips):
            ips[i] = ip
        else:
            ips.append(ip)
        svc.simulated.append("spec.clusterIP" if i == 0 else f"spec.clusterIPs[{i}]")
    svc.ip_families = list(families)
    svc.cluster_ips = ips
    svc.cluster_ip = ips[0] if ips else ""


def _assign_node_ports(svc: Service, used: set[int]) -> None:
    """Ports with the same number share the first nodePort allocated for that number."""
    by_number: dict[int, int] = {}
    for port in svc.ports:
        if port.node_port:
            by_number.setdefault(port.port, port.node_port)
    for port in svc.ports:
        if port.node_port or not svc.allocate_node_ports:
            continue
        np = by_number.get(port.port) or _node_port(stable_hash(svc.ref, port.index), used)
        used.add(np)
        by_number[port.port] = port.node_port = np
        svc.simulated.append(f"spec.ports[{port.index}].nodePort")


def _simulated_ingress(svc: Service) -> list[str]:
    if svc.load_balancer_ip:
        return [svc.load_balancer_ip]
    h = stable_hash(svc.ref)
    if svc.ip_families[:1] == [IPV6]:
        return [str(SIMULATED_LB_NET6.network_address + h % 200 + 10)]
    return [f"203.0.113.{h % 200 + 10}"]


def range_notes(cluster: Cluster, family: str, *, service_range: bool) -> list[str]:
    """The simulated ranges that rules use (kube-proxy's `--cluster-cidr`, kind's podSubnet, to
    masquerade off-cluster traffic; with `service_range`, kind's serviceSubnet, which nftables'
    cluster-ips-check drops), said when the input's own addresses lie outside them: a dump of
    an EKS or k3s cluster, whose kube-proxy is configured with that cluster's ranges."""
    out = []
    pods = POD_CIDRS[family]
    stray = next(
        (
            ip
            for pod in cluster.pods
            if not (pod.simulated or pod.host_network or pod.address_only)
            for ip in (pod.ips or [pod.ip])
            if ip and family_of(ip) == family and ipaddress.ip_address(ip) not in pods
        ),
        "",
    )
    if stray:
        out.append(
            f"--cluster-cidr {pods} (kind's podSubnet) in the masquerade rules: Pods in the "
            f"input are outside it (e.g. {stray}); their cluster's kube-proxy uses its own"
        )
    if not service_range:
        return out
    services = SERVICE_CIDRS[family]
    stray = next(
        (
            ip
            for svc in cluster.services
            for ip in svc.cluster_ips
            if ip
            and ip != "None"
            and family_of(ip) == family
            and ipaddress.ip_address(ip) not in services
        ),
        "",
    )
    if stray:
        out.append(
            f"Service range {services} (kind's serviceSubnet) in cluster-ips-check: ClusterIPs "
            f"in the input are outside it (e.g. {stray}); their cluster's ServiceCIDR differs"
        )
    return out


def simulated_notes(svc: Service) -> list[str]:
    """One line per made-up value of `svc`, for rule listings and explanations."""
    out = []
    for path in svc.simulated:
        if path == "spec.clusterIP" or path.startswith("spec.clusterIPs"):
            idx = 0 if path == "spec.clusterIP" else int(path[-2])
            value = svc.cluster_ips[idx] if idx < len(svc.cluster_ips) else ""
            out.append(f"{svc.ref} {path} {value}: allocated by ktutor (the file sets none)")
        elif path.startswith("spec.ports["):
            idx = int(path[len("spec.ports[") : path.index("]")])
            np = next((p.node_port for p in svc.ports if p.index == idx), 0)
            out.append(f"{svc.ref} {path} {np}: allocated by ktutor (the file sets none)")
        elif path == "spec.healthCheckNodePort":
            out.append(
                f"{svc.ref} {path} {svc.health_check_node_port}: allocated by ktutor "
                "(the file sets none)"
            )
        elif path == "status.loadBalancer.ingress":
            out.append(
                f"{svc.ref} {path} {', '.join(svc.ingress_ips)}: simulated (no cloud load "
                "balancer controller writes a status in a file)"
            )
    return out


def assign_pod_families(cluster: Cluster) -> None:
    """Every Pod's `ips` (`status.podIPs`): the file's list, or its one IP; on a dual-stack
    cluster a simulated Pod gets an IPv6 address too, and on an IPv6-only cluster only that one
    (a hostNetwork Pod keeps its node's address)."""
    network = cluster.network
    for pod in cluster.pods:
        if not pod.simulated:
            if not pod.ips and pod.ip:
                pod.ips = [pod.ip]
            continue
        if pod.host_network or not pod.ip or ":" in pod.ip:
            if pod.ip not in pod.ips:
                pod.ips = [pod.ip] if pod.ip else []
            continue
        v6 = simulated_ipv6(pod.ip)
        if network.ip_families == (IPV6,):
            pod.ip, pod.ips = v6, [v6]
        elif network.dual_stack:
            pod.ips = [pod.ip, v6] if network.default_family != IPV6 else [v6, pod.ip]
            pod.ip = pod.ips[0]
        else:
            pod.ips = [pod.ip]
