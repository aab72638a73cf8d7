# SPDX-License-Identifier: Apache-2.0
"""python3 -m covmerge, and the ``covmerge`` console command that
``pip install`` puts on PATH: the covmerge command, run in this process.

The extension carries the command's own code (engine/cli), so options,
messages, output, progress display and exit status are those of the
covmerge binary, `covmerge report` included, with nothing to keep in step.
It writes through ``sys.stdout`` and ``sys.stderr``: straight to their file
descriptors when they have them, else through a pipe into the Python
objects, so that ``contextlib.redirect_stdout`` and pytest's capture see it.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import sys
import threading
from typing import IO, Iterator, List, Optional

from . import _covmerge


@contextlib.contextmanager
def _descriptor_of(stream: IO[str]) -> Iterator[int]:
    """A file descriptor that writes to `stream`: its own, or a pipe whose
    other end a thread copies into it."""
    stream.flush()  # what Python buffered goes first
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation, ValueError):
        fd = -1
    if fd >= 0:
        yield fd
        return
    read_end, write_end = os.pipe()
    binary = getattr(stream, "buffer", None)
    decoder = codecs.getincrementaldecoder(getattr(stream, "encoding", None) or "utf-8")(errors="replace")

    def copy() -> None:
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            while chunk := pipe.read(1 << 16):
                if binary is not None:
                    binary.write(chunk)
                else:
                    stream.write(decoder.decode(chunk))
            if binary is None:
                stream.write(decoder.decode(b"", final=True))

    copier = threading.Thread(target=copy, name="covmerge-output", daemon=True)
    copier.start()
    try:
        yield write_end
    finally:
        os.close(write_end)
        copier.join()
        stream.flush()


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the command with `argv` (default: sys.argv[1:]); returns its exit status."""
    args = sys.argv[1:] if argv is None else argv
    with _descriptor_of(sys.stdout) as out, _descriptor_of(sys.stderr) as err:
        return _covmerge.main([os.fsencode(arg) for arg in args], out, err)


def console_main() -> None:
    """The ``covmerge`` console script: exits with the command's status."""
    sys.exit(main())


if __name__ == "__main__":
    console_main()
