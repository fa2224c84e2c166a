"""Lesson files -> Lesson objects, with every problem reported as `FILE:LINE: what is wrong`.

Lesson packs come from strangers, so the loader trusts nothing: the core's input limits (size,
binary, UTF-8, depth, alias bombs) apply before the YAML parser builds anything, at most
MAX_LESSON_FILES files are read per pack, files that resolve outside their pack (symlinks) or are
not regular files are refused, and terminal escape sequences and control characters are stripped
from every string so a lesson cannot repaint or hijack the learner's terminal. One broken file
never stops the others from loading.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.model.limits import MAX_TEXT_BYTES, InputRejected, decode_bytes
from tutor.model.paths import Path as FieldPath
from tutor.model.paths import value_at
from tutor.model.yamldoc import Document, YamlSyntaxError, load_documents, syntax_hint

from . import schema
from .lesson import (
    ROUTING_FULL,
    Challenge,
    Choice,
    Goal,
    Lesson,
    LessonError,
    LessonSet,
    Question,
    Step,
    WrongSolution,
)
from .packs import BUILTIN_PACK, lesson_sources, pack_files

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erase
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks, clipboard
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]"  # other two- and three-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c]*[\x07\x9c]?"  # 8-bit OSC
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 controls except tab and newline, and the bidi overrides that can make text read
differently from what it is ("Trojan Source")."""

_NN = re.compile(r"(\d+)-")


def clean_text(text: str) -> str:
    """`text` without terminal escape sequences and control characters (newline and tab kept)."""
    if text.isprintable():
        return text
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def clean(data: Any) -> Any:
    """Strip escapes from every string (keys too) in a YAML-built structure."""
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, dict):
        return {clean(k): clean(v) for k, v in data.items()}
    if isinstance(data, list):
        return [clean(v) for v in data]
    return data


@dataclass(slots=True)
class FileReport:
    """Everything the loader learned about one file: the linter needs all of it."""

    file: Path
    lesson: Lesson | None
    errors: list[LessonError]
    text: str = ""
    document: Document | None = None
    data: Any = None

    def line_of(self, path: FieldPath) -> int:
        return line_of(self.document, path)


def line_of(doc: Document | None, path: FieldPath) -> int:
    """The line of `path`'s key (or of its nearest ancestor that exists), 1 when unknown."""
    if doc is None:
        return 1
    span = doc.span(tuple(path))
    return span.line if span is not None else 1


