"""The lesson file's JSON Schema (draft 2020-12) and its errors in words an author can act on.

The schema ships as package data (`lesson.schema.json`) so editors can validate lesson files too;
this module turns jsonschema's errors into `path: what is wrong` plus the path of the offending key,
which the loader maps to a line of the YAML file.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from tutor.model.paths import Path as FieldPath
from tutor.model.paths import format_path

SCHEMA_FILE = Path(__file__).with_name("lesson.schema.json")

GOAL_KINDS = (
    "traffic",
    "endpoints",
    "valid",
    "invalid",
    "share",
    "dns",
    "field",
    "unchanged",
    "ran",
    "all",
)
"""Every goal key a lesson may use (lesson-format.md)."""


@functools.cache
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return data


@functools.cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(_inlined(schema()))


_REF = "#/$defs/"


def _refs(node: Any) -> set[str]:
    """The definitions `node` names with a `$ref`."""
    if isinstance(node, dict):
        own = {node["$ref"][len(_REF) :]} if str(node.get("$ref", "")).startswith(_REF) else set()
        return own.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def _inlined(data: dict[str, Any]) -> dict[str, Any]:
    """The schema with each `{"$ref": "#/$defs/X"}` replaced by X itself, except where X can
    contain itself (a goal's `all:`). Same rules and the same errors (jsonschema reports the
    referenced schema's keyword, path and value either way), but a lesson is checked without
    resolving ~170 references through `referencing`: 40% of the check's time, and the check was
    three quarters of reading a lesson file."""
    defs: dict[str, Any] = data.get("$defs", {})
    reach = {name: _refs(body) for name, body in defs.items()}
    changed = True
    while changed:  # the definitions each one reaches, through any number of references
        changed = False
        for seen in reach.values():
            more = set().union(*(reach.get(r, set()) for r in seen)) - seen
            if more:
                seen |= more
                changed = True
    recursive = {name for name, seen in reach.items() if name in seen}

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = str(node.get("$ref", ""))
            if len(node) == 1 and ref.startswith(_REF) and ref[len(_REF) :] not in recursive:
                return inline(defs[ref[len(_REF) :]])
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return {k: (v if k == "$defs" else inline(v)) for k, v in data.items()} | {
        "$defs": {name: inline(body) for name, body in defs.items()}
    }


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    path: FieldPath
    """Where the problem is: the offending key (an unknown field) or the value."""
    message: str
    missing: str = ""
    """For a missing required field: its name."""
    suggests: str = ""
    """For an unknown field: the known field it is probably a misspelling of."""


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "empty",
}


def describe(value: Any) -> str:
    """A value as an author would recognise it in a message."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {json.dumps(shown, ensure_ascii=False)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _where(path: FieldPath) -> str:
    return f"`{format_path(path)}`" if path else "the lesson"


def _message(err: ValidationError) -> Iterator[SchemaProblem]:
    path: FieldPath = tuple(err.absolute_path)
    where = _where(path)
    kind = err.validator
    expected: Any = err.validator_value
    instance: Any = err.instance
    sub: Any = err.schema
    if kind == "required":
        missing = [k for k in expected if k not in (instance or {})]
        for key in missing:
            yield SchemaProblem(
                path, f"{where} is missing the required field `{key}`", missing=str(key)
            )
        return
    if kind == "additionalProperties" and isinstance(err.instance, dict):
        allowed = [str(k) for k in sub.get("properties", {})]
        for key in err.instance:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = (
                f" (did you mean `{close[0]}`?)" if close else f" (allowed: {', '.join(allowed)})"
            )
            yield SchemaProblem(
                (*path, str(key)),
                f"unknown field `{key}` in {where}{hint}",
                suggests=close[0] if close else "",
            )
        return
    if kind == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_TYPE_WORDS.get(str(w), str(w)) for w in wanted)
        required = err.schema.get("required") if isinstance(err.schema, dict) else None
        shape = ""
        if wanted == ["object"] and required:  # a quiz choice written as a line of text
            shape = f" (a mapping with {', '.join(f'`{k}:`' for k in required)})"
        yield SchemaProblem(path, f"{where} must be {words}, not {describe(err.instance)}{shape}")
        return
    if kind == "pattern":
        if path and path[-1] == "id":
            yield SchemaProblem(
                path,
                f"{where} must be lower-case letters, digits and '-', "
                f"starting with a letter or digit, not {describe(err.instance)}",
            )
        elif path and path[-1] == "object":
            yield SchemaProblem(
                path,
                f"{where} must be `Kind/name` or `Kind/namespace/name`, e.g. `Service/web`, "
                f"not {describe(err.instance)}",
            )
        elif path and path[-1] == "doc":
            yield SchemaProblem(
                path,
                f"{where} must be `Kind/name`, e.g. `Pod/my-app-1`, not {describe(err.instance)}",
            )
        else:
            yield SchemaProblem(path, f"{where} does not match {err.validator_value}")
        return
    if kind == "minItems":
        n = err.validator_value
        yield SchemaProblem(path, f"{where} needs at least {n} item{'s' if n != 1 else ''}")
        return
    if kind == "maxItems":
        yield SchemaProblem(path, f"{where} has more than {err.validator_value} items")
        return
    if kind == "uniqueItems":
        yield SchemaProblem(path, f"{where} lists an item twice")
        return
    if kind == "minLength":
        yield SchemaProblem(path, f"{where} must not be empty")
        return
    if kind == "maxLength":
        yield SchemaProblem(path, f"{where} is longer than {err.validator_value} characters")
        return
    if kind in ("minimum", "maximum"):
        word = "at least" if kind == "minimum" else "at most"
        yield SchemaProblem(
            path, f"{where} must be {word} {err.validator_value}, not {describe(err.instance)}"
        )
        return
    if kind == "const":
        yield SchemaProblem(
            path,
            f"{where} must be `{json.dumps(err.validator_value)}`, not {describe(err.instance)}",
        )
        return
    if kind == "enum":
        options = ", ".join(str(v) for v in expected)
        yield SchemaProblem(path, f"{where} must be one of {options}, not {describe(err.instance)}")
        return
    if kind == "anyOf" and path and path[-1] == "port":
        yield SchemaProblem(
            path,
            f"{where} must be a port name or a number from 1 to 65535, "
            f"not {describe(err.instance)}",
        )
        return
    if kind == "minProperties":
        yield SchemaProblem(path, f"{where} is empty: a goal needs one of {', '.join(GOAL_KINDS)}")
        return
    yield SchemaProblem(path, f"{where}: {err.message}")


