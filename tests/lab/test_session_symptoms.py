"""`routing: symptoms` in the lab session: the snapshot hides the diagnosis (which Pods get
traffic, why not, a request's path, a failed check's why) until the goal is met, the solution
is shown or the learner asks, and a request shows only what curl prints."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sample_manifests import MANIFEST

from tutor.course.lesson import Goal
from tutor.lab.actions import ACTIONS, PICK_A_POD, SYMPTOMS_ONLY, apply
from tutor.lab.session import NOT_YET_HIDDEN, REVEAL_KEY, SOLUTION_KEY, LabSession, Target

NAMED = "  - port: 80\n    targetPort: 8080\n"
BROKEN = MANIFEST.replace(NAMED, "  - port: 80\n    targetPort: http\n")
"""A named targetPort no Pod declares: kube-proxy REJECTs (connection refused)."""
FIXED = MANIFEST
REFUSED = "curl: (7) Failed to connect to web port 80 after 0 ms: Could not connect to server"
GOAL = Goal(
    "all",
    {
        "goals": (
            Goal("ran", {"command": "kubectl get endpointslices"}),
            Goal("traffic", {"service": "web", "port": "80", "count": 2}),
        )
    },
)
CAUSE = "no container port named `http`"
"""What the routing view and the goal's detail say about the cause."""


def challenge(text: str = BROKEN, routing: str = "symptoms") -> LabSession:
    lab = LabSession(text, has_solution=True)
    lab.load(text, routing=routing)
    assert lab.analyze_now()
    return lab


def run_and_fix(lab: LabSession) -> None:
    lab.run_command("kubectl get endpointslices")
    lab.edit(FIXED)
    lab.analyze_now()
    assert lab.check_now(GOAL).met


def show_solution(lab: LabSession) -> None:
    lab.load(FIXED)  # the screen's ctrl+l: the text, then the reveal
    lab.reveal("solution")
    lab.analyze_now()


def ask(lab: LabSession) -> None:
    assert lab.reveal("asked")


REVEALS: list[tuple[str, Callable[[LabSession], None], str]] = [
    ("goal met", run_and_fix, "met"),
    ("solution shown", show_solution, "solution"),
    ("reveal key", ask, "asked"),
]


def test_a_challenge_starts_with_symptoms_only() -> None:
    lab = challenge()
    snap = lab.snapshot()
    assert snap.symptoms
    assert REVEAL_KEY in snap.symptoms_note and SOLUTION_KEY in snap.symptoms_note
    assert "console (F8)" in snap.symptoms_note
    # a request shows what curl prints, not kube-proxy's REJECT and its reason
    lab.send_one(None)
    sent = lab.snapshot().sent
    assert sent is not None
    assert sent.seen == ((1, REFUSED, False),)
    assert sent.command == "curl http://web/"
    assert all("REJECT" not in line and "endpoints" not in line for _n, line, _ok in sent.seen)


@pytest.mark.parametrize("name,reveal,why", REVEALS, ids=[r[0] for r in REVEALS])
def test_the_full_view_opens(name: str, reveal: Callable[[LabSession], None], why: str) -> None:
    lab = challenge()
    assert lab.hides_diagnosis
    reveal(lab)
    snap = lab.snapshot()
    assert not snap.symptoms and snap.symptoms_note == ""
    assert lab.revealed == why
    assert not lab.reveal("asked")  # once open, it stays open
    lab.load(BROKEN)  # ctrl+r: the start again, still open
    assert not lab.snapshot().symptoms
    lab.load(BROKEN, routing="symptoms")  # another challenge: hidden again
    assert lab.snapshot().symptoms


@pytest.mark.parametrize("routing,hidden", [("full", False), ("symptoms", True)])
def test_only_symptoms_hides(routing: str, hidden: bool) -> None:
    snap = challenge(routing=routing).snapshot()
    assert snap.symptoms is hidden
    assert bool(snap.symptoms_note) is hidden


# (what was done before ctrl+s, the detail shown while hidden)
CHECKS = [
    ("nothing", [], BROKEN, "Run `kubectl get endpointslices` in the console"),
    ("only the evidence", ["kubectl get endpointslices"], BROKEN, NOT_YET_HIDDEN),
    ("only the fix", [], FIXED, "Run `kubectl get endpointslices` in the console"),
]


