"""A Pod's READY, STATUS and RESTARTS as kubectl's printPod works them out from the container
statuses (shared by `get pods`, `describe pod` and `-o yaml`'s Initialized condition)."""

from __future__ import annotations

from dataclasses import dataclass

from tutor.model.manifests import container_statuses
from tutor.model.objects import ContainerReadiness, Pod, Termination

from .world import parse_time


def _ended(c: ContainerReadiness) -> str:
    """A terminated container's word in STATUS: its reason, else `Signal:N` or `ExitCode:N`."""
    if c.terminated_reason:
        return c.terminated_reason
    if c.ended is not None and c.ended.signal:
        return f"Signal:{c.ended.signal}"
    return f"ExitCode:{c.exit_code or 0}"


@dataclass(slots=True)
class PodColumns:
    """READY, STATUS and RESTARTS of one Pod, as kubectl's printPod works them out."""

    ready: int
    total: int
    status: str
    restarts: int
    last_restart: str
    """`finishedAt` of the latest previous run ("" when none is written)."""


def _later(a: str, b: str) -> str:
    """The later of two RFC 3339 times ("" is the zero time)."""
    ta, tb = parse_time(a) if a else None, parse_time(b) if b else None
    if tb is None:
        return a
    if ta is None or tb > ta:
        return b
    return a


def pod_columns(pod: Pod, total: int) -> PodColumns:
    """K · pkg/printers/internalversion/printers.go · `printPod` (v1.35) over the containers
    the Pod's status lists, init containers (plain ones and sidecars, `restartPolicy: Always`)
    first, in the spec's order as the kubelet writes them:
    - READY: a sidecar counts once `started` and `ready`; an app container once `ready` and
      running; the total is the app containers plus the sidecars;
    - STATUS: `status.reason` when written (Evicted, NodeLost...), else the phase;
      `SchedulingGated` while the PodScheduled condition says so; the first init container
      that has not completed (a sidecar: not started) makes it `Init:<reason>` (ended:
      its reason, `Signal:N` or `ExitCode:N`; waiting: its reason unless PodInitializing),
      else `Init:N/M` (N init containers done of the spec's M); otherwise the first app
      container that waits (`CrashLoopBackOff`) or has ended names it, as the loop from the
      last to the first leaves it; `Completed` next to a ready running container reads
      `Running` with the Ready condition, else the failed container's reason, else
      `NotReady`; a deleted Pod is `Terminating` unless its phase is final, `Unknown` when
      its node was lost (`NodeLost`);
    - RESTARTS: the sidecars' and app containers' `restartCount` (while the Pod initializes,
      every init container's), with `(2m14s ago)` from the latest `lastState.terminated.
      finishedAt` among them.
    A Pod whose status lists no container (or has no status: the simulator fills it in) has
    every container ready when its Ready condition is True, and no restarts. A status written
    by hand without `started` counts a running sidecar as started, as the kubelet would have
    written it; a plain init container the status does not list has completed."""
    every = container_statuses(pod)
    reason = pod.status_reason or pod.phase
    if pod.scheduling_gated:
        reason = "SchedulingGated"
    listed = [c for c in every if c.listed]
    if not listed:
        ready = total if pod.ready_condition == "True" else 0
        return PodColumns(ready, total, _deleted(pod, reason), 0, "")
    ready = restarts = side_restarts = 0
    last = last_side = ""
    initializing = False
    inits = [c for c in listed if c.sidecar or c.init]
    spec_inits = sum(1 for c in every if c.sidecar or c.init)
    for i, c in enumerate(inits):
        finished = c.last_ended.finished_at if c.last_ended is not None else ""
        restarts += c.restart_count
        last = _later(last, finished)
        if c.sidecar:
            side_restarts += c.restart_count
            last_side = _later(last_side, finished)
        if c.terminated and c.exit_code == 0:
            continue
        started = c.started if c.started is not None else c.running_since is not None
        if c.sidecar and started:
            ready += 1 if c.ready else 0
            continue
        if c.terminated:
            reason = "Init:" + _ended(c)
        elif c.waiting and c.waiting != "PodInitializing":
            reason = "Init:" + c.waiting
        else:
            reason = f"Init:{i}/{spec_inits}"
        initializing = True
        break
    if not initializing or pod.initialized:
        restarts, last = side_restarts, last_side
        running = False
        error = ""
        for c in reversed([c for c in listed if not (c.sidecar or c.init)]):
            restarts += c.restart_count
            last = _later(last, c.last_ended.finished_at if c.last_ended is not None else "")
            if c.waiting:
                reason = c.waiting
            elif c.terminated:
                reason = _ended(c)
                if c.exit_code:
                    error = reason
            elif c.ready and c.running_since is not None:
                running = True
                ready += 1
        if reason == "Completed":
            if running and pod.ready_condition == "True":
                reason = "Running"
            elif error:
                reason = error
            elif running:
                reason = "NotReady"
    return PodColumns(ready, total, _deleted(pod, reason), restarts, last)


