"""`ktutor lint`, `ktutor new-lesson` and `ktutor progress`, run as a user would."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from testkit import builtin_lesson, builtin_lessons

from tutor.cli import main
from tutor.commands import progress
from tutor.course.lesson import LessonSet
from tutor.course.progress import ProgressStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _builtin_lessons_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """`ktutor progress` reads the 14 built-in lesson files at each call (0.25 CPU s, 20 calls
    in this module): without extra folders it gets the same lessons as read once per process
    (testkit.builtin_lessons, which the loader's own tests check against the files). `lint`
    and `new-lesson` still read their files."""
    real = progress.load_lessons

    def load_lessons(extra_dirs: Sequence[Path] = (), **kw: Any) -> LessonSet:
        if extra_dirs or kw or os.environ.get("KTUTOR_LESSONS"):
            return real(extra_dirs, **kw)
        return LessonSet(list(builtin_lessons()))

    monkeypatch.setattr(progress, "load_lessons", load_lessons)


def test_lint_without_paths_checks_the_builtin_lessons(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The built-in lessons pass `ktutor lint`, which prints each problem (`lint_paths` on
    lessons/: the one lint of them in the suite, ~0.9 CPU s; a named folder is linted below)."""
    monkeypatch.delenv("KTUTOR_LESSONS", raising=False)  # else its packs are linted too
    code = main(["lint"])
    out = capsys.readouterr().out
    assert code == 0, out
    count = len(list((ROOT / "lessons").glob("*.yaml")))
    assert f"{count} lesson files checked: no problems" in out


def test_lint_without_paths_checks_the_ktutor_lessons_packs_too(
    tmp_path: Path,
    texts: SimpleNamespace,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """docs/workshop.md: `KTUTOR_LESSONS=/path/to/pack` does what `--lessons` does "for every
    ktutor command". An instructor who set it and ran `ktutor lint` read "14 lesson files
    checked: no problems" while the pack's lesson was broken: lint checked the built-in ones
    alone, and the app then listed the pack's file as broken."""
    pack = tmp_path / "pack"
    pack.mkdir()
    bad = pack / "bad.yaml"
    bad.write_text(texts.GOOD.replace("minutes: 5", "minutes: soon"), encoding="utf-8")
    monkeypatch.setenv("KTUTOR_LESSONS", str(pack))
    assert main(["lint"]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:4: `minutes` must be a whole number" in out
    count = len(list((ROOT / "lessons").glob("*.yaml")))
    assert f"1 problem in 1 file ({count + 1} checked)" in out


def test_lint_reports_problems_with_exit_1(
    tmp_path: Path, texts: SimpleNamespace, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(texts.GOOD.replace("minutes: 5", "minutes: soon"), encoding="utf-8")
    assert main(["lint", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:4: `minutes` must be a whole number" in out
    assert "1 problem in 1 file (1 checked)" in out


def test_lint_missing_path_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(tmp_path / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().out


def test_new_lesson_passes_lint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-lesson", "my-lesson", "--dir", str(tmp_path / "pack")]) == 0
    written = tmp_path / "pack" / "my-lesson.yaml"
    assert written.is_file()
    text = written.read_text(encoding="utf-8")
    assert "id: my-lesson" in text and text.count("#") > 10  # commented
    capsys.readouterr()
    assert main(["lint", str(written)]) == 0, capsys.readouterr().out
    # the loader takes it as a pack too
    assert main(["lint", str(tmp_path / "pack")]) == 0


def test_new_lesson_with_a_number_first_is_ordered_by_it_and_passes_lint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`new-lesson 05-sticky`, named as docs/lessons.md names lessons (`NN-<id>.yaml`, NN the
    order), wrote the id `05-sticky`, which lint then refused: "the file name says `sticky`"."""
    assert main(["new-lesson", "05-sticky", "--dir", str(tmp_path)]) == 0
    written = tmp_path / "05-sticky.yaml"
    out = capsys.readouterr().out
    assert f"ktutor --lessons {tmp_path} sticky`" in out
    assert "\nid: sticky " in written.read_text(encoding="utf-8")
    assert main(["lint", str(written)]) == 0, capsys.readouterr().out


def test_new_lesson_refuses_to_overwrite_and_bad_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new-lesson", "x", "--dir", str(tmp_path)]) == 0
    assert main(["new-lesson", "x", "--dir", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["new-lesson", "x", "--dir", str(tmp_path), "--force"]) == 0
    assert main(["new-lesson", "Bad Name", "--dir", str(tmp_path)]) == 2
    assert "cannot be a lesson id" in capsys.readouterr().err


def test_progress_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "p.json"
    store = ProgressStore.open(file)
    store.mark_step_done("anatomy", 0)
    store.mark_step_done("anatomy", 1)
    store.solve_challenge("anatomy", "fix-the-selector")
    assert main(["progress", "--file", str(file)]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("anatomy "))
    assert "in progress" in row and "2/" in row and "1/3" in row
    assert f"Progress file: {file}" in out


def test_progress_export_import_reset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b, exported = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "out.json"
    ProgressStore.open(a).mark_done("anatomy")
    assert main(["progress", "--file", str(a), "--export", str(exported)]) == 0
    assert main(["progress", "--file", str(b), "--import", str(exported)]) == 0
    assert ProgressStore.open(b).lesson("anatomy").done
    assert main(["progress", "--file", str(b), "--reset", "anatomy"]) == 2
    assert "add --yes" in capsys.readouterr().err
    assert ProgressStore.open(b).lesson("anatomy").done
    assert main(["progress", "--file", str(b), "--reset", "anatomy", "--yes"]) == 0
    assert not ProgressStore.open(b).lesson("anatomy").done
    assert main(["progress", "--file", str(b), "--import", str(tmp_path / "none.json")]) == 2
    (tmp_path / "junk.json").write_text("junk")
    assert main(["progress", "--file", str(b), "--import", str(tmp_path / "junk.json")]) == 2
    assert "not a ktutor progress file" in capsys.readouterr().err


def test_progress_reset_of_a_mistyped_lesson_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--reset anatomi --yes` printed "Progress in lesson `anatomi` was reset." and exit 0:
    nothing was reset, and the learner believed lesson 1 started again."""
    file = tmp_path / "p.json"
    ProgressStore.open(file).mark_done("anatomy")
    assert main(["progress", "--file", str(file), "--reset", "anatomi", "--yes"]) == 2
    captured = capsys.readouterr()
    assert "was reset" not in captured.out
    assert captured.err.startswith("ktutor: no lesson `anatomi` here, nor progress in it")
    assert "anatomy" in captured.err
    assert ProgressStore.open(file).lesson("anatomy").done


def test_progress_all_says_which_lessons_are_not_here(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A workshop served with `--lessons my-pack`: `progress --all` without it listed a learner
    in a pack lesson as `Step 1`, `Steps done 0`, with no totals and no word of why."""
    ProgressStore.open(tmp_path, learner="ada").set_step("session-affinity", 0)
    assert main(["progress", "--all", "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith(
        "Not installed here, so without totals: session-affinity (add its pack with --lessons DIR)"
    ), out


def test_progress_all_learners(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ProgressStore.open(tmp_path, learner="alice").mark_step_done("anatomy", 0)
    bob = ProgressStore.open(tmp_path, learner="bob")
    bob.set_step("anatomy", 2)
    bob.solve_challenge("anatomy", "fix-the-selector")
    ProgressStore.open(tmp_path, learner="carol").save()  # only typed a name
    assert main(["progress", "--all", "--dir", str(tmp_path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_learner = {r["learner"]: r for r in rows}
    assert by_learner["alice"]["current"]["steps_done"] == 1
    bob_now = by_learner["bob"]["current"]
    assert bob_now["lesson"] == "anatomy" and bob_now["step"] == 3
    assert bob_now["challenges_solved"] == 1 and bob_now["challenges"] >= 1
    assert by_learner["carol"]["current"] is None and by_learner["carol"]["lessons"] == []
    assert by_learner["bob"]["idle_seconds"] >= 0 and by_learner["bob"]["last_activity"]
    assert main(["progress", "--all", "--dir", str(tmp_path), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("learner,lesson,status,step,steps,steps_done,challenges_solved")
    assert lines[1].startswith("alice,anatomy,in progress,1,")
    assert lines[3].startswith("carol,,")
    assert main(["progress", "--all", "--dir", str(tmp_path)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == [
        "Learner",
        "Lesson",
        "Step",
        "Steps",
        "done",
        "Challenges",
        "Quiz",
        "Last",
        "active",
    ]
    lesson = builtin_lesson("anatomy")
    n, c = len(lesson.steps), len(lesson.challenges)
    assert table[2].split()[:5] == ["bob", "anatomy", f"3/{n}", f"0/{n}", f"1/{c}"]
    assert "(only typed a name)" in table[3] and table[3].endswith("ago")


def test_progress_all_quiz_score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lesson = builtin_lesson("anatomy")
    right = next(i for i, c in enumerate(lesson.quiz[0].choices) if c.correct)
    wrong = next(i for i, c in enumerate(lesson.quiz[1].choices) if not c.correct)
    store = ProgressStore.open(tmp_path, learner="dana")
    store.answer_quiz("anatomy", 0, right)
    store.answer_quiz("anatomy", 1, wrong)
    assert main(["progress", "--all", "--dir", str(tmp_path), "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    current = row["current"]
    assert (current["quiz_correct"], current["quiz_answered"]) == (1, 2)
    assert current["quiz_questions"] == len(lesson.quiz)


def test_progress_all_names_the_folder_it_searched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["progress", "--all", "--dir", str(tmp_path)]) == 0
    assert f"No learner progress found in {tmp_path / 'learners'}." in capsys.readouterr().out


def test_progress_all_watch_redraws(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tutor.commands.progress import CLEAR, watch

    frames = iter(["first", "second"])
    assert watch(lambda: next(frames), 0.01, rounds=2) == 0
    out = capsys.readouterr().out
    assert out.count(CLEAR) == 2 and out.index("first") < out.index("second")


def test_progress_single_learner_json_holds_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "p.json"
    ProgressStore.open(file).mark_step_done("anatomy", 1)
    assert main(["progress", "--file", str(file), "--format", "json"]) == 0
    rows = {r["lesson"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["anatomy"]["steps_done"] == 1 and isinstance(rows["anatomy"]["steps"], int)


def test_progress_notice_for_corrupt_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "p.json"
    file.write_text("{")
    assert main(["progress", "--file", str(file)]) == 0
    assert "was corrupt; it was moved to" in capsys.readouterr().err


def test_new_lesson_prints_the_format_reference(capsys: pytest.CaptureFixture[str]) -> None:
    """The starter lesson points here: a pip install has no docs/ folder."""
    from tutor.resources import package_file

    assert main(["new-lesson", "--help-format"]) == 0
    out = capsys.readouterr().out
    assert out == (package_file().parent / "docs" / "lessons.md").read_text(encoding="utf-8")
    starter = (package_file("course", "starter-lesson.yaml")).read_text(encoding="utf-8")
    assert "ktutor new-lesson --help-format" in starter
    assert main(["new-lesson"]) == 2
    assert "give the lesson's NAME" in capsys.readouterr().err


def test_progress_all_aligns_wide_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Names in Chinese letters take two columns each: the next column still lines up."""
    from tutor.commands.progress import cells

    ProgressStore.open(tmp_path, learner="王芳").set_step("anatomy", 3)
    ProgressStore.open(tmp_path, learner="Ada").set_step("anatomy", 1)
    ProgressStore.open(tmp_path, learner="Zoe\u0301").set_step("anatomy", 1)  # e + combining
    assert main(["progress", "--all", "--dir", str(tmp_path)]) == 0
    table = capsys.readouterr().out.splitlines()
    columns = set()
    for line in table:
        at = line.index("Lesson") if line.startswith("Learner") else line.index("anatomy")
        columns.add(cells(line[:at]))
    assert len(columns) == 1, table


def test_progress_all_leaves_a_corrupt_file_where_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The roster only reads: a learner's corrupt file was moved aside by the listing itself
    (as the app does for its own file) and the learner listed as one who only typed a name."""
    ProgressStore.open(tmp_path, learner="ada").set_step("anatomy", 1)
    broken = tmp_path / "learners" / "bob.json"
    broken.write_text("{oops", encoding="utf-8")
    before = sorted(p.name for p in (tmp_path / "learners").iterdir())
    assert main(["progress", "--all", "--dir", str(tmp_path)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert "(progress file unreadable)" in next(line for line in table if line.startswith("bob"))
    assert sorted(p.name for p in (tmp_path / "learners").iterdir()) == before
    assert broken.read_text(encoding="utf-8") == "{oops"
    assert main(["progress", "--all", "--dir", str(tmp_path), "--format", "json"]) == 0
    rows = {r["learner"]: r for r in json.loads(capsys.readouterr().out)}
    assert "bob.json is not a progress file ktutor can read" in rows["bob"]["problem"]
    assert rows["ada"]["problem"] == ""


def test_reading_a_store_writes_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "learners" / "x.json"
    store = ProgressStore.read(missing)
    assert store.lesson_ids() == [] and store.notice == ""
    store.set_step("anatomy", 2)  # kept in memory only
    assert not (tmp_path / "nowhere").exists()


def test_progress_of_a_learner_only_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--learner NAME --dir DIR` (an instructor looking at one learner) moved a corrupt file
    aside, as if it were the instructor's own."""
    broken = ProgressStore.file_for(tmp_path, "bob")
    broken.parent.mkdir(parents=True)
    broken.write_text("{oops", encoding="utf-8")
    assert main(["progress", "--learner", "bob", "--dir", str(tmp_path)]) == 0
    assert "is not a progress file ktutor can read" in capsys.readouterr().err
    assert broken.read_text(encoding="utf-8") == "{oops"
    assert [p.name for p in broken.parent.iterdir()] == ["bob.json"]


def test_progress_of_a_learner_does_not_say_it_is_not_saved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The instructor's look at one learner read the file without writing (as it must) and
    then printed `Progress file: ... (not saved)`, as if that learner's progress were lost."""
    store = ProgressStore.open(tmp_path, "ada")
    store.set_step("anatomy", 1)
    assert main(["progress", "--learner", "ada", "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"Progress file: {store.path}" in out
    assert "not saved" not in out


def test_progress_of_a_learner_who_is_not_there_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped name (`Ada Lovelce`) printed every lesson as new, as if Ada had done nothing."""
    ProgressStore.open(tmp_path, "Ada Lovelace").set_step("anatomy", 1)
    assert main(["progress", "--learner", "Ada Lovelce", "--dir", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("ktutor: no progress file for learner `Ada Lovelce` in ")
    assert "ktutor progress --all --dir" in captured.err
