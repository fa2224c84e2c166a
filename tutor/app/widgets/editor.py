"""The YAML editor: a code editor that also marks the current step's field and the error lines.

Public Textual API only (no private modules, no patches): the marks are painted over the lines
TextArea renders (`render_line`), from ranges the analysis finds again after every edit by
their FIELD PATH, never by a remembered line number.

Two limits keep the editor safe and quick on hostile or huge input:

- `MAX_TEXT`: a paste that would take the text past it is refused at once, with a notice.
  TextArea re-wraps and re-measures a text on every change; past ~100,000 characters a paste
  froze the screen for a noticeable time (1 MB: 1.4 s).
- Highlighting (tree-sitter-yaml, on the UI thread) is turned off for a text over
  `PLAIN_ABOVE` characters, and for a text that nests deeper than the highlighter survives:
  tree-sitter-yaml's scanner overflows its state buffer at 254 levels and kills the process
  (upstream tree-sitter-yaml issue #48). Every text reaches the highlighter through `create`,
  `load_text` or `edit` here, and each checks it first (`highlight_safe`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult

from tutor.app.shims import OwnKeysFirst
from tutor.model.limits import MAX_HIGHLIGHT_DEPTH, highlight_safe

Range = tuple[int, int, int, int]
"""0-based (start row, start column, end row, end column); end column -1 = end of line."""

_MAPPING_ITEM = re.compile(r" *- +(?=[^\s#'\"\[{-][^:#]*:(?: |$))")
"""A list item that starts a mapping, up to its first key: `  - port: 80`, `- name:`."""
MAX_TEXT = 100_000
"""Characters: a paste that would make the text longer is refused with a notice
(docs/lessons.md; lesson manifests are under 20,000)."""
PLAIN_ABOVE = 50_000
"""Characters above which the editor stops highlighting (tree-sitter runs on the UI thread)."""
CONTROL_PICTURES = {
    **{code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t\n"},
    0x7F: 0x2421,
    **{code: 0xFFFD for code in range(0x80, 0xA0)},
}
"""Control characters (but tab and newline) as their visible Unicode pictures: ESC is ␛."""


def visible_controls(text: str) -> str:
    """A pasted text with its control characters shown, not sent to the terminal.

    Line ends stay line ends: terminals paste a line break as CR, Windows text as CR LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(CONTROL_PICTURES)


