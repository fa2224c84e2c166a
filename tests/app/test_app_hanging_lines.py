"""Lines with a lead-in ("Hint 1 of 3:", "✗ Not yet:", "Goal:") wrap under their first word,
as the lesson check's lines do (widgets/hanging.py): at 80x24 lesson 1's first challenge wrapped
its hints and its result back to column 0, where `reason.` and `myapp; my-app-2 gets no
traffic` read as new lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from testkit import builtin_lesson, open_challenge, press, settle, until

from tutor.app.screens.practice import ChallengeScreen

LABELS = {f"{letter}) " for letter in "abcdef"}


def drawn(widget: Any) -> list[str]:
    """The rows `widget` draws (as laid out now), blank rows and trailing blanks dropped."""
    rows = [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]
    return [row for row in rows if row]


def in_view(widget: Any) -> bool:
    """`widget`'s last row is inside the rows its scrolling parent shows now."""
    pane = widget.parent
    top = pane.scroll_y
    return bool(widget.virtual_region.bottom <= top + pane.scrollable_content_region.height)


def under_first_word(rows: list[str], label: str) -> bool:
    """Each row either starts with `label` (a new paragraph) or is indented to its width."""
    indent = len(label)
    return all(
        row.startswith(label.split()[0]) or (row.startswith(" " * indent) and row[indent] != " ")
        for row in rows
    )


async def test_challenge_hints_result_and_goal_wrap_under_their_first_word(
    make_app: Any, data_dir: Path
) -> None:
    lesson = builtin_lesson("anatomy")
    app = make_app("anatomy", lessons=[lesson])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_challenge(pilot)
        screen = app.screen
        assert isinstance(screen, ChallengeScreen)
        await press(pilot, "ctrl+n", "ctrl+n", "ctrl+s")
        await settle(pilot)
        hints = drawn(screen.query_one("#challenge-hints"))
        assert hints[0].startswith("Hint 1 of 3: ") and len(hints) >= 3, hints
        assert under_first_word(hints, "Hint 1 of 3: "), hints
        assert sum(row.startswith("Hint ") for row in hints) == 2, hints
        result = drawn(screen.query_one("#challenge-result"))
        assert result[0].startswith("✗ Not yet: ") and len(result) >= 3, result
        assert under_first_word(result, "✗ Not yet: "), result
        assert "80 has no endpoints." in result[-1], result
        goal = drawn(screen.query_one("#challenge-goal"))
        assert goal[0].startswith("Goal: "), goal
        assert under_first_word(goal, "Goal: "), goal
        # the check's answer is scrolled into view: after two hints it was below the pane's
        # last row at 80x24 and ctrl+s seemed to do nothing (lesson 11, challenge 1, in tmux)
        await press(pilot, "ctrl+n")
        await settle(pilot)
        assert in_view(screen.query_one("#challenge-hints")), "ctrl+n: hint below the fold"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert in_view(screen.query_one("#challenge-result")), "ctrl+s: result below the fold"


async def test_a_request_sent_from_another_pane_wraps_under_its_arrows_once_shown(
    make_app: Any, data_dir: Path
) -> None:
    """At 80x24 ctrl+t from the step pane draws the request's path while the routing pane is
    hidden (no width): F4 then showed `1 of 3), DNAT to ...` back at column 0. A burst's
    outcome lines (`100 refused ...`, `100 timed out: ...`) wrapped there too."""
    from tutor.app.widgets.traffic import TrafficView
    from tutor.app.widgets.workbench import Workbench

    lesson = builtin_lesson("anatomy")
    app = make_app("anatomy", lessons=[lesson])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+t", "f4")
        await settle(pilot)
        traffic = app.screen.query_one(TrafficView)
        rows = drawn(traffic)
        assert rows[0].startswith("one request ") and len(rows) >= 6, rows
        assert any("DNAT to" in row for row in rows), rows
        assert all(row.startswith("  ") for row in rows[1:]), rows
        assert lesson.manifest is not None and "    targetPort: 8080\n" in lesson.manifest
        no_target = lesson.manifest.replace("    targetPort: 8080\n", "")
        app.screen.query_one(Workbench).editor.load_text(no_target)
        await settle(pilot)
        await press(pilot, "ctrl+g")
        await until(
            pilot, lambda: not traffic.animating and "100/100" in str(traffic.render_text())
        )
        rows = drawn(traffic)
        words = " ".join(" ".join(rows).split())
        assert "refused: nothing listens on port 80 in my-app-1 (it declares" in words, rows
        assert all(row.startswith("  ") for row in rows[1:]), rows

        # ctrl+r's question wraps inside its dialog: at 80x24 it was cut at "go back to its star"
        await press(pilot, "ctrl+r")
        await settle(pilot)
        question = app.screen.query_one(".dialog-question")
        dialog = app.screen.query_one(".dialog")
        assert question.region.right <= dialog.content_region.right, question.region
        words = " ".join(" ".join(drawn(question)).split())
        assert words.endswith("go back to its starting manifest?"), words
        await press(pilot, "n")
        await settle(pilot)

        # F5's first line (what the rules are, how to switch mode) wraps above the rules,
        # which scroll sideways: at 80x24 it was cut at "m: show nf"
        from tutor.app.widgets.behind import BehindScenes

        await press(pilot, "f5")
        await settle(pilot)
        behind = app.screen.query_one(BehindScenes)
        lead = behind.query_one("#rules-lead")
        assert lead.region.right <= behind.content_region.right, lead.region
        words = " ".join(" ".join(drawn(lead)).split())
        assert words.endswith("(nat table first); m: show nftables mode."), words
        await press(pilot, "m")
        await settle(pilot)
        words = " ".join(" ".join(drawn(lead)).split())
        assert words.endswith("writes on node-1; m: show iptables mode."), words
        rules = str(behind.query_one("#rules-text").render())
        assert "table ip kube-proxy {" in rules and "m: show" not in rules, rules[:200]


