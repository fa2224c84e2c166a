"""Input limits, applied in one place by the CLI, the app and the lesson loader.

Learners paste anything and lesson packs come from strangers, so every entry point checks
text against these numbers before the YAML parser sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TEXT_BYTES = 2 * 1024 * 1024
"""A manifest or lesson file larger than this is refused (real Service manifests are a few KB)."""

MAX_DEPTH = 64
"""Deepest nesting of maps and lists; Kubernetes objects are under 15 levels deep."""

MAX_NODES = 200_000
"""Most YAML nodes one text may build, aliases counted as expanded (stops alias bombs)."""

MAX_DOCUMENTS = 2_000
"""Most YAML documents in one text."""

FILE_TEXT_BYTES = 256 * 1024 * 1024
"""A file named on the command line may be this large (the editor and lessons keep
MAX_TEXT_BYTES): a `kubectl get svc,pods,endpointslices,nodes -A -o json` dump of 10,000 Pods
and 1,000 Services is ~110 MB of JSON (~50 MB of YAML) and takes ~1 GB of memory to analyse."""

FILE_NODES = 40_000_000
"""Most YAML nodes a command-line file may build, aliases counted as expanded (such a dump in
YAML is ~4.5 million). JSON has no aliases: its size limit bounds it."""

FILE_DOCUMENTS = 20_000
"""Most documents in a command-line file. kubectl prints a dump as one `kind: List`; 20,000
separate documents is a whole cluster's objects written one by one."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one text may hold: the editor and lessons get the small set, files named on the
    command line (cluster dumps) the larger one. Both stay bounded."""

    text_bytes: int
    nodes: int
    documents: int


MAX_LESSON_FILES = 30
"""Most lesson files read from one pack; the rest are reported, not loaded. The built-in
course has 9; linting a lesson runs the core on every step and challenge (~30 ms), so 30 keeps
`ktutor lint PACK` and the lesson list under two seconds even for a pack of thousands of files."""


MAX_REQUESTS = 100_000
"""Most simulated requests per Service port (`ktutor route --requests`): 100,000 take ~0.3 s;
the old 10,000,000 took 8 s per port, long enough to look hung."""

MAX_CLIENTS = 1_000
"""Most simulated client addresses (`--clients`): each one is an object in memory, and a billion
of them exhausted memory before the first request was sent."""


@dataclass(frozen=True, slots=True)
class InputRejected(Exception):
    """Input refused before or while parsing: the reason is one line a learner can read."""

    reason: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return self.reason


def too_large(size: int, limit: int) -> InputRejected:
    """The one-line refusal of a file over `limit` bytes (`size` when known)."""
    if limit >= FILE_TEXT_BYTES:
        return InputRejected(
            f"file is too large ({size:,} bytes; a file named on the command line may have "
            f"{limit // (1024 * 1024)} MB, {limit:,} bytes)"
        )
    return InputRejected(f"file is too large ({size:,} bytes; the limit is {limit:,} bytes)")


def decode_bytes(data: bytes, *, limit: int = MAX_TEXT_BYTES) -> str:
    """Bytes to text, refusing what is too large, binary or not UTF-8."""
    if len(data) > limit:
        raise too_large(len(data), limit)
    if b"\x00" in data[:8192]:
        raise InputRejected("file is binary, not YAML text (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputRejected(
            f"file is not UTF-8 text (bad byte 0x{data[exc.start]:02x} at line {line})",
            line=line,
        ) from None
    return text


EDITOR = Limits(MAX_TEXT_BYTES, MAX_NODES, MAX_DOCUMENTS)
FILE = Limits(FILE_TEXT_BYTES, FILE_NODES, FILE_DOCUMENTS)


def check_text(text: str, *, limit: int = MAX_TEXT_BYTES) -> None:
    """Refuse text that is too large or holds control characters YAML cannot carry."""
    if len(text) > limit:
        raise InputRejected(f"text is too large ({len(text):,} characters; the limit is {limit:,})")
    if "\x00" in text:
        raise InputRejected("text contains NUL characters: it is binary, not YAML")


_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 controls but tab and newline (ESC starts every terminal escape sequence, CR
overwrites a line) and the bidi overrides that make text read differently ("Trojan Source")."""


def visible(text: str) -> str:
    """`text` with control characters and bidi overrides spelled out as `\\u001b`, so values
    from a manifest can be printed without driving the learner's terminal (and stay valid
    inside a JSON string)."""
    if text.isprintable():
        return text
    if text.isascii() and not text.encode("ascii").translate(None, _SAFE_ASCII):
        return text  # printable but for tabs and newlines: a C pass, where the regex took 6x
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_SAFE_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n"
"""The ASCII characters `_UNSAFE` leaves alone (`rules` on a dump prints 8.5 MB of them)."""


MAX_HIGHLIGHT_DEPTH = 200
"""Nesting levels the editor's highlighter is trusted with: tree-sitter-yaml kills the process
at 254 (upstream tree-sitter-yaml issue #48); the model stops at 64. The editor checks every
text it is given with `highlight_safe`, and so does `ktutor progress --import`."""
INDICATORS = "-?:|>"
"""Characters that can open a YAML block level on a line (sequence, key, value, scalar)."""


def highlight_safe(text: str) -> bool:
    """True when tree-sitter-yaml can parse `text` without crashing.

    Its scanner keeps one entry per open block level, each at its own column, so a line opens
    at most (its indentation + 1 + the indicators on it) levels, and no more than its length.
    Lines of at most `MAX_HIGHLIGHT_DEPTH` characters are therefore safe, checked in C speed;
    only longer lines are counted, and over-counting merely turns colours off.
    """
    lines = text.split("\n")
    if max(map(len, lines), default=0) < MAX_HIGHLIGHT_DEPTH:
        return True
    for line in lines:
        if len(line) < MAX_HIGHLIGHT_DEPTH:
            continue
        indent = len(line) - len(line.lstrip())
        opened = indent + 1 + sum(line.count(ch) for ch in INDICATORS)
        if opened >= MAX_HIGHLIGHT_DEPTH:
            return False
    return True
