"""The learner's cluster changes: Pods come and go, the Service stays."""

from __future__ import annotations

import json

import pytest

from tutor.model.changes import ClusterChanges, analyze_with_changes

MANIFEST = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: solo, labels: {app: web}}
spec: {containers: [{name: a, image: x}]}
"""


def names(changes: ClusterChanges) -> list[str]:
    return [p.name for p in analyze_with_changes(MANIFEST, changes).cluster.pods]


def used(changes: ClusterChanges, node: str | None = None) -> set[str]:
    analysis = analyze_with_changes(MANIFEST, changes, node)
    return {ep.pod.name for ep in analysis.services[0].ports[0].used}


def test_no_changes_is_plain_analysis() -> None:
    changes = ClusterChanges()
    assert changes.empty
    assert len(names(changes)) == 4
    assert used(changes) == set(names(changes))


def test_deleting_a_workload_pod_replaces_it_with_new_name_and_ip() -> None:
    changes = ClusterChanges()
    before = analyze_with_changes(MANIFEST, changes).cluster
    victim = before.pods[1]
    message = changes.delete_pod(before, victim.ref)
    after = analyze_with_changes(MANIFEST, changes).cluster
    assert victim.name in message and "Deployment" in message
    assert victim.name not in [p.name for p in after.pods]
    assert len(after.pods) == len(before.pods)
    new = after.pods[1]
    assert new.name.startswith("web-") and new.name != victim.name
    assert new.ip != victim.ip
    assert new.name in used(changes)


def test_deleting_a_bare_pod_removes_it_for_good() -> None:
    changes = ClusterChanges()
    cluster = analyze_with_changes(MANIFEST, changes).cluster
    assert "nothing recreates it" in changes.delete_pod(cluster, "default/solo")
    assert "solo" not in names(changes)


@pytest.mark.parametrize("replicas, expected", [(0, 1), (1, 2), (5, 6)])
def test_scale(replicas: int, expected: int) -> None:
    changes = ClusterChanges()
    cluster = analyze_with_changes(MANIFEST, changes).cluster
    changes.scale(cluster, "Deployment/web", replicas)
    assert len(names(changes)) == expected


def test_scale_keeps_existing_pods() -> None:
    changes = ClusterChanges()
    cluster = analyze_with_changes(MANIFEST, changes).cluster
    first = [p.name for p in cluster.pods if p.owner]
    changes.scale(cluster, "Deployment/web", 5)
    assert names(changes)[:3] == first


def test_not_ready_pod_leaves_rotation_and_comes_back() -> None:
    changes = ClusterChanges()
    changes.set_ready("default/solo", False)
    assert "solo" not in used(changes)
    analysis = analyze_with_changes(MANIFEST, changes)
    assert "not Ready" in analysis.services[0].ports[0].verdicts["default/solo"].reason
    changes.set_ready("default/solo", True)
    assert "solo" in used(changes)


def test_relabel_takes_pod_out_with_a_reason() -> None:
    changes = ClusterChanges()
    changes.set_labels("default/solo", {"app": "api"})
    analysis = analyze_with_changes(MANIFEST, changes)
    verdict = analysis.services[0].ports[0].verdicts["default/solo"]
    assert not verdict.gets_traffic
    assert verdict.reason == "label `app` is `api`, the Service wants `web`"


def test_move_changes_node_and_ip() -> None:
    changes = ClusterChanges()
    before = analyze_with_changes(MANIFEST, changes).cluster.pod("solo")
    changes.move("default/solo", "node-3")
    after = analyze_with_changes(MANIFEST, changes).cluster
    pod = after.pod("solo")
    assert pod is not None and before is not None
    assert pod.node_name == "node-3" and pod.ip != before.ip
    assert "node-3" in after.nodes


def test_add_pod_like_a_bare_pod_copies_labels() -> None:
    changes = ClusterChanges()
    cluster = analyze_with_changes(MANIFEST, changes).cluster
    message = changes.add_pod(cluster, "default/solo")
    assert "solo-1" in message
    assert "solo-1" in used(changes)


def test_add_pod_like_a_workload_pod_scales_it() -> None:
    changes = ClusterChanges()
    cluster = analyze_with_changes(MANIFEST, changes).cluster
    changes.add_pod(cluster, cluster.pods[0].ref)
    assert len([n for n in names(changes) if n.startswith("web-")]) == 4


def test_changes_survive_edits_to_the_service() -> None:
    changes = ClusterChanges()
    changes.set_ready("default/solo", False)
    edited = MANIFEST.replace("port: 80,", "port: 8080,")
    analysis = analyze_with_changes(edited, changes)
    assert "solo" not in {ep.pod.name for ep in analysis.services[0].ports[0].used}


def test_json_round_trip_and_garbage() -> None:
    changes = ClusterChanges()
    cluster = analyze_with_changes(MANIFEST, changes).cluster
    changes.delete_pod(cluster, cluster.pods[0].ref)
    changes.set_labels("default/solo", {"app": "x"})
    changes.move("default/solo", "node-2")
    copy = ClusterChanges.from_json(json.loads(json.dumps(changes.to_json())))
    assert names(copy) == names(changes)
    for garbage in (None, [], {"edits": 3}, {"replicas": {"a": "x"}}, "nope"):
        assert ClusterChanges.from_json(garbage).empty
