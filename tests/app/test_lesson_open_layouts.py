"""A lesson opens at its final sizes and draws its rows once: the footer knows its height and
the routing rows wrap to the width they are drawn at before the screen's first layout, so
nothing is laid out and drawn a second time because it changed size right after (each extra
pass redrew most of the screen: a lesson open cost 5-7 layouts)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

import pytest
from testkit import press, prompts, settle
from textual import events
from textual.geometry import Size
from textual.widgets import Markdown

from tutor.app.app import TutorApp
from tutor.app.screens.lesson import LessonScreen
from tutor.app.widgets import routing
from tutor.app.widgets.footer import KeyFooter
from tutor.app.widgets.routing import RoutingView
from tutor.course.lesson import Lesson


async def test_a_lesson_opens_once_at_its_final_sizes(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened from the list at 120x40, each part of the lesson screen is made, styled and
    laid out once:
    - The footer takes two rows for a lesson's keys at 120 columns: sized after the first
      layout, it shrank the workbench by a row and the routing view was laid out again.
    - The routing rows, made before the view had a width, were made and drawn unwrapped,
      then made and drawn again when the first layout gave the view its width.
    - Textual applies the stylesheet to a whole screen again as it is pushed (20-40 ms of a
      lesson's first frame), though each widget got its styles as it mounted."""
    sizes: dict[str, list[Size]] = {"footer": [], "routing": []}
    footer_resize, routing_resize = KeyFooter.on_resize, RoutingView.on_resize

    def noting_footer(self: KeyFooter) -> None:
        sizes["footer"].append(self.size)
        footer_resize(self)

    def noting_routing(self: RoutingView, event: Any) -> None:
        sizes["routing"].append(self.size)
        routing_resize(self, event)

    made: list[str] = []
    pod_row = routing.pod_row

    def counting_row(sr: Any, pr: Any, pod: Any, width: int = 0) -> Any:
        made.append(pod.name)
        return pod_row(sr, pr, pod, width)

    restyled: list[object] = []
    update_styles = TutorApp.update_styles

    def noting_styles(self: TutorApp, node: Any, animate: bool = True) -> None:
        if isinstance(node, LessonScreen):
            restyled.append(node)
        update_styles(self, node, animate)

    monkeypatch.setattr(KeyFooter, "on_resize", noting_footer)
    monkeypatch.setattr(RoutingView, "on_resize", noting_routing)
    monkeypatch.setattr(routing, "pod_row", counting_row)
    monkeypatch.setattr(TutorApp, "update_styles", noting_styles)
    app: TutorApp = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sizes["footer"].clear()
        app.open_lesson("basics")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        footer = app.screen.query_one(KeyFooter)
        view = app.screen.query_one(RoutingView)
        assert footer.size == Size(120, 2)
        assert sizes == {"footer": [footer.size], "routing": [view.size]}, "laid out again"
        assert Counter(made) == {"api-1": 1, "web-1": 1, "web-2": 1}, "rows made again"
        rows = prompts(view)
        room = view.size.width - 2  # a scroll bar's width is left free
        assert all(len(line) <= room for row in rows for line in row.split("\n")), rows
        assert restyled == [], "the pushed screen was styled again"


async def test_a_wider_terminal_wraps_the_routing_rows_again(make_app: Any) -> None:
    """Rows are kept while only the height changes; a new width wraps them to it."""
    app: TutorApp = make_app("basics")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(RoutingView)

        def longest() -> int:
            return max(
                len(line)
                for i in range(view.option_count)
                for line in str(view.get_option_at_index(i).prompt).split("\n")
            )

        narrow = longest()
        await pilot.resize_terminal(220, 40)
        await settle(pilot)
        assert longest() > narrow
        assert longest() <= view.size.width - 2


