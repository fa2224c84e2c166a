"""Reusing parsed documents (`load_documents(..., reuse=True)`, what `parse` does on every
keystroke) gives exactly what a fresh parse of the whole text gives: the same data, spans,
indexes, duplicate keys and errors (message, line, column), whatever the edit did to the
documents around it; and an edit in one document parses that document alone again."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from testkit import builtin_lessons

from tutor.model import yamldoc
from tutor.model.analysis import analyze
from tutor.model.changes import ClusterChanges, analyze_with_changes
from tutor.model.limits import EDITOR, FILE, InputRejected, Limits
from tutor.model.manifests import parse
from tutor.model.yamldoc import Document, YamlSyntaxError, load_documents

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
"""


def pod(i: int, extra: str = "") -> str:
    return f"""\
apiVersion: v1
kind: Pod
metadata:
  name: web-{i}
  labels:
    app: web
spec:
  nodeName: node-{i % 2 + 1}
  containers:
  - name: app
    image: nginx
    ports:
    - containerPort: 8080
{extra}"""


BASE = "# a comment first\n" + "---\n".join([SERVICE] + [pod(i) for i in range(6)])


def outcome(text: str, reuse: bool, limits: Limits = EDITOR) -> Any:
    """What load_documents gives, in comparable form: the documents, or the error."""
    try:
        docs = load_documents(text, limits, reuse=reuse)
    except YamlSyntaxError as exc:
        return ("syntax", exc.message, exc.line, exc.column)
    except InputRejected as exc:
        return ("rejected", exc.reason, exc.line, exc.column)
    return [view(d) for d in docs]


def view(doc: Document) -> tuple[Any, ...]:
    # repr: `.nan` is not equal to itself
    return (repr(doc.data), doc.spans, doc.index, doc.line, doc.duplicates, doc.complex_keys)


def same_as_fresh(text: str, limits: Limits = EDITOR) -> None:
    assert outcome(text, True, limits) == outcome(text, False, limits), text


@pytest.fixture(autouse=True)
def cold_cache() -> Iterator[None]:
    yamldoc.forget_reused()
    yield
    yamldoc.forget_reused()