def _read_bytes(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(MAX_TEXT_BYTES + 1)


def read_file(path: Path, pack: str = BUILTIN_PACK) -> FileReport:
    """Load one lesson file and report every problem in it (the linter shows them all)."""
    path = Path(path)
    report = FileReport(path, None, [])

    def fail(line: int, message: str) -> FileReport:
        report.errors.append(LessonError(path, max(1, line), message))
        return report

    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return fail(1, "not a regular file")
        raw = _read_bytes(path)
    except FileNotFoundError:
        return fail(1, "no such file")
    except PermissionError:
        return fail(1, "permission denied")
    except OSError as exc:
        return fail(1, f"cannot read ({exc.strerror or exc})")
    try:
        report.text = decode_bytes(raw)
        docs = load_documents(report.text)
    except InputRejected as exc:
        return fail(exc.line, exc.reason)
    except YamlSyntaxError as exc:
        hint = _document_marker_hint(report.text, exc.line) or syntax_hint(exc.message)
        return fail(
            exc.line,
            f"YAML syntax error: {exc.message} (column {exc.column})"
            + (f"; {hint}" if hint else ""),
        )
    if not docs:
        return fail(
            1, "the file is empty: a lesson needs id, title, summary, minutes, manifest and steps"
        )
    if len(docs) > 1:
        return fail(
            docs[1].line,
            f"a lesson file holds one YAML document, found {len(docs)} "
            "(a `---` line starts a new document; put manifests in `manifest: |`)",
        )
    doc = report.document = docs[0]
    if not isinstance(doc.data, dict):
        return fail(
            doc.line,
            f"a lesson is a mapping of fields (id, title, ...), not {schema.describe(doc.data)}",
        )
    for dup in doc.duplicates:
        report.errors.append(
            LessonError(
                path, dup.line, f"duplicate key `{dup.path[-1]}` (first at line {dup.first_line})"
            )
        )
    data = report.data = clean(doc.data)
    lesson_id = data.get("id") if isinstance(data.get("id"), str) else ""
    problems = schema.problems(data)
    for problem in problems:
        message = problem.message
        span = doc.spans.get(problem.path)
        if span is not None and span.raw is not None and "must be text" in message:
            read_as = schema.describe(value_at(doc.data, problem.path))
            message += f' (YAML reads `{span.raw}` as {read_as}; quote it: "{span.raw}")'
        elif "must be text" in message and isinstance(problem.path[-1], str):
            # `manifest:` without its `|`, or `text: Set app: web` unquoted
            message += (
                f" (write `{problem.path[-1]}: |` and the text indented below it, or quote a "
                "one-line value that holds `: `)"
            )
        report.errors.append(LessonError(path, line_of(doc, problem.path), message, lesson_id))
    report.errors.sort(key=lambda e: e.line)
    if report.errors:
        return report
    report.lesson = build_lesson(data, path, pack, lambda p: line_of(doc, p))
    return report


def _document_marker_hint(text: str, line: int) -> str:
    """The hint for an error just after an indented `---`: several manifests under a key
    that lacks its `|` (YAML then reads them as keys of the lesson file)."""
    lines = text.splitlines()
    before = [ln for ln in lines[max(0, line - 3) : line - 1] if ln.strip()]
    if before and before[-1].strip() == "---" and before[-1].startswith(" "):
        return (
            "a `---` inside a value: a manifest is text, so write `manifest: |` (or "
            "`solution: |`) with the documents indented below it"
        )
    return ""


def _port(value: Any) -> str:
    return str(value)


def build_goal(
    data: dict[str, Any], path: FieldPath, line: Callable[[FieldPath], int], start: str = ""
) -> Goal:
    """A schema-valid goal mapping -> Goal (ports as strings, `all` as a tuple of Goals).

    `start` is the manifest the learner starts from (the challenge's, or the step's): an
    `unchanged` goal keeps it in its data, so the goal can be checked on its own."""
    kind = next(k for k in data if k in schema.GOAL_KINDS)
    value = data[kind]
    payload: dict[str, Any]
    if kind == "all":
        payload = {
            "goals": tuple(
                build_goal(g, (*path, "all", i), line, start) for i, g in enumerate(value)
            )
        }
    elif kind == "valid":
        payload = {}
    else:
        payload = dict(value)
        if "port" in payload:
            payload["port"] = _port(payload["port"])
        for key in ("pods", "pods_include", "pods_exclude", "answers_include", "kinds"):
            if key in payload:
                payload[key] = tuple(str(v) for v in payload[key])
        if kind == "unchanged":
            payload["start"] = start
    return Goal(kind, payload, str(data.get("description", "")), line((*path, kind)))


def build_lesson(
    data: dict[str, Any], file: Path, pack: str, line: Callable[[FieldPath], int]
) -> Lesson:
    starts: list[str] = []
    current = data["manifest"]
    for s in data["steps"]:
        current = s.get("manifest", current)
        starts.append(current)
    steps = tuple(
        Step(
            title=s["title"],
            path=s.get("path", ""),
            text=s["text"],
            try_this=s.get("try", ""),
            check=build_goal(s["check"], ("steps", i, "check"), line, starts[i])
            if "check" in s
            else None,
            manifest=s.get("manifest"),
            line=line(("steps", i)),
            doc=s.get("doc", ""),
            commands=tuple(s.get("commands", ())),
            expect=build_goal(s["expect"], ("steps", i, "expect"), line, starts[i])
            if "expect" in s
            else None,
            routing=s.get("routing", ROUTING_FULL),
        )
        for i, s in enumerate(data["steps"])
    )
    challenges = tuple(
        Challenge(
            id=c["id"],
            title=c["title"],
            text=c["text"],
            manifest=c["manifest"],
            goal=build_goal(c["goal"], ("challenges", i, "goal"), line, c["manifest"]),
            hints=tuple(c["hints"]),
            solution=c["solution"],
            line=line(("challenges", i)),
            wrong_solutions=tuple(
                WrongSolution(
                    w["why"], w["manifest"], line(("challenges", i, "wrong_solutions", j))
                )
                for j, w in enumerate(c.get("wrong_solutions", ()))
            ),
            commands=tuple(c.get("commands", ())),
            routing=c.get("routing", ROUTING_FULL),
        )
        for i, c in enumerate(data.get("challenges", []))
    )
    quiz = tuple(
        Question(
            question=q["question"],
            choices=tuple(Choice(ch["text"], ch["correct"], ch["explain"]) for ch in q["choices"]),
            line=line(("quiz", i)),
        )
        for i, q in enumerate(data.get("quiz", []))
    )
    order = data.get("order")
    if order is None:
        m = _NN.match(file.name)
        order = int(m.group(1)) if m else 0
    return Lesson(
        id=data["id"],
        title=data["title"],
        summary=data["summary"],
        minutes=data["minutes"],
        manifest=data["manifest"],
        steps=steps,
        challenges=challenges,
        quiz=quiz,
        order=order,
        source=file,
        pack=pack,
        ip_families=tuple(data.get("cluster", {}).get("ip_families", ("IPv4",))),
    )


def load_lesson_file(path: Path, pack: str = BUILTIN_PACK) -> Lesson | LessonError:
    """One lesson, or the first thing wrong with its file."""
    report = read_file(path, pack)
    if report.lesson is not None:
        return report.lesson
    return report.errors[0]


def load_lessons(
    extra_dirs: Sequence[Path] = (), *, include_builtin: bool = True, use_env: bool = True
) -> LessonSet:
    """Built-in lessons, then each extra folder, then KTUTOR_LESSONS' folders.

    A lesson whose id is already taken is an error on the later file; the first one wins.
    """
    result = LessonSet()
    by_id: dict[str, Lesson] = {}
    rank: dict[str, int] = {}
    sources = lesson_sources(extra_dirs, include_builtin=include_builtin, use_env=use_env)
    for position, (directory, pack) in enumerate(sources):
        rank.setdefault(pack, position)
        files, errors = pack_files(directory)
        result.errors.extend(errors)
        for file in files:
            report = read_file(file, pack)
            lesson = report.lesson
            if lesson is None:
                result.errors.append(report.errors[0])
                continue
            first = by_id.get(lesson.id)
            if first is not None:
                result.errors.append(
                    LessonError(
                        file,
                        report.line_of(("id",)),
                        f"duplicate lesson id `{lesson.id}`: {first.source} already uses it",
                        lesson.id,
                    )
                )
                continue
            by_id[lesson.id] = lesson
            result.lessons.append(lesson)
    result.lessons.sort(key=lambda le: (rank.get(le.pack, 0), le.order, le.id))
    return result


def parse_goal(data: Any, line: int = 0, start: str = "") -> Goal:
    """A goal mapping as written in a lesson (`{traffic: {...}, description: ...}`) -> Goal;
    `start` is the manifest an `unchanged` goal compares with.

    Raises ValueError with the schema's message when the mapping is not a goal.
    """
    wrapped: dict[str, Any] = {
        "id": "x",
        "title": "x",
        "summary": "x",
        "minutes": 1,
        "manifest": "x",
        "steps": [{"title": "x", "text": "x", "check": clean(data)}],
    }
    found = schema.problems(wrapped)
    if found:
        raise ValueError(found[0].message.replace("`steps[0].check", "`goal"))
    goal = build_goal(wrapped["steps"][0]["check"], (), lambda _p: line, start)
    return goal
