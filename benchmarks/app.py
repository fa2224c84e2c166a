"""App benchmarks: `python benchmarks/app.py` prints one table.

- launch: process start to the first frame written to the terminal (for ktutor, the first that
  lists the lessons), against a minimal Textual app showing one Static, measured in the same
  run (target: at most 1.3x). ktutor starts as the `ktutor` command does (`tutor.cli.main`
  with no arguments: its parser, imports and start-up policy count). ktutor's runs share a
  data folder, warmed by one untimed run, as on every start after the first (the first start
  reads the lesson files: shown as info);
- open: Enter on lesson 1 to the first frame of the lesson screen with its routing view drawn,
  in a fresh process, once the list has been read (target: < 200 ms); also the frame where the
  screen settles, a 50-Pod lesson, and Enter pressed before the warm-up finished (info);
- edit: a keystroke in the editor to the routing view updated, headless, with 50 Pods, against a
  minimal app whose keystroke updates one Static (targets: median at most 1.25x, p95 < 30 ms);
- memory: peak RSS of a process that opens a 50-Pod lesson, edits, sends a burst and opens
  behind the scenes (target: < 80 MB).

Every measurement runs in a child process (`--child MODE`) so imports and caches start cold.
Each row of wall time has a CPU-time row beside it (the process's own user + system time over
the same span), which a loaded machine inflates far less. `--only launch|open|edit|memory`
(repeatable) runs some parts only.
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

# The launch children import nothing before they start the app but the modules above (which
# Textual imports anyway): the parent's (argparse, json, statistics, subprocess...) are imported
# where they are used, so neither app is timed with a module it does not import itself.


def report(**values: Any) -> None:
    """A child's figures, as one JSON line for the parent (json imported only now: after a
    launch child took its times)."""
    import json

    print(json.dumps(values), flush=True)


ROOT = Path(__file__).resolve().parent.parent
RUNS = 9
EDITS = 60
PODS = 50


def manifest(pods: int = PODS) -> str:
    parts = [
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n"
        "    app: web\n  ports:\n  - port: 80\n    targetPort: 8080\n"
    ]
    for i in range(pods):
        app = "web" if i % 5 else "api"
        parts.append(
            f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-{i}\n  labels:\n"
            f"    app: {app}\nspec:\n  nodeName: node-{i % 3 + 1}\n  containers:\n"
            "  - name: app\n    image: nginx\n"
        )
    return "# note\n" + "---\n".join(parts)


def bench_lesson() -> Any:
    from tutor.course.lesson import Lesson, Step

    return Lesson(
        "bench",
        "Fifty Pods",
        "A Service in front of fifty Pods.",
        5,
        manifest(),
        (Step("The selector", "spec.selector", "The selector picks Pods."),),
    )


# -- child processes ----------------------------------------------------------------------------


def _exit_at_first_frame(app: Any, ready: Any = None) -> None:
    """Note the time the first frame is written to the terminal (for ktutor: the first one
    that lists the lessons), then leave."""
    from textual.screen import Screen

    refresh = Screen._compositor_refresh
    done = False

    def first_frame(self: Screen[Any]) -> None:
        nonlocal done
        refresh(self)
        if not done and (ready is None or ready(self)):
            done = True
            usage = resource.getrusage(resource.RUSAGE_SELF)
            cpu_ms = (usage.ru_utime + usage.ru_stime) * 1000
            report(first_frame=time.time(), cpu_ms=cpu_ms)
            app.exit()

    Screen._compositor_refresh = first_frame  # type: ignore[method-assign]


def _after_import(name: str, then: Any) -> None:
    """Call `then(module)` once module `name` has been imported (by whoever imports it), so a
    child can hook Textual without importing it before the code it measures does."""
    import importlib.util

    class After:  # a meta path finder (importlib.abc would import importlib.resources)
        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            if spec is not None and spec.loader is not None:
                run = spec.loader.exec_module

                def exec_module(module: Any) -> None:
                    run(module)
                    then(module)

                spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, After())


def child_launch_ktutor() -> None:
    """`ktutor` with no arguments, as a learner starts it: `tutor.cli.main`, its parser, the
    app's imports and whatever start-up policy they set, timed to the first frame that lists
    the lessons. Textual is hooked as it is imported (the hooks do not import it first): its
    app runs headless at the minimal app's size."""

    def listed(screen: Any) -> bool:
        from textual.widgets import OptionList

        lessons = screen.query("#lessons")
        return bool(lessons) and lessons.first(OptionList).option_count > 1

    def hook_screen(module: Any) -> None:
        refresh = module.Screen._compositor_refresh
        done = False

        def first_frame(self: Any) -> None:
            nonlocal done
            refresh(self)
            if not done and listed(self):
                done = True
                usage = resource.getrusage(resource.RUSAGE_SELF)
                cpu_ms = (usage.ru_utime + usage.ru_stime) * 1000
                report(first_frame=time.time(), cpu_ms=cpu_ms)
                self.app.exit()

        module.Screen._compositor_refresh = first_frame

    def hook_app(module: Any) -> None:
        run = module.App.run

        def headless_run(self: Any, **kwargs: Any) -> Any:
            return run(self, **{**kwargs, "headless": True, "size": (120, 40)})

        module.App.run = headless_run

    _after_import("textual.screen", hook_screen)
    _after_import("textual.app", hook_app)
    # the tutor refuses to start without a terminal, except for a web driver (textual-serve)
    os.environ["TEXTUAL_DRIVER"] = "textual.drivers.headless_driver:HeadlessDriver"
    from tutor.cli import main

    main([])


