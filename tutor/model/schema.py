"""Strict decoding: unknown fields, duplicate keys and wrong types, as `kubectl apply` reports them.

kubectl sends objects with `fieldValidation=Strict` (the default since v1.27), so the API server
rejects a `selectr:` typo instead of ignoring it (K · staging/src/k8s.io/apimachinery/pkg/runtime/
serializer/json · strict decoding). The field lists below are the v1 API types' JSON names
(K · staging/src/k8s.io/api/core/v1/types.go, apps/v1/types.go); sub-structures the routing model
does not read (probes, volumes, affinity...) are accepted as they are.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from .errors import DECODING, INVALID, REQUIRED, FieldError
from .paths import Path, format_path
from .yamldoc import Document

# A type is one of these strings, a dict of fields (an object), or a one-item list (a list of it).
ANY = "any"
STR = "string"
INT = "int32"
INT64 = "int64"
BOOL = "boolean"
INTSTR = "int-or-string"
STRMAP = "map[string]string"

Type = Any

OBJECT_META: dict[str, Type] = {
    "name": STR,
    "generateName": STR,
    "namespace": STR,
    "selfLink": STR,
    "uid": STR,
    "resourceVersion": STR,
    "generation": INT64,
    "creationTimestamp": ANY,
    "deletionTimestamp": ANY,
    "deletionGracePeriodSeconds": INT64,
    "labels": STRMAP,
    "annotations": STRMAP,
    "ownerReferences": ANY,
    "finalizers": [STR],
    "managedFields": ANY,
}

SERVICE_PORT: dict[str, Type] = {
    "name": STR,
    "protocol": STR,
    "appProtocol": STR,
    "port": INT,
    "targetPort": INTSTR,
    "nodePort": INT,
}

SERVICE_SPEC: dict[str, Type] = {
    "ports": [SERVICE_PORT],
    "selector": STRMAP,
    "clusterIP": STR,
    "clusterIPs": [STR],
    "type": STR,
    "externalIPs": [STR],
    "sessionAffinity": STR,
    "loadBalancerIP": STR,
    "loadBalancerSourceRanges": [STR],
    "externalName": STR,
    "externalTrafficPolicy": STR,
    "healthCheckNodePort": INT,
    "publishNotReadyAddresses": BOOL,
    "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": INT}},
    "ipFamilies": [STR],
    "ipFamilyPolicy": STR,
    "allocateLoadBalancerNodePorts": BOOL,
    "loadBalancerClass": STR,
    "internalTrafficPolicy": STR,
    "trafficDistribution": STR,
}

CONTAINER_PORT: dict[str, Type] = {
    "name": STR,
    "hostPort": INT,
    "containerPort": INT,
    "protocol": STR,
    "hostIP": STR,
}

CONTAINER: dict[str, Type] = {
    "name": STR,
    "image": STR,
    "command": [STR],
    "args": [STR],
    "workingDir": STR,
    "ports": [CONTAINER_PORT],
    "envFrom": ANY,
    "env": ANY,
    "resources": ANY,
    "resizePolicy": ANY,
    "restartPolicy": STR,
    "restartPolicyRules": ANY,
    "volumeMounts": ANY,
    "volumeDevices": ANY,
    "livenessProbe": ANY,
    "readinessProbe": ANY,
    "startupProbe": ANY,
    "lifecycle": ANY,
    "terminationMessagePath": STR,
    "terminationMessagePolicy": STR,
    "imagePullPolicy": STR,
    "securityContext": ANY,
    "stdin": BOOL,
    "stdinOnce": BOOL,
    "tty": BOOL,
}

POD_SPEC: dict[str, Type] = {
    "volumes": ANY,
    "initContainers": [CONTAINER],
    "containers": [CONTAINER],
    "ephemeralContainers": ANY,
    "restartPolicy": STR,
    "terminationGracePeriodSeconds": INT64,
    "activeDeadlineSeconds": INT64,
    "dnsPolicy": STR,
    "nodeSelector": STRMAP,
    "serviceAccountName": STR,
    "serviceAccount": STR,
    "automountServiceAccountToken": BOOL,
    "nodeName": STR,
    "hostNetwork": BOOL,
    "hostPID": BOOL,
    "hostIPC": BOOL,
    "shareProcessNamespace": BOOL,
    "securityContext": ANY,
    "imagePullSecrets": ANY,
    "hostname": STR,
    "subdomain": STR,
    "affinity": ANY,
    "schedulerName": STR,
    "tolerations": ANY,
    "hostAliases": ANY,
    "priorityClassName": STR,
    "priority": INT,
    "dnsConfig": ANY,
    "readinessGates": ANY,
    "runtimeClassName": STR,
    "enableServiceLinks": BOOL,
    "preemptionPolicy": STR,
    "overhead": ANY,
    "topologySpreadConstraints": ANY,
    "setHostnameAsFQDN": BOOL,
    "os": ANY,
    "hostUsers": BOOL,
    "schedulingGates": ANY,
    "resourceClaims": ANY,
    "resources": ANY,
    "hostnameOverride": STR,
}

POD_STATUS: dict[str, Type] = {
    "phase": STR,
    "conditions": [
        {
            "type": STR,
            "status": STR,
            "lastProbeTime": ANY,
            "lastTransitionTime": ANY,
            "reason": STR,
            "message": STR,
            "observedGeneration": INT64,
        }
    ],
    "message": STR,
    "reason": STR,
    "nominatedNodeName": STR,
    "hostIP": STR,
    "hostIPs": ANY,
    "podIP": STR,
    "podIPs": [{"ip": STR}],
    "startTime": ANY,
    "initContainerStatuses": ANY,
    "containerStatuses": ANY,
    "qosClass": STR,
    "ephemeralContainerStatuses": ANY,
    "resize": STR,
    "resourceClaimStatuses": ANY,
    "observedGeneration": INT64,
    "extendedResourceClaimStatus": ANY,
}

TOP: dict[str, Type] = {"apiVersion": STR, "kind": STR, "metadata": OBJECT_META}

LABEL_SELECTOR: dict[str, Type] = {"matchLabels": STRMAP, "matchExpressions": ANY}

POD_TEMPLATE: dict[str, Type] = {"metadata": OBJECT_META, "spec": POD_SPEC}

SCHEMAS: dict[str, dict[str, Type]] = {
    "Service": {**TOP, "spec": SERVICE_SPEC, "status": ANY},
    "Pod": {**TOP, "spec": POD_SPEC, "status": POD_STATUS},
    "Deployment": {
        **TOP,
        "spec": {
            "replicas": INT,
            "selector": LABEL_SELECTOR,
            "template": POD_TEMPLATE,
            "strategy": ANY,
            "minReadySeconds": INT,
            "revisionHistoryLimit": INT,
            "paused": BOOL,
            "progressDeadlineSeconds": INT,
        },
        "status": ANY,
    },
    "ReplicaSet": {
        **TOP,
        "spec": {
            "replicas": INT,
            "selector": LABEL_SELECTOR,
            "template": POD_TEMPLATE,
            "minReadySeconds": INT,
        },
        "status": ANY,
    },
    "StatefulSet": {
        **TOP,
        "spec": {
            "replicas": INT,
            "selector": LABEL_SELECTOR,
            "template": POD_TEMPLATE,
            "serviceName": STR,
            "podManagementPolicy": STR,
            "updateStrategy": ANY,
            "volumeClaimTemplates": ANY,
            "revisionHistoryLimit": INT,
            "minReadySeconds": INT,
            "persistentVolumeClaimRetentionPolicy": ANY,
            "ordinals": ANY,
        },
        "status": ANY,
    },
    "DaemonSet": {
        **TOP,
        "spec": {
            "selector": LABEL_SELECTOR,
            "template": POD_TEMPLATE,
            "updateStrategy": ANY,
            "minReadySeconds": INT,
            "revisionHistoryLimit": INT,
        },
        "status": ANY,
    },
    "ReplicationController": {
        **TOP,
        "spec": {
            "replicas": INT,
            "minReadySeconds": INT,
            "selector": STRMAP,
            "template": POD_TEMPLATE,
        },
        "status": ANY,
    },
    "Job": {
        **TOP,
        "spec": {
            "parallelism": INT,
            "completions": INT,
            "activeDeadlineSeconds": INT64,
            "podFailurePolicy": ANY,
            "successPolicy": ANY,
            "backoffLimit": INT,
            "backoffLimitPerIndex": INT,
            "maxFailedIndexes": INT,
            "selector": LABEL_SELECTOR,
            "manualSelector": BOOL,
            "template": POD_TEMPLATE,
            "ttlSecondsAfterFinished": INT,
            "completionMode": STR,
            "suspend": BOOL,
            "podReplacementPolicy": STR,
            "managedBy": STR,
        },
        "status": ANY,
    },
}

_YAML11_HINT = (
    'YAML reads the unquoted {raw} as {what}; Kubernetes wants a string here, so quote it: "{raw}"'
)


def _value_text(value: Any) -> str:
    """A wrong value as the learner wrote it, never a Python repr: strings quoted as Go's %q
    quotes them, maps and lists as compact JSON (cut at 60 characters)."""
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    return "a " + type(value).__name__


def _expected(t: Type) -> str:
    if isinstance(t, dict):
        return "a map of fields"
    if isinstance(t, list):
        return "a list"
    return {
        STR: "a string",
        INT: "a whole number (int32)",
        INT64: "a whole number",
        BOOL: "true or false",
        INTSTR: "a port number or a port name",
        STRMAP: "a map of string keys to string values",
    }.get(t, str(t))


class Decoder:
    """Walks one document against a kind's schema and collects decoding errors."""

    def __init__(self, doc: Document, prefix: Path, obj: str, kind: str) -> None:
        self.doc = doc
        self.prefix = prefix
        self.obj = obj
        self.kind = kind
        self.errors: list[FieldError] = []

    def _err(
        self,
        path: Path,
        detail: str,
        hint: str = "",
        *,
        typ: str = DECODING,
        value: Any = None,
        use_value: bool = False,
    ) -> None:
        span = self.doc.span(self.prefix + path)
        line, col = (span.line, span.column) if span else (self.doc.line, 1)
        kwargs: dict[str, Any] = {}
        if use_value:
            kwargs["value"] = value
        self.errors.append(
            FieldError(
                format_path(path),
                typ,
                detail,
                line=line,
                column=col,
                object=self.obj,
                kind=self.kind,
                hint=hint,
                **kwargs,
            )
        )

    def _raw(self, path: Path) -> str | None:
        span = self.doc.exact(self.prefix + path)
        return span.raw if span else None

    def check(self, value: Any, t: Type, path: Path) -> None:
        if value is None or t == ANY:
            return  # null means "not set", as in JSON
        if isinstance(t, dict):
            if not isinstance(value, dict):
                self._wrong_type(value, t, path)
                return
            for key, sub in value.items():
                if key not in t:
                    self._unknown(key, list(t), path)
                else:
                    self.check(sub, t[key], (*path, key))
            return
        if isinstance(t, list):
            if not isinstance(value, list):
                self._wrong_type(value, t, path)
                return
            for i, item in enumerate(value):
                self.check(item, t[0], (*path, i))
            return
        if t == STRMAP:
            if not isinstance(value, dict):
                self._wrong_type(value, t, path)
                return
            for key, sub in value.items():
                if sub is not None and not isinstance(sub, str):
                    self._wrong_scalar(sub, STR, (*path, key))
            return
        if t == STR:
            if not isinstance(value, str):
                self._wrong_scalar(value, t, path)
        elif t in (INT, INT64):
            if isinstance(value, bool) or not isinstance(value, int):
                self._wrong_scalar(value, t, path)
            elif t == INT and not -(2**31) <= value < 2**31:
                self._err(
                    path, f"{format_path(path)}: {value} does not fit in an int32", typ=DECODING
                )
        elif t == BOOL:
            if not isinstance(value, bool):
                self._wrong_scalar(value, t, path)
        elif t == INTSTR and (isinstance(value, bool) or not isinstance(value, (int, str))):
            self._wrong_scalar(value, t, path)

    def _unknown(self, key: str, known: list[str], path: Path) -> None:
        full = format_path((*path, key))
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        if not close:
            lowered = {k.lower(): k for k in known}
            if key.lower() in lowered:
                close = [lowered[key.lower()]]
        hint = (
            f"did you mean `{close[0]}`? Field names are case-sensitive."
            if close
            else (
                f"`{format_path(path) or 'the top level'}` has no field `{key}`; "
                f"its fields are: {', '.join(sorted(known))}"
            )
        )
        self._err((*path, key), f'unknown field "{full}"', hint)

    def _wrong_type(self, value: Any, t: Type, path: Path) -> None:
        expected = _expected(t)
        hint = ""
        if isinstance(t, list) and isinstance(value, dict):
            hint = 'a list item starts with "- " (for example "- port: 80")'
        elif isinstance(t, dict) and isinstance(value, list):
            hint = 'this is a map of fields: remove the "- " in front of them'
        self._err(path, f"{format_path(path)}: expected {expected}, got {_type_name(value)}", hint)

    def _wrong_scalar(self, value: Any, t: Type, path: Path) -> None:
        raw = self._raw(path)
        hint = ""
        if t == STR and raw is not None:
            what = {
                bool: f"the boolean {str(value).lower()}",
                float: f"the number {value!r}",
                int: f"the number {value!r}",
            }.get(type(value), _type_name(value))
            hint = _YAML11_HINT.format(raw=raw, what=what)
        elif t in (INT, INT64, INTSTR) and isinstance(value, str) and value.strip().isdigit():
            hint = f"write the number without quotes: {value.strip()}"
        elif t in (INT, INT64) and isinstance(value, float):
            hint = "use a whole number"
        elif t == BOOL and isinstance(value, str):
            hint = "write true or false without quotes"
        shown = raw if raw is not None else _value_text(value)
        self._err(
            path,
            f"{format_path(path)}: expected {_expected(t)}, got {_type_name(value)} {shown}",
            hint,
            typ=DECODING,
        )


