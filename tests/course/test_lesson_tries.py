"""Lessons 2 to 10: each "try this" done as its words say meets the step's check (and the
unedited manifest does not), as test_lesson_anatomy.py proves for lesson 1. Walked in tmux,
lesson 6 step 2 said "Delete the line `name: metrics`": that line is `- name: metrics`, and
deleting it made `port` and `targetPort` duplicates of the first entry's, not the error the
step is about."""

from __future__ import annotations

import pytest
from testkit import builtin_lesson

from tutor.course.goals import evaluate_text

# (lesson id, step title) -> the edits its "try this" asks for, as (old, new) replacements;
# the steps whose "try this" is a routing-view key (delete, add a Pod) are left to tests/app
TRIES: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("multi-port", "More than one port? Name them all"): [("  - name: metrics\n", "  - \n")],
    ("multi-port", "What a port name may look like"): [
        ("  - name: metrics\n", "  - name: Metrics\n")
    ],
    ("multi-port", "Names must be unique"): [("  - name: metrics\n", "  - name: http\n")],
    ("multi-port", "The same (protocol, port) twice"): [("protocol: TCP", "protocol: UDP")],
    ("multi-port", "appProtocol, what the bytes are"): [
        ("appProtocol: http\n", "appProtocol: HTTP/1.1\n")
    ],
    ("kube-proxy", "The ClusterIP is virtual"): [("10.96.0.50", "10.200.0.50")],
    ("kube-proxy", "No endpoints means REJECT"): [
        ("    app: web\n  ports", "    app: webb\n  ports")
    ],
    ("kube-proxy", "Sticky sessions: ClientIP"): [("timeoutSeconds: 10800", "timeoutSeconds: 0")],
    ("health", "Not ready, still listed"): [
        ('  - type: Ready\n    status: "False"', '  - type: Ready\n    status: "True"')
    ],
    ("health", "Finished Pods are dropped, starting Pods are listed"): [
        (
            "  phase: Pending\n",
            '  phase: Running\n  conditions:\n  - type: Ready\n    status: "True"\n',
        )
    ],
    ("service-types", "NodePort"): [("nodePort: 30080", "nodePort: 80")],
    ("service-types", "externalTrafficPolicy Local"): [("type: LoadBalancer", "type: ClusterIP")],
    ("topology", "trafficDistribution PreferSameZone"): [("PreferClose", "PreferSameZone")],
    # lessons 2 to 5, walked in tmux: lesson 4 said "Put `app: shop` in the selector (replace
    # `{}`)", and `selector: app: shop` is a YAML error ("mapping values are not allowed")
    ("one-request", "1. DNS: the name becomes the ClusterIP"): [
        ("  name: my-service\n", "  name: shop\n")
    ],
    ("one-request", "4. The Pod answers"): [("    targetPort: 8080\n", "")],
    ("one-request", "Who lists the Pods"): [
        (
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: my-app-3\n",
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: my-app-4\n  labels:\n"
            "    app: my-app\nspec:\n  containers:\n  - name: app\n"
            "    image: registry.example/my-app:1.0\n"
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: my-app-3\n",
        )
    ],
    ("one-request", "Ready or not"): [('status: "False"', 'status: "True"')],
    ("deployments", "Three places for labels"): [
        ("  selector:\n    app: web\n  ports", "  selector:\n    team: shop\n  ports")
    ],
    ("deployments", "Scaling"): [("replicas: 3", "replicas: 5")],
    ("deployments", "A rolling update"): [("web:1.0", "web:1.1")],
    ("labels-selectors", "Every pair must match"): [("    tier: frontend\n  ports", "  ports")],
    ("labels-selectors", "Case matters"): [("    App: shop", "    app: shop")],
    ("labels-selectors", "An empty selector selects nothing"): [
        ("selector: {}", "selector: {app: shop}")
    ],
    ("labels-selectors", "Quote values that look like something else"): [
        ('canary: "yes"', "canary: yes")
    ],
    ("ports", "Leaving targetPort out"): [("  - port: 8080", "  - port: 80")],
    ("ports", "Named targetPorts"): [("    - name: admin", "    - name: http")],
    ("ports", "A quoted number is a name"): [("targetPort: 8080", 'targetPort: "8080"')],
}


@pytest.mark.parametrize(("lesson_id", "title"), sorted(TRIES))
def test_a_try_done_as_written_meets_the_check(lesson_id: str, title: str) -> None:
    lesson = builtin_lesson(lesson_id)
    index = next(i for i, s in enumerate(lesson.steps) if s.title == title)
    step = lesson.steps[index]
    assert step.check is not None and step.try_this
    text = edited = lesson.step_manifest(index)
    for old, new in TRIES[lesson_id, title]:
        assert old in edited, (old, step.try_this)
        edited = edited.replace(old, new, 1)
    before = evaluate_text(step.check, text, network=lesson.network)
    after = evaluate_text(step.check, edited, network=lesson.network)
    assert not before.met, before.detail
    assert after.met, (step.try_this, after.detail)


