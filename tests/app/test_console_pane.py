"""The console pane on its own (Pilot): Enter runs the line, ↑/↓ walk the history, Tab
completes, `clear` empties the log, effects reach the parent as `ConsolePane.Ran`, and a
stranger's escape sequence is shown spelled out, never sent to the terminal."""

from __future__ import annotations

from pathlib import Path

from testkit import press, settle
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from tutor.app.widgets.console import ConsoleInput, ConsolePane
from tutor.lab.console import Changed, OpenEditor
from tutor.lab.session import LabSession

CLUSTER = (Path(__file__).parents[1] / "lab" / "console" / "golden" / "cluster.yaml").read_text()


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.session = LabSession(CLUSTER)
        self.session.analyze_now()
        self.ran: list[ConsolePane.Ran] = []

    def compose(self) -> ComposeResult:
        yield ConsolePane(self.session, id="c")

    def on_mount(self) -> None:
        self.query_one(ConsoleInput).focus()

    def on_console_pane_ran(self, message: ConsolePane.Ran) -> None:
        self.ran.append(message)
        self.session.analyze_now()  # as the workbench does: a cluster change re-runs the model


async def type_line(pilot: Pilot[None], app: Host, line: str) -> None:
    app.query_one(ConsoleInput).value = line
    await press(pilot, "enter")


async def test_enter_runs_the_line_and_shows_the_output() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_line(pilot, app, "kubectl get svc -n shop")
        log = app.query_one(ConsolePane).log_widget
        assert log.lines[-3:] == [
            "client:/ # kubectl get svc -n shop",
            "NAME   TYPE       CLUSTER-IP    EXTERNAL-IP   PORT(S)          AGE",
            "api    NodePort   10.96.31.69   <none>        8080:30080/TCP   10m",
        ]
        assert app.query_one(ConsoleInput).value == ""


async def test_history_up_and_down_keeps_the_draft() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_line(pilot, app, "kubectl get svc")
        await type_line(pilot, app, "nslookup web")
        field = app.query_one(ConsoleInput)
        field.value = "dig"
        await press(pilot, "up")
        assert field.value == "nslookup web"
        await press(pilot, "up", "up")
        assert field.value == "kubectl get svc"
        await press(pilot, "down", "down")
        assert field.value == "dig"


async def test_tab_completes_and_lists_choices() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        field = app.query_one(ConsoleInput)
        field.value = "kubectl get svc w"
        field.cursor_position = len(field.value)
        await press(pilot, "tab")
        assert field.value == "kubectl get svc web "
        assert app.focused is field  # Tab completed instead of moving the focus
        field.value = "kubectl describe pod web-c"
        await press(pilot, "tab")
        assert "web-canary" in app.query_one(ConsolePane).log_widget.lines[-1]


async def test_clear_and_effects() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_line(pilot, app, "kubectl get pods")
        await type_line(pilot, app, "clear")
        assert app.query_one(ConsolePane).log_widget.line_count == 0
        await type_line(pilot, app, "kubectl label pod web-canary track=x --overwrite")
        await type_line(pilot, app, "kubectl edit svc web")
        kinds = [type(e) for m in app.ran for e in m.effects]
        assert kinds == [Changed, OpenEditor]
        assert app.session.changes.edits["default/web-canary"].labels == {
            "app": "web",
            "track": "x",
        }


async def test_escape_sequences_are_spelled_out() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_line(pilot, app, "kubectl get \x1b[2Jsvc")
        lines = app.query_one(ConsolePane).log_widget.lines[-2:]
        assert all("\x1b" not in line for line in lines)
        assert lines[-1] == 'error: the server doesn\'t have a resource type "\\u001b[2Jsvc"'


async def test_debug_pod_changes_the_prompt() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_line(pilot, app, "kubectl run debug --image=busybox -it --rm -- sh")
        prompt = app.query_one("#console-prompt")
        assert str(prompt.render()).startswith("debug:")
        await type_line(pilot, app, "exit")
        assert str(prompt.render()).startswith("client:")


def shown_rows(app: Host) -> list[str]:
    log = app.query_one(ConsolePane).log_widget
    return [log.render_line(y).text.rstrip() for y in range(log.size.height)]


async def test_long_lines_wrap_and_pageup_scrolls_back() -> None:
    app = Host()
    async with app.run_test(size=(40, 12)) as pilot:
        log = app.query_one(ConsolePane).log_widget
        width = log.size.width
        log.write_lines(["x" * (width + 5), *[f"line {i}" for i in range(30)]])
        await settle(pilot)
        assert shown_rows(app)[-1] == "line 29"
        await press(pilot, "pageup", "pageup", "pageup", "pageup")
        await settle(pilot)
        rows = shown_rows(app)
        assert rows[0] == "x" * width and rows[1] == "xxxxx"  # wrapped, as a terminal does
        assert "more rows: PageDown" in rows[-1]
        await press(pilot, "pagedown", "pagedown", "pagedown", "pagedown")
        await settle(pilot)
        assert shown_rows(app)[-1] == "line 29"
        await press(pilot, "pageup")
        await type_line(pilot, app, "kubectl get svc -n shop")  # new output: back at the end
        rows = shown_rows(app)
        assert rows[-1].endswith("10m") and rows[-2].startswith("api    NodePort")


