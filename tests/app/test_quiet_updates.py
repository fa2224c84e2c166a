"""`set_content` asks for a layout of the screen only when the widget's size changes: a new
text of as many rows is a repaint (a layout and the redraw of every row after it was most of
a served keystroke's CPU)."""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text
from testkit import settle
from textual.app import App, ComposeResult
from textual.widgets import Static

from tutor.app.widgets.quiet import fits, set_content

CSS = """
#auto { width: 20; height: auto; }
#capped { width: 20; height: auto; max-height: 3; }
#fixed { width: 20; height: 2; }
#wide { width: auto; height: auto; }
"""


class Board(App[None]):
    CSS = CSS

    def compose(self) -> ComposeResult:
        yield Static("one\ntwo", id="auto", markup=False)
        yield Static("a\nb\nc\nd", id="capped", markup=False)
        yield Static("x", id="fixed", markup=False)
        yield Static("short", id="wide", markup=False)


@pytest.mark.parametrize(
    ("widget_id", "content", "layout"),
    [
        ("auto", "three\nfour", False),  # two rows for two rows: a repaint
        ("auto", Text("a line that wraps: far longer than twenty cells"), True),  # 3 rows
        ("auto", Text("wraps at twenty cells: two"), False),
        ("auto", "one row", True),
        ("auto", "a\nb\nc", True),
        ("capped", "e\nf\ng\nh\ni", False),  # past max-height: still 3 rows
        ("capped", "e\nf", True),
        ("fixed", "y\nz\nw", False),  # its size does not follow its content
        ("wide", "other", True),  # a width that follows the content: a layout to be safe
    ],
)
async def test_a_layout_only_when_the_size_changes(
    widget_id: str, content: str | Text, layout: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = Board()
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        widget = app.query_one(f"#{widget_id}", Static)
        asked: list[bool] = []
        update = widget.update

        def noting_update(*args: Any, layout: bool = True) -> None:
            asked.append(layout)
            update(*args, layout=layout)

        monkeypatch.setattr(widget, "update", noting_update)
        set_content(widget, content)
        assert asked == [layout]
        await settle(pilot)
        assert str(widget.render()) == str(content)
        set_content(widget, content)  # the same again: nothing
        assert asked == [layout]


async def test_a_hidden_widget_is_laid_out() -> None:
    app = Board()
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        widget = app.query_one("#auto", Static)
        widget.display = False
        assert not fits(widget, "three\nfour")
