"""`ktutor new-lesson NAME [--dir DIR]`: write a commented starter lesson that passes lint.

An instructor starts from a lesson that already works (steps, a step check, two challenges whose
goals the linter verifies, a quiz) and edits it, rather than from an empty file and the docs.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from tutor.course.atomic import write_atomic
from tutor.resources import package_file

from ._safe import terminal_safe

_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_NUMBERED = re.compile(r"\d+-([a-z0-9][a-z0-9-]*)\Z")

STARTER = package_file("course", "starter-lesson.yaml")
"""The template: a lesson file with __ID__, __TITLE__, __FILE__ and __DIR__ to fill in."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name",
        metavar="NAME",
        nargs="?",
        help="the lesson id and file name (lower-case letters, digits, '-'); `05-NAME` "
        "writes 05-NAME.yaml, lesson NAME, sorted by the number",
    )
    parser.add_argument(
        "--help-format",
        action="store_true",
        help="print the lesson file format reference (the installed copy of docs/lessons.md)",
    )
    parser.add_argument(
        "--dir",
        default=".",
        metavar="DIR",
        help="where to write NAME.yaml (default: the current folder)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")


def starter(lesson_id: str, directory: Path, file_name: str = "") -> str:
    """The starter lesson's text for `lesson_id` written into `directory` (as `file_name`,
    default `<lesson_id>.yaml`)."""
    file = directory / (file_name or f"{lesson_id}.yaml")
    title = lesson_id.replace("-", " ").capitalize()
    template = STARTER.read_text(encoding="utf-8")
    return (
        template.replace("__ID__", lesson_id)
        .replace("__TITLE__", title)
        .replace("__FILE__", str(file))
        .replace("__DIR__", str(directory))
    )


def format_reference() -> Path:
    """The lesson format reference: the wheel's copy (`tutor/_data/lessons.md`), or
    docs/lessons.md in a source checkout."""
    packaged = package_file("_data", "lessons.md")
    return packaged if packaged.is_file() else package_file().parent / "docs" / "lessons.md"


@terminal_safe
def run(args: argparse.Namespace) -> int:
    if args.help_format:
        try:
            print(format_reference().read_text(encoding="utf-8"), end="")
        except OSError as exc:
            print(f"ktutor: the format reference is missing ({exc})", file=sys.stderr)
            return 2
        return 0
    if args.name is None:
        print("ktutor new-lesson: give the lesson's NAME (or --help-format)", file=sys.stderr)
        return 2
    name: str = args.name
    if name.endswith((".yaml", ".yml")):
        name = name.rsplit(".", 1)[0]
    if not _ID.match(name) or len(name) > 63:
        print(
            f"ktutor: {args.name!r} cannot be a lesson id: use lower-case letters, digits "
            "and '-', starting with a letter or digit (e.g. `my-lesson`)",
            file=sys.stderr,
        )
        return 2
    # `05-sticky`, as lessons are named (`NN-<id>.yaml`): the file sorts fifth, the id is
    # `sticky` (lint holds such a file name to its id)
    numbered = _NUMBERED.match(name)
    lesson_id = numbered.group(1) if numbered else name
    directory = Path(args.dir)
    file = directory / f"{name}.yaml"
    if file.exists() and not args.force:
        print(f"ktutor: {file} already exists (add --force to overwrite it)", file=sys.stderr)
        return 2
    try:
        directory.mkdir(parents=True, exist_ok=True)
        write_atomic(file, starter(lesson_id, directory, file.name))
    except OSError as exc:
        print(f"ktutor: cannot write {file} ({exc.strerror or exc})", file=sys.stderr)
        return 2
    print(
        f"Wrote {file}. Edit it, check it with `ktutor lint {file}`, and try it with "
        f"`ktutor --lessons {directory} {lesson_id}`."
    )
    return 0
