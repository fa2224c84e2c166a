"""Lessons 6 to 10: each "try this" done as its words say meets the step's check (and the
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