def decode(
    doc: Document, data: dict[str, Any], kind: str, prefix: Path, obj: str
) -> list[FieldError]:
    """Strict-decode one object; duplicate keys inside it are reported here too."""
    keys = key_errors(doc, prefix, obj, kind)
    schema = SCHEMAS.get(kind)
    if not keys and (schema is None or fits(data, schema)):
        return []  # the common case: no Decoder, no walk with paths
    dec = Decoder(doc, prefix, obj, kind)
    dec.errors.extend(keys)
    if schema is not None and not fits(data, schema):
        dec.check(data, schema, ())
    return dec.errors


def key_errors(doc: Document, prefix: Path, obj: str, kind: str) -> list[FieldError]:
    """The duplicate and complex keys inside one object, as strict decoding refuses them
    whatever the kind (a ConfigMap's or a custom resource's too: the API server's JSON
    decoder finds them before any schema, K · staging/src/k8s.io/apimachinery/pkg/runtime/
    serializer/json · `json.go` strict errors)."""
    duplicates, complex_keys = doc.problems_under(prefix)
    errors: list[FieldError] = []
    for dup in duplicates:
        rel = dup.path[len(prefix) :]
        where = f" (first set on line {dup.first_line})" if dup.first_line else ""
        errors.append(
            FieldError(
                format_path(rel),
                DECODING,
                f'duplicate field "{format_path(rel)}"{where}',
                line=dup.line,
                column=dup.column,
                object=obj,
                kind=kind,
                hint="a key may appear only once in a map; remove one of them",
            )
        )
    for path, line, col in complex_keys:
        errors.append(
            FieldError(
                format_path(path[len(prefix) :]),
                DECODING,
                "a map key must be a plain word",
                line=line,
                column=col,
                object=obj,
                kind=kind,
            )
        )
    return errors


