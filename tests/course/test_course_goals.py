"""Goals, table-driven: each row is a manifest, a goal as a lesson writes it, whether the model's
result meets it, and words the learner-facing sentence must contain."""

from __future__ import annotations

from typing import Any

import pytest

from tutor.course.goals import GoalResult, evaluate, evaluate_text, goal_problems
from tutor.course.loader import parse_goal
from tutor.model import analyze


def pod(
    name: str,
    labels: dict[str, str],
    *,
    node: str = "node-1",
    ip: str = "",
    ready: str = "True",
    ports: str = "",
    namespace: str = "default",
) -> str:
    label_lines = "".join(f"\n    {k}: {v}" for k, v in labels.items())
    ip = ip or f"10.244.{node[-1]}.{10 + int(name[-1])}"
    return f"""\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: {namespace}
  labels:{label_lines}
spec:
  nodeName: {node}
  containers:
  - name: app
    image: registry.example/app:1{ports}
status:
  phase: Running
  podIP: {ip}
  conditions:
  - type: Ready
    status: "{ready}"
"""


def service(
    selector: str = "app: my-app",
    port: str = "80",
    target: str = "8080",
    protocol: str = "TCP",
    extra: str = "",
    name: str = "my-service",
) -> str:
    target_line = f"\n    targetPort: {target}" if target else ""
    return f"""\
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:{extra}
  selector:
    {selector}
  ports:
  - name: web
    protocol: {protocol}
    port: {port}{target_line}
"""


def manifest(*docs: str) -> str:
    return "---\n".join(docs)


THREE = manifest(
    service(),
    pod("my-app-1", {"app": "my-app"}),
    pod("my-app-2", {"app": "my-app"}, node="node-2"),
    pod("my-app-3", {"app": "my-app"}),
)
WRONG_LABEL = manifest(service(), pod("web-1", {"app": "my-app"}), pod("web-2", {"app": "web"}))
NOT_READY = manifest(
    service(), pod("my-app-1", {"app": "my-app"}), pod("my-app-2", {"app": "my-app"}, ready="False")
)
NAMED = manifest(
    service(target="http"),
    pod(
        "my-app-1",
        {"app": "my-app"},
        ports="\n    ports:\n    - name: http\n      containerPort: 9090",
    ),
    pod("my-app-2", {"app": "my-app"}),
)
LOCAL = manifest(
    service(extra="\n  internalTrafficPolicy: Local"),
    pod("my-app-1", {"app": "my-app"}, node="node-1"),
    pod("my-app-2", {"app": "my-app"}, node="node-2"),
)
BAD_PROTOCOL = manifest(service(protocol="HTTP"), pod("my-app-1", {"app": "my-app"}))
SVC = "service: my-service"

