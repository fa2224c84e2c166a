"""YAML text -> plain Python data, with the line and column of every field path.

Built from the parser's *event* stream rather than `yaml.safe_load` because a tutor needs more
than values: positions for every path (errors and lesson highlights point at lines), duplicate
keys reported instead of silently overwritten (kubectl's strict decoding rejects them), the raw
text of scalars that YAML 1.1 turned into bools and floats (`yes`, `1.10`), and hard limits on
depth and alias expansion applied while building, so hostile input costs bounded time and memory.
libyaml's C parser is used when present; the pure-Python one is the fallback.
"""

from __future__ import annotations

import gc
import itertools
import json
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.reader import ReaderError
from yaml.resolver import Resolver

from .limits import (
    EDITOR,
    FILE_DOCUMENTS,
    FILE_NODES,
    FILE_TEXT_BYTES,
    MAX_DEPTH,
    MAX_TEXT_BYTES,
    InputRejected,
    Limits,
    check_text,
)
from .paths import Path
from .templates import helm_marker

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"


class Span(NamedTuple):
    """Where a value sits: 1-based line and column of its key (or item) and of its value."""

    line: int
    column: int
    value_line: int
    value_column: int
    end_line: int
    end_column: int
    raw: str | None = None
    """The scalar as written, kept when YAML resolved it to something other than a string."""


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    path: Path
    line: int
    column: int
    first_line: int


_Problems = tuple[list[DuplicateKey], list[tuple[Path, int, int]]]


@dataclass(slots=True)
class Document:
    """One YAML document: its data, the span of every path, and problems found while building."""

    data: Any
    spans: dict[Path, Span]
    index: int
    line: int
    """1-based line where the document starts."""
    duplicates: list[DuplicateKey] = field(default_factory=list)
    complex_keys: list[tuple[Path, int, int]] = field(default_factory=list)
    locate: Callable[[Path], None] | None = None
    """For a large text read without positions: fills `spans` for the object `path` is in."""
    _under: dict[int, dict[Path, _Problems]] | None = field(default=None, repr=False)
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    """What the model worked out from this document alone (`manifests.parse`): a reused
    document (`load_documents(reuse=True)`) brings it along while its lines stay put."""

    def span(self, path: Path) -> Span | None:
        """The span of `path`, or of its nearest ancestor that exists."""
        if self.locate is not None and path not in self.spans:
            self.locate(path)
        while True:
            found = self.spans.get(path)
            if found is not None or not path:
                return found
            path = path[:-1]

    def exact(self, path: Path) -> Span | None:
        """The span of `path` itself, or None."""
        if self.locate is not None and path not in self.spans:
            self.locate(path)
        return self.spans.get(path)

    def problems_under(self, prefix: Path) -> _Problems:
        """The duplicate and complex keys inside the object at `prefix` (a List item or the
        document), grouped once per prefix length: a List of 10,000 items must not scan the
        whole document's lists for each item."""
        if not self.duplicates and not self.complex_keys:
            return [], []
        n = len(prefix)
        if self._under is None:
            self._under = {}
        groups = self._under.get(n)
        if groups is None:
            groups = {}
            for d in self.duplicates:
                if len(d.path) >= n:
                    groups.setdefault(d.path[:n], ([], []))[0].append(d)
            for c in self.complex_keys:
                if len(c[0]) >= n:
                    groups.setdefault(c[0][:n], ([], []))[1].append(c)
            self._under[n] = groups
        return groups.get(prefix, ([], []))


