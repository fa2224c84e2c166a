"""The API server's validation of a Service, after defaulting, collecting every error.

Mirrors K · pkg/apis/core/validation/validation.go · `ValidateService`, `validateServicePort`,
`ValidatePortNumOrName`, `validateClientIPAffinityConfig`, `ValidateServiceClusterIPsRelatedFields`,
`validateServiceExternalTrafficPolicy`, `validateServiceInternalTrafficFieldsValue`, in the same
order, plus the allocator-stage checks (ClusterIP and NodePort ranges) that the REST storage makes
before validation (K · pkg/registry/core/service/ipallocator, portallocator). Pods and workloads
get their ObjectMeta checked (`ValidateObjectMeta`) and workloads their selector-vs-template rule.

Values of the wrong type were already reported by strict decoding (schema.py), so each check here
only looks at values of the type it expects.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from . import names
from .errors import (
    DUPLICATE,
    FORBIDDEN,
    INVALID,
    OMIT,
    REQUIRED,
    TOO_MANY,
    UNSUPPORTED,
    FieldError,
)
from .network import IPV4, IPV6, SERVICE_CIDRS, SINGLE_STACK, ClusterNetwork, family_of
from .objects import CLUSTER_IP, EXTERNAL_NAME, LOAD_BALANCER, NODE_PORT, SERVICE_TYPES
from .paths import Path, format_path, parse_path
from .yamldoc import Document, Span

NODE_PORT_RANGE = (30000, 32767)
MAX_AFFINITY_TIMEOUT = 86400
PROTOCOLS = ("SCTP", "TCP", "UDP")
AFFINITIES = ("ClientIP", "None")
TRAFFIC_POLICIES = ("Cluster", "Local")
IP_FAMILIES = ("IPv4", "IPv6")
IP_FAMILY_POLICIES = ("PreferDualStack", "RequireDualStack", "SingleStack")
TRAFFIC_DISTRIBUTIONS = ("PreferClose", "PreferSameNode", "PreferSameZone")
TOPOLOGY_MODE = "service.kubernetes.io/topology-mode"
"""`core.AnnotationTopologyMode`."""
TOPOLOGY_AWARE_HINTS = "service.kubernetes.io/topology-aware-hints"
"""`core.DeprecatedAnnotationTopologyAwareHints`."""
SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"
"""`core.AnnotationLoadBalancerSourceRangesKey`."""


def _list(value: Any) -> list[Any]:
    """`value` if it is a list, else []: a wrong-typed field was already a decoding error, and
    iterating a string or a map in its place would invent nonsense errors."""
    return value if isinstance(value, list) else []


def _is_int(v: Any) -> TypeGuard[int]:
    return isinstance(v, int) and not isinstance(v, bool)


def _key(v: Any) -> Any:
    """A value usable in a set key: a wrong-typed value (already a decoding error) becomes its
    repr, so malformed input cannot crash the duplicate checks."""
    return v if v is None or isinstance(v, (str, int, float)) else repr(v)


def _go_slice(values: list[Any]) -> str:
    inner = ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in values)
    return f"[]string{{{inner}}}"


class _GoRepr:
    """A bad value printed with Go's `%#v`, for the struct and slice values some errors carry."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


def _service_port_repr(protocol: str, port: int) -> _GoRepr:
    return _GoRepr(
        f'core.ServicePort{{Name:"", Protocol:"{protocol}", AppProtocol:(*string)(nil), '
        f'Port:{port}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:""}}, '
        "NodePort:0}"
    )


def _defaulted_from(path: Path) -> Path | None:
    """The field a defaulted one was copied from, for errors about a value the file never
    wrote: `spec.clusterIPs[0]` comes from `spec.clusterIP` (K · pkg/registry/core/service/
    storage/storage.go · `normalizeClusterIPs`: a client that sets only the singular field),
    `spec.ports[i].targetPort` from `spec.ports[i].port` (K · pkg/apis/core/v1/defaults.go ·
    `SetDefaults_Service`)."""
    for i in range(len(path) - 1, -1, -1):
        seg = path[i]
        if seg == "clusterIPs" and i > 0 and path[i - 1] == "spec":
            return (*path[:i], "clusterIP")
        if seg == "targetPort" and i >= 2 and path[i - 2] == "ports":
            return (*path[:i], "port")
    return None


def field_span(doc: Document, path: Path) -> Span | None:
    """Where an error about `path` points: the field itself; a defaulted field the file does not
    hold points at the field it was defaulted from; anything else missing, at its deepest
    existing ancestor (the parent the field belongs in)."""
    span = doc.spans.get(path)
    if span is not None:
        return span
    source = _defaulted_from(path)
    if source is not None:
        span = doc.spans.get(source)
        if span is not None:
            return span
    return doc.span(path)


class Collector:
    """Builds FieldErrors for one object, locating each path in its YAML document."""

    def __init__(self, doc: Document, prefix: Path, obj: str, kind: str) -> None:
        self.doc = doc
        self.prefix = prefix
        self.obj = obj
        self.kind = kind
        self.errors: list[FieldError] = []
        self._seen: set[str] = set()

    def add(
        self,
        path: str,
        typ: str,
        value: Any = OMIT,
        detail: str = "",
        *,
        at: str | None = None,
        hint: str = "",
    ) -> None:
        """Record an error at `path`; `at` names a more precise place to point at, if any."""
        try:
            where = parse_path(at or path)
        except ValueError:
            where = ()
        span = field_span(self.doc, self.prefix + where)
        err = FieldError(
            path,
            typ,
            detail,
            value,
            span.line if span else self.doc.line,
            span.column if span else 1,
            self.obj,
            self.kind,
            hint,
        )
        if err.message in self._seen:  # ToAggregate drops exact duplicates
            return
        self._seen.add(err.message)
        self.errors.append(err)

    def not_supported(
        self, path: str, value: Any, supported: tuple[str, ...], *, hint: str = ""
    ) -> None:
        detail = "supported values: " + ", ".join(f'"{v}"' for v in sorted(supported))
        self.add(path, UNSUPPORTED, value, detail, hint=hint)


def _case_hint(value: Any, supported: tuple[str, ...]) -> str:
    if isinstance(value, str):
        for s in supported:
            if s.lower() == value.lower():
                return f"values are case-sensitive: write {s}"
    return ""


def validate_labels(c: Collector, labels: Any, path: str) -> None:
    """`ValidateLabels`: key and value errors both use `path`, with no key suffix."""
    if not isinstance(labels, dict):
        return
    for key, value in labels.items():
        key_errs = names.is_qualified_name(key)
        value_errs = names.is_label_value(value) if isinstance(value, str) else ()
        if not key_errs and not value_errs:
            continue
        at = format_path((*parse_path(path), key))
        for msg in key_errs:
            c.add(path, INVALID, key, msg, at=at)
        if value_errs:
            for msg in value_errs:
                c.add(
                    path,
                    INVALID,
                    value,
                    msg,
                    at=at,
                    hint="label values have no spaces; use '-', '_' or '.'" if " " in value else "",
                )


def validate_object_meta(c: Collector, meta: Any, name_check: str) -> None:
    """`ValidateObjectMeta`: name (with the kind's name rule), namespace, labels."""
    meta = meta if isinstance(meta, dict) else {}
    name = meta.get("name")
    if not name and not meta.get("generateName"):
        c.add(
            "metadata.name",
            REQUIRED,
            detail="name or generateName is required",
            hint="give the object a name under metadata:",
        )
    elif isinstance(name, str) and name:
        check = {"dns1035": names.is_dns1035_label, "subdomain": names.is_dns1123_subdomain}[
            name_check
        ]
        for msg in check(name):
            hint = ""
            if name_check == "dns1035" and name != name.lower():
                hint = f'Service names are lower case: try "{name.lower()}"'
            elif name_check == "dns1035" and name[:1].isdigit():
                hint = "a Service name must start with a letter"
            c.add("metadata.name", INVALID, name, msg, hint=hint)
    ns = meta.get("namespace")
    if isinstance(ns, str) and ns:
        for msg in names.is_dns1123_label(ns):
            c.add("metadata.namespace", INVALID, ns, msg)
    validate_labels(c, meta.get("labels"), "metadata.labels")
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        # `ValidateAnnotations`: keys are qualified names, compared in lower case
        for key in annotations:
            for msg in names.is_qualified_name(str(key).lower()):
                c.add(
                    "metadata.annotations",
                    INVALID,
                    key,
                    msg,
                    at=format_path(("metadata", "annotations", key)),
                )