CASES = {
    "unchanged": BASE,
    "a character typed in the first document": BASE.replace("name: web\n", "name: webx\n", 1),
    "a line added before the others": BASE.replace("spec:\n", "spec:\n\n\n", 1),
    "a line removed": BASE.replace("  selector:\n    app: web\n", "  selector: {}\n", 1),
    "a document added": BASE + "---\n" + pod(9),
    "a document removed": BASE.replace("---\n" + pod(3), ""),
    "documents reordered": "---\n".join([pod(2), SERVICE, pod(1), pod(0)]),
    "two identical documents": "---\n".join([SERVICE, pod(1), pod(1), pod(1)]),
    "empty documents": "---\n---\n" + SERVICE + "---\n---\n# only a comment\n---\n",
    "no document at all": "# nothing\n",
    "empty text": "",
    "a leading ---": "---\n" + SERVICE,
    "--- then content on its line": "--- !!map\n" + SERVICE + "--- {a: 1}\n--- |\n  text\n",
    "--- inside a block scalar, indented": pod(1, "    args: |\n      ---\n      x\n"),
    "--- at column 0 ends a block scalar": pod(1, "    args: |\n      a\n---\nb: 1\n"),
    "--- inside a quoted scalar": 'a: "one\n---\ntwo"\n',
    "--- inside a flow sequence": "a: [1,\n---\n2]\n",
    "--- with no space after": "a: 1\n---x: 2\n",
    "---- is not a document start": "a: |\n  x\n----\n",
    "a syntax error in one document": BASE.replace("  name: web-2\n", "  name: [web-2\n"),
    "a tab in one document": BASE.replace("  name: web-3\n", "\tname: web-3\n"),
    "duplicate keys": BASE.replace("  name: web-4\n", "  name: web-4\n  name: again\n"),
    "duplicate keys, shifted": "\n\n" + BASE.replace("  name: web-4\n", "  name: a\n  name: b\n"),
    "a complex key": BASE + "---\n? [a, b]\n: c\n",
    "an alias in its own document": "a: &x 1\nb: *x\n---\nc: &y [1]\nd: *y\n",
    "an alias to another document's anchor": "a: &x 1\n---\nb: *x\n",
    "a helm template": BASE + "---\nspec:\n  port: {{ .Values.port }}\n",
    "document end markers": SERVICE + "...\n---\n" + pod(1),
    "a directive": "%YAML 1.1\n---\n" + SERVICE,
    "a tag directive for a later document": "a: 1\n...\n%TAG !e! tag:e.com,2000:\n---\nb: !e!x 1\n",
    "a document end, then a bare document": "a: 1\n...\nb: 1\n---\nc: 1\n",
    "CRLF line ends": BASE.replace("\n", "\r\n"),
    "a CR alone": SERVICE + "\r---\n" + pod(1),
    "a CR alone, then documents": "a: 1\rb: 2\n---\n" + pod(1) + "---\n" + pod(2),
    "a line separator": SERVICE.replace("\n", "\u2028", 2) + "---\n" + pod(1),
    "a scalar YAML resolves": "a: yes\nb: 1.10\nc: 0x1f\nd: .nan\ne: ~\n---\nf: 2024-01-01\n",
    "a top-level list and a scalar": "- a\n- b\n---\njust text\n---\n42\n",
    "a control character": SERVICE + "---\nname: a\x07b\n",
    "no trailing newline": BASE.rstrip("\n"),
    "deep nesting": "a: " + "[" * 70 + "]" * 70 + "\n---\n" + SERVICE,
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_same_as_a_fresh_parse_cold_and_warm(text: str) -> None:
    same_as_fresh(text)  # every piece parsed anew
    same_as_fresh(text)  # every piece reused
    yamldoc.forget_reused()
    same_as_fresh(BASE)  # the pieces of another text cached: some reused, some not
    same_as_fresh(text)


LIMIT_CASES = {
    "nodes over the limit across documents": ("a: [1, 2, 3]\n---\nb: [4, 5, 6]\n", 7, 10),
    "nodes at the limit across documents": ("a: [1, 2, 3]\n---\nb: [4, 5, 6]\n", 10, 10),
    "an alias bomb split over documents": ("a: &x [1, 2, 3]\nb: [*x, *x]\n---\nc: 1\n", 9, 10),
    "documents over the limit": ("a: 1\n---\nb: 2\n---\nc: 3\n", 1000, 2),
}


@pytest.mark.parametrize(("text", "nodes", "documents"), LIMIT_CASES.values(), ids=LIMIT_CASES)
def test_limits_count_the_whole_text(text: str, nodes: int, documents: int) -> None:
    limits = Limits(EDITOR.text_bytes, nodes, documents)
    same_as_fresh(text, limits)
    same_as_fresh(text, limits)
    same_as_fresh(text)  # the same pieces, cached, under the editor's limits
    same_as_fresh(text, limits)


MUTATIONS = ("insert", "delete", "newline", "separator", "unseparate", "paste", "swap")
SNIPPETS = ("x", ":", " ", "- ", "'", '"', "[", "{", "&a ", "*a", "#", "\t", "|\n  ", "---\n")


def mutate(text: str, rng: random.Random) -> str:
    kind = rng.choice(MUTATIONS)
    at = rng.randrange(len(text) + 1)
    if kind == "insert":
        return text[:at] + rng.choice(SNIPPETS) + text[at:]
    if kind == "delete":
        return text[:at] + text[at + rng.randint(1, 4) :]
    if kind == "newline":
        return text[:at] + "\n" + text[at:]
    if kind == "separator":
        line = text.rfind("\n", 0, at) + 1
        return text[:line] + "---\n" + text[line:]
    if kind == "unseparate":
        return text.replace("---\n", "", 1)
    if kind == "paste":
        return text[:at] + pod(rng.randrange(9)) + text[at:]
    docs = text.split("---\n")
    rng.shuffle(docs)
    return "---\n".join(docs)


@pytest.mark.parametrize("seed", range(6))
def test_a_long_random_edit_session(seed: int) -> None:
    """A learner's typing: each text is compared with a fresh parse, the cache kept between
    them (errors included: half the texts on the way are not YAML)."""
    rng = random.Random(seed)
    text = BASE
    for _ in range(150):
        text = mutate(text, rng)
        if len(text) > 6000 or rng.random() < 0.05:
            text = BASE
        same_as_fresh(text)


def test_an_edit_parses_only_the_document_it_changed() -> None:
    before = load_documents(BASE, reuse=True)
    edited = BASE.replace("  name: web-2\n", "  name: web-22\n")
    after = load_documents(edited, reuse=True)
    assert [d.data is b.data for d, b in zip(after, before, strict=True)] == [
        True,
        True,
        True,
        False,
        True,
        True,
        True,
    ]
    assert after[3].data["metadata"]["name"] == "web-22"


def test_a_new_line_moves_the_documents_below_without_parsing_them() -> None:
    before = load_documents(BASE, reuse=True)
    after = load_documents(BASE.replace("name: web-1\n", "name: web-1\n\n"), reuse=True)
    assert [d.data is b.data for d, b in zip(after, before, strict=True)] == [
        True,
        True,
        False,
        True,
        True,
        True,
        True,
    ]
    assert [d.line for d in after] == [d.line + (i > 2) for i, d in enumerate(before)]
    span = after[4].exact(("metadata", "name"))
    assert span is not None and BASE.splitlines()[span.line - 2].endswith("name: web-3")


def test_the_cache_is_bounded() -> None:
    for i in range(3 * yamldoc.REUSED_PIECES):
        load_documents(SERVICE.replace("web", f"web{i}"), reuse=True)
    assert len(yamldoc._PIECES) == 1 + yamldoc.KEPT_BESIDES
    text = BASE
    for i in range(100):  # typing in one document: its old versions do not pile up
        text = text.replace("  name: web-2", f"  name: web-2{i % 10}", 1)
        load_documents(text, reuse=True)
    assert len(yamldoc._PIECES) == 7 + yamldoc.KEPT_BESIDES
    assert all(p in yamldoc._PIECES for p in ("---\n" + pod(5), "---\n" + pod(1)))
    big = "---\n".join(pod(i, "    args: [" + "a, " * 400 + "b]\n") for i in range(60))
    load_documents(big, reuse=True)
    assert sum(map(len, yamldoc._PIECES)) <= yamldoc.REUSED_CHARACTERS


def course_texts() -> list[str]:
    texts: list[str] = []
    for lesson in builtin_lessons():
        texts.append(lesson.manifest)
        texts += [s.manifest for s in lesson.steps if s.manifest is not None]
        for c in lesson.challenges:
            texts += [c.manifest, c.solution] + [w.manifest for w in c.wrong_solutions]
    return list(dict.fromkeys(texts))


def test_the_model_on_reused_documents_is_the_model_on_fresh_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every manifest of the course analysed twice with reuse (the second time every document
    is reused: the first analysis must not have changed them) and once without."""
    texts = [*course_texts(), BASE.replace("  name: web-4\n", "  name: web-4\n  name: x\n")]
    assert len(texts) > 50
    cold = [analyze(t).route_json() for t in texts]
    warm = [analyze(t).route_json() for t in texts]
    monkeypatch.setattr(yamldoc, "REUSED_CHARACTERS", -1)  # no reuse at all
    fresh = [analyze(t).route_json() for t in texts]
    assert warm == cold
    assert fresh == cold


def pods_of(text: str) -> list[tuple[Any, ...]]:
    return [
        (p.ref, p.ip, p.node_name, p.ready, p.phase, p.labels, p.ports, p.source)
        for p in analyze(text).cluster.pods
    ]


@pytest.mark.parametrize("seed", range(3))
def test_the_model_through_a_long_random_edit_session(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pods are read once per document (`Document.memo`): what every keystroke's analysis
    says, errors and Pods included, is what it says with nothing reused."""
    rng = random.Random(seed)
    # Pods without a node: the simulation places them round-robin and gives them addresses
    unplaced = [pod(i).replace(f"  nodeName: node-{i % 2 + 1}\n", "") for i in (10, 11, 12)]
    text = "---\n".join([BASE, pod(7, "    ports: oops\n"), *unplaced])
    texts = []
    for _ in range(60):
        text = mutate(text, rng)
        texts.append(text)
    warm = [(analyze(t).route_json(), pods_of(t)) for t in texts]
    monkeypatch.setattr(yamldoc, "REUSED_CHARACTERS", -1)
    fresh = [(analyze(t).route_json(), pods_of(t)) for t in texts]
    assert warm == fresh


def test_changing_the_cluster_leaves_the_kept_pods_alone() -> None:
    """The routing view's keys change the analysed cluster's Pods; the Pods kept for the next
    keystroke must not change with them."""
    before = pods_of(BASE)
    changes = ClusterChanges()
    changes.set_ready("default/web-1", False)
    changes.set_labels("default/web-2", {"app": "other"})
    changes.move("default/web-3", "node-9")
    changed = analyze_with_changes(BASE, changes)
    assert {p.name: (p.ready, p.labels, p.node_name) for p in changed.cluster.pods}["web-2"][1] == {
        "app": "other"
    }
    assert pods_of(BASE) == before


def test_a_kept_pod_is_placed_afresh_by_each_analysis() -> None:
    """The simulation gives Pods without a node one round-robin: when the first of two such
    Pods becomes invalid, the second takes its node. The kept second Pod must not remember
    the node an earlier analysis gave it."""
    first, second = (pod(i).replace(f"  nodeName: node-{i % 2 + 1}\n", "") for i in (1, 2))
    text = SERVICE + "---\n" + first + "---\n" + second
    assert {p.name: p.node_name for p in analyze(text).cluster.pods} == {
        "web-1": "node-1",
        "web-2": "node-2",
    }
    broken = text.replace("  name: web-1\n", "  name: Web_1\n")
    assert {p.name: p.node_name for p in analyze(broken).cluster.pods} == {"web-2": "node-1"}
    assert {p.name: p.node_name for p in analyze(text).cluster.pods}["web-2"] == "node-2"


def test_a_file_from_the_command_line_is_parsed_whole() -> None:
    """Its text is read once: nothing is kept for a next parse."""
    parse(BASE, limits=FILE)
    assert not yamldoc._PIECES
    parse(BASE)  # the editor's limits: kept
    assert len(yamldoc._PIECES) == 7  # the Service (after the comment) and six Pods
