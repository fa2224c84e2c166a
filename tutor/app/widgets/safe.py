"""Keep a manifest's control characters away from the terminal.

Names, node names and label values reach the screen from a stranger's YAML; a double-quoted
YAML string can hold an ESC. Every rendered line built from model data passes through `scrub`,
which swaps control characters and bidi overrides for U+FFFD one for one, so styles keep their
offsets.
"""

from __future__ import annotations

import re

from rich.text import Text

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"


def scrub_str(value: str) -> str:
    return UNSAFE.sub(REPLACEMENT, value)


def scrub(text: Text) -> Text:
    plain = text.plain
    if UNSAFE.search(plain):
        text.plain = UNSAFE.sub(REPLACEMENT, plain)
    return text
