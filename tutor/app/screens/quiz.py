"""The quiz: one question at a time, the choices in this learner's own order; the first answer
counts and shows every choice's explanation; the last page is the score with each question's
explanation."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.app.screens.opaque import OpaqueScreen
from tutor.app.widgets.footer import KeyFooter
from tutor.app.widgets.hanging import Hanging, Paragraph
from tutor.app.widgets.inline import inline
from tutor.app.widgets.title_bar import TitleBar, set_subtitle
from tutor.course.lesson import Lesson
from tutor.course.quiz import choice_order, is_right, score

if TYPE_CHECKING:
    from tutor.course.progress import ProgressStore

LETTERS = "abcdefghij"
BLANK = (Content(), Content())
"""An empty row between paragraphs of a `Hanging`."""


class QuizScreen(OpaqueScreen[None]):
    """Answer with Enter (or a letter); n / p move between questions and the score page."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,right", "move(1)", "Next", id="quiz-next"),
        Binding("p,left", "move(-1)", "Previous", id="quiz-previous"),
        Binding("escape", "app.pop_screen", "Back", id="quiz-back"),
        *(Binding(ch, f"choose({i})", show=False) for i, ch in enumerate(LETTERS)),
    ]

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson
        self.index = 0
        """The question shown; `len(lesson.quiz)` is the score page."""

    @property
    def progress(self) -> ProgressStore:
        return self.app.progress  # type: ignore[attr-defined,no-any-return]

    @property
    def answers(self) -> dict[int, int]:
        return self.progress.lesson(self.lesson.id).quiz

    def order(self, question: int) -> list[int]:
        """File choice indexes in the order this learner sees them (stable per learner)."""
        count = len(self.lesson.quiz[question].choices)
        return choice_order(self.progress.learner, self.lesson.id, question, count)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="quiz-body"):
            yield Static("", id="quiz-question", markup=False)
            yield OptionList(id="quiz-choices")
            yield Static("", id="quiz-explain", markup=False)
            yield Static("", id="quiz-score", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = self.lesson.title
        answered = self.answers
        unanswered = [i for i in range(len(self.lesson.quiz)) if i not in answered]
        self.index = unanswered[0] if unanswered else len(self.lesson.quiz)
        self.show()

    @property
    def on_score_page(self) -> bool:
        return self.index >= len(self.lesson.quiz)

    def show(self) -> None:
        quiz = self.lesson.quiz
        choices = self.query_one("#quiz-choices", OptionList)
        if not quiz:
            self.query_one("#quiz-question", Static).update("This lesson has no quiz.")
            choices.display = False
            return
        if self.on_score_page:
            self._show_score(choices)
            return
        choices.display = True
        question = quiz[self.index]
        set_subtitle(self, f"quiz: question {self.index + 1} of {len(quiz)}")
        self.query_one("#quiz-question", Static).update(
            Content.assemble(
                (f"Question {self.index + 1} of {len(quiz)}\n\n", "dim"),
                inline(question.question, "bold"),
            )
        )
        chosen = self.answers.get(self.index)
        order = self.order(self.index)
        choices.clear_options()
        for shown, i in enumerate(order):
            choice = question.choices[i]
            # the id names the file's choice; the letter is where this learner sees it; a long
            # choice wraps under its text, not under its letter, and its mark stays whole
            # ("✗ your" / "answer" at 80x24)
            letter = Content.styled(f"{LETTERS[shown]}) ", "bold")
            shown_choice: Paragraph = (letter, inline(choice.text))
            if chosen is not None and (choice.correct or i == chosen):
                mark = (
                    Content.styled("✓ correct", "bold green")
                    if choice.correct
                    else Content.styled("✗ your answer", "bold red")
                )
                shown_choice = (letter, inline(choice.text), mark)
            choices.add_option(Option(Hanging(shown_choice), id=f"choice-{i}"))
        choices.highlighted = order.index(chosen) if chosen in order else 0
        choices.focus()
        explain: Hanging | Content
        if chosen is not None:
            explain = self._explain(self.index, chosen)
        else:
            explain = Content.styled(
                "Choose an answer (Enter or its letter). Your first answer counts.", "dim"
            )
        self.query_one("#quiz-explain", Static).update(explain)
        self.query_one("#quiz-score", Static).update(self._tally())

    def _explain(self, question: int, chosen: int) -> Hanging:
        """Right or not, then every choice's explanation in the order the learner saw them,
        each wrapped under its first word (not back under its letter)."""
        right = is_right(self.lesson, question, chosen)
        paragraphs: list[tuple[Content, Content]] = [
            (
                Content.styled(
                    "Right!" if right else "Not quite.", "bold green" if right else "bold red"
                ),
                Content(),
            ),
            BLANK,
        ]
        choices = self.lesson.quiz[question].choices
        for shown, i in enumerate(self.order(question)):
            choice = choices[i]
            label = Content.assemble(
                (f"{LETTERS[shown]}) ", "bold"),
                ("✓ " if choice.correct else "✗ ", "green" if choice.correct else "red"),
            )
            paragraphs.append((label, inline(choice.explain)))
        return Hanging(*paragraphs)

    def _tally(self) -> Content:
        right, answered = score(self.lesson, self.answers)
        total = len(self.lesson.quiz)
        more = "n: the score page" if answered >= total else "n: next question, p: previous"
        return Content.styled(f"\n{answered} of {total} answered, {right} right. {more}.", "dim")

    def _show_score(self, choices: OptionList) -> None:
        """The end: the score, then each question with the learner's answer, the right one and
        its explanation."""
        quiz = self.lesson.quiz
        right, answered = score(self.lesson, self.answers)
        set_subtitle(self, "quiz: your score")
        choices.display = False
        head = f"Your score: {right} of {len(quiz)}"
        if answered < len(quiz):
            head += f" ({len(quiz) - answered} not answered yet)"
        self.query_one("#quiz-question", Static).update(Content.styled(head, "bold"))
        # every line wraps under its own text: the question under its number, an answer under
        # its letter, the explanation under the answers' indent
        paragraphs: list[tuple[Content, Content]] = []
        indent = Content("   ")
        for q, question in enumerate(quiz):
            order = self.order(q)
            chosen = self.answers.get(q)
            correct = next(i for i, c in enumerate(question.choices) if c.correct)
            mark = ("✓ ", "bold green") if chosen == correct else ("✗ ", "bold red")
            paragraphs += [
                BLANK,
                (Content.assemble(mark, (f"{q + 1}. ", "bold")), inline(question.question, "bold")),
            ]
            if chosen is None:
                paragraphs.append((indent, Content.styled("not answered", "dim")))
            elif chosen != correct:
                paragraphs.append(
                    (
                        indent
                        + Content.styled(f"your answer: {LETTERS[order.index(chosen)]}) ", "red"),
                        inline(question.choices[chosen].text),
                    )
                )
            paragraphs += [
                (
                    indent + Content.styled(f"right: {LETTERS[order.index(correct)]}) ", "green"),
                    inline(question.choices[correct].text),
                ),
                (indent, inline(question.choices[correct].explain, "italic")),
            ]
        paragraphs.append(BLANK)
        self.query_one("#quiz-explain", Static).update(Hanging(*paragraphs))
        self.query_one("#quiz-score", Static).update(
            Content.styled("\np: back to the questions, Escape: leave the quiz.", "dim")
        )

    def action_choose(self, shown: int) -> None:
        """The choice shown with letter number `shown`."""
        quiz = self.lesson.quiz
        if not quiz or self.on_score_page or shown >= len(quiz[self.index].choices):
            return
        self.answer(self.order(self.index)[shown])

    def answer(self, choice: int) -> None:
        """Answer with the file's choice `choice`; only the first answer is kept."""
        if not self.progress.answer_quiz(self.lesson.id, self.index, choice):
            self.notify("Your first answer counts; it stays as it was.", timeout=3)
        self.show()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id.startswith("choice-") and not self.on_score_page:
            self.answer(int(event.option.id.split("-", 1)[1]))

    def action_move(self, delta: int) -> None:
        if self.lesson.quiz:
            self.index = (self.index + delta) % (len(self.lesson.quiz) + 1)
            self.show()
