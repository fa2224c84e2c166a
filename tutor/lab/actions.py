"""The routing view's actions, in one table: a new action is one row here.

Each row gives the keys, the footer label, the help screen's line, the palette's title and the
handler. The app builds the routing view's bindings, the help screen and the palette from
`ACTIONS` (tests/lab/test_actions.py ties them together), and runs a row with `apply`, so a
misspelt action name is an error instead of a key that silently does nothing.

Handlers change the session (its cluster changes, its client, its requests) and return what to
tell the learner; they never touch a screen. Two rows need more than a key press: `edit_labels`
asks the learner for the labels (`asks == "labels"`: the app shows a dialog, then calls `apply`
with them), and the traffic rows leave their result in the session for the traffic view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tutor.model.objects import Pod

from .session import BURST, LabSession, Target, nodes_of


@dataclass(frozen=True, slots=True)
class Notice:
    """What an action tells the learner (a warning when it could not run)."""

    text: str
    warning: bool = False


PICK_A_POD = Notice("Pick a Pod in the routing view first (arrow keys or a click).", warning=True)
NO_PORT = Notice("No Service port to send traffic to.", warning=True)
SYMPTOMS_ONLY = Notice(
    "The routing view shows symptoms only, so it lists no Pods: change a Pod in the editor "
    "or in the console (F8: kubectl delete pod, kubectl label pod).",
    warning=True,
)

Handler = Callable[[LabSession, Target | None, Pod | None, Any], Notice | None]


@dataclass(frozen=True, slots=True)
class ClusterAction:
    id: str
    keys: str
    """Textual key names, comma-separated (`a,plus`)."""
    key_label: str
    """The keys as the help screen shows them (`a or +`)."""
    label: str
    """The footer's word."""
    help: str
    palette: str
    """The command palette's title (ctrl+p); it acts on the routing view's selection."""
    handler: Handler
    needs_pod: bool = False
    asks: str = ""
    """What the app must ask the learner before `apply` (only "labels" today)."""
    screen_key: str = ""
    """A key that runs it from anywhere on a lesson or challenge screen (`ctrl+t`)."""
    show: bool = True
    """Shown in the footer while the routing view has focus."""


def _delete(session: LabSession, _t: Target | None, pod: Pod | None, _v: Any) -> Notice:
    assert pod is not None and session.shown is not None
    return Notice(session.changes.delete_pod(session.shown.cluster, pod.ref))


def _toggle_ready(session: LabSession, _t: Target | None, pod: Pod | None, _v: Any) -> Notice:
    assert pod is not None
    ready = pod.ready_condition != "True"
    session.changes.set_ready(pod.ref, ready)
    return Notice(f"{pod.name} is now {'Ready' if ready else 'not Ready'}")


def _labels(session: LabSession, _t: Target | None, pod: Pod | None, labels: Any) -> Notice | None:
    assert pod is not None
    if labels is None:  # the learner cancelled the dialog
        return None
    session.changes.set_labels(pod.ref, {str(k): str(v) for k, v in dict(labels).items()})
    return Notice(f"{pod.name}'s labels changed")


def _move(session: LabSession, _t: Target | None, pod: Pod | None, _v: Any) -> Notice:
    assert pod is not None
    nodes = nodes_of(session.shown)
    current = nodes.index(pod.node_name) if pod.node_name in nodes else -1
    node = nodes[(current + 1) % len(nodes)]
    session.changes.move(pod.ref, node)
    return Notice(f"{pod.name} moved to {node} (a new Pod there, with a new IP)")


def _add(session: LabSession, _t: Target | None, pod: Pod | None, _v: Any) -> Notice | None:
    if session.shown is None:
        return None
    return Notice(session.changes.add_pod(session.shown.cluster, pod.ref if pod else None))


def _scale_down(session: LabSession, _t: Target | None, pod: Pod | None, _v: Any) -> Notice:
    assert pod is not None and session.shown is not None
    cluster = session.shown.cluster
    if not pod.owner:
        return Notice(session.changes.delete_pod(cluster, pod.ref))
    count = sum(1 for p in cluster.pods if p.owner == pod.owner and p.namespace == pod.namespace)
    return Notice(session.changes.scale(cluster, pod.owner, count - 1, namespace=pod.namespace))


