"""The built-in lessons after lesson 1 (which tests/course/test_lesson_anatomy.py covers) are correct: well-formed, every step points at a real field, and every
challenge is a real challenge (the start fails its goal, the reference solution meets it).

Goals are checked with the evaluator the app uses (`tutor.course.goals`), which runs the core
(`tutor.model.analyze`), so a model change that breaks a lesson's story fails here, not in front
of a learner.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest
from testkit import builtin_lessons, load_yaml

from tutor.course import schema
from tutor.course.goals import evaluate_text
from tutor.course.lesson import LessonError
from tutor.course.lint import ran_commands
from tutor.course.loader import load_lesson_file, parse_goal
from tutor.model import analyze
from tutor.model.network import ClusterNetwork
from tutor.model.paths import parse_path
from tutor.model.yamldoc import load_documents

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
# The course in order: (file-name prefix, lesson id). Ids are what progress is keyed by, so a
# lesson keeps its id when it moves; lesson 1 was split and kept `anatomy` for its first half.
COURSE = [
    ("01", "anatomy"),
    ("02", "one-request"),
    ("03", "deployments"),
    ("04", "labels-selectors"),
    ("05", "ports"),
    ("06", "multi-port"),
    ("07", "kube-proxy"),
    ("08", "health"),
    ("09", "service-types"),
    ("10", "topology"),
    ("11", "service-names"),
    ("12", "endpointslices"),
    ("13", "dual-stack"),
    ("14", "troubleshooting"),
]
GOAL_KINDS = set(schema.GOAL_KINDS)
FILES = [p for prefix, _ in COURSE[1:] for p in sorted(LESSONS.glob(f"{prefix}-*.yaml"))]


@functools.cache
def _load(path: Path) -> dict[str, Any]:
    """A lesson file's data, read once (every goal test asks for its lesson's cluster); the
    tests only read it."""
    data = load_yaml(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def _network(name: str) -> ClusterNetwork | None:
    """The cluster of the lesson `name` starts with (`NN-id/...`): its `cluster.ip_families`."""
    families = _load(LESSONS / f"{name.split('/')[0]}.yaml").get("cluster", {}).get("ip_families")
    return ClusterNetwork(tuple(families)) if families else None


def _met(manifest: str, goal: dict[str, Any], start: str = "", name: str = "") -> bool:
    """`start`: the manifest an `unchanged` goal compares with (the challenge's start); `name`
    the lesson's test id, for its cluster. The goal's `ran` commands count as run, so it is
    the manifest that is judged (as lint does)."""
    goal_ = parse_goal(goal, start=start)
    network = _network(name) if name else None
    return evaluate_text(goal_, manifest, ran_commands(goal_), network=network).met


def _label(value: object) -> str:
    """Readable test ids: names stay, manifests and mappings become ''."""
    return value if isinstance(value, str) and "\n" not in value else ""


def _steps() -> list[tuple[str, dict[str, Any], str]]:
    """(lesson/step index, step, the manifest the step starts from)."""
    out = []
    for path in FILES:
        data = _load(path)
        manifest = data["manifest"]
        for i, step in enumerate(data["steps"]):
            manifest = step.get("manifest", manifest)
            out.append((f"{path.stem}/step{i}", step, manifest))
    return out


def _challenges() -> list[tuple[str, dict[str, Any]]]:
    return [(f"{p.stem}/{c['id']}", c) for p in FILES for c in _load(p)["challenges"]]


# --- structure -----------------------------------------------------------------------------------


def test_every_lesson_is_there() -> None:
    assert sorted(p.stem for p in LESSONS.glob("*.yaml")) == [f"{n}-{i}" for n, i in COURSE]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_lesson_structure(path: Path) -> None:
    data = _load(path)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", data["id"])
    assert path.stem == f"{path.stem[:2]}-{data['id']}"
    assert data["order"] == int(path.stem[:2])
    for key in ("title", "summary", "manifest"):
        assert isinstance(data[key], str) and data[key].strip(), key
    assert isinstance(data["minutes"], int) and data["minutes"] > 0
    assert len(data["steps"]) >= 5
    for step in data["steps"]:
        assert step["title"].strip() and step["text"].strip()
    assert len(data["challenges"]) >= 2
    ids = [c["id"] for c in data["challenges"]]
    assert len(ids) == len(set(ids)), "challenge ids must be unique"
    for ch in data["challenges"]:
        assert 2 <= len(ch["hints"]) <= 3, ch["id"]
        assert ch["text"].strip() and ch["solution"].strip() and ch["manifest"].strip()
        assert sum(k in GOAL_KINDS for k in ch["goal"]) == 1, ch["id"]
    assert len(data["quiz"]) >= 3
    for q in data["quiz"]:
        assert len(q["choices"]) >= 2
        assert sum(bool(c["correct"]) for c in q["choices"]) == 1, q["question"]
        assert all(c["text"].strip() and c["explain"].strip() for c in q["choices"])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_lesson_loads(path: Path) -> None:
    lesson = load_lesson_file(path)
    assert not isinstance(lesson, LessonError), str(lesson)
    assert len(lesson.challenges) == len(_load(path)["challenges"])


def test_lesson_ids_unique() -> None:
    ids = [_load(p)["id"] for p in FILES]
    assert len(ids) == len(set(ids))


def test_troubleshooting_has_five_broken_services() -> None:
    data = _load(next(p for p in FILES if p.stem.endswith("-troubleshooting")))
    assert len(data["challenges"]) >= 5
    # the learner finds the cause with the console: the routing view does not print it
    assert all(c.get("routing") == "symptoms" for c in data["challenges"])


# --- steps ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name,step,manifest", _steps(), ids=_label)
def test_step_path_exists(name: str, step: dict[str, Any], manifest: str) -> None:
    field = step.get("path", "")
    if not field:
        return
    docs = [d for d in load_documents(manifest) if isinstance(d.data, dict)]
    kind, _, obj = str(step.get("doc", "Service/")).partition("/")
    doc = next(
        d
        for d in docs
        if d.data.get("kind") == kind
        and (not obj or (d.data.get("metadata") or {}).get("name") == obj.rsplit("/", 1)[-1])
    )
    assert parse_path(field) in doc.spans, f"{name}: no field {field}"


def _new_manifests() -> list[tuple[str, dict[str, Any], str]]:
    """The steps of `_steps` whose manifest is not the one of the step before in its lesson."""
    out, before = [], ("", "")
    for name, step, manifest in _steps():
        key = (name.split("/")[0], manifest)
        if key != before:
            out.append((name, step, manifest))
        before = key
    return out


@pytest.mark.parametrize("name,step,manifest", _new_manifests(), ids=_label)
def test_step_manifest_is_accepted(name: str, step: dict[str, Any], manifest: str) -> None:
    """On the lesson's own cluster (`cluster: ip_families`: an IPv6-first Service is refused
    on the default single-stack IPv4 cluster, as a real API server refuses it). Each step
    that starts from a manifest other than the step before's: a step without one of its own
    keeps that manifest, and it was analyzed again on the same cluster."""
    assert analyze(manifest, network=_network(name)).valid, name


@pytest.mark.parametrize("name,step,manifest", [s for s in _steps() if "check" in s[1]], ids=_label)
def test_step_check_not_met_before_the_learner_acts(
    name: str, step: dict[str, Any], manifest: str
) -> None:
    assert step.get("try"), f"{name}: a check needs a `try` that tells the learner what to do"
    assert not _met(manifest, step["check"], name=name), f"{name}: the check is already met"


# --- challenges ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name,challenge", _challenges(), ids=_label)
def test_challenge_start_fails_and_solution_meets_goal(
    name: str, challenge: dict[str, Any]
) -> None:
    goal, start = challenge["goal"], challenge["manifest"]
    assert not _met(start, goal, start, name), f"{name}: the start already meets the goal"
    assert _met(challenge["solution"], goal, start, name), f"{name}: the solution misses the goal"
    for wrong in challenge.get("wrong_solutions") or []:
        assert not _met(wrong["manifest"], goal, start, name), f"{name}: accepts {wrong['why']}"


@pytest.mark.parametrize("name,challenge", _challenges(), ids=_label)
def test_challenge_manifests_parse(name: str, challenge: dict[str, Any]) -> None:
    for text in (challenge["manifest"], challenge["solution"]):
        analysis = analyze(text, network=_network(name))
        assert analysis.parsed.syntax_error is None, name
        assert analysis.parsed.rejected is None, name
    solved = analyze(challenge["solution"], network=_network(name))
    assert solved.valid, f"{name}: the solution is rejected"
    assert solved.cluster.services, f"{name}: the solution has no Service"


def _suggested_commands() -> list[tuple[str, str, str]]:
    """(lesson/where, command, the manifest it runs against) for every `commands:` entry."""
    out = []
    for lesson in builtin_lessons():
        assert lesson.source is not None
        path = lesson.source
        for i, step in enumerate(lesson.steps):
            out += [
                (f"{path.stem}/{step.title}", c, lesson.step_manifest(i)) for c in step.commands
            ]
        for ch in lesson.challenges:
            out += [(f"{path.stem}/{ch.id}", c, ch.manifest) for c in ch.commands]
    return out


def test_lessons_suggest_commands() -> None:
    """The lessons that teach the kubectl workflow and debugging suggest console commands."""
    where = {name.split("/")[0] for name, _, _ in _suggested_commands()}
    assert {"03-deployments", "14-troubleshooting", "12-endpointslices"} <= where


@pytest.mark.parametrize("name,command,manifest", _suggested_commands(), ids=_label)
def test_suggested_command_runs_in_the_console(name: str, command: str, manifest: str) -> None:
    """A command a lesson suggests is one the console knows, with flags it knows: the tools'
    own failures (curl's 7, nslookup's NXDOMAIN) are the lesson's point, "unknown" is a typo."""
    from tutor.lab.console import Console

    out = Console().run(command, analyze(manifest, network=_network(name)))
    assert out.code != 127, f"{name}: {command}: {out.text.strip()}"
    first = (out.text.splitlines() or [""])[0]  # `dig +short` with no record prints nothing
    assert "unknown" not in first.lower(), f"{name}: {command}: {out.text}"


def test_the_views_a_lesson_names_are_on_the_screen() -> None:
    """Lesson 2 said "look up `shop` in the DNS view" and "(The DNS view lists them.)": the
    screen has a routing view, and the DNS records are a tab of Behind the scenes (F5)."""
    named = {
        match.lower()
        for path in sorted(LESSONS.glob("*.yaml"))
        for match in re.findall(r"\bthe ([a-z-]+) view\b", path.read_text(), flags=re.I)
    }
    assert named <= {"routing", "traffic"}, named
