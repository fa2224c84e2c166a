"""The first screen: every lesson with its progress, and every lesson file that failed to load."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.app.widgets.choice_list import ChoiceList
from tutor.app.widgets.footer import KeyFooter
from tutor.app.widgets.safe import scrub
from tutor.app.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from tutor.app.app import TutorApp

STATUS_MARK = {"done": "✓", "in progress": "◐", "skipped": "↷", "new": "○"}
STATUS_STYLE = {
    "done": "bold green",
    "in progress": "bold yellow",
    "skipped": "italic dim",
    "new": "dim",
}


def status_text(status: str) -> Text:
    """`✓ done`, `◐ in progress`, `○ new`: a symbol and the word, so colour is never needed."""
    mark = STATUS_MARK.get(status, "○")
    return Text(f"{mark} {status:<11}", style=STATUS_STYLE.get(status, ""))


RESUME = "resume"
"""The option id of "Continue where you left off"."""
INDENT = 14
"""The status column's width: titles and summaries start here, and so do their wrapped lines."""


class Hanging:
    """`head` in a fixed-width column, `body` beside it: wrapped body lines stay under the
    body's first column (a plain Text would wrap them back to the left edge)."""

    def __init__(self, head: Text, body: Text, indent: int = INDENT) -> None:
        self.head = scrub(head)
        self.body = scrub(body)  # titles and file names come from lesson packs: no escapes
        self.indent = indent

    def __str__(self) -> str:
        return f"{self.head.plain}{self.body.plain}"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(8, options.max_width - self.indent)
        head = self.head.copy()
        head.truncate(self.indent, pad=True)
        pad = Text(" " * self.indent)
        out = Text(no_wrap=True)
        for i, line in enumerate(self.body.wrap(console, width)):
            if i:
                out.append("\n")
            out.append_text(head if i == 0 else pad)
            out.append_text(line)
        yield out


class LessonListScreen(Screen[None]):
    """Pick a lesson; Enter opens it where the learner left off."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: the list's own Enter binding is hidden, and this one belongs in the footer
        Binding("enter", "open", "Open", id="open-lesson", show=True, priority=True),
        Binding("r", "refresh", "Reload", id="reload-lessons"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._open_when_loaded = False
        """Enter was pressed while the list said "Loading lessons…": open the highlighted
        lesson once it is filled (on a first start the Enter was dropped)."""
        self._shown: list[tuple[str | None, str, bool]] | None = None
        """What the options say now (id, text, disabled): a fill that would show the same
        keeps them (each new option is measured and drawn again)."""
        self._resumed = False

    @property
    def tutor(self) -> TutorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(
            "Pick a lesson. Enter opens it where you left off; ctrl+p finds a "
            "lesson or step by name.",
            id="list-intro",
            markup=False,
        )
        yield ChoiceList(id="lessons")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.fill()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._resumed:  # its widgets were styled as they mounted, a moment ago: Textual
            self._resumed = True  # styled all of them again (5 ms of a start)
            event.refresh_styles = False
        self.fill()
        # after this frame: the editor for the next lesson, made while the learner reads
        self.set_timer(0.3, self._make_spare_editor)

    def _make_spare_editor(self) -> None:
        if self.is_current:  # not while a lesson opened meanwhile takes keys
            self.tutor.make_spare_editor()

    def fill(self) -> None:
        """(Re)build the list: progress may have changed while a lesson was open."""
        try:
            options = self.query_one("#lessons", OptionList)
        except NoMatches:  # not composed yet: its on_mount fills it
            return
        keep = options.highlighted_option.id if options.highlighted_option else None
        items: list[Option] = []
        started = self.tutor.started
        listed = started or self.tutor.preview
        if started and (resume := self._resume_option()) is not None:
            items.append(resume)
        if started:
            progress = self.tutor.progress
        else:  # a warm tutor's list, behind the name prompt: what a new learner sees
            from tutor.course.progress import ProgressStore

            progress = ProgressStore.blank()
        for number, lesson in enumerate(self.tutor.headings() if listed else (), 1):
            status = progress.status(lesson.id, len(lesson.steps))
            body = Text.assemble(
                (f"{number}. ", "bold"),
                (lesson.title, "bold"),
                (f"  {lesson.minutes} min", "dim"),
            )
            if lesson.pack != "built-in":
                body.append(f"  [{lesson.pack}]", style="italic dim")
            body.append("\n")
            body.append(lesson.summary, style="dim")
            items.append(Option(Hanging(status_text(status), body), id=f"lesson:{lesson.id}"))
        for number, error in enumerate(self.tutor.lesson_errors if listed else ()):
            body = Text.assemble(
                (error.lesson_id or error.file.name, "bold"), "\n", (str(error), "red")
            )
            items.append(
                Option(
                    Hanging(Text("✗ broken", style="bold red"), body),
                    id=f"broken:{number}",
                    disabled=True,
                )
            )
        if not items:
            message = (
                "Loading lessons…"
                if self._loading()
                else "No lessons found. Add a pack with --lessons DIR."
            )
            items.append(Option(Text(message), disabled=True))
        shown = [(item.id, str(item.prompt), item.disabled) for item in items]
        if shown != self._shown:
            self._shown = shown
            options.clear_options()
            options.add_options(items)
            if keep is not None:
                try:
                    options.highlighted = options.get_option_index(keep)
                except Exception:  # the lesson is gone after a reload
                    options.highlighted = 0
            elif items:
                options.highlighted = 0
        options.focus()
        if self._open_when_loaded and not self._loading():
            self._open_when_loaded = False
            options.call_later(self._open_highlighted)

    def _loading(self) -> bool:
        return self.tutor.loading or not self.tutor.started

    def _resume_option(self) -> Option | None:
        """ "Continue where you left off": the lesson and step, or the challenge, the learner
        was in when they quit (Enter on a lesson opens its step, never its challenge)."""
        progress = self.tutor.progress
        lesson = self.tutor.heading(progress.current)
        if lesson is None or not lesson.steps:
            return None
        challenge = lesson.challenge_title(progress.challenge) if progress.challenge else None
        if challenge is not None:
            where = f"challenge: {challenge}"
        else:
            index = max(0, min(progress.lesson(lesson.id).step, len(lesson.steps) - 1))
            where = f"step {index + 1} of {len(lesson.steps)}: {lesson.steps[index]}"
        body = Text.assemble(
            ("Continue where you left off", "bold"), "\n", (f"{lesson.title} · {where}", "dim")
        )
        return Option(Hanging(Text("↻ continue", style="bold cyan"), body), id=RESUME)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id)

    def action_open(self) -> None:
        # Enter is a priority binding, so it runs before keys already queued for the list:
        # ↓↓⏎ typed fast opened the lesson highlighted *before* the arrows. Opening from the
        # list's own queue lets the arrows land first.
        options = self.query_one("#lessons", OptionList)
        options.call_later(self._open_highlighted)

    def _open_highlighted(self) -> None:
        option = self.query_one("#lessons", OptionList).highlighted_option
        if option is not None and option.id is not None:
            self._open(option.id)
        elif self._loading():
            self._open_when_loaded = True

    def _open(self, option_id: str | None) -> None:
        if option_id == RESUME:
            self.tutor.resume()
        elif option_id and option_id.startswith("lesson:"):
            from tutor.app.app import OpenLesson

            self.post_message(OpenLesson(option_id.split(":", 1)[1]))

    def action_refresh(self) -> None:
        self.tutor.load_lessons()
        self.fill()
        self.notify(f"{len(self.tutor.lessons)} lesson(s) loaded", timeout=3)
