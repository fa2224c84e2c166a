"""Which lesson files make up the course: the folders (built-in, `--lessons`, KTUTOR_LESSONS) and
the files in each pack, without reading them.

Kept apart from the loader (which needs jsonschema and the core) so the app can check its lesson
cache against the files at start-up for the cost of a few `stat` calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tutor import resources, settings
from tutor.model.limits import MAX_LESSON_FILES

if TYPE_CHECKING:
    from .lesson import LessonError

BUILTIN_PACK = "built-in"
LESSON_SUFFIXES = (".yaml", ".yml")


def _error(path: Path, message: str) -> LessonError:
    """A LessonError, imported only when there is one: the app checks its lesson cache (the
    files' names and times) before its first frame, and builds lessons only after it."""
    from .lesson import LessonError

    return LessonError(path, 1, message)


def pack_files(directory: Path) -> tuple[list[Path], list[LessonError]]:
    """The lesson files of one pack (top level, `*.yaml`/`*.yml`, sorted by name), at most
    MAX_LESSON_FILES, none resolving outside the pack."""
    errors: list[LessonError] = []
    try:
        root = directory.resolve(strict=True)
        entries = sorted(
            p
            for p in directory.iterdir()
            if p.suffix in LESSON_SUFFIXES and not p.name.startswith(".")
        )
    except FileNotFoundError:
        return [], [_error(directory, "no such lesson folder")]
    except NotADirectoryError:
        return [], [_error(directory, "not a folder (give a folder of lesson files)")]
    except OSError as exc:
        return [], [_error(directory, f"cannot read the folder ({exc.strerror or exc})")]
    files: list[Path] = []
    for entry in entries:
        try:
            real = entry.resolve(strict=True)
        except (OSError, RuntimeError):
            errors.append(_error(entry, "broken link; not loaded"))
            continue
        if not real.is_relative_to(root):
            errors.append(_error(entry, "points outside the lesson pack; not loaded"))
            continue
        if not real.is_file():
            continue
        files.append(entry)
    if len(files) > MAX_LESSON_FILES:
        rest = files[MAX_LESSON_FILES:]
        errors.append(
            _error(
                rest[0],
                f"{len(rest)} lesson file{'s' if len(rest) != 1 else ''} not loaded: a pack "
                f"holds at most {MAX_LESSON_FILES} (this one and the "
                "files after it were skipped); split the pack into several folders (one "
                "--lessons DIR each)",
            )
        )
        files = files[:MAX_LESSON_FILES]
    return files, errors


def _dedupe(dirs: Iterable[tuple[Path, str]]) -> list[tuple[Path, str]]:
    seen: set[Path] = set()
    out = []
    for directory, pack in dirs:
        try:
            key = directory.resolve()
        except OSError:
            key = directory
        if key in seen:
            continue
        seen.add(key)
        out.append((directory, pack))
    return out


def lesson_sources(
    extra_dirs: Sequence[Path] = (), *, include_builtin: bool = True, use_env: bool = True
) -> list[tuple[Path, str]]:
    """The folders to read, in order, each with its pack name: built-in lessons, then each
    extra folder, then KTUTOR_LESSONS' folders (a folder named twice is read once)."""
    sources: list[tuple[Path, str]] = []
    if include_builtin:
        sources.append((resources.lessons_dir(), BUILTIN_PACK))
    extras = [Path(d) for d in extra_dirs] + (settings.lesson_dirs() if use_env else [])
    sources.extend((d, d.name or str(d)) for d in extras)
    return _dedupe(sources)