@pytest.mark.parametrize("paragraphs", [40, 1], ids=["long", "short"])
async def test_a_step_is_laid_out_at_the_width_it_is_drawn_at(
    make_app: Any, lesson: Lesson, monkeypatch: pytest.MonkeyPatch, paragraphs: int
) -> None:
    """A step longer than its pane was wrapped for the pane's full width, drawn, then wrapped
    and drawn again once the scroll bar came; a short one still gets the full width (one
    layout each)."""
    widths: list[int] = []

    def noting(self: Markdown, event: events.Resize) -> None:
        widths.append(event.size.width)

    monkeypatch.setattr(Markdown, "on_resize", noting, raising=False)
    text = "\n\n".join(
        f"Paragraph {i}: a Service picks Pods by their labels." for i in range(paragraphs)
    )
    step = dataclasses.replace(lesson.steps[0], text=text)
    long_lesson = dataclasses.replace(lesson, steps=(step, *lesson.steps[1:]))
    app: TutorApp = make_app("basics", lessons=[long_lesson])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one("#intro")
        markdown = app.screen.query_one("#step-text", Markdown)
        assert pane.show_vertical_scrollbar == (paragraphs > 1)
        assert widths == [markdown.size.width]
        assert markdown.size.width == pane.scrollable_content_region.width


async def test_a_step_that_only_looks_long_gets_the_full_width(
    make_app: Any, lesson: Lesson
) -> None:
    """Forty short lines of one paragraph are one line of Markdown: the length guesses a
    scroll bar, and the first layout takes the guess back (as a pane without it would be)."""
    text = "\n".join(f"word{i}" for i in range(40))
    step = dataclasses.replace(lesson.steps[0], text=text)
    app: TutorApp = make_app("basics", lessons=[dataclasses.replace(lesson, steps=(step,))])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one("#intro")
        markdown = app.screen.query_one("#step-text", Markdown)
        assert not pane.show_vertical_scrollbar
        full = pane.outer_size.width - pane.styles.padding.width  # no bar, no room kept for it
        assert markdown.size.width == pane.scrollable_content_region.width == full


async def test_a_step_change_lays_out_the_new_step_once_and_repaints_only_the_title_bar(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a step change:
    - The new text's Markdown is parsed in a thread and its blocks mount on later turns: the
      screen was laid out and drawn with the next step's header, editor and routing around
      the previous step's text, then again once the blocks came (a layout and a repaint of
      most of the screen more on every step change).
    - Screen.sub_title's reactive repaints the whole screen: a full frame on every step
      change (27 ms at 100x30 when nothing else had been drawn yet); only the title bar is
      repainted now (checked on the first change, from step 1 to 2)."""
    from tutor.app.widgets.title_bar import TitleBar

    repaints: list[object] = []
    refresh = LessonScreen.refresh

    def noting_refresh(self: LessonScreen, *regions: Any, **options: Any) -> Any:
        if not regions and options.get("repaint", True):  # all of it (regions: what changed
            repaints.append(options)  # behind, on the list screen, Textual's own)
        return refresh(self, *regions, **options)

    app: TutorApp = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        bar = screen.query_one(TitleBar)
        assert "step 1 of 3: The selector" in bar.title_text()
        shown: list[tuple[str, str]] = []

        def noting(_screen: object) -> None:
            header = str(screen.query_one("#step-header").render())
            text = " ".join(
                str(block.render()) for block in screen.query_one("#step-text").query("*")
            )
            shown.append((header[:11], text))

        screen.screen_layout_refresh_signal.subscribe(screen, noting)
        monkeypatch.setattr(LessonScreen, "refresh", noting_refresh)
        # to step 2, 3, 2, 1, twice: the thread's parse beat the next frame now and then
        walk = [
            ("ctrl+n", "step 2 of 3", "is what clients use"),
            ("ctrl+n", "step 3 of 3", "made by a Deployment"),
            ("ctrl+b", "step 2 of 3", "is what clients use"),
            ("ctrl+b", "step 1 of 3", "picks Pods by label"),
        ]
        for turn, (key, wanted, words) in enumerate(walk * 2):
            shown.clear()
            await press(pilot, key)
            await settle(pilot)
            assert shown, f"no layout after {key}"
            assert all(header == wanted for header, _ in shown), (key, shown)
            assert all(words in text for _, text in shown), (key, shown)
            if turn == 0:
                assert repaints == [], "the whole screen repainted for the title"
                assert "step 2 of 3: The port" in bar.title_text()
                assert "step 2 of 3: The port" in bar.render_line(0).text  # drawn, not known