class YamlEditor(OwnKeysFirst, TextArea):
    """`TextArea.code_editor` for Kubernetes YAML: theme follows the app, Tab indents by 2."""

    COMPONENT_CLASSES: ClassVar[set[str]] = TextArea.COMPONENT_CLASSES | {
        "yaml-editor--step",
        "yaml-editor--error",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "newline", "New line", show=False),
    ]
    DEFAULT_CSS = """
    YamlEditor > .yaml-editor--step { background: $accent-muted; }
    YamlEditor > .yaml-editor--error { background: $error-muted; text-style: underline; }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.step_ranges: list[Range] = []
        self.error_rows: list[int] = []
        self.on_edit: Callable[[], None] | None = None
        """Called right after every edit, before `Changed` starts its trip up the DOM: the
        analysis starts one frame earlier."""
        self.plain_reason = ""
        """Why highlighting is off (told once per text), or ''."""
        self.keys_waiting = 0
        """Keys posted to the editor and not yet handled: while one is, the text after an
        edit is not the learner's last (the workbench analyzes the last key's)."""
        super().__init__(*args, **kwargs)

    def post_message(self, message: Message) -> bool:
        posted = super().post_message(message)
        if posted and isinstance(message, events.Key):
            self.keys_waiting += 1
        return posted

    def on_key(self, event: events.Key) -> None:
        """First of the key's handlers (Textual calls each class's in turn, this class's
        first): it is no longer waiting."""
        self.keys_waiting = max(0, self.keys_waiting - 1)

    def action_newline(self) -> None:
        """Enter keeps the indentation of the line above, as YAML needs at every line; after a
        list item that starts a mapping (`- port: 80`) it goes on under the item's first key,
        where the item's next field belongs (under the dash, `targetPort: 8080` became the
        unknown `spec.targetPort`)."""
        if self.read_only:
            return
        line = self.document.get_line(self.cursor_location[0])
        indent = line[: len(line) - len(line.lstrip(" "))]
        start, end = self.selection
        item = _MAPPING_ITEM.match(line)
        if item is not None and start[1] >= item.end():
            indent = " " * item.end()
        self.replace("\n" + indent[: min(len(indent), start[1])], start, end)

    @classmethod
    def create(
        cls, text: str, *, id: str | None = None, spare: YamlEditor | None = None
    ) -> YamlEditor:
        """The editor as `TextArea.code_editor` makes it, with YAML's 2-space indent.

        `spare`: an editor made beforehand (`create("")` while the learner reads the lesson
        list) and never mounted, given `text` here: giving an editor YAML compiles Textual's
        highlight query for it, ~11 ms, and a new text only parses. Its own `Changed` is not
        sent: a new editor has not changed."""
        if (
            spare is not None
            and not spare.is_mounted
            and spare.id is None
            and spare.language == "yaml"
            and "\r" not in text  # the spare's line ends are LF; a new document finds CR LF
            and not spare._highlight_reason(text)
        ):
            with spare.prevent(TextArea.Changed):
                spare.replace(text, (0, 0), spare.document.end, maintain_selection_offset=False)
            spare.history.clear()
            spare.move_cursor((0, 0))
            if id is not None:
                spare.id = id
            return spare
        # built plain, then given its language: one parse (a language given to the
        # constructor parses the text twice)
        editor = cls.code_editor(
            text, language=None, theme="css", tab_behavior="indent", soft_wrap=False, id=id
        )
        assert isinstance(editor, YamlEditor)
        editor.indent_width = 2
        if editor._highlight_reason(text) == "":
            editor.language = "yaml"
        return editor

    def on_mount(self) -> None:
        # tests and screenshots turn blinking off app-wide, so frames are stable
        self.cursor_blink = bool(getattr(self.app, "cursor_blink", True))

    # -- the highlighter's guard -------------------------------------------------------------

    @staticmethod
    def _highlight_reason(text: str) -> str:
        """Why `text` must be shown without colours, or '' if it may have them."""
        if len(text) > PLAIN_ABOVE:
            return f"the text is over {PLAIN_ABOVE:,} characters"
        if not highlight_safe(text):
            return f"the text nests deeper than {MAX_HIGHLIGHT_DEPTH} levels"
        return ""

    def _go_plain(self, reason: str) -> None:
        """Turn highlighting off, keeping the selection and scroll position (changing the
        language rebuilds the document), and say why once."""
        selection, scroll = self.selection, self.scroll_offset
        self.language = None
        self.selection = selection
        self.scroll_to(scroll.x, scroll.y, animate=False, immediate=True)
        if reason != self.plain_reason:
            self.plain_reason = reason
            if self.is_mounted:
                self.notify(
                    f"Colours are off: {reason}. They come back with the next text.",
                    title="Editor",
                    timeout=6,
                )

    def load_text(self, text: str) -> None:
        reason = self._highlight_reason(text)
        if reason:
            if self.language is not None:
                self._go_plain(reason)
            super().load_text(text)
            return
        self.plain_reason = ""
        if self.language is None:
            super().load_text(text)  # plain first, then one parse with the language
            self.language = "yaml"
        else:
            super().load_text(text)

    def edit(self, edit: Edit) -> EditResult:
        if self.language is not None:
            reason = self._edit_reason(edit)
            if reason:
                self._go_plain(reason)
        result = super().edit(edit)
        if self.on_edit is not None:
            self.on_edit()
        return result

    def _edit_reason(self, edit: Edit) -> str:
        """Why the text after `edit` must go plain: only the lines it rewrites can nest
        deeper (the measure is per line)."""
        if edit.text and len(self.text) + len(edit.text) > PLAIN_ABOVE:
            return f"the text is over {PLAIN_ABOVE:,} characters"
        (top_row, top_col), (bottom_row, bottom_col) = edit.top, edit.bottom
        document = self.document
        first = document.get_line(top_row)[:top_col] if top_row < document.line_count else ""
        last = (
            document.get_line(bottom_row)[bottom_col:] if bottom_row < document.line_count else ""
        )
        if not highlight_safe(first + edit.text + last):
            return f"the text nests deeper than {MAX_HIGHLIGHT_DEPTH} levels"
        return ""

    # -- pasting ------------------------------------------------------------------------------

    def on_paste(self, event: events.Paste) -> None:
        """A paste replaces the selection, shows its control characters, and is refused if it
        would make the text longer than `MAX_TEXT`."""
        event.prevent_default()  # TextArea's own handler must not paste it a second time
        if self.read_only:
            return
        length = len(self.text) - len(self.selected_text) + len(event.text)
        if length - event.text.count("\r\n") > MAX_TEXT:
            self.notify(
                f"Not pasted: the text would be {length:,} characters, and the editor takes "
                f"at most {MAX_TEXT:,}.",
                title="Paste refused",
                severity="warning",
                timeout=8,
            )
            return
        start, end = self.selection
        result = self.replace(
            visible_controls(event.text), start, end, maintain_selection_offset=False
        )
        self.move_cursor(result.end_location)
        self.focus()

    # -- marks ----------------------------------------------------------------------------------

    def set_marks(self, step_ranges: list[Range], error_rows: list[int]) -> None:
        """Replace the step and error marks and repaint."""
        if step_ranges == self.step_ranges and error_rows == self.error_rows:
            return
        self.step_ranges = step_ranges
        self.error_rows = error_rows
        self.refresh()

    def marks_on_row(self, row: int) -> list[tuple[int, int, str]]:
        """(start column, end column, 'step' or 'error') painted on document row `row`."""
        if not 0 <= row < self.document.line_count:
            return []
        text = self.document.get_line(row)
        marks: list[tuple[int, int, str]] = []
        for r0, c0, r1, c1 in self.step_ranges:
            if r0 <= row <= r1:
                start = c0 if row == r0 else len(text) - len(text.lstrip())
                end = len(text) if row != r1 or c1 < 0 else c1
                if end > start:
                    marks.append((start, end, "step"))
        if row in self.error_rows:
            indent = len(text) - len(text.lstrip())
            marks.append((indent, max(len(text), indent + 1), "error"))
        return marks

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if not (self.step_ranges or self.error_rows) or self.soft_wrap:
            return strip
        scroll_x, scroll_y = self.scroll_offset
        row = y + scroll_y
        marks = self.marks_on_row(row)
        if not marks:
            return strip
        start, end = sorted(self.selection)
        if start != end and start[0] <= row <= end[0]:
            return strip  # the selection shows on this row, not the marks
        text = self.document.get_line(row)
        gutter = self.gutter_width
        cursor_row, cursor_column = self.cursor_location
        cursor_x = -1
        if cursor_row == row and self.has_focus:
            cursor_x = gutter + cell_len(text[:cursor_column]) - scroll_x
        for c0, c1, kind in marks:
            style = self.get_component_rich_style(f"yaml-editor--{kind}", partial=True)
            x0 = max(gutter, gutter + cell_len(text[:c0]) - scroll_x)
            x1 = gutter + cell_len(text[:c1]) + max(0, c1 - len(text)) - scroll_x
            if x0 <= cursor_x < x1:  # the cursor keeps its own look
                strip = _paint(strip, x0, cursor_x, style)
                strip = _paint(strip, cursor_x + 1, x1, style)
            else:
                strip = _paint(strip, x0, x1, style)
        return strip


def _paint(strip: Strip, x0: int, x1: int, style: Style) -> Strip:
    """`strip` with `style` laid over the cells from x0 to x1."""
    width = strip.cell_length
    x0, x1 = max(0, x0), min(x1, width)
    if x1 <= x0:
        return strip
    before, middle, after = strip.divide([x0, x1, width])
    painted = Strip(Segment.apply_style(iter(middle), post_style=style), middle.cell_length)
    return Strip.join([before, painted, after])
