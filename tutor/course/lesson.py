"""Lessons as data: the typed form of a lesson file, shared by the loader, the linter and the app.

A lesson never holds code. Its checks and challenge goals are *data about the model's result*
(which Pods get traffic on a port, whether the manifest is valid at a path, a traffic share, a DNS
name), evaluated by `tutor.course.goals` with the same core the app uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.model.network import ClusterNetwork

COMMANDS_LABEL = "Try in the console"
"""How a step's or challenge's `commands:` are introduced, on screen and in handouts."""

ROUTING_FULL = "full"
ROUTING_SYMPTOMS = "symptoms"
"""A step's or challenge's `routing:`. `symptoms` shows only what a user of a real cluster sees
without investigating (the client, the Service's name and port, what a request they send gets),
so the learner gathers the evidence in the console; the full routing view (which Pods get
traffic and why not) opens when the goal is met, the solution is shown, or the learner asks."""
ROUTING_MODES = (ROUTING_FULL, ROUTING_SYMPTOMS)


@dataclass(frozen=True, slots=True)
class Goal:
    """A condition on the analysis of a manifest. `kind` picks the check; the rest are its data.

    Kinds (see docs/lessons.md and tutor/course/goals.py):
      - `traffic`: `service`, `port`, and `pods` (exact set of Pod names that receive traffic)
        or `pods_include` / `pods_exclude` / `count`; optional `from_node`, `target_port`.
      - `valid`: the manifest is accepted by the API server.
      - `invalid`: the manifest is rejected with an error at `path` (optional `message_contains`).
      - `share`: `service`, `port`, `pod`, `min` / `max` share of `requests` simulated requests.
      - `dns`: `name` resolves (optional `type` A/SRV/CNAME and `answers_include`).
      - `endpoints`: `service`, `port`, `pods` (exact set in the EndpointSlices).
      - `field`: `object` (`Kind/name` or `Kind/namespace/name`), `path`, and `equals` (the value
        as written) or `present` (true/false).
      - `unchanged`: `kinds`: objects of those kinds are as in the start manifest, which the
        loader puts in `start` (a challenge's manifest, or a step's).
      - `ran`: `command`: the learner ran a command starting with it (the console).
      - `traffic` also takes `entry` (ClusterIP, NodePort, LoadBalancer) and `answered`
        (every chosen Pod listens on the port it is sent to).
      - `all`: every goal in `data["goals"]` (a tuple of Goal).
    """

    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Step:
    title: str
    path: str
    """The field path this step explains, e.g. `spec.ports[0].targetPort` ("" for none)."""
    text: str
    """Markdown."""
    try_this: str = ""
    check: Goal | None = None
    manifest: str | None = None
    """A manifest for this step; None means the lesson's (or the previous step's) manifest."""
    line: int = 0
    doc: str = ""
    """`Kind/name` of the manifest document `path` refers to, e.g. `Pod/my-app-1`. Empty means
    the first Service in the step's manifest (or the first document when there is none)."""
    commands: tuple[str, ...] = ()
    """Commands to try in the console, e.g. `kubectl get svc`."""
    expect: Goal | None = None
    """What the step's text says its starting manifest shows (which Pods answer on a port, a
    DNS answer): `ktutor lint` proves it holds, so the text cannot drift from the screen."""
    routing: str = ROUTING_FULL
    """`full`, or `symptoms` until the step's check is met (ROUTING_SYMPTOMS)."""


@dataclass(frozen=True, slots=True)
class WrongSolution:
    """A plausible fix that is wrong: `ktutor lint` proves the goal refuses it."""

    why: str
    manifest: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Challenge:
    id: str
    title: str
    text: str
    manifest: str
    goal: Goal
    hints: tuple[str, ...]
    solution: str
    line: int = 0
    wrong_solutions: tuple[WrongSolution, ...] = ()
    commands: tuple[str, ...] = ()
    """Commands to try in the console."""
    routing: str = ROUTING_FULL
    """`full`, or `symptoms` until the goal is met (ROUTING_SYMPTOMS)."""


@dataclass(frozen=True, slots=True)
class Choice:
    text: str
    correct: bool
    explain: str


@dataclass(frozen=True, slots=True)
class Question:
    question: str
    choices: tuple[Choice, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str
    title: str
    summary: str
    minutes: int
    manifest: str
    steps: tuple[Step, ...]
    challenges: tuple[Challenge, ...] = ()
    quiz: tuple[Question, ...] = ()
    order: int = 0
    source: Path | None = None
    pack: str = "built-in"
    ip_families: tuple[str, ...] = ("IPv4",)
    """`cluster.ip_families`: the cluster's IP families (default single-stack IPv4, as kind)."""

    @property
    def network(self) -> ClusterNetwork:
        """The lesson's simulated cluster, as every step, challenge, lint check and handout
        analyzes it."""
        return ClusterNetwork(self.ip_families)

    def step_manifest(self, index: int) -> str:
        """The starting manifest of step `index`: the nearest step at or before it that sets
        one, else the lesson's."""
        for step in reversed(self.steps[: index + 1]):
            if step.manifest is not None:
                return step.manifest
        return self.manifest


@dataclass(frozen=True, slots=True)
class LessonError:
    """A problem at a line of a lesson file: a file that could not be loaded (listed in the app
    with this message) or a `ktutor lint` finding."""

    file: Path
    line: int
    message: str
    lesson_id: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(slots=True)
class LessonSet:
    """Every lesson that loaded (sorted by pack, then order) and every file that did not."""

    lessons: list[Lesson] = field(default_factory=list)
    errors: list[LessonError] = field(default_factory=list)

    def get(self, lesson_id: str) -> Lesson | None:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        return None

    @property
    def ids(self) -> list[str]:
        return [lesson.id for lesson in self.lessons]

    def not_found(self, ref: str) -> str:
        """Why there is no lesson `ref`, in one line: the lessons there are, and the file of
        `ref` when it is one that did not load (by its id, or its name `[NN-]ref.yaml`)."""
        known = ", ".join(self.ids) or "none"
        message = f"no lesson {ref!r}; lessons: {known}"
        for error in self.errors:
            number, _, rest = error.file.stem.partition("-")
            named = error.file.stem == ref or (number.isdigit() and rest == ref)
            if named or error.lesson_id == ref:
                return f"{message}; {error.file.name} did not load: {error}"
        if self.errors:
            count = len({e.file for e in self.errors})
            files = "file did" if count == 1 else "files did"
            message += f" ({count} lesson {files} not load: `ktutor lint` on their folder says why)"
        return message
