"""Pay the editor's one-time cost while the learner reads the lesson list.

Every new code editor compiles tree-sitter's YAML highlight query, twice (once in the
constructor, once when its `language` is applied): about 30 ms per lesson opened. The query
depends only on the language, so it is compiled once per process, early.

This leans on a Textual internal (`SyntaxAwareDocument.prepare_query`), pinned with
textual==8.2.8; any failure only loses the speed-up.
"""

from __future__ import annotations

import contextlib
from typing import Any

_memoized = False


def memoize_highlight_queries() -> None:
    """Compile each (language, query) once per process instead of once per editor."""
    global _memoized
    if _memoized:
        return
    with contextlib.suppress(Exception):
        from textual.document._syntax_aware_document import SyntaxAwareDocument

        original = SyntaxAwareDocument.prepare_query
        cache: dict[tuple[int, str], Any] = {}

        def prepare_query(self: SyntaxAwareDocument, query: str) -> Any:
            key = (id(self.language), query)
            found = cache.get(key)
            if found is None:
                found = cache[key] = original(self, query)
            return found

        SyntaxAwareDocument.prepare_query = prepare_query  # type: ignore[method-assign]
        _memoized = True
