"""`ktutor print`: every step, the field marked, routing per step, answers last, HTML escaped."""

from __future__ import annotations

import difflib
import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from testkit import builtin_lesson, builtin_lessons

from tutor.classroom.printing import (
    CHANGED,
    MARK,
    Manifest,
    mark_line,
    render,
    routing,
    solution_view,
    step_views,
)
from tutor.cli import main
from tutor.course.find import LessonNotFound, find_lesson
from tutor.course.lesson import Lesson

FIXTURE = Path(__file__).parent / "data" / "pack" / "01-hostile.yaml"


@pytest.fixture(scope="module")
def lesson() -> Lesson:
    return find_lesson(str(FIXTURE))


class _Collect(HTMLParser):
    """Tags, text and whether any script/handler attribute got through."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.bad: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("script", "img", "iframe", "link") or any(k.startswith("on") for k, _ in attrs):
            self.bad.append(tag)
        if tag not in ("meta", "br", "hr"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_mark_line_finds_the_key_in_the_right_document() -> None:
    lesson = find_lesson(str(FIXTURE))
    manifest = lesson.step_manifest(0)
    idx = mark_line(manifest, "spec.ports[0].port")
    assert idx is not None and manifest.split("\n")[idx].strip() == "port: 80"
    assert mark_line(manifest, "metadata.labels.app") == manifest.split("\n").index(
        "    app: web", manifest.split("\n").index("  name: web-1")
    )
    assert mark_line(manifest, "spec.nothere") is None
    assert mark_line(manifest, "") is None


def test_markdown_has_every_step_with_its_field_marked(lesson: Lesson) -> None:
    md = render(lesson, "md")
    positions = [md.index(f"### Step {i + 1}: {s.title}") for i, s in enumerate(lesson.steps)]
    assert positions == sorted(positions)
    for i, step in enumerate(lesson.steps):
        section = md[positions[i] : positions[i + 1] if i + 1 < len(positions) else None]
        marked = [line for line in section.splitlines() if line.endswith(MARK)]
        if step.path:
            leaf = step.path.rsplit(".", 1)[-1]
            assert len(marked) == 1 and marked[0].lstrip().startswith(leaf + ":"), marked
        else:
            assert marked == []


def test_routing_follows_each_steps_own_manifest(lesson: Lesson) -> None:
    md = render(lesson, "md")
    step1 = md[md.index("### Step 1") : md.index("### Step 2")]
    step2 = md[md.index("### Step 2") : md.index("### Step 3")]
    assert "**web-1** gets traffic on port 8080" in step1
    assert "web-2: no traffic: label `app` is `api`" in step1
    # step 2 brings its own manifest: the selector now picks web-2, on targetPort 9090
    assert "**web-2** gets traffic on port 9090" in step2
    assert "web-1" not in step2


def test_routing_reports_rejected_manifests() -> None:
    r = routing("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports: [{port: 0}]\n")
    assert r.errors and "spec.ports[0].port" in r.errors[0] and r.errors[0].startswith("line 5")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_quiz_answers_and_solutions_come_after_every_question(lesson: Lesson, fmt: str) -> None:
    out = render(lesson, fmt)
    last_question = max(out.index(q.question.split()[0]) for q in lesson.quiz)
    answers = out.index("Answers")
    assert last_question < answers
    for q in lesson.quiz:
        for c in q.choices:
            if c.correct:
                explain = c.explain.split()[0]
                assert out.index(explain) > answers, f"{explain} shown before the answers"
    # hints sit with their challenge; solutions only in the answers
    assert out.index("HINT-TWO-MARKER") < answers
    assert out.count("port: 70000") == 1 and out.index("port: 70000") > answers


def test_html_is_escaped_well_formed_and_self_contained(lesson: Lesson) -> None:
    page = render(lesson, "html")
    parser = _Collect()
    parser.feed(page)
    assert parser.bad == [], f"active content got through: {parser.bad}"
    assert parser.stack == ["html"] or parser.stack == []
    text = "".join(parser.text)
    assert '<script>alert("t")</script>' in text  # shown as text, not run
    assert "<img src=x onerror=alert(1)>" in text
    assert not re.search(r"(src|href)=\"?(https?:)?//", page), "no external resources"
    # accessible structure: one h1, headings never skip a level, manifests in <pre>
    heads = [int(t[1]) for t in parser.tags if re.fullmatch(r"h[1-6]", t)]
    assert heads.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(heads))
    full = _Collect()
    full.feed(render(lesson, "html", full=True))
    assert full.tags.count("pre") >= len(lesson.steps) + 2 * len(lesson.challenges)
    assert '<html lang="en">' in page
    assert '<strong class="here">    port: 80  <span># &lt;- here</span></strong>' in page


def test_every_builtin_lesson_prints_every_step() -> None:
    lessons = builtin_lessons()
    assert lessons, "no built-in lessons found"
    for lesson in lessons:
        for fmt in ("md", "html"):
            out = render(lesson, fmt)
            for i in range(len(lesson.steps)):
                assert f"Step {i + 1}: " in out, (lesson.id, fmt, i)


def test_cli_writes_the_file_and_picks_html_from_the_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "handout.html"
    assert main(["print", str(FIXTURE), "--output", str(target)]) == 0
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert main(["print", "print-fixture", "--lessons", str(FIXTURE.parent)]) == 0
    assert capsys.readouterr().out.startswith("# Ports")
    assert main(["print", "no-such-lesson"]) == 2
    err = capsys.readouterr().err
    assert "no lesson 'no-such-lesson'" in err and err.endswith("\n") and err.count("\n") == 1
    assert main(["print", str(FIXTURE), "-o", str(tmp_path / "missing" / "x.md")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_find_lesson_reports_a_broken_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [\n")
    with pytest.raises(LessonNotFound, match=r"bad\.yaml"):
        find_lesson(str(bad))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param(
            "kind: Service\napiVersion: v1\nmetadata: {name: web}\nspec:\n"
            "  selector: {app: web}\n  ports: [{port: 80, targetPort: 80}]\n---\n"
            "kind: Pod\napiVersion: v1\nmetadata: {name: web-1, labels: {app: web}}\n"
            "spec: {containers: [{name: a, image: x, ports: [{containerPort: 8080}]}]}\n",
            "**web-1** gets traffic on port 80 but refuses it: nothing listens on port 80",
            id="refused-by-pod",
        ),
        pytest.param(
            "kind: Service\napiVersion: v1\nmetadata: {name: web}\nspec:\n"
            "  selector: {app: web}\n  ports: [{port: 80}]\n",
            "a request: connection refused by kube-proxy (REJECT): web port 80 has no endpoints",
            id="no-endpoints",
        ),
    ],
)
def test_handout_routing_says_what_a_request_does(text: str, words: str) -> None:
    from tutor.classroom.printing import _md_routing

    assert words in "\n".join(_md_routing(routing(text)))


TWO_DOCS = """\
apiVersion: v1
kind: Service
metadata: {name: front}
spec:
  selector: {app: front}
  ports:
  - port: 80
