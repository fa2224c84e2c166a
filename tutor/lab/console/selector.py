"""Label selectors as `kubectl -l` reads them (K · apimachinery/pkg/labels/selector.go · `Parse`):
`k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, joined by commas (AND)."""

from __future__ import annotations

import re
from collections.abc import Callable

from .flags import UsageError

Matcher = Callable[[dict[str, str]], bool]

_SET = re.compile(r"\s*([^\s!=,()]+)\s+(in|notin)\s+\(([^)]*)\)\s*")
_EQ = re.compile(r"\s*([^\s!=,()]+)\s*(==|=|!=)\s*([^\s!=,()]*)\s*")
_EXISTS = re.compile(r"\s*(!?)\s*([^\s!=,()]+)\s*")


def _split(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def _in(key: str, values: set[str], inside: bool) -> Matcher:
    return lambda labels: (labels.get(key) in values) == inside


def _equals(key: str, value: str, equal: bool) -> Matcher:
    return lambda labels: (labels.get(key) == value) == equal


def _exists(key: str, present: bool) -> Matcher:
    return lambda labels: (key in labels) == present


def parse_selector(text: str) -> Matcher:
    """A function that tells whether a label set matches `text`; UsageError when unreadable."""
    tests: list[Matcher] = []
    if not text.strip():
        return lambda labels: True
    for part in _split(text):
        if (m := _SET.fullmatch(part)) is not None:
            key, op, values = m.group(1), m.group(2), {v.strip() for v in m.group(3).split(",")}
            tests.append(_in(key, values, op == "in"))
        elif (m := _EQ.fullmatch(part)) is not None:
            key, op, value = m.group(1), m.group(2), m.group(3)
            tests.append(_equals(key, value, op != "!="))
        elif (m := _EXISTS.fullmatch(part)) is not None:
            neg, key = m.group(1) == "!", m.group(2)
            tests.append(_exists(key, not neg))
        else:
            raise UsageError(f"unable to parse requirement: found '{part.strip()}' in selector")
    return lambda labels: all(t(labels) for t in tests)


def format_labels(labels: dict[str, str] | None) -> str:
    """K · apimachinery/pkg/labels · `FormatLabels`: sorted `k=v` joined by commas, or <none>."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))
