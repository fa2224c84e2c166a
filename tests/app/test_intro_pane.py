"""The intro's scroll bar goes once its text fits the full width, also when only the text
changes (the next step in a pane of the same size): Textual keeps a bar while the text,
wrapped beside it, still overflows, and sends no Resize for a new virtual size."""

from __future__ import annotations

from testkit import settle
from textual.app import App, ComposeResult
from textual.widgets import Static

from tutor.app.widgets.intro_pane import IntroPane

# 30 columns less the padding: 28 for the text, 26 beside a scroll bar
CSS = "IntroPane { width: 30; height: 6; padding: 0 1; }"
FITS_FULL_WIDTH = "\n".join(["x" * 13 + " " + "y" * 13] * 6)  # 6 rows at 28, 12 at 26


class Pane(App[None]):
    CSS = CSS

    def compose(self) -> ComposeResult:
        with IntroPane():
            yield Static("\n".join(["line"] * 10), id="text", markup=False)


async def test_a_text_that_fits_the_full_width_loses_the_bar_the_last_one_needed() -> None:
    app = Pane()
    async with app.run_test(size=(40, 10)) as pilot:
        await settle(pilot)
        pane = app.query_one(IntroPane)
        assert pane.show_vertical_scrollbar  # 10 rows in 6
        app.query_one("#text", Static).update(FITS_FULL_WIDTH)
        await settle(pilot)
        assert (pane.show_vertical_scrollbar, pane.max_scroll_y) == (False, 0)
        assert app.query_one("#text").size.width == 28
