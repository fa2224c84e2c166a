"""ktutor's one module that reaches into Textual: each part works around one upstream bug in
Textual 8.2.8 (pinned), names it, and has a canary in tests/app/test_shims.py or
tests/app/test_own_keys.py that fails once Textual fixes the bug or renames what the part
relies on. Delete a part when its canary fails. No other file under tutor/ uses a private
Textual name (tests/app/test_shims.py checks).

1. The terminal's input, decoded before Textual's parser sees it (`install`, `listen`,
   `TerminalDecoder`): the Linux driver looks up `getincrementaldecoder` in its module when its
   input thread starts, and `install` hands it ours (nothing else is changed).
   a. The driver decodes with a strict UTF-8 decoder: one invalid byte (a Latin-1 terminal sends
      "é" as 0xE9) raises in the input thread and the app ends, with exit code 0
      (Textualize/textual#6456, open; fix PRs #6498/#6624 not merged). Here bytes that are not
      UTF-8 become U+FFFD and the app says so once (`listen`) and goes on.
   b. Its parser reads an ESC inside a bracketed paste as the start of a key sequence: what
      follows the ESC was typed as keys before the paste arrived, so a pasted
      `A<ESC>]0;x<BEL>B` came out reordered (not yet reported upstream). Here an ESC inside a
      paste, other than the one that ends it, reaches the parser as "␛" (U+241B), in place.
2. A widget's own key bindings run as soon as the key reaches it (`OwnKeysFirst`): Textual runs
   a non-priority binding only after the key has bubbled through every ancestor's queue, while
   keys a widget handles itself run at once, so keys typed together come out of order
   (Textualize/textual#6605; fix PR #6631). It overrides the private `_on_key` handler and
   reads the private `_bindings` map: the only private names used.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

    _Base = Widget
else:
    _Base = object  # a plain mixin: a Widget base here would upset Textual's CSS bookkeeping

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
ESC_PICTURE = "\u241b"
ERRORS = "ktutor-terminal"
"""The codec error handler's name (registered once per process)."""

_listener: list[Callable[[], None]] = []


def _replace(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    for listener in _listener:
        with contextlib.suppress(Exception):
            listener()
    return "\ufffd", error.end


class TerminalDecoder:
    """An incremental UTF-8 decoder that never raises, and keeps a paste's ESCs in the paste.

    State across reads: whether a paste is open, and (inside one) a tail that may be the start
    of the paste's end marker, held back until the next read tells."""

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors=ERRORS)
        self._in_paste = False
        self._held = ""
        self._seen = ""
        """The last few characters outside a paste, to find a start marker split by reads."""

    def decode(self, data: bytes, final: bool = False) -> str:
        text = self._held + self._utf8.decode(data, final)
        self._held = ""
        out: list[str] = []
        i = 0
        while i < len(text):
            if not self._in_paste:
                start = (self._seen + text[i:]).find(PASTE_START)
                if start < 0:
                    out.append(text[i:])
                    self._seen = (self._seen + text[i:])[-(len(PASTE_START) - 1) :]
                    break
                start -= len(self._seen)  # may be negative: the marker began in an earlier read
                end = i + start + len(PASTE_START)
                out.append(text[i:end])
                self._seen = ""
                self._in_paste = True
                i = end
                continue
            end = text.find(PASTE_END, i)
            if end < 0:
                rest = text[i:]
                if not final:  # keep a tail that may begin the end marker
                    for size in range(min(len(PASTE_END) - 1, len(rest)), 0, -1):
                        if PASTE_END.startswith(rest[-size:]):
                            self._held = rest[-size:]
                            rest = rest[:-size]
                            break
                out.append(rest.replace("\x1b", ESC_PICTURE))
                break
            out.append(text[i:end].replace("\x1b", ESC_PICTURE) + PASTE_END)
            self._in_paste = False
            i = end + len(PASTE_END)
        return "".join(out)


def _decoder_factory(original: Callable[[str], Any]) -> Callable[[str], Any]:
    def getincrementaldecoder(encoding: str) -> Any:
        if codecs.lookup(encoding).name == "utf-8":
            return TerminalDecoder
        return original(encoding)

    getincrementaldecoder.ktutor_shim = True  # type: ignore[attr-defined]
    return getincrementaldecoder


INVALID_NOTICE = (
    "The terminal sent bytes that are not UTF-8 text; they show as \ufffd. "
    "Set the terminal's encoding to UTF-8."
)


def listen(app: App[Any]) -> None:
    """Tell the learner once when the terminal sends bytes that are not UTF-8 (call on the
    app's event loop; the decoder runs in the driver's input thread)."""
    loop = asyncio.get_running_loop()
    told: list[bool] = []

    def tell() -> None:
        if not told:
            told.append(True)
            app.notify(INVALID_NOTICE, title="Terminal", severity="warning", timeout=10)

    def from_input_thread() -> None:
        loop.call_soon_threadsafe(tell)

    _listener[:] = [from_input_thread]


def install() -> bool:
    """Give the Linux driver's input thread our decoder (call before the app runs). Returns
    False where there is no such driver (Windows) or its shape changed."""
    try:
        codecs.lookup_error(ERRORS)
    except LookupError:
        codecs.register_error(ERRORS, _replace)
    try:
        from textual.drivers import linux_driver
    except ImportError:
        return False
    current = getattr(linux_driver, "getincrementaldecoder", None)
    if current is None:
        return False
    if getattr(current, "ktutor_shim", False):
        return True  # installed by an earlier app in this process
    setattr(linux_driver, "getincrementaldecoder", _decoder_factory(current))  # noqa: B010
    return True


class OwnKeysFirst(_Base):
    """Mixin (put it before the widget class): the widget's bindings run in its own queue, so
    in the editor a letter no longer overtakes a Backspace typed before it, and in a list
    ↓↓⏎ opens the option the arrows reached (Textualize/textual#6605)."""

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
