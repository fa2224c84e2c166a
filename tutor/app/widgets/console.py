"""The lab console pane: a prompt and the output of kubectl, nslookup, dig, curl and env run
against the simulated cluster (the engine is tutor.lab.console; this is only its screen).

↑/↓ walk the history, Tab completes verbs, resource types, object names and flags (a second
list of choices is printed when several remain). Effects the engine hands back go to the
workbench as messages: a cluster change re-runs the model, `kubectl edit` opens the editor,
`kubectl expose` adds the Service to the manifest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from tutor.app.widgets.hanging import CodeLines
from tutor.course.lesson import COMMANDS_LABEL
from tutor.lab.console import AppendManifest, Clear, Console, Effect, OpenEditor, Output
from tutor.model.analysis import Analysis
from tutor.model.limits import visible

if TYPE_CHECKING:
    from tutor.lab.session import LabSession

MAX_LOG_LINES = 5000
"""Lines the pane keeps; older output scrolls away, as in a terminal's scrollback."""
STRIP_CACHE = 4096
"""Drawn lines kept (a screenful is ~40; a repeated `get pods` shares its lines)."""


class ConsoleLog(Widget):
    """The console's output, as a terminal shows it: long lines wrap, the newest line is at the
    bottom, PageUp/PageDown and the mouse wheel scroll back.

    Not a `Log`: a `Log` is a scroll view, so each write changes its virtual size, which lays out
    the whole screen again, and it draws every visible line through a rich `Text` on each of the
    two or three repaints a write causes (150 ms for a 500-line `kubectl get pods -A` on a loaded
    machine). Here the widget's size never changes with its content: a write is one `refresh()`
    of this widget, and each row is made a `Strip` once (kept by its text and style). Text can be
    selected with the mouse and copied, as in a `Log`.
    """

    DEFAULT_CSS = """
    ConsoleLog { height: 1fr; background: $surface; }
    ConsoleLog > .console-log--more { background: $primary 30%; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"console-log--more"}

    def __init__(self, *, max_lines: int = MAX_LOG_LINES, id: str | None = None) -> None:
        super().__init__(id=id)
        self.max_lines = max_lines
        self._lines: list[str] = []
        self._rows: list[str] = []
        """`_lines` wrapped at `_wrap` columns."""
        self._row_counts: list[int] = []
        """How many rows each line takes (so dropping old lines drops their rows)."""
        self._wrap = 0
        self._top: int | None = None
        """The first row shown when scrolled back; None follows the newest output."""
        self._strips: LRUCache[tuple[str, Style], Strip] = LRUCache(STRIP_CACHE)
        self._style: Style | None = None
        """`rich_style`, worked out once per style change (it walks the ancestors each time)."""

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style = None
        self._strips.clear()

    @property
    def lines(self) -> Sequence[str]:
        """The lines written, oldest first (at most `max_lines`)."""
        return self._lines

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def write_line(self, line: str) -> None:
        self.write_lines([line])

    def write_lines(self, lines: Iterable[str]) -> None:
        """Add lines at the bottom (one repaint, whatever their number)."""
        # control characters spelled out here too: nothing written reaches the terminal raw
        # (all lines at once: tabs expand per line and `visible` maps character by character)
        given = list(lines)
        if not given:
            return
        new = visible("\n".join(given).expandtabs()).split("\n")
        self._lines.extend(new)
        width = self._width()
        if all(map(str.isascii, new)) and max(map(len, new)) <= width:
            self._rows.extend(new)  # the usual output: no line wraps
            self._row_counts.extend([1] * len(new))
        else:
            for line in new:
                rows = _wrap(line, width)
                self._rows.extend(rows)
                self._row_counts.append(len(rows))
        excess = len(self._lines) - self.max_lines
        if excess > 0:
            dropped = sum(self._row_counts[:excess])
            del self._lines[:excess], self._row_counts[:excess], self._rows[:dropped]
            if self._top is not None:
                self._top = max(0, self._top - dropped)
        self.refresh()

    def clear(self) -> None:
        self._lines.clear()
        self._rows.clear()
        self._row_counts.clear()
        self._top = None
        self.refresh()

    # -- scrolling back -----------------------------------------------------------------------

    @property
    def scrolled_back(self) -> bool:
        return self._top is not None

    def scroll_rows(self, rows: int) -> None:
        """Scroll by `rows` (negative: back to older output)."""
        height = max(1, self.size.height)
        last = max(0, len(self._rows) - height)
        top = (self._top if self._top is not None else last) + rows
        self._top = None if top >= last else max(0, top)
        self.refresh()

    def scroll_page(self, pages: int) -> None:
        self.scroll_rows(pages * max(1, self.size.height - 1))

    def scroll_to_end(self) -> None:
        if self._top is not None:
            self._top = None
            self.refresh()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.scroll_rows(-3)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_rows(3)

    # -- drawing ------------------------------------------------------------------------------

    def _width(self, width: int | None = None) -> int:
        """The wrapping width (the widget's, once it has one), rows re-wrapped if it changed."""
        if width is None:
            width = self.size.width
        if self._wrap != width and width > 0:
            self._rewrap(width)
        return self._wrap or 80

    def _rewrap(self, width: int) -> None:
        self._wrap = width
        self._rows = []
        self._row_counts = []
        for line in self._lines:
            rows = _wrap(line, width)
            self._rows.extend(rows)
            self._row_counts.append(len(rows))

    def on_resize(self) -> None:
        self._width()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width, height = self.size  # once: `size` walks up to the screen's layout each time
        self._width(width)
        if self._style is None:
            self._style = self.rich_style
        style = self._style
        rows = self._rows
        top = self._top if self._top is not None else max(0, len(rows) - height)
        if self._top is not None and y == height - 1:
            below = len(rows) - (top + height - 1)
            more = f" ↓ {below:,} more rows: PageDown, or type a command "
            more_style = self.get_component_rich_style("console-log--more")
            return Strip([Segment(more, more_style)], cell_len(more)).crop_extend(
                0, width, more_style
            )
        index = top + y
        if index >= len(rows):
            return Strip.blank(width, style)
        row = rows[index]
        selection = self.text_selection
        span = selection.get_span(index) if selection is not None else None
        if span is not None:
            return self._selected(row, span, style, width).apply_offsets(0, index)
        strip = self._strips.get((row, style))
        if strip is None:
            strip = Strip([Segment(row, style)], cell_len(row)).crop_extend(0, width, style)
            self._strips[(row, style)] = strip
        if strip.cell_length != width:
            strip = strip.crop_extend(0, width, style)
        # offsets: the mouse's cells map to (column, row) of the text, so text can be selected
        return strip.apply_offsets(0, index)

    def _selected(self, row: str, span: tuple[int, int], style: Style, width: int) -> Strip:
        start, end = span
        end = len(row) if end == -1 else end
        picked = style + self.screen.get_component_rich_style("screen--selection")
        segments = [
            Segment(row[:start], style),
            Segment(row[start:end], picked),
            Segment(row[end:], style),
        ]
        return Strip(segments, cell_len(row)).crop_extend(0, width, style)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text, as shown (a wrapped line is copied as its rows)."""
        return selection.extract("\n".join(self._rows)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()


def _wrap(line: str, width: int) -> list[str]:
    """`line` cut into rows of at most `width` cells, as a terminal wraps it."""
    if line.isascii():  # the usual case: a cell per character
        if width <= 0 or len(line) <= width:
            return [line]
        return [line[i : i + width] for i in range(0, len(line), width)]
    if width <= 0 or cell_len(line) <= width:
        return [line]
    return chop_cells(line, width)


class ConsoleInput(Input):
    """The command line: ↑/↓ history and Tab completion, handled by the pane."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """An `Input` sets its virtual size (its text's width) on every change of its value, and
    the base reactive lays the whole screen out again for it: each typed key, and the clearing
    on Enter, reflowed the lesson's workbench and repainted the scrollbars of the editor and the
    routing view in one more frame. The prompt's size never depends on its text (a row, `1fr`
    wide; it scrolls inside), so a repaint is all a new value needs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # a priority key is run by the app as it arrives; otherwise Enter goes to the Input's
        # own key handler first, whose cursor repaint could take a frame of its own just
        # before the output's (and a frame paces the next by 1/60 s)
        Binding("enter", "enter", "Run", show=False, priority=True),
        Binding("up", "history(-1)", "Previous command", show=False),
        Binding("down", "history(1)", "Next command", show=False),
        Binding("tab", "complete", "Complete", show=False),
        Binding("pageup", "scroll_output(-1)", "Scroll back", show=False),
        Binding("pagedown", "scroll_output(1)", "Scroll forward", show=False),
    ]

    class Enter(Message, bubble=False):
        """Enter, queued at the prompt behind the keys typed before it."""

    def action_enter(self) -> None:
        """The app runs a priority key as it arrives, ahead of keys still queued at the prompt
        (fast typing, a paste): the line is submitted from the prompt's own queue, in order."""
        self.post_message(self.Enter())

    async def on_console_input_enter(self, message: Enter) -> None:
        await self.action_submit()

    def action_scroll_output(self, pages: int) -> None:
        for node in self.ancestors_with_self:
            if isinstance(node, ConsolePane):
                node.log_widget.scroll_page(pages)
                return

    def action_history(self, step: int) -> None:
        pane = self.ancestors_with_self
        for node in pane:
            if isinstance(node, ConsolePane):
                node.walk_history(step)
                return

    def action_complete(self) -> None:
        for node in self.ancestors_with_self:
            if isinstance(node, ConsolePane):
                node.complete()
                return


