"""SVG snapshots of the lesson list and the lesson screen at 80x24 and 120x40.

Update after an intended change with `pytest tests/app --snapshot-update` and review the diff.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from testkit import press, settle, until
from textual.pilot import Pilot

from tutor.course.lesson import Lesson


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_lesson_list_snapshot(snap_compare: Any, make_app: Any, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_lesson_screen_snapshot(
    snap_compare: Any, make_app: Any, lesson: Lesson, data_dir: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app("basics"), terminal_size=size, run_before=settle)


def test_broken_yaml_snapshot(
    snap_compare: Any, make_app: Any, lesson: Lesson, data_dir: Path, monkeypatch: Any
) -> None:
    """A key that breaks the YAML: the error list under the editor, the note above the
    routing view, the last good picture (dimmed at once here: the app waits a moment)."""
    from tutor.app.widgets import workbench
    from tutor.app.widgets.editor import YamlEditor
    from tutor.app.widgets.routing import RoutingView

    monkeypatch.setattr(workbench, "DIM_AFTER", 0.01)

    async def break_it(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        editor = pilot.app.screen.query_one(YamlEditor)
        editor.focus()
        editor.cursor_location = (0, 0)
        await press(pilot, "Q")
        view = pilot.app.screen.query_one(RoutingView)
        await until(pilot, lambda: view.has_class("-stale"))
        await settle(pilot)

    assert snap_compare(make_app("basics"), terminal_size=(120, 40), run_before=break_it)
