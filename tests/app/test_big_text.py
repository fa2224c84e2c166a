"""The big-text speed-ups give exactly Textual's own results (tutor.app.widgets.big_text), and
an editor holding a 1 MB text still edits, undoes, resizes and saves correctly."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest
from testkit import settle
from textual import events
from textual.document._document import Document
from textual.document._wrapped_document import WrappedDocument
from textual.widgets import _text_area

from tutor.app.widgets import big_text
from tutor.app.widgets.editor import YamlEditor

big_text.apply()
ORIGINAL = big_text.ORIGINALS

TEXTS = [
    "",
    "\n",
    "apiVersion: v1\nkind: Service\n\nmetadata:\n  name: web\n",
    "a\tb\n\tindented\t\nno tab\n",
    "名前: ウェブ\n絵: 🚀🚀\n\tタブ\n",
    "line without newline at the end",
    "x" * 300 + "\n" + "y\t" * 50 + "\n\n\n",
]
TABLES = ("_wrap_offsets", "_offset_to_line_info", "_line_index_to_offsets", "_tab_width_cache")


def tables(wrapped: WrappedDocument) -> dict[str, Any]:
    return {name: getattr(wrapped, name) for name in TABLES}


def textual_wrap(document: Document, width: int, tab_width: int) -> WrappedDocument:
    """Wrapped by Textual's own code (the speed-ups swapped out for the call)."""
    from textual.document import _wrapped_document as module

    wrapped = WrappedDocument.__new__(WrappedDocument)
    wrapped.document = document
    fast = module.get_tab_widths  # type: ignore[attr-defined]
    module.get_tab_widths = ORIGINAL["get_tab_widths"]  # type: ignore[attr-defined]
    try:
        ORIGINAL["wrap"](wrapped, width, tab_width)
    finally:
        module.get_tab_widths = fast  # type: ignore[attr-defined]
    return wrapped


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("tab_width", [2, 4])
def test_tab_widths_wrap_height_and_size_equal_textuals(text: str, tab_width: int) -> None:
    from textual.document import _wrapped_document as module

    document = Document(text)
    for line in document.lines:
        assert module.get_tab_widths(line, tab_width) == ORIGINAL["get_tab_widths"](  # type: ignore[attr-defined]
            line, tab_width
        )
    assert document.get_size(tab_width) == ORIGINAL["get_size"](document, tab_width)
    for width in (0, 7, 40):
        ours = WrappedDocument(document, width, tab_width)
        theirs = textual_wrap(document, width, tab_width)
        assert tables(ours) == tables(theirs)
        assert ours.height == ORIGINAL["height"].fget(theirs)


@pytest.mark.parametrize("text", TEXTS)
def test_height_stays_right_through_incremental_edits(text: str) -> None:
    document = Document(text)
    wrapped = WrappedDocument(document, 0, 2)
    edits = [
        ((0, 0), (0, 0), "new\nlines\n\there\n"),
        ((1, 0), (2, 0), ""),
        ((0, 0), (0, 0), "x" * 50),
    ]
    for start, end, insert in edits:
        result = document.replace_range(start, end, insert)
        wrapped.wrap_range(start, end, result.end_location)
        assert wrapped.height == ORIGINAL["height"].fget(wrapped) == document.line_count
        assert tables(wrapped) == tables(textual_wrap(document, 0, 2))


def test_plain_document_text_follows_every_change() -> None:
    document = _text_area.Document("a\nb\n")  # type: ignore[attr-defined]
    assert document.text == "a\nb\n"
    document.replace_range((0, 0), (0, 1), "xyz")
    assert document.text == "xyz\nb\n"
    document.replace_range((1, 0), (2, 0), "")
    assert document.text == "xyz\n" == "\n".join(document.lines)


async def test_an_editor_with_1mb_edits_undoes_resizes_and_says_it_is_not_saved(
    make_app: Any, data_dir: Path
) -> None:
    unit = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n\tspec: {}\n---\n"
    pasted = unit * (1_000_000 // len(unit))
    app = make_app("basics")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(YamlEditor)
        editor.focus()
        editor.cursor_location = (0, 0)
        before = editor.text
        app.post_message(events.Paste(pasted))
        await settle(pilot)
        assert editor.text == pasted + before
        assert gc.isenabled(), "the collector is paused only while a big edit runs"
        lines = editor.document.line_count
        assert editor.wrapped_document.height == lines == editor.virtual_size.height
        await pilot.resize_terminal(90, 30)
        await settle(pilot)
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert editor.wrapped_document.height == lines == editor.virtual_size.height
        editor.focus()  # the narrow layout showed the step pane and focused it
        editor.cursor_location = editor.document.end
        await pilot.press(*"# end")
        await settle(pilot)
        assert editor.text.endswith("# end")
        assert editor.cursor_location == (lines - 1, len(editor.document[lines - 1]))
        await pilot.pause(0.7)  # the debounced save, written from a thread
        await app.workers.wait_for_complete()
        notices = [n.message for n in app._notifications]
        assert any("not saved to disk" in m for m in notices), notices
        editor.undo()
        editor.undo()
        await settle(pilot)
        assert editor.text == before
        assert editor.wrapped_document.height == editor.document.line_count
        await pilot.press(*"# mine")
        await pilot.pause(0.7)
        await app.workers.wait_for_complete()
        saved = json.loads((data_dir / "progress.json").read_text(encoding="utf-8"))
        assert saved["edits"]["basics"]["step-0"] == editor.text == "# mine" + before
