"""The lab session without a screen: edits, the last good picture, cluster actions, clients and
requests, and how old request results are marked or forgotten. (Pilot tests keep what only a
screen shows.)"""

from __future__ import annotations

import pytest
from sample_manifests import DEPLOYMENT, MANIFEST

from tutor.course.lesson import Goal
from tutor.lab.actions import ACTIONS, PICK_A_POD, apply
from tutor.lab.session import LabSession, Target, run
from tutor.model.report import Outcome

SERVICE = "0|80/TCP|"


def session(text: str = MANIFEST, **kwargs: object) -> LabSession:
    lab = LabSession(text, **kwargs)  # type: ignore[arg-type]
    assert lab.analyze_now()
    return lab


def pod_target(lab: LabSession, name: str) -> Target:
    shown = lab.shown
    assert shown is not None
    pod = next(p for p in shown.cluster.pods if p.name == name)
    return Target(0, shown.services[0].ports[0].port.key, pod.ref)


def getting(lab: LabSession) -> list[str]:
    shown = lab.shown
    assert shown is not None
    return [ep.pod.name for ep in shown.services[0].ports[0].used]


def test_an_edit_changes_routing_and_the_check() -> None:
    goal = Goal("traffic", {"service": "web", "port": 80, "pods": ["api-1"]})
    lab = session(goal=goal)
    assert getting(lab) == ["web-1", "web-2"]
    assert lab.check is not None and not lab.check.met
    lab.edit(MANIFEST.replace("    app: web\n  ports", "    app: api\n  ports"))
    assert lab.analyze_now()
    assert getting(lab) == ["api-1"]
    assert lab.check is not None and lab.check.met


def test_the_same_state_is_analyzed_once_and_old_results_are_dropped() -> None:
    lab = session()
    assert lab.job() is None  # nothing changed
    lab.edit(MANIFEST + "\n")
    old = lab.job()
    assert old is not None
    lab.edit(MANIFEST + "\n\n")
    new = lab.job()
    assert new is not None and new.generation == old.generation + 1
    assert not lab.receive(run(old))  # a stale worker's result
    assert lab.receive(run(new))


def test_broken_yaml_keeps_the_last_good_picture() -> None:
    lab = session()
    good = lab.shown
    lab.edit(MANIFEST.replace("  - port: 80", "port: 80"))
    lab.analyze_now()
    snap = lab.snapshot()
    assert snap.stale and "last good" in snap.stale_note
    assert snap.shown is good
    assert snap.problems and snap.problems[0].line > 0
    assert snap.error_lines
    lab.edit(MANIFEST.replace("port: 80", "port: 0"))
    lab.analyze_now()
    messages = [p.message for p in lab.snapshot().problems]
    assert any("spec.ports[0].port: Invalid value: 0" in m for m in messages)
    lab.edit(MANIFEST)
    lab.analyze_now()
    assert not lab.snapshot().stale and not lab.snapshot().problems


def test_an_invalid_service_is_refused_not_missing() -> None:
    lab = session(MANIFEST.replace("port: 80", "port: 0"))
    note = lab.snapshot().routing_note
    assert note.startswith("The API server refused Service web: spec.ports[0].port: Invalid")
    lab = session(MANIFEST.split("---\n", 1)[1])
    assert lab.snapshot().routing_note.startswith("No Service in this manifest yet")
    assert session().snapshot().routing_note == ""


def test_pod_actions_need_a_pod() -> None:
    lab = session()
    for action in ACTIONS:
        if action.needs_pod:
            assert apply(lab, action.id, Target(0, "80/TCP")) is PICK_A_POD
    with pytest.raises(KeyError):
        apply(lab, "delete_pods", pod_target(lab, "web-1"))


def test_cluster_actions_on_a_bare_pod() -> None:
    lab = session()
    web1 = pod_target(lab, "web-1")
    notice = apply(lab, "toggle_ready", web1)
    assert notice is not None and "not Ready" in notice.text
    lab.analyze_now()
    assert getting(lab) == ["web-2"]
    apply(lab, "toggle_ready", web1)
    lab.analyze_now()
    assert getting(lab) == ["web-1", "web-2"]
    apply(lab, "move_pod", web1)
    lab.analyze_now()
    assert lab.pod(web1) is not None and lab.pod(web1).node_name == "node-2"  # type: ignore[union-attr]
    assert apply(lab, "edit_labels", web1, None) is None  # the dialog was cancelled
    apply(lab, "edit_labels", web1, {"app": "api"})
    lab.analyze_now()
    assert getting(lab) == ["web-2"]
    apply(lab, "delete_pod", web1)
    lab.analyze_now()
    assert [p.name for p in lab.shown.cluster.pods] == ["web-2", "api-1"]  # type: ignore[union-attr]
    apply(lab, "add_pod", pod_target(lab, "web-2"))
    lab.analyze_now()
    assert len(lab.shown.cluster.pods) == 3  # type: ignore[union-attr]
    apply(lab, "reset_cluster")
    lab.analyze_now()
    assert [p.name for p in lab.shown.cluster.pods] == ["web-1", "web-2", "api-1"]  # type: ignore[union-attr]


