"""`ktutor export LESSON`: a step's manifests for a real cluster (kind, minikube), with Pods as
agnhost Deployments and the commands to try it in the header."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._safe import terminal_safe


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lesson", metavar="LESSON", help="a lesson id, or a lesson file")
    parser.add_argument(
        "--step",
        type=int,
        default=None,
        metavar="N",
        help="the step whose manifest to export (1-based; default 1)",
    )
    parser.add_argument(
        "--challenge",
        default=None,
        metavar="ID",
        help="export a challenge's starting manifest instead",
    )
    parser.add_argument(
        "--solution", action="store_true", help="with --challenge: export the reference solution"
    )
    parser.add_argument(
        "--nodes",
        action="store_true",
        help="keep each Pod on its lesson node (for traffic-policy and topology lessons; "
        "needs the cluster from --kind-config)",
    )
    parser.add_argument(
        "--kind-config",
        metavar="FILE",
        default=None,
        help="also write a kind cluster config: a worker per lesson node, with node and zone "
        "labels (`kind create cluster --config FILE`)",
    )
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        default=None,
        help="write to FILE instead of standard output",
    )
    parser.add_argument(
        "--lessons",
        action="append",
        default=[],
        metavar="DIR",
        help="also look in an instructor's lesson pack",
    )


@terminal_safe
def run(args: argparse.Namespace) -> int:
    from tutor.classroom.exporting import ExportError, export_text, pick_manifest
    from tutor.course.find import LessonNotFound, find_lesson

    if args.step is not None and args.challenge is not None:
        print("ktutor export: use --step or --challenge, not both", file=sys.stderr)
        return 2
    if args.solution and args.challenge is None:
        print("ktutor export: --solution needs --challenge ID", file=sys.stderr)
        return 2
    try:
        lesson = find_lesson(args.lesson, args.lessons)
        text, where = pick_manifest(lesson, args.step, args.challenge, args.solution)
        result = export_text(lesson, text, where, nodes=args.nodes)
    except LessonNotFound as exc:
        print(f"ktutor export: {exc}", file=sys.stderr)
        return 2
    except ExportError as exc:
        print(f"ktutor export: {exc}", file=sys.stderr)
        return exc.code
    if args.kind_config is not None:
        try:
            kind = result.kind.replace("THIS-FILE.yaml", args.kind_config)
            Path(args.kind_config).write_text(kind, encoding="utf-8")
        except OSError as exc:
            print(
                f"ktutor export: {args.kind_config}: cannot write ({exc.strerror or exc})",
                file=sys.stderr,
            )
            return 2
        print(
            f"wrote {args.kind_config}: kind create cluster --config {args.kind_config}",
            file=sys.stderr,
        )
    out = result.text
    if args.kind_config is not None:
        out = out.replace("kind.yaml", args.kind_config)
    if args.output is not None and args.output != "-":
        out = out.replace("THIS-FILE.yaml", args.output)
        try:
            Path(args.output).write_text(out, encoding="utf-8")
        except OSError as exc:
            print(
                f"ktutor export: {args.output}: cannot write ({exc.strerror or exc})",
                file=sys.stderr,
            )
            return 2
        print(
            f"wrote {args.output}: {len(result.services)} Service(s), "
            f"{len(result.groups)} Deployment(s)",
            file=sys.stderr,
        )
        return 0
    sys.stdout.write(out)
    return 0
