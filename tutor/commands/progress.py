"""`ktutor progress`: see, export, import or reset your progress; `--all` for a workshop.

With `--all`, every learner that `ktutor serve` has seen is listed (the lesson and step they
are on, steps done, challenges solved, quiz score, last activity) as a table, CSV or JSON, so
an instructor can see who is stuck; `--watch` redraws the table as the room works.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tutor.course.lesson import Lesson
from tutor.course.loader import load_lessons
from tutor.course.progress import ProgressStore

from ._safe import raw_stdout, terminal_safe


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--export", metavar="FILE", help="write your progress to FILE")
    parser.add_argument(
        "--import",
        dest="import_file",
        metavar="FILE",
        help="merge progress exported on another machine (checked first: every lesson, step "
        "and saved edit it names must fit the lessons here)",
    )
    parser.add_argument(
        "--reset",
        nargs="?",
        const="",
        default=None,
        metavar="LESSON",
        help="forget progress for LESSON (all lessons when none is given)",
    )
    parser.add_argument("--yes", action="store_true", help="confirm --reset")
    parser.add_argument(
        "--all", action="store_true", help="list every learner's progress (from `ktutor serve`)"
    )
    parser.add_argument(
        "--watch",
        nargs="?",
        type=float,
        const=2.0,
        default=None,
        metavar="SECONDS",
        help="with --all: redraw the table every SECONDS (default 2) until Ctrl+C",
    )
    parser.add_argument(
        "--format",
        choices=("text", "csv", "json"),
        default="text",
        help="output format for the table (default text)",
    )
    parser.add_argument(
        "--dir",
        metavar="DIR",
        default=None,
        help="the data folder holding learners/ (default: ktutor's data folder)",
    )
    parser.add_argument(
        "--file",
        metavar="FILE",
        default=None,
        help="use this progress file instead of the default one",
    )
    parser.add_argument(
        "--learner",
        metavar="NAME",
        default=None,
        help="a workshop learner's progress (as kept by `ktutor serve`)",
    )
    parser.add_argument(
        "--lessons",
        action="append",
        default=[],
        metavar="DIR",
        help="also list an instructor's lesson pack",
    )


def cells(text: str) -> int:
    """Terminal columns `text` takes: a wide character (王, 李: East Asian wide or full-width)
    takes two, a combining mark none. `len` padded the roster's columns by characters, so a
    learner named 王芳 pushed the rest of their row two columns to the right."""
    import unicodedata

    return sum(
        0
        if unicodedata.combining(ch)
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(cells(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(c + " " * (w - cells(c)) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in rows
    ]


def _emit(header: list[str], rows: list[list[str]], fmt: str) -> None:
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    elif fmt == "json":
        keys = [h.lower().replace(" ", "_") for h in header]
        print(json.dumps([dict(zip(keys, r, strict=True)) for r in rows], indent=1))
    else:
        for line in _table([header, *rows]):
            print(line)


def _lesson_row(store: ProgressStore, lesson_id: str, lesson: Lesson | None) -> dict[str, Any]:
    lp = store.lesson(lesson_id)
    steps = len(lesson.steps) if lesson else 0
    challenges = len(lesson.challenges) if lesson else 0
    return {
        "status": store.status(lesson_id, steps) + (" (skipped)" if lp.skipped else ""),
        "steps": f"{len(lp.steps_done)}/{steps}" if lesson else str(len(lp.steps_done)),
        "challenges": (
            f"{len(lp.challenges_solved)}/{challenges}"
            if lesson
            else str(len(lp.challenges_solved))
        ),
        "solved": sorted(lp.challenges_solved),
    }


def _roster_text(args: argparse.Namespace, lessons: dict[str, Lesson]) -> tuple[str, int]:
    """The `--all` output and how many learners it lists."""
    from tutor.classroom import roster

    rows, folder = roster.roster(Path(args.dir) if args.dir else None, lessons)
    now = roster.now()
    if args.format == "json":
        return json.dumps([r.to_json(now) for r in rows], indent=1, ensure_ascii=False), len(rows)
    if args.format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(roster.CSV_HEADER)
        for r in rows:
            writer.writerows(roster.csv_rows(r))
        return out.getvalue().rstrip("\n"), len(rows)
    if not rows:
        return f"No learner progress found in {folder}.", 0
    cells = [roster.table_row(r, now) for r in rows]
    text = "\n".join(_table([roster.HEADER, *cells]))
    missing = sorted({r.current.lesson for r in rows if r.current and r.current.steps is None})
    if missing:  # served with --lessons PACK, listed without it
        text += (
            f"\n\nNot installed here, so without totals: {', '.join(missing)} "
            f"(add {'its pack' if len(missing) == 1 else 'their packs'} with --lessons DIR)"
        )
    return text, len(rows)


def _show_all(args: argparse.Namespace, lessons: dict[str, Lesson]) -> int:
    if args.watch is None:
        text, _ = _roster_text(args, lessons)
        print(text)
        return 0
    return watch(lambda: _roster_text(args, lessons)[0], args.watch)


CLEAR = "\x1b[H\x1b[2J"
"""Cursor home, clear screen: what `watch(1)` does between two redraws."""


def watch(render: Callable[[], str], interval: float, rounds: int | None = None) -> int:
    """Redraw `render()` every `interval` seconds until Ctrl+C (or `rounds` redraws)."""
    interval = max(0.2, interval)
    done = 0
    try:
        while rounds is None or done < rounds:
            text = render()
            stamp = time.strftime("%H:%M:%S")
            raw = raw_stdout()
            raw.write(CLEAR)
            raw.flush()
            sys.stdout.write(f"{text}\n\n{stamp}, every {interval:g} s; Ctrl+C stops\n")
            sys.stdout.flush()
            done += 1
            if rounds is None or done < rounds:
                time.sleep(interval)
    except KeyboardInterrupt:
        print()
    return 0


@terminal_safe
def run(args: argparse.Namespace) -> int:
    lesson_set = load_lessons([Path(d) for d in args.lessons])
    lessons = {lesson.id: lesson for lesson in lesson_set.lessons}
    if args.all:
        return _show_all(args, lessons)
    where = (
        Path(args.file) if args.file else (Path(args.dir) if args.dir and args.learner else None)
    )
    reading = bool(args.learner) and args.reset is None and not args.import_file
    if reading:
        # looking at a workshop learner's file (or exporting it) only reads it, as the roster
        # does: their tutor may be writing it, and a corrupt one is not ours to move aside
        file = ProgressStore.file_for(where, args.learner)
        if not file.exists() and not file.is_symlink():
            folder = file.parent.parent
            print(
                f"ktutor: no progress file for learner `{args.learner}` in {file.parent} "
                f"(`ktutor progress --all --dir {folder}` lists the learners there)",
                file=sys.stderr,
            )
            return 2
        store = ProgressStore.read(file)
    else:
        store = ProgressStore.open(where, args.learner)
    if store.notice:
        print(f"ktutor: {store.notice}", file=sys.stderr)
    if args.reset is not None:
        if args.reset and args.reset not in lessons and args.reset not in store.lesson_ids():
            known = ", ".join(list(lessons) + [i for i in store.lesson_ids() if i not in lessons])
            print(
                f"ktutor: no lesson `{args.reset}` here, nor progress in it; lessons: {known} "
                "(a pack's lesson: add --lessons DIR)",
                file=sys.stderr,
            )
            return 2
        what = f"lesson `{args.reset}`" if args.reset else "every lesson"
        if not args.yes:
            print(
                f"ktutor: --reset forgets your progress in {what}; add --yes to do it",
                file=sys.stderr,
            )
            return 2
        if args.reset:
            store.reset_lesson(args.reset)
        else:
            store.reset_all()
        print(f"Progress in {what} was reset.")
        return 0
    if args.import_file:
        try:
            store.import_(Path(args.import_file), lessons)
        except FileNotFoundError:
            print(f"ktutor: {args.import_file}: no such file", file=sys.stderr)
            return 2
        except (OSError, ValueError) as exc:
            print(f"ktutor: {exc}", file=sys.stderr)
            return 2
        print(f"Imported progress from {args.import_file}.")
        return 0
    if args.export:
        try:
            store.export(Path(args.export))
        except OSError as exc:
            print(f"ktutor: cannot write {args.export} ({exc.strerror or exc})", file=sys.stderr)
            return 2
        print(f"Progress written to {args.export}.")
        return 0
    header = ["Lesson", "Title", "Status", "Steps done", "Challenges solved"]
    rows = []
    ids = list(lessons) + [i for i in store.lesson_ids() if i not in lessons]
    for lesson_id in ids:
        lesson = lessons.get(lesson_id)
        row = _lesson_row(store, lesson_id, lesson)
        rows.append(
            [
                lesson_id,
                lesson.title if lesson else "(lesson not installed)",
                row["status"],
                row["steps"],
                row["challenges"],
            ]
        )
    if not rows:
        print("No lessons found.")
        return 0
    if args.format == "json":  # numbers, not "3/15"
        from dataclasses import asdict

        from tutor.classroom.roster import lesson_row

        data = [asdict(lesson_row(store, i, lessons.get(i))) for i in ids]
        print(json.dumps(data, indent=1, ensure_ascii=False))
        return 0
    _emit(header, rows, args.format)
    if args.format == "text":
        # a learner's file read for the instructor is kept in memory so as to write nothing:
        # their progress is saved all the same
        saved = store.persistent or reading
        print(f"\nProgress file: {store.path}" + ("" if saved else " (not saved)"))
    return 0
