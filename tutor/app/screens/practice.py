"""Practice after a lesson: its challenges (fix a manifest until the goal holds) and its quiz."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.app.screens.opaque import OpaqueScreen
from tutor.app.widgets.choice_list import ChoiceList
from tutor.app.widgets.console import commands_block
from tutor.app.widgets.footer import KeyFooter
from tutor.app.widgets.hanging import Hanging
from tutor.app.widgets.inline import inline
from tutor.app.widgets.intro_pane import IntroMarkdown, IntroPane
from tutor.app.widgets.title_bar import TitleBar
from tutor.app.widgets.workbench import REVEAL, Workbench, WorkbenchScreen
from tutor.course import progress as keys
from tutor.course.lesson import ROUTING_SYMPTOMS, Challenge, Lesson
from tutor.course.quiz import score
from tutor.lab.session import restored_commands

if TYPE_CHECKING:
    from tutor.app.app import TutorApp
    from tutor.course.goals import GoalResult
    from tutor.course.progress import ProgressStore


def challenge_key(challenge: Challenge) -> str:
    return keys.challenge_key(challenge.id)


def console_key(challenge: Challenge) -> str:
    """The progress store's key for the console lines run in a challenge (its `ran` goals)."""
    return keys.console_key(challenge.id)


class PracticeScreen(OpaqueScreen[None]):
    """Pick a challenge or the quiz."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: the list's own Enter binding is hidden, and this one belongs in the footer
        Binding("enter", "open", "Open", id="practice-open", priority=True),
        Binding("escape", "app.pop_screen", "Back", id="practice-back"),
    ]

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson

    @property
    def progress(self) -> ProgressStore:
        return self.app.progress  # type: ignore[attr-defined,no-any-return]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(
            f"Practise what “{self.lesson.title}” taught.", id="practice-intro", markup=False
        )
        yield ChoiceList(id="practice")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = self.lesson.title
        self.sub_title = "challenges and quiz"
        self.fill()

    def on_screen_resume(self) -> None:
        self.fill()

    def fill(self) -> None:
        entry = self.progress.lesson(self.lesson.id)
        options = self.query_one("#practice", OptionList)
        keep = options.highlighted
        options.clear_options()
        for number, ch in enumerate(self.lesson.challenges, 1):
            solved = ch.id in entry.challenges_solved
            prompt = Text.assemble(
                ("✓ solved  " if solved else "○ open    ", "bold green" if solved else "dim"),
                (f"Challenge {number}: ", "bold"),
                ch.title,
            )
            options.add_option(Option(prompt, id=f"challenge:{ch.id}"))
        if self.lesson.quiz:
            total = len(self.lesson.quiz)
            right, answered = score(self.lesson, entry.quiz)
            mark = (
                "✓ done    " if answered >= total else ("◐ started " if answered else "○ new     ")
            )
            options.add_option(
                Option(
                    Text.assemble(
                        (mark, "bold green" if answered >= total else "dim"),
                        ("Quiz", "bold"),
                        f": {total} questions ({right} right so far)",
                    ),
                    id="quiz",
                )
            )
        if not options.option_count:
            options.add_option(Option("This lesson has no challenges or quiz.", disabled=True))
        options.highlighted = keep if keep is not None and keep < options.option_count else 0
        options.focus()

    def action_open(self) -> None:
        options = self.query_one("#practice", OptionList)
        options.call_later(options.action_select)  # after arrows queued before this Enter

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("challenge:"):
            cid = option_id.split(":", 1)[1]
            ch = next(c for c in self.lesson.challenges if c.id == cid)
            self.app.push_screen(ChallengeScreen(self.lesson, ch))
        elif option_id == "quiz":
            from tutor.app.screens.quiz import QuizScreen

            self.app.push_screen(QuizScreen(self.lesson))


CHECK_PROMPT = Text("Press ctrl+s to check your manifest.", style="dim")
"""What the result line says before a check, and again once the manifest checked is replaced
(the solution, a reset): a "✗ Not yet" kept beside the solution's routing view read as the
solution failing."""


class ChallengePane(IntroPane):
    """The task, the goal, the hints revealed so far and the last check."""

    def __init__(self, challenge: Challenge) -> None:
        super().__init__()
        self.challenge = challenge

    def compose(self) -> ComposeResult:
        ch = self.challenge
        yield Static(Text(ch.title, style="bold"), id="challenge-title")
        yield IntroMarkdown(ch.text, id="challenge-text", open_links=False)
        goal = ch.goal.description
        # the goal renders its inline Markdown (`code`) as the hints and the result do, and
        # wraps under its first word as they do
        yield Static(
            Hanging((Content.styled("Goal: ", "bold"), inline(goal))) if goal else "",
            id="challenge-goal",
        )
        if ch.commands:
            yield Static(commands_block(ch.commands), id="challenge-commands")
        yield Static("", id="challenge-hints", markup=False)
        yield Static(CHECK_PROMPT, id="challenge-result")


class ChallengeScreen(WorkbenchScreen, OpaqueScreen[None]):
    """Fix the manifest until the goal holds; hints one at a time; the solution on request."""

    INTRO_LABEL: ClassVar[str] = "Task"
    """What F2 shows, as the footer and the tabs name it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # the footer shows these in this order, on two lines when one is not enough
        Binding("ctrl+s", "check", "Check", id="check-goal"),
        Binding("ctrl+n", "hint", "Hint", id="next-hint"),
        REVEAL,
        Binding("escape", "leave", "Back", id="challenge-back"),
        Binding("ctrl+l", "solution", "Solution", id="show-solution"),
        Binding("ctrl+r", "reset_step", "Reset", id="reset-challenge"),
        *Workbench.screen_bindings(INTRO_LABEL),
    ]

    AUTO_FOCUS = "#editor"

    def __init__(self, lesson: Lesson, challenge: Challenge) -> None:
        super().__init__()
        self.lesson = lesson
        self.challenge = challenge
        self.hints_shown = 0
        self.last: GoalResult | None = None

    @property
    def tutor(self) -> TutorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        progress = self.tutor.progress
        saved = progress.saved_edit(self.lesson.id, challenge_key(self.challenge))
        yield TitleBar()
        workbench = Workbench(
            ChallengePane(self.challenge),
            saved if saved is not None else self.challenge.manifest,
            intro_label=self.INTRO_LABEL,
            network=self.lesson.network,
            symptoms=self.challenge.routing == ROUTING_SYMPTOMS,
            has_solution=True,
        )
        kept = progress.lesson(self.lesson.id)
        if self.challenge.id in kept.challenges_solved:
            workbench.session.reveal("solved")  # found before: nothing left to hide
        elif self.challenge.id in kept.challenges_revealed:
            workbench.session.reveal("asked")  # opened before (reveal key or solution)
        workbench.session.commands = restored_commands(
            progress.saved_edit(self.lesson.id, console_key(self.challenge))
        )
        yield self.hold(workbench)
        yield KeyFooter()

    def on_workbench_revealed(self, message: Workbench.Revealed) -> None:
        self.tutor.progress.reveal_challenge(self.lesson.id, self.challenge.id)

    def on_workbench_command_ran(self, message: Workbench.CommandRan) -> None:
        self.keep_commands(self.lesson.id, console_key(self.challenge))

    def on_mount(self) -> None:
        self.title = self.lesson.title
        self.sub_title = f"challenge: {self.challenge.title}"
        self.tutor.progress.enter_challenge(self.lesson.id, self.challenge.id)

    def _save(self, text: str) -> None:
        self.tutor.keep_edit(
            self.lesson.id, challenge_key(self.challenge), text, self.challenge.manifest
        )

    def action_check(self) -> GoalResult:
        result = self.workbench.check_goal(self.challenge.goal)
        self.last = result
        box = self.query_one("#challenge-result", Static)
        if result.met:
            self.tutor.progress.solve_challenge(self.lesson.id, self.challenge.id)
            box.update(Hanging((Content.styled("✓ Solved! ", "bold green"), inline(result.detail))))
            self.notify("Challenge solved.", title="Well done", timeout=4)
        else:
            box.update(Hanging((Content.styled("✗ Not yet: ", "bold red"), inline(result.detail))))
        if self.workbench.narrow:
            self.workbench.active = "intro"
        # below the task and the hints it can be past the pane's last row (80x24, three hints)
        self.call_after_refresh(box.scroll_visible, animate=False)
        return result

    def action_hint(self) -> None:
        hints = self.challenge.hints
        if self.hints_shown >= len(hints):
            self.notify("No more hints. ctrl+l shows the solution.", timeout=4)
            return
        self.hints_shown += 1
        # each hint wraps under its own first word, as the step check's lines do
        box = self.query_one("#challenge-hints", Static)
        box.update(
            Hanging(
                *(
                    (Content.styled(f"Hint {i} of {len(hints)}: ", "bold cyan"), inline(hint))
                    for i, hint in enumerate(hints[: self.hints_shown], 1)
                )
            )
        )
        if self.workbench.narrow:
            self.workbench.active = "intro"
        self.call_after_refresh(box.scroll_visible, animate=False)

    def action_solution(self) -> None:
        from tutor.app.screens.dialogs import ConfirmScreen

        def done(ok: bool | None) -> None:
            if ok:
                self.workbench.load(self.challenge.solution)
                self.workbench.reveal("solution")
                self.query_one("#challenge-result", Static).update(CHECK_PROMPT)

        self.app.push_screen(
            ConfirmScreen(
                "Replace your manifest with the reference solution? (Your text is lost; "
                "try another hint first?)",
                yes="Show solution",
            ),
            done,
        )

    def action_reset_step(self) -> None:
        from tutor.app.screens.dialogs import ConfirmScreen

        def done(ok: bool | None) -> None:
            if ok:
                self.workbench.changes.reset()
                self.workbench.load(self.challenge.manifest)
                self.tutor.progress.clear_edit(self.lesson.id, challenge_key(self.challenge))
                self.query_one("#challenge-result", Static).update(CHECK_PROMPT)

        self.app.push_screen(
            ConfirmScreen("Go back to the challenge's starting manifest?", yes="Reset"), done
        )

    def action_leave(self) -> None:
        self.save_now()
        self.tutor.progress.leave_challenge()
        self.app.pop_screen()
