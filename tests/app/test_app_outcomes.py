"""What learners saw (issue #10), replayed with copies of the manifests they used: the routing
view, the one-request trace and the burst say the same thing, in `tutor.model.report`'s words.
(Copies, not the built-in lessons: the course changes, these reports stay.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from testkit import press, settle, until

from tutor.app.widgets.routing import RoutingView
from tutor.app.widgets.traffic import TrafficView
from tutor.app.widgets.workbench import Workbench
from tutor.course.lesson import Lesson


def _pod(name: str, namespace: str, node: str, app: str, ports: str = "") -> str:
    return f"""\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: {namespace}
  labels:
    app: {app}
spec:
  nodeName: {node}
  containers:
  - name: app
    image: registry.example/{app}:1.0{ports}
"""


DECLARES_8080 = "\n    ports:\n    - containerPort: 8080"
# lesson 1, the targetPort step, with the `targetPort` line deleted as its "try" says
TARGET_PORT_DEFAULTED = "---\n".join(
    [
        """\
apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  selector:
    app: my-app
  ports:
  - protocol: TCP
    port: 80
""",
        *(_pod(f"my-app-{i}", "default", "node-1", "my-app", DECLARES_8080) for i in (1, 2, 3)),
    ]
)
# lesson 9, challenge 3: internalTrafficPolicy Local, the only Pod on node-1
LOCAL_ONE_NODE = "---\n".join(
    [
        """\
apiVersion: v1
kind: Service
metadata:
  name: quotes
spec:
  internalTrafficPolicy: Local
  selector:
    app: quotes
  ports:
  - port: 80
    targetPort: 8080
""",
        _pod("quotes-1", "default", "node-1", "quotes"),
        _pod("client", "default", "node-2", "client"),
    ]
)
# lesson 9, challenge 7: the Service in `default`, its Pods in `payments`
OTHER_NAMESPACE = "---\n".join(
    [
        """\
apiVersion: v1
kind: Service
metadata:
  name: payments
  namespace: default
spec:
  selector:
    app: payments
  ports:
  - port: 443
    targetPort: 8443
""",
        _pod("payments-1", "payments", "node-1", "payments"),
        _pod("payments-2", "payments", "node-2", "payments"),
    ]
)


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
    await press(pilot, "ctrl+t")
    await settle(pilot)
    traffic = pilot.app.screen.query_one(TrafficView)
    one = " ".join(str(traffic.render_text()).split())
    await press(pilot, "ctrl+g")
    await settle(pilot)  # the burst's worker and what it posts
    await until(pilot, lambda: not traffic.animating)
    return one, " ".join(str(traffic.render_text()).split())


async def test_what_learners_saw_is_one_outcome_everywhere(
    make_app: Any, lesson: Lesson, data_dir: Path
) -> None:
    """The three reports, one after another in one lesson screen (each text loaded as the
    learner's edit; one app instead of three)."""
    app = make_app("basics")
    async with app.run_test(size=(140, 50)) as pilot:
        # Lesson 1, the targetPort step: with the line deleted, traffic goes to port 80, where
        # nothing listens (the Pods declare only 8080). It was shown as answered.
        await _show(pilot, TARGET_PORT_DEFAULTED)
        routing = _routing_text(app)
        assert (
            "refuses: nothing listens on port 80 in my-app-1 (it declares only 8080/TCP)" in routing
        ), "targetPort defaulted: the routing view"
        one, burst = await _one_request_and_burst(pilot)
        assert "refused by the Pod: nothing listens on port 80" in one, "targetPort: one request"
        assert "answered" not in one and "reply" not in one
        assert "100/100 sent" in burst and burst.count("refused: nothing listens on port 80") == 3

        # Troubleshooting, "Refused in production": only the namespace differs, yet the label
        # was marked `≠`.
        await _show(pilot, OTHER_NAMESPACE)
        routing = _routing_text(app)
        assert "app=payments ✓" in routing, "another namespace: the label matches"
        assert "≠" not in routing
        assert "in namespace payments, the Service is in default" in routing

        # Troubleshooting, "Requests time out on one node": a client on node-2, the only Pod
        # on node-1. The header said "requests are rejected" while the trace said DROP.
        bench = await _show(pilot, LOCAL_ONE_NODE)
        view = app.screen.query_one(RoutingView)
        view.focus()
        while bench.clients[0].node != "node-2":
            await press(pilot, "c")
            await settle(pilot)
        routing = _routing_text(app)
        assert "no Pod gets traffic: timed out: kube-proxy drops the packets (DROP)" in routing, (
            "Local policy: the routing view"
        )
        assert "rejected" not in routing and "REJECT" not in routing
        one, burst = await _one_request_and_burst(pilot)
        assert "timed out: kube-proxy drops the packets (DROP)" in one, "Local: one request"
        assert "100 timed out" in burst, "Local: the burst"
        assert "reject" not in (one + burst).lower()
