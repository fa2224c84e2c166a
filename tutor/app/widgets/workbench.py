"""The workbench: an intro (a lesson step or a challenge), the YAML editor, the routing view,
traffic and behind the scenes, kept in step with each other.

One edit flows one way: the edit -> the model (`analyze_with_changes`, and the goal) runs at
once for a lesson-sized text, in an exclusive thread worker for a big one -> one result -> the
editor marks, the error list, the routing view and the traffic view render it on the main
thread. Results from a stale edit are dropped by generation number. While the YAML is broken,
the last good routing picture stays, dimmed, under the errors.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import OptionList, Static, Tab, Tabs
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tutor.app.widgets.editor import Range, YamlEditor
from tutor.app.widgets.quiet import set_content
from tutor.app.widgets.routing import RoutingView
from tutor.app.widgets.safe import scrub, scrub_str
from tutor.app.widgets.traffic import TrafficView
from tutor.course.lesson import Goal
from tutor.model.analysis import Analysis, PortRoute, ServiceRoute
from tutor.model.changes import ClusterChanges, analyze_with_changes
from tutor.model.manifests import DEFAULT_NODES
from tutor.model.network import ClusterNetwork
from tutor.model.paths import parse_path
from tutor.model.proxy import Client
from tutor.model.report import Problem, problems

if TYPE_CHECKING:
    from tutor.app.widgets.behind import BehindScenes
    from tutor.course.goals import GoalResult

NARROW_WIDTH = 100
"""Below this many columns the four areas become tabs."""
SAVE_DELAY = 0.4
SAVE_MAX_WAIT = 2.0
"""Seconds of continuous typing after which the text is saved anyway (a pause never came:
a closed terminal or a kill then lost everything typed)."""
BURST = 100
PANES = ("intro", "yaml", "routing", "behind")
INLINE_CHARS = 20_000
"""Manifests up to this size are analyzed on the UI thread (50 Pods take ~8 ms); larger ones
in a worker thread, so typing never waits for them."""


@dataclass(slots=True)
class Result:
    generation: int
    text: str
    analysis: Analysis
    check: GoalResult | None


def _run_model(
    text: str,
    changes: ClusterChanges | None,
    node: str | None,
    goal: Goal | None,
    network: ClusterNetwork | None = None,
) -> tuple[Analysis, GoalResult | None]:
    analysis = analyze_with_changes(text, changes, node, network)
    check = None
    if goal is not None:
        from tutor.course.goals import evaluate_text

        check = evaluate_text(goal, text, network=network)
    return analysis, check


def field_ranges(analysis: Analysis, path_text: str, doc: str = "") -> list[Range]:
    """Where the step's field sits now: in the document its `doc:` names, as the linter and
    the handout find it (`tutor.course.locate.span_in`)."""
    from tutor.course.locate import span_in

    if not path_text:
        return []
    try:
        path = parse_path(path_text)
    except ValueError:
        return []
    span = span_in(analysis.parsed.documents, path, doc)
    if span is None:
        return []
    r0, c0 = span.line - 1, span.column - 1
    r1, c1 = span.end_line - 1, span.end_column - 1
    if c1 == 0 and r1 > r0:
        r1, c1 = r1 - 1, -1
    return [(r0, c0, r1, c1)]


def clients_for(analysis: Analysis) -> list[tuple[str, list[Client]]]:
    """Who can send traffic: a client Pod on each node, three clients, or any Pod."""
    nodes = list(analysis.cluster.nodes) or list(DEFAULT_NODES)
    out: list[tuple[str, list[Client]]] = []
    for i, node in enumerate(nodes, 1):
        out.append((f"a client Pod on {node}", [Client("client", f"10.244.{i}.100", node)]))
    trio = [
        Client(f"client-{i + 1}", f"10.244.{i % len(nodes) + 1}.{101 + i}", nodes[i % len(nodes)])
        for i in range(3)
    ]
    out.append(("3 clients on different nodes", trio))
    for pod in analysis.cluster.pods:
        if pod.ip:
            out.append(
                (f"Pod {pod.name} on {pod.node_name}", [Client(pod.name, pod.ip, pod.node_name)])
            )
    return out


class ErrorList(OptionList):
    """The API server's messages at their lines; Enter jumps the editor there."""


