"""At 100x30 every step of lesson 1 reads whole in the reading layout (F2), without PageDown.
Step 1 scrolled one row: its nav row wrapped "step 1 of 9 · From Docker to a Service" onto a
second row for want of one column between the buttons (their min-width kept two blank columns
each beside "◀ Prev" and "Next ▶")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from testkit import builtin_lesson, press, settle

from tutor.app.screens.lesson import LessonScreen


async def test_every_step_of_lesson_1_reads_whole_at_100x30(make_app: Any, data_dir: Path) -> None:
    lesson = builtin_lesson("anatomy")
    app = make_app("anatomy", lessons=[lesson])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        await press(pilot, "f2")
        await settle(pilot)
        assert screen.query_one("#step-nav").size.height == 1  # the name fits beside the buttons
        scrolls = []
        for _ in lesson.steps:
            scrolls.append(screen.query_one("#intro").max_scroll_y)
            await press(pilot, "ctrl+n")
            await settle(pilot)
        assert scrolls == [0] * len(lesson.steps), scrolls
