"""tutor/app/shims.py: the terminal's input decoded without raising, a paste's ESC kept in the
paste (issue #15 items 3 and 6), and canaries that fail once Textual fixes either upstream bug.
"""

from __future__ import annotations

import ast
import codecs
import functools
import importlib
import inspect
import json
import re
import sys
from pathlib import Path
from types import ModuleType

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
        term.settle()  # each key once the app has drawn what the last one did
        term.send(b"\x1bOR")  # F3: the editor
        term.settle()
        term.send(b"\xe9a")
        term.settle()
        term.send(b"\x1b[200~P\x1b]0;x\x07Q\x1b[201~")
        term.settle()
        term.send(b"\x11")  # ctrl+q
        code = term.exit_code()
    finally:
        term.close()
    assert code == 0 and b"Traceback" not in term.out
    assert b"UTF-8" in term.out  # the notice
    saved = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))
    text = saved["edits"]["anatomy"]["step-0"]
    assert text.startswith("\ufffdaP\u241b]0;x\u2407Q"), text[:40]


UPSTREAM = ("textual", "textual_serve")
SHIM_MODULES = {"tutor/app/shims.py", "tutor/classroom/shims.py"}
ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def _assigned_in(path: str) -> dict[str, frozenset[str]]:
    """Per top-level class of an upstream module, the `self._x` attributes its methods set
    (one read of the module's text: `inspect.getsource` per class parsed it each time)."""
    text = Path(path).read_text(encoding="utf-8")
    pieces = re.split(r"^class (\w+)", text, flags=re.M)
    return {
        name: frozenset(re.findall(r"self\.(_[a-z]\w*)\s*[:=]", body))
        for name, body in zip(pieces[1::2], pieces[2::2], strict=True)
    }


def _private_names_of(base: type) -> set[str]:
    """The `_`-prefixed names an upstream class defines (class attributes and methods, and
    attributes its methods set on `self`)."""
    names = {k for k in vars(base) if k.startswith("_") and not k.startswith("__")}
    path = getattr(sys.modules.get(base.__module__), "__file__", None)
    return names | (_assigned_in(path).get(base.__name__, frozenset()) if path else set())


def _upstream_private(cls: type) -> set[str]:
    """The private names Textual or textual-serve define on this class's ancestors."""
    names: set[str] = set()
    for base in cls.__mro__:
        if base.__module__.split(".")[0] in UPSTREAM:
            names |= _private_names_of(base)
    return names


@functools.cache
def _tree(path: str) -> ast.Module:
    return ast.parse(Path(path).read_text(encoding="utf-8"))


@functools.cache
def _own_names(path: str, name: str) -> frozenset[str]:
    """The `_`-prefixed names one of our classes (top-level in `path`) defines, reads or
    overrides."""
    names: set[str] = set()
    for node in _tree(path).body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            for inner in ast.walk(node):
                if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(inner.name)
                elif isinstance(inner, ast.Attribute):
                    names.add(inner.attr)  # self._x, cls._x, super()._x
    return frozenset(n for n in names if n.startswith("_") and not n.startswith("__"))


def _private_uses(path: Path) -> list[str]:
    """Where a module imports a private Textual or textual-serve module, or uses (defines,
    reads, overrides) a private name of one of their classes."""
    if "textual" not in path.read_text(encoding="utf-8"):
        return []
    nodes = list(ast.walk(_tree(str(path))))
    found: list[str] = []
    imports_upstream = False
    for node in nodes:
        modules = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules = [node.module]
        for module in modules:
            parts = module.split(".")
            if parts[0] in UPSTREAM:
                imports_upstream = True
                if any(part.startswith("_") for part in parts[1:]):
                    found.append(f"{path.name}:{node.lineno}: imports {module}")
    if not imports_upstream:
        return found
    module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    from textual.app import App
    from textual.screen import Screen
    from textual.widget import Widget
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    everywhere: set[str] = set()
    for cls in [App, Screen, Widget, AppService, Server, *vars(module).values()]:
        if isinstance(cls, type) and cls.__module__.split(".")[0] in UPSTREAM:
            everywhere |= _upstream_private(cls)
    for node in nodes:
        cls = getattr(module, node.name, None) if isinstance(node, ast.ClassDef) else None
        if not isinstance(cls, type):
            continue
        theirs = _upstream_private(cls)
        everywhere |= theirs
        for ours in cls.__mro__:  # the class and its mixins (own_keys.OwnKeysFirst was one)
            source = getattr(sys.modules.get(ours.__module__), "__file__", None) or ""
            if not source.startswith(str(ROOT / "tutor")) or source.endswith(tuple(SHIM_MODULES)):
                continue
            uses = _own_names(source, ours.__name__) & theirs
            found += [f"{Path(source).name}: {ours.__name__} uses {own}" for own in uses]
    for node in nodes:
        if isinstance(node, ast.Attribute) and node.attr in everywhere:
            value = node.value
            owner = getattr(module, value.id, None) if isinstance(value, ast.Name) else None
            if isinstance(owner, ModuleType) and owner.__name__.split(".")[0] not in UPSTREAM:
                continue  # os._exit
            if not (isinstance(value, ast.Name) and value.id in ("self", "cls")):
                found.append(f"{path.name}:{node.lineno}: uses {node.attr}")
    return sorted(set(found))


def test_no_file_but_the_shims_uses_a_private_name_of_textual_or_textual_serve() -> None:
    """Private names change without notice: each use is in one of the two shim modules, next to
    the upstream issue it works around and a canary test. On main before the shims were
    consolidated this listed own_keys.py's `_on_key` and `_bindings` and web.py's
    `_open_app_process`, `_build_environment`, `_process`, `_stdin`, `_make_app` and
    `_process_messages`."""
    found = [
        use
        for path in sorted((ROOT / "tutor").rglob("*.py"))
        if str(path.relative_to(ROOT)) not in SHIM_MODULES and path.name != "__main__.py"
        for use in _private_uses(path)
    ]
    assert found == [], found
