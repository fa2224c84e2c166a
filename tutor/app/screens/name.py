"""The first screen of a served (browser) session: who is learning, so progress is theirs.

A ModalScreen that returns the name. The app shows it through `ask_learner_name(app, then)` when
`KTUTOR_SERVE=1` (`tutor.settings.serving`); what makes a name acceptable is the classroom's rule
(`tutor.classroom.serving.name_problem`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tutor import settings
from tutor.classroom.serving import MAX_NAME, name_problem


class NameScreen(ModalScreen[str]):
    """Ask the learner's name; dismiss with it once it is acceptable. There is no cancel: a
    served session without a name would write into someone else's progress. Nor is there a
    way around it: the command palette (an app key, which a modal screen does not stop) is
    off while the prompt is up; it opened any lesson, nameless, writing the server's shared
    progress file, and offered "Reset all progress" on it."""

    DEFAULT_CSS = """
    NameScreen { align: center middle; }
    NameScreen > Vertical {
        width: 60; height: auto; padding: 1 2; border: thick $primary; background: $surface;
    }
    NameScreen #name-title { text-style: bold; margin-bottom: 1; }
    NameScreen #name-error { color: $error; height: auto; }
    NameScreen Button { margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "nothing", show=False)]

    def __init__(self, claim: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.claim = claim
        """Takes the name for this tab, or says why not (in use in another tab)."""
        self.given = False
        """Set once a name is accepted: a second Enter queued behind the first does nothing
        (dismissing twice popped a screen that was no longer there)."""
        self._palette = True

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Welcome to ktutor", id="name-title")
            yield Static(
                "What is your name? Your progress is saved under it on this server, "
                "so use the same name next time."
            )
            yield Input(placeholder="Your name", id="learner-name", max_length=MAX_NAME)
            yield Static("", id="name-error")
            yield Button("Start", variant="primary", id="name-start")

    def on_mount(self) -> None:
        self._palette = self.app.use_command_palette
        self.app.use_command_palette = False
        field = self.query_one("#learner-name", Input)
        field.cursor_blink = bool(getattr(self.app, "cursor_blink", True))  # see TutorApp's
        field.focus()

    def on_unmount(self) -> None:
        self.app.use_command_palette = self._palette

    def action_nothing(self) -> None:
        """Escape does not close the prompt."""

    def _submit(self) -> None:
        if self.given:
            return
        value = self.query_one("#learner-name", Input).value
        problem = name_problem(value)
        if problem is None and self.claim is not None:
            problem = self.claim(value.strip())
        if problem is not None:
            self.query_one("#name-error", Static).update(problem)
            return
        self.given = True
        self.dismiss(value.strip())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._submit()


def ask_learner_name(
    app: App[Any],
    then: Callable[[str], None],
    claim: Callable[[str], str | None] | None = None,
) -> bool:
    """When served and no learner is set, show the name prompt and call `then(name)` once the
    learner gives one (and `claim(name)` took it: see `tutor.classroom.claims`). Returns True
    when the prompt was shown (the caller should wait for `then` before opening progress),
    False when nothing needs asking."""
    if not settings.serving() or getattr(app, "learner", None):
        return False

    def done(name: str | None) -> None:
        if name:
            then(name)

    app.push_screen(NameScreen(claim), done)
    return True
