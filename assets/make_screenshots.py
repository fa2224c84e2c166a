"""Write the README's screenshots: `python assets/make_screenshots.py` (from the repository root).

Runs the app headless on the built-in lessons with a throwaway progress folder, so the pictures
show a first visit, and saves SVGs next to this script.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tutor.app.app import TutorApp  # noqa: E402

LESSON = "labels-selectors"


async def _settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.3)


async def shoot(
    name: str,
    size: tuple[int, int],
    lesson: str | None = None,
    before: Callable[[Any], Awaitable[None]] | None = None,
) -> None:
    app = TutorApp(lesson)
    app.cursor_blink = False
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        if before is not None:
            await before(pilot)
            await _settle(pilot)
        path = app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
        print(path)


async def _behind(pilot: Any) -> None:
    await pilot.press("f5")


async def _burst(pilot: Any) -> None:
    await pilot.press("ctrl+g")
    await pilot.pause(1.5)


async def main() -> None:
    os.environ["KTUTOR_DATA_DIR"] = tempfile.mkdtemp(prefix="ktutor-shots-")
    await shoot("lesson-list-120x40", (120, 40))
    await shoot("lesson-120x40", (120, 40), LESSON, _burst)
    await shoot("lesson-80x24", (80, 24), LESSON)
    await shoot("behind-the-scenes-120x40", (120, 40), LESSON, _behind)


if __name__ == "__main__":
    asyncio.run(main())