def _next_client(session: LabSession, _t: Target | None, _p: Pod | None, _v: Any) -> Notice:
    return Notice(session.next_client())


def _send_one(session: LabSession, target: Target | None, _p: Pod | None, _v: Any) -> Notice | None:
    return None if session.send_one(target) is not None else NO_PORT


def _send_burst(
    session: LabSession, target: Target | None, _p: Pod | None, _v: Any
) -> Notice | None:
    return None if session.send_burst(target, BURST) is not None else NO_PORT


def _reset(session: LabSession, _t: Target | None, _p: Pod | None, _v: Any) -> Notice:
    session.changes.reset()
    return Notice("cluster changes undone: the Pods are as the manifest says")


ACTIONS: tuple[ClusterAction, ...] = (
    ClusterAction(
        "delete_pod",
        "d",
        "d",
        "Delete",
        "delete (crash) the Pod: a Deployment's Pod comes back with a new name and IP",
        "Delete the selected Pod",
        _delete,
        needs_pod=True,
    ),
    ClusterAction(
        "toggle_ready",
        "r",
        "r",
        "Ready",
        "toggle the Pod's Ready condition",
        "Toggle the selected Pod's Ready condition",
        _toggle_ready,
        needs_pod=True,
    ),
    ClusterAction(
        "edit_labels",
        "l",
        "l",
        "Labels",
        "edit the Pod's labels",
        "Edit the selected Pod's labels",
        _labels,
        needs_pod=True,
        asks="labels",
    ),
    ClusterAction(
        "move_pod",
        "m",
        "m",
        "Move",
        "move the Pod to another node",
        "Move the selected Pod to the next node",
        _move,
        needs_pod=True,
    ),
    ClusterAction(
        "add_pod",
        "a,plus",
        "a or +",
        "Add",
        "add a Pod like this one (a replica more for a Deployment)",
        "Add a Pod like the selected one",
        _add,
    ),
    ClusterAction(
        "scale_down",
        "minus",
        "-",
        "Scale down",
        "scale the Pod's workload down by one",
        "Scale the selected Pod's workload down by one",
        _scale_down,
        needs_pod=True,
    ),
    ClusterAction(
        "next_client",
        "c",
        "c",
        "Client",
        "choose the client: a client Pod on any node, three clients, or any Pod",
        "Choose the next client",
        _next_client,
    ),
    ClusterAction(
        "send_one",
        "t",
        "t",
        "1 request",
        "send one request to the selected Service port and follow its path",
        "Send one request",
        _send_one,
        screen_key="ctrl+t",
        show=False,
    ),
    ClusterAction(
        "send_burst",
        "b",
        "b",
        "100 requests",
        f"send {BURST} requests: a live count per Pod",
        f"Send {BURST} requests",
        _send_burst,
        screen_key="ctrl+g",
        show=False,
    ),
    ClusterAction(
        "reset_cluster",
        "x",
        "x",
        "Undo",
        "undo all cluster changes",
        "Reset the cluster changes",
        _reset,
    ),
)

TRAFFIC = frozenset({"send_one", "send_burst"})
"""Rows that send requests; every other row changes the cluster or the client."""
BY_ID: dict[str, ClusterAction] = {a.id: a for a in ACTIONS}


def apply(
    session: LabSession, action_id: str, target: Target | None = None, value: Any = None
) -> Notice | None:
    """Run one row on the session, for the routing view's `target`. Raises KeyError for an
    action that is not in the table."""
    action = BY_ID[action_id]
    if action.needs_pod and session.hides_diagnosis:
        return SYMPTOMS_ONLY
    pod = session.pod(target)
    if action.needs_pod and pod is None:
        return PICK_A_POD
    notice = action.handler(session, target, pod, value)
    if notice is not None and action.id not in TRAFFIC:
        session.changed()
    return notice
