"""`ktutor [LESSON-ID] [--step N] [--lessons DIR]`: bad usage is a one-line error, exit 2,
before the terminal is taken over."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.cli import main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["no-such-lesson"], "no lesson 'no-such-lesson'"),
        (["--step", "0", "anatomy"], "--step counts from 1"),
        (["--step", "2"], "--step needs a lesson id"),
        (["anatomy", "--step", "999"], "--step 999"),
        (["--lessons", "/no/such/folder"], "not a folder"),
    ],
)
def test_bad_usage_exits_2_with_one_line(
    argv: list[str], message: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_needs_a_terminal(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # pytest's stdout is not a terminal: a clear message rather than a broken screen
    assert main(["anatomy"]) == 2
    assert "needs a terminal" in capsys.readouterr().err
