"""What the lesson screen's cheaper frames rely on (tutor.app.widgets.workbench,
tutor.app.screens.opaque): checked without starting an app."""

from __future__ import annotations

import re
from pathlib import Path

import tutor.app
from tutor.app.widgets.workbench import READING_STYLED


def test_the_reading_layout_styles_only_the_panes_f2_restyles() -> None:
    """F2 and F3 restyle the four panes of READING_STYLED, not the whole workbench: a
    `-reading` rule for any other widget would silently never apply."""
    css = (Path(tutor.app.__file__).parent / "app.tcss").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    selectors = [
        selector.strip()
        for block in re.findall(r"([^{}]+)\{", css)
        for selector in block.split(",")
        if "-reading" in selector
    ]
    assert selectors, "app.tcss has no reading-layout rules any more"
    for selector in selectors:
        found = re.fullmatch(r"Workbench\.-reading #([\w-]+)", selector)
        assert found and found[1] in READING_STYLED, (
            f"{selector!r}: F2 restyles only #{', #'.join(READING_STYLED)} "
            "(tutor/app/widgets/workbench.py READING_STYLED)"
        )
