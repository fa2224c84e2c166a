"""`ktutor` with no command: the tutor app (until it lands, a clear one-line message)."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    print("ktutor: the interactive tutor is not built yet; try `ktutor check FILE` or "
          "`ktutor route FILE`", file=sys.stderr)
    return 2
