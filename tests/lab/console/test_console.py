"""The console engine's promises: one line for anything refused, nothing raw reaches the
terminal, every mutating command makes the same cluster change as the routing view's key."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lab.console.transcript import CLUSTER

from tutor.lab.console import AppendManifest, Changed, Clear, Console, OpenEditor
from tutor.lab.console.describe import describe_probe
from tutor.model.changes import ClusterChanges, analyze_with_changes

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def run(line: str, console: Console | None = None) -> tuple[str, int]:
    console = console or Console(now=lambda: 0.0)
    out = console.run(line, analyze_with_changes(CLUSTER, console.changes))
    return out.text, out.code


HOSTILE = [
    "kubectl get " + "a" * 10_000,
    "x" * 10_000,
    "kubectl get svc " + "-" * 9_990,
    "\x1b[2J\x1b[31mkubectl get svc",
    "kubectl get \x1b]0;owned\x07svc",
    "kubectl describe svc '\x1b[31mweb'",
    "kubectl label pod web-canary 'a=\x1b[5m'",
    "curl 'http://\x1b[31mweb/'",
    "kubectl get svc --\x1b[31mfoo",
    "kubectl get pods -\u202eA",
    "kubectl get svc --frobnicate=yes",
    "kubectl scale deploy web --replicas=abc",
    "curl -Z web",
    'kubectl get "svc',
    "kubectl get 'svc",
    "echo \"a 'b",
    "kubectl get svc |",
    "| kubectl get svc",
    "kubectl get svc -o",
    "dig -x",
]


@pytest.mark.parametrize(
    "line", [*HOSTILE, "nslookup '\x1b[2Jweb'", "kubectl get pods -l 'app=\x1b[31m'"]
)
def test_escape_sequences_never_reach_the_terminal(line: str) -> None:
    text, _ = run(line)
    assert not UNSAFE.search(text)


@pytest.mark.parametrize("line", HOSTILE)
def test_hostile_line_gets_one_line_and_nothing_raw(line: str) -> None:
    text, code = run(line)
    assert code != 0
    assert text.count("\n") == 1 and text.endswith("\n"), text
    assert not UNSAFE.search(text)
    assert len(text) < 400


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_never_raises_and_prints_nothing_raw(line: str) -> None:
    text, _ = run(line)
    assert not UNSAFE.search(text)


WORDS = [
    "kubectl",
    "get",
    "describe",
    "label",
    "scale",
    "delete",
    "svc",
    "pods",
    "web",
    "web-canary",
    "-n",
    "shop",
    "-A",
    "-o",
    "yaml",
    "--replicas=2",
    "deploy",
    "a=b",
    "--overwrite",
    "-l",
    "app=web",
    "nslookup",
    "curl",
    "dig",
    "web:80",
    "|",
    "grep",
    "x",
    "'",
    '"',
    "--",
    "-it",
    "run",
    "exit",
    "env",
    "expose",
    "--port",
    "80",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), max_size=8))
def test_any_word_soup_never_crashes(words: list[str]) -> None:
    text, _ = run(" ".join(words))
    assert "Traceback" not in text and "simulator could not run" not in text


# -- the same cluster change as the routing view's keys ------------------------------------


def pods(changes: ClusterChanges) -> list[tuple[str, dict[str, str]]]:
    return [(p.name, p.labels) for p in analyze_with_changes(CLUSTER, changes).cluster.pods]


def web_pod(changes: ClusterChanges) -> str:
    cluster = analyze_with_changes(CLUSTER, changes).cluster
    return next(p.name for p in cluster.pods if p.owner == "Deployment/web")


def test_delete_pod_is_the_d_key() -> None:
    """`d` runs `changes.delete_pod(cluster, pod.ref)` (workbench.action_delete_pod)."""
    console = Console(now=lambda: 0.0)
    name = web_pod(console.changes)
    run(f"kubectl delete pod {name}", console)
    key = ClusterChanges()
    key.delete_pod(analyze_with_changes(CLUSTER, key).cluster, f"default/{name}")
    assert console.changes.to_json() == key.to_json()
    assert pods(console.changes) == pods(key)
    assert name not in [n for n, _ in pods(key)]


def test_label_pod_is_the_l_key() -> None:
    """`l` opens the labels dialog and stores `changes.set_labels(pod.ref, labels)`."""
    console = Console(now=lambda: 0.0)
    run("kubectl label pod web-canary track=stable --overwrite", console)
    key = ClusterChanges()
    key.set_labels("default/web-canary", {"app": "web", "track": "stable"})
    assert console.changes.to_json() == key.to_json()
    assert pods(console.changes) == pods(key)


def test_scale_down_is_the_minus_key_and_up_the_a_key() -> None:
    """`-` on a Deployment's Pod scales it to one fewer; `a` to one more."""
    console = Console(now=lambda: 0.0)
    run("kubectl scale deploy web --replicas=2", console)
    key = ClusterChanges()
    cluster = analyze_with_changes(CLUSTER, key).cluster
    key.scale(cluster, "Deployment/web", 3 - 1, namespace="default")
    assert console.changes.to_json() == key.to_json()
    run("kubectl scale deploy web --replicas=3", console)
    key.add_pod(analyze_with_changes(CLUSTER, key).cluster, f"default/{web_pod(key)}")
    assert console.changes.to_json() == key.to_json()
    assert pods(console.changes) == pods(key)


