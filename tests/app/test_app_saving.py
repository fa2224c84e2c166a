"""What a lesson writes while the learner works: only what changed, never from the UI thread
while they type (the file is written from a thread, atomically)."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from testkit import press, settle, until

from tutor.app.screens.lesson import cluster_key, step_key
from tutor.app.widgets.editor import YamlEditor
from tutor.app.widgets.routing import RoutingView
from tutor.course.progress import ProgressStore


def on_disk(data_dir: Path) -> dict[str, Any]:
    path = data_dir / "progress.json"
    if not path.is_file():
        return {}
    edits: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")).get("edits", {})
    return edits.get("basics", {})


async def test_typing_after_a_cluster_change_writes_nothing_on_the_ui_thread_nor_waits(
    make_app: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every analysis saved the step's cluster changes, serializing the whole progress file on
    the UI thread per keystroke (and writing it there, fsync included, when a thread had not
    yet written the last pause's text).

    Then, in the same lesson: a thread writing the progress file holds the store's lock (a
    1 MB edit: 45 ms, fsync included); a keystroke that changes no progress must not wait for
    it (every analysis took that lock to compare the step's cluster changes). (Was a test of
    its own on the same lesson and size, the same cluster change first.)"""
    from tutor.app.widgets import workbench
    from tutor.app.widgets.workbench import Workbench

    on_ui_thread: list[str] = []
    dumps = ProgressStore.dumps

    def spy(self: ProgressStore) -> str:
        if threading.current_thread() is threading.main_thread():
            on_ui_thread.append("dumps")
        return dumps(self)

    monkeypatch.setattr(ProgressStore, "dumps", spy)
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one(RoutingView).focus()
        await settle(pilot)
        on_ui_thread.clear()
        await press(pilot, "r")  # the first Pod (selected on focus) is not Ready now
        await settle(pilot)
        await until(pilot, lambda: cluster_key(0) in on_disk(data_dir))
        editor = app.screen.query_one(YamlEditor)
        editor.focus()
        editor.cursor_location = (0, 0)
        await press(pilot, *"# typed\n")
        await settle(pilot)
        assert on_ui_thread == [], "serialized on the UI thread while typing"
        await until(pilot, lambda: "# typed" in on_disk(data_dir).get(step_key(0), ""))
        assert on_ui_thread == [], "serialized on the UI thread when the typing paused"
        assert cluster_key(0) in on_disk(data_dir)

        # a keystroke while a write holds the store's lock (the step has cluster changes)
        monkeypatch.setattr(workbench, "SAVE_DELAY", 60.0)  # no save of the text meanwhile
        monkeypatch.setattr(workbench, "SAVE_MAX_WAIT", 60.0)
        holding, release = threading.Event(), threading.Event()
        released_by_test: list[bool] = []

        def slow_write() -> None:
            with app.progress._lock:
                holding.set()
                released_by_test.append(release.wait(10))

        writer = threading.Thread(target=slow_write)
        writer.start()
        holding.wait(5)
        try:
            await press(pilot, "#")
            bench = app.screen.query_one(Workbench)
            await until(
                pilot, lambda: bench.analysis is not None and bench.analysis.text == editor.text
            )
            for _ in range(3):
                await pilot.pause()
        finally:
            release.set()
            writer.join()
        assert released_by_test == [True], "the keystroke waited for the write"
