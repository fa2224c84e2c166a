"""Pilot tests: keys in, then the model state and what the widgets show."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from testkit import Notices, open_challenge, press, prompts, settle, type_fast, until
from textual import events
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Markdown, OptionList, Static, Tabs

from tutor.app.screens.help import HelpScreen
from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.lesson_list import LessonListScreen
from tutor.app.widgets import workbench as workbench_module
from tutor.app.widgets.console import ConsoleInput, ConsolePane
from tutor.app.widgets.editor import YamlEditor
from tutor.app.widgets.routing import RoutingView
from tutor.app.widgets.title_bar import TitleBar
from tutor.app.widgets.traffic import TrafficView
from tutor.app.widgets.workbench import Workbench
from tutor.course.lesson import Lesson


def static_text(widget: Static) -> str:
    return str(widget.render())


def routing_text(app: Any) -> str:
    view = app.screen.query_one(RoutingView)
    return "\n".join(str(view.get_option_at_index(i).prompt) for i in range(view.option_count))


def workbench(app: Any) -> Workbench:
    return app.screen.query_one(Workbench)  # type: ignore[no-any-return]


async def open_basics(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await press(pilot, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LessonScreen)


async def test_list_then_open_lesson_next_previous_and_resume_after_restart(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # the list: status words and symbols, lesson text as written, broken files
        assert isinstance(app.screen, LessonListScreen)
        options = app.screen.query_one("#lessons", OptionList)
        shown = prompts(options)
        assert "○ new" in shown[0] and "Service basics" in shown[0] and "10 min" in shown[0]
        assert "Selectors, ports and Pods." in shown[0]
        assert "[with brackets]" in shown[1], "lesson text is never parsed as markup"
        assert "✗ broken" in shown[2]
        assert "lessons/99-broken.yaml:7: steps[0].path" in shown[2]
        assert options.get_option_at_index(2).disabled, "a broken file cannot be opened"
        await open_basics(pilot)
        header = app.screen.query_one("#step-header", Static)
        assert "step 1 of 3" in static_text(header)
        await press(pilot, "ctrl+n")
        await settle(pilot)
        assert "step 2 of 3" in static_text(header)
        assert app.progress.lesson("basics").step == 1
        await press(pilot, "ctrl+n")
        await settle(pilot)
        assert "step 3 of 3" in static_text(header)
        # step 3 brings its own manifest: a Deployment
        assert "kind: Deployment" in workbench(app).text
        await press(pilot, "ctrl+b")
        await settle(pilot)
        assert "step 2 of 3" in static_text(header)
    saved = json.loads((data_dir / "progress.json").read_text())
    assert json.dumps(saved)  # a readable file was written
    app2 = make_app()
    async with app2.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        options = app2.screen.query_one("#lessons", OptionList)
        assert "Continue where you left off" in str(options.get_option_at_index(0).prompt)
        assert "◐ in progress" in str(options.get_option_at_index(1).prompt)
        await press(pilot, "enter")
        await settle(pilot)
        assert "step 2 of 3" in static_text(app2.screen.query_one("#step-header", Static))


async def test_a_broken_pack_file_below_the_fold_is_shown_by_end(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    """A pack's broken lesson is listed after the lessons, and cannot be highlighted: at 80x24
    with more lessons than fit, End (or ↓ to the last lesson) stopped at the last lesson and
    the `✗ broken` line with its FILE:LINE stayed below the fold, out of reach of the keys."""
    many = [
        dataclasses.replace(lesson, id=f"lesson-{n}", title=f"Lesson {n}", order=n)
        for n in range(12)
    ]
    app = make_app(lessons=many)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        options = app.screen.query_one("#lessons", OptionList)
        assert "✗ broken" in prompts(options)[-1]
        assert options.max_scroll_y > 0, "the list is taller than the screen"
        await press(pilot, "end")
        await settle(pilot)
        assert options.highlighted == options.option_count - 2, "the last lesson"
        assert options.scroll_y == options.max_scroll_y, "the broken file's line is on screen"


async def test_editor_highlight_follows_the_path_typing_changes_routing_and_undo_asks_first(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    """The editor (YAML, two-space indent, the step's field marked by its path, not its line);
    typing in it changes the routing view and the step's check; ctrl+r undoes back to the
    step's start once the learner says yes (one app: all three edit the first step)."""
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(YamlEditor)
        # a YAML code editor with a two-space indent
        assert "yaml" in editor.available_languages
        assert editor.language == "yaml"
        assert editor.indent_width == 2
        assert editor.show_line_numbers
        assert editor.theme == "css"
        # spec.selector starts on line 6 (row 5) of the fixture manifest
        assert editor.step_ranges and editor.step_ranges[0][0] == 5
        before = routing_text(app)
        assert "▶ TRAFFIC  web-1" in before and "✗ no traffic  api-1" in before
        check = app.screen.query_one("#step-check", Static)
        assert "To do" in static_text(check)
        editor.focus()
        editor.cursor_location = (0, 0)
        await press(pilot, "enter", "enter")
        assert editor.step_ranges[0][0] == 7, "the highlight follows the path"
        assert any(kind == "step" for *_, kind in editor.marks_on_row(7))
        assert not editor.marks_on_row(5)
        editor.cursor_location = (8, 12)  # after "    app: web" (two rows down now)
        await press(pilot, "backspace", "backspace", "backspace", "a", "p", "i")
        assert editor.text.splitlines()[8] == "    app: api", editor.text[:200]
        after = routing_text(app)
        assert "▶ TRAFFIC  api-1" in after
        assert "✗ no traffic  web-1" in after
        assert "label app is web, the Service wants api" in after  # names in bold
        assert "Check passed" in static_text(check)
        assert 0 in app.progress.lesson("basics").steps_done
        # the edit is saved (debounced) and restored on the next visit
        await until(pilot, lambda: app.progress.saved_edit("basics", "step-0") == editor.text)
        await press(pilot, "ctrl+r", "n")  # cancel: nothing lost
        assert editor.text.splitlines()[8] == "    app: api", "ctrl+r then n keeps the edit"
        await press(pilot, "ctrl+r", "y")
        assert editor.text == lesson.manifest, "ctrl+r then y: the step's start"
        assert app.progress.saved_edit("basics", "step-0") is None


async def test_broken_yaml_shows_error_and_dimmed_last_good_view(
    make_app: Any, lesson: Lesson, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbench_module, "DIM_AFTER", 0.2)
    monkeypatch.setattr(workbench_module, "LINGER", 30.0)
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        good = routing_text(app)
        editor = app.screen.query_one(YamlEditor)
        editor.focus()
        editor.cursor_location = (8, 0)  # "  - port: 80"
        await press(pilot, "delete", "delete", "delete")  # "port: 80" now at column 0
        await settle(pilot)
        errors = app.screen.query_one("#errors", OptionList)
        assert errors.display and errors.option_count >= 1
        first = str(errors.get_option_at_index(0).prompt)
        assert first.startswith("line ")
        view = app.screen.query_one(RoutingView)
        await until(pilot, lambda: view.has_class("-stale"))  # dimmed once it stayed broken
        assert routing_text(app) == good
        note = app.screen.query_one("#stale-note", Static)
        assert note.display and "last good" in static_text(note)
        assert editor.error_rows
        # validation errors carry the API server's message at their line
        editor.text = editor.text  # no-op guard
        editor.load_text(lesson.manifest.replace("port: 80", "port: 0"))
        await settle(pilot)
        messages = prompts(errors)
        assert any("spec.ports[0].port: Invalid value: 0" in m for m in messages)
        assert any(m.startswith("line 9") for m in messages)
        # fixing it brings the routing view back to life at once; the error list says so
        # until the text has stayed valid a moment (test_app_keystroke: then it leaves)
        editor.load_text(lesson.manifest)
        await settle(pilot)
        assert not view.has_class("-stale")
        assert errors.display and str(errors.get_option_at_index(0).prompt).startswith("✓")
        assert static_text(note).startswith("While the YAML has errors")
        editor.focus()
        await press(pilot, "escape")  # the editor's Escape passes the list by: nothing in it
        assert app.focused is not errors and isinstance(app.focused, RoutingView)


async def test_routing_view_keys_act_on_the_first_pod_it_selects_then_the_mouse(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    """Focusing the routing view selects its first Pod, so a cluster key acts at once (it sat on
    the Service row and `l` said "Pick a Pod first"). What each key does is tested on the lab
    session (tests/lab); here, that the keys reach it and the view shows the result (r, l, d,
    x, and c, which changes who sends). Then the mouse: the next-step button, a click on a
    routing row focuses the view on that Pod, and the pane tabs a narrowed terminal mounts
    (on the pane shown) take clicks."""
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(RoutingView)
        await press(pilot, "f4")
        await settle(pilot)
        assert app.focused is view
        assert view.pod() is not None and view.pod().name == "web-1"  # type: ignore[union-attr]
        await press(pilot, "r")  # not Ready
        await settle(pilot)
        assert "✗ no traffic  web-1" in routing_text(app) and "not\u00a0Ready" in routing_text(app)
        await press(pilot, "l")
        await settle(pilot)
        await press(pilot, "ctrl+u", *"app=api", "enter")
        await settle(pilot)
        assert "app=api" in routing_text(app)
        await press(pilot, "down", "d")  # web-2, a bare Pod: gone for good
        await settle(pilot)
        analysis = workbench(app).shown_analysis
        assert analysis is not None
        assert [p.name for p in analysis.cluster.pods] == ["web-1", "api-1"]
        await press(pilot, "x")
        await settle(pilot)
        analysis = workbench(app).shown_analysis
        assert analysis is not None
        assert {p.name: p.labels["app"] for p in analysis.cluster.pods} == {
            "web-1": "web",
            "web-2": "web",
            "api-1": "api",
        }, "x puts the cluster back as the manifest says"
        await press(pilot, "c")  # the next client: a Pod on node-2
        await settle(pilot)
        assert workbench(app).clients[0].node == "node-2", "c picks the next client"
        assert "on node-2" in routing_text(app)
        app.screen.query_one(YamlEditor).focus()
        await settle(pilot)
        assert not view.has_focus
        await pilot.click("#next-step")
        await settle(pilot)
        assert "step 2 of 3" in static_text(app.screen.query_one("#step-header", Static))
        # the header takes six lines; the first Pod row starts below it
        await pilot.click(RoutingView, offset=(10, 7))
        await settle(pilot)
        assert view.has_focus and view.pod() is not None, "a click on a row"
        # narrowed, the terminal gets the tabs (a wide screen mounts none: it never shows
        # them), on the pane shown; they take clicks; widened, they go
        bench = workbench(app)
        assert not bench.query("#pane-tabs"), "a wide screen mounts no tabs"
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert bench.narrow and bench.query_one("#pane-tabs").display, "narrowed: tabs"
        assert bench.query_one("#pane-tabs", Tabs).active == f"tab-{bench.active}"
        await pilot.click("#tab-yaml")
        await settle(pilot)
        assert bench.active == "yaml" and bench.query_one("#yaml").display, "a click on a tab"
        assert not bench.query_one("#routing").display
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert not bench.query_one("#pane-tabs").display, "widened: no tabs"
        assert bench.query_one("#yaml").display and bench.query_one("#routing").display


async def test_traffic_one_request_and_burst_then_dimmed_after_an_edit_and_gone_next_step(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    """ctrl+t and ctrl+g (the burst's reveal running as the learner sees it); then the old
    results: a 29/34/37 split stayed on screen while no Pod was selected any more, and a
    REJECT trace stayed under the next step."""
    app = make_app("basics")
    app.burst_frame_seconds = 1 / 30  # the reveal runs as the learner sees it
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+t")
        traffic = app.screen.query_one(TrafficView)
        shown = str(traffic.render_text())
        assert "kube-proxy on node-1" in shown and ":8080" in shown
        assert "answered by web-" in shown
        await press(pilot, "ctrl+g")
        await until(pilot, lambda: not traffic.animating)
        counts = traffic.counts()
        assert sum(counts.values()) == 100
        assert set(counts) == {"web-1", "web-2"}
        assert "100/100 sent" in str(traffic.render_text())
        workbench(app).editor.load_text(
            lesson.manifest.replace("    app: web\n  ports", "    app: nothing\n  ports")
        )
        await settle(pilot)
        text = traffic.render_text()
        assert "Sent before your last change" in str(text)
        dimmed = [span for span in text.spans if span.start == 0 and "dim" in str(span.style)]
        assert dimmed and dimmed[0].end >= 20, "the old results are dimmed"
        await press(pilot, "ctrl+t")
        assert "connection refused by kube-proxy" in str(traffic.render_text())
        await press(pilot, "ctrl+n")
        assert "refused" not in str(traffic.render_text())
        assert "ctrl+t sends one request" in str(traffic.render_text())


async def test_an_invalid_service_is_said_to_be_refused(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    invalid = dataclasses.replace(lesson, manifest=lesson.manifest.replace("port: 80", "port: 0"))
    app = make_app("basics", lessons=[invalid])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = routing_text(app)
        assert "The API server refused Service web: spec.ports[0].port" in text
        assert "No Service in this manifest" not in text


async def test_behind_the_scenes_tabs_nftables_and_no_escape_sequences(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    """The three tabs and the `m` key, following an edit; then a manifest with an escape
    sequence in a value: it reaches neither the routing view nor the rules."""
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not app.screen.query("#behind-tabs")  # built only when shown
        await press(pilot, "f5")
        await settle(pilot)
        rules = static_text(app.screen.query_one("#rules-text", Static))
        assert "KUBE-SERVICES" in rules and "KUBE-SEP" in rules
        slices = str(app.screen.query_one("#slices-text", Static).render())
        assert "kind: EndpointSlice" in slices and "kubernetes.io/service-name: web" in slices
        dns = static_text(app.screen.query_one("#dns-text", Static))
        assert "web.default.svc.cluster.local." in dns
        # F5 focused the view: `m`, as its header says, switches kube-proxy's rules between
        # iptables and nftables mode (the focus stayed in the editor, which got an "m")
        typed = workbench(app).editor.text
        await press(pilot, "m")
        await settle(pilot)
        rules = static_text(app.screen.query_one("#rules-text", Static))
        assert "table ip kube-proxy {" in rules and "numgen random mod" in rules, "m: nftables"
        lead = static_text(app.screen.query_one("#rules-lead", Static))  # wraps, above the rules
        assert "KUBE-SERVICES" not in rules and "m: show iptables mode" in lead + rules
        assert workbench(app).editor.text == typed, "m went into the YAML"
        await press(pilot, "m")
        await settle(pilot)
        rules = static_text(app.screen.query_one("#rules-text", Static))
        lead = static_text(app.screen.query_one("#rules-lead", Static))
        assert "KUBE-SERVICES" in rules and "m: show nftables mode" in lead + rules, "m: iptables"
        # the other tabs from the keyboard, as the help's F5 row says: shift+Tab, then → →
        from textual.widgets import TabbedContent

        from tutor.app.screens.help import KEYS

        f5 = next(what for _title, rows in KEYS for key, what in rows if key == "F5")
        assert "shift+Tab, then ← →" in f5 and "m:" in f5, f5
        await press(pilot, "shift+tab", "right", "right")
        await settle(pilot)
        assert app.screen.query_one("#behind-tabbed", TabbedContent).active == "tab-dns"
        await press(pilot, "left", "left")
        await settle(pilot)
        # follows the manifest as it is now
        workbench(app).editor.load_text(lesson.manifest.replace("name: web\n", "name: shop\n", 1))
        await settle(pilot)
        assert "shop.default.svc.cluster.local." in static_text(
            app.screen.query_one("#dns-text", Static)
        ), "the DNS tab follows an edit"
        await press(pilot, "f5")
        await settle(pilot)
        assert not app.screen.query_one("#behind").display
        assert app.focused is workbench(app).editor, "F5 closing the view gives the editor back"
        hostile = lesson.manifest.replace("nodeName: node-1", 'nodeName: "n\\e[31m1"', 1)
        workbench(app).editor.load_text(hostile)
        await settle(pilot)
        await press(pilot, "f5")
        shown = routing_text(app)
        assert "n\ufffd[31m1" in shown and "\x1b" not in shown, "the routing view"
        rules = static_text(app.screen.query_one("#rules-text", Static))
        assert "\x1b" not in rules, "the rules"


async def test_command_line_step_help_the_palette_to_another_step_and_the_title_bar(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    """The app opens the lesson and step the command line names; F1 and back; the palette
    finds a step by its title and opens it; the title bar names the step throughout, and a
    click on it opens the palette."""
    app = make_app("basics", step=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        assert "step 3 of 3" in static_text(app.screen.query_one("#step-header", Static))
        markdown = app.screen.query_one("#step-text", Markdown)
        assert markdown._open_links is False
        title = app.screen.query_one(TitleBar).title_text()
        assert title == "Service basics — step 3 of 3: A Deployment", "the title bar"
        await press(pilot, "f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "escape")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        await press(pilot, "ctrl+p")
        await settle(pilot)
        await type_fast(pilot, *"The port")
        results = app.screen.query_one(CommandList)  # filled in batches by a worker

        def found() -> bool:
            top = results.get_option_at_index(0) if results.option_count else None
            return top is not None and "The port" in str(top.prompt)

        await until(pilot, found)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        assert "step 2 of 3" in static_text(app.screen.query_one("#step-header", Static))
        bar = app.screen.query_one(TitleBar)
        assert "Service basics — step 2 of 3: The port" in bar.render().plain, "the title bar"
        await pilot.click(TitleBar, offset=(1, 0))
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette), "a click on the title opens the palette"


async def test_challenge_hints_check_and_solution_arrows_typed_fast_and_the_quiz(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    """A challenge: check, hints, solution, solved; back in the list, down and Enter typed
    fast open the challenge the arrow reached; then the quiz: a wrong answer explained, and
    choices as written (no markup)."""
    from tutor.app.screens.practice import ChallengeScreen, PracticeScreen
    from tutor.app.screens.quiz import QuizScreen

    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen)
        await press(pilot, "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChallengeScreen)
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert screen.last is not None and not screen.last.met
        assert "Not yet" in static_text(screen.query_one("#challenge-result", Static))
        await press(pilot, "ctrl+n")
        await settle(pilot)
        hints = static_text(screen.query_one("#challenge-hints", Static))
        assert "Look at the selector." in hints and "Set app: api" not in hints
        await press(pilot, "ctrl+n")
        await settle(pilot)
        assert "Set app: api" in static_text(screen.query_one("#challenge-hints", Static))
        await press(pilot, "ctrl+l")
        await settle(pilot)
        await press(pilot, "y")
        await settle(pilot)
        # the check before the solution no longer says "Not yet" beside the solved routing
        # view (lesson 14, challenge 1, in tmux): the manifest it judged is gone
        assert "Not yet" not in static_text(screen.query_one("#challenge-result", Static))
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert screen.last is not None and screen.last.met
        assert "fix-selector" in app.progress.lesson("basics").challenges_solved
        await press(pilot, "escape")  # out of the editor (Textual's code editor convention)
        await settle(pilot)
        assert isinstance(app.screen, ChallengeScreen)
        await press(pilot, "escape")
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen)
        options = app.screen.query_one("#practice", OptionList)
        assert "✓ solved" in str(options.get_option_at_index(0).prompt)
        # keys arriving together: Enter (a priority binding) must not overtake the arrow
        # queued before it (was test_app_chrome's own app run)
        options.highlighted = 0
        for key in ("down", "enter"):
            app.post_message(events.Key(key, None))
        await settle(pilot)
        assert isinstance(app.screen, ChallengeScreen), "down, enter typed fast"
        assert app.screen.challenge.id == "break-port", "the challenge the arrow reached"
        await press(pilot, "escape", "escape")  # out of the editor, back to the list
        assert isinstance(app.screen, PracticeScreen)
        options = app.screen.query_one("#practice", OptionList)
        options.highlighted = options.option_count - 1
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, QuizScreen)
        wrong = "abcdefghij"[app.screen.order(0).index(1)]  # the file's choice b, shuffled
        await press(pilot, wrong)  # a wrong answer
        await settle(pilot)
        explain = static_text(app.screen.query_one("#quiz-explain", Static))
        assert "Not quite" in explain and "Names are never matched." in explain
        assert app.progress.lesson("basics").quiz == {0: 1}
        await press(pilot, "n", "n")
        await settle(pilot)
        await press(pilot, "a")
        await settle(pilot)
        choices = app.screen.query_one("#quiz-choices", OptionList)
        shown = prompts(choices)
        assert any("[bold]no[/bold]" in p for p in shown)


async def test_narrow_terminal_uses_tabs(make_app: Any, lesson: Lesson, data_dir: Path) -> None:
    """The panes as tabs at 80x24: keys and clicks switch them, F8's console is one of them,
    and the error list of a text broken while the editor's pane was hidden fits its messages
    once the pane shows (was test_app_keystroke's own app run)."""
    app = make_app("basics")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bench = workbench(app)
        assert bench.narrow
        assert bench.query_one("#pane-tabs").display
        # the step's text comes first, and has the focus (keys never go to a hidden editor)
        assert bench.query_one("#intro").display and not bench.query_one("#yaml").display
        assert app.focused is bench.query_one("#intro")
        await press(pilot, "f3")
        await settle(pilot)
        assert bench.query_one("#yaml").display and not bench.query_one("#routing").display
        assert app.focused is bench.editor
        await press(pilot, "ctrl+n")  # the next step: its text first again
        await settle(pilot)
        assert bench.query_one("#intro").display and not bench.query_one("#yaml").display
        await press(pilot, "f4")
        await settle(pilot)
        assert bench.query_one("#routing").display and not bench.query_one("#yaml").display
        await press(pilot, "f2")
        await settle(pilot)
        assert bench.query_one("#intro").display
        await pilot.click("#tab-routing")  # the tabs take clicks too
        await settle(pilot)
        assert bench.active == "routing" and bench.query_one("#routing").display, "a click"
        # F8's console is a tab here (was test_app_console's own app run at 80x24)
        await press(pilot, "f8")
        assert isinstance(app.focused, ConsoleInput), "F8 focuses the console's line"
        await type_fast(pilot, *"nslookup web", "enter")
        assert "Name:      web" in app.screen.query_one(ConsolePane).log_widget.lines
        assert bench.active == "console" and not bench.query_one("#yaml").display, "a tab"
        await press(pilot, "f8")
        assert bench.active == "yaml" and isinstance(app.focused, YamlEditor), "F8 closes it"
        await press(pilot, "f4")
        # errors that came while the editor's pane was hidden are measured once it shows
        errors = app.screen.query_one("#errors", OptionList)
        bench.editor.load_text("Q" + bench.editor.text)
        await settle(pilot)
        await press(pilot, "f3")
        await settle(pilot)
        assert errors.display and errors.size.height > 0, "the error list, shown"
        assert errors.size.height == min(7, errors.virtual_size.height), "fits its messages"
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert not bench.narrow and bench.query_one("#yaml").display
        assert bench.query_one("#routing").display


async def test_progress_notice_is_shown(make_app: Any, lesson: Lesson, data_dir: Path) -> None:
    (data_dir / "progress.json").write_text("{ not json")
    app = make_app()
    seen = Notices(app)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        assert seen
        assert any("progress" in n.message.lower() or "moved" in n.message.lower() for n in seen)
    assert list(data_dir.glob("progress.json*"))


async def test_no_color_env_respected(
    make_app: Any, lesson: Lesson, data_dir: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color


async def test_resizing_never_crashes(make_app: Any, lesson: Lesson, data_dir: Path) -> None:
    sizes = [
        (40, 12),
        (60, 16),
        (80, 24),
        (100, 30),
        (120, 40),
        (200, 60),
        (300, 100),
        (41, 13),
        (99, 25),
        (100, 24),
    ]
    app = make_app("basics", step=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for width, height in sizes:
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            await press(pilot, "f5")
            await press(pilot, "ctrl+g")
            await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        await press(pilot, "escape")
        for width, height in reversed(sizes):
            await pilot.resize_terminal(width, height)
            await settle(pilot)
        assert isinstance(app.screen, LessonListScreen)


async def test_edits_survive_a_restart_and_a_quit_right_after_typing(
    make_app: Any, data_dir: Path
) -> None:
    """A pause in typing: the debounced save writes the edit from a thread (a crash then loses
    nothing). ctrl+q before the debounced save fires: the screens save as the app takes them
    down (a step's edit and a challenge's). A restart brings both back."""
    from tutor.app.screens.practice import ChallengeScreen

    progress = data_dir / "progress.json"
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(YamlEditor)
        editor.focus()
        editor.cursor_location = (0, 0)
        await press(pilot, *"# kept", "enter")
        await until(pilot, lambda: progress.is_file() and "# kept" in progress.read_text())
        await press(pilot, *"# step", "enter", "ctrl+q")
    assert "# step" in progress.read_text(), "the keys typed just before ctrl+q are saved"
    assert "# kept" in json.dumps(json.loads(progress.read_text()))

    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = app.screen.query_one(YamlEditor).text
        assert text.startswith("# kept\n# step\n"), f"the edit comes back: {text[:40]!r}"
        await open_challenge(pilot)
        assert isinstance(app.screen, ChallengeScreen)
        editor = app.screen.query_one(YamlEditor)
        editor.focus()
        editor.cursor_location = (0, 0)
        await press(pilot, *"# task", "enter", "ctrl+q")
    assert "# task" in progress.read_text(), "a challenge's last keys are saved on ctrl+q"


async def test_quitting_before_the_save_thread_runs_still_writes_what_was_kept(
    make_app: Any, data_dir: Path, monkeypatch: Any
) -> None:
    """A console line is kept in memory and its write left to a thread (as a pause's text is);
    if the app quits before that thread runs, the app writes it on the way out
    (`TutorApp.on_unmount`). The YAML is untouched, so the lesson screen's own save as it
    unmounts writes nothing (its text is the step's start: nothing to keep); a typed edit is
    written by that save anyway (test_edits_survive_a_restart_and_a_quit_right_after_typing)."""
    from tutor.app.app import TutorApp
    from tutor.course.progress import CONSOLE_KEY

    monkeypatch.setattr(TutorApp, "save_progress_soon", lambda self: None)
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "f8")
        await type_fast(pilot, *"kubectl get svc", "enter")
        # kept in memory now, never written by a thread
        await until(
            pilot, lambda: "get svc" in (app.progress.saved_edit("basics", CONSOLE_KEY) or "")
        )
        await press(pilot, "ctrl+q")
    progress = data_dir / "progress.json"
    assert progress.is_file() and "get svc" in progress.read_text(), "written on the way out"