def test_mutations_report_a_change_and_refusals_do_not() -> None:
    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(CLUSTER, console.changes)
    before = console.changes.to_json()
    for refused in (
        "kubectl delete pod nosuch",
        "kubectl label pod web-canary track=x",
        "kubectl scale deploy nosuch --replicas=1",
    ):
        out = console.run(refused, analysis)
        assert out.code == 1 and not out.effects
    assert console.changes.to_json() == before
    out = console.run("kubectl label pod web-canary track=x --overwrite", analysis)
    assert [type(e) for e in out.effects] == [Changed]


def test_effects_for_the_screen() -> None:
    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(CLUSTER, console.changes)
    assert console.run("clear", analysis).effects == [Clear()]
    assert console.run("kubectl edit svc web", analysis).effects == [
        OpenEditor("Service", "default", "web")
    ]
    (append,) = console.run("kubectl expose deploy web --port 80 --name front", analysis).effects
    assert isinstance(append, AppendManifest) and append.name == "front"
    grown = analyze_with_changes(CLUSTER + "---\n" + append.text, console.changes)
    assert grown.valid and grown.service("default/front") is not None
    assert console.run("kubectl edit svc kubernetes", analysis).code == 1


def test_debug_pod_switches_the_client_and_exit_removes_it() -> None:
    console = Console(now=lambda: 0.0)
    assert console.prompt.startswith("client:")
    run("kubectl run debug --image=busybox -it --rm -- sh", console)
    assert console.prompt.startswith("debug:")
    assert "debug" in [n for n, _ in pods(console.changes)]
    run("exit", console)
    assert console.prompt.startswith("client:")
    assert "debug" not in [n for n, _ in pods(console.changes)]


def test_kubectl_debug_runs_the_console_in_the_pods_network_and_exit_leaves_it() -> None:
    """An ephemeral container shares its Pod's network namespace: curl and DNS then run from
    that Pod (its IP, node and namespace), and `exit` goes back to the shell it came from
    without deleting the Pod (kubectl debug; attach.go · `reattachMessage`)."""
    console = Console(now=lambda: 0.0)
    run("kubectl run debug --image=busybox -it --rm -- sh", console)
    target = web_pod(console.changes)
    cluster = analyze_with_changes(CLUSTER, console.changes).cluster
    pod = next(p for p in cluster.pods if p.name == target)
    text, code = run(f"kubectl debug -it {target} --image=busybox --target=app", console)
    assert code == 0 and "Defaulting debug container name to debugger-" in text
    assert console.prompt.startswith(f"{target}:")
    assert (console.client.ip, console.client.node) == (pod.ip, pod.node_name)
    text, _ = run("exit", console)
    assert text.startswith("Session ended, the ephemeral container will not be restarted")
    assert console.prompt.startswith("debug:")  # back in the run Pod's shell
    assert target in [n for n, _ in pods(console.changes)]  # the Pod stays
    text, _ = run("exit", console)
    assert 'pod "debug" deleted from default namespace' in text
    assert console.prompt.startswith("client:")


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ("", "deleted from default namespace"),
        ("--now", "deleted from default namespace"),
        ("--grace-period=0", "deleted from default namespace"),
        ("--force", "force deleted from default namespace"),
        ("--force --grace-period=0", "force deleted from default namespace"),
        ("--force --grace-period=5", "error: --force and --grace-period greater than 0"),
        ("--now --grace-period=5", "error: --now and --grace-period cannot be specified"),
    ],
)
def test_delete_says_what_kubectl_decides_about_the_grace_period(flags: str, expected: str) -> None:
    """K · cmd/delete/delete.go · `Complete`, `Validate`, `PrintObj`: --grace-period=0 without
    --force is 1 (an ordinary deletion); --force alone is an immediate one."""
    console = Console(now=lambda: 0.0)
    text, _ = run(f"kubectl delete pod web-canary {flags}", console)
    last = text.strip().splitlines()[-1]
    assert last.startswith(expected) if expected.startswith("error") else last.endswith(expected)
    assert ("force deleted" in text) == text.startswith("Warning: Immediate deletion")


def test_env_in_a_pod_lists_services_as_they_were_when_it_started() -> None:
    """The kubelet sets Service variables when the container starts: a Service created later
    is not in a running Pod's environment (W · connect-applications-service.md)."""
    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(CLUSTER, console.changes)
    console.run("kubectl run debug --image=busybox -it --rm -- sh", analysis)
    later = (
        CLUSTER
        + "---\napiVersion: v1\nkind: Service\nmetadata: {name: late}\nspec: {ports: [{port: 80}]}\n"
    )
    text = console.run("env | grep SERVICE", analyze_with_changes(later, console.changes)).text
    assert "WEB_SERVICE_HOST=" in text and "LATE_SERVICE_HOST" not in text


def test_curl_answers_come_from_the_request_report() -> None:
    """curl prints what tutor.model.report.request decided, never its own routing."""
    from tutor.lab.console import DEFAULT_CLIENT
    from tutor.model.report import request

    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(CLUSTER, console.changes)
    for seed in range(1, 6):
        console.seed = seed - 1
        text = console.run("curl web", analysis).text.strip()
        assert text == request(analysis, DEFAULT_CLIENT.client, "web", 80, seed).pod


def test_history_keeps_lines_visible() -> None:
    console = Console(now=lambda: 0.0)
    run("kubectl get svc", console)
    run("\x1b[31mx", console)
    assert console.history == ["kubectl get svc", "\\u001b[31mx"]


def _pod_with(containers: str, statuses: str, extra: str = "", ready: str = "False") -> str:
    return (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
        f"{extra}  containers:\n{containers}"
        "status:\n  phase: Running\n  podIP: 10.244.1.5\n"
        f"  conditions: [{{type: Ready, status: '{ready}'}}]\n{statuses}"
    )


