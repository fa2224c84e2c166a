"""YAML and JSON as kubectl prints objects (`-o yaml`, `-o json`).

kubectl prints unstructured objects: map keys sorted. YAML comes from sigs.k8s.io/yaml (go-yaml
v2): 2-space indent, sequences not indented under their key, strings that would read as another
type (numbers, booleans, null, timestamps) double-quoted, others needing quotes single-quoted.
JSON is `json.MarshalIndent` with 4 spaces (K · cli-runtime/pkg/printers/json.go).
"""

from __future__ import annotations

import json
import re
from typing import Any

_NON_STRING = re.compile(
    r"""(?x)
    ~|null|Null|NULL|
    y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|
    [-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?0[0-7_]+|[-+]?0b[01_]+|
    [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|
    \d{4}-\d\d?-\d\d?([Tt ]\d\d?:\d\d:\d\d(\.\d*)?\s*(Z|[-+]\d\d?(:\d\d)?)?)?
    """
)
_PLAIN_BAD = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`]|: | #|:$|^\s|\s$")


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    s = str(value)
    if s == "" or _NON_STRING.fullmatch(s):
        return json.dumps(s)
    if _PLAIN_BAD.search(s) or "\n" in s:
        if "\n" in s or any(ord(c) < 32 for c in s):
            return json.dumps(s)
        return "'" + s.replace("'", "''") + "'"
    return s


def to_yaml(data: Any, indent: int = 0) -> str:
    """`data` (dicts, lists, scalars) as sigs.k8s.io/yaml prints it."""
    lines: list[str] = []
    _emit(data, indent, lines)
    return "\n".join(lines) + "\n"


def _emit(data: Any, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(data, dict):
        for key in sorted(data):
            value = data[key]
            k = scalar(key)
            if isinstance(value, dict) and value:
                lines.append(f"{pad}{k}:")
                _emit(value, indent + 2, lines)
            elif isinstance(value, list) and value:
                lines.append(f"{pad}{k}:")
                _emit(value, indent, lines)
            else:
                lines.append(f"{pad}{k}: {_inline(value)}")
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict) and item:
                sub: list[str] = []
                _emit(item, indent + 2, sub)
                first = sub[0]
                lines.append(f"{pad}- {first[indent + 2 :]}")
                lines.extend(sub[1:])
            elif isinstance(item, list) and item:
                sub = []
                _emit(item, indent + 2, sub)
                lines.append(f"{pad}- {sub[0][indent + 2 :]}")
                lines.extend(sub[1:])
            else:
                lines.append(f"{pad}- {_inline(item)}")
    else:
        lines.append(pad + _inline(data))


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def to_json(data: Any) -> str:
    return json.dumps(data, indent=4, sort_keys=True, ensure_ascii=False) + "\n"
