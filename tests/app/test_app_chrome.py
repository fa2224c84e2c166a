"""The key footer, the title bar and start-up (the warm-up, the lessons kept from the last
start): driven with keys and clicks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from testkit import builtin_lesson, press, settle

from tutor.app.screens.help import HelpScreen
from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.lesson_list import LessonListScreen
from tutor.app.widgets.footer import MAX_ROWS, KeyFooter
from tutor.app.widgets.title_bar import TitleBar
from tutor.course.lesson import Lesson


def footer_line(app: Any) -> str:
    return str(app.screen.query_one(KeyFooter).render().plain)


async def click_key(pilot: Any, label: str) -> None:
    """Click the footer where `label` is drawn."""
    row, line = next((i, t) for i, t in enumerate(footer_line(pilot.app).split("\n")) if label in t)
    await pilot.click(KeyFooter, offset=(line.index(label), row))
    await settle(pilot)


LESSON_KEYS = ("^n Next", "^b Prev", "esc Lessons", "^o Challenges", "^r Reset", "f2 Step")
LESSON_KEYS += ("f3 YAML", "f4 Routing", "^t 1 request", "^g 100 requests", "f5 Behind")


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
async def test_footer_lists_the_screens_keys_with_help_at_the_right_edge(
    make_app: Any, data_dir: Path, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        line = footer_line(app)
        assert len(line) == size[0] and "\n" not in line  # the list's keys fit in one line
        assert "⏎ Open" in line and "r Reload" in line
        assert line.rstrip().endswith("^p palette")
        assert line.index("f1 Help") > line.index("Reload")
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        lines = footer_line(app).split("\n")
        assert lines[0].rstrip().endswith("^p palette") and "f1 Help" in lines[0]
        assert "Reload" not in "".join(lines)
        for key in LESSON_KEYS:  # every key, on a second line when one is not enough
            assert key in "".join(lines), key
        assert 2 <= len(lines) <= MAX_ROWS
        assert app.screen.query_one(KeyFooter).size.height == len(lines)


async def test_hovering_a_footer_key_highlights_only_it_and_a_click_presses_it(
    make_app: Any, data_dir: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        plain = footer.render()
        column = plain.plain.index("Reload")
        await pilot.hover(KeyFooter, offset=(column, 0))
        await settle(pilot)
        hovered = footer.render()
        changed = {
            i
            for i in range(len(plain.plain))
            if plain.get_style_at_offset(app.console, i)
            != hovered.get_style_at_offset(app.console, i)
        }
        assert changed and min(changed) <= column <= max(changed), "the hovered key is lit"
        assert all(i < plain.plain.index("^q") for i in changed), "only the hovered key"
        await click_key(pilot, "Help")
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "escape")
        await settle(pilot)
        await click_key(pilot, "Open")
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.id == "basics"
        await click_key(pilot, "Lessons")
        assert isinstance(app.screen, LessonListScreen)


async def test_a_long_title_is_cut_with_an_ellipsis(make_app: Any, data_dir: Path) -> None:
    app = make_app("basics")
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        line = app.screen.query_one(TitleBar).render().plain
        assert len(line) == 40 and "…" in line and line.lstrip().startswith("⭘")


async def test_a_summary_too_long_for_its_row_ends_in_an_ellipsis(
    make_app: Any, data_dir: Path
) -> None:
    """At 100x30 lesson 2's summary row read "✓ valid  my-service:80 → my-app-1, my-app-3,":
    the third Pod getting traffic had wrapped to a second row the one-row summary never shows."""
    app = make_app("one-request", lessons=[builtin_lesson("one-request")])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        summary = app.screen.query_one("#summary")
        row = summary.render_line(0).text.rstrip()
        assert row.startswith("✓ valid  my-service:80 → my-app-1, ") and row.endswith("…"), row


async def test_the_summary_says_which_pods_refuse_the_traffic_they_get(
    make_app: Any, data_dir: Path
) -> None:
    """A challenge whose symptom is "connection refused" (the Pods listen on 8080, the Service
    sends to 9090) showed "✓ valid  shop:80 → shop-1, shop-2" in green under the editor, as if
    both answered; the routing view beside it said each one refuses."""
    from sample_manifests import MANIFEST

    from tutor.app.widgets.workbench import Workbench

    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listens_elsewhere = MANIFEST.replace(
            "  - name: app\n    image: nginx\n",
            "  - name: app\n    image: nginx\n    ports:\n    - containerPort: 9090\n",
            1,
        )
        assert listens_elsewhere != MANIFEST
        app.screen.query_one(Workbench).editor.load_text(listens_elsewhere)
        await settle(pilot)
        row = app.screen.query_one("#summary").render_line(0).text.rstrip()
        assert "web:80 → web-1 (refuses), web-2" in row, row


def screen_kind(lesson: Lesson) -> tuple[object, ...]:
    """What can make one lesson's screen mount widget classes another's does not, as it opens
    (on its first step, for a new learner): the Markdown blocks of that step's text (Textual
    makes a widget class of each block kind: paragraph, list, fence, table, quote, heading),
    and, in case they ever add a widget, the routing view's mode and the cluster's families.
    The rest of the screen (panes, editor, routing, traffic, behind the scenes) is the same
    for every lesson."""
    from markdown_it import MarkdownIt

    step = lesson.steps[0] if lesson.steps else None
    text = step.text if step is not None else ""
    blocks = frozenset(
        (token.type, token.tag) for token in MarkdownIt("gfm-like").parse(text) if token.block
    )
    return (blocks, step.routing if step is not None else "", tuple(lesson.ip_families))


async def test_warm_up_parses_every_style_a_lesson_screen_needs(data_dir: Path) -> None:
    """After the warm-up, opening any built-in lesson (and behind the scenes) adds no CSS for
    Textual to parse: the samples in tutor.app.prewarm cover what the screen mounts. One lesson
    of each `screen_kind` is opened (the first, in course order): 14 opens were 11 CPU s, and
    a lesson of a new kind is opened here as soon as it is in the course. Behind the scenes
    is opened in the first one only: its widgets are the same in every lesson, and once their
    styles are in the sheet, no later F5 could add them (3 F5s were 1 CPU s)."""
    from tutor.app.app import TutorApp

    app = TutorApp(data_dir=data_dir)
    app.cursor_blink = False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # the warm-up's workers included
        before = set(app.stylesheet.source)
        kinds = {screen_kind(lesson): lesson.id for lesson in reversed(app.lessons)}
        assert len(app.lessons) > len(kinds) > 2  # prose, lists and a fence at least
        for n, lesson_id in enumerate(
            sorted(kinds.values(), key=[le.id for le in app.lessons].index)
        ):
            app.open_lesson(lesson_id)
            await settle(pilot)
            if n == 0:  # behind the scenes mounts the same widgets in every lesson (its
                # compose takes no lesson data): a second F5 could add no CSS the first did not
                await press(pilot, "f5")
                assert app.screen.query_one("#behind-tabs").display
            added = {name for _path, name in set(app.stylesheet.source) - before}
            assert not added, f"{lesson_id}: add a widget of these to prewarm.samples: {added}"


async def test_the_second_start_lists_the_lessons_in_its_first_frame(data_dir: Path) -> None:
    """The first start reads the lesson files in the background and keeps what it read; the
    next start shows the list at once, with nothing loading."""
    from textual.widgets import OptionList

    from tutor.app.app import TutorApp

    first = TutorApp(data_dir=data_dir)
    first.cursor_blink = False
    first.warm_up = False  # the warm-up is no part of what the lesson cache keeps
    async with first.run_test(size=(120, 40)) as pilot:
        assert first.loading
        await settle(pilot)
        assert not first.loading and first.lessons
    assert (data_dir / "cache" / "lessons.json").is_file()

    second = TutorApp(data_dir=data_dir)
    second.cursor_blink = False
    second.warm_up = False
    seen: list[tuple[bool, int]] = []

    async with second.run_test(size=(120, 40)) as pilot:
        await pilot.pause()  # the first frame
        seen.append((second.loading, second.screen.query_one("#lessons", OptionList).option_count))
        assert [le.id for le in second.lessons] == [le.id for le in first.lessons]
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(second.screen, LessonScreen)
    assert seen == [(False, len(first.lessons) + len(first.lesson_errors))]


async def test_arrows_then_enter_typed_fast_open_the_lesson_the_arrows_reached(
    make_app: Any, data_dir: Path
) -> None:
    """Keys arriving together (a fast typist, a terminal batching input): Enter is a priority
    binding, yet it must not overtake the arrows queued before it. The same in the list of
    challenges: test_app_pilot's test_challenge_hints_check_and_solution_arrows_typed_fast_and_
    the_quiz."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in ("down", "enter"):
            app.post_message(events.Key(key, None))
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.id == "second"