ONE = "  - {name: app, image: x}\n"
TWO = "  - {name: app, image: x}\n  - {name: log, image: y}\n"
SIDECAR = "  initContainers:\n  - {name: proxy, image: p, restartPolicy: Always}\n"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (
            _pod_with(
                ONE,
                "  containerStatuses:\n  - name: app\n    ready: false\n    restartCount: 7\n"
                "    state: {waiting: {reason: CrashLoopBackOff}}\n",
            ),
            "CrashLoopBackOff",
        ),
        (
            _pod_with(
                ONE,
                "  containerStatuses:\n  - {name: app, ready: false, state: "
                "{waiting: {reason: ImagePullBackOff}}}\n",
            ),
            "ImagePullBackOff",
        ),
        (
            _pod_with(
                ONE,
                "  containerStatuses:\n  - {name: app, ready: false, state: "
                "{terminated: {reason: OOMKilled, exitCode: 137}}}\n",
            ),
            "OOMKilled",
        ),
        (
            _pod_with(
                ONE,
                "  containerStatuses:\n  - {name: app, ready: false, state: "
                "{terminated: {exitCode: 2}}}\n",
            ),
            "ExitCode:2",
        ),
        # the first container in the status decides (printPod walks them from the last)
        (
            _pod_with(
                TWO,
                "  containerStatuses:\n  - {name: app, ready: false, state: "
                "{waiting: {reason: CrashLoopBackOff}}}\n  - {name: log, ready: false, state: "
                "{waiting: {reason: ErrImagePull}}}\n",
            ),
            "CrashLoopBackOff",
        ),
        # Completed next to a running ready container: NotReady without the Ready condition
        (
            _pod_with(
                TWO,
                "  containerStatuses:\n  - {name: app, ready: false, state: "
                "{terminated: {reason: Completed, exitCode: 0}}}\n  - {name: log, ready: true, "
                "state: {running: {}}}\n",
            ),
            "NotReady",
        ),
        (
            _pod_with(
                ONE,
                "  initContainerStatuses:\n  - {name: proxy, ready: false, state: "
                "{waiting: {reason: CrashLoopBackOff}}}\n  containerStatuses:\n"
                "  - {name: app, ready: false, state: {waiting: {reason: PodInitializing}}}\n",
                extra=SIDECAR,
            ),
            "Init:CrashLoopBackOff",
        ),
        # a running sidecar does not hold the Pod back: its app container's state decides
        (
            _pod_with(
                ONE,
                "  initContainerStatuses:\n  - {name: proxy, ready: true, state: {running: {}}}\n"
                "  containerStatuses:\n  - {name: app, ready: false, state: {running: {}}}\n",
                extra=SIDECAR,
            ),
            "Running",
        ),
        (_pod_with(ONE, "", ready="True"), "Running"),
    ],
    ids=[
        "crashloop",
        "image pull",
        "oomkilled",
        "exit code",
        "first container",
        "completed",
        "sidecar crashloop",
        "sidecar running",
        "ready",
    ],
)
def test_get_pods_status_is_kubectls(text: str, status: str) -> None:
    """K · pkg/printers/internalversion/printers.go · `printPod`: STATUS names a waiting or
    ended container, as `kubectl get pods` prints it (describe already said CrashLoopBackOff)."""
    console = Console(now=lambda: 0.0)
    out = console.run("kubectl get pods", analyze_with_changes(text, console.changes))
    assert out.code == 0, out.text
    row = out.text.splitlines()[1].split()
    assert row[0] == "p" and row[2] == status, out.text


@pytest.mark.parametrize(
    ("line", "out"),
    [
        ("dig SRV api.shop.svc.cluster.local +short", "0 100 8080 api.shop.svc.cluster.local.\n"),
        ("dig SRV _http._tcp.api.shop.svc.cluster.local +short", ""),
        (
            "dig SRV lonely.default.svc.cluster.local +short",
            "0 100 80 lonely.default.svc.cluster.local.\n",
        ),
    ],
)
def test_dig_srv_of_a_service_name_answers_every_port_unnamed_ones_too(line: str, out: str) -> None:
    """CoreDNS: no `_port._proto` in the name means any port (lesson 11 step 4 says so)."""
    assert run(line) == (out, 0)


HAND_WRITTEN = """\
apiVersion: v1
kind: Service
metadata: {name: billing-db}
spec:
  ports: [{name: pg, port: 5432}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: billing-db-1
  labels: {kubernetes.io/service-name: billing-db}
addressType: IPv4
ports: [{name: PORT, port: 5432, protocol: TCP}]
endpoints:
- addresses: [192.168.10.5]
  conditions: {ready: true}
"""


@pytest.mark.parametrize(("port", "shown"), [("pg", "192.168.10.5:5432"), ("other", "")])
def test_describe_svc_lists_a_hand_written_slice_labelled_with_the_service(
    port: str, shown: str
) -> None:
    """kubectl reads the slices labelled with the Service's name, the hand-written ones too: a
    matching port lists its address, another leaves `Endpoints:` empty (not `<none>`, which
    means no slice at all)."""
    console = Console(now=lambda: 0.0)
    text = HAND_WRITTEN.replace("PORT", port)
    out = console.run(
        "kubectl describe svc billing-db", analyze_with_changes(text, console.changes)
    )
    (line,) = [x for x in out.text.splitlines() if x.startswith("Endpoints:")]
    assert line.split(":", 1)[1].strip() == shown


