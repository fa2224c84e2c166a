"""Defaulting, as the API server applies it before validation.

K · pkg/apis/core/v1/defaults.go · `SetDefaults_Service`, plus the registry strategy that copies
`clusterIP` into `clusterIPs`. Works on a copy of the raw data so validation sees exactly what the
API server's validator would see.
"""

from __future__ import annotations

from typing import Any

from .objects import (
    CLUSTER_IP,
    DEFAULT_AFFINITY_TIMEOUT,
    EXTERNAL_NAME,
    LOAD_BALANCER,
    NODE_PORT,
    Service,
    ServicePort,
    Source,
)


def _list(value: Any) -> list[Any]:
    """`value` if it is a list, else []: a wrong-typed field was already a decoding error, and
    iterating a string or a map in its place would invent nonsense errors."""
    return value if isinstance(value, list) else []


def _externally_accessible(spec: dict[str, Any]) -> bool:
    """K · pkg/api/service/util.go · `ExternallyAccessible`."""
    t = spec.get("type")
    return t in (LOAD_BALANCER, NODE_PORT) or (t == CLUSTER_IP and bool(spec.get("externalIPs")))


def service(data: dict[str, Any]) -> dict[str, Any]:
    """`SetDefaults_Service` on a copy of a Service's data: the maps it sets fields in are
    copied (the object, `spec`, each port, the affinity config), the rest is shared, since a
    deep copy of managedFields and annotations cost more than the whole check in a dump."""
    out = dict(data)
    spec = out.get("spec")
    if spec is None:
        spec = out["spec"] = {}
    if not isinstance(spec, dict):
        return out
    spec = out["spec"] = dict(spec)
    if isinstance(spec.get("ports"), list):
        spec["ports"] = [dict(p) if isinstance(p, dict) else p for p in spec["ports"]]
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec.get("sessionAffinity") == "None":
        spec.pop("sessionAffinityConfig", None)
    if spec.get("sessionAffinity") == "ClientIP":
        cfg = spec.get("sessionAffinityConfig")
        cfg = spec["sessionAffinityConfig"] = dict(cfg) if isinstance(cfg, dict) else {}
        cip = cfg.get("clientIP")
        cip = cfg["clientIP"] = dict(cip) if isinstance(cip, dict) else {}
        if cip.get("timeoutSeconds") is None:
            cip["timeoutSeconds"] = DEFAULT_AFFINITY_TIMEOUT
    if not spec.get("type"):
        spec["type"] = CLUSTER_IP
    ports = spec.get("ports")
    if isinstance(ports, list):
        for port in ports:
            if not isinstance(port, dict):
                continue
            if not port.get("protocol"):
                port["protocol"] = "TCP"
            tp = port.get("targetPort")
            if tp is None or tp == 0 or tp == "":
                # a missing port is int32 0 in Go; a non-number was already a decoding error
                num = port.get("port")
                if num is None or (isinstance(num, int) and not isinstance(num, bool)):
                    port["targetPort"] = num or 0
    if _externally_accessible(spec) and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and spec.get("type") in (
        CLUSTER_IP,
        NODE_PORT,
        LOAD_BALANCER,
    ):
        spec["internalTrafficPolicy"] = "Cluster"
    if spec.get("type") == LOAD_BALANCER and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True
    # K · pkg/registry/core/service/storage/storage.go · `normalizeClusterIPs` on create: a
    # clusterIP alone is copied into clusterIPs; clusterIPs alone is *not* copied back ("new
    # clients must use both fields"), so validation refuses it
    cip_value = spec.get("clusterIP")
    if isinstance(cip_value, str) and cip_value and not spec.get("clusterIPs"):
        spec["clusterIPs"] = [cip_value]
    return out


def _s(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _i(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _ingress_ips(data: dict[str, Any]) -> list[str]:
    """`status.loadBalancer.ingress[].ip` as kube-proxy reads it (K · pkg/proxy/service.go ·
    `newBaseServiceInfo`): entries without an IP and `ipMode: Proxy` ones are not captured."""
    status = data.get("status")
    lb = status.get("loadBalancer") if isinstance(status, dict) else None
    entries = lb.get("ingress") if isinstance(lb, dict) else None
    return [
        e["ip"]
        for e in _list(entries)
        if isinstance(e, dict)
        and isinstance(e.get("ip"), str)
        and e["ip"]
        and e.get("ipMode") != "Proxy"
    ]


def _ingress_given(data: dict[str, Any]) -> bool:
    status = data.get("status")
    lb = status.get("loadBalancer") if isinstance(status, dict) else None
    return bool(_list(lb.get("ingress") if isinstance(lb, dict) else None))


def build_service(data: dict[str, Any], name: str, namespace: str, source: Source) -> Service:
    """A typed Service from defaulted data (only called on data that validated)."""
    spec = data.get("spec") if isinstance(data.get("spec"), dict) else {}
    assert isinstance(spec, dict)
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    assert isinstance(meta, dict)
    selector = spec.get("selector")
    ports: list[ServicePort] = []
    for i, p in enumerate(_list(spec.get("ports"))):
        if not isinstance(p, dict):
            continue
        tp = p.get("targetPort")
        ports.append(
            ServicePort(
                name=_s(p.get("name")),
                protocol=_s(p.get("protocol"), "TCP"),
                port=_i(p.get("port")),
                target_port=tp if isinstance(tp, (int, str)) and not isinstance(tp, bool) else 0,
                node_port=_i(p.get("nodePort")),
                app_protocol=_s(p.get("appProtocol")),
                index=i,
            )
        )
    cfg = spec.get("sessionAffinityConfig")
    timeout = (
        _i(cfg.get("clientIP", {}).get("timeoutSeconds"))
        if isinstance(cfg, dict) and isinstance(cfg.get("clientIP"), dict)
        else 0
    )
    svc_type = _s(spec.get("type"), CLUSTER_IP)
    cluster_ips = [ip for ip in _list(spec.get("clusterIPs")) if isinstance(ip, str)]
    ingress = _ingress_ips(data)
    labels = meta.get("labels")
    return Service(
        name=name,
        namespace=namespace,
        source=source,
        type=svc_type,
        selector={str(k): str(v) for k, v in selector.items()}
        if isinstance(selector, dict)
        else None,
        ports=ports,
        cluster_ip=_s(spec.get("clusterIP")),
        cluster_ips=cluster_ips,
        external_ips=[ip for ip in _list(spec.get("externalIPs")) if isinstance(ip, str)],
        external_name=_s(spec.get("externalName")) if svc_type == EXTERNAL_NAME else "",
        session_affinity=_s(spec.get("sessionAffinity"), "None"),
        affinity_timeout=timeout,
        internal_traffic_policy=_s(spec.get("internalTrafficPolicy")),
        external_traffic_policy=_s(spec.get("externalTrafficPolicy")),
        publish_not_ready=spec.get("publishNotReadyAddresses") is True,
        load_balancer_ip=ingress[0] if ingress else _s(spec.get("loadBalancerIP")),
        allocate_node_ports=spec.get("allocateLoadBalancerNodePorts") is not False,
        labels={str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {},
        ip_families=[f for f in _list(spec.get("ipFamilies")) if isinstance(f, str)],
        ip_family_policy=_s(spec.get("ipFamilyPolicy")),
        health_check_node_port=_i(spec.get("healthCheckNodePort")),
        source_ranges=[
            r.strip() for r in _list(spec.get("loadBalancerSourceRanges")) if isinstance(r, str)
        ],
        ingress_ips=ingress,
        ingress_given=_ingress_given(data),
    )