CASES: list[tuple[str, str, dict[str, Any], bool, str]] = [
    # traffic
    (
        "all three",
        THREE,
        {"traffic": {"service": "my-service", "port": "80", "count": 3}},
        True,
        "my-app-1, my-app-2 and my-app-3 get traffic on `my-service` port 80 (web)",
    ),
    (
        "port by name",
        THREE,
        {"traffic": {"service": "my-service", "port": "web", "count": 3}},
        True,
        "get traffic",
    ),
    (
        "port as int",
        THREE,
        {"traffic": {"service": "my-service", "port": 80, "count": 3}},
        True,
        "",
    ),
    (
        "namespace/name",
        THREE,
        {"traffic": {"service": "default/my-service", "port": "80", "count": 3}},
        True,
        "",
    ),
    (
        "exact set, one missing",
        WRONG_LABEL,
        {"traffic": {"service": "my-service", "port": "80", "pods": ["web-1", "web-2"]}},
        False,
        "web-2 gets no traffic: label `app` is `web`, the Service wants `my-app`",
    ),
    (
        "exact set, one extra",
        THREE,
        {"traffic": {"service": "my-service", "port": "80", "pods": ["my-app-1", "my-app-2"]}},
        False,
        "my-app-3 gets traffic but the goal leaves it out",
    ),
    (
        "include",
        THREE,
        {"traffic": {"service": "my-service", "port": "80", "pods_include": ["my-app-2"]}},
        True,
        "",
    ),
    (
        "exclude",
        NOT_READY,
        {"traffic": {"service": "my-service", "port": "80", "pods_exclude": ["my-app-2"]}},
        True,
        "",
    ),
    (
        "exclude fails",
        THREE,
        {"traffic": {"service": "my-service", "port": "80", "pods_exclude": ["my-app-2"]}},
        False,
        "my-app-2 gets traffic but the goal leaves it out",
    ),
    (
        "not ready",
        NOT_READY,
        {"traffic": {"service": "my-service", "port": "80", "pods": ["my-app-1", "my-app-2"]}},
        False,
        "my-app-2 gets no traffic: not Ready",
    ),
    (
        "count too low names why",
        NOT_READY,
        {"traffic": {"service": "my-service", "port": "80", "count": 2}},
        False,
        "1 Pod gets traffic on `my-service` port 80 (web) (my-app-1); the goal is 2; my-app-2 gets "
        "no traffic: not Ready",
    ),
    (
        "count zero",
        manifest(service(selector="app: nope"), pod("my-app-1", {"app": "my-app"})),
        {"traffic": {"service": "my-service", "port": "80", "count": 0}},
        True,
        "No Pod gets traffic",
    ),
    (
        "no such pod",
        THREE,
        {"traffic": {"service": "my-service", "port": "80", "pods_include": ["ghost"]}},
        False,
        "there is no Pod named `ghost`",
    ),
    (
        "pod in another namespace",  # the model's own words, not "is in another namespace"
        manifest(service(), pod("my-app-1", {"app": "my-app"}, namespace="shop")),
        {"traffic": {"service": "my-service", "port": "80", "pods": ["my-app-1"]}},
        False,
        "my-app-1 gets no traffic: in namespace `shop`, the Service is in `default` (a selector "
        "only sees its own namespace)",
    ),
    (
        "no such endpoint address",  # a hand-written slice's endpoints have no Pod
        THREE,
        {"traffic": {"service": "my-service", "port": "80", "pods_include": ["192.168.10.6"]}},
        False,
        "no endpoint of the Service has the address `192.168.10.6`",
    ),
    (
        "no such service",
        THREE,
        {"traffic": {"service": "web", "port": "80", "count": 3}},
        False,
        "There is no Service `web` in the manifest (it has `my-service`)",
    ),
    (
        "service in another namespace",  # lesson 4's "The Pods are next door", moved to default
        THREE,
        {"traffic": {"service": "shop/my-service", "port": "80", "count": 3}},
        False,
        "There is no Service `my-service` in namespace `shop` (it has `default/my-service`)",
    ),
    (
        "no such port",
        THREE,
        {"traffic": {"service": "my-service", "port": "81", "count": 3}},
        False,
        "has no port `81` (its ports: web (80/TCP))",
    ),
    (
        "rejected service",
        BAD_PROTOCOL,
        {"traffic": {"service": "my-service", "port": "80", "count": 1}},
        False,
        "The API server rejects Service `my-service`",
    ),
    (
        "target port",
        THREE,
        {"traffic": {"service": "my-service", "port": "80", "count": 3, "target_port": 8080}},
        True,
        # the port the Pods receive is what such a goal is about: lesson 1's last step said
        # only "... get traffic on my-service port 80", true before the learner's edit too
        "my-app-1, my-app-2 and my-app-3 get traffic on `my-service` port 80 (web) and "
        "receive it on port 8080.",
    ),
    (
        "target port, one Pod",
        manifest(service(target=""), pod("my-app-1", {"app": "my-app"})),
        {"traffic": {"service": "my-service", "port": "80", "target_port": 80}},
        True,
        "my-app-1 gets traffic on `my-service` port 80 (web) and receives it on port 80.",
    ),
    (
        "target port wrong",
        manifest(service(target=""), pod("my-app-1", {"app": "my-app"})),
        {"traffic": {"service": "my-service", "port": "80", "target_port": 8080}},
        False,
        "my-app-1 receives the traffic on port 80; the goal is port 8080",
    ),
    (
        "target port wrong names every Pod",  # it named one, in the order traffic chose
        THREE,
        {"traffic": {"service": "my-service", "port": "80", "target_port": 80}},
        False,
        "my-app-1, my-app-2 and my-app-3 receive the traffic on port 8080; the goal is port 80",
    ),
    (
        "named port per pod",
        NAMED,
        {"traffic": {"service": "my-service", "port": "80", "pods": ["my-app-1", "my-app-2"]}},
        False,
        "my-app-2 gets no traffic: has no container port named `http`",
    ),
    (
        "from node, local policy",
        LOCAL,
        {
            "traffic": {
                "service": "my-service",
                "port": "80",
                "from_node": "node-2",
                "pods": ["my-app-2"],
            }
        },
        True,
        "",
    ),
    (
        "from node, local policy, other node",
        LOCAL,
        {
            "traffic": {
                "service": "my-service",
                "port": "80",
                "from_node": "node-2",
                "pods_include": ["my-app-1"],
            }
        },
        False,
        "my-app-1 gets no traffic: on `node-1`",
    ),
    (
        "syntax error",
        "kind: [",
        {"traffic": {"service": "my-service", "port": "80", "count": 1}},
        False,
        "The manifest cannot be read: line 2: YAML syntax error",
    ),
    # endpoints
    (
        "endpoints keep not-ready pods",
        NOT_READY,
        {"endpoints": {"service": "my-service", "port": "80", "pods": ["my-app-1", "my-app-2"]}},
        True,
        "are endpoints of",
    ),
    (
        "endpoints miss a mislabelled pod",
        WRONG_LABEL,
        {"endpoints": {"service": "my-service", "port": "80", "count": 2}},
        False,
        "1 Pod is an endpoint of `my-service` port 80 (web) (web-1); the goal is 2; web-2 is not an "
        "endpoint: label `app` is `web`",
    ),
    # valid / invalid
    ("valid", THREE, {"valid": True}, True, "accepts every object"),
    (
        "valid fails",
        BAD_PROTOCOL,
        {"valid": True},
        False,
        'line 10: spec.ports[0].protocol: Unsupported value: "HTTP"',
    ),
    (
        "invalid at path",
        BAD_PROTOCOL,
        {"invalid": {"path": "spec.ports[0].protocol"}},
        True,
        "Rejected as expected",
    ),
    (
        "invalid, message",
        BAD_PROTOCOL,
        {"invalid": {"path": "spec.ports[0].protocol", "message_contains": "supported values"}},
        True,
        "",
    ),
    (
        "invalid, wrong message",
        BAD_PROTOCOL,
        {"invalid": {"path": "spec.ports[0].protocol", "message_contains": "too long"}},
        False,
        "does not say “too long”",
    ),
    (
        "invalid, other path",
        BAD_PROTOCOL,
        {"invalid": {"path": "metadata.name"}},
        False,
        "rejected, but not at `metadata.name`",
    ),
    (
        "invalid but accepted",
        THREE,
        {"invalid": {"path": "spec.ports[0].port"}},
        False,
        "accepts the manifest",
    ),
    # share
    (
        "share about a third",
        THREE,
        {
            "share": {
                "service": "my-service",
                "port": "80",
                "pod": "my-app-1",
                "min": 0.25,
                "max": 0.42,
            }
        },
        True,
        "between 25% and 42%",
    ),
    (
        "share too high",
        THREE,
        {"share": {"service": "my-service", "port": "80", "pod": "my-app-1", "min": 0.9}},
        False,
        "the goal is at least 90%",
    ),
    (
        "share all of them",  # sticky sessions: it said "the goal is at least 100%"
        THREE,
        {"share": {"service": "my-service", "port": "80", "pod": "my-app-1", "min": 1.0}},
        False,
        "my-app-1 served 317 of 1000 requests (32%); the rest went to my-app-2 (339) and "
        "my-app-3 (344); the goal is all of them.",
    ),
    (
        "share of a pod with none",
        NOT_READY,
        {"share": {"service": "my-service", "port": "80", "pod": "my-app-2", "min": 0.1}},
        False,
        "my-app-2 served 0 of 1000 requests (0%) (my-app-2 gets no traffic: not Ready",
    ),
    # dns
    (
        "dns short name",
        THREE,
        {"dns": {"name": "my-service"}},
        True,
        "`my-service` resolves for a Pod in namespace `default` (A: ",
    ),
    (
        "dns other namespace",
        THREE,
        {"dns": {"name": "my-service", "namespace": "other"}},
        False,
        "does not resolve for a Pod in namespace `other`",
    ),
    (
        "dns qualified from other namespace",
        THREE,
        {"dns": {"name": "my-service.default", "namespace": "other"}},
        True,
        "",
    ),
    (
        "dns srv",
        THREE,
        {
            "dns": {
                "name": "_web._tcp.my-service",
                "type": "SRV",
                "answers_include": ["my-service.default.svc.cluster.local"],
            }
        },
        True,
        "SRV: my-service.default.svc.cluster.local:80",
    ),
    (
        "dns wrong type",
        THREE,
        {"dns": {"name": "my-service", "type": "CNAME"}},
        False,
        "with A records, not CNAME",
    ),
    (
        "dns missing answer",
        THREE,
        {"dns": {"name": "my-service", "answers_include": ["10.0.0.1"]}},
        False,
        "lacks `10.0.0.1`",
    ),
    # all
    (
        "all met",
        THREE,
        {
            "all": [
                {"valid": True},
                {"traffic": {"service": "my-service", "port": "80", "count": 3}},
            ]
        },
        True,
        "accepts every object. my-app-1",
    ),
    (
        "all, second fails",
        THREE,
        {
            "all": [
                {"valid": True},
                {"traffic": {"service": "my-service", "port": "80", "count": 2}},
            ]
        },
        False,
        "the goal is 2",
    ),
]


