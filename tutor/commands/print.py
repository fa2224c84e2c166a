"""`ktutor print LESSON`: the lesson as one document (Markdown or HTML) for handouts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._safe import terminal_safe


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lesson", metavar="LESSON", help="a lesson id, or a lesson file")
    parser.add_argument(
        "--format",
        choices=("md", "html"),
        default=None,
        help="md (default) or html; default from --output's extension",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="print every step's whole manifest (by default a manifest is printed once, then "
        "only the lines around each step's field and what changed since the step before)",
    )
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        default=None,
        help="write to FILE instead of standard output",
    )
    parser.add_argument(
        "--lessons",
        action="append",
        default=[],
        metavar="DIR",
        help="also look in an instructor's lesson pack",
    )


@terminal_safe
def run(args: argparse.Namespace) -> int:
    from tutor.classroom.printing import render
    from tutor.course.find import LessonNotFound, find_lesson

    fmt = args.format
    if fmt is None:
        fmt = "html" if args.output and args.output.lower().endswith((".html", ".htm")) else "md"
    try:
        lesson = find_lesson(args.lesson, args.lessons)
    except LessonNotFound as exc:
        print(f"ktutor print: {exc}", file=sys.stderr)
        return 2
    text = render(lesson, fmt, full=args.full)
    if args.output is None or args.output == "-":
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"ktutor print: {args.output}: cannot write ({exc.strerror or exc})", file=sys.stderr)
        return 2
    print(f"wrote {args.output} ({fmt}, {len(lesson.steps)} steps)", file=sys.stderr)
    return 0
