"""Update a Static only when its content really changes.

`Static.update` always asks for a new layout, and a layout pass over the lesson screen costs
more than the whole analysis of a 50-Pod manifest; most keystrokes change neither the summary
nor the check, so skipping identical updates keeps typing fast.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widgets import Static

_LAST = "_ktutor_last_content"


def set_content(widget: Static, content: Text | Content | str, *, layout: bool = True) -> None:
    """`layout=False` for a widget whose size its content cannot change (a fixed height and
    width): a repaint, not a layout of the whole screen."""
    key: object = content
    if isinstance(content, (Text, Content)):
        key = (content.plain, tuple(content.spans))
    if getattr(widget, _LAST, None) == key:
        return
    setattr(widget, _LAST, key)
    widget.update(content, layout=layout)
