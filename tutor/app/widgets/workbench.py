"""The workbench: an intro (a lesson step or a challenge), the YAML editor, the routing view,
traffic and behind the scenes, laid out side by side or as tabs.

Its state lives in a `tutor.lab.session.LabSession` (no Textual): this widget sends it the
learner's edits, cluster actions and requests, and renders its `snapshot()` in every area. An
edit flows one way: the editor's change -> `session.edit` -> `session.job()` -> the model (at
once for a lesson-sized text, in an exclusive thread worker for a big one) ->
`session.receive` -> `render(snapshot)`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import OptionList, Static, Tab, Tabs
from textual.worker import get_current_worker

from tutor.app.widgets.editor import YamlEditor
from tutor.app.widgets.error_list import LINGER, ErrorList, StaleNote
from tutor.app.widgets.quiet import set_content
from tutor.app.widgets.routing import RoutingView
from tutor.app.widgets.safe import scrub, scrub_str
from tutor.app.widgets.traffic import TrafficView
from tutor.lab.actions import ACTIONS, BY_ID, TRAFFIC, Notice, apply
from tutor.lab.session import (
    BEHIND_HIDDEN,
    REVEAL_KEY,
    REVEALED,
    Job,
    LabSession,
    Result,
    Snapshot,
    run,
)
from tutor.model.analysis import Analysis
from tutor.model.changes import ClusterChanges
from tutor.model.network import ClusterNetwork
from tutor.model.proxy import Client
from tutor.model.report import at_pod

if TYPE_CHECKING:
    from tutor.app.widgets.behind import BehindScenes
    from tutor.app.widgets.console import ConsolePane
    from tutor.course.goals import GoalResult
    from tutor.course.lesson import Goal

NARROW_WIDTH = 100
"""Below this many columns the four areas become tabs."""
SAVE_DELAY = 0.4
SAVE_MAX_WAIT = 2.0
"""Seconds of continuous typing after which the text is saved anyway (a pause never came:
a closed terminal or a kill then lost everything typed)."""
PANES = ("intro", "yaml", "routing", "behind", "console")
READING_STYLED = ("left", "right", "intro", "yaml")
"""The panes app.tcss's `Workbench.-reading` rules style: F2 and F3 restyle them alone."""
INLINE_CHARS = 20_000
"""Manifests up to this size are analyzed on the UI thread (50 Pods take ~8 ms); larger ones
in a worker thread, so typing never waits for them."""
DIM_AFTER = 1.0
"""Seconds the text stays broken before the routing view's last good picture is dimmed (a
learner typing a word breaks the YAML for a moment at every key)."""


def _focus_first(pane: BehindScenes | ConsolePane | None) -> None:
    """A pane F5 or F8 just mounted takes the focus once its widgets exist (mount is async)."""
    if pane is not None:
        if pane.is_mounted:
            pane.focus_first()
        else:
            pane.focus_when_mounted = True


REVEAL = Binding(REVEAL_KEY, "reveal", "Reveal", id="reveal-routing")
"""The screens' key that opens the full routing view while it shows symptoms only (shown in
the footer only then: `WorkbenchScreen.check_action`)."""


