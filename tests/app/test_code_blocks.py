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
from tutor.app.widgets.hanging import CodeLines

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


def code_of(fence: MarkdownFence) -> object:
    """The highlighted code a fence's label draws (wrapped at the column: CodeLines)."""
    drawn = fence.query_one(Label).render()
    return drawn.code if isinstance(drawn, CodeLines) else drawn


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
        plain, coloured = (code_of(f) for f in (unnamed, named))
        assert isinstance(plain, Content) and isinstance(coloured, Content)
        assert "addressType: IPv4" in plain.plain
        # one colour, the text's (guessed as Carbon, its words were coloured as Carbon's)
        assert {str(span.style) for span in plain.spans} == {"$text"}, plain.spans
        # a block that names its language is highlighted as before
        assert len({str(span.style) for span in coloured.spans}) > 1, coloured.spans


RESOLV = """The file:

```
search shop.svc.cluster.local svc.cluster.local cluster.local
options ndots:5
```
"""


class NarrowStep(App[None]):
    """RESOLV in a step pane 40 columns wide, as the step's column is beside the editor at
    100x30 (48) and 120x40 (58) for lesson 11's and 12's wider code lines."""

    def compose(self) -> ComposeResult:
        yield StepPane(RESOLV)


async def test_a_code_line_wider_than_the_column_goes_on_under_itself() -> None:
    """Textual's fence scrolled sideways with no scroll bar: `search shop.svc.cluster.local
    svc.cluster.l` was all lesson 11 showed at 100x30, the rest cut off unseen."""
    app = NarrowStep()
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        fence = app.screen.query_one(MarkdownFence)
        label = fence.query_one(Label)
        rows = [label.render_line(y).text.rstrip() for y in range(label.size.height)]
        rows = [row for row in rows if row.strip()]
        # the label is no wider than the fence shows (it was as wide as its longest line)
        assert label.size.width <= fence.size.width <= 40, (label.size, fence.size)
        # every word of the long line is drawn, and the row after `search ...` is indented
        # deeper than `search`, so it does not read as a line of its own
        drawn = " ".join(row.strip() for row in rows)
        assert "svc.cluster.local cluster.local options ndots:5" in drawn, rows
        search = next(row for row in rows if "search" in row)
        more = rows[rows.index(search) + 1]
        indent = len(search) - len(search.lstrip())
        assert len(more) - len(more.lstrip()) > indent, rows
        assert rows[-1].strip() == "options ndots:5", rows
