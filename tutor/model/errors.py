"""Field errors in the API server's own words.

The message format is `field.Error.Error()` (K · apimachinery/pkg/util/validation/field/errors.go):
`<path>: <type>[: <bad value>][: <detail>]`, strings printed with %q, integers bare, Required and
Forbidden never printing the value. Strict-decoding errors (unknown or duplicate field, wrong type)
follow kubectl's `strict decoding error: ...` wording.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

REQUIRED = "Required value"
INVALID = "Invalid value"
DUPLICATE = "Duplicate value"
UNSUPPORTED = "Unsupported value"
FORBIDDEN = "Forbidden"
TOO_LONG = "Too long"
TOO_MANY = "Too many"
DECODING = "strict decoding error"
YAML_SYNTAX = "YAML syntax error"
ALREADY_EXISTS = "AlreadyExists"
"""Not a field error: the storage's refusal of a second object of one name (its detail is the
whole message, `pods "web-1" already exists`, as kubectl prints it after `Error from server
(AlreadyExists)`)."""


class _Omit:
    def __repr__(self) -> str:
        return "<omitted>"


OMIT: Any = _Omit()


def go_quote(value: Any) -> str:
    """Print a bad value the way Go's `%q` / `%v` would inside a field error."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "null"
    return str(value)


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem, tied to a field path and a position in the text."""

    path: str
    type: str
    detail: str = ""
    value: Any = OMIT
    line: int = 0
    column: int = 0
    object: str = ""
    """`namespace/name` of the object, as in the route --json contract."""
    kind: str = ""
    hint: str = ""
    """A teaching sentence shown under the message (not part of the API server's text)."""

    @property
    def message(self) -> str:
        if self.type in (DECODING, YAML_SYNTAX):
            return f"{self.type}: {self.detail}"
        if self.type == ALREADY_EXISTS:
            return self.detail
        parts = [f"{self.path}: {self.type}" if self.path else self.type]
        if self.value is not OMIT and self.type not in (REQUIRED, FORBIDDEN):
            parts.append(go_quote(self.value))
        if self.detail:
            parts.append(self.detail)
        return ": ".join(parts)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "message": self.message,
            "object": self.object,
            "kind": self.kind,
            "line": self.line,
            "column": self.column,
        }
        if self.hint:
            out["hint"] = self.hint
        return out
