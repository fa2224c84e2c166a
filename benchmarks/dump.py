"""A real cluster's dump through the CLI: `/work/venv/bin/python benchmarks/dump.py`.

Writes benchmarks/clusterdump.py's dump of 10,000 Pods and 1,000 Services (with their
EndpointSlices and Nodes, as `kubectl get svc,pods,endpointslices,nodes -A -o json|yaml` prints
them) to a scratch folder, then prints in one run: each file's size, how long merely parsing it
takes (`json.load`, `yaml.load` with libyaml's CSafeLoader), and for `check`, `route`,
`route --compare`, `dns` and `rules` on it: the time, its ratio to the parse, and the peak
memory. ktutor's modules are compiled to bytecode first (as installed). Every figure is one
fresh child process (`python -m tutor ...` or `python -c` for the parse; start-up included on
both sides), measured with `os.wait4`: CPU time (user + system, what the ratio uses: the
machine is shared, wall time is shown too) and the child's own peak RSS. Targets (issue #11):
ratio <= 2.5, peak < 1.5 GB.

Options: `--pods N --services M` (default 10,000 and 1,000), `--formats json,yaml`,
`--keep DIR` (write the dumps there and keep them; an existing file is reused).
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = (["check"], ["route"], ["route", "--compare"], ["dns"], ["rules"])
PARSE = {
    "json": "import json, sys\nwith open(sys.argv[1], 'rb') as f: json.load(f)",
    "yaml": "import sys, yaml\nwith open(sys.argv[1], 'rb') as f: yaml.load(f, yaml.CSafeLoader)",
}
PARSER = {"json": "json.load", "yaml": "yaml CSafeLoader"}
RATIO, PEAK_MB = 2.5, 1536


def measure(argv: list[str]) -> tuple[float, float, int, int]:
    """(wall s, CPU s, peak RSS MB, exit code) of one child, its output discarded."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )  # cwd: `python -m tutor` imports from the current folder first
    assert child.stderr is not None
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, child.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--services", type=int, default=1_000)
    parser.add_argument("--formats", default="json,yaml")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR")
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    # ktutor's modules compiled once, as an installed ktutor has them: json.load's side starts
    # from the standard library's bytecode, and with PYTHONDONTWRITEBYTECODE set every ktutor
    # child compiled its 100 modules again (0.1-0.2 s of CPU each time)
    compileall.compile_dir(ROOT / "tutor", quiet=1)
    scratch = None
    if args.keep is None:
        scratch = tempfile.TemporaryDirectory(prefix="ktutor-dump-")
        folder = Path(scratch.name)
    else:
        folder = args.keep
        folder.mkdir(parents=True, exist_ok=True)
    ok = True
    rows: list[tuple[str, str, str, str, str, str, str]] = []
    for fmt in formats:
        path = folder / f"dump-{args.pods}-{args.services}.{fmt}"
        if not path.exists():
            # written by a child: a child's peak RSS starts from its parent's at fork (Linux
            # keeps the high-water mark across exec), and the dump's data is a gigabyte
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks/clusterdump.py"),
                    str(args.pods),
                    str(args.services),
                    str(path),
                ],
                check=True,
            )
        size = path.stat().st_size
        wall, base, peak, _ = measure([sys.executable, "-c", PARSE[fmt], str(path)])
        rows.append(
            (
                f"{fmt}: {size / 1e6:.0f} MB",
                PARSER[fmt],
                f"{wall:.1f}",
                f"{base:.1f}",
                "1.00",
                f"{peak}",
                "",
            )
        )
        for cmd in COMMANDS:
            wall, cpu, peak, code = measure([sys.executable, "-m", "tutor", *cmd, str(path)])
            ratio = cpu / base
            good = code in (0, 1) and ratio <= RATIO and peak < PEAK_MB
            ok = ok and good
            rows.append(
                (
                    "",
                    "ktutor " + " ".join(cmd),
                    f"{wall:.1f}",
                    f"{cpu:.1f}",
                    f"{ratio:.2f}",
                    f"{peak}",
                    "yes" if good else f"NO (exit {code})" if code not in (0, 1) else "NO",
                )
            )
    head = ("file", "what", "wall s", "CPU s", "ratio", "peak MB", f"<= {RATIO}, < {PEAK_MB} MB")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    load = os.getloadavg()[0]
    print(
        f"({args.pods:,} Pods, {args.services:,} Services; ratio = the command's CPU time over "
        f"the parse's; load average {load:.1f} on {os.cpu_count()} CPUs)"
    )
    if scratch is not None:
        scratch.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