@pytest.mark.parametrize("name,lines,text,words", CHECKS, ids=[c[0] for c in CHECKS])
def test_a_failed_check_does_not_name_the_cause(
    name: str, lines: list[str], text: str, words: str
) -> None:
    lab = challenge()
    for line in lines:
        lab.run_command(line)
    lab.edit(text)
    lab.analyze_now()
    result = lab.check_now(GOAL)
    assert not result.met
    assert words in result.detail
    assert CAUSE not in result.detail
    assert lab.hides_diagnosis
    # with the full view the same check names the cause
    full = challenge(routing="full")
    for line in lines:
        full.run_command(line)
    full.edit(text)
    full.analyze_now()
    if lines:
        assert CAUSE in full.check_now(GOAL).detail


def test_a_step_opens_when_its_check_is_met() -> None:
    goal = Goal("traffic", {"service": "web", "port": "80", "count": 2})
    lab = LabSession(BROKEN, goal=goal)
    lab.load(BROKEN, goal=goal, routing="symptoms")
    lab.analyze_now()
    snap = lab.snapshot()
    assert snap.symptoms and SOLUTION_KEY not in snap.symptoms_note  # a step has no solution
    assert snap.check is not None and not snap.check.met
    assert snap.check.detail == NOT_YET_HIDDEN  # the check's own detail names the cause
    assert lab.check is not None and CAUSE in lab.check.detail
    lab.edit(FIXED)
    lab.analyze_now()
    assert not lab.snapshot().symptoms and lab.revealed == "met"


def test_pod_actions_say_the_view_has_no_pods_until_it_opens() -> None:
    lab = challenge()
    shown = lab.shown
    assert shown is not None
    web1 = Target(0, shown.services[0].ports[0].port.key, shown.cluster.pods[0].ref)
    for action in ACTIONS:
        if action.needs_pod:
            assert apply(lab, action.id, web1) is SYMPTOMS_ONLY
    assert apply(lab, "next_client") is not None  # the client and requests still work
    assert apply(lab, "send_one", Target(0, "80/TCP")) is None
    lab.reveal("asked")
    assert apply(lab, "toggle_ready", Target(0, "80/TCP")) is PICK_A_POD
    assert apply(lab, "toggle_ready", web1) not in (PICK_A_POD, SYMPTOMS_ONLY)


def test_a_burst_shows_what_the_clients_saw_per_reply() -> None:
    """One Pod in three listens elsewhere: the replies name the Pods that answered (agnhost
    answers with its name), the refusals are curl's line, and no Pod is named as refusing."""
    text = MANIFEST.replace(
        "  nodeName: node-2\n  containers:\n  - name: app\n    image: nginx\n---\napiVersion: v1\n"
        "kind: Pod\nmetadata:\n  name: api-1",
        "  nodeName: node-2\n  containers:\n  - name: app\n    image: nginx\n    ports:\n"
        "    - containerPort: 9090\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: api-1",
    )
    assert "containerPort: 9090" in text
    lab = challenge(text)
    lab.send_burst(None, 100)
    sent = lab.snapshot().sent
    assert sent is not None and sum(n for n, _line, _ok in sent.seen) == 100
    lines = {line: n for n, line, _ok in sent.seen}
    assert set(lines) == {"web-1", REFUSED}
    assert lines["web-1"] + lines[REFUSED] == 100 and 30 < lines[REFUSED] < 70


def test_a_fix_that_works_but_breaks_a_rule_the_goal_states_is_told_which() -> None:
    """Lesson 3's "Every release breaks the Service" (symptoms only): selecting `version:
    "2.0"` makes `curl shop` answer, and ctrl+s said only "the goal does not hold yet. Send a
    request (ctrl+t) to see what a client gets now", which then showed an answer. Once every
    other part holds, the part the goal's own words state (here "the selector no longer names
    a version") says why; while the traffic still fails, the cause stays hidden."""
    from testkit import builtin_lesson

    chosen = builtin_lesson("deployments").challenges[2]
    assert chosen.routing == "symptoms"
    lab = LabSession(chosen.manifest, has_solution=True)
    lab.load(chosen.manifest, routing="symptoms")
    assert lab.analyze_now()
    broken = lab.check_now(chosen.goal)
    assert broken.detail == NOT_YET_HIDDEN and "version" not in broken.detail
    wrong_fix = chosen.manifest.replace('version: "1.9"', 'version: "2.0"')
    lab.edit(wrong_fix)
    lab.analyze_now()
    result = lab.check_now(chosen.goal)
    assert not result.met and lab.hides_diagnosis
    assert "spec.selector.version" in result.detail and "leave it out" in result.detail, result
