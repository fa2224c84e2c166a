"""One reading of each environment variable: the TUI, `ktutor progress` and the lesson cache
agree on where the data folder is, whatever the learner typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor import settings
from tutor.app.app import progress_path
from tutor.cli import main
from tutor.course import lesson_cache
from tutor.course.packs import lesson_sources
from tutor.course.progress import default_dir


@pytest.mark.parametrize("raw", ["~/d", " ~/d\n", "~/d/"])
def test_data_dir_is_one_folder_for_every_reader(
    raw: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(settings.DATA_DIR, raw)
    home_d = tmp_path / "d"
    assert settings.data_dir() == home_d
    assert progress_path() == home_d / "progress.json"  # the TUI
    assert default_dir() == home_d  # `ktutor progress`
    assert lesson_cache.cache_file().parent.parent == home_d


@pytest.mark.parametrize("raw", ["", "   "])
def test_a_blank_data_dir_means_the_default(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.DATA_DIR, raw)
    assert settings.data_dir() is None
    assert progress_path() is None


def test_lesson_folders_expand_and_skip_blanks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(settings.LESSONS, f" ~/pack{os.pathsep}{os.pathsep} /x/other ")
    assert settings.lesson_dirs() == [tmp_path / "pack", Path("/x/other")]
    folders = [d for d, _ in lesson_sources(include_builtin=False)]
    assert folders == [tmp_path / "pack", Path("/x/other")]


def test_help_lists_the_environment(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "environment:" in out
    for variable in settings.VARIABLES:
        assert variable.name in out
