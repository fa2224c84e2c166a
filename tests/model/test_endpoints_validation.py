"""Validation of the endpoints a file brings (#11): a legacy v1 Endpoints object (K ·
pkg/apis/core/validation/validation.go · `ValidateEndpoints`, `validateEndpointSubsets`,
`validateEndpointAddress`, `validateEndpointPort`) and an FQDN EndpointSlice's addresses (K ·
pkg/apis/discovery/validation · `validateEndpoints` → apimachinery's
`IsFullyQualifiedDomainName`), with the API server's paths and messages. A refused one never
reaches kube-proxy: the selector-less Service it was for has no endpoints."""

from __future__ import annotations

import pytest

from tutor.model import analyze
from tutor.model import validation as v
from tutor.model.yamldoc import load_documents

IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
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

ENDPOINTS = """\
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: db}
subsets:
SUBSETS
"""


@pytest.mark.parametrize(
    ("subsets", "expected"),
    [
        ("- addresses: [{ip: 10.0.0.5}]\n  ports: [{port: 5432}]", set()),
        # leading zeros: Go's sloppy parser (IsValidIPForLegacyField) takes them
        ("- addresses: [{ip: 010.0.0.5, hostname: db-0, nodeName: node-1.zone}]", set()),
        ("- notReadyAddresses: [{ip: 'fd00::5'}]", set()),
        (
            "- addresses: [{ip: 10.0.0.300}]",
            {
                f'subsets[0].addresses[0].ip: Invalid value: "10.0.0.300": {IP}',
                'subsets[0].addresses[0].ip: Invalid value: "10.0.0.300": must be a valid IP '
                "address",
            },
        ),
        (
            "- addresses: [{hostname: db-0}]",
            {
                f'subsets[0].addresses[0].ip: Invalid value: "": {IP}',
                'subsets[0].addresses[0].ip: Invalid value: "": must be a valid IP address',
            },
        ),
        (
            "- addresses: [{ip: 10.0.0.5}, {ip: 127.0.0.1}]\n"
            "  notReadyAddresses: [{ip: 169.254.1.1}, {ip: 000.0.0.0}, {ip: 224.0.0.9}]",
            {
                'subsets[0].addresses[1].ip: Invalid value: "127.0.0.1": may not be in the '
                "loopback range (127.0.0.0/8, ::1/128)",
                'subsets[0].notReadyAddresses[0].ip: Invalid value: "169.254.1.1": may not be '
                "in the link-local range (169.254.0.0/16, fe80::/10)",
                'subsets[0].notReadyAddresses[1].ip: Invalid value: "000.0.0.0": may not be '
                "unspecified (000.0.0.0)",
                'subsets[0].notReadyAddresses[2].ip: Invalid value: "224.0.0.9": may not be in '
                "the link-local multicast range (224.0.0.0/24, ff02::/10)",
            },
        ),
        (
            "- addresses: [{ip: 10.0.0.5, hostname: Db_0, nodeName: Node_1}]",
            {
                f'subsets[0].addresses[0].hostname: Invalid value: "Db_0": {DNS1123_LABEL}',
                f'subsets[0].addresses[0].nodeName: Invalid value: "Node_1": {DNS1123_SUBDOMAIN}',
            },
        ),
        (
            "- ports: [{port: 5432}]",
            {"subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"},
        ),
        (
            "- addresses: [{ip: 10.0.0.5}]\n- addresses: []",
            {"subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`"},
        ),
        (
            "- addresses: [{ip: 10.0.0.5}]\n"
            "  ports: [{port: 5432}, {name: Metrics, port: 0, protocol: HTTP}]",
            {
                "subsets[0].ports[0].name: Required value",
                f'subsets[0].ports[1].name: Invalid value: "Metrics": {DNS1123_LABEL}',
                "subsets[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, "
                "inclusive",
                'subsets[0].ports[1].protocol: Unsupported value: "HTTP": supported values: '
                '"SCTP", "TCP", "UDP"',
            },
        ),
        # one port needs no name; an empty protocol is defaulted to TCP; no port is port 0
        ("- addresses: [{ip: 10.0.0.5}]\n  ports: [{port: 5432, protocol: ''}]", set()),
        (
            "- addresses: [{ip: 10.0.0.5}]\n  ports: [{name: pg}]",
            {"subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"},
        ),
        (
            "- addresses: [{ip: 10.0.0.5}]\n  ports: [{port: 5432, appProtocol: 'my app'}]",
            {
                'subsets[0].ports[0].appProtocol: Invalid value: "my app": name part must '
                "consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
                "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
            },
        ),
    ],
)
def test_legacy_endpoints(subsets: str, expected: set[str]) -> None:
    result = analyze(ENDPOINTS.replace("SUBSETS\n", subsets + "\n"))
    assert {e.message for e in result.errors} == expected
    assert {e.kind for e in result.errors} <= {"Endpoints"}
    ready = result.route_json()["services"]["default/db"]["5432"]["ready"]
    if expected:
        # refused by the API server: the mirroring controller never sees it
        assert ready == []
        assert "Endpoints/default/db" in result.parsed.invalid_objects