class Conductor(Widget):
    """Receives analysis results and renders them, off the editor's line of ancestors.

    Keys the editor handles through bindings (Backspace, Enter, arrows) bubble through its
    ancestors' message queues before they run, while typed characters do not. Rendering in an
    ancestor's queue would let a typed letter overtake a Backspace; a sibling's queue cannot.
    """

    DEFAULT_CSS = "Conductor { display: none; }"

    def __init__(self, workbench: Workbench) -> None:
        super().__init__()
        self.workbench = workbench

    def on_workbench_analyzed(self, message: Workbench.Analyzed) -> None:
        self.workbench.receive(message.result)


class WorkbenchScreen:
    """Mixin for the screens built around a Workbench (a lesson step, a challenge): the
    workbench's keys, and saving the learner's text when they pause, when they leave, and as
    the app exits.

    The screen builds its workbench with `hold()` in compose and says how to `_save` a text.
    The workbench is held, not queried: when the app exits, the widgets may already be removed
    when the screen unmounts, and the held workbench still knows the text.
    """

    _held: Workbench | None = None

    def hold(self, workbench: Workbench) -> Workbench:
        self._held = workbench
        return workbench

    @property
    def workbench(self) -> Workbench:
        assert self._held is not None, "compose() holds the workbench"
        return self._held

    def _save(self, text: str) -> None:
        raise NotImplementedError

    def save_now(self) -> None:
        """Save the text as it is (the pause timer, if running, has nothing left to do)."""
        self.workbench.cancel_pending_save()
        self._save(self.workbench.text)

    def on_workbench_settled(self, message: Workbench.Settled) -> None:
        # the change is made here, in order; the file is written from a thread
        app = self.app  # type: ignore[attr-defined]
        with app.progress.held():
            self._save(message.text)
        app.save_progress_soon()

    def on_unmount(self) -> None:
        if self._held is not None:
            self._save(self._held.text)

    def action_send_one(self) -> None:
        self.workbench.action_send_one()

    def action_send_burst(self) -> None:
        self.workbench.action_send_burst()

    def action_toggle_behind(self) -> None:
        self.workbench.action_toggle_behind()

    def action_reset_cluster(self) -> None:
        self.workbench.action_reset_cluster()


