"""A huge paste (sent as the terminal driver does: to the app, which forwards it to the focus)
turns highlighting off (tree-sitter re-parsing megabytes froze the screen);
the next lesson-sized text brings it back. The paste itself lands exactly once."""

from __future__ import annotations

from typing import Any

from testkit import settle
from textual import events

from tutor.app.widgets.editor import PLAIN_ABOVE, YamlEditor


async def test_big_paste_is_plain_then_colour_comes_back(make_app: Any) -> None:
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(YamlEditor)
        editor.focus()
        await settle(pilot)
        small = editor.text
        app.post_message(events.Paste("# a\n" * 10))
        await settle(pilot)
        assert editor.language == "yaml", "a small paste keeps the colours"
        big = "# filler line\n" * (PLAIN_ABOVE // 14 + 1)
        app.post_message(events.Paste(big))
        await settle(pilot)
        assert editor.language is None
        assert editor.text.count("# filler line\n") == big.count("\n"), "pasted exactly once"
        editor.load_text(small)
        await settle(pilot)
        assert editor.language == "yaml" and editor.text == small