def test_a_hand_written_slice_shows_every_label_it_was_given() -> None:
    """Lesson 12's first challenge: the slice says `app: billing-db` where the Service's name
    label belongs, and the learner is told to compare labels. `--show-labels`, describe and
    `-l` knew only the two labels kube-proxy reads, so the wrong label was nowhere to see."""
    console = Console(now=lambda: 0.0)
    text = HAND_WRITTEN.replace("PORT", "pg").replace(
        "labels: {kubernetes.io/service-name: billing-db}",
        "labels: {app: billing-db, endpointslice.kubernetes.io/managed-by: staff.example.com}",
    )
    analysis = analyze_with_changes(text, console.changes)
    shown = console.run("kubectl get endpointslices --show-labels", analysis).text
    (row,) = [x for x in shown.splitlines() if x.startswith("billing-db-1")]
    assert (
        row.split()[-1] == "app=billing-db,endpointslice.kubernetes.io/managed-by=staff.example.com"
    )
    described = console.run("kubectl describe endpointslice billing-db-1", analysis).text
    assert "Labels:       app=billing-db\n" in described
    picked = console.run("kubectl get endpointslices -l app=billing-db -o name", analysis).text
    assert picked == "endpointslice.discovery.k8s.io/billing-db-1\n"


def test_a_hand_written_slice_keeps_the_conditions_it_was_given() -> None:
    """The API server defaults no endpoint condition (discovery/v1 has no defaulter for
    them): a slice written with `ready: true` reads back with that alone. The console added
    `serving: true` and `terminating: false`, as if the API had filled them in; kube-proxy's
    reading of the missing ones (serving as ready) is the model's, not the object's."""
    import json

    console = Console(now=lambda: 0.0)
    text = HAND_WRITTEN.replace("PORT", "pg")
    analysis = analyze_with_changes(text, console.changes)
    data = json.loads(console.run("kubectl get endpointslice billing-db-1 -o json", analysis).text)
    assert data["endpoints"][0]["conditions"] == {"ready": True}


H2C = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080, appProtocol: kubernetes.io/h2c}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, labels: {app: web}}
spec:
  nodeName: node-1
  containers: [{name: app, image: x, ports: [{containerPort: 8080}]}]
"""


@pytest.mark.parametrize("kind", ["endpointslices", "endpoints"])
def test_the_controllers_objects_carry_the_ports_app_protocol(kind: str) -> None:
    """`getEndpointPorts` and `endpointPortFromServicePort` copy the Service port's
    appProtocol into the slice's and the Endpoints object's ports."""
    console = Console(now=lambda: 0.0)
    out = console.run(f"kubectl get {kind} -o yaml", analyze_with_changes(H2C, console.changes))
    assert "- appProtocol: kubernetes.io/h2c\n" in out.text


SIDECAR_READY = (
    "  initContainerStatuses:\n  - {name: proxy, ready: true, started: true, restartCount: 0, "
    "state: {running: {startedAt: '2026-01-01T08:50:00Z'}}}\n"
)
APP_RUNNING = (
    "  containerStatuses:\n  - {name: app, ready: true, started: true, restartCount: 0, "
    "state: {running: {startedAt: '2026-01-01T08:50:00Z'}}}\n"
)
LAST = "lastState: {terminated: {exitCode: 1, finishedAt: '%s'}}"


@pytest.mark.parametrize(
    ("text", "row"),
    [
        # restartCount without a previous run's finish: the count alone
        (
            _pod_with(ONE, APP_RUNNING.replace("restartCount: 0", "restartCount: 2"), ready="True"),
            ["1/1", "Running", "2"],
        ),
        # the latest finish among the containers names the time
        (
            _pod_with(
                TWO,
                "  containerStatuses:\n"
                f"  - {{name: app, ready: true, restartCount: 1, state: {{running: {{}}}}, "
                f"{LAST % '2026-01-01T08:40:00Z'}}}\n"
                f"  - {{name: log, ready: true, restartCount: 2, state: {{running: {{}}}}, "
                f"{LAST % '2026-01-01T08:59:15Z'}}}\n",
                ready="True",
            ),
            ["2/2", "Running", "3", "(45s", "ago)"],
        ),
        # a sidecar counts in the total, and in READY once started and ready
        (_pod_with(ONE, SIDECAR_READY + APP_RUNNING, extra=SIDECAR, ready="True"), ["2/2"]),
        (
            _pod_with(
                ONE,
                SIDECAR_READY.replace("ready: true", "ready: false") + APP_RUNNING,
                extra=SIDECAR,
            ),
            ["1/2", "Running", "0"],
        ),
        # a sidecar not yet started, with no waiting reason: Init:0/1
        (
            _pod_with(
                ONE,
                SIDECAR_READY.replace("ready: true, started: true", "ready: false, started: false")
                + APP_RUNNING.replace("ready: true", "ready: false"),
                extra=SIDECAR,
            ),
            ["0/2", "Init:0/1", "0"],
        ),
        # initializing: only the init containers' restarts count, the app's are not read
        (
            _pod_with(
                ONE,
                "  initContainerStatuses:\n  - {name: proxy, ready: false, started: false, "
                f"restartCount: 4, state: {{waiting: {{reason: CrashLoopBackOff}}}}, "
                f"{LAST % '2026-01-01T08:59:00Z'}}}\n"
                + APP_RUNNING.replace("restartCount: 0", "restartCount: 1"),
                extra=SIDECAR,
            ),
            ["0/2", "Init:CrashLoopBackOff", "4", "(60s", "ago)"],
        ),
        # ... unless the Pod has initialized (a sidecar that restarts later): the app's count too
        (
            _pod_with(
                ONE,
                "  initContainerStatuses:\n  - {name: proxy, ready: false, started: false, "
                f"restartCount: 4, state: {{waiting: {{reason: CrashLoopBackOff}}}}, "
                f"{LAST % '2026-01-01T08:59:00Z'}}}\n"
                + APP_RUNNING.replace("restartCount: 0", "restartCount: 1"),
                extra=SIDECAR,
            ).replace("conditions: [", "conditions: [{type: Initialized, status: 'True'}, "),
            ["1/2", "Init:CrashLoopBackOff", "5", "(60s", "ago)"],
        ),
        # ended without a reason: the signal, else the exit code
        (
            _pod_with(
                ONE,
                "  containerStatuses:\n  - {name: app, ready: false, state: "
                "{terminated: {exitCode: 137, signal: 9}}}\n",
            ),
            ["0/1", "Signal:9"],
        ),
        # Completed next to a failed container and no running one: the failure
        (
            _pod_with(
                TWO,
                "  containerStatuses:\n  - {name: app, ready: false, state: "
                "{terminated: {reason: Completed, exitCode: 0}}}\n  - {name: log, ready: false, "
                "state: {terminated: {reason: Error, exitCode: 1}}}\n",
            ),
            ["0/2", "Error"],
        ),
    ],
    ids=[
        "count only",
        "latest finish",
        "sidecar ready",
        "sidecar not ready",
        "sidecar not started",
        "initializing",
        "initialized",
        "signal",
        "completed and failed",
    ],
)
def test_get_pods_ready_and_restarts_are_kubectls(text: str, row: list[str]) -> None:
    """K · pkg/printers/internalversion/printers.go · `printPod` (v1.35): READY, STATUS and
    RESTARTS read the containers the status lists (the first look is 2026-01-01T09:00:00Z)."""
    console = Console(now=lambda: 0.0)
    out = console.run("kubectl get pods", analyze_with_changes(text, console.changes))
    cells = out.text.splitlines()[1].split()
    assert cells[0] == "p" and cells[1 : 1 + len(row)] == row, out.text


def test_restarts_age_follows_the_simulated_clock() -> None:
    """translateTimestampSince runs on the console's clock: a minute later reads a minute older."""
    now = [0.0]
    console = Console(now=lambda: now[0])
    text = _pod_with(
        ONE,
        "  containerStatuses:\n  - {name: app, ready: true, restartCount: 3, "
        f"state: {{running: {{}}}}, {LAST % '2026-01-01T08:57:46Z'}}}\n",
        ready="True",
    )
    first = console.run("kubectl get pods", analyze_with_changes(text, console.changes))
    now[0] = 60.0
    later = console.run("kubectl get pods", analyze_with_changes(text, console.changes))
    assert "3 (2m14s ago)" in first.text and "3 (3m14s ago)" in later.text


