"""Helpers shared by the test folders (on sys.path through pytest's `pythonpath`)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for screen switches, the analysis worker and the messages it posts."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def tree_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into nested dicts and lists (the root excluded), for mutation strategies."""
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(tree_paths(v, (*prefix, k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(tree_paths(v, (*prefix, i)))
    return out


def parent_of(data: Any, path: tuple[Any, ...]) -> Any:
    """The container holding the last step of `path`."""
    for key in path[:-1]:
        data = data[key]
    return data
