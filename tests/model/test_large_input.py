"""Large texts (files named on the command line, over the editor's 2 MB): read without a span
per field, yet every error still points at its field's line and column, in JSON and in YAML;
and `schema.fits`, the fast path of strict decoding, agrees with the detailed walk."""

from __future__ import annotations

import copy
import functools
import importlib.util
import json
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tutor.model import analyze
from tutor.model.limits import FILE, MAX_DEPTH, MAX_TEXT_BYTES, InputRejected
from tutor.model.schema import SCHEMAS, Decoder, fits
from tutor.model.yamldoc import load_documents

ROOT = Path(__file__).resolve().parents[2]
CLUSTERDUMP = ROOT / "benchmarks" / "clusterdump.py"
_SPEC = importlib.util.spec_from_file_location("clusterdump", CLUSTERDUMP)
assert _SPEC is not None and _SPEC.loader is not None
clusterdump: Any = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(clusterdump)


@functools.cache
def _dump() -> dict[str, Any]:
    """The 500-Pod dump (over 2 MB in either layout), built once: tests copy what they change."""
    data: dict[str, Any] = clusterdump.dump(500, 40)
    return data


def _yaml_item(item: Any) -> str:
    return yaml.dump([item], Dumper=yaml.CSafeDumper, sort_keys=False)


_SHARED: dict[str, Callable[..., Path]] = {}


@pytest.fixture(scope="module", autouse=True)
def _shared_files(shared_file: Callable[..., Path]) -> None:
    """`shared_file` for the helpers below, which the tests call without a fixture."""
    _SHARED["get"] = shared_file


@functools.cache
def _kept_items_yaml() -> list[str]:
    """Each item of `_dump()` as `_yaml_item` writes it, cut from `yaml.dump(_dump())` (the same
    text: a list item starts at a `- ` in the first column). That file is written once for
    every worker and kept for later runs while benchmarks/clusterdump.py is unchanged: yaml's
    representer took ~1.5 CPU s for the items in each worker that ran a YAML test here."""
    path = _SHARED["get"](
        "dump-500-40.yaml", lambda out: clusterdump.write(_dump(), out), keep=(CLUSTERDUMP,)
    )
    text = path.read_text(encoding="utf-8")
    start, end = text.index("\nitems:\n") + len("\nitems:\n"), text.index("\nkind: List\n") + 1
    items = re.split(r"(?m)^(?=- )", text[start:end])[1:]
    assert len(items) == len(_dump()["items"]) and "".join(items) == text[start:end]
    assert all(items[i] == _yaml_item(_dump()["items"][i]) for i in (0, -1))
    return items


def _yaml(data: dict[str, Any]) -> str:
    """`yaml.dump(data)` byte for byte, for `_dump()` or a copy of it with some items replaced:
    written item by item, the items it shares with `_dump()` taken from `_kept_items_yaml`."""
    shared = _dump()["items"]
    out = []
    for key, value in data.items():
        if key == "items":
            out.append("items:\n")
            out.extend(
                _kept_items_yaml()[i] if i < len(shared) and item is shared[i] else _yaml_item(item)
                for i, item in enumerate(value)
            )
        else:
            out.append(yaml.dump({key: value}, Dumper=yaml.CSafeDumper, sort_keys=False))
    return "".join(out)


def _dump_with_mistakes() -> dict[str, Any]:
    """The 500-Pod dump with a typo'd field in a Service deep in the list and a port given as
    text in a Pod near its end (those two items copied, the rest shared with `_dump()`)."""
    data = dict(_dump())
    items = data["items"] = list(data["items"])
    at = next(
        i
        for i, item in enumerate(items)
        if item["kind"] == "Service" and item["metadata"]["name"] == "app-31"
    )
    svc = items[at] = copy.deepcopy(items[at])
    svc["spec"]["selectr"] = {"app": "x"}
    at = [i for i, item in enumerate(items) if item["kind"] == "Pod"][-2]
    pod = items[at] = copy.deepcopy(items[at])
    pod["spec"]["containers"][0]["ports"][0]["containerPort"] = "8080"
    return data


def _position(text: str, needle: str) -> tuple[int, int]:
    at = text.index(needle)
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


CONFIGMAP = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "cfg", "namespace": "team-3"},
    "data": {"mode": "a", "zz": "b"},
}
"""A kind the model does not read (`kubectl get all,cm -o json`); its `zz` becomes a second
`mode` in the text."""


