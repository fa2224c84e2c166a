"""What a step's text says its manifest shows is declared (`expect:`) and proved by the model.

Issue #13: the multi-port lesson said both Pods answer on port 80 while they declared only
containerPort 9100, so the routing view showed "refused by the Pod" under that text. Now every
step that starts from a new manifest states, for each Service port, what its text claims (which
Pods get traffic and answer, a DNS answer), and `ktutor lint` evaluates the claim with the
model the screen uses: text and screen cannot drift apart unnoticed.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from testkit import builtin_lessons, dump_yaml, load_yaml

from tutor import resources
from tutor.course.lesson import Goal, Lesson
from tutor.course.lint import lint_file
from tutor.model.analysis import analyze
from tutor.model.network import ClusterNetwork
from tutor.model.objects import EXTERNAL_NAME
from tutor.model.proxy import Client
from tutor.model.report import Outcome, request_to

LESSONS = sorted(resources.lessons_dir().glob("[0-9][0-9]-*.yaml"))

# The multi-port lesson's Pods before the fix: they declare only the metrics port.
ONLY_METRICS = """\
apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  selector:
    app: app
  ports:
  - name: http
    port: 80
    targetPort: 8080
  - name: metrics
    port: 9100
    targetPort: metrics
---
apiVersion: v1
kind: Pod
metadata:
  name: app-1
  labels:
    app: app
spec:
  containers:
  - name: app
    image: registry.example/app:5.0
    ports:
    - name: metrics
      containerPort: 9100
"""

EXPECT_ANSWERED = {
    "traffic": {"service": "app", "port": "http", "pods": ["app-1"], "answered": True},
    "description": "app-1 answers on port 80.",
}


def _pack_lesson(tmp_path: Path, manifest: str, expect: dict[str, object]) -> Path:
    """A built-in lesson with its first step's manifest and `expect` replaced."""
    data = load_yaml((resources.lessons_dir() / "06-multi-port.yaml").read_text())
    data["steps"][0]["manifest"] = manifest
    data["steps"][0]["expect"] = expect
    path = tmp_path / "pack" / "06-multi-port.yaml"
    path.parent.mkdir()
    path.write_text(dump_yaml(data, sort_keys=False))  # libyaml: a tenth of the CPU
    return path


def test_lint_refuses_a_step_whose_text_the_screen_contradicts(tmp_path: Path) -> None:
    _lesson, issues = lint_file(_pack_lesson(tmp_path, ONLY_METRICS, EXPECT_ANSWERED))
    found = [i for i in issues if "step 1's text expects" in i.message]
    assert len(found) == 1, "\n".join(str(i) for i in issues)
    assert "refused by the Pod" in found[0].message
    assert "nothing listens on port 8080" in found[0].message


def test_lint_accepts_an_expect_the_screen_shows(tmp_path: Path) -> None:
    fixed = ONLY_METRICS.replace(
        "    - name: metrics\n",
        "    - name: http\n      containerPort: 8080\n    - name: metrics\n",
    )
    _lesson, issues = lint_file(_pack_lesson(tmp_path, fixed, EXPECT_ANSWERED))
    assert not [i for i in issues if "expects" in i.message], "\n".join(map(str, issues))


def test_an_expect_with_two_goals_needs_all(tmp_path: Path) -> None:
    expect = {
        "traffic": {"service": "app", "port": "http", "pods": ["app-1"]},
        "dns": {"name": "app", "type": "A"},
    }
    _lesson, issues = lint_file(_pack_lesson(tmp_path, ONLY_METRICS, expect))
    assert any("2 goals" in i.message and "expect" in i.message for i in issues)


# --- the built-in course -------------------------------------------------------------------------


def _lessons() -> tuple[Lesson, ...]:
    return builtin_lessons()


def _goals(goal: Goal | None) -> list[Goal]:
    if goal is None:
        return []
    if goal.kind == "all":
        return [g for sub in goal.data["goals"] for g in _goals(sub)]
    return [goal]


def _starts() -> list[tuple[str, Lesson, int]]:
    """(lesson/step, lesson, index) of every step that starts from a manifest of its own."""
    return [
        (f"{lesson.id}/step{i + 1}", lesson, i)
        for lesson in _lessons()
        for i, step in enumerate(lesson.steps)
        if i == 0 or step.manifest is not None
    ]


def _every_step() -> list[tuple[str, Lesson, int]]:
    return [
        (f"{lesson.id}/step{i + 1}", lesson, i)
        for lesson in _lessons()
        for i in range(len(lesson.steps))
    ]