---
apiVersion: v1
kind: Service
metadata: {name: back}
spec:
  selector: {app: back}
  ports:
  - port: 80
"""


def test_the_steps_doc_is_where_the_mark_and_the_highlight_go() -> None:
    """Both Services have `spec.ports[0].port`: `doc: Service/back` means the second one."""
    from tutor.course.locate import field_span
    from tutor.lab.session import field_ranges
    from tutor.model import analyze

    lines = TWO_DOCS.split("\n")
    second = len(lines) - 1 - lines[::-1].index("  - port: 80")
    assert mark_line(TWO_DOCS, "spec.ports[0].port") == lines.index("  - port: 80")
    assert mark_line(TWO_DOCS, "spec.ports[0].port", "Service/back") == second
    span = field_span(TWO_DOCS, "spec.ports[0].port", "Service/back")
    assert span is not None and span.line - 1 == second
    ((row, *_),) = field_ranges(analyze(TWO_DOCS), "spec.ports[0].port", "Service/back")
    assert row == second
    assert mark_line(TWO_DOCS, "spec.ports[0].port", "Service/nope") is None


def test_a_compact_handout_prints_each_manifest_once() -> None:
    """The default handout: a step whose manifest is the previous step's prints only the
    lines around its field; `--full` prints the whole manifest at every step."""
    lesson = builtin_lesson("labels-selectors")
    compact, full = render(lesson, "md"), render(lesson, "md", full=True)
    assert len(compact.splitlines()) < len(full.splitlines())
    first = lesson.step_manifest(0).rstrip("\n")
    steps = compact[: compact.index("## Challenges")]
    same = [i for i in range(len(lesson.steps)) if lesson.step_manifest(i).rstrip() == first]
    assert len(same) > 1 and same[0] == 0
    heads = [f"### Step {i + 1}: " for i in range(len(lesson.steps))]
    for i in same[1:]:  # the first step's manifest again: only the lines around the field
        start = steps.index(heads[i])
        end = steps.index(heads[i + 1]) if i + 1 < len(heads) else len(steps)
        section = steps[start:end]
        assert first not in section and "lines as above" in section, section
        full_section = full[full.index(heads[i]) :]
        full_section = full_section[: full_section.index("Routing")]
        assert first.split("\n")[-1] in full_section and "lines as above" not in full_section
    assert "lines as above" in steps
    assert "lines as above" not in full


@pytest.mark.parametrize("lesson", builtin_lessons(), ids=lambda le: le.id)
def test_a_compact_step_hides_only_lines_as_in_the_step_it_names(lesson: Lesson) -> None:
    """ "The other lines as in step N": every line a compact step leaves out is that line of
    step N's manifest (printed whole), and lines of step N that are gone are marked. Compared
    with the previous step only, the ports handout left out a whole Pod added two steps
    before ("as in step 1", which had none) and service-types hid a Pod removed."""
    for i, view in enumerate(step_views(lesson)):
        m = view.manifest
        if m is None or m.keep is None:
            continue
        shown = int(view.note.rsplit("as in step ", 1)[1])
        old = lesson.step_manifest(shown - 1).rstrip("\n").split("\n")
        kept = set(m.keep)
        matcher = difflib.SequenceMatcher(a=old, b=m.lines, autojunk=False)
        for tag, _a0, _a1, b0, b1 in matcher.get_opcodes():
            if tag == "equal":
                continue
            hidden = [j for j in range(b0, b1) if j not in kept]
            assert not hidden, (i + 1, [m.lines[j] for j in hidden], f"not as in step {shown}")
            if tag == "delete":
                assert b0 in m.removed, (i + 1, f"lines of step {shown} removed, unmarked")


@pytest.mark.parametrize("lesson", builtin_lessons(), ids=lambda le: le.id)
def test_a_solution_prints_what_changed_from_the_start(lesson: Lesson) -> None:
    """The answers print a solution as the lines that differ from the challenge's starting
    manifest (printed whole with the challenge), each marked, with the lines around them: every
    line left out is as in the start, and nothing that changed is left out. (It printed each
    solution whole: lesson 1's three took 138 of the handout's 713 lines.)"""
    for ch in lesson.challenges:
        m, note = solution_view(ch)
        assert "\n".join(m.lines) == ch.solution.rstrip("\n")
        if m.keep is None:
            continue
        assert note == "what changed; the other lines as in the starting manifest"
        start = ch.manifest.rstrip("\n").split("\n")
        matcher = difflib.SequenceMatcher(a=start, b=m.lines, autojunk=False)
        for tag, _a0, _a1, b0, b1 in matcher.get_opcodes():
            if tag in ("replace", "insert"):
                assert all(j in m.keep and j in m.changed for j in range(b0, b1)), ch.id
            elif tag == "delete":
                assert b0 in m.removed, ch.id
        assert len(m.keep) < len(m.lines), ch.id
    md = render(lesson, "md")
    full = render(lesson, "md", full=True)
    if lesson.challenges:
        assert CHANGED not in full and len(md) < len(full)


def test_the_html_handout_says_manifest_once() -> None:
    """Under the "Manifest" heading, a note says what is printed, not "Manifest:" again."""
    lesson = builtin_lesson("anatomy")
    page = render(lesson, "html")
    assert "<h4>Manifest</h4>" in page and "<p>Manifest" not in page
    assert "<h4>Manifest</h4>\n<p>The field; the other lines as in step 1.</p>" in page


def test_left_out_lines_are_counted_in_words() -> None:
    """`# ... (1 line as above)`, not `(1 lines ...)` (lesson 1 step 3 printed that)."""
    rows = Manifest(["a: 1", "b: 2", "c: 3", "d: 4", "e: 5"], keep=[1]).rows()
    assert [text for _i, text in rows] == [
        "# ... (1 line as above)",
        "b: 2",
        "# ... (3 lines as above)",
    ]


def test_handout_keeps_the_files_choice_order_and_its_answer_key(lesson: Lesson) -> None:
    """The app shuffles choices per learner; a handout prints them in file order, so its
    answer key (letters by file position) matches what is printed."""
    out = render(lesson, "md")
    for n, q in enumerate(lesson.quiz, 1):
        block = out[out.index(f"### Question {n}\n") :]
        listed = [c.text.strip() for c in q.choices]
        positions = [block.index(f") {text}") for text in listed]
        assert positions == sorted(positions)
        right = next(i for i, c in enumerate(q.choices) if c.correct)
        key = out[out.index(f"### Answer to question {n}\n") :]
        assert key.split("\n")[2].startswith(f"Correct: ({'abcdefghij'[right]})")


def test_a_steps_and_a_challenges_commands_are_printed(lesson: Lesson) -> None:
    import dataclasses

    step = dataclasses.replace(lesson.steps[0], commands=("kubectl get svc", "echo `<b>`"))
    ch = dataclasses.replace(lesson.challenges[0], commands=("kubectl describe svc web",))
    with_commands = dataclasses.replace(
        lesson, steps=(step, *lesson.steps[1:]), challenges=(ch, *lesson.challenges[1:])
    )
    md = render(with_commands, "md")
    assert "**Try in the console:** `kubectl get svc` · `` echo `<b>` ``" in md
    assert "**Try in the console:** `kubectl describe svc web`" in md
    assert md.index("Try in the console:** `kubectl describe") > md.index("## Challenges")
    page = render(with_commands, "html")
    assert (
        "<p><strong>Try in the console:</strong> <code>kubectl get svc</code>, "
        "<code>echo `&lt;b&gt;`</code></p>"
    ) in page
    assert "<code>kubectl describe svc web</code>" in page
    assert "Try in the console" not in render(lesson, "md")  # none given, none printed


def test_a_lessons_handout_routes_on_the_lessons_cluster() -> None:
    """The dual-stack lesson's IPv6-first step is accepted on its dual-stack cluster, as in the
    app: the handout used to analyse it on the default IPv4 cluster and print it as rejected."""
    lesson = builtin_lesson("dual-stack")
    assert "IPv6" in lesson.ip_families
    text = render(lesson, "md")
    assert "would reject" not in text and "not configured on this cluster" not in text
    step = text[text.index("### Step 3") : text.index("### Step 4")]
    assert "gets traffic on port 8080" in step
    assert "not configured" in "".join(routing(lesson.step_manifest(2)).errors)


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("symptoms", [False, True])
def test_a_symptoms_challenge_keeps_its_cause_for_the_answers(
    lesson: Lesson, fmt: str, symptoms: bool
) -> None:
    """`routing: symptoms`: the starting routing (the why lines) moves from under the task to
    the answers, as the app shows it only once the goal is met."""
    import dataclasses

    from tutor.classroom.printing import SYMPTOMS_NOTE

    ch = lesson.challenges[0]
    changed = dataclasses.replace(
        lesson,
        challenges=(
            dataclasses.replace(ch, routing="symptoms" if symptoms else "full"),
            *lesson.challenges[1:],
        ),
    )
    out = render(changed, fmt)
    task, answers = re.split(r"\n(?:## |<h2[^>]*>)Answers", out, maxsplit=1)
    challenge = task.split(ch.title, 1)[1].split(lesson.challenges[1].title, 1)[0]
    heading = "Routing of the starting manifest"
    assert (heading in challenge) is not symptoms
    assert (heading in answers.split(lesson.challenges[1].title, 1)[0]) is symptoms
    assert ("find the cause with the console" in challenge) is symptoms
    assert SYMPTOMS_NOTE.split(";")[0] in out or not symptoms


def test_a_draft_whose_field_is_not_in_its_manifest_does_not_claim_a_mark(
    lesson: Lesson,
) -> None:
    """`ktutor print draft.yaml` (a lesson that fails lint: `path: spec.port[0].port`) said
    "Field: `spec.port[0].port` (marked `# <- here` below)" over a manifest with no mark."""
    import dataclasses

    step = dataclasses.replace(lesson.steps[0], path="spec.port[0].port")
    draft = dataclasses.replace(lesson, steps=(step, *lesson.steps[1:]))
    md = render(draft, "md")
    first = md[md.index("### Step 1:") : md.index("### Step 2:")]
    assert "Field: `spec.port[0].port` (not in this step's manifest: `ktutor lint` says why)" in (
        first
    )
    assert not [line for line in first.splitlines() if line.endswith(MARK)]
    html = render(draft, "html")
    first_html = html[html.index("Step 1:") : html.index("Step 2:")]
    assert "highlighted line" not in first_html
    assert "(not in this step's manifest: <code>ktutor lint</code> says why)" in first_html
