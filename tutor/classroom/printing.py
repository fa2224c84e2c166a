"""A lesson as one linear document (Markdown or HTML): handouts, reading ahead, screen readers.

Everything the app shows step by step is laid out in order: each step's text, its manifest with the
step's field marked, and the routing the model computes for that manifest (so the printed page
shows the same result as the app: both call `tutor.model.analyze`). Challenge solutions and quiz
answers come last, so a handout can be read front to back without spoilers.

HTML is one self-contained file: no scripts, no external styles, every lesson string escaped
(lesson packs come from strangers), headings in order, lists for lists and `<pre>` for manifests.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from tutor.course.lesson import COMMANDS_LABEL, ROUTING_SYMPTOMS, Challenge, Goal, Lesson
from tutor.course.locate import span_in
from tutor.model.analysis import analyze
from tutor.model.limits import InputRejected
from tutor.model.network import ClusterNetwork
from tutor.model.paths import parse_path
from tutor.model.proxy import Client
from tutor.model.report import at_pod, problems, request_to
from tutor.model.yamldoc import YamlSyntaxError, load_documents

MARK = "# <- here"
CHANGED = "# <- changed"
"""After a solution's line that differs from the challenge's starting manifest."""
CLIENT = Client("client", "10.244.0.100", "")
SYMPTOMS_NOTE = (
    "Routing: not shown here; find the cause with the console, as in the app. The starting "
    "manifest's routing is with the answers."
)
"""Said instead of a symptoms-only challenge's routing: it names the cause."""
"""The handout's client: a Pod whose node does not matter (no `from_node` in a handout)."""


@dataclass(frozen=True, slots=True)
class PodLine:
    pod: str
    gets_traffic: bool
    port: int | None
    reason: str
    refuses: str = ""
    """Why the Pod refuses the traffic it gets (nothing listens on the port), else ""."""


@dataclass(slots=True)
class PortSummary:
    service: str
    port: str
    target: str
    pods: list[PodLine] = field(default_factory=list)
    note: str = ""


@dataclass(slots=True)
class Routing:
    """What the model says about one manifest: errors, or per Service port who gets traffic."""

    errors: list[str] = field(default_factory=list)
    ports: list[PortSummary] = field(default_factory=list)


NOT_THERE = "not in this step's manifest: `ktutor lint` says why"
"""A step's field that its manifest lacks (a draft that fails lint): nothing is marked."""


@dataclass(slots=True)
class Manifest:
    lines: list[str]
    marked: int | None = None
    """0-based index of the line holding the step's field, or None."""
    keep: list[int] | None = None
    """The lines to print (0-based, sorted), None for all: a compact handout prints only the
    lines around the field and those that differ from the manifest printed whole before."""
    changed: set[int] = field(default_factory=set)
    """Lines marked `CHANGED` (a solution's lines that differ from the starting manifest)."""
    removed: dict[int, str] = field(default_factory=dict)
    """Before line i (len(lines): at the end), a note that lines of the manifest printed whole
    before are gone here (a compact print would hide that)."""

    def rows(self) -> list[tuple[int | None, str]]:
        """(line index, text) to print; (None, "# ...") stands for lines left out."""
        if self.keep is None:
            return list(enumerate(self.lines))
        out: list[tuple[int | None, str]] = []
        last = -1
        for i in self.keep:
            if i > last + 1:
                out.append((None, _left_out(i - last - 1)))
            if i in self.removed:
                out.append((None, self.removed[i]))
            out.append((i, self.lines[i]))
            last = i
        if last < len(self.lines) - 1 and self.keep:
            out.append((None, _left_out(len(self.lines) - 1 - last)))
        if len(self.lines) in self.removed:
            out.append((None, self.removed[len(self.lines)]))
        return out


def _left_out(count: int) -> str:
    """The line that stands for `count` lines a compact handout leaves out."""
    return f"# ... ({count} line{'s' if count != 1 else ''} as above)"


