"""No lesson file, however mangled, makes the loader or the linter raise: a learner or an
instructor always gets `FILE:LINE: message`, never a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.course.lesson import Lesson, LessonError
from tutor.course.lint import lint_paths
from tutor.course.loader import load_lesson_file
from tutor.course.progress import ProgressStore

SAMPLE = (Path(__file__).resolve().parents[2] / "lessons" / "01-anatomy.yaml").read_text(
    encoding="utf-8"
)
LINES = SAMPLE.splitlines(keepends=True)[:140]  # the manifest and the first steps


@st.composite
def mangled(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "indent", "dedent"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "insert":
            lines.insert(i, draw(st.text(max_size=30)) + "\n")
        elif action == "indent":
            lines[i] = "  " + lines[i]
        else:
            lines[i] = lines[i].lstrip()
        if not lines:
            break
    return "".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled())
def test_mangled_lessons_never_raise(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lesson.yaml"
        path.write_text(text, encoding="utf-8", errors="replace")
        result = load_lesson_file(path)
        assert isinstance(result, (Lesson, LessonError))
        if isinstance(result, LessonError):
            assert result.line >= 1 and result.message
        for issue in lint_paths([path]):
            assert issue.line >= 1 and issue.message


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_any_progress_file_opens(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "progress.json"
        path.write_bytes(data)
        store = ProgressStore.open(path)
        store.mark_step_done("anatomy", 1)
        assert ProgressStore.open(path).lesson("anatomy").steps_done >= {1}
