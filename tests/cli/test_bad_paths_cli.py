"""Paths a file system refuses (issue #15 item 7): a name over 255 bytes or a path over 4,096
gave a traceback from `lint`, `print`, `export`, `new-lesson --dir` and `ktutor --lessons`;
every command now says so in one line and exits 2."""

from __future__ import annotations

import pytest

from tutor.cli import main

LONG_NAME = "/tmp/" + "a" * 300
LONG_PATH = "/".join(["b" * 200] * 25)


@pytest.mark.parametrize("path", [LONG_NAME, LONG_PATH], ids=["name", "path"])
@pytest.mark.parametrize(
    "args",
    [
        ["lint", "{}"],
        ["print", "{}"],
        ["export", "{}"],
        ["new-lesson", "x", "--dir", "{}"],
        ["--lessons", "{}", "no-such-lesson"],
        ["check", "{}"],
        ["route", "{}"],
    ],
    ids=lambda a: a[0],
)
def test_a_path_too_long_is_one_line(
    args: list[str], path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([a.replace("{}", path) for a in args])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[:400]
    assert "too long" in lines[0] and lines[0].startswith("ktutor")
    if args[0] not in ("check", "route"):  # these two name the whole path, as for any file
        assert len(lines[0]) < 300, "a 5,000-character path is cut"