@pytest.mark.parametrize("layout", ["json", "yaml"])
def test_errors_in_a_large_dump_point_at_their_field(layout: str) -> None:
    """A typo'd field, a port given as text, and a duplicate key in a ConfigMap: a kind the
    model does not read is strict-decoded all the same, its duplicate refused at its line as
    in a small file. (The ConfigMap was a test of its own: a second reading of the dump.)"""
    data = _dump_with_mistakes()
    data["items"] = [*data["items"], CONFIGMAP]
    if layout == "json":
        text = json.dumps(data, indent=4).replace('"zz": "b"', '"mode": "b"')
        typo, port, second = '"selectr"', '"containerPort": "8080"', '"mode": "b"'
    else:
        text = _yaml(data).replace("    zz: b\n", "    mode: b\n")
        typo, port, second = "selectr:", "containerPort: '8080'", "mode: b"
    assert len(text) > MAX_TEXT_BYTES
    result = analyze(text, limits=FILE)
    found = {e.path: (e.line, e.column) for e in result.errors}
    assert set(found) == {
        "spec.selectr",
        "spec.containers[0].ports[0].containerPort",
        "data.mode",
    }, found
    assert found["spec.selectr"] == _position(text, typo)
    assert found["spec.containers[0].ports[0].containerPort"] == _position(text, port)
    dups = [e for e in result.errors if "duplicate field" in e.message]
    assert [(e.kind, e.object, e.path) for e in dups] == [("ConfigMap", "team-3/cfg", "data.mode")]
    assert (dups[0].line, dups[0].column) == _position(text, second)


@functools.cache
def _json_200() -> str:
    """A 200-Pod dump in kubectl's JSON layout: 2.3 MB, past the editor's 2 MB (the 300-Pod
    one was 3.4 MB, and yaml's reading of it alone took 1.7 CPU s), encoded once per module."""
    text = json.dumps(clusterdump.dump(200, 40), indent=4)
    assert len(text) > MAX_TEXT_BYTES
    return text


def _yaml_reads_as_json(out: Path) -> None:
    text = _json_200()
    out.write_text(str(yaml.load(text, Loader=yaml.CSafeLoader) == json.loads(text)))


def test_large_json_is_the_same_data_as_yaml_reads() -> None:
    """Compared with the json module's reading, which is yaml's for this text: that is checked
    once and kept while the dump's generator and this file are unchanged (yaml's reading of
    2.3 MB took 0.9 of the test's 1.5 CPU s in every run)."""
    text = _json_200()
    (doc,) = load_documents(text, FILE)
    same = _SHARED["get"](
        "json-200-as-yaml-reads.txt", _yaml_reads_as_json, keep=(CLUSTERDUMP, Path(__file__))
    )
    assert same.read_text() == "True", "yaml reads the 200-Pod JSON dump as json does not"
    assert doc.data == json.loads(text)


def test_large_text_that_is_not_json_gets_the_yaml_readers_message() -> None:
    """A large text that starts like JSON but is not: the YAML reader says where, as it does
    for a small file."""
    text = _json_200()
    at = text.index('"kind": "Pod"', len(text) // 2)
    broken = text[:at] + "," + text[at:]
    result = analyze(broken, limits=FILE)
    assert result.parsed.syntax_error is not None
    assert result.parsed.syntax_error.line == text.count("\n", 0, at) + 1


def _objects() -> list[tuple[str, Any]]:
    out = []
    for path in sorted((ROOT / "tests" / "scenarios").glob("*.yaml")):
        for doc in load_documents(path.read_text(encoding="utf-8")):
            data = doc.data
            items = data.get("items") if isinstance(data, dict) else None
            for obj in items if isinstance(items, list) else [data]:
                if isinstance(obj, dict) and obj.get("kind") in SCHEMAS:
                    out.append((obj["kind"], obj))
    return out


def _mutations(obj: Any) -> list[Any]:
    """The object with one value replaced by something of another type, field by field."""
    out: list[Any] = []

    def walk(node: Any, put: Any) -> None:
        if isinstance(node, dict):
            for key, value in list(node.items()):
                for wrong in ("x", 7, True, 1.5, [], {}, 2**40):
                    if type(wrong) is not type(value):
                        node[key] = wrong
                        out.append(json.loads(json.dumps(put)))
                node[key] = value
                walk(value, put)
            node["unknownField"] = 1
            out.append(json.loads(json.dumps(put)))
            del node["unknownField"]
        elif isinstance(node, list):
            for item in node:
                walk(item, put)

    copy = json.loads(json.dumps(obj))
    walk(copy, copy)
    return out[:400]


def test_fits_agrees_with_the_detailed_decoder() -> None:
    objects = _objects()
    assert len(objects) > 50
    (doc,) = load_documents("a: 1\n")
    checked = 0
    for kind, obj in objects[::2]:
        for value in [obj, *_mutations(obj)]:
            dec = Decoder(doc, (), kind, kind)
            dec.check(value, SCHEMAS[kind], ())
            assert fits(value, SCHEMAS[kind]) is (not dec.errors), (kind, dec.errors[:1])
            checked += 1
    assert checked > 1000


def test_a_duplicate_key_in_a_large_json_dump_is_refused_at_its_line() -> None:
    """kubectl's strict decoding refuses a field given twice; the json module keeps the last
    one without a word. A large dump says so as a small file does, at the second key."""
    text = json.dumps(_dump(), indent=4)
    first = text.index('"selector": {', text.index('"name": "app-31"'))
    after = text.index("},\n", first) + 3  # past the selector's closing brace
    second = '                "selector": {"app": "other"},'
    text = text[:after] + second + "\n" + text[after:]
    assert len(text) > MAX_TEXT_BYTES
    result = analyze(text, limits=FILE)
    dups = [e for e in result.errors if "duplicate field" in e.message]
    assert [(e.kind, e.object, e.path) for e in dups] == [
        ("Service", "team-31/app-31", "spec.selector")
    ]
    assert (dups[0].line, dups[0].column) == _position(text, second.strip())
    assert f"(first set on line {text.count(chr(10), 0, first) + 1})" in dups[0].message


def test_a_duplicate_key_in_a_large_json_object_that_is_not_a_list() -> None:
    data = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "big"}}
    data["metadata"]["annotations"] = {"blob": "x" * (MAX_TEXT_BYTES + 10)}
    text = json.dumps(data, indent=4).replace(
        '"name": "big"', '"name": "big",\n        "name": "bigger"'
    )
    result = analyze(text, limits=FILE)
    dups = [e for e in result.errors if "duplicate field" in e.message]
    assert [(e.path, e.line, e.column) for e in dups] == [("metadata.name", 6, 9)]


