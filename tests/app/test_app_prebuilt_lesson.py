"""A warm tutor of `ktutor serve` builds the first lesson's screen while it waits for its
learner (#14's start-up rush): a new learner who opens that lesson gets the prebuilt screen,
and sees and keeps exactly what a screen built on the spot would give them; anyone else (a
returning learner, another lesson, a narrow tab) gets a screen built as before, and the
prebuilt one is dropped."""

from __future__ import annotations

import functools
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from testkit import builtin_lessons, press, settle, until
from textual import events
from textual.widgets import Input, OptionList

from tutor.app.app import TutorApp
from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.lesson_list import LessonListScreen
from tutor.app.screens.name import NameScreen
from tutor.app.widgets.intro_pane import IntroMarkdown, IntroPane
from tutor.course.progress import ProgressStore, step_key

WIDE = (120, 40)


@functools.cache
def lesson_cache_bytes() -> bytes:
    """The built-in course's lesson cache (`tutor.course.lesson_cache`), as a tab that read the
    lesson files writes it for the next tabs: made once per process from `builtin_lessons`."""
    from tutor.course import lesson_cache
    from tutor.course.lesson import LessonSet

    with tempfile.TemporaryDirectory() as tmp:
        found = LessonSet(list(builtin_lessons()), [])
        assert lesson_cache.write(found, lesson_cache.fingerprint([]), tmp)
        return lesson_cache.cache_file(tmp).read_bytes()