@pytest.mark.parametrize("name,text,goal,met,words", CASES, ids=[c[0] for c in CASES])
def test_goal(name: str, text: str, goal: dict[str, Any], met: bool, words: str) -> None:
    result = evaluate_text(parse_goal(goal), text)
    assert isinstance(result, GoalResult)
    assert result.met is met, result.detail
    assert words in result.detail
    assert result.detail.endswith((".", ")")) and not result.detail.endswith("..")


def test_evaluate_on_a_shared_analysis_matches_evaluate_text() -> None:
    goal = parse_goal(
        {
            "traffic": {
                "service": "my-service",
                "port": "80",
                "from_node": "node-1",
                "pods": ["my-app-1"],
            }
        }
    )
    assert evaluate(goal, analyze(LOCAL)) == evaluate_text(goal, LOCAL)
    assert evaluate(goal, analyze(LOCAL)).met


def test_share_is_deterministic_for_a_seed() -> None:
    goal = parse_goal(
        {
            "share": {
                "service": "my-service",
                "port": "80",
                "pod": "my-app-2",
                "seed": 7,
                "requests": 300,
            }
        }
    )
    assert evaluate_text(goal, THREE) == evaluate_text(goal, THREE)


@pytest.mark.parametrize(
    "goal,words",
    [
        ({"traffic": {"service": "s", "port": "80"}}, "says nothing about Pods"),
        (
            {
                "traffic": {
                    "service": "s",
                    "port": "80",
                    "pods_include": ["a"],
                    "pods_exclude": ["a"],
                }
            },
            "both included and excluded",
        ),
        (
            {"traffic": {"service": "s", "port": "80", "pods": ["a", "b"], "count": 3}},
            "`pods` names 2 Pods but `count` is 3",
        ),
        ({"invalid": {"path": "spec..ports"}}, "not a field path"),
        (
            {"share": {"service": "s", "port": "80", "pod": "a", "min": 0.6, "max": 0.4}},
            "is above `max`",
        ),
        (
            {"all": [{"valid": True}, {"endpoints": {"service": "s", "port": "80"}}]},
            "says nothing about Pods",
        ),
    ],
)
def test_goal_problems(goal: dict[str, Any], words: str) -> None:
    problems = goal_problems(parse_goal(goal))
    assert any(words in p for p in problems), problems


