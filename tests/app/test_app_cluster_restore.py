"""The learner's cluster changes (a deleted Pod, a not-Ready one) belong to the step they were
made in: they are saved with the step's YAML and come back after a restart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from testkit import press, settle

from tutor.app.screens.lesson import LessonScreen, cluster_key
from tutor.app.widgets.routing import RoutingView
from tutor.app.widgets.workbench import Workbench
from tutor.course.progress import ProgressStore


def pods(app: Any) -> dict[str, str]:
    """Pod name -> its Ready condition, as the routing view shows them now."""
    analysis = app.screen.query_one(Workbench).shown_analysis
    assert analysis is not None
    return {p.name: p.ready_condition for p in analysis.cluster.pods}


async def test_cluster_changes_survive_a_restart_per_step(make_app: Any, data_dir: Path) -> None:
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(RoutingView)
        view.focus()
        await settle(pilot)
        assert app.focused is view
        await press(pilot, "r")  # web-1 (focus selects the first Pod) not Ready
        await settle(pilot)
        await press(pilot, "down", "down", "d")  # delete api-1 (a bare Pod: gone)
        await settle(pilot)
        assert pods(app) == {"web-1": "False", "web-2": "True"}
        await press(pilot, "ctrl+n")  # step 2 starts from the manifest's own Pods
        await settle(pilot)
        assert pods(app) == {"web-1": "True", "web-2": "True", "api-1": "True"}
        await press(pilot, "ctrl+b")  # back to step 1: its changes are still there
        await settle(pilot)
        assert pods(app) == {"web-1": "False", "web-2": "True"}
    saved = json.loads((data_dir / "progress.json").read_text(encoding="utf-8"))
    assert cluster_key(0) in json.dumps(saved), "written to disk, not only kept in memory"

    app2 = make_app("basics")
    async with app2.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app2.screen, LessonScreen) and app2.screen.index == 0
        assert pods(app2) == {"web-1": "False", "web-2": "True"}
        await press(pilot, "ctrl+r", "y")  # reset the step: the changes go too
        await settle(pilot)
        assert pods(app2) == {"web-1": "True", "web-2": "True", "api-1": "True"}

    # and not on disk either: a third start reads nothing for step 1 (app2 showed that a
    # start restores whatever the file keeps under that key)
    kept = ProgressStore.open(data_dir / "progress.json").saved_edit("basics", cluster_key(0))
    assert kept is None, "the reset changes stayed in the progress file"


async def test_damaged_saved_changes_are_ignored(make_app: Any, data_dir: Path) -> None:
    """A progress file whose step 1 keeps changes that are not JSON (written here through
    the store, as the app writes it): the lesson starts from the manifest's own Pods."""
    store = ProgressStore.open(data_dir / "progress.json")
    store.save_edit("basics", cluster_key(0), "{not json")
    store.save()
    assert "{not json" in (data_dir / "progress.json").read_text(encoding="utf-8")
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert pods(app) == {"web-1": "True", "web-2": "True", "api-1": "True"}
