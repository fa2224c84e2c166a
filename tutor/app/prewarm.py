"""Pay the lesson screen's one-time costs while the learner reads the lesson list.

The styles of the lesson screen's widgets. (The editor's highlight query used to be memoized
here by patching Textual; the editor now builds its document once per lesson, public API only.)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode


def lesson_screen_widgets() -> list[type[DOMNode]]:
    """The widget classes a lesson screen (and its behind-the-scenes view) mounts."""
    from textual.containers import (
        Container,
        Horizontal,
        ScrollableContainer,
        Vertical,
        VerticalScroll,
    )
    from textual.widgets import (
        Button,
        ContentSwitcher,
        Label,
        Markdown,
        TabbedContent,
        TabPane,
        Tabs,
    )
    from textual.widgets._markdown import (
        MarkdownBullet,
        MarkdownBulletList,
        MarkdownFence,
        MarkdownOrderedList,
        MarkdownParagraph,
    )
    from textual.widgets._tabs import Tab, Underline

    from tutor.app.widgets.behind import BehindScenes
    from tutor.app.widgets.editor import YamlEditor
    from tutor.app.widgets.routing import RoutingView
    from tutor.app.widgets.traffic import TrafficView
    from tutor.app.widgets.workbench import ErrorList, Workbench

    return [
        Vertical,
        Tabs,
        Horizontal,
        Container,
        VerticalScroll,
        Underline,
        Markdown,
        YamlEditor,
        Tab,
        Button,
        Label,
        MarkdownParagraph,
        MarkdownBulletList,
        MarkdownOrderedList,
        MarkdownBullet,
        MarkdownFence,
        Workbench,
        ErrorList,
        RoutingView,
        TrafficView,
        BehindScenes,
        TabbedContent,
        ContentSwitcher,
        TabPane,
        ScrollableContainer,
    ]


def stylesheet_steps(app: App[Any]) -> list[Callable[[], None]]:
    """Steps (call each on the UI thread, one per idle moment) that add and parse the CSS of
    every widget a lesson screen mounts.

    Textual parses a widget class's DEFAULT_CSS the first time one is mounted; for a lesson
    screen that was about twenty classes, a fifth of the time to open the first lesson. Done
    here, while the learner reads the list, in small steps so a key pressed meanwhile is not
    kept waiting. Uses Textual internals (`_get_default_css`, pinned textual==8.2.8); a step
    that fails only loses the speed-up.
    """

    def step(cls: type[DOMNode]) -> Callable[[], None]:
        def add() -> None:
            with contextlib.suppress(Exception):
                node = cls.__new__(cls)
                sheet = app.stylesheet
                for read_from, css, tie_breaker, scope in node._get_default_css():
                    sheet.add_source(
                        css,
                        read_from=read_from,
                        is_default_css=True,
                        tie_breaker=tie_breaker,
                        scope=scope,
                    )
                _ = sheet.rules  # parses what is new now, not when the lesson opens

        return add

    with contextlib.suppress(Exception):
        return [step(cls) for cls in lesson_screen_widgets()]
    return []
