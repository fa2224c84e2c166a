"""One table of routing-view actions (tutor.lab.actions) makes the view's keys, the help screen
and the palette: a row added there shows up in all three, and none of them names an action the
table does not have."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from rich.console import Console
from testkit import settle
from textual.binding import Binding

from tutor.app.palette import TutorCommands
from tutor.app.screens.help import help_table
from tutor.app.widgets.routing import RoutingView
from tutor.app.widgets.workbench import Workbench
from tutor.lab.actions import ACTIONS, BY_ID


def _help_text() -> str:
    console = Console(width=200, record=True)
    console.print(help_table())
    return console.export_text()


def test_every_row_is_a_routing_key_and_every_routing_key_a_row() -> None:
    bindings = [b for b in RoutingView.BINDINGS if isinstance(b, Binding)]
    assert [(b.key, b.action) for b in bindings] == [
        (a.keys, f"command({a.id!r})") for a in ACTIONS
    ]
    keys = Workbench.screen_bindings("Step")
    screen_keys = {b.key: b.action for b in keys if isinstance(b, Binding)}
    for action in ACTIONS:
        if action.screen_key:
            assert screen_keys[action.screen_key] == f"cluster({action.id!r})"
    for action in screen_keys.values():
        if action.startswith("cluster("):
            assert action[len("cluster('") : -2] in BY_ID


def test_the_help_screen_lists_every_row() -> None:
    text = _help_text()
    for action in ACTIONS:
        rows = [row.strip() for row in text.splitlines() if action.help in row]
        assert any(row.startswith(action.key_label) for row in rows), action.id


async def test_the_palette_lists_every_row_and_runs_it(make_app: Any, data_dir: Path) -> None:
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        provider = TutorCommands(app.screen)
        commands = {title: run for title, run, _help in provider._commands()}
        for action in ACTIONS:
            assert action.palette in commands, action.id
        bench = app.screen.query_one(Workbench)
        ran = commands["Choose the next client"]()
        if inspect.isawaitable(ran):
            await ran
        await settle(pilot)
        assert bench.clients[0].node == "node-2"
