"""Find files shipped with ktutor, in a built wheel or in a source checkout.

The wheel maps the top-level `lessons/` into `tutor/_data/lessons`; an editable install does not
see force-included folders, so the repository root is the fallback.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def lessons_dir() -> Path:
    """The built-in lessons folder."""
    packaged = _PACKAGE / "_data" / "lessons"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / "lessons"


def package_file(*parts: str) -> Path:
    return _PACKAGE.joinpath(*parts)
