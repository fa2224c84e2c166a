"""The console through the lab session: a mutating command and the routing view's key for it
make the same cluster change (the same `ClusterChanges`, marked the same way), the console runs
from the routing view's client, and the lines run feed `ran` goals and the saved history."""

from __future__ import annotations

from typing import Any

import pytest
from sample_manifests import DEPLOYMENT, MANIFEST
from testkit import builtin_lesson

from tutor.course.lesson import Goal
from tutor.lab.actions import apply
from tutor.lab.session import LabSession, Target, restored_commands, saved_commands


def session(text: str = MANIFEST, **kwargs: Any) -> LabSession:
    lab = LabSession(text, **kwargs)
    assert lab.analyze_now()
    return lab


def pod_target(lab: LabSession, name: str) -> Target:
    shown = lab.shown
    assert shown is not None
    pod = next(p for p in shown.cluster.pods if p.name == name)
    return Target(0, shown.services[0].ports[0].port.key, pod.ref)


def first_pod(lab: LabSession) -> str:
    assert lab.shown is not None
    return lab.shown.cluster.pods[0].name


@pytest.mark.parametrize(
    ("text", "lines", "keys"),
    [
        (MANIFEST, ["kubectl delete pod web-2"], [("delete_pod", "web-2", None)]),
        (
            MANIFEST,
            ["kubectl label pod web-1 tier=x"],
            [("edit_labels", "web-1", {"app": "web", "tier": "x"})],
        ),
        (
            MANIFEST,
            ["kubectl label pod web-1 app=api --overwrite", "kubectl delete pod web-1"],
            [("edit_labels", "web-1", {"app": "api"}), ("delete_pod", "web-1", None)],
        ),
        (DEPLOYMENT, ["kubectl scale deploy shop --replicas=1"], [("scale_down", "", None)]),
        (
            DEPLOYMENT,
            ["kubectl scale deploy shop --replicas=1", "kubectl scale deploy shop --replicas=2"],
            [("scale_down", "", None), ("add_pod", "", None)],
        ),
    ],
)
def test_a_command_and_its_key_make_the_same_change(
    text: str, lines: list[str], keys: list[tuple[str, str, object]]
) -> None:
    by_keys, by_console = session(text), session(text)
    for action, pod, value in keys:
        apply(by_keys, action, pod_target(by_keys, pod or first_pod(by_keys)), value)
        by_keys.analyze_now()
    for line in lines:
        out = by_console.run_command(line)
        assert out.code == 0, out.text
        by_console.analyze_now()
    assert by_console.changes.to_json() == by_keys.changes.to_json()
    assert by_console.shown is not None and by_keys.shown is not None
    assert [p.name for p in by_console.shown.cluster.pods] == [
        p.name for p in by_keys.shown.cluster.pods
    ]


def test_a_mutating_command_marks_requests_as_history_a_look_does_not() -> None:
    lab = session()
    lab.send_one(None)
    lab.run_command("kubectl get pods")
    assert lab.sent is not None and not lab.sent.stale
    lab.run_command("kubectl delete pod web-1")
    assert lab.sent is not None and lab.sent.stale


def test_the_console_runs_from_the_routing_views_client() -> None:
    lab = session()
    assert lab.console.prompt == "client:/ # "
    while lab.snapshot().client.name != "web-2":
        lab.next_client()
    lab.run_command("env")
    assert lab.console.prompt == "web-2:/ # "
    assert lab.console.client.node == "node-2"


def test_the_changes_a_new_step_brings_are_the_ones_commands_change() -> None:
    lab = session()
    from tutor.model.changes import ClusterChanges

    lab.load(MANIFEST, changes=ClusterChanges())
    lab.analyze_now()
    lab.run_command("kubectl delete pod web-1")
    assert "default/web-1" in lab.changes.deleted


def test_a_ran_goal_is_met_once_the_command_ran() -> None:
    goal = Goal("ran", {"command": "kubectl describe svc"})
    lab = session(goal=goal)
    assert lab.check is not None and not lab.check.met
    lab.run_command("kubectl get svc")
    lab.analyze_now()
    assert lab.check is not None and not lab.check.met
    lab.run_command("kubectl  describe   svc web")
    assert lab.analyze_now()  # a line run is a new state to check
    assert lab.check is not None and lab.check.met


