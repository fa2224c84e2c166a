"""The routing view: client -> Service -> every Pod, with who gets traffic and why not.

One option per Pod per Service port, so the highlighted option is "the selected Pod" for cluster
changes (delete, Ready, labels, move) and "the selected Service port" for traffic. Every line is
a `rich.text.Text` built from model data, never markup, so names and labels print as written.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tutor.app.widgets.hanging import Wrapped
from tutor.app.widgets.inline import quoted
from tutor.app.widgets.safe import scrub
from tutor.lab.actions import ACTIONS, BY_ID
from tutor.lab.session import DEFAULT_CLIENT, Snapshot, Target
from tutor.model import dns
from tutor.model.analysis import Analysis, PortRoute, ServiceRoute
from tutor.model.endpoints import join_host_port, pod_address
from tutor.model.objects import EXTERNAL_NAME, Pod
from tutor.model.proxy import Client
from tutor.model.report import at_pod, request, request_to, source_address

if TYPE_CHECKING:
    from textual.css.styles import RulesMap

GETS = "▶"
NOT = "✗"

NBSP = "\u00a0"
"""Joins a field's name and its value in a row: `hang` never breaks there."""


def option_id(target: Target) -> str:
    return f"{target.service}|{target.port}|{target.pod}"


def parse_option_id(value: str | None) -> Target | None:
    if not value:
        return None
    parts = value.split("|", 2)
    if len(parts) != 3 or not parts[0].isdigit():
        return None
    return Target(int(parts[0]), parts[1], parts[2])


def _labels(pod: Pod, selector: dict[str, str] | None, matched: tuple[str, ...]) -> Text:
    text = Text("labels ", style="dim")
    if not pod.labels:
        text.append("(none)", style="dim italic")
    for i, (key, value) in enumerate(sorted(pod.labels.items())):
        if i:
            text.append("  ")
        if key in matched:
            text.append(f"{key}={value}", style="bold green")
            text.append(" ✓", style="green")
        elif selector and key in selector:
            text.append(f"{key}={value}", style="bold red")
            text.append(" ≠", style="red")
        else:
            text.append(f"{key}={value}")
    return text


def service_header(
    sr: ServiceRoute,
    pr: PortRoute,
    client: Client,
    analysis: Analysis | None = None,
    width: int = 0,
) -> Text:
    svc = sr.service
    port = pr.port
    text = Text()
    if analysis is not None:  # the address it sends from to this ClusterIP (dual-stack)
        client = source_address(analysis, client, svc.cluster_ip)
    origin = f"{client.name} ({client.ip}" + (f" on {client.node})" if client.node else ")")
    text.append("from ", style="dim")
    text.append(origin, style="bold")
    text.append("\n  └─▶ ", style="dim")
    text.append("Service ", style="dim")
    text.append(svc.name, style="bold")
    text.append(f"  {svc.type}", style="cyan")
    if svc.namespace != "default":
        text.append(f"  ns {svc.namespace}", style="dim")
    text.append("\n      ")
    if svc.headless:
        text.append("headless (clusterIP: None): DNS returns the Pod IPs", style="yellow")
        text.append(f"  port {port.label}")
    elif svc.type == "ExternalName":
        text.append(f"CNAME to {svc.external_name}", style="yellow")
    else:
        text.append(join_host_port(svc.cluster_ip, port.port), style="bold")
        text.append(f"/{port.protocol}")
        if port.name:
            text.append(f" ({port.name})", style="dim")
        # a no-break space keeps each field with its value when the row wraps (`hang`): at
        # 120x40 lesson 9 step 2 put `30080` alone on a line under `nodePort`
        text.append(f" → targetPort{NBSP}", style="dim")
        text.append(str(port.target_port), style="bold")
        if port.node_port:
            text.append(f"  nodePort{NBSP}{port.node_port}", style="dim")
    text.append("\n      DNS ", style="dim")
    text.append(svc.dns_name)
    text.append("\n      selector ", style="dim")
    if svc.selector:
        text.append("  ".join(f"{k}={v}" for k, v in svc.selector.items()), style="bold")
    else:
        text.append("(none: no endpoints are made for it)", style="yellow")
    if svc.session_affinity == "ClientIP":
        text.append(f"   sessionAffinity{NBSP}ClientIP", style="magenta")
    if svc.internal_traffic_policy == "Local":
        text.append(f"   internalTrafficPolicy{NBSP}Local", style="magenta")
    total = sum(1 for v in pr.verdicts.values() if v.gets_traffic)
    text.append("\n      ")
    if svc.headless and total:  # no virtual IP: the client connects to an address DNS gave it
        text.append(f"{total} Pod{'s' if total > 1 else ''} in the DNS answer", style="bold green")
        text.append(" (the client picks one)", style="dim")
    elif total == 1:
        text.append("1 Pod gets all the traffic", style="bold green")
    elif total:
        text.append(f"{total} Pods get traffic", style="bold green")
        text.append(f" (about {100.0 / total:.0f}% each)", style="dim")
    elif analysis is not None:
        outcome = request_to(analysis, sr, pr, client, rules=False)
        text.append(f"no Pod gets traffic: {outcome.summary}", style="bold red")
    else:
        text.append("no Pod gets traffic", style="bold red")
    # a labelled line goes on under its value, not under its label: at 120x40 lesson 3's
    # `selector app.kubernetes.io/part-of=shop` put `team=payments` on the next row under
    # `selector`, where it read as a field of its own
    lines = text.split("\n", allow_blank=True)
    return Text("\n").join(hang(line, width, _label_end(line.plain) or 6) for line in lines)