class ConsolePane(Vertical):
    """The console of one workbench: every line runs through its `LabSession` (`run_command`),
    on what the routing view shows, with the cluster changes the routing view's keys make."""

    DEFAULT_CSS = """
    ConsolePane { height: 1fr; }
    ConsolePane #console-line { height: 1; }
    ConsolePane #console-prompt { width: auto; height: 1; color: $success; }
    ConsolePane #console-input { border: none; height: 1; padding: 0; width: 1fr; }
    """

    class Ran(Message):
        """A command ran: the workbench carries out its effects (not Clear: done here) and
        re-checks the goal (a `ran` goal may be met now)."""

        def __init__(self, pane: ConsolePane, line: str, output: Output) -> None:
            super().__init__()
            self.pane = pane
            self.line = line
            self.output = output

        @property
        def effects(self) -> list[Effect]:
            return [e for e in self.output.effects if not isinstance(e, Clear)]

    def __init__(self, session: LabSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self._walk: int | None = None
        self._draft = ""
        self.focus_when_mounted = False
        """Set by a parent that mounts the pane and wants the prompt focused at once."""

    @property
    def console(self) -> Console:
        return self.session.console

    def compose(self) -> ComposeResult:
        yield ConsoleLog(id="console-log")
        with Horizontal(id="console-line"):
            yield Static(self.console.prompt, id="console-prompt", markup=False)
            yield ConsoleInput(
                placeholder="kubectl get svc   (help: commands, Tab: complete)",
                id="console-input",
                select_on_focus=False,
            )

    def on_mount(self) -> None:
        # as the editor's: off app-wide in a served tab (each blink is a frame the web server
        # relays) and in tests
        self.input.cursor_blink = bool(getattr(self.app, "cursor_blink", True))
        if self.focus_when_mounted:
            self.call_after_refresh(self.focus_first)
        self.run_worker(
            _load_kubectl,
            name="load kubectl",
            thread=True,
            exit_on_error=False,
            description="import the console's kubectl modules",
        )

    @property
    def log_widget(self) -> ConsoleLog:
        return self.query_one("#console-log", ConsoleLog)

    @property
    def input(self) -> ConsoleInput:
        return self.query_one("#console-input", ConsoleInput)

    def focus_first(self) -> None:
        """The prompt, where a learner types."""
        self.input.focus()

    def run_line(self, line: str) -> Output:
        """Run one line as if typed and Enter pressed; returns what the engine gave back."""
        log = self.log_widget
        prompt = self.console.prompt
        out = self.session.run_command(line)
        log.scroll_to_end()
        if any(isinstance(e, Clear) for e in out.effects):
            log.clear()
        else:
            lines = [prompt + _visible(line)]
            if out.text:
                lines += out.text.rstrip("\n").split("\n")
            log.write_lines(lines)
        if self.console.prompt != prompt:  # a new width is a new layout: only when it changed
            self.query_one("#console-prompt", Static).update(self.console.prompt)
        self.post_message(self.Ran(self, line, out))
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value
        self.input.value = ""
        self._walk = None
        self.run_line(line)

    def walk_history(self, step: int) -> None:
        history = self.session.commands
        if not history:
            return
        if self._walk is None:
            self._draft = self.input.value
            index = len(history)
        else:
            index = self._walk
        index = max(0, min(len(history), index + step))
        self._walk = index if index < len(history) else None
        value = history[index] if index < len(history) else self._draft
        self.input.value = value
        self.input.cursor_position = len(value)

    def complete(self) -> None:
        from tutor.lab.console.complete import complete

        shown = self.session.shown
        if shown is None:
            return
        line = self.input.value
        completed, choices = complete(line, self.console.world(shown), self.console)
        if completed != line:
            self.input.value = completed
            self.input.cursor_position = len(completed)
        elif choices:
            self.log_widget.write_line("  ".join(_visible(c) for c in choices))


COMMAND_INDENT = "  "


def commands_line(commands: tuple[str, ...]) -> Text:
    """A step's or challenge's commands to try, under its text: one command a line, indented,
    as a learner types them. (On one line, joined by dots, a command wrapped wherever the line
    ended: `--restart=Never -- sh` at the start of a line at 80x24.)"""
    if not commands:
        return Text("")
    out = Text.assemble((f"{COMMANDS_LABEL} (F8):", "bold cyan"))
    for command in commands:
        out.append("\n" + COMMAND_INDENT)
        out.append(_visible(command), style="bold")
    return out


def commands_block(commands: tuple[str, ...]) -> CodeLines:
    """commands_line as the step and the task draw it: a command wider than the column goes
    on under itself, deeper than the commands start (wrapped as a Text, lesson 12's
    `kubernetes.io/service-name=web -o yaml` went on at column 0 at 100x30, a command of its
    own to the eye)."""
    return CodeLines(Content.from_rich_text(commands_line(commands)))


def show_in_editor(editor: TextArea, analysis: Analysis | None, effect: OpenEditor) -> bool:
    """`kubectl edit`: put the editor's cursor on the object's `metadata.name` line."""
    if analysis is None:
        return False
    svc = next(
        (
            s
            for s in analysis.cluster.services
            if s.name == effect.name and s.namespace == effect.namespace
        ),
        None,
    )
    docs = analysis.parsed.documents
    if svc is None or not 0 <= svc.source.document < len(docs):
        return False
    doc = docs[svc.source.document]
    span = doc.spans.get((*svc.source.prefix, "metadata", "name")) or doc.spans.get(
        svc.source.prefix
    )
    line = span.line if span is not None else doc.line
    editor.cursor_location = (max(0, line - 1), 0)
    editor.scroll_cursor_visible(center=True)
    return True


def append_to_editor(editor: TextArea, effect: AppendManifest) -> None:
    """`kubectl expose`: the new Service goes at the end of the manifest, as a new document."""
    text = editor.text
    sep = "" if not text.strip() else ("---\n" if text.endswith("\n") else "\n---\n")
    end = editor.document.end
    editor.insert(sep + effect.text, end)


def _load_kubectl() -> None:
    """Import kubectl's modules while the learner types the first line (a thread: the screen
    stays responsive): they load with the first kubectl command otherwise, which made its
    output take ~30 ms longer than the next ones'."""
    from tutor.lab.console import describe, get, mutate  # noqa: F401


def _visible(text: str) -> str:
    from tutor.model.limits import visible

    return visible(text)