def _is_goal_path(path: FieldPath) -> bool:
    if not path:
        return False
    last = path[-1]
    if last in ("goal", "check", "expect"):
        return True
    return isinstance(last, int) and len(path) >= 2 and path[-2] == "all"


def goal_key_problems(data: Any, path: FieldPath = ()) -> Iterator[SchemaProblem]:
    """The rule the schema cannot say clearly: every goal mapping holds exactly ONE goal key."""
    if isinstance(data, dict):
        if _is_goal_path(path):
            keys = [k for k in data if k in GOAL_KINDS]
            if len(keys) > 1:
                yield SchemaProblem(
                    (*path, keys[1]),
                    f"`{format_path(path)}` has "
                    f"{len(keys)} goals ({', '.join(keys)}): a goal holds one; "
                    "combine several with `all: [...]`",
                )
            elif not keys and data and all(k == "description" for k in data):
                yield SchemaProblem(
                    path, f"`{format_path(path)}` names no goal: use one of {', '.join(GOAL_KINDS)}"
                )
        for key, value in data.items():
            yield from goal_key_problems(value, (*path, str(key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from goal_key_problems(value, (*path, i))


def problems(data: Any) -> list[SchemaProblem]:
    """Every schema problem in a lesson's data, in document order of their paths."""
    out: list[SchemaProblem] = []
    said: set[tuple[FieldPath, str]] = set()
    for err in validator().iter_errors(data):
        # jsonschema reports `required` once per missing key, each error listing all of them
        for problem in _message(err):
            if (problem.path, problem.message) not in said:
                said.add((problem.path, problem.message))
                out.append(problem)
    # `titel:` is both an unknown field and a missing `title`: say it once, at the typo
    typos = {(p.path[:-1], p.suggests) for p in out if p.suggests}
    out = [p for p in out if not (p.missing and (p.path, p.missing) in typos)]
    seen = {p.path for p in out}
    out.extend(p for p in goal_key_problems(data) if p.path not in seen)
    return out