def mark_line(text: str, path: str, doc: str = "") -> int | None:
    """The 0-based line of `path`'s key in the step's document (its `doc:`, as the app's
    highlight finds it: `tutor.course.locate.span_in`); None when absent."""
    if not path:
        return None
    try:
        wanted = parse_path(path)
        docs = load_documents(text)
    except (ValueError, YamlSyntaxError, InputRejected):  # a broken draft still prints
        return None
    span = span_in(docs, wanted, doc)
    return span.line - 1 if span is not None else None


def manifest(text: str, path: str = "", doc: str = "") -> Manifest:
    return Manifest(text.rstrip("\n").split("\n"), mark_line(text, path, doc))


CONTEXT = 2
"""Lines printed on each side of the field and of each change in a compact handout."""


@dataclass(slots=True)
class StepView:
    """How a handout shows one step's manifest and routing."""

    manifest: Manifest | None
    """None: not printed again (`note` says where it is)."""
    note: str = ""
    """What of the manifest is printed ("the field; the other lines as in step 1", "as in
    step 2"); "" for the whole manifest."""
    routing_as_in: int | None = None
    """The step (1-based) whose routing this one repeats, or None to print it."""

    @property
    def caption(self) -> str:
        """The Markdown handout's line before the manifest."""
        if not self.note:
            return "Manifest:"
        if self.manifest is None:
            return f"Manifest: {self.note}."
        return f"Manifest ({self.note}):"

    @property
    def html_note(self) -> str:
        """The note under the HTML handout's "Manifest" heading ("" for none: the heading
        alone, not "Manifest" twice)."""
        return f"{self.note[:1].upper()}{self.note[1:]}." if self.note else ""


def _changed(old: list[str], new: list[str]) -> tuple[list[int], dict[int, int], float]:
    """The lines of `new` that differ from `old` (a deletion counts the line after it), the
    lines of `old` deleted before each line of `new`, and how alike the two are (0 to 1)."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    changed: list[int] = []
    deleted: dict[int, int] = {}
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        changed.extend(range(b0, max(b1, b0 + 1)))
        if tag == "delete":
            deleted[b0] = a1 - a0
    return changed, deleted, matcher.ratio()


def step_views(lesson: Lesson, full: bool = False) -> list[StepView]:
    """Per step: the whole manifest the first time it appears (or when most of it changed);
    after that only the lines around the step's field and those that differ from the
    manifest printed whole last, so that "the other lines as in step N" is true (comparing
    with the previous step only hid lines that changed in a compact step between). `full`
    prints every step's whole manifest (the long handout)."""
    views: list[StepView] = []
    shown = 0  # 1-based step whose whole manifest was printed last
    whole: list[str] = []
    previous = ""
    for i, step in enumerate(lesson.steps):
        text = lesson.step_manifest(i)
        m = manifest(text, step.path, step.doc)
        routing_as = i if text == previous else None  # 1-based: the previous step
        if text == previous and m.marked is None and not full:
            views.append(StepView(None, f"as in step {i}", routing_as))
            continue
        since_whole, deleted, alike = _changed(whole, m.lines)
        if full or i == 0 or alike < 0.5:  # first, or mostly new: print it whole
            views.append(StepView(m, routing_as_in=routing_as if not full and i else None))
            shown, whole, previous = i + 1, m.lines, text
            continue
        since_previous, _deleted, _alike = _changed(previous.rstrip("\n").split("\n"), m.lines)
        keep: set[int] = set()
        for j in [*since_whole, *([m.marked] if m.marked is not None else [])]:
            keep.update(range(max(0, j - CONTEXT), min(len(m.lines), j + CONTEXT + 1)))
        m.keep = sorted(keep)
        for j, count in deleted.items():
            plural = "s" if count != 1 else ""
            m.removed[j] = f"# ({count} line{plural} of step {shown} removed here)"
        what = "the field" if not since_previous else f"what changed since step {i}"
        if since_previous and m.marked is not None:
            what += " and the field"
        views.append(StepView(m, f"{what}; the other lines as in step {shown}", routing_as))
        previous = text
    return views


