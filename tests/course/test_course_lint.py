"""The linter: a sound lesson passes; each kind of unsound lesson is named with its line."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tutor.course.lint import LintIssue, lint_paths


def lint_text(tmp_path: Path, text: str, name: str = "lesson.yaml") -> list[LintIssue]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return lint_paths([path])


def test_good_lesson_passes(tmp_path: Path, texts: SimpleNamespace) -> None:
    assert lint_text(tmp_path, texts.GOOD) == []


# The built-in lessons pass: test_course_commands' `ktutor lint` without paths (lint_paths on
# the same folder, printing each issue; a second lint_paths of them here was ~0.7 CPU s).


# (name, (old, new) replacements, needle for the line, words)
CASES = [
    (
        "start already meets the goal",
        [
            (
                'traffic: {service: web, port: "80", pods: [web-1, web-2]}',
                'traffic: {service: web, port: "80", pods_include: [web-1]}',
            )
        ],
        ("    manifest: |", 1),
        "starting manifest already meets its goal: web-1 gets traffic",
    ),
    (
        "solution misses the goal",
        [
            (
                'traffic: {service: web, port: "80", pods: [web-1]}',
                'traffic: {service: web, port: "80", pods: [web-2]}',
            )
        ],
        ("    solution: |", 2),
        "solution does not meet its goal: web-2 gets no traffic: label `app` is `website`, the "
        "Service wants `web`",
    ),
    (
        "bad path",
        [("path: spec.ports[0].targetPort", "path: spec.ports[0].targetPrt")],
        "path: spec.ports[0].targetPrt",
        "step 2's path `spec.ports[0].targetPrt` is not in the Service of its manifest "
        "(it has `port`, `targetPort`)",
    ),
    (
        "path that is not a path",
        [("path: spec.selector", "path: spec..selector")],
        "path: spec..selector",
        "not a field path",
    ),
    (
        "doc not in manifest",
        [("    path: spec.selector\n", "    path: spec.selector\n    doc: Pod/web-9\n")],
        "doc: Pod/web-9",
        "points at `Pod/web-9`, which is not in its manifest",
    ),
    (
        "step check already met",
        [("count: 0}", "count: 1}")],
        ("    check:", 1),
        "step 2's check is already met before the learner changes anything",
    ),
    (
        "two correct answers",
        [
            (
                "{text: nope, correct: false, explain: because not}",
                "{text: nope, correct: true, explain: because not}",
            )
        ],
        "question: Q1?",
        "quiz question 1 has 2 correct choices; it needs exactly one (`correct: true` on one "
        "choice, `correct: false` on the others)",
    ),
    (
        "no correct answer",
        [
            (
                "{text: sure, correct: true, explain: because}",
                "{text: sure, correct: false, explain: because}",
            )
        ],
        "question: Q1?",
        "quiz question 1 has 0 correct choices",
    ),
    (
        "too few questions",
        [
            (
                "  - question: Q3?\n    choices:\n"
                "      - {text: sure, correct: true, explain: because}\n"
                "      - {text: nope, correct: false, explain: because not}\n",
                "",
            )
        ],
        "quiz:",
        "2 quiz question(s); a lesson needs at least 3",
    ),
    (
        "duplicate challenge id",
        [("id: second", "id: both-pods")],
        ("id: both-pods", 2),
        "duplicate challenge id `both-pods`",
    ),
    (
        "manifest does not parse",
        [("  apiVersion: v1\n  kind: Service\n", "  apiVersion: v1\n  kind: [Service\n")],
        # the parser notices the open `[` on the next line: the issue names that file line
        ("  metadata:", 1),
        "the lesson's manifest is not valid YAML: did not find expected ',' or "
        "']' (while parsing a flow sequence) (manifest line 3)",
    ),
    (
        "contradictory goal",
        [
            (
                'traffic: {service: web, port: "80", pods: [web-1]}',
                'traffic: {service: web, port: "80", pods: [web-1], count: 2}',
            )
        ],
        ("    goal:", 2),
        "`pods` names 1 Pods but `count` is 2",
    ),
    (
        # docs/lessons.md suggests `manifest: &base |`: the anchor must not shift the line
        "rejected manifest with an anchor",
        [
            ("manifest: |\n  apiVersion", "manifest: &base |\n  apiVersion"),
            ("- port: 80", "- port: 0"),
        ],
        "    - port: 0",
        "the lesson's starting manifest is rejected: spec.ports[0].port",
    ),
    (
        "bad path whose parent is missing too",
        [("path: spec.ports[0].targetPort", "path: spec.port[0].targetPort")],
        "path: spec.port[0].targetPort",
        "step 2's path `spec.port[0].targetPort` is not in the Service of its manifest "
        "(`spec` has `selector`, `ports`); did you mean `spec.ports[0].targetPort`?",
    ),
    (
        "bad path without the list's index",
        [("path: spec.ports[0].targetPort", "path: spec.ports.targetPort")],
        "path: spec.ports.targetPort",
        "did you mean `spec.ports[0].targetPort`?",
    ),
    (
        "bad path past the end of a list",
        [("path: spec.ports[0].targetPort", "path: spec.ports[1].targetPort")],
        "path: spec.ports[1].targetPort",
        "is not in the Service of its manifest (`spec.ports` has 1 item, [0])",
    ),
    (
        "a Pod's field without `doc:`",
        [("path: spec.ports[0].targetPort", "path: spec.nodeName")],
        "path: spec.nodeName",
        "step 2's path `spec.nodeName` is not in the Service of its manifest; it is in "
        "`Pod/web-1`: add `doc: Pod/web-1`",
    ),
    (
        "doc not in manifest lists the documents",
        [("    path: spec.selector\n", "    path: metadata.name\n    doc: Pod/web-9\n")],
        "doc: Pod/web-9",
        "(it has `Service/web`, `Pod/web-1`, `Pod/web-2`)",
    ),
    (
        "step check names a Service nobody mentions",
        [('service: web, port: "80", count: 0', 'service: web-svc, port: "80", count: 0')],
        ("    check:", 1),
        "step 2's check names Service `web-svc`, which its manifest does not have (it has "
        "`web`) and its text does not mention",
    ),
    (
        "a value with a colon and a space, unquoted",
        [("question: Q1?", "question: What does `app: web` select?")],
        "question: What does",
        "quote the whole value",
    ),
    (
        "a step text not indented under its key",
        [("    text: What it is.\n", "    text: |\n    **What it is.**\n")],
        "**What it is.**",
        "indent the block's lines deeper than its key",
    ),
    (
        "a key indented one space too far",
        [("    try: Change the selector.", "     try: Change the selector.")],
        "try: Change the selector.",
        "same column",
    ),
    (
        "a tab",
        [("    path: spec.selector\n", "\tpath: spec.selector\n")],
        "path: spec.selector",
        "indent with spaces",
    ),
    (
        "a text read as a mapping",
        [("    text: What it is.\n", "    text:\n      app: web\n")],
        "^    text:",
        "`steps[0].text` must be text, not a mapping (write `text: |` and the text indented "
        "below it, or quote a one-line value that holds `: `)",
    ),
    (
        "a manifest of several documents without its `|`",
        [("manifest: |\n  apiVersion", "manifest:\n  apiVersion")],
        ("  apiVersion: v1", 2),
        "a `---` inside a value: a manifest is text, so write `manifest: |` (or `solution: |`) "
        "with the documents indented below it",
    ),
    (
        "a path with brackets unquoted inside braces",
        [('traffic: {service: web, port: "80", count: 0}', "invalid: {path: spec.ports[0].port}")],
        "invalid: {path: spec.ports[0].port}",
        "inside `{...}` or `[...]`, quote a value that holds `[`, `]`, `{`, `}` or `,`: "
        '`{path: "spec.ports[0].port"}`',
    ),
    (
        "unchanged names a kind that is not one",
        [
            (
                '    goal:\n      traffic: {service: web, port: "80", pods: [web-1, web-2]}\n',
                "    goal:\n      all:\n"
                '        - traffic: {service: web, port: "80", pods: [web-1, web-2]}\n'
                "        - unchanged: {kinds: [Pods]}\n",
            )
        ],
        ("    goal:", 1),
        "`unchanged` names the kind `Pods`, which is not a kind: did you mean `Pod`?",
    ),
    (
        "a step's own manifest that the API server rejects",
        [
            (
                "    try: Change the selector.\n",
                "    try: Change the selector.\n    manifest: |\n"
                "      apiVersion: v1\n      kind: Service\n      metadata:\n        name: web\n"
                "      spec:\n        ports:\n        - port: 0\n          targetPort: 8080\n",
            )
        ],
        "        - port: 0",
        "step 2's manifest is rejected: spec.ports[0].port: Invalid value: 0",
    ),
    (
        "challenge goal names a Service the solution lacks",
        [
            (
                'traffic: {service: web, port: "80", pods: [web-1, web-2]}',
                'traffic: {service: web-svc, port: "80", pods: [web-1, web-2]}',
            )
        ],
        ("    goal:", 1),
        "challenge `both-pods`'s goal names Service `web-svc`, which the solution does not have "
        "(it has `web`)",
    ),
    (
        "a quiz choice written as plain text",
        [("      - {text: nope, correct: false, explain: because not}\n", "      - nope\n")],
        "      - nope",
        '`quiz[0].choices[1]` must be a mapping, not the text "nope" (a mapping with `text:`, '
        "`correct:`, `explain:`)",
    ),
    (
        "symptoms without commands",
        [("    text: Send traffic to web-1 only.\n", "    text: x\n    routing: symptoms\n")],
        "routing: symptoms",
        "challenge `second` shows the routing view as `symptoms` but lists no console "
        "`commands:` to gather the evidence with",
    ),
    (
        "symptoms step without a check",
        [
            (
                "    text: What it is.\n",
                "    text: x\n    routing: symptoms\n    commands: [curl web]\n",
            )
        ],
        "routing: symptoms",
        "step 1 shows the routing view as `symptoms` but has no `check`",
    ),
]


@pytest.mark.parametrize("name,changes,needle,words", CASES, ids=[c[0] for c in CASES])
def test_unsound_lesson_fails(
    tmp_path: Path,
    texts: SimpleNamespace,
    name: str,
    changes: list[tuple[str, str]],
    needle: str | tuple[str, int],
    words: str,
) -> None:
    text = texts.GOOD
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    issues = lint_text(tmp_path, text)
    matching = [i for i in issues if words in i.message]
    assert matching, "\n".join(map(str, issues))
    want = (
        texts.line_of(text, *needle) if isinstance(needle, tuple) else texts.line_of(text, needle)
    )
    assert matching[0].line == want, str(matching[0])
    assert str(matching[0]).startswith(f"{tmp_path / 'lesson.yaml'}:{want}: ")


def test_symptoms_with_commands_and_a_check_pass(tmp_path: Path, texts: SimpleNamespace) -> None:
    text = texts.GOOD.replace(
        "    text: Send traffic to web-1 only.\n",
        "    text: x\n    routing: symptoms\n    commands: [curl web]\n",
    ).replace(
        "    try: Change the selector.\n",
        "    try: x\n    routing: symptoms\n    commands: [curl web]\n",
    )
    assert lint_text(tmp_path, text) == []


def test_file_name_must_match_id(tmp_path: Path, texts: SimpleNamespace) -> None:
    issues = lint_text(tmp_path, texts.GOOD, "03-other.yaml")
    assert [i.message for i in issues] == [
        "the file name says `other` but the lesson id is `sample` (name lesson files NN-<id>.yaml)"
    ]
    assert issues[0].line == 1


def test_schema_errors_are_lint_issues_too(tmp_path: Path, texts: SimpleNamespace) -> None:
    text = texts.GOOD.replace("minutes: 5", "minutes: -1")
    issues = lint_text(tmp_path, text)
    assert [(i.line, i.message) for i in issues] == [
        (4, "`minutes` must be at least 1, not the number -1")
    ]


def test_duplicate_lesson_ids_across_files(tmp_path: Path, texts: SimpleNamespace) -> None:
    (tmp_path / "a.yaml").write_text(texts.GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("# the same lesson again\n" + texts.GOOD, encoding="utf-8")
    issues = lint_paths([tmp_path])
    assert len(issues) == 1 and issues[0].file.name == "b.yaml" and issues[0].line == 2
    assert "duplicate lesson id `sample`" in issues[0].message


def test_missing_path(tmp_path: Path) -> None:
    (issue,) = lint_paths([tmp_path / "nope.yaml"])
    assert issue.message == "no such file or folder"


def test_a_rejected_solution_is_named_once_not_as_a_missing_service(
    tmp_path: Path, texts: SimpleNamespace
) -> None:
    """The API server refuses the solution's Service: lint says so, and does not also claim
    the solution has no Service `web` (it has one, refused)."""
    fixed = texts.FIXED.replace("- port: 80", "- port: 0", 1)
    text = texts.GOOD.replace(f"    solution: |\n{texts.FIXED}", f"    solution: |\n{fixed}", 1)
    assert text != texts.GOOD
    messages = [i.message for i in lint_text(tmp_path, text)]
    assert any("solution does not meet its goal: The API server rejects" in m for m in messages)
    assert not [m for m in messages if "which the solution does not have" in m], messages


def test_a_wrong_solution_that_passes_says_what_to_do(
    tmp_path: Path, texts: SimpleNamespace
) -> None:
    """A wrong solution that meets the goal was reported with what is wrong only; the
    instructor also needs to know the two ways out: a goal that refuses it, or dropping it."""
    wrong = texts.indent(texts.MANIFEST.replace("app: website", "app: web"), 8)
    listed = f"    wrong_solutions:\n      - why: Relabel the Pod.\n        manifest: |\n{wrong}"
    text = texts.GOOD.replace("  - id: second\n", f"{listed}  - id: second\n", 1)
    (issue,) = lint_text(tmp_path, text)
    assert issue.line == texts.line_of(text, "        manifest: |")
    assert "wrong solution 1 meets the goal, so the challenge accepts a wrong fix" in issue.message
    assert issue.message.endswith(
        "; make the goal refuse it (`unchanged: {kinds: [Pod]}` when only the Service may "
        "change, a `field` goal for a value the task asks for), or drop it if it is right"
    ), issue.message


def test_a_pack_lesson_with_a_built_in_id_is_named(tmp_path: Path, texts: SimpleNamespace) -> None:
    """An instructor copied lessons/04-labels-selectors.yaml into a pack to adapt it: `ktutor
    lint PACK` passed, then the app listed it as broken (the built-in lessons always load with
    a pack, and the id was theirs) and `ktutor print labels-selectors --lessons PACK` printed
    the built-in lesson."""
    text = "# adapted for our team\n" + texts.GOOD.replace("id: sample", "id: labels-selectors", 1)
    (issue,) = lint_text(tmp_path, text, "04-labels-selectors.yaml")
    assert issue.line == 2
    assert issue.message.startswith(
        "lesson id `labels-selectors` is the built-in lesson 04-labels-selectors.yaml's: "
    ), issue.message
    assert "give this one another id" in issue.message


@pytest.mark.parametrize("lesson_id", ["dns", "route", "print"])
def test_a_lesson_id_that_is_a_command_is_named(
    tmp_path: Path, texts: SimpleNamespace, lesson_id: str
) -> None:
    """Lesson 11 had the id `dns`: the README's `ktutor dns` ran the DNS command, which asked
    for a file. `ktutor ID` looks for a command first, so no lesson can have a command's name."""
    text = texts.GOOD.replace("id: sample", f"id: {lesson_id}", 1)
    (issue,) = lint_text(tmp_path, text, f"05-{lesson_id}.yaml")
    assert issue.line == 1 and issue.lesson_id == lesson_id, issue
    assert issue.message == (
        f"lesson id `{lesson_id}` is also a ktutor command: `ktutor {lesson_id}` would run the "
        "command, not open this lesson; give it another id"
    )