def fits(value: Any, t: Type) -> bool:
    """True when `value` decodes as `t` without an error: `Decoder.check`'s answer for the
    common case, without building a path for every field (a 10,000-Pod dump has a million);
    string fields, the most common, are checked in the loop."""
    if value is None or t is ANY:
        return True
    cls = value.__class__
    if t.__class__ is dict:
        if cls is not dict:
            return False
        field_type = t.get
        for key, sub in value.items():
            st = field_type(key)
            if st is None:
                return False
            if sub is None or st is ANY:
                continue
            cls = sub.__class__
            if st is STR:
                if cls is not str:
                    return False
            elif st is INT:
                # the scalars below, as the branches after the loop check them, without a call
                if cls is not int or not -(2**31) <= sub < 2**31:
                    return False
            elif st is BOOL:
                if cls is not bool:
                    return False
            elif st is INTSTR:
                if cls is not int and cls is not str:
                    return False
            elif st is INT64:
                if cls is not int:
                    return False
            elif st is STRMAP:
                if cls is not dict:
                    return False
                for v in sub.values():
                    if v is not None and v.__class__ is not str:
                        return False
            elif st.__class__ is list:
                # lists of objects (containers, ports) checked here: no generator per list
                if sub.__class__ is not list:
                    return False
                item = st[0]
                for x in sub:
                    if not fits(x, item):
                        return False
            elif not fits(sub, st):
                return False
        return True
    if t.__class__ is list:
        if cls is not list:
            return False
        item = t[0]
        return all(fits(v, item) for v in value)
    if t is STR:
        return cls is str
    if t is INT:
        return cls is int and -(2**31) <= value < 2**31
    if t is INT64:
        return cls is int
    if t is STRMAP:
        return cls is dict and all(v is None or v.__class__ is str for v in value.values())
    if t is BOOL:
        return cls is bool
    if t is INTSTR:
        return cls is int or cls is str
    return False