async def test_old_lines_go_and_control_characters_are_spelled_out() -> None:
    app = Host()
    async with app.run_test(size=(60, 12)) as pilot:
        log = app.query_one(ConsolePane).log_widget
        log.max_lines = 10
        log.write_lines([f"old {i}" for i in range(8)])
        log.write_lines(["a\x1b[2Jb", *[f"new {i}" for i in range(5)]])
        await settle(pilot)
        assert log.line_count == 10 and log.lines[0] == "old 4"
        assert "a\\u001b[2Jb" in log.lines
        assert all("\x1b" not in row for row in shown_rows(app))


async def test_output_can_be_selected_and_copied() -> None:
    from textual.geometry import Offset
    from textual.selection import Selection

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_line(pilot, app, "kubectl get svc -n shop")
        log = app.query_one(ConsolePane).log_widget
        row = len(log.lines) - 1  # `api    NodePort ...`
        picked = log.get_selection(Selection.from_offsets(Offset(0, row), Offset(3, row)))
        assert picked == ("api", "\n")
        first = next(iter(log.render_line(row))).style  # the mouse finds the text under it
        assert first is not None and first.meta.get("offset") == (0, row)


async def test_typing_and_enter_repaint_the_prompt_without_a_new_layout() -> None:
    """A new value of the prompt is a repaint, not a layout of the whole screen (in the lesson
    screen that reflowed the editor and the routing view on each key and on Enter); a line
    longer than the prompt still scrolls inside it, as far as a plain `Input` does."""
    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        layouts: list[object] = []
        app.screen.screen_layout_refresh_signal.subscribe(app, layouts.append)
        await press(pilot, *"kubectl get svc -n shop")
        await press(pilot, "enter")
        await settle(pilot)
        assert app.query_one(ConsolePane).log_widget.lines[-1].startswith("api    NodePort")
        assert layouts == []
        field = app.query_one(ConsoleInput)
        await press(pilot, *("kubectl get pods " + "x" * 80))
        await settle(pilot)
        assert layouts == []
        # scrolled to the end: the cursor's cell (after the text) is the last one shown
        assert field.scroll_offset.x == len(field.value) + 1 - field.content_region.width > 0


async def test_written_lines_are_kept_as_given_tabs_expanded() -> None:
    app = Host()
    async with app.run_test(size=(40, 12)) as pilot:
        log = app.query_one(ConsolePane).log_widget
        log.write_lines([])
        assert log.line_count == 0
        log.write_lines(["a\tb", "two\nlines", "", "x" * 45, "\x07bell"])
        await settle(pilot)
        assert log.lines == ["a       b", "two", "lines", "", "x" * 45, "\\u0007bell"]
        assert shown_rows(app)[:7] == [
            "a       b",
            "two",
            "lines",
            "",
            "x" * log.size.width,
            "xxxxx",
            "\\u0007bell",
        ]


async def test_enter_runs_the_line_as_it_arrives() -> None:
    """Enter is the prompt's priority key: the app runs it as it arrives, and the key is not
    passed on to the Input's own key handler (whose cursor repaint took a frame of its own
    just before the output's) nor up its parents."""
    dispatched: list[str] = []  # each time a widget (or the app) is handed a key

    def hook(message: object) -> None:
        if isinstance(message, events.Key):
            dispatched.append(message.key)

    app = Host()
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await press(pilot, *"kubectl get svc -n shop", "enter")
        await settle(pilot)
        assert app.query_one(ConsolePane).log_widget.lines[-1].startswith("api    NodePort")
        assert dispatched.count("k") == 2  # the app, then the prompt, which takes it
        assert dispatched.count("enter") == 1  # the app only


async def test_kubectl_loads_in_a_thread_when_the_pane_opens() -> None:
    """The first kubectl line would otherwise import kubectl's modules before answering."""
    from textual.worker import Worker, WorkerState

    states: list[WorkerState] = []

    def hook(message: object) -> None:
        if isinstance(message, Worker.StateChanged) and message.worker.name == "load kubectl":
            states.append(message.state)

    app = Host()
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert states[-1] == WorkerState.SUCCESS


async def test_the_prompt_blinks_as_the_app_says() -> None:
    """A served tab turns blinking off app-wide (each blink is a frame sent to the browser)."""

    class Still(Host):
        cursor_blink = False

    for app, blinks in ((Host(), True), (Still(), False)):
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert app.query_one(ConsoleInput).cursor_blink is blinks


async def test_enter_typed_fast_behind_the_line_runs_the_whole_line() -> None:
    """Keys a terminal delivers at once (fast typing, a paste ending in a newline): Enter runs
    the line with every character queued before it, not the part that had reached the prompt
    (a priority key is run by the app as it arrives, ahead of the keys queued at the prompt)."""
    from testkit import type_fast

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_fast(pilot, *"kubectl get svc -n shop", "enter")
        log = app.query_one(ConsolePane).log_widget
        assert log.lines[-3] == "client:/ # kubectl get svc -n shop"
        assert log.lines[-1].startswith("api    NodePort")
        assert app.query_one(ConsoleInput).value == ""
