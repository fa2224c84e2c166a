"""A first start: the lesson files are read in the background while the list says so."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from testkit import builtin_lessons, settle
from textual.widgets import OptionList

from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.lesson_list import LessonListScreen
from tutor.course.lesson import LessonSet


async def test_enter_pressed_while_loading_opens_the_first_lesson_once_loaded(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#15 item 8: an Enter pressed while the list said "Loading lessons…" was dropped."""
    from tutor.app.app import TutorApp

    release = threading.Event()

    def slow_read(self: TutorApp) -> LessonSet:
        release.wait(30)  # the files are "read" only once the test has pressed Enter
        return LessonSet(list(builtin_lessons()))  # what reading them gives, read once

    monkeypatch.setattr(TutorApp, "_read_lesson_files", slow_read)
    app = TutorApp(data_dir=data_dir)
    app.cursor_blink = False
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            await pilot.pause()
            assert app.loading
            listed = app.screen.query_one("#lessons", OptionList)
            assert "Loading lessons" in str(listed.get_option_at_index(0).prompt)
            await pilot.press("enter")  # not testkit.press: that waits for the loading worker
            await pilot.pause()
            assert isinstance(app.screen, LessonListScreen)
        finally:
            release.set()
        await settle(pilot)
        assert not app.loading
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.id == app.lessons[0].id