def test_marking_a_pod_ready_or_not_moves_ready_as_the_routing_view_says() -> None:
    """The routing view's readiness key (ClusterChanges.set_ready) changes what kubectl's READY
    and STATUS read from the file's container statuses; the restart count stays."""
    crashing = _pod_with(
        ONE,
        "  containerStatuses:\n  - {name: app, ready: false, restartCount: 7, "
        f"state: {{waiting: {{reason: CrashLoopBackOff}}}}, {LAST % '2026-01-01T08:59:00Z'}}}\n",
    )
    console = Console(now=lambda: 0.0)
    console.changes.set_ready("default/p", True)
    out = console.run("kubectl get pods", analyze_with_changes(crashing, console.changes))
    assert out.text.splitlines()[1].split()[1:5] == ["1/1", "Running", "7", "(60s"], out.text
    healthy = _pod_with(ONE, APP_RUNNING, ready="True")
    console = Console(now=lambda: 0.0)
    console.changes.set_ready("default/p", False)
    out = console.run("kubectl get pods", analyze_with_changes(healthy, console.changes))
    assert out.text.splitlines()[1].split()[1:3] == ["0/1", "Running"], out.text


@pytest.mark.parametrize(
    ("probe", "text"),
    [
        (
            {
                "exec": {"command": ["cat", "/tmp/healthy"]},
                "initialDelaySeconds": 5,
                "periodSeconds": 5,
            },
            "exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3",
        ),
        (
            {
                "httpGet": {"port": 8080, "path": "/healthz"},
                "initialDelaySeconds": 3,
                "periodSeconds": 3,
            },
            "http-get http://:8080/healthz delay=3s timeout=1s period=3s #success=1 #failure=3",
        ),
        (
            {"httpGet": {"port": "http", "scheme": "HTTPS"}, "failureThreshold": 30},
            "http-get https://:http/ delay=0s timeout=1s period=10s #success=1 #failure=30",
        ),
        (
            {"tcpSocket": {"port": 8080}, "timeoutSeconds": 2},
            "tcp-socket :8080 delay=0s timeout=2s period=10s #success=1 #failure=3",
        ),
    ],
    ids=["exec", "http-get", "https named port", "tcp-socket"],
)
def test_describe_pod_prints_probes_as_kubectl(probe: dict[str, object], text: str) -> None:
    """K · kubectl/pkg/describe/describe.go · `DescribeProbe` with `SetDefaults_Probe` and
    `SetDefaults_HTTPGetAction` (path /, scheme HTTP); the first two are the probes of the
    liveness-exec and liveness-http Pods of W · configure-liveness-readiness-startup-probes.md,
    the first as real `kubectl describe pod liveness-exec` output prints it."""
    assert describe_probe(probe) == text


