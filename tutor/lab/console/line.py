"""Reading a typed line as busybox `sh` would: words (shlex, POSIX rules) and `|` pipes.

Anything a learner types is a stranger's text: the line is limited in length, and words keep
control characters only to be reported (spelled out) in one line of error.
"""

from __future__ import annotations

import shlex

MAX_LINE = 4096
"""Longest command line read; a terminal's canonical-mode line buffer is 4096 bytes."""


class LineError(Exception):
    """The shell refuses the line: one line of text."""


def split(line: str) -> list[list[str]]:
    """The pipeline's commands as word lists (`env | grep SERVICE` -> two commands)."""
    if len(line) > MAX_LINE:
        raise LineError(f"sh: line too long ({len(line):,} characters; the limit is {MAX_LINE:,})")
    lex = shlex.shlex(line, posix=True, punctuation_chars="|")
    lex.whitespace_split = True
    lex.commenters = "#"
    try:
        words = list(lex)
    except ValueError:
        raise LineError("sh: syntax error: unterminated quoted string") from None
    commands: list[list[str]] = [[]]
    for word in words:
        if word == "|":
            if not commands[-1]:
                raise LineError('sh: syntax error: unexpected "|"')
            commands.append([])
        elif set(word) == {"|"}:
            raise LineError(f'sh: syntax error: unexpected "{word}"')
        else:
            commands[-1].append(word)
    if len(commands) > 1 and not commands[-1]:
        raise LineError("sh: syntax error: unexpected end of file")
    return [c for c in commands if c]
