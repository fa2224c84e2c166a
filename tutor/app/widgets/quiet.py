"""Update a Static only when its content really changes, and lay out the screen only when its
size does.

`Static.update` always asks for a new layout, and a layout pass over the lesson screen (and the
redraw of every row that follows it) costs more than the whole analysis of a 50-Pod manifest;
most keystrokes change neither the summary nor the check, so skipping identical updates keeps
typing fast. A key that does change one of them (the check's "now: ..." as the YAML breaks and
mends) mostly changes its words, not its number of rows: that is a repaint of those rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.content import Content
from textual.visual import Visual, visualize
from textual.widget import Widget
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.css.styles import RulesMap

_LAST = "_ktutor_last_content"


def set_content(
    widget: Static, content: Text | Content | Visual | str, *, layout: bool | None = None
) -> None:
    """Show `content` in `widget` unless it shows it already. `layout=False` for a widget
    whose size its content cannot change (a fixed height and width): a repaint. By default,
    a repaint too when the content takes as many rows as the widget has now (`fits`).
    A string is measured as plain text: pass markup as `Content`."""
    key: object = content
    if isinstance(content, (Text, Content)):
        key = (content.plain, tuple(content.spans))
    if getattr(widget, _LAST, None) == key:
        return
    setattr(widget, _LAST, key)
    if layout is None:
        layout = not fits(widget, content)
    widget.update(content, layout=layout)


def rows(widget: Widget, content: Text | Content | Visual | str, width: int) -> int:
    """Rows `content` takes in `widget` at `width` cells, wrapped as the widget wraps it."""
    rules = cast("RulesMap", widget.styles)  # what Textual's own widgets pass
    return visualize(widget, content, markup=False).get_height(rules, max(1, width))


def fits(widget: Widget, content: Text | Content | Visual | str) -> bool:
    """Whether `widget`, as laid out now, keeps its size with `content` in it: its height is
    not `auto`, or the content takes as many rows as it has (at most its `max-height`). False
    when unsure (hidden, not laid out yet, a width that follows the content)."""
    styles = widget.styles
    width, height = widget.size
    if not widget.display or not width or (styles.width is not None and styles.width.is_auto):
        return False
    if styles.height is None:
        return False
    if not styles.height.is_auto:
        return True
    needed = rows(widget, content, width)
    most = styles.max_height
    if most is not None and most.is_cells:
        needed = min(needed, int(most.value) - styles.gutter.height)
    return needed == height
