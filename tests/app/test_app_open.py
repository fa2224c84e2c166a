"""Opening a lesson pays less: the editor it shows was made while the learner read the list
(compiling the highlighter's query for a new editor took ~11 ms), and the pane tabs only a
narrow terminal shows are not mounted on a wide one (test_app_pilot's
test_a_wide_terminal_made_narrow_gets_the_tabs). What the learner sees and can do with
the editor is the same as with an editor made on the spot."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from testkit import press, settle, until

from tutor.app.screens.lesson_list import LessonListScreen
from tutor.app.widgets.editor import YamlEditor


def painted(editor: YamlEditor) -> list[list[Segment]]:
    return [list(editor.render_line(y)) for y in range(editor.size.height)]


async def open_first_lesson(app: Any, pilot: Any, spare: bool) -> YamlEditor:
    await settle(pilot)
    if spare:
        await until(pilot, lambda: app._spare_editor is not None)
    made = app._spare_editor
    await press(pilot, "enter")
    await settle(pilot)
    editor: YamlEditor = app.screen.query_one(YamlEditor)
    assert (editor is made) == spare
    return editor


async def the_next_lesson_opens_in_a_new_spare(app: Any, pilot: Any, first: YamlEditor) -> None:
    await press(pilot, "escape", "escape")  # out of the editor, then out of the lesson
    await settle(pilot)
    assert isinstance(app.screen, LessonListScreen)
    await until(pilot, lambda: app._spare_editor is not None)
    assert app._spare_editor is not first, "the list made a new spare"
    second = await open_first_lesson(app, pilot, spare=True)
    assert second is not first and second.text == first.text, "the next lesson opens in it"


async def test_a_lesson_opens_in_the_spare_editor_as_in_a_new_one_and_the_list_makes_the_next(
    make_app: Any,
) -> None:
    """The same lesson opened in the spare editor and in one made on the spot: the same text,
    selection, line ends and painted lines, before and after typing, and undo stops at the
    lesson's text. Then (the spare's app only) back in the list, a new spare is made for the
    next lesson, which opens in it with the same text."""
    seen: list[Any] = []
    for spare in (True, False):
        app = make_app(warm_up=spare)  # without the warm-up no spare is made: a new editor
        async with app.run_test(size=(120, 40)) as pilot:
            editor = await open_first_lesson(app, pilot, spare)
            start = editor.text
            state = (start, editor.selection, editor.document.newline, painted(editor))
            await press(pilot, "x", "y")
            await settle(pilot)
            typed = (editor.text, painted(editor), app.screen.query_one("#summary").render())
            await press(pilot, "ctrl+z", "ctrl+z", "ctrl+z")
            await settle(pilot)
            assert editor.text == start, "nothing before the lesson's text to undo"
            seen.append((state, typed))
            if spare:
                await the_next_lesson_opens_in_a_new_spare(app, pilot, editor)
    assert seen[0] == seen[1], "the spare editor shows and does what a new one does"


def test_a_text_the_spare_cannot_take_gets_a_new_editor() -> None:
    """Windows line ends (a new document keeps them) and a text too deep to highlight.
    (`YamlEditor.create` needs no running app.)"""
    for text in ("a: 1\r\nb: 2\r\n", "- " * 250 + "x\n"):
        spare = YamlEditor.create("")
        editor = YamlEditor.create(text, spare=spare)
        assert editor is not spare
        assert editor.text == text
    spare = YamlEditor.create("")
    assert YamlEditor.create("a: 1\n", id="editor", spare=spare) is spare
    assert YamlEditor.create("a: 1\n", spare=spare) is not spare  # taken already


async def test_opening_a_lesson_writes_progress_from_a_thread(
    make_app: Any, data_dir: Any, monkeypatch: Any
) -> None:
    """Where to continue is written from a thread: the file's fsync (3-8 ms) held up the
    lesson's first frame whenever the learner opened another lesson."""
    import json
    import threading

    from tutor.course.progress import ProgressStore

    writers: list[bool] = []
    save = ProgressStore.save

    def noting_save(self: ProgressStore) -> None:
        before = self._last_written
        save(self)
        if self._last_written != before:
            writers.append(threading.current_thread() is threading.main_thread())

    monkeypatch.setattr(ProgressStore, "save", noting_save)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        writers.clear()
        await press(pilot, "down", "enter")  # the second lesson
        await settle(pilot)
        await until(pilot, lambda: bool(writers))
        assert not any(writers)  # none from the UI thread
        saved = json.loads((data_dir / "progress.json").read_text())
        assert saved["current"] == app.screen.lesson.id
