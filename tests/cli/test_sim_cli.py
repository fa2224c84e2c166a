"""`ktutor sim FILE -- COMMAND...`: the console's output without a screen, the command's own exit
code, stdin as the file, and one-line errors for unreadable input or a missing command."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from tutor.cli import main

CLUSTER = Path(__file__).resolve().parents[1] / "lab" / "console" / "golden" / "cluster.yaml"


def test_sim_prints_what_the_console_prints(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sim", str(CLUSTER), "--", "kubectl", "get", "svc", "-n", "shop"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "NAME   TYPE       CLUSTER-IP    EXTERNAL-IP   PORT(S)          AGE",
        "api    NodePort   10.96.31.69   <none>        8080:30080/TCP   10m",
    ]


def test_sim_exit_code_is_the_tools(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sim", str(CLUSTER), "--", "curl", "lonely"]) == 7
    assert "curl: (7) Failed to connect to lonely port 80" in capsys.readouterr().out
    assert main(["sim", str(CLUSTER), "--", "kubectl", "get", "svc", "nosuch"]) == 1


def test_sim_takes_one_quoted_line_with_a_pipe(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sim", str(CLUSTER), "--", "env | grep WEB_SERVICE"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "WEB_SERVICE_HOST=10.96.164.134",
        "WEB_SERVICE_PORT=80",
        "WEB_SERVICE_PORT_HTTP=80",
    ]


def test_sim_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = CLUSTER.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["sim", "-", "--", "nslookup", "web"]) == 0
    assert "Address 1: 10.96.164.134 web.default.svc.cluster.local" in capsys.readouterr().out


def test_sim_notes_editor_effects_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "sim",
                str(CLUSTER),
                "--",
                "kubectl",
                "expose",
                "deploy",
                "web",
                "--port",
                "80",
                "--name",
                "w2",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert captured.out == "service/w2 exposed\n"
    assert "adds Service w2 to the manifest" in captured.err and "selector:" in captured.err


def test_sim_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sim", str(CLUSTER)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["sim", str(tmp_path / "missing.yaml"), "--", "kubectl", "get", "svc"]) == 2
    assert capsys.readouterr().err.strip().endswith("no such file")


def test_sim_spells_out_escape_sequences(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sim", str(CLUSTER), "--", "kubectl", "get", "\x1b[2Jsvc"]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\u001b[2Jsvc" in out