def test_a_deployment_pod_comes_back_and_scales() -> None:
    lab = session(DEPLOYMENT)
    before = {p.name: p.ip for p in lab.shown.cluster.pods}  # type: ignore[union-attr]
    victim = next(iter(before))
    apply(lab, "delete_pod", pod_target(lab, victim))
    lab.analyze_now()
    after = {p.name: p.ip for p in lab.shown.cluster.pods}  # type: ignore[union-attr]
    assert victim not in after and len(after) == 2
    new = (set(after) - set(before)).pop()
    assert after[new] != before[victim]
    apply(lab, "add_pod", pod_target(lab, new))
    lab.analyze_now()
    assert len(lab.shown.cluster.pods) == 3  # type: ignore[union-attr]
    apply(lab, "scale_down", pod_target(lab, new))
    lab.analyze_now()
    assert len(lab.shown.cluster.pods) == 2  # type: ignore[union-attr]


def test_clients_and_session_affinity() -> None:
    sticky = MANIFEST.replace(
        "  ports:\n  - port: 80", "  sessionAffinity: ClientIP\n  ports:\n  - port: 80", 1
    )
    lab = session(sticky)
    assert lab.snapshot().client.node == "node-1"
    burst = lab.send_burst(None, 100)
    assert burst is not None and len(burst.answered) == 1  # one client sticks to one Pod
    notice = apply(lab, "next_client")
    assert notice is not None and "node-2" in notice.text
    lab.analyze_now()
    snap = lab.snapshot()
    assert snap.client.node == "node-2" and snap.client_label == "a client Pod on node-2"


def test_one_request_and_a_burst_come_from_the_report() -> None:
    lab = session()
    one = lab.send_one(None)
    assert one is not None and one.kind == Outcome.ANSWERED
    assert any("kube-proxy on node-1" in hop.at for hop in one.hops)
    burst = lab.send_burst(None, 100)
    assert burst is not None and sum(burst.answered.values()) == 100
    assert set(burst.answered) == {"web-1", "web-2"}
    snap = lab.snapshot()
    assert snap.sent is not None and snap.sent.burst is burst
    assert snap.sent.title == "100 requests to web:80 from client"


def test_a_pod_that_declares_other_ports_refuses() -> None:
    text = MANIFEST.replace(
        "    image: nginx\n", "    image: nginx\n    ports:\n    - containerPort: 80\n"
    )
    lab = session(text)
    one = lab.send_one(None)
    assert one is not None and one.kind == Outcome.REFUSED_BY_POD


def test_results_sent_before_a_change_are_marked_then_forgotten_on_a_new_step() -> None:
    """The 29/34/37 split stayed on screen while 0 Pods were selected, and a REJECT trace
    from an earlier step stayed under the next one."""
    lab = session()
    lab.send_burst(None, 100)
    assert lab.snapshot().sent is not None and not lab.snapshot().sent.stale  # type: ignore[union-attr]
    lab.edit(MANIFEST.replace("    app: web\n  ports", "    app: nothing\n  ports"))
    lab.analyze_now()
    sent = lab.snapshot().sent
    assert sent is not None and sent.stale
    assert getting(lab) == []
    lab.send_one(None)
    sent = lab.snapshot().sent
    assert sent is not None and not sent.stale and sent.request is not None
    assert sent.request.kind == Outcome.REJECTED
    apply(lab, "toggle_ready", pod_target(lab, "web-1"))
    assert lab.snapshot().sent.stale  # type: ignore[union-attr]
    lab.send_one(None)
    apply(lab, "next_client")
    assert lab.snapshot().sent.stale  # type: ignore[union-attr]
    lab.send_one(None)
    lab.load(MANIFEST)
    lab.analyze_now()
    assert lab.snapshot().sent is None


def test_the_step_field_is_marked_where_it_is() -> None:
    lab = session(focus_path="spec.ports[0].targetPort")
    assert lab.snapshot().marks == ((9, 4, 9, 20),)
    lab.edit("# a comment\n" + MANIFEST)
    lab.analyze_now()
    assert lab.snapshot().marks[0][0] == 10


def test_a_challenge_check_says_the_routing_view_changes_are_not_in_the_yaml() -> None:
    """Lesson 9 challenge 3 at 80x24: `l` in the routing view relabelled collector-b to
    `app=collector` (its row then said `labels app=collector ✓`), and ctrl+s answered "label
    app is log-collector": a challenge checks the manifest in the editor, which the routing
    view's changes do not touch. The answer now says so."""
    from testkit import builtin_lesson

    lesson = builtin_lesson("service-types")
    challenge = next(c for c in lesson.challenges if c.id == "local-collector")
    lab = session(challenge.manifest, network=lesson.network)
    plain = lab.check_now(challenge.goal)
    assert not plain.met and "routing view" not in plain.detail, plain
    apply(lab, "edit_labels", pod_target(lab, "collector-b"), {"app": "collector"})
    assert lab.analyze_now()
    changed = lab.check_now(challenge.goal)
    assert not changed.met, changed
    assert "ctrl+s checks the YAML in the editor" in changed.detail, changed.detail
    assert "routing view" in changed.detail and "x undoes them" in changed.detail, changed.detail


def test_the_client_key_help_names_the_choices_c_cycles_through() -> None:
    """The help said `c` chooses "a node, three clients, or any Pod"; the first choices are a
    client Pod on each node (lesson 9: nothing sends from a node, as a NodePort's outside
    client would)."""
    from tutor.lab.session import client_choices

    lab = session(MANIFEST)
    labels = [choice.label for choice in client_choices(lab.shown)]
    assert labels[0] == "a client Pod on node-1" and "3 clients on different nodes" in labels
    help_text = next(a.help for a in ACTIONS if a.id == "next_client")
    assert help_text.startswith("choose the client: a client Pod on any node,"), help_text
