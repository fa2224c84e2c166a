"""Exact speed-ups for Textual's TextArea on big texts (a 1 MB paste is 60,000 lines).

- `WrappedDocument.height` summed over every line, and the editor asks for it once per line it
  draws: 40 lines on screen x 60,000 lines = 2.4 million steps per frame, a quarter of a second
  for every keystroke or cursor move. The height is the number of wrapped-line entries, which
  the document already keeps: `len(_offset_to_line_info)`, one step.
- Wrapping ran a regular expression over every line to find tabs; YAML has none (tabs are not
  allowed for indentation), so a line without a tab skips it, with the same result. And with
  soft wrap off (the editor's setting) every line is one row: `wrap(0)` builds its tables in a
  few list comprehensions instead of a loop of appends per line. A paste that adds a digit to
  the line numbers re-wraps the whole document, and so does every resize.
- The document's width measured every line's cells after expanding its tabs, after every edit;
  an ASCII line without a tab is as wide as it is long.
- The editor joined the whole text into one string for every line it drew (to see whether
  to show a placeholder); a plain-text document now joins it once per change. (Highlighted
  documents are lesson-sized, where a join costs nothing.)

All lean on Textual internals (pinned textual==8.2.8); `tests/app/test_big_text.py` checks
that the results equal Textual's own on the same documents, so an upgrade that changes them
fails there, not in front of a learner.
"""

from __future__ import annotations

import contextlib
from itertools import repeat
from typing import Any

_applied = False
ORIGINALS: dict[str, Any] = {}
"""Textual's own functions, kept for the tests that compare results."""
NO_BREAKS: list[int] = []
NO_TABS: list[int] = [0]
"""Shared by every row without wrap breaks / without tabs (read-only by Textual's use)."""


def fast_tab_widths(original: Any) -> Any:
    def get_tab_widths(line: str, tab_size: int = 4) -> list[tuple[str, int]]:
        if "\t" in line:
            result: list[tuple[str, int]] = original(line, tab_size)
            return result
        return [(line, 0)] if line else []

    return get_tab_widths


def wrapped_height(document: Any) -> int:
    return len(document._offset_to_line_info)


def unwrapped_first(original: Any, get_tab_widths: Any) -> Any:
    """`WrappedDocument.wrap`, with the no-wrap case (width 0) built table by table."""

    def wrap(self: Any, width: int, tab_width: int | None = None) -> None:
        if width:
            original(self, width, tab_width)
            return
        self._width = 0
        if tab_width:
            self._tab_width = tab_width
        size = self._tab_width
        lines = self.document.lines
        rows = range(len(lines))
        # Textual replaces these rows, never appends to them: unwrapped rows can share
        self._wrap_offsets = [NO_BREAKS] * len(lines)
        self._offset_to_line_info = list(zip(rows, repeat(0)))
        self._line_index_to_offsets = [[row] for row in rows]
        self._tab_width_cache = [
            [w for _, w in get_tab_widths(line, size)]
            if "\t" in line
            else (NO_TABS if line else NO_BREAKS)
            for line in lines
        ]

    return wrap


def document_size(self: Any, tab_width: int) -> Any:
    """`Document.get_size`: the widest line in cells, and the number of lines."""
    from textual._cells import cell_len
    from textual.geometry import Size

    lines = self._lines
    text = self.text  # joined once per change for a big (plain) document
    if text.isascii() and "\t" not in text:
        return Size(max(map(len, lines), default=0), len(lines))
    return Size(
        max((cell_len(line.expandtabs(tab_width)) for line in lines), default=0), len(lines)
    )


def text_once_per_change(document_class: Any) -> Any:
    """A plain-text Document that joins its lines once per change, not once per read."""

    class Document(document_class):  # type: ignore[misc]
        def __init__(self, text: str) -> None:
            super().__init__(text)
            self._joined: str | None = None

        @property
        def text(self) -> str:
            if self._joined is None:
                self._joined = super().text
            return self._joined

        def replace_range(self, start: Any, end: Any, text: str) -> Any:
            self._joined = None  # the only way Textual changes a document's lines
            return super().replace_range(start, end, text)

    return Document


def apply() -> None:
    """Install both, once per process; a failure only loses the speed-up."""
    global _applied
    if _applied:
        return
    _applied = True
    with contextlib.suppress(Exception):
        from textual.document import _wrapped_document as wrapped
        from textual.document._document import Document
        from textual.widgets import _text_area

        original = wrapped.get_tab_widths  # type: ignore[attr-defined]
        ORIGINALS.update(
            get_tab_widths=original,
            wrap=wrapped.WrappedDocument.wrap,
            height=wrapped.WrappedDocument.height,
            get_size=Document.get_size,
        )
        wrapped.get_tab_widths = fast_tab_widths(original)  # type: ignore[attr-defined]
        wrapped.WrappedDocument.height = property(wrapped_height)  # type: ignore[assignment]
        wrapped.WrappedDocument.wrap = unwrapped_first(  # type: ignore[method-assign]
            wrapped.WrappedDocument.wrap, original
        )
        Document.get_size = document_size  # type: ignore[method-assign]
        _text_area.Document = text_once_per_change(Document)  # type: ignore[attr-defined]
