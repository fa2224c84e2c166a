"""One workbench's state and what to show for it, without a screen.

A `LabSession` holds the learner's text, their cluster changes (`tutor.model.changes`), the
chosen client, the step's goal, the latest and the last good analysis, and the results of the
requests they sent. The app sends it edits, cluster actions (`tutor.lab.actions`) and requests,
and renders `snapshot()`: nothing on screen is worked out anywhere else.

An edit flows one way: `edit(text)` -> `job()` (the model's input, copied) -> `run(job)` (pure:
the app runs it at once for a lesson-sized text, in a thread for a big one) -> `receive(result)`
(dropped when a newer job started) -> `snapshot()`. A request flows the same way: `send_one` /
`send_burst` ask `tutor.model.report` (the one place outcomes are worded) and keep the result;
every later edit, cluster change or client change marks it as sent before that change, and a new
step or challenge (`load`) forgets it, so a screen never shows a result for a cluster that is
gone.

A step or challenge with `routing: symptoms` (debugging practice) hides the diagnosis until
`reveal()`: the snapshot then says `symptoms` and the views show only what a user of a real
cluster sees without investigating (the client, the Service's name and port, what curl prints
for a request they send); which Pods get traffic and why not, the requests' paths, the
behind-the-scenes objects and a failed check's why wait until the goal is met (`check_now`, or
a step's check), the solution is shown, or the learner asks (`reveal`). The console is not
limited: it is where the evidence comes from.

The lab console (`tutor.lab.console`) runs here too: `run_command(line)` runs a typed line on
what the routing view shows, with the session's cluster changes and client, so `kubectl delete
pod` and the routing view's `d` change the same `ClusterChanges` and both mark old requests as
history through `changed()`. The lines the learner ran (`commands`) go with each job, so a
`ran` goal is checked with the rest of the goal.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tutor.model.analysis import Analysis, PortRoute, ServiceRoute
from tutor.model.changes import ClusterChanges, analyze_with_changes
from tutor.model.manifests import DEFAULT_NODES
from tutor.model.network import ClusterNetwork
from tutor.model.objects import Pod
from tutor.model.paths import parse_path
from tutor.model.proxy import Client
from tutor.model.report import (
    Burst,
    Problem,
    RequestOutcome,
    problems,
    request_to,
    requests,
)

if TYPE_CHECKING:
    from tutor.course.goals import GoalResult
    from tutor.course.lesson import Goal
    from tutor.lab.console import ClientPod, Console, Output

BURST = 100
"""Requests in a burst (ctrl+g)."""

Range = tuple[int, int, int, int]
"""(row, column, end row, end column), 0-based; an end column of -1 means the line's end."""

DEFAULT_CLIENT = Client("client", "10.244.1.100", "node-1")

KEPT_COMMANDS = 100
"""Console lines kept with the learner's progress (the newest ones)."""

REVEAL_KEY = "ctrl+f"
"""The key that opens the full routing view while it shows symptoms only (the screens bind it)."""
SOLUTION_KEY = "ctrl+l"
NOT_YET_HIDDEN = (
    "the goal does not hold yet. Send a request (ctrl+t) to see what a client gets now, and "
    "gather the evidence in the console (F8)."
)
"""A failed check's detail while the routing view shows symptoms only: the goal's own detail
names the cause ("has no container port named `http`")."""
STATED_BY_THE_GOAL = frozenset({"field", "unchanged"})
"""Goal parts whose unmet detail names no cause while the diagnosis is hidden: the goal's
description states them ("the selector no longer names a version", "the Pods are as they
were"), and they are told once every other part holds."""
REVEALED = "The routing view now shows which Pods get traffic, and why not."
BEHIND_HIDDEN = (
    "Hidden while the routing view shows symptoms only.\n"
    "Look at the objects yourself in the console (F8):\n"
    "  kubectl get endpointslices -o yaml\n"
    "  kubectl get svc NAME -o yaml\n"
    "  nslookup NAME"
)
"""Said in Behind the scenes (F5) instead of the rules, slices and records (their lines are
not wrapped: kept short)."""


def symptoms_note(solution: bool) -> str:
    """What the routing view says while it shows symptoms only, and what opens it."""
    opens = "once the goal is met" + (
        f", when {SOLUTION_KEY} shows the solution" if solution else ""
    )
    return (
        "Symptoms only, as a user of the cluster sees them: send a request (ctrl+t) and find the "
        "cause with the console (F8). Which Pods get traffic, and why not, shows here "
        f"{opens}, or now with {REVEAL_KEY}."
    )