class YamlSyntaxError(Exception):
    """The text is not YAML. Line and column are 1-based."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


_SYNTAX_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("found a tab character",),
        "indent with spaces: YAML does not allow a tab in indentation",
    ),
    (
        ("mapping values are not allowed",),
        'a `: ` inside a value starts a new key: quote the whole value ("..."), or, if this '
        "line is a key, start it in the same column as the keys beside it",
    ),
    (
        ("scanning an alias", "scanning an anchor"),
        "a value that starts with `*` or `&` is read as a YAML alias or anchor: indent the "
        "block's lines deeper than its key (under `text: |`), or quote the value",
    ),
    (
        ("cannot start any token",),
        'a value that starts with a backtick or `@` must be quoted ("...")',
    ),
    (
        ("expected ',' or '}'", "expected ',' or ']'"),
        "inside `{...}` or `[...]`, quote a value that holds `[`, `]`, `{`, `}` or `,`: "
        '`{path: "spec.ports[0].port"}`',
    ),
    (
        ("expected key", "expected '-' indicator", "expected ':'", "expected <block end>"),
        "check the indentation of this line and the one before: the keys of one mapping, and "
        "the `-` items of one list, start in the same column",
    ),
)


def syntax_hint(message: str) -> str:
    """What to do about a YAML syntax error, from the parser's `message` ("" when nothing
    specific is known): the mistakes people make writing YAML by hand."""
    for needles, hint in _SYNTAX_HINTS:
        if any(needle in message for needle in needles):
            return hint
    return ""


MAX_DUPLICATES = 1_000
"""Duplicate keys listed per document: 50 MB of `key: value` lines has five million."""

_PLAIN_CACHE: dict[str, tuple[Any, str]] = {}
"""Resolved plain scalars: manifests repeat the same keys and values; resolving is regex work."""
_PLAIN_CACHE_MAX = 8192


def _scalar_value(event: yaml.ScalarEvent) -> tuple[Any, str]:
    """Resolve a scalar the way SafeLoader would; return (value, tag)."""
    tag = event.tag
    if tag is None or tag == "!":
        if event.implicit[0]:
            hit = _PLAIN_CACHE.get(event.value)
            if hit is not None:
                return hit
            result = _construct(event.value, _resolve_tag(event.value))
            if len(_PLAIN_CACHE) < _PLAIN_CACHE_MAX:
                _PLAIN_CACHE[event.value] = result
            return result
        tag = STR
    return _construct(event.value, tag)


def _resolve_tag(value: str) -> str:
    """The implicit tag SafeLoader's resolver gives a plain scalar (YAML 1.1 rules)."""
    tag: str = _RESOLVER.resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return tag


def _construct(value: str, tag: str) -> tuple[Any, str]:
    if tag == STR:
        return value, STR
    if tag == NULL:
        return None, NULL
    if tag == BOOL:
        return value.lower() in ("yes", "true", "on", "y"), BOOL
    node = ScalarNode(tag, value)
    try:
        if tag == INT:
            return _CONSTRUCTOR.construct_yaml_int(node), INT
        if tag == FLOAT:
            return _CONSTRUCTOR.construct_yaml_float(node), FLOAT
    except (ValueError, yaml.YAMLError):
        return value, STR
    # timestamps, binary and unknown tags: Kubernetes reads them as text
    return value, tag


class _Frame:
    __slots__ = ("anchor", "container", "is_map", "key", "key_mark", "path", "size", "start")

    def __init__(
        self, container: Any, path: Path, anchor: str | None, start: Any, is_map: bool
    ) -> None:
        self.container = container
        self.path = path
        self.key: str | None = None
        self.key_mark: Any = None
        self.anchor = anchor
        self.start = start
        self.is_map = is_map
        self.size = 1


_Scalar, _Alias = yaml.ScalarEvent, yaml.AliasEvent
_MapStart, _MapEnd = yaml.MappingStartEvent, yaml.MappingEndEvent
_SeqStart, _SeqEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_DocStart, _DocEnd, _StreamEnd = yaml.DocumentStartEvent, yaml.DocumentEndEvent, yaml.StreamEndEvent


