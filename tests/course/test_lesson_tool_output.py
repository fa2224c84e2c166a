"""What a lesson quotes of curl's or nslookup's output is what the console prints.

curl 8 no longer prints the errno's "Connection refused" (tutor/lab/console/curl.py): a lesson
that said `curl api` "says connection refused" showed the learner a different line in the
console. A quoted line in a challenge or step that names the command (`curl api`) must be in
that command's output on the item's start; a quoted line anywhere else must have the shape of
one the console prints.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from testkit import builtin_lessons

from tutor.course.lesson import Lesson
from tutor.lab.console.curl import COULDNT_CONNECT
from tutor.lab.session import LabSession

LESSONS = sorted((Path(__file__).resolve().parents[2] / "lessons").glob("*.yaml"))
QUOTE = re.compile(r"`([^`]+)`")
TOOL_LINES = [
    re.compile(rf"Failed to connect to \S+ port \d+ after \d+ ms: {COULDNT_CONNECT}"),
    re.compile(r"Could not resolve host: \S+"),
    re.compile(r"Connection timed out after \d+ milliseconds"),
    re.compile(r"can't resolve '\S+'"),
]
LOOKS_LIKE_OUTPUT = re.compile(
    r"Failed to connect|resolve host|timed out after|can't resolve", re.I
)
COMMAND = re.compile(r"^(curl|nslookup) [^<>]+$")
SAYS_REFUSED = re.compile(
    r"`curl [^`]*`[^.`]*\b(says|prints|answers|gets)\b[^.`]*connection refused", re.I
)


def _items(lesson: Lesson) -> list[tuple[str, str, str]]:
    """(where, text, start manifest or "") for each step, challenge and quiz question."""
    out: list[tuple[str, str, str]] = []
    manifest = lesson.manifest
    for i, step in enumerate(lesson.steps):
        manifest = step.manifest or manifest
        out.append((f"step {i + 1}", f"{step.title}\n{step.text}\n{step.try_this}", manifest))
    for challenge in lesson.challenges:
        out.append((challenge.id, f"{challenge.title}\n{challenge.text}", challenge.manifest))
    for n, question in enumerate(lesson.quiz, 1):
        words = [question.question] + [f"{c.text}\n{c.explain}" for c in question.choices]
        out.append((f"quiz {n}", "\n".join(words), ""))
    return out


def _quoted_lines(text: str) -> tuple[list[str], list[str]]:
    """(commands, tool output lines) quoted in a text, line breaks inside a quote read as
    spaces (Markdown does)."""
    quotes = [" ".join(q.split()) for q in QUOTE.findall(text)]
    commands = [q for q in quotes if COMMAND.match(q)]
    return commands, [q for q in quotes if LOOKS_LIKE_OUTPUT.search(q)]


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_quoted_tool_output_is_what_the_console_prints(path: Path) -> None:
    lesson = next(le for le in builtin_lessons() if le.source and le.source.resolve() == path)
    wrong: list[str] = []
    for where, text, manifest in _items(lesson):
        flat = " ".join(text.split())
        if SAYS_REFUSED.search(flat):
            wrong.append(f"{where}: curl prints no 'connection refused': {flat[:80]}")
        commands, lines = _quoted_lines(text)
        if not lines:
            continue
        printed = ""
        if commands and manifest:
            lab = LabSession(manifest, network=lesson.network)
            assert lab.analyze_now()
            printed = "".join(lab.run_command(c).text for c in commands)
        for line in lines:
            if printed and line not in printed:
                wrong.append(f"{where}: {line!r} is not in the output of {commands}: {printed!r}")
            elif not printed and not any(p.fullmatch(line) for p in TOOL_LINES):
                wrong.append(f"{where}: {line!r} is not a line the console prints")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_a_text_about_restarts_has_a_pod_that_restarted(path: Path) -> None:
    """A step or challenge that talks about `RESTARTS` starts with a Pod whose container has
    restarted, so `kubectl get pods` in the console shows what the text says (lesson 8's
    'Crashes and replacements' showed 0 for every Pod)."""
    lesson = next(le for le in builtin_lessons() if le.source and le.source.resolve() == path)
    wrong: list[str] = []
    for where, text, manifest in _items(lesson):
        if "RESTARTS" not in text or not manifest or where.startswith("quiz"):
            continue
        lab = LabSession(manifest, network=lesson.network)
        assert lab.analyze_now()
        rows = lab.run_command("kubectl get pods -A").text.splitlines()
        restarts = [re.split(r"\s{2,}", row)[4] for row in rows[1:]]
        if all(r == "0" for r in restarts):
            wrong.append(f"{where}: every Pod shows RESTARTS 0: {rows}")
    assert wrong == [], "\n".join(wrong)
