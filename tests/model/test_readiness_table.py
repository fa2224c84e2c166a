"""Why a Pod is not Ready, from its spec's readinessProbe and its status (#11): the wording the
routing view, `route`'s WHY NOT column and `route --summary` share (tutor.model.explain).

K · pkg/kubelet/prober/prober_manager.go · `UpdatePodStatus` (a running container with a
readinessProbe is ready once it succeeds); K · pkg/kubelet/status/generate.go ·
`GeneratePodReadyCondition` ("containers with unready status: [web]", ReadinessGatesNotReady).
"""

from __future__ import annotations

from typing import Any

import pytest
from testkit import dump_yaml

from tutor.model import analyze
from tutor.model.explain import not_ready_detail
from tutor.model.manifests import container_statuses


def _pod(
    containers: list[dict[str, Any]],
    *,
    statuses: list[dict[str, Any]] | None = None,
    ready: str = "False",
    reason: str = "ContainersNotReady",
    message: str = "",
    init: list[dict[str, Any]] | None = None,
    init_statuses: list[dict[str, Any]] | None = None,
    initialized: str = "",
) -> str:
    spec: dict[str, Any] = {"nodeName": "node-1", "containers": containers}
    if init:
        spec["initContainers"] = init
    cond: dict[str, Any] = {"type": "Ready", "status": ready}
    if reason:
        cond["reason"] = reason
    if message:
        cond["message"] = message
    status: dict[str, Any] = {"phase": "Running", "podIP": "10.244.1.9", "conditions": [cond]}
    if statuses is not None:
        status["containerStatuses"] = statuses
    if init_statuses is not None:
        status["initContainerStatuses"] = init_statuses
    if initialized:
        status["conditions"].insert(0, {"type": "Initialized", "status": initialized})
    doc = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "labels": {"app": "web"}},
        "spec": spec,
        "status": status,
    }
    return dump_yaml(doc)


def _c(name: str = "web", probe: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "image": "nginx"}
    if probe is not None:
        out["readinessProbe"] = probe
    return out


def _st(
    name: str = "web", ready: bool = False, state: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "name": name,
        "ready": ready,
        "restartCount": 0,
        "image": "nginx",
        "imageID": "",
        "state": state or {"running": {"startedAt": "2026-12-02T10:00:00Z"}},
    }