def test_a_pod_held_by_its_sidecar_is_not_initialized_in_describe_and_yaml() -> None:
    """kubectl shows the Initialized condition the kubelet sets: False while a sidecar has not
    started (golden/status.yaml's web-3 crash-loops), True once it has (web-1)."""
    import json

    from lab.console.transcript import HERE

    text = (HERE / "status.yaml").read_text()
    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(text, console.changes)
    for pod, want in (("web-3", "False"), ("web-1", "True")):
        data = json.loads(console.run(f"kubectl get pod {pod} -o json", analysis).text)
        (cond,) = [c for c in data["status"]["conditions"] if c["type"] == "Initialized"]
        described = console.run(f"kubectl describe pod {pod}", analysis).text
        assert cond["status"] == want
        assert re.search(rf"^  Initialized +{want} $", described, re.M), described


DIG_CLUSTER = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ipFamilyPolicy: RequireDualStack
  ipFamilies: [IPv4, IPv6]
  clusterIPs: [10.96.0.40, "fd00:10:96::28"]
  clusterIP: 10.96.0.40
  selector: {app: web}
  ports: [{name: http, port: 80}]
"""


def test_nslookup_lists_a_services_ipv6_address_too() -> None:
    """busybox nslookup prints every address getaddrinfo returns, AAAA included: lesson 13's
    dual-stack Service showed only its IPv4 address, and an IPv6-only Service (a wrong fix of
    its third challenge) `can't resolve`, as if it had no name at all."""
    from tutor.model.network import DUAL_STACK

    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(DIG_CLUSTER, console.changes, network=DUAL_STACK)
    text = console.run("nslookup web", analysis).text
    assert "Address 1: 10.96.0.40 web.default.svc.cluster.local\n" in text, text
    assert "Address 2: fd00:10:96::28 web.default.svc.cluster.local\n" in text, text
    six = DIG_CLUSTER.replace("RequireDualStack", "SingleStack").replace(
        'ipFamilies: [IPv4, IPv6]\n  clusterIPs: [10.96.0.40, "fd00:10:96::28"]\n'
        "  clusterIP: 10.96.0.40",
        "ipFamilies: [IPv6]",
    )
    analysis = analyze_with_changes(six, console.changes, network=DUAL_STACK)
    out = console.run("nslookup web", analysis)
    assert out.code == 0 and "Address 1: fd00:10:96:" in out.text, out.text


@pytest.mark.parametrize(
    ("line", "size"),
    [
        # 12 header + (31 name + 4) question + (31 + 10 + 4) answer + 11 OPT
        ("dig web.default.svc.cluster.local", 103),
        # the same with a 16-byte IPv6 address
        ("dig web.default.svc.cluster.local AAAA", 115),
        # answer 42 + 10 + 6 + 31 (the target, written in full), additional A and AAAA
        ("dig _http._tcp.web.default.svc.cluster.local SRV", 12 + 46 + 11 + 89 + 45 + 57),
        # NXDOMAIN: the root's SOA, 1 + 10 + (20 + 24 + 20)
        ("dig web", 12 + 9 + 11 + 75),
        # in the zone: cluster.local.'s SOA, 15 + 10 + (22 + 26 + 20)
        ("dig nosuch.default.svc.cluster.local", 12 + 38 + 11 + 93),
    ],
)
def test_dig_msg_size_is_the_reply_s_wire_size(line: str, size: int) -> None:
    """`;; MSG SIZE  rcvd:` counts every record at its real size (an AAAA's address is 16
    bytes), with names written in full, as CoreDNS sends a reply that fits uncompressed."""
    from tutor.model.network import DUAL_STACK

    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(DIG_CLUSTER, console.changes, network=DUAL_STACK)
    text = console.run(line, analysis).text
    assert f";; MSG SIZE  rcvd: {size}\n" in text, text


@pytest.mark.parametrize(
    ("asked", "answer", "extra", "size"),
    [
        (
            "fruits-api-service.micro-shake-factory.svc.cluster.local.",
            [("fruits-api-service.micro-shake-factory.svc.cluster.local", "A", "10.103.1.1")],
            [],
            157,
        ),
        (
            "mysql-headless.solo-blog.svc.cluster.local.",
            [("mysql-headless.solo-blog.svc.cluster.local", "A", "10.244.2.6")],
            [],
            129,
        ),
        (
            "kubia.default.svc.cluster.local.",
            [
                (
                    "kubia.default.svc.cluster.local",
                    "SRV",
                    "kubia-0.kubia.default.svc.cluster.local",
                ),
                (
                    "kubia.default.svc.cluster.local",
                    "SRV",
                    "kubia-1.kubia.default.svc.cluster.local",
                ),
            ],
            [
                ("kubia-0.kubia.default.svc.cluster.local", "A", "172.17.0.5"),
                ("kubia-1.kubia.default.svc.cluster.local", "A", "172.17.0.6"),
            ],
            350,
        ),
    ],
    ids=["service A", "headless A", "headless SRV"],
)
def test_dig_msg_size_matches_real_coredns_replies(
    asked: str, answer: list[tuple[str, str, str]], extra: list[tuple[str, str, str]], size: int
) -> None:
    """Sizes `dig` printed against CoreDNS in real clusters (published transcripts: a
    ClusterIP Service's A answer, a headless Service's, and `dig SRV` of a StatefulSet's
    headless Service, each with one OPT record)."""
    from tutor.lab.console.dnstools import message_size
    from tutor.model.dns import DnsRecord

    def records(rows: list[tuple[str, str, str]]) -> list[DnsRecord]:
        return [DnsRecord(n, t, v, "", port=80, weight=50) for n, t, v in rows]

    assert message_size(asked, records(answer), None, records(extra)) == size


def test_get_pod_yaml_keeps_status_reason_and_every_init_container() -> None:
    """`-o yaml|json` is the stored Pod: `status.reason` and `status.message` (an evicted
    Pod's), and plain init containers in `spec.initContainers` (without `restartPolicy`) with
    their statuses, next to the sidecars."""
    import json

    from lab.console.transcript import HERE

    text = (HERE / "init.yaml").read_text()
    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(text, console.changes)
    evicted = json.loads(console.run("kubectl get pod evicted -o json", analysis).text)
    assert evicted["status"]["reason"] == "Evicted"
    assert evicted["status"]["message"].startswith("The node was low on resource: memory.")
    pod = json.loads(console.run("kubectl get pod migrate-2 -o json", analysis).text)
    assert [c["name"] for c in pod["spec"]["initContainers"]] == ["wait-db", "migrate"]
    assert all("restartPolicy" not in c for c in pod["spec"]["initContainers"])
    states = [c["state"] for c in pod["status"]["initContainerStatuses"]]
    assert [next(iter(s)) for s in states] == ["terminated", "terminated"]
    assert states[1]["terminated"]["exitCode"] == 1


def test_marking_a_pod_held_by_an_init_container_ready_completes_it() -> None:
    """The routing view's Ready key on a Pod whose migration failed (Init:Error): Ready means
    every container runs, so the init container has completed, as the kubelet leaves one."""
    from lab.console.transcript import HERE

    text = (HERE / "init.yaml").read_text()
    console = Console(now=lambda: 0.0)
    console.changes.set_ready("default/migrate-2", True)
    analysis = analyze_with_changes(text, console.changes)
    row = console.run("kubectl get pod migrate-2", analysis).text.splitlines()[1].split()
    assert row[1:4] == ["1/1", "Running", "0"]
    described = console.run("kubectl describe pod migrate-2", analysis).text
    migrate = described[described.index("  migrate:") : described.index("\nContainers:")]
    assert re.search(r"State: +Terminated\n +Reason: +Completed\n +Exit Code: +0\n", migrate)


@pytest.mark.parametrize(
    ("phase", "state", "reason"),
    [
        ("Pending", "waiting", "ContainerCreating"),
        ("Succeeded", "terminated", "Completed"),
        ("Failed", "terminated", "Error"),
        ("Running", "running", ""),
    ],
)
def test_describe_and_yaml_give_an_unlisted_container_the_same_state(
    phase: str, state: str, reason: str
) -> None:
    """A Pod whose status lists no container: describe pod and -o json print the simulator's
    one state for it (a finished Pod's container is not 'Waiting', as describe said)."""
    import json

    text = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  nodeName: node-1\n"
        "  containers: [{name: app, image: nginx}]\n"
        f"status: {{phase: {phase}, podIP: 10.244.1.9}}\n"
    )
    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(text, console.changes)
    data = json.loads(console.run("kubectl get pod p -o json", analysis).text)
    (said,) = data["status"]["containerStatuses"]
    assert list(said["state"]) == [state]
    assert said["state"][state].get("reason", "") == reason
    described = console.run("kubectl describe pod p", analysis).text
    assert re.search(rf"^    State: +{state.title()}$", described, re.M), described
    if reason:
        assert re.search(rf"^    State: +\w+\n +Reason: +{reason}$", described, re.M)


@pytest.mark.parametrize(
    ("meta", "status", "grace"),
    [
        # deletionTimestamp is when the grace period ends: while it lasts, HumanDuration of a
        # negative time is <invalid>, as real kubectl prints it
        ('deletionTimestamp: "2026-01-01T09:00:25Z"', "Terminating (lasts <invalid>)", "30s"),
        (
            'deletionTimestamp: "2026-01-01T08:59:00Z", deletionGracePeriodSeconds: 5',
            "Terminating (lasts 60s)",
            "5s",
        ),
    ],
)
def test_describe_pod_says_how_long_a_deleted_pod_has_been_terminating(
    meta: str, status: str, grace: str
) -> None:
    """K · kubectl/pkg/describe/describe.go · `describePod`: `Status: Terminating (lasts
    translateTimestampSince(deletionTimestamp))` and `Termination Grace Period`; -o json keeps
    both metadata fields."""
    import json

    text = (
        f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p, {meta}}}\nspec:\n  nodeName: node-1\n"
        "  containers: [{name: app, image: nginx}]\n"
        "status: {phase: Running, podIP: 10.244.1.9, conditions: [{type: Ready, status: 'True'}]}\n"
    )
    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(text, console.changes)
    described = console.run("kubectl describe pod p", analysis).text
    assert re.search(
        rf"^Status: +{re.escape(status)}\nTermination Grace Period: +{grace}\n", described, re.M
    ), described
    data = json.loads(console.run("kubectl get pod p -o json", analysis).text)
    assert data["metadata"]["deletionGracePeriodSeconds"] == int(grace[:-1])


