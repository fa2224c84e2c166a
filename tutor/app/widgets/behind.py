"""Behind the scenes: what Kubernetes writes for the manifest as it is now.

kube-proxy's rules (iptables mode, or nftables mode with `m`), the EndpointSlice objects and the
DNS records, each in a tab. This module (and PyYAML's dumper) is imported only when the learner
first opens the view. kube-proxy's IPVS mode is deprecated in v1.35 and not shown.
"""

from __future__ import annotations

from typing import ClassVar

import yaml
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer, Vertical
from textual.highlight import highlight
from textual.widgets import Static, TabbedContent, TabPane

from tutor.app.widgets.safe import scrub, scrub_str
from tutor.model.analysis import Analysis
from tutor.model.dns import records
from tutor.model.endpoints import endpoint_slices
from tutor.model.iptables import render_rules
from tutor.model.nftables import render_nftables

MODES = ("iptables", "nftables")


def slices_yaml(analysis: Analysis) -> str:
    docs = []
    for sr in analysis.services:
        docs.extend(
            endpoint_slices(
                sr.endpoints, sr.ports[0].slice_endpoints.endpoints if sr.ports else None
            )
        )
    if not docs:
        return "# No EndpointSlices: no Service with a selector selects any Pod.\n"
    return yaml.safe_dump_all(docs, sort_keys=False, default_flow_style=False)


def dns_text(analysis: Analysis) -> Text:
    found = records(analysis)
    text = Text()
    if not found:
        text.append("No DNS records: there is no Service.", style="dim")
        return text
    text.append("What CoreDNS answers (name, TTL, class, type, data):\n\n", style="dim")
    for record in found:
        text.append(record.zone_line.replace("\t", "  "))
        if record.pod:
            text.append(f"   ({record.pod})", style="dim")
        text.append("\n")
    return text


def rules_lead(node: str | None, mode: str) -> str:
    """The line above kube-proxy's rules: what they are and how to switch mode. It wraps on
    its own above the rules, which scroll sideways (as one text it was cut at the pane's edge)."""
    other = MODES[1 - MODES.index(mode)]
    where = node or "each node"
    if mode == "nftables":
        lead = f"The nftables table kube-proxy (nftables mode) writes on {where}"
    else:
        lead = f"The iptables rules kube-proxy writes on {where} (nat table first)"
    return f"{lead}; m: show {other} mode."


def rules_view(analysis: Analysis, node: str | None, mode: str) -> str:
    """kube-proxy's rules in `mode` (iptables: the nat table, where Services live, first)."""
    if mode == "nftables":
        return render_nftables(analysis, node)
    rules = render_rules(analysis, node)
    cut = rules.find("*nat")
    if cut > 0:
        rules = rules[cut:] + "\n" + rules[:cut]
    return rules


class BehindScenes(Vertical):
    """Three tabs, refreshed from each new analysis while visible."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "toggle_mode", "iptables/nftables", id="behind-mode")
    ]

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pending: tuple[Analysis, str | None] | None = None
        self.shown: tuple[Analysis, str | None] | None = None
        self.mode = MODES[0]
        """kube-proxy's mode whose rules the first tab shows."""
        self.note = ""
        """Said in every tab instead of the objects ("" when they are shown)."""
        self.focus_when_mounted = False
        """Set by the workbench that mounts the view as F5 opens it."""

    def focus_first(self) -> None:
        """Focus the scrolling area of the tab on show (arrows scroll it, `m` switches mode)."""
        tabbed = self.query_one("#behind-tabbed", TabbedContent)
        pane = tabbed.get_pane(tabbed.active) if tabbed.active else None
        if pane is not None:
            pane.query_one(ScrollableContainer).focus()

    def action_toggle_mode(self) -> None:
        """Switch the rules tab between kube-proxy's iptables and nftables modes."""
        self.mode = MODES[1 - MODES.index(self.mode)]
        if self.shown is not None and self.pending is None:
            self.pending = self.shown
        self._render_pending()

    def on_mount(self) -> None:
        self.call_after_refresh(self._render_pending)
        if self.focus_when_mounted:
            self.call_after_refresh(self.focus_first)

    def compose(self) -> ComposeResult:
        with TabbedContent(id="behind-tabbed"):
            with TabPane("kube-proxy rules", id="tab-rules"):
                yield Static("", id="rules-lead", markup=False, classes="behind-lead")
                with ScrollableContainer():
                    yield Static("", id="rules-text", markup=False, classes="behind-text")
            with TabPane("EndpointSlices", id="tab-slices"), ScrollableContainer():
                yield Static("", id="slices-text", markup=False, classes="behind-text")
            with TabPane("DNS", id="tab-dns"), ScrollableContainer():
                yield Static("", id="dns-text", markup=False, classes="behind-text")

    def hide(self, note: str) -> None:
        """Say `note` in every tab instead (the routing view shows symptoms only)."""
        self.pending = self.shown = None
        self.note = note
        if self.is_mounted:
            self._render_pending()

    def show(self, analysis: Analysis, node: str | None) -> None:
        """Render now if the tabs exist, else as soon as they do."""
        self.pending = (analysis, node)
        self.note = ""
        if self.is_mounted:
            self._render_pending()

    def _render_pending(self) -> None:
        if self.note and self.query("#dns-text"):
            for name in ("#rules-text", "#slices-text", "#dns-text"):
                self.query_one(name, Static).update(Text(self.note, style="italic"))
            self.query_one("#rules-lead", Static).display = False
            return
        if self.pending is None or not self.query("#dns-text"):
            return
        analysis, node = self.shown = self.pending
        self.pending = None
        lead = self.query_one("#rules-lead", Static)
        lead.update(Text(scrub_str(rules_lead(node, self.mode)), style="dim"))
        lead.display = True
        self.query_one("#rules-text", Static).update(
            scrub_str(rules_view(analysis, node, self.mode))
        )
        self.query_one("#slices-text", Static).update(
            highlight(scrub_str(slices_yaml(analysis)), language="yaml")
        )
        self.query_one("#dns-text", Static).update(scrub(dns_text(analysis)))
