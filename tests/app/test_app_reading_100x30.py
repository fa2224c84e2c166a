"""At 100x30 a step reads whole in the reading layout (F2), without PageDown: every step of
every lesson (the learner walk found lesson 9's NodePort and LoadBalancer options and
lesson 14's symptoms 4 to 11 rows longer than the column: their text is tighter now).
Lesson 1 step 1 scrolled one row: its nav row wrapped "step 1 of 9 · From Docker to a Service"
onto a second row for want of one column between the buttons (their min-width kept two blank
columns each beside "◀ Prev" and "Next ▶"). At 80x24 (the tabs of a small terminal) lesson 1
step 1 hid its last line.

A whole lesson screen per step cost ~0.13 CPU s (the editor, the routing view and the screen
laid out and drawn again), 14 CPU s for the course. So the steps are measured in the real
step pane (`StepPane`, filled by `LessonScreen`'s own `_render_step` and `_show_check`, styled
by app.tcss's reading-layout rules) on a screen that holds only the pane and its column:
`test_the_reading_column_shows_what_the_lesson_screen_shows` proves it draws, row for row and
at the same size, what the real screen draws for lesson 1's first steps, and
`test_a_step_one_row_too_long_scrolls` that one row more than the column scrolls. Each step's
routing rows are made too (by a hidden `RoutingView`, at the real view's width), as the whole
screen made them: every step's manifest makes rows that fit the column beside the step."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path
from typing import Any

from testkit import builtin_lesson, builtin_lessons, press, settle
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget

from tutor.app.app import TutorApp
from tutor.app.screens.lesson import LessonScreen, StepPane
from tutor.app.widgets.console import COMMAND_INDENT
from tutor.app.widgets.routing import SCROLLBAR_ROOM, RoutingView, Row
from tutor.course.lesson import COMMANDS_LABEL, ROUTING_SYMPTOMS, Lesson
from tutor.lab.session import LabSession
from tutor.model.changes import ClusterChanges

SIZE = (100, 30)
BENCH = (100, 27)
"""The workbench's size at 100x30: the title bar and the footer's two rows take the rest."""
ROUTING_ROOM = 36
"""The routing view's rows' width in the reading layout at 100x30 (its column is 2fr of 5)."""
COMPARED_STEPS = 4
"""Lesson 1's first steps drawn both ways: no check (step 1, 2), a check not met with its
"now:" line and a "try this" (step 3), a long text beside a short one (step 4)."""


class Workbench(Vertical):
    """A stand-in named as the real workbench, so app.tcss's `Workbench.-reading` rules size
    its columns and the step pane as they size the real ones (the editor's column is empty:
    the step pane takes what it needs of the left column, the editor the rest)."""

    DEFAULT_CSS = "Workbench { height: 1fr; }"


class ReadingScreen(Screen[None]):
    """The lesson screen's step pane alone, in the reading layout, at the workbench's size:
    a step is shown by the lesson screen's own `_render_step`, and its check by its
    `_show_check`, with the check the workbench's `LabSession` computes for the step's
    starting manifest."""

    _render_step: Any = LessonScreen._render_step
    _show_check: Any = LessonScreen._show_check

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson
        self.index = 0
        self.step_done: set[int] = set()
        self._markdown_shown: str | None = None
        self.routing_rows: list[str] = []
        """The routing view's rows for each step shown, made as the view draws them."""
        self.command_rows: list[str] = []
        """The "Try in the console" rows of each step shown, as drawn."""

    def compose(self) -> ComposeResult:
        with Workbench(classes="-reading"), Horizontal(id="panes"):
            with Vertical(id="left"):
                pane = StepPane()
                pane.id = "intro"
                pane.add_class("pane")
                yield pane
                yield Vertical(id="yaml", classes="pane")
            with Vertical(id="right"), Vertical(id="routing", classes="pane"):
                view = RoutingView(id="routing-view")
                view.display = False  # its rows are made at the real view's width (`show`)
                yield view

    def on_mount(self) -> None:
        self.query_one(StepPane).focus()  # as F2 does

    async def open(self, lesson: Lesson) -> None:
        """Another lesson, in a new step pane (the app opens a new screen; a pane that had
        shown lesson 4 kept an unneeded scroll bar on lesson 9 steps 5 and 6)."""
        if lesson is self.lesson:
            return
        self.lesson, self.index, self.step_done = lesson, 0, set()
        self._markdown_shown = None
        self.routing_rows = []
        self.command_rows = []
        await self.query_one(StepPane).remove()
        pane = StepPane()
        pane.id = "intro"
        pane.add_class("pane")
        await self.query_one("#left").mount(pane, before="#yaml")
        pane.focus()

    async def show(self, index: int) -> None:
        """Step `index` as a learner who just came to it sees it."""
        lesson = self.lesson
        step = lesson.steps[index]
        session = LabSession(text="", network=lesson.network)
        session.load(
            lesson.step_manifest(index),
            step.path,
            step.check,
            ClusterChanges(),
            focus_doc=step.doc,
            routing=step.routing,
        )
        assert session.symptoms == (step.routing == ROUTING_SYMPTOMS)
        session.analyze_now()
        with self.app.batch_update():  # as `LessonScreen.go_to`: one frame a step
            self.index = index
            pending = self._render_step()
            if pending is not None:
                await pending
            self._show_check(Updated(session.shown_check))
        view = self.query_one(RoutingView)
        view.show(session.snapshot())
        for i in range(view.option_count):
            row = view.get_option_at_index(i).prompt
            if isinstance(row, Row):
                self.routing_rows.append(row.text(ROUTING_ROOM).plain)


