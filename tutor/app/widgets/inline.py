"""One line of lesson Markdown (a hint, a "try this", a quiz question, choice or explanation) as
styled text, the way the step text's Markdown widget shows it: `code` without its backticks in
the theme's inline-code colours, **strong** bold, *emphasis* italic, links as their text.

Parsed with markdown-it, the parser Textual's Markdown widget uses, so a line reads the same in a
step and in a hint. The result is Textual `Content` (never markup: lesson text is data), whose
`$variables` follow the theme like the widget's `code_inline` style.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from textual.content import Content

from tutor.app.widgets.safe import scrub_str

CODE = "$text-warning on $warning 10%"
"""Textual's Markdown `code_inline` style (dark theme)."""


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


def inline(text: str, style: str = "") -> Content:
    """`text` (inline Markdown) as Content, every part also in `style`."""
    tokens = _parser().parseInline(text.strip())
    children = tokens[0].children if tokens and tokens[0].children else []
    parts: list[tuple[str, str]] = []
    strong = em = 0
    for token in children:
        kind = token.type
        if kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong -= 1
        elif kind == "em_open":
            em += 1
        elif kind == "em_close":
            em -= 1
        elif kind == "softbreak":  # a line break in the file: a space, as in a paragraph
            parts.append((" ", style))
        elif kind == "hardbreak":
            parts.append(("\n", style))
        elif kind in ("text", "code_inline", "html_inline"):
            words = [style] if style else []
            if strong > 0:
                words.append("bold")
            if em > 0:
                words.append("italic")
            if kind == "code_inline":
                words.append(CODE)
            parts.append((scrub_str(token.content), " ".join(words)))
    return Content.assemble(*parts)
