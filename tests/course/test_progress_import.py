"""`ktutor progress --import`: a file from elsewhere (another machine, a hand edit, a stranger)
is checked like a manifest before anything of it is kept (#15 item 1): every saved edit must be
a text the editor can be given, and every lesson, step, challenge and quiz answer it names must
exist here. A refused file names the bad entry and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tutor.cli import main
from tutor.course.lesson import Challenge, Choice, Goal, Lesson, Question, Step
from tutor.course.progress import ProgressStore

SERVICE = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n"


def lesson() -> Lesson:
    steps = tuple(Step(f"Step {i}", "", "Text.") for i in range(3))
    challenge = Challenge("fix", "Fix it", "Fix.", SERVICE, Goal("valid", {}), (), SERVICE)
    quiz = (Question("Q?", (Choice("a", True, "yes"), Choice("b", False, "no"))),)
    return Lesson("basics", "Basics", "Summary.", 5, SERVICE, steps, (challenge,), quiz)


def write(tmp_path: Path, lessons: Any = None, edits: Any = None) -> Path:
    data: dict[str, Any] = {"format": "ktutor-progress", "version": 1}
    if lessons is not None:
        data["lessons"] = lessons
    if edits is not None:
        data["edits"] = edits
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


BAD_TEXTS = [
    (
        "a: \x1b]0;owned\x07\n",
        r"basics/step-0 cannot be imported: .*control character \(U\+001B\) at line 1",
    ),
    ("a: b\nc: \ud800\n", r"basics/step-0 cannot be imported: .*lone surrogate U\+D800 at line 2"),
    # a syntax error first: the model's 64-level limit never sees the depth, the highlighter would
    (": : [\n" + "- " * 254 + "x\n", r"basics/step-0 cannot be imported: .*highlighter"),
]


@pytest.mark.parametrize("text,words", BAD_TEXTS, ids=["escape", "surrogate", "deep"])
def test_a_saved_edit_the_editor_must_not_get_is_refused(
    tmp_path: Path, text: str, words: str
) -> None:
    store = ProgressStore.open(tmp_path / "p.json")
    with pytest.raises(ValueError, match=words):
        store.import_(write(tmp_path, edits={"basics": {"step-0": text}}))
    assert store.saved_edit("basics", "step-0") is None


BAD_ENTRIES = [
    ({"nope": {"step": 1}}, None, "lesson `nope`: there is no such lesson here"),
    (
        {"basics": {"step": 3}},
        None,
        "lesson `basics`: step 3 is out of range (basics has 3 steps: 0 to 2)",
    ),
    ({"basics": {"steps_done": [0, 7]}}, None, "lesson `basics`: steps_done has 7, out of range"),
    (
        {"basics": {"challenges_solved": ["zzz"]}},
        None,
        "challenges_solved has `zzz`, not a challenge",
    ),
    (
        {"basics": {"challenges_revealed": ["zzz"]}},
        None,
        "challenges_revealed has `zzz`, not a challenge",
    ),
    (
        {"basics": {"quiz": {"1": 0}}},
        None,
        "quiz question 1 is out of range (basics has 1 question: 0 to 0)",
    ),
    (
        {"basics": {"quiz": {"0": 2}}},
        None,
        "quiz question 0's answer 2 is out of range (it has 2 choices",
    ),
    (None, {"nope": {"step-0": SERVICE}}, "lesson `nope`: there is no such lesson here"),
    (None, {"basics": {"step-3": SERVICE}}, "the saved edit basics/step-3: step 3 is out of range"),
    (None, {"basics": {"cluster-step-9": "{}"}}, "basics/cluster-step-9: step 9 is out of range"),
    (None, {"basics": {"cluster-step-0": "[1"}}, "basics/cluster-step-0: not cluster changes"),
    (
        None,
        {"basics": {"challenge-zzz": SERVICE}},
        "basics/challenge-zzz: `zzz` is not a challenge",
    ),
    (None, {"basics": {"console-challenge-zzz": "ls"}}, "`zzz` is not a challenge of lesson"),
    (None, {"basics": {"notes": "hi"}}, "basics/notes: `notes` is not a key ktutor saves"),
]


@pytest.mark.parametrize("lessons,edits,words", BAD_ENTRIES)
def test_an_entry_that_names_what_is_not_here_is_refused(
    tmp_path: Path, lessons: Any, edits: Any, words: str
) -> None:
    store = ProgressStore.open(tmp_path / "p.json")
    store.mark_step_done("basics", 1)
    before = store.dumps()
    with pytest.raises(ValueError) as raised:
        store.import_(write(tmp_path, lessons, edits), {"basics": lesson()})
    said = str(raised.value)
    assert said.startswith(f"{tmp_path / 'export.json'}: cannot be imported: ") and words in said
    assert store.dumps() == before


def test_what_fits_is_imported(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path / "p.json")
    edits = {
        "step-2": "kind: Service\nspec: [unclosed\n",  # saved mid-typing: a syntax error is fine
        "cluster-step-0": json.dumps({"deleted": ["default/web-1"]}),
        "challenge-fix": SERVICE,
        "console-challenge-fix": "kubectl get svc\n",
        "console": "kubectl get pods\n",
    }
    lessons = {
        "basics": {"step": 2, "steps_done": [0, 1], "challenges_solved": ["fix"], "quiz": {"0": 1}}
    }
    store.import_(write(tmp_path, lessons, {"basics": edits}), {"basics": lesson()})
    assert store.lesson("basics").step == 2 and store.lesson("basics").quiz == {0: 1}
    assert {key: store.saved_edit("basics", key) for key in edits} == edits


def test_the_command_names_the_entry_and_keeps_the_progress(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "p.json"
    ProgressStore.open(mine).mark_step_done("anatomy", 0)
    before = mine.read_bytes()
    bad = write(tmp_path, {"anatomy": {"step": 999}})
    assert main(["progress", "--file", str(mine), "--import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "export.json: cannot be imported: lesson `anatomy`: step 999 is out of range" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert mine.read_bytes() == before


@pytest.mark.parametrize("content", ["{}", '{"lessons": {}}', '{"format": "ktutor-progress"}'])
def test_a_file_with_no_progress_is_not_reported_as_imported(
    tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`progress --import f.json` with `{}` printed "Imported progress from f.json" and kept
    nothing (walked as an instructor): a wrong file said it worked."""
    empty = tmp_path / "f.json"
    empty.write_text(content, encoding="utf-8")
    code = main(["progress", "--file", str(tmp_path / "p.json"), "--import", str(empty)])
    out, err = capsys.readouterr()
    assert code == 2 and "Imported" not in out, (code, out)
    assert f"{empty} holds no progress (no lessons, no saved edits): nothing to import" in err
