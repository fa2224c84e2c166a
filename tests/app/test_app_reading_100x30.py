"""At 100x30 a step reads whole in the reading layout (F2), without PageDown: every step of
lesson 1, and the steps the learner walk found longer than the column (lesson 9's NodePort and
LoadBalancer options, lesson 14's symptoms: 4 to 11 rows more, tightened in the lesson text).
Lesson 1 step 1 scrolled one row: its nav row wrapped "step 1 of 9 · From Docker to a Service"
onto a second row for want of one column between the buttons (their min-width kept two blank
columns each beside "◀ Prev" and "Next ▶"). At 80x24 (the tabs of a small terminal) lesson 1
step 1 hid its last line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from testkit import builtin_lesson, press, settle

from tutor.app.screens.lesson import LessonScreen


async def test_every_step_of_lesson_1_reads_whole_at_100x30(make_app: Any, data_dir: Path) -> None:
    lesson = builtin_lesson("anatomy")
    app = make_app("anatomy", lessons=[lesson])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        assert screen.query_one("#intro").max_scroll_y == 0  # step 1 whole at 80x24 too
        await pilot.resize_terminal(100, 30)
        await press(pilot, "f2")
        await settle(pilot)
        assert screen.query_one("#step-nav").size.height == 1  # the name fits beside the buttons
        scrolls = []
        for _ in lesson.steps:
            scrolls.append(screen.query_one("#intro").max_scroll_y)
            await press(pilot, "ctrl+n")
            await settle(pilot)
        assert scrolls == [0] * len(lesson.steps), scrolls


@pytest.mark.parametrize(
    ("lesson_id", "steps"),
    [("service-types", (2, 4)), ("troubleshooting", (1,))],
)
async def test_long_steps_read_whole_at_100x30(
    make_app: Any, data_dir: Path, lesson_id: str, steps: tuple[int, ...]
) -> None:
    """Each of `steps` (1-based, as `--step`), from the first one on with ctrl+n."""
    app = make_app(lesson_id, step=steps[0], lessons=[builtin_lesson(lesson_id)])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        await press(pilot, "f2")
        scrolls = {}
        for step in range(steps[0], steps[-1] + 1):
            if step in steps:
                scrolls[step] = screen.query_one("#intro").max_scroll_y
            await press(pilot, "ctrl+n")
        assert scrolls == dict.fromkeys(steps, 0), scrolls
