"""An option list whose arrows keep their order with the Enter typed after them."""

from __future__ import annotations

from textual.widgets import OptionList

from tutor.app.shims import OwnKeysFirst


class ChoiceList(OwnKeysFirst, OptionList):
    """An option list whose arrows move the highlight in its own queue. A screen's priority
    Enter should open the highlighted option with `call_later` on this list, so it runs
    after arrows typed just before it."""