def saved_commands(commands: list[str]) -> str:
    """The console history as the progress file keeps it (JSON, the newest KEPT_COMMANDS)."""
    return json.dumps(commands[-KEPT_COMMANDS:], ensure_ascii=False)


def restored_commands(saved: str | None) -> list[str]:
    """The history back from `saved_commands`; a damaged entry is an empty history."""
    try:
        data = json.loads(saved) if saved else []
    except ValueError:
        return []
    if not isinstance(data, list):
        return []
    return [str(c)[:500] for c in data if isinstance(c, str) and c.strip()][-KEPT_COMMANDS:]


@dataclass(frozen=True, slots=True)
class Target:
    """What the routing view has selected: a Service port and, on a Pod row, the Pod."""

    service: int = 0
    port: str = ""
    pod: str = ""
    """`namespace/name`, or "" for a Service row."""


@dataclass(frozen=True, slots=True)
class ClientChoice:
    label: str
    """`a client Pod on node-1`, `3 clients on different nodes`, `Pod web-1 on node-2`."""
    clients: tuple[Client, ...]


CHANGES_NOT_CHECKED = (
    "(ctrl+s checks the YAML in the editor; your changes in the routing view are not in it: "
    "make them in the YAML, and x undoes them.)"
)


def client_choices(analysis: Analysis | None) -> list[ClientChoice]:
    """Who can send traffic: a client Pod on each node, three clients, or any Pod."""
    if analysis is None:
        return [ClientChoice("a client Pod on node-1", (DEFAULT_CLIENT,))]
    nodes = nodes_of(analysis)
    out = [
        ClientChoice(f"a client Pod on {node}", (Client("client", f"10.244.{i}.100", node),))
        for i, node in enumerate(nodes, 1)
    ]
    trio = tuple(
        Client(f"client-{i + 1}", f"10.244.{i % len(nodes) + 1}.{101 + i}", nodes[i % len(nodes)])
        for i in range(3)
    )
    out.append(ClientChoice("3 clients on different nodes", trio))
    out += [
        ClientChoice(
            f"Pod {pod.name} on {pod.node_name}", (Client(pod.name, pod.ip, pod.node_name),)
        )
        for pod in analysis.cluster.pods
        if pod.ip
    ]
    return out


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


def nodes_of(analysis: Analysis | None) -> list[str]:
    """The cluster's nodes (the input's Node objects when it has them, else kind's)."""
    nodes = list(analysis.cluster.nodes) if analysis is not None else []
    return nodes or list(DEFAULT_NODES)


def routing_note(analysis: Analysis, found: list[Problem]) -> str:
    """What the routing view says when it has no Service to draw: the API server refused the
    one the learner wrote (with its first error), or there is none yet."""
    if analysis.services:
        return ""
    refused = next((p for p in found if p.kind == "Service"), None)
    if refused is not None:
        name = refused.object.split("/")[-1] or "(no name)"
        return f"The API server refused Service {name}: {refused.message}"
    if analysis.parsed.syntax_error is not None or analysis.parsed.rejected is not None:
        return "The YAML could not be read: fix the error to see the routing."
    return "No Service in this manifest yet: add a `kind: Service` to route traffic to these Pods."


@dataclass(frozen=True, slots=True)
class Job:
    """Everything the model needs for one analysis, copied: safe to run in a thread."""

    generation: int
    text: str
    changes: ClusterChanges | None
    node: str | None
    goal: Goal | None
    network: ClusterNetwork | None = None
    commands: tuple[str, ...] = ()
    """The console lines the learner ran (for `ran` goals)."""


@dataclass(frozen=True, slots=True)
class Result:
    generation: int
    text: str
    analysis: Analysis
    check: GoalResult | None


def run(job: Job) -> Result:
    """The model and the goal for one job (pure; the app may call it from a thread)."""
    analysis = analyze_with_changes(job.text, job.changes, job.node, job.network)
    check = None
    if job.goal is not None:
        from tutor.course.goals import evaluate, goal_node

        # the step's check sees the cluster the routing view shows: a Pod deleted with `d` or
        # `kubectl delete pod` is gone for it too (lesson 9 step 6 asks for just that, and its
        # check kept saying the deleted Pod got traffic)
        node = goal_node(job.goal)
        seen = (
            analysis
            if node == job.node
            else analyze_with_changes(job.text, job.changes, node, job.network)
        )
        check = evaluate(job.goal, seen, job.commands)
    return Result(job.generation, job.text, analysis, check)


