"""The editor on hostile and huge input (issue #15 items 1, 5 and 6; issue #10 item 5).

A paste arrives as the terminal driver sends it: a Paste event to the app, forwarded to the
focus. A paste replaces the selection, always; a text too big for highlighting goes plain
without losing the selection; a paste past `MAX_TEXT` is refused at once with a notice; a text
nested deeper than tree-sitter-yaml survives is never handed to it; control characters in a
paste are shown, in order.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from testkit import Notices, press, settle, type_fast
from textual import events

from tutor.app.widgets.editor import (
    MAX_HIGHLIGHT_DEPTH,
    MAX_TEXT,
    PLAIN_ABOVE,
    YamlEditor,
    highlight_safe,
)

ROOT = Path(__file__).resolve().parents[2]
DEEP = "- " * 254 + "x"
"""254 block levels on one line: tree-sitter-yaml 0.7.2 segfaults on it (issue #15 item 1)."""
DEEP_LINES = "".join(" " * i + "k:\n" for i in range(254)) + " " * 254 + "v\n"
"""The same depth, one level per line."""


async def _editor(app: Any, pilot: Any) -> YamlEditor:
    await settle(pilot)
    editor = app.screen.query_one(YamlEditor)
    editor.focus()
    await settle(pilot)
    return editor


async def test_a_big_paste_is_plain_replaces_the_selection_and_one_past_the_limit_is_refused(
    make_app: Any,
) -> None:
    """A big paste turns the colours off, and they come back with a small text. Select all,
    paste: only the paste remains, even when it turns colours off (#15 item 5: the big paste
    went in at line 1 with the old text below it); a big paste, then a small one, each over
    the step's manifest. A paste past MAX_TEXT is refused at once, with a notice."""
    app = make_app("basics")
    seen = Notices(app)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        editor = await _editor(app, pilot)
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
        manifest = small
        for size in (PLAIN_ABOVE + 10, 10):
            editor.load_text(manifest)
            await settle(pilot)
            assert editor.language == "yaml"
            editor.select_all()
            pasted = "# p\n" * (size // 4)
            app.post_message(events.Paste(pasted))
            await settle(pilot)
            assert editor.text == pasted, f"a paste of {size} characters"
            assert editor.cursor_location == (pasted.count("\n"), 0), size
        before = editor.text
        app.post_message(events.Paste("x" * (MAX_TEXT + 1)))
        await settle(pilot)
        assert editor.text == before, "past MAX_TEXT: not pasted"
        assert any("Not pasted" in n.message for n in seen)


async def test_text_too_deep_for_the_highlighter_is_shown_plain(make_app: Any) -> None:
    """Pasted, typed or loaded, a text nested too deep never reaches tree-sitter: on one line,
    and one level a line (each pasted into the step's manifest, in colour). Typed a pair of
    `- ` at a time, the line goes plain once it could open MAX_HIGHLIGHT_DEPTH levels, and
    stays plain up to the 254 levels that crash tree-sitter. The line starts 3 pairs short of
    the limit (loaded, still in colour): typing the first 197 pairs key by key cost 400 Pilot
    key presses and showed nothing more. The pairs past the limit are typed fast: the guard
    is per edit, and it already turned the colours off."""
    app = make_app("basics")
    seen = Notices(app)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        editor = await _editor(app, pilot)
        manifest = editor.text
        for deep, name in ((DEEP, "one line"), (DEEP_LINES, "one level a line")):
            editor.load_text(manifest)
            await settle(pilot)
            assert editor.language == "yaml", name
            app.clear_notifications()
            app.post_message(events.Paste(deep))
            await settle(pilot)
            assert editor.language is None and deep in editor.text, f"{name}: pasted"
            assert any("nests deeper" in n.message for n in seen), name
            editor.load_text("a: b\n")
            await settle(pilot)
            assert editor.language == "yaml", name
            editor.load_text(deep)
            await settle(pilot)
            assert editor.language is None and editor.text == deep, f"{name}: loaded"
            editor.load_text("")
            await settle(pilot)
            assert editor.language == "yaml", name
        # typed a pair of `- ` at a time
        below = MAX_HIGHLIGHT_DEPTH - 3  # `- ` pairs: the line opens below + 1 levels
        app.clear_notifications()
        editor.load_text("- " * below)
        await settle(pilot)
        editor.move_cursor(editor.document.end)
        assert editor.language == "yaml", "just under the limit keeps the colours"
        await press(pilot, *(["minus", "space"] * 3))
        assert editor.language is None, "typed past the limit"
        assert any("nests deeper" in n.message for n in seen), "typed"
        await type_fast(pilot, *(["minus", "space"] * (254 - MAX_HIGHLIGHT_DEPTH)))
        assert editor.language is None and editor.text == "- " * 254
    for deep in (DEEP, DEEP_LINES):
        assert YamlEditor.create(deep).language is None
    assert YamlEditor.create("a: b\n").language == "yaml"


def test_highlight_safe_is_conservative() -> None:
    assert highlight_safe("")
    assert highlight_safe("- " * 100 + "x")
    assert not highlight_safe(DEEP) and not highlight_safe(DEEP_LINES)
    assert not highlight_safe("- " * (MAX_HIGHLIGHT_DEPTH - 1) + "x")
    assert highlight_safe("key: " + "long words " * 100)  # long, but one level


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["seq", "map1"])
def test_the_highlighter_really_crashes_on_what_is_kept_from_it(shape: str) -> None:
    """The control: tree-sitter-yaml does die on 254 levels, so the guard guards something
    (once upstream fixes #48, this fails and the guard can go)."""
    text = DEEP if shape == "seq" else DEEP_LINES
    code = (
        "import sys, tree_sitter as ts, tree_sitter_yaml as y;"
        "ts.Parser(ts.Language(y.language())).parse(sys.stdin.buffer.read())"
    )
    proc = subprocess.run([sys.executable, "-c", code], input=text.encode(), timeout=60)
    assert proc.returncode == -11


async def test_control_characters_and_the_same_pods_twice_in_a_paste(make_app: Any) -> None:
    """Control characters in a paste arrive in order, and visible. The same Pods given twice
    do not stop the app (the routing list gave each Pod an option id: DuplicateID)."""
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await _editor(app, pilot)
        small = editor.text
        editor.load_text("")
        await settle(pilot)
        app.post_message(events.Paste("line1\r\nA\x1b]0;x\x07B\rline3\n"))
        await settle(pilot)
        assert editor.text == "line1\nA\u241b]0;x\u2407B\nline3\n", "in order, visible"
        editor.load_text(small + "\n---\n" + small)
        await settle(pilot)
        assert app.is_running and editor.text.count("kind: Service") == 2, "Pods twice"


def test_creating_an_editor_patches_nothing() -> None:
    """Textual's classes are as Textual made them after an editor is built (a fresh
    interpreter, so no other test's import order matters)."""
    code = (
        "from textual.document._wrapped_document import WrappedDocument as W\n"
        "from textual.document._document import Document as D\n"
        "from textual.document._syntax_aware_document import SyntaxAwareDocument as S\n"
        "before = (W.wrap, W.height, D.get_size, S.prepare_query)\n"
        "from tutor.app.widgets.editor import YamlEditor\n"
        "YamlEditor.create('a: b\\n')\n"
        "assert (W.wrap, W.height, D.get_size, S.prepare_query) == before\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)


async def test_the_app_says_when_replicas_are_capped(make_app: Any) -> None:
    from textual.widgets import Static

    app = make_app("basics")
    async with app.run_test(size=(160, 40)) as pilot:
        editor = await _editor(app, pilot)
        text = editor.text
        editor.load_text(
            text + "\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: big\n"
            "spec:\n  replicas: 1000000\n  selector:\n    matchLabels: {app: big}\n"
            "  template:\n    metadata:\n      labels: {app: big}\n    spec:\n"
            "      containers:\n      - name: a\n        image: nginx\n"
        )
        await settle(pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "Deployment/big asks for 1,000,000 replicas: ktutor simulates 500 Pods" in summary
