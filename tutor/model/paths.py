"""Field paths in the API server's notation: `spec.ports[0].targetPort`, `metadata.labels[app]`.

A path is kept as a tuple of segments (str for a map key, int for a list index) and printed the
way `field.Path.String()` prints it (K · apimachinery/pkg/util/validation/field/path.go).
"""

from __future__ import annotations

import re
from typing import Any

Segment = str | int
Path = tuple[Segment, ...]

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def value_at(data: Any, path: Path) -> Any:
    """What `path` leads to in parsed YAML, or None where a key or an index is not there."""
    for seg in path:
        if isinstance(data, dict):
            data = data.get(seg)
        elif isinstance(data, list) and isinstance(seg, int) and seg < len(data):
            data = data[seg]
        else:
            return None
    return data


def format_path(path: Path) -> str:
    """`("spec", "ports", 0, "port")` -> `spec.ports[0].port`."""
    out: list[str] = []
    for seg in path:
        if isinstance(seg, int):
            out.append(f"[{seg}]")
        elif _PLAIN_KEY.match(seg):
            out.append(f".{seg}" if out else seg)
        else:
            out.append(f"[{seg}]")
    return "".join(out)


_TOKEN = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_-]*)|\[([^\]]*)\]")


def parse_path(text: str) -> Path:
    """Inverse of :func:`format_path`; `spec.selector.app` and `spec.selector[app]` both work.

    Raises ValueError for text that is not a path, so lesson linting can name the bad one.
    """
    text = text.strip()
    if not text:
        return ()
    segs: list[Segment] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or (pos == 0 and text.startswith(".")):
            raise ValueError(f"not a field path: {text!r} (at character {pos + 1})")
        name, bracket = m.group(1), m.group(2)
        if name is not None:
            segs.append(name)
        elif bracket is not None:
            segs.append(int(bracket) if bracket.isdigit() else bracket)
        pos = m.end()
    return tuple(segs)