def grace_seconds(pod: Pod) -> int:
    """A deleted Pod's `deletionGracePeriodSeconds`: as written, else the 30 s the API server
    sets from the default `terminationGracePeriodSeconds` (K · pkg/apis/core/v1/defaults.go)."""
    return pod.grace_seconds if pod.grace_seconds is not None else 30


def _deleted(pod: Pod, reason: str) -> str:
    """printPod's last word on a deleted Pod: `Unknown` when the node controller marked it
    `NodeLost`, `Terminating` while its phase is not final, else the reason as it stands."""
    if pod.terminating and pod.status_reason == "NodeLost":
        return "Unknown"
    if pod.terminating and pod.phase not in ("Succeeded", "Failed"):
        return "Terminating"
    return reason


def simulated_status(pod: Pod, name: str, created: str, plain_init: bool) -> ContainerReadiness:
    """The status the simulator gives a container the file's status does not list (`describe
    pod` and `-o yaml` print this one): a plain init container exited 0 as the Pod started; in
    a Running Pod a container runs since `created`, ready with the Pod's Ready condition; a
    Succeeded Pod's exited 0 (`Completed`), a Failed Pod's exited 1 (`Error`); otherwise it
    waits in `ContainerCreating` (K · pkg/kubelet/kubelet_pods.go ·
    `convertToAPIContainerStatuses`: a container not started yet waits with that reason)."""
    if plain_init or pod.phase in ("Succeeded", "Failed"):
        failed = pod.phase == "Failed" and not plain_init
        reason, code = ("Error", 1) if failed else ("Completed", 0)
        end = Termination(reason=reason, exit_code=code, started_at=created, finished_at=created)
        return ContainerReadiness(
            name,
            ready=False,
            terminated=f"{reason}, exit code {code}",
            terminated_reason=reason,
            exit_code=code,
            init=plain_init,
            listed=True,
            started=False,
            ended=end,
        )
    running = pod.phase == "Running"
    return ContainerReadiness(
        name,
        ready=running and pod.ready_condition == "True",
        waiting="" if running else "ContainerCreating",
        listed=True,
        started=running,
        running_since=created if running else None,
    )


GATED_MESSAGE = "Scheduling is blocked due to non-empty scheduling gates"
"""K · pkg/scheduler/schedule_one.go: the PodScheduled condition's message for a gated Pod."""


def unscheduled(pod: Pod) -> bool:
    """No node runs the Pod yet: a scheduling gate holds it, or it is Pending without a node."""
    return pod.scheduling_gated or (not pod.node_name and pod.phase == "Pending")


def pod_conditions(pod: Pod) -> list[tuple[str, str, str]]:
    """(type, status, reason) of the Pod's conditions in the kubelet's order, for `describe pod`
    and `-o yaml`: an unscheduled Pod has only PodScheduled False (SchedulingGated for a gated
    one); Initialized is False while an init container holds the Pod (printPod's `Init:`),
    Ready and ContainersReady follow the Ready condition."""
    if unscheduled(pod):
        return [("PodScheduled", "False", "SchedulingGated" if pod.scheduling_gated else "")]
    ready = "True" if pod.ready_condition == "True" else "False"
    initialized = "False" if pod_columns(pod, 0).status.startswith("Init:") else "True"
    return [
        ("PodReadyToStartContainers", "True", ""),
        ("Initialized", initialized, ""),
        ("Ready", ready, ""),
        ("ContainersReady", ready, ""),
        ("PodScheduled", "True", ""),
    ]
