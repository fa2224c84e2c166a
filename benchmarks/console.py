"""Console benchmark: `python benchmarks/console.py` prints one table.

- keystroke: Enter on `kubectl get pods -A` in the console pane to the output written to its log
  (`output`) and to the next frame painted (`painted`), headless, with 500 Pods (a Deployment of
  500 replicas and a Service); Pilot's own key overhead included. Target: p95 < 50 ms.
- lesson: the same in the lesson screen's workbench (the editor, the routing view of the 500
  Pods, the console open under it), where a repaint has more to lay out.
- engine: `Console.run` alone for the same line (no screen), for comparison.
- cpu: the process's CPU time from Enter to the painted frame (`time.process_time`): on a loaded
  machine the wall-clock figures include waiting for a core, this does not.

Runs in a child process so imports and caches start cold; the first runs are dropped as warm-up.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PODS = 500
RUNS = 40
LINE = "kubectl get pods -A"


def manifest(pods: int = PODS) -> str:
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
        f"  replicas: {pods}\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n"
        "    metadata: {labels: {app: web}}\n    spec:\n"
        "      containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
        "  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n"
    )


def child() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from tutor.app.widgets.console import ConsoleInput, ConsolePane
    from tutor.app.widgets.workbench import Workbench
    from tutor.lab.console import Console
    from tutor.lab.session import LabSession

    session = LabSession(manifest())
    session.analyze_now()
    analysis = session.shown
    assert analysis is not None and len(analysis.cluster.pods) == PODS

    engine: list[float] = []
    console = Console()
    for _ in range(RUNS):
        start = time.perf_counter()
        console.run(LINE, analysis)
        engine.append((time.perf_counter() - start) * 1000)

    class PaneOnly(App[None]):
        def compose(self) -> ComposeResult:
            yield ConsolePane(session, id="console")

    class Lesson(App[None]):
        """The lesson screen's workbench (editor, routing view of 500 Pods, console)."""

        CSS_PATH = str(ROOT / "tutor" / "app" / "app.tcss")

        def compose(self) -> ComposeResult:
            yield Workbench(Static("A step's text."), manifest())

    async def run(app: App[None], prefix: str) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {f"{prefix}{k}": [] for k in ("output", "painted", "cpu")}
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            if isinstance(app, Lesson):
                app.query_one(Workbench).action_toggle_console()
                await pilot.pause()
                await pilot.pause()
            pane = app.query_one(ConsolePane)
            field = app.query_one(ConsoleInput)
            done = asyncio.Event()
            run_line = pane.run_line

            def timed(line: str) -> Any:
                result = run_line(line)
                done.set()
                return result

            pane.run_line = timed  # type: ignore[method-assign]
            field.focus()
            await pilot.pause()
            for _ in range(RUNS):
                field.value = LINE  # typed before Enter: its repaint is not Enter's
                await pilot.pause()
                done.clear()
                start = time.perf_counter()
                cpu = time.process_time()
                await pilot.press("enter")
                await done.wait()
                out[f"{prefix}output"].append((time.perf_counter() - start) * 1000)
                await pilot.pause()
                out[f"{prefix}painted"].append((time.perf_counter() - start) * 1000)
                out[f"{prefix}cpu"].append((time.process_time() - cpu) * 1000)
        return out

    result = asyncio.run(run(PaneOnly(), ""))
    result.update(asyncio.run(run(Lesson(), "lesson ")))
    result["engine"] = engine
    print(json.dumps({k: v[5:] for k, v in result.items()}))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    if sys.argv[1:] == ["--child"]:
        child()
        return 0
    proc = subprocess.run(
        [sys.executable, __file__, "--child"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"console, {PODS} Pods, `{LINE}` ({len(data['output'])} runs)")
    print(f"{'measure':<15} {'median ms':>10} {'p95 ms':>8}")
    for key in data:
        values = data[key]
        print(f"{key:<15} {statistics.median(values):>10.1f} {p95(values):>8.1f}")
    ok = p95(data["painted"]) < 50
    print(f"target: painted p95 < 50 ms: {'met' if ok else 'NOT met'}")
    for key in ("cpu", "lesson cpu"):
        print(f"  {key} p95 < 50 ms (without the wait for a core): {p95(data[key]) < 50}")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