def test_the_history_is_kept_and_a_damaged_one_is_empty() -> None:
    lab = session()
    lab.run_command("kubectl get svc")
    lab.run_command("   ")
    lab.run_command("nslookup web")
    assert lab.commands == ["kubectl get svc", "nslookup web"]
    assert restored_commands(saved_commands(lab.commands)) == lab.commands
    assert restored_commands(saved_commands([f"c{i}" for i in range(300)]))[0] == "c200"
    for damaged in ("", "{", '{"a": 1}', "[1, null]", None):
        assert restored_commands(damaged) == []


def test_a_look_analyzes_again_only_when_a_ran_goal_may_now_be_met() -> None:
    lab = session(goal=Goal("traffic", {"service": "web", "port": 80, "pods": ["web-1"]}))
    lab.run_command("kubectl get pods")
    assert lab.job() is None  # nothing to re-check: the manifest and the cluster are the same
    lab.run_command("kubectl delete pod web-2")
    assert lab.job() is not None  # a cluster change is
    ran = session(goal=Goal("ran", {"command": "kubectl get pods"}))
    ran.run_command("kubectl get pods")
    assert ran.job() is not None


def test_a_ran_goal_counts_the_lines_from_commands_from_on() -> None:
    """A lesson's steps share one history; the lesson screen moves `commands_from` to the end
    when it opens a step, so a step's `ran` check asks for a line run in that step."""
    lab = session()
    lab.run_command("kubectl describe svc web")
    lab.commands_from = len(lab.commands)
    lab.load(MANIFEST, goal=Goal("ran", {"command": "kubectl describe svc"}))
    lab.analyze_now()
    assert lab.check is not None and not lab.check.met
    assert lab.console.history[-1] == "kubectl describe svc web"  # ↑ still recalls it
    lab.run_command("kubectl describe svc web")
    assert lab.analyze_now()
    assert lab.check is not None and lab.check.met


@pytest.mark.parametrize(
    "enter",
    ["kubectl run debug --image=busybox -it --rm -- sh", "kubectl debug -it web-1 --image=busybox"],
)
def test_a_shell_the_learner_entered_stays_the_client_until_exit(enter: str) -> None:
    """`kubectl run -it` and `kubectl debug -it` put the console in a Pod until `exit`: the
    next command must not move it back to the routing view's client (a debug container's
    shell went back to `client` after one curl)."""
    lab = session()
    lab.run_command(enter)
    inside = lab.console.prompt
    assert inside != "client:/ # "
    lab.run_command("curl -s web")
    assert lab.console.prompt == inside
    lab.run_command("exit")
    assert lab.console.prompt == "client:/ # "


def test_the_nxdomain_story_says_where_the_console_runs() -> None:
    """Lesson 14's `nxdomain` challenge: the app runs in namespace `web`, the console's shell
    and kubectl in `default` (a bare `kubectl get pods` showed nothing and the story did not
    say why). The story now says where the console runs, and its commands, in order, show
    what it tells: the app's Pods with `-n web`, and from a shell beside the app `redis` does
    not resolve, while from namespace `cache` it does."""
    lesson = builtin_lesson("troubleshooting")
    challenge = next(c for c in lesson.challenges if c.id == "nxdomain")
    lab = session(challenge.manifest, goal=challenge.goal, symptoms=True)
    console = lab.console_client()
    assert (console.namespace, lab.console.namespace) == ("default", "default")
    assert "a client Pod in namespace `default`, kubectl's namespace" in " ".join(
        challenge.text.split()
    )
    assert lab.run_command("kubectl get pods").text == "No resources found in default namespace.\n"
    outputs = {line: lab.run_command(line).text for line in challenge.commands}
    assert outputs["kubectl get pods -n web"].splitlines()[1].startswith("web-1 ")
    assert "nslookup: can't resolve 'redis'" in outputs["nslookup redis"]
    assert lab.console.client.namespace == "web"  # in the debug container, until `exit`
    services = [line.split()[:2] for line in outputs["kubectl get svc -A"].splitlines()]
    assert ["cache", "redis"] in services and ["web", "redis"] not in services
    lab.run_command("exit")
    lab.run_command("kubectl run tmp -n cache -it --rm --image=busybox -- sh")
    assert "redis.cache.svc.cluster.local" in lab.run_command("nslookup redis").text