def test_well_formed_goal_has_no_problems() -> None:
    assert goal_problems(parse_goal({"traffic": {"service": "s", "port": 80, "count": 1}})) == []


NODE_PORT = manifest(
    service(extra="\n  type: NodePort"),
    pod("my-app-1", {"app": "my-app"}, ports="\n    ports:\n    - containerPort: 8080"),
)
ONLY_8080 = manifest(
    service(target="80"),
    pod("my-app-1", {"app": "my-app"}, ports="\n    ports:\n    - containerPort: 8080"),
)
NO_PORTS = manifest(service(target="80"), pod("my-app-1", {"app": "my-app"}))
STICKY = manifest(
    service(
        extra="\n  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n"
        "    clientIP:\n      timeoutSeconds: 3600"
    ),
    pod("my-app-1", {"app": "my-app"}),
)
RELABELLED = THREE.replace('status: "True"', 'status: "False"', 1)

# (id, text, goal, start, commands, met, words)
NEW_KINDS: list[tuple[str, str, dict[str, Any], str, tuple[str, ...], bool, str]] = [
    (
        "field equals",
        NODE_PORT,
        {"field": {"object": "Service/my-service", "path": "spec.type", "equals": "NodePort"}},
        "",
        (),
        True,
        "Service `my-service`'s `spec.type` is `NodePort`",
    ),
    (
        "field not written",
        THREE,
        {"field": {"object": "Service/my-service", "path": "spec.type", "equals": "NodePort"}},
        "",
        (),
        False,
        "does not set `spec.type`; the goal is `NodePort`",
    ),
    (
        "field number as written",
        STICKY,
        {
            "field": {
                "object": "Service/default/my-service",
                "path": "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                "equals": 3600,
            }
        },
        "",
        (),
        True,
        "is `3600`",
    ),
    (
        "field other value",
        STICKY,
        {
            "field": {
                "object": "Service/my-service",
                "path": "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                "equals": 60,
            }
        },
        "",
        (),
        False,
        "is `3600`; the goal is `60`",
    ),
    (
        "field absent as asked",
        THREE,
        {"field": {"object": "Service/my-service", "path": "spec.clusterIP", "present": False}},
        "",
        (),
        True,
        "leaves out `spec.clusterIP`",
    ),
    (
        "field present, goal absent",
        STICKY,
        {
            "field": {
                "object": "Service/my-service",
                "path": "spec.sessionAffinity",
                "present": False,
            }
        },
        "",
        (),
        False,
        "sets `spec.sessionAffinity` to `ClientIP`; the goal is to leave it out",
    ),
    (
        "field no such object",
        THREE,
        {"field": {"object": "Service/web", "path": "spec.type", "equals": "NodePort"}},
        "",
        (),
        False,
        "There is no Service `web` in the manifest",
    ),
    (
        "unchanged holds",
        THREE,
        {"unchanged": {"kinds": ["Pod"]}},
        THREE.replace("targetPort: 8080", "targetPort: 9090"),
        (),
        True,
        "The Pods are as they were at the start",
    ),
    (
        "unchanged: status edited",
        RELABELLED,
        {"unchanged": {"kinds": ["Pod"]}},
        THREE,
        (),
        False,
        "Pod `my-app-1` changed at `status.conditions[0].status`",
    ),
    (
        "unchanged: Pod deleted",
        manifest(service(), pod("my-app-1", {"app": "my-app"})),
        {"unchanged": {"kinds": ["Pod"]}},
        THREE,
        (),
        False,
        "Pod `my-app-2` is gone",
    ),
    (
        "entry NodePort",
        NODE_PORT,
        {"traffic": {"service": "my-service", "port": "80", "count": 1, "entry": "NodePort"}},
        "",
        (),
        True,
        "(through the NodePort)",
    ),
    (
        "entry NodePort on a ClusterIP Service",
        THREE,
        {"traffic": {"service": "my-service", "port": "80", "count": 3, "entry": "NodePort"}},
        "",
        (),
        False,
        "is type ClusterIP: no traffic arrives through a NodePort",
    ),
    (
        "answered: nothing listens on 80",
        ONLY_8080,
        {"traffic": {"service": "my-service", "port": "80", "count": 1, "answered": True}},
        "",
        (),
        False,
        "refused by the Pod: nothing listens on port 80 in my-app-1 (it declares only 8080/TCP)",
    ),
    (
        "answered: no ports declared, assumed",
        NO_PORTS,
        {"traffic": {"service": "my-service", "port": "80", "count": 1, "answered": True}},
        "",
        (),
        True,
        "my-app-1 gets traffic",
    ),
    (
        "ran, not yet",
        THREE,
        {"ran": {"command": "kubectl describe svc"}},
        "",
        ("kubectl get svc",),
        False,
        "Run `kubectl describe svc` in the console",
    ),
    (
        "ran, prefix with spaces",
        THREE,
        {"ran": {"command": "kubectl describe svc"}},
        "",
        ("kubectl  describe svc my-service",),
        True,
        "You ran `kubectl describe svc my-service`",
    ),
    (
        "ran, kubectl's other names for the type",
        THREE,
        {"ran": {"command": "kubectl describe svc"}},
        "",
        ("kubectl -n default describe service/my-service",),
        True,
        "You ran",
    ),
    (
        "ran, a longer word is another word",
        THREE,
        {"ran": {"command": "kubectl get endpoints"}},
        "",
        ("kubectl get endpointslices",),
        False,
        "Run `kubectl get endpoints`",
    ),
    (
        "ran, the goal's flags in any order",
        THREE,
        {"ran": {"command": "kubectl get pods -o wide"}},
        "",
        ("kubectl get pods", "kubectl get --output=wide pods -l app=web"),
        True,
        "You ran `kubectl get --output=wide pods -l app=web`",
    ),
    (
        "ran, a flag the goal asks for is missing",
        THREE,
        {"ran": {"command": "kubectl get pods --show-labels"}},
        "",
        ("kubectl get pods",),
        False,
        "Run `kubectl get pods --show-labels`",
    ),
    (
        "ran, curl's URL defaults",
        THREE,
        {"ran": {"command": "curl http://my-service"}},
        "",
        ("curl -s my-service:80/",),
        True,
        "You ran",
    ),
]


