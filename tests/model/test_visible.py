"""`limits.visible`: what a command prints has control characters and bidi overrides spelled out;
its shortcut for ASCII text with only tabs and newlines besides printable characters must
leave alone exactly what the full substitution leaves alone."""

from __future__ import annotations

import pytest

from tutor.model.limits import _UNSAFE, visible


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain", "plain"),
        ("a\tb\nc\n", "a\tb\nc\n"),
        ("red \x1b[31mX\x1b[0m\n", "red \\u001b[31mX\\u001b[0m\n"),
        ("over\rwrite\n", "over\\u000dwrite\n"),
        ("del\x7f\n", "del\\u007f\n"),
        ("nul\x00\tbell\x07\n", "nul\\u0000\tbell\\u0007\n"),
        ("vt\x0bff\x0c\n", "vt\\u000bff\\u000c\n"),
        ("café\n", "café\n"),
        ("c1\x85\n", "c1\\u0085\n"),
        ("bidi \u202eevil\n", "bidi \\u202eevil\n"),
    ],
)
def test_visible(text: str, shown: str) -> None:
    assert visible(text) == shown
    assert shown == _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def test_every_ascii_character_alone_and_in_a_line() -> None:
    for code in range(128):
        text = f"a{chr(code)}b\n"
        assert visible(text) == _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text), code