def test_describe_pod_events_name_only_containers_that_ran() -> None:
    """The kubelet pulls, creates and starts a container when its turn comes: an app container
    still waiting for the init containers (PodInitializing) has no such events, and a
    crash-looping one has the kubelet's BackOff warning naming the Pod as format.Pod does
    (`name_namespace(uid)`, the uid -o json shows)."""
    import json

    from lab.console.transcript import HERE

    text = (HERE / "init.yaml").read_text()
    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(text, console.changes)
    held = console.run("kubectl describe pod migrate-0", analysis).text
    events = held[held.index("Events:") :]
    assert "Started container wait-db" in events
    assert "container migrate" not in events and "container api" not in events
    looping = console.run("kubectl describe pod migrate-3", analysis).text
    pod_uid = json.loads(console.run("kubectl get pod migrate-3 -o json", analysis).text)[
        "metadata"
    ]["uid"]
    assert (
        f"Back-off restarting failed container migrate in pod migrate-3_default({pod_uid})"
        in looping
    )


def test_a_deleted_pod_still_ready_counts_its_containers_ready() -> None:
    """A Ready condition of True says every container is ready, also while the Pod shuts down
    (the kubelet keeps probing until the containers stop): `kubectl get pods` shows `1/1
    Terminating` as right after a real `kubectl delete pod`, and describe and -o json agree."""
    import json

    text = (
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p, deletionTimestamp: "2026-01-01T09:00:25Z"}\n'
        "spec:\n  nodeName: node-1\n  containers: [{name: app, image: nginx}]\n"
        "status: {phase: Running, podIP: 10.244.1.9, conditions: [{type: Ready, status: 'True'}]}\n"
    )
    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(text, console.changes)
    row = console.run("kubectl get pod p", analysis).text.splitlines()[1].split()
    assert row[1:3] == ["1/1", "Terminating"]
    assert re.search(
        r"^    Ready: +True$", console.run("kubectl describe pod p", analysis).text, re.M
    )
    data = json.loads(console.run("kubectl get pod p -o json", analysis).text)
    assert data["status"]["containerStatuses"][0]["ready"] is True


