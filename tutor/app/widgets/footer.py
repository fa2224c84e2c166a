"""Textual's Footer, recomposed only when the keys it shows change, with Help always in view.

The stock Footer rebuilds all its key widgets whenever the screen's bindings *might* have
changed (focus moves, screen switches); opening a lesson triggered four rebuilds that showed
the same keys. Skipping those keeps a lesson opening fast.

At 80 columns the keys that do not fit are cut off at the right, so each screen lists its main
keys first, and the Help key (F1, also `?`) is docked at the right edge with the palette's,
where it can never be cut off.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTION = "help"


class KeyFooter(Footer):
    DEFAULT_CSS = """
    KeyFooter #right-keys {
        dock: right;
        width: auto;
        height: 1;
        border-left: vkey $foreground 20%;
    }
    KeyFooter #right-keys FooterKey {
        width: auto;
    }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[tuple[str, str, str, bool], ...] | None = None

    def _signature(self) -> tuple[tuple[str, str, str, bool], ...]:
        return tuple(
            (key, binding.action, binding.description, enabled)
            for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items()
            if binding.show
        )

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            # the screen's keys are known now: show them in the first frame, instead of an
            # empty footer that is rebuilt (and the screen laid out again) a frame later
            self.set_reactive(Footer._bindings_ready, True)
        self._shown = self._signature()
        keys = list(super().compose())
        right: list[Widget] = []
        for key in list(keys):
            if not isinstance(key, FooterKey):
                continue
            if key.action == HELP_ACTION:
                keys.remove(key)
                if not any(k.action == HELP_ACTION for k in right if isinstance(k, FooterKey)):
                    right.insert(0, key)
            elif key.has_class("-command-palette"):
                keys.remove(key)
                key.remove_class("-command-palette")
                right.append(key)
        if right:
            columns = len({k.action for k in keys if isinstance(k, FooterKey)})
            self.styles.grid_size_columns = max(1, columns)
            keys.append(Horizontal(*right, id="right-keys"))
        yield from keys

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        signature = self._signature()
        if signature == self._shown:
            return
        self._shown = signature
        await super().recompose()
