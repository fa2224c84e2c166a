"""An option list whose arrows keep their order with the Enter typed after them."""

from __future__ import annotations

from textual.widgets import OptionList

from tutor.app.shims import OwnKeysFirst


class ChoiceList(OwnKeysFirst, OptionList):
    """An option list whose arrows move the highlight in its own queue. A screen's priority
    Enter should open the highlighted option with `call_later` on this list, so it runs
    after arrows typed just before it.

    Options that cannot be chosen after the last one that can (the lesson list's broken pack
    files, with their FILE:LINE) come into view with it: the highlight never reaches them, so
    the keys would never scroll them onto the screen."""

    def scroll_to_highlight(self, top: bool = False) -> None:
        super().scroll_to_highlight(top)
        index = self.highlighted
        if index is None or not self.is_mounted:
            return
        rest = self.options[index + 1 :]
        if rest and all(option.disabled for option in rest):
            self.scroll_end(animate=False, immediate=True)
            super().scroll_to_highlight(top)  # many of them: the highlight stays on screen