def _line_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of character `index` in `text`."""
    index = max(0, min(index, len(text)))
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - start + 1


def load_documents(text: str, limits: Limits = EDITOR, *, reuse: bool = False) -> list[Document]:
    """Parse every document in `text` within `limits`. Raises YamlSyntaxError or InputRejected.

    `reuse`: the caller treats the documents' data, spans and problems as read-only, so a
    document whose text was parsed lately (the learner typed in another one) is not parsed
    again (see `_load_pieces`). The result is the same either way.

    A text over the editor's size (a cluster dump named on the command line) is read without
    recording where every field is: JSON by the json module (several times faster), YAML
    keeping only each document's and each List item's place. `Document.span` then reads the
    one object an error is in again, with positions, when the error asks where it is."""
    check_text(text, limit=limits.text_bytes)
    if len(text) <= MAX_TEXT_BYTES:
        _check_document_count(text, limits.documents)
        if reuse and len(text) <= REUSED_CHARACTERS:
            docs = _load_pieces(text, limits)
            if docs is not None:
                return docs
        return _load_yaml(text, limits, lazy=False)
    start = _WS.match(text).end()  # type: ignore[union-attr]
    if text.startswith(("{", "["), start):
        # one JSON document: no `---` to count (a 100 MB dump's count cost 0.1 s)
        docs = _load_json(text, start)
        if docs is not None:
            return docs
    _check_document_count(text, limits.documents)
    return _load_yaml(text, limits, lazy=True)


def _check_document_count(text: str, most: int) -> None:
    """Refuse a text with more than `most` documents before parsing any: counting `---` lines
    costs milliseconds, parsing 50 MB of tiny documents up to the limit costs seconds."""
    if text.count("\n---") < most:
        return
    for n, _ in enumerate(_DOCUMENT_START.finditer(text), 1):
        if n > most:
            raise InputRejected(f"more than {most:,} YAML documents in one text")


def _load_yaml(text: str, limits: Limits, *, lazy: bool) -> list[Document]:
    """Every document of `text` (a Helm template refused), empty ones left out."""
    docs, _ = _build(text, limits, lazy=lazy)
    _refuse_templates(text, docs)
    return [d for d in docs if d.data is not None]


def _build(text: str, limits: Limits, *, lazy: bool) -> tuple[list[Document], int]:
    """The event-stream builder: every document (empty ones too: they count in `index`) and
    the number of nodes built. `lazy`: keep the spans of the top level and of List items
    only (a span for every field of a 40 MB dump would cost gigabytes), and let
    `Document.span` find the rest on demand."""
    max_nodes, max_documents = limits.nodes, limits.documents
    lines = _Lines(text) if lazy else None
    regions: dict[Path, tuple[int, int]] = {}
    doc_start = 0
    docs: list[Document] = []
    anchors: dict[str, tuple[Any, int]] = {}
    total_nodes = 0
    stack: list[_Frame] = []
    spans: dict[Path, Span] = {}
    duplicates: list[DuplicateKey] = []
    complex_keys: list[tuple[Path, int, int]] = []
    first_line: dict[Path, int] = {}
    doc_line = 1
    root: Any = None
    have_root = False

    def place(value: Any, start: Any, end: Any, size: int, raw: str | None) -> None:
        """Attach a finished value to the enclosing container and record its span."""
        nonlocal root, have_root
        if not stack:
            root, have_root = value, True
            spans[()] = Span(
                start.line + 1,
                start.column + 1,
                start.line + 1,
                start.column + 1,
                end.line + 1,
                end.column + 1,
                raw,
            )
            return
        top = stack[-1]
        top.size += size
        if top.is_map:
            if top.key is None:
                # this value is a key
                if isinstance(value, (dict, list)):
                    complex_keys.append((top.path, start.line + 1, start.column + 1))
                    top.key = "?"
                else:
                    top.key = raw if raw is not None else ("" if value is None else str(value))
                top.key_mark = start
                return
            key = top.key
            kmark = top.key_mark
            top.key = None
            path = (*top.path, key)
            if key in top.container:
                if len(duplicates) < MAX_DUPLICATES:
                    duplicates.append(
                        DuplicateKey(
                            path, kmark.line + 1, kmark.column + 1, first_line.get(path, 0)
                        )
                    )
                return
            top.container[key] = value
            if lazy:
                if len(path) == 1:
                    spans[path] = Span(kmark.line + 1, kmark.column + 1, *_span_rest(start, end))
                return
            first_line[path] = kmark.line + 1
            spans[path] = Span(
                kmark.line + 1,
                kmark.column + 1,
                start.line + 1,
                start.column + 1,
                end.line + 1,
                end.column + 1,
                raw,
            )
        else:
            idx = len(top.container)
            top.container.append(value)
            path = (*top.path, idx)
            if lazy:
                if len(path) == 2 and path[0] == "items":
                    regions[path] = (start.index, end.index)
                    spans[path] = Span(start.line + 1, start.column + 1, *_span_rest(start, end))
                return
            spans[path] = Span(
                start.line + 1,
                start.column + 1,
                start.line + 1,
                start.column + 1,
                end.line + 1,
                end.column + 1,
                raw,
            )

    def child_path() -> Path:
        top = stack[-1]
        if top.is_map:
            return (*top.path, top.key if top.key is not None else "?")
        return (*top.path, len(top.container))

    loader = _Loader(text)
    try:
        while True:
            # get_event directly: yaml.parse() wraps it in a generator and check_event calls
            event = loader.get_event()
            cls = type(event)
            if event is None or cls is _StreamEnd:
                break
            if cls is _Scalar:
                total_nodes += 1
                value, tag = _scalar_value(event)
                raw = event.value if tag != STR else None
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                place(value, event.start_mark, event.end_mark, 1, raw)
            elif cls is _MapStart or cls is _SeqStart:
                total_nodes += 1
                if len(stack) >= MAX_DEPTH:
                    raise InputRejected(
                        f"YAML is nested more than {MAX_DEPTH} levels deep",
                        line=event.start_mark.line + 1,
                        column=event.start_mark.column + 1,
                    )
                is_map = cls is _MapStart
                path: Path = child_path() if stack else ()
                if stack and stack[-1].is_map and stack[-1].key is None:
                    path = (*stack[-1].path, "?")
                stack.append(
                    _Frame({} if is_map else [], path, event.anchor, event.start_mark, is_map)
                )
            elif cls is _MapEnd or cls is _SeqEnd:
                frame = stack.pop()
                if frame.anchor:
                    anchors[frame.anchor] = (frame.container, frame.size)
                place(frame.container, frame.start, event.end_mark, frame.size, None)
            elif cls is _Alias:
                if event.anchor not in anchors:
                    raise YamlSyntaxError(
                        f"found undefined alias {event.anchor!r}",
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                    )
                value, size = anchors[event.anchor]
                total_nodes += size
                if total_nodes > max_nodes:
                    raise InputRejected(
                        "YAML aliases expand to too many nodes "
                        f"(more than {max_nodes:,}: an alias bomb?)",
                        line=event.start_mark.line + 1,
                        column=event.start_mark.column + 1,
                    )
                place(value, event.start_mark, event.end_mark, size, None)
            elif cls is _DocStart:
                doc_line = event.start_mark.line + 1
                doc_start = event.start_mark.index
                regions = {}
                spans, duplicates, complex_keys, first_line = {}, [], [], {}
                anchors = {}
                root, have_root = None, False
            elif cls is _DocEnd:
                docs.append(
                    Document(
                        root if have_root else None,
                        spans,
                        len(docs),
                        doc_line,
                        duplicates,
                        complex_keys,
                    )
                )
                if lines is not None:
                    if not regions:
                        regions[()] = (doc_start, event.end_mark.index)
                    locator = _Locator(lines, regions, spans)
                    docs[-1].locate = locator
                    if duplicates:
                        docs[-1].duplicates = _placed(duplicates, locator)
                if len(docs) > max_documents:
                    raise InputRejected(f"more than {max_documents:,} YAML documents in one text")
            if total_nodes > max_nodes:
                raise InputRejected(f"YAML has too many nodes (more than {max_nodes:,})")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 1
        problem = exc.problem or "invalid YAML"
        if "maximum nesting depth" in problem:
            # libyaml's own limit (1000 flow levels) can trip before MAX_DEPTH sees the events
            raise InputRejected(
                f"YAML is nested more than {MAX_DEPTH} levels deep", line=line, column=col
            ) from None
        template = helm_marker(text, line)
        if template is not None:
            # a chart's template, not YAML yet: say so instead of the parser's complaint
            raise InputRejected(template.message, template.line, template.column) from None
        if exc.context:
            problem = f"{problem} ({exc.context})"
        raise YamlSyntaxError(problem, line, col) from None
    except ReaderError as exc:
        # a character YAML does not allow: the reader gives its index, not a line
        line, col = _line_column(text, exc.position)
        raise YamlSyntaxError(
            f"unacceptable character #x{exc.character:04x}: control characters are not allowed"
            if isinstance(exc.character, int)
            else (str(exc).splitlines()[0] or "invalid YAML"),
            line,
            col,
        ) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(
            str(exc).splitlines()[0] if str(exc) else "invalid YAML", 1, 1
        ) from None
    except RecursionError:
        raise InputRejected("YAML is nested too deeply") from None
    finally:
        loader.dispose()
    return docs, total_nodes


def _placed(found: list[DuplicateKey], locator: _Locator) -> list[DuplicateKey]:
    """The duplicate keys of a large text read without a span per field, with the line where
    each key was first set: the List items that hold one are read again with positions (a
    whole document over the editor's size keeps what the first reading found)."""
    out: list[DuplicateKey] = []
    again: set[Path] = set()
    for d in found:
        prefix = d.path[:2]
        if prefix not in locator.regions:
            out.append(d)
        elif prefix not in again:
            again.add(prefix)
            out.extend(locator.duplicates(prefix))
    return out[:MAX_DUPLICATES]


def _refuse_templates(text: str, docs: list[Document]) -> None:
    """`port: {{ .Values.port }}` parses as a map whose key is a map: when such a key sits on
    a Helm action's line, the text is a chart template (tutor.model.templates)."""
    lines = {line for d in docs for _, line, _ in d.complex_keys}
    if not lines:
        return
    template = helm_marker(text, max(lines))
    if template is not None:
        raise InputRejected(template.message, template.line, template.column)


REUSED_CHARACTERS = 100_000
"""Texts up to this size (the editor's largest) are parsed document by document, reusing
documents parsed lately; the cache keeps at most this many characters of them."""
REUSED_PIECES = 256
"""Most documents the cache keeps (a keystroke adds one: the edited document's new text)."""
KEPT_BESIDES = 32
"""Documents kept besides those of the text just parsed (the older versions of an edited
document, another step's manifest): a classroom server runs a tutor per learner, and a
lesson's text is a few KB where the cache may hold 100 KB."""


@dataclass(slots=True)
class _Piece:
    """One document's text parsed alone: its documents (one, or none for a leading comment),
    their lines counted from `first_line`, where the piece last began, and its node count."""

    docs: list[Document]
    first_line: int
    nodes: int


_PIECES: dict[str, _Piece] = {}
"""Piece text -> its parse, least recently used first."""
_PIECES_LOCK = threading.Lock()
_pieces_characters = 0


def _keep(text: str, piece: _Piece) -> None:
    """Keep `piece` as the most recently used; forget the least recently used beyond the
    cache's bounds. (A lock: the app analyzes a large text in a thread.)"""
    global _pieces_characters
    with _PIECES_LOCK:
        if _PIECES.pop(text, None) is None:
            _pieces_characters += len(text)
        _PIECES[text] = piece
        _trim(REUSED_PIECES)


def _trim(most: int) -> None:
    """Forget the least recently used pieces beyond `most` and the cache's size (lock held)."""
    global _pieces_characters
    while _PIECES and (_pieces_characters > REUSED_CHARACTERS or len(_PIECES) > most):
        oldest = next(iter(_PIECES))
        del _PIECES[oldest]
        _pieces_characters -= len(oldest)


def forget_reused() -> None:
    """Empty the cache of parsed documents (tests compare a cold parse with a warm one)."""
    global _pieces_characters
    with _PIECES_LOCK:
        _PIECES.clear()
        _pieces_characters = 0


_NOT_SPLIT = re.compile(r"\r(?!\n)|[\x85\u2028\u2029]|^(?:\.\.\.|%)", re.MULTILINE)
"""What makes splitting at `---` lines unsafe: line breaks other than LF and CR LF (YAML
counts them as lines, counting LFs does not), `...` document ends and `%` directives (a
`%TAG` carries over to the next document)."""


def _load_pieces(text: str, limits: Limits) -> list[Document] | None:
    """`_load_yaml(text, limits, lazy=False)` from the documents' texts, each parsed alone and
    kept: a keystroke changes one document, and parsing the other 50 again was most of its
    cost. None when the text must be parsed whole: splitting is unsafe (`_NOT_SPLIT`), or a
    piece is not YAML or breaks a limit (the whole parse then finds the same error, worded
    and placed as ever), or the pieces add up to more than `limits` allows.

    Why the split is exact: a `---` at the start of a line always starts a document (block
    scalars are indented; a plain scalar ends there; a quoted or flow one is an error), the
    builder starts afresh at each document (anchors, duplicate keys), and each piece begins a
    line, so only the line numbers move: by the lines before the piece."""
    if _NOT_SPLIT.search(text):
        return None
    starts = [m.start() for m in _DOCUMENT_START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    starts.append(len(text))
    docs: list[Document] = []
    nodes = 0
    line, counted = 1, 0
    for start, end in itertools.pairwise(starts):
        piece_text = text[start:end]
        line += text.count("\n", counted, start)
        counted = start
        piece = _PIECES.get(piece_text)
        if piece is None:
            try:
                built, built_nodes = _build(piece_text, limits, lazy=False)
            except (YamlSyntaxError, InputRejected):
                return None
            piece = _Piece(built, 1, built_nodes)
        if piece.first_line != line:
            piece = _Piece(
                [_shifted(d, line - piece.first_line) for d in piece.docs], line, piece.nodes
            )
        _keep(piece_text, piece)
        nodes += piece.nodes
        for d in piece.docs:
            docs.append(
                Document(
                    d.data, d.spans, len(docs), d.line, d.duplicates, d.complex_keys, memo=d.memo
                )
            )
    with _PIECES_LOCK:
        _trim(len(starts) - 1 + KEPT_BESIDES)  # this text's pieces are the most recent
    if nodes > limits.nodes or len(docs) > limits.documents:
        return None
    _refuse_templates(text, docs)
    return [d for d in docs if d.data is not None]


def _shifted(doc: Document, by: int) -> Document:
    """`doc` as if it began `by` lines further down."""
    return Document(
        doc.data,
        {
            path: Span(line + by, column, vline + by, vcolumn, eline + by, ecolumn, raw)
            for path, (line, column, vline, vcolumn, eline, ecolumn, raw) in doc.spans.items()
        },
        doc.index,
        doc.line + by,
        [
            DuplicateKey(d.path, d.line + by, d.column, d.first_line + by if d.first_line else 0)
            for d in doc.duplicates
        ],
        [(path, line + by, column) for path, line, column in doc.complex_keys],
    )


def _load_json(text: str, start: int) -> list[Document] | None:
    """A large JSON text (`kubectl get ... -o json`) read by the json module: the same data the
    YAML builder makes (JSON is YAML), several times faster. None when the text is not JSON:
    the YAML reader then says why, as it does for a small file.

    Read in one call, so every key is one string object however often it repeats (reading the
    List item by item made a copy of each key per item: 0.2 s and 40 MB more on a 100 MB dump);
    where each item is, wanted only to place an error, is found again when one asks
    (`_json_regions`). What the YAML builder refuses is refused here too, in the same words:
    duplicate keys (kubectl's strict decoding: `_Strict` notices them as the text is read, and
    `_json_duplicates` then finds and places them) and nesting deeper than MAX_DEPTH
    (`_decode_bounded`). Size is bounded by the text limit (no aliases in JSON)."""
    strict = _Strict()
    collecting = gc.isenabled()
    gc.disable()  # millions of new dicts and lists, no cycles: the collector only slows it down
    try:
        data, end = _decode_bounded(strict.decoder, text, start)
    except ValueError:  # json.JSONDecodeError
        return None
    finally:
        if collecting:
            gc.enable()
    if _WS.match(text, end).end() != len(text):  # type: ignore[union-attr]
        return None
    lines = _Lines(text)
    listed = (
        isinstance(data, dict)
        and isinstance(data.get("items"), list)
        and isinstance(data.get("kind"), str)
        and data["kind"].endswith("List")
    )
    regions: Callable[[], dict[Path, tuple[int, int]]] = (
        (lambda: _json_regions(text, start, None)) if listed else (lambda: {(): (start, end)})
    )
    doc = Document(data, {}, 0, 1)
    locator = _Locator(lines, regions, doc.spans)
    doc.locate = locator
    if strict.duplicates:
        doc.duplicates = _json_duplicates(text, start, end, listed, locator)
    return [doc]


class _Strict:
    """The json module keeps the last of two equal keys without a word; this `object_pairs_hook`
    counts the objects that had one (the builder then places them: `_json_duplicates`)."""

    __slots__ = ("decoder", "duplicates")

    def __init__(self) -> None:
        self.duplicates = 0
        self.decoder = json.JSONDecoder(object_pairs_hook=self.pairs)

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            self.duplicates += 1
        return out


def _decode_bounded(decoder: json.JSONDecoder, text: str, start: int) -> tuple[Any, int]:
    """`decoder.raw_decode(text, start)`, refusing nesting deeper than MAX_DEPTH as the YAML
    builder does ("JSON is nested more than 64 levels deep", at the place).

    The json module's C reader counts each level it enters against the interpreter's recursion
    limit, so the limit is lowered while it reads to where it reads MAX_DEPTH levels of lists
    and no more (found by reading such a text from this frame: Python's frames alone do not
    tell how deep the stack is): the bound costs nothing, where walking 100 MB of data for its
    depth cost 0.5 s. A `_Strict` hook adds a frame below the deepest map, so a refusal is
    confirmed by `_refuse_deep`, and the text read again a level looser if it was wrong. The
    limit is every thread's, so with other threads running (or on a Python whose reader does
    not count levels against it) the depth is measured after reading instead."""
    limit = sys.getrecursionlimit()
    if threading.active_count() == 1:
        try:
            # the lowest limit at which this frame reads MAX_DEPTH nested lists: a few tries
            # of a 128-character text (microseconds)
            low, high = 1, limit  # `limit` reads it: this frame is not that deep
            while low < high:
                mid = (low + high) // 2
                try:
                    sys.setrecursionlimit(mid)
                    decoder.raw_decode(_PROBE, 0)
                except RecursionError:  # too low to read it, or below the stack's depth
                    low = mid + 1
                else:
                    high = mid
            sys.setrecursionlimit(high)
            try:
                decoder.raw_decode(_PROBE_DEEPER, 0)
                counted = False
            except RecursionError:
                counted = True
            for extra in (0, 1) if counted else ():
                sys.setrecursionlimit(high + extra)
                try:
                    return decoder.raw_decode(text, start)
                except RecursionError:
                    pass
                sys.setrecursionlimit(limit)
                _refuse_deep(text, start)
        finally:
            sys.setrecursionlimit(limit)
    try:
        value, end = decoder.raw_decode(text, start)
    except RecursionError:
        _refuse_deep(text, start)
        raise InputRejected(f"JSON is nested more than {MAX_DEPTH} levels deep") from None
    if _depth(value) > MAX_DEPTH:
        _refuse_deep(text, start)
    return value, end


_PROBE = "[" * MAX_DEPTH + "]" * MAX_DEPTH
_PROBE_DEEPER = "[" + _PROBE + "]"


def _depth(value: Any) -> int:
    """Levels of maps and lists in `value`, counted a level at a time up to MAX_DEPTH + 1."""
    depth = 0
    level = [value]
    while level and depth <= MAX_DEPTH:
        kept = [v for v in level if v.__class__ is dict or v.__class__ is list]
        if not kept:
            break
        depth += 1
        level = [x for v in kept for x in (v.values() if v.__class__ is dict else v)]
    return depth


_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _refuse_deep(text: str, start: int) -> None:
    """Raise InputRejected at the first map or list nested deeper than MAX_DEPTH, if any."""
    depth = 0
    for m in _JSON_TOKEN.finditer(text, start):
        c = text[m.start()]
        if c == "{" or c == "[":
            depth += 1
            if depth > MAX_DEPTH:
                line, column = _line_column(text, m.start())
                raise InputRejected(
                    f"JSON is nested more than {MAX_DEPTH} levels deep", line=line, column=column
                )
        elif c == "}" or c == "]":
            depth -= 1
            if depth == 0:
                return


def _json_regions(text: str, start: int, flagged: list[Path] | None) -> dict[Path, tuple[int, int]]:
    """Where each item of the top-level List is: the text read again item by item (the data is
    already read; this runs only when an error asks where it is). `flagged`: also collect the
    items that hold a duplicate key. The text is known to be JSON here."""
    strict = _Strict() if flagged is not None else None
    decoder = strict.decoder if strict is not None else _JSON
    regions: dict[Path, tuple[int, int]] = {}
    collecting = gc.isenabled()
    gc.disable()
    try:
        pos = _skip(text, start + 1)
        while not text.startswith("}", pos):
            key, pos = _JSON.raw_decode(text, pos)
            pos = _skip(text, _skip(text, pos) + 1)  # past the colon
            if key == "items" and text.startswith("[", pos):
                regions = {}  # of two `items` keys, the last one is the data's
                if flagged is not None:
                    flagged.clear()
                pos = _skip(text, pos + 1)
                while not text.startswith("]", pos):
                    seen = strict.duplicates if strict is not None else 0
                    _, end = decoder.raw_decode(text, pos)
                    path = ("items", len(regions))
                    regions[path] = (pos, end)
                    if strict is not None and flagged is not None and strict.duplicates > seen:
                        flagged.append(path)
                    pos = _skip(text, end)
                    if text.startswith(",", pos):
                        pos = _skip(text, pos + 1)
                pos += 1
            else:
                _, pos = _JSON.raw_decode(text, pos)
            pos = _skip(text, pos)
            if text.startswith(",", pos):
                pos = _skip(text, pos + 1)
    finally:
        if collecting:
            gc.enable()
    return regions


def _json_duplicates(
    text: str, start: int, end: int, listed: bool, locator: _Locator
) -> list[DuplicateKey]:
    """The duplicate keys of a large JSON text, placed as the YAML builder places them: the
    items that hold one are found (`_json_regions`) and read again by the builder, which lists
    them with their lines. At most MAX_DUPLICATES, as for a small text; a List's own keys are
    not objects the model reads (as for a small text)."""
    if listed:
        flagged: list[Path] = []
        locator.found = _json_regions(text, start, flagged)
    else:
        flagged = [()]
    out: list[DuplicateKey] = []
    for prefix in flagged:
        out.extend(locator.duplicates(prefix))
        if len(out) >= MAX_DUPLICATES:
            return out[:MAX_DUPLICATES]
    return out


_JSON = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")
_DOCUMENT_START = re.compile(r"^---(?=[ \t\r\n]|\Z)", re.MULTILINE)


def _skip(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()  # type: ignore[union-attr]


def _span_rest(start: Any, end: Any) -> tuple[int, int, int, int]:
    return start.line + 1, start.column + 1, end.line + 1, end.column + 1


class _Lines:
    """Line numbers of character offsets in a large text, counted forward from the last one
    asked (objects are located in file order), so locating every item costs one pass."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1

    def line_of(self, index: int) -> int:
        if index < self.offset:
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, index)
        self.offset = index
        return self.line


_REGION_LIMITS = Limits(FILE_TEXT_BYTES, FILE_NODES, FILE_DOCUMENTS)


class _Locator:
    """`Document.locate` for a large text: the first time a path inside a List item (or a
    document) is asked for, that object's text alone is read again with positions (the
    characters before it on its first line become spaces, so columns stay right). `regions`
    may be a function: a JSON text finds its items' places only when first asked."""

    def __init__(
        self,
        lines: _Lines,
        regions: dict[Path, tuple[int, int]] | Callable[[], dict[Path, tuple[int, int]]],
        spans: dict[Path, Span],
    ) -> None:
        self.lines = lines
        self.found = regions if isinstance(regions, dict) else None
        self.find = regions
        self.spans = spans
        self.done: set[Path] = set()

    @property
    def regions(self) -> dict[Path, tuple[int, int]]:
        if self.found is None:
            find = self.find
            assert callable(find)
            self.found = find()
        return self.found

    def __call__(self, path: Path) -> None:
        regions = self.regions
        prefix = path[:2] if path[:2] in regions else ()
        if prefix in self.done or prefix not in regions:
            return
        self.done.add(prefix)
        doc, first, column = self._read(prefix, lazy=False)
        if doc is None:
            self.spans.setdefault(prefix, Span(first, column, first, column, first, column))
            return
        shift = first - 1
        for p, s in doc.spans.items():
            self.spans.setdefault(
                (*prefix, *p),
                Span(
                    s.line + shift,
                    s.column,
                    s.value_line + shift,
                    s.value_column,
                    s.end_line + shift,
                    s.end_column,
                    s.raw,
                ),
            )

    def duplicates(self, prefix: Path) -> list[DuplicateKey]:
        """The duplicate keys inside the object at `prefix`, with their places in the text."""
        start, end = self.regions[prefix]
        # a whole document over the editor's size: its duplicates need no span per field
        doc, first, _ = self._read(prefix, lazy=end - start > MAX_TEXT_BYTES)
        if doc is None:
            return []
        shift = first - 1
        return [
            DuplicateKey(
                (*prefix, *d.path),
                d.line + shift,
                d.column,
                d.first_line + shift if d.first_line else 0,
            )
            for d in doc.duplicates
        ]

    def _read(self, prefix: Path, *, lazy: bool) -> tuple[Document | None, int, int]:
        """The object at `prefix` read alone by the builder (None if it cannot be), the line
        it starts on and its column."""
        start, end = self.regions[prefix]
        text = self.lines.text
        line_start = text.rfind("\n", 0, start) + 1
        first = self.lines.line_of(line_start)
        try:
            docs = _load_yaml(
                " " * (start - line_start) + text[start:end], _REGION_LIMITS, lazy=lazy
            )
        except (YamlSyntaxError, InputRejected):
            docs = []
        return (docs[0] if docs else None), first, start - line_start + 1
