"""What a new learner ran into (issue #10), each driven with keys: continuing after a quit in
a challenge, the layout at 100x30, Tab and Enter in the editor, and Escape's order."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from testkit import open_challenge, press, prompts, settle
from textual.widgets import OptionList, Static

from tutor.app.screens.help import help_table
from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.lesson_list import RESUME, LessonListScreen
from tutor.app.screens.practice import ChallengeScreen
from tutor.app.widgets.editor import YamlEditor
from tutor.app.widgets.routing import RoutingView
from tutor.course.lesson import Lesson

NODE_PORT = """\
apiVersion: v1
kind: Service
metadata:
  name: a-service-with-a-long-name
spec:
  type: NodePort
  internalTrafficPolicy: Local
  sessionAffinity: ClientIP
  selector:
    app: nothing-has-this-label
  ports:
  - name: http-with-a-long-name
    port: 8080
    targetPort: 8080
    nodePort: 31122
---
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  labels:
    app: web
spec:
  nodeName: node-1
  containers:
  - name: app
    image: nginx
"""


async def test_continue_where_you_left_off_reopens_the_challenge_and_escape_walks_back(
    make_app: Any, data_dir: Path
) -> None:
    """Quit in a challenge, start again: Enter opened the last step, not the challenge. Then
    Escape's order: one level at a time from a challenge; and a step opened from a challenge
    (the palette's "Step: …") is one Escape from the list."""
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_challenge(pilot)
        assert isinstance(app.screen, ChallengeScreen)
        challenge = app.screen.challenge
    again = make_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        options = again.screen.query_one("#lessons", OptionList)
        top = options.get_option_at_index(0)
        assert top.id == RESUME and options.highlighted == 0
        assert "Continue where you left off" in str(top.prompt)
        assert f"challenge: {challenge.title}" in str(top.prompt)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(again.screen, ChallengeScreen)
        assert again.screen.challenge.id == challenge.id
        # Escape walks back one level at a time: the editor, the challenge, the list, the lesson
        seen = []
        for _ in range(4):
            await press(pilot, "escape")
            await settle(pilot)
            seen.append(type(again.screen).__name__)
        assert seen == ["ChallengeScreen", "PracticeScreen", "LessonScreen", "LessonScreen"]
        await press(pilot, "escape")
        await settle(pilot)
        assert isinstance(again.screen, LessonListScreen)
        top = again.screen.query_one("#lessons", OptionList).get_option_at_index(0)
        assert "step 1 of 3: The selector" in str(top.prompt)  # left the challenge: the step

        # a step opened from a challenge
        await press(pilot, "enter")  # continue: the step
        await settle(pilot)
        await press(pilot, "ctrl+o", "enter")
        await settle(pilot)
        assert isinstance(again.screen, ChallengeScreen)
        again.open_lesson("basics", 2)  # what the palette's "Step: …" does
        await settle(pilot)
        assert isinstance(again.screen, LessonScreen)
        stack = [type(s) for s in again.screen_stack]
        assert stack == [LessonListScreen, LessonScreen], "the step replaced the challenge's"
        again.screen.query_one(RoutingView).focus()
        await press(pilot, "escape")
        await settle(pilot)
        assert isinstance(again.screen, LessonListScreen), "one Escape from the list"


async def test_tab_indents_by_two_and_enter_keeps_the_indentation(
    make_app: Any, data_dir: Path
) -> None:
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(YamlEditor)
        editor.focus()
        editor.cursor_location = (6, 12)  # the end of "    app: web"
        await press(pilot, "enter", "x")
        await settle(pilot)
        assert editor.text.splitlines()[7] == "    x"
        await press(pilot, "home", "tab")
        await settle(pilot)
        assert editor.text.splitlines()[7] == "      x"
        assert app.focused is editor
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(help_table())
    assert "in the YAML editor Tab indents by 2" in console.export_text()


async def test_at_100x30_the_step_has_room_the_keys_and_its_name(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    long = "targetPort, port and the Pods' containerPort"
    steps = (dataclasses.replace(lesson.steps[0], title=long), *lesson.steps[1:])
    app = make_app("basics", lessons=[dataclasses.replace(lesson, steps=steps)])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#intro").size.height >= 12  # was 10 of 30 rows
        assert app.screen.query_one(YamlEditor).size.height >= 8
        header = app.screen.query_one("#step-header", Static)
        shown = str(header.render())
        assert long in " ".join(shown.split())
        assert header.size.width * header.size.height >= len(shown)  # room for all of it
        assert app.screen.query_one("#step-nav").size.height >= header.size.height


async def test_routing_rows_wrap_under_themselves_not_to_column_zero(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    """`requests are` / `rejected` and `nodePort 31122` wrapped to column 0 at 100x30."""
    app = make_app("basics", lessons=[dataclasses.replace(lesson, manifest=NODE_PORT)])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(RoutingView)
        width = view.scrollable_content_region.width
        shown = prompts(view)
        assert any("nodePort 31122" in " ".join(p.split()) for p in shown)
        assert any("connection refused by kube-proxy" in " ".join(p.split()) for p in shown)
        for prompt in shown:
            first, *rest = prompt.split("\n")
            for line in (first, *rest):
                assert len(line) <= width, line
            for line in rest:
                assert line.startswith(" "), line
