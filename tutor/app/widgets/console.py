"""The lab console pane: a prompt and the output of kubectl, nslookup, dig, curl and env run
against the simulated cluster (the engine is tutor.lab.console; this is only its screen).

↑/↓ walk the history, Tab completes verbs, resource types, object names and flags (a second
list of choices is printed when several remain). Effects the engine hands back go to the
workbench as messages: a cluster change re-runs the model, `kubectl edit` opens the editor,
`kubectl expose` adds the Service to the manifest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Log, Static, TextArea

from tutor.course.lesson import COMMANDS_LABEL
from tutor.lab.console import AppendManifest, Clear, Console, Effect, OpenEditor, Output
from tutor.model.analysis import Analysis

if TYPE_CHECKING:
    from tutor.lab.session import LabSession

MAX_LOG_LINES = 5000
"""Lines the pane keeps; older output scrolls away, as in a terminal's scrollback."""


class ConsoleInput(Input):
    """The command line: ↑/↓ history and Tab completion, handled by the pane."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history(-1)", "Previous command", show=False),
        Binding("down", "history(1)", "Next command", show=False),
        Binding("tab", "complete", "Complete", show=False),
    ]

    def action_history(self, step: int) -> None:
        pane = self.ancestors_with_self
        for node in pane:
            if isinstance(node, ConsolePane):
                node.walk_history(step)
                return

    def action_complete(self) -> None:
        for node in self.ancestors_with_self:
            if isinstance(node, ConsolePane):
                node.complete()
                return


class ConsolePane(Vertical):
    """The console of one workbench: every line runs through its `LabSession` (`run_command`),
    on what the routing view shows, with the cluster changes the routing view's keys make."""

    DEFAULT_CSS = """
    ConsolePane { height: 1fr; }
    ConsolePane #console-log { height: 1fr; background: $surface; }
    ConsolePane #console-line { height: 1; }
    ConsolePane #console-prompt { width: auto; height: 1; color: $success; }
    ConsolePane #console-input { border: none; height: 1; padding: 0; width: 1fr; }
    """

    class Ran(Message):
        """A command ran: the workbench carries out its effects (not Clear: done here) and
        re-checks the goal (a `ran` goal may be met now)."""

        def __init__(self, pane: ConsolePane, line: str, output: Output) -> None:
            super().__init__()
            self.pane = pane
            self.line = line
            self.output = output

        @property
        def effects(self) -> list[Effect]:
            return [e for e in self.output.effects if not isinstance(e, Clear)]

    def __init__(self, session: LabSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self._walk: int | None = None
        self._draft = ""
        self.focus_when_mounted = False
        """Set by a parent that mounts the pane and wants the prompt focused at once."""

    @property
    def console(self) -> Console:
        return self.session.console

    def compose(self) -> ComposeResult:
        yield Log(id="console-log", max_lines=MAX_LOG_LINES)
        with Horizontal(id="console-line"):
            yield Static(self.console.prompt, id="console-prompt", markup=False)
            yield ConsoleInput(
                placeholder="kubectl get svc   (help: commands, Tab: complete)",
                id="console-input",
                select_on_focus=False,
            )

    def on_mount(self) -> None:
        if self.focus_when_mounted:
            self.call_after_refresh(self.focus_input)

    @property
    def log_widget(self) -> Log:
        return self.query_one("#console-log", Log)

    @property
    def input(self) -> ConsoleInput:
        return self.query_one("#console-input", ConsoleInput)

    def focus_input(self) -> None:
        self.input.focus()

    def run_line(self, line: str) -> Output:
        """Run one line as if typed and Enter pressed; returns what the engine gave back."""
        log = self.log_widget
        prompt = self.console.prompt
        out = self.session.run_command(line)
        if any(isinstance(e, Clear) for e in out.effects):
            log.clear()
        else:
            lines = [prompt + _visible(line)]
            if out.text:
                lines += out.text.rstrip("\n").split("\n")
            log.write_lines(lines)
        self.query_one("#console-prompt", Static).update(self.console.prompt)
        self.post_message(self.Ran(self, line, out))
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value
        self.input.value = ""
        self._walk = None
        self.run_line(line)

    def walk_history(self, step: int) -> None:
        history = self.session.commands
        if not history:
            return
        if self._walk is None:
            self._draft = self.input.value
            index = len(history)
        else:
            index = self._walk
        index = max(0, min(len(history), index + step))
        self._walk = index if index < len(history) else None
        value = history[index] if index < len(history) else self._draft
        self.input.value = value
        self.input.cursor_position = len(value)

    def complete(self) -> None:
        from tutor.lab.console.complete import complete

        shown = self.session.shown
        if shown is None:
            return
        line = self.input.value
        completed, choices = complete(line, self.console.world(shown), self.console)
        if completed != line:
            self.input.value = completed
            self.input.cursor_position = len(completed)
        elif choices:
            self.log_widget.write_line("  ".join(_visible(c) for c in choices))


def commands_line(commands: tuple[str, ...]) -> Text:
    """A step's or challenge's commands to try, as one line under its text."""
    if not commands:
        return Text("")
    out = Text.assemble((f"{COMMANDS_LABEL} (F8): ", "bold cyan"))
    for i, command in enumerate(commands):
        if i:
            out.append("  ·  ", style="dim")
        out.append(_visible(command), style="bold")
    return out


def show_in_editor(editor: TextArea, analysis: Analysis | None, effect: OpenEditor) -> bool:
    """`kubectl edit`: put the editor's cursor on the object's `metadata.name` line."""
    if analysis is None:
        return False
    svc = next(
        (
            s
            for s in analysis.cluster.services
            if s.name == effect.name and s.namespace == effect.namespace
        ),
        None,
    )
    docs = analysis.parsed.documents
    if svc is None or not 0 <= svc.source.document < len(docs):
        return False
    doc = docs[svc.source.document]
    span = doc.spans.get((*svc.source.prefix, "metadata", "name")) or doc.spans.get(
        svc.source.prefix
    )
    line = span.line if span is not None else doc.line
    editor.cursor_location = (max(0, line - 1), 0)
    editor.scroll_cursor_visible(center=True)
    return True


def append_to_editor(editor: TextArea, effect: AppendManifest) -> None:
    """`kubectl expose`: the new Service goes at the end of the manifest, as a new document."""
    text = editor.text
    sep = "" if not text.strip() else ("---\n" if text.endswith("\n") else "\n---\n")
    end = editor.document.end
    editor.insert(sep + effect.text, end)


def _visible(text: str) -> str:
    from tutor.model.limits import visible

    return visible(text)