HEADER_LABELS = ("      DNS ", "      selector ")
"""The header's labelled lines: what wraps goes on under the value."""


def _label_end(line: str) -> int:
    return next((len(label) for label in HEADER_LABELS if line.startswith(label)), 0)


def symptom_header(sr: ServiceRoute, pr: PortRoute, client: Client, analysis: Analysis) -> Text:
    """A Service port as its user knows it without investigating: who sends, to which name
    and port (the snapshot shows symptoms only). The client's address is the one it sends from
    to the ClusterIP, as in the full view's header and the trace (`source_address`)."""
    client = source_address(analysis, client, sr.service.cluster_ip)
    text = Text()
    text.append("from ", style="dim")
    text.append(f"{client.name} ({client.ip}" + (f" on {client.node})" if client.node else ")"))
    text.append("\n  └─▶ ", style="dim")
    text.append("Service ", style="dim")
    text.append(sr.service.name, style="bold")
    if sr.service.namespace != "default":
        text.append(f"  ns {sr.service.namespace}", style="dim")
    text.append(f"  port {pr.port.label}")
    return text


MARKS = ("✓", "≠")
"""A matched or differing label's mark: never the first word of a wrapped line."""


def hang(text: Text, width: int, indent: int) -> Text:
    """Wrap each line of `text` to `width`, continuation lines indented by `indent`: Rich wraps
    to column 0, which put `rejected` and `nodePort 31122` under the row's marks."""
    if width <= indent + 12:
        return text
    out: list[Text] = []
    for line in text.split("\n", allow_blank=True):
        room = width
        while line.cell_len > room:
            plain = line.plain
            cut = plain.rfind(" ", indent + 1, room + 1)
            while cut > indent and plain[cut + 1 : cut + 2] in MARKS:
                cut = plain.rfind(" ", indent + 1, cut)  # a label's mark stays with it
            if cut <= indent:  # one long word (a DNS name): after its last dot, dash or slash
                mark = max(plain.rfind(ch, indent + 1, room) for ch in "./-")
                cut = mark + 1 if mark > indent else room
            head, tail = line.divide([cut])
            head.rstrip()
            out.append(head)
            skip = len(tail.plain) - len(tail.plain.lstrip(" "))
            line = Text(" " * indent).append_text(tail[skip:])
            room = width
        out.append(line)
    return Text("\n").join(out)


