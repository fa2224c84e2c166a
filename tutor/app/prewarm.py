"""Pay the lesson screen's one-time costs while the learner reads the lesson list, or before
a served tab's learner arrives.

Textual parses a widget class's DEFAULT_CSS the first time one is mounted: for a lesson screen
that is about twenty classes, ~30 ms of CPU, an eighth of the time to open the first lesson.
Here one widget of each kind the lesson screen mounts is mounted, hidden, under the lesson
list, one at a time (a key pressed meanwhile is not kept waiting), then removed: Textual
registers their styles as for any mount (Tabs brings its underline, Markdown its blocks).
Public API only; a failure only loses the speed-up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen
    from textual.widget import Widget

SAMPLE_MARKDOWN = (
    "A paragraph with `code`.\n\n- a bullet\n\n1. a numbered item\n\n```yaml\nkind: Service\n```\n"
)
"""The Markdown blocks the lessons' steps use (each block is a widget class of its own)."""


def samples(editor: Widget) -> list[Callable[[], Widget]]:
    """Makers of one widget of each kind a lesson screen (and behind the scenes) mounts, whose
    styles Textual has not parsed for the list. Our own widgets but the editor and the step's
    Markdown (its code blocks wrap: PlainFence) add no CSS of their own: their Textual bases
    are here."""
    from textual.containers import Container, Horizontal, ScrollableContainer, VerticalScroll
    from textual.widgets import Button, Label, Tab, TabbedContent, Tabs

    from tutor.app.widgets.intro_pane import IntroMarkdown

    return [
        lambda: Horizontal(Container(), VerticalScroll(), ScrollableContainer()),
        lambda: Tabs(Tab("tab")),
        lambda: IntroMarkdown(SAMPLE_MARKDOWN),
        lambda: Button("button"),
        lambda: Label("label"),
        TabbedContent,
        lambda: editor,
    ]


async def warm_styles(screen: Screen[object], editor: Widget) -> None:
    """Mount the samples, hidden, on `screen` (the lesson list: it stays while lessons come
    and go), one per turn of the event loop, then remove them."""
    from textual.containers import Vertical
    from textual.widgets import TabbedContent, TabPane

    holder = Vertical()
    holder.display = False
    with contextlib.suppress(Exception):
        await screen.mount(holder)
        try:
            for make in samples(editor):
                widget = make()
                await holder.mount(widget)
                if isinstance(widget, TabbedContent):
                    await widget.add_pane(TabPane("pane"))
        finally:
            await holder.remove()


PREBUILT = "ktutor-prebuilt-lesson"
"""The name under which a prebuilt lesson screen is installed until it is opened or dropped."""


async def prebuild(app: App[Any], screen: Screen[Any]) -> bool:
    """Compose, mount and lay out `screen` without showing it: a warm tutor of `ktutor serve`
    waits for its learner anyway, and a lesson screen built then is one its learner opens for
    the cost of showing it.

    The screen is installed (so that popping it keeps it), pushed and popped again inside
    `batch_update`, which keeps every frame from the terminal (nothing is written while a
    batch is open). While it is on top, once its content is mounted, a Resize at the app's
    size lays it out with its content and draws its lines (Textual lays a screen out at
    once only when it is pushed or resized, and its content comes after the push): a
    learner whose browser has that size pays for little more than sending the frame. At
    another size the learner's layout runs when it opens (`LessonScreen.adopt` hides the
    scroll bars this layout chose first, as a new screen has none). Returns False (and
    drops the screen) if anything failed: the learner then gets a screen built as usual."""
    from textual import events

    app.install_screen(screen, PREBUILT)
    try:
        with app.batch_update():
            await app.push_screen(screen)
            try:
                await screen.wait_for_refresh()  # its Markdown blocks and first analysis
                screen.post_message(events.Resize(app.size, app.size))  # laid out with them
                await screen.wait_for_refresh()
            finally:
                await app.pop_screen()
    except Exception:
        drop(app, screen)
        return False
    return True


def drop(app: App[Any], screen: Screen[Any]) -> None:
    """Forget a prebuilt screen nobody will open (it is removed like a popped screen)."""
    with contextlib.suppress(Exception):
        app.uninstall_screen(screen)
        if screen.is_attached and screen not in app.screen_stack:
            screen.remove()