def _deep(levels: int, kinds: str) -> str:
    """A large JSON text whose deepest value sits `levels` maps and lists deep, taking turns
    as `kinds` says ("[" a list, "{" a map)."""
    opened = ["[" if kinds[i % len(kinds)] == "[" else '{"a": ' for i in range(levels)]
    closed = ["]" if o == "[" else "}" for o in reversed(opened)]
    pad = "x" * (MAX_TEXT_BYTES + 10)
    inner = "".join(opened[1:]) + "1" + "".join(closed[:-1])
    if kinds[0] == "[":
        return f'[\n"{pad}",\n{inner}]'
    return f'{{"pad": "{pad}",\n"deep": {inner}}}'


@pytest.mark.parametrize("kinds", ["[", "{", "{[", "[{"])
def test_large_json_nested_deeper_than_the_limit_is_refused_where_it_gets_too_deep(
    kinds: str,
) -> None:
    """As the YAML reader does: 64 levels are read, the 65th is refused at its place (the
    json module alone read up to its recursion limit, ~1,000, and failed beyond it with no
    place)."""
    (doc,) = load_documents(_deep(MAX_DEPTH, kinds), FILE)
    assert doc.data is not None
    for levels in (MAX_DEPTH + 1, 5000):
        text = _deep(levels, kinds)
        with pytest.raises(InputRejected) as refused:
            load_documents(text, FILE)
        assert refused.value.reason == f"JSON is nested more than {MAX_DEPTH} levels deep"
        depth = 0
        for bracket in re.finditer(r"[\[\]{}]", text):  # a loop over each of 2 M characters
            depth += 1 if bracket.group() in "[{" else -1  # took 1.5 CPU s a text
            if depth > MAX_DEPTH:
                at = bracket.start()
                break
        assert (refused.value.line, refused.value.column) == (
            text.count("\n", 0, at) + 1,
            at - text.rfind("\n", 0, at),
        )


def test_large_json_depth_is_bounded_with_other_threads_running_too() -> None:
    """The recursion limit is every thread's: with another thread running, the reader measures
    the depth after reading instead of lowering it, and refuses the same texts."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        (doc,) = load_documents(_deep(MAX_DEPTH, "{["), FILE)
        assert doc.data is not None
        with pytest.raises(InputRejected) as refused:
            load_documents(_deep(MAX_DEPTH + 1, "{["), FILE)
        assert refused.value.reason == f"JSON is nested more than {MAX_DEPTH} levels deep"
        assert refused.value.line == 2
    finally:
        stop.set()
        other.join()


def test_a_duplicate_key_in_a_large_yaml_dump_says_where_it_was_first_set() -> None:
    """Read without a span per field, the builder knew a key came twice but not where the
    first one was: the item is read again, as for JSON, to say so."""
    text = _yaml(_dump())
    at = text.index("    selector:\n", text.index("name: app-31\n"))
    text = text[:at] + "    selector: {app: other}\n" + text[at:]
    assert len(text) > MAX_TEXT_BYTES
    result = analyze(text, limits=FILE)
    dups = [e for e in result.errors if "duplicate field" in e.message]
    first = text.count("\n", 0, at) + 1
    assert [(e.path, e.line, e.column) for e in dups] == [("spec.selector", first + 1, 5)]
    assert dups[0].message.endswith(f"(first set on line {first})")
