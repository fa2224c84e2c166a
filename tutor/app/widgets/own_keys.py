"""Run a widget's own key bindings as soon as the key reaches it.

Textual runs a non-priority binding only after the key has bubbled through every ancestor's
message queue, while keys a widget handles itself (typed letters) and priority bindings run at
once. In fast typing that reorders keys: in the editor a letter overtook a Backspace and text
came out scrambled; in the lesson list ↓↓⏎ opened the lesson highlighted before the arrows.

This is Textual issue #6605 (fix proposed in PR #6631, which does the same inside Textual); it is
ktutor's one shim on Textual's key handling. tests/app/test_own_keys.py fails once Textual
ships the fix: then delete this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import OptionList

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    _Base = object  # a plain mixin: a Widget base here would upset Textual's CSS bookkeeping


class OwnKeysFirst(_Base):
    """Mixin (put it before the widget class): the widget's bindings run in its own queue."""

    async def _on_key(self, event: events.Key) -> None:
        """Run the widget's own binding for this key now. Any other key is left alone: Textual
        calls every class's `_on_key` in turn, so calling the next one here too handled it
        twice; `prevent_default` ends that walk when the binding ran."""
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.action and self.check_action(binding.action, ()) is not False:
                event.stop()
                event.prevent_default()
                await self.run_action(binding.action)
                return


class ChoiceList(OwnKeysFirst, OptionList):
    """An option list whose arrows move the highlight in its own queue. A screen's priority
    Enter should open the highlighted option with `call_later` on this list, so it runs
    after arrows typed just before it."""
