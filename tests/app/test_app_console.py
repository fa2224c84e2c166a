"""The console in the lesson screen (Pilot): F8 opens it (a pane at 120x40; a tab at 80x24,
in test_app_pilot's test_narrow_terminal_uses_tabs), commands see the manifest and the
learner's cluster changes, and each mutating command makes the same cluster change as the
routing view's key for it."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from app.conftest import build_app, make_lesson
from sample_manifests import MANIFEST
from testkit import open_challenge, press, settle, type_fast

from tutor.app.widgets.console import ConsoleInput, ConsolePane
from tutor.app.widgets.editor import YamlEditor
from tutor.app.widgets.routing import RoutingView
from tutor.app.widgets.workbench import Workbench
from tutor.course.lesson import Challenge, Goal, Lesson


def bench(app: Any) -> Workbench:
    return app.screen.query_one(Workbench)


async def run(pilot: Any, app: Any, line: str) -> list[str]:
    """Type `line` into the console (opening it if needed) and return the log's lines."""
    if not app.screen.query(ConsoleInput) or not app.screen.query_one(ConsoleInput).has_focus:
        if not bench(app).console_open:
            await press(pilot, "f8")
        await settle(pilot)
    field = app.screen.query_one(ConsoleInput)
    assert field.has_focus
    await type_fast(pilot, *line, "enter")  # Enter queued behind the line runs all of it
    return list(app.screen.query_one(ConsolePane).log_widget.lines)


async def routing_key(pilot: Any, app: Any, pod: str, *keys: str) -> None:
    view = app.screen.query_one(RoutingView)
    view.focus()
    for _ in range(10):
        if view.pod() is not None and view.pod().name == pod:
            break
        await press(pilot, "down")
        await settle(pilot)
    assert view.pod() is not None and view.pod().name == pod
    await press(pilot, *keys)
    await settle(pilot)