class WorkbenchScreen:
    """Mixin for the screens built around a Workbench (a lesson step, a challenge): the
    workbench's keys, and saving the learner's text when they pause, when they leave, and as
    the app exits.

    The screen builds its workbench with `hold()` in compose and says how to `_save` a text.
    The workbench is held, not queried: when the app exits, the widgets may already be removed
    when the screen unmounts, and the held workbench still knows the text.
    """

    _held: Workbench | None = None
    _resumed = False
    _first_resize_seen = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """The first resume (the push) keeps the styles every widget got as it mounted:
        Textual would apply the stylesheet to the whole screen again (20-40 ms, a tenth of a
        lesson's first frame) although nothing changed since. Later resumes (back from a
        dialog or a challenge) are left as Textual sends them."""
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def on_resize(self, event: events.Resize) -> None:
        """The screen's first layout sends the screen a Resize to the size it has just laid
        it out at; Textual lays the whole screen out again for it, and draws what changed.
        Nothing did: a widget whose size the layout changed asks for its own layout, which
        comes anyway, so that one is skipped (`prevent_default`). Any later Resize (a new
        terminal size) is Textual's."""
        if not self._first_resize_seen:
            self._first_resize_seen = True
            if event.size == self.size:  # type: ignore[attr-defined]
                event.prevent_default()

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

    def keep_commands(self, lesson_id: str, key: str) -> None:
        """Keep the console lines run here with the learner's progress (written from a
        thread, as a pause's text is)."""
        from tutor.lab.session import saved_commands

        app = self.app  # type: ignore[attr-defined]
        with app.progress.held():
            app.progress.save_edit(lesson_id, key, saved_commands(self.workbench.session.commands))
        app.save_progress_soon()

    def on_unmount(self) -> None:
        if self._held is not None:
            self._save(self._held.text)

    def action_cluster(self, action_id: str) -> None:
        """A row of `tutor.lab.actions` (from a screen key or the palette)."""
        self.workbench.run_cluster(action_id)

    def action_toggle_behind(self) -> None:
        self.workbench.action_toggle_behind()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The reveal key is offered only while the routing view shows symptoms only."""
        if action == "reveal":
            return self._held is not None and self._held.session.hides_diagnosis
        return True

    def action_reveal(self) -> None:
        """Give up finding the cause: open the full routing view (asked first)."""
        from tutor.app.screens.dialogs import ConfirmScreen

        def done(ok: bool | None) -> None:
            if ok:
                self.workbench.reveal("asked")

        self.app.push_screen(  # type: ignore[attr-defined]
            ConfirmScreen(
                "Show which Pods get traffic, and why? Finding it in the console is the task.",
                yes="Reveal",
            ),
            done,
        )

    def action_show_pane(self, name: str) -> None:
        self.workbench.action_show_pane(name)

    def action_toggle_console(self) -> None:
        self.workbench.action_toggle_console()


class Workbench(Vertical):
    """The editor, routing, traffic and behind-the-scenes areas around an intro widget."""

    @staticmethod
    def screen_bindings(intro_label: str) -> list[BindingType]:
        """Keys the screens bind (after their own) and forward here, so a screen's main keys
        come first in the footer. `intro_label` names the intro (the screen's `INTRO_LABEL`):
        the footer and the tabs say the same ("f2 Text" beside a tab "F2 Step" was two names
        for one key)."""
        return [
            Binding("f2", "show_pane('intro')", intro_label, id="pane-intro"),
            Binding("f3", "show_pane('yaml')", "YAML", id="pane-yaml"),
            Binding("f4", "show_pane('routing')", "Routing", id="pane-routing"),
            *(
                Binding(a.screen_key, f"cluster({a.id!r})", a.label, id=a.id.replace("_", "-"))
                for a in ACTIONS
                if a.screen_key
            ),
            Binding("f5", "toggle_behind", "Behind", id="toggle-behind"),
            # F6 and F7 are the editor's (TextArea: select line, select all): F8 is the free key
            Binding("f8", "toggle_console", "Console", id="toggle-console"),
        ]

    narrow: reactive[bool] = reactive(False)
    reading: reactive[bool] = reactive(False)
    """Beside the editor, F2 gives the intro the left column, wider, as far down as it needs
    (the editor keeps what is left) until F3, F2 again or anything that focuses the editor: at
    100x30 a step had 10 rows of its 12-30 and most needed PageDown; the tabs of a small
    terminal show it whole anyway."""
    active: reactive[str] = reactive("yaml")
    behind_open: reactive[bool] = reactive(False)
    console_open: reactive[bool] = reactive(False)

    class Analyzed(Message, bubble=False):
        """A finished analysis from the worker thread."""

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

    class Revealed(Message):
        """The full routing view opened in a debugging challenge (the screen keeps that with
        its progress, so it is still open when the learner comes back)."""

    class CommandRan(Message):
        """The learner ran a console line (the screen keeps the history with its progress)."""

        def __init__(self, line: str) -> None:
            super().__init__()
            self.line = line

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
        symptoms: bool = False,
        has_solution: bool = False,
    ) -> None:
        super().__init__(id=id)
        self.intro = intro
        self.intro_label = intro_label
        self.session = LabSession(
            text,
            focus_path=focus_path,
            focus_doc=focus_doc,
            goal=goal,
            network=network,
            changes=changes if changes is not None else ClusterChanges(),
            symptoms=symptoms,
            has_solution=has_solution,
        )
        self._symptoms_shown: bool | None = None
        """Whether the last render showed symptoms only (the screen's keys follow it)."""
        self._save_timer: Timer | None = None
        self._unsaved_since = 0.0
        """When the first change not yet handed to the screen to save was made."""
        self._behind: BehindScenes | None = None
        self._console_pane: ConsolePane | None = None
        self._mounted = False
        self._errors = ErrorList(id="errors")
        self._stale_note = StaleNote("", id="stale-note", markup=False)
        self._linger: Timer | None = None
        """Takes the error list and the stale note away once the text has stayed valid."""
        self._dimming: Timer | None = None
        """Dims the routing view once the text has stayed broken."""
        self._tabs: Tabs | None = None
        self._editor: YamlEditor | None = None
        """Held, not queried: the text must be readable while the app exits and the widgets
        are already removed (the last edit is saved then)."""

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self.app.size.width < NARROW_WIDTH:
            self.active = "intro"  # one pane at a time: the learner reads before editing
            # narrow before the panes mount, so they are styled once, as they will be shown:
            # the class added on mount restyled all 34 widgets again (31 ms of a lesson open)
            self.set_reactive(Workbench.narrow, True)
            self.add_class("-narrow")
            yield self._make_tabs()
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                self.intro.id = "intro"
                self.intro.add_class("pane", update=False)  # styled as it mounts, once
                yield self.intro
                with Vertical(id="yaml", classes="pane"):
                    take_spare = getattr(self.app, "take_spare_editor", None)
                    self._editor = YamlEditor.create(
                        self.session.text,
                        id="editor",
                        spare=take_spare() if take_spare is not None else None,
                    )
                    yield self._editor
                    yield self._errors
                    yield Static("", id="summary", markup=False)
            with Vertical(id="right"):
                with Vertical(id="routing", classes="pane"):
                    yield self._stale_note
                    yield RoutingView(id="routing-view")
                    yield TrafficView(id="traffic")
                yield Vertical(id="behind", classes="pane")
                yield Vertical(id="console", classes="pane")

    def _make_tabs(self) -> Tabs:
        """The pane tabs, which only a narrow terminal shows. Made when first needed: ten
        widgets that a wide terminal never draws were an eighth of the time to open a lesson."""
        # the tabs name their keys: on a small terminal they are the only way to learn them
        self._tabs = Tabs(
            Tab(f"F2 {self.intro_label}", id="tab-intro"),
            Tab("F3 YAML", id="tab-yaml"),
            Tab("F4 Routing", id="tab-routing"),
            Tab("F5 Behind the scenes", id="tab-behind"),
            Tab("F8 Console", id="tab-console"),
            id="pane-tabs",
            active=f"tab-{self.active}",
        )
        return self._tabs

    def _taken_apart(self) -> bool:
        """Whether Textual is removing the panes, one at a time: the app quit while the
        lesson opened, and handlers that run meanwhile have nothing to lay out or show."""
        parts = ("panes", "left", "right", "editor", "summary", "routing-view", "traffic", *PANES)
        return any(not self.query(f"#{name}") for name in parts)

    def on_mount(self) -> None:
        try:
            self._set_up()
        except NoMatches:
            if not self._taken_apart():
                raise

    def _set_up(self) -> None:
        self.editor.on_edit = self._edited
        self._errors.display = False
        self._stale_note.display = False
        self.narrow = self.app.size.width < NARROW_WIDTH
        self.set_class(self.narrow, "-narrow")
        self._mounted = True
        if self.narrow:
            self.action_show_pane(self.active)  # focus what is shown, not the hidden editor
        self._layout()
        self.reanalyze()

    def on_resize(self) -> None:
        self.narrow = self.size.width < NARROW_WIDTH

    def watch_narrow(self, narrow: bool) -> None:
        self.set_class(narrow, "-narrow")
        self._layout()

    def watch_active(self) -> None:
        self._layout()

    def watch_behind_open(self) -> None:
        self._layout()

    def watch_console_open(self) -> None:
        self._layout()

    def watch_reading(self) -> None:
        self._layout()

    def _layout(self) -> None:
        if not self._mounted:
            return
        try:
            self._place()
        except NoMatches:  # checked only then: ten queries per layout cost 28 ms of a lesson open
            if not self._taken_apart():
                raise

    def _place(self) -> None:
        tabs = self._tabs
        if tabs is None and self.narrow:
            tabs = self._make_tabs()
            self.mount(tabs, before="#panes")
        if tabs is not None:
            tabs.display = self.narrow
        left = self.query_one("#left")
        right = self.query_one("#right")
        panes = {name: self.query_one(f"#{name}") for name in PANES}
        if self.narrow:
            for name, pane in panes.items():
                pane.display = name == self.active
            left.display = self.active in ("intro", "yaml")
            right.display = self.active in ("routing", "behind", "console")
            if tabs is not None and tabs.active != f"tab-{self.active}":
                if tabs.query(f"#tab-{self.active}"):
                    tabs.active = f"tab-{self.active}"
                else:  # just mounted: its Tab widgets come on the next turn
                    self.call_after_refresh(self._layout)
        else:
            opened = {"behind": self.behind_open, "console": self.console_open}
            for name, pane in panes.items():
                pane.display = opened.get(name, True)
            left.display = right.display = True
        reading = self.reading and not self.narrow
        if reading != self.has_class("-reading"):
            # app.tcss's `Workbench.-reading` rules size these four panes alone: they are
            # restyled, not the workbench's 24 nodes (30 ms of each F2 and F3)
            self.set_class(reading, "-reading", update=False)
            nodes = {"left": left, "right": right, **panes}
            self.app.stylesheet.update_nodes([nodes[n] for n in READING_STYLED], animate=False)
        if panes["behind"].display:
            self._ensure_behind()
        if panes["console"].display:
            self._ensure_console()

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        if event.tab.id != event.tabs.active:
            return  # stale: two of these in flight would flip `active` back and forth forever
        if event.tab.id and event.tab.id.startswith("tab-"):
            self.active = event.tab.id[4:]

    def action_show_pane(self, name: str) -> None:
        if name == "intro" and not self.narrow:
            # F2 beside the editor: the reading layout; F2 again in it: back to the editor
            if self.reading and self._focus_in("#intro"):
                name = "yaml"
            else:
                self.reading = True
        if name == "yaml":
            self.reading = False
        self.active = name
        if name == "behind":
            self.behind_open = True
            self.call_after_refresh(self._focus_behind)
        if name == "console":
            self.console_open = True
            self.call_after_refresh(self._focus_console)
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

    def _focus_in(self, selector: str) -> bool:
        focused = self.screen.focused
        area = self.query_one(selector)
        return focused is not None and (focused is area or area in focused.ancestors)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The editor (or its error list) taking the focus ends the reading layout, however it
        came (a click, the console's `edit`, the screen's focus after a dialog): it is never
        focused unseen."""
        if self.reading and self.query_one("#yaml") in (event.widget, *event.widget.ancestors):
            self.reading = False

    def action_toggle_behind(self) -> None:
        """F5: the view takes the focus as it opens, so its own keys (`m` for nftables, the
        arrows) act there; left in the editor, the `m` its header offers was typed into the
        YAML. Closed from inside, the focus goes back to the editor (the routing view on a
        small terminal, whose tab comes back)."""
        was_inside = self._focus_in("#behind")
        if self.narrow:
            self.active = "behind" if self.active != "behind" else "routing"
            self.behind_open = self.active == "behind"
        else:
            self.behind_open = not self.behind_open
        if self.behind_open:
            self.call_after_refresh(self._focus_behind)
        elif was_inside:
            self.query_one("#routing-view" if self.narrow else "#editor").focus()

    def _focus_behind(self) -> None:
        _focus_first(self._behind)

    def action_toggle_console(self) -> None:
        """F8: the console (a pane under the routing view; a tab on a small terminal)."""
        if self.narrow:
            self.active = "console" if self.active != "console" else "yaml"
            self.console_open = self.active == "console"
        else:
            self.console_open = not self.console_open
        if self.console_open:
            self.call_after_refresh(self._focus_console)
        elif self.narrow:
            self.editor.focus()

    def _focus_console(self) -> None:
        _focus_first(self._console_pane)

    def _ensure_console(self) -> None:
        if self._console_pane is None:
            from tutor.app.widgets.console import ConsolePane

            self._console_pane = ConsolePane(self.session, id="console-pane")
            self.query_one("#console").mount(self._console_pane)

    @property
    def console_pane(self) -> ConsolePane | None:
        """The console pane, once F8 opened it."""
        return self._console_pane

    def on_console_pane_ran(self, message: ConsolePane.Ran) -> None:
        """Carry out what a console command did: the session already holds a cluster change
        (this re-runs the model), `edit` opens the editor at the Service, `expose` adds the
        Service to the manifest; the line may meet a `ran` goal, so the goal is checked again."""
        from tutor.app.widgets.console import append_to_editor, show_in_editor
        from tutor.lab.console import AppendManifest, Changed, OpenEditor

        message.stop()
        for effect in message.effects:
            if isinstance(effect, Changed):
                self.notify(scrub_str(effect.message), timeout=4, markup=False)
            elif isinstance(effect, OpenEditor):
                if self.narrow or self.reading:  # shown before it scrolls to the Service
                    self.action_show_pane("yaml")
                show_in_editor(self.editor, self.session.shown, effect)
                self.editor.focus()
            elif isinstance(effect, AppendManifest):
                append_to_editor(self.editor, effect)
        if self.traffic.sent is not self.session.sent:  # a change marked it as history
            self.traffic.show(self.session.sent)
        self.reanalyze()
        self.post_message(self.CommandRan(message.line))

    def _ensure_behind(self) -> None:
        if self._behind is None:
            from tutor.app.widgets.behind import BehindScenes

            self._behind = BehindScenes(id="behind-tabs")
            self.query_one("#behind").mount(self._behind)
            self.call_after_refresh(self._refresh_behind)

    def _refresh_behind(self) -> None:
        if self._behind is None:
            return
        shown = self.session.shown
        if shown is not None and self.query_one("#behind").display:
            if self.session.hides_diagnosis:
                self._behind.hide(BEHIND_HIDDEN)
            else:
                self._behind.show(shown, self.session.clients[0].node or None)

    # -- the state, as the screens read it ----------------------------------------------------

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

    @property
    def changes(self) -> ClusterChanges:
        return self.session.changes

    @property
    def network(self) -> ClusterNetwork | None:
        return self.session.network

    @property
    def analysis(self) -> Analysis | None:
        return self.session.analysis

    @property
    def check(self) -> GoalResult | None:
        return self.session.shown_check

    @property
    def shown_analysis(self) -> Analysis | None:
        """What the routing view shows: the current analysis, or the last good one."""
        return self.session.shown

    @property
    def clients(self) -> list[Client]:
        return self.session.clients

    # -- the text -----------------------------------------------------------------------------

    def load(
        self,
        text: str,
        focus_path: str = "",
        goal: Goal | None = None,
        changes: ClusterChanges | None = None,
        focus_doc: str = "",
        routing: str | None = None,
    ) -> None:
        """Show another manifest (a new step or challenge, or its start again); what was sent
        for the old one is forgotten. `changes` replaces the cluster changes, if given;
        `routing` is the new step's `routing:` (None: keep what is revealed)."""
        self.session.load(text, focus_path, goal, changes, focus_doc, routing)
        self.traffic.show(None)
        editor = self.editor
        if editor.text != text:
            editor.load_text(text)  # posts Changed, which re-analyzes
        else:
            self.reanalyze()

    def _edited(self) -> None:
        """The text changed: analyze it, unless more keys wait behind this edit (fast typing,
        keys pasted one at a time): the last key's edit analyzes the text then, and the
        routing view is drawn once for it, where every key redrew it for texts no one saw."""
        self.session.edit(self.editor.text)
        if self.editor.keys_waiting:
            self.call_later(self.reanalyze)  # in case no key's edit comes (a binding's key)
            return
        self.reanalyze()

    def on_text_area_changed(self, event: YamlEditor.Changed) -> None:
        event.stop()
        self._edited()
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

    def reanalyze(self) -> None:
        """Analyze the state as it is now, once per state (an edit arrives twice: right after
        the edit and again through `Changed`)."""
        job = self.session.job()
        if job is None:
            return
        if len(job.text) <= INLINE_CHARS:
            # a lesson-sized manifest is analyzed in a few ms: doing it here shows the result
            # in the same frame as the keystroke, where a thread waited for the GIL behind
            # the rendering (half the latency, most of the tail)
            try:
                result = run(job)
            except Exception:  # never lose the app to a model bug: the worker reports it
                pass
            else:
                self._receive(result)
                return
        self._analyze(job)

    def _analyze(self, job: Job) -> None:
        """Analyze in a thread. (Not `@work`: it names its workers with the repr of their
        arguments, which for a 1 MB paste held the screen for 10 ms.)"""

        def analyze() -> None:
            result = run(job)
            if not get_current_worker().is_cancelled:
                self.post_message(self.Analyzed(result))

        self.run_worker(
            analyze,
            name="analyze",
            group="analyze",
            thread=True,
            exclusive=True,
            exit_on_error=False,
            description=f"analyze {len(job.text):,} characters (edit {job.generation})",
        )

    def on_workbench_analyzed(self, message: Analyzed) -> None:
        self._receive(message.result)

    def _receive(self, result: Result) -> None:
        if self.session.receive(result):
            self.render_snapshot(self.session.snapshot())

    # -- rendering ----------------------------------------------------------------------------

    def reveal(self, why: str) -> None:
        """Open the full routing view (`LabSession.reveal`) and show it now."""
        if self.session.reveal(why):
            self._revealed()

    def check_goal(self, goal: Goal) -> GoalResult:
        """A challenge's check on the text as it is (`LabSession.check_now`): met opens the
        full routing view; while it is hidden a failure does not name the cause."""
        hidden = self.session.hides_diagnosis
        result = self.session.check_now(goal, self.text)
        if hidden and not self.session.hides_diagnosis:
            self._revealed()
        return result

    def _revealed(self) -> None:
        self.notify(REVEALED, timeout=5)
        self.post_message(self.Revealed())
        self.render_snapshot(self.session.snapshot())

    def render_snapshot(self, snap: Snapshot) -> None:
        """Show one snapshot in every area (main thread)."""
        if snap.analysis is None:
            return
        self.editor.set_marks(list(snap.marks), list(snap.error_lines))
        self._show_problems(snap)
        self._pace_dimming(snap.stale)
        self.routing.show(snap)
        # one row, as wide as the column (app.tcss): a new summary never changes its size
        set_content(self.query_one("#summary", Static), scrub(self._summary(snap)), layout=False)
        self.traffic.symptoms = snap.symptoms
        self.traffic.show(snap.sent)
        self._refresh_behind()
        if snap.symptoms != self._symptoms_shown:
            self._symptoms_shown = snap.symptoms
            self.screen.refresh_bindings()  # the reveal key comes and goes
        self.post_message(self.Updated(self, snap.analysis, snap.check))

    def _show_problems(self, snap: Snapshot) -> None:
        """The error list and the stale note: they come with the first error and stay while
        the learner types (`tutor.app.widgets.error_list`), then leave once the text has
        stayed valid for `LINGER` seconds."""
        errors, note = self._errors, self._stale_note
        errors.show(snap.problems)
        note.say(snap.stale_note if snap.stale else "")
        if snap.problems or snap.stale:
            if self._linger is not None:
                self._linger.stop()
                self._linger = None
        elif self._linger is None and (errors.display or note.display):
            # stopped by any error or stale picture before it fires: it fires on a valid text
            self._linger = self.set_timer(LINGER, self._collapse)

    def _pace_dimming(self, stale: bool) -> None:
        """The routing view's last good picture is dimmed once the text has stayed broken for
        `DIM_AFTER` seconds, and brightens as soon as the text is valid: dimming or brightening
        draws every row of the view again, and a key that breaks the text followed by one that
        mends it made it flash."""
        if stale:
            if self._dimming is None and not self.routing.has_class("-stale"):
                self._dimming = self.set_timer(DIM_AFTER, self._dim)
            return
        if self._dimming is not None:
            self._dimming.stop()
            self._dimming = None
        self.routing.remove_class("-stale")

    def _dim(self) -> None:
        self._dimming = None
        self.routing.add_class("-stale")

    def _collapse(self) -> None:
        """The text stayed valid: the error list and the note leave (one layout)."""
        self._linger = None
        self._errors.hide()
        self._stale_note.hide()

    def _summary(self, snap: Snapshot) -> Text:
        text = Text()
        for wl in snap.analysis.cluster.workloads if snap.analysis else ():
            if wl.capped_note:  # first: the line is one row high
                text.append(f"⚠ {wl.capped_note}  ", style="bold yellow")
        count = len(snap.problems)
        if count:
            text.append(f"✗ {count} error{'s' if count != 1 else ''}", style="bold red")
            text.append(" (see above)  ")
        else:
            text.append("✓ valid  ", style="bold green")
        analysis = snap.analysis
        if snap.symptoms:  # which Pods get traffic is the diagnosis
            return text
        for sr in analysis.services[:3] if analysis else ():
            for pr in sr.ports[:2]:
                text.append(f"{sr.service.name}:{pr.port.port} → ")
                # a Pod that gets the traffic but does not listen there (the routing view's
                # "refuses:" line) is not an answer
                asked = pr.port.port if sr.service.headless else None
                shown = [
                    (ep.pod.name, at_pod(ep.pod, asked or ep.port, pr.port.protocol)[0])
                    for ep in pr.used[:4]
                ]
                more = "…" if len(pr.used) > 4 else ""
                if not shown:
                    text.append("no Pods", style="red")
                elif all(answers for _name, answers in shown):
                    text.append(", ".join(name for name, _ in shown) + more, style="green")
                else:
                    for n, (name, answers) in enumerate(shown):
                        text.append(", " if n else "")
                        if answers:
                            text.append(name, style="green")
                        else:
                            text.append(f"{name} (refuses)", style="red")
                    text.append(more)
                text.append("   ")
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "errors":
            return
        event.stop()
        found = self._errors.place(event.option_index)
        if found is not None:
            line, column = found
            if line:
                if self.narrow:
                    self.active = "yaml"
                self.editor.cursor_location = (line - 1, max(0, column - 1))
                self.editor.focus()

    # -- cluster actions and traffic (rows of tutor.lab.actions) --------------------------------

    def on_routing_view_command(self, message: RoutingView.Command) -> None:
        message.stop()
        self.run_cluster(message.name)

    def run_cluster(self, action_id: str) -> None:
        """Run one row of the action table on the routing view's selection."""
        action = BY_ID[action_id]
        target = self.routing.target
        if action.asks == "labels":
            pod = self.session.pod(target)
            if pod is None:
                self._tell(apply(self.session, action_id, target))
                return
            from tutor.app.screens.dialogs import LabelsScreen

            def done(labels: dict[str, str] | None) -> None:
                self._tell(apply(self.session, action_id, target, labels))
                self.reanalyze()

            self.app.push_screen(LabelsScreen(pod.name, dict(pod.labels)), done)
            return
        notice = apply(self.session, action_id, target)
        self._tell(notice)
        if action_id in TRAFFIC and notice is None and self.narrow and self.active != "routing":
            self.active = "routing"  # the traffic panel lives there
        self.traffic.show(self.session.sent)
        self.reanalyze()

    def _tell(self, notice: Notice | None) -> None:
        if notice is not None:
            self.notify(
                scrub_str(notice.text),
                severity="warning" if notice.warning else "information",
                timeout=4,
                markup=False,
            )
