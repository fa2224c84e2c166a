"""A keystroke redraws only what it changed: the routing rows of Pods it did not touch are not
rendered again, and the traffic panel is not re-laid out (a layout pass over the lesson screen
cost more than the whole analysis of a 50-Pod manifest)."""

from __future__ import annotations

from typing import Any

import pytest
from testkit import press, prompts, settle, type_fast, until
from textual.widgets import OptionList, Static

from tutor.app.widgets import routing, workbench
from tutor.app.widgets.editor import YamlEditor
from tutor.app.widgets.routing import RoutingView
from tutor.app.widgets.traffic import RESEND, TrafficView


async def test_a_keystroke_redraws_only_the_rows_it_changed_and_fast_keys_are_analyzed_once(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys one at a time: a comment draws no routing row, a label edit draws its Pod's row
    only, and neither updates the traffic panel. Then keys queued together (fast typing, a
    paste sent key by key), each of which was analyzed and drawn in the routing view: the
    text after the last one is analyzed, once, and is what the view shows."""
    drawn: list[str] = []
    traffic_updates: list[object] = []
    pod_row = routing.pod_row

    def counting_row(sr: Any, pr: Any, pod: Any, width: int = 0) -> Any:
        drawn.append(pod.name)
        return pod_row(sr, pr, pod, width)

    def counting_update(self: TrafficView, *args: Any, **kwargs: Any) -> None:
        traffic_updates.append(args)
        Static.update(self, *args, **kwargs)

    analyzed: list[str] = []
    run = workbench.run

    def counting(job: Any) -> Any:
        analyzed.append(job.text)
        return run(job)

    monkeypatch.setattr(routing, "pod_row", counting_row)
    monkeypatch.setattr(TrafficView, "update", counting_update)
    monkeypatch.setattr(workbench, "run", counting)
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(RoutingView)
        assert set(drawn) == {"api-1", "web-1", "web-2"}
        editor = app.screen.query_one(YamlEditor)
        editor.focus()
        editor.cursor_location = (0, 0)
        drawn.clear()
        traffic_updates.clear()
        await press(pilot, *"# a comment", "enter")
        await settle(pilot)
        assert drawn == [] and traffic_updates == []
        row = editor.text.splitlines().index("  name: api-1") + 2  # `    app: api`
        editor.cursor_location = (row, len("    app: "))
        await press(pilot, "delete", "delete", "delete", *"web")  # api-1 is labelled app: web
        await settle(pilot)
        assert set(drawn) == {"api-1"} and traffic_updates == []
        shown = prompts(view)
        assert any("api-1" in p and "TRAFFIC" in p for p in shown)
        editor.cursor_location = (row, len("    app: "))
        analyzed.clear()
        await type_fast(pilot, "delete", "delete", "delete", *"api")  # api-1: app: api again
        assert len(analyzed) == 1, [text.splitlines()[row] for text in analyzed]
        assert analyzed[0] == editor.text, "the text after the last key"
        shown = prompts(view)
        assert any("no traffic  api-1" in p for p in shown), "the view shows the last text"


async def test_a_new_summary_and_a_result_turned_history_are_repaints_not_layouts(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary row names the Services, so renaming one changes it on each key; it is one
    row as wide as the column, so the new text is a repaint (a layout of the lesson screen per
    key was a fifth of a served tab's CPU for a valid edit). The result of ctrl+t keeps a
    blank row for the note that it was sent before the last change, so the next key (which
    adds the note) repaints the panel: it does not lay out the screen."""
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(YamlEditor)
        editor.focus()
        row = editor.text.splitlines().index("  name: web")
        editor.cursor_location = (row, len("  name: web"))
        await settle(pilot)
        summary = app.screen.query_one("#summary", Static)
        layouts: list[bool] = []
        refresh = summary.refresh

        def noting_refresh(*regions: Any, **kwargs: Any) -> Any:
            layouts.append(bool(kwargs.get("layout")))
            return refresh(*regions, **kwargs)

        monkeypatch.setattr(summary, "refresh", noting_refresh)
        await press(pilot, "x")
        assert "webx:80 →" in str(summary.render())
        assert layouts and not any(layouts), "the summary"

        await press(pilot, "ctrl+t")
        traffic = app.screen.query_one(TrafficView)
        assert "answered by" in str(traffic.render_text())
        height = traffic.outer_size.height
        asked: list[bool] = []
        update = traffic.update

        def noting_update(*args: Any, layout: bool = True) -> None:
            asked.append(layout)
            update(*args, layout=layout)

        monkeypatch.setattr(traffic, "update", noting_update)
        editor.cursor_location = (0, 0)
        await press(pilot, *"# a")
        assert RESEND in str(traffic.render())
        assert asked == [False] and traffic.outer_size.height == height, "the traffic panel"


async def test_keys_that_break_and_mend_the_yaml_change_the_error_list_in_place(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first key that breaks the YAML brings the error list and the stale note (one
    layout); while the learner types on, breaking and mending it, both stay at their size,
    only the list's words change (no layout of the lesson screen), the note (true either
    way) is not even repainted, and the routing view is neither built again nor drawn: it
    dims only once the text has stayed broken (a layout and a redraw of the whole screen per
    key was two thirds of such a key's CPU in a served tab)."""
    monkeypatch.setattr(workbench, "DIM_AFTER", 30.0)
    monkeypatch.setattr(workbench, "LINGER", 30.0)
    shown: list[object] = []
    drawn: list[int] = []
    show, render_line = RoutingView.show, RoutingView.render_line

    def counting_show(self: RoutingView, snapshot: Any) -> None:
        shown.append(snapshot)
        show(self, snapshot)

    def counting_render_line(self: RoutingView, y: int) -> Any:
        drawn.append(y)
        return render_line(self, y)

    monkeypatch.setattr(RoutingView, "show", counting_show)
    monkeypatch.setattr(RoutingView, "render_line", counting_render_line)
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(YamlEditor)
        editor.focus()
        editor.cursor_location = (0, 0)
        view = app.screen.query_one(RoutingView)
        errors = app.screen.query_one("#errors", OptionList)
        note = app.screen.query_one("#stale-note", Static)
        await press(pilot, "Q")
        await settle(pilot)
        assert errors.display and note.display and "last good" in str(note.render())
        height = (errors.outer_size.height, note.outer_size.height, view.outer_size.height)
        layouts: list[str] = []
        painted: list[object] = []
        note_update = note.update

        def noting_update(*args: Any, **kwargs: Any) -> None:
            painted.append(args)
            note_update(*args, **kwargs)

        monkeypatch.setattr(note, "update", noting_update)
        for widget in (errors, note, view, editor):
            refresh = widget.refresh

            def noting_refresh(*regions: Any, _refresh: Any = refresh, **kwargs: Any) -> Any:
                if kwargs.get("layout"):
                    layouts.append(str(_refresh.__self__))
                return _refresh(*regions, **kwargs)

            monkeypatch.setattr(widget, "refresh", noting_refresh)
        for key, broken in (("backspace", False), ("Q", True), ("backspace", False)):
            shown.clear()
            drawn.clear()
            await press(pilot, key)
            await settle(pilot)
            said = prompts(errors)
            if broken:
                assert said[0].startswith("line 1: ")
            else:
                assert said[0].startswith("✓ No errors")
            assert str(note.render()).startswith("While the YAML has errors, routing shows")
            assert errors.display and note.display and not view.has_class("-stale")
            assert (errors.outer_size.height, note.outer_size.height, view.outer_size.height) == (
                height
            )
            assert layouts == [] and drawn == [] and len(shown) == 1
            assert painted == [], "the note says the same: not even a repaint"


async def test_the_error_list_and_the_note_leave_once_the_text_stays_valid(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbench, "LINGER", 0.3)
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(YamlEditor)
        height = editor.outer_size.height
        editor.focus()
        editor.cursor_location = (0, 0)
        errors = app.screen.query_one("#errors", OptionList)
        note = app.screen.query_one("#stale-note", Static)
        await press(pilot, "Q")
        await settle(pilot)
        assert errors.display and note.display and editor.outer_size.height < height
        await pilot.pause(0.5)
        assert errors.display and note.display, "a broken text keeps them"
        await press(pilot, "backspace")
        await until(pilot, lambda: not errors.display and not note.display)
        await settle(pilot)
        assert editor.outer_size.height == height
        await press(pilot, "Q")  # and they come back with the next error
        await settle(pilot)
        said = str(errors.get_option_at_index(0).prompt)
        assert errors.display and note.display and said.startswith("line 1: ")


async def test_the_error_list_fits_its_messages_after_a_resize(make_app: Any) -> None:
    """Its height is set from its messages at its width: a new width measures them again.
    Messages that came while its pane was hidden (a small terminal's other tab) are measured
    once it shows: test_app_pilot's test_narrow_terminal_uses_tabs."""
    app = make_app("basics")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(YamlEditor)
        errors = app.screen.query_one("#errors", OptionList)
        editor.load_text("Q" + editor.text)
        await settle(pilot)
        wide = errors.size.height
        assert errors.display and 0 < errors.virtual_size.height == wide
        await pilot.resize_terminal(100, 40)
        await settle(pilot)
        await settle(pilot)
        assert errors.virtual_size.height == errors.size.height > wide


async def test_enter_after_a_list_item_with_a_key_goes_on_inside_the_item() -> None:
    """Lesson 5's last challenge at 120x40: Enter after `  - port: 80` put the cursor under
    the dash, so `targetPort: 8080` typed there became `spec.targetPort` (unknown field) and
    not the port's. Enter after a `- key: value` item goes on under `key`; after a plain
    `- value` item, and after any other line, it keeps the line's indentation."""
    from textual.app import App, ComposeResult

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield YamlEditor.create("ports:\n  - port: 80\nips:\n- 10.0.0.1\nspec:\n  a: b\n")

    app = One()
    async with app.run_test(size=(60, 12)) as pilot:
        editor = app.query_one(YamlEditor)
        editor.focus()
        for row, typed in ((1, "targetPort: 8080"), (4, "- 10.0.0.2"), (7, "c: d")):
            editor.cursor_location = (row, len(editor.document.get_line(row)))
            await press(pilot, "enter", *typed)
        assert editor.text.splitlines() == [
            "ports:",
            "  - port: 80",
            "    targetPort: 8080",
            "ips:",
            "- 10.0.0.1",
            "- 10.0.0.2",
            "spec:",
            "  a: b",
            "  c: d",
        ]