@pytest.mark.parametrize(
    "text,goal,start,commands,met,words", [c[1:] for c in NEW_KINDS], ids=[c[0] for c in NEW_KINDS]
)
def test_new_goal_kinds(
    text: str,
    goal: dict[str, Any],
    start: str,
    commands: tuple[str, ...],
    met: bool,
    words: str,
) -> None:
    result = evaluate_text(parse_goal(goal, start=start), text, commands)
    assert result.met is met, result.detail
    assert words in result.detail


@pytest.mark.parametrize(
    ("goal", "words"),
    [
        ({"field": {"object": "Service/web", "path": "spec.type"}}, "`equals`"),
        (
            {
                "field": {
                    "object": "Service/web",
                    "path": "spec.type",
                    "equals": "x",
                    "present": True,
                }
            },
            "not both",
        ),
        ({"field": {"object": "Service/web", "path": "spec..type", "equals": "x"}}, ""),
    ],
)
def test_field_goal_problems(goal: dict[str, Any], words: str) -> None:
    found = goal_problems(parse_goal(goal))
    assert found and words in found[0]


def test_object_must_be_kind_slash_name() -> None:
    with pytest.raises(ValueError, match="Kind/name"):
        parse_goal({"field": {"object": "web", "path": "spec.type", "equals": "x"}})


def test_a_traffic_goal_nobody_meets_says_what_a_request_does() -> None:
    """Goal messages use report.py's outcome: a DROP is a timeout, never "rejected"."""
    goal = parse_goal(
        {"traffic": {"service": "my-service", "port": "80", "from_node": "node-3", "count": 1}}
    )
    detail = evaluate_text(goal, LOCAL).detail
    assert "a request from node-3: timed out: kube-proxy drops the packets (DROP)" in detail
    none = parse_goal({"traffic": {"service": "my-service", "port": "80", "count": 1}})
    detail = evaluate_text(
        none, WRONG_LABEL.replace("app: my-app\n  ports", "app: x\n  ports")
    ).detail
    assert "a request: connection refused by kube-proxy (REJECT)" in detail
