"""Pay the lesson screen's one-time costs while the learner reads the lesson list.

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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widget import Widget

SAMPLE_MARKDOWN = (
    "A paragraph with `code`.\n\n- a bullet\n\n1. a numbered item\n\n```yaml\nkind: Service\n```\n"
)
"""The Markdown blocks the lessons' steps use (each block is a widget class of its own)."""


def samples(editor: Widget) -> list[Callable[[], Widget]]:
    """Makers of one widget of each kind a lesson screen (and behind the scenes) mounts, whose
    styles Textual has not parsed for the list. Our own widgets but the editor add no CSS of
    their own: their Textual bases are here."""
    from textual.containers import Container, Horizontal, ScrollableContainer, VerticalScroll
    from textual.widgets import Button, Label, Markdown, Tab, TabbedContent, Tabs

    return [
        lambda: Horizontal(Container(), VerticalScroll(), ScrollableContainer()),
        lambda: Tabs(Tab("tab")),
        lambda: Markdown(SAMPLE_MARKDOWN),
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
