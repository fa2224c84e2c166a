"""A code block in a step's text without a language is shown plain. Textual guessed its
language with Pygments: lesson 2's EndpointSlice YAML came out coloured as Carbon, and the guess
loaded every lexer in the middle of a step change (0.3 CPU s the first time in a process)."""

from __future__ import annotations

from testkit import settle
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Label
from textual.widgets.markdown import MarkdownFence

from tutor.app.screens.lesson import StepPane

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


class Step(App[None]):
    """The lesson screen's step pane alone, showing SLICE (a whole lesson screen costs ~0.4 CPU s
    to start; the pane's Markdown is what chooses the fences' classes)."""

    def compose(self) -> ComposeResult:
        yield StepPane(SLICE)


async def test_an_unnamed_code_block_is_plain_and_a_named_one_highlighted() -> None:
    app = Step()
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
