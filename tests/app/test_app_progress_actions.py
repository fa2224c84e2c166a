"""Skip a lesson, reset a lesson, reset everything: from the command palette, with a question
first where work would be lost. The wiring of each command, on the fixture lesson (what the
store does for each is tested in tests/course/test_course_progress.py: test_status,
test_resets)."""

from __future__ import annotations

from typing import Any

from testkit import Notices, press, settle, type_fast
from textual.pilot import Pilot
from textual.widgets import OptionList

from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.lesson_list import LessonListScreen
from tutor.app.widgets.editor import YamlEditor


async def palette(pilot: Pilot[Any], command: str) -> None:
    await press(pilot, "ctrl+p")
    await settle(pilot)
    await type_fast(pilot, *command)  # each key alone started a search of every command
    await press(pilot, "enter")
    await settle(pilot)


def list_text(app: Any) -> str:
    options = app.screen.query_one("#lessons", OptionList)
    return "\n".join(
        str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
    )


async def test_skip_reset_lesson_and_reset_all(make_app: Any) -> None:
    app = make_app("basics")
    steps = len(app.lesson("basics").steps)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        await press(pilot, "ctrl+n", "ctrl+n")
        await settle(pilot)
        editor = app.screen.query_one(YamlEditor)
        editor.insert("# my note\n", (0, 0))
        await settle(pilot)

        await palette(pilot, "Reset this lesson")
        await press(pilot, "n")  # the question comes first; no keeps everything
        await settle(pilot)
        assert app.screen.index == 2  # type: ignore[attr-defined]
        await palette(pilot, "Reset this lesson")
        await press(pilot, "y")
        await settle(pilot)
        assert app.screen.index == 0  # type: ignore[attr-defined]
        assert "# my note" not in app.screen.query_one(YamlEditor).text
        assert app.progress.lesson("basics").step == 0

        await palette(pilot, "Skip this lesson")
        assert isinstance(app.screen, LessonListScreen)
        assert app.progress.status("basics", steps) == "skipped"
        assert "↷ skipped" in list_text(app)

        await palette(pilot, "Reset all progress")
        await press(pilot, "y")
        await settle(pilot)
        assert isinstance(app.screen, LessonListScreen)
        assert app.progress.status("basics", steps) == "new"
        assert "skipped" not in list_text(app)


async def test_finishing_a_lesson_names_the_tries_not_done(make_app: Any) -> None:
    """ctrl+n through every step and Finish said "Well done" and nothing else, with every try
    undone (walked in tmux: lesson 2 finished with 4 checks unmet). The lesson still ends
    (the learner chose to), and the notice says which steps still have a try."""
    app = make_app("basics")
    seen = Notices(app)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        steps = screen.lesson.steps
        assert steps[0].check is not None and all(s.check is None for s in steps[1:])
        await press(pilot, *["ctrl+n"] * len(steps))
        assert seen[-1].title == "End of the lesson", seen
        assert "Step 1 has a try you have not done yet" in seen[-1].message, seen[-1]
        await press(pilot, *["ctrl+b"] * (len(steps) - 1))
        editor = screen.query_one(YamlEditor)
        editor.load_text(editor.text.replace("app: web\n", "app: api\n", 1))
        await settle(pilot)
        await press(pilot, *["ctrl+n"] * len(steps))
        assert seen[-1].title == "Well done", seen
        assert "have not done" not in seen[-1].message, seen[-1]
