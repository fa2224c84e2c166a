"""Fixtures for the app tests: a small lesson of our own (so lesson edits never break these
tests), an isolated progress folder, and helpers to wait for the analysis worker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sample_manifests import DEPLOYMENT, MANIFEST

from tutor.course.lesson import Challenge, Choice, Goal, Lesson, LessonError, Question, Step


def make_lesson() -> Lesson:
    steps = (
        Step(
            "The selector",
            "spec.selector",
            "The **selector** picks Pods by label.",
            try_this="Change `web` to `api`.",
            check=Goal(
                "traffic",
                {"service": "web", "port": "80", "pods": ["api-1"]},
                "Only api-1 gets traffic.",
            ),
        ),
        Step("The port", "spec.ports[0].port", "`port` is what clients use."),
        Step("A Deployment", "spec.replicas", "Pods made by a Deployment.", manifest=DEPLOYMENT),
    )
    challenges = (
        Challenge(
            "fix-selector",
            "Send traffic to api",
            "Make **api-1** the only backend.",
            MANIFEST,
            Goal(
                "traffic",
                {"service": "web", "port": "80", "pods": ["api-1"]},
                "api-1 alone gets traffic",
            ),
            ("Look at the selector.", "Set `app: api`."),
            MANIFEST.replace("    app: web\n  ports", "    app: api\n  ports"),
        ),
        Challenge(
            "break-port",
            "Break the port",
            "Make the API server reject the port.",
            MANIFEST,
            Goal("invalid", {"path": "spec.ports[0].port"}),
            ("Ports go from 1 to 65535.",),
            MANIFEST.replace("port: 80", "port: 0"),
        ),
    )
    quiz = (
        Question(
            "What does a selector match?",
            (
                Choice("Pod labels", True, "Yes: every pair must be on the Pod."),
                Choice("Pod names", False, "Names are never matched."),
            ),
        ),
        Question(
            "Which port do clients use?",
            (
                Choice("targetPort", False, "That one is on the Pod."),
                Choice("port", True, "Clients connect to the Service's port."),
            ),
        ),
        Question(
            "Is [port] markup?",
            (Choice("[bold]no[/bold]", True, "Printed as written."), Choice("yes", False, "No.")),
        ),
    )
    return Lesson(
        "basics",
        "Service basics",
        "Selectors, ports and Pods.",
        10,
        MANIFEST,
        steps,
        challenges,
        quiz,
        order=1,
    )


def make_other() -> Lesson:
    return Lesson(
        "second",
        "Second lesson",
        "Another one [with brackets].",
        5,
        MANIFEST,
        (Step("Only step", "", "Text."),),
        (),
        (),
        order=2,
    )


BROKEN = LessonError(
    Path("lessons/99-broken.yaml"), 7, "steps[0].path: `spec.nope` is not in the manifest", "broken"
)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("KTUTOR_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KTUTOR_LESSONS", raising=False)
    monkeypatch.delenv("KTUTOR_SERVE", raising=False)  # else the name prompt comes first
    yield tmp_path


def build_app(
    data_dir: Path,
    lesson_id: str | None = None,
    step: int | None = None,
    lessons: list[Lesson] | None = None,
    warm_up: bool = False,
) -> Any:
    """The app as a test drives it. Without the warm-up unless asked (`warm_up=True`): it
    mounts a hidden widget of each kind, loads tree-sitter, collects and freezes the heap and
    makes the spare editor, about 0.16 CPU s per app. test_app_open asks for it (the spare
    editor); the course walkthroughs, lesson 1 end to end, the warm-up test, the progress
    actions and the stress tests start TutorApp itself, warm."""
    from tutor.app.app import TutorApp

    app = TutorApp(
        lesson_id,
        step=step,
        data_dir=data_dir,
        lessons=lessons if lessons is not None else [make_lesson(), make_other()],
        errors=[BROKEN],
    )
    app.cursor_blink = False
    app.burst_frame_seconds = 0  # a burst is shown at once: no 30 fps animation under each pause
    app.warm_up = warm_up
    return app


@pytest.fixture
def make_app(data_dir: Path) -> Callable[..., Any]:
    """`make_app(lesson_id=None, step=None, warm_up=False)`: the app on the fixture lessons,
    progress in tmp."""
    return lambda *args, **kwargs: build_app(data_dir, *args, **kwargs)


@pytest.fixture
def lesson() -> Lesson:
    return make_lesson()