async def test_lesson_9_errors_and_quiz_lines_wrap_under_their_first_word(
    make_app: Any, data_dir: Path
) -> None:
    """Lesson 9 at 80x24, in one app run:
    - Step 2, nodePort 80 (its "try this"): the error message wrapped `the valid range...`
      and the hint wrapped `allocated` back to column 0, under the editor.
    - Its first quiz question: a 105-character choice wrapped under its letter, and the
      explanations `a) ✗ ...` back to column 0. Answered wrong, a choice's mark wrapped:
      "✗ your" / "answer" on two lines."""
    from tutor.app.screens.lesson import LessonScreen
    from tutor.app.screens.quiz import LETTERS, QuizScreen

    lesson = builtin_lesson("service-types")
    app = make_app("service-types", step=2, lessons=[lesson])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        step = app.screen
        assert isinstance(step, LessonScreen)
        text = lesson.steps[1].manifest or lesson.manifest
        assert "nodePort: 30080" in text
        await press(pilot, "f3")  # the editor's tab, where the errors are
        step.workbench.editor.load_text(text.replace("nodePort: 30080", "nodePort: 80"))
        await settle(pilot)
        rows = drawn(step.query_one("#errors"))
        assert rows[0].startswith("line 12: spec.ports[0].nodePort: Invalid value: 80"), rows
        hint = next(i for i, row in enumerate(rows) if row.startswith("  hint: "))
        assert hint >= 2, rows  # the message wraps at this width
        assert all(row.startswith(" " * 9) and row[9] != " " for row in rows[1:hint]), rows
        assert all(row.startswith(" " * 8) and row[8] != " " for row in rows[hint + 1 :]), rows
        assert len(rows) > hint + 1, rows  # and so does the hint

        screen = QuizScreen(lesson)
        app.push_screen(screen)
        await settle(pilot)
        inner = drawn(screen.query_one("#quiz-choices"))  # the rows inside the list's border
        assert len(inner) > len(lesson.quiz[0].choices), inner  # the long one wraps
        assert all(row[:3] in LABELS or row.startswith("   ") for row in inner), inner
        choices = lesson.quiz[0].choices
        order = screen.order(0)
        wrong = next(shown for shown, i in enumerate(order) if not choices[i].correct)
        await press(pilot, LETTERS[wrong])
        await settle(pilot)
        rows = drawn(screen.query_one("#quiz-choices"))
        assert any("✗ your answer" in row for row in rows), rows  # the marks stay whole
        assert any("✓ correct" in row for row in rows), rows
        explain = drawn(screen.query_one("#quiz-explain"))
        assert explain[0] == "Not quite.", explain
        assert len(explain) > 1 + len(lesson.quiz[0].choices), explain  # some wrap
        assert all(row[:3] in LABELS or row.startswith("     ") for row in explain[1:]), explain


def test_a_line_break_in_a_lesson_file_is_a_space() -> None:
    """As in the step text's Markdown: lesson 1's second question broke its score-page line
    after `selector is` (a line break in the YAML), wherever the width put it."""
    from tutor.app.widgets.inline import inline

    assert inline("selector is\n`app: my-app`.").plain == "selector is app: my-app."
    assert inline("two  \nlines").plain == "two\nlines"  # a Markdown hard break stays


