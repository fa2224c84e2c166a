"""The lessons as last loaded, kept as JSON so the lesson list is full in the app's first frame.

Loading the lesson files (YAML with positions, JSON Schema checks, escape stripping) takes a
quarter of a second, most of it importing and running jsonschema; reading this file takes a few
milliseconds. It is used only when nothing it was made from has changed: the same ktutor code
(version and the loader's own files), the same folders, and every lesson file with the same
name, size and modification time. Anything else (or a cache that is missing, unreadable or from
a stranger's hand) is simply ignored and the files are loaded as always.

The cache holds data only (strings, numbers, lists) and is rebuilt into the same frozen
dataclasses the loader makes; nothing in it is executed. `ktutor lint` never uses it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from tutor import __version__, resources, settings

from .atomic import write_atomic
from .listing import Heading
from .packs import lesson_sources, pack_files
from .progress import missing_home

if TYPE_CHECKING:
    from .lesson import Goal, Lesson, LessonSet

FORMAT = "ktutor-lesson-cache"
VERSION = 4
FILE_NAME = "lessons.json"
MAX_BYTES = 8 * 1024 * 1024
"""A cache larger than this is not read (nine lessons take about 150 KB)."""
CODE_FILES = ("loader.py", "lesson.py", "schema.py", "lesson.schema.json")
"""The loader's own files: a cache made by other code is not used (an editable checkout)."""


def cache_file(data_dir: str | Path | None = None) -> Path:
    """`data_dir` or `$KTUTOR_DATA_DIR` (as progress uses), else the user's cache folder."""
    base = Path(data_dir).expanduser() if data_dir else settings.data_dir()
    if base is None:
        return Path(platformdirs.user_cache_dir("ktutor")) / FILE_NAME
    return base / "cache" / FILE_NAME


def _stamp(path: Path) -> list[Any]:
    try:
        st = path.stat()
    except OSError:
        return [str(path), None, None]
    return [str(path), st.st_size, st.st_mtime_ns]


def fingerprint(extra_dirs: Sequence[Path]) -> list[Any]:
    """What the lessons were made from: code, folders, files (name, size, mtime)."""
    code_dir = Path(__file__).parent
    code = [_stamp(code_dir / name) for name in CODE_FILES]
    folders: list[Any] = []
    for directory, pack in lesson_sources(extra_dirs):
        files, errors = pack_files(directory)
        folders.append(
            [
                str(directory),
                pack,
                [_stamp(f) for f in files],
                [[str(e.file), e.line, e.message] for e in errors],
            ]
        )
    return [__version__, str(resources.lessons_dir()), code, folders]


# -- lessons <-> JSON ---------------------------------------------------------------------------


def _goal_out(goal: Goal | None) -> Any:
    if goal is None:
        return None
    data = dict(goal.data)
    if "goals" in data:
        data["goals"] = [_goal_out(g) for g in data["goals"]]
    return {"kind": goal.kind, "data": data, "description": goal.description, "line": goal.line}


def _goal_in(raw: Any) -> Goal | None:
    from .lesson import Goal

    if raw is None:
        return None
    data = {k: tuple(v) if isinstance(v, list) else v for k, v in raw["data"].items()}
    if "goals" in data:
        data["goals"] = tuple(_goal_in(g) for g in data["goals"])
    return Goal(raw["kind"], data, raw["description"], raw["line"])


def lesson_out(lesson: Lesson) -> dict[str, Any]:
    return {
        "id": lesson.id,
        "title": lesson.title,
        "summary": lesson.summary,
        "minutes": lesson.minutes,
        "manifest": lesson.manifest,
        "order": lesson.order,
        "source": str(lesson.source) if lesson.source is not None else None,
        "pack": lesson.pack,
        "ip_families": list(lesson.ip_families),
        "steps": [
            {
                "title": s.title,
                "path": s.path,
                "text": s.text,
                "try_this": s.try_this,
                "check": _goal_out(s.check),
                "manifest": s.manifest,
                "line": s.line,
                "doc": s.doc,
                "commands": list(s.commands),
                "expect": _goal_out(s.expect),
                "routing": s.routing,
            }
            for s in lesson.steps
        ],
        "challenges": [
            {
                "id": c.id,
                "title": c.title,
                "text": c.text,
                "manifest": c.manifest,
                "goal": _goal_out(c.goal),
                "hints": list(c.hints),
                "solution": c.solution,
                "line": c.line,
                "wrong_solutions": [[w.why, w.manifest, w.line] for w in c.wrong_solutions],
                "commands": list(c.commands),
                "routing": c.routing,
            }
            for c in lesson.challenges
        ],
        "quiz": [
            {
                "question": q.question,
                "line": q.line,
                "choices": [[c.text, c.correct, c.explain] for c in q.choices],
            }
            for q in lesson.quiz
        ],
    }


