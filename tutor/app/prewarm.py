"""Pay the lesson screen's one-time costs while the learner reads the lesson list.

Two of them: the editor's highlight query and the styles of the lesson screen's widgets.

Every new code editor compiles tree-sitter's YAML highlight query, twice (once in the
constructor, once when its `language` is applied): about 30 ms per lesson opened. The query
depends only on the language, so it is compiled once per process, early.

This leans on a Textual internal (`SyntaxAwareDocument.prepare_query`), pinned with
textual==8.2.8; any failure only loses the speed-up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

_memoized = False


def memoize_highlight_queries() -> None:
    """Compile each (language, query) once per process instead of once per editor."""
    global _memoized
    if _memoized:
        return
    with contextlib.suppress(Exception):
        from textual.document._syntax_aware_document import SyntaxAwareDocument

        original = SyntaxAwareDocument.prepare_query
        cache: dict[tuple[int, str], Any] = {}

        def prepare_query(self: SyntaxAwareDocument, query: str) -> Any:
            key = (id(self.language), query)
            found = cache.get(key)
            if found is None:
                found = cache[key] = original(self, query)
            return found

        SyntaxAwareDocument.prepare_query = prepare_query  # type: ignore[method-assign]
        _memoized = True


def lesson_screen_widgets() -> list[type[DOMNode]]:
    """The widget classes a lesson screen (and its behind-the-scenes view) mounts."""
    from textual.containers import (
        Container,
        Horizontal,
        ScrollableContainer,
        Vertical,
        VerticalScroll,
    )
    from textual.widgets import Button, ContentSwitcher, Markdown, TabbedContent, TabPane, Tabs
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
    from tutor.app.widgets.workbench import Conductor, ErrorList, Workbench

    return [
        Vertical,
        Tabs,
        Horizontal,
        Conductor,
        Container,
        VerticalScroll,
        Underline,
        Markdown,
        YamlEditor,
        Tab,
        Button,
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