def test_legacy_endpoints_errors_point_at_the_field() -> None:
    text = ENDPOINTS.replace(
        "SUBSETS\n",
        "- addresses:\n  - ip: 10.0.0.5\n  - ip: 10.0.0.300\n    hostname: Db\n"
        "  ports:\n  - {port: 5432}\n  - {port: 5433}\n",
    )
    result = analyze(text)
    where = {e.path: (e.line, e.column) for e in result.errors}
    assert where == {
        "subsets[0].addresses[1].ip": (13, 5),
        "subsets[0].addresses[1].hostname": (14, 5),
        "subsets[0].ports[0].name": (16, 5),  # missing: the port itself
        "subsets[0].ports[1].name": (17, 5),
    }


SLICE = """\
apiVersion: v1
kind: Service
metadata: {name: ext}
spec:
  ports: [{port: 5432}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ext-1
  labels: {kubernetes.io/service-name: ext}
addressType: FQDN
endpoints: [{addresses: [ADDRESS]}]
ports: [{port: 5432}]
"""


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ('"db.example.com"', set()),
        ('"db.example.com."', set()),  # a trailing dot is allowed
        ('"a.b"', set()),
        ('""', {"endpoints[0].addresses[0]: Required value"}),
        (
            '"localhost"',
            {
                'endpoints[0].addresses[0]: Invalid value: "localhost": should be a domain '
                "with at least two segments separated by dots"
            },
        ),
        (
            # the value shown is the name without its dot
            '"Db.example.com."',
            {f'endpoints[0].addresses[0]: Invalid value: "Db.example.com": {DNS1123_SUBDOMAIN}'},
        ),
        (
            '"db..example.com"',
            {f'endpoints[0].addresses[0]: Invalid value: "db..example.com": {DNS1123_SUBDOMAIN}'},
        ),
        (
            # a subdomain, but one label is too long: that label is the value
            f'"db.{"x" * 64}.com"',
            {
                f'endpoints[0].addresses[0]: Invalid value: "{"x" * 64}": must be no more '
                "than 63 characters"
            },
        ),
        (
            f'"{"a" * 63}.{"b" * 63}.{"c" * 63}.{"d" * 63}"',
            {
                f'endpoints[0].addresses[0]: Invalid value: "{"a" * 63}.{"b" * 63}.{"c" * 63}.'
                f'{"d" * 63}": must be no more than 253 characters'
            },
        ),
        ('"10.0.0.5"', set()),  # digits make a valid domain name
    ],
)
def test_fqdn_slice_addresses(address: str, expected: set[str]) -> None:
    result = analyze(SLICE.replace("ADDRESS", address))
    assert {e.message for e in result.errors} == expected
    if expected:
        assert {(e.kind, e.line) for e in result.errors} == {("EndpointSlice", 13)}
        assert "EndpointSlice/default/ext-1" in result.parsed.invalid_objects


@pytest.mark.parametrize(
    "address",
    [
        "1.2.3.4",
        "10.0.0.5",
        "255.255.255.255",
        "0.0.0.0",
        "0.1.2.3",
        "00.1.2.3",
        "127.0.0.1",
        "127.255.0.1",
        "169.254.0.1",
        "169.1.2.3",
        "224.0.0.1",
        "224.1.0.1",
        "223.0.0.1",
        "10.0.0.256",
        "10.0.0.05",
        "1.2.3",
        "1.2.3.4.5",
        "1.2.3.4 ",
        "١.2.3.4",
        "fd00::5",
        "::ffff:10.0.0.5",
        "",
    ],
)
def test_the_plain_ipv4_shortcut_agrees_with_the_full_checks(address: str) -> None:
    """A slice address the shortcut passes is one the full checks (`_parse_ip_sloppy`, the
    family, `ValidateEndpointIP`) find nothing wrong with."""
    ip = v._parse_ip_sloppy(address)
    clean = ip is not None and ip.version == 4 and not v._endpoint_ip(address, ip)
    if v._PLAIN_IPV4.match(address) is not None:
        assert clean
    assert bool(v._PLAIN_IPV4.match(address)) == (
        clean and address.split(".")[0] not in ("0", "127", "169", "224") and address == str(ip)
    )


