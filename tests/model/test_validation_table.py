"""Validation of a Service: every row of semantics section 2.2, with the API server's exact text.

K · pkg/apis/core/validation/validation.go · `ValidateService`, `validateServicePort`,
`ValidatePortNumOrName`; K · apimachinery/pkg/util/validation (names, ports); the NodePort
allocator for the range check. Each row: (description, spec, metadata overrides, the exact set of
error messages; an empty set means the API server accepts the Service).
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tutor.model import analyze
from tutor.model.network import SINGLE_STACK, ClusterNetwork, parse_families

DNS1035 = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
    "an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
DNS1123_LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
    "or '-', and must start and end with an alphanumeric character (e.g. 'my-name',"
    "  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
DNS1123_SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    r"for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL_VALUE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', "
    "'_' or '.', and must start and end with an alphanumeric character (e.g. "
    "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
NAME_PART = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
    "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
RANGE = "must be between 1 and 65535, inclusive"
ONLY_ALNUM = "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"
PROTOCOLS = 'supported values: "SCTP", "TCP", "UDP"'
CIDR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
SRC_ANN = "service.beta.kubernetes.io/load-balancer-source-ranges"


def dup_port(protocol: str, port: int) -> str:
    return (
        f'core.ServicePort{{Name:"", Protocol:"{protocol}", AppProtocol:(*string)(nil), '
        f'Port:{port}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:""}}, '
        "NodePort:0}"
    )


P80: dict[str, Any] = {"port": 80}
SEL = {"app": "web"}

ROWS: list[tuple[str, dict[str, Any], dict[str, Any], set[str]]] = [
    # metadata.name: NameIsDNS1035Label
    (
        "name uppercase",
        {"ports": [P80]},
        {"name": "MyService"},
        {f'metadata.name: Invalid value: "MyService": {DNS1035}'},
    ),
    (
        "name leading digit",
        {"ports": [P80]},
        {"name": "1web"},
        {f'metadata.name: Invalid value: "1web": {DNS1035}'},
    ),
    (
        "name with a dot",
        {"ports": [P80]},
        {"name": "web.v1"},
        {f'metadata.name: Invalid value: "web.v1": {DNS1035}'},
    ),
    ("name 63 chars is fine", {"ports": [P80]}, {"name": "a" * 63}, set()),
    (
        "name 64 chars",
        {"ports": [P80]},
        {"name": "a" * 64},
        {f'metadata.name: Invalid value: "{"a" * 64}": must be no more than 63 characters'},
    ),
    (
        "name missing",
        {"ports": [P80]},
        {"name": None},
        {"metadata.name: Required value: name or generateName is required"},
    ),
    (
        "annotation key checked in lower case",
        {"ports": [P80]},
        {"annotations": {"Example.com/Thing": "x"}},
        set(),
    ),
    (
        "annotation key with a space",
        {"ports": [P80]},
        {"annotations": {"bad key": "x"}},
        {f'metadata.annotations: Invalid value: "bad key": {NAME_PART}'},
    ),
    # metadata.namespace
    (
        "namespace not a label",
        {"ports": [P80]},
        {"namespace": "My_NS"},
        {f'metadata.namespace: Invalid value: "My_NS": {DNS1123_LABEL}'},
    ),
    (
        "namespace with a dot",
        {"ports": [P80]},
        {"namespace": "team.a"},
        {'metadata.namespace: Invalid value: "team.a": must not contain dots'},
    ),
    # spec.ports
    ("no ports on ClusterIP", {"selector": SEL}, {}, {"spec.ports: Required value"}),
    ("empty ports list", {"selector": SEL, "ports": []}, {}, {"spec.ports: Required value"}),
    ("headless may omit ports", {"selector": SEL, "clusterIP": "None"}, {}, set()),
    (
        "ExternalName may omit ports",
        {"type": "ExternalName", "externalName": "db.example.com"},
        {},
        set(),
    ),
    ("no ports on NodePort", {"type": "NodePort"}, {}, {"spec.ports: Required value"}),
    # ports[i].name
    ("one port needs no name", {"ports": [P80]}, {}, set()),
    (
        "two unnamed ports",
        {"ports": [{"port": 80}, {"port": 443}]},
        {},
        {"spec.ports[0].name: Required value", "spec.ports[1].name: Required value"},
    ),
    (
        "duplicate port name",
        {"ports": [{"name": "web", "port": 80}, {"name": "web", "port": 81}]},
        {},
        {'spec.ports[1].name: Duplicate value: "web"'},
    ),
    (
        "port name is a DNS-1123 label, not IANA: long names fine",
        {"ports": [{"name": "metrics-exporter-http", "port": 80}]},
        {},
        set(),
    ),
    ("port name may start with a digit", {"ports": [{"name": "8080-web", "port": 80}]}, {}, set()),
    (
        "port name uppercase",
        {"ports": [{"name": "Web", "port": 80}]},
        {},
        {f'spec.ports[0].name: Invalid value: "Web": {DNS1123_LABEL}'},
    ),
    (
        "port name with a dot",
        {"ports": [{"name": "web.http", "port": 80}]},
        {},
        {'spec.ports[0].name: Invalid value: "web.http": must not contain dots'},
    ),
    # ports[i].port
    (
        "port 0 with a targetPort: one error",
        {"ports": [{"port": 0, "targetPort": 8080}]},
        {},
        {f"spec.ports[0].port: Invalid value: 0: {RANGE}"},
    ),
    (
        "port 0 without targetPort: two errors",
        {"ports": [{"port": 0}]},
        {},
        {
            f"spec.ports[0].port: Invalid value: 0: {RANGE}",
            f"spec.ports[0].targetPort: Invalid value: 0: {RANGE}",
        },
    ),
    (
        "port missing: read as 0",
        {"ports": [{"name": "x", "targetPort": 80}]},
        {},
        {f"spec.ports[0].port: Invalid value: 0: {RANGE}"},
    ),
    (
        "port 65536",
        {"ports": [{"port": 65536, "targetPort": 80}]},
        {},
        {f"spec.ports[0].port: Invalid value: 65536: {RANGE}"},
    ),
    ("port 65535 is fine", {"ports": [{"port": 65535}]}, {}, set()),
    # ports[i].protocol
    (
        "protocol HTTP",
        {"ports": [{"port": 80, "protocol": "HTTP"}]},
        {},
        {f'spec.ports[0].protocol: Unsupported value: "HTTP": {PROTOCOLS}'},
    ),
    (
        "protocol tcp lowercase",
        {"ports": [{"port": 80, "protocol": "tcp"}]},
        {},
        {f'spec.ports[0].protocol: Unsupported value: "tcp": {PROTOCOLS}'},
    ),
    ("protocol SCTP is fine", {"ports": [{"port": 80, "protocol": "SCTP"}]}, {}, set()),
    # ports[i].targetPort: ValidatePortNumOrName
    (
        "targetPort HTTP",
        {"ports": [{"port": 80, "targetPort": "HTTP"}]},
        {},
        {
            f'spec.ports[0].targetPort: Invalid value: "HTTP": {ONLY_ALNUM}',
            'spec.ports[0].targetPort: Invalid value: "HTTP": must contain at least one letter (a-z)',
        },
    ),
    (
        'targetPort "8080x" is a valid name',
        {"ports": [{"port": 80, "targetPort": "8080x"}]},
        {},
        set(),
    ),
    (
        'targetPort "8080" (quoted) is not',
        {"ports": [{"port": 80, "targetPort": "8080"}]},
        {},
        {'spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)'},
    ),
    (
        "targetPort name of 16 chars",
        {"ports": [{"port": 80, "targetPort": "a" * 16}]},
        {},
        {
            f'spec.ports[0].targetPort: Invalid value: "{"a" * 16}": must be no more than 15 '
            "characters"
        },
    ),
    (
        "targetPort name of 15 chars is fine",
        {"ports": [{"port": 80, "targetPort": "a" * 15}]},
        {},
        set(),
    ),
    (
        "targetPort consecutive hyphens",
        {"ports": [{"port": 80, "targetPort": "a--b"}]},
        {},
        {'spec.ports[0].targetPort: Invalid value: "a--b": must not contain consecutive hyphens'},
    ),
    (
        "targetPort leading hyphen",
        {"ports": [{"port": 80, "targetPort": "-ab"}]},
        {},
        {'spec.ports[0].targetPort: Invalid value: "-ab": must not begin or end with a hyphen'},
    ),
    (
        "targetPort underscore",
        {"ports": [{"port": 80, "targetPort": "my_port"}]},
        {},
        {f'spec.ports[0].targetPort: Invalid value: "my_port": {ONLY_ALNUM}'},
    ),
    (
        "targetPort 70000",
        {"ports": [{"port": 80, "targetPort": 70000}]},
        {},
        {f"spec.ports[0].targetPort: Invalid value: 70000: {RANGE}"},
    ),
    ("targetPort 0 is defaulted, valid", {"ports": [{"port": 80, "targetPort": 0}]}, {}, set()),
    ('targetPort "" is defaulted, valid', {"ports": [{"port": 80, "targetPort": ""}]}, {}, set()),
    # duplicates keyed on (protocol, port)
    (
        "duplicate 80/TCP",
        {"ports": [{"name": "a", "port": 80}, {"name": "b", "port": 80, "targetPort": 81}]},
        {},
        {f"spec.ports[1]: Duplicate value: {dup_port('TCP', 80)}"},
    ),
    (
        "53/TCP and 53/UDP are fine",
        {
            "ports": [
                {"name": "dns-tcp", "port": 53},
                {"name": "dns", "port": 53, "protocol": "UDP"},
            ]
        },
        {},
        set(),
    ),
    (
        "one nodePort on two port numbers: the allocator refuses it before validation",
        {
            "type": "NodePort",
            "ports": [
                {"name": "a", "port": 80, "nodePort": 30080},
                {"name": "b", "port": 81, "nodePort": 30080},
            ],
        },
        {},
        {"spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated"},
    ),
    (
        "one nodePort on two port numbers and protocols: still allocated twice",
        {
            "type": "NodePort",
            "ports": [
                {"name": "a", "port": 80, "nodePort": 30080},
                {"name": "b", "port": 81, "nodePort": 30080, "protocol": "UDP"},
            ],
        },
        {},
        {"spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated"},
    ),
    (
        "duplicate nodePort on one port number reaches validation",
        {
            "type": "NodePort",
            "ports": [
                {"name": "a", "port": 80, "nodePort": 30080},
                {"name": "b", "port": 80, "nodePort": 30080},
            ],
        },
        {},
        {
            "spec.ports[1].nodePort: Duplicate value: 30080",
            "spec.ports[1]: Duplicate value: " + dup_port("TCP", 80),
        },
    ),
    (
        "same nodePort, different protocols",
        {
            "type": "NodePort",
            "ports": [
                {"name": "a", "port": 53, "nodePort": 30053},
                {"name": "b", "port": 53, "nodePort": 30053, "protocol": "UDP"},
            ],
        },
        {},
        set(),
    ),
    # nodePort
    (
        "nodePort on ClusterIP",
        {"ports": [{"port": 80, "nodePort": 30080}]},
        {},
        {"spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"},
    ),
    (
        "nodePort out of range (allocator)",
        {"type": "NodePort", "ports": [{"port": 80, "nodePort": 80}]},
        {},
        {
            "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. "
            "The range of valid ports is 30000-32767"
        },
    ),
    (
        "nodePort in range",
        {"type": "NodePort", "ports": [{"port": 80, "nodePort": 32767}]},
        {},
        set(),
    ),
    (
        "nodePort once for 53/TCP, shared by 53/UDP (findRequestedNodePort)",
        {
            "type": "NodePort",
            "ports": [
                {"name": "a", "port": 53},
                {"name": "b", "port": 53, "nodePort": 30053, "protocol": "UDP"},
            ],
        },
        {},
        set(),
    ),
    (
        "healthCheckNodePort out of range (allocator, an internal error)",
        {
            "type": "LoadBalancer",
            "ports": [P80],
            "externalTrafficPolicy": "Local",
            "healthCheckNodePort": 80,
        },
        {},
        {
            "Internal error occurred: failed to allocate requested HealthCheck NodePort 80: "
            "provided port is not in the valid range. The range of valid ports is 30000-32767"
        },
    ),
    # clusterIPs and IP families (ValidateServiceClusterIPsRelatedFields, initIPFamilyFields)
    (
        "clusterIPs without clusterIP",
        {"ports": [P80], "clusterIPs": ["10.96.0.20"]},
        {},
        {
            'spec.clusterIPs: Invalid value: []string{"10.96.0.20"}: must be empty when '
            "`clusterIP` is not specified"
        },
    ),
    (
        "clusterIP of the wrong family for ipFamilies[0], before allocation",
        {"ports": [P80], "clusterIP": "10.96.0.20", "ipFamilies": ["IPv6"]},
        {},
        {
            'spec.clusterIPs[0]: Invalid value: "10.96.0.20": expected an IPv6 value as '
            "indicated by `ipFamilies[0]`"
        },
    ),
    (
        "IPv6 family on the single-stack IPv4 cluster",
        {"ports": [P80], "ipFamilies": ["IPv6"]},
        {},
        {'spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster'},
    ),
    (
        "RequireDualStack on the single-stack cluster",
        {"ports": [P80], "ipFamilyPolicy": "RequireDualStack"},
        {},
        {
            'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not '
            "configured for dual-stack services"
        },
    ),
    (
        "PreferDualStack on the single-stack cluster is fine",
        {"ports": [P80], "ipFamilyPolicy": "PreferDualStack"},
        {},
        set(),
    ),
    (
        "an IPv6 clusterIP on the single-stack cluster",
        {"ports": [P80], "clusterIP": "fd00:10:96::10"},
        {},
        {
            'spec.clusterIPs[0]: Invalid value: []string{"fd00:10:96::10"}: IPv6 is not '
            "configured on this cluster"
        },
    ),
    (
        "two families with SingleStack",
        {"ports": [P80], "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4", "IPv6"]},
        {},
        {
            "spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or "
            "'PreferDualStack' when multiple IP families are specified"
        },
    ),
    (
        "headless without selector may list both families on a single-stack cluster",
        {"clusterIP": "None", "ipFamilies": ["IPv4", "IPv6"]},
        {},
        set(),
    ),
    (
        # v1.35 allocates from ServiceCIDR objects (MultiCIDRServiceAllocator, GA in 1.33): no
        # ServiceCIDR holds the address, so the MetaAllocator finds no allocator for it
        "clusterIP outside the Service range",
        {"ports": [P80], "clusterIP": "10.0.0.10"},
        {},
        {
            'spec.clusterIPs: Invalid value: []string{"10.0.0.10"}: failed to allocate IP '
            "10.0.0.10: the provided network does not match the current range"
        },
    ),
    # loadBalancerSourceRanges (IsValidCIDR, with the Go field name in the path)
    (
        "source ranges that are not CIDRs",
        {
            "type": "LoadBalancer",
            "ports": [P80],
            "loadBalancerSourceRanges": [
                "10.0.0.0/33",
                " 192.168.0.0/16 ",
                "1.2.3.4",
                "10.1.1.1/24",
            ],
        },
        {},
        {
            'spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": ' + CIDR,
            'spec.LoadBalancerSourceRanges[2]: Invalid value: "1.2.3.4": ' + CIDR,
        },
    ),
    (
        "source ranges on a NodePort: forbidden, and still checked",
        {"type": "NodePort", "ports": [P80], "loadBalancerSourceRanges": ["nope"]},
        {},
        {
            "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is "
            "'LoadBalancer'",
            'spec.LoadBalancerSourceRanges[0]: Invalid value: "nope": ' + CIDR,
        },
    ),
    (
        "legacy source-ranges annotation on a ClusterIP Service",
        {"ports": [P80]},
        {"annotations": {SRC_ANN: "10.0.0.0/8"}},
        {
            f"metadata.annotations[{SRC_ANN}]: Forbidden: may only be used when `type` is "
            "'LoadBalancer'"
        },
    ),
    (
        "legacy source-ranges annotation with a bad CIDR",
        {"type": "LoadBalancer", "ports": [P80]},
        {"annotations": {SRC_ANN: "10.0.0.0/8, everyone"}},
        {f'metadata.annotations[{SRC_ANN}]: Invalid value: "everyone": ' + CIDR},
    ),
    (
        "the annotation is not read when the field is set",
        {"type": "LoadBalancer", "ports": [P80], "loadBalancerSourceRanges": ["10.0.0.0/8"]},
        {"annotations": {SRC_ANN: "everyone"}},
        set(),
    ),
    # topology annotations
    (
        "topology-mode disagrees with topology-aware-hints",
        {"ports": [P80]},
        {
            "annotations": {
                "service.kubernetes.io/topology-mode": "Auto",
                "service.kubernetes.io/topology-aware-hints": "auto",
            }
        },
        {
            'metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "Auto": '
            "must match annotations[service.kubernetes.io/topology-aware-hints] when both are "
            "specified"
        },
    ),
    (
        "topology-mode equal to topology-aware-hints",
        {"ports": [P80]},
        {
            "annotations": {
                "service.kubernetes.io/topology-mode": "Auto",
                "service.kubernetes.io/topology-aware-hints": "Auto",
            }
        },
        set(),
    ),
    # loadBalancerClass (validateLoadBalancerClassField)
    (
        "loadBalancerClass on a ClusterIP Service",
        {"ports": [P80], "loadBalancerClass": "example.com/lb"},
        {},
        {"spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"},
    ),
    (
        "loadBalancerClass that is not a qualified name, on a NodePort: only forbidden",
        {"type": "NodePort", "ports": [P80], "loadBalancerClass": "a b"},
        {},
        {"spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"},
    ),
    # appProtocol
    (
        "appProtocol qualified name",
        {"ports": [{"port": 80, "appProtocol": "kubernetes.io/h2c"}]},
        {},
        set(),
    ),
    (
        "appProtocol with a space",
        {"ports": [{"port": 80, "appProtocol": "my app"}]},
        {},
        {f'spec.ports[0].appProtocol: Invalid value: "my app": {NAME_PART}'},
    ),
    # selector: ValidateLabels at spec.selector
    (
        "selector value with a space",
        {"ports": [P80], "selector": {"app": "my app"}},
        {},
        {f'spec.selector: Invalid value: "my app": {LABEL_VALUE}'},
    ),
    (
        "selector key with a space",
        {"ports": [P80], "selector": {"my app": "web"}},
        {},
        {f'spec.selector: Invalid value: "my app": {NAME_PART}'},
    ),
    (
        "selector key and value both bad: both at spec.selector",
        {"ports": [P80], "selector": {"my app": "a b"}},
        {},
        {
            f'spec.selector: Invalid value: "my app": {NAME_PART}',
            f'spec.selector: Invalid value: "a b": {LABEL_VALUE}',
        },
    ),
    (
        "selector empty key: two messages",
        {"ports": [P80], "selector": {"": "web"}},
        {},
        {
            'spec.selector: Invalid value: "": name part must be non-empty',
            f'spec.selector: Invalid value: "": {NAME_PART}',
        },
    ),
    (
        "selector prefix key fine",
        {"ports": [P80], "selector": {"app.kubernetes.io/name": "web"}},
        {},
        set(),
    ),
    ("selector empty value fine", {"ports": [P80], "selector": {"app": ""}}, {}, set()),
    ("selector uppercase value fine", {"ports": [P80], "selector": {"app": "Web"}}, {}, set()),
    (
        "selector value 64 chars",
        {"ports": [P80], "selector": {"app": "a" * 64}},
        {},
        {f'spec.selector: Invalid value: "{"a" * 64}": must be no more than 63 characters'},
    ),
    ("empty selector map is valid", {"ports": [P80], "selector": {}}, {}, set()),
    # type
    (
        "type Foo",
        {"ports": [P80], "type": "Foo"},
        {},
        {
            'spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", '
            '"LoadBalancer", "NodePort"'
        },
    ),
    (
        "type nodeport (case)",
        {"ports": [P80], "type": "nodeport"},
        {},
        {
            'spec.type: Unsupported value: "nodeport": supported values: "ClusterIP", '
            '"ExternalName", "LoadBalancer", "NodePort"'
        },
    ),
    # headless
    (
        "headless NodePort",
        {"ports": [P80], "type": "NodePort", "clusterIP": "None"},
        {},
        {
            "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort "
            "services"
        },
    ),
    (
        "headless LoadBalancer",
        {"ports": [P80], "type": "LoadBalancer", "clusterIP": "None"},
        {},
        {
            "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer "
            "services"
        },
    ),
    (
        "headless NodePort without ports: no Required (isHeadlessService ignores type)",
        {"type": "NodePort", "clusterIP": "None"},
        {},
        {
            "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort "
            "services"
        },
    ),
    (
        "headless with targetPort != port is tolerated",
        {"clusterIP": "None", "ports": [{"port": 80, "targetPort": 8080}]},
        {},
        set(),
    ),
    (
        "None must be the only clusterIPs value",
        {"ports": [P80], "clusterIP": "None", "clusterIPs": ["None", "10.96.0.9"]},
        {},
        {
            'spec.clusterIPs: Invalid value: []string{"None", "10.96.0.9"}: \'None\' must be the '
            "first and only value"
        },
    ),
    # ExternalName
    (
        "ExternalName needs externalName",
        {"type": "ExternalName"},
        {},
        {"spec.externalName: Required value"},
    ),
    (
        "ExternalName trailing dot trimmed",
        {"type": "ExternalName", "externalName": "db.example.com."},
        {},
        set(),
    ),
    (
        "ExternalName bad host",
        {"type": "ExternalName", "externalName": "DB_host"},
        {},
        {f'spec.externalName: Invalid value: "DB_host": {DNS1123_SUBDOMAIN}'},
    ),
    (
        "ExternalName clusterIP forbidden",
        {"type": "ExternalName", "externalName": "db.example.com", "clusterIP": "10.96.0.20"},
        {},
        {"spec.clusterIPs: Forbidden: may not be set for ExternalName services"},
    ),
    (
        "ExternalName selector allowed (ignored)",
        {"type": "ExternalName", "externalName": "db.example.com", "selector": SEL, "ports": [P80]},
        {},
        set(),
    ),
    # sessionAffinity
    (
        "sessionAffinity Cookie",
        {"ports": [P80], "sessionAffinity": "Cookie"},
        {},
        {'spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"'},
    ),
    (
        "ClientIP timeout 0",
        {
            "ports": [P80],
            "sessionAffinity": "ClientIP",
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 0}},
        },
        {},
        {
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater "
            "than 0 and less than 86400"
        },
    ),
    (
        "ClientIP timeout 86400 passes",
        {
            "ports": [P80],
            "sessionAffinity": "ClientIP",
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 86400}},
        },
        {},
        set(),
    ),
    (
        "ClientIP timeout 86401",
        {
            "ports": [P80],
            "sessionAffinity": "ClientIP",
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 86401}},
        },
        {},
        {
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be "
            "greater than 0 and less than 86400"
        },
    ),
    (
        "None with a config is accepted",
        {
            "ports": [P80],
            "sessionAffinity": "None",
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 0}},
        },
        {},
        set(),
    ),
    # traffic policies
    (
        "externalTrafficPolicy on ClusterIP",
        {"ports": [P80], "externalTrafficPolicy": "Local"},
        {},
        {
            'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for '
            "externally-accessible services"
        },
    ),
    (
        "externalTrafficPolicy with externalIPs is fine",
        {"ports": [P80], "externalTrafficPolicy": "Local", "externalIPs": ["192.0.2.10"]},
        {},
        set(),
    ),
    (
        "externalTrafficPolicy Foo on NodePort",
        {"ports": [P80], "type": "NodePort", "externalTrafficPolicy": "Foo"},
        {},
        {
            'spec.externalTrafficPolicy: Unsupported value: "Foo": supported values: "Cluster", '
            '"Local"'
        },
    ),
    (
        "internalTrafficPolicy Foo",
        {"ports": [P80], "internalTrafficPolicy": "Foo"},
        {},
        {
            'spec.internalTrafficPolicy: Unsupported value: "Foo": supported values: "Cluster", '
            '"Local"'
        },
    ),
    ("internalTrafficPolicy Local", {"ports": [P80], "internalTrafficPolicy": "Local"}, {}, set()),
    (
        "healthCheckNodePort needs LoadBalancer + Local",
        {"ports": [P80], "type": "LoadBalancer", "healthCheckNodePort": 31000},
        {},
        {
            "spec.healthCheckNodePort: Invalid value: 31000: may only be set when `type` is "
            "'LoadBalancer' and `externalTrafficPolicy` is 'Local'"
        },
    ),
    (
        "healthCheckNodePort with LoadBalancer + Local",
        {
            "ports": [P80],
            "type": "LoadBalancer",
            "externalTrafficPolicy": "Local",
            "healthCheckNodePort": 31000,
        },
        {},
        set(),
    ),
    # LoadBalancer-only fields
    (
        "loadBalancerSourceRanges on ClusterIP",
        {"ports": [P80], "loadBalancerSourceRanges": ["10.0.0.0/8"]},
        {},
        {
            "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is "
            "'LoadBalancer'"
        },
    ),
    (
        "allocateLoadBalancerNodePorts on NodePort",
        {"ports": [P80], "type": "NodePort", "allocateLoadBalancerNodePorts": False},
        {},
        {
            "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is "
            "'LoadBalancer'"
        },
    ),
    (
        "LoadBalancer may expose 10250 (no kubelet-port check any more)",
        {"ports": [{"port": 10250}], "type": "LoadBalancer"},
        {},
        set(),
    ),
    # trafficDistribution
    (
        "trafficDistribution PreferClose",
        {"ports": [P80], "trafficDistribution": "PreferClose"},
        {},
        set(),
    ),
    (
        "trafficDistribution Nearest",
        {"ports": [P80], "trafficDistribution": "Nearest"},
        {},
        {
            'spec.trafficDistribution: Unsupported value: "Nearest": supported values: '
            '"PreferClose", "PreferSameNode", "PreferSameZone"'
        },
    ),
    # externalIPs
    (
        "externalIPs loopback",
        {"ports": [P80], "externalIPs": ["127.0.0.1"]},
        {},
        {
            'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range '
            "(127.0.0.0/8, ::1/128)"
        },
    ),
]


def service_text(spec: dict[str, Any], meta: dict[str, Any]) -> str:
    metadata: dict[str, Any] = {"name": "web"}
    for key, value in meta.items():
        if value is None:
            metadata.pop(key, None)
        else:
            metadata[key] = value
    return yaml.safe_dump(
        {"apiVersion": "v1", "kind": "Service", "metadata": metadata, "spec": spec}, sort_keys=False
    )


@pytest.mark.parametrize(
    ("spec", "meta", "expected"), [pytest.param(s, m, e, id=d) for d, s, m, e in ROWS]
)
def test_validate_service(spec: dict[str, Any], meta: dict[str, Any], expected: set[str]) -> None:
    result = analyze(service_text(spec, meta))
    messages = [e.message for e in result.errors]
    assert set(messages) == expected
    assert len(messages) == len(set(messages)), "ToAggregate drops exact duplicates"
    assert result.valid is (not expected)
    for err in result.errors:
        assert err.line >= 1 and err.column >= 1
        assert err.kind == "Service"


def test_invalid_service_is_left_out_of_routing() -> None:
    result = analyze(service_text({"ports": [{"port": 0}], "selector": SEL}, {}))
    assert not result.valid
    assert result.services == []
    assert "Service/default/web" in result.parsed.invalid_objects


def test_every_error_is_reported_at_once() -> None:
    """`ValidateService` never short-circuits: five unrelated mistakes, five errors."""
    spec = {
        "type": "Foo",
        "sessionAffinity": "Cookie",
        "selector": {"app": "a b"},
        "ports": [{"port": 0, "targetPort": 80, "protocol": "tcp"}],
    }
    result = analyze(service_text(spec, {"name": "Web"}))
    paths = sorted(e.path for e in result.errors)
    assert paths == [
        "metadata.name",
        "spec.ports[0].port",
        "spec.ports[0].protocol",
        "spec.selector",
        "spec.sessionAffinity",
        "spec.type",
    ]


def _two(spec_a: dict[str, Any], spec_b: dict[str, Any]) -> str:
    return service_text(spec_a, {"name": "a"}) + "---\n" + service_text(spec_b, {"name": "b"})


def test_node_port_already_allocated_across_services() -> None:
    spec = {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}
    result = analyze(_two(spec, spec))
    assert [(e.object, e.message) for e in result.errors] == [
        (
            "default/b",
            "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated",
        )
    ]
    assert [s.name for s in result.cluster.services] == ["a"]


def test_cluster_ip_already_allocated_across_services() -> None:
    spec = {"clusterIP": "10.96.0.50", "ports": [P80]}
    result = analyze(_two(spec, spec))
    assert [e.message for e in result.errors] == [
        'spec.clusterIPs: Invalid value: []string{"10.96.0.50"}: failed to allocate IP '
        "10.96.0.50: provided IP is already allocated"
    ]


def test_allocated_values_of_an_invalid_service_are_not_taken() -> None:
    bad = {"type": "NodePort", "ports": [{"port": 0, "targetPort": 80, "nodePort": 30080}]}
    good = {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}
    result = analyze(_two(bad, good))
    assert [e.object for e in result.errors] == ["default/a"]
    assert [s.name for s in result.cluster.services] == ["b"]


def test_wrong_typed_lists_do_not_crash_or_invent_errors() -> None:
    text = service_text(
        {
            "ports": [
                {"name": "a", "port": 80, "protocol": ["TCP"]},
                {"name": "b", "port": 80, "protocol": ["TCP"]},
            ],
            "externalIPs": "192.0.2.1",
            "ipFamilies": [{"a": 1}],
        },
        {},
    )
    result = analyze(text)
    assert sorted(e.path for e in result.errors) == [
        "spec.externalIPs",
        "spec.ipFamilies[0]",
        "spec.ports[0].protocol",
        "spec.ports[1].protocol",
    ]
    assert all(": expected " in e.message for e in result.errors)


SLICE = """\
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  ports: [{port: 5432}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: db-1
  labels: {kubernetes.io/service-name: db}
ADDRESS_TYPE
endpoints: [{addresses: ["10.0.0.5"]}]
ports: [{port: 5432, protocol: TCP}]
"""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("addressType: IPv4", set()),
        (
            "addressType: IPv6",
            {'endpoints[0].addresses[0]: Invalid value: "10.0.0.5": must be a valid IPv6 address'},
        ),
        ("addressType: FQDN", set()),
        ("", {"addressType: Required value"}),
        ('addressType: ""', {"addressType: Required value"}),
        (
            "addressType: ipv4",
            {'addressType: Unsupported value: "ipv4": supported values: "FQDN", "IPv4", "IPv6"'},
        ),
        (
            "addressType: IP",
            {'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"'},
        ),
    ],
)
def test_endpoint_slice_address_type(line: str, expected: set[str]) -> None:
    """K · pkg/apis/discovery/validation · `ValidateEndpointSlice` → `validateAddressType`:
    a refused slice never reaches kube-proxy (the selector-less Service then has none)."""
    result = analyze(SLICE.replace("ADDRESS_TYPE\n", f"{line}\n" if line else ""))
    assert {e.message for e in result.errors} == expected
    assert result.valid is not expected
    ready = result.route_json()["services"]["default/db"]["5432"]["ready"]
    if expected:
        assert ready == [] and result.errors[0].kind == "EndpointSlice"
        addresses = result.errors[0].path.startswith("endpoints")
        assert result.errors[0].line == (13 if addresses else 12 if line else 7)


@pytest.mark.parametrize(
    ("address_type", "endpoints", "expected"),
    [
        ("IPv4", '[{addresses: ["10.0.0.5"]}, {addresses: ["010.0.0.6"]}]', set()),
        (
            "IPv4",
            '[{addresses: ["10.0.0.300"]}]',
            {
                'endpoints[0].addresses[0]: Invalid value: "10.0.0.300": must be a valid IPv4 '
                "address",
                'endpoints[0].addresses[0]: Invalid value: "10.0.0.300": must be a valid IP address',
            },
        ),
        (
            "IPv4",
            '[{addresses: ["fd00::5"]}]',
            {'endpoints[0].addresses[0]: Invalid value: "fd00::5": must be a valid IPv4 address'},
        ),
        (
            "IPv4",
            '[{addresses: ["10.0.0.5"]}, {addresses: ["127.0.0.1"]}, {addresses: []}]',
            {
                'endpoints[1].addresses[0]: Invalid value: "127.0.0.1": may not be in the '
                "loopback range (127.0.0.0/8, ::1/128)",
                "endpoints[2].addresses: Required value: must contain at least 1 address",
            },
        ),
        (
            "IPv6",
            '[{addresses: ["fe80::1"]}]',
            {
                'endpoints[0].addresses[0]: Invalid value: "fe80::1": may not be in the '
                "link-local range (169.254.0.0/16, fe80::/10)"
            },
        ),
        ("FQDN", '[{addresses: ["db.example.com"]}]', set()),
    ],
)
def test_endpoint_slice_addresses(address_type: str, endpoints: str, expected: set[str]) -> None:
    """K · pkg/apis/discovery/validation · `validateEndpoints`: an address must be of the
    slice's type (`IsValidIPv4Address`: Go's sloppy parser, leading zeros allowed) and not
    special (`ValidateEndpointIP`), and an endpoint has at least one. A refused slice never
    reaches kube-proxy: the external database had traffic sent to 10.0.0.300."""
    text = SLICE.replace("ADDRESS_TYPE\n", f"addressType: {address_type}\n").replace(
        'endpoints: [{addresses: ["10.0.0.5"]}]', f"endpoints: {endpoints}"
    )
    result = analyze(text)
    assert {e.message for e in result.errors} == expected
    if expected:
        assert result.route_json()["services"]["default/db"]["5432"]["ready"] == []
        assert {(e.kind, e.line) for e in result.errors} == {("EndpointSlice", 13)}


@pytest.mark.parametrize(
    ("ports", "expected"),
    [
        ("[{port: 5432}, {name: metrics, port: 9187, protocol: UDP}]", set()),
        (
            "[{port: 5432, protocol: HTTP}]",
            {
                'ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'
            },
        ),
        (
            "[{name: Metrics_1, port: 9187}]",
            {
                'ports[0].name: Invalid value: "Metrics_1": a lowercase RFC 1123 label must '
                "consist of lower case alphanumeric characters or '-', and must start and end "
                "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            },
        ),
        ("[{port: 5432}, {port: 5433}]", {'ports[1].name: Duplicate value: ""'}),
    ],
)
def test_endpoint_slice_ports(ports: str, expected: set[str]) -> None:
    """K · pkg/apis/discovery/validation · `validatePorts`: a port's name is a DNS-1123 label
    and unique in the slice (two unnamed ports clash: both are ""), its protocol TCP, UDP or
    SCTP (discovery/v1 defaults a missing one to TCP)."""
    text = SLICE.replace("ADDRESS_TYPE\n", "addressType: IPv4\n").replace(
        "ports: [{port: 5432, protocol: TCP}]", f"ports: {ports}"
    )
    result = analyze(text)
    assert {e.message for e in result.errors} == expected


STORED_META = "  resourceVersion: '88213'\n  uid: 9d0f5a51-2a57-4d0b-8a0c-6e1e8f3b7c42\n"


@pytest.mark.parametrize(
    ("spec", "refusal"),
    [
        (
            "  clusterIP: 172.20.91.14\n  selector: {app: web}\n  ports: [{port: 80}]\n",
            'spec.clusterIPs: Invalid value: []string{"172.20.91.14"}: failed to allocate IP '
            "172.20.91.14: the provided network does not match the current range",
        ),
        (
            "  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80, nodePort: 8080}]\n",
            "spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid "
            "range. The range of valid ports is 30000-32767",
        ),
    ],
)
def test_a_service_read_back_from_a_live_cluster_keeps_its_allocations(
    spec: str, refusal: str
) -> None:
    """A dump of an EKS, GKE, k3s or OpenShift cluster has Services from its own ServiceCIDR
    (and maybe its own nodePort range): every one was refused as out of the simulated kind
    range, so route printed nothing for a real cluster. Objects the API server stored carry
    resourceVersion and uid: their allocations are the live cluster's and are kept; the same
    Service written by hand is still refused as kind would refuse it."""
    text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n{meta}spec:\n" + spec
    written = analyze(text.replace("{meta}", ""))
    assert [e.message for e in written.errors] == [refusal]
    stored = analyze(text.replace("{meta}", STORED_META))
    assert stored.valid, stored.errors
    assert len(stored.services) == 1


@pytest.mark.parametrize(
    ("name", "ip", "network", "refused"),
    [
        ("web", "10.96.0.1", "", "default/kubernetes holds 10.96.0.1"),
        ("web", "10.96.0.10", "", "kube-system/kube-dns holds 10.96.0.10"),
        ("web", "10.96.0.11", "", ""),
        # the holders themselves, as `kubectl get svc -A` of a kind cluster shows them
        ("kubernetes", "10.96.0.1", "", ""),
        ("kube-dns\n  namespace: kube-system", "10.96.0.10", "", ""),
        # an IPv6-only cluster's own Services hold its range's ::1 and ::a
        ("web", "fd00:10:96::a", "[IPv6]", "kube-system/kube-dns holds fd00:10:96::a"),
    ],
)
def test_the_kubernetes_and_kube_dns_cluster_ips_are_taken(
    name: str, ip: str, network: str, refused: str
) -> None:
    """A kind cluster starts with `kubernetes` on the Service range's first address and
    `kube-dns` on its tenth: a Service asking for one is refused by the allocator (it was
    valid, and shared the address with the console's kubernetes Service)."""
    text = (
        f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n"
        f"  clusterIP: {ip}\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n"
    )
    families = parse_families(yaml.safe_load(network)) if network else SINGLE_STACK
    assert isinstance(families, ClusterNetwork)
    a = analyze(text, network=families)
    if not refused:
        assert a.valid, a.errors
        return
    (err,) = a.errors
    assert err.message.endswith(f"failed to allocate IP {ip}: provided IP is already allocated")
    assert err.hint.startswith(refused)


def test_the_quoted_port_number_hint_is_plain_text() -> None:
    """Lesson 5 step 7 (quote `8080`): the error list, and `ktutor check`, showed the hint
    "a quoted number is a port *name*; ...", its Markdown stars as typed."""
    text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n" + (
        '  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: "8080"\n'
    )
    (err,) = analyze(text).errors
    assert err.hint == "a quoted number is a port name; write targetPort: 8080 without quotes"
