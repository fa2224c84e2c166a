"""A challenge's goal line renders its inline Markdown, as its hints and result do: the goal of
the dual-stack lesson's `ipv6-first` showed its backticks (`api`) as typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import builtin_app, press, settle
from textual.widgets import Static


@pytest.fixture(autouse=True)
def only_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KTUTOR_LESSONS", raising=False)
    monkeypatch.delenv("KTUTOR_SERVE", raising=False)


async def test_the_goal_line_renders_code_spans(tmp_path: Path) -> None:
    from tutor.app.screens.practice import ChallengeScreen

    app = builtin_app("dual-stack", data_dir=tmp_path, from_files=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+o")
        await settle(pilot)
        await press(pilot, "down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ChallengeScreen)
        assert app.screen.challenge.id == "ipv6-first"
        shown = str(app.screen.query_one("#challenge-goal", Static).render())
        assert shown.startswith("Goal: api has an AAAA")
        assert "`" not in shown
