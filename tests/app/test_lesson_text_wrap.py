"""Commands in a lesson's text stay readable at 80x24. A code span wraps at its spaces like any
text, and a line that then starts with a flag (`-lnt shows nothing)` under `(ss`) reads as a
stray dash or a list item: lesson 9 step 2 did that. The step and challenge texts of the built-in
lessons are wrapped as Textual wraps a Markdown paragraph, at the widths the step area has at
80x24 (with and without its scrollbar), and no line may start inside a code span with a `-`."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from testkit import builtin_app, builtin_lessons, settle
from textual.content import Content
from textual.geometry import Region
from textual.widgets import Markdown

WIDTHS_80x24 = (76, 78)
"""The step text's paragraph width at 80x24: 78, or 76 beside its scrollbar (measured below)."""


def texts() -> Iterator[tuple[str, str]]:
    for lesson in builtin_lessons():
        for number, step in enumerate(lesson.steps, 1):
            yield f"{lesson.id} step {number}", step.text
        for challenge in lesson.challenges:
            yield f"{lesson.id} challenge {challenge.id}", challenge.text


@functools.cache
def tokens(text: str) -> list[Token]:
    """`text` parsed as CommonMark, once for both widths."""
    return MarkdownIt("commonmark").parse(text)


def broken_flags(text: str, width: int) -> list[str]:
    """The code spans of `text` that a wrap at `width` splits before a `-` (list items are
    two cells narrower per level, as the bullet takes them)."""
    found: list[str] = []
    depth = 0
    for token in tokens(text):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        if token.type != "inline":
            continue
        plain = ""
        spans: list[tuple[int, int]] = []
        for child in token.children or []:
            if child.type == "code_inline":
                spans.append((len(plain), len(plain) + len(child.content)))
                plain += child.content
            elif child.type == "text":
                plain += child.content
            elif child.type == "softbreak":
                plain += " "
        start = 0
        for line in Content(plain).wrap(width - 2 * depth):
            at = plain.index(line.plain.strip(), start)
            start = at + len(line.plain.strip())
            for a, b in spans:
                if a < at < b and plain[at] == "-":
                    found.append(plain[a:b])
    return found


def test_every_command_to_try_fits_one_line_at_80x24() -> None:
    """ "Try in the console" puts each command on a line of its own (it ran them together and
    wrapped `--restart=Never -- sh` onto a line of its own): each must fit the narrower width."""
    from tutor.app.widgets.console import COMMAND_INDENT, commands_line

    for lesson in builtin_lessons():
        parts = [*lesson.steps, *lesson.challenges]
        for part in parts:
            if not part.commands:
                continue
            lines = commands_line(part.commands).plain.split("\n")
            assert lines[1:] == [COMMAND_INDENT + c for c in part.commands]
            for line in lines:
                assert len(line) <= min(WIDTHS_80x24), (lesson.id, line)


@pytest.mark.parametrize("width", WIDTHS_80x24)
def test_no_command_breaks_before_a_flag_at_80x24(width: int) -> None:
    broken = [f"{where}: `{span}`" for where, text in texts() for span in broken_flags(text, width)]
    assert broken == []


def test_the_checker_finds_the_broken_span() -> None:
    text = "Service's endpoints, wherever they run. No process listens on the port (`ss -lnt`"
    assert broken_flags(text + " shows nothing).", 76) == ["ss -lnt"]
    assert broken_flags(text + " shows nothing).", 80) == []


async def test_ss_lnt_is_on_one_line_at_80x24(tmp_path: Path, monkeypatch: Any) -> None:
    """The real screen: lesson 9 step 2's `ss -lnt` on one line, and the paragraph widths
    are the ones checked above."""

    monkeypatch.setenv("KTUTOR_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KTUTOR_SERVE", raising=False)
    app = builtin_app("service-types", step=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        markdown = app.screen.query_one("#step-text", Markdown)
        lines: list[str] = []
        widths = set()
        for block in markdown.query("MarkdownParagraph"):
            widths.add(block.size.width)
            region = Region(0, 0, block.size.width, block.size.height)
            lines += [strip.text for strip in block.render_lines(region)]
        assert widths <= set(WIDTHS_80x24) | {w - 2 for w in WIDTHS_80x24}, widths
        assert any("ss -lnt" in line for line in lines), lines
