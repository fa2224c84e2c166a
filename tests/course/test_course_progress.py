"""The progress store: atomic saves survive SIGKILL, a corrupt file is moved aside, an unwritable
home keeps progress in memory, and export/import round-trips."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tutor.course import progress as progress_mod
from tutor.course.atomic import write_atomic
from tutor.course.progress import LessonProgress, ProgressStore, safe_learner_name

ROOT = Path(__file__).resolve().parents[2]


# Atomic saves survive SIGKILL: tests/robustness/test_nothing_lost.py kills a forked writer of
# `ProgressStore.save_edit` and `mark_step_done` 60 times, checking after each kill that the store
# opens without a notice, the file is whole JSON, the edit is one whole, never older version and
# its step mark is kept. A test here killed the same writer 20 times and checked less.


def test_write_atomic_replaces_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    write_atomic(path, "one")
    assert path.read_text() == "one" and (path.stat().st_mode & 0o777) == 0o644
    path.chmod(0o600)
    write_atomic(path, "two")
    assert path.read_text() == "two" and (path.stat().st_mode & 0o777) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]  # no temp file left


def test_write_atomic_failure_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.txt"
    write_atomic(path, "old")

    def boom(src: str, dst: str) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_changes_are_saved_and_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    store = ProgressStore.open(path)
    assert store.notice == "" and store.persistent and store.path == path
    store.set_step("anatomy", 4)
    store.mark_step_done("anatomy", 0)
    store.mark_step_done("anatomy", 1)
    store.solve_challenge("anatomy", "fix-the-selector")
    store.reveal_challenge("anatomy", "refused-after-release")
    store.answer_quiz("anatomy", 2, 1)
    store.save_edit("anatomy", "step-3", "apiVersion: v1\n")
    store.skip("ports")
    again = ProgressStore.open(path)
    assert again.lesson("anatomy") == LessonProgress(
        step=4,
        steps_done={0, 1},
        challenges_solved={"fix-the-selector"},
        challenges_revealed={"refused-after-release"},
        quiz={2: 1},
    )
    assert again.saved_edit("anatomy", "step-3") == "apiVersion: v1\n"
    assert again.saved_edit("anatomy", "step-4") is None
    assert again.lesson("ports").skipped
    assert again.lesson("never-opened") == LessonProgress()


def test_lesson_returns_a_copy(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path / "p.json")
    store.mark_step_done("a", 1)
    store.lesson("a").steps_done.add(99)
    assert store.lesson("a").steps_done == {1}


@pytest.mark.parametrize(
    "actions,steps,status",
    [
        ([], 5, "new"),
        ([("set_step", 2)], 5, "in progress"),
        ([("mark_step_done", 0)], 5, "in progress"),
        ([("mark_step_done", i) for i in range(5)], 5, "done"),
        ([("mark_done",)], 5, "done"),
        ([("skip",)], 5, "skipped"),
        ([("skip",), ("mark_done",)], 5, "done"),
        ([("save_edit", "step-0", "x")], 5, "in progress"),
        ([("reveal_challenge", "c1")], 5, "in progress"),
    ],
)
def test_status(tmp_path: Path, actions: list[tuple[object, ...]], steps: int, status: str) -> None:
    store = ProgressStore.open(tmp_path / "p.json")
    for name, *args in actions:
        getattr(store, str(name))("anatomy", *args)
    assert store.status("anatomy", steps) == status


def test_resets(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    store = ProgressStore.open(path)
    store.mark_step_done("a", 1)
    store.mark_step_done("a", 2)
    store.save_edit("a", "step-1", "x")
    store.save_edit("a", "challenge-c", "y")
    store.mark_done("a")
    store.mark_step_done("b", 0)
    store.reset_step("a", 1)
    reloaded = ProgressStore.open(path)
    assert reloaded.lesson("a").steps_done == {2} and not reloaded.lesson("a").done
    assert reloaded.saved_edit("a", "step-1") is None
    assert reloaded.saved_edit("a", "challenge-c") == "y"
    store.clear_edit("a", "challenge-c")
    assert ProgressStore.open(path).saved_edit("a", "challenge-c") is None
    store.reset_lesson("a")
    assert ProgressStore.open(path).lesson_ids() == ["b"]
    store.reset_all()
    assert ProgressStore.open(path).lesson_ids() == []


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"",
        b"\xff\xfe garbage",
        b'["a list"]',
        b'{"lessons": {"anatomy": {"step": "two"}}}',
        b'{"lessons": {"anatomy": {"steps_done": [true]}}}',
        b'{"lessons": [], "edits": {}}',
        b'{"format": "something-else"}',
        b'{"edits": {"anatomy": {"step-1": 5}}}',
    ],
)
def test_corrupt_file_is_moved_aside(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "progress.json"
    path.write_bytes(content)
    store = ProgressStore.open(path)
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("progress.json.corrupt-")]
    assert len(aside) == 1 and aside[0].read_bytes() == content
    assert store.notice == (
        f"Your progress file was corrupt; it was moved to {aside[0]} and a new one started."
    )
    assert store.persistent
    store.mark_done("anatomy")  # and the new file works
    assert ProgressStore.open(path).lesson("anatomy").done
    assert ProgressStore.open(path).notice == ""


def test_two_corrupt_files_in_one_second_do_not_collide(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    for _ in range(2):
        path.write_text("{bad")
        assert "corrupt" in ProgressStore.open(path).notice
    assert len([p for p in tmp_path.iterdir() if ".corrupt-" in p.name]) == 2


def test_unwritable_home_keeps_progress_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data folder should be")
    store = ProgressStore.open(blocker / "ktutor" / "progress.json")
    assert not store.persistent
    assert store.notice == (
        f"Cannot write to {blocker / 'ktutor'}: progress is kept in memory for this session."
    )
    store.mark_step_done("anatomy", 3)
    store.save_edit("anatomy", "step-3", "text")
    assert store.lesson("anatomy").steps_done == {3}
    assert store.saved_edit("anatomy", "step-3") == "text"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_read_only_folder_keeps_progress_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        store = ProgressStore.open(folder / "progress.json")
        assert not store.persistent and "in memory" in store.notice
    finally:
        folder.chmod(0o700)


def test_a_write_that_fails_later_switches_to_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.json"
    store = ProgressStore.open(path)
    store.mark_step_done("a", 0)

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(progress_mod, "write_atomic", full_disk)
    store.mark_step_done("a", 1)  # no exception
    assert not store.persistent
    assert store.notice == f"Cannot write to {path}: progress is kept in memory for this session."
    assert store.lesson("a").steps_done == {0, 1}
    monkeypatch.undo()
    assert ProgressStore.open(path).lesson("a").steps_done == {0}


def test_a_folder_in_place_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "progress.json").mkdir()
    store = ProgressStore.open(tmp_path / "progress.json")
    assert not store.persistent and "is a folder" in store.notice
    store.mark_done("a")


def test_export_import_round_trip(tmp_path: Path) -> None:
    source = ProgressStore.open(tmp_path / "a.json")
    source.set_step("anatomy", 3)
    source.mark_step_done("anatomy", 2)
    source.solve_challenge("anatomy", "c1")
    source.reveal_challenge("anatomy", "c2")
    source.answer_quiz("anatomy", 0, 2)
    source.mark_done("ports")
    source.save_edit("anatomy", "challenge-c1", "kind: Service\n")
    exported = tmp_path / "export.json"
    source.export(exported)
    target = ProgressStore.open(tmp_path / "b.json")
    target.mark_step_done("anatomy", 0)  # merged, not overwritten
    target.import_(exported)
    for lesson_id in ("anatomy", "ports"):
        want = source.lesson(lesson_id)
        if lesson_id == "anatomy":
            want.steps_done.add(0)
        assert target.lesson(lesson_id) == want
    assert target.saved_edit("anatomy", "challenge-c1") == "kind: Service\n"
    assert ProgressStore.open(tmp_path / "b.json").lesson("ports").done  # and saved


@pytest.mark.parametrize(
    "content,words",
    [
        ("{oops", "export.json:1: not a ktutor progress file"),
        ('{"lessons": {"a": {"step": -1}}}', "`step` is not a step number"),
        (
            '{"lessons": {"a": {"challenges_revealed": "c1"}}}',
            "`challenges_revealed` is not a list of challenge ids",
        ),
    ],
)
def test_import_of_a_bad_file_changes_nothing(tmp_path: Path, content: str, words: str) -> None:
    store = ProgressStore.open(tmp_path / "p.json")
    store.mark_step_done("a", 1)
    bad = tmp_path / "export.json"
    bad.write_text(content)
    with pytest.raises(ValueError, match=words.replace("`", ".")):
        store.import_(bad)
    assert store.lesson_ids() == ["a"] and store.lesson("a").steps_done == {1}


@pytest.mark.parametrize(
    "name,file",
    [
        ("alice", "alice.json"),
        ("../../etc/passwd", "etc_passwd-*.json"),
        ("Bob Smith", "Bob_Smith-*.json"),
        ("", "anonymous.json"),
        ("...", "anonymous.json"),
        ("x" * 100, "x" * 55 + "-*.json"),
        ("王芳", "learner-*.json"),
        ("Zoë", "Zo-*.json"),
    ],
)
def test_learner_file_names_are_safe(tmp_path: Path, name: str, file: str) -> None:
    import fnmatch

    store = ProgressStore.open(tmp_path, learner=name)
    assert store.path.parent == tmp_path / "learners"
    assert fnmatch.fnmatchcase(store.path.name, file), store.path.name
    assert safe_learner_name(name) + ".json" == store.path.name
    assert len(store.path.stem) <= 64


def test_every_distinct_name_has_its_own_file() -> None:
    names = ["王芳", "李雷", "Ada B", "Ada_B", "Ada", "ada", "Zoë", "Zoe", "Zo_"]
    files = [safe_learner_name(n) for n in names]
    assert len(set(files)) == len(names), files
    assert safe_learner_name(" Ada ") == safe_learner_name("Ada") == "Ada"


def test_learners_never_share_a_file(tmp_path: Path) -> None:
    """The app passes `DIR/progress.json` with a learner: that means DIR's learners/ folder."""
    alice = ProgressStore.open(tmp_path / "progress.json", learner="alice")
    bob = ProgressStore.open(tmp_path, learner="bob")
    assert alice.path == tmp_path / "learners" / "alice.json"
    assert bob.path == tmp_path / "learners" / "bob.json"
    alice.mark_done("anatomy")
    assert not bob.lesson("anatomy").done
    assert sorted(ProgressStore.all_learners(tmp_path)) == ["alice"]