IPV4_SLICE = SLICE.replace("addressType: FQDN", "addressType: IPv4")


def _slice(endpoints: str, ports: str = "[{port: 5432}]") -> str:
    """The FQDN slice as an IPv4 one, with these endpoints and (the slice's, not the
    Service's) ports."""
    text = IPV4_SLICE.replace("endpoints: [{addresses: [ADDRESS]}]", f"endpoints: {endpoints}")
    return text.replace("\nports: [{port: 5432}]\n", f"\nports: {ports}\n")


def _many(n: int, item: str) -> str:
    return "[" + ", ".join(item.replace("N", str(i % 250 + 1)) for i in range(n)) + "]"


@pytest.mark.parametrize(
    ("endpoints", "ports", "expected"),
    [
        (_many(1000, '{addresses: ["10.0.1.N"]}'), "[{port: 5432}]", set()),
        (
            # 1,001 endpoints: refused at once, none looked at (the bad one is not reported)
            _many(1000, '{addresses: ["10.0.1.N"]}')[:-1] + ', {addresses: ["127.0.0.1"]}]',
            "[{port: 5432}]",
            {"endpoints: Too many: 1001: must have at most 1000 items"},
        ),
        (
            "[{addresses: " + _many(101, '"10.0.1.N"') + "}]",
            "[{port: 5432}]",
            {"endpoints[0].addresses: Too many: 101: must have at most 100 items"},
        ),
        (
            '[{addresses: ["10.0.0.5"], hostname: Db_0}]',
            "[{port: 5432}]",
            {f'endpoints[0].hostname: Invalid value: "Db_0": {DNS1123_LABEL}'},
        ),
        ('[{addresses: ["10.0.0.5"], hostname: db-0}]', "[{port: 5432}]", set()),
        (
            # `maxPorts` is 20,000 since v1.21 (kubernetes#99795); 100 before
            '[{addresses: ["10.0.0.5"]}]',
            _many(101, "{name: pN, port: 5432}").replace("port: 5432", "port: 5000"),
            set(),
        ),
        (
            '[{addresses: ["10.0.0.5"], nodeName: Node_1}]',
            "[{port: 5432}]",
            {f'endpoints[0].nodeName: Invalid value: "Node_1": {DNS1123_SUBDOMAIN}'},
        ),
        ('[{addresses: ["10.0.0.5"], nodeName: node-1.zone-a}]', "[{port: 5432}]", set()),
        (
            '[{addresses: ["10.0.0.5"]}]',
            "[{port: 5432, appProtocol: 'my app'}]",
            {
                'ports[0].appProtocol: Invalid value: "my app": name part must consist of '
                "alphanumeric characters, '-', '_' or '.', and must start and end with an "
                "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
                "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
            },
        ),
        ('[{addresses: ["10.0.0.5"]}]', "[{port: 5432, appProtocol: kubernetes.io/h2c}]", set()),
    ],
    ids=[
        "1000-endpoints",
        "1001-endpoints",
        "101-addresses",
        "bad-hostname",
        "hostname",
        "101-ports",
        "bad-node-name",
        "node-name",
        "bad-app-protocol",
        "app-protocol",
    ],
)
def test_slice_sizes_hostnames_and_app_protocols(
    endpoints: str, ports: str, expected: set[str]
) -> None:
    """K · pkg/apis/discovery/validation · `validateEndpoints` (`maxEndpoints` 1,000: refused
    before any endpoint is looked at; `maxAddresses` 100; a nodeName is a DNS-1123 subdomain
    (`ValidateNodeName`), a hostname a DNS-1123 label) and `validatePorts` (`maxPorts` 20,000;
    an appProtocol is a qualified name)."""
    result = analyze(_slice(endpoints, ports))
    assert {e.message for e in result.errors} == expected
    if expected:
        assert "EndpointSlice/default/ext-1" in result.parsed.invalid_objects


def test_more_than_20000_slice_ports_are_refused_unread() -> None:
    """`validatePorts`: 20,001 ports is `field.TooMany`, and none of them is looked at (the
    first one's bad protocol is not reported); 20,000 are each checked. Called with the parsed
    object, as the loader does: a 20,001-item YAML list would cost the suite a second."""
    doc = load_documents(_slice('[{addresses: ["10.0.0.5"]}]'))[1]
    data = doc.data
    data["ports"] = [{"name": f"p{i}", "port": 5432} for i in range(20001)]
    data["ports"][0]["protocol"] = "tcp"
    obj = "EndpointSlice/default/ext-1"
    errors = v.validate_endpoint_slice(data, doc, (), obj, "EndpointSlice")
    assert [e.message for e in errors] == ["ports: Too many: 20001: must have at most 20000 items"]
    data["ports"] = data["ports"][:20000]
    errors = v.validate_endpoint_slice(data, doc, (), obj, "EndpointSlice")
    assert [e.message for e in errors] == [
        'ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'
    ]


