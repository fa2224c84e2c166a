"""The catalogue of hostile inputs shared by tests/robustness and benchmarks/robustness.py.

Each entry builds its input inside a scratch folder and says what it is (a manifest-ish file, a
lesson file, a lesson pack, or something that is not a readable file at all), so every consumer
runs the same bad files through every entry point. Builders are cheap to call once per test
session; the large ones write their bytes in chunks to keep the test process small.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "lessons" / "01-anatomy.yaml"
MB = 1024 * 1024

HOSTILE = "\x1b[2J\x1b[31m\x1b]52;c;ZXZpbA==\x07\x1b]0;pwned\x1b\\\u202e\u2066\x9b1m"
"""Clear screen, red, an OSC 52 clipboard write, a window title, bidi overrides, 8-bit CSI."""

FORBIDDEN = ("\x1b", "\x9b", "\x9d", "\u202e", "\u2066", "\x07")
"""Nothing of HOSTILE may reach a terminal or a loaded lesson."""


@dataclass(frozen=True, slots=True)
class BadInput:
    name: str
    kind: str
    """`file` (bytes given as a manifest or lesson file), `pack` (a lesson folder),
    `path` (a path that is not a readable regular file)."""
    build: Callable[[Path], Path]
    lesson_ok: bool = False
    """The lesson loader accepts it (after cleaning); everything else must refuse it."""
    manifest_ok: bool = False
    """The manifest commands may accept it (exit 0 or 1, not 2)."""


def _write(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data() if callable(data) else data)
        return path

    return build


def _big(name: str, size: int) -> Callable[[Path], Path]:
    """`size` bytes of a valid-looking manifest repeated, written in chunks."""
    unit = (
        b"apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
        b"spec: {selector: {app: web}, ports: [{port: 80}]}\n---\n"
    )

    def build(tmp: Path) -> Path:
        path = tmp / name
        chunk = unit * (MB // len(unit))
        with path.open("wb") as fh:
            left = size
            while left > 0:
                part = chunk[:left]
                fh.write(part)
                left -= len(part)
        return path

    return build


def _alias_bomb() -> bytes:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    return ("\n".join(lines) + "\n").encode()


def _deep_block(depth: int = 10_000) -> bytes:
    """Block sequences nest on one line (`- - - 1`): 10,000 levels in 20 KB."""
    return b"items:\n" + b"- " * depth + b"1\n"


def _deep_indent(depth: int = 1_400) -> bytes:
    """Nested block mappings, one space deeper each: as deep as fits under the size limit."""
    return "".join(f"{' ' * i}k{i}:\n" for i in range(depth)).encode() + b" " * depth + b"x: 1\n"


def _deep_flow(depth: int = 10_000) -> bytes:
    return b"spec: " + b"[" * depth + b"1" + b"]" * depth + b"\n"


def _dress(value: Any) -> Any:
    """Every string of a structure, with HOSTILE around it."""
    if isinstance(value, str):
        return f"{HOSTILE}{value}{HOSTILE}"
    if isinstance(value, dict):
        return {k: _dress(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dress(v) for v in value]
    return value


def hostile_lesson() -> bytes:
    """The real first lesson with escape sequences in every string value (the manifest's text
    too); YAML carries them as double-quoted escapes, the way a hostile author would write."""
    data = yaml.safe_load(LESSON.read_text(encoding="utf-8"))
    dressed = _dress(data)
    # an id usable on a command line, and not the built-in lesson's (a pack's lesson with a
    # built-in id is refused by lint: the app would list it as broken)
    dressed["id"] = "hostile"
    return yaml.safe_dump(dressed, sort_keys=False, allow_unicode=False).encode()


HOSTILE_MANIFEST = (
    b"apiVersion: v1\nkind: Service\nmetadata:\n"
    b'  name: "web\\e[2J\\e]52;c;ZXZpbA==\\a"\n'
    b'  namespace: "shop\\u202e"\n'
    b'  labels: {"a\\e[31m": "b\\e]0;t\\a"}\n'
    b'spec:\n  selector: {app: "web\\e[5m"}\n'
    b'  type: "Node\\e[31mPort"\n'
    b'  ports:\n  - name: "ht\\e[1mtp"\n    port: 80\n    targetPort: "h\\e]52;c;eA==\\a"\n'
    b'    protocol: "TCP\\u202e"\n'
    b"---\napiVersion: v1\nkind: Pod\n"
    b'metadata: {name: "p\\e[2J", labels: {app: "web\\e[5m"}}\n'
    b'spec: {nodeName: "n\\e]0;x\\a", containers: [{name: c, image: x}]}\n'
    b'status: {phase: Running, podIP: "10.0.0.1\\e[1m"}\n'
)
"""A manifest whose every string carries escapes: error messages quote values back."""


PWNED = Path("/tmp/ktutor-robustness-pwned")
"""Created only if YAML tags in a stranger's file could run code."""


