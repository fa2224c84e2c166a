"""The real lesson 1, end to end with keys alone: every step, one step check met by typing, the
lesson marked done, a challenge fixed in the editor and checked, and the quiz answered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from testkit import builtin_lesson, press, settle, type_fast
from textual.pilot import Pilot
from textual.widgets import OptionList

from tutor.app.app import TutorApp
from tutor.app.screens.lesson import LessonScreen
from tutor.app.widgets.editor import YamlEditor
from tutor.course.progress import ProgressStore


async def replace_on_line(
    pilot: Pilot[Any], editor: YamlEditor, line: int, old: str, new: str
) -> None:
    """Move to the end of `line` (1-based) with the keyboard, erase `old`, type `new` (as fast
    typing)."""
    assert editor.text.splitlines()[line - 1].endswith(old)
    editor.focus()
    await type_fast(pilot, "ctrl+home", *["down"] * (line - 1), "end", *["backspace"] * len(old))
    await type_fast(pilot, *new)


@pytest.fixture(autouse=True)
def only_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KTUTOR_LESSONS", raising=False)
    monkeypatch.delenv("KTUTOR_SERVE", raising=False)


async def test_lesson_one_and_a_challenge_with_keys_alone(tmp_path: Path) -> None:
    from tutor.app.screens.practice import ChallengeScreen, PracticeScreen
    from tutor.app.screens.quiz import QuizScreen

    lesson = builtin_lesson("anatomy")  # the app reads the files itself, as it starts
    name_step = next(i for i, s in enumerate(lesson.steps) if s.path == "metadata.name")
    app = TutorApp("anatomy", data_dir=tmp_path)
    app.cursor_blink = False  # type: ignore[attr-defined]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        for i in range(len(lesson.steps)):
            assert app.screen.index == i  # type: ignore[attr-defined]
            if i == name_step:  # the step's "try this": rename the Service and see it refused
                editor = app.screen.query_one(YamlEditor)
                await replace_on_line(pilot, editor, 4, "my-service", "MyService")
                progress = app.progress.lesson("anatomy")
                assert name_step in progress.steps_done
                editor.blur()
            await press(pilot, "ctrl+n")
            await settle(pilot)
        assert app.progress.lesson("anatomy").done

        await press(pilot, "ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen)
        await press(pilot, "enter")  # the first challenge: fix the selector
        await settle(pilot)
        challenge = app.screen
        assert isinstance(challenge, ChallengeScreen)
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert challenge.last is not None and not challenge.last.met
        editor = challenge.query_one(YamlEditor)
        line = editor.text.splitlines().index("    app: myapp") + 1
        await replace_on_line(pilot, editor, line, "myapp", "my-app")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert challenge.last is not None and challenge.last.met, challenge.last
        assert "fix-the-selector" in app.progress.lesson("anatomy").challenges_solved

        await press(pilot, "escape", "escape")  # leave the editor, then the challenge
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen)
        options = app.screen.query_one("#practice", OptionList)
        options.focus()
        await press(pilot, "end", "enter")  # the quiz is the last entry
        await settle(pilot)
        assert isinstance(app.screen, QuizScreen)
        for q, question in enumerate(lesson.quiz):
            right = next(i for i, c in enumerate(question.choices) if c.correct)
            await press(pilot, "abcdefgh"[app.screen.order(q).index(right)])
            await settle(pilot)
            if q < len(lesson.quiz) - 1:
                await press(pilot, "n")
                await settle(pilot)
        answers = app.progress.lesson("anatomy").quiz
        assert answers == {
            q: next(i for i, c in enumerate(question.choices) if c.correct)
            for q, question in enumerate(lesson.quiz)
        }
    # and it is all still there for tomorrow
    again = ProgressStore.open(tmp_path / "progress.json").lesson("anatomy")
    assert again.done and "fix-the-selector" in again.challenges_solved
