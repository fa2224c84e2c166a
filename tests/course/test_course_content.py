"""The built-in lessons 2-9 are correct: well-formed, every step points at a real field, and every
challenge is a real challenge (the start fails its goal, the reference solution meets it).

The goals are checked with the same core the app uses (`tutor.model.analyze`), so a change in the
model that breaks a lesson's story fails here, not in front of a learner.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tutor.course.goals import evaluate_text
from tutor.course.lesson import LessonError
from tutor.course.loader import load_lesson_file, parse_goal
from tutor.model import analyze
from tutor.model.paths import parse_path
from tutor.model.yamldoc import load_documents

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
OWNED = [f"{n:02d}" for n in range(2, 10)]
GOAL_KINDS = {"traffic", "endpoints", "valid", "invalid", "share", "dns", "all"}


def _lesson_files() -> list[Path]:
    return [p for prefix in OWNED for p in sorted(LESSONS.glob(f"{prefix}-*.yaml"))]


FILES = _lesson_files()


def test_every_lesson_is_there() -> None:
    for prefix in OWNED:
        found = sorted(LESSONS.glob(f"{prefix}-*.yaml"))
        assert len(found) == 1, f"expected one lesson file {prefix}-*.yaml, found {found}"


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


# --- goal evaluation: the evaluator the app uses ----------------------------------------------------

def _met(manifest: str, goal: dict[str, Any]) -> bool:
    return evaluate_text(parse_goal(goal), manifest).met


# --- structure -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_lesson_structure(path: Path) -> None:
    data = _load(path)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", data["id"])
    assert path.stem == f"{path.stem[:2]}-{data['id']}"
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
        assert sum(bool(c["correct"]) for c in q["choices"]) == 1, q["question"]
        assert len(q["choices"]) >= 2
        assert all(c["text"].strip() and c["explain"].strip() for c in q["choices"])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_lesson_loads(path: Path) -> None:
    lesson = load_lesson_file(path)
    assert not isinstance(lesson, LessonError), str(lesson)


def test_lesson_ids_unique() -> None:
    ids = [_load(p)["id"] for p in FILES]
    assert len(ids) == len(set(ids))


def test_troubleshooting_has_five_broken_services() -> None:
    data = _load(next(p for p in FILES if p.name.startswith("09-")))
    assert len(data["challenges"]) >= 5


# --- steps point at real fields ------------------------------------------------------------------

def _step_cases() -> list[tuple[str, int, str, str]]:
    cases = []
    for path in FILES:
        data = _load(path)
        manifest = data["manifest"]
        for i, step in enumerate(data["steps"]):
            manifest = step.get("manifest", manifest)
            cases.append((path.stem, i, step.get("path", ""), manifest))
    return cases


@pytest.mark.parametrize("stem,index,field,manifest", _step_cases(),
                         ids=lambda v: v if isinstance(v, str) and "\n" not in v else "")
def test_step_path_exists(stem: str, index: int, field: str, manifest: str) -> None:
    if not field:
        return
    docs = load_documents(manifest)
    service = next(d for d in docs if isinstance(d.data, dict) and d.data.get("kind") == "Service")
    assert parse_path(field) in service.spans, f"{stem} step {index}: no field {field}"


# --- challenges are real challenges ----------------------------------------------------------------

def _challenges() -> list[tuple[str, dict[str, Any]]]:
    return [(f"{p.stem}/{c['id']}", c) for p in FILES for c in _load(p)["challenges"]]


@pytest.mark.parametrize("name,challenge", _challenges(), ids=lambda v: v if isinstance(v, str) else "")
def test_challenge_start_fails_and_solution_meets_goal(name: str, challenge: dict[str, Any]) -> None:
    assert not _met(challenge["manifest"], challenge["goal"]), f"{name}: the start already meets the goal"
    assert _met(challenge["solution"], challenge["goal"]), f"{name}: the solution misses the goal"


@pytest.mark.parametrize("name,challenge", _challenges(), ids=lambda v: v if isinstance(v, str) else "")
def test_challenge_manifests_parse(name: str, challenge: dict[str, Any]) -> None:
    for text in (challenge["manifest"], challenge["solution"]):
        analysis = analyze(text)
        assert analysis.parsed.syntax_error is None, name
        assert analysis.parsed.rejected is None, name
    solved = analyze(challenge["solution"])
    assert solved.valid, f"{name}: the solution is rejected"
    assert solved.cluster.services, f"{name}: the solution has no Service"


def _step_checks() -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for path in FILES:
        data = _load(path)
        manifest = data["manifest"]
        for i, step in enumerate(data["steps"]):
            manifest = step.get("manifest", manifest)
            if "check" in step:
                out.append((f"{path.stem}/step{i}", manifest, step["check"]))
    return out


@pytest.mark.parametrize("name,manifest,check", _step_checks(),
                         ids=lambda v: v if isinstance(v, str) and "\n" not in v else "")
def test_step_check_not_met_before_the_learner_acts(name: str, manifest: str,
                                                    check: dict[str, Any]) -> None:
    assert not _met(manifest, check), f"{name}: the check is already met"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_lesson_manifests_are_valid(path: Path) -> None:
    data = _load(path)
    assert analyze(data["manifest"]).valid, path.stem
    for step in data["steps"]:
        if "manifest" in step:
            assert analyze(step["manifest"]).parsed.syntax_error is None, step["title"]
