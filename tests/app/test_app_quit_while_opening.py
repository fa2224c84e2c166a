"""Quitting while a lesson opens (a learner who presses q at once, a served tab closed during
the start-up rush) ends the app cleanly: Textual removes the lesson's panes one at a time, and
the handlers that still run meanwhile have nothing to lay out (never a traceback)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from app.conftest import build_app
from testkit import settle


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
async def test_quitting_while_a_lesson_opens_is_clean(tmp_path: Path, turns: int) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_lesson(app.lessons[0].id)
        for _ in range(turns):
            await asyncio.sleep(0)
    assert app.return_code in (0, None)
