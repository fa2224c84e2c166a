"""Quizzes that measure: each learner sees the choices in an order of their own, the first answer
counts, and the score is worked out in one place (the app, the practice list and the roster).

The order is a hash of (learner, lesson, question, choice), so it is the same every time that
learner opens that question (a resumed quiz looks the same) and differs between learners, without
storing anything. Answers are stored as indexes into the file's choices, so a handout (file
order) and the answer key agree whatever order a learner saw.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from .lesson import Lesson


def choice_order(learner: str, lesson_id: str, question: int, count: int) -> list[int]:
    """The file's choice indexes in the order `learner` sees them."""

    def rank(i: int) -> bytes:
        return hashlib.sha256(f"{learner}\0{lesson_id}\0{question}\0{i}".encode()).digest()

    return sorted(range(count), key=rank)


def is_right(lesson: Lesson, question: int, choice: int) -> bool:
    """Whether `choice` (a file index) is the right answer to `question`."""
    if not 0 <= question < len(lesson.quiz):
        return False
    choices = lesson.quiz[question].choices
    return 0 <= choice < len(choices) and choices[choice].correct


def score(lesson: Lesson, answers: Mapping[int, int]) -> tuple[int, int]:
    """(right, answered) among the learner's first answers to this lesson's questions."""
    mine = {q: c for q, c in answers.items() if 0 <= q < len(lesson.quiz)}
    return sum(is_right(lesson, q, c) for q, c in mine.items()), len(mine)
