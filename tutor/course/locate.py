"""Which manifest document and which line a step's field path points at.

A step's `path` is a field path (`spec.ports[0].targetPort`) in ONE document of the step's
manifest: the one named by the step's `doc: Kind/name`, else the first Service, else the first
document. The linter checks the field exists; the app highlights the line this returns.
"""

from __future__ import annotations

from tutor.model.limits import InputRejected
from tutor.model.paths import Path as FieldPath
from tutor.model.paths import parse_path
from tutor.model.yamldoc import Document, Span, YamlSyntaxError, load_documents

from .lesson import Lesson


def _kind_name(doc: Document) -> tuple[str, str]:
    data = doc.data
    if not isinstance(data, dict):
        return "", ""
    meta = data.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    return str(data.get("kind", "")), str(name) if name is not None else ""


def document_refs(docs: list[Document]) -> list[str]:
    """`Kind/name` of each document that has both, in order: what a step's `doc` may name."""
    return [ref for ref in document_refs_all(docs) if ref]


def document_refs_all(docs: list[Document]) -> list[str]:
    """`Kind/name` of each document, "" for one without a kind or a name (one per document)."""
    return [f"{k}/{n}" if k and n else "" for k, n in map(_kind_name, docs)]


def find_document(docs: list[Document], doc: str = "") -> Document | None:
    """The document `doc` (`Kind/name`, kind case-insensitive) names, or the default one."""
    if doc:
        kind, _, name = doc.partition("/")
        for d in docs:
            k, n = _kind_name(d)
            if k.lower() == kind.lower() and n == name:
                return d
        return None
    for d in docs:
        if _kind_name(d)[0] == "Service":
            return d
    return docs[0] if docs else None


def span_in(docs: list[Document], segments: FieldPath, doc: str = "") -> Span | None:
    """Where a step's field is among `docs`: in the document `doc` names (only there: the
    same path in another document is another object's field); without `doc`, in the default
    document, else in the first document that has it (a learner may reorder documents). The
    app's highlight and the handout's mark both use this."""
    if doc:
        target = find_document(docs, doc)
        return target.spans.get(segments) if target is not None else None
    default = find_document(docs)
    if default is not None and (span := default.spans.get(segments)) is not None:
        return span
    return next((s for d in docs if (s := d.spans.get(segments)) is not None), None)


def field_span(manifest: str, path: str, doc: str = "") -> Span | None:
    """The exact span of `path` in the step's document (`span_in`); None when it is not there
    (or the manifest does not parse, or `path` is not a field path)."""
    try:
        docs = load_documents(manifest)
        segments = parse_path(path)
    except (YamlSyntaxError, InputRejected, ValueError):
        return None
    return span_in(docs, segments, doc)


def step_span(lesson: Lesson, index: int) -> Span | None:
    """Where step `index`'s field is in its starting manifest (1-based line and column)."""
    step = lesson.steps[index]
    if not step.path:
        return None
    return field_span(lesson.step_manifest(index), step.path, step.doc)
