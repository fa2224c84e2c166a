"""A lesson: the step's text, the YAML editor and the routing view, side by side (or as tabs).

The learner's YAML for each step is saved as they type (debounced; the store writes atomically)
and comes back after a quit or a crash; the step they were on is remembered too.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Markdown, Static

from tutor.app.screens.opaque import OpaqueScreen
from tutor.app.widgets.console import commands_block
from tutor.app.widgets.footer import KeyFooter
from tutor.app.widgets.hanging import Hanging
from tutor.app.widgets.inline import inline
from tutor.app.widgets.intro_pane import IntroMarkdown, IntroPane
from tutor.app.widgets.quiet import set_content
from tutor.app.widgets.title_bar import TitleBar, set_subtitle
from tutor.app.widgets.workbench import NARROW_WIDTH, REVEAL, Workbench, WorkbenchScreen
from tutor.course.lesson import ROUTING_SYMPTOMS, Lesson
from tutor.course.progress import CONSOLE_KEY, cluster_key, step_key
from tutor.lab.session import restored_commands
from tutor.model.changes import ClusterChanges

if TYPE_CHECKING:
    from tutor.app.app import TutorApp
    from tutor.course.goals import GoalResult
    from tutor.course.progress import ProgressStore


def check_text(result: GoalResult | None, description: str, done: bool) -> Hanging | Content:
    """The step check's lines, their Markdown (backticks) rendered as the step text's is, each
    wrapped under its own first word ("now:" wrapped back to the edge at 80x24)."""
    if result is None:
        return Content("")
    if result.met:
        return Hanging((Content.styled("✓ Check passed: ", "bold green"), inline(result.detail)))
    before = Content.styled("  (you passed it before)", "dim green") if done else Content("")
    todo = Content.styled("○ To do: ", "bold yellow")
    if not description:
        return Hanging((todo, inline(result.detail) + before))
    return Hanging(
        (todo, inline(description)),
        (Content.styled("  now: ", "dim"), inline(result.detail, "dim") + before),
    )


class StepPane(IntroPane):
    """Step N of M, its Markdown, the "try this" line and the check's status."""

    def __init__(self, markdown: str = "", *, first: bool = True, last: bool = False) -> None:
        super().__init__()
        self.markdown = markdown
        """The first step's text, parsed while the screen mounts (not in a second pass)."""
        self.first = first
        self.last = last
        """Where the first step shown is: its buttons are composed as they will be shown (a
        button disabled after mounting restyled itself once more before the first frame)."""

        self._bar_kept = False
        """The scroll bar's columns are kept free for the first layout (`on_mount`)."""

    def on_mount(self) -> None:
        """A step that will not fit is laid out the first time with the scroll bar's columns
        already kept free (`scrollbar-gutter: stable`), at the width it will be drawn at:
        laid out without, the text was wrapped and drawn, then wrapped and drawn again once
        the bar came (a third of the settling of lesson 1's screen). Only a guess from the
        text's length and the terminal's size: the first Resize sets it right (`on_resize`)."""
        if self._will_overflow():
            self._bar_kept = True
            self.styles.scrollbar_gutter = "stable"

    def _will_overflow(self) -> bool:
        """Whether the text surely needs more rows than the pane will have (a rough count:
        a wrong yes costs one more layout, as a no always did)."""
        width, height = self.app.size
        if width >= NARROW_WIDTH:
            columns, rows = width // 2 - 6, (height - 4) // 2 - 2
        else:
            columns, rows = width - 6, height - 7
        if columns < 20 or rows < 4:
            return False
        needed = 2  # the nav row and the check
        for paragraph in self.markdown.split("\n\n"):
            needed += 1 + sum(len(line) // columns + 1 for line in paragraph.splitlines())
        return needed > rows + 4

    def on_resize(self) -> None:
        """After the first layout the pane's scroll bar is Textual's again (`IntroPane`, whose
        handler runs after this one, takes it away if the text fits without it)."""
        if not self._bar_kept:
            return
        self._bar_kept = False
        self.styles.clear_rule("scrollbar_gutter")
        if not self.show_vertical_scrollbar:  # it fits: laid out again at the full width
            self.refresh(layout=True)

    def compose(self) -> ComposeResult:
        with Horizontal(id="step-nav"):
            yield Button("◀ Prev", id="prev-step", compact=True, disabled=self.first)
            yield Static("", id="step-header", markup=False)
            yield Button("Finish ✓" if self.last else "Next ▶", id="next-step", compact=True)
        yield IntroMarkdown(self.markdown, id="step-text", open_links=False)
        yield Static("", id="step-try", markup=False)
        yield Static("", id="step-commands", markup=False)
        yield Static("", id="step-check", markup=False)


class LessonScreen(WorkbenchScreen, OpaqueScreen[None]):
    """One lesson, one step at a time."""

    INTRO_LABEL: ClassVar[str] = "Step"
    """What F2 shows, as the footer and the tabs name it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # the footer shows these in this order, on two lines when one is not enough
        Binding("ctrl+n", "next_step", "Next", id="next-step"),
        Binding("ctrl+b", "previous_step", "Prev", id="previous-step"),
        Binding("escape", "leave", "Lessons", id="back-to-list"),
        Binding("ctrl+o", "challenges", "Challenges", id="practice"),
        Binding("ctrl+r", "reset_step", "Reset", id="reset-step"),
        REVEAL,
        *Workbench.screen_bindings(INTRO_LABEL),
    ]

    AUTO_FOCUS = "#editor"

    def __init__(
        self, lesson: Lesson, index: int | None = None, *, progress: ProgressStore | None = None
    ) -> None:
        super().__init__()
        self.lesson = lesson
        self.start_index = index
        self._own_progress = progress
        """A store of its own (`ProgressStore.blank()`) while the screen is built ahead of its
        learner (`prebuild`); None once it is the app's learner's (`adopt`)."""
        self._built_narrow: bool | None = None
        """Whether the workbench was composed for a narrow terminal (tabs, not columns)."""
        self._built_size: tuple[int, int] | None = None
        """The terminal's size when the screen was composed (and first laid out)."""
        self.index = 0
        self.step_done: set[int] = set()
        self._markdown_shown: str | None = None
        self._changes_kept: tuple[int, str | None] | None = None
        """(step, JSON) of the cluster changes the store has for that step, as last handed to
        it or read from it: an analysis that leaves them as they were does not touch the store
        (whose lock waits while a thread writes the file)."""

    @property
    def tutor(self) -> TutorApp:
        return self.app  # type: ignore[return-value]

    @property
    def progress(self) -> ProgressStore:
        return self._own_progress if self._own_progress is not None else self.tutor.progress

    @property
    def prebuilt(self) -> bool:
        """Built ahead of its learner, and not adopted yet: nothing is saved for anyone."""
        return self._own_progress is not None

    def fits(self, progress: ProgressStore, index: int | None, narrow: bool) -> bool:
        """Whether this prebuilt screen shows exactly what `LessonScreen(lesson, index)`
        opened now for `progress` would: everything it read from its blank store (the
        step, the step's text, cluster changes and console lines, the steps done) is what
        the learner's store holds for this lesson (nothing), and the terminal is as narrow
        or as wide as when it was composed."""
        count = max(1, len(self.lesson.steps))
        wanted = 0 if index is None else max(0, min(index, count - 1))
        return (
            self.prebuilt
            and wanted == self.index
            and narrow == self._built_narrow
            and progress.untouched(self.lesson.id)
            and self.workbench.text == self.lesson.step_manifest(self.index)
            and self.workbench.changes.empty
        )

    def adopt(self) -> None:
        """The learner opens this prebuilt screen: their store takes what the screen wrote
        to its blank one (where they are, a step with no check done), as `on_mount` and the
        first analysis would have written it, and is the screen's store from now on."""
        blank, self._own_progress = self._own_progress, None
        if blank is not None:
            with self.progress.held():
                self.progress.take_lesson(blank, self.lesson.id)
            self._save_soon()
        if (self.app.size.width, self.app.size.height) != self._built_size:
            # laid out at another size, a pane kept the scroll bar it needed then (the text
            # wraps narrower beside it, and still overflows): start without any, as a new
            # screen does, and let the layout at this size decide (IntroPane would drop a bar
            # its text does not need on the Resize, but after a layout beside it: the step's
            # text wrapped twice per learner)
            for widget in self.query("*"):
                widget.show_vertical_scrollbar = False
                widget.show_horizontal_scrollbar = False

    def _save_soon(self) -> None:
        if not self.prebuilt:
            self.tutor.save_progress_soon()

    def compose(self) -> ComposeResult:
        self._built_narrow = self.app.size.width < NARROW_WIDTH
        self._built_size = (self.app.size.width, self.app.size.height)
        yield TitleBar()
        index = self._resume_index()
        self.index = index
        self._markdown_shown = self.lesson.steps[index].text if self.lesson.steps else ""
        yield self.hold(
            Workbench(
                StepPane(
                    self._markdown_shown,
                    first=index == 0,
                    last=0 < len(self.lesson.steps) <= index + 1,
                ),
                self._starting_text(index),
                intro_label=self.INTRO_LABEL,
                focus_path=self.lesson.steps[index].path if self.lesson.steps else "",
                focus_doc=self.lesson.steps[index].doc if self.lesson.steps else "",
                goal=self.lesson.steps[index].check if self.lesson.steps else None,
                changes=self._saved_changes(index),
                network=self.lesson.network,
                symptoms=bool(self.lesson.steps)
                and self.lesson.steps[index].routing == ROUTING_SYMPTOMS,
            )
        )
        session = self.workbench.session
        session.commands = restored_commands(self.progress.saved_edit(self.lesson.id, CONSOLE_KEY))
        session.commands_from = len(session.commands)  # ↑ recalls them; a step's goal asks anew
        yield KeyFooter()

    def _resume_index(self) -> int:
        count = max(1, len(self.lesson.steps))
        if self.start_index is not None:
            return max(0, min(self.start_index, count - 1))
        return max(0, min(self.progress.lesson(self.lesson.id).step, count - 1))

    def _starting_text(self, index: int) -> str:
        saved = self.progress.saved_edit(self.lesson.id, step_key(index))
        return saved if saved is not None else self.lesson.step_manifest(index)

    def _saved_changes(self, index: int) -> ClusterChanges:
        saved = self.progress.saved_edit(self.lesson.id, cluster_key(index))
        if not saved:
            return ClusterChanges()
        try:
            return ClusterChanges.from_json(json.loads(saved))
        except ValueError:  # a damaged entry: start from the manifest's own Pods
            return ClusterChanges()

    def on_mount(self) -> None:
        if not self.query("#step-header"):  # the app quit while the lesson opened
            return
        self.title = self.lesson.title
        self.step_done = set(self.progress.lesson(self.lesson.id).steps_done)
        self._render_step()
        # where to continue, written from a thread: writing the file (and its fsync, 3-8 ms)
        # held up the lesson's first frame whenever the learner opened another lesson
        with self.progress.held():
            self.progress.set_step(self.lesson.id, self.index)
        self._save_soon()
        bench = self.workbench
        if bench.analysis is not None:  # analyzed while mounting: the check is in frame one
            self.on_workbench_updated(Workbench.Updated(bench, bench.analysis, bench.check))

    # -- steps --------------------------------------------------------------------------------

    def _render_step(self) -> AwaitComplete | None:
        """Show the step's header, text, "try this" and commands; the new text's Markdown
        blocks are mounted by the awaitable returned (None when the text is the same)."""
        lesson = self.lesson
        count = len(lesson.steps)
        header = self.query_one("#step-header", Static)
        if not count:
            header.update("This lesson has no steps.")
            return None
        step = lesson.steps[self.index]
        set_subtitle(self, f"step {self.index + 1} of {count}: {step.title}")
        mark = " ✓" if self.index in self.step_done else ""
        header.update(
            Text.assemble(
                (f"step {self.index + 1} of {count}", "bold"),
                " · ",
                (step.title, "bold"),
                (mark, "green"),
            )
        )
        pending = None
        if step.text != self._markdown_shown:
            self._markdown_shown = step.text
            pending = self.query_one("#step-text", Markdown).update(step.text)
        try_line = self.query_one("#step-try", Static)
        try_line.update(
            Hanging((Content.styled("Try this: ", "bold cyan"), inline(step.try_this)))
            if step.try_this
            else ""
        )
        try_line.display = bool(step.try_this)
        commands = self.query_one("#step-commands", Static)
        commands.update(commands_block(step.commands))
        commands.display = bool(step.commands)
        self.query_one("#prev-step", Button).disabled = self.index == 0
        self.query_one("#next-step", Button).disabled = False
        self.query_one("#next-step", Button).label = (
            "Next ▶" if self.index < count - 1 else "Finish ✓"
        )
        set_content(self.query_one("#step-check", Static), "")
        self.query_one(StepPane).scroll_home(animate=False)
        return pending

    async def go_to(self, index: int) -> None:
        """Leave the current step (its edit is saved) and show step `index`, in one frame: the
        new text's Markdown is parsed in a thread and its blocks mount on later turns, and the
        screen drew the new header, editor and routing around the old text, then again once
        the blocks came (two or three layouts and repaints of the whole screen a step)."""
        if not self.lesson.steps:
            return
        index = max(0, min(index, len(self.lesson.steps) - 1))
        with self.app.batch_update():
            self.save_now()
            self.index = index
            self.progress.set_step(self.lesson.id, index)
            step = self.lesson.steps[index]
            pending = self._render_step()
            session = self.workbench.session
            session.commands_from = len(session.commands)  # a `ran` check asks for this step's
            self.workbench.load(
                self._starting_text(index),
                step.path,
                step.check,
                self._saved_changes(index),
                focus_doc=step.doc,
                routing=step.routing,
            )
            if self.workbench.narrow:  # one pane at a time: the new step's text comes first
                self.workbench.action_show_pane("intro")
            if pending is not None:
                await pending
        self.check_idle()  # what changed meanwhile is drawn now, in one frame

    async def action_next_step(self) -> None:
        if self.index >= len(self.lesson.steps) - 1:
            self.progress.mark_done(self.lesson.id)
            untried = [
                i + 1
                for i, step in enumerate(self.lesson.steps)
                if step.check is not None and i not in self.step_done
            ]
            if untried:  # the learner may finish without them; say so, not only "well done"
                listed = ", ".join(map(str, untried[:-1])) + " and " if len(untried) > 1 else ""
                which = f"Steps {listed}{untried[-1]} have" if listed else f"Step {untried[0]} has"
                self.notify(
                    f"Lesson done: {self.lesson.title}. {which} a try you have not done yet "
                    "(ctrl+b goes back, ctrl+p finds a step). Then try its challenges and quiz "
                    "(ctrl+o).",
                    title="End of the lesson",
                    timeout=10,
                    markup=False,
                )
                return
            self.notify(
                f"Lesson done: {self.lesson.title}. Try its challenges and quiz (ctrl+o).",
                title="Well done",
                timeout=6,
                markup=False,
            )
            return
        await self.go_to(self.index + 1)

    async def action_previous_step(self) -> None:
        if self.index > 0:
            await self.go_to(self.index - 1)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "next-step":
            await self.action_next_step()
        elif event.button.id == "prev-step":
            await self.action_previous_step()

    def action_reset_step(self) -> None:
        from tutor.app.screens.dialogs import ConfirmScreen

        def done(ok: bool | None) -> None:
            if ok:
                self.reset_step()

        self.app.push_screen(
            ConfirmScreen(
                f"Undo every change to step {self.index + 1}'s YAML and go back to its "
                "starting manifest?",
                yes="Reset",
            ),
            done,
        )

    def action_skip_lesson(self) -> None:
        self.progress.skip(self.lesson.id)
        self.notify(
            f"Skipped: {self.lesson.title}. It stays in the list; open it any time.",
            timeout=4,
            markup=False,
        )
        self.action_leave()

    def action_reset_lesson(self) -> None:
        from tutor.app.screens.dialogs import ConfirmScreen

        async def done(ok: bool | None) -> None:
            if ok:
                await self.go_to(0)  # saves what is open, then forget it all
                self.progress.reset_lesson(self.lesson.id)
                self._changes_kept = None  # the store forgot them: ask it again
                self.step_done.clear()
                self.workbench.changes.reset()
                step = self.lesson.steps[0]
                self.workbench.load(
                    self.lesson.step_manifest(0), step.path, step.check, focus_doc=step.doc
                )
                self._render_step()
                self.notify("Lesson reset: back to step 1 with its starting YAML.", timeout=3)

        self.app.push_screen(
            ConfirmScreen(
                f"Forget all progress and edits in {self.lesson.title!r} and start it again?",
                yes="Reset lesson",
            ),
            done,
        )

    def reset_step(self) -> None:
        """Back to the step's starting YAML (no question asked: callers confirm first)."""
        self.progress.reset_step(self.lesson.id, self.index)
        self.progress.clear_edit(self.lesson.id, cluster_key(self.index))
        self._changes_kept = None
        self.step_done.discard(self.index)
        step = self.lesson.steps[self.index]
        self.workbench.changes.reset()
        self.workbench.load(
            self.lesson.step_manifest(self.index), step.path, step.check, focus_doc=step.doc
        )
        self._render_step()
        self.notify("Step reset to its starting YAML.", timeout=3)

    def action_challenges(self) -> None:
        from tutor.app.screens.practice import PracticeScreen

        self.app.push_screen(PracticeScreen(self.lesson))

    def action_leave(self) -> None:
        self.save_now()
        self.app.pop_screen()

    # -- messages from the workbench -------------------------------------------------------------

    def _save(self, text: str) -> None:
        if not self.lesson.steps or self.prebuilt:
            return
        self.tutor.keep_edit(
            self.lesson.id, step_key(self.index), text, self.lesson.step_manifest(self.index)
        )
        self._save_changes()

    def _save_changes(self) -> bool:
        """Hand the step's cluster changes to the store when they differ from what it keeps
        (it runs after every analysis: typing changes the text, not the cluster). True when
        the store changed."""
        changes = self.workbench.changes
        key = cluster_key(self.index)
        wanted = self._changes_json(changes)
        if self._changes_kept is None or self._changes_kept[0] != self.index:
            self._changes_kept = (self.index, self.progress.saved_edit(self.lesson.id, key))
        if self._changes_kept[1] == wanted:
            return False
        if wanted is None:
            self.progress.clear_edit(self.lesson.id, key)
        else:
            self.progress.save_edit(self.lesson.id, key, wanted)
        self._changes_kept = (self.index, wanted)
        return True

    def on_workbench_command_ran(self, message: Workbench.CommandRan) -> None:
        self.keep_commands(self.lesson.id, CONSOLE_KEY)

    def on_workbench_updated(self, message: Workbench.Updated) -> None:
        if not self.lesson.steps:
            return
        done_now = self._show_check(message)
        wanted = self.workbench.changes
        if not done_now and self._changes_kept == (self.index, self._changes_json(wanted)):
            return  # the usual keystroke: nothing to keep
        # changes are made here, in order; the file is written from a thread, and only when
        # something changed (a keystroke used to serialize the whole progress file here)
        with self.progress.held():
            changed = self._save_changes()
            if done_now:
                self.progress.mark_step_done(self.lesson.id, self.index)
        if changed or done_now:
            self._save_soon()

    @staticmethod
    def _changes_json(changes: ClusterChanges) -> str | None:
        return None if changes.empty else json.dumps(changes.to_json(), sort_keys=True)

    def _show_check(self, message: Workbench.Updated) -> bool:
        """Show the step's check; True when the step has just been done (the caller keeps
        that in the store)."""
        step = self.lesson.steps[self.index]
        check = self.query_one("#step-check", Static)
        if step.check is None or message.check is None:
            set_content(
                check,
                Text("No check in this step: read, experiment, then ctrl+n.", style="dim")
                if step.check is None
                else "",
            )
            if step.check is None and self.index not in self.step_done:
                self.step_done.add(self.index)
                return True
            return False
        set_content(
            check, check_text(message.check, step.check.description, self.index in self.step_done)
        )
        if message.check.met and self.index not in self.step_done:
            self.step_done.add(self.index)
            self._render_step()
            set_content(check, check_text(message.check, step.check.description, True))
            self.notify(f"Step {self.index + 1} done.", timeout=3)
            return True
        return False
