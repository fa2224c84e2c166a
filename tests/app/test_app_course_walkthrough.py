"""A Course 2.0 lesson end to end with keys alone, as test_app_course_end_to_end does for lesson
1: the steps typed through together (ctrl+n queued at once), one step's "try this" typed in the
editor, meeting its check, the lesson marked done, a debugging challenge failed as given, fixed
with a one-line edit, still not passed until the evidence is looked at in the console (F8, a
command typed there), then passed, and one Escape from the console back to the list (the quiz
is answered with keys in lesson 1's walk).

This walked six lessons with the same keys; what differed between them was the lessons'
content (which edit meets which check or goal), now tests/lab/test_session_lesson_edits
(through the same LabSession). The troubleshooting lesson's walk stays: its challenge alone
needs the console, and leaves it with one Escape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lab.test_session_lesson_edits import WALKS, Edit
from testkit import builtin_app, builtin_lesson, press, settle, type_fast
from textual.pilot import Pilot

from tutor.app.screens.lesson import LessonScreen
from tutor.app.widgets.editor import YamlEditor

WALK = next(walk for walk in WALKS if walk.console)


async def edit_line(pilot: Pilot[Any], editor: YamlEditor, edit: Edit) -> None:
    """Go to the line with the keyboard, erase `old` at its end, type `new` (as fast typing:
    what each key does alone is test_app_pilot's and the editor tests' business)."""
    lines = editor.text.splitlines()
    line = [i for i, text in enumerate(lines) if text.endswith(edit.old)][edit.nth]
    editor.focus()
    await type_fast(pilot, "ctrl+home", *["down"] * line, "end", *["backspace"] * len(edit.old))
    await type_fast(pilot, *edit.new)


@pytest.fixture(autouse=True)
def only_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KTUTOR_LESSONS", raising=False)
    monkeypatch.delenv("KTUTOR_SERVE", raising=False)


async def test_a_debugging_lesson_with_keys_alone(tmp_path: Path) -> None:
    from tutor.app.screens.practice import ChallengeScreen, PracticeScreen

    walk = WALK
    lesson = builtin_lesson(walk.lesson)  # the app reads the files itself, as it starts
    tried = next(i for i, s in enumerate(lesson.steps) if s.title == walk.step)
    assert lesson.steps[tried].check is not None
    app = builtin_app(walk.lesson, data_dir=tmp_path)  # test_app_course_end_to_end's is warm
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        await type_fast(pilot, *["ctrl+n"] * tried)  # the keys together, then one wait: fast
        assert app.screen.index == tried  # type: ignore[attr-defined]
        editor = app.screen.query_one(YamlEditor)
        assert tried not in app.progress.lesson(walk.lesson).steps_done
        await edit_line(pilot, editor, walk.step_edit)
        assert tried in app.progress.lesson(walk.lesson).steps_done
        editor.blur()
        await type_fast(pilot, *["ctrl+n"] * (len(lesson.steps) - tried))
        assert app.progress.lesson(walk.lesson).done

        await press(pilot, "ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen)
        index = [c.id for c in lesson.challenges].index(walk.challenge)
        await press(pilot, *["down"] * index, "enter")
        await settle(pilot)
        challenge = app.screen
        assert isinstance(challenge, ChallengeScreen)
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert challenge.last is not None and not challenge.last.met
        await edit_line(pilot, challenge.query_one(YamlEditor), walk.fix)
        # the fix alone is not enough: the evidence was never looked at
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert challenge.last is not None and not challenge.last.met
        assert f"`{walk.console}`" in challenge.last.detail
        await press(pilot, "f8")
        await settle(pilot)
        await type_fast(pilot, *walk.console, "enter")  # a key at a time: test_app_console
        await settle(pilot)
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert challenge.last is not None and challenge.last.met, challenge.last
        assert walk.challenge in app.progress.lesson(walk.lesson).challenges_solved

        await press(pilot, "escape")  # from the console's line, one Escape leaves the challenge
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen)
