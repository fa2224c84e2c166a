"""The lesson loader: every broken file is one `FILE:LINE: message` naming the right line, and a
broken file never stops the others from loading."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from tutor.course import packs
from tutor.course.lesson import Lesson, LessonError
from tutor.course.loader import clean_text, load_lesson_file, load_lessons, parse_goal


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> LessonError:
    result = load_lesson_file(path)
    assert isinstance(result, LessonError), f"{path} loaded but should not"
    return result


def test_good_lesson_loads(tmp_path: Path, texts: SimpleNamespace) -> None:
    lesson = load_lesson_file(write(tmp_path, "07-sample.yaml", texts.GOOD))
    assert isinstance(lesson, Lesson)
    assert lesson.id == "sample" and lesson.order == 7  # order from the NN- prefix
    assert [s.path for s in lesson.steps] == ["spec.selector", "spec.ports[0].targetPort"]
    assert lesson.steps[1].line == texts.line_of(texts.GOOD, "title: The target port")
    check = lesson.steps[1].check
    assert check is not None and check.kind == "traffic" and check.data["port"] == "80"
    assert [c.id for c in lesson.challenges] == ["both-pods", "second"]
    assert lesson.challenges[0].goal.data["pods"] == ("web-1", "web-2")
    assert len(lesson.quiz) == 3 and lesson.quiz[0].choices[0].correct
    assert [s.routing for s in lesson.steps] == ["full", "full"]  # the default
    assert [c.routing for c in lesson.challenges] == ["full", "full"]


def test_routing_symptoms_loads(tmp_path: Path, texts: SimpleNamespace) -> None:
    text = texts.GOOD.replace(
        "    text: Send traffic to web-1 only.\n",
        "    text: Send traffic to web-1 only.\n    routing: symptoms\n",
    ).replace("    try: Change the selector.\n", "    try: Change it.\n    routing: symptoms\n")
    lesson = load_lesson_file(write(tmp_path, "sample.yaml", text))
    assert isinstance(lesson, Lesson)
    assert [c.routing for c in lesson.challenges] == ["full", "symptoms"]
    assert [s.routing for s in lesson.steps] == ["full", "symptoms"]


# (name, change to the good text, the line's needle, words the message must contain)
BROKEN_CASES = [
    (
        "bad-yaml",
        ("summary: Used by the tests.", "summary: [unclosed"),
        "minutes: 5",
        "YAML syntax error",
    ),
    (
        "missing-field",
        ("summary: Used by the tests.\n", ""),
        "id: sample",
        "missing the required field `summary`",
    ),
    (
        "wrong-type",
        ("minutes: 5", "minutes: five"),
        "minutes: five",
        '`minutes` must be a whole number, not the text "five"',
    ),
    (
        "unknown-field",
        ("title: A sample lesson", "titel: A sample lesson"),
        "titel:",
        "unknown field `titel`",
    ),
    (
        "step-missing-text",
        ("    text: Where traffic arrives.\n", ""),
        "title: The target port",
        "`steps[1]` is missing the required field `text`",
    ),
    ("bad-id", ("id: sample", "id: Sample_1"), "id: Sample_1", "`id` must be lower-case"),
    (
        "two-goal-keys",
        (
            '      traffic: {service: web, port: "80", count: 0}',
            '      traffic: {service: web, port: "80", count: 0}\n      valid: true',
        ),
        "valid: true",
        "a goal holds one",
    ),
    (
        "unknown-goal",
        (
            '      traffic: {service: web, port: "80", count: 0}',
            '      trafic: {service: web, port: "80", count: 0}',
        ),
        "trafic:",
        "unknown field `trafic`",
    ),
    (
        "port-type",
        (
            '      traffic: {service: web, port: "80", count: 0}',
            "      traffic: {service: web, port: [80], count: 0}",
        ),
        "port: [80]",
        "port name or a number",
    ),
    (
        "no-hints",
        ("    hints:\n      - Look at the labels.\n", "    hints: []\n"),
        "hints: []",
        "`challenges[0].hints` needs at least 1 item",
    ),
    (
        "hints-empty",
        ("      - Look at the labels.\n", ""),
        "    hints:",
        "`challenges[0].hints` must be a list, not empty",
    ),
    (
        "duplicate-key",
        ("minutes: 5", "minutes: 5\nminutes: 6"),
        "minutes: 6",
        "duplicate key `minutes`",
    ),
    ("two-documents", ("quiz:", "---\nquiz:"), "^---", "one YAML document"),
    (
        "yes-is-a-bool",
        ("text: nope, correct: false", "text: no, correct: false"),
        "text: no, correct",
        'quote it: "no"',
    ),
    ("not-a-mapping", None, "- just", "mapping of fields"),
    (
        "routing-value",
        ("    text: Send traffic to web-1 only.\n", "    text: x\n    routing: hidden\n"),
        "routing: hidden",
        '`challenges[1].routing` must be one of full, symptoms, not the text "hidden"',
    ),
]


@pytest.mark.parametrize("name,change,needle,words", BROKEN_CASES, ids=[c[0] for c in BROKEN_CASES])
def test_broken_lesson_names_file_and_line(
    tmp_path: Path,
    texts: SimpleNamespace,
    name: str,
    change: tuple[str, str] | None,
    needle: str,
    words: str,
) -> None:
    if change is None:
        text = "- just\n- a list\n"
    else:
        assert change[0] in texts.GOOD
        text = texts.GOOD.replace(change[0], change[1], 1)
    path = write(tmp_path, f"{name}.yaml", text)
    err = error_of(path)
    assert words in err.message
    assert err.line == texts.line_of(text, needle)
    assert str(err) == f"{path}:{err.line}: {err.message}"


@pytest.mark.parametrize(
    "data,words",
    [
        (b"", "empty"),
        (b"id: x\x00\x01\x02", "binary"),
        (b"id: caf\xe9\n", "not UTF-8"),
        (b"title: " + b"x" * (2 * 1024 * 1024 + 10), "too large"),
        (
            b"a: &a [1,1,1,1,1,1,1,1,1,1]\n"
            + b"".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n".encode()
                for i in range(8)
            ),
            "alias",
        ),
        (b"x: " + b"[" * 100 + b"]" * 100 + b"\n", "nested"),
    ],
)
def test_hostile_files_are_refused(tmp_path: Path, data: bytes, words: str) -> None:
    err = error_of(write(tmp_path, "hostile.yaml", data))
    assert words in err.message
    assert err.line >= 1


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "latin1.yaml", b"id: x\ntitle: ok\nsummary: caf\xe9\n"))
    assert err.line == 3


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("\x1b[31mRed\x1b[0m", "Red"),
        ("title\x1b]0;pwned\x07 here", "title here"),
        ("bell\x07 and\rreturn", "bell andreturn"),
        ("8-bit \x9b2J CSI", "8-bit  CSI"),
        ("tabs\tand\nnewlines stay", "tabs\tand\nnewlines stay"),
        ("bidi \u202eevil\u202c", "bidi evil"),
        ("café ✓ 日本", "café ✓ 日本"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_escape_sequences_stripped_from_every_string(
    tmp_path: Path, texts: SimpleNamespace
) -> None:
    text = (
        texts.GOOD.replace("title: A sample lesson", 'title: "\\e[2J\\e[31mA sample lesson\\e[0m"')
        .replace("text: What it is.", 'text: "What \\e]0;owned\\a it is.\\x9b1m"')
        .replace("- Look at the labels.", '- "Look\\x07 at the labels."')
    )
    lesson = load_lesson_file(write(tmp_path, "esc.yaml", text))
    assert isinstance(lesson, Lesson), lesson
    assert lesson.title == "A sample lesson"
    assert lesson.steps[0].text == "What  it is."
    assert lesson.challenges[0].hints == ("Look at the labels.",)


def test_one_broken_file_does_not_break_the_others(tmp_path: Path, texts: SimpleNamespace) -> None:
    write(tmp_path, "01-sample.yaml", texts.GOOD)
    write(tmp_path, "02-broken.yaml", "id: [")
    write(tmp_path, "03-other.yaml", texts.GOOD.replace("id: sample", "id: other"))
    result = load_lessons([tmp_path], include_builtin=False)
    assert result.ids == ["sample", "other"]
    assert [e.file.name for e in result.errors] == ["02-broken.yaml"]
    assert result.get("other") is not None and result.get("nope") is None


def test_asking_for_a_lesson_whose_file_did_not_load_says_why(
    tmp_path: Path, texts: SimpleNamespace
) -> None:
    """`ktutor --lessons PACK broken` (docs/workshop.md's checklist: every lesson opens with
    `ktutor --lessons my-pack ID`) said only "no lesson 'broken'", not that its file failed."""
    write(tmp_path, "01-sample.yaml", texts.GOOD)
    bad = write(
        tmp_path,
        "02-broken.yaml",
        texts.GOOD.replace("id: sample", "id: broken", 1)[:-1] + "\n  - [",
    )
    write(tmp_path, "03-other.yaml", "id: other\ntitle: [\n")
    result = load_lessons([tmp_path], include_builtin=False)
    assert result.not_found("broken") == (
        f"no lesson 'broken'; lessons: sample; {bad.name} did not load: {result.errors[0]}"
    )
    # by the file's name, when the id could not be read
    assert "03-other.yaml did not load: " in result.not_found("other")
    assert result.not_found("nope") == (
        "no lesson 'nope'; lessons: sample (2 lesson files did not load: `ktutor lint` on their "
        "folder says why)"
    )


def test_duplicate_id_is_an_error_on_the_second_file(
    tmp_path: Path, texts: SimpleNamespace
) -> None:
    first = write(tmp_path, "01-a.yaml", texts.GOOD)
    write(tmp_path, "02-b.yaml", "# a comment line\n" + texts.GOOD)
    result = load_lessons([tmp_path], include_builtin=False)
    assert len(result.lessons) == 1 and result.lessons[0].source == first
    (err,) = result.errors
    assert err.file.name == "02-b.yaml" and err.line == 2  # the line of `id:`
    assert "duplicate lesson id `sample`" in err.message and str(first) in err.message


def test_builtin_env_and_extra_packs_sorted_by_pack_then_order(
    tmp_path: Path, texts: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = tmp_path / "extra"
    env = tmp_path / "env"
    extra.mkdir()
    env.mkdir()
    write(extra, "09-late.yaml", texts.GOOD.replace("id: sample", "id: late"))
    write(extra, "01-early.yaml", texts.GOOD.replace("id: sample", "id: early"))
    write(env, "x.yaml", texts.GOOD.replace("id: sample", "id: from-env"))
    monkeypatch.setenv("KTUTOR_LESSONS", os.pathsep.join([str(env), "", str(tmp_path / "gone")]))
    result = load_lessons([extra])
    builtin = [lesson for lesson in result.lessons if lesson.pack == "built-in"]
    assert builtin and result.lessons[: len(builtin)] == builtin
    assert builtin[0].id == "anatomy"
    assert [lesson.id for lesson in result.lessons[len(builtin) :]] == ["early", "late", "from-env"]
    assert any("no such lesson folder" in e.message for e in result.errors)


def test_the_same_folder_twice_is_read_once(tmp_path: Path, texts: SimpleNamespace) -> None:
    write(tmp_path, "a.yaml", texts.GOOD)
    result = load_lessons([tmp_path, tmp_path], include_builtin=False)
    assert len(result.lessons) == 1 and not result.errors


def test_too_many_files_in_a_pack_are_reported(
    tmp_path: Path, texts: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packs, "MAX_LESSON_FILES", 2)
    for i in range(4):
        write(tmp_path, f"{i:02d}-l.yaml", texts.GOOD.replace("id: sample", f"id: l{i}"))
    result = load_lessons([tmp_path], include_builtin=False)
    assert result.ids == ["l0", "l1"]
    (err,) = result.errors
    assert err.file.name == "02-l.yaml" and "2 lesson files not loaded" in err.message
    assert "split the pack into several folders (one --lessons DIR each)" in err.message
    (tmp_path / "03-l.yaml").unlink()  # one too many: said in the singular
    (err,) = load_lessons([tmp_path], include_builtin=False).errors
    assert err.message.startswith("1 lesson file not loaded: "), err.message


def test_links_outside_the_pack_are_refused(tmp_path: Path, texts: SimpleNamespace) -> None:
    outside = write(tmp_path, "secret.yaml", texts.GOOD)
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "01-link.yaml").symlink_to(outside)
    (pack / "02-dangling.yaml").symlink_to(tmp_path / "missing.yaml")
    result = load_lessons([pack], include_builtin=False)
    assert result.lessons == []
    messages = {e.file.name: e.message for e in result.errors}
    assert "outside the lesson pack" in messages["01-link.yaml"]
    assert "broken link" in messages["02-dangling.yaml"]


def test_a_folder_named_like_a_lesson_is_skipped(tmp_path: Path, texts: SimpleNamespace) -> None:
    (tmp_path / "dir.yaml").mkdir()
    write(tmp_path, "a.yaml", texts.GOOD)
    result = load_lessons([tmp_path], include_builtin=False)
    assert result.ids == ["sample"] and not result.errors


def test_missing_file() -> None:
    err = error_of(Path("/nonexistent/lesson.yaml"))
    assert err.message == "no such file"


@pytest.mark.parametrize(
    "goal,kind,data",
    [
        (
            {"traffic": {"service": "web", "port": 80, "pods": ["a"]}},
            "traffic",
            {"service": "web", "port": "80", "pods": ("a",)},
        ),
        ({"valid": True, "description": "ok"}, "valid", {}),
        ({"all": [{"valid": True}, {"dns": {"name": "web"}}]}, "all", None),
    ],
)
def test_parse_goal(goal: dict[str, object], kind: str, data: dict[str, object] | None) -> None:
    parsed = parse_goal(goal)
    assert parsed.kind == kind
    if data is not None:
        assert parsed.data == data
    else:
        assert [g.kind for g in parsed.data["goals"]] == ["valid", "dns"]


@pytest.mark.parametrize(
    "goal,words",
    [
        ({"traffic": {"service": "web"}}, "missing the required field `port`"),
        ({"valid": False}, "must be `true`"),
        ({"description": "nothing"}, "names no goal"),
        ({"dns": {"name": "x", "type": "MX"}}, "one of A, AAAA, SRV, CNAME"),
    ],
)
def test_parse_goal_rejects(goal: dict[str, object], words: str) -> None:
    with pytest.raises(ValueError, match=words.replace("(", r"\(")):
        parse_goal(goal)


def test_the_checked_schema_reports_what_the_schema_as_written_reports() -> None:
    """`schema.validator()` checks a copy of lesson.schema.json with its references to
    definitions written out in place (a goal inside `all:` still refers to itself): every error
    is the one the schema as written gives, keyword, place, value and sub-errors, on lessons
    broken the ways the loader's table breaks them. (3,000 random breakages agreed when it
    was written.)"""
    import copy
    import json
    import random
    from typing import Any

    from jsonschema import Draft202012Validator
    from testkit import builtin_lessons, load_yaml, parent_of, tree_paths

    from tutor.course import schema

    def errors(validator: Draft202012Validator, data: Any) -> list[tuple[Any, ...]]:
        return [
            (
                tuple(e.absolute_path),
                e.validator,
                json.dumps(e.validator_value, default=str),
                json.dumps(e.instance, default=str),
                [tuple(c.absolute_path) for c in e.context],
            )
            for e in validator.iter_errors(data)
        ]

    checked = schema.validator()
    as_written = Draft202012Validator(schema.schema())
    assert json.dumps(checked.schema).count('"$ref"') < json.dumps(schema.schema()).count('"$ref"')
    values = [None, 0, -5, "", "x", True, [], {}, [1], {"a": 1}, 70000, "a" * 300]
    values += [{"traffic": {}}, {"all": [{"valid": True}, {"x": 1}]}, {"valid": True, "dns": {}}]
    rng = random.Random(2026)
    lessons = [load_yaml(le.source.read_text(encoding="utf-8")) for le in builtin_lessons()[:4]]
    found = 0
    for _ in range(12):
        data = copy.deepcopy(rng.choice(lessons))
        for _ in range(rng.randint(1, 4)):
            path = rng.choice(tree_paths(data))
            parent, key = parent_of(data, path), path[-1]
            if rng.random() < 0.25:
                del parent[key]
            elif rng.random() < 0.3 and isinstance(parent, dict):
                parent[f"{key}s"] = parent.pop(key)
            else:
                parent[key] = copy.deepcopy(rng.choice(values))
        expected = errors(as_written, data)
        assert errors(checked, data) == expected
        found += len(expected)
    assert found > 12