def test_deleting_the_line_the_try_names_meets_the_check() -> None:
    """Lesson 6 step 2 names the text to delete; deleting what it names, and no more, is what
    a learner does. The words must be the port's `name: metrics`, with its `-` kept."""
    lesson = builtin_lesson("multi-port")
    index = next(i for i, s in enumerate(lesson.steps) if s.title.startswith("More than one"))
    step = lesson.steps[index]
    assert step.check is not None
    assert "leave the `-`" in step.try_this or "keep the `-`" in step.try_this, step.try_this
    text = lesson.step_manifest(index)
    assert evaluate_text(step.check, text.replace("name: metrics\n", "\n", 1)).met


def test_the_ready_step_marks_the_ready_condition() -> None:
    """Lesson 8 step 3 is about `api-2`'s Ready condition and its "try this" edits it, but the
    editor marked the Service's `targetPort: 8080` (walked in tmux)."""
    from tutor.course.locate import step_span

    lesson = builtin_lesson("health")
    index = next(i for i, s in enumerate(lesson.steps) if s.title == "Not ready, still listed")
    span = step_span(lesson, index)
    assert span is not None
    lines = lesson.step_manifest(index).splitlines()
    assert lines[span.line - 1].strip() == 'status: "False"', lines[span.line - 1]
    assert "name: api-2" in "\n".join(lines[: span.line])


def test_the_empty_selector_try_says_what_to_type() -> None:
    """Lesson 4 step 6 said "Put `app: shop` in the selector (replace `{}`)": done as written,
    `selector: app: shop` is a YAML error, not the step's point. It names the text to type."""
    lesson = builtin_lesson("labels-selectors")
    step = next(s for s in lesson.steps if s.title == "An empty selector selects nothing")
    assert step.try_this and "`{app: shop}`" in step.try_this, step.try_this
    index = lesson.steps.index(step)
    literal = lesson.step_manifest(index).replace("selector: {}", "selector: app: shop", 1)
    assert step.check is not None
    assert not evaluate_text(step.check, literal, network=lesson.network).met


@pytest.mark.parametrize(
    ("lesson_id", "challenge_id", "wrong", "said"),
    [
        # lesson 6 challenge 3 as given: `name: LDAP`
        ("multi-port", "srv-name", None, 'spec.ports[0].name: Invalid value: "LDAP"'),
        # lesson 9 challenge 4's wrong fix: `clusterIP: None` on a NodePort Service
        ("service-types", "go-headless", 0, "spec.clusterIP"),
    ],
)
def test_a_dns_goal_names_the_rejected_service(
    lesson_id: str, challenge_id: str, wrong: int | None, said: str
) -> None:
    """ctrl+s answered only "does not resolve (NXDOMAIN)" when the Service behind the name
    was refused by the API server; at 80x24 the refusal is on the YAML pane, not beside the
    answer. The answer now names the refusal, as a traffic goal's does."""
    lesson = builtin_lesson(lesson_id)
    challenge = next(c for c in lesson.challenges if c.id == challenge_id)
    text = challenge.manifest if wrong is None else challenge.wrong_solutions[wrong].manifest
    result = evaluate_text(challenge.goal, text, network=lesson.network)
    assert not result.met and "(NXDOMAIN)" in result.detail, result.detail
    assert "the API server rejects Service" in result.detail and said in result.detail, (
        result.detail
    )


def test_a_share_goal_says_where_the_other_requests_went() -> None:
    """Lesson 7 challenge 1 as given: ctrl+s said "portal-c served 339 of 1000 requests
    (34%); the goal is all of them", and nothing said the rest were spread over the other
    Pods, which is the problem the learner is to see."""
    lesson = builtin_lesson("kube-proxy")
    challenge = next(c for c in lesson.challenges if c.id == "sticky-login")
    result = evaluate_text(challenge.goal, challenge.manifest, network=lesson.network)
    assert not result.met, result.detail
    assert "portal-c served 339 of 1000 requests (34%)" in result.detail, result.detail
    assert "the rest went to portal-a (" in result.detail, result.detail
    assert "and portal-b (" in result.detail, result.detail


def test_the_local_policy_step_says_what_a_pod_gets_at_an_empty_node() -> None:
    """Lesson 9 step 5 says a node without a local endpoint drops external traffic; from the
    console (a Pod), `curl <node-2's IP>:<nodePort>` answers, as kube-proxy sends a Pod's
    packets to any endpoint. The text says so, so the console does not contradict it."""
    from tutor.model import analyze
    from tutor.model.proxy import Client
    from tutor.model.report import Outcome, request

    lesson = builtin_lesson("service-types")
    step = next(s for s in lesson.steps if s.title == "externalTrafficPolicy Local")
    index = lesson.steps.index(step)
    analysis = analyze(lesson.step_manifest(index), network=lesson.network)
    node_port = analysis.services[0].ports[0].port.node_port
    node2 = analysis.cluster.node_info["node-2"].ip
    out = request(analysis, Client("client", "10.244.1.100", "node-1"), node2, node_port)
    assert out.kind == Outcome.ANSWERED, out
    assert "a Pod's packets to a NodePort" in " ".join(step.text.split()), step.text
