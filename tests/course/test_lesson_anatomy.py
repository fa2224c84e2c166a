"""Lesson 1 tells the truth: its manifest routes as the text says, it stays short (at most nine
steps, review of 2026-12 section 4.5) with its Docker anchors, and every "try this" edit meets the
step's check (and the unedited manifest does not)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.course.goals import evaluate_text
from tutor.course.lesson import Lesson
from tutor.course.loader import load_lesson_file
from tutor.course.locate import step_span
from tutor.model import analyze

FILE = Path(__file__).resolve().parents[2] / "lessons" / "01-anatomy.yaml"
FIELDS = [
    "kind",
    "metadata.name",
    "spec",
    "spec.selector",
    "spec.ports",
    "spec.ports[0].protocol",
    "spec.ports[0].port",
    "spec.ports[0].targetPort",
]


@pytest.fixture(scope="module")
def lesson() -> Lesson:
    loaded = load_lesson_file(FILE)
    assert isinstance(loaded, Lesson), str(loaded)
    return loaded


def test_one_step_per_field_in_order(lesson: Lesson) -> None:
    assert lesson.id == "anatomy" and lesson.title == "Anatomy of a Service"
    assert len(lesson.steps) <= 9
    assert [s.path for s in lesson.steps[1:]] == FIELDS
    for i, step in enumerate(lesson.steps[1:], start=1):
        assert "**What it is.**" in step.text and "**Why it matters.**" in step.text, step.title
        span = step_span(lesson, i)
        assert span is not None and span.line <= 11  # inside the Service document


def test_docker_anchors(lesson: Lesson) -> None:
    """The first step starts from Compose and `-p`; the port steps map `-p 8080:80` onto them."""
    assert "Compose" in lesson.steps[0].text and "-p 8080:80" in lesson.steps[0].text
    by_path = {s.path: s.text for s in lesson.steps}
    assert "`8080` of `-p 8080:80`" in by_path["spec.ports[0].port"]
    assert "of `-p 8080:80`" in by_path["spec.ports[0].targetPort"]


def test_no_simulator_status_in_lesson_one(lesson: Lesson) -> None:
    """Pod status is the kubelet's to write; lesson 1 never asks for it (review 4.3)."""
    texts = [lesson.manifest, *(c.manifest for c in lesson.challenges)]
    assert not any("status:" in t or "nodeName" in t for t in texts)


def test_manifest_routes_three_ready_pods_to_8080(lesson: Lesson) -> None:
    analysis = analyze(lesson.manifest)
    assert analysis.valid
    sr = analysis.service("my-service")
    assert sr is not None and sr.service.selector == {"app": "my-app"}
    pr = sr.port("80")
    assert pr is not None
    assert {(ep.pod.name, ep.port) for ep in pr.used} == {
        ("my-app-1", 8080),
        ("my-app-2", 8080),
        ("my-app-3", 8080),
    }
    assert len({p.node_name for p in analysis.cluster.pods}) >= 2  # spread over nodes
    assert all(p.phase == "Running" and p.ready_condition == "True" for p in analysis.cluster.pods)


# step title -> the edit its "try this" asks for
TRIES = {
    "metadata.name": ("name: my-service", "name: MyService"),
    "spec.selector": ("    app: my-app\n  ports:", "    app: my-app-v2\n  ports:"),
    "spec.ports[0].protocol": ("protocol: TCP", "protocol: tcp"),
    "spec.ports[0].port": ("port: 80\n", "port: 8081\n"),
    "spec.ports[0].targetPort": ("    targetPort: 8080\n", ""),
}


def test_every_check_has_a_try(lesson: Lesson) -> None:
    assert {s.title for s in lesson.steps if s.check is not None} == set(TRIES)
    assert all(s.try_this for s in lesson.steps if s.check is not None)


@pytest.mark.parametrize("title", sorted(TRIES))
def test_try_this_meets_the_check(lesson: Lesson, title: str) -> None:
    index = next(i for i, s in enumerate(lesson.steps) if s.title == title)
    step = lesson.steps[index]
    assert step.check is not None
    text = lesson.step_manifest(index)
    old, new = TRIES[title]
    assert old in text
    before = evaluate_text(step.check, text)
    after = evaluate_text(step.check, text.replace(old, new, 1))
    assert not before.met, before.detail
    assert after.met, after.detail


def test_challenges_and_quiz(lesson: Lesson) -> None:
    assert len(lesson.challenges) >= 2 and len(lesson.quiz) >= 3
    for ch in lesson.challenges:
        assert ch.hints
        assert not evaluate_text(ch.goal, ch.manifest).met, ch.id
        assert evaluate_text(ch.goal, ch.solution).met, ch.id
        assert ch.wrong_solutions, ch.id
        for wrong in ch.wrong_solutions:
            assert not evaluate_text(ch.goal, wrong.manifest).met, (ch.id, wrong.why)
    for q in lesson.quiz:
        assert sum(c.correct for c in q.choices) == 1