def test_all_learners(tmp_path: Path) -> None:
    ProgressStore.open(tmp_path, learner="alice").mark_step_done("anatomy", 0)
    ProgressStore.open(tmp_path, learner="Bob Smith").solve_challenge("ports", "c")
    stores = ProgressStore.all_learners(tmp_path)
    assert sorted(stores) == ["Bob Smith", "alice"]
    assert stores["alice"].lesson("anatomy").steps_done == {0}
    assert stores["Bob Smith"].lesson("ports").challenges_solved == {"c"}
    assert ProgressStore.all_learners(tmp_path / "nobody") == {}


def test_default_location_honours_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KTUTOR_DATA_DIR", str(tmp_path))
    assert ProgressStore.open().path == tmp_path / "progress.json"


def test_stale_temp_files_are_swept(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    old = tmp_path / ".progress.json.abc.tmp"
    fresh = tmp_path / ".progress.json.def.tmp"
    old.write_text("x")
    fresh.write_text("y")
    past = time.time() - 3600
    os.utime(old, (past, past))
    ProgressStore.open(path)
    assert not old.exists() and fresh.exists()


def test_unchanged_edit_does_not_rewrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ProgressStore.open(tmp_path / "p.json")
    store.save_edit("a", "step-0", "same")
    calls: list[str] = []
    monkeypatch.setattr(progress_mod, "write_atomic", lambda path, text, **kw: calls.append(text))
    store.save_edit("a", "step-0", "same")
    assert calls == []
    store.save_edit("a", "step-0", "changed")
    assert len(calls) == 1


def test_current_lesson_is_kept(tmp_path: Path) -> None:
    """The roster shows the lesson a learner last worked in, also after a restart."""
    store = ProgressStore.open(tmp_path, learner="ada")
    store.set_step("anatomy", 2)
    store.solve_challenge("labels", "fix")
    assert ProgressStore.open(tmp_path, learner="ada").current == "labels"


def test_a_file_from_a_newer_ktutor_is_kept_untouched(tmp_path: Path) -> None:
    """Version 99 is not "corrupt": it is left as it is and progress stays in memory."""
    path = tmp_path / "progress.json"
    content = b'{"format": "ktutor-progress", "version": 99, "lessons": {}}'
    path.write_bytes(content)
    store = ProgressStore.open(path)
    assert "newer version of ktutor" in store.notice and "corrupt" not in store.notice
    assert not store.persistent
    store.mark_done("anatomy")
    assert path.read_bytes() == content
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def test_a_fifo_in_place_of_the_file_does_not_block(tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer forever (the app hung, blank)."""
    path = _fifo(tmp_path / "progress.json")
    code = (
        "import sys; from pathlib import Path; from tutor.course.progress import ProgressStore;"
        "s = ProgressStore.open(Path(sys.argv[1])); print(s.persistent, s.notice)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("False") and "kept in memory" in proc.stdout
    assert "not a regular file" in proc.stdout


def test_import_from_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path / "p.json")
    fifo = _fifo(tmp_path / "export.json")
    raised: list[BaseException] = []

    def run() -> None:
        try:
            store.import_(fifo)
        except BaseException as exc:
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(5)
    if thread.is_alive():  # blocked in open(): a writer that closes at once sets it free
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(5)
        pytest.fail("importing a FIFO blocked")
    assert isinstance(raised[0], OSError) and "not a regular file" in str(raised[0])


@pytest.mark.parametrize(
    "edit,words",
    [
        ("- " * 254 + "x", "nested more than 64 levels"),
        (
            "a: &a [1]\n"
            + "".join(
                f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}, *{'a' if i == 0 else f'b{i - 1}'}]\n"
                for i in range(40)
            ),
            "nodes",
        ),
    ],
)
def test_import_checks_saved_edits_like_a_manifest(tmp_path: Path, edit: str, words: str) -> None:
    """A saved edit that crashed the highlighter (254 levels) came back on every start."""
    store = ProgressStore.open(tmp_path / "p.json")
    bad = tmp_path / "export.json"
    data = {"format": "ktutor-progress", "version": 1, "edits": {"anatomy": {"step-1": edit}}}
    bad.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=f"anatomy/step-1 cannot be imported: .*{words}"):
        store.import_(bad)
    assert store.saved_edit("anatomy", "step-1") is None
    data["edits"] = {"anatomy": {"step-1": "kind: Service\nspec: [unclosed\n"}}
    bad.write_text(json.dumps(data))
    store.import_(bad)  # an edit saved mid-typing (a syntax error) is fine
    assert store.saved_edit("anatomy", "step-1") == "kind: Service\nspec: [unclosed\n"


@pytest.mark.parametrize(
    "action",
    [
        lambda s: s.set_step("anatomy", 1),
        lambda s: s.mark_step_done("anatomy", 0),
        lambda s: s.save_edit("anatomy", "console", "kubectl get svc"),
        lambda s: s.solve_challenge("anatomy", "fix"),
        lambda s: s.answer_quiz("anatomy", 0, 1),
        lambda s: s.skip("anatomy"),
    ],
)
def test_untouched_means_nothing_kept_for_the_lesson(tmp_path: Path, action: object) -> None:
    """A prebuilt lesson screen is opened only for a lesson its learner never touched."""
    store = ProgressStore.open(tmp_path / "p.json")
    store.set_step("other", 3)
    assert store.untouched("anatomy")
    action(store)  # type: ignore[operator]
    assert not store.untouched("anatomy")
    assert ProgressStore.open(tmp_path / "p.json").untouched("anatomy") is False


def test_take_lesson_hands_over_one_lesson_only(tmp_path: Path) -> None:
    blank = ProgressStore.blank()
    blank.set_step("anatomy", 0)
    blank.mark_step_done("anatomy", 0)
    blank.save_edit("anatomy", "cluster-0", "{}")
    assert not blank.persistent  # it never writes a file
    store = ProgressStore.open(tmp_path / "p.json", learner="Ada")
    store.set_step("other", 2)
    store.take_lesson(blank, "anatomy")
    again = ProgressStore.open(tmp_path / "p.json", learner="Ada")
    assert again.current == "anatomy" and again.challenge == ""
    assert again.lesson("anatomy").steps_done == {0}
    assert again.saved_edit("anatomy", "cluster-0") == "{}"
    assert again.lesson("other").step == 2
    assert again.learner == "Ada"
    blank.mark_step_done("anatomy", 1)  # the two stores share nothing afterwards
    assert again.lesson("anatomy").steps_done == {0}


def test_progress_in_a_renamed_lesson_is_kept_under_its_new_id(tmp_path: Path) -> None:
    """Lesson 11's id was `dns`, which `ktutor dns` (the DNS command) shadowed: it is now
    `service-names`, and a learner's progress, edits and place in it come along."""
    file = tmp_path / "progress.json"
    file.write_text(
        json.dumps(
            {
                "format": "ktutor-progress",
                "version": 1,
                "current": "dns",
                "lessons": {"dns": {"step": 4, "steps_done": [0, 1, 2]}},
                "edits": {"dns": {"step-4": "kind: Service\n"}},
            }
        ),
        encoding="utf-8",
    )
    store = ProgressStore.open(file)
    assert store.lesson("service-names").step == 4
    assert store.lesson("service-names").steps_done == {0, 1, 2}
    assert store.saved_edit("service-names", "step-4") == "kind: Service\n"
    assert store.current == "service-names" and "dns" not in store.lesson_ids()
