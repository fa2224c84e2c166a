"""What learners saw (issue #10), replayed with the built-in lessons' manifests: the routing view,
the one-request trace and the burst say the same thing, in `tutor.model.report`'s words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from testkit import settle

from tutor.app.widgets.routing import RoutingView
from tutor.app.widgets.traffic import TrafficView
from tutor.app.widgets.workbench import Workbench
from tutor.course.lesson import Lesson
from tutor.course.loader import load_lessons


def _builtin(lesson_id: str) -> Lesson:
    found = load_lessons(use_env=False).get(lesson_id)
    assert found is not None
    return found


def _routing_text(app: Any) -> str:
    """The routing view's rows, with wrapped lines joined (words compared, not layout)."""
    view = app.screen.query_one(RoutingView)
    rows = "\n".join(str(view.get_option_at_index(i).prompt) for i in range(view.option_count))
    return " ".join(rows.split())


async def _show(pilot: Any, text: str) -> Workbench:
    await settle(pilot)
    bench: Workbench = pilot.app.screen.query_one(Workbench)
    bench.editor.load_text(text)
    await settle(pilot)
    return bench


async def _one_request_and_burst(pilot: Any) -> tuple[str, str]:
    await pilot.press("ctrl+t")
    await pilot.pause()
    traffic = pilot.app.screen.query_one(TrafficView)
    one = " ".join(str(traffic.path_text).split())
    await pilot.press("ctrl+g")
    await pilot.pause(0.1)
    while traffic.animating:
        await pilot.pause(0.05)
    return one, " ".join(str(traffic.render_text()).split())


async def test_target_port_80_on_pods_that_declare_8080_is_refused_by_the_pods(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    """Lesson 1, the targetPort step: with the line deleted, traffic goes to port 80, where
    nothing listens (the Pods declare only 8080). It was shown as answered."""
    anatomy = _builtin("anatomy")
    index = next(i for i, s in enumerate(anatomy.steps) if s.path.endswith("targetPort"))
    text = anatomy.step_manifest(index).replace("    targetPort: 8080\n", "")
    assert "targetPort" not in text
    app = make_app("basics")
    async with app.run_test(size=(140, 50)) as pilot:
        await _show(pilot, text)
        routing = _routing_text(app)
        assert (
            "refuses: nothing listens on port 80 in my-app-1 (it declares only 8080/TCP)" in routing
        )
        one, burst = await _one_request_and_burst(pilot)
        assert "refused by the Pod: nothing listens on port 80" in one
        assert "answered" not in one and "reply" not in one
        assert "100/100 sent" in burst and burst.count("refused: nothing listens on port 80") == 3


async def test_local_policy_timeout_is_a_timeout_everywhere(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    """Troubleshooting, "Requests time out on one node": a client on node-2, the only Pod on
    node-1. The header said "requests are rejected" while the trace said DROP."""
    challenge = next(
        c for c in _builtin("troubleshooting").challenges if c.id == "timeout-one-node"
    )
    app = make_app("basics")
    async with app.run_test(size=(140, 50)) as pilot:
        bench = await _show(pilot, challenge.manifest)
        view = app.screen.query_one(RoutingView)
        view.focus()
        while bench.clients[0].node != "node-2":
            await pilot.press("c")
            await settle(pilot)
        routing = _routing_text(app)
        assert "no Pod gets traffic: timed out: kube-proxy drops the packets (DROP)" in routing
        assert "rejected" not in routing and "REJECT" not in routing
        one, burst = await _one_request_and_burst(pilot)
        assert "timed out: kube-proxy drops the packets (DROP)" in one
        assert "100 timed out" in burst
        assert "reject" not in (one + burst).lower()


async def test_a_pod_in_another_namespace_shows_its_labels_as_matching(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    """Troubleshooting, "Refused in production": only the namespace differs, yet the label was
    marked `≠`."""
    challenge = next(
        c for c in _builtin("troubleshooting").challenges if c.id == "wrong-namespace-refused"
    )
    app = make_app("basics")
    async with app.run_test(size=(140, 50)) as pilot:
        await _show(pilot, challenge.manifest)
        routing = _routing_text(app)
        assert "app=payments ✓" in routing
        assert "≠" not in routing
        assert "in namespace `payments`, the Service is in `default`" in routing