def child_launch_minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

    app = Minimal()
    _exit_at_first_frame(app)
    app.run(headless=True, size=(120, 40))


def _bench_app() -> Any:
    from tutor.app.app import TutorApp

    app = TutorApp(lessons=[bench_lesson()])
    app.cursor_blink = False
    return app


def child_open(warm: bool, lesson: str) -> None:
    """Enter on the list -> the first frame of the lesson screen with its routing view drawn
    (what the learner waits for), and -> the last frame of the opening (the screen settled:
    Markdown blocks sized, scrollbars placed). Frames are the screen's compositor updates
    written to the (headless) terminal."""
    from textual.screen import Screen

    from tutor.app.screens.lesson import LessonScreen
    from tutor.app.widgets.workbench import Workbench

    frames: list[float] = []
    cpu: list[float] = []
    shown: list[float] = []
    refresh, show = Screen._compositor_refresh, Workbench.render_snapshot

    def counting_refresh(self: Screen[Any]) -> None:
        refresh(self)
        if isinstance(self, LessonScreen) and shown:
            frames.append(time.perf_counter())
            cpu.append(time.process_time())

    def noting_show(self: Workbench, *args: Any) -> None:
        show(self, *args)
        shown.append(time.perf_counter())

    Screen._compositor_refresh = counting_refresh  # type: ignore[method-assign]
    Workbench.render_snapshot = noting_show  # type: ignore[method-assign,assignment]

    async def main() -> tuple[float, float, float]:
        from tutor.app.app import TutorApp

        app = _bench_app() if lesson == "bench" else TutorApp()
        app.cursor_blink = False
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            if warm:  # the learner reads the list for a moment: the warm-up has finished
                await app.workers.wait_for_complete()
                await pilot.pause(0.3)
            start, start_cpu = time.perf_counter(), time.process_time()
            app.simulate_key("enter")
            await asyncio.sleep(1.5)
            if not frames:
                raise SystemExit("the lesson screen never drew its routing view")
            return (
                (frames[0] - start) * 1000,
                (frames[-1] - start) * 1000,
                (cpu[0] - start_cpu) * 1000,
            )

    first, settled, first_cpu = asyncio.run(main())
    report(open_ms=first, settled_ms=settled, open_cpu_ms=first_cpu)


def child_open_cold() -> None:
    child_open(False, "lesson-1")


def child_open_warm() -> None:
    child_open(True, "lesson-1")


def child_open_bench() -> None:
    child_open(True, "bench")


async def _edits(app: Any, updated: asyncio.Event, count: int) -> dict[str, list[float]]:
    """`press`: a key through Pilot (its own overhead included, for both apps alike);
    `edit`: a TextArea edit to the view updated (the latency a learner feels); `*_cpu`: the
    process's CPU time over the same span (what a loaded machine does not inflate)."""
    from textual.widgets import TextArea

    out: dict[str, list[float]] = {"press": [], "edit": [], "press_cpu": [], "edit_cpu": []}
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(4):
            await pilot.pause()
            await app.workers.wait_for_complete()
        area = next(iter(app.screen.query(TextArea)))
        area.focus()
        area.cursor_location = (0, 6)
        await pilot.pause()
        for i in range(count):
            updated.clear()
            start, cpu = time.perf_counter(), time.process_time()
            await pilot.press("x" if i % 2 == 0 else "backspace")
            await updated.wait()
            out["press"].append((time.perf_counter() - start) * 1000)
            out["press_cpu"].append((time.process_time() - cpu) * 1000)
        await pilot.pause(0.2)
        for i in range(count):
            updated.clear()
            start, cpu = time.perf_counter(), time.process_time()
            if i % 2 == 0:
                area.insert("y")
            else:
                area.action_delete_left()
            await updated.wait()
            out["edit"].append((time.perf_counter() - start) * 1000)
            out["edit_cpu"].append((time.process_time() - cpu) * 1000)
            await pilot.pause()
    return {k: v[5:] for k, v in out.items()}


