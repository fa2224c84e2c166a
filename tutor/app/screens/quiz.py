"""The quiz: one question at a time; choosing an answer shows every choice's explanation."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.app.widgets.footer import KeyFooter
from tutor.app.widgets.title_bar import TitleBar
from tutor.course.lesson import Lesson

if TYPE_CHECKING:
    from tutor.course.progress import ProgressStore

LETTERS = "abcdefghij"


class QuizScreen(Screen[None]):
    """Answer with Enter (or a letter); n / p move between questions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,right", "move(1)", "Next question", id="quiz-next"),
        Binding("p,left", "move(-1)", "Previous", id="quiz-previous"),
        Binding("escape", "app.pop_screen", "Back", id="quiz-back"),
        *(Binding(ch, f"choose({i})", show=False) for i, ch in enumerate(LETTERS)),
    ]

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson
        self.index = 0

    @property
    def progress(self) -> ProgressStore:
        return self.app.progress  # type: ignore[attr-defined,no-any-return]

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
        answered = self.progress.lesson(self.lesson.id).quiz
        unanswered = [i for i in range(len(self.lesson.quiz)) if i not in answered]
        self.index = unanswered[0] if unanswered else 0
        self.show()

    def show(self) -> None:
        quiz = self.lesson.quiz
        if not quiz:
            self.query_one("#quiz-question", Static).update("This lesson has no quiz.")
            return
        question = quiz[self.index]
        self.sub_title = f"quiz: question {self.index + 1} of {len(quiz)}"
        self.query_one("#quiz-question", Static).update(
            Text.assemble(
                (f"Question {self.index + 1} of {len(quiz)}\n\n", "dim"),
                (question.question, "bold"),
            )
        )
        chosen = self.progress.lesson(self.lesson.id).quiz.get(self.index)
        choices = self.query_one("#quiz-choices", OptionList)
        choices.clear_options()
        for i, choice in enumerate(question.choices):
            prompt = Text(f"{LETTERS[i]}) ", style="bold")
            prompt.append(choice.text)
            if chosen is not None:
                if choice.correct:
                    prompt.append("  ✓ correct", style="bold green")
                elif i == chosen:
                    prompt.append("  ✗ your answer", style="bold red")
            choices.add_option(Option(prompt, id=f"choice-{i}"))
        choices.highlighted = chosen if chosen is not None else 0
        choices.focus()
        explain = Text()
        if chosen is not None:
            right = question.choices[chosen].correct if chosen < len(question.choices) else False
            explain.append(
                "Right!\n\n" if right else "Not quite.\n\n",
                style="bold green" if right else "bold red",
            )
            for i, choice in enumerate(question.choices):
                explain.append(f"{LETTERS[i]}) ", style="bold")
                explain.append(
                    "✓ " if choice.correct else "✗ ", style="green" if choice.correct else "red"
                )
                explain.append(choice.explain + "\n")
        else:
            explain.append("Choose an answer (Enter or its letter).", style="dim")
        self.query_one("#quiz-explain", Static).update(explain)
        self.query_one("#quiz-score", Static).update(self._score())

    def _score(self) -> Text:
        answers = self.progress.lesson(self.lesson.id).quiz
        right = sum(
            1
            for q, c in answers.items()
            if q < len(self.lesson.quiz)
            and 0 <= c < len(self.lesson.quiz[q].choices)
            and self.lesson.quiz[q].choices[c].correct
        )
        return Text(
            f"\n{len(answers)} of {len(self.lesson.quiz)} answered, {right} right. "
            "n: next question, p: previous.",
            style="dim",
        )

    def action_choose(self, choice: int) -> None:
        quiz = self.lesson.quiz
        if not quiz or choice >= len(quiz[self.index].choices):
            return
        self.progress.answer_quiz(self.lesson.id, self.index, choice)
        self.show()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id.startswith("choice-"):
            self.action_choose(int(event.option.id.split("-", 1)[1]))

    def action_move(self, delta: int) -> None:
        if self.lesson.quiz:
            self.index = (self.index + delta) % len(self.lesson.quiz)
            self.show()
