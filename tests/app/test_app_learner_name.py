"""A served session (`ktutor serve`, one process per browser tab) asks who is learning before
anything else, and keeps each learner's progress in their own file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from app.conftest import make_lesson
from testkit import press, settle
from textual.widgets import Input

from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.lesson_list import LessonListScreen
from tutor.app.screens.name import NameScreen
from tutor.classroom import claims
from tutor.course.progress import ProgressStore, step_key


async def name_then_edit(make_app: Any, data_dir: Path, name: str, typed: str) -> Path:
    """Start a served app, answer the prompt with `name`, type `typed` into step 1's YAML,
    quit; returns the progress file the app used."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NameScreen), "the name prompt comes before the lessons"
        assert not (data_dir / "progress.json").exists()
        await press(pilot, "escape")  # no way around the prompt
        assert isinstance(app.screen, NameScreen)
        app.screen.query_one(Input).value = name
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LessonListScreen)
        assert app.learner == name
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        editor = app.screen.workbench.editor
        editor.focus()
        editor.cursor_location = (0, 0)
        await settle(pilot)
        assert app.focused is editor
        await press(pilot, *typed, "enter")
        await settle(pilot)
        assert editor.text.startswith(typed + "\n")
        assert "#bob" not in editor.text, "another learner's edit was opened"
        await press(pilot, "escape")
        await settle(pilot)
        path: Path = app.progress.path
    return path


async def test_served_app_asks_the_name_and_keeps_learners_apart(
    make_app: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bob has worked in the fixture lesson (his file written through the store); Ada, in a
    served tab, sees none of it and writes only her own file. (Two tabs typing in turn
    showed the same; the store keeps learners' files apart: tests/course's
    test_learners_never_share_a_file.)"""
    monkeypatch.setenv("KTUTOR_SERVE", "1")
    bob_store = ProgressStore.open(data_dir / "progress.json", learner="Bob")
    bob_store.save_edit("basics", step_key(0), "#bob\n" + make_lesson().step_manifest(0))
    bob_store.save()
    bob = bob_store.path
    bob_before = bob.read_bytes()
    ada = await name_then_edit(make_app, data_dir, "Ada", "#ada")
    assert ada != bob
    assert ada.parent == bob.parent == data_dir / "learners"
    assert not (data_dir / "progress.json").exists(), "nobody writes the shared default file"
    assert bob.read_bytes() == bob_before, "Ada's tab wrote Bob's file"
    ada_json = json.loads(ada.read_text(encoding="utf-8"))
    assert ada_json.get("learner") == "Ada"
    assert "#ada" in json.dumps(ada_json) and "#bob" not in json.dumps(ada_json)


async def test_unserved_app_asks_nothing(make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KTUTOR_SERVE", raising=False)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LessonListScreen)


async def test_submitting_the_name_twice_is_harmless(
    make_app: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second Enter that reaches the prompt while the first is handled (a busy server) used
    to raise ScreenStackError ("Can't pop screen") and end the learner's session."""
    monkeypatch.setenv("KTUTOR_SERVE", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NameScreen)
        field = screen.query_one(Input)
        field.value = "Dora"
        for _ in range(2):  # both queued before the first is handled
            field.post_message(Input.Submitted(field, field.value))
        await settle(pilot)
        assert isinstance(app.screen, LessonListScreen)
        assert app.learner == "Dora"
    assert app.return_code in (0, None)


async def test_nothing_but_a_name_gets_past_the_prompt_and_the_name_is_on_the_roster(
    make_app: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty name is refused. ctrl+p at the prompt opened the palette, whose "Lesson: ..."
    opened a lesson with no name, writing the server's shared progress.json (and it offered
    "Reset all progress"). The instructor sees a learner who has typed a name and nothing
    else yet. (Three tests of one served tab at 80x24 each.)"""
    from textual.command import CommandPalette

    from tutor.classroom.roster import roster

    monkeypatch.setenv("KTUTOR_SERVE", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, NameScreen), "an empty name was taken"
        assert app.learner is None
        await press(pilot, "ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, NameScreen)
        assert not CommandPalette.is_open(app), "the palette opened before the name"
        app.screen.query_one(Input).value = "Edsger"
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LessonListScreen)
        rows, _ = roster(data_dir, {})
        assert [(r.learner, r.current) for r in rows] == [("Edsger", None)], "not on the roster"
        await press(pilot, "ctrl+p")  # named: the palette is back
        await settle(pilot)
        assert CommandPalette.is_open(app), "no palette after the name"
    assert not (data_dir / "progress.json").exists()


async def test_a_name_in_use_in_another_tab_is_refused(
    make_app: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KTUTOR_SERVE", "1")
    first, second = make_app(), make_app()
    async with first.run_test(size=(80, 24)) as one, second.run_test(size=(80, 24)) as two:
        await settle(one)
        await settle(two)
        first.screen.query_one(Input).value = "Eve"
        await press(one, "enter")
        await settle(one)
        assert first.learner == "Eve"
        second.screen.query_one(Input).value = " Eve "
        await press(two, "enter")
        await settle(two)
        assert isinstance(second.screen, NameScreen) and second.learner is None
        error = str(second.screen.query_one("#name-error").render())
        assert "already in use in another open tab" in error
        second.screen.query_one(Input).value = "Eve 2"
        await press(two, "enter")
        await settle(two)
        assert second.learner == "Eve 2"
    # both tabs closed: the name is free again (a third tab's claim, as _claim_name makes it)
    again = claims.claim(ProgressStore.file_for(data_dir / "progress.json", "Eve"), "Eve")
    assert not isinstance(again, str), again
    again.release()


@pytest.mark.parametrize("served", [True, False])
async def test_a_served_tab_keeps_its_cursors_still(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, served: bool
) -> None:
    """A blinking cursor is a frame twice a second for as long as the tab is open: 100 learners
    sitting in a lesson kept a 2-core machine busy without typing (#14). In a browser tab
    neither the name prompt's nor the editor's cursor blinks; in a terminal both still do."""
    from tutor.app.app import TutorApp

    if served:
        monkeypatch.setenv("KTUTOR_SERVE", "1")
    app = TutorApp(data_dir=data_dir, lessons=[make_lesson()])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        if served:
            assert isinstance(app.screen, NameScreen)
            assert app.screen.query_one(Input).cursor_blink is False
            app.screen.query_one(Input).value = "Fay"
            await press(pilot, "enter")
            await settle(pilot)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        editor = app.screen.workbench.editor
        assert app.focused is editor
        assert editor.cursor_blink is not served
