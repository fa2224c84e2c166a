"""Golden transcripts: `$ COMMAND` lines, each followed by the output expected from it.

A transcript runs top to bottom in one console against golden/cluster.yaml (every object 10
minutes old at the first look), so mutating commands change what later commands print; a header
line `# cluster: NAME.yaml` runs it against that file of golden/ instead.
Regenerate after a reviewed change with `KTUTOR_REGOLD=1 pytest tests/lab/console`.
"""

from __future__ import annotations

from pathlib import Path

from tutor.lab.console import AppendManifest, Console
from tutor.model.changes import analyze_with_changes

HERE = Path(__file__).parent / "golden"
CLUSTER = (HERE / "cluster.yaml").read_text()


def parse(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """(header comment lines, [(command, expected output)])."""
    header: list[str] = []
    steps: list[tuple[str, str]] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("$ "):
            steps.append((line[2:].rstrip("\n"), ""))
        elif steps:
            cmd, out = steps[-1]
            steps[-1] = (cmd, out + line)
        else:
            header.append(line)
    return header, steps


def manifest_of(header: list[str]) -> str:
    """The cluster a transcript's header names (`# cluster: NAME.yaml`), else cluster.yaml."""
    for line in header:
        if line.startswith("# cluster: "):
            return (HERE / line.removeprefix("# cluster: ").strip()).read_text()
    return CLUSTER


def play(commands: list[str], manifest: str = CLUSTER) -> list[str]:
    """Each command's output, run in order in one console (an `expose` adds its Service)."""
    console = Console(now=lambda: 0.0)
    text = manifest
    outputs = []
    for cmd in commands:
        out = console.run(cmd, analyze_with_changes(text, console.changes))
        for effect in out.effects:
            if isinstance(effect, AppendManifest):
                text = text.rstrip("\n") + "\n---\n" + effect.text
        outputs.append(out.text)
    return outputs


def render(header: list[str], commands: list[str], outputs: list[str]) -> str:
    return "".join(header) + "".join(f"$ {c}\n{o}" for c, o in zip(commands, outputs, strict=True))
