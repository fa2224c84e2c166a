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
"""

from __future__ import annotations

from textual.containers import VerticalScroll


class IntroPane(VerticalScroll):
    """A scrolling intro whose scroll bar is dropped once the text fits without it."""

    def on_resize(self) -> None:
        """Any new size or text (Resize comes for both): a scroll bar that the text no longer
        needs at the full width is taken away, and the next layout wraps it there."""
        if self.show_vertical_scrollbar and self.fits_without_bar():
            self.show_vertical_scrollbar = False

    def fits_without_bar(self) -> bool:
        """Whether the content, wrapped at the pane's full width (no column kept for a scroll
        bar), fits the pane's rows."""
        full = self.size.width  # padding and border off, scroll bars not
        rows = self.scrollable_content_region.height
        return self.get_content_height(self.size, self.app.size, full) <= rows