@dataclasses.dataclass
class Updated:
    """What `_show_check` reads of the workbench's `Updated` message."""

    check: Any


class Column(App[None]):
    """The reading column at the size of the lesson screen's workbench at 100x30."""

    CSS_PATH = Path(inspect.getfile(TutorApp)).with_name(str(TutorApp.CSS_PATH))


def scroll(intro: Widget, text: Widget) -> tuple[int, int]:
    """How far the step pane scrolls, and how many of its columns the text leaves free beside
    it (for a scroll bar: a text that fits was wrapped 2 columns narrower for the bar it did
    not need, and 1 row longer than the pane, measured at the full width)."""
    return intro.max_scroll_y, intro.size.width - text.size.width


def drawn(pane: Widget) -> list[str]:
    """What `pane` draws, as laid out now: each widget with nothing inside it (a button, the
    header, a Markdown block's lines, the check) as `row,column: text` for each of its rows,
    where it sits in the pane, top to bottom."""
    origin = pane.content_region.offset
    rows = []
    for widget in pane.query("*"):
        if widget.children or not widget.display or not widget.size.area:
            continue
        at = widget.content_region.offset - origin
        for y in range(widget.size.height):
            rows.append((at.y + y, at.x, widget.render_line(y).text.rstrip()))
    return [f"{y},{x}: {text}" for y, x, text in sorted(rows)]


async def column_walk(
    pilot: Pilot[Any], lesson: Lesson, steps: int, rows: bool = False
) -> tuple[list[tuple[tuple[int, int], list[str]]], list[str]]:
    """Each of the first `steps` steps of `lesson` in the reading column, in a new step pane:
    its scroll, and its rows if asked; and every routing row of those steps."""
    screen = pilot.app.screen
    if isinstance(screen, ReadingScreen):
        await screen.open(lesson)
    else:
        screen = ReadingScreen(lesson)
        await pilot.app.push_screen(screen)
    shown = []
    for index in range(steps):
        await screen.show(index)
        await settle(pilot)
        intro, text = screen.query_one("#intro"), screen.query_one("#step-text")
        shown.append((scroll(intro, text), drawn(intro) if rows else []))
        commands = screen.query_one("#step-commands")
        if commands.display:
            screen.command_rows += [
                commands.render_line(y).text.rstrip() for y in range(commands.size.height)
            ]
    return shown, screen.routing_rows


async def test_the_reading_column_shows_what_the_lesson_screen_shows(
    make_app: Any, data_dir: Path
) -> None:
    """Lesson 1 on the real screen: step 1 whole at 80x24 too; at 100x30 after F2 the step
    takes the left column, wider, the name fits beside the buttons, and the first steps
    (ctrl+n, still reading) are drawn, row for row, as the reading column draws them."""
    lesson = builtin_lesson("anatomy")
    app = make_app("anatomy", lessons=[lesson])
    real = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        intro = screen.query_one("#intro")
        assert intro.max_scroll_y == 0  # step 1 whole at 80x24 too
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        before = intro.size.height
        await press(pilot, "f2")
        assert app.focused is intro
        assert screen.workbench.reading
        assert screen.workbench.size == BENCH
        view = screen.query_one(RoutingView)
        assert view.size.width - SCROLLBAR_ROOM == ROUTING_ROOM
        assert intro.size.height > before  # 12 rows of 27 before
        assert intro.size.width > screen.query_one("#right").size.width
        assert screen.query_one("#step-nav").size.height == 1  # the name fits beside the buttons
        for index in range(COMPARED_STEPS):
            assert screen.index == index
            real.append((scroll(intro, screen.query_one("#step-text")), drawn(intro)))
            await press(pilot, "ctrl+n")
        assert app.focused is intro  # still reading: ctrl+n kept the layout
    async with Column().run_test(size=BENCH) as pilot:
        await settle(pilot)
        column, _routing = await column_walk(pilot, lesson, COMPARED_STEPS, rows=True)
    for index, (mine, theirs) in enumerate(zip(column, real, strict=True)):
        assert mine == theirs, f"step {index + 1}: the column\n{mine}\nthe screen\n{theirs}"