def _validate_port(
    c: Collector, sp: dict[str, Any], require_name: bool, all_names: set[str], base: str
) -> None:
    """`validateServicePort`."""
    name = sp.get("name")
    if require_name and not name:
        c.add(
            f"{base}.name",
            REQUIRED,
            at=base,
            hint="a Service with more than one port must name every port",
        )
    elif isinstance(name, str) and name:
        for msg in names.is_dns1123_label(name):
            c.add(f"{base}.name", INVALID, name, msg)
        if name in all_names:
            c.add(f"{base}.name", DUPLICATE, name)
        else:
            all_names.add(name)
    port = sp.get("port")
    if port is None:
        c.add(
            f"{base}.port",
            INVALID,
            0,
            "must be between 1 and 65535, inclusive",
            at=base,
            hint="every Service port needs `port:`, the number clients connect to",
        )
    elif _is_int(port):
        for msg in names.is_valid_port_num(port):
            c.add(f"{base}.port", INVALID, port, msg)
    proto = sp.get("protocol")
    if not proto:
        c.add(f"{base}.protocol", REQUIRED)
    elif isinstance(proto, str) and proto not in PROTOCOLS:
        hint = _case_hint(proto, PROTOCOLS) or (
            "HTTP runs over TCP: write protocol: TCP (appProtocol can say http)"
            if proto.upper() in ("HTTP", "HTTPS", "GRPC", "HTTP2")
            else ""
        )
        c.not_supported(f"{base}.protocol", proto, PROTOCOLS, hint=hint)
    tp = sp.get("targetPort")
    if _is_int(tp):
        for msg in names.is_valid_port_num(tp):
            c.add(f"{base}.targetPort", INVALID, tp, msg)
    elif isinstance(tp, str):
        for msg in names.is_valid_port_name(tp):
            hint = ""
            if tp.isdigit():
                hint = f"a quoted number is a port name; write targetPort: {tp} without quotes"
            c.add(f"{base}.targetPort", INVALID, tp, msg, hint=hint)
    app = sp.get("appProtocol")
    if isinstance(app, str):
        for msg in names.is_qualified_name(app):
            c.add(f"{base}.appProtocol", INVALID, app, msg)


def _validate_cluster_ips(c: Collector, spec: dict[str, Any]) -> None:
    """`ValidateServiceClusterIPsRelatedFields`: clusterIP and clusterIPs agree (the strategy copies
    clusterIP into an empty clusterIPs, never the other way), families are known and unique, at
    most one IP per family, and each IP has the family `ipFamilies` gives it."""
    if spec.get("type") == EXTERNAL_NAME:
        return
    cip = spec.get("clusterIP") if isinstance(spec.get("clusterIP"), str) else ""
    cips = [v for v in _list(spec.get("clusterIPs")) if isinstance(v, str)]
    if cip:
        if not cips:
            c.add("spec.clusterIPs", REQUIRED)
        elif cips[0] != cip:
            c.add(
                "spec.clusterIPs",
                INVALID,
                _GoRepr(_go_slice(cips)),
                "first value must match `clusterIP`",
            )
    elif cips:
        c.add(
            "spec.clusterIPs",
            INVALID,
            _GoRepr(_go_slice(cips)),
            "must be empty when `clusterIP` is not specified",
        )
    bad_ip = False
    seen: set[str] = set()
    for i, fam in enumerate(_list(spec.get("ipFamilies"))):
        if not isinstance(fam, str):
            continue
        if fam not in IP_FAMILIES:
            c.not_supported(f"spec.ipFamilies[{i}]", fam, IP_FAMILIES)
        if fam in seen:
            c.add(f"spec.ipFamilies[{i}]", DUPLICATE, fam)
        seen.add(fam)
    pol = spec.get("ipFamilyPolicy")
    if isinstance(pol, str) and pol not in IP_FAMILY_POLICIES:
        c.not_supported("spec.ipFamilyPolicy", pol, IP_FAMILY_POLICIES)
    for i, ip in enumerate(cips):
        if i == 0 and ip == "None":
            if len(cips) > 1:
                c.add(
                    "spec.clusterIPs",
                    INVALID,
                    _GoRepr(_go_slice(cips)),
                    "'None' must be the first and only value",
                )
                bad_ip = True
            continue
        for msg in names.is_valid_ip(ip):
            c.add(f"spec.clusterIPs[{i}]", INVALID, ip, msg)
            bad_ip = True
    if len(cips) > 2:
        c.add("spec.clusterIPs", INVALID, _GoRepr(_go_slice(cips)), "may only hold up to 2 values")
    if bad_ip:
        return
    if len(cips) > 1:
        families = {ipaddress.ip_address(ip).version for ip in cips if ip != "None"}
        if len(families) != 2:
            c.add(
                "spec.clusterIPs",
                INVALID,
                _GoRepr(_go_slice(cips)),
                "may specify no more than one IP for each IP family",
            )
    fams = _list(spec.get("ipFamilies"))
    if cips and cips != ["None"] and fams:
        # match clusterIPs to their families, if they were provided
        for i, ip in enumerate(cips[: len(fams)]):
            v6 = ":" in ip
            if fams[i] == IPV4 and v6:
                c.add(
                    f"spec.clusterIPs[{i}]",
                    INVALID,
                    ip,
                    f"expected an IPv4 value as indicated by `ipFamilies[{i}]`",
                    at="spec.clusterIP" if i == 0 and spec.get("clusterIP") else None,
                )
            if fams[i] == IPV6 and not v6:
                c.add(
                    f"spec.clusterIPs[{i}]",
                    INVALID,
                    ip,
                    f"expected an IPv6 value as indicated by `ipFamilies[{i}]`",
                    at="spec.clusterIP" if i == 0 and spec.get("clusterIP") else None,
                )


