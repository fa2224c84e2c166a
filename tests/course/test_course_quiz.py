"""The quiz's pure part: a learner's choice order, the first answer kept, the score."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.course.lesson import Choice, Lesson, Question, Step
from tutor.course.progress import ProgressStore
from tutor.course.quiz import choice_order, is_right, score

QUIZ = tuple(
    Question(f"q{n}", tuple(Choice(f"c{i}", i == n % 3, "why") for i in range(3))) for n in range(4)
)
LESSON = Lesson("l", "L", "s", 1, "x", (Step("t", "", "x"),), (), QUIZ)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, (0, 0)),
        ({0: 0, 1: 1, 2: 2, 3: 0}, (4, 4)),
        ({0: 1, 1: 1}, (1, 2)),
        ({0: 9, 7: 0}, (0, 1)),  # a choice or question the lesson no longer has is not right
    ],
)
def test_score(answers: dict[int, int], expected: tuple[int, int]) -> None:
    assert score(LESSON, answers) == expected


def test_is_right_out_of_range() -> None:
    assert is_right(LESSON, 0, 0) and not is_right(LESSON, 0, -1) and not is_right(LESSON, 9, 0)


@pytest.mark.parametrize("count", [2, 3, 5, 10])
def test_choice_order_is_a_stable_permutation(count: int) -> None:
    order = choice_order("ana", "anatomy", 3, count)
    assert sorted(order) == list(range(count))
    assert order == choice_order("ana", "anatomy", 3, count)
    others = {tuple(choice_order(f"learner-{n}", "anatomy", 3, count)) for n in range(40)}
    assert len(others) > 1


def test_the_first_answer_is_kept(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path / "progress.json")
    assert store.answer_quiz("l", 0, 1) is True
    assert store.answer_quiz("l", 0, 0) is False  # the right one, too late
    assert ProgressStore.open(tmp_path / "progress.json").lesson("l").quiz == {0: 1}
