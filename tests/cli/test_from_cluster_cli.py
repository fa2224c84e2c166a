"""`--from-cluster [--context C]`: ktutor runs kubectl itself. A fake `kubectl` on PATH prints
recorded output (tests/cli/data/kubectl-get-cluster.json: a kind cluster's
`kubectl get svc,pods,endpointslices,nodes -A -o json`), or fails the way kubectl fails."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.commands._cluster import kubectl_error

DUMP = Path(__file__).parent / "data" / "kubectl-get-cluster.json"

# what kubectl 1.35 prints when the API server is down: klog retry lines, then its own error
UNREACHABLE = """\
E1203 10:44:52.091585    7818 memcache.go:265] "Unhandled Error" err="couldn't get current \
server API group list: Get \\"https://127.0.0.1:6443/api?timeout=32s\\": dial tcp \
127.0.0.1:6443: connect: connection refused"
E1203 10:44:52.093129    7818 memcache.go:265] "Unhandled Error" err="couldn't get current \
server API group list: Get \\"https://127.0.0.1:6443/api?timeout=32s\\": dial tcp \
127.0.0.1:6443: connect: connection refused"
The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?
"""


def _fake_kubectl(bin_dir: Path, body: str) -> Path:
    """A `kubectl` that logs its arguments to bin_dir/argv and runs `body` (sh)."""
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "kubectl"
    script.write_text(f'#!/bin/sh\necho "$@" > "{bin_dir}/argv"\n{body}\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.fixture
def fake_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PATH holds only the fake's folder (no real kubectl can answer)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    return bin_dir


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_route_from_cluster_reads_what_kubectl_prints(
    fake_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake_kubectl(fake_path, f'/bin/cat "{DUMP}"')
    code, out, err = _run(["route", "--from-cluster", "--summary"], capsys)
    assert (fake_path / "argv").read_text().split() == [
        "get",
        "svc,pods,endpointslices,nodes",
        "-A",
        "-o",
        "json",
    ]
    assert code == 0, err
    assert err == ""
    rows = [line.split()[:6] for line in out.splitlines()[1:]]
    assert rows == [
        ["default", "kubernetes", "https:443/TCP", "-", "1", "1"],
        ["shop", "web", "http:80/TCP", "2", "1", "1"],
    ]
    assert out.splitlines()[2].endswith(
        "the Pod is not Ready: readiness probe httpGet :8080/healthz fails (container web not ready)"
    )
    # the cluster's own nodes, not the simulated ones
    code, out, _ = _run(["route", "--from-cluster", "--service", "shop/web"], capsys)
    assert "kind-worker" in out and "node-1" not in out


def test_context_is_passed_to_kubectl(fake_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fake_kubectl(fake_path, f'/bin/cat "{DUMP}"')
    code, out, _ = _run(["route", "--from-cluster", "--context", "kind-kind", "--json"], capsys)
    assert code == 0
    assert (fake_path / "argv").read_text().split()[-2:] == ["--context", "kind-kind"]
    assert json.loads(out)["services"]["shop/web"]["http"]["ready"] == ["web-7d9f8b6c5d-4xk2p"]


def test_a_namespace_filter_reads_only_that_namespace(
    fake_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake_kubectl(fake_path, f'/bin/cat "{DUMP}"')
    code, out, _ = _run(["route", "--from-cluster", "-n", "shop", "--summary"], capsys)
    assert code == 0
    assert (fake_path / "argv").read_text().split() == [
        "get",
        "svc,pods,endpointslices,nodes",
        "-n",
        "shop",
        "-o",
        "json",
    ]
    assert [line.split()[:2] for line in out.splitlines()[1:]] == [["shop", "web"]]
    _run(["rules", "--from-cluster", "--service", "shop/web"], capsys)
    assert (fake_path / "argv").read_text().split()[2:4] == ["-n", "shop"]


def test_dns_and_rules_from_cluster(fake_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fake_kubectl(fake_path, f'/bin/cat "{DUMP}"')
    code, out, err = _run(["dns", "--from-cluster", "--service", "shop/web"], capsys)
    assert code == 0, err
    assert out.splitlines()[:2] == [
        "; shop/web",
        "web.shop.svc.cluster.local.\t5\tIN\tA\t10.96.120.15",
    ]
    code, out, err = _run(["rules", "--from-cluster", "--service", "shop/web"], capsys)
    assert code == 0, err
    # kube-proxy on the first node: a DNAT to the ready endpoint only, not the other Pod
    assert "--to-destination 10.244.1.5:8080" in out and "10.244.2.7" not in out
    assert "default/kubernetes" not in out


def test_check_from_cluster(fake_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fake_kubectl(fake_path, f'/bin/cat "{DUMP}"')
    code, out, err = _run(["check", "--from-cluster", "--context", "kind-kind"], capsys)
    assert code == 0, err
    assert out == "<cluster kind-kind>: valid (2 Service(s), 2 Pod(s))\n"


def test_missing_kubectl_is_one_line(fake_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["route", "--from-cluster"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("ktutor route: --from-cluster needs kubectl on PATH")


def test_unreachable_cluster_prints_kubectls_own_error(
    fake_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said = tmp_path / "stderr.txt"
    said.write_text(UNREACHABLE)
    _fake_kubectl(fake_path, f'/bin/cat "{said}" >&2\nexit 1')
    code, out, err = _run(["route", "--from-cluster"], capsys)
    assert code == 2 and out == ""
    assert err == (
        "ktutor route: `kubectl get svc,pods,endpointslices,nodes -A -o json` failed (exit 1): "
        "The connection to the server 127.0.0.1:6443 was refused - did you specify the right "
        "host or port?\n"
    )


@pytest.mark.parametrize(
    ("stderr", "line"),
    [
        (
            UNREACHABLE,
            "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?",
        ),
        (
            "Warning: v1 ComponentStatus is deprecated in v1.19+\n"
            'Error from server (Forbidden): pods is forbidden: User "dev" cannot list resource "pods"\n',
            'Error from server (Forbidden): pods is forbidden: User "dev" cannot list resource "pods"',
        ),
        ("E1203 10:44:52.091585    7818 memcache.go:265] only klog\n", "only klog"),
        ("", ""),
    ],
    ids=["klog lines first", "a warning first", "only klog lines", "nothing"],
)
def test_kubectl_error_line(stderr: str, line: str) -> None:
    assert kubectl_error(stderr) == line


def test_unknown_context_is_one_line(fake_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fake_kubectl(fake_path, 'echo "error: context \\"nope\\" does not exist" >&2\nexit 1')
    code, _, err = _run(["dns", "--from-cluster", "--context", "nope"], capsys)
    assert code == 2
    assert err.endswith('--context nope` failed (exit 1): error: context "nope" does not exist\n')


def test_a_hanging_kubectl_times_out(fake_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fake_kubectl(fake_path, "exec /bin/sleep 30")
    code, out, err = _run(["route", "--from-cluster", "--kubectl-timeout", "0.5"], capsys)
    assert code == 2 and out == ""
    assert "did not answer within 0.5 s (is the cluster reachable?" in err
    assert err.count("\n") == 1


def test_kubectl_printing_nonsense_is_one_line(
    fake_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake_kubectl(fake_path, "echo '{\"items\": [oops'")
    code, _, err = _run(["route", "--from-cluster"], capsys)
    assert code == 2
    assert err.startswith("ktutor: <cluster>:") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["route"], "give a manifest FILE (- for stdin), or --from-cluster"),
        (["route", "x.yaml", "--from-cluster"], "give FILE or --from-cluster, not both"),
        (["rules", "x.yaml", "--context", "c"], "--context needs --from-cluster"),
        (["check"], "give a manifest FILE (- for stdin), or --from-cluster"),
        (["check", "a.yaml", "--from-cluster"], "give FILE or --from-cluster, not both"),
    ],
)
def test_usage(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(argv, capsys)
    assert code == 2
    assert err == f"ktutor {argv[0]}: {message}\n"


def test_subprocess_end_to_end(fake_path: Path) -> None:
    """The real entry point with the fake first on PATH: no traceback, exit code 2."""
    import subprocess

    _fake_kubectl(
        fake_path, "echo 'error: You must be logged in to the server (Unauthorized)' >&2; exit 1"
    )
    env = dict(os.environ, PATH=str(fake_path), PYTHONPATH=str(Path(__file__).parents[2]))
    proc = subprocess.run(
        [sys.executable, "-m", "tutor", "route", "--from-cluster"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.endswith(
        "failed (exit 1): error: You must be logged in to the server (Unauthorized)\n"
    )


@pytest.mark.parametrize(
    ("argv", "kubectl", "message"),
    [
        (
            ["--from-cluster"],
            "echo 'error: context \"nope\" does not exist' >&2\nexit 1",
            "`kubectl get svc,pods,endpointslices,nodes -A -o json` failed (exit 1): error: "
            'context "nope" does not exist',
        ),
        (["--from-cluster", "--kubectl-timeout", "0.5"], "exec /bin/sleep 30", "did not answer"),
        (["--from-cluster"], "echo '{\"items\": [oops'", "<cluster>:"),
        (["--from-cluster", "x.yaml"], "exit 0", "give FILE or --from-cluster, not both"),
        (["--from-cluster", "--service", "nope"], f'/bin/cat "{DUMP}"', 'no Service "nope"'),
        (["--from-cluster", "--requests", "-1"], "exit 0", "--requests must be between 0"),
    ],
    ids=["kubectl fails", "kubectl hangs", "kubectl prints nonsense", "usage", "no match", "opt"],
)
def test_route_json_prints_one_json_object_whatever_fails(
    argv: list[str],
    kubectl: str,
    message: str,
    fake_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With --json, stdout is one JSON object even when route exits with 2: the contract's
    shape, `valid` false, the stderr line's reason as its one error."""
    _fake_kubectl(fake_path, kubectl)
    code, out, err = _run(["route", "--json", *argv], capsys)
    assert code == 2
    got = json.loads(out)
    assert got["valid"] is False and got["services"] == {}
    [error] = got["errors"]
    assert error["path"] == "" and message in error["message"]
    assert err.count("\n") == 1 and error["message"] in err


def test_a_user_who_may_not_list_nodes_gets_the_rest(
    fake_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """kubectl get prints what it could read and exits 1 for the rest: a namespace's user
    cannot list Nodes (cluster-scoped). The Services, Pods and slices are routed (was: one
    line, exit 2, nothing analyzed) and kubectl's error is said on stderr."""
    dump = json.loads(DUMP.read_text())
    dump["items"] = [i for i in dump["items"] if i["kind"] != "Node"]
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps(dump))
    forbidden = (
        'Error from server (Forbidden): nodes is forbidden: User "dev" cannot list resource '
        '"nodes" in API group "" at the cluster scope'
    )
    _fake_kubectl(fake_path, f"/bin/cat \"{partial}\"\necho '{forbidden}' >&2\nexit 1")
    code, out, err = _run(["route", "--from-cluster", "-n", "shop", "--summary"], capsys)
    assert code == 0
    assert out.splitlines()[1].split()[:3] == ["shop", "web", "http:80/TCP"]
    assert err == (
        "ktutor: `kubectl get svc,pods,endpointslices,nodes -n shop -o json` read only part of "
        f"the cluster (exit 1: {forbidden}); what it printed is analyzed (without Nodes the "
        "simulated ones stand in)\n"
    )