TOPOLOGY_SLICE = """\
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
addressType: IPv4
endpoints:
- addresses: ["10.244.1.5"]
  ENDPOINT
ports: [{port: 5432}]
"""


@pytest.mark.parametrize(
    ("endpoint", "node"),
    [
        # what validateEndpoints would refuse, if the v1 strategy kept it: 17 labels, a bad key
        # and a bad value
        (
            "deprecatedTopology: {"
            + ", ".join(f"k{i}: v" for i in range(15))
            + ", 'bad key!': ok, kubernetes.io/hostname: 'node 1!'}",
            "",
        ),
        # the old home of the node's name is not read: the node is nodeName's
        ("deprecatedTopology: {kubernetes.io/hostname: node-1}", ""),
        (
            "deprecatedTopology: {kubernetes.io/hostname: node-1}\n  nodeName: node-2",
            "node-2",
        ),
    ],
    ids=["invalid-labels", "hostname-not-read", "node-name-wins"],
)
def test_deprecated_topology_is_dropped_not_validated(endpoint: str, node: str) -> None:
    """v1.35 serves discovery only as v1, whose strategy clears `deprecatedTopology` before
    validation (K · pkg/registry/discovery/endpointslice/strategy.go · `dropTopologyOnV1`, from
    `PrepareForCreate`): validateEndpoints' label checks of it never see a v1 write, the slice
    is accepted and nothing reads the map."""
    result = analyze(TOPOLOGY_SLICE.replace("ENDPOINT", endpoint))
    assert [e.message for e in result.errors] == []
    assert "EndpointSlice/default/db-1" not in result.parsed.invalid_objects
    (given,) = result.parsed.cluster.slices
    assert [ep.node_name for ep in given.endpoints] == [node]


LABEL_VALUE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


def _hints(for_zones: list[str], for_nodes: list[str]) -> str:
    zones = ", ".join(f"{{name: '{z}'}}" for z in for_zones)
    nodes = ", ".join(f"{{name: '{n}'}}" for n in for_nodes)
    return f"hints: {{forZones: [{zones}], forNodes: [{nodes}]}}"


@pytest.mark.parametrize(
    ("hints", "expected"),
    [
        (_hints(["zone-a", "zone-b"], ["node-1"]), set()),
        (_hints([f"zone-{i}" for i in range(8)], [f"node-{i}" for i in range(8)]), set()),
        (
            # nine zones: refused at once, and forNodes is not looked at (its bad name unreported)
            _hints([f"zone-{i}" for i in range(9)], ["Node_1"]),
            {"endpoints[0].hints.forZones: Too many: 9: must have at most 8 items"},
        ),
        (
            _hints(["zone-a"], [f"node-{i}" for i in range(9)]),
            {"endpoints[0].hints.forNodes: Too many: 9: must have at most 8 items"},
        ),
        (
            _hints(["zone-a", "zone-a"], ["node-1", "node-1"]),
            {
                'endpoints[0].hints.forZones[1].name: Duplicate value: "zone-a"',
                'endpoints[0].hints.forNodes[1].name: Duplicate value: "node-1"',
            },
        ),
        (
            _hints(["zone a"], ["Node_1"]),
            {
                f'endpoints[0].hints.forZones[0].name: Invalid value: "zone a": {LABEL_VALUE}',
                f'endpoints[0].hints.forNodes[0].name: Invalid value: "Node_1": {DNS1123_SUBDOMAIN}',
            },
        ),
    ],
    ids=["hints", "eight-each", "nine-zones", "nine-nodes", "duplicates", "bad-names"],
)
def test_slice_hints(hints: str, expected: set[str]) -> None:
    """K · pkg/apis/discovery/validation · `validateHints`: at most 8 forZones (then return),
    names once each and label values; at most 8 forNodes, names once each and node names. A
    refused slice never reaches kube-proxy."""
    result = analyze(TOPOLOGY_SLICE.replace("ENDPOINT", hints))
    assert {e.message for e in result.errors} == expected
    assert ("EndpointSlice/default/db-1" in result.parsed.invalid_objects) == bool(expected)