class Workbench(Vertical):
    """The editor, routing, traffic and behind-the-scenes areas around an intro widget."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # F2-F4 are the tabs on small terminals (listed in the help, F1)
        Binding("f2", "show_pane('intro')", "Text", id="pane-intro", show=False),
        Binding("f3", "show_pane('yaml')", "YAML", id="pane-yaml", show=False),
        Binding("f4", "show_pane('routing')", "Routing", id="pane-routing", show=False),
    ]

    SCREEN_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "send_one", "1 request", id="send-one"),
        Binding("ctrl+g", "send_burst", "100 requests", id="send-burst"),
        Binding("f5", "toggle_behind", "Behind", id="toggle-behind"),
    ]
    """Keys the screens bind (after their own) and forward here, so a screen's main keys
    come first in the footer."""

    narrow: reactive[bool] = reactive(False)
    active: reactive[str] = reactive("yaml")
    behind_open: reactive[bool] = reactive(False)

    class Analyzed(Message, bubble=False):
        """A finished analysis (posted from the worker thread to the Conductor)."""

        def __init__(self, result: Result) -> None:
            super().__init__()
            self.result = result

    class Updated(Message):
        """The views show a new analysis; the screen updates the step check."""

        def __init__(
            self, workbench: Workbench, analysis: Analysis, check: GoalResult | None
        ) -> None:
            super().__init__()
            self.workbench = workbench
            self.analysis = analysis
            self.check = check

    class Settled(Message):
        """The learner stopped typing: time to save the text."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(
        self,
        intro: Widget,
        text: str,
        *,
        intro_label: str = "Step",
        focus_path: str = "",
        goal: Goal | None = None,
        changes: ClusterChanges | None = None,
        id: str | None = None,
        focus_doc: str = "",
        network: ClusterNetwork | None = None,
    ) -> None:
        super().__init__(id=id)
        self.network = network
        """The lesson's cluster (`cluster.ip_families`); None = single-stack IPv4."""
        self.intro = intro
        self.intro_label = intro_label
        self.initial_text = text
        self.focus_path = focus_path
        self.focus_doc = focus_doc
        """The step's `doc:` (`Kind/name`): which document holds `focus_path`."""
        self.goal = goal
        self.generation = 0
        self.changes = changes if changes is not None else ClusterChanges()
        self.analysis: Analysis | None = None
        self.last_good: Analysis | None = None
        self.check: GoalResult | None = None
        self.client_index = 0
        self.seed = 0
        self._save_timer: Timer | None = None
        self._unsaved_since = 0.0
        """When the first change not yet handed to the screen to save was made."""
        self._behind: BehindScenes | None = None
        self._mounted = False
        self._shown_problems: list[Problem] = []
        self._requested: tuple[object, ...] | None = None
        self.conductor = Conductor(self)
        self._editor: YamlEditor | None = None
        """Held, not queried: the text must be readable while the app exits and the widgets
        are already removed (the last edit is saved then)."""

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self.app.size.width < NARROW_WIDTH:
            self.active = "intro"  # one pane at a time: the learner reads before editing
        # the tabs name their keys: on a small terminal they are the only way to learn them
        yield Tabs(
            Tab(f"F2 {self.intro_label}", id="tab-intro"),
            Tab("F3 YAML", id="tab-yaml"),
            Tab("F4 Routing", id="tab-routing"),
            Tab("F5 Behind the scenes", id="tab-behind"),
            id="pane-tabs",
            active=f"tab-{self.active}",
        )
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                self.intro.id = "intro"
                self.intro.add_class("pane")
                yield self.intro
                with Vertical(id="yaml", classes="pane"):
                    self._editor = YamlEditor.create(self.initial_text, id="editor")
                    yield self._editor
                    yield ErrorList(id="errors")
                    yield Static("", id="summary", markup=False)
            with Vertical(id="right"):
                with Vertical(id="routing", classes="pane"):
                    yield Static("", id="stale-note", markup=False)
                    yield RoutingView(id="routing-view")
                    yield TrafficView(id="traffic")
                yield Vertical(id="behind", classes="pane")
        yield self.conductor

    def on_mount(self) -> None:
        self.editor.on_edit = self.reanalyze
        self.query_one("#errors", ErrorList).display = False
        self.query_one("#stale-note", Static).display = False
        self.narrow = self.app.size.width < NARROW_WIDTH
        self.set_class(self.narrow, "-narrow")
        self._mounted = True
        if self.narrow:
            self.action_show_pane(self.active)  # focus what is shown, not the hidden editor
        self._layout()
        self.reanalyze()

    def on_unmount(self) -> None:
        gc.unfreeze()  # let the collector free this lesson's widgets (frozen in `show`)

    def on_resize(self) -> None:
        self.narrow = self.size.width < NARROW_WIDTH

    def watch_narrow(self, narrow: bool) -> None:
        self.set_class(narrow, "-narrow")
        self._layout()

    def watch_active(self) -> None:
        self._layout()

    def watch_behind_open(self) -> None:
        self._layout()

    def _layout(self) -> None:
        if not self._mounted:
            return
        tabs = self.query_one("#pane-tabs", Tabs)
        tabs.display = self.narrow
        left = self.query_one("#left")
        right = self.query_one("#right")
        panes = {name: self.query_one(f"#{name}") for name in PANES}
        if self.narrow:
            for name, pane in panes.items():
                pane.display = name == self.active
            left.display = self.active in ("intro", "yaml")
            right.display = self.active in ("routing", "behind")
            if tabs.active != f"tab-{self.active}":
                tabs.active = f"tab-{self.active}"
        else:
            for name, pane in panes.items():
                pane.display = name != "behind" or self.behind_open
            left.display = right.display = True
        if panes["behind"].display:
            self._ensure_behind()

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        if event.tab.id != event.tabs.active:
            return  # stale: two of these in flight would flip `active` back and forth forever
        if event.tab.id and event.tab.id.startswith("tab-"):
            self.active = event.tab.id[4:]

    def action_show_pane(self, name: str) -> None:
        self.active = name
        if name == "behind":
            self.behind_open = True
        target = {"yaml": "#editor", "routing": "#routing-view", "intro": "#intro"}.get(name)
        if target:
            widget = self.query_one(target)
            if widget.focusable:
                widget.focus()
            else:
                for child in widget.query("*"):
                    if child.focusable:
                        child.focus()
                        break

    def action_toggle_behind(self) -> None:
        if self.narrow:
            self.active = "behind" if self.active != "behind" else "routing"
            self.behind_open = self.active == "behind"
        else:
            self.behind_open = not self.behind_open

    def _ensure_behind(self) -> None:
        if self._behind is None:
            from tutor.app.widgets.behind import BehindScenes

            self._behind = BehindScenes(id="behind-tabs")
            self.query_one("#behind").mount(self._behind)
            self.call_after_refresh(self._refresh_behind)

    def _refresh_behind(self) -> None:
        if self._behind is None:
            return
        shown = self.shown_analysis
        if shown is not None and self.query_one("#behind").display:
            self._behind.show(shown, self.clients[0].node or None)

    # -- the text -----------------------------------------------------------------------------

    @property
    def editor(self) -> YamlEditor:
        if self._editor is None:
            self._editor = self.query_one("#editor", YamlEditor)
        return self._editor

    @property
    def routing(self) -> RoutingView:
        return self.query_one("#routing-view", RoutingView)

    @property
    def traffic(self) -> TrafficView:
        return self.query_one("#traffic", TrafficView)

    @property
    def text(self) -> str:
        return self.editor.text

    def load(
        self,
        text: str,
        focus_path: str = "",
        goal: Goal | None = None,
        changes: ClusterChanges | None = None,
        focus_doc: str = "",
    ) -> None:
        """Show another manifest (a new step or challenge); edits to it start from here.
        `changes` replaces the cluster changes (the ones saved with that step), if given."""
        if changes is not None:
            changes.counter = self.changes.counter + 1  # a new state, never a cached one
            self.changes = changes
        self.focus_path = focus_path
        self.focus_doc = focus_doc
        self.goal = goal
        self.check = None
        self._requested = None  # the screen cleared its views: always show this state anew
        editor = self.editor
        if editor.text != text:
            editor.load_text(text)  # posts Changed, which re-analyzes
        else:
            self.reanalyze()

    def on_text_area_changed(self, event: YamlEditor.Changed) -> None:
        event.stop()
        self.reanalyze()
        now = time.monotonic()
        if self._save_timer is not None:
            self._save_timer.stop()
        else:
            self._unsaved_since = now
        if now - self._unsaved_since >= SAVE_MAX_WAIT:
            self._settled()
        else:
            self._save_timer = self.set_timer(SAVE_DELAY, self._settled)

    def _settled(self) -> None:
        """Typing paused: ask the screen to save."""
        self._save_timer = None
        self.post_message(self.Settled(self.text))

    def cancel_pending_save(self) -> None:
        """The screen saves the text itself now (leaving, changing step)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None

    @property
    def clients(self) -> list[Client]:
        options = clients_for(self.shown_analysis) if self.shown_analysis else []
        if not options:
            return [Client("client", "10.244.1.100", "node-1")]
        return options[self.client_index % len(options)][1]

    def reanalyze(self) -> None:
        """Start an analysis of the text and cluster as they are now (once per state: an edit
        calls this directly and again through `Changed`)."""
        node = self.clients[0].node or None
        text = self.text
        key = (text, self.changes.counter, node, id(self.goal), self.focus_path, self.focus_doc)
        if key == self._requested:
            return
        self._requested = key
        self.generation += 1
        changes = None if self.changes.empty else ClusterChanges.from_json(self.changes.to_json())
        if len(text) <= INLINE_CHARS:
            # a lesson-sized manifest is analyzed in a few ms: doing it here shows the result
            # in the same frame as the keystroke, where a thread waited for the GIL behind
            # the rendering (half the latency, most of the tail)
            try:
                result = Result(
                    self.generation, text, *_run_model(text, changes, node, self.goal, self.network)
                )
            except Exception:  # never lose the app to a model bug: the worker reports it
                pass
            else:
                self.receive(result)
                return
        self._analyze(self.generation, text, changes, node, self.goal)

    def _analyze(
        self,
        generation: int,
        text: str,
        changes: ClusterChanges | None,
        node: str | None,
        goal: Goal | None,
    ) -> None:
        """Analyze in a thread. (Not `@work`: it names its workers with the repr of their
        arguments, which for a 1 MB paste held the screen for 10 ms.)"""

        def job() -> None:
            analysis, check = _run_model(text, changes, node, goal, self.network)
            if not get_current_worker().is_cancelled:
                self.conductor.post_message(
                    self.Analyzed(Result(generation, text, analysis, check))
                )

        self.run_worker(
            job,
            name="analyze",
            group="analyze",
            thread=True,
            exclusive=True,
            exit_on_error=False,
            description=f"analyze {len(text):,} characters (edit {generation})",
        )

    def receive(self, result: Result) -> None:
        """Show a worker's result unless a newer edit has started another analysis."""
        if result.generation != self.generation:
            return
        self.show(result.analysis, result.check)

    @property
    def shown_analysis(self) -> Analysis | None:
        """What the routing view shows: the current analysis, or the last good one."""
        if self.analysis is not None and self.analysis.valid:
            return self.analysis
        return self.last_good or self.analysis

    def show(self, analysis: Analysis, check: GoalResult | None) -> None:
        """Render one analysis in every area (main thread)."""
        if self.analysis is None:
            # the lesson's widgets are built: keep the collector from walking them on every
            # pause in typing (full collections were most of the slow keystrokes)
            gc.freeze()
        self.analysis = analysis
        self.check = check
        if analysis.valid:
            self.last_good = analysis
        found = problems(analysis)
        self.editor.set_marks(
            field_ranges(analysis, self.focus_path, self.focus_doc),
            sorted({p.line - 1 for p in found if p.line > 0}),
        )
        errors = self.query_one("#errors", ErrorList)
        if found != self._shown_problems:
            self._fill_errors(errors, found)
        errors.display = bool(found)
        stale = not analysis.valid
        shown = self.shown_analysis
        note = self.query_one("#stale-note", Static)
        note.display = stale
        if stale:
            set_content(
                note,
                "The YAML has errors: "
                + (
                    "the last good routing picture is shown, dimmed."
                    if self.last_good
                    else "routing shows what could be read."
                ),
            )
        routing = self.routing
        routing.set_class(stale, "-stale")
        if shown is not None:
            routing.show(shown, self.clients[0])
        set_content(self.query_one("#summary", Static), scrub(self._summary(analysis, len(found))))
        self._refresh_behind()
        self.post_message(self.Updated(self, analysis, check))

    def _fill_errors(self, errors: ErrorList, found: list[Problem]) -> None:
        self._shown_problems = found
        errors.clear_options()
        for i, problem in enumerate(found):
            line, column, message, hint = (
                problem.line,
                problem.column,
                problem.message,
                problem.hint,
            )
            prompt = Text()
            prompt.append(f"line {line}" if line else "", style="bold red")
            prompt.append(": " if line else "")
            prompt.append(message)
            if hint:
                prompt.append(f"\n  hint: {hint}", style="italic")
            errors.add_option(Option(scrub(prompt), id=f"err-{i}-{line}-{column}"))

    def _summary(self, analysis: Analysis, errors: int) -> Text:
        text = Text()
        for wl in analysis.cluster.workloads:  # first: the line is one row high
            if wl.capped_note:
                text.append(f"⚠ {wl.capped_note}  ", style="bold yellow")
        if errors:
            text.append(f"✗ {errors} error{'s' if errors != 1 else ''}", style="bold red")
            text.append(" (see above)  ")
        else:
            text.append("✓ valid  ", style="bold green")
        for sr in analysis.services[:3]:
            for pr in sr.ports[:2]:
                names = [ep.pod.name for ep in pr.used]
                text.append(f"{sr.service.name}:{pr.port.port} → ")
                if names:
                    shown = ", ".join(names[:4]) + ("…" if len(names) > 4 else "")
                    text.append(shown, style="green")
                else:
                    text.append("no Pods", style="red")
                text.append("   ")
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "errors":
            return
        event.stop()
        parts = (event.option.id or "").split("-")
        if len(parts) == 4 and parts[2].isdigit() and parts[3].isdigit():
            line, column = int(parts[2]), int(parts[3])
            if line:
                if self.narrow:
                    self.active = "yaml"
                self.editor.cursor_location = (line - 1, max(0, column - 1))
                self.editor.focus()

    # -- cluster changes ------------------------------------------------------------------------

    async def on_routing_view_command(self, message: RoutingView.Command) -> None:
        message.stop()
        await self.run_action(message.name)

    def _selected_pod(self) -> str | None:
        pod = self.routing.pod()
        if pod is None:
            self.notify(
                "Pick a Pod in the routing view first (arrow keys or a click).",
                severity="warning",
                timeout=4,
            )
            return None
        return pod.ref

    def _changed(self, message: str = "") -> None:
        if message:
            self.notify(scrub_str(message), timeout=4, markup=False)
        self.reanalyze()

    def action_delete_pod(self) -> None:
        ref = self._selected_pod()
        if ref and self.shown_analysis:
            self._changed(self.changes.delete_pod(self.shown_analysis.cluster, ref))

    def action_toggle_ready(self) -> None:
        pod = self.routing.pod()
        if pod is None:
            self._selected_pod()
            return
        ready = pod.ready_condition != "True"
        self.changes.set_ready(pod.ref, ready)
        self._changed(f"{pod.name} is now {'Ready' if ready else 'not Ready'}")

    def action_edit_labels(self) -> None:
        pod = self.routing.pod()
        if pod is None:
            self._selected_pod()
            return
        from tutor.app.screens.dialogs import LabelsScreen

        def done(labels: dict[str, str] | None) -> None:
            if labels is not None:
                self.changes.set_labels(pod.ref, labels)
                self._changed(f"{pod.name}'s labels changed")

        self.app.push_screen(LabelsScreen(pod.name, dict(pod.labels)), done)

    def action_move_pod(self) -> None:
        pod = self.routing.pod()
        if pod is None or self.shown_analysis is None:
            self._selected_pod()
            return
        nodes = list(self.shown_analysis.cluster.nodes) or list(DEFAULT_NODES)
        current = nodes.index(pod.node_name) if pod.node_name in nodes else -1
        node = nodes[(current + 1) % len(nodes)]
        self.changes.move(pod.ref, node)
        self._changed(f"{pod.name} moved to {node} (a new Pod there, with a new IP)")

    def action_add_pod(self) -> None:
        if self.shown_analysis is None:
            return
        pod = self.routing.pod()
        self._changed(self.changes.add_pod(self.shown_analysis.cluster, pod.ref if pod else None))

    def action_scale_down(self) -> None:
        pod = self.routing.pod()
        analysis = self.shown_analysis
        if pod is None or analysis is None:
            self._selected_pod()
            return
        if not pod.owner:
            self._changed(self.changes.delete_pod(analysis.cluster, pod.ref))
            return
        count = sum(
            1
            for p in analysis.cluster.pods
            if p.owner == pod.owner and p.namespace == pod.namespace
        )
        self._changed(
            self.changes.scale(analysis.cluster, pod.owner, count - 1, namespace=pod.namespace)
        )

    def action_reset_cluster(self) -> None:
        self.changes.reset()
        self._changed("cluster changes undone: the Pods are as the manifest says")

    def action_next_client(self) -> None:
        analysis = self.shown_analysis
        options = clients_for(analysis) if analysis else []
        if not options:
            return
        self.client_index = (self.client_index + 1) % len(options)
        self._changed(f"traffic now comes from {options[self.client_index][0]}")

    # -- traffic ------------------------------------------------------------------------------

    def _traffic_route(self) -> tuple[ServiceRoute, PortRoute] | None:
        """The Service port to send to (warning when there is none), with a fresh seed and the
        routing pane shown in the narrow layout, where the traffic panel lives."""
        route = self.routing.route()
        if route is None:
            self.notify("No Service port to send traffic to.", severity="warning", timeout=4)
            return None
        self.seed += 1
        if self.narrow and self.active != "routing":
            self.active = "routing"
        return route

    def action_send_one(self) -> None:
        analysis = self.shown_analysis
        if analysis is not None and (route := self._traffic_route()) is not None:
            self.traffic.show_request(analysis, route[0], route[1], self.clients[0], self.seed)

    def action_send_burst(self) -> None:
        analysis = self.shown_analysis
        if analysis is not None and (route := self._traffic_route()) is not None:
            self.traffic.start_burst(analysis, route[0], route[1], self.clients, BURST, self.seed)