def python_tags() -> bytes:
    """The real first lesson with PyYAML's code-running tags in its title and manifest."""
    text = LESSON.read_text(encoding="utf-8")
    tag = f'!!python/object/apply:os.system ["touch {PWNED}"]'
    lines = text.splitlines(keepends=True)
    out = [f"title: {tag}\n" if ln.startswith("title:") else ln for ln in lines]
    out.append("extra: !!python/name:os.system\nmore: !!python/object/new:os.system [x]\n")
    return "".join(out).encode()


def _pack_outside(tmp: Path) -> Path:
    pack = tmp / "pack-symlink"
    pack.mkdir()
    outside = tmp / "outside-secret.yaml"
    outside.write_bytes(LESSON.read_bytes())
    (pack / "01-escape.yaml").symlink_to(outside)
    (pack / "02-etc.yaml").symlink_to("/etc/passwd")
    return pack


def _pack_evil_names(tmp: Path) -> Path:
    """File names are a stranger's text too: escapes in them must not reach the terminal."""
    pack = tmp / "pack-evil-names"
    pack.mkdir()
    (pack / f"01-a{HOSTILE}b.yaml").write_bytes(b"id: x\n")
    (pack / f"02-{HOSTILE}.yaml").write_bytes(
        LESSON.read_bytes().replace(b"id: anatomy", b"id: evil", 1)
    )
    return pack


def _pack_many(tmp: Path, count: int = 3000) -> Path:
    pack = tmp / "pack-3000"
    pack.mkdir()
    body = LESSON.read_bytes()
    for i in range(count):
        (pack / f"{i:04d}-l{i}.yaml").write_bytes(
            body.replace(b"id: anatomy", f"id: l{i}".encode(), 1)
        )
    return pack


def _directory(tmp: Path) -> Path:
    path = tmp / "a-folder.yaml"
    path.mkdir()
    return path


def _missing(tmp: Path) -> Path:
    return tmp / "no-such-file.yaml"


def _fifo(tmp: Path) -> Path:
    path = tmp / "fifo.yaml"
    os.mkfifo(path)
    return path


def _under_file(tmp: Path) -> Path:
    """Root reads everything, so 'cannot open' is simulated with a path below a regular file."""
    parent = tmp / "plain-file"
    parent.write_text("x")
    return parent / "child.yaml"


CATALOGUE: list[BadInput] = [
    BadInput("not-yaml", "file", _write("not-yaml.yaml", b"key: [unclosed\n  - : : {\n")),
    BadInput("binary", "file", _write("binary.yaml", bytes(range(256)) * 64)),
    BadInput("nul-bytes", "file", _write("nul.yaml", b"apiVersion: v1\nkind: Se\x00rvice\n")),
    BadInput(
        "utf-16", "file", _write("utf16.yaml", "apiVersion: v1\nkind: Service\n".encode("utf-16"))
    ),
    BadInput(
        "latin-1", "file", _write("latin1.yaml", "metadata:\n  name: caf\xe9\n".encode("latin-1"))
    ),
    BadInput("empty", "file", _write("empty.yaml", b"")),
    BadInput("only-comments", "file", _write("comments.yaml", b"# nothing\n# here\n\n")),
    BadInput("50-MB", "file", _big("huge.yaml", 50 * MB)),
    BadInput("3-MB-over-limit", "file", _big("over.yaml", 3 * MB)),
    BadInput("alias-bomb", "file", _write("bomb.yaml", _alias_bomb)),
    BadInput("deep-block-10000", "file", _write("deep-block.yaml", _deep_block)),
    BadInput("deep-indent-1400", "file", _write("deep-indent.yaml", _deep_indent)),
    BadInput("deep-flow-10000", "file", _write("deep-flow.yaml", _deep_flow)),
    # issue #15: what killed the app's YAML highlighter (tree-sitter-yaml dies at 254 levels)
    BadInput("deep-block-254", "file", _write("deep-254.yaml", b"- " * 254 + b"x\n")),
    BadInput("deep-indent-254", "file", _write("deep-indent-254.yaml", lambda: _deep_indent(254))),
    BadInput(
        "control-character",
        "file",
        _write("control.yaml", b"apiVersion: v1\nkind: Service\nmetadata:\n  name: a\x01b\n"),
    ),
    BadInput(
        "1-MB-single-line",
        "file",
        _write("line.yaml", b"k: " + b"x" * MB + b"\n"),
        manifest_ok=True,
    ),
    BadInput("100000-documents", "file", _write("docs.yaml", b"---\na: 1\n" * 100_000)),
    BadInput(
        "tabs",
        "file",
        _write("tabs.yaml", b"apiVersion: v1\nkind: Service\nmetadata:\n\tname: web\n"),
    ),
    BadInput(
        "hostile-lesson",
        "file",
        _write("01-hostile.yaml", hostile_lesson),
        lesson_ok=True,
        manifest_ok=True,
    ),
    BadInput("python-tags", "file", _write("01-anatomy.yaml", python_tags), manifest_ok=True),
    BadInput(
        "hostile-manifest",
        "file",
        _write("hostile-manifest.yaml", HOSTILE_MANIFEST),
        manifest_ok=True,
    ),
    BadInput("pack-symlink-outside", "pack", _pack_outside),
    BadInput("pack-3000-files", "pack", _pack_many),
    BadInput("pack-evil-file-names", "pack", _pack_evil_names),
    BadInput("directory", "path", _directory),
    BadInput("missing", "path", _missing),
    BadInput("fifo", "path", _fifo),
    BadInput("name-too-long", "path", lambda tmp: tmp / ("a" * 300 + ".yaml")),
    BadInput("path-too-long", "path", lambda tmp: Path("/".join(["b" * 200] * 25))),
    BadInput("under-a-file", "path", _under_file),
]


