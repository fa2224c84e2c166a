"""The dual-stack lesson's `ipv6-first` challenge: its goal line renders its inline Markdown, as
its hints and result do (it showed its backticks, `api`, as typed), and its workbench runs on
the lesson's dual-stack cluster (`cluster: ip_families`), as the lesson's steps do: an
IPv6-only Service is served from the Pods' IPv6 addresses, not refused as on an IPv4 cluster."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import builtin_app, press, prompts, settle, type_fast
from textual.widgets import Static

from tutor.app.widgets.editor import YamlEditor
from tutor.app.widgets.routing import RoutingView


@pytest.fixture(autouse=True)
def only_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KTUTOR_LESSONS", raising=False)
    monkeypatch.delenv("KTUTOR_SERVE", raising=False)


async def test_the_goal_line_renders_code_spans_and_the_cluster_is_dual_stack(
    tmp_path: Path,
) -> None:
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
        # an IPv6-only Service: the cluster has the family, so its Pod rows are IPv6 addresses
        editor = app.screen.query_one(YamlEditor)
        editor.focus()
        line = editor.text.splitlines().index("  selector:")
        editor.cursor_location = (line, 2)
        await type_fast(pilot, *"ipFamilies: [IPv6]", "enter")
        assert "  ipFamilies: [IPv6]\n  selector:" in editor.text
        view = app.screen.query_one(RoutingView)
        routing = prompts(view)
        rows = [p for p in routing if "TRAFFIC" in p]
        assert len(rows) == 2, routing
        assert all("[fd00:10:244:" in row and "]:8080" in row for row in rows), rows
