"""Defaulting: K · pkg/apis/core/v1/defaults.go · `SetDefaults_Service` (semantics section 1).

Each row is (description, the Service's spec as written, JSON-ish path into the defaulted spec,
the value the API server would store there; MISSING means the field stays unset).
"""

from __future__ import annotations

from typing import Any

import pytest
from testkit import dump_yaml

from tutor.model import analyze
from tutor.model.defaults import service as default_service

MISSING = object()


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        if isinstance(data, dict):
            if key not in data:
                return MISSING
            data = data[key]
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return MISSING
    return data


PORT = {"port": 80}

ROWS: list[tuple[str, dict[str, Any], tuple[Any, ...], Any]] = [
    # sessionAffinity
    ("empty sessionAffinity becomes None", {"ports": [PORT]}, ("sessionAffinity",), "None"),
    (
        "None drops sessionAffinityConfig",
        {
            "ports": [PORT],
            "sessionAffinity": "None",
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}},
        },
        ("sessionAffinityConfig",),
        MISSING,
    ),
    (
        "omitted affinity (defaulted to None) drops a config too",
        {"ports": [PORT], "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}},
        ("sessionAffinityConfig",),
        MISSING,
    ),
    (
        "ClientIP without config gets 10800",
        {"ports": [PORT], "sessionAffinity": "ClientIP"},
        ("sessionAffinityConfig", "clientIP", "timeoutSeconds"),
        10800,
    ),
    (
        "ClientIP with empty clientIP gets 10800",
        {"ports": [PORT], "sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {}}},
        ("sessionAffinityConfig", "clientIP", "timeoutSeconds"),
        10800,
    ),
    (
        "ClientIP keeps an explicit timeout",
        {
            "ports": [PORT],
            "sessionAffinity": "ClientIP",
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}},
        },
        ("sessionAffinityConfig", "clientIP", "timeoutSeconds"),
        60,
    ),
    (
        "an unknown affinity keeps its config (validation reports the value)",
        {
            "ports": [PORT],
            "sessionAffinity": "Cookie",
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}},
        },
        ("sessionAffinityConfig", "clientIP", "timeoutSeconds"),
        60,
    ),
    # type
    ("empty type becomes ClusterIP", {"ports": [PORT]}, ("type",), "ClusterIP"),
    ("explicit type is kept", {"ports": [PORT], "type": "NodePort"}, ("type",), "NodePort"),
    # protocol
    ("empty protocol becomes TCP", {"ports": [PORT]}, ("ports", 0, "protocol"), "TCP"),
    (
        "UDP stays UDP",
        {"ports": [{"port": 53, "protocol": "UDP"}]},
        ("ports", 0, "protocol"),
        "UDP",
    ),
    (
        "lowercase tcp is not corrected by defaulting",
        {"ports": [{"port": 1, "protocol": "tcp"}]},
        ("ports", 0, "protocol"),
        "tcp",
    ),
    # targetPort
    (
        "missing targetPort becomes port",
        {"ports": [{"port": 8080}]},
        ("ports", 0, "targetPort"),
        8080,
    ),
    (
        "targetPort 0 becomes port",
        {"ports": [{"port": 81, "targetPort": 0}]},
        ("ports", 0, "targetPort"),
        81,
    ),
    (
        'targetPort "" becomes port',
        {"ports": [{"port": 82, "targetPort": ""}]},
        ("ports", 0, "targetPort"),
        82,
    ),
    (
        "a named targetPort is kept",
        {"ports": [{"port": 80, "targetPort": "http"}]},
        ("ports", 0, "targetPort"),
        "http",
    ),
    (
        "a numeric targetPort is kept",
        {"ports": [{"port": 80, "targetPort": 9376}]},
        ("ports", 0, "targetPort"),
        9376,
    ),
    (
        "port missing too: targetPort becomes 0",
        {"ports": [{"name": "x"}]},
        ("ports", 0, "targetPort"),
        0,
    ),
    # externalTrafficPolicy
    ("ClusterIP: no externalTrafficPolicy", {"ports": [PORT]}, ("externalTrafficPolicy",), MISSING),
    (
        "NodePort: externalTrafficPolicy Cluster",
        {"ports": [PORT], "type": "NodePort"},
        ("externalTrafficPolicy",),
        "Cluster",
    ),
    (
        "LoadBalancer: externalTrafficPolicy Cluster",
        {"ports": [PORT], "type": "LoadBalancer"},
        ("externalTrafficPolicy",),
        "Cluster",
    ),
    (
        "ClusterIP with externalIPs is externally accessible",
        {"ports": [PORT], "externalIPs": ["192.0.2.10"]},
        ("externalTrafficPolicy",),
        "Cluster",
    ),
    (
        "ExternalName: no externalTrafficPolicy",
        {"type": "ExternalName", "externalName": "db.example.com"},
        ("externalTrafficPolicy",),
        MISSING,
    ),
    (
        "explicit Local is kept",
        {"ports": [PORT], "type": "NodePort", "externalTrafficPolicy": "Local"},
        ("externalTrafficPolicy",),
        "Local",
    ),
    # internalTrafficPolicy
    (
        "ClusterIP: internalTrafficPolicy Cluster",
        {"ports": [PORT]},
        ("internalTrafficPolicy",),
        "Cluster",
    ),
    (
        "NodePort: internalTrafficPolicy Cluster",
        {"ports": [PORT], "type": "NodePort"},
        ("internalTrafficPolicy",),
        "Cluster",
    ),
    (
        "LoadBalancer: internalTrafficPolicy Cluster",
        {"ports": [PORT], "type": "LoadBalancer"},
        ("internalTrafficPolicy",),
        "Cluster",
    ),
    (
        "ExternalName: internalTrafficPolicy stays unset",
        {"type": "ExternalName", "externalName": "db.example.com"},
        ("internalTrafficPolicy",),
        MISSING,
    ),
    (
        "explicit Local is kept",
        {"ports": [PORT], "internalTrafficPolicy": "Local"},
        ("internalTrafficPolicy",),
        "Local",
    ),
    # allocateLoadBalancerNodePorts
    (
        "LoadBalancer: allocateLoadBalancerNodePorts true",
        {"ports": [PORT], "type": "LoadBalancer"},
        ("allocateLoadBalancerNodePorts",),
        True,
    ),
    (
        "LoadBalancer keeps false",
        {"ports": [PORT], "type": "LoadBalancer", "allocateLoadBalancerNodePorts": False},
        ("allocateLoadBalancerNodePorts",),
        False,
    ),
    (
        "NodePort: allocateLoadBalancerNodePorts stays unset",
        {"ports": [PORT], "type": "NodePort"},
        ("allocateLoadBalancerNodePorts",),
        MISSING,
    ),
    # strategy normalisation
    (
        "clusterIP is copied into clusterIPs",
        {"ports": [PORT], "clusterIP": "10.96.0.50"},
        ("clusterIPs",),
        ["10.96.0.50"],
    ),
    ("clusterIP None is copied too", {"clusterIP": "None"}, ("clusterIPs",), ["None"]),
]


