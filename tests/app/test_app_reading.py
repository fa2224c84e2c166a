"""Reading a step on a small terminal. At 100x30 the step text had 10 rows beside the editor
(lesson 1's steps need 12-30) and F2 only moved the focus there: F2 now gives the step as much
of the left column as it needs until F3, F2 again or the editor takes the focus. At 80x24 the step is a tab
of its own. The footer names F2 as the tab does ("f2 Text" beside "F2 Step")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from testkit import builtin_lesson, open_challenge, press, settle
from textual.widgets import Tab

from tutor.app.screens.lesson import LessonScreen
from tutor.app.widgets.footer import KeyFooter
from tutor.app.widgets.workbench import Workbench


def workbench(app: Any) -> Workbench:
    return app.screen.query_one(Workbench)  # type: ignore[no-any-return]


def steps_that_scroll(lesson_steps: int, scrolls: list[int]) -> list[int]:
    return [n for n in range(1, lesson_steps + 1) if scrolls[n - 1] > 0]


def drawn(widget: Any) -> list[str]:
    """The rows `widget` draws (as laid out now), trailing blanks dropped."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


async def test_lesson_1_reads_without_scrolling_after_f2_at_80x24(
    make_app: Any, data_dir: Path
) -> None:
    """At 80x24 F2 shows the step's tab (at 100x30 the reading layout: test_app_reading_100x30
    checks lesson 1 there, and every step of every lesson). On the way, step 5's check and
    "try this" lines wrap under their first word: "now: 3 Pods get traffic ... (my-app-1,
    my-app-2 and" wrapped `my-app-3); the goal is 0.` back to column 0, and the try line
    `traffic.` too."""
    lesson = builtin_lesson("anatomy")
    app = make_app("anatomy", lessons=[lesson])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        bench = workbench(app)
        intro = screen.query_one("#intro")
        await press(pilot, "f2")
        await settle(pilot)
        assert app.focused is intro
        assert bench.narrow and not bench.query_one("#yaml").display  # the step's tab
        scrolls = []
        for index in range(len(lesson.steps)):
            assert screen.index == index
            scrolls.append(intro.max_scroll_y)
            if index == 4:
                check = drawn(screen.query_one("#step-check"))
                tried = drawn(screen.query_one("#step-try"))
            await press(pilot, "ctrl+n")
            await settle(pilot)
        late = steps_that_scroll(len(lesson.steps), scrolls)
        assert len(late) <= 1, f"steps that need scrolling at 80x24: {late} ({scrolls})"
        assert app.focused is intro  # still reading: ctrl+n kept the tab
    assert check[0].startswith("○ To do: ") and check[1].startswith("  now: "), check
    assert len(check) >= 3, check  # the "now:" line wraps at this width
    assert all(row.startswith(" " * 7) and row[7] != " " for row in check[2:]), check
    assert "my-app-3); the goal is 0." in check[-1]
    assert tried[0].startswith("Try this: ") and len(tried) >= 2, tried
    assert all(row.startswith(" " * 10) and row[10] != " " for row in tried[1:-1]), tried


async def test_f2_toggles_the_reading_layout_and_the_editor_ends_it(
    make_app: Any, data_dir: Path
) -> None:
    app = make_app("basics")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        bench = workbench(app)
        yaml, intro = bench.query_one("#yaml"), bench.query_one("#intro")
        assert app.focused is bench.editor and yaml.display and not bench.reading
        await press(pilot, "f2")
        await settle(pilot)
        assert bench.reading and bench.has_class("-reading") and app.focused is intro
        assert yaml.size.height > 5 and intro.max_scroll_y == 0  # a short step: both show
        await press(pilot, "f2")  # again: back to the editor
        await settle(pilot)
        assert not bench.reading and yaml.display and app.focused is bench.editor
        await press(pilot, "f2", "f4")  # reading while in the routing view: still reading
        await settle(pilot)
        assert bench.reading and app.focused is bench.routing
        await press(pilot, "f2")  # back in the step: F2 focuses it, it does not leave
        await settle(pilot)
        assert bench.reading and app.focused is intro
        await press(pilot, "f3")
        await settle(pilot)
        assert not bench.reading and yaml.display and app.focused is bench.editor
        await press(pilot, "f2")
        await settle(pilot)
        bench.editor.focus()  # a click, the console's `edit`: the editor is never focused unseen
        await settle(pilot)
        assert not bench.reading and yaml.display and bench.editor.size.height > 5


async def test_the_footer_names_f2_as_the_tab_does(make_app: Any, data_dir: Path) -> None:
    """In a lesson (F2 Step), then in a challenge of it (F2 Task)."""
    app = make_app("basics")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for challenge in (False, True):
            if challenge:
                await open_challenge(pilot)
            tab = str(workbench(app).query_one("#tab-intro", Tab).label)
            assert tab == ("F2 Task" if challenge else "F2 Step")
            footer = str(app.screen.query_one(KeyFooter).render().plain)
            assert "f2 " + tab[3:] in footer, footer
