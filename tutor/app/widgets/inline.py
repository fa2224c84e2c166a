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
from rich.text import Text
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


def quoted(text: str, style: str = "") -> Text:
    """A model's sentence (a Pod's why-not, a request's outcome) as Rich Text for the views
    drawn with Rich (routing, traffic): the names it quotes as `code` in bold, without their
    backticks, as the lesson text shows code (the routing view showed "on `node-2`"). Only
    backticks: the rest is the learner's values, not Markdown."""
    if not text.count("`") or text.count("`") % 2:
        return Text(scrub_str(text), style=style)
    out = Text(style=style)
    for i, part in enumerate(scrub_str(text).split("`")):
        out.append(part, style="bold" if i % 2 else "")
    return out


def quoted_content(text: str, style: str = "") -> Content:
    """`quoted` for the views drawn with Textual's Content (the error list's hints): code in
    the lesson text's code style."""
    if not text.count("`") or text.count("`") % 2:
        return Content.styled(scrub_str(text), style)
    code = f"{style} {CODE}".strip()
    return Content.assemble(
        *((part, code if i % 2 else style) for i, part in enumerate(scrub_str(text).split("`")))
    )
