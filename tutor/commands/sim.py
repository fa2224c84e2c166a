"""`ktutor sim FILE -- COMMAND...`: run one console command (kubectl, nslookup, dig, curl,
env) against the manifest and print what the lab's console would print, for handouts,
scripts and tests. The exit code is the command's own (kubectl's 1, curl's 7, ...)."""

from __future__ import annotations

import argparse
import shlex
import sys

from ._input import add_network_argument, network_of, open_analysis, terminal_safe


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a manifest file; - for stdin")
    parser.add_argument(
        "command",
        nargs="*",
        metavar="COMMAND",
        help="the command line, after `--` (e.g. -- kubectl get endpointslices)",
    )
    add_network_argument(parser)


@terminal_safe
def run(args: argparse.Namespace) -> int:
    from tutor.lab.console import AppendManifest, Console, OpenEditor

    words: list[str] = list(args.command)
    if not words:
        print(
            "ktutor sim: give the command after --, e.g. ktutor sim web.yaml -- kubectl get svc",
            file=sys.stderr,
        )
        return 2
    opened = open_analysis(args.file, network=network_of(args))
    if opened is None:
        return 2
    _, analysis = opened
    line = words[0] if len(words) == 1 else shlex.join(words)
    out = Console().run(line, analysis)
    sys.stdout.write(out.text)
    for effect in out.effects:
        if isinstance(effect, OpenEditor):
            print(
                f"ktutor: in the lab this opens the YAML editor at {effect.kind} "
                f"{effect.namespace}/{effect.name}",
                file=sys.stderr,
            )
        elif isinstance(effect, AppendManifest):
            print(
                f"ktutor: in the lab this adds {effect.kind} {effect.name} to the manifest:",
                file=sys.stderr,
            )
            sys.stderr.write(effect.text)
    return out.code