@pytest.mark.parametrize(
    ("spec", "path", "expected"), [pytest.param(s, p, e, id=d) for d, s, p, e in ROWS]
)
def test_set_defaults_service(spec: dict[str, Any], path: tuple[Any, ...], expected: Any) -> None:
    data = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": spec}
    out = default_service(data)
    got = _get(out["spec"], path)
    if expected is MISSING:
        assert got is MISSING
    else:
        assert got == expected
    assert data["spec"] == spec, "defaulting must work on a copy"


def _svc(spec: dict[str, Any]) -> str:
    return dump_yaml(
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": spec}
    )


@pytest.mark.parametrize(
    ("spec", "attr", "expected"),
    [
        ({"ports": [{"port": 80}]}, "session_affinity", "None"),
        ({"ports": [{"port": 80}], "sessionAffinity": "ClientIP"}, "affinity_timeout", 10800),
        ({"ports": [{"port": 80}]}, "type", "ClusterIP"),
        ({"ports": [{"port": 80}]}, "internal_traffic_policy", "Cluster"),
        ({"ports": [{"port": 80}]}, "external_traffic_policy", ""),
        ({"ports": [{"port": 80}], "type": "NodePort"}, "external_traffic_policy", "Cluster"),
        ({"ports": [{"port": 80}], "type": "LoadBalancer"}, "allocate_node_ports", True),
        (
            {
                "ports": [{"port": 80}],
                "type": "LoadBalancer",
                "allocateLoadBalancerNodePorts": False,
            },
            "allocate_node_ports",
            False,
        ),
    ],
)
def test_defaults_reach_the_typed_service(spec: dict[str, Any], attr: str, expected: Any) -> None:
    result = analyze(_svc(spec))
    assert result.valid, [e.message for e in result.errors]
    assert getattr(result.cluster.services[0], attr) == expected


@pytest.mark.parametrize(
    ("port", "expected"),
    [
        ({"port": 8080}, 8080),
        ({"port": 81, "targetPort": 0}, 81),
        ({"port": 82, "targetPort": ""}, 82),
        ({"port": 80, "targetPort": "web"}, "web"),
    ],
)
def test_target_port_defaulting_is_what_routing_uses(port: dict[str, Any], expected: Any) -> None:
    result = analyze(_svc({"ports": [port], "selector": {"app": "x"}}))
    assert result.valid, [e.message for e in result.errors]
    assert result.cluster.services[0].ports[0].target_port == expected
    assert result.route_json()["services"]["default/s"][str(port["port"])]["targetPort"] == (
        expected if isinstance(expected, int) else None
    )


def test_none_with_config_is_accepted_silently() -> None:
    """Semantics 6.6: the Forbidden branch in validation never fires for v1 clients."""
    result = analyze(
        _svc(
            {
                "ports": [{"port": 80}],
                "sessionAffinity": "None",
                "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 5}},
            }
        )
    )
    assert result.valid, [e.message for e in result.errors]
    assert result.cluster.services[0].affinity_timeout == 0
