"""`ktutor lint [PATH...]`: check lesson files (when no path is given, the built-in lessons and
the packs in KTUTOR_LESSONS, as the app loads them).

Exit 0 when every lesson is sound, 1 when any has a problem or there is no lesson file at all,
2 when a path does not exist.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tutor import resources, settings
from tutor.course.lint import lesson_files, lint_paths

from ._safe import terminal_safe


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="lesson files or folders (default: the built-in lessons and the packs in "
        "KTUTOR_LESSONS)",
    )


@terminal_safe
def run(args: argparse.Namespace) -> int:
    # no path: the lessons the app would load, KTUTOR_LESSONS' packs included
    paths = [Path(p) for p in args.paths] or [resources.lessons_dir(), *settings.lesson_dirs()]
    issues = lint_paths(paths)
    for issue in issues:
        print(issue)
    count = lesson_files(paths)
    if not issues and count == 0:
        # an empty folder (or a typo'd one) is not a pack that passed
        where = ", ".join(str(p) for p in paths)
        print(f"no lesson files in {where}: nothing was checked")
        return 1
    if not issues:
        print(f"{count} lesson file{'s' if count != 1 else ''} checked: no problems")
        return 0
    files = len({i.file for i in issues})
    print(
        f"{len(issues)} problem{'s' if len(issues) != 1 else ''} in {files} "
        f"file{'s' if files != 1 else ''} ({count} checked)"
    )
    missing = any(not p.exists() for p in paths)
    return 2 if missing else 1