async def test_delete_and_label_match_the_d_and_l_keys(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    """The keys' changes, then `x` (back to the manifest), then the commands': the same
    changes (one app for both; that each command makes its key's change is tests/lab's)."""
    app = make_app("basics")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await routing_key(pilot, app, "web-1", "l")
        await press(pilot, "ctrl+u", *"app=web,tier=x", "enter")
        await settle(pilot)
        await routing_key(pilot, app, "web-2", "d")
        keys = bench(app).changes.to_json()
        await press(pilot, "x")
        await settle(pilot)
        assert bench(app).changes.empty, "x: the cluster as the manifest says"
        await run(pilot, app, "kubectl label pod web-1 tier=x")
        lines = await run(pilot, app, "kubectl delete pod web-2")
        assert lines[-1] == 'pod "web-2" deleted from default namespace'
        assert bench(app).changes.to_json() == keys, "the commands' changes are the keys'"
        pods = [p.name for p in bench(app).shown_analysis.cluster.pods]  # type: ignore[union-attr]
        assert pods == ["web-1", "api-1"]


async def test_scale_matches_the_minus_and_plus_keys_expose_adds_a_service_edit_opens_it(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    """On step 3's Deployment: `kubectl scale` makes the minus and plus keys' changes; then
    `kubectl expose` adds a Service to the manifest and `kubectl edit` puts the cursor on it."""
    app = make_app("basics", step=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = bench(app).shown_analysis.cluster.pods[0].name  # type: ignore[union-attr]
        await routing_key(pilot, app, first, "minus")
        keys_down = bench(app).changes.to_json()
        await routing_key(pilot, app, bench(app).shown_analysis.cluster.pods[0].name, "plus")  # type: ignore[union-attr]
        keys_up = bench(app).changes.to_json()
        await press(pilot, "x")
        await settle(pilot)
        assert bench(app).changes.empty, "x: the cluster as the manifest says"
        await run(pilot, app, "kubectl scale deploy shop --replicas=1")
        assert bench(app).changes.to_json() == keys_down, "scale to 1 is the minus key"
        lines = await run(pilot, app, "kubectl scale deploy shop --replicas=2")
        assert lines[-1] == "deployment.apps/shop scaled"
        assert bench(app).changes.to_json() == keys_up, "scale to 2 is the plus key"
        assert len(bench(app).shown_analysis.cluster.pods) == 2  # type: ignore[union-attr]
        await run(pilot, app, "kubectl expose deploy shop --port 8080 --name shop-direct")
        work = bench(app)
        assert work.shown_analysis is not None and work.shown_analysis.service("shop-direct")
        assert "name: shop-direct" in work.text
        await press(pilot, "f8")  # close; then edit from a fresh console
        await run(pilot, app, "kubectl edit svc shop")
        assert isinstance(app.focused, YamlEditor)
        row = app.focused.cursor_location[0]
        assert work.text.splitlines()[row].strip() == "name: shop"


def look_then_fix() -> Lesson:
    """The fixture lesson with one challenge whose goal asks the learner to look first."""
    base = make_lesson()
    fixed = MANIFEST.replace("    app: web\n  ports", "    app: api\n  ports")
    challenge = Challenge(
        "look-then-fix",
        "Look, then fix",
        "Only api-1 should answer. Look at the Service first.",
        MANIFEST,
        Goal(
            "all",
            {
                "goals": [
                    Goal("traffic", {"service": "web", "port": "80", "pods": ["api-1"]}),
                    Goal("ran", {"command": "kubectl describe svc"}),
                ]
            },
            "api-1 alone gets traffic, and you described the Service",
        ),
        ("Describe the Service.",),
        fixed,
        commands=("kubectl describe svc web",),
    )
    return dataclasses.replace(base, challenges=(challenge, *base.challenges))


async def open_first_challenge(pilot: Any, app: Any) -> Any:
    from tutor.app.screens.practice import ChallengeScreen

    await settle(pilot)
    await open_challenge(pilot)
    assert isinstance(app.screen, ChallengeScreen)
    return app.screen


async def test_a_ran_goal_needs_the_command_typed_in_the_console(data_dir: Path) -> None:
    app = build_app(data_dir, "basics", lessons=[look_then_fix()])
    async with app.run_test(size=(120, 40)) as pilot:
        challenge = await open_first_challenge(pilot, app)
        hint = challenge.query_one("#challenge-commands")
        assert "Try in the console (F8):\n  kubectl describe svc web" in str(hint.render())
        editor = challenge.query_one(YamlEditor)
        row = editor.text.splitlines().index("    app: web")
        editor.focus()
        await type_fast(pilot, "ctrl+home", *["down"] * row, "end", *["backspace"] * 3, *"api")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert challenge.last is not None and not challenge.last.met
        assert "Run `kubectl describe svc` in the console" in challenge.last.detail
        lines = await run(pilot, app, "kubectl describe svc web")
        assert "Selector:                 app=api" in lines  # the fixed manifest
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert challenge.last.met, challenge.last.detail
        assert "look-then-fix" in app.progress.lesson("basics").challenges_solved
        await press(pilot, "escape")  # the console's history goes with the progress
        await settle(pilot)
    again = build_app(data_dir, "basics", lessons=[look_then_fix()])
    async with again.run_test(size=(120, 40)) as pilot:
        challenge = await open_first_challenge(pilot, again)
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert challenge.last is not None and challenge.last.met, challenge.last.detail
        await press(pilot, "f8")
        await settle(pilot)
        await press(pilot, "up")
        assert again.screen.query_one(ConsoleInput).value == "kubectl describe svc web"


async def test_f8_opens_the_console_its_commands_see_the_manifest_and_feed_a_steps_ran_check(
    data_dir: Path,
) -> None:
    """F8 opens the console (a pane beside the others at 120x40) and closes it; a line run in
    step 1 does not meet step 2's `ran` check, the same line run in step 2 does."""
    base = make_lesson()
    look = dataclasses.replace(
        base.steps[1],
        check=Goal("ran", {"command": "kubectl get endpointslices"}, "You listed the slices."),
        commands=("kubectl get endpointslices",),
    )
    lesson = dataclasses.replace(base, steps=(base.steps[0], look, *base.steps[2:]))
    app = build_app(data_dir, "basics", lessons=[lesson])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#console").display
        lines = await run(pilot, app, "kubectl get endpointslices")  # in step 1: not the step
        assert lines[1].split() == ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]
        assert any(ln.startswith("web-") and "8080" in ln for ln in lines)
        assert app.screen.query_one("#routing").display  # a pane beside the others
        await press(pilot, "f8")
        assert not app.screen.query_one("#console").display, "F8 closes it"
        await press(pilot, "ctrl+n")
        step = app.screen
        assert step.index == 1
        assert "Try in the console (F8):\n  kubectl get endpointslices" in str(
            step.query_one("#step-commands").render()
        )
        assert 1 not in app.progress.lesson("basics").steps_done, "a line run in step 1"
        await run(pilot, app, "kubectl get endpointslices")
        assert 1 in app.progress.lesson("basics").steps_done, "the line run in step 2"