def child_edit_ktutor() -> None:
    from tutor.app.widgets.workbench import Workbench

    updated = asyncio.Event()
    original = Workbench.render_snapshot

    def show(self: Workbench, *args: Any) -> None:
        original(self, *args)
        if self.analysis is not None and self.analysis.text == self.text:
            updated.set()

    Workbench.render_snapshot = show  # type: ignore[method-assign,assignment]

    app = _bench_app()
    app.start_lesson = "bench"
    report(edit_ms=asyncio.run(_edits(app, updated, EDITS)))


def child_edit_minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static, TextArea

    updated = asyncio.Event()

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield TextArea("# note\n")
            yield Static("0", id="out")

        def on_text_area_changed(self, event: TextArea.Changed) -> None:
            self.query_one("#out", Static).update(str(len(event.text_area.text)))
            updated.set()

    report(edit_ms=asyncio.run(_edits(Minimal(), updated, EDITS)))


def child_memory() -> None:
    from tutor.app.widgets.traffic import TrafficView

    async def main() -> None:
        app = _bench_app()
        app.start_lesson = "bench"
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(4):
                await pilot.pause()
                await app.workers.wait_for_complete()
            await pilot.press(*"abc", "backspace", "backspace", "backspace")
            await pilot.press("ctrl+g")
            while app.screen.query_one(TrafficView).animating:
                await pilot.pause(0.05)
            await pilot.press("f5")
            for _ in range(4):
                await pilot.pause()
                await app.workers.wait_for_complete()

    asyncio.run(main())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report(peak_mb=peak / 1024)


CHILDREN = {
    "launch-ktutor": child_launch_ktutor,
    "launch-minimal": child_launch_minimal,
    "open-cold": child_open_cold,
    "open-warm": child_open_warm,
    "open-bench": child_open_bench,
    "edit-ktutor": child_edit_ktutor,
    "edit-minimal": child_edit_minimal,
    "memory": child_memory,
}


# -- the parent ---------------------------------------------------------------------------------


def run_child(mode: str, data_dir: str | None = None) -> tuple[float, dict[str, Any]]:
    """Run one measurement in a fresh process with its own data folder (unless `data_dir` is
    given); returns (ms from spawn to first frame or exit, child's JSON)."""
    import json
    import subprocess
    import tempfile

    env = dict(
        os.environ,
        KTUTOR_DATA_DIR=data_dir or tempfile.mkdtemp(prefix="ktutor-bench-"),
        PYTHONPATH=str(ROOT),
    )
    spawned = time.time()
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", mode],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    wall = (time.perf_counter() - start) * 1000
    if proc.returncode != 0:
        raise SystemExit(f"child {mode} failed:\n{proc.stderr}")
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    data = json.loads(lines[-1]) if lines else {}
    if "first_frame" in data:
        wall = (data["first_frame"] - spawned) * 1000
    return wall, data


def median(values: Any) -> Any:
    import statistics

    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


Row = tuple[str, str, str, str, str, bool]


def row(
    measure: str,
    ours: str,
    base: str = "",
    ratio: str = "",
    target: str = "(info)",
    ok: bool = True,
) -> Row:
    return (measure, ours, base, ratio, target, ok)


def launch_rows(home: str) -> list[Row]:
    ours, base, fresh = [], [], []
    ours_cpu, base_cpu = [], []
    for _ in range(RUNS):  # interleaved, so both see the same machine load
        wall, data = run_child("launch-ktutor", home)
        ours.append(wall)
        ours_cpu.append(data["cpu_ms"])
        wall, data = run_child("launch-minimal")
        base.append(wall)
        base_cpu.append(data["cpu_ms"])
        fresh.append(run_child("launch-ktutor")[0])
    o, b = median(ours), median(base)
    oc, bc = median(ours_cpu), median(base_cpu)
    f = median(fresh)
    return [
        row(
            "launch to first frame (median)",
            f"{o:.0f} ms",
            f"{b:.0f} ms",
            f"{o / b:.2f}x",
            "<= 1.3x",
            o / b <= 1.3,
        ),
        row(
            "launch to first frame, CPU (median)", f"{oc:.0f} ms", f"{bc:.0f} ms", f"{oc / bc:.2f}x"
        ),
        row("first start ever (reads the lessons)", f"{f:.0f} ms", f"{b:.0f} ms", f"{f / b:.2f}x"),
    ]


