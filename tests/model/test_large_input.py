"""Large texts (files named on the command line, over the editor's 2 MB): read without a span
per field, yet every error still points at its field's line and column, in JSON and in YAML;
and `schema.fits`, the fast path of strict decoding, agrees with the detailed walk."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tutor.model import analyze
from tutor.model.limits import FILE, MAX_TEXT_BYTES
from tutor.model.schema import SCHEMAS, Decoder, fits
from tutor.model.yamldoc import load_documents

ROOT = Path(__file__).resolve().parents[2]
_SPEC = importlib.util.spec_from_file_location(
    "clusterdump", ROOT / "benchmarks" / "clusterdump.py"
)
assert _SPEC is not None and _SPEC.loader is not None
clusterdump: Any = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(clusterdump)


def _dump_with_mistakes() -> dict[str, Any]:
    """A 500-Pod dump (over 2 MB in either layout) with a typo'd field in a Service deep in
    the list and a port given as text in a Pod near its end."""
    data: dict[str, Any] = clusterdump.dump(500, 40)
    items = data["items"]
    svc = next(i for i in items if i["kind"] == "Service" and i["metadata"]["name"] == "app-31")
    svc["spec"]["selectr"] = {"app": "x"}
    pods = [i for i in items if i["kind"] == "Pod"]
    pods[-2]["spec"]["containers"][0]["ports"][0]["containerPort"] = "8080"
    return data


def _position(text: str, needle: str) -> tuple[int, int]:
    at = text.index(needle)
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


@pytest.mark.parametrize("layout", ["json", "yaml"])
def test_errors_in_a_large_dump_point_at_their_field(layout: str) -> None:
    data = _dump_with_mistakes()
    if layout == "json":
        text = json.dumps(data, indent=4)
        typo, port = '"selectr"', '"containerPort": "8080"'
    else:
        text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False)
        typo, port = "selectr:", "containerPort: '8080'"
    assert len(text) > MAX_TEXT_BYTES
    result = analyze(text, limits=FILE)
    found = {e.path: (e.line, e.column) for e in result.errors}
    assert set(found) == {"spec.selectr", "spec.containers[0].ports[0].containerPort"}, found
    assert found["spec.selectr"] == _position(text, typo)
    assert found["spec.containers[0].ports[0].containerPort"] == _position(text, port)


def test_large_json_is_the_same_data_as_yaml_reads() -> None:
    data = clusterdump.dump(300, 40)
    text = json.dumps(data, indent=4)
    assert len(text) > MAX_TEXT_BYTES
    (doc,) = load_documents(text, FILE)
    assert doc.data == yaml.load(text, Loader=yaml.CSafeLoader)


def test_large_text_that_is_not_json_gets_the_yaml_readers_message() -> None:
    """A large text that starts like JSON but is not: the YAML reader says where, as it does
    for a small file."""
    text = json.dumps(clusterdump.dump(300, 40), indent=4)
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
