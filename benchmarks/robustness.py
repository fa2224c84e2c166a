"""The slowest answer to every bad input: `/work/venv/bin/python benchmarks/robustness.py`.

Every input of tests/robustness/badfiles.py (not YAML, binary, UTF-16, 50 MB, alias bomb,
10,000-deep nesting, 100,000 documents, hostile lessons, a 3,000-file pack, a FIFO, ...) goes
through every CLI entry point (`check`, `route`, `route --json`, `rules`, `dns`, `lint`,
`print`) and through `analyze` + the lesson loader, each in a fresh child process; the table
shows, per input, the slowest of those answers, its peak resident memory (the child's own
VmHWM) and its exit code. Process start-up (~0.15 s) is included: it is what a learner waits.

Options: `--only NAME` (repeatable) to run some inputs; `--budget S` (default 2.0) marks answers
slower than S seconds.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _catalogue() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "robustness_badfiles", ROOT / "tests" / "robustness" / "badfiles.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["robustness_badfiles"] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    parser.add_argument("--budget", type=float, default=2.0, metavar="S")
    args = parser.parse_args(argv)
    bf = _catalogue()
    chosen = [b for b in bf.CATALOGUE if not args.only or b.name in args.only]
    print(
        f"{'input':<22} {'answers':>7} {'slowest':<14} {'time s':>7} {'peak MB':>8} "
        f"{'max MB':>7}  exit"
    )
    worst_time = (0.0, "")
    worst_rss = (0, "")
    over = 0
    with tempfile.TemporaryDirectory() as tmp:
        for bad in chosen:
            folder = Path(tmp) / bad.name
            folder.mkdir()
            path = bad.build(folder)
            runs = [
                *bf.commands_for(bad, path),
                ("analyze+loader", [str(bf.PROBE), bad.kind, str(path)]),
            ]
            answers = [(label, bf.run_child(cmd, timeout=30.0)) for label, cmd in runs]
            label, slow = max(answers, key=lambda a: a[1].seconds)
            peak = max(a.max_rss_kb for _, a in answers)
            crashed = [lb for lb, a in answers if "Traceback" in a.stdout + a.stderr]
            flag = " SLOW" if slow.seconds > args.budget else ""
            flag += f" TRACEBACK in {', '.join(crashed)}" if crashed else ""
            over += bool(flag)
            print(
                f"{bad.name:<22} {len(answers):>7} {label:<14} {slow.seconds:>7.2f} "
                f"{slow.max_rss_kb / 1024:>8.1f} {peak / 1024:>7.1f}  {slow.code}{flag}",
                flush=True,
            )
            if slow.seconds > worst_time[0]:
                worst_time = (slow.seconds, f"{bad.name} / {label}")
            if peak > worst_rss[0]:
                worst_rss = (peak, bad.name)
    print(
        f"\n{len(chosen)} bad inputs x {len(runs)} entry points; slowest answer "
        f"{worst_time[0]:.2f} s ({worst_time[1]}); highest peak memory "
        f"{worst_rss[0] / 1024:.1f} MB ({worst_rss[1]}); {over} over budget or crashed"
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
