"""A step's check sees the cluster the routing view shows: the learner's cluster changes (`d`,
`kubectl delete pod`, ...) count. Lesson 9 step 6 says "Delete the node-cache-2 Pod and look at
what a client on node-2 gets"; after `d` the routing view showed no Pod for node-2, while the
check kept saying "node-cache-2 gets traffic" (it read the manifest alone)."""

from __future__ import annotations

from sample_manifests import MANIFEST
from testkit import builtin_lesson

from tutor.course.lesson import Goal
from tutor.lab.actions import apply
from tutor.lab.session import LabSession, Target


def pod_target(lab: LabSession, name: str) -> Target:
    shown = lab.shown
    assert shown is not None
    pod = next(p for p in shown.cluster.pods if p.name == name)
    return Target(0, shown.services[0].ports[0].port.key, pod.ref)


def test_a_deleted_pod_is_gone_for_the_check() -> None:
    lab = LabSession(
        MANIFEST, goal=Goal("traffic", {"service": "web", "port": 80, "pods": ["web-2"]})
    )
    assert lab.analyze_now()
    assert lab.check is not None and not lab.check.met
    apply(lab, "delete_pod", pod_target(lab, "web-1"))
    assert lab.analyze_now()
    assert lab.check is not None and lab.check.met, lab.check.detail


def test_lesson_9_step_6_passes_by_deleting_the_pod_as_it_says() -> None:
    lesson = builtin_lesson("service-types")
    step = lesson.steps[5]
    assert step.check is not None and step.check.data.get("from_node") == "node-2"
    lab = LabSession(step.manifest or lesson.manifest, goal=step.check)
    assert lab.analyze_now()
    assert lab.check is not None and not lab.check.met
    apply(lab, "delete_pod", pod_target(lab, "node-cache-2"))
    assert lab.analyze_now()
    assert lab.check is not None and lab.check.met, lab.check.detail
