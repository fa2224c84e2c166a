"""Update a Static only when its content really changes.

`Static.update` always asks for a new layout, and a layout pass over the lesson screen costs
more than the whole analysis of a 50-Pod manifest; most keystrokes change neither the summary
nor the check, so skipping identical updates keeps typing fast.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

_LAST = "_ktutor_last_content"


def set_content(widget: Static, content: Text | str) -> None:
    key = (content.plain, tuple(content.spans)) if isinstance(content, Text) else content
    if getattr(widget, _LAST, None) == key:
        return
    setattr(widget, _LAST, key)
    widget.update(content)
