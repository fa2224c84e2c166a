"""`?` / F1: every key, grouped by where it works."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("F1 or ?", "this help"),
            ("ctrl+p", "command palette: jump to a lesson or step, reset, toggle views"),
            ("ctrl+q", "quit (your work is saved as you type)"),
            ("Tab / shift+Tab", "move between areas (the mouse works too)"),
            ("Escape", "leave the editor; again: back"),
        ),
    ),
    (
        "Lesson",
        (
            ("ctrl+n / ctrl+b", "next / previous step"),
            ("ctrl+r", "reset the step's YAML to its start (asks first)"),
            ("ctrl+o", "challenges and quiz"),
            ("ctrl+t", "send one request and follow its path"),
            ("ctrl+g", "send 100 requests: a live count per Pod"),
            ("F2 F3 F4", "show the text, the YAML, the routing view (tabs on small terminals)"),
            ("F5", "behind the scenes: kube-proxy rules, EndpointSlices, DNS"),
        ),
    ),
    (
        "Routing view (focus it with F4 or a click)",
        (
            ("↑ ↓", "pick a Pod (or a Service port, for traffic)"),
            ("d", "delete (crash) the Pod: a Deployment's Pod comes back with a new name and IP"),
            ("r", "toggle the Pod's Ready condition"),
            ("l", "edit the Pod's labels"),
            ("m", "move the Pod to another node"),
            ("a or +", "add a Pod like this one (a replica more for a Deployment)"),
            ("-", "scale the Pod's workload down by one"),
            ("c", "choose the client: a node, three clients, or any Pod"),
            ("t / b", "send one request / 100 requests"),
            ("x", "undo all cluster changes"),
        ),
    ),
    (
        "Challenge",
        (
            ("ctrl+s", "check your manifest against the goal"),
            ("ctrl+n", "reveal the next hint"),
            ("ctrl+l", "show the solution (asks first)"),
            ("ctrl+r", "back to the starting manifest (asks first)"),
        ),
    ),
    (
        "Quiz",
        (
            ("a b c … or Enter", "answer"),
            ("n / p", "next / previous question"),
        ),
    ),
)


def help_table() -> Group:
    """One small table per group, so a long group title never widens the key column."""
    width = max(len(key) for _group, rows in KEYS for key, _what in rows)
    parts: list[Text | Table] = []
    for group, rows in KEYS:
        parts.append(Text("\n" + group, style="bold"))
        table = Table(
            box=None, show_header=False, padding=(0, 2, 0, 0), expand=False, pad_edge=False
        )
        table.add_column("key", style="bold cyan", no_wrap=True, min_width=width)
        table.add_column("what")
        for key, what in rows:
            table.add_row(key, what)
        parts.append(table)
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "app.pop_screen", "Close", id="close-help"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static(Text("ktutor keys", style="bold"), id="help-title")
            yield Static(help_table(), id="help-keys")
