"""`ktutor check` and `ktutor route` as a learner runs them: output shape, exit codes, stdin,
and bad input (one line, exit 2, fast, no traceback, bounded memory)."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tutor.cli import main
from tutor.model.limits import FILE_TEXT_BYTES

ROOT = Path(__file__).resolve().parent.parent.parent
SCENARIOS = ROOT / "tests" / "scenarios"


def ktutor(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`ktutor ARGS` through `tutor.cli.main` in this process: its exit code, stdout and stderr
    (a child costs a third of a CPU second; the bad-input and file-limit tests below fork
    theirs from a prepared python)."""
    out, err = io.StringIO(), io.StringIO()
    real_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO((stdin or "").encode()), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse: --help, bad usage
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        sys.stdin = real_stdin
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


INVALID = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selectr:
    app: web
  ports:
  - port: 0
    protocol: tcp
"""


def test_check_prints_file_line_col_under_kubectl_header(tmp_path: Path) -> None:
    f = tmp_path / "svc.yaml"
    f.write_text(INVALID)
    proc = ktutor("check", str(f))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0] == 'The Service "web" is invalid:'
    located = [ln for ln in lines if ln.startswith(f"{f}:")]
    assert located == [
        f'{f}:6:3: strict decoding error: unknown field "spec.selectr"',
        f"{f}:9:5: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
        f'{f}:10:5: spec.ports[0].protocol: Unsupported value: "tcp": supported values: '
        '"SCTP", "TCP", "UDP"',
        f"{f}:9:5: spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, "
        "inclusive",
    ], "validateServicePort order: port, protocol, targetPort"
    assert any(ln.strip().startswith("hint: did you mean `selector`") for ln in lines)
    assert proc.stderr == ""


def test_check_no_hints(tmp_path: Path) -> None:
    f = tmp_path / "svc.yaml"
    f.write_text(INVALID)
    proc = ktutor("check", "--no-hints", str(f))
    assert proc.returncode == 1
    assert "hint:" not in proc.stdout


def test_check_valid_file_exit_0() -> None:
    proc = ktutor("check", str(SCENARIOS / "001-seed-basic.yaml"))
    assert proc.returncode == 0
    assert proc.stdout.strip().endswith("valid (1 Service(s), 3 Pod(s))")


def test_check_stdin() -> None:
    proc = ktutor("check", "-", stdin=INVALID)
    assert proc.returncode == 1
    assert "<stdin>:9:5: spec.ports[0].port: Invalid value: 0" in proc.stdout
    proc = ktutor("check", "-", stdin=(SCENARIOS / "001-seed-basic.yaml").read_text())
    assert proc.returncode == 0 and proc.stdout.startswith("<stdin>: valid")


def test_check_worst_exit_code_wins(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(INVALID)
    proc = ktutor(
        "check", str(SCENARIOS / "001-seed-basic.yaml"), str(bad), str(tmp_path / "missing.yaml")
    )
    assert proc.returncode == 2
    assert "valid (" in proc.stdout and 'The Service "web" is invalid:' in proc.stdout
    assert proc.stderr.strip() == f"ktutor: {tmp_path / 'missing.yaml'}: no such file"


@pytest.mark.parametrize("cmd", ["check", "route"])
def test_help(cmd: str) -> None:
    proc = ktutor(cmd, "--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith(f"usage: ktutor {cmd}")
    assert "FILE" in proc.stdout


@pytest.mark.parametrize(
    "args",
    [["check"], ["route"], ["route", "x.yaml", "--requests", "-1"], ["route", "x.yaml", "--bogus"]],
)
def test_bad_usage_exit_2(args: list[str]) -> None:
    proc = ktutor(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_route_text_and_json_exit_codes() -> None:
    proc = ktutor("route", str(SCENARIOS / "008-not-ready-pod.yaml"))
    assert proc.returncode == 0
    assert "not Ready" in proc.stdout
    proc = ktutor("route", str(SCENARIOS / "041-invalid-port-zero.yaml"), "--json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["valid"] is False
    assert data["errors"][0]["path"] == "spec.ports[0].port"


def test_route_simulation_is_seeded() -> None:
    args = [
        "route",
        str(SCENARIOS / "001-seed-basic.yaml"),
        "--json",
        "--requests",
        "300",
        "--clients",
        "3",
    ]
    one = json.loads(ktutor(*args, "--seed", "5").stdout)
    two = json.loads(ktutor(*args, "--seed", "5").stdout)
    ports = one["services"]["default/my-service"]
    (port,) = ports.values()
    assert sum(port["traffic"].values()) == 300
    assert set(port["traffic"]) <= set(port["ready"])
    assert one == two


def test_route_unknown_node_is_usage_error() -> None:
    proc = ktutor("route", str(SCENARIOS / "001-seed-basic.yaml"), "--from-node", "nope")
    assert proc.returncode == 2
    assert "no node 'nope'" in proc.stderr


def _alias_bomb() -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    prev = "a"
    for i in range(1, 12):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = f"l{i}"
    return "\n".join(lines) + "\n"


BAD_INPUT: list[tuple[str, bytes, str]] = [
    ("not YAML", b"{{{ this: is [ not yaml\n  : : :\n", "YAML syntax error"),
    ("binary", bytes(range(256)) * 8, "binary"),
    ("not UTF-8", b"apiVersion: v1\nkind: \xff\xfe\n", "not UTF-8"),
    ("empty", b"", "empty"),
    ("only comments", b"# nothing here\n---\n", "empty"),
    ("alias bomb", _alias_bomb().encode(), "alias"),
    ("nested 10,000 deep (flow)", b"[" * 10_000 + b"]" * 10_000 + b"\n", "nested"),
    ("nested 10,000 deep (block)", b"- " * 10_000 + b"x\n", "nested"),
    ("nested maps", b"{a: " * 10_000 + b"1" + b"}" * 10_000 + b"\n", "nested"),
]


@pytest.mark.parametrize(("data", "needle"), [pytest.param(d, n, id=i) for i, d, n in BAD_INPUT])
@pytest.mark.parametrize("cmd", ["check", "route"])
def test_bad_input_one_line_exit_2(
    tmp_path: Path, cmd: str, data: bytes, needle: str, zygote: Any
) -> None:
    f = tmp_path / "bad.yaml"
    f.write_bytes(data)
    answer = zygote.run([cmd, str(f)])
    code, rss_kb, out, err = (
        answer.code,
        answer.max_rss_kb,
        answer.stdout,
        answer.stderr,
    )
    assert code == 2
    assert answer.within(2.0), f"{answer.cpu_seconds:.2f} CPU s, {answer.seconds:.2f} s"
    assert rss_kb < 150 * 1024, f"peak RSS {rss_kb} KB"
    assert "Traceback" not in err and "Traceback" not in out
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"ktutor: {f}")
    assert needle in lines[0]


def test_file_over_the_command_line_limit_file_and_stdin(tmp_path: Path, zygote: Any) -> None:
    """A file over limits.FILE (256 MB) is refused from its size, before it is read: fast and
    in little memory, named or given on stdin (a sparse file costs no disk). Each `ktutor` is
    a child of its own (forked from the prepared python, its start-up cost counted)."""
    f = tmp_path / "huge.yaml"
    with f.open("wb") as fh:
        fh.truncate(FILE_TEXT_BYTES + 1)
    for args, stdin in (([str(f)], None), (["-"], f)):
        answer = zygote.run(["check", *args], stdin=stdin)
        err = answer.stderr
        assert answer.code == 2
        assert answer.within(2.0), f"{answer.cpu_seconds:.2f} CPU s, {answer.seconds:.2f} s"
        assert answer.max_rss_kb < 150 * 1024, f"peak RSS {answer.max_rss_kb} KB"
        assert "too large" in err and "256 MB" in err and len(err.strip().splitlines()) == 1
        assert "Traceback" not in err


def test_route_json_on_bad_input_is_still_json(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_bytes(b"a: [1, 2\n")
    start = time.perf_counter()
    proc = ktutor("route", str(f), "--json")
    assert time.perf_counter() - start < 5
    assert proc.returncode == 2
    data = json.loads(proc.stdout)
    assert data["valid"] is False and "YAML syntax error" in data["errors"][0]["message"]


def test_directory_is_a_one_line_error(tmp_path: Path) -> None:
    """A folder is read as `kubectl apply -f DIR` would when it holds one manifest file."""
    proc = ktutor("check", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"ktutor: {tmp_path}: a folder with no manifest file (*.yaml, *.yml) in it"
    )
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n")
    assert ktutor("check", str(tmp_path)).returncode == 0
    (tmp_path / "b.yml").write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: y}\n")
    proc = ktutor("check", str(tmp_path))
    assert proc.returncode == 2 and "2 manifest files (a.yaml, b.yml): name one" in proc.stderr


LOCAL_POLICY = """\
apiVersion: v1
kind: Service
metadata: {name: logs}
spec:
  selector: {app: logs}
  internalTrafficPolicy: Local
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: logs-1, labels: {app: logs}}
spec: {nodeName: node-1, containers: [{name: a, image: x}]}
"""


@pytest.mark.parametrize(
    "node, expected, absent",
    [
        ("node-2", "timed out: kube-proxy drops the packets (DROP)", "REJECT"),
        ("node-1", "logs-1", "no endpoint"),
    ],
)
def test_route_says_drop_not_reject_under_local_policy(
    tmp_path: Path, node: str, expected: str, absent: str
) -> None:
    f = tmp_path / "local.yaml"
    f.write_text(LOCAL_POLICY)
    proc = ktutor("route", str(f), "--from-node", node)
    assert proc.returncode == 0, proc.stderr
    assert expected in proc.stdout
    assert absent not in proc.stdout


ONLY_8080 = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, labels: {app: web}}
spec: {nodeName: node-1, containers: [{name: a, image: x, ports: [{containerPort: 8080}]}]}
"""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--requests", "10"], ["10 requests:", "10 refused by web-1: nothing listens on port 80"]),
        (
            [],
            [
                "web-1 refuses the traffic: nothing listens on port 80 in web-1 (it declares only 8080/TCP)"
            ],
        ),
    ],
)
def test_route_says_the_pod_refuses_a_port_it_does_not_declare(
    tmp_path: Path, args: list[str], expected: list[str]
) -> None:
    f = tmp_path / "only-8080.yaml"
    f.write_text(ONLY_8080)
    proc = ktutor("route", str(f), *args)
    assert proc.returncode == 0, proc.stderr
    for words in expected:
        assert words in proc.stdout
    assert "answered" not in proc.stdout


def test_route_json_has_the_outcome_keys(tmp_path: Path) -> None:
    f = tmp_path / "only-8080.yaml"
    f.write_text(ONLY_8080)
    data = json.loads(ktutor("route", str(f), "--json", "--requests", "4").stdout)
    port = data["services"]["default/web"]["80"]
    assert port["ready"] == ["web-1"]  # the contract: kube-proxy sends it traffic
    assert port["request"]["outcome"] == "refused-by-pod"
    assert "nothing listens on port 80" in port["request"]["summary"]
    assert port["refused"] == {
        "web-1": "nothing listens on port 80 in web-1 (it declares only 8080/TCP)"
    }
    assert port["traffic"] == {"web-1": 4} and port["outcomes"] == {"refused-by-pod": 4}
