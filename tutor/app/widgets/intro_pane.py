"""The workbench's intro column (a lesson step, a challenge's task): a text that scrolls, whose
scroll bar goes as soon as the text fits the column's full width.

Textual keeps a vertical scroll bar while the content, wrapped in the columns the bar leaves,
still overflows: it never tries the full width again. So a step that overflowed once (the
half-height pane beside the editor, the previous step) kept the bar after F2 gave it the
column, and its text stayed wrapped two columns narrower and one or two rows longer than the
pane Textual measured for it at the full width (`height: auto` measures there): the reading
layout scrolled a text that fits. A stable gutter in the reading layout hid that by keeping
the two columns free for every step, but then the pane (measured at the full width, plus one
row for the stable gutter) was a row short of a text whose narrower wrapping took two rows more.
Textual sends Resize only for a new size, so a new text in a pane of the same size (the next
step beside the editor, or two steps at the reading column's full height) is watched through
the virtual size.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, Markdown
from textual.widgets.markdown import MarkdownBlock, MarkdownFence

from tutor.app.widgets.hanging import CodeLines

if TYPE_CHECKING:
    from textual.visual import VisualType


class IntroPane(VerticalScroll):
    """A scrolling intro whose scroll bar is dropped once the text fits without it."""

    def on_resize(self) -> None:
        """A new size (F2, the terminal): a scroll bar the text no longer needs goes."""
        self.drop_unneeded_bar()

    def watch_virtual_size(self) -> None:
        """A new text at the same size (the next step, a longer or shorter check) changes only
        the virtual size, and Textual sends no Resize for that. Checked once this layout is
        done: Textual decides its bars again right after this watcher runs."""
        if self.show_vertical_scrollbar:
            self.call_later(self.drop_unneeded_bar)

    def drop_unneeded_bar(self) -> None:
        """Take the vertical scroll bar away if the content, wrapped at the pane's full width,
        fits the pane's rows; the next layout wraps it there."""
        if not self.show_vertical_scrollbar:
            return
        full = self.size.width  # padding and border off, scroll bars not
        rows = self.scrollable_content_region.height
        if self.get_content_height(self.size, self.app.size, full) <= rows:
            self.show_vertical_scrollbar = False


class CodeLabel(Label):
    """The fence's label: what it is given (the highlighted code) is drawn as CodeLines."""

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        super().update(
            CodeLines(content) if isinstance(content, Content) else content, layout=layout
        )


class PlainFence(MarkdownFence):
    """A code block, highlighted in the language its fence names, else shown plain. Textual
    guesses an unnamed block's language with Pygments, which loads every lexer to do it (0.3 s
    the first time in a process, in the middle of a step change) and guessed wrong: lesson 2's
    EndpointSlice YAML was coloured as Carbon. Its lines wrap at the column (CodeLines)."""

    DEFAULT_CSS = """
    PlainFence {
        overflow-x: hidden;
        & > Label { width: 1fr; }
    }
    """

    def compose(self) -> ComposeResult:
        code = self.highlight(
            self.code, self.lexer, ansi=self.app.native_ansi_color, dark=self.app.current_theme.dark
        )
        yield CodeLabel(CodeLines(code), id="code-content", expand=True)

    @classmethod
    def highlight(cls, code: str, language: str, ansi: bool = False, dark: bool = False) -> Content:
        return _highlighted(code, language or "text", ansi, dark)


@functools.lru_cache(maxsize=256)
def _highlighted(code: str, language: str, ansi: bool, dark: bool) -> Content:
    """A code block highlighted once per text and theme: Textual's fence highlights in its
    `__init__`, and `PlainFence.compose` asks again for the text it wraps (CodeLines); a step
    seen again asks a third time. Content is immutable, so the same one serves them all."""
    return MarkdownFence.highlight(code, language, ansi=ansi, dark=dark)


class IntroMarkdown(Markdown):
    """A step's or a task's text: Markdown whose unnamed code blocks are plain text."""

    def get_block_class(self, block_name: str) -> type[MarkdownBlock]:
        if block_name in ("fence", "code_block"):
            return PlainFence
        return super().get_block_class(block_name)
