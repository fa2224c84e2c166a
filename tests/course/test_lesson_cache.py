"""The lesson cache: used only when nothing it was made from changed, identical to loading the
files when used, and ignored (never an error) when it is damaged or foreign."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from testkit import builtin_lessons

from tutor.course import lesson_cache
from tutor.course.lesson import LessonSet
from tutor.course.listing import Heading
from tutor.course.loader import load_lessons


def loaded(pack: Path) -> LessonSet:
    """`load_lessons([pack])` with the built-in lessons taken from `builtin_lessons()` (read once
    per process): reading the 14 built-in files again cost ~0.3 CPU s in each of 17 tests. The
    tests that compare a kept cache with the loader's answer call `load_lessons` itself."""
    own = load_lessons([pack], include_builtin=False, use_env=False)
    return LessonSet([*builtin_lessons(), *own.lessons], own.errors)


def keep(pack: Path, data: Path) -> bool:
    """What the app does: stamp the files, load them, keep the result."""
    stamp = lesson_cache.fingerprint([pack])
    return lesson_cache.write(loaded(pack), stamp, data)


@pytest.fixture
def pack(tmp_path: Path, texts: SimpleNamespace) -> Path:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "01-sample.yaml").write_text(texts.GOOD, encoding="utf-8")
    (folder / "02-broken.yaml").write_text("id: [broken\n", encoding="utf-8")
    return folder


def test_every_built_in_lesson_survives_the_round_trip() -> None:
    lessons = builtin_lessons()  # load_lessons(use_env=False), read once per process
    assert lessons
    for lesson in lessons:
        again = lesson_cache.lesson_in(json.loads(json.dumps(lesson_cache.lesson_out(lesson))))
        assert again == lesson


def test_a_cache_is_read_back_as_the_loader_made_it(pack: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert lesson_cache.read([pack], data) is None  # nothing kept yet
    assert keep(pack, data)
    found = load_lessons([pack])
    assert (data / "cache" / "lessons.json").is_file()
    cached = lesson_cache.read([pack], data)
    assert cached is not None
    assert cached.lessons == found.lessons and cached.errors == found.errors
    assert [e.file.name for e in cached.errors] == ["02-broken.yaml"]


def test_kept_lessons_list_headings_and_build_the_lessons(pack: Path, tmp_path: Path) -> None:
    """What the app's first frame reads: the headings, with the lessons built later."""
    data = tmp_path / "data"
    keep(pack, data)
    found = load_lessons([pack])
    kept = lesson_cache.read_kept([pack], data)
    assert kept is not None and kept.has_errors
    assert [h.parts() for h in kept.headings] == [Heading.of(le).parts() for le in found.lessons]
    built = kept.build()
    assert built.lessons == found.lessons and built.errors == found.errors


def test_headings_of_the_wrong_shape_are_not_kept(pack: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    keep(pack, data)
    path = data / "cache" / "lessons.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["lessons"][0]["title"] = ["a", "list"]
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert lesson_cache.read_kept([pack], data) is None


@pytest.mark.parametrize(
    "change", ["edit a file", "add a file", "remove a file", "another folder", "KTUTOR_LESSONS"]
)
def test_any_change_to_the_lessons_means_the_files_are_read_again(
    pack: Path, tmp_path: Path, change: str, monkeypatch: pytest.MonkeyPatch, texts: SimpleNamespace
) -> None:
    data = tmp_path / "data"
    keep(pack, data)
    dirs = [pack]
    mine = pack / "01-sample.yaml"
    if change == "edit a file":  # same size, later time: still a change
        mine.write_text(texts.GOOD.replace("id: sample", "id: simple"), encoding="utf-8")
        os.utime(mine, ns=(mine.stat().st_atime_ns, mine.stat().st_mtime_ns + 10**9))
    elif change == "add a file":
        (pack / "03-more.yaml").write_text(
            texts.GOOD.replace("id: sample", "id: more"), encoding="utf-8"
        )
    elif change == "remove a file":
        (pack / "02-broken.yaml").unlink()
    elif change == "another folder":
        other = tmp_path / "other"
        other.mkdir()
        dirs = [pack, other]
    else:
        other = tmp_path / "env"
        other.mkdir()
        monkeypatch.setenv("KTUTOR_LESSONS", str(other))
    assert lesson_cache.read(dirs, data) is None


def test_a_file_changed_while_the_lessons_are_read_is_not_kept_as_read(
    pack: Path, tmp_path: Path, texts: SimpleNamespace
) -> None:
    data = tmp_path / "data"
    stamp = lesson_cache.fingerprint([pack])
    found = loaded(pack)
    mine = pack / "01-sample.yaml"
    mine.write_text(texts.GOOD.replace("title: A sample", "title: A newer"), encoding="utf-8")
    os.utime(mine, ns=(mine.stat().st_atime_ns, mine.stat().st_mtime_ns + 10**9))
    lesson_cache.write(found, stamp, data)
    assert lesson_cache.read([pack], data) is None


@pytest.mark.parametrize(
    "damage",
    [b"", b"not json", b"\xff\xfe", b"[]", b'{"format": 1}', b"{}" + b" " * (9 * 1024 * 1024)],
    ids=["empty", "not json", "not utf-8", "a list", "no lessons", "9 MB"],  # not a 9 MB test id
)
def test_a_damaged_cache_is_ignored(pack: Path, tmp_path: Path, damage: bytes) -> None:
    data = tmp_path / "data"
    keep(pack, data)
    (data / "cache" / "lessons.json").write_bytes(damage)
    assert lesson_cache.read([pack], data) is None


def test_a_cache_with_the_right_stamp_but_wrong_shapes_is_ignored(
    pack: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    keep(pack, data)
    path = data / "cache" / "lessons.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["lessons"][0]["steps"] = [{"title": 1}]
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert lesson_cache.read([pack], data) is None


def test_an_unwritable_cache_folder_is_not_an_error(pack: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    assert keep(pack, blocker) is False
    assert lesson_cache.read([pack], blocker) is None