@dataclass(frozen=True, slots=True)
class Answer:
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_kb: int
    """The child's own peak resident memory (VmHWM at exit, after exec: not the parent's)."""
    cpu_seconds: float
    """The child's own user + system time (os.wait4), process start included: what the answer
    costs, whatever else the machine runs. `seconds` (wall) also counts the wait for a core."""

    def within(self, budget: float) -> bool:
        """The time budget, judged so that a busy machine does not fail it and a hang does: the
        CPU the answer costs is under the budget (on an idle machine that is its wall time), and
        its wall time is under three budgets (a blocking wait costs wall time, not CPU)."""
        return self.cpu_seconds < budget and self.seconds < 3 * budget


_WRAP = """
import atexit, os, runpy, sys
def _hwm():
    try:
        with open('/proc/self/status') as fh:
            for line in fh:
                if line.startswith('VmHWM:'):
                    with open(os.environ['KTUTOR_PROBE_RSS'], 'w') as out:
                        out.write(line.split()[1])
    except OSError:
        pass
atexit.register(_hwm)
target = sys.argv[1]
sys.argv = sys.argv[1:]
if target == 'tutor':
    sys.argv[0] = 'ktutor'
    runpy.run_module('tutor', run_name='__main__', alter_sys=True)
else:
    runpy.run_path(target, run_name='__main__')
"""

PROBE = Path(__file__).with_name("probe.py")

ZYGOTE = Path(__file__).with_name("zygote.py")
PRELOAD = (
    "tutor.settings",
    "tutor.model.analysis",
    "argparse",
    "tutor.cli",
    *(f"tutor.commands.{c}" for c in ("check", "route", "rules", "dns", "lint", "print")),
    *(f"tutor.commands.{c}" for c in ("export", "new_lesson")),
    "tutor.course.loader",
    "tutor.course.lint",
    "tutor.classroom.printing",
)
"""What the children import, whatever their command (check, route, rules, dns, lint, print,
export, new-lesson) or probe.py: the zygote imports these before it forks, and the cold start
added to each answer is a python importing all of them, so an answer costs at least what a
fresh process would (more for `check`, which needs less). Each child still pays for anything
else its command imports. With only the model preloaded, each `lint`, `print` and probe child
imported the lesson loader, jsonschema and the handout printer again: 0.2 CPU s each, 20 of
the table's 28 children's CPU seconds."""


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
        os.kill(pid, signal.SIGKILL)


def _child_env(env: dict[str, str] | None) -> dict[str, str]:
    out = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    out.pop("KTUTOR_PROBE_RSS", None)
    return out