def step_analysis(lesson_id: str, number: int) -> Any:
    """What the routing view of step `number` (from 1) shows, as the workbench analyzes it."""
    from tutor.lab.session import LabSession

    lesson = builtin_lesson(lesson_id)
    lab = LabSession(lesson.step_manifest(number - 1), network=lesson.network)
    assert lab.analyze_now()
    return lab.snapshot()


def test_the_routing_view_shows_quoted_names_as_code_not_backticks() -> None:
    """Lesson 9 step 6 (internalTrafficPolicy Local): the routing view said "why: on `node-2`;
    ... a client on `node-1` only reaches Pods on its own node", backticks and all. (The
    view's Pod rows are `pod_row`'s, at any width.)"""
    from tutor.app.widgets.routing import pod_row

    shown = step_analysis("service-types", 6).shown
    for width in (0, 56):  # unwrapped, and the view's room at 120x40
        rows = "\n".join(
            pod_row(sr, pr, pod, width).plain
            for sr in shown.services
            for pr in sr.ports
            for pod in shown.cluster.pods
        )
        assert "why: on node-2;" in rows, rows
        assert "`" not in rows, rows


def test_an_errors_hint_shows_code_without_backticks() -> None:
    """The hints are ktutor's sentences: "did you mean `apiVersion`?" showed its backticks."""
    from tutor.app.widgets.error_list import problem_text
    from tutor.model.report import Problem

    shown = problem_text(Problem(1, 1, 'unknown field "QapiVersion"', "did you mean `apiVersion`?"))
    assert str(shown) == 'line 1: unknown field "QapiVersion"\n  hint: did you mean apiVersion?'


def test_a_routing_field_stays_with_its_value_when_the_row_wraps() -> None:
    """Lesson 9 step 2 at 120x40: the Service row wrapped `nodePort` / `30080` (the view's room
    there is 56 columns; every width from 30 to 80 is tried)."""
    from tutor.app.widgets.routing import service_header

    snap = step_analysis("service-types", 2)
    sr = snap.shown.services[0]
    for width in range(30, 81):
        row = service_header(sr, sr.ports[0], snap.client, snap.shown, width).plain
        lines = [line.strip() for line in row.split("\n")]
        assert "nodePort\u00a030080" in row, (width, lines)
        assert not any(line.endswith(("nodePort", "targetPort")) for line in lines), (width, lines)


def test_not_ready_stays_on_one_line_when_a_pod_row_wraps() -> None:
    """Lesson 8 step 3 at 120x40: api-2's row ended `node-2  not` and went on `Ready` on the
    next line, under the label row, where it read as the opposite (every width 30 to 80)."""
    from tutor.app.widgets.routing import pod_row

    snap = step_analysis("health", 3)
    sr = snap.shown.services[0]
    pod = next(p for p in snap.shown.cluster.pods if p.name == "api-2")
    for width in range(30, 81):
        lines = [line.strip() for line in pod_row(sr, sr.ports[0], pod, width).plain.split("\n")]
        assert any("not\u00a0Ready" in line for line in lines), (width, lines)
        assert not any(line.endswith("not") for line in lines), (width, lines)


def test_a_policy_stays_with_its_value_in_the_service_row() -> None:
    """Lesson 9 challenge 3 at 120x40: `internalTrafficPolicy` / `Local` on two lines."""
    from tutor.app.widgets.routing import service_header
    from tutor.model.analysis import analyze
    from tutor.model.proxy import Client

    challenge = next(c for c in builtin_lesson("service-types").challenges if "Local" in c.manifest)
    analysis = analyze(challenge.manifest)
    sr = analysis.services[0]
    row = service_header(sr, sr.ports[0], Client("client", "10.244.1.100", "node-1"), analysis, 58)
    lines = [line.strip() for line in row.plain.split("\n")]
    assert any(line.endswith("internalTrafficPolicy\u00a0Local") for line in lines), lines


async def test_a_blank_row_parts_the_commands_from_the_hints(make_app: Any, data_dir: Path) -> None:
    """Lesson 10 challenge 1 at 80x24: `Hint 1 of 3:` came right under the last command to try,
    where it read as that command's output."""
    lesson = builtin_lesson("topology")
    app = make_app("topology", lessons=[lesson])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+o")
        await settle(pilot)
        await press(pilot, "enter", "ctrl+n")
        await settle(pilot)
        commands = app.screen.query_one("#challenge-commands")
        hints = app.screen.query_one("#challenge-hints")
        assert hints.region.y > commands.content_region.bottom, (commands.region, hints.region)