@pytest.mark.parametrize(
    "name,lesson,index", _starts(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_each_new_manifest_says_what_every_service_port_does(
    name: str, lesson: Lesson, index: int
) -> None:
    """A step that brings a new manifest declares, for every port of every Service in it (an
    ExternalName Service: its name), what its text says happens there."""
    step = lesson.steps[index]
    analysis = analyze(lesson.step_manifest(index), network=ClusterNetwork(lesson.ip_families))
    goals = _goals(step.expect)
    named: set[tuple[str, str]] = set()
    names: set[str] = set()
    for goal in goals:
        if goal.kind in ("traffic", "endpoints", "share"):
            sr = analysis.service(str(goal.data["service"]))
            pr = sr.port(str(goal.data["port"])) if sr is not None else None
            if sr is not None and pr is not None:
                named.add((sr.service.ref, pr.port.label))
        elif goal.kind == "dns":
            names.add(str(goal.data["name"]).split(".")[0])
    for sr in analysis.services:
        if sr.service.type == EXTERNAL_NAME or not sr.ports:
            assert sr.service.name in names, f"{name}: no `expect:` for Service {sr.service.name}"
            continue
        for pr in sr.ports:
            assert (sr.service.ref, pr.port.label) in named or sr.service.name in names, (
                f"{name}: no `expect:` says what port {pr.port.label} of "
                f"Service {sr.service.name} does"
            )


@pytest.mark.parametrize(
    "name,lesson,index",
    [s for s in _every_step() if s[1].steps[s[2]].expect is not None],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_traffic_the_text_promises_is_answered(name: str, lesson: Lesson, index: int) -> None:
    """A step whose text says Pods get traffic also says they answer (`answered: true`), so a
    Pod that would refuse (nothing listens on the target port) is caught by lint; a step
    that teaches the refusal says "refus" in its text instead."""
    step = lesson.steps[index]
    for goal in _goals(step.expect):
        if goal.kind != "traffic":
            continue
        data = goal.data
        some = bool(data.get("pods") or data.get("pods_include") or data.get("count"))
        if some and "refus" not in step.text:
            assert data.get("answered") is True, f"{name}: {goal.description or data}"


# What the routing view shows -> words the text must use for it (a learner's words for it).
SAID = {
    Outcome.REFUSED_BY_POD: ("refus",),
    Outcome.TIMED_OUT: ("time out", "timeout", "timed out", "drop", "hang"),
}


def _failures(lesson: Lesson, manifest: str) -> dict[Outcome, str]:
    """Each failure in SAID that a request to some Service port shows, from a client on any
    node of the manifest (seeded, several per port), with one summary."""
    return _failures_on(lesson.ip_families, manifest)


@functools.cache
def _failures_on(families: tuple[str, ...], manifest: str) -> dict[Outcome, str]:
    """`_failures`, worked out once per manifest and cluster in a process: most steps keep the
    manifest of the step before, whose text the same requests are checked against."""
    analysis = analyze(manifest, network=ClusterNetwork(families))
    found: dict[Outcome, str] = {}
    for sr in analysis.services:
        for pr in sr.ports:
            for node in analysis.cluster.nodes or [""]:
                for seed in range(max(4, len(pr.used) * 4)):
                    client = Client("client", "10.244.0.100", node)
                    outcome = request_to(analysis, sr, pr, client, seed, rules=False)
                    if outcome.kind in SAID:
                        found.setdefault(outcome.kind, outcome.summary)
    return found


@pytest.mark.parametrize(
    "name,lesson,index", _every_step(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_a_refusal_on_screen_is_in_the_text(name: str, lesson: Lesson, index: int) -> None:
    """For EVERY step (also those that keep the previous manifest): when the routing view would
    show a Pod refusing a Service port's requests, or a client's requests dropped, the step's
    text says so."""
    text = lesson.steps[index].text.lower()
    for kind, summary in _failures(lesson, lesson.step_manifest(index)).items():
        assert any(word in text for word in SAID[kind]), f"{name}: {summary}"


def _challenges() -> list[tuple[str, Lesson, int]]:
    return [
        (f"{lesson.id}/{ch.id}", lesson, i)
        for lesson in _lessons()
        for i, ch in enumerate(lesson.challenges)
    ]


@pytest.mark.parametrize(
    "name,lesson,index", _challenges(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_a_challenges_symptom_is_what_the_screen_shows(
    name: str, lesson: Lesson, index: int
) -> None:
    """A challenge's start that the routing view shows refused by a Pod or timing out says so
    in its symptom."""
    challenge = lesson.challenges[index]
    text = challenge.text.lower()
    for kind, summary in _failures(lesson, challenge.manifest).items():
        assert any(word in text for word in SAID[kind]), f"{name}: {summary}"


@pytest.mark.parametrize(
    "families,met,words",
    [
        ((), False, "with A records, not AAAA"),
        (("IPv4", "IPv6"), True, "AAAA: fd00:10:96::"),
    ],
)
def test_a_dns_goal_asks_for_aaaa(families: tuple[str, ...], met: bool, words: str) -> None:
    """`type: AAAA` (the dual-stack lesson's step and challenge): a PreferDualStack Service
    has an AAAA record only on a cluster with IPv6."""
    from tutor.course.goals import evaluate_text
    from tutor.course.loader import parse_goal

    text = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
        "spec: {ipFamilyPolicy: PreferDualStack, selector: {app: web}, ports: [{port: 80}]}\n"
    )
    goal = parse_goal({"dns": {"name": "web", "type": "AAAA"}})
    network = ClusterNetwork(families) if families else None
    result = evaluate_text(goal, text, network=network)
    assert result.met is met
    assert words in result.detail