def lesson_in(raw: dict[str, Any]) -> Lesson:
    from .lesson import Challenge, Choice, Lesson, Question, Step, WrongSolution

    steps = tuple(
        Step(
            s["title"],
            s["path"],
            s["text"],
            s["try_this"],
            _goal_in(s["check"]),
            s["manifest"],
            s["line"],
            s["doc"],
            tuple(s["commands"]),
            _goal_in(s["expect"]),
            s["routing"],
        )
        for s in raw["steps"]
    )
    challenges = tuple(
        Challenge(
            c["id"],
            c["title"],
            c["text"],
            c["manifest"],
            _goal_in(c["goal"]),  # type: ignore[arg-type]
            tuple(c["hints"]),
            c["solution"],
            c["line"],
            tuple(WrongSolution(why, text, line) for why, text, line in c["wrong_solutions"]),
            tuple(c["commands"]),
            c["routing"],
        )
        for c in raw["challenges"]
    )
    quiz = tuple(
        Question(q["question"], tuple(Choice(t, ok, why) for t, ok, why in q["choices"]), q["line"])
        for q in raw["quiz"]
    )
    return Lesson(
        raw["id"],
        raw["title"],
        raw["summary"],
        raw["minutes"],
        raw["manifest"],
        steps,
        challenges,
        quiz,
        raw["order"],
        Path(raw["source"]) if raw["source"] is not None else None,
        raw["pack"],
        tuple(raw["ip_families"]),
    )


# -- reading and writing ------------------------------------------------------------------------


class Kept:
    """The lessons as the cache keeps them: their headings at once (what the lesson list
    shows), the lessons themselves when `build` is called (see `tutor.course.listing`)."""

    __slots__ = ("_errors", "_lessons", "headings")

    def __init__(self, lessons: list[dict[str, Any]], errors: list[list[Any]]) -> None:
        self._lessons = lessons
        self._errors = errors
        self.headings = [Heading.of_data(le) for le in lessons]

    @property
    def has_errors(self) -> bool:
        return bool(self._errors)

    def build(self) -> LessonSet:
        """The lessons and errors, as the loader made them (raises on data the cache's own
        writer would not have written)."""
        from .lesson import LessonError, LessonSet

        lessons = [lesson_in(le) for le in self._lessons]
        errors = [
            LessonError(Path(f), line, message, lesson_id)
            for f, line, message, lesson_id in self._errors
        ]
        return LessonSet(lessons, errors)


def read_kept(extra_dirs: Sequence[Path] = (), data_dir: str | Path | None = None) -> Kept | None:
    """The cached lessons, not yet built, or None when there is no usable cache for these
    folders."""
    path = cache_file(data_dir)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            return None
        data = json.loads(raw.decode("utf-8"))
        if (data.get("format"), data.get("version")) != (FORMAT, VERSION):
            return None
        if data.get("fingerprint") != fingerprint(extra_dirs):
            return None
        return Kept(list(data["lessons"]), list(data["errors"]))
    except Exception:  # missing, unreadable, or not what we wrote: load the files instead
        return None


def read(extra_dirs: Sequence[Path] = (), data_dir: str | Path | None = None) -> LessonSet | None:
    """The cached lessons, or None when there is no usable cache for these folders."""
    kept = read_kept(extra_dirs, data_dir)
    if kept is None:
        return None
    try:
        return kept.build()
    except Exception:  # not what we wrote: load the files instead
        return None


def write(found: LessonSet, stamp: list[Any], data_dir: str | Path | None = None) -> bool:
    """Keep `found` for the next start. `stamp` is the `fingerprint` taken *before* the files
    were read: a file changed while they were read then makes the cache stale at once, instead
    of stamping old lessons with the new file's time. Never raises: without a cache the next
    start loads the files, as this one did."""
    path = cache_file(data_dir)
    with contextlib.suppress(Exception):
        if missing_home(path.parent) is not None:
            return False  # a wrong HOME: do not create it for a cache
        data = {
            "format": FORMAT,
            "version": VERSION,
            "fingerprint": stamp,
            "lessons": [lesson_out(le) for le in found.lessons],
            "errors": [[str(e.file), e.line, e.message, e.lesson_id] for e in found.errors],
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(data, ensure_ascii=False), fsync=False)
        return True
    return False
