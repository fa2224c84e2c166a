"""A prepared python that forks one child per bad-input run (tests/robustness/badfiles.Zygote).

Each `ktutor` child of the bad-input tests spent about 0.2 CPU s starting python and importing
the tutor before reading its file: 290 children, most of that table's time. This process
imports what every such child imports first (badfiles.PRELOAD), then forks a child per request. The
child is a process of its own as before (its own exit code, output files and peak memory,
VmHWM read at its end as badfiles' wrapper reads it); the caller adds the measured cost of a
cold start to its time, so the budgets still include process start.

Protocol, one JSON line each way: {"ready"} once the imports are done; then each request
{"args", "out", "err", "rss"} (and "stdin", a file to read as standard input) gets {"pid"} at once (the caller may kill it), then {"status", "cpu"}
(os.wait4's status, and the child's user + system seconds) when the child has ended.
"""

from __future__ import annotations

import contextlib
import json
import os
import runpy
import sys
import traceback


def _hwm(rss_path: str) -> None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    with open(rss_path, "w") as out:
                        out.write(line.split()[1])
    except OSError:
        pass


def _child(args: list[str], out: str, err: str, rss: str, stdin: str = os.devnull) -> int:
    """What `python -c badfiles._WRAP ARGS` does after its imports; returns the exit code as
    the interpreter would (SystemExit's code, 1 and a traceback for an uncaught exception)."""
    null = os.open(stdin, os.O_RDONLY)
    os.dup2(null, 0)
    for fd, name in ((1, out), (2, err)):
        handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(handle, fd)
        os.close(handle)
    os.close(null)
    code = 0
    try:
        target = args[0] if args and args[0].endswith(".py") else "tutor"
        if target == "tutor":
            sys.argv = ["ktutor", *args]
            runpy.run_module("tutor", run_name="__main__", alter_sys=True)
        else:
            sys.argv = list(args)
            runpy.run_path(target, run_name="__main__")
    except SystemExit as stop:
        if stop.code is None:
            code = 0
        elif isinstance(stop.code, int):
            code = stop.code
        else:
            print(stop.code, file=sys.stderr)
            code = 1
    except BaseException:  # what the interpreter prints for an uncaught exception
        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    _hwm(rss)
    return code


def main() -> None:
    for name in sys.argv[1:]:  # badfiles.PRELOAD
        __import__(name)
    reply = sys.stdout
    reply.write(json.dumps({"ready": True}) + "\n")  # the first child's time is its own too
    reply.flush()
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _child(
                    request["args"],
                    request["out"],
                    request["err"],
                    request["rss"],
                    request.get("stdin", os.devnull),
                )
            finally:
                os._exit(code & 0xFF)
        reply.write(json.dumps({"pid": pid}) + "\n")
        reply.flush()
        _pid, status, usage = os.wait4(pid, 0)
        cpu = usage.ru_utime + usage.ru_stime
        reply.write(json.dumps({"status": status, "cpu": cpu}) + "\n")
        reply.flush()


if __name__ == "__main__":
    main()