def validate_service(
    data: dict[str, Any], doc: Document, prefix: Path, obj: str
) -> list[FieldError]:
    """`ValidateService` on defaulted data; returns every error, none short-circuited."""
    c = Collector(doc, prefix, obj, "Service")
    meta = data.get("metadata")
    validate_object_meta(c, meta, "dns1035")
    annotations: dict[Any, Any] = {}
    if isinstance(meta, dict) and isinstance(meta.get("annotations"), dict):
        annotations = meta["annotations"]
    hints, mode = annotations.get(TOPOLOGY_AWARE_HINTS), annotations.get(TOPOLOGY_MODE)
    if hints is not None and mode is not None and mode != hints:
        c.add(
            f"metadata.annotations[{TOPOLOGY_MODE}]",
            INVALID,
            mode,
            f"must match annotations[{TOPOLOGY_AWARE_HINTS}] when both are specified",
            at=format_path(("metadata", "annotations", TOPOLOGY_MODE)),
            hint=f"{TOPOLOGY_AWARE_HINTS} is the deprecated name of {TOPOLOGY_MODE}: "
            "keep one of them",
        )
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return c.errors
    svc_type = spec.get("type")
    cips = [v for v in _list(spec.get("clusterIPs")) if isinstance(v, str)]
    # `isHeadlessService` checks only clusterIPs == ["None"], not the type: that is what lets the
    # NodePort and LoadBalancer branches below reject a "headless" NodePort/LoadBalancer.
    headless = cips == ["None"]
    ports = [p for p in _list(spec.get("ports")) if isinstance(p, dict)]
    raw_ports: list[Any] = spec["ports"] if isinstance(spec.get("ports"), list) else []

    if not ports and not headless and svc_type != EXTERNAL_NAME:
        c.add(
            "spec.ports",
            REQUIRED,
            at="spec",
            hint="a Service needs at least one port (unless it is headless or ExternalName)",
        )

    if svc_type == LOAD_BALANCER:
        if headless:
            c.add(
                "spec.clusterIPs[0]",
                INVALID,
                cips[0],
                "may not be set to 'None' for LoadBalancer services",
                at="spec.clusterIP",
            )
    elif svc_type == NODE_PORT:
        if headless:
            c.add(
                "spec.clusterIPs[0]",
                INVALID,
                cips[0],
                "may not be set to 'None' for NodePort services",
                at="spec.clusterIP",
            )
    elif svc_type == EXTERNAL_NAME:
        if cips or spec.get("clusterIP"):
            c.add(
                "spec.clusterIPs",
                FORBIDDEN,
                detail="may not be set for ExternalName services",
                at="spec.clusterIP",
            )
        if spec.get("ipFamilies"):
            c.add("spec.ipFamilies", FORBIDDEN, detail="may not be set for ExternalName services")
        if spec.get("ipFamilyPolicy") is not None:
            c.add(
                "spec.ipFamilyPolicy", FORBIDDEN, detail="may not be set for ExternalName services"
            )
        ext = spec.get("externalName")
        cname = ext.removesuffix(".") if isinstance(ext, str) else ""
        if cname:
            for msg in names.is_dns1123_subdomain(cname):
                c.add("spec.externalName", INVALID, cname, msg)
        else:
            c.add(
                "spec.externalName",
                REQUIRED,
                at="spec",
                hint="an ExternalName Service is a DNS alias: set externalName to a host name",
            )

    all_names: set[str] = set()
    for i, p in enumerate(raw_ports):
        if isinstance(p, dict):
            _validate_port(c, p, len(raw_ports) > 1, all_names, f"spec.ports[{i}]")

    if spec.get("selector") is not None:
        validate_labels(c, spec.get("selector"), "spec.selector")

    aff = spec.get("sessionAffinity")
    if not aff:
        c.add("spec.sessionAffinity", REQUIRED)
    elif isinstance(aff, str) and aff not in AFFINITIES:
        c.not_supported("spec.sessionAffinity", aff, AFFINITIES, hint=_case_hint(aff, AFFINITIES))
    if aff == "ClientIP":
        t = spec.get("sessionAffinityConfig", {}).get("clientIP", {}).get("timeoutSeconds")
        if _is_int(t) and (t <= 0 or t > MAX_AFFINITY_TIMEOUT):
            c.add(
                "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                INVALID,
                t,
                f"must be greater than 0 and less than {MAX_AFFINITY_TIMEOUT}",
            )

    _validate_cluster_ips(c, spec)

    for i, ip in enumerate(_list(spec.get("externalIPs"))):
        if isinstance(ip, str):
            msgs = names.is_valid_ip(ip) or names.non_special_ip(ip)
            for msg in msgs:
                c.add(f"spec.externalIPs[{i}]", INVALID, ip, msg)

    if not svc_type:
        c.add("spec.type", REQUIRED)
    elif isinstance(svc_type, str) and svc_type not in SERVICE_TYPES:
        c.not_supported(
            "spec.type", svc_type, SERVICE_TYPES, hint=_case_hint(svc_type, SERVICE_TYPES)
        )

    if svc_type == CLUSTER_IP:
        for i, p in enumerate(raw_ports):
            if isinstance(p, dict) and p.get("nodePort"):
                c.add(
                    f"spec.ports[{i}].nodePort",
                    FORBIDDEN,
                    detail="may not be used when `type` is 'ClusterIP'",
                    hint="nodePort belongs to type: NodePort or LoadBalancer",
                )

    seen_np: set[tuple[Any, Any]] = set()
    for i, p in enumerate(raw_ports):
        if isinstance(p, dict) and _is_int(p.get("nodePort")) and p["nodePort"] != 0:
            key = (_key(p.get("protocol")), p["nodePort"])
            if key in seen_np:
                c.add(f"spec.ports[{i}].nodePort", DUPLICATE, p.get("nodePort"))
            seen_np.add(key)
    seen_ports: set[tuple[Any, Any]] = set()
    for i, p in enumerate(raw_ports):
        # a wrong-typed protocol or port is a decoding error: the object never got this far
        if (
            isinstance(p, dict)
            and isinstance(p.get("protocol"), str)
            and (p.get("port") is None or _is_int(p.get("port")))
        ):
            key = (_key(p.get("protocol")), _key(p.get("port")))
            if key in seen_ports:
                c.add(
                    f"spec.ports[{i}]",
                    DUPLICATE,
                    _service_port_repr(str(p.get("protocol")), p.get("port") or 0),
                    hint="two ports with the same number need different protocols",
                )
            seen_ports.add(key)

    _validate_source_ranges(c, spec, annotations)
    if spec.get("allocateLoadBalancerNodePorts") is not None and svc_type != LOAD_BALANCER:
        c.add(
            "spec.allocateLoadBalancerNodePorts",
            FORBIDDEN,
            detail="may only be used when `type` is 'LoadBalancer'",
        )
    lbc = spec.get("loadBalancerClass")
    if isinstance(lbc, str):  # `validateLoadBalancerClassField(nil, service)`
        if svc_type != LOAD_BALANCER:
            c.add(
                "spec.loadBalancerClass",
                FORBIDDEN,
                detail="may only be used when `type` is 'LoadBalancer'",
            )
        else:
            for msg in names.is_qualified_name(lbc):
                c.add("spec.loadBalancerClass", INVALID, lbc, msg)

    _validate_external_traffic_policy(c, spec)
    itp = spec.get("internalTrafficPolicy")
    if itp is None and svc_type in (CLUSTER_IP, NODE_PORT, LOAD_BALANCER):
        c.add(
            "spec.internalTrafficPolicy",
            REQUIRED,
            detail="must be specified when `type` is 'ClusterIP', 'NodePort', or 'LoadBalancer'",
        )
    elif itp is not None and itp not in TRAFFIC_POLICIES:
        c.not_supported(
            "spec.internalTrafficPolicy",
            itp,
            TRAFFIC_POLICIES,
            hint=_case_hint(itp, TRAFFIC_POLICIES),
        )
    td = spec.get("trafficDistribution")
    if isinstance(td, str) and td not in TRAFFIC_DISTRIBUTIONS:
        c.not_supported("spec.trafficDistribution", td, TRAFFIC_DISTRIBUTIONS)
    return c.errors


