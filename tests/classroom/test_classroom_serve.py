"""`ktutor serve`: safe defaults, the no-auth warning, the served command, the name prompt."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from tutor import settings
from tutor.app.screens.name import NameScreen, ask_learner_name
from tutor.classroom import serving
from tutor.cli import main


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("classroom.example", False),
    ],
)
def test_only_loopback_is_quiet(host: str, loopback: bool) -> None:
    assert serving.is_loopback(host) is loopback
    warning = serving.exposure_warning(host, 8000)
    assert (warning is None) is loopback
    if warning is not None:
        assert "NO authentication" in warning


def test_served_command_reuses_this_python_and_absolute_packs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = tmp_path / "my pack"
    pack.mkdir()
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(serving.served_command(["my pack"]))
    assert argv == ["exec", sys.executable, "-m", "tutor", "--lessons", str(pack)]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Ada", True),
        ("  Grace Hopper ", True),
        ("", False),
        ("   ", False),
        ("x" * 41, False),
        ("bad\x1b[2Jname", False),
        ("..", False),
        ("Zoë-2", True),
    ],
)
def test_name_rules(text: str, ok: bool) -> None:
    assert (serving.name_problem(text) is None) is ok


def _serve_args(*extra: str) -> list[str]:
    return ["serve", *extra]


def test_cli_prints_the_warning_and_passes_arguments(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(serving, "serve", lambda *a: calls.append(a))
    monkeypatch.setattr(serving, "interface_addresses", lambda: ["192.0.2.7", "2001:db8::7"])
    assert main(_serve_args()) == 0
    err = capsys.readouterr().err
    assert "NO authentication" not in err
    assert calls[-1][:5] == ("127.0.0.1", 8000, [], None, None)
    assert "learners open http://127.0.0.1:8000" in calls[-1][5][0]
    assert (
        main(
            _serve_args(
                "--host",
                "0.0.0.0",
                "--port",
                "9001",
                "--lessons",
                str(tmp_path),
                "--data-dir",
                str(tmp_path),
            )
        )
        == 0
    )
    err = capsys.readouterr().err
    assert "NO authentication" in err and "every network interface" in err
    assert calls[-1][:5] == ("0.0.0.0", 9001, [str(tmp_path)], str(tmp_path), None)
    # the addresses a learner can type, not `localhost` (their own laptop)
    assert "learners open http://192.0.2.7:9001" in calls[-1][5][0]
    assert "localhost" not in " ".join(calls[-1][5])
    assert main(_serve_args("--host", "0.0.0.0", "--public-url", "https://k8s.example.org")) == 0
    assert calls[-1][4] == "https://k8s.example.org"
    assert "learners open https://k8s.example.org" in calls[-1][5][0]


def test_cli_names_the_packs_lessons_learners_could_not_open(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`ktutor serve --lessons PACK` said nothing of a pack file that does not load (listed as
    broken to every learner) or a lesson that fails lint (listed, but it does not open): the
    instructor heard of them from the room. Both are named before the server starts."""
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(serving, "serve", lambda *a: calls.append(a))
    monkeypatch.delenv("KTUTOR_LESSONS", raising=False)
    starter = tmp_path / "starter"
    assert main(["new-lesson", "good", "--dir", str(starter)]) == 0
    pack = tmp_path / "pack"
    pack.mkdir()
    good = (starter / "good.yaml").read_text(encoding="utf-8")
    (pack / "good.yaml").write_text(good, encoding="utf-8")
    (pack / "no-answer.yaml").write_text(
        good.replace("id: good", "id: no-answer", 1).replace("correct: true", "correct: false", 1),
        encoding="utf-8",
    )
    (pack / "unreadable.yaml").write_text("id: [\n", encoding="utf-8")
    capsys.readouterr()
    assert main(_serve_args("--lessons", str(pack))) == 0
    err = capsys.readouterr().err
    assert calls, "the server still starts"
    lines = [line for line in err.splitlines() if str(pack) in line]
    assert len(lines) == 2, err
    assert lines[0].startswith(f"ktutor serve: {pack / 'no-answer.yaml'}:")
    assert "quiz question 1 has 0 correct choices" in lines[0]
    assert "learners cannot open lesson `no-answer`" in lines[0]
    assert lines[1].startswith(f"ktutor serve: {pack / 'unreadable.yaml'}:2: YAML syntax error")
    assert lines[1].endswith("(learners see this file as broken)")
    assert "good.yaml" not in err


