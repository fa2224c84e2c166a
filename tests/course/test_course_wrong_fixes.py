"""Challenges that refuse wrong fixes: the wrong fixes learners found (issue #10) against copies
of the challenges they met (tests/course/data/issue10-challenges.yaml), each put back into its
built-in lesson in place of today's version.

Each case is a challenge, a wrong fix that its old goal accepted, and a goal made with the new
goal kinds (`field`, `unchanged`, `traffic.entry`). `ktutor lint` must:
- with the old goal and the wrong fix listed under `wrong_solutions:`, fail and name the challenge
  (the mechanism catches a goal that accepts a wrong fix);
- with the new goal, fail when the wrong fix is the solution, and pass with the real solution and
  the wrong fix listed as a wrong solution.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from testkit import dump_yaml, load_yaml

from tutor import resources
from tutor.course.lint import lint_file


def _file(lesson_id: str) -> str:
    """The built-in file of a lesson (`NN-<id>.yaml`: lessons move, ids stay)."""
    return next(resources.lessons_dir().glob(f"[0-9][0-9]-{lesson_id}.yaml")).name


ISSUE_10 = Path(__file__).with_name("data") / "issue10-challenges.yaml"


def _lesson(file: str) -> dict[str, Any]:
    """The built-in lesson, with the issue's challenges as the learners met them."""
    data: dict[str, Any] = load_yaml((resources.lessons_dir() / file).read_text())
    then: dict[str, Any] = load_yaml(ISSUE_10.read_text())
    data["challenges"] = [
        then[c["id"]]["challenge"] if c["id"] in then else c for c in data["challenges"]
    ]
    if not any(c["id"] in then for c in data["challenges"]):
        lesson_id = data["id"]
        data["challenges"] += [v["challenge"] for v in then.values() if v["lesson"] == lesson_id]
    return data


def _pods_unready_to_ready(text: str) -> str:
    return text.replace('status: "False"', 'status: "True"')


def _drop_node_port_type(text: str) -> str:
    return text.replace("  type: NodePort\n", "").replace("    nodePort: 30080\n", "")


def _affinity_without_timeout(text: str) -> str:
    return re.sub(
        r"  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 3600\n", "", text
    )


def _relabel_pods(text: str) -> str:
    return text.replace("app: my-app\n", "app: myapp\n")


# (file, challenge id, the wrong fix made from (start, solution), the new goal)
CASES: list[tuple[str, str, Callable[[str, str], str], dict[str, Any]]] = [
    (
        _file("service-types"),
        "node-port-80",
        lambda start, solution: _drop_node_port_type(solution),
        {
            "traffic": {
                "service": "web",
                "port": "80",
                "pods": ["web-1", "web-2"],
                "entry": "NodePort",
            }
        },
    ),
    (
        _file("kube-proxy"),
        "sticky-login",
        lambda start, solution: _affinity_without_timeout(solution),
        {
            "all": [
                {"share": {"service": "portal", "port": "80", "pod": "portal-c", "min": 1.0}},
                {
                    "field": {
                        "object": "Service/portal",
                        "path": "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                        "equals": 3600,
                    }
                },
            ]
        },
    ),
    (
        _file("health"),
        "peer-discovery",
        lambda start, solution: _pods_unready_to_ready(start),
        {
            "all": [
                {
                    "dns": {
                        "name": "etcd.default.svc.cluster.local",
                        "type": "A",
                        "answers_include": ["10.244.1.60", "10.244.2.61"],
                    }
                },
                {"unchanged": {"kinds": ["Pod"]}},
            ]
        },
    ),
    (
        _file("anatomy"),
        "fix-the-selector",
        lambda start, solution: _relabel_pods(start),
        {
            "all": [
                {
                    "traffic": {
                        "service": "my-service",
                        "port": "80",
                        "pods": ["my-app-1", "my-app-2"],
                    }
                },
                {"unchanged": {"kinds": ["Pod"]}},
            ]
        },
    ),
]
IDS = [c[1] for c in CASES]


def _lint(tmp_path: Path, file: str, data: dict[str, Any]) -> list[str]:
    path = tmp_path / file
    path.write_text(dump_yaml(data, sort_keys=False), encoding="utf-8")
    _lesson_found, issues = lint_file(path)
    return [i.message for i in issues]


def _old_goal(goal: dict[str, Any]) -> dict[str, Any]:
    """The goal as it was before the lessons used the new kinds (issue #10): the built-in lessons
    now refuse these wrong fixes, so drop `field`, `unchanged` and `traffic.entry` again."""
    new_kinds = ("field", "unchanged", "ran")
    parts = [g for g in goal.get("all", [goal]) if not any(k in g for k in new_kinds)]
    parts = [
        {k: ({f: x for f, x in v.items() if f != "entry"} if k == "traffic" else v)}
        for g in parts
        for k, v in g.items()
        if k != "description"
    ]
    return parts[0] if len(parts) == 1 else {"all": parts}


def _challenge(data: dict[str, Any], challenge_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in data["challenges"] if c["id"] == challenge_id)
    return found


@pytest.mark.parametrize(("file", "challenge_id", "wrong_fix", "goal"), CASES, ids=IDS)
def test_the_old_goal_accepts_the_wrong_fix_and_lint_says_so(
    tmp_path: Path,
    file: str,
    challenge_id: str,
    wrong_fix: Callable[[str, str], str],
    goal: dict[str, Any],
) -> None:
    data = _lesson(file)
    ch = _challenge(data, challenge_id)
    old_goal = ch["goal"]
    ch["goal"] = _old_goal(old_goal)
    ch["wrong_solutions"] = [
        {
            "why": "the wrong fix a learner found",
            "manifest": wrong_fix(ch["manifest"], ch["solution"]),
        }
    ]
    issues = _lint(tmp_path, file, data)
    said = [
        m for m in issues if f"challenge `{challenge_id}`'s wrong solution 1 meets the goal" in m
    ]
    assert said, issues
    assert "the wrong fix a learner found" in said[0]