def solution_view(challenge: Challenge, full: bool = False) -> tuple[Manifest, str]:
    """A challenge's solution for the answers: the lines that differ from its starting manifest
    (printed whole with the challenge) and those around them, as a compact step prints them;
    whole with `full`, or when most of it is new. Returns the manifest and the note on what
    is printed ("" when whole)."""
    m = manifest(challenge.solution)
    start = manifest(challenge.manifest).lines
    changed, deleted, alike = _changed(start, m.lines)
    if full or alike < 0.5 or not (changed or deleted):
        return m, ""
    keep: set[int] = set()
    for j in changed:
        keep.update(range(max(0, j - CONTEXT), min(len(m.lines), j + CONTEXT + 1)))
    m.keep = sorted(keep)
    m.changed = {j for j in changed if j < len(m.lines) and j not in deleted}
    for j, count in deleted.items():
        plural = "s" if count != 1 else ""
        m.removed[j] = f"# ({count} line{plural} of the starting manifest removed here)"
    return m, "what changed; the other lines as in the starting manifest"


def routing(text: str, ip_families: tuple[str, ...] = ()) -> Routing:
    """Per Service port, which Pods get ClusterIP traffic, on which port, and why not, on the
    lesson's cluster (`ip_families`: its `cluster.ip_families`; default single-stack IPv4), as
    the app's workbench analyses it."""
    analysis = analyze(text, network=ClusterNetwork(ip_families) if ip_families else None)
    out = Routing()
    found = problems(analysis)
    bad = next((p for p in found if p.unreadable), None)
    if bad is not None:
        out.errors.append(f"{bad.where}: {bad.message}" if bad.where else bad.message)
        return out
    for p in found:
        where = f"line {p.line}: " if p.line else ""
        out.errors.append(f"{where}{p.kind or 'object'} {p.object}: {p.message}".strip())
    for sr in analysis.services:
        for pr in sr.ports:
            ps = PortSummary(sr.service.ref, pr.port.label, str(pr.port.target_port))
            for pod in analysis.cluster.pods:
                v = pr.verdicts.get(pod.ref)
                if v is not None:
                    refuses = ""
                    if v.gets_traffic and v.port is not None:
                        asked = pr.port.port if sr.service.headless else v.port
                        refuses = at_pod(pod, asked, pr.port.protocol)[2]
                    ps.pods.append(
                        PodLine(
                            pod.name,
                            v.gets_traffic,
                            v.port,
                            "" if v.gets_traffic else v.reason,
                            refuses,
                        )
                    )
            if not pr.used and not sr.service.headless and sr.service.type != "ExternalName":
                ps.note = "a request: " + request_to(analysis, sr, pr, CLIENT, rules=False).summary
            out.ports.append(ps)
    return out


def describe_goal(goal: Goal) -> str:
    """The goal's own description, else a plain sentence built from its data."""
    if goal.description:
        return goal.description
    d = goal.data
    if goal.kind in ("traffic", "endpoints"):
        who = ", ".join(d.get("pods") or []) or (
            f"{d['count']} Pods" if "count" in d else "the right Pods"
        )
        what = "receive traffic" if goal.kind == "traffic" else "are endpoints"
        return f"{who} {what} on Service {d.get('service', '?')} port {d.get('port', '?')}."
    if goal.kind == "valid":
        return "The API server accepts every object."
    if goal.kind == "invalid":
        return f"The manifest is rejected with an error at `{d.get('path', '')}`."
    if goal.kind == "share":
        return f"Pod {d.get('pod', '?')} gets its share of Service {d.get('service', '?')}."
    if goal.kind == "dns":
        return f"The DNS name `{d.get('name', '')}` resolves."
    if goal.kind == "field":
        if "present" in d:
            verb = "sets" if d["present"] else "leaves out"
            return f"{d.get('object', '?')} {verb} `{d.get('path', '')}`."
        return f"{d.get('object', '?')} has `{d.get('path', '')}` set to `{d.get('equals')}`."
    if goal.kind == "unchanged":
        kinds = " and ".join(f"{k}s" for k in d.get("kinds", ()))
        return f"The {kinds} stay as they are in the starting manifest."
    if goal.kind == "ran":
        return f"Run `{d.get('command', '')}`."
    if goal.kind == "all":
        parts = [describe_goal(g) for g in d.get("goals", []) if isinstance(g, Goal)]
        return " ".join(parts) or "Every part of the goal holds."
    return goal.kind