def test_cli_code(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(serving, "serve", lambda *a: calls.append(a))
    monkeypatch.delenv("KTUTOR_JOIN_CODE", raising=False)
    assert main(_serve_args("--host", "0.0.0.0", "--code", "probe-4821")) == 0
    assert "NO authentication" not in capsys.readouterr().err
    assert calls[-1][6] == "probe-4821" and "workshop code: probe-4821" in calls[-1][5][1]
    assert main(_serve_args("--code")) == 0  # made up and printed
    made = calls[-1][6]
    assert made and f"workshop code: {made}" in calls[-1][5][1]
    monkeypatch.setenv("KTUTOR_JOIN_CODE", "from-a-secret")
    assert main(_serve_args("--host", "0.0.0.0")) == 0
    assert calls[-1][6] == "from-a-secret"
    monkeypatch.delenv("KTUTOR_JOIN_CODE")
    assert main(_serve_args("--host", "0.0.0.0")) == 0
    assert calls[-1][6] is None and "NO authentication" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("host", "urls"),
    [
        ("127.0.0.1", ["http://127.0.0.1:8000"]),
        ("192.0.2.7", ["http://192.0.2.7:8000"]),
        ("0.0.0.0", ["http://192.0.2.7:8000", "http://198.51.100.3:8000"]),
        ("::", ["http://192.0.2.7:8000", "http://198.51.100.3:8000", "http://[2001:db8::7]:8000"]),
        ("::1", ["http://[::1]:8000"]),
    ],
)
def test_learner_urls(host: str, urls: list[str]) -> None:
    addresses = ["192.0.2.7", "198.51.100.3", "2001:db8::7"]
    assert serving.learner_urls(host, 8000, addresses) == urls


def test_interface_addresses_leave_out_loopback_and_link_local() -> None:
    import ipaddress

    for a in serving.interface_addresses():
        ip = ipaddress.ip_address(a)
        assert not ip.is_loopback and not ip.is_link_local and not ip.is_unspecified


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "0"], "between 1 and 65535"),
        (["--port", "70000"], "between 1 and 65535"),
        (["--lessons", "/no/such/folder"], "not a folder"),
        (["--code", " spaced "], "--code: use printable characters"),
    ],
)
def test_cli_bad_usage(
    args: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(serving, "serve", lambda *a: pytest.fail("must not serve"))
    assert main(_serve_args(*args)) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_cli_reports_a_busy_port(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def busy(*a: object) -> None:
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(serving, "serve", busy)
    assert main(_serve_args("--port", "8123")) == 2
    assert "cannot listen on 127.0.0.1:8123: Address already in use" in capsys.readouterr().err


def test_serve_builds_the_server_with_the_env_hook(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    made: dict[str, Any] = {}

    class FakeServer:
        def __init__(self, command: str, **kw: Any) -> None:
            made.update(kw, command=command)

        def serve(self) -> None:
            made["served"] = True

    import tutor.classroom.web

    monkeypatch.setattr(tutor.classroom.web, "ClassroomServer", FakeServer)
    # serve() sets these for its children; setenv first so monkeypatch restores them afterwards
    # (delenv of an unset variable records nothing, and the value would leak into later tests)
    for name in (settings.SERVE, settings.DATA_DIR):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    pack = tmp_path / "pack"
    pack.mkdir()
    serving.serve("0.0.0.0", 8100, [pack], tmp_path)
    assert made["served"] and made["host"] == "0.0.0.0" and made["port"] == 8100
    assert made["command"].endswith(f"-m tutor --lessons {pack.resolve()}")
    assert made["public_url"] is None  # each page points at the address its browser used
    # on Linux each tab is forked from a fork server given the same lesson packs
    assert made["fork_server"] == [
        sys.executable,
        "-m",
        "tutor.app.fork_server",
        "--lessons",
        str(pack.resolve()),
    ]
    serving.serve("0.0.0.0", 8100, [pack], tmp_path, fork=False)
    assert made["fork_server"] is None
    assert settings.serving()
    import os

    assert os.environ[settings.DATA_DIR] == str(tmp_path.resolve())
    # from a source checkout the per-tab processes find `tutor` whatever their directory
    root = serving.source_checkout()
    assert root is not None and (root / "tutor" / "classroom" / "serving.py").is_file()
    assert os.environ["PYTHONPATH"].split(os.pathsep) == [str(root), "/somewhere"]


class _Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.learner: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("lesson list")

    def on_mount(self) -> None:
        ask_learner_name(self, self._start)

    def _start(self, name: str) -> None:
        self.learner = name


async def test_name_prompt_insists_then_returns_the_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.SERVE, "1")
    app = _Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        await pilot.press("escape", "enter")
        assert isinstance(app.screen, NameScreen)
        assert "Type your name" in str(app.screen.query_one("#name-error", Static).render())
        app.screen.query_one("#learner-name", Input).value = "  Ada  "
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, NameScreen)
    assert app.learner == "Ada"


async def test_no_prompt_outside_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.SERVE, raising=False)
    app = _Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, NameScreen)
