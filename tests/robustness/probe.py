"""Child-process probe: one bad input through `tutor.model.analyze` and the lesson loader.

Run as `probe.py KIND PATH` by tests/robustness and benchmarks/robustness.py, so each input
is timed and its peak memory measured in a fresh process. Prints one JSON line describing the
answers; any exception escapes as a traceback, which the callers treat as a crash.
"""

from __future__ import annotations

import dataclasses
import json
import stat
import sys
from pathlib import Path
from typing import Any

from tutor.course.lesson import Lesson, LessonError
from tutor.course.loader import load_lesson_file, load_lessons
from tutor.model import analyze

FORBIDDEN = ("\x1b", "\x9b", "\x9d", "\u202e", "\u2066", "\x07")


def strings(value: Any) -> list[str]:
    """Every string inside a lesson (dataclasses, tuples, dicts)."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in strings(getattr(value, f.name))]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings(k) + strings(v)]
    return []


def dirty(lesson: Lesson) -> bool:
    return any(ch in s for s in strings(lesson) for ch in FORBIDDEN)


def main(kind: str, raw_path: str) -> dict[str, Any]:
    path = Path(raw_path)
    out: dict[str, Any] = {}
    if kind == "pack":
        result = load_lessons([path], include_builtin=False, use_env=False)
        out["lessons"] = len(result.lessons)
        out["errors"] = [str(e) for e in result.errors]
        assert all(e.line >= 1 and e.message for e in result.errors)
        out["dirty"] = any(dirty(le) for le in result.lessons)
        out["outside"] = [
            str(le.source)
            for le in result.lessons
            if le.source is None or not le.source.resolve().is_relative_to(path.resolve())
        ]
        return out
    try:
        regular = path.exists() and stat.S_ISREG(path.stat().st_mode)
    except OSError:  # a name or path too long for the file system
        regular = False
    if regular:
        text = path.read_bytes().decode("utf-8", "replace")
        result_a = analyze(text)
        parsed = result_a.parsed
        if parsed.rejected is not None:
            out["analyze"] = f"rejected: {parsed.rejected.reason}"
        elif parsed.syntax_error is not None:
            assert parsed.syntax_error.line >= 1
            out["analyze"] = f"syntax error at line {parsed.syntax_error.line}"
        else:
            assert all(e.line >= 1 and e.column >= 1 and e.message for e in result_a.errors)
            out["analyze"] = f"valid={result_a.valid} errors={len(result_a.errors)}"
        json.dumps(result_a.route_json())
    loaded = load_lesson_file(path)
    if isinstance(loaded, LessonError):
        assert loaded.line >= 1 and loaded.message
        out["lesson"] = f"error: {loaded}"
        out["dirty"] = any(ch in str(loaded) for ch in FORBIDDEN)
    else:
        out["lesson"] = f"loaded {loaded.id}"
        out["dirty"] = dirty(loaded)
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
