"""The YAML editor: a code editor that also marks the current step's field and the error lines.

The marks are extra highlights merged into TextArea's own syntax highlight map, so they move with
the text: after every edit the analysis finds the field's span again by its FIELD PATH (via
`load_documents`), never by a remembered line number.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any, ClassVar

from textual import events
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult

from tutor.app.prewarm import memoize_highlight_queries
from tutor.app.widgets import big_text
from tutor.app.widgets.own_keys import OwnKeysFirst

STEP_HIGHLIGHT = "ktutor.step"
ERROR_HIGHLIGHT = "ktutor.error"

Range = tuple[int, int, int, int]
"""0-based (start row, start column, end row, end column); end column -1 = end of line."""


def _byte_offset(line: str, column: int) -> int:
    return len(line[:column].encode("utf-8"))


BIG_EDIT = 100_000
"""Characters from which an edit runs with the garbage collector paused."""
PLAIN_ABOVE = 200_000
"""Characters above which the editor stops highlighting (tree-sitter runs on the UI thread)."""


class YamlEditor(OwnKeysFirst, TextArea):
    """`TextArea.code_editor` for Kubernetes YAML: theme follows the app, Tab indents by 2."""

    COMPONENT_CLASSES: ClassVar[set[str]] = TextArea.COMPONENT_CLASSES | {
        "yaml-editor--step",
        "yaml-editor--error",
    }
    DEFAULT_CSS = """
    YamlEditor > .yaml-editor--step { background: $accent-muted; }
    YamlEditor > .yaml-editor--error { background: $error-muted; text-style: underline; }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.step_ranges: list[Range] = []
        self.error_rows: list[int] = []
        self._styled_theme: object = None
        self.on_edit: Callable[[], None] | None = None
        """Called right after every edit, before `Changed` starts its trip up the DOM: the
        analysis starts one frame earlier."""
        super().__init__(*args, **kwargs)

    def edit(self, edit: Edit) -> EditResult:
        if len(edit.text) > BIG_EDIT:
            # a big paste allocates a few objects per line it adds, and the collector walked
            # them all, during the edit and again after it: a third of the time. They live as
            # long as the text (freed by reference counting, cycle-free), so they are frozen.
            gc.disable()
            try:
                result = super().edit(edit)
            finally:
                gc.freeze()
                gc.enable()
        else:
            result = super().edit(edit)
        if self.on_edit is not None:
            self.on_edit()
        return result

    @classmethod
    def create(cls, text: str, *, id: str | None = None) -> YamlEditor:
        """The editor as `TextArea.code_editor` makes it, with YAML's 2-space indent."""
        memoize_highlight_queries()
        big_text.apply()
        editor = cls.code_editor("", language="yaml", theme="css", tab_behavior="indent", id=id)
        editor.indent_width = 2
        if text:
            # the text goes in once the language and options are set: given to the
            # constructor, it is parsed twice and re-wrapped once per option (50 Pods:
            # 40 ms instead of 16, on every lesson opening)
            editor._set_document(text, editor.language)
        assert isinstance(editor, YamlEditor)
        return editor

    def set_marks(self, step_ranges: list[Range], error_rows: list[int]) -> None:
        """Replace the step and error marks and repaint."""
        if step_ranges == self.step_ranges and error_rows == self.error_rows:
            return
        self.step_ranges = step_ranges
        self.error_rows = error_rows
        self._build_highlight_map()
        self.refresh()

    def _build_highlight_map(self) -> None:
        super()._build_highlight_map()
        theme = getattr(self, "_theme", None)
        if theme is None:
            return
        if self.is_mounted and self._styled_theme is not theme:
            self._styled_theme = theme
            styles = dict(theme.syntax_styles)
            styles[STEP_HIGHLIGHT] = self.get_component_rich_style(
                "yaml-editor--step", partial=True
            )
            styles[ERROR_HIGHLIGHT] = self.get_component_rich_style(
                "yaml-editor--error", partial=True
            )
            theme.syntax_styles = styles
        lines = self.document.line_count
        for r0, c0, r1, c1 in self.step_ranges:
            for row in range(max(0, r0), min(r1, lines - 1) + 1):
                text = self.document.get_line(row)
                start = (
                    _byte_offset(text, c0)
                    if row == r0
                    else _byte_offset(text, len(text) - len(text.lstrip()))
                )
                end = None if (row != r1 or c1 < 0) else _byte_offset(text, c1)
                if end is None:
                    end = len(text.encode("utf-8"))
                if end > start:
                    self._highlights[row].append((start, end, STEP_HIGHLIGHT))
        for row in self.error_rows:
            if 0 <= row < lines:
                text = self.document.get_line(row)
                indent = len(text) - len(text.lstrip())
                end = len(text.encode("utf-8"))
                self._highlights[row].append(
                    (_byte_offset(text, indent), max(end, indent + 1), ERROR_HIGHLIGHT)
                )

    async def _on_paste(self, event: events.Paste) -> None:
        if self.language and len(event.text) + len(self.text) > PLAIN_ABOVE:
            # re-parsing and re-highlighting megabytes froze the screen for a second: a text
            # this large is shown plain (colour comes back with the next lesson-sized text)
            self.set_reactive(YamlEditor.language, None)
            self._set_document(self.text, None)
        # TextArea._on_paste runs next and inserts the text (Textual calls every class's
        # handler in turn: calling it here too would paste twice)

    def _rewrap_and_refresh_virtual_size(self) -> None:
        """Resizing re-wrapped the whole document even with soft wrap off, where every line
        is one row whatever the width: 20 ms on a 1 MB text, each time the panes moved."""
        wrapped = self.wrapped_document
        rows = len(getattr(wrapped, "_line_index_to_offsets", ()))
        if (
            not self.soft_wrap
            and getattr(wrapped, "_width", None) == 0
            and getattr(wrapped, "_tab_width", None) == self.indent_width
            and rows == self.document.line_count
        ):
            self._line_cache.clear()
            self._refresh_size()
            return
        super()._rewrap_and_refresh_virtual_size()

    def load_text(self, text: str) -> None:
        if self.language is None and len(text) <= PLAIN_ABOVE:
            self.set_reactive(YamlEditor.language, "yaml")  # set by the load below
        super().load_text(text)

    def on_mount(self) -> None:
        # tests and screenshots turn blinking off app-wide, so frames are stable
        self.cursor_blink = bool(getattr(self.app, "cursor_blink", True))
        self._build_highlight_map()

    def _watch_theme(self, theme: str) -> None:
        super()._watch_theme(theme)
        self._build_highlight_map()

    def _app_theme_changed(self) -> None:
        super()._app_theme_changed()
        self._build_highlight_map()
