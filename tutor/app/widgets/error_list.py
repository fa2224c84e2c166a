"""The error list under the editor and the note above the routing view, which stay put while
the learner types.

A key that breaks the YAML and the next key that mends it used to show and hide both areas,
and each show or hide laid out the whole lesson screen and drew every row of it again: in a
served tab such a key cost ~65 ms of CPU, against ~40 ms for a key that keeps the text valid.
Now each area is sized once, when it appears; what it says changes in place (a repaint of its
own rows, no layout); and it leaves only when the text has stayed valid for `LINGER` seconds.
Meanwhile the list says the text has no errors and the note stays (it says what the routing
view shows *while* the YAML has errors), so the editor and the routing view keep their sizes:
they no longer jump up and down as the learner types.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.app.widgets.hanging import Hanging
from tutor.app.widgets.inline import quoted_content
from tutor.app.widgets.quiet import rows, set_content
from tutor.app.widgets.safe import scrub_str
from tutor.model.report import Problem

LINGER = 1.5
"""Seconds the text stays valid before the error list and the note leave: longer than a
pause between two keys, so typing that breaks and mends the text never lays out the screen."""
MAX_ROWS = 7
"""The list's rows at most (more errors scroll)."""
NO_ERRORS = "✓ No errors now."


def problem_text(problem: Problem) -> Hanging:
    """One problem as the list shows it: `line N: message`, and its hint below, each wrapped
    under its own first word (a long message or hint went back to column 0 at 80x24, where
    its last words read as a line of their own)."""
    where = (
        Content.assemble((f"line {problem.line}", "bold red"), ": ")
        if problem.line
        else Content("")
    )
    paragraphs = [(where, Content(scrub_str(problem.message)))]
    if problem.hint:
        paragraphs.append(
            (
                Content.styled("  hint: ", "italic"),
                quoted_content(problem.hint, "italic"),
            )
        )
    return Hanging(*paragraphs)


def _content_width(widget: OptionList | Static) -> int:
    """The width the widget's content wraps to: its own while shown, else its parent's less
    the widget's padding and border (a hidden widget has no size)."""
    if widget.display and widget.size.width:
        return widget.scrollable_content_region.width
    parent = widget.parent
    width = parent.size.width if parent is not None and hasattr(parent, "size") else 0
    return width - widget.styles.gutter.width


class ErrorList(OptionList):
    """The API server's messages at their lines; Enter jumps the editor there.

    Its height is set here (the rows its messages take, at most `MAX_ROWS`), not by `auto`:
    an OptionList of automatic height asks for a layout of the whole screen every time its
    options change, even when its size stays the same. And messages replace the prompts of
    the options already there when there are as many: clearing the options and adding new
    ones changes the list's virtual size twice, and each change asks for a layout too."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: tuple[Problem, ...] = ()
        self._places: list[tuple[int, int] | None] = []
        self._prompts: list[Text | Hanging] = []
        self._made: dict[Problem, Hanging] = {}
        self._measured: dict[tuple[str, int], int] = {}
        """What the last prompts were and took: a key that breaks and mends the YAML shows
        the same few problems again and again."""

    def place(self, index: int) -> tuple[int, int] | None:
        """(line, column), 1-based (line 0: no place), of the problem at option `index`;
        None for the no-errors line."""
        return self._places[index] if 0 <= index < len(self._places) else None

    def show(self, found: tuple[Problem, ...]) -> None:
        """List `found`. With none while the list is up, it stays, as high as it is, and says
        there are no errors (`hide` takes it away)."""
        if found == self.shown and (self.display or not found):
            return
        self.shown = found
        if not found:
            if self.display:
                self._set(*self._no_errors())
                # nothing to jump to: Tab and the editor's Escape pass it by, as when hidden
                self.can_focus = False
            return
        prompts: list[Text | Hanging] = [self._prompt(problem) for problem in found]
        self._set(prompts, [(p.line, p.column) for p in found])
        self._fit()
        self.can_focus = True
        self.display = True

    def _fit(self) -> None:
        """Set the height its messages take at its width (a layout only if it changed); while
        its width is unknown (its pane hidden on a small terminal), `auto` until it is."""
        width = _content_width(self)
        if width <= 0:
            self.styles.height = "auto"
            return
        taken = min(MAX_ROWS, sum(self._rows(prompt, width) for prompt in self._prompts))
        self.styles.height = taken + self.styles.gutter.height

    def on_resize(self) -> None:
        """A new width wraps the messages anew."""
        if self.shown and self.display:
            self._fit()

    def _no_errors(self) -> tuple[list[Text | Hanging], list[tuple[int, int] | None]]:
        """The no-errors line, in as many options of as many rows as the list has now (so they
        replace its prompts in place, and its virtual size stays: no layout)."""
        width = _content_width(self)
        taken = [self._rows(prompt, width) for prompt in self._prompts] or [1]
        said = [Text(NO_ERRORS if i == 0 else "", style="green") for i in range(len(taken))]
        return [text.append("\n" * (n - 1)) for text, n in zip(said, taken, strict=True)], [
            None
        ] * len(taken)

    def _prompt(self, problem: Problem) -> Hanging:
        prompt = self._made.get(problem)
        if prompt is None:
            if len(self._made) > 64:
                self._made.clear()
            prompt = self._made[problem] = problem_text(problem)
        return prompt

    def _rows(self, prompt: Text | Hanging, width: int) -> int:
        key = (str(prompt), width)
        if key not in self._measured:
            if len(self._measured) > 64:
                self._measured.clear()
            self._measured[key] = rows(self, prompt, width)
        return self._measured[key]

    def _set(self, prompts: list[Text | Hanging], places: list[tuple[int, int] | None]) -> None:
        if self.option_count == len(prompts):
            for index, (prompt, place) in enumerate(zip(prompts, places, strict=True)):
                self.replace_option_prompt_at_index(index, prompt)
                if (place is None) != self.get_option_at_index(index).disabled:
                    if place is None:
                        self.disable_option_at_index(index)
                    else:
                        self.enable_option_at_index(index)
        else:
            self.clear_options()
            self.add_options(
                Option(prompt, disabled=place is None)
                for prompt, place in zip(prompts, places, strict=True)
            )
        self._places = places
        self._prompts = prompts

    def hide(self) -> None:
        self.display = False
        self.shown = ()


class StaleNote(Static):
    """Above the routing view while the YAML has errors: what the routing view shows instead.

    Sized here, like the error list: its text replaced in place is a repaint, not a layout."""

    _note = ""

    def say(self, note: str) -> None:
        """Show `note`; "" leaves it as it is (`hide` takes it away): the session's note says
        what the routing view shows *while* the YAML has errors, true as the learner mends it,
        and a text that does not change is not even repainted."""
        if not note:
            return
        self._note = note
        self._fit()
        set_content(self, note, layout=False)
        self.display = True

    def _fit(self) -> None:
        """As `ErrorList._fit`."""
        width = _content_width(self)
        if width <= 0:
            self.styles.height = "auto"
            return
        taken = rows(self, self._note, width)
        self.styles.height = taken + self.styles.gutter.height  # a layout only if it changed

    def on_resize(self) -> None:
        if self.display and self._note:
            self._fit()

    def hide(self) -> None:
        self.display = False