def _cold(imports: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of a cold python importing `imports`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    subprocess.run([sys.executable, "-c", imports], cwd=ROOT, env=env, check=True)
    wall = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def cold_start(env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of a cold python importing PRELOAD: the shorter of two each (a
    load spike is not a start). Zygote adds them to every answer."""
    imports = "; ".join(f"import {name}" for name in PRELOAD)
    colds = [_cold(imports, _child_env(env)) for _ in range(2)]
    return min(wall for wall, _cpu in colds), min(cpu for _wall, cpu in colds)


class Zygote:
    """Runs `ktutor ARGS` (or a script) as run_child does, in a child forked from a python that
    has already imported the tutor (zygote.py): each child is still a process of its own (exit
    code, output, peak RSS), without paying python's start and the imports each time. Answer.
    seconds adds `start`, the wall time of a cold python importing the same modules (the
    shorter of two), so the budgets still include process start."""

    def __init__(
        self, env: dict[str, str] | None = None, cold: Sequence[float] | None = None
    ) -> None:
        """`cold`: `cold_start()`'s figures when the caller has them (a test run measures them
        once for all its workers: two cold pythons are ~0.8 CPU s)."""
        self.env = _child_env(env)
        self.start, self.start_cpu = cold if cold is not None else cold_start(env)
        self.proc = subprocess.Popen(
            [sys.executable, str(ZYGOTE), *PRELOAD],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=self.env,
            text=True,
        )
        self._reply()  # ready: its imports are done

    def _reply(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, f"the zygote ended (code {self.proc.poll()})"
        reply: dict[str, Any] = json.loads(line)
        return reply

    def run(
        self, args: Sequence[str], *, timeout: float = 20.0, stdin: Path | None = None
    ) -> Answer:
        """`stdin`: a file the child reads as its standard input (else /dev/null)."""
        import tempfile

        assert self.proc.stdin is not None
        with tempfile.TemporaryDirectory() as tmp:
            out, err, rss = (Path(tmp) / name for name in ("out", "err", "rss"))
            request = {"args": list(args), "out": str(out), "err": str(err), "rss": str(rss)}
            if stdin is not None:
                request["stdin"] = str(stdin)
            begin = time.perf_counter()
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            pid = self._reply()["pid"]
            watchdog = threading.Timer(timeout, _kill, (pid,))
            watchdog.start()
            try:
                ended = self._reply()
            finally:
                watchdog.cancel()
            status = ended["status"]
            seconds = time.perf_counter() - begin + self.start
            kb = int(rss.read_text() or 0) if rss.exists() else 0
            return Answer(
                os.waitstatus_to_exitcode(status),
                out.read_text("utf-8", "replace") if out.exists() else "",
                err.read_text("utf-8", "replace") if err.exists() else "",
                seconds,
                kb,
                float(ended["cpu"]) + self.start_cpu,
            )

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def run_child(
    args: Sequence[str], *, timeout: float = 20.0, env: dict[str, str] | None = None
) -> Answer:
    """Run `ktutor ARGS` (or a script: args[0] ending in .py) in a child python; wall time,
    output and peak RSS. A child still running after `timeout` is killed (code -9)."""
    import tempfile

    target = args[0] if args and args[0].endswith(".py") else "tutor"
    rest = list(args[1:]) if target != "tutor" else list(args)
    with tempfile.TemporaryDirectory() as tmp:
        rss_file = Path(tmp) / "rss"
        out_path, err_path = Path(tmp) / "out", Path(tmp) / "err"
        with out_path.open("wb") as out, err_path.open("wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-c", _WRAP, target, *rest],
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env={
                    **os.environ,
                    "PYTHONPATH": str(ROOT),
                    "KTUTOR_PROBE_RSS": str(rss_file),
                    **(env or {}),
                },
            )
            watchdog = threading.Timer(timeout, proc.kill)  # a blocking wait times exactly
            watchdog.start()
            try:
                _pid, status, usage = os.wait4(proc.pid, 0)
            finally:
                watchdog.cancel()
            seconds = time.perf_counter() - start
            code = proc.returncode = os.waitstatus_to_exitcode(status)
        rss = int(rss_file.read_text() or 0) if rss_file.exists() else 0
        return Answer(
            code,
            out_path.read_text("utf-8", "replace"),
            err_path.read_text("utf-8", "replace"),
            seconds,
            rss,
            usage.ru_utime + usage.ru_stime,
        )


def commands_for(bad: BadInput, path: Path) -> list[tuple[str, list[str]]]:
    """Every CLI entry point a learner or instructor could hand this input to."""
    p = str(path)
    if bad.kind == "path":  # `new-lesson --dir` and `export` take paths too (issue #15)
        extra = [("new-lesson", ["new-lesson", "x", "--dir", p]), ("export", ["export", p])]
    else:
        extra = []
    cmds = [
        *extra,
        ("check", ["check", p]),
        ("route", ["route", p]),
        ("route --json", ["route", "--json", p]),
        ("rules", ["rules", p]),
        ("dns", ["dns", p]),
        ("lint", ["lint", p]),
    ]
    if bad.kind == "pack":
        cmds.append(("print", ["print", "--lessons", p, "anatomy"]))
    else:
        cmds.append(("print", ["print", p]))
    return cmds
