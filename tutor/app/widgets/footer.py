"""Textual's Footer, recomposed only when the keys it shows change.

The stock Footer rebuilds all its key widgets whenever the screen's bindings *might* have
changed (focus moves, screen switches); opening a lesson triggered four rebuilds that showed
the same keys. Skipping those keeps a lesson opening fast.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class KeyFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[tuple[str, str, str, bool], ...] | None = None

    def _signature(self) -> tuple[tuple[str, str, str, bool], ...]:
        return tuple(
            (key, binding.action, binding.description, enabled)
            for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items()
            if binding.show
        )

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        signature = self._signature()
        if signature == self._shown:
            return
        self._shown = signature
        await super().recompose()