def pod_row(sr: ServiceRoute, pr: PortRoute, pod: Pod, width: int = 0) -> Text:
    verdict = pr.verdicts.get(pod.ref)
    gets = bool(verdict and verdict.gets_traffic)
    text = Text()
    if gets:
        text.append(f" {GETS} TRAFFIC ", style="bold reverse green")
    else:
        text.append(f" {NOT} no traffic ", style="bold red")
    text.append(" ")
    text.append(pod.name, style="bold")
    port = verdict.port if verdict and verdict.port is not None else None
    text.append(f"  {pod_address(pod, sr.service, port) or '(no IP)'}")
    text.append(f"  {pod.node_name or '(unscheduled)'}", style="cyan")
    text.append("  ")
    if pod.ready_condition == "True":
        text.append("Ready", style="green")
    else:
        text.append(f"not{NBSP}Ready", style="yellow")  # `not` / `Ready` read as Ready
    if pod.terminating:
        text.append(" terminating", style="yellow")
    if pod.owner:
        text.append(f"  ({pod.owner})", style="dim")
    text.append("\n")
    # the labels go on under the first label, as `why:` goes on under its words: at 100x30
    # lesson 4's `version=v2` wrapped under the word `labels`, a field of its own to the eye
    labels = hang(
        Text("     ") + _labels(pod, sr.service.selector, verdict.matched if verdict else ()),
        width,
        len("     labels "),
    )
    text.append_text(labels)
    if gets and verdict is not None and verdict.port is not None:
        # a headless Service's clients connect to the Pod IP on the port they asked for
        asked = pr.port.port if sr.service.headless else verdict.port
        answers, _assumed, reason, _hop = at_pod(pod, asked, pr.port.protocol)
        if not answers:
            text.append("\n     refuses: ", style="dim")
            refuses = hang(
                Text("     refuses: ", style="bold red") + quoted(reason, "bold red"), width, 14
            )
            text.append_text(refuses[len("     refuses: ") :])
    if verdict is not None and not gets:
        text.append("\n     why: ", style="dim")
        why = hang(Text("     why: ", style="italic") + quoted(verdict.reason, "italic"), width, 10)
        text.append_text(why[len("     why: ") :])
    return hang(text, width, 5)


def no_ports_row(analysis: Analysis, sr: ServiceRoute, client: Client, width: int = 0) -> Text:
    """A Service without ports: an ExternalName needs none (its name is a CNAME, so the row
    says what a request to it does); any other Service gets no traffic without one."""
    svc = sr.service
    if svc.type != EXTERNAL_NAME and not svc.headless:
        return Text(f"Service {svc.name} has no ports.")
    text = Text()
    text.append("Service ", style="dim")
    text.append(svc.name, style="bold")
    text.append(
        "  ExternalName" if svc.type == EXTERNAL_NAME else "  headless, no ports", style="cyan"
    )
    if svc.namespace != "default":
        text.append(f"  ns {svc.namespace}", style="dim")
    text.append("\n      ")
    if svc.type == EXTERNAL_NAME:
        said = request(analysis, client, svc.dns_name, 80).summary  # a CNAME: no port in it
    else:
        said = dns.headless_answer(sr)
    text.append(said, style="yellow")
    return hang(text, width, 6)


SCROLLBAR_ROOM = 2
"""Columns a row leaves free at the view's right edge, where its scroll bar comes when the
rows outgrow it: a row then keeps its lines, and the heights the view measured for them."""


class Row(Wrapped):
    """A row wrapped (`hang`) to the view's width when it is drawn, whatever the width was
    when the row was made: the rows are made as the lesson screen mounts, before its first
    layout gives the view a width, and rows made for no width were drawn once unwrapped and
    again, all of them, when the view learned its width (a tenth of opening a lesson). Equal
    rows (same `key`) draw the same, so an update that changes nothing keeps what was drawn."""

    def __init__(self, make: Callable[[int], Text], key: object, room: Callable[[], int]) -> None:
        self.make = make
        """The row's text wrapped to a width (unwrapped for 0)."""
        self.key = key
        self.room = room
        """The width to wrap to now (the view's, less `SCROLLBAR_ROOM`)."""
        self._made: dict[int, Content] = {}
        self._last: Text | None = None

    @classmethod
    def hung(cls, text: Text, indent: int, room: Callable[[], int]) -> Row:
        """`text` wrapped by `hang` with `indent`."""
        text = scrub(text)
        return cls(lambda width: hang(text, width, indent), (text.plain, tuple(text.spans)), room)

    @classmethod
    def made(cls, make: Callable[[int], Text], room: Callable[[], int]) -> Row:
        """A row that `make` wraps itself, keyed by what it says unwrapped."""
        text = scrub(make(0))
        return cls(make, (text.plain, tuple(text.spans)), room)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Row) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __str__(self) -> str:
        """The row as last drawn (wrapped), or unwrapped before it is drawn."""
        return (self._last if self._last is not None else self.text(0)).plain

    def text(self, width: int) -> Text:
        """The row wrapped to `width` columns (0: not wrapped)."""
        return scrub(self.make(width))

    def lines(self, width: int) -> Content:
        """The row as drawn in `width` columns: wrapped to the view's room, at most `width`."""
        wrap = max(0, min(width, self.room())) if width else 0
        made = self._made.get(wrap)
        if made is None:
            self._last = text = self.text(wrap)
            made = self._made[wrap] = Content.from_rich_text(text)
        return made

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.lines(0).get_optimal_width(rules, container_width)