CASES = [
    (
        "httpGet probe, status says not ready",
        _pod([_c(probe={"httpGet": {"path": "/healthz", "port": 8080}})], statuses=[_st()]),
        "readiness probe httpGet :8080/healthz fails (container web not ready)",
    ),
    (
        "HTTPS on a named port, path without a slash",
        _pod(
            [_c(probe={"httpGet": {"path": "ready", "port": "https", "scheme": "HTTPS"}})],
            statuses=[_st()],
        ),
        "readiness probe httpGet https://:https/ready fails (container web not ready)",
    ),
    (
        "tcpSocket probe",
        _pod([_c(probe={"tcpSocket": {"port": 5432}})], statuses=[_st()]),
        "readiness probe tcpSocket :5432 fails (container web not ready)",
    ),
    (
        "grpc probe with a service",
        _pod([_c(probe={"grpc": {"port": 9090, "service": "ready"}})], statuses=[_st()]),
        "readiness probe grpc :9090 (service ready) fails (container web not ready)",
    ),
    (
        "exec probe",
        _pod([_c(probe={"exec": {"command": ["pg_isready", "-U", "app"]}})], statuses=[_st()]),
        "readiness probe exec `pg_isready -U app` fails (container web not ready)",
    ),
    (
        "the second container is the unready one",
        _pod(
            [_c("app"), _c("web", {"tcpSocket": {"port": 80}})],
            statuses=[_st("app", ready=True), _st("web")],
        ),
        "readiness probe tcpSocket :80 fails (container web not ready)",
    ),
    (
        "a container waiting in CrashLoopBackOff",
        _pod(
            [_c(probe={"tcpSocket": {"port": 80}})],
            statuses=[_st(state={"waiting": {"reason": "CrashLoopBackOff"}})],
        ),
        "container web is waiting (CrashLoopBackOff)",
    ),
    (
        "a terminated container",
        _pod(
            [_c()],
            statuses=[_st(state={"terminated": {"reason": "Error", "exitCode": 1}})],
        ),
        "container web terminated (Error, exit code 1)",
    ),
    (
        "no probe, running and not ready: the kubelet's word, not a start-up",
        _pod([_c()], statuses=[_st()]),
        "container web runs but the kubelet marks it not ready"
        " (it has no readiness probe; Ready condition: ContainersNotReady)",
    ),
    (
        "no probe, listed but not running yet",
        _pod([_c()], statuses=[_st(state={"waiting": {}})]),
        "container web has not started (it has no readiness probe: it is ready once it runs)",
    ),
    (
        "no probe, no status: the condition's message names it",
        _pod([_c()], message="containers with unready status: [web]"),
        "the kubelet marks container web not ready"
        " (it has no readiness probe; Ready condition: ContainersNotReady)",
    ),
    (
        "no containerStatuses: the condition's message names the container",
        _pod(
            [_c("app"), _c("web", {"httpGet": {"port": 80}})],
            message="containers with unready status: [web]",
        ),
        "readiness probe httpGet :80/ fails (container web not ready)",
    ),
    (
        "no status detail at all, but a probe",
        _pod([_c(probe={"tcpSocket": {"port": 80}})], reason="", message=""),
        "readiness probe tcpSocket :80 has not passed (container web)",
    ),
    (
        "a sidecar's probe (init container with restartPolicy Always)",
        _pod(
            [_c()],
            init=[{**_c("proxy", {"tcpSocket": {"port": 15021}}), "restartPolicy": "Always"}],
            message="containers with unready status: [proxy]",
        ),
        "readiness probe tcpSocket :15021 fails (container proxy not ready)",
    ),
    (
        "two unready containers",
        _pod(
            [_c("a", {"tcpSocket": {"port": 1}}), _c("b", {"tcpSocket": {"port": 2}})],
            statuses=[_st("a"), _st("b")],
        ),
        "readiness probe tcpSocket :1 fails (container a not ready) (and 1 more container(s))",
    ),
    (
        "a readiness gate",
        _pod(
            [_c()],
            statuses=[_st(ready=True)],
            reason="ReadinessGatesNotReady",
            message='corresponding condition of pod readiness gate "lb/ready" does not exist.',
        ),
        'a readiness gate is not met (corresponding condition of pod readiness gate "lb/ready" '
        "does not exist.)",
    ),
    (
        "a failed init container holds the app container (Init:Error)",
        _pod(
            [_c()],
            statuses=[_st(state={"waiting": {"reason": "PodInitializing"}})],
            init=[_c("migrate")],
            init_statuses=[
                _st("migrate", state={"terminated": {"reason": "Error", "exitCode": 1}})
            ],
            initialized="False",
        ),
        "init container migrate terminated (Error, exit code 1):"
        " the app containers start once it has completed",
    ),
    (
        "the first init container still runs, the second waits its turn",
        _pod(
            [_c()],
            statuses=[_st(state={"waiting": {"reason": "PodInitializing"}})],
            init=[_c("wait-db"), _c("migrate")],
            init_statuses=[
                _st("wait-db"),
                _st("migrate", state={"waiting": {"reason": "PodInitializing"}}),
            ],
            initialized="False",
        ),
        "init container wait-db is still running: the app containers start once it has completed",
    ),
    (
        "initialized: a completed init container is not a reason",
        _pod(
            [_c()],
            statuses=[_st()],
            init=[_c("migrate")],
            init_statuses=[
                _st("migrate", state={"terminated": {"reason": "Completed", "exitCode": 0}})
            ],
            initialized="True",
        ),
        "container web runs but the kubelet marks it not ready"
        " (it has no readiness probe; Ready condition: ContainersNotReady)",
    ),
    ("nothing but the condition", _pod([_c()], reason="", message=""), ""),
]


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_not_ready_detail(text: str, want: str) -> None:
    analysis = analyze(text)
    assert analysis.valid, analysis.errors
    (pod,) = analysis.cluster.pods
    assert not pod.ready
    assert not_ready_detail(pod) == want


SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
"""


def test_why_not_names_the_probe_and_falls_back_to_the_condition() -> None:
    probe = analyze(SERVICE + CASES[0][1])
    why = probe.services[0].ports[0].verdicts["default/p"].reason
    assert why == (
        "not Ready: readiness probe httpGet :8080/healthz fails (container web not ready): "
        "kube-proxy sends no traffic until it is Ready"
    )
    bare = analyze(SERVICE + CASES[-1][1])
    assert (
        bare.services[0]
        .ports[0]
        .verdicts["default/p"]
        .reason.startswith("not Ready (its Ready condition is False)")
    )


def test_a_ready_pod_keeps_its_container_statuses_for_kubectl_only() -> None:
    """A Ready Pod's statuses are kept (kubectl's READY and RESTARTS read them), yet its verdict
    names no container: only a Pod that is not Ready has a reason."""
    status = _st(ready=True) | {
        "restartCount": 2,
        "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-12-02T09:59:00Z"}},
    }
    analysis = analyze(
        SERVICE + _pod([_c(probe={"tcpSocket": {"port": 80}})], statuses=[status], ready="True")
    )
    (pod,) = analysis.cluster.pods
    assert pod.containers == ()  # read only when asked for: a dump lists every Pod's
    (c,) = container_statuses(pod)
    assert pod.ready and c.ready and c.restart_count == 2
    assert c.last_ended is not None and c.last_ended.finished_at == "2026-12-02T09:59:00Z"
    verdict = analysis.services[0].ports[0].verdicts["default/p"]
    assert verdict.gets_traffic and "container" not in verdict.reason