async def test_every_step_of_every_lesson_reads_whole_at_100x30(data_dir: Path) -> None:
    """The learner walk found lesson 9's NodePort and LoadBalancer options and lesson 14's
    symptoms 4 to 11 rows longer than the column; five more steps of the two were 1 to 5.
    Lesson 11's search path was 14 rows too long (its name wrapped the nav row), its Pod
    names 6; lesson 13's ipFamilies step 1, lesson 4's 'Case matters' 1 and quoted values 2,
    six steps of lesson 3 1 to 3 (three names wrapped the nav row), lesson 10's
    PreferSameZone and PreferSameNode 2 and 3, its failure-mode table 9; lesson 8's
    terminating Pods 9 and the Ready condition 2, rolling updates and
    publishNotReadyAddresses 1."""
    lessons = builtin_lessons()
    late: dict[str, tuple[int, int]] = {}
    wide: list[str] = []
    back_at_0: list[str] = []
    async with Column().run_test(size=BENCH) as pilot:
        await settle(pilot)
        for lesson in lessons:
            shown, routing = await column_walk(pilot, lesson, len(lesson.steps))
            for number, (scrolled, _rows) in enumerate(shown, 1):
                if scrolled != (0, 0):
                    late[f"{lesson.id} step {number}"] = scrolled
            assert routing, lesson.id
            wide += [
                line for row in routing for line in row.split("\n") if len(line) > ROUTING_ROOM
            ]
            # a command to try that wraps goes on deeper than the commands start: lesson 12
            # step 1's `-l kubernetes.io/service-name=web -o yaml` went on at column 0, where
            # it read as a second command
            screen = pilot.app.screen
            assert isinstance(screen, ReadingScreen)
            back_at_0 += [
                f"{lesson.id}: {row}"
                for row in screen.command_rows
                if row
                and not row.startswith(COMMANDS_LABEL)
                and not row.startswith(COMMAND_INDENT + " ")
                and not (row.startswith(COMMAND_INDENT) and row[len(COMMAND_INDENT)] != " ")
            ]
    assert late == {}, late
    assert back_at_0 == [], back_at_0
    assert wide == [], wide  # and beside it, every step's routing rows fit their column


async def test_a_step_one_row_too_long_scrolls(data_dir: Path) -> None:
    """The column measures to the row: lesson 1 step 1 made as long as the column reads
    whole, one row longer it scrolls (a paragraph added: a blank row, then a row for each
    of its hard-broken lines)."""
    lesson = builtin_lesson("anatomy")
    async with Column().run_test(size=BENCH) as pilot:
        await settle(pilot)
        screen = ReadingScreen(lesson)
        await pilot.app.push_screen(screen)
        await screen.show(0)
        await settle(pilot)
        intro = screen.query_one("#intro")
        spare = screen.query_one("#left").size.height - intro.outer_size.height
        assert spare > 1, spare
        first = lesson.steps[0]
        scrolls = []
        for lines in (spare - 1, spare):
            text = first.text.rstrip() + "\n\n" + "  \n".join(["x"] * lines)
            longer = dataclasses.replace(first, text=text)
            screen.lesson = dataclasses.replace(lesson, steps=(longer, *lesson.steps[1:]))
            await screen.show(0)
            await settle(pilot)
            scrolls.append(scroll(intro, screen.query_one("#step-text")))
        fits, too_long = scrolls
        assert fits == (0, 0), (spare, scrolls)
        # a row more: the bar comes, and the text wraps beside it (a row or two more)
        assert too_long[0] >= 1 and too_long[1] == 2, (spare, scrolls)
