"""Every validation error points at its field (#11): the deepest node of its path the file holds;
a field the API server defaulted from another (clusterIPs from clusterIP, targetPort from port)
at that one; a missing field at the parent it belongs in. Each case names the line's text the
error must point at (and the column where that text starts)."""

from __future__ import annotations

import pytest

from tutor.model import analyze
from tutor.model.network import DUAL_STACK, ClusterNetwork

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 80
          name: http
"""

CASES: list[tuple[str, str, str, str, ClusterNetwork | None]] = [
    # (id, text, error path, the text at the error's line and column, network)
    (
        "a bad clusterIP: the clusterIP line, not spec (clusterIPs is defaulted from it)",
        SERVICE + "  clusterIP: 10.96.0.300\n",
        "spec.clusterIPs[0]",
        "clusterIP: 10.96.0.300",
        None,
    ),
    (
        "clusterIP outside the range",
        SERVICE + "  clusterIP: 10.0.0.1\n",
        "spec.clusterIPs",
        "clusterIP: 10.0.0.1",
        None,
    ),
    (
        "clusterIP of the wrong family",
        SERVICE + "  ipFamilies: [IPv6]\n  clusterIP: 10.96.0.10\n",
        "spec.clusterIPs[0]",
        "clusterIP: 10.96.0.10",
        DUAL_STACK,
    ),
    (
        "clusterIPs written out: its own line",
        SERVICE + "  clusterIP: 10.96.0.10\n  clusterIPs: [10.96.0.11]\n",
        "spec.clusterIPs",
        "clusterIPs: [10.96.0.11]",
        None,
    ),
    (
        "port 0: the defaulted targetPort points at port",
        SERVICE.replace("port: 80", "port: 0"),
        "spec.ports[0].targetPort",
        "port: 0",
        None,
    ),
    (
        "an explicit targetPort: its own line",
        SERVICE.replace("    port: 80\n", "    port: 80\n    targetPort: 70000\n"),
        "spec.ports[0].targetPort",
        "targetPort: 70000",
        None,
    ),
    ("a bad type", SERVICE + "  type: Foo\n", "spec.type", "type: Foo", None),
    (
        "a second family listed twice: the item",
        SERVICE + "  ipFamilyPolicy: RequireDualStack\n  ipFamilies: [IPv4, IPv4]\n",
        "spec.ipFamilies[1]",
        "IPv4]",
        DUAL_STACK,
    ),
    (
        "a nested field",
        SERVICE
        + "  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n"
        + "      timeoutSeconds: 0\n",
        "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
        "timeoutSeconds: 0",
        None,
    ),
    (
        "a nodePort on a ClusterIP Service",
        SERVICE.replace("    port: 80\n", "    port: 80\n    nodePort: 30080\n"),
        "spec.ports[0].nodePort",
        "nodePort: 30080",
        None,
    ),
    (
        "a label value: the label's line",
        SERVICE.replace("  labels:\n    app: web", "  labels:\n    app: -web-"),
        "metadata.labels",
        "app: -web-",
        None,
    ),
    (
        "a second port without a name: the item",
        SERVICE + "  - port: 81\n",
        "spec.ports[1].name",
        "port: 81",
        None,
    ),
    (
        "no ports at all: the parent spec",
        SERVICE.split("  ports:")[0],
        "spec.ports",
        "spec:",
        None,
    ),
    (
        "a container port inside a Deployment's template",
        DEPLOYMENT.replace("containerPort: 80", "containerPort: 0"),
        "spec.template.spec.containers[0].ports[0].containerPort",
        "containerPort: 0",
        None,
    ),
    (
        "template labels the selector does not match",
        DEPLOYMENT.replace("      labels:\n        app: web", "      labels:\n        app: api"),
        "spec.template.metadata.labels",
        "labels:",
        None,
    ),
]


@pytest.mark.parametrize(
    ("text", "path", "at", "network"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_error_points_at_its_field(
    text: str, path: str, at: str, network: ClusterNetwork | None
) -> None:
    analysis = analyze(text, network=network)
    found = [e for e in analysis.errors if e.path == path]
    assert found, [e.message for e in analysis.errors]
    err = found[0]
    line = text.splitlines()[err.line - 1]
    assert line[err.column - 1 :] == at, (err.line, err.column, line)
