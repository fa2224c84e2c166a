"""The title line at the top of every screen: one widget where Textual's Header uses four.

Header re-lays the screen out each time a title changes (its title is a child widget that is
updated); a step change sets both the title and the subtitle, so that was two layout passes per
step. This bar only repaints itself. The ⭘ at its left opens the command palette, as Header's
icon does.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

ICON = " ⭘"
ICON_WIDTH = 8
"""Columns kept for the icon on the left, and (for balance) on the right, as Header does."""


def set_subtitle(screen: Screen[Any], sub_title: str) -> None:
    """`screen.sub_title = sub_title`, repainting the title bar alone: the reactive repaints
    the whole screen, a full frame of its own on every step change or quiz question (27 ms
    at 100x30 when nothing else had been drawn yet)."""
    if screen.sub_title == sub_title:
        return
    screen.set_reactive(Screen.sub_title, sub_title)
    for bar in screen.query(TitleBar):
        bar.refresh()


class TitleBar(Widget, can_focus=False):
    ALLOW_SELECT = False
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    TitleBar:hover {
        pointer: pointer;
    }
    """

    def on_mount(self) -> None:
        for name in ("title", "sub_title"):
            self.watch(self.screen, name, self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    def titles(self) -> tuple[str, str]:
        """The screen's title and subtitle, else the app's (Header's rule)."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub = screen.sub_title if screen.sub_title is not None else app.sub_title
        return title, sub

    def title_text(self) -> str:
        title, sub = self.titles()
        return f"{title} — {sub}" if sub else title

    def render(self) -> Text:
        width = self.size.width
        room = max(0, width - 2 * ICON_WIDTH)
        title, sub = self.titles()
        body = Text(title, no_wrap=True, end="")
        if sub:
            body.append(" — ", "dim")
            body.append(sub, "dim")
        body.truncate(room, overflow="ellipsis")
        line = Text(ICON.ljust(ICON_WIDTH), no_wrap=True, overflow="crop", end="")
        line.append(" " * ((room - body.cell_len) // 2))
        line.append_text(body)
        line.append(" " * max(0, width - line.cell_len))
        return line

    async def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH:
            await self.run_action("app.command_palette")