class RoutingView(OptionList):
    """Which Pods get each Service port's traffic. Arrow keys pick a Pod; keys change it.

    The keys are the rows of `tutor.lab.actions`; each posts a `Command` that the workbench
    runs on its session with this view's `target`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(a.keys, f"command({a.id!r})", a.label, id=a.id.replace("_", "-"), show=a.show)
        for a in ACTIONS
    ]

    class Command(Message):
        """A row of the action table to run where the state lives (the workbench)."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.snapshot: Snapshot | None = None
        self._rows: dict[tuple[object, ...], Row] = {}
        """The last render's Pod rows by what they show: a keystroke re-analyzes the whole
        manifest into new objects, but most rows come out the same (50 rows were a third of
        a keystroke's time)."""
        self._laid_out_width: int | None = None
        """The rows' width at the last Resize (None before the first)."""

    def _pod_row(
        self,
        sr: ServiceRoute,
        pr: PortRoute,
        pod: Pod,
        rows: dict[tuple[object, ...], Row],
    ) -> Row:
        """`pod_row` as a `Row`, from the last render when nothing it shows has changed (the
        Pod and its verdict as they print, the selector, the port)."""
        key = (
            repr(pod),
            repr(pr.verdicts.get(pod.ref)),
            repr(sr.service.selector),
            sr.service.headless,
            tuple(sr.service.ip_families),  # the Pod address shown is of the primary family
            pr.port.port,
            pr.port.protocol,
        )
        row = self._rows.get(key)
        if row is None:
            row = Row(lambda width: pod_row(sr, pr, pod, width), key, self._room)
        rows[key] = row
        return row

    @property
    def client(self) -> Client:
        return self.snapshot.client if self.snapshot is not None else DEFAULT_CLIENT

    def _room(self) -> int:
        """The width the rows wrap to (`Row`)."""
        return self.size.width - SCROLLBAR_ROOM

    def on_resize(self, event: events.Resize) -> None:
        """Rows wrap to the view's width as they are drawn (`Row`), and `OptionList` keeps
        what it drew until a Resize: only a new width needs them drawn again. It is not told of any
        other Resize (`prevent_default`), as it would throw away every row it has drawn and
        draw them all again in one more frame: the first (the layout that sent it drew them
        at this width, or drew nothing yet), and the error list or the stale note coming and
        going (a key that makes the text invalid or valid again), which changes the height
        alone."""
        width = self.size.width
        if self._laid_out_width in (None, width):
            event.prevent_default()
        self._laid_out_width = width

    def on_focus(self) -> None:
        """Select the first Pod: a cluster key pressed right away acts on it (the Service row
        was selected, and the first `l` said "Pick a Pod first")."""
        target = self.target
        if target is not None and target.pod:
            return
        for index in range(self.option_count):
            found = parse_option_id(self.get_option_at_index(index).id)
            if (
                found is not None
                and found.pod
                and (target is None or found.service == target.service)
            ):
                self.highlighted = index
                return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the view shows symptoms only it lists no Pods: their keys leave the footer."""
        if action == "command" and self.snapshot is not None and self.snapshot.symptoms:
            row = BY_ID.get(str(parameters[0])) if parameters else None
            return not (row is not None and row.needs_pod)
        return True

    def action_command(self, name: str) -> None:
        self.post_message(self.Command(name))

    @property
    def target(self) -> Target | None:
        option = self.highlighted_option
        return parse_option_id(option.id) if option is not None else None

    def show(self, snapshot: Snapshot) -> None:
        """Render the snapshot's routing; keep the highlight on the same Pod (or Service port)."""
        analysis = snapshot.shown
        if analysis is None:
            return
        keep = self.target
        keep_index = self.highlighted
        self.snapshot = snapshot
        client = snapshot.client
        options: list[Option] = []
        rows: dict[tuple[object, ...], Row] = {}
        if snapshot.routing_note:
            options.append(Option(scrub(Text(snapshot.routing_note)), id="none|", disabled=True))
        elif snapshot.symptoms:
            note = Text(snapshot.symptoms_note, style="italic")
            options.append(Option(scrub(note), id="symptoms|", disabled=True))
        for s_index, sr in enumerate(analysis.services):
            if snapshot.symptoms:
                for pr in sr.ports:
                    prompt = Row.hung(symptom_header(sr, pr, client, analysis), 6, self._room)
                    options.append(Option(prompt, id=option_id(Target(s_index, pr.port.key))))
                continue
            for pr in sr.ports or []:
                header = Target(s_index, pr.port.key)
                # made at the view's width by `service_header` itself: each of its lines hangs
                # on its own (the selector's pairs under the first pair), not all at 6 columns
                prompt = Row.made(partial(service_header, sr, pr, client, analysis), self._room)
                options.append(Option(prompt, id=option_id(header)))
                shown: set[str] = set()  # a Pod given twice is listed once (ids are unique)
                for pod in analysis.cluster.pods:
                    if pod.ref in shown:
                        continue
                    shown.add(pod.ref)
                    target = Target(s_index, pr.port.key, pod.ref)
                    row = self._pod_row(sr, pr, pod, rows)
                    options.append(Option(row, id=option_id(target)))
            if not sr.ports:
                options.append(
                    Option(
                        Row.made(partial(no_ports_row, analysis, sr, client), self._room),
                        id=option_id(Target(s_index, "")),
                    )
                )
        if (
            not analysis.cluster.pods
            and not snapshot.symptoms
            and not all(sr.service.type == EXTERNAL_NAME for sr in analysis.services)
        ):
            options.append(
                Option(
                    Text("No Pods: add a Pod or a Deployment (or press a)."),
                    id="nopods|",
                    disabled=True,
                )
            )
        self._rows = rows
        if not self._patch(options):
            self.clear_options()
            self.add_options(options)
        elif keep is not None and self.target == keep:
            return
        if keep is not None:
            for i, option in enumerate(options):
                t = parse_option_id(option.id)
                if (
                    t is not None
                    and t.pod == keep.pod
                    and t.port == keep.port
                    and (t.service == keep.service or keep.pod)
                ):
                    self.highlighted = i
                    break
            else:  # the Pod is gone (deleted, replaced): stay at the same place
                self.highlighted = min(keep_index or 0, len(options) - 1) if options else None
        else:
            self.highlighted = 0 if options else None
        if self.has_focus:
            self.on_focus()

    def _patch(self, options: list[Option]) -> bool:
        """Update in place when the rows are the same ones (the usual case while typing):
        only changed prompts are replaced, so unchanged rows keep their cached layout."""
        if self.option_count != len(options):
            return False
        current = [self.get_option_at_index(i) for i in range(self.option_count)]
        if any(
            old.id != new.id or old.disabled != new.disabled
            for old, new in zip(current, options, strict=True)
        ):
            return False
        for index, (old, new) in enumerate(zip(current, options, strict=True)):
            if old.prompt != new.prompt:
                self.replace_option_prompt_at_index(index, new.prompt)
        return True

    def pod(self) -> Pod | None:
        """The selected Pod, as the routing view shows it."""
        target = self.target
        shown = self.snapshot.shown if self.snapshot is not None else None
        if shown is None or target is None or not target.pod:
            return None
        return shown.cluster.pod(target.pod)
