"""Printing a stranger's text: nothing a command prints may drive the learner's terminal.

Manifests, lesson packs (their text and their file names) and workshop learners' names all come
from someone else, so every command that echoes them runs under `terminal_safe`, which spells
out control characters and bidi overrides (`\\u001b`) on stdout and stderr. Kept apart from
`_input` so light commands (`print`, `progress`) do not import the model to use it.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from typing import TextIO, cast

from tutor.model.limits import visible


class _Visible:
    """A text stream that spells out control characters before they reach the terminal."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner
        self.encoding = inner.encoding

    def write(self, s: str) -> int:
        self._inner.write(visible(s))
        return len(s)

    def flush(self) -> None:
        self._inner.flush()

    def isatty(self) -> bool:
        return self._inner.isatty()

    def fileno(self) -> int:
        return self._inner.fileno()


Run = Callable[[argparse.Namespace], int]


def terminal_safe(run: Run) -> Run:
    """Wrap a command's `run` so nothing it prints (names, node names, messages quoting the
    manifest) can carry an escape sequence to the terminal: a manifest is a stranger's text."""

    @functools.wraps(run)
    def wrapper(args: argparse.Namespace) -> int:
        out, err = sys.stdout, sys.stderr
        sys.stdout = cast(TextIO, _Visible(out))
        sys.stderr = cast(TextIO, _Visible(err))
        try:
            return run(args)
        finally:
            sys.stdout, sys.stderr = out, err

    return wrapper


def raw_stdout() -> TextIO:
    """The terminal under `terminal_safe`'s filter: only for our own control sequences (the
    screen clear of `progress --all --watch`), never for a stranger's text."""
    out = sys.stdout
    return out._inner if isinstance(out, _Visible) else out
