"""`python -m tutor`: the same as the `ktutor` command (textual-serve starts it this way)."""

import sys

from tutor.cli import main

sys.exit(main())
