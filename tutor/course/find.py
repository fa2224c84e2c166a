"""Find one lesson by id (built-ins plus packs) or by file path: what `ktutor print` and
`ktutor export` take on their command line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tutor.course.lesson import Lesson


class LessonNotFound(Exception):
    """A one-line message: the id is unknown or the file does not load."""


def find_lesson(ref: str, extra_dirs: Sequence[str | Path] = ()) -> Lesson:
    """`ref` is a lesson id, or a path to a lesson file (so authors can print a draft)."""
    from tutor.course.loader import load_lesson_file, load_lessons

    path = Path(ref)
    if ref.endswith((".yaml", ".yml")) or path.is_file():
        if not path.is_file():
            raise LessonNotFound(f"{ref}: no such lesson file")
        loaded = load_lesson_file(path, pack=path.parent.name or "file")
        if isinstance(loaded, Lesson):
            return loaded
        raise LessonNotFound(str(loaded))
    lessons = load_lessons([Path(d) for d in extra_dirs])
    lesson = lessons.get(ref)
    if lesson is None:
        raise LessonNotFound(lessons.not_found(ref))
    return lesson