API_VERSIONS: dict[str, str] = {
    "Service": "v1",
    "Pod": "v1",
    "Deployment": "apps/v1",
    "ReplicaSet": "apps/v1",
    "StatefulSet": "apps/v1",
    "DaemonSet": "apps/v1",
    "ReplicationController": "v1",
    "Job": "batch/v1",
    "Node": "v1",
    "EndpointSlice": "discovery.k8s.io/v1",
    "Endpoints": "v1",
}
"""The group/version that serves each modelled kind (K · staging/src/k8s.io/api)."""


def no_matches(kind: str, version: str) -> str:
    """kubectl's RESTMapper words for a kind its apiVersion does not serve, whether the kind is
    known elsewhere (`check_api_version`) or nowhere (`check_kind_served`)."""
    return f'no matches for kind "{kind}" in version "{version}"'


SERVED_KINDS: dict[str, frozenset[str]] = {
    "v1": frozenset(
        [
            "Binding",
            "ComponentStatus",
            "ConfigMap",
            "Endpoints",
            "Event",
            "LimitRange",
            "Namespace",
            "Node",
            "PersistentVolume",
            "PersistentVolumeClaim",
            "Pod",
            "PodTemplate",
            "RangeAllocation",
            "ReplicationController",
            "ResourceQuota",
            "Secret",
            "Service",
            "ServiceAccount",
            "List",
        ]
    ),
    "apps/v1": frozenset(
        ["ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"]
    ),
    "batch/v1": frozenset(("CronJob", "Job")),
    "discovery.k8s.io/v1": frozenset(("EndpointSlice",)),
}
"""The kinds a file can create in the group/versions the model reads (K · staging/src/k8s.io/api
· core/v1, apps/v1, batch/v1, discovery/v1 `register.go` · `addKnownTypes`; each kind's `...List`
too). Any other group/version (rbac, networking, a CRD's) is not judged: its kinds are not
known here."""


