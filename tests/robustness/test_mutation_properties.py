"""Hypothesis over the REAL manifests and lesson files, mutated the way people damage them.

tests/model/test_properties.py mutates one hand-written cluster and types random text; here
the sources are every manifest of the built-in lessons (lesson, step and challenge manifests,
reference solutions) and every scenario in tests/scenarios, and every lesson file itself:

1. `analyze()` on a mutated real manifest (fields renamed to near misses, duplicated, retyped,
   nested past the depth limit, moved, deleted; keys duplicated in the text) never raises, and
   every error carries a field path and a 1-based line and column; a rejected or unparsable
   text says where.
2. Routing invariants hold on whatever still validates: kube-proxy's endpoints are a subset of
   the EndpointSlice ones, every endpoint's Pod is in the Service's namespace, matches its
   selector and has an IP; Pods that get traffic are exactly the `used` ones.
3. `load_lesson_file` on a mutated lesson returns a Lesson or a LessonError with a line >= 1,
   never raises, and nothing a mutation smuggles in (escape sequences) survives into a Lesson.

Examples run are counted and reported at the end of the session (tests/robustness/conftest.py).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import dump_yaml, dump_yaml_all, load_yaml, load_yaml_all, parent_of, tree_paths

from tutor.course.lesson import Lesson, LessonError
from tutor.course.loader import load_lesson_file
from tutor.model import analyze
from tutor.model.analysis import Analysis
from tutor.model.errors import DECODING

ROOT = Path(__file__).resolve().parents[2]
LESSON_FILES = sorted((ROOT / "lessons").glob("*.yaml"))
SCENARIOS = sorted((ROOT / "tests" / "scenarios").glob("*.yaml"))

EXAMPLES: Counter[str] = Counter()
BUDGET = settings(
    max_examples=int(os.environ.get("KTUTOR_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module", autouse=True)
def record_examples(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        seen = cache.get("robustness/examples", {})
        seen.update(EXAMPLES)
        cache.set("robustness/examples", seen)


@functools.cache
def _lessons() -> list[Any]:
    """Every lesson file's data, read when a test first asks (not while every xdist worker
    collects this module)."""
    return [load_yaml(p.read_text(encoding="utf-8")) for p in LESSON_FILES]


@functools.cache
def _manifests() -> list[str]:
    """Every manifest text a learner meets: lessons' starting points, step manifests,
    challenge manifests and solutions, and the scenario files."""
    texts: list[str] = []
    for data in _lessons():
        texts.append(data["manifest"])
        texts.extend(s["manifest"] for s in data["steps"] if s.get("manifest"))
        for ch in data.get("challenges", []):
            texts.extend([ch["manifest"], ch["solution"]])
    texts.extend(p.read_text(encoding="utf-8") for p in SCENARIOS)
    return list(dict.fromkeys(texts))


@functools.cache
def _parsed() -> list[list[Any]]:
    return [[d for d in load_yaml_all(t) if d is not None] for t in _manifests()]


NEAR_MISSES = [
    "Selector",
    "targetport",
    "target_port",
    "port ",
    "Ports",
    "labels\t",
    "nodeport",
    "spec.ports",
    "metadata ",
    "",
    "-",
    "<<",
    "0",
    "true",
    "null",
    "?",
    "ké",
    "a" * 300,
    "\u202espec",
    "kind\x1b[31m",
]
WEIRD = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "65536",
        "0x50",
        "1e3",
        "80.0",
        "yes",
        "off",
        "~",
        "null",
        "http",
        "HTTP",
        "TCP ",
        "None",
        "10.96.0.10",
        "::1",
        "a" * 70,
        "\x1b]52;c;ZXZpbA==\x07",
        "\u202egnp",
        "-\n-",
    ]
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**64), st.floats(), st.text(max_size=30), WEIRD
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8) | WEIRD, inner, max_size=4)
    ),
    max_leaves=10,
)
OPERATIONS = st.sampled_from(["rename", "duplicate", "retype", "nest", "delete", "move", "widen"])
NEW_NAMES = st.sampled_from(NEAR_MISSES) | st.text(max_size=10)
"""Built once: `st.sampled_from(a_list)` is not cached by Hypothesis (a list is not hashable), so
one built inside `mutate` was a new strategy whose properties were worked out again each draw."""


def mutate(draw: st.DrawFn, root: Any, steps: int) -> Any:
    """Apply `steps` random structural mutations to a copy of `root`."""
    data = copy.deepcopy(root)
    for _ in range(steps):
        paths = tree_paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = parent_of(data, path), path[-1]
        op = draw(OPERATIONS)
        if op == "rename" and isinstance(parent, dict):
            new = draw(NEW_NAMES)
            parent[new] = parent.pop(key)
        elif op == "duplicate":
            if isinstance(parent, list):
                parent.insert(key, copy.deepcopy(parent[key]))
            else:
                parent[f"{key}"[:-1] + f"{key}"[-1:].upper() if f"{key}" else "x"] = copy.deepcopy(
                    parent[key]
                )
        elif op == "retype":
            parent[key] = draw(values)
        elif op == "nest":
            wrapped = parent[key]
            depth = draw(st.integers(1, 120))
            # level i a list if bit i is set, else a map: one draw for the shape (a boolean
            # per level was ~60 of an example's ~35-100 draws, most of its time)
            shape = draw(st.integers(0, 2**depth - 1))
            for level in range(depth):
                wrapped = [wrapped] if shape >> level & 1 else {"x": wrapped}
            parent[key] = wrapped
        elif op == "delete":
            del parent[key]
        elif op == "move":
            other = draw(st.sampled_from(paths))
            target = parent_of(data, other)
            if isinstance(target, dict) and other[: len(path)] != path:
                target[str(other[-1])] = copy.deepcopy(parent[key])
        elif op == "widen" and isinstance(parent[key], (list, dict)):
            item = parent[key]
            if isinstance(item, list) and item:
                parent[key] = item * draw(st.integers(2, 50))
    return data


@st.composite
def mutated_manifest(draw: st.DrawFn) -> str:
    docs = draw(st.sampled_from(_parsed()))
    data = mutate(draw, docs, draw(st.integers(1, 5)))
    docs_out = data if isinstance(data, list) else [data]
    text = dump_yaml_all(docs_out, sort_keys=False, allow_unicode=True)
    if draw(st.booleans()):  # duplicate a `key:` line: YAML dicts cannot hold the same key twice
        lines = text.splitlines(keepends=True)
        keyed = [i for i, ln in enumerate(lines) if ":" in ln and not ln.lstrip().startswith("-")]
        if keyed:
            i = draw(st.sampled_from(keyed))
            lines.insert(i, lines[i])
        text = "".join(lines)
    return text


def check_located(result: Analysis) -> None:
    """Every answer can be shown to a learner at a place in the text."""
    parsed = result.parsed
    if parsed.rejected is not None:
        assert parsed.rejected.reason
        return
    if parsed.syntax_error is not None:
        assert parsed.syntax_error.line >= 1 and parsed.syntax_error.message
        return
    for err in result.errors:
        # the root path ("") only for a document that is not an object at all
        assert err.path or (err.type == DECODING and "document" in err.detail), err
        assert err.message
        assert err.line >= 1 and err.column >= 1, err
    out = result.route_json()
    assert out["valid"] is result.valid


def check_routing(result: Analysis) -> None:
    if not result.valid:
        return
    pods = result.cluster.pods
    for sr in result.services:
        svc = sr.service
        for pr in sr.ports:
            names = {ep.pod.name for ep in pr.endpoints}
            used = {ep.pod.name for ep in pr.used}
            assert used <= names
            for ep in pr.endpoints:
                # an endpoint from an EndpointSlice in the input (even a nameless one) need not
                # match a selector: kube-proxy routes from every slice labelled with the Service
                from_slice = bool(ep.slice) or ep.pod not in pods
                assert from_slice or ep.pod.namespace == svc.namespace
                assert from_slice or (
                    svc.selector and all(ep.pod.labels.get(k) == v for k, v in svc.selector.items())
                )
                assert ep.pod.ip
            for key, verdict in pr.verdicts.items():
                assert verdict.reason
                assert verdict.gets_traffic is (
                    key.startswith(svc.namespace + "/") and key.split("/", 1)[1] in used
                )


@BUDGET
@given(mutated_manifest(), st.sampled_from(["node-1", "node-2", "nowhere"]))
def test_mutated_real_manifests_from_no_node_and_from_a_node(text: str, node: str) -> None:
    """Each mutated manifest analyzed as the editor does (no node) and from a node, some of
    which the manifest lacks. Two tests drew their manifests from this same generator, one
    per analysis, and making a manifest was two thirds of an example's CPU."""
    EXAMPLES["mutated real manifests"] += 1
    EXAMPLES["mutated manifests, from a node"] += 1
    for result in (analyze(text), analyze(text, from_node=node)):
        check_located(result)
        check_routing(result)