def test_the_service_row_brackets_an_ipv6_cluster_ip() -> None:
    """Lesson 13 step 3 (IPv6 first): the Service row read `fd00:10:96::a486:80/TCP`."""
    from tutor.app.widgets.routing import service_header
    from tutor.model.analysis import analyze
    from tutor.model.proxy import Client

    lesson = builtin_lesson("dual-stack")
    network = lesson.network
    analysis = analyze(lesson.steps[2].manifest or lesson.manifest, network=network)
    sr = analysis.services[0]
    row = service_header(sr, sr.ports[0], Client("client", "10.244.1.100", "node-1"), analysis)
    assert f"[{sr.service.cluster_ip}]:80/TCP" in row.plain, row.plain


def test_a_long_name_in_a_routing_row_breaks_after_a_dot() -> None:
    """Lesson 1 in the reading layout at 100x30: the routing column cut the DNS name at its
    width, `my-service.default.svc.cluster` / `.local`."""
    from rich.text import Text

    from tutor.app.widgets.routing import hang

    rows = hang(Text("      DNS my-service.default.svc.cluster.local"), 34, 7).plain.split("\n")
    assert rows == ["      DNS", "       my-service.default.svc.", "       cluster.local"], rows


def test_a_selector_too_long_for_its_row_goes_on_under_its_first_pair() -> None:
    """Lesson 3 challenge 1 at 120x40 (the view's room is 56 columns): the selector's second
    pair went to the next row under the word `selector`, where `team=payments` read as a
    field of its own. Its continuation starts under the first pair, as a DNS name's does under
    the name."""
    from tutor.app.widgets.routing import service_header
    from tutor.model.analysis import analyze
    from tutor.model.proxy import Client

    challenge = builtin_lesson("deployments").challenges[0]
    analysis = analyze(challenge.manifest)
    sr = analysis.services[0]
    client = Client("client", "10.244.1.100", "node-1")
    for width in (40, 56):
        rows = service_header(sr, sr.ports[0], client, analysis, width).plain.split("\n")
        at = next(i for i, row in enumerate(rows) if row.startswith("      selector"))
        under = " " * len("      selector ")
        assert rows[at].startswith("      selector app."), (width, rows)
        assert rows[at + 1].startswith(under) and rows[at + 1][len(under)] != " ", (width, rows)
        assert "team=payments" in rows[at + 1] + rows[at + 2], (width, rows)
        assert all(len(row) <= width for row in rows), (width, rows)
    rows = service_header(sr, sr.ports[0], client, analysis, 30).plain.split("\n")
    dns = next(i for i, row in enumerate(rows) if row.startswith("      DNS "))
    assert rows[dns + 1].startswith(" " * len("      DNS ")), rows  # the name goes on under itself


def test_a_pods_labels_too_long_for_the_row_go_on_under_the_first_label() -> None:
    """Lesson 4 step 1 at 100x30 (the view's room is 48 columns): shop-1's row showed `labels
    app=shop ✓  tier=frontend ✓` and, on the next row under the word `labels`, `version=v2`,
    which read as a field of its own. A label's mark stays with it."""
    from tutor.app.widgets.routing import pod_row

    shown = step_analysis("labels-selectors", 1).shown
    sr = shown.services[0]
    shop1 = next(p for p in shown.cluster.pods if p.name == "shop-1")
    for width in (30, 36, 37, 40, 48):  # 36: the reading layout's room at 100x30
        rows = pod_row(sr, sr.ports[0], shop1, width).plain.split("\n")
        at = next(i for i, row in enumerate(rows) if row.startswith("     labels "))
        under = " " * len("     labels ")
        rest = rows[at + 1 :]
        assert rest and all(row.startswith(under) and row[len(under)] != " " for row in rest), (
            width,
            rows,
        )
        assert not any(row.strip().startswith(("✓", "≠")) for row in rows), (width, rows)


async def test_the_routing_views_header_hangs_its_selector_under_its_value(
    make_app: Any, data_dir: Path
) -> None:
    """The view drew the Service header through `hang(..., 6)`, whatever `service_header`
    does at a width: at 100x30 lesson 3 challenge 1 still put `team=payments` under the word
    `selector`, and lesson 1's DNS name under the word `DNS`."""
    from testkit import prompts

    from tutor.app.widgets.routing import RoutingView

    app = make_app("deployments", lessons=[builtin_lesson("deployments")])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_challenge(pilot)
        await press(pilot, "f2")  # the reading layout: the view is 38 columns wide
        await settle(pilot)
        view = app.screen.query_one(RoutingView)
        await until(pilot, lambda: "selector" in prompts(view)[0])
        rows = prompts(view)[0].split("\n")
        at = next(i for i, row in enumerate(rows) if row.startswith("      selector"))
        under = " " * len("      selector ")
        assert rows[at + 1].startswith(under) and rows[at + 1][len(under)] != " ", rows
        dns = next(i for i, row in enumerate(rows) if row.startswith("      DNS"))
        assert rows[dns].startswith("      DNS cart."), rows
