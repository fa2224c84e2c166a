"""The built-in course's assessment cannot be gamed (issue #13): every challenge lists the
plausible wrong fix (which `ktutor lint` proves its goal refuses), and the correct quiz answers
are spread over the positions in the files, so "always pick (a)" fails even in a handout, which
lists the choices in file order."""

from __future__ import annotations

from collections import Counter

import pytest
from testkit import builtin_lessons

from tutor.course.lesson import Lesson

MAX_SHARE = 0.40


def _lessons() -> tuple[Lesson, ...]:
    return builtin_lessons()


@pytest.mark.parametrize("lesson", _lessons(), ids=lambda lesson: lesson.id)
def test_every_challenge_lists_a_wrong_solution(lesson: Lesson) -> None:
    for challenge in lesson.challenges:
        assert challenge.wrong_solutions, f"{lesson.id}/{challenge.id} lists no wrong_solutions"
        for wrong in challenge.wrong_solutions:
            assert wrong.why.strip(), f"{lesson.id}/{challenge.id}: a wrong solution without why"


def test_correct_answers_are_spread_over_the_positions() -> None:
    positions: Counter[int] = Counter()
    for lesson in _lessons():
        for question in lesson.quiz:
            positions[next(i for i, c in enumerate(question.choices) if c.correct)] += 1
    total = sum(positions.values())
    assert total >= 50
    for position, count in sorted(positions.items()):
        assert count / total <= MAX_SHARE, (
            f"choice {position + 1} is the correct one in {count} of {total} questions "
            f"({count / total:.0%}); no position may hold more than {MAX_SHARE:.0%}"
        )


def test_the_proxy_that_receives_each_connection_is_named_as_the_removed_userspace_mode() -> None:
    """Lesson 2's quiz said of "kube-proxy receives each connection and passes it on": "That is
    the walkthrough's old picture", a walkthrough the learner never saw. The picture is
    kube-proxy's userspace mode, removed in v1.26."""
    lesson = next(lesson for lesson in _lessons() if lesson.id == "one-request")
    choice = next(
        c for q in lesson.quiz for c in q.choices if c.text.startswith("The kube-proxy process")
    )
    assert not choice.correct
    assert "userspace" in choice.explain and "1.26" in choice.explain, choice.explain
    assert "walkthrough" not in choice.explain, choice.explain
