# SPDX-License-Identifier: Apache-2.0
"""python3 -m covmerge: the covmerge command, run in this process.

The extension carries the command's own code (engine/cli), so options,
messages, output, progress display and exit status are those of the
covmerge binary, `covmerge report` included, with nothing to keep in step.
"""

from __future__ import annotations

import os
import sys
from typing import List, Optional

from . import _covmerge


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the command with `argv` (default: sys.argv[1:]); returns its exit status."""
    args = sys.argv[1:] if argv is None else argv
    # The command writes to file descriptors 1 and 2 directly: what Python
    # buffered must go first.
    sys.stdout.flush()
    sys.stderr.flush()
    return _covmerge.main([os.fsencode(arg) for arg in args])


if __name__ == "__main__":
    sys.exit(main())
