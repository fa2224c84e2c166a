"""A Pod's READY, STATUS and RESTARTS as kubectl's printPod works them out from the container
statuses (shared by `get pods`, `describe pod` and `-o yaml`'s Initialized condition)."""

from __future__ import annotations

from dataclasses import dataclass

from tutor.model.manifests import container_statuses
from tutor.model.objects import ContainerReadiness, Pod

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
    the Pod's status lists, sidecars (init containers with `restartPolicy: Always`) first:
    - READY: a sidecar counts once `started` and `ready`; an app container once `ready` and
      running; the total is the app containers plus the sidecars;
    - STATUS: the phase; a sidecar that has not started (waiting, ended, or not yet started)
      makes it `Init:<reason>`; otherwise the first app container that waits
      (`CrashLoopBackOff`) or has ended (its reason, `Signal:N` or `ExitCode:N`) names it, as
      the loop from the last to the first leaves it; `Completed` next to a ready running
      container reads `Running` with the Ready condition, else the failed container's reason,
      else `NotReady`; a deleted Pod is `Terminating`;
    - RESTARTS: the sidecars' and app containers' `restartCount` (while the Pod initializes,
      only the init containers'), with `(2m14s ago)` from the latest `lastState.terminated.
      finishedAt` among them.
    A Pod whose status lists no container (or has no status: the simulator fills it in) has
    every container ready when its Ready condition is True, and no restarts. A status written
    by hand without `started` counts a running sidecar as started, as the kubelet would have
    written it; plain init containers are not simulated (they have run to completion)."""
    listed = [c for c in container_statuses(pod) if c.listed]
    if not listed:
        ready = total if pod.ready_condition == "True" and not pod.terminating else 0
        return PodColumns(ready, total, "Terminating" if pod.terminating else pod.phase, 0, "")
    reason = pod.phase
    ready = restarts = side_restarts = 0
    last = last_side = ""
    initializing = False
    sidecars = [c for c in listed if c.sidecar]
    for i, c in enumerate(sidecars):
        finished = c.last_ended.finished_at if c.last_ended is not None else ""
        restarts += c.restart_count
        side_restarts += c.restart_count
        last = _later(last, finished)
        last_side = _later(last_side, finished)
        started = c.started if c.started is not None else c.running_since is not None
        if c.terminated and c.exit_code == 0:
            continue
        if started:
            ready += 1 if c.ready else 0
            continue
        if c.terminated:
            reason = "Init:" + _ended(c)
        elif c.waiting and c.waiting != "PodInitializing":
            reason = "Init:" + c.waiting
        else:
            reason = f"Init:{i}/{len(sidecars)}"
        initializing = True
        break
    if not initializing or pod.initialized:
        restarts, last = side_restarts, last_side
        running = False
        error = ""
        for c in reversed([c for c in listed if not c.sidecar]):
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
    if pod.terminating:
        reason = "Terminating"
    return PodColumns(ready, total, reason, restarts, last)