def check_kind_served(
    doc: Document, data: dict[str, Any], kind: str, prefix: Path, obj: str
) -> list[FieldError]:
    """kubectl's RESTMapper refuses a kind its apiVersion does not serve before anything
    reaches the API server (`resource mapping not found for name: "web" ... no matches for kind
    "Servce" in version "v1"`): a typo in `kind:` is an error, not an object to skip."""
    version = data.get("apiVersion")
    if not isinstance(version, str):
        return []
    served = SERVED_KINDS.get(version)
    if served is None or kind in served or kind.removesuffix("List") in served:
        return []
    span = doc.span((*prefix, "kind"))
    near = difflib.get_close_matches(kind, sorted(served), n=1, cutoff=0.6)
    elsewhere = next((v for v, kinds in SERVED_KINDS.items() if kind in kinds), None)
    return [
        FieldError(
            "kind",
            INVALID,
            no_matches(kind, version),
            kind,
            line=span.line if span else doc.line,
            column=span.column if span else 1,
            object=obj,
            kind=kind,
            hint=(
                f"a {kind} is in apiVersion: {elsewhere}"
                if elsewhere
                else f"did you mean {near[0]}?"
                if near
                else f"{version} serves: {', '.join(sorted(served - {'List'}))}"
            ),
        )
    ]


def check_api_version(
    doc: Document, data: dict[str, Any], kind: str, prefix: Path, obj: str
) -> list[FieldError]:
    """kubectl refuses an object without `apiVersion` ("Object 'apiVersion' is missing") and
    one whose version does not serve its kind (`no matches for kind "Service" in version
    "apps/v1"`), before anything reaches the API server."""
    want = API_VERSIONS.get(kind)
    if want is None:
        return []
    have = data.get("apiVersion")
    if have == want:
        return []
    span = doc.span((*prefix, "apiVersion")) if have is not None else doc.span(prefix)
    line, col = (span.line, span.column) if span else (doc.line, 1)
    if have is None or have == "":
        return [
            FieldError(
                "apiVersion",
                REQUIRED,
                line=line,
                column=col,
                object=obj,
                kind=kind,
                hint=f"start the object with apiVersion: {want}",
            )
        ]
    if isinstance(have, str) and have != want:
        return [
            FieldError(
                "apiVersion",
                INVALID,
                no_matches(kind, have),
                have,
                line=line,
                column=col,
                object=obj,
                kind=kind,
                hint=f"a {kind} is in apiVersion: {want}",
            )
        ]
    return []