@dataclass(frozen=True, slots=True)
class Sent:
    """The last request or burst the learner sent, and to where."""

    title: str
    """`100 requests to web:80 from client`, `one request to web:80 from client`."""
    request: RequestOutcome | None = None
    burst: Burst | None = None
    pods: tuple[str, ...] = ()
    """The port's endpoint Pods, in order (a burst draws a bar for each, even at 0)."""
    affinity: bool = False
    """sessionAffinity ClientIP: each client sticks to one Pod."""
    command: str = ""
    """The same request as the learner would type it (`curl http://web.default...:80/`)."""
    seen: tuple[tuple[int, str, bool], ...] = ()
    """What the client(s) saw, as (requests, curl's output line, answered), most first: the
    Pod's reply (agnhost answers with its name) or curl's error. All a symptoms-only view
    shows of a request."""
    stale: bool = False
    """Sent before the learner's last edit or cluster change: shown dimmed, as history."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What every area of the workbench shows, at one moment."""

    generation: int
    analysis: Analysis | None
    """The latest analysis (None before the first one)."""
    shown: Analysis | None
    """What the routing view draws: the latest if valid, else the last good one (dimmed once
    the text has stayed broken for a moment)."""
    stale: bool
    """The text has errors: `shown` is the last good picture (or what could be read)."""
    stale_note: str
    problems: tuple[Problem, ...]
    marks: tuple[Range, ...]
    """Where the step's field is (highlighted in the editor)."""
    error_lines: tuple[int, ...]
    """0-based lines with a problem."""
    check: GoalResult | None
    client: Client
    clients: tuple[Client, ...]
    client_label: str
    routing_note: str
    """Said instead of the routing when there is no Service to draw ("" when there is)."""
    sent: Sent | None
    symptoms: bool = False
    """The routing view shows symptoms only: the client, the Service's name and port, and
    `sent.seen`; no verdicts, no why, no request path, no behind-the-scenes objects, and the
    editor's summary names no Pods."""
    symptoms_note: str = ""
    """Said at the top of the routing view while `symptoms` (what opens the full view)."""