_BACKTICKS = re.compile(r"`+")


def _code(text: str) -> str:
    """`text` as a Markdown code span, fenced with more backticks than it holds."""
    ticks = "`" * (max((len(m) for m in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _md_commands(commands: tuple[str, ...]) -> str:
    """A step's or challenge's `commands:`, the line the app shows under its text."""
    return f"**{COMMANDS_LABEL}:** " + " · ".join(_code(c.strip()) for c in commands)


def _html_commands(commands: tuple[str, ...]) -> str:
    codes = ", ".join(f"<code>{html.escape(c.strip())}</code>" for c in commands)
    return f"<p><strong>{COMMANDS_LABEL}:</strong> {codes}</p>\n"


def _letter(i: int) -> str:
    return chr(ord("a") + i) if i < 26 else str(i + 1)


# ---------------------------------------------------------------- Markdown


def _mark(m: Manifest, i: int | None) -> str:
    """What follows line `i`: the step's field mark, a solution's change mark, or nothing."""
    if i is None:
        return ""
    return MARK if i == m.marked else CHANGED if i in m.changed else ""


def _md_manifest(m: Manifest) -> list[str]:
    lines = [f"{line}  {mark}" if (mark := _mark(m, i)) else line for i, line in m.rows()]
    fence = "````" if any(line.lstrip().startswith("```") for line in lines) else "```"
    return [f"{fence}yaml", *lines, fence]


def _md_routing(r: Routing) -> list[str]:
    out: list[str] = []
    if r.errors:
        out.append("The API server would reject this manifest:")
        out.extend(f"- {e}" for e in r.errors)
        out.append("")
    if not r.ports and not r.errors:
        out.append("No Service in this manifest.")
    for ps in r.ports:
        out.append(f"- Service `{ps.service}` port {ps.port} -> targetPort {ps.target}:")
        for p in ps.pods:
            if p.gets_traffic and p.refuses:
                out.append(
                    f"  - **{p.pod}** gets traffic on port {p.port} but refuses it: {p.refuses}"
                )
            elif p.gets_traffic:
                out.append(f"  - **{p.pod}** gets traffic on port {p.port}")
            else:
                out.append(f"  - {p.pod}: no traffic: {p.reason}")
        if not ps.pods:
            out.append("  - no Pods in the manifest")
        if ps.note:
            out.append(f"  - {ps.note}")
    return out


def to_markdown(lesson: Lesson, full: bool = False) -> str:
    out = [f"# {lesson.title}", ""]
    if lesson.summary:
        out += [lesson.summary, ""]
    out += [
        f"About {lesson.minutes} minutes. {len(lesson.steps)} steps, "
        f"{len(lesson.challenges)} challenges, {len(lesson.quiz)} quiz questions. "
        "Challenge solutions and quiz answers are at the end.",
        "",
    ]
    out += ["## Steps", ""]
    views = step_views(lesson, full)
    for i, step in enumerate(lesson.steps):
        text = lesson.step_manifest(i)
        view = views[i]
        out += [f"### Step {i + 1}: {step.title}", ""]
        if step.path and mark_line(text, step.path, step.doc) is None:  # a draft lint refuses
            out += [f"Field: `{step.path}` ({NOT_THERE})", ""]
        elif step.path:
            out += [f"Field: `{step.path}` (marked `{MARK}` below)", ""]
        out += [step.text.strip(), ""]
        if step.try_this:
            out += [f"**Try this:** {step.try_this.strip()}", ""]
        if step.commands:
            out += [_md_commands(step.commands), ""]
        if step.check is not None:
            out += [f"**Goal:** {describe_goal(step.check)}", ""]
        out += [view.caption, ""]
        if view.manifest is not None:
            out += [*_md_manifest(view.manifest), ""]
        if view.routing_as_in is not None:
            out += [f"Routing: as in step {view.routing_as_in}.", ""]
        else:
            out += ["Routing:", "", *_md_routing(routing(text, lesson.ip_families)), ""]
    if lesson.challenges:
        out += ["## Challenges", ""]
    for i, ch in enumerate(lesson.challenges):
        out += [
            f"### Challenge {i + 1}: {ch.title}",
            "",
            ch.text.strip(),
            "",
            f"**Goal:** {describe_goal(ch.goal)}",
            "",
            *([_md_commands(ch.commands), ""] if ch.commands else []),
            "Starting manifest:",
            "",
            *_md_manifest(manifest(ch.manifest)),
            "",
        ]
        if ch.routing == ROUTING_SYMPTOMS:
            out += [SYMPTOMS_NOTE, ""]
        else:
            out += [
                "Routing of the starting manifest:",
                "",
                *_md_routing(routing(ch.manifest, lesson.ip_families)),
                "",
            ]
        if ch.hints:
            out += ["Hints:", ""]
            out += [f"{n}. {h.strip()}" for n, h in enumerate(ch.hints, 1)]
            out.append("")
    if lesson.quiz:
        out += ["## Quiz", ""]
    for i, q in enumerate(lesson.quiz):
        out += [f"### Question {i + 1}", "", q.question.strip(), ""]
        out += [f"- ({_letter(j)}) {c.text.strip()}" for j, c in enumerate(q.choices)]
        out.append("")
    if lesson.challenges or lesson.quiz:
        out += ["## Answers", ""]
    for i, ch in enumerate(lesson.challenges):
        solved, note = solution_view(ch, full)
        out += [f"### Solution to challenge {i + 1}: {ch.title}", ""]
        if note:
            out += [f"Solution ({note}):", ""]
        out += [*_md_manifest(solved), ""]
        if ch.routing == ROUTING_SYMPTOMS:
            out += [
                "Routing of the starting manifest:",
                "",
                *_md_routing(routing(ch.manifest, lesson.ip_families)),
                "",
            ]
        out += [
            "Routing with the solution:",
            "",
            *_md_routing(routing(ch.solution, lesson.ip_families)),
            "",
        ]
    for i, q in enumerate(lesson.quiz):
        out += [f"### Answer to question {i + 1}", ""]
        for j, c in enumerate(q.choices):
            if c.correct:
                out.append(f"Correct: ({_letter(j)}) {c.text.strip()}")
                out.append("")
                if c.explain:
                    out += [c.explain.strip(), ""]
        wrong = [(j, c) for j, c in enumerate(q.choices) if not c.correct and c.explain]
        out += [f"- Not ({_letter(j)}): {c.explain.strip()}" for j, c in wrong]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------- HTML

_md = MarkdownIt("commonmark", {"html": False})
"""`html: False`: raw HTML in a lesson is shown as text, never passed through."""

CSS = """
body { font-family: system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #111; background: #fff; }
pre { background: #f4f4f4; padding: .75rem; overflow-x: auto; border: 1px solid #ccc; }
pre .here { background: #fff3a0; font-weight: bold; display: inline-block; width: 100%; }
.traffic { font-weight: bold; }
section { border-top: 1px solid #ccc; margin-top: 2rem; }
@media print { section.step, section.challenge { break-inside: avoid-page; } }
"""


def _md_html(text: str) -> str:
    return str(_md.render(text.strip()))


def _inline(text: str) -> str:
    return str(_md.renderInline(text.strip()))


def _html_manifest(m: Manifest, label: str) -> str:
    rows = []
    for i, line in m.rows():
        esc = html.escape(line)
        mark = _mark(m, i)
        if mark:
            rows.append(f'<strong class="here">{esc}  <span>{html.escape(mark)}</span></strong>')
        else:
            rows.append(esc)
    body = "\n".join(rows)
    return (
        f'<pre aria-label="{html.escape(label, quote=True)}" role="region"><code>'
        f"{body}</code></pre>\n"
    )


def _html_routing(r: Routing) -> str:
    parts: list[str] = []
    if r.errors:
        parts.append("<p>The API server would reject this manifest:</p>\n<ul>\n")
        parts.extend(f"<li>{html.escape(e)}</li>\n" for e in r.errors)
        parts.append("</ul>\n")
    if not r.ports and not r.errors:
        parts.append("<p>No Service in this manifest.</p>\n")
    if r.ports:
        parts.append("<ul>\n")
    for ps in r.ports:
        parts.append(
            f"<li>Service <code>{html.escape(ps.service)}</code> port "
            f"{html.escape(ps.port)} to targetPort {html.escape(ps.target)}:\n<ul>\n"
        )
        for p in ps.pods:
            if p.gets_traffic and p.refuses:
                parts.append(
                    f'<li class="traffic">{html.escape(p.pod)} gets traffic on port {p.port} '
                    f"but refuses it: {html.escape(p.refuses)}</li>\n"
                )
            elif p.gets_traffic:
                parts.append(
                    f'<li class="traffic">{html.escape(p.pod)} gets traffic on port {p.port}</li>\n'
                )
            else:
                parts.append(f"<li>{html.escape(p.pod)}: no traffic: {_inline(p.reason)}</li>\n")
        if not ps.pods:
            parts.append("<li>no Pods in the manifest</li>\n")
        if ps.note:
            parts.append(f"<li>{html.escape(ps.note)}</li>\n")
        parts.append("</ul>\n</li>\n")
    if r.ports:
        parts.append("</ul>\n")
    return "".join(parts)


def to_html(lesson: Lesson, full: bool = False) -> str:
    e = html.escape
    p: list[str] = [
        "<!DOCTYPE html>\n",
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{e(lesson.title)} - ktutor</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        f"<main>\n<h1>{e(lesson.title)}</h1>\n",
    ]
    if lesson.summary:
        p.append(f"<p>{e(lesson.summary)}</p>\n")
    p.append(
        f"<p>About {lesson.minutes} minutes. {len(lesson.steps)} steps, "
        f"{len(lesson.challenges)} challenges, {len(lesson.quiz)} quiz questions. "
        "Challenge solutions and quiz answers are at the end.</p>\n"
    )
    p.append('<section aria-labelledby="steps">\n<h2 id="steps">Steps</h2>\n')
    views = step_views(lesson, full)
    for i, step in enumerate(lesson.steps):
        text = lesson.step_manifest(i)
        view = views[i]
        p.append(f'<section class="step">\n<h3>Step {i + 1}: {e(step.title)}</h3>\n')
        if step.path and mark_line(text, step.path, step.doc) is None:
            p.append(f"<p>Field: <code>{e(step.path)}</code> ({_inline(NOT_THERE)})</p>\n")
        elif step.path:
            p.append(
                f"<p>Field: <code>{e(step.path)}</code> (the highlighted line marked "
                f"<code>{e(MARK)}</code> in the manifest)</p>\n"
            )
        p.append(_md_html(step.text))
        if step.try_this:
            p.append(f"<p><strong>Try this:</strong> {_inline(step.try_this)}</p>\n")
        if step.commands:
            p.append(_html_commands(step.commands))
        if step.check is not None:
            p.append(f"<p><strong>Goal:</strong> {_inline(describe_goal(step.check))}</p>\n")
        p.append("<h4>Manifest</h4>\n")
        if view.html_note:
            p.append(f"<p>{e(view.html_note)}</p>\n")
        if view.manifest is not None:
            p.append(_html_manifest(view.manifest, f"Manifest for step {i + 1}"))
        if view.routing_as_in is not None:
            p.append(f"<h4>Routing</h4>\n<p>As in step {view.routing_as_in}.</p>\n</section>\n")
        else:
            p.append(
                "<h4>Routing</h4>\n"
                + _html_routing(routing(text, lesson.ip_families))
                + "</section>\n"
            )
    p.append("</section>\n")
    if lesson.challenges:
        p.append('<section aria-labelledby="challenges">\n<h2 id="challenges">Challenges</h2>\n')
        for i, ch in enumerate(lesson.challenges):
            p.append(f'<section class="challenge">\n<h3>Challenge {i + 1}: {e(ch.title)}</h3>\n')
            p.append(_md_html(ch.text))
            p.append(f"<p><strong>Goal:</strong> {_inline(describe_goal(ch.goal))}</p>\n")
            if ch.commands:
                p.append(_html_commands(ch.commands))
            p.append("<h4>Starting manifest</h4>\n")
            p.append(
                _html_manifest(manifest(ch.manifest), f"Starting manifest for challenge {i + 1}")
            )
            if ch.routing == ROUTING_SYMPTOMS:
                p.append(f"<p>{_inline(SYMPTOMS_NOTE)}</p>\n")
            else:
                p.append("<h4>Routing of the starting manifest</h4>\n")
                p.append(_html_routing(routing(ch.manifest, lesson.ip_families)))
            if ch.hints:
                p.append("<h4>Hints</h4>\n<ol>\n")
                p.extend(f"<li>{_inline(h)}</li>\n" for h in ch.hints)
                p.append("</ol>\n")
            p.append("</section>\n")
        p.append("</section>\n")
    if lesson.quiz:
        p.append('<section aria-labelledby="quiz">\n<h2 id="quiz">Quiz</h2>\n')
        for i, q in enumerate(lesson.quiz):
            p.append(f'<h3>Question {i + 1}</h3>\n{_md_html(q.question)}<ol type="a">\n')
            p.extend(f"<li>{_inline(c.text)}</li>\n" for c in q.choices)
            p.append("</ol>\n")
        p.append("</section>\n")
    if lesson.challenges or lesson.quiz:
        p.append('<section aria-labelledby="answers">\n<h2 id="answers">Answers</h2>\n')
        for i, ch in enumerate(lesson.challenges):
            p.append(f"<h3>Solution to challenge {i + 1}: {e(ch.title)}</h3>\n")
            solved, note = solution_view(ch, full)
            if note:
                p.append(f"<p>{e(note[:1].upper() + note[1:])}.</p>\n")
            p.append(_html_manifest(solved, f"Solution to challenge {i + 1}"))
            if ch.routing == ROUTING_SYMPTOMS:
                p.append(
                    "<h4>Routing of the starting manifest</h4>\n"
                    + _html_routing(routing(ch.manifest, lesson.ip_families))
                )
            p.append(
                "<h4>Routing with the solution</h4>\n"
                + _html_routing(routing(ch.solution, lesson.ip_families))
            )
        for i, q in enumerate(lesson.quiz):
            p.append(f"<h3>Answer to question {i + 1}</h3>\n")
            for j, c in enumerate(q.choices):
                if c.correct:
                    p.append(f"<p>Correct: ({_letter(j)}) {_inline(c.text)}</p>\n")
                    if c.explain:
                        p.append(_md_html(c.explain))
            wrong = [(j, c) for j, c in enumerate(q.choices) if not c.correct and c.explain]
            if wrong:
                p.append("<ul>\n")
                p.extend(f"<li>Not ({_letter(j)}): {_inline(c.explain)}</li>\n" for j, c in wrong)
                p.append("</ul>\n")
        p.append("</section>\n")
    p.append("</main>\n</body>\n</html>\n")
    return "".join(p)


def render(lesson: Lesson, fmt: str = "md", full: bool = False) -> str:
    """The lesson as `md` or `html` text; `full` repeats every step's whole manifest."""
    if fmt == "html":
        return to_html(lesson, full)
    if fmt == "md":
        return to_markdown(lesson, full)
    raise ValueError(f"unknown format {fmt!r}: use md or html")