@pytest.mark.parametrize(("file", "challenge_id", "wrong_fix", "goal"), CASES, ids=IDS)
def test_the_new_goal_refuses_the_wrong_fix(
    tmp_path: Path,
    file: str,
    challenge_id: str,
    wrong_fix: Callable[[str, str], str],
    goal: dict[str, Any],
) -> None:
    data = _lesson(file)
    ch = _challenge(data, challenge_id)
    wrong = wrong_fix(ch["manifest"], ch["solution"])
    assert wrong not in (ch["manifest"], ch["solution"]), "the wrong fix changes something"
    ch["goal"] = goal
    ch["wrong_solutions"] = [{"why": "the wrong fix a learner found", "manifest": wrong}]
    assert _lint(tmp_path, file, data) == []

    ch["solution"] = wrong
    issues = _lint(tmp_path, file, data)
    assert any(
        f"challenge `{challenge_id}`'s solution does not meet its goal" in m for m in issues
    ), issues


@pytest.mark.parametrize(
    ("goal", "words"),
    [
        pytest.param(
            {"traffic": {"service": "web", "port": "80", "pods": ["web-1", "web-2"]}},
            ["names Service `web`, which the solution does not have"],
            id="no-such-service",
        ),
        pytest.param(
            {"traffic": {"service": "my-service", "port": "8080", "count": 2}},
            ["names port `8080` of Service `my-service`", "its ports: 80/TCP"],
            id="no-such-port",
        ),
        pytest.param(
            {"field": {"object": "Service/web", "path": "spec.type", "equals": "NodePort"}},
            ["names `Service/web`, which is not in the solution"],
            id="no-such-object",
        ),
    ],
)
def test_lint_rejects_a_goal_naming_what_the_solution_lacks(
    tmp_path: Path, goal: dict[str, Any], words: list[str]
) -> None:
    data = _lesson(_file("anatomy"))
    ch = _challenge(data, "fix-the-selector")
    ch["goal"] = goal
    issues = [m for m in _lint(tmp_path, _file("anatomy"), data) if "goal names" in m]
    assert issues, "lint names the missing Service, port or object"
    for w in words:
        assert w in issues[0], issues
    assert issues[0].startswith("challenge `fix-the-selector`'s goal")


def test_a_ran_goal_is_met_in_lint_by_running_its_command(tmp_path: Path) -> None:
    """The start fails a `ran` goal (nothing was run); the solution and wrong solutions are
    checked with the command run, so it is their manifests that pass or fail."""
    data = _lesson(_file("anatomy"))
    ch = _challenge(data, "fix-the-selector")
    ch["goal"] = {"all": [ch["goal"], {"ran": {"command": "kubectl describe svc"}}]}
    ch["commands"] = ["kubectl describe svc my-service"]
    assert _lint(tmp_path, _file("anatomy"), data) == []


def test_a_start_that_already_has_the_fix_fails_lint_even_with_a_ran_goal(
    tmp_path: Path,
) -> None:
    """The start is checked with the `ran` commands taken as run: a start whose manifest
    already meets the rest of the goal is reported (an unrun command must not hide it)."""
    data = _lesson(_file("anatomy"))
    ch = _challenge(data, "fix-the-selector")
    ch["goal"] = {"all": [ch["goal"], {"ran": {"command": "kubectl describe svc"}}]}
    ch["manifest"] = ch["solution"]
    issues = _lint(tmp_path, _file("anatomy"), data)
    assert any("starting manifest already meets its goal" in m for m in issues), issues


def test_a_goal_of_commands_alone_is_unmet_at_the_start(tmp_path: Path) -> None:
    data = _lesson(_file("anatomy"))
    ch = _challenge(data, "fix-the-selector")
    ch["goal"] = {"ran": {"command": "kubectl get endpointslices"}}
    ch.pop("wrong_solutions", None)
    assert _lint(tmp_path, _file("anatomy"), data) == []


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("kubectl frob svc", "`kubectl frob` is not a kubectl verb"),
        ("kubectl apply -f web.yaml", "`kubectl apply` is not simulated by the console"),
        ("kubectl describe servis", 'resource type "servis"'),
        ("ls -l", "`ls` is not a command the console runs"),
        ("env | sort", "only pipes into `grep`"),
        ("curl 'http://web", "a quote is not closed"),
    ],
)
def test_lint_refuses_commands_the_console_would_not_run(
    tmp_path: Path, command: str, words: str
) -> None:
    data = _lesson(_file("anatomy"))
    ch = _challenge(data, "fix-the-selector")
    ch["goal"] = {"all": [ch["goal"], {"ran": {"command": command}}]}
    issues = _lint(tmp_path, _file("anatomy"), data)
    assert any(f"the console would not run `{command}`" in m and words in m for m in issues), issues
    del ch["goal"]["all"][1]
    ch["commands"] = ["kubectl get svc", command]
    data["steps"][0]["commands"] = [command]
    issues = _lint(tmp_path, _file("anatomy"), data)
    assert len([m for m in issues if f"the console would not run `{command}`" in m]) == 2, issues