def served_app(data_dir: Path, prebuild: bool, cached: bool = True) -> TutorApp:
    """A served tab's tutor on the built-in course, as `ktutor serve` starts it: a warm pool's
    tutor warms up and prebuilds (`prebuild`), any other tab does neither (fork_server sets
    both from settings.warm_tutor(); the fork did the warm-up's imports before). `cached`: the
    data folder holds the lesson cache, as it does for every tab but a new folder's first
    (which reads the lesson files: ~0.3 CPU s of schema checks per app), so the lessons come
    from the cache (test_nothing_is_written_for_anyone_before_the_name keeps the files' path)."""
    if cached:
        from tutor.course import lesson_cache

        path = lesson_cache.cache_file(data_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(lesson_cache_bytes())
    app = TutorApp(data_dir=data_dir)
    app.cursor_blink = False
    app.prebuild = prebuild
    app.warm_up = prebuild
    return app


async def wait_for_prompt(app: TutorApp, pilot: Any) -> None:
    """The name prompt is up and the warm-up and the prebuild, if any, are over."""
    await settle(pilot)
    if app.warm_up:
        await until(pilot, lambda: app._spare_editor is not None)
        await settle(pilot)
    assert isinstance(app.screen, NameScreen)


async def give_name(app: TutorApp, pilot: Any, name: str) -> None:
    app.screen.query_one(Input).value = name
    await press(pilot, "enter")
    await settle(pilot)
    assert isinstance(app.screen, LessonListScreen)


async def open_highlighted(app: TutorApp, pilot: Any) -> LessonScreen:
    await press(pilot, "enter")
    await settle(pilot)
    await pilot.pause(0.1)
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    return screen


def progress_json(app: TutorApp) -> dict[str, Any]:
    app.progress.save()
    data: dict[str, Any] = json.loads(app.progress.path.read_text(encoding="utf-8"))
    return data


@dataclass
class FirstLesson:
    """What a new learner's tab showed and kept."""

    listed: str  # the lesson list as drawn after the name (at the tab's first size only)
    list_kept: bool  # the list's options were the ones filled behind the prompt
    svg: str  # the lesson's screen as drawn
    saved: dict[str, Any]  # the progress file
    used: bool  # the prebuilt screen was the one opened
    text_widths: list[int]  # the widths the step's text was laid out at as the lesson opened
    bar_case: bool  # built with the step pane's scroll bar; here its text fits only without


async def first_lesson(
    data_dir: Path,
    prebuild: bool,
    size: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
    arrive: tuple[int, int] | None = None,
) -> FirstLesson:
    """Start a tab, (optionally) resize it as a browser does when it connects, give a name and
    open the highlighted lesson."""
    app = served_app(data_dir, prebuild)
    text_widths: list[int] = []
    async with app.run_test(size=size) as pilot:
        await wait_for_prompt(app, pilot)
        prebuilt = app._prebuilt
        assert (prebuilt is not None) == prebuild
        lessons = app.screen_stack[0].query_one("#lessons", OptionList)
        before = lessons.get_option_at_index(0) if lessons.option_count else None
        assert (before is not None and before.id == "lesson:anatomy") == prebuild
        if arrive is not None:
            await pilot.resize_terminal(*arrive)
            await settle(pilot)
        await give_name(app, pilot, "Ada")
        kept = before is not None and lessons.get_option_at_index(0) is before
        listed = app.export_screenshot() if arrive is None else ""
        built_with_bar = (
            prebuilt is not None and prebuilt.query_one(IntroPane).show_vertical_scrollbar
        )

        def laid_out(widget: IntroMarkdown, event: events.Resize) -> None:
            text_widths.append(event.size.width)

        monkeypatch.setattr(IntroMarkdown, "on_resize", laid_out, raising=False)
        screen = await open_highlighted(app, pilot)
        assert app.focused is screen.workbench.editor
        pane = screen.query_one(IntroPane)
        full, rows = pane.size.width, pane.scrollable_content_region.height
        beside_bar = full - pane.styles.scrollbar_size_vertical
        fits_only_without = (
            pane.get_content_height(pane.size, app.size, full)
            <= rows
            < pane.get_content_height(pane.size, app.size, beside_bar)
        )
        return FirstLesson(
            listed,
            kept,
            app.export_screenshot(),
            progress_json(app),
            screen is prebuilt,
            text_widths,
            built_with_bar and fits_only_without,
        )


@pytest.mark.parametrize(
    "arrive", [None, (150, 45), (100, 30), (220, 60)], ids=["same-size", "wider", "smaller", "big"]
)
async def test_a_new_learner_gets_the_prebuilt_screen_as_a_fresh_one(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, arrive: Any
) -> None:
    monkeypatch.setenv("KTUTOR_SERVE", "1")
    """A warm tutor also fills the lesson list as a new learner sees it while it waits; after a
    new learner's name it stays as it is (drawing it again was most of the name -> list
    time), and looks as a list filled after the name does (checked at the tab's first size:
    a resize redraws it anyway). At 150x45, lesson 1's first step (laid out beside a scroll
    bar at the prebuild's 120x40) fits its pane only without one: the adopted screen lays the
    text out once, at the full width, as a fresh screen does."""
    seen = []
    for prebuild in (False, True):
        folder = tmp_path / f"prebuild-{prebuild}"
        monkeypatch.setenv("KTUTOR_DATA_DIR", str(folder))
        seen.append(await first_lesson(folder, prebuild, WIDE, monkeypatch, arrive))
    fresh, warm = seen
    assert not fresh.used and warm.used, "the second tab opened its prebuilt screen"
    assert warm.svg == fresh.svg, "the prebuilt screen shows what a fresh one shows"
    assert warm.saved == fresh.saved, "and the learner's progress is written the same"
    assert warm.saved["current"] == "anatomy"
    if arrive == (150, 45):  # built with the step pane's bar (at 120x40), fits only without
        assert warm.bar_case, "150x45 is still a size where step 1 fits only without a bar"
        assert len(warm.text_widths) == 1, (
            f"laid out at {warm.text_widths}: the bar kept from the prebuild's size made the "
            "step's text wrap beside it first (LessonScreen.adopt starts it without)"
        )
    if arrive is None:
        assert warm.list_kept, "the list filled behind the prompt is kept after the name"
        assert warm.listed == fresh.listed, "and looks as a list filled after the name"


async def test_nothing_is_written_for_anyone_before_the_name(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The prebuilt screen reads and writes a blank store of its own: no progress file is
    opened or written while the tutor waits, and leaving it unopened writes nothing."""
    monkeypatch.setenv("KTUTOR_SERVE", "1")
    app = served_app(data_dir, prebuild=True, cached=False)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for_prompt(app, pilot)
        assert app._prebuilt is not None
        assert app._progress is None, "no learner's store is opened before the name"
        assert app.focused is app.screen.query_one(Input), "the prompt keeps the keys"
    assert not (data_dir / "progress.json").exists()
    assert not (data_dir / "learners").exists()


async def test_a_returning_learner_resumes_where_they_left_off(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lesson 1 already has progress (step 3, an edit in it): the list after the name is the
    learner's own (continue, in progress), and the lesson opens there, in a screen built for
    them; the prebuilt one is dropped."""
    monkeypatch.setenv("KTUTOR_SERVE", "1")
    path = ProgressStore.file_for(data_dir, "Bea")
    store = ProgressStore.open(data_dir, "Bea")
    store.set_step("anatomy", 2)
    store.save_edit("anatomy", step_key(2), "# Bea's own text\n")
    store.save()
    app = served_app(data_dir, prebuild=True)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for_prompt(app, pilot)
        prebuilt = app._prebuilt
        assert prebuilt is not None
        await give_name(app, pilot, "Bea")
        lessons = app.screen.query_one("#lessons", OptionList)
        assert lessons.get_option_at_index(0).id == "resume", "the learner's own list"
        assert "in progress" in str(lessons.get_option_at_index(1).prompt)
        screen = await open_highlighted(app, pilot)  # "Continue where you left off"
        assert screen is not prebuilt
        assert screen.index == 2
        assert screen.workbench.text == "# Bea's own text\n"
        assert not prebuilt.is_attached, "the dropped screen is removed"
        assert app._prebuilt is None
    assert path.exists()


async def test_another_lesson_first_drops_the_prebuilt_screen(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KTUTOR_SERVE", "1")
    app = served_app(data_dir, prebuild=True)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for_prompt(app, pilot)
        prebuilt = app._prebuilt
        assert prebuilt is not None
        await give_name(app, pilot, "Cy")
        await press(pilot, "down")
        screen = await open_highlighted(app, pilot)
        assert screen is not prebuilt and screen.lesson.id != "anatomy"
        assert not prebuilt.is_attached
        # dropped for good: lesson 1 opened later gets a screen of its own (open_lesson asks
        # _take_prebuilt, which has nothing to give)
        assert app._prebuilt is None


async def test_a_narrow_tab_gets_a_screen_built_for_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen was composed side by side; a tab narrower than that shows tabs instead."""
    monkeypatch.setenv("KTUTOR_SERVE", "1")
    app = served_app(data_dir, prebuild=True)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for_prompt(app, pilot)
        prebuilt = app._prebuilt
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        await give_name(app, pilot, "Dee")
        screen = await open_highlighted(app, pilot)
        assert screen is not prebuilt
        assert screen.workbench.narrow


async def test_the_prebuilt_screen_is_left_like_any_lesson(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Escape leaves it for the list and removes it; the lesson opens again, new, where the
    learner was; what they typed was kept."""
    monkeypatch.setenv("KTUTOR_SERVE", "1")
    app = served_app(data_dir, prebuild=True)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for_prompt(app, pilot)
        prebuilt = app._prebuilt
        await give_name(app, pilot, "Eli")
        screen = await open_highlighted(app, pilot)
        assert screen is prebuilt
        editor = screen.workbench.editor
        editor.cursor_location = (0, 0)
        await press(pilot, "#", "x", "enter")
        await settle(pilot)
        await press(pilot, "escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, LessonListScreen)
        assert not prebuilt.is_attached
        assert app.progress.saved_edit("anatomy", step_key(0)) == "#x\n" + (
            screen.lesson.step_manifest(0)
        )
        again = await open_highlighted(app, pilot)
        assert again is not prebuilt
        assert again.workbench.text.startswith("#x\n")


def test_warm_tutors_start_wide_enough_for_the_prebuilt_screen() -> None:
    """A warm tutor composes the lesson side by side only at NARROW_WIDTH columns or more:
    started narrower, its screen would fit no wide browser tab."""
    from tutor.app.widgets.workbench import NARROW_WIDTH
    from tutor.classroom.web import WARM_SIZE

    assert WARM_SIZE[0] >= NARROW_WIDTH