def open_rows(home: str) -> list[Row]:
    def opening(mode: str) -> tuple[float, float, float]:
        runs = [run_child(mode, home)[1] for _ in range(5)]
        return (
            median(r["open_ms"] for r in runs),
            median(r["settled_ms"] for r in runs),
            median(r["open_cpu_ms"] for r in runs),
        )

    first, settled, cpu = opening("open-warm")
    rows = [
        row("open lesson 1 -> first frame", f"{first:.0f} ms", target="< 200 ms", ok=first < 200),
        row("open lesson 1 -> first frame, CPU", f"{cpu:.0f} ms"),
        row("open lesson 1 -> settled", f"{settled:.0f} ms"),
    ]
    first, settled, cpu = opening("open-bench")
    rows.append(row(f"open a {PODS}-Pod lesson -> first frame", f"{first:.0f} ms"))
    first, settled, cpu = opening("open-cold")
    rows.append(row("open lesson 1 at once -> first frame", f"{first:.0f} ms"))
    return rows


def edit_rows() -> list[Row]:
    ours_e = run_child("edit-ktutor")[1]["edit_ms"]
    base_e = run_child("edit-minimal")[1]["edit_ms"]
    po, pb = median(ours_e["press"]), median(base_e["press"])
    eo, eb = ours_e["edit"], base_e["edit"]
    co, cb = ours_e["edit_cpu"], base_e["edit_cpu"]
    med = median
    return [
        row(
            f"keystroke -> routing, {PODS} Pods (median)",
            f"{po:.1f} ms",
            f"{pb:.1f} ms",
            f"{po / pb:.2f}x",
            "<= 1.25x",
            po / pb <= 1.25,
        ),
        row(f"edit -> routing, {PODS} Pods (median)", f"{med(eo):.1f} ms", f"{med(eb):.1f} ms"),
        row(
            f"edit -> routing, {PODS} Pods (p95)",
            f"{p95(eo):.1f} ms",
            f"{p95(eb):.1f} ms",
            target="< 30 ms",
            ok=p95(eo) < 30,
        ),
        row(
            f"edit -> routing, {PODS} Pods, CPU (median)", f"{med(co):.1f} ms", f"{med(cb):.1f} ms"
        ),
        row(f"edit -> routing, {PODS} Pods, CPU (p95)", f"{p95(co):.1f} ms", f"{p95(cb):.1f} ms"),
    ]


def memory_rows() -> list[Row]:
    peak = run_child("memory")[1]["peak_mb"]
    return [
        row(
            "peak memory (50 Pods, burst, behind)", f"{peak:.0f} MB", target="< 80 MB", ok=peak < 80
        )
    ]


PARTS = ("launch", "open", "edit", "memory")


def main(parts: list[str]) -> int:
    import compileall
    import tempfile

    # byte-compile ktutor first, as `pip install` does: an editable checkout (or one run with
    # PYTHONDONTWRITEBYTECODE set) would otherwise compile every module in every child
    compileall.compile_dir(ROOT / "tutor", quiet=1)
    home = tempfile.mkdtemp(prefix="ktutor-bench-")
    run_child("launch-ktutor", home)  # a learner's first start: it keeps the lessons read
    rows: list[Row] = []
    if "launch" in parts:
        rows += launch_rows(home)
    if "open" in parts:
        rows += open_rows(home)
    if "edit" in parts:
        rows += edit_rows()
    if "memory" in parts:
        rows += memory_rows()

    headers = ("measure", "ktutor", "minimal app", "ratio", "target", "ok")
    table = [headers] + [(a, b_, c, d, e, "yes" if ok else "NO") for a, b_, c, d, e, ok in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    for n, row in enumerate(table):
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    return 0 if all(r[-1] for r in rows) else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:  # without argparse: a launch child times its imports
        CHILDREN[sys.argv[2]]()
        sys.exit(0)
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=sorted(CHILDREN))
    parser.add_argument(
        "--only",
        action="append",
        choices=PARTS,
        help="measure only this part (repeatable; a loaded machine need not run them all)",
    )
    options = parser.parse_args()
    if options.child:
        CHILDREN[options.child]()
        sys.exit(0)
    sys.exit(main(options.only or list(PARTS)))
