"""A lesson's `cluster: {ip_families: [...]}` sets the simulated cluster its goals and its lint
run on (default single-stack IPv4, as kind)."""

from __future__ import annotations

from tutor.course.goals import evaluate_text
from tutor.course.lesson import Goal
from tutor.model.network import DUAL_STACK, SINGLE_STACK

REQUIRE_DUAL = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ipFamilyPolicy: RequireDualStack
  selector: {app: web}
  ports: [{port: 80}]
"""


def test_goal_follows_the_lesson_cluster() -> None:
    valid = Goal("valid", {})
    assert not evaluate_text(valid, REQUIRE_DUAL).met
    assert not evaluate_text(valid, REQUIRE_DUAL, network=SINGLE_STACK).met
    assert evaluate_text(valid, REQUIRE_DUAL, network=DUAL_STACK).met