FORBIDDEN = ("\x1b", "\x9b", "\u202e", "\x07")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)


@st.composite
def mutated_lesson(draw: st.DrawFn) -> str:
    data = mutate(draw, draw(st.sampled_from(_lessons())), draw(st.integers(1, 4)))
    return dump_yaml(data, sort_keys=False, allow_unicode=True)


@BUDGET
@given(mutated_lesson())
def test_mutated_lesson_files_load_or_say_where(text: str) -> None:
    EXAMPLES["mutated lesson files"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "01-lesson.yaml"
        path.write_text(text, encoding="utf-8")
        result = load_lesson_file(path)
    if isinstance(result, LessonError):
        assert result.line >= 1 and result.message
        assert str(result).startswith(str(path))
        assert not any(ch in result.message for ch in ("\x1b", "\x9b")), result.message
    else:
        assert isinstance(result, Lesson)
        leaked = [s for s in _strings(result) if any(ch in s for ch in FORBIDDEN)]
        assert not leaked, leaked[:3]


def test_sources_are_the_real_ones() -> None:
    """The mutations start from every built-in lesson's manifests and every scenario."""
    assert len(_lessons()) == len(LESSON_FILES) >= 9
    assert len(_manifests()) > len(SCENARIOS) + len(LESSON_FILES)
    assert all(analyze(t).parsed.syntax_error is None for t in _manifests())
