"""A code block in a step's text without a language is shown plain. Textual guessed its
language with Pygments: lesson 2's EndpointSlice YAML came out coloured as Carbon, and the guess
loaded every lexer in the middle of a step change (0.3 CPU s the first time in a process)."""

from __future__ import annotations

import dataclasses
from typing import Any

from app.conftest import make_lesson, make_other
from testkit import settle
from textual.content import Content
from textual.widgets import Label
from textual.widgets.markdown import MarkdownFence

SLICE = """The slice:

```
addressType: IPv4
ports:
- port: 8080
  protocol: TCP
endpoints:
- addresses: ["10.244.1.11"]
  conditions: {ready: true}
```

and a named one:

```yaml
ports:
- port: 8080
```
"""


async def test_an_unnamed_code_block_is_plain_and_a_named_one_highlighted(make_app: Any) -> None:
    lesson = make_lesson()
    first = dataclasses.replace(lesson.steps[0], text=SLICE)
    lesson = dataclasses.replace(lesson, steps=(first, *lesson.steps[1:]))
    app = make_app("basics", lessons=[lesson, make_other()])
    async with app.run_test() as pilot:
        await settle(pilot)
        unnamed, named = app.screen.query(MarkdownFence)
        plain, coloured = (f.query_one(Label).render() for f in (unnamed, named))
        assert isinstance(plain, Content) and isinstance(coloured, Content)
        assert "addressType: IPv4" in plain.plain
        # one colour, the text's (guessed as Carbon, its words were coloured as Carbon's)
        assert {str(span.style) for span in plain.spans} == {"$text"}, plain.spans
        # a block that names its language is highlighted as before
        assert len({str(span.style) for span in coloured.spans}) > 1, coloured.spans
