"""Every console command against transcripts of what kubectl v1.35, busybox 1.28 nslookup,
BIND 9.18 dig and curl 8 print (see each transcript's header for the source of its format)."""

from __future__ import annotations

import os

import pytest
from lab.console.transcript import HERE, manifest_of, parse, play, render

FILES = sorted(p for p in HERE.glob("*.txt"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_transcript(path: os.PathLike[str]) -> None:
    from pathlib import Path

    p = Path(path)
    header, steps = parse(p.read_text())
    commands = [c for c, _ in steps]
    outputs = play(commands, manifest_of(header))
    if os.environ.get("KTUTOR_REGOLD"):
        p.write_text(render(header, commands, outputs))
        return
    for (command, expected), got in zip(steps, outputs, strict=True):
        assert got == expected, f"$ {command}"
