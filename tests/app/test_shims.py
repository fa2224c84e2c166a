"""tutor/app/shims.py: the terminal's input decoded without raising, a paste's ESC kept in the
paste (issue #15 items 3 and 6), and canaries that fail once Textual fixes either upstream bug.
"""

from __future__ import annotations

import codecs
import inspect
import json
from pathlib import Path

import pytest
from ptykit import Terminal
from textual import events

from tutor.app import shims


def decode_in_reads(data: bytes, size: int) -> str:
    shims.install()
    decoder = shims.TerminalDecoder()
    chunks = [data[i : i + size] for i in range(0, len(data), size)]
    out = [decoder.decode(chunk) for chunk in chunks]
    return "".join(out) + decoder.decode(b"", final=True)


PASTE = b"x\x1b[200~line1\nA\x1b]0;x\x07B\nline3\x1b[201~y\x1b[A"
DECODED = "x\x1b[200~line1\nA\u241b]0;x\x07B\nline3\x1b[201~y\x1b[A"


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, len(PASTE)])
def test_a_paste_keeps_its_escs_in_place_however_the_reads_split_it(size: int) -> None:
    assert decode_in_reads(PASTE, size) == DECODED


@pytest.mark.parametrize("size", [1, 2, 4096])
def test_bytes_that_are_not_utf8_become_replacement_characters(size: int) -> None:
    assert decode_in_reads(b"\xe9a\xc3\xa9\xff", size) == "\ufffda\u00e9\ufffd"


def test_the_listener_hears_of_invalid_bytes() -> None:
    heard: list[int] = []
    shims.install()
    shims._listener[:] = [lambda: heard.append(1)]
    try:
        assert shims.TerminalDecoder().decode(b"\xe9a") == "\ufffda"
    finally:
        shims._listener.clear()
    assert heard == [1]


def test_install_hands_the_driver_our_decoder_for_utf8_only() -> None:
    from textual.drivers import linux_driver

    assert shims.install() and shims.install()  # twice is harmless
    factory = linux_driver.getincrementaldecoder  # type: ignore[attr-defined]
    assert factory("utf-8") is shims.TerminalDecoder
    assert factory("latin-1") is codecs.getincrementaldecoder("latin-1")


def test_canary_textual_still_decodes_input_strictly() -> None:
    """Fails once Textual fixes #6456: then drop the decoding half of the shim."""
    from textual.drivers.linux_driver import LinuxDriver

    source = inspect.getsource(LinuxDriver.run_input_thread)
    assert 'getincrementaldecoder("utf-8")()' in source


def test_canary_textual_still_types_what_follows_an_esc_in_a_paste() -> None:
    """Fails once Textual's parser keeps a paste's ESC in the paste: then drop that half."""
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    got = list(parser.feed("\x1b[200~A\x1b]0;x\x07B\x1b[201~"))
    got += list(parser.feed(""))
    kinds = [type(e).__name__ for e in got]
    assert "Key" in kinds and kinds.index("Key") < kinds.index("Paste")
    paste = next(e for e in got if isinstance(e, events.Paste))
    assert paste.text != "A\x1b]0;x\x07B"


@pytest.mark.slow
def test_real_terminal_invalid_byte_then_escape_in_a_paste(tmp_path: Path) -> None:
    """In a pty: 0xE9 then `a` (a Latin-1 "é"), then a bracketed paste holding an ESC, then
    ctrl+q. Before: the byte ended the app at once (exit 0, nothing saved)."""
    term = Terminal(tmp_path, ["anatomy"], cols=120, rows=40)
    try:
        term.wait_for(b"step 1 of")
        term.read(1.0)
        term.send(b"\x1bOR")  # F3: the editor
        term.read(1.0)
        term.send(b"\xe9a")
        term.read(1.0)
        term.send(b"\x1b[200~P\x1b]0;x\x07Q\x1b[201~")
        term.read(1.0)
        term.send(b"\x11")  # ctrl+q
        code = term.exit_code()
    finally:
        term.close()
    assert code == 0 and b"Traceback" not in term.out
    assert b"UTF-8" in term.out  # the notice
    saved = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))
    text = saved["edits"]["anatomy"]["step-0"]
    assert text.startswith("\ufffdaP\u241b]0;x\u2407Q"), text[:40]