@dataclass(slots=True)
class LabSession:
    """One workbench's state: see the module docstring for the flow."""

    text: str
    focus_path: str = ""
    focus_doc: str = ""
    """The step's `doc:` (`Kind/name`): which document holds `focus_path`."""
    goal: Goal | None = None
    network: ClusterNetwork | None = None
    """The lesson's cluster (`cluster.ip_families`); None = single-stack IPv4."""
    changes: ClusterChanges = field(default_factory=ClusterChanges)
    client_index: int = 0
    seed: int = 0
    generation: int = 0
    analysis: Analysis | None = None
    last_good: Analysis | None = None
    check: GoalResult | None = None
    sent: Sent | None = None
    commands: list[str] = field(default_factory=list)
    """The console lines the learner ran here, oldest first (the console's ↑ history; `ran`
    goals read it). The screen may restore it from the learner's progress."""
    commands_from: int = 0
    """`ran` goals count the lines from this one on: a lesson's steps share one history, and a
    step's goal asks for a command run in that step (the lesson screen moves it on)."""
    symptoms: bool = False
    """The step's or challenge's `routing: symptoms`."""
    revealed: str = ""
    """Why the full routing view is open although `symptoms` ("met", "solution", "asked",
    "solved": solved before); "" while it is not."""
    has_solution: bool = False
    """A challenge (its solution key opens the full view too); a step has none."""
    _console: Console | None = None
    _choices: tuple[Analysis | None, list[ClientChoice]] | None = None
    _requested: tuple[object, ...] | None = None

    # -- the text and the step ------------------------------------------------------------------

    def edit(self, text: str) -> None:
        """The learner changed the text."""
        if text != self.text:
            self.text = text
            self._mark_sent()

    def load(
        self,
        text: str,
        focus_path: str = "",
        goal: Goal | None = None,
        changes: ClusterChanges | None = None,
        focus_doc: str = "",
        routing: str | None = None,
    ) -> None:
        """Another step or challenge (or its start again): results sent for the old one are
        forgotten. `changes` replaces the cluster changes, if given; `routing` (another step's
        `routing:`) hides the diagnosis again when it is `symptoms` (None: as it was, so a
        reset or the solution keeps what was revealed)."""
        if routing is not None:
            from tutor.course.lesson import ROUTING_SYMPTOMS

            self.symptoms = routing == ROUTING_SYMPTOMS
            self.revealed = ""
        if changes is not None:
            changes.counter = self.changes.counter + 1  # a new state, never a cached one
            self.changes = changes
        self.text = text
        self.focus_path = focus_path
        self.focus_doc = focus_doc
        self.goal = goal
        self.check = None
        self.sent = None
        self._requested = None  # analyze anew even if the text is the same

    # -- analysis ---------------------------------------------------------------------------------

    @property
    def shown(self) -> Analysis | None:
        """What the routing view shows: the current analysis, or the last good one."""
        if self.analysis is not None and self.analysis.valid:
            return self.analysis
        return self.last_good or self.analysis

    def job(self) -> Job | None:
        """The next analysis to run, or None when the state is the one last asked for (an edit
        reaches the app twice: as the key and as the editor's change)."""
        node = self.clients[0].node or None
        key = (
            self.text,
            self.changes.counter,
            node,
            id(self.goal),
            self.focus_path,
            self.focus_doc,
            len(self.goal_commands) if self._asks_for_commands() else 0,
        )
        if key == self._requested:
            return None
        self._requested = key
        self.generation += 1
        changes = None if self.changes.empty else ClusterChanges.from_json(self.changes.to_json())
        return Job(
            self.generation,
            self.text,
            changes,
            node,
            self.goal,
            self.network,
            self.goal_commands,
        )

    def receive(self, result: Result) -> bool:
        """Keep a result unless a newer job started meanwhile; True when kept."""
        if result.generation != self.generation:
            return False
        self.analysis = result.analysis
        self.check = result.check
        if result.analysis.valid:
            self.last_good = result.analysis
        if result.check is not None and result.check.met:
            self.reveal("met")  # a step's check: the learner found it
        return True

    def analyze_now(self) -> bool:
        """Run the pending job here (tests; lesson-sized texts). True when something changed."""
        job = self.job()
        return job is not None and self.receive(run(job))

    # -- symptoms only ------------------------------------------------------------------------------

    @property
    def hides_diagnosis(self) -> bool:
        """`routing: symptoms` and not revealed yet."""
        return self.symptoms and not self.revealed

    def reveal(self, why: str) -> bool:
        """Open the full routing view (`why`: "met", "solution", "asked", "solved"); True when
        it was hidden until now."""
        if not self.hides_diagnosis:
            return False
        self.revealed = why
        return True

    def check_now(self, goal: Goal, text: str | None = None) -> GoalResult:
        """A challenge's check (ctrl+s) on `text` (default: the session's) with the console
        lines run here. Met: the full view opens. Not met while the diagnosis is hidden: the
        detail says only what a `ran` part still asks for, else `NOT_YET_HIDDEN`, since the
        goal's own detail names the cause."""
        from tutor.course.goals import evaluate, goal_analysis

        text = self.text if text is None else text
        analysis = goal_analysis(goal, text, self.network)
        result = evaluate(goal, analysis, self.goal_commands)
        if result.met:
            self.reveal("met")
            return result
        shown = self.withheld(goal, result, analysis) if self.hides_diagnosis else result
        if self.changes.empty:
            return shown
        # the routing view shows the cluster with the learner's changes; the check reads the
        # manifest: say why the two differ (a relabelled Pod showed `app=collector ✓` there
        # while the check said "label app is log-collector")
        return dataclasses.replace(shown, detail=f"{shown.detail} {CHANGES_NOT_CHECKED}")

    @property
    def shown_check(self) -> GoalResult | None:
        """The step's check as the screen shows it: withheld while the diagnosis is hidden
        (a step's "now: ..." line would name the cause)."""
        if self.check is None or self.goal is None or not self.hides_diagnosis:
            return self.check
        return self.withheld(self.goal, self.check)

    def withheld(
        self, goal: Goal, result: GoalResult, analysis: Analysis | None = None
    ) -> GoalResult:
        """`result` as shown while the diagnosis is hidden (see `check_now`), for `analysis`
        (default: the session's): what a `ran` part still asks for; else, when only parts the
        goal's own words state are unmet (a field left out, objects kept as they were), the
        first of them, which names no cause (`curl` answers by then: lesson 3's selector of
        `version: "2.0"` was told "Send a request to see what a client gets now"); else
        `NOT_YET_HIDDEN`."""
        from tutor.course.goals import GoalResult, evaluate, parts_of

        if result.met:
            return result
        analysis = self.analysis if analysis is None else analysis
        if analysis is None:
            return GoalResult(False, NOT_YET_HIDDEN)
        parts = parts_of(goal)
        for part in parts:
            if part.kind == "ran":  # "Run `kubectl describe svc` in the console"
                asked = evaluate(part, analysis, self.goal_commands)
                if not asked.met:
                    return asked
        unmet = [
            (part, found)
            for part in parts
            if part.kind != "ran"
            and not (found := evaluate(part, analysis, self.goal_commands)).met
        ]
        if unmet and all(part.kind in STATED_BY_THE_GOAL for part, _ in unmet):
            return unmet[0][1]
        return GoalResult(False, NOT_YET_HIDDEN)

    # -- clients ------------------------------------------------------------------------------------

    @property
    def choices(self) -> list[ClientChoice]:
        """The clients to choose from (made once per analysis: a client per Pod, and the
        console asks for its client on every line)."""
        shown = self.shown
        if self._choices is None or self._choices[0] is not shown:
            self._choices = (shown, client_choices(shown))
        return self._choices[1]

    @property
    def clients(self) -> list[Client]:
        options = self.choices
        return list(options[self.client_index % len(options)].clients)

    def next_client(self) -> str:
        options = self.choices
        self.client_index = (self.client_index + 1) % len(options)
        self._mark_sent()
        return f"traffic now comes from {options[self.client_index].label}"

    # -- what the routing view selected ----------------------------------------------------------

    def pod(self, target: Target | None) -> Pod | None:
        shown = self.shown
        if shown is None or target is None or not target.pod:
            return None
        return shown.cluster.pod(target.pod)

    def route(self, target: Target | None) -> tuple[ServiceRoute, PortRoute] | None:
        """The selected Service port (the first one when nothing is selected)."""
        shown = self.shown
        if shown is None or not shown.services:
            return None
        services = shown.services
        sr = services[target.service] if target and target.service < len(services) else services[0]
        pr = sr.port(target.port) if target else None
        if pr is None:
            if not sr.ports:
                return None
            pr = sr.ports[0]
        return sr, pr

    # -- cluster changes -------------------------------------------------------------------------

    def changed(self) -> None:
        """The cluster changed (a `tutor.lab.actions` handler ran): results sent before are
        history now."""
        self._mark_sent()

    def _mark_sent(self) -> None:
        if self.sent is not None and not self.sent.stale:
            self.sent = dataclasses.replace(self.sent, stale=True)

    @property
    def goal_commands(self) -> tuple[str, ...]:
        """The lines a `ran` goal counts (from `commands_from` on)."""
        return tuple(self.commands[self.commands_from :])

    def _asks_for_commands(self) -> bool:
        """The goal has a `ran` part: a console line run is a new state to check (else running
        `kubectl get pods` would analyze a 500-Pod manifest again for nothing)."""
        if self.goal is None:
            return False
        from tutor.course.goals import ran_commands

        return bool(ran_commands(self.goal))

    # -- the console -------------------------------------------------------------------------------

    @property
    def console(self) -> Console:
        """The console's engine, made on first use (its kubectl modules load with it)."""
        if self._console is None:
            from tutor.lab.console import Console

            self._console = Console(changes=self.changes, history=self.commands)
        return self._console

    def console_client(self) -> ClientPod:
        """The client the routing view sends from, as the console's client Pod (its namespace
        looked up when it is one of the manifest's Pods)."""
        from tutor.lab.console import ClientPod

        client = self.clients[0]
        shown = self.shown
        pods = shown.cluster.pods if shown is not None else []
        pod = next((p for p in pods if p.name == client.name and p.ip == client.ip), None)
        return ClientPod(client.name, pod.namespace if pod else "default", client.ip, client.node)

    def run_command(self, line: str) -> Output:
        """Run one console line on what the routing view shows. A mutating command changes
        the session's `ClusterChanges` (the routing view's keys change the same object) and,
        like a key, marks the requests sent before it as history."""
        from tutor.lab.console import Changed, Output

        console = self.console
        console.changes = self.changes  # `load` may have replaced it
        console.history = self.commands
        if not console.client.entered:
            console.client = self.console_client()
        shown = self.shown
        if shown is None:
            from tutor.model.limits import visible

            if line.strip():
                self.commands.append(visible(line.strip())[:500])
            return Output("ktutor: the cluster is still loading; try again in a moment\n", 1)
        out = console.run(line, shown)
        if any(isinstance(e, Changed) for e in out.effects):
            self.changed()
        return out

    # -- requests -------------------------------------------------------------------------------

    def _title(self, count: str, sr: ServiceRoute, pr: PortRoute, clients: list[Client]) -> str:
        who = clients[0].name if len(clients) == 1 else f"{len(clients)} clients"
        return f"{count} to {sr.service.name}:{pr.port.port} from {who}"

    def _host(self, sr: ServiceRoute) -> str:
        """The Service's name as the client Pod would type it: `web` in its own namespace,
        `web.shop` from another (both resolve to the ClusterIP the request went to)."""
        svc = sr.service
        same = self.console_client().namespace == svc.namespace
        return svc.name if same else f"{svc.name}.{svc.namespace}"

    def send_one(self, target: Target | None) -> RequestOutcome | None:
        """One request to the selected Service port (None when there is none)."""
        route = self.route(target)
        shown = self.shown
        if route is None or shown is None:
            return None
        self.seed += 1
        sr, pr = route
        client = self.clients[0]
        outcome = request_to(shown, sr, pr, client, self.seed)
        host = self._host(sr)
        self.sent = Sent(
            self._title("one request", sr, pr, [client]),
            request=outcome,
            command=_curl(host, pr),
            seen=((1, _said(outcome, host, pr), outcome.answered),),
        )
        return outcome

    def send_burst(self, target: Target | None, n: int = BURST) -> Burst | None:
        """`n` requests from the chosen clients to the selected Service port."""
        route = self.route(target)
        shown = self.shown
        if route is None or shown is None:
            return None
        self.seed += 1
        sr, pr = route
        clients = self.clients
        burst = requests(shown, sr, pr, clients, n, self.seed)
        host = self._host(sr)
        said = {kind: _said(one, host, pr) for kind, one in burst.examples.items()}
        # a Pod always answers on a port, or always refuses: its reply is its name
        seen: Counter[tuple[str, bool]] = Counter(
            (pod, True) if pod in burst.answered else (said[kind], False)
            for _c, pod, kind in burst.sequence
        )
        self.sent = Sent(
            self._title(f"{n} requests", sr, pr, clients),
            burst=burst,
            pods=tuple(ep.pod.name for ep in pr.endpoints),
            affinity=sr.service.session_affinity == "ClientIP",
            command=_curl(host, pr),
            seen=tuple((count, line, ok) for (line, ok), count in seen.most_common()),
        )
        return burst

    # -- the picture --------------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        analysis = self.analysis
        shown = self.shown
        found = problems(analysis) if analysis is not None else []
        stale = analysis is not None and not analysis.valid
        note = ""
        if stale:
            # true as the learner mends the text too: the app keeps it up a moment then
            note = "While the YAML has errors, routing shows " + (
                "the last good picture." if self.last_good else "what could be read."
            )
        choices = self.choices
        choice = choices[self.client_index % len(choices)]
        return Snapshot(
            generation=self.generation,
            analysis=analysis,
            shown=shown,
            stale=stale,
            stale_note=note,
            problems=tuple(found),
            marks=tuple(field_ranges(analysis, self.focus_path, self.focus_doc))
            if analysis
            else (),
            error_lines=tuple(sorted({p.line - 1 for p in found if p.line > 0})),
            check=self.shown_check,
            client=choice.clients[0],
            clients=choice.clients,
            client_label=choice.label,
            routing_note=routing_note(shown, found) if shown is not None else "",
            sent=self.sent,
            symptoms=self.hides_diagnosis,
            symptoms_note=symptoms_note(self.has_solution) if self.hides_diagnosis else "",
        )


def _curl(host: str, pr: PortRoute) -> str:
    """The request the routing view sends, as curl in the client Pod would send it."""
    port = pr.port.port
    return f"curl http://{host}/" if port == 80 else f"curl http://{host}:{port}/"


def _said(outcome: RequestOutcome, host: str, pr: PortRoute) -> str:
    """curl's line for `outcome` (the console's words: `tutor.lab.console.curl.said`)."""
    from tutor.lab.console.curl import said

    return said(outcome, "http", host, pr.port.port).text.strip()
