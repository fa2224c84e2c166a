"""At 100x30 a step reads whole in the reading layout (F2), without PageDown: every step of
lessons 1, 9 and 14 (the learner walk found lesson 9's NodePort and LoadBalancer options and
lesson 14's symptoms 4 to 11 rows longer than the column: their text is tighter now).
Lesson 1 step 1 scrolled one row: its nav row wrapped "step 1 of 9 · From Docker to a Service"
onto a second row for want of one column between the buttons (their min-width kept two blank
columns each beside "◀ Prev" and "Next ▶"). At 80x24 (the tabs of a small terminal) lesson 1
step 1 hid its last line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from testkit import builtin_lesson, press, settle
from textual.pilot import Pilot

from tutor.app.screens.lesson import LessonScreen


async def step_scrolls(
    pilot: Pilot[Any], screen: LessonScreen, steps: int
) -> list[tuple[int, int]]:
    """How far each step's pane scrolls, and how many of its columns the text leaves free
    beside it (for a scroll bar: a text that fits was wrapped 2 columns narrower for the bar
    it did not need, and 1 row longer than the pane, measured at the full width), stepping
    with ctrl+n from the one shown."""
    scrolls = []
    for _ in range(steps):
        intro = screen.query_one("#intro")
        free = intro.size.width - screen.query_one("#step-text").size.width
        scrolls.append((intro.max_scroll_y, free))
        await press(pilot, "ctrl+n")
        # the next step's Markdown lands after a quiet turn: read before it, the pane still
        # held the previous step's text height (1 to 5 rows "too long" now and then)
        await settle(pilot)
    return scrolls


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
        scrolls = await step_scrolls(pilot, screen, len(lesson.steps))
        assert scrolls == [(0, 0)] * len(lesson.steps), scrolls


@pytest.mark.parametrize(
    "lesson_id",
    [
        "service-types",
        "troubleshooting",
        "dns",
        "dual-stack",
        "labels-selectors",
        "deployments",
        "topology",
        "health",
        "one-request",
        "kube-proxy",
        "endpointslices",
        "ports",
        "multi-port",
    ],
)
async def test_every_step_of_these_lessons_reads_whole_at_100x30(
    make_app: Any, data_dir: Path, lesson_id: str
) -> None:
    """The learner walk found lesson 9's NodePort and LoadBalancer options and lesson 14's
    symptoms 4 to 11 rows longer than the column; five more steps of the two were 1 to 5.
    Lesson 11's search path was 14 rows too long (its name wrapped the nav row), its Pod
    names 6; lesson 13's ipFamilies step 1, lesson 4's 'Case matters' 1 and quoted values 2,
    six steps of lesson 3 1 to 3 (three names wrapped the nav row), lesson 10's
    PreferSameZone and PreferSameNode 2 and 3, its failure-mode table 9; lesson 8's
    terminating Pods 9 and the Ready condition 2, rolling updates and
    publishNotReadyAddresses 1."""
    lesson = builtin_lesson(lesson_id)
    app = make_app(lesson_id, lessons=[lesson])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        await press(pilot, "f2")
        scrolls = await step_scrolls(pilot, screen, len(lesson.steps))
        assert scrolls == [(0, 0)] * len(lesson.steps), scrolls
