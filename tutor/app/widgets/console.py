"""The lab console pane: a prompt and the output of kubectl, nslookup, dig, curl and env run
against the simulated cluster (the engine is tutor.lab.console; this is only its screen).

↑/↓ walk the history, Tab completes verbs, resource types, object names and flags (a second
list of choices is printed when several remain). Effects the engine hands back go to the
workbench as messages: a cluster change re-runs the model, `kubectl edit` opens the editor,
`kubectl expose` adds the Service to the manifest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Log, Static

from tutor.lab.console import Clear, ClientPod, Console, Effect, Output
from tutor.model.analysis import Analysis
from tutor.model.changes import ClusterChanges

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
    """A console bound to the workbench's model: `analysis()` is what the views show now,
    `changes()` the learner's cluster changes shared with the routing view's keys."""

    DEFAULT_CSS = """
    ConsolePane { height: 1fr; }
    ConsolePane #console-log { height: 1fr; background: $surface; }
    ConsolePane #console-line { height: 1; }
    ConsolePane #console-prompt { width: auto; height: 1; color: $success; }
    ConsolePane #console-input { border: none; height: 1; padding: 0; width: 1fr; }
    """

    class Ran(Message):
        """A command ran; the workbench carries out its effects (not Clear: done here)."""

        def __init__(self, pane: ConsolePane, line: str, output: Output) -> None:
            super().__init__()
            self.pane = pane
            self.line = line
            self.output = output

        @property
        def effects(self) -> list[Effect]:
            return [e for e in self.output.effects if not isinstance(e, Clear)]

    def __init__(
        self,
        analysis: Callable[[], Analysis | None],
        changes: Callable[[], ClusterChanges],
        client: Callable[[], ClientPod | None] | None = None,
        *,
        console: Console | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._analysis = analysis
        self._changes = changes
        self._client = client
        self.console = console if console is not None else Console(changes=changes())
        self._walk: int | None = None
        self._draft = ""

    def compose(self) -> ComposeResult:
        yield Log(id="console-log", max_lines=MAX_LOG_LINES)
        with Horizontal(id="console-line"):
            yield Static(self.console.prompt, id="console-prompt", markup=False)
            yield ConsoleInput(
                placeholder="kubectl get svc   (help: commands, Tab: complete)",
                id="console-input",
                select_on_focus=False,
            )

    @property
    def log_widget(self) -> Log:
        return self.query_one("#console-log", Log)

    @property
    def input(self) -> ConsoleInput:
        return self.query_one("#console-input", ConsoleInput)

    def focus_input(self) -> None:
        self.input.focus()

    def _sync(self) -> Analysis | None:
        """Point the engine at the workbench's current changes and client."""
        self.console.changes = self._changes()
        if self._client is not None and not self.console.client.debug:
            client = self._client()
            if client is not None:
                self.console.client = client
        return self._analysis()

    def run_line(self, line: str) -> Output:
        """Run one line as if typed and Enter pressed; returns what the engine gave back."""
        analysis = self._sync()
        log = self.log_widget
        log.write_line(self.console.prompt + _visible(line))
        if analysis is None:
            out = Output("ktutor: the cluster is still loading; try again in a moment\n", 1)
        else:
            out = self.console.run(line, analysis)
        if any(isinstance(e, Clear) for e in out.effects):
            log.clear()
        elif out.text:
            log.write_lines(out.text.rstrip("\n").split("\n"))
        self.query_one("#console-prompt", Static).update(self.console.prompt)
        if out.effects:
            self.post_message(self.Ran(self, line, out))
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value
        self.input.value = ""
        self._walk = None
        self.run_line(line)

    def walk_history(self, step: int) -> None:
        history = self.console.history
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

        analysis = self._sync()
        if analysis is None:
            return
        line = self.input.value
        completed, choices = complete(line, self.console.world(analysis), self.console)
        if completed != line:
            self.input.value = completed
            self.input.cursor_position = len(completed)
        elif choices:
            self.log_widget.write_line("  ".join(_visible(c) for c in choices))


def _visible(text: str) -> str:
    from tutor.model.limits import visible

    return visible(text)
