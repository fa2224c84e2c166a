"""`?` / F1: every key, grouped by where it works. The routing view's keys (and the lesson
screen's traffic keys) are the rows of `tutor.lab.actions.ACTIONS`."""

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

from tutor.lab.actions import ACTIONS
from tutor.lab.session import REVEAL_KEY

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("F1 or ?", "this help"),
            ("ctrl+p", "command palette: jump to a lesson or step, reset, toggle views"),
            ("ctrl+q", "quit (your work is saved as you type)"),
            ("Tab / shift+Tab", "next / previous area (in the YAML editor Tab indents by 2)"),
            ("Escape", "back one level: out of the editor, then to the screen before"),
        ),
    ),
    (
        "Lesson",
        (
            ("ctrl+n / ctrl+b", "next / previous step"),
            ("ctrl+r", "reset the step's YAML to its start (asks first)"),
            ("ctrl+o", "challenges and quiz"),
            *((a.screen_key, a.help) for a in ACTIONS if a.screen_key),
            (
                "F2",
                "read the step (the task): it takes the column as far as it needs, until F2 or F3",
            ),
            ("F3 F4", "go to the YAML editor, the routing view"),
            ("Tab (editor)", "indent by 2 spaces (Escape or F2/F4 leave the editor)"),
            ("Enter (editor)", "a new line, indented like the line above"),
            (
                "F5",
                "behind the scenes: kube-proxy rules, EndpointSlices, DNS (shift+Tab, then ← →: "
                "the other tabs; m: iptables or nftables mode)",
            ),
            (
                "F8",
                "the console: kubectl, nslookup, dig, curl, env (↑↓ history, Tab completes, "
                "PageUp/PageDown scroll back)",
            ),
        ),
    ),
    (
        "Routing view (focus it with F4 or a click)",
        (
            ("↑ ↓", "pick a Pod (or a Service port, for traffic)"),
            *((a.key_label, a.help) for a in ACTIONS),
        ),
    ),
    (
        "Challenge",
        (
            ("ctrl+s", "check your manifest against the goal"),
            ("ctrl+n", "reveal the next hint"),
            ("ctrl+l", "show the solution (asks first)"),
            (
                REVEAL_KEY,
                "a debugging challenge shows symptoms only: show which Pods get traffic, and "
                "why, before the goal is met (asks first)",
            ),
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
