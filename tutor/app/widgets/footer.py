"""The key footer: every key the screen offers, in one line, in one widget.

Textual's Footer builds a widget per key and rebuilds them all whenever the bindings *might*
have changed (focus moves, screen switches); on the lesson list that cost more than the rest of
the first frame together. This footer draws the same keys as one line of text, and a click on a
key runs its action.

Keys are always in the footer (the README promises it): when a screen's keys do not fit in one
line, the footer takes more (at most `MAX_ROWS`; past that, the last keys are left out, so each
screen lists its main keys first). Help (F1, also `?`) and the palette key sit at the
right edge of the first line, where they can never be cut off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.dom import DOMNode

HELP_ACTION = "help"
RIGHT_EDGE = "▏"
MAX_ROWS = 3


class FooterKey(NamedTuple):
    """One key as the footer draws it. (A named tuple: a frozen dataclass took ~1.5 ms of CPU
    to create at import, on the way to the app's first frame.)"""

    display: str
    description: str
    action: str
    enabled: bool
    node: DOMNode
    """Where the binding lives: a click runs the action there, as the key would (a click does
    not press the key, which the focused editor could take for itself, as it does Escape)."""


class KeyFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--hover",
        "key-footer--edge",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-footer--hover {
            background: $block-hover-background;
        }
        .key-footer--edge {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, int, FooterKey]] = []
        """Where each drawn key is (row, start and end column): what a click presses."""
        self._hover: int | None = None
        self._shown: tuple[tuple[FooterKey, ...], tuple[FooterKey, ...]] = ((), ())

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._fit()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        if self.is_attached and self.keys() != self._shown:
            self._fit()
            self.refresh()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """One line, or two when the keys need them. Before its first layout the footer is
        as wide as the terminal (docked, 100%): sized then, it has its height in the screen's
        first layout (sized after it, a new lesson screen was laid out and drawn again)."""
        left, right = self.keys()
        width = self.size.width or self.app.size.width
        rows = len(self._rows(left, right, width)) if width else 1
        if self.styles.height is None or self.styles.height.value != rows:
            self.styles.height = rows

    def _rows(
        self, left: tuple[FooterKey, ...], right: tuple[FooterKey, ...], width: int
    ) -> list[list[FooterKey]]:
        """The left keys, split into rows: the first row leaves room for the right edge."""
        right_width = (1 + sum(self._width(k) for k in right)) if right else 0
        rows: list[list[FooterKey]] = [[]]
        room = width - right_width
        for item in left:
            if self._width(item) > room:
                if len(rows) == MAX_ROWS:
                    break
                rows.append([])
                room = width
            rows[-1].append(item)
            room -= self._width(item)
        return rows

    def keys(self) -> tuple[tuple[FooterKey, ...], tuple[FooterKey, ...]]:
        """The keys to show: the screen's main keys first (left), then Help and the palette
        (the right edge)."""
        active = self.screen.active_bindings
        left: list[FooterKey] = []
        right: list[FooterKey] = []
        seen: set[str] = set()
        for node, binding, enabled, _tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            item = self._item(node, binding, enabled)
            (right if binding.action == HELP_ACTION else left).append(item)
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            node, binding, enabled, _tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            if binding.action not in seen:
                right.append(self._item(node, binding, enabled))
        return tuple(left), tuple(right)

    def _item(self, node: DOMNode, binding: Binding, enabled: bool) -> FooterKey:
        return FooterKey(
            self.app.get_key_display(binding), binding.description, binding.action, enabled, node
        )

    def render(self) -> Text:
        left, right = self._shown = self.keys()
        key_style = self.get_component_rich_style("key-footer--key")
        text_style = self.get_component_rich_style("key-footer--description")
        hover_style = self.get_component_rich_style("key-footer--hover")
        width = self.size.width
        right_width = (1 + sum(self._width(k) for k in right)) if right else 0
        spans: list[tuple[int, int, int, FooterKey]] = []
        lines: list[Text] = []

        def draw(line: Text, row: int, item: FooterKey) -> None:
            start = line.cell_len
            dim = Style(dim=True) if not item.enabled else Style()
            hover = hover_style if self._hover == len(spans) else Style()
            line.append(f" {item.display} ", key_style + dim + hover)
            if item.description:
                line.append(f"{item.description} ", text_style + dim + hover)
            spans.append((row, start, line.cell_len, item))

        for row, items in enumerate(self._rows(left, right, width)):
            line = Text(no_wrap=True, overflow="crop", end="")
            for item in items:
                draw(line, row, item)
            if row == 0 and right:
                line.append(" " * max(0, width - right_width - line.cell_len))
                line.append(RIGHT_EDGE, self.get_component_rich_style("key-footer--edge"))
                for item in right:
                    draw(line, row, item)
            lines.append(line)
        self._spans = spans
        return Text("\n", no_wrap=True, overflow="crop", end="").join(lines)

    @staticmethod
    def _width(item: FooterKey) -> int:
        return cell_len(f" {item.display} ") + (
            cell_len(item.description) + 1 if item.description else 0
        )

    def _at(self, x: int, y: int) -> int | None:
        return next(
            (
                i
                for i, (row, start, end, _) in enumerate(self._spans)
                if row == y and start <= x < end
            ),
            None,
        )

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._at(event.x, event.y)
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    async def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._at(event.x, event.y)
        if index is None:
            return
        item = self._spans[index][3]
        if item.enabled:
            await self.app.run_action(item.action, item.node)
        else:
            self.app.bell()
