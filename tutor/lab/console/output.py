"""What a command gives back: the text the terminal shows, an exit code, and effects the
screen carries out (clear, open the editor, re-run the model after a cluster change)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Clear:
    """`clear`: empty the console."""


@dataclass(frozen=True, slots=True)
class Changed:
    """The cluster changed (through ClusterChanges): views re-run the model."""

    message: str


@dataclass(frozen=True, slots=True)
class OpenEditor:
    """`kubectl edit svc NAME`: put the learner in the YAML editor at that object."""

    kind: str
    namespace: str
    name: str


@dataclass(frozen=True, slots=True)
class AppendManifest:
    """`kubectl expose`: a new object the manifest should hold (Services live in the YAML)."""

    text: str
    kind: str
    name: str


Effect = Clear | Changed | OpenEditor | AppendManifest


@dataclass(slots=True)
class Output:
    text: str = ""
    code: int = 0
    effects: list[Effect] = field(default_factory=list)


def error(message: str, code: int = 1) -> Output:
    """kubectl's `error: ...` line."""
    return Output(f"error: {message}\n", code)
