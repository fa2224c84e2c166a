"""`ktutor lint`: a lesson is checked the way a learner will meet it, by running the core.

Beyond the schema: every manifest parses, every step's field exists in its manifest, a step
check is not already met before the learner acts while its `expect` (what the text says the
screen shows) is, each challenge's starting manifest does NOT
meet its goal while the reference solution DOES and every listed wrong solution does NOT (so the
goal provably refuses those fixes), a challenge goal names only Services, ports and objects that
exist in its solution, a step check names only Services its manifest has or its text asks
for, each quiz question has exactly one correct answer, and a lesson has at
least two challenges and three quiz questions. A step or challenge whose routing view shows
only `symptoms` lists console `commands:` (the learner's only evidence), and such a step has a
check (what opens the full view). Every issue is `FILE:LINE: what is wrong`.

`ran` goals (the learner ran a console command) and `commands:` lists must be commands the
console runs (`tutor.model.console_words.problem`). In the proofs a `ran` goal is taken as met:
the solution and the wrong solutions are checked as if every `ran` command had been run (so it
is the manifest that passes or fails), and so is the start when the goal also asks something of
the manifest; a goal that asks only for commands is proven unmet at the start by running none.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tutor import resources
from tutor.model import console_words
from tutor.model.analysis import Analysis, analyze
from tutor.model.limits import InputRejected
from tutor.model.paths import Path as FieldPath
from tutor.model.paths import format_path, parse_path, value_at
from tutor.model.yamldoc import Document, YamlSyntaxError, load_documents, syntax_hint

from .goals import (
    evaluate,
    goal_problems,
    parts_of,
    ran_commands,
    split_object,
    written_objects,
)
from .lesson import ROUTING_SYMPTOMS, Challenge, Goal, Lesson, LessonError, Step
from .loader import FileReport, read_file
from .locate import document_refs, document_refs_all, find_document
from .packs import BUILTIN_PACK, LESSON_SUFFIXES, pack_files

MIN_CHALLENGES = 2
MIN_QUESTIONS = 3
_FILE_NAME = re.compile(r"\d+-(.+)\.ya?ml\Z")


LintIssue = LessonError
"""A lint finding is the same `FILE:LINE: message` record as a load error."""


class _Linter:
    def __init__(self, report: FileReport, lesson: Lesson) -> None:
        self.report = report
        self.lesson = lesson
        self.issues: list[LintIssue] = []
        self._analyses: dict[str, Analysis] = {}

    def add(self, path: FieldPath, message: str, line: int = 0) -> None:
        self.issues.append(
            LintIssue(self.report.file, line or self.report.line_of(path), message, self.lesson.id)
        )

    def analysis(self, text: str) -> Analysis:
        found = self._analyses.get(text)
        if found is None:
            network = self.lesson.network
            found = self._analyses[text] = analyze(text, network=network)
        return found

    def text_line(self, path: FieldPath, line_in_text: int) -> int:
        """The file line of line `line_in_text` of the text block at `path`."""
        doc = self.report.document
        span = doc.spans.get(path) if doc is not None else None
        if span is None:
            return self.report.line_of(path)
        lines = self.report.text.splitlines()
        head = lines[span.value_line - 1] if span.value_line <= len(lines) else ""
        # the value starts at its anchor or tag, if any (`manifest: &base |`)
        words = [w for w in head[span.value_column - 1 :].split() if w[0] not in "&!"]
        block = bool(words) and words[0][0] in "|>"
        return span.value_line + line_in_text - (0 if block else 1)

    def manifest(self, path: FieldPath, text: str, what: str) -> bool:
        """The text parses as YAML within the limits and holds objects; else an issue."""
        try:
            docs = load_documents(text)
        except YamlSyntaxError as exc:
            hint = syntax_hint(exc.message)
            self.add(
                path,
                f"{what} is not valid YAML: {exc.message} (manifest line {exc.line})"
                + (f"; {hint}" if hint else ""),
                self.text_line(path, exc.line),
            )
            return False
        except InputRejected as exc:
            self.add(path, f"{what} is refused: {exc.reason}")
            return False
        if not docs:
            self.add(path, f"{what} is empty")
            return False
        return True

    def commands(self, base: FieldPath, commands: Sequence[str]) -> None:
        """A step's or challenge's `commands:` are lines the console runs."""
        for j, command in enumerate(commands):
            why = console_words.problem(command)
            if why is not None:
                self.add((*base, "commands", j), f"the console would not run `{command}`: {why}")

    def symptoms(self, base: FieldPath, routing: str, commands: Sequence[str], what: str) -> None:
        """`routing: symptoms` hides why requests fail, so the learner needs the console:
        the step or challenge must suggest the commands that show the evidence."""
        if routing == ROUTING_SYMPTOMS and not commands:
            self.add(
                (*base, "routing"),
                f"{what} shows the routing view as `symptoms` but lists no console `commands:` "
                "to gather the evidence with",
            )

    def goal_problems(self, path: FieldPath, goal: Goal) -> None:
        """Contradictions in a goal. (A goal may name a Service or port the learner has yet
        to create, so whether the manifest has them is left to the evaluation.)"""
        for problem in goal_problems(goal):
            self.add(path, f"`{format_path(path)}`: {problem}")

    def run(self) -> list[LintIssue]:
        lesson = self.lesson
        m = _FILE_NAME.match(self.report.file.name)
        if m and m.group(1) != lesson.id:
            self.add(
                ("id",),
                f"the file name says `{m.group(1)}` but the lesson id is "
                f"`{lesson.id}` (name lesson files NN-<id>.yaml)",
            )
        if self.manifest(("manifest",), lesson.manifest, "the lesson's manifest"):
            analysis = self.analysis(lesson.manifest)
            if not analysis.cluster.services and not analysis.errors:
                self.add(("manifest",), "the lesson's manifest has no Service")
            elif not analysis.valid:
                first = analysis.errors[0]
                self.add(
                    ("manifest",),
                    f"the lesson's starting manifest is rejected: {first.message}",
                    self.text_line(("manifest",), first.line),
                )
        self.steps()
        self.challenges()
        self.quiz()
        return self.issues

    def steps(self) -> None:
        for i, step in enumerate(self.lesson.steps):
            base: FieldPath = ("steps", i)
            text = self.lesson.step_manifest(i)
            if step.manifest is not None and not self.manifest(
                (*base, "manifest"), step.manifest, f"step {i + 1}'s manifest"
            ):
                continue
            if step.manifest is not None:
                self.step_rejected(i)
            self.commands(base, step.commands)
            self.symptoms(base, step.routing, step.commands, f"step {i + 1}")
            if step.routing == ROUTING_SYMPTOMS and step.check is None:
                self.add(
                    (*base, "routing"),
                    f"step {i + 1} shows the routing view as `symptoms` but has no `check`: "
                    "the full view opens when the check is met",
                )
            if step.path:
                self.step_path(i, text)
            if step.check is not None:
                self.goal_problems((*base, "check"), step.check)
                for name in unknown_services(step.check, self.analysis(text), step):
                    have = ", ".join(
                        f"`{n}`"
                        for (k, _ns, n), _d in written_objects(self.analysis(text))
                        if k == "Service"
                    )
                    self.add(
                        (*base, "check"),
                        f"step {i + 1}'s check names Service `{name}`, which its manifest does "
                        f"not have (it has {have or 'none'}) and its text does not mention: "
                        "name a Service of the manifest, or say in `try` which one to create",
                    )
                result = evaluate(step.check, self.analysis(text), start_commands(step.check))
                if result.met:
                    self.add(
                        (*base, "check"),
                        f"step {i + 1}'s check is already met before "
                        f"the learner changes anything ({result.detail.rstrip('.')})",
                    )
            if step.expect is not None:
                self.goal_problems((*base, "expect"), step.expect)
                result = evaluate(step.expect, self.analysis(text))
                if not result.met:
                    self.add(
                        (*base, "expect"),
                        f"step {i + 1}'s text expects what its manifest does not show: "
                        f"{result.detail}",
                    )

    def step_rejected(self, i: int) -> None:
        """A step's own manifest is accepted by the API server, as the lesson's must be,
        unless the step says it shows the refusal (an `invalid` or `valid` goal)."""
        step = self.lesson.steps[i]
        if step.manifest is None:
            return
        analysis = self.analysis(step.manifest)
        kinds = {g.kind for goal in (step.check, step.expect) if goal for g in parts_of(goal)}
        if analysis.valid or not analysis.errors or kinds & {"invalid", "valid"}:
            return
        first = analysis.errors[0]
        self.add(
            ("steps", i, "manifest"),
            f"step {i + 1}'s manifest is rejected: {first.message} (if the step shows the "
            "refusal, say so with `expect: {invalid: {path: ...}}`)",
            self.text_line(("steps", i, "manifest"), first.line),
        )

    def step_path(self, i: int, text: str) -> None:
        step = self.lesson.steps[i]
        key: FieldPath = ("steps", i, "path")
        try:
            segments = parse_path(step.path)
        except ValueError as exc:
            self.add(key, f"`steps[{i}].path`: {exc}")
            return
        try:
            docs = load_documents(text)
        except (YamlSyntaxError, InputRejected):
            return  # reported with the manifest
        doc = find_document(docs, step.doc)
        if doc is None:
            if step.doc:
                have = ", ".join(f"`{ref}`" for ref in document_refs(docs))
                self.add(
                    ("steps", i, "doc"),
                    f"step {i + 1} points at `{step.doc}`, which is not in its manifest"
                    + (f" (it has {have})" if have else ""),
                )
            return
        if segments not in doc.spans:
            kind = doc.data.get("kind", "document") if isinstance(doc.data, dict) else "document"
            elsewhere = [
                ref
                for d, ref in zip(docs, document_refs_all(docs), strict=True)
                if ref and d is not doc and segments in d.spans
            ]
            self.add(
                key,
                f"step {i + 1}'s path `{step.path}` is not in the {kind} of its manifest"
                + (
                    f"; it is in `{elsewhere[0]}`: add `doc: {elsewhere[0]}`"
                    if elsewhere and not step.doc
                    else _nearest_fields(doc, segments)
                ),
            )

    def challenges(self) -> None:
        lesson = self.lesson
        if len(lesson.challenges) < MIN_CHALLENGES:
            self.add(
                ("challenges",),
                f"the lesson has {len(lesson.challenges)} challenge(s); "
                f"a lesson needs at least {MIN_CHALLENGES}",
            )
        seen: dict[str, int] = {}
        for i, ch in enumerate(lesson.challenges):
            base: FieldPath = ("challenges", i)
            if ch.id in seen:
                self.add(
                    (*base, "id"),
                    f"duplicate challenge id `{ch.id}` (also challenge {seen[ch.id] + 1})",
                )
            seen.setdefault(ch.id, i)
            if not ch.hints:
                self.add((*base, "hints"), f"challenge `{ch.id}` has no hints")
            start_ok = self.manifest(
                (*base, "manifest"), ch.manifest, f"challenge `{ch.id}`'s manifest"
            )
            solution_ok = self.manifest(
                (*base, "solution"), ch.solution, f"challenge `{ch.id}`'s solution"
            )
            self.goal_problems((*base, "goal"), ch.goal)
            self.commands(base, ch.commands)
            self.symptoms(base, ch.routing, ch.commands, f"challenge `{ch.id}`")
            if start_ok:
                result = evaluate(ch.goal, self.analysis(ch.manifest), start_commands(ch.goal))
                if result.met:
                    self.add(
                        (*base, "manifest"),
                        f"challenge `{ch.id}`'s starting manifest "
                        f"already meets its goal: {result.detail}",
                    )
            ran = ran_commands(ch.goal)
            if solution_ok:
                solved = self.analysis(ch.solution)
                for missing in missing_names(ch.goal, solved):
                    self.add((*base, "goal"), f"challenge `{ch.id}`'s goal {missing}")
                result = evaluate(ch.goal, solved, ran)
                if not result.met:
                    self.add(
                        (*base, "solution"),
                        f"challenge `{ch.id}`'s solution does not meet its goal: {result.detail}",
                    )
            self.wrong_solutions(i, ch, ran)

    def wrong_solutions(self, i: int, ch: Challenge, ran: tuple[str, ...]) -> None:
        """Each wrong solution must fail the goal (with every `ran` command run, so it is the
        manifest that is refused)."""
        for j, wrong in enumerate(ch.wrong_solutions):
            path: FieldPath = ("challenges", i, "wrong_solutions", j, "manifest")
            what = f"challenge `{ch.id}`'s wrong solution {j + 1}"
            if not self.manifest(path, wrong.manifest, what):
                continue
            result = evaluate(ch.goal, self.analysis(wrong.manifest), ran)
            if result.met:
                self.add(
                    path,
                    f"{what} meets the goal, so the challenge accepts a wrong fix "
                    f"({wrong.why.strip()}): {result.detail.rstrip('.')}; make the goal refuse "
                    "it (`unchanged: {kinds: [Pod]}` when only the Service may change, a "
                    "`field` goal for a value the task asks for), or drop it if it is right",
                )

    def quiz(self) -> None:
        lesson = self.lesson
        if len(lesson.quiz) < MIN_QUESTIONS:
            self.add(
                ("quiz",),
                f"the lesson has {len(lesson.quiz)} quiz question(s); a lesson "
                f"needs at least {MIN_QUESTIONS}",
            )
        for i, question in enumerate(lesson.quiz):
            correct = sum(1 for c in question.choices if c.correct)
            if correct != 1:
                self.add(
                    ("quiz", i),
                    f"quiz question {i + 1} has {correct} correct choices; it needs exactly one "
                    "(`correct: true` on one choice, `correct: false` on the others)",
                )
            for j, choice in enumerate(question.choices):
                if not choice.explain.strip():
                    self.add(
                        ("quiz", i, "choices", j, "explain"),
                        f"quiz question {i + 1}, choice {j + 1} has no explanation",
                    )


def _nearest_fields(doc: Document, segments: FieldPath) -> str:
    """What a step's missing `path` could have meant: the keys of its deepest part that
    exists (`(it has ...)` when that is the field's own mapping, else `(`spec` has ...)`),
    and the path with each missing key replaced by the closest existing one, when that path
    exists (`did you mean `spec.ports[0].targetPort`?`)."""
    depth = len(segments) - 1
    while depth > 0 and segments[:depth] not in doc.spans:
        depth -= 1
    parent = segments[:depth]
    value = value_at(doc.data, parent)
    out = ""
    if isinstance(value, list) and parent:  # `spec.ports[1]` where there is one port
        count = len(value)
        items = (
            "no items"
            if not count
            else "1 item, [0]"
            if count == 1
            else f"{count} items, [0] to [{count - 1}]"
        )
        out = f" (`{format_path(parent)}` has {items})"
    elif isinstance(value, dict) and value:
        keys = ", ".join(f"`{k}`" for k in list(value)[:8])
        owner = (
            "it"
            if depth == len(segments) - 1
            else (f"`{format_path(parent)}`" if parent else "the object")
        )
        out = f" ({owner} has {keys})"
    guess: list[Any] = list(parent)
    for seg in segments[depth:]:
        here = value_at(doc.data, tuple(guess))
        if isinstance(seg, str) and isinstance(here, list) and here:
            guess.append(0)  # `spec.ports.port`: a list's first item (`spec.ports[0].port`)
            here = here[0]
        if isinstance(seg, str) and isinstance(here, dict) and seg not in here:
            close = difflib.get_close_matches(seg, [k for k in here if isinstance(k, str)], 1)
            if not close:
                return out
            seg = close[0]
        guess.append(seg)
    if tuple(guess) != segments and tuple(guess) in doc.spans:
        out += f"; did you mean `{format_path(tuple(guess))}`?"
    return out


def start_commands(goal: Goal) -> tuple[str, ...]:
    """The commands taken as run when proving a start does not meet `goal` already: all of its
    `ran` commands when it also asks something of the manifest (the manifest must fail on its
    own), none when it asks only for commands."""
    if all(g.kind == "ran" for g in parts_of(goal)):
        return ()
    return ran_commands(goal)


def unknown_services(goal: Goal, analysis: Analysis, step: Step) -> list[str]:
    """The Services a step's check names that neither its manifest has nor its text or `try`
    mentions: a learner cannot guess them (a check may name a Service the step asks for)."""
    written = {(ns, n) for (k, ns, n), _d in written_objects(analysis) if k == "Service"}
    words = f"{step.text}\n{step.try_this}"
    out: list[str] = []
    for g in parts_of(goal):
        if g.kind not in ("traffic", "endpoints", "share"):
            continue
        ref = str(g.data["service"])
        ns, _, name = ref.rpartition("/")
        if (ns or "default", name) in written or ref in out:
            continue
        if not re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", words):
            out.append(ref)
    return out


def _refused_service(ref: str, analysis: Analysis) -> bool:
    """The text has Service `ref` (`name` or `namespace/name`), which the API server refused."""
    ns, _, name = ref.rpartition("/")
    return any(
        k == "Service" and n == name and (not ns or s == ns)
        for (k, s, n), _d in written_objects(analysis)
    )


def missing_names(goal: Goal, analysis: Analysis) -> list[str]:
    """What the goal names that `analysis` lacks: a Service, a port of it, an object."""
    out: list[str] = []
    objects = {key for key, _data in written_objects(analysis)}
    for g in parts_of(goal):
        data = g.data
        if g.kind in ("traffic", "endpoints", "share"):
            sr = analysis.service(str(data["service"]))
            if sr is None and _refused_service(str(data["service"]), analysis):
                continue  # the solution's own failure says why
            if sr is None:
                have = ", ".join(f"`{s.service.name}`" for s in analysis.services) or "none"
                out.append(
                    f"names Service `{data['service']}`, which the solution does not have "
                    f"(it has {have})"
                )
            elif sr.port(str(data["port"])) is None:
                have = ", ".join(p.port.label for p in sr.ports) or "none"
                out.append(
                    f"names port `{data['port']}` of Service `{data['service']}`, which the "
                    f"solution's Service does not have (its ports: {have})"
                )
        elif g.kind == "field" and split_object(str(data["object"])) not in objects:
            out.append(f"names `{data['object']}`, which is not in the solution")
    return out


def lint_file(path: Path, pack: str = BUILTIN_PACK) -> tuple[Lesson | None, list[LintIssue]]:
    """One file's lesson (None when it does not load) and every issue in it."""
    report, issues = _lint_report(path, pack)
    return report.lesson, issues


def _lint_report(path: Path, pack: str) -> tuple[FileReport, list[LintIssue]]:
    report = read_file(path, pack)
    issues = [LintIssue(e.file, e.line, e.message, e.lesson_id) for e in report.errors]
    if report.lesson is not None:
        issues.extend(_Linter(report, report.lesson).run())
        issues.sort(key=lambda i: i.line)
    return report, issues


def lint_paths(paths: Sequence[Path]) -> list[LintIssue]:
    """Lint lesson files and folders of lesson files; lesson ids must be unique across all."""
    issues: list[LintIssue] = []
    files: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found, errors = pack_files(path)
            issues.extend(LintIssue(e.file, e.line, e.message) for e in errors)
            files.extend((f, path.name) for f in found)
        elif path.exists():
            files.append((path, path.parent.name))
        else:
            issues.append(LintIssue(path, 1, "no such file or folder"))
    first: dict[str, Path] = {}
    id_lines: dict[str, int] = {}
    for file, pack in files:
        report, found_issues = _lint_report(file, pack)
        issues.extend(found_issues)
        lesson = report.lesson
        if lesson is None:
            continue
        if lesson.id in first:
            issues.append(
                LintIssue(
                    file,
                    report.line_of(("id",)),
                    f"duplicate lesson id `{lesson.id}`: {first[lesson.id]} already uses it",
                    lesson.id,
                )
            )
        else:
            first[lesson.id] = file
            id_lines[lesson.id] = report.line_of(("id",))
    issues.extend(_builtin_ids_taken(first, id_lines))
    issues.extend(_command_ids(first, id_lines))
    return issues


def _command_ids(linted: dict[str, Path], lines: dict[str, int]) -> list[LintIssue]:
    """A lesson whose id is a ktutor command's name: `ktutor ID` runs the command (the CLI
    looks for a command first), so the README's way to open a lesson cannot open it."""
    from tutor.command_names import COMMANDS

    return [
        LintIssue(
            file,
            lines.get(lesson_id, 1),
            f"lesson id `{lesson_id}` is also a ktutor command: `ktutor {lesson_id}` would run "
            "the command, not open this lesson; give it another id",
            lesson_id,
        )
        for lesson_id, file in linted.items()
        if lesson_id in COMMANDS
    ]


def _builtin_ids_taken(linted: dict[str, Path], lines: dict[str, int]) -> list[LintIssue]:
    """A pack's lesson whose id is a built-in lesson's: the app loads the built-in lessons
    with every pack, so it would list this one as broken. The built-in ids are their file
    names (`NN-<id>.yaml`, which lint holds them to), so the built-in files are not read."""
    builtin = resources.lessons_dir()
    try:
        names = {m.group(1): f for f in pack_files(builtin)[0] if (m := _FILE_NAME.match(f.name))}
        home = builtin.resolve()
    except OSError:
        return []
    out: list[LintIssue] = []
    for lesson_id, file in linted.items():
        taken = names.get(lesson_id)
        if taken is None or file.resolve().parent == home:
            continue
        out.append(
            LintIssue(
                file,
                lines.get(lesson_id, 1),
                f"lesson id `{lesson_id}` is the built-in lesson {taken.name}'s: ktutor loads the "
                "built-in lessons with every pack, so learners would see this file as broken; "
                "give this one another id",
                lesson_id,
            )
        )
    return out


def lesson_files(paths: Sequence[Path]) -> int:
    """How many lesson files `lint_paths` would read (for the summary line)."""
    count = 0
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            count += len(pack_files(path)[0])
        elif path.suffix in LESSON_SUFFIXES or path.exists():
            count += 1
    return count
