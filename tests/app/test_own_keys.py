"""tutor/app/shims.py's OwnKeysFirst, its part on Textual's key handling (Textual issue #6605, fix PR #6631).

Textual runs a widget's non-priority binding only after the key has bubbled through every
ancestor's queue, while a key the widget handles itself runs at once: keys typed together
come out of order. The shim runs the widget's bindings in its own queue, and must leave every
other key to Textual's normal dispatch (which already walks the class hierarchy)."""

from __future__ import annotations

from typing import ClassVar

from testkit import settle
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget

from tutor.app.shims import OwnKeysFirst


class Plain(Widget, can_focus=True):
    """A binding (`x`) and a key the widget handles itself (`y`), as TextArea has."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "mark('x')")]

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def action_mark(self, what: str) -> None:
        self.seen.append(what)

    def key_y(self) -> None:
        self.seen.append("y")


class Shimmed(OwnKeysFirst, Plain):
    pass


class Host(App[None]):
    def __init__(self, widget: Plain) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        with Vertical(), Vertical(), Vertical():  # ancestors: queues the key bubbles through
            yield self.widget

    def on_mount(self) -> None:
        self.widget.focus()


async def _typed_together(widget: Plain, keys: tuple[str, ...]) -> list[str]:
    app = Host(widget)
    async with app.run_test() as pilot:
        await settle(pilot)
        for key in keys:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
    return widget.seen


async def test_textual_still_reorders_bindings_upstream_issue_6605() -> None:
    """Fails once Textual runs a widget's bindings in order (issue #6605, PR #6631): then
    delete OwnKeysFirst from tutor/app/shims.py and this test, and use the plain widgets."""
    assert await _typed_together(Plain(), ("x", "y")) == ["y", "x"]


async def test_the_shim_keeps_keys_in_the_order_typed() -> None:
    assert await _typed_together(Shimmed(), ("x", "y", "x")) == ["x", "y", "x"]


async def test_a_key_that_is_not_a_binding_is_handled_once() -> None:
    """The shim leaves other keys to Textual's dispatch: calling the next `_on_key` itself as
    well ran `key_y` twice."""
    assert await _typed_together(Shimmed(), ("y",)) == ["y"]
