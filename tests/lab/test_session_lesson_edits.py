"""A learner's one-line edits in the Course 2.0 lessons, through the lab session the screens use
(`LabSession`, built as the lesson and challenge screens build their workbench's): a step's
check is met by its edit, a challenge fails as given and passes once fixed, a debugging
challenge only once the evidence was looked at in the console. These are the lessons'
content; the keys that make the edits are test_app_course_walkthrough's and lesson 1's end to
end (they walked all six lessons with keys alone, the same keys each time)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from testkit import builtin_lesson

from tutor.course.lesson import ROUTING_SYMPTOMS
from tutor.lab.session import LabSession


@dataclass(frozen=True)
class Edit:
    """Change the `nth` line (0: the first) that ends with `old` so it ends with `new`."""

    old: str
    new: str
    nth: int = 0

    def apply(self, text: str) -> str:
        lines = text.splitlines(keepends=True)
        at = [i for i, line in enumerate(lines) if line.rstrip("\n").endswith(self.old)][self.nth]
        line = lines[at].rstrip("\n")
        lines[at] = line[: len(line) - len(self.old)] + self.new + lines[at][len(line) :]
        return "".join(lines)


@dataclass(frozen=True)
class Walk:
    lesson: str
    step: str  # the title of the step whose "try this" is made
    step_edit: Edit
    challenge: str  # the id of the challenge fixed in the editor
    fix: Edit
    console: str = ""  # a command the challenge's `ran` goal wants run in the console


WALKS = [
    Walk(
        "one-request",
        "4. The Pod answers",
        Edit("targetPort: 8080", ""),
        "the-name-clients-use",
        Edit("name: order", "name: orders"),
    ),
    Walk(
        "deployments",
        "Scaling",
        Edit("replicas: 3", "replicas: 5"),
        "canary-too",
        Edit("track: stable", "", nth=2),
    ),
    Walk(
        "topology",
        "trafficDistribution PreferSameZone",
        Edit("trafficDistribution: PreferClose", "trafficDistribution: PreferSameZone"),
        "dns-cache-outage",
        Edit("internalTrafficPolicy: Local", "trafficDistribution: PreferSameNode"),
    ),
    Walk(
        "endpointslices",
        "Conditions, not membership",
        Edit('status: "True"', 'status: "False"', nth=2),
        "port-by-name",
        Edit("name: postgresql", "name: postgres"),
    ),
    Walk(
        "dual-stack",
        "ipFamilyPolicy",
        Edit("ipFamilyPolicy: SingleStack", "ipFamilyPolicy: PreferDualStack"),
        "one-chart-two-clusters",
        Edit("ipFamilyPolicy: SingleStack", "ipFamilyPolicy: PreferDualStack"),
    ),
    Walk(
        "troubleshooting",
        "Check 3: Does the Service have endpoints?",
        Edit("app: web", "app: Web"),
        "refused-after-cleanup",
        Edit("selector: {}", "selector: {app: api}"),
        console="kubectl describe svc api",
    ),
]


def test_the_edit_changes_only_its_line() -> None:
    text = "a: x\nb: track: stable\nc: track: stable\n"
    assert Edit("track: stable", "", nth=1).apply(text) == "a: x\nb: track: stable\nc: \n"


@pytest.mark.parametrize("walk", WALKS, ids=lambda w: w.lesson)
def test_the_steps_edit_meets_its_check(walk: Walk) -> None:
    lesson = builtin_lesson(walk.lesson)
    index = next(i for i, s in enumerate(lesson.steps) if s.title == walk.step)
    step = lesson.steps[index]
    assert step.check is not None
    start = lesson.step_manifest(index)
    lab = LabSession(
        start,
        focus_path=step.path,
        focus_doc=step.doc,
        goal=step.check,
        network=lesson.network,
        symptoms=step.routing == ROUTING_SYMPTOMS,
    )
    assert lab.analyze_now()
    assert lab.check is not None and not lab.check.met, lab.check
    lab.edit(walk.step_edit.apply(start))
    assert lab.analyze_now()
    assert lab.check is not None and lab.check.met, lab.check


@pytest.mark.parametrize("walk", WALKS, ids=lambda w: w.lesson)
def test_the_challenge_fails_as_given_and_passes_once_fixed(walk: Walk) -> None:
    lesson = builtin_lesson(walk.lesson)
    challenge = next(c for c in lesson.challenges if c.id == walk.challenge)
    lab = LabSession(
        challenge.manifest,
        network=lesson.network,
        symptoms=challenge.routing == ROUTING_SYMPTOMS,
        has_solution=True,
    )
    assert lab.analyze_now()
    given = lab.check_now(challenge.goal)
    assert not given.met, given
    lab.edit(walk.fix.apply(challenge.manifest))
    assert lab.analyze_now()
    if walk.console:  # the fix alone is not enough: the evidence was never looked at
        unseen = lab.check_now(challenge.goal)
        assert not unseen.met and f"`{walk.console}`" in unseen.detail, unseen
        lab.run_command(walk.console)
    fixed = lab.check_now(challenge.goal)
    assert fixed.met, fixed
