"""The instructor's roster: one row per learner, where they are and when they last did anything.

Built from the progress files `ktutor serve` writes (`<data dir>/learners/*.json`): the lesson
the learner last worked in and its step, steps done, challenges solved, the quiz score and the
file's modification time as the last activity. A learner who has only typed a name has a file
too (the served app writes it at once) and is listed with no lesson. Numbers stay numbers here;
`ktutor progress --all` formats them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tutor.course.lesson import Lesson
from tutor.course.progress import LessonProgress, ProgressStore
from tutor.course.quiz import score


@dataclass(frozen=True, slots=True)
class LessonRow:
    """One learner in one lesson (counts are None when the lesson is not installed here)."""

    lesson: str
    title: str
    status: str
    step: int
    """The step the learner is on, 1-based."""
    steps: int | None
    steps_done: int
    challenges_solved: int
    challenges: int | None
    quiz_correct: int | None
    """Right answers among those given (None when the lesson is not installed)."""
    quiz_answered: int
    quiz_questions: int | None


@dataclass(frozen=True, slots=True)
class LearnerRow:
    learner: str
    current: LessonRow | None
    """The lesson the learner last worked in; None when they have only typed their name."""
    lessons: tuple[LessonRow, ...]
    last_activity: float
    """When their progress file last changed (seconds since the epoch; 0 when unknown)."""
    file: str
    problem: str = ""
    """Why their progress file could not be read ("" when it could): such a learner is not
    one who has only typed a name."""

    def to_json(self, now: float) -> dict[str, Any]:
        return {
            "learner": self.learner,
            "current": asdict(self.current) if self.current else None,
            "last_activity": iso(self.last_activity) if self.last_activity else None,
            "idle_seconds": round(now - self.last_activity) if self.last_activity else None,
            "lessons": [asdict(r) for r in self.lessons],
            "file": self.file,
            "problem": self.problem,
        }


def iso(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def quiz_correct(lesson: Lesson, progress: LessonProgress) -> int:
    """Right answers among the learner's first answers (`tutor.course.quiz.score`)."""
    return score(lesson, progress.quiz)[0]


def lesson_row(store: ProgressStore, lesson_id: str, lesson: Lesson | None) -> LessonRow:
    lp = store.lesson(lesson_id)
    steps = len(lesson.steps) if lesson else None
    step = lp.step + 1 if steps is None else min(lp.step, max(steps - 1, 0)) + 1
    return LessonRow(
        lesson=lesson_id,
        title=lesson.title if lesson else "(lesson not installed)",
        status=store.status(lesson_id, steps or 0) + (" (skipped)" if lp.skipped else ""),
        step=step,
        steps=steps,
        steps_done=len(lp.steps_done),
        challenges_solved=len(lp.challenges_solved),
        challenges=len(lesson.challenges) if lesson else None,
        quiz_correct=quiz_correct(lesson, lp) if lesson else None,
        quiz_answered=len(lp.quiz),
        quiz_questions=len(lesson.quiz) if lesson else None,
    )


def learner_row(name: str, store: ProgressStore, lessons: Mapping[str, Lesson]) -> LearnerRow:
    rows = tuple(lesson_row(store, i, lessons.get(i)) for i in store.lesson_ids())
    current = next((r for r in rows if r.lesson == store.current), None)
    if current is None and rows:  # a file from before `current` was kept
        current = next((r for r in rows if r.status == "in progress"), rows[-1])
    try:
        last = store.path.stat().st_mtime
    except OSError:
        last = 0.0
    problem = store.notice  # a read-only store has one only when the file could not be read
    return LearnerRow(name, current, rows, last, str(store.path), problem)


def roster(data_dir: Path | None, lessons: Mapping[str, Lesson]) -> tuple[list[LearnerRow], str]:
    """Every learner under `data_dir` (sorted by name) and the folder searched."""
    stores = ProgressStore.all_learners(data_dir)
    folder = ProgressStore.file_for(data_dir, "x").parent
    rows = [learner_row(name, store, lessons) for name, store in stores.items()]
    return sorted(rows, key=lambda r: r.learner.casefold()), str(folder)


def ago(seconds: float) -> str:
    """`12 s`, `5 min`, `2 h`, `3 d`: how long a learner has been idle, for the table."""
    s = max(0, int(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min"
    if s < 86400:
        return f"{s // 3600} h"
    return f"{s // 86400} d"


def of(n: int | None, total: int | None) -> str:
    return str(n if n is not None else "?") + ("" if total is None else f"/{total}")


HEADER = ["Learner", "Lesson", "Step", "Steps done", "Challenges", "Quiz", "Last active"]


def table_row(row: LearnerRow, now: float) -> list[str]:
    """The text table's cells for one learner."""
    c = row.current
    idle = ago(now - row.last_activity) + " ago" if row.last_activity else "?"
    if c is None:
        what = "(progress file unreadable)" if row.problem else "(only typed a name)"
        return [row.learner, what, "", "", "", "", idle]
    quiz = "" if not c.quiz_answered else of(c.quiz_correct, c.quiz_questions)
    return [
        row.learner,
        c.lesson,
        of(c.step, c.steps),
        of(c.steps_done, c.steps),
        of(c.challenges_solved, c.challenges),
        quiz,
        idle,
    ]


CSV_HEADER = [
    "learner",
    "lesson",
    "status",
    "step",
    "steps",
    "steps_done",
    "challenges_solved",
    "challenges",
    "quiz_correct",
    "quiz_answered",
    "quiz_questions",
    "current",
    "last_activity",
]


def csv_rows(row: LearnerRow) -> list[list[str]]:
    """One CSV row per learner and lesson (numbers only; `current` is 1 for the lesson they
    last worked in); a learner with no lesson gets one row with empty lesson cells."""
    when = iso(row.last_activity) if row.last_activity else ""
    if not row.lessons:
        return [[row.learner, *[""] * 11, when]]
    out: list[list[str]] = []
    for r in row.lessons:
        values = [
            r.lesson,
            r.status,
            r.step,
            r.steps,
            r.steps_done,
            r.challenges_solved,
            r.challenges,
            r.quiz_correct,
            r.quiz_answered,
            r.quiz_questions,
        ]
        cells = ["" if v is None else str(v) for v in values]
        out.append([row.learner, *cells, "1" if r is row.current else "0", when])
    return out


def now() -> float:
    return time.time()
