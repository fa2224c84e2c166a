"""`ktutor`'s start: what the first frame costs (#10: at most 1.3x a minimal Textual app).

The first frame (the lesson list) must not pay for what only a lesson needs (the model, the lab,
the editor, Markdown, YAML, the loader), and the collector `ktutor` pauses for the start must run
again once the list is on screen.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from testkit import builtin_lessons, settle

from tutor import settings
from tutor.app.app import TutorApp
from tutor.commands import tui
from tutor.course.lesson import LessonSet

ROOT = Path(__file__).resolve().parents[2]

FIRST_FRAME = """
import json, sys
from textual.screen import Screen
from textual.widgets import OptionList
from tutor.cli import main

refresh = Screen._compositor_refresh

def first_frame(self):
    refresh(self)
    lessons = self.query("#lessons")
    if lessons and lessons.first(OptionList).option_count > 1:
        Screen._compositor_refresh = refresh
        print(json.dumps(sorted(sys.modules)), flush=True)
        self.app.exit()

Screen._compositor_refresh = first_frame
main([])
"""

LATER = (
    "tutor.course.lesson",
    "tutor.model.analysis",
    "tutor.lab",
    "tutor.course.loader",
    "tutor.app.screens.lesson",
    "tutor.app.widgets.workbench",
    "tutor.app.widgets.editor",
    "jsonschema",
    "yaml",
    "tree_sitter",
    "markdown_it",
    "pygments",
)
"""Modules the lesson list does not need: imported by the warm-up after the first frame, or
when a lesson opens."""


def _modules_at_first_frame(data_dir: Path) -> list[str]:
    """The modules loaded when `ktutor` has drawn its lesson list, on a start that finds the
    lesson cache (written here from the lessons read once per process, as the first start
    writes it: test_app_chrome's second-start test checks that one)."""
    from tutor.course import lesson_cache

    lesson_cache.write(LessonSet(list(builtin_lessons())), lesson_cache.fingerprint([]), data_dir)
    env = dict(
        os.environ,
        KTUTOR_DATA_DIR=str(data_dir),
        # no terminal here: the tutor starts for a web driver only (textual-serve's way)
        TEXTUAL_DRIVER="textual.drivers.headless_driver:HeadlessDriver",
        PYTHONPATH=str(ROOT),
    )
    env.pop(settings.SERVE, None)
    env.pop(settings.LESSONS, None)  # the built-in lessons alone, as the cache holds
    proc = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("["))
    modules: list[str] = json.loads(line)
    return modules


def test_the_first_frame_imports_nothing_a_lesson_needs(tmp_path: Path) -> None:
    modules = _modules_at_first_frame(tmp_path)
    assert "tutor.app.screens.lesson_list" in modules  # the probe saw the list
    early = [m for m in modules if any(m == p or m.startswith(p + ".") for p in LATER)]
    assert early == []
    assert "argparse" not in modules  # `ktutor` alone parses nothing
    assert "hashlib" not in modules  # only a learner's name needs it


def test_ktutor_pauses_the_collector_for_its_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.SERVE, raising=False)
    try:
        tui._pause_collector()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_served_tab_keeps_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    """A served tab may wait minutes for a name before its list: no pause there."""
    monkeypatch.setenv(settings.SERVE, "1")
    try:
        tui._pause_collector()
        assert gc.isenabled()
    finally:
        gc.enable()


async def test_the_app_turns_the_collector_on_after_its_first_frame(data_dir: Path) -> None:
    """(On the fixture lessons: `_start` turns it on whatever the lessons' source.)"""
    from app.conftest import make_lesson

    app = TutorApp(data_dir=data_dir, lessons=[make_lesson()])
    app.warm_up = False
    gc.disable()  # as `ktutor` leaves it for the start
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert app.started
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_cached_lessons_are_built_after_the_first_frame(data_dir: Path) -> None:
    """The list comes from the cache's headings; the lessons are built right after it, the
    same as the loader's."""
    from tutor.course import lesson_cache

    found = LessonSet(list(builtin_lessons()))  # what load_lessons() gives here, read once
    lesson_cache.write(found, lesson_cache.fingerprint([]), data_dir)
    app = TutorApp(data_dir=data_dir)
    app.warm_up = False
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.started and not app.loading
        assert app._kept is None  # built after the first frame, without being asked
        assert app._lessons == found.lessons


async def test_a_cache_that_cannot_be_built_means_the_files_are_read(data_dir: Path) -> None:
    from tutor.course import lesson_cache

    found = LessonSet(list(builtin_lessons()))  # what load_lessons() gives here, read once
    lesson_cache.write(found, lesson_cache.fingerprint([]), data_dir)
    path = lesson_cache.cache_file(data_dir)
    raw = json.loads(path.read_text(encoding="utf-8"))
    del raw["lessons"][0]["steps"][0]["text"]  # the list does not show it: the build fails
    path.write_text(json.dumps(raw), encoding="utf-8")
    app = TutorApp(data_dir=data_dir)
    app.warm_up = False
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert [le.id for le in app.lessons] == [le.id for le in found.lessons]
        assert app.lessons == found.lessons
        assert app.lesson(found.lessons[0].id) == found.lessons[0]