def test_curl_clientip_answers_the_source_address_of_the_destinations_family() -> None:
    """agnhost's /clientip echoes Go's r.RemoteAddr: to an IPv6 ClusterIP on a dual-stack
    cluster the client Pod sends from its IPv6 address, written [address]:port."""
    from testkit import builtin_lesson

    from tutor.model.network import DUAL_STACK

    lesson = builtin_lesson("dual-stack")
    manifest = lesson.steps[2].manifest or lesson.manifest  # ipFamilies [IPv6, IPv4]
    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(manifest, console.changes, network=DUAL_STACK)
    web = analysis.services[0].service
    v6 = next(ip for ip in web.cluster_ips if ":" in ip)
    v4 = next(ip for ip in web.cluster_ips if ":" not in ip)
    port = analysis.services[0].ports[0].port.port
    six = console.run(f"curl -s http://[{v6}]:{port}/clientip", analysis).text
    assert re.fullmatch(r"\[fd00:10:244:[0-9a-f:]+\]:\d+\n?", six), six
    four = console.run(f"curl -s http://{v4}:{port}/clientip", analysis).text
    assert re.fullmatch(r"10\.244\.\d+\.\d+:\d+\n?", four), four


def test_curl_4_and_6_ask_for_one_family() -> None:
    """curl's -4 / -6 (--ipv4 / --ipv6) resolve the name to that family only: lesson 13's
    learner checking "only IPv6 clients fail" got `option -6: is unknown`."""
    from testkit import builtin_lesson

    from tutor.model.network import DUAL_STACK

    lesson = builtin_lesson("dual-stack")
    manifest = lesson.steps[2].manifest or lesson.manifest  # ipFamilies [IPv6, IPv4]
    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(manifest, console.changes, network=DUAL_STACK)
    port = analysis.services[0].ports[0].port.port
    six = console.run(f"curl -6 -s http://web:{port}/clientip", analysis).text
    assert re.fullmatch(r"\[fd00:10:244:[0-9a-f:]+\]:\d+\n?", six), six
    four = console.run(f"curl --ipv4 -s http://web:{port}/clientip", analysis).text
    assert re.fullmatch(r"10\.244\.\d+\.\d+:\d+\n?", four), four
    single = manifest.replace("ipFamilies: [IPv6, IPv4]", "ipFamilies: [IPv4]").replace(
        "PreferDualStack", "SingleStack"
    )
    analysis = analyze_with_changes(single, console.changes, network=DUAL_STACK)
    out = console.run(f"curl -6 http://web:{port}/", analysis)
    assert out.text == "curl: (6) Could not resolve host: web\n" and out.code == 6, out.text


def test_the_endpoints_object_of_an_ipv6_first_service_lists_ipv6_addresses() -> None:
    """The legacy Endpoints controller takes each Pod's address of the Service's first family
    (K · pkg/controller/endpoint · `podToEndpointAddressForService`: `svc.Spec.IPFamilies[0]`):
    lesson 13's IPv6-first `web` listed the Pods' IPv4 addresses in `kubectl get endpoints`."""
    import json

    from testkit import builtin_lesson

    from tutor.model.network import DUAL_STACK

    lesson = builtin_lesson("dual-stack")
    manifest = lesson.steps[2].manifest or lesson.manifest  # ipFamilies [IPv6, IPv4]
    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(manifest, console.changes, network=DUAL_STACK)
    text = console.run("kubectl get endpoints web -o json", analysis).text
    data = json.loads(text.split("\n", 1)[1])  # after the API server's deprecation warning
    ips = [a["ip"] for sub in data["subsets"] for a in sub.get("addresses", [])]
    assert ips and all(ip.startswith("fd00:10:244:") for ip in ips), ips


def test_tab_after_cat_completes_the_one_file_it_reads() -> None:
    """`cat /etc/resolv.conf` (lesson 14's DNS check) is the one file the console keeps; Tab
    after `cat` offered nothing."""
    from tutor.lab.console.complete import candidates

    console = Console(now=lambda: 0.0)
    world = console.world(analyze_with_changes(HAND_WRITTEN, console.changes))
    assert candidates("cat /etc/r", world, console) == ["/etc/resolv.conf"]
    assert candidates("cat ", world, console) == ["/etc/resolv.conf"]