def parse_cidr_sloppy(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """`netutils.ParseCIDRSloppy`: Go's `net.ParseCIDR` that still accepts leading zeros in IPv4
    octets and in the prefix length, and an address with host bits set ("interface address");
    None when Go would refuse it."""
    addr, slash, plen = value.partition("/")
    if not slash or not plen or not plen.isascii() or not plen.isdigit():
        return None
    if ":" not in addr:
        octets = addr.split(".")
        if len(octets) != 4 or not all(o.isascii() and o.isdigit() and len(o) <= 3 for o in octets):
            return None
        if any(int(o) > 255 for o in octets):
            return None
        addr = ".".join(str(int(o)) for o in octets)
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return None
    if "%" in addr or int(plen) > ip.max_prefixlen:
        return None
    return ipaddress.ip_network(f"{ip}/{int(plen)}", strict=False)


CIDR_MESSAGE = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
"""`IsValidCIDRForLegacyField` without StrictIPCIDRValidation (alpha, off by default)."""


def _validate_source_ranges(
    c: Collector, spec: dict[str, Any], annotations: dict[Any, Any]
) -> None:
    """`ValidateService`'s "Validate SourceRanges field or annotation": the field's path keeps the
    Go field name (`spec.LoadBalancerSourceRanges[0]`); the legacy annotation is only read when
    the field is empty, and each comma-separated CIDR is reported at the annotation's key."""
    ranges = _list(spec.get("loadBalancerSourceRanges"))
    lb = spec.get("type") == LOAD_BALANCER
    if ranges:
        if not lb:
            c.add(
                "spec.LoadBalancerSourceRanges",
                FORBIDDEN,
                detail="may only be used when `type` is 'LoadBalancer'",
                at="spec.loadBalancerSourceRanges",
                hint="loadBalancerSourceRanges limits who may reach a cloud load balancer: "
                "only type: LoadBalancer has one",
            )
        for i, value in enumerate(ranges):
            if isinstance(value, str) and parse_cidr_sloppy(value.strip()) is None:
                c.add(
                    f"spec.LoadBalancerSourceRanges[{i}]",
                    INVALID,
                    value.strip(),
                    CIDR_MESSAGE,
                    at=f"spec.loadBalancerSourceRanges[{i}]",
                    hint="a source range is an address block such as 203.0.113.0/24",
                )
        return
    if SOURCE_RANGES_ANNOTATION not in annotations:
        return
    path = f"metadata.annotations[{SOURCE_RANGES_ANNOTATION}]"
    at = format_path(("metadata", "annotations", SOURCE_RANGES_ANNOTATION))
    if not lb:
        c.add(
            path,
            FORBIDDEN,
            detail="may only be used when `type` is 'LoadBalancer'",
            at=at,
            hint="this legacy annotation is the old spelling of spec.loadBalancerSourceRanges",
        )
    raw = annotations[SOURCE_RANGES_ANNOTATION]
    text = raw.strip() if isinstance(raw, str) else ""
    if text:
        for value in text.split(","):
            if parse_cidr_sloppy(value.strip()) is None:
                c.add(path, INVALID, value.strip(), CIDR_MESSAGE, at=at)


def _validate_external_traffic_policy(c: Collector, spec: dict[str, Any]) -> None:
    """`validateServiceExternalTrafficPolicy`."""
    svc_type = spec.get("type")
    accessible = svc_type in (LOAD_BALANCER, NODE_PORT) or (
        svc_type == CLUSTER_IP and bool(spec.get("externalIPs"))
    )
    etp = spec.get("externalTrafficPolicy")
    if not accessible:
        if etp:
            c.add(
                "spec.externalTrafficPolicy",
                INVALID,
                etp,
                "may only be set for externally-accessible services",
                hint="externalTrafficPolicy is for NodePort and LoadBalancer Services; "
                "for in-cluster traffic use internalTrafficPolicy",
            )
    elif not etp:
        c.add("spec.externalTrafficPolicy", REQUIRED)
    elif etp not in TRAFFIC_POLICIES:
        c.not_supported(
            "spec.externalTrafficPolicy",
            etp,
            TRAFFIC_POLICIES,
            hint=_case_hint(etp, TRAFFIC_POLICIES),
        )
    hc = spec.get("healthCheckNodePort")
    # `NeedsHealthCheck`: LoadBalancer with externalTrafficPolicy Local. When it is needed and
    # unset the allocator fills it in before validation, so "Required" never reaches a user.
    if _is_int(hc) and hc != 0:
        if svc_type != LOAD_BALANCER or etp != "Local":
            c.add(
                "spec.healthCheckNodePort",
                INVALID,
                hc,
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` "
                "is 'Local'",
            )
        else:
            for msg in names.is_valid_port_num(hc):
                c.add("spec.healthCheckNodePort", INVALID, hc, msg)


@dataclass(slots=True)
class Allocations:
    """What the allocators have handed out so far in this file (Service by Service, in order),
    and the cluster's network, which decides the families and ranges they allocate from."""

    node_ports: set[int] = field(default_factory=set)
    cluster_ips: set[str] = field(default_factory=set)
    network: ClusterNetwork = SINGLE_STACK

    def take(self, claim: Claim) -> None:
        """Keep what a Service claimed: call once it has passed validation too."""
        self.node_ports |= claim.node_ports
        self.cluster_ips |= claim.cluster_ips


@dataclass(slots=True)
class Claim:
    """The values one Service asked for by hand, handed out only if it is created."""

    node_ports: set[int] = field(default_factory=set)
    cluster_ips: set[str] = field(default_factory=set)
    stored: bool = False
    """The Service was read back from a live cluster (`kubectl get -o json|yaml`: the API
    server's `resourceVersion` and `uid` are set): its clusterIPs and nodePorts were allocated
    there, from that cluster's ServiceCIDRs and nodePort range, which the dump does not show.
    They are taken as they are, not judged against the simulated cluster's ranges."""


SINGLE = "SingleStack"
NOT_CONFIGURED = "not configured on this cluster"
NOT_DUAL_STACK = "this cluster is not configured for dual-stack services"
"""The allocator's refusals of a family (`initIPFamilyFields`) the cluster does not have: a
front end may recognise them (a dump of a dual-stack cluster, commands._input)."""
REQUIRE_DUAL = "RequireDualStack"
INTERNAL = "Internal error occurred"


def allocate(
    data: dict[str, Any],
    doc: Document,
    prefix: Path,
    obj: str,
    alloc: Allocations,
    *,
    stored: bool = False,
) -> tuple[list[FieldError], Claim]:
    """K · pkg/registry/core/service/storage/alloc.go · `allocateCreate`, which the REST storage's
    BeginCreate runs *before* validation: `initIPFamilyFields`, `allocClusterIPs`,
    `initNodePorts`, `allocHealthCheckNodePort`. Each stage stops at its first failing step and
    its errors are the only ones the API server reports (validation never runs). Mutates `data`
    as the allocators mutate the Service (ipFamilyPolicy, ipFamilies, shared nodePorts); values
    left empty are allocated later by the simulation (manifests.assign_simulated). A `stored`
    Service (read back from a live cluster) keeps its addresses and ports whatever the
    simulated ranges (`Claim.stored`)."""
    c = Collector(doc, prefix, obj, "Service")
    claim = Claim(stored=stored)
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return [], claim
    svc_type = spec.get("type")
    if svc_type != EXTERNAL_NAME:
        if not _init_ip_families(c, spec, alloc.network):
            return c.errors, claim
        if not _alloc_cluster_ips(c, spec, alloc, claim):
            return c.errors, claim
    if svc_type in (NODE_PORT, LOAD_BALANCER) and not _init_node_ports(c, spec, alloc, claim):
        return c.errors, claim
    hc = spec.get("healthCheckNodePort")
    needs_health_check = svc_type == LOAD_BALANCER and spec.get("externalTrafficPolicy") == "Local"
    if needs_health_check and _is_int(hc) and hc != 0:
        why = _node_port_problem(hc, alloc, claim)
        if why:
            c.add(
                "",
                INTERNAL,
                detail=f"failed to allocate requested HealthCheck NodePort {hc}: {why}",
                at="spec.healthCheckNodePort",
            )
            return c.errors, claim
        claim.node_ports.add(hc)
    return c.errors, claim


def _init_ip_families(c: Collector, spec: dict[str, Any], network: ClusterNetwork) -> bool:
    """`initIPFamilyFields` on create: default the policy (SingleStack; RequireDualStack for a
    headless Service without selector), check the clusterIPs fields, infer families from given
    IPs, refuse families and dual-stack the cluster does not have, then default the families."""
    policy = spec.get("ipFamilyPolicy")
    if policy is None:
        headless_no_selector = spec.get("clusterIP") == "None" and not spec.get("selector")
        policy = spec["ipFamilyPolicy"] = REQUIRE_DUAL if headless_no_selector else SINGLE
    _validate_cluster_ips(c, spec)
    if c.errors:
        return False
    cips = [v for v in _list(spec.get("clusterIPs")) if isinstance(v, str)]
    fams = [v for v in _list(spec.get("ipFamilies")) if isinstance(v, str)]
    if policy == SINGLE:
        for what, count in (("cluster IPs", len(cips)), ("IP families", len(fams))):
            if count == 2:
                c.add(
                    "spec.ipFamilyPolicy",
                    INVALID,
                    policy,
                    "must be 'RequireDualStack' or 'PreferDualStack' when multiple "
                    f"{what} are specified",
                )
    for i, ip in enumerate(cips):
        if ip == "None":
            break
        fam = family_of(ip)
        if i >= len(fams):
            if fam not in network.ip_families:
                c.add(
                    f"spec.clusterIPs[{i}]",
                    INVALID,
                    _GoRepr(_go_slice(cips)),
                    f"{fam} is {NOT_CONFIGURED}",
                    at="spec.clusterIP" if i == 0 and spec.get("clusterIP") else None,
                    hint=_stack_hint(network),
                )
            else:
                fams.append(fam)
    if c.errors:
        return False
    if spec.get("clusterIP") == "None" and not spec.get("selector"):
        # headless without selector: may list families the cluster does not have
        fams = fams or [network.default_family]
        if len(fams) < 2 and policy != SINGLE:
            fams.append(IPV6 if fams[0] == IPV4 else IPV4)
        spec["ipFamilies"] = fams
        return True
    if policy == REQUIRE_DUAL and not network.dual_stack:
        c.add(
            "spec.ipFamilyPolicy",
            INVALID,
            policy,
            NOT_DUAL_STACK,
            hint=_stack_hint(network),
        )
    for i, fam in enumerate(fams):
        if fam not in network.ip_families:
            c.add(
                f"spec.ipFamilies[{i}]",
                INVALID,
                fam,
                NOT_CONFIGURED,
                hint=_stack_hint(network),
            )
    if c.errors:
        return False
    fams = fams or [network.default_family]
    if policy != SINGLE and len(fams) == 1 and network.dual_stack:
        fams.append(IPV6 if fams[0] == IPV4 else IPV4)
    spec["ipFamilies"] = fams
    return True


def _stack_hint(network: ClusterNetwork) -> str:
    if network.dual_stack:
        return ""
    return (
        f"the simulated cluster is {network.describe()}, as kind is by default; "
        "ktutor's --dual-stack flag (or a lesson's cluster: {ip_families: [IPv4, IPv6]}) "
        "simulates a dual-stack cluster"
    )


def _alloc_cluster_ips(
    c: Collector, spec: dict[str, Any], alloc: Allocations, claim: Claim
) -> bool:
    """`allocClusterIPs` for the IPs given by hand (one per family, in `ipFamilies` order); the
    empty ones are allocated by the simulation. A given IP must be in one of its family's
    ServiceCIDRs and free (`ErrAllocated`). Since MultiCIDRServiceAllocator (GA in v1.33) the
    API server allocates through K · pkg/registry/core/service/ipallocator/cidrallocator.go ·
    `MetaAllocator.getAllocator`, which answers an address no ServiceCIDR holds with
    `ErrMismatchedNetwork`; the old bitmap's `ErrNotInRange` wording is not seen any more."""
    cips = [v for v in _list(spec.get("clusterIPs")) if isinstance(v, str)]
    if cips[:1] == ["None"]:
        return True
    for i, fam in enumerate(_list(spec.get("ipFamilies"))):
        ip = cips[i] if i < len(cips) else ""
        if not ip or fam not in SERVICE_CIDRS:
            continue
        cidr = SERVICE_CIDRS[fam]
        why = hint = ""
        if ipaddress.ip_address(ip) not in cidr and not claim.stored:
            why = "the provided network does not match the current range"
            hint = (
                f"no Service range of this simulated cluster holds it: its {fam} ServiceCIDR "
                f"is {cidr}; or leave clusterIP out and one is allocated"
            )
        elif ip in alloc.cluster_ips:
            why = "provided IP is already allocated"
            hint = "another Service in this file already has this clusterIP"
        elif (holder := alloc.network.held_by(ip)) and holder != c.obj and not claim.stored:
            # a new cluster's own Services hold these (a dump's Services were allocated there)
            why = "provided IP is already allocated"
            what = (
                "the API server's Service, the range's first address"
                if holder.endswith("/kubernetes")
                else "the cluster DNS, the range's tenth address"
            )
            hint = f"{holder} holds {ip} in a kind cluster ({what}): leave clusterIP out"
        if why:
            c.add(
                "spec.clusterIPs",
                INVALID,
                _GoRepr(_go_slice(cips)),
                f"failed to allocate IP {ip}: {why}",
                at="spec.clusterIP" if i == 0 and spec.get("clusterIP") else "spec.clusterIPs",
                hint=hint,
            )
            return False
        claim.cluster_ips.add(ip)
    return True


def _node_port_problem(np: int, alloc: Allocations, claim: Claim) -> str:
    """The port allocator's refusal of a requested port, or ""."""
    lo, hi = NODE_PORT_RANGE
    if not lo <= np <= hi and not claim.stored:
        return f"provided port is not in the valid range. The range of valid ports is {lo}-{hi}"
    if np in alloc.node_ports or np in claim.node_ports:
        return "provided port is already allocated"
    return ""


def _init_node_ports(c: Collector, spec: dict[str, Any], alloc: Allocations, claim: Claim) -> bool:
    """`initNodePorts`: ports with the same `port` number share one nodePort (the first one
    requested for that number, `findRequestedNodePort`); any other requested nodePort is allocated
    again, so one nodePort on two port numbers is "already allocated" whatever the protocols."""
    allocate_lb = (
        spec.get("type") == NODE_PORT or spec.get("allocateLoadBalancerNodePorts") is not False
    )
    ports = [p if isinstance(p, dict) else {} for p in _list(spec.get("ports"))]
    by_port: dict[Any, int] = {}
    for i, p in enumerate(ports):
        raw_np = p.get("nodePort")
        np: int = raw_np if _is_int(raw_np) else 0
        if np == 0 and not allocate_lb:
            continue
        number = _key(p.get("port"))
        taken = by_port.get(number, 0)
        if taken == 0:
            requested = next(
                (
                    q["nodePort"]
                    for q in ports
                    if _key(q.get("port")) == number
                    and _is_int(q.get("nodePort"))
                    and q["nodePort"]
                ),
                0,
            )
            if not requested:
                by_port[number] = -1  # the simulation allocates one for this port number
                continue
            why = _node_port_problem(requested, alloc, claim)
            if why:
                c.add(f"spec.ports[{i}].nodePort", INVALID, requested, why, hint=_np_hint(why))
                return False
            claim.node_ports.add(requested)
            p["nodePort"] = by_port[number] = requested
        elif np not in (0, taken):
            why = _node_port_problem(np, alloc, claim)
            if why:
                c.add(f"spec.ports[{i}].nodePort", INVALID, np, why, hint=_np_hint(why))
                return False
            claim.node_ports.add(np)
    return True


def _np_hint(why: str) -> str:
    if "already" in why:
        return (
            "a nodePort belongs to one Service port number (ports with the same number, e.g. "
            "53/TCP and 53/UDP, share it): pick another or leave it out to get one allocated"
        )
    return "nodePorts come from 30000-32767; leave nodePort out and one is allocated"


def _validate_meta_only(
    data: dict[str, Any], doc: Document, prefix: Path, obj: str, kind: str
) -> Collector:
    c = Collector(doc, prefix, obj, kind)
    validate_object_meta(c, data.get("metadata"), "subdomain")
    return c


def validate_name_given(
    data: dict[str, Any], doc: Document, prefix: Path, obj: str, kind: str
) -> list[FieldError]:
    """The one check of `ValidateObjectMeta` that holds for every kind, a ConfigMap or a
    custom resource the model does not read included: `metadata.name: Required value: name or
    generateName is required` (K · staging/src/k8s.io/apimachinery/pkg/api/validation/
    objectmeta.go · `ValidateObjectMetaAccessor`). Name rules differ per kind: not judged."""
    meta = data.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    if meta.get("name") or meta.get("generateName"):
        return []
    c = Collector(doc, prefix, obj, kind)
    validate_object_meta(c, meta, "subdomain")
    return [e for e in c.errors if e.path == "metadata.name"]


def validate_meta(
    data: dict[str, Any], doc: Document, prefix: Path, obj: str, kind: str
) -> list[FieldError]:
    """`ValidateObjectMeta` alone, for the kinds whose name is a DNS-1123 subdomain and whose
    spec the model only reads: Node (EndpointSlice and Endpoints add their own checks:
    `validate_endpoint_slice`, `validate_endpoints`). A nameless one is
    refused with `metadata.name: Required value: name or generateName is required`."""
    return _validate_meta_only(data, doc, prefix, obj, kind).errors


ADDRESS_TYPES = ("FQDN", "IPv4", "IPv6")
"""`supportedAddressTypes` of K · pkg/apis/discovery/validation/validation.go (FQDN is
deprecated but still accepted; kube-proxy reads only IPv4 and IPv6 slices)."""


def validate_endpoint_slice(
    data: dict[str, Any], doc: Document, prefix: Path, obj: str, kind: str
) -> list[FieldError]:
    """ObjectMeta, `addressType` and the endpoints' addresses (K ·
    pkg/apis/discovery/validation/validation.go · `ValidateEndpointSlice`): `validateAddressType`
    (empty is `addressType: Required value`, anything but FQDN, IPv4 or IPv6, case-sensitive,
    `addressType: Unsupported value: "ipv4": supported values: "FQDN", "IPv4", "IPv6"`), and
    `validateEndpoints`: an endpoint has at least one address, and in an IPv4 or IPv6 slice
    each is an address of that family (`IsValidIPv4Address`, Go's sloppy parser) that is not
    special (`ValidateEndpointIP`: unspecified, loopback, link-local); in an FQDN slice each is
    a fully qualified domain name (`IsFullyQualifiedDomainName`); at most 1,000 endpoints of at
    most 100 addresses (`field.TooMany`), a nodeName a DNS-1123 subdomain (`ValidateNodeName`),
    a hostname a DNS-1123 label, the hints (`validateHints`); then `validatePorts`.

    `endpoints[].deprecatedTopology` is never refused: validateEndpoints would check it as
    labels (at most `maxTopologyLabels` 16, `ValidateLabels`), but v1.35 serves discovery only
    as v1, and for a v1 write the strategy clears it before validation runs (K ·
    pkg/registry/discovery/endpointslice/strategy.go · `PrepareForCreate` and
    `PrepareForUpdate` → `dropTopologyOnV1`; its v1 field doc: "not writable through the v1
    API, and any attempts to write to it will be silently ignored"). So the model accepts it
    whatever it holds and reads nothing from it: an endpoint's node is its `nodeName`, never
    the map's `kubernetes.io/hostname`."""
    c = _validate_meta_only(data, doc, prefix, obj, kind)
    address_type = data.get("addressType")
    if address_type is None or address_type == "":
        c.add("addressType", REQUIRED, hint="say which addresses the slice holds: IPv4 or IPv6")
    elif address_type not in ADDRESS_TYPES:
        c.not_supported(
            "addressType", address_type, ADDRESS_TYPES, hint=_case_hint(address_type, ADDRESS_TYPES)
        )
    endpoints = _list(data.get("endpoints"))
    if len(endpoints) > MAX_SLICE_ENDPOINTS:
        c.add("endpoints", TOO_MANY, len(endpoints), _at_most(MAX_SLICE_ENDPOINTS))
        endpoints = []  # and none of them is looked at
    for i, endpoint in enumerate(endpoints):
        if not isinstance(endpoint, dict):
            continue
        at = f"endpoints[{i}].addresses"
        addresses = _list(endpoint.get("addresses"))
        if not addresses:
            c.add(at, REQUIRED, detail="must contain at least 1 address")
        elif len(addresses) > MAX_SLICE_ADDRESSES:
            c.add(at, TOO_MANY, len(addresses), _at_most(MAX_SLICE_ADDRESSES))
        _validate_slice_addresses(c, at, addresses, address_type)
        node = endpoint.get("nodeName")
        if isinstance(node, str):
            for msg in names.is_dns1123_subdomain(node):
                c.add(f"endpoints[{i}].nodeName", INVALID, node, msg)
        hostname = endpoint.get("hostname")
        if isinstance(hostname, str):
            for msg in names.is_dns1123_label(hostname):
                c.add(f"endpoints[{i}].hostname", INVALID, hostname, msg)
        hints = endpoint.get("hints")
        if isinstance(hints, dict):
            _validate_slice_hints(c, f"endpoints[{i}].hints", hints)
    _validate_slice_ports(c, data.get("ports"))
    return c.errors


MAX_ZONE_HINTS = MAX_NODE_HINTS = 8
"""`maxZoneHints` and `maxNodeHints` of K · pkg/apis/discovery/validation (the v1 field docs:
"May contain a maximum of 8 entries")."""


def _validate_slice_hints(c: Collector, at: str, hints: dict[str, Any]) -> None:
    """K · pkg/apis/discovery/validation · `validateHints`: at most 8 `forZones`, each name once
    (`field.Duplicate`) and a label value (`IsValidLabelValue`), then at most 8 `forNodes`,
    each name once and a node name (`ValidateNodeName`: a DNS-1123 subdomain). Too many of
    either returns at once, as upstream's early `return allErrs` does: nothing after it is
    looked at. A hand-written slice's hints matter: kube-proxy filters endpoints by them
    (`topologyModeFromHints`), and the API server refuses the slice before any kube-proxy
    could."""
    for key, limit, check in (
        ("forZones", MAX_ZONE_HINTS, names.is_label_value),
        ("forNodes", MAX_NODE_HINTS, names.is_dns1123_subdomain),
    ):
        entries = _list(hints.get(key))
        if len(entries) > limit:
            c.add(f"{at}.{key}", TOO_MANY, len(entries), _at_most(limit))
            return
        seen: set[str] = set()
        for j, entry in enumerate(entries):
            name = entry.get("name") if isinstance(entry, dict) else None
            if not isinstance(name, str):
                continue
            path = f"{at}.{key}[{j}].name"
            if name in seen:
                c.add(path, DUPLICATE, name)
            seen.add(name)
            for msg in check(name):
                c.add(path, INVALID, name, msg)


MAX_SLICE_ENDPOINTS, MAX_SLICE_ADDRESSES, MAX_SLICE_PORTS = 1000, 100, 20000
"""`maxEndpoints`, `maxAddresses` and `maxPorts` of K · pkg/apis/discovery/validation (ports:
20,000 since v1.21, kubernetes#99795, for Services with more than 100 ports; 100 before)."""


def _at_most(n: int) -> str:
    """`field.TooMany`'s detail."""
    return f"must have at most {n} {'item' if n == 1 else 'items'}"


def _validate_slice_addresses(
    c: Collector, at: str, addresses: list[Any], address_type: Any
) -> None:
    """One endpoint's addresses, by the slice's `addressType` (an unknown type is not looked
    at, as upstream's switch falls through)."""
    for j, address in enumerate(addresses):
        if not isinstance(address, str):
            continue
        if address_type == "FQDN":
            _validate_fqdn(c, f"{at}[{j}]", address)
            continue
        if address_type not in (IPV4, IPV6) or (
            address_type == IPV4 and _PLAIN_IPV4.match(address) is not None
        ):
            continue
        ip = _parse_ip_sloppy(address)
        if ip is None or family_of(str(ip)) != address_type:
            c.add(f"{at}[{j}]", INVALID, address, f"must be a valid {address_type} address")
        for msg in _endpoint_ip(address, ip):
            c.add(f"{at}[{j}]", INVALID, address, msg)


_PLAIN_IPV4 = re.compile(
    r"(?!0\.|127\.|169\.|224\.)"  # where the special ranges are: the full checks decide
    r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
    r"(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\Z"
)
"""A canonical dotted quad outside 0/8, 127/8, 169/8 and 224/8: a valid IPv4 address that is
not special, known without parsing it three times (`_parse_ip_sloppy`, `family_of`,
`non_special_ip`): a dump's 10,000 slice addresses cost 0.3 s that way."""


def _validate_fqdn(c: Collector, path: str, address: str) -> None:
    """K · staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go ·
    `IsFullyQualifiedDomainName`: a trailing dot is dropped, then the name is a DNS-1123
    subdomain of at least two labels, each at most 63 bytes; the first failure alone is
    reported (its messages joined by a bare comma, as Go joins them), with the value it
    failed on: the name without its dot, or the one label."""
    if not address:
        c.add(path, REQUIRED)
        return
    name = address[:-1] if address.endswith(".") else address
    errs = names.is_dns1123_subdomain(name)
    if errs:
        c.add(path, INVALID, name, ",".join(errs))
        return
    labels = name.split(".")
    if len(labels) < 2:
        c.add(
            path, INVALID, name, "should be a domain with at least two segments separated by dots"
        )
        return
    for label in labels:
        errs = names.is_dns1123_label(label)
        if errs:
            c.add(path, INVALID, label, ",".join(errs))
            return


def _endpoint_ip(
    address: str, ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None
) -> list[str]:
    """K · pkg/apis/core/validation/validation.go · `ValidateEndpointIP` on `address` (`ip` is
    `_parse_ip_sloppy(address)`): not an address, or unspecified, loopback or link-local, each
    message naming the address as written (`may not be unspecified (000.0.0.0)`)."""
    if ip is None:
        return ["must be a valid IP address"]
    return [
        msg.replace(f"({ip})", f"({address})") if msg.startswith("may not be unspecified") else msg
        for msg in names.non_special_ip(str(ip))
    ]


def validate_endpoints(
    data: dict[str, Any], doc: Document, prefix: Path, obj: str, kind: str
) -> list[FieldError]:
    """A legacy v1 Endpoints object (K · pkg/apis/core/validation/validation.go ·
    `ValidateEndpoints` → `validateEndpointSubsets`): ObjectMeta (a DNS-1123 subdomain name),
    then per subset: at least one of `addresses` and `notReadyAddresses` (`subsets[0]: Required
    value: must specify `addresses` or `notReadyAddresses``), each address
    (`validateEndpointAddress`) and each port (`validateEndpointPort`, a name required when the
    subset has more than one). A refused one is never mirrored into a slice."""
    c = _validate_meta_only(data, doc, prefix, obj, kind)
    for i, subset in enumerate(_list(data.get("subsets"))):
        if not isinstance(subset, dict):
            continue
        at = f"subsets[{i}]"
        ready, not_ready = _list(subset.get("addresses")), _list(subset.get("notReadyAddresses"))
        if not ready and not not_ready:
            c.add(at, REQUIRED, detail="must specify `addresses` or `notReadyAddresses`")
        for section, addresses in (("addresses", ready), ("notReadyAddresses", not_ready)):
            for j, address in enumerate(addresses):
                if isinstance(address, dict):
                    _validate_endpoint_address(c, f"{at}.{section}[{j}]", address)
        ports = _list(subset.get("ports"))
        for j, port in enumerate(ports):
            if isinstance(port, dict):
                _validate_endpoint_port(c, f"{at}.ports[{j}]", port, len(ports) > 1)
    return c.errors


def _validate_endpoint_address(c: Collector, path: str, address: dict[str, Any]) -> None:
    """`validateEndpointAddress`: the IP (`IsValidIPForLegacyField`: Go's sloppy parser, a
    missing one is ""), the hostname a DNS-1123 label, the nodeName a DNS-1123 subdomain
    (`ValidateNodeName`), then `ValidateEndpointIP` (so a bad IP is reported twice, as the API
    server does)."""
    value = address.get("ip")
    ip_text = value if isinstance(value, str) else ""
    ip = _parse_ip_sloppy(ip_text)
    if ip is None:
        for msg in names.is_valid_ip(ip_text):
            c.add(f"{path}.ip", INVALID, ip_text, msg)
    hostname = address.get("hostname")
    if isinstance(hostname, str) and hostname:
        for msg in names.is_dns1123_label(hostname):
            c.add(f"{path}.hostname", INVALID, hostname, msg)
    node = address.get("nodeName")
    if isinstance(node, str):
        for msg in names.is_dns1123_subdomain(node):
            c.add(f"{path}.nodeName", INVALID, node, msg)
    for msg in _endpoint_ip(ip_text, ip):
        c.add(f"{path}.ip", INVALID, ip_text, msg)


def _validate_endpoint_port(
    c: Collector, path: str, port: dict[str, Any], require_name: bool
) -> None:
    """`validateEndpointPort`, after v1 defaulting (`SetDefaults_Endpoints`: an empty protocol
    is TCP): a name (required when the subset has several ports) is a DNS-1123 label, the port
    1-65535 (a missing one is 0), the protocol TCP, UDP or SCTP, an appProtocol a qualified
    name."""
    name = port.get("name")
    name = name if isinstance(name, str) else ""
    if require_name and not name:
        c.add(f"{path}.name", REQUIRED)
    elif name:
        for msg in names.is_dns1123_label(name):
            c.add(f"{path}.name", INVALID, name, msg)
    number = port.get("port")
    if number is None or _is_int(number):
        for msg in names.is_valid_port_num(number or 0):
            c.add(f"{path}.port", INVALID, number or 0, msg)
    _validate_protocols(c, path, port, empty_is_tcp=True)


def _validate_protocols(
    c: Collector, path: str, port: dict[str, Any], *, empty_is_tcp: bool = False
) -> None:
    """A port's `protocol` one of TCP, UDP, SCTP and its `appProtocol` a qualified name: the
    same two checks in v1 Endpoints' `validateEndpointPort` and discovery's `validatePorts`.
    Defaulting differs: v1's SetDefaults_EndpointPort makes an empty protocol TCP, discovery's
    only a missing one (its `protocol: ""` is refused)."""
    protocol = port.get("protocol")
    if empty_is_tcp and not protocol:
        protocol = "TCP"
    if isinstance(protocol, str) and protocol not in PROTOCOLS:
        c.not_supported(f"{path}.protocol", protocol, PROTOCOLS)
    app = port.get("appProtocol")
    if isinstance(app, str):
        for msg in names.is_qualified_name(app):
            c.add(f"{path}.appProtocol", INVALID, app, msg)


def _validate_slice_ports(c: Collector, ports: Any) -> None:
    """`validatePorts` of K · pkg/apis/discovery/validation/validation.go: a name is a DNS-1123
    label and unique in the slice (discovery/v1 defaults a missing one to "", so two unnamed
    ports clash), the protocol (defaulted to TCP) one of TCP, UDP, SCTP, an appProtocol a
    qualified name; more than 20,000 ports is refused without looking at them."""
    seen: set[str] = set()
    ports = _list(ports)
    if len(ports) > MAX_SLICE_PORTS:
        c.add("ports", TOO_MANY, len(ports), _at_most(MAX_SLICE_PORTS))
        return
    for i, port in enumerate(ports):
        if not isinstance(port, dict):
            continue
        name = port.get("name") or ""
        if isinstance(name, str):
            for msg in names.is_dns1123_label(name) if name else ():
                c.add(f"ports[{i}].name", INVALID, name, msg)
            if name in seen:
                c.add(f"ports[{i}].name", DUPLICATE, name)
            seen.add(name)
        _validate_protocols(c, f"ports[{i}]", port)


def _parse_ip_sloppy(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """`netutils.ParseIPSloppy`: Go's `net.ParseIP`, which still accepts leading zeros in IPv4
    octets; None when Go would refuse it."""
    if ":" not in value:
        octets = value.split(".")
        if len(octets) != 4 or not all(o.isascii() and o.isdigit() and len(o) <= 3 for o in octets):
            return None
        if any(int(o) > 255 for o in octets):
            return None
        value = ".".join(str(int(o)) for o in octets)
    if "%" in value:
        return None
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def validate_pod_meta(
    data: dict[str, Any], doc: Document, prefix: Path, obj: str, kind: str
) -> list[FieldError]:
    """A Pod's name is a DNS-1123 subdomain; its labels follow `ValidateLabels`."""
    c = _validate_meta_only(data, doc, prefix, obj, kind)
    _validate_containers_present(c, data.get("spec"), "spec")
    _validate_container_ports(c, data.get("spec"), "spec")
    return c.errors


def validate_template_meta(
    data: dict[str, Any], doc: Document, prefix: Path, obj: str, kind: str
) -> list[FieldError]:
    """A Job or ReplicationController: its ObjectMeta and its Pod template's containers (K ·
    pkg/apis/batch/validation · `ValidateJobSpec`, pkg/apis/core/validation ·
    `ValidateReplicationControllerSpec`, both through `ValidatePodTemplateSpec`); no
    matchLabels to check: a Job's selector is generated, an RC's defaulted."""
    c = _validate_meta_only(data, doc, prefix, obj, kind)
    spec = data.get("spec")
    template = spec.get("template") if isinstance(spec, dict) else None
    tspec = template.get("spec") if isinstance(template, dict) else None
    _validate_containers_present(c, tspec, "spec.template.spec")
    if isinstance(tspec, dict):
        _validate_container_ports(c, tspec, "spec.template.spec")
    if kind == "Job" and isinstance(spec, dict):
        _validate_job_restart_policy(c, spec, tspec if isinstance(tspec, dict) else {})
    return c.errors


def _validate_containers_present(c: Collector, spec: Any, base: str) -> None:
    """A Pod (or a workload's Pod template) runs at least one container (K · pkg/apis/core/
    validation/validation.go · `validateContainers`: `len(containers) == 0` is
    `field.Required(fldPath, "")`, so a missing list and an empty one are both refused:
    `spec.containers: Required value`). A list of the wrong type is the decoder's error."""
    containers = spec.get("containers") if isinstance(spec, dict) else None
    if containers is None or (isinstance(containers, list) and not containers):
        c.add(
            f"{base}.containers",
            REQUIRED,
            hint="a Pod runs at least one container: containers: [{name: web, image: nginx}]",
        )


def _validate_container_ports(c: Collector, spec: Any, base: str) -> None:
    if not isinstance(spec, dict):
        return
    for section in ("containers", "initContainers"):
        for ci, cont in enumerate(_list(spec.get(section))):
            if not isinstance(cont, dict):
                continue
            for pi, port in enumerate(_list(cont.get("ports"))):
                if not isinstance(port, dict):
                    continue
                num = port.get("containerPort")
                name = port.get("name")
                proto = port.get("protocol")
                if (
                    num.__class__ is int
                    and 0 < num < 65536
                    and (
                        name is None
                        or (name.__class__ is str and not names.is_valid_port_name(name))
                    )
                    and (proto is None or proto in PROTOCOLS)
                ):
                    continue  # the common case, without a path string per port
                path = f"{base}.{section}[{ci}].ports[{pi}]"
                if num is None:
                    c.add(f"{path}.containerPort", REQUIRED, at=path)
                elif _is_int(num):
                    for msg in names.is_valid_port_num(num):
                        c.add(f"{path}.containerPort", INVALID, num, msg)
                if isinstance(name, str) and name:
                    for msg in names.is_valid_port_name(name):
                        c.add(f"{path}.name", INVALID, name, msg)
                if isinstance(proto, str) and proto and proto not in PROTOCOLS:
                    c.not_supported(
                        f"{path}.protocol", proto, PROTOCOLS, hint=_case_hint(proto, PROTOCOLS)
                    )


def validate_workload(
    data: dict[str, Any], doc: Document, prefix: Path, obj: str, kind: str
) -> list[FieldError]:
    """ObjectMeta, replicas >= 0, a selector, and a template whose labels the selector matches
    (K · pkg/apis/apps/validation/validation.go · `ValidateDeploymentSpec`)."""
    c = _validate_meta_only(data, doc, prefix, obj, kind)
    spec = data.get("spec")
    if not isinstance(spec, dict):
        c.add("spec", REQUIRED)
        return c.errors
    replicas = spec.get("replicas")
    if _is_int(replicas) and replicas < 0:
        c.add("spec.replicas", INVALID, replicas, "must be greater than or equal to 0")
    sel = spec.get("selector")
    match = sel.get("matchLabels") if isinstance(sel, dict) else None
    template: dict[str, Any] = spec["template"] if isinstance(spec.get("template"), dict) else {}
    tmeta: dict[str, Any] = (
        template["metadata"] if isinstance(template.get("metadata"), dict) else {}
    )
    tlabels: dict[str, Any] = tmeta["labels"] if isinstance(tmeta.get("labels"), dict) else {}
    if not isinstance(sel, dict) or (not match and not sel.get("matchExpressions")):
        c.add(
            "spec.selector",
            REQUIRED,
            hint="a workload needs selector.matchLabels naming its Pods' labels",
        )
    elif isinstance(match, dict):
        validate_labels(c, match, "spec.selector.matchLabels")
        if any(tlabels.get(k) != v for k, v in match.items()):
            shown = (
                "map[string]string{"
                + ", ".join(f'"{k}":"{v}"' for k, v in sorted(tlabels.items()))
                + "}"
            )
            c.add(
                "spec.template.metadata.labels",
                INVALID,
                _GoRepr(shown),
                "`selector` does not match template `labels`",
                hint="every selector.matchLabels pair must also be a template label",
            )
    validate_labels(c, tlabels, "spec.template.metadata.labels")
    tspec = template.get("spec")
    _validate_containers_present(c, tspec, "spec.template.spec")
    if isinstance(tspec, dict):
        _validate_container_ports(c, tspec, "spec.template.spec")
    return c.errors


def _validate_job_restart_policy(c: Collector, spec: dict[str, Any], tspec: dict[str, Any]) -> None:
    """A Job's Pods end: `restartPolicy` OnFailure or Never (K · pkg/apis/batch/validation/
    validation.go · `validateJobSpec`). Left out, it is defaulted to Always like any Pod's,
    and both are `Required value: valid values: "OnFailure", "Never"`; with a
    podFailurePolicy only Never is accepted."""
    path = "spec.template.spec.restartPolicy"
    policy = tspec.get("restartPolicy")
    if policy in (None, "", "Always"):
        c.add(
            path,
            REQUIRED,
            detail='valid values: "OnFailure", "Never"',
            hint="a Job's Pods run to completion: add restartPolicy: Never (or OnFailure) "
            "to the Pod template's spec",
        )
    elif policy not in ("OnFailure", "Never"):
        c.add(path, UNSUPPORTED, policy, 'supported values: "OnFailure", "Never"')
    elif spec.get("podFailurePolicy") is not None and policy != "Never":
        c.add(path, INVALID, policy, 'only "Never" is supported when podFailurePolicy is specified')
