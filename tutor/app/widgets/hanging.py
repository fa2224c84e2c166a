"""Labelled lines with a hanging indent: "○ To do: ...", "  now: ...", "Try this: ...".

A Static wraps its content back to column 0, so a long "now:" put its last words under the
label, where they read as a new line (lesson 1 step 5 at 80x24). Each paragraph here is a label
and a body; the body is wrapped to the width left beside the label and its wrapped lines start
under its first column, as the routing view's hop lines stay under their arrow. The wrapping is
the widget's own (`Content.wrap`), done at whatever width the layout gives, so the height the
layout measures is the height drawn.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING

from textual.content import Content
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.strip import Strip
    from textual.style import Style
    from textual.visual import RenderOptions

MIN_BODY = 12
"""Narrower than this beside the label, the body wraps under the label instead (a column of
one word per row reads worse than a line back at the edge)."""


Paragraph = tuple[Content, Content] | tuple[Content, Content, Content]
"""(label, body) or (label, body, tail): a tail ("✓ correct") stays whole, after the body's
last line when it fits there, else on a line of its own under the body."""

TAIL_GAP = Content("  ")


def _tail(paragraph: Paragraph) -> Content | None:
    return paragraph[2] if len(paragraph) > 2 else None


class Wrapped(Visual):
    """A Visual that wraps itself: `lines(width)` is the Content drawn in `width` columns, and
    the layout's height and the strips drawn both come from it, so they agree."""

    @abstractmethod
    def lines(self, width: int) -> Content:
        """The Content drawn in `width` columns."""

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.lines(width).get_height(rules, width)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.lines(width).render_strips(width, height, style, options)


class Hanging(Wrapped):
    """Paragraphs of (label, body[, tail]): wrapped body lines stay under the body's first
    column."""

    def __init__(self, *paragraphs: Paragraph) -> None:
        self.paragraphs = paragraphs
        self._laid_out: tuple[int, Content] | None = None

    def __str__(self) -> str:
        return "\n".join(self._whole(p).plain for p in self.paragraphs)

    @staticmethod
    def _whole(paragraph: Paragraph) -> Content:
        """The paragraph on one line: label, body and tail."""
        tail = _tail(paragraph)
        line = paragraph[0] + paragraph[1]
        return line + TAIL_GAP + tail if tail is not None else line

    def _key(self) -> tuple[object, ...]:
        return tuple(
            tuple((part.plain, tuple(part.spans)) for part in paragraph)
            for paragraph in self.paragraphs
        )

    def __eq__(self, other: object) -> bool:
        """Equal when it draws the same (`set_content` skips an update that changes nothing)."""
        return isinstance(other, Hanging) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def lines(self, width: int) -> Content:
        """The paragraphs wrapped at `width`, one Content line per row."""
        if self._laid_out is not None and self._laid_out[0] == width:
            return self._laid_out[1]
        rows: list[Content] = []
        for paragraph in self.paragraphs:
            label, body, tail = paragraph[0], paragraph[1], _tail(paragraph)
            indent = label.cell_length
            if width - indent < MIN_BODY:
                rows.extend(self._whole(paragraph).wrap(max(1, width)))
                continue
            room = width - indent
            wrapped = list(body.wrap(room))
            if tail is not None:
                if (
                    wrapped
                    and wrapped[-1].cell_length + TAIL_GAP.cell_length + tail.cell_length <= room
                ):
                    wrapped[-1] = wrapped[-1] + TAIL_GAP + tail
                else:
                    wrapped.extend(tail.wrap(room))
            pad = Content(" " * indent)
            for i, line in enumerate(wrapped):
                rows.append((label if i == 0 else pad) + line)
        laid_out = Content("\n").join(rows)
        self._laid_out = (width, laid_out)
        return laid_out

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return (
            max(
                self._whole(paragraph).get_optimal_width(rules, container_width)
                for paragraph in self.paragraphs
            )
            if self.paragraphs
            else 0
        )


CODE_HANG = 2
"""How much deeper than its line's own indent a code line goes on when it is wider than the
column: under the line's first character it would read as a line of its own."""


class CodeLines(Wrapped):
    """Lines of code (a step's code block, its commands to try) wrapped at the width they are
    drawn in: a line wider than that goes on in the rows under it, CODE_HANG columns deeper
    than its own indent. Textual's fence scrolls sideways with no scroll bar, so the end of a
    line wider than the step's column was cut off unseen (lesson 11's `search
    shop.svc.cluster.local svc.cluster.l`, lesson 12's slice YAML, at 100x30 and 120x40); a
    command to try wrapped back to column 0, where its flags read as a command of their own."""

    def __init__(self, code: Content) -> None:
        self.code = code
        self._laid_out: tuple[int, Content] | None = None

    def __str__(self) -> str:
        return self.code.plain

    def lines(self, width: int) -> Content:
        if self._laid_out is not None and self._laid_out[0] == width:
            return self._laid_out[1]
        rows: list[Content] = []
        for line in self.code.split("\n", allow_blank=True):
            if line.cell_length <= width:
                rows.append(line)
                continue
            lead = len(line.plain) - len(line.plain.lstrip(" "))
            hang = lead + CODE_HANG
            if width - hang < 8:  # too narrow to hang: fold at the edge
                rows.extend(line.wrap(max(1, width)))
                continue
            first, *rest = line[lead:].wrap(width - lead)
            rows.append(line[:lead] + first)
            if rest:
                more = Content(" ").join(part for part in rest)
                rows.extend(Content(" " * hang) + part for part in more.wrap(width - hang))
        laid_out = Content("\n").join(rows)
        self._laid_out = (width, laid_out)
        return laid_out

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.code.get_optimal_width(rules, container_width)
