"""Small modal dialogs: yes/no confirmation and a one-line label editor."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from tutor.app.widgets.safe import scrub_str


class ConfirmScreen(ModalScreen[bool]):
    """Ask before throwing work away. `y`/Enter confirms; `n`/Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, markup=False, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="warning", id="yes")
                yield Button("Cancel (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


def parse_labels(text: str) -> dict[str, str]:
    """`app=web, tier=fe` (commas or spaces) -> a dict; raises ValueError naming the bad part."""
    out: dict[str, str] = {}
    for part in text.replace(",", " ").split():
        key, sep, value = part.partition("=")
        if not sep or not key:
            raise ValueError(f"{part!r} is not key=value")
        out[key] = value
    return out


def format_labels(labels: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in labels.items())


class LabelsScreen(ModalScreen[dict[str, str] | None]):
    """Edit a Pod's labels as `key=value, key=value`; Enter applies, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="labels-cancel"),
    ]

    def __init__(self, pod: str, labels: dict[str, str]) -> None:
        super().__init__()
        self.pod = scrub_str(pod)
        self.labels = {scrub_str(k): scrub_str(v) for k, v in labels.items()}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Labels of Pod {self.pod} (key=value, separated by commas):", markup=False)
            yield Input(format_labels(self.labels), id="labels-input")
            yield Label("", id="labels-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply (Enter)", variant="primary", id="apply")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _apply(self) -> None:
        value = self.query_one(Input).value
        try:
            labels = parse_labels(value)
        except ValueError as exc:
            self.query_one("#labels-error", Label).update(str(exc))
            return
        self.dismiss(labels)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self._apply()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
