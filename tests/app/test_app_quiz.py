"""Quizzes that measure (issue #10), driven by keys: choices in the learner's own order (the same
when they come back), the first answer counts, the end shows the score and every explanation,
and lesson Markdown (backticks) is rendered, not shown raw (issue #14)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from testkit import press, prompts, settle
from textual.widgets import OptionList, Static

from tutor.app.screens.quiz import LETTERS, QuizScreen
from tutor.course.lesson import Choice, Lesson, Question
from tutor.course.progress import ProgressStore
from tutor.course.quiz import choice_order, score

QUESTIONS = (
    Question(
        "Which field picks the Pods?",
        (
            Choice("`spec.selector`", True, "Yes: the selector's pairs must all be on the Pod."),
            Choice("`spec.ports`", False, "Ports say *where*, not *who*."),
            Choice("`metadata.name`", False, "The name is only the Service's."),
            Choice("`spec.type`", False, "The type says how to reach it."),
        ),
    ),
    Question(
        "What does **targetPort** name?",
        (
            Choice("The port clients use", False, "That is `port`."),
            Choice("The port on the Pod", True, "Yes: kube-proxy DNATs to `podIP:targetPort`."),
            Choice("The node's port", False, "That is `nodePort`."),
        ),
    ),
)


def quiz_lesson(base: Lesson) -> Lesson:
    """The fixture lesson with QUESTIONS as its quiz."""
    return Lesson(
        base.id, base.title, base.summary, base.minutes, base.manifest, base.steps,
        base.challenges, QUESTIONS, order=1,
    )  # fmt: skip


def _text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def _prompts(app: Any) -> list[str]:
    choices = app.screen.query_one("#quiz-choices", OptionList)
    return prompts(choices)


def _letter(app: Any, question: int, file_index: int) -> str:
    return LETTERS[app.screen.order(question).index(file_index)]


def _app(make_app: Any, lesson: Lesson) -> Any:
    return make_app(lessons=[lesson])


async def test_choices_are_shuffled_per_learner_and_stable_when_resumed(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    lesson = quiz_lesson(lesson)
    app = _app(make_app, lesson)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.push_screen(QuizScreen(lesson))
        await settle(pilot)
        first = _prompts(app)
        order = app.screen.order(0)
        assert [p[3:].split("  ")[0] for p in first] == [
            QUESTIONS[0].choices[i].text.strip("`") for i in order
        ]
        await press(pilot, "escape")
        await settle(pilot)
        app.push_screen(QuizScreen(lesson))
        await settle(pilot)
        assert _prompts(app) == first  # the same learner, the same question: the same order
    orders = {tuple(choice_order(f"learner-{n}", "basics", 0, 4)) for n in range(30)}
    assert len(orders) > 5, "learners see different orders"
    assert {o.index(0) for o in orders} == {0, 1, 2, 3}, "the right answer moves around"


async def test_the_first_answer_counts_and_the_end_shows_score_and_explanations(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    lesson = quiz_lesson(lesson)
    app = _app(make_app, lesson)
    async with app.run_test(size=(100, 50)) as pilot:
        await settle(pilot)
        app.push_screen(QuizScreen(lesson))
        await settle(pilot)
        await press(pilot, _letter(app, 0, 2))  # wrong: metadata.name
        await settle(pilot)
        assert "Not quite" in _text(app, "#quiz-explain")
        await press(pilot, _letter(app, 0, 0))  # the right one, chosen second
        await settle(pilot)
        assert app.progress.lesson("basics").quiz == {0: 2}
        assert "Not quite" in _text(app, "#quiz-explain")
        assert "✗ your answer" in "".join(_prompts(app))
        await press(pilot, "n")
        await settle(pilot)
        await press(pilot, _letter(app, 1, 1))
        await settle(pilot)
        assert "Right!" in _text(app, "#quiz-explain")
        assert "1 of 2 answered" not in _text(app, "#quiz-score")
        assert "2 of 2 answered, 1 right" in _text(app, "#quiz-score")
        await press(pilot, "n")  # the score page
        await settle(pilot)
        assert "Your score: 1 of 2" in _text(app, "#quiz-question")
        end = _text(app, "#quiz-explain")
        assert "your answer: " in end and "metadata.name" in end
        assert "Yes: the selector's pairs must all be on the Pod." in end
        assert "Yes: kube-proxy DNATs to podIP:targetPort." in end
        assert not app.screen.query_one("#quiz-choices", OptionList).display
    kept = ProgressStore.open(data_dir / "progress.json").lesson("basics")
    assert kept.quiz == {0: 2, 1: 1} and score(lesson, kept.quiz) == (1, 2)


async def test_quiz_text_renders_backticks_and_bold(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    lesson = quiz_lesson(lesson)
    app = _app(make_app, lesson)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.push_screen(QuizScreen(lesson))
        await settle(pilot)
        assert "`" not in "".join(_prompts(app)) and "spec.selector" in "".join(_prompts(app))
        await press(pilot, "n")
        await settle(pilot)
        question = _text(app, "#quiz-question")
        assert "What does targetPort name?" in question and "**" not in question
        await press(pilot, _letter(app, 1, 0))
        await settle(pilot)
        explain = _text(app, "#quiz-explain")
        assert "That is port." in explain and "`" not in explain


async def test_enter_answers_the_highlighted_choice(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    lesson = quiz_lesson(lesson)
    app = _app(make_app, lesson)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.push_screen(QuizScreen(lesson))
        await settle(pilot)
        await press(pilot, "down", "enter")  # the second choice as this learner sees them
        await settle(pilot)
        assert app.progress.lesson("basics").quiz == {0: app.screen.order(0)[1]}
