# SPDX-License-Identifier: Apache-2.0
"""python3 -m covmerge: the covmerge command on top of the module.

The same options, messages, output and exit status as the covmerge binary
(engine/cli), so scripts can use either; it needs only the installed
package. One difference: no progress line on a terminal.
"""

from __future__ import annotations

import os
import re
import sys
from typing import List, Optional

from . import Merger, __version__, _covmerge

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def usage_text() -> str:
    cores = max(1, os.cpu_count() or 1)
    return (
        "Usage: covmerge [OPTION]... INPUT...\n"
        "Merge Go coverage profiles into one, byte for byte as gocovmerge does.\n"
        "\n"
        "INPUT is a profile file, '-' for standard input, or a directory searched\n"
        "recursively for files named *.out, *.cov, *.coverprofile or coverage.txt\n"
        "(names starting with '.' are skipped). Inputs compressed with zstd or gzip\n"
        "are read as such, whatever their name (*.zst, *.gz in directories).\n"
        "\n"
        "Options:\n"
        "  -o, --output FILE      write the merged profile to FILE instead of standard\n"
        "                         output; FILE is replaced only once the merge succeeded;\n"
        "                         a name ending in .zst or .gz is written compressed\n"
        f"  -j, --jobs N           use N worker threads (default: one per core, here {cores})\n"
        "      --files-from FILE  also read input paths from FILE, one per line\n"
        "                         ('-' reads them from standard input)\n"
        "      --summary          print the total statement coverage to standard error,\n"
        "                         as go test does: \"coverage: 54.8% of statements\"\n"
        "  -k, --keep-going       skip a damaged input, or one that conflicts with the\n"
        "                         others, with a warning, and merge the rest\n"
        "  -q, --quiet            no progress display and no warnings\n"
        "      --mmap             map input files instead of reading them in chunks\n"
        "                         (reading measured faster; see bench/RESULTS.md)\n"
        "  -h, --help             show this help and exit\n"
        "  -V, --version          show the version and exit\n"
        "\n"
        "Counts of the same block are added (set mode: or'ed) and saturate at\n"
        "9223372036854775807. With no inputs, or inputs without blocks, nothing is\n"
        "written, as gocovmerge does.\n"
        "\n"
        "Exit status: 0 on success, 1 when an input or the output failed (the message\n"
        "names the file and line), 2 for a usage error.\n"
    )


class UsageError(Exception):
    pass


class CommandLine:
    def __init__(self) -> None:
        self.inputs: List[str] = []
        self.files_from: List[str] = []
        self.output: Optional[str] = None
        self.threads = 0
        self.summary = False
        self.keep_going = False
        self.quiet = False
        self.use_mmap = False
        self.help = False
        self.version = False


_THREADS = re.compile(r"-?[0-9]+", re.ASCII)


def parse_command_line(argv: List[str]) -> CommandLine:
    """Parses arguments as engine/cli/command_line.cc does."""
    cl = CommandLine()
    options_done = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if options_done or arg == "-" or not arg or arg[0] != "-":
            cl.inputs.append(arg)
            continue
        if arg == "--":
            options_done = True
            continue
        # Split "--name=value" and "-jN" / "-oFILE".
        name, attached = arg, None
        if arg.startswith("--"):
            if "=" in arg:
                name, attached = arg.split("=", 1)
        elif len(arg) > 2:
            name, attached = arg[:2], arg[2:]

        def value() -> str:
            nonlocal i
            if attached is not None:
                return attached
            if i >= len(argv):
                raise UsageError(f"option {name} needs a value")
            i += 1
            return argv[i - 1]

        def flag() -> bool:
            if attached is not None:
                raise UsageError(f"option {name} takes no value")
            return True

        if name in ("-o", "--output"):
            cl.output = value()
        elif name in ("-j", "--jobs"):
            v = value()
            threads = int(v) if _THREADS.fullmatch(v) else 0
            if not 1 <= threads <= 1024:
                raise UsageError(f'option {name} expects a number of threads from 1 to 1024, got "{v}"')
            cl.threads = threads
        elif name == "--files-from":
            cl.files_from.append(value())
        elif name == "--summary":
            cl.summary = flag()
        elif name in ("-k", "--keep-going"):
            cl.keep_going = flag()
        elif name == "--mmap":
            cl.use_mmap = flag()
        elif name in ("-q", "--quiet"):
            cl.quiet = flag()
        elif name in ("-h", "--help"):
            cl.help = flag()
        elif name in ("-V", "--version"):
            cl.version = flag()
        else:
            raise UsageError(f"unknown option {name}")
    return cl


def _print_line(kind: str, message: str) -> None:
    # Paths are bytes on POSIX: give back exactly the ones we were given.
    sys.stderr.flush()
    sys.stderr.buffer.write(os.fsencode(f"covmerge: {kind}{message}\n"))
    sys.stderr.buffer.flush()


def _message(error: BaseException) -> str:
    return getattr(error, "_covmerge_message", None) or str(error)


class _Stdout:
    """Standard output as the command writes it: straight to descriptor 1."""

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        while view:
            try:
                n = os.write(1, view)
            except InterruptedError:
                continue
            except BrokenPipeError:
                raise
            except OSError as e:
                error = OSError(e.errno, e.strerror)
                error._covmerge_message = f"cannot write <stdout>: {e.strerror}"  # type: ignore[attr-defined]
                raise error from None
            view = view[n:]
        return len(data)


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return a.st_dev == b.st_dev and a.st_ino == b.st_ino


def run(argv: List[str]) -> int:
    try:
        cl = parse_command_line(argv)
    except UsageError as e:
        _print_line("", f"{e}\nTry 'covmerge --help' for more information.")
        return EXIT_USAGE
    if cl.help:
        sys.stdout.write(usage_text())
        sys.stdout.flush()
        return EXIT_OK
    if cl.version:
        sys.stdout.write(f"covmerge {__version__}\n")
        sys.stdout.flush()
        return EXIT_OK

    def fail(error: BaseException) -> int:
        _print_line("error: ", _message(error))
        return EXIT_FAILURE

    names = list(cl.inputs)
    for listing in cl.files_from:
        try:
            names.extend(os.fsdecode(p) for p in _covmerge.read_path_list(os.fsencode(listing)))
        except _covmerge.Failure as failure:
            return fail(Exception(failure.args[1]))

    merger = Merger(threads=cl.threads, on_conflict="skip" if cl.keep_going else "error", mmap=cl.use_mmap)
    try:
        for name in names:
            if name == "-":
                merger._add_stdin()
            elif os.path.isdir(name):
                if merger.add(name) == 0 and not cl.quiet:
                    _print_line("warning: ", "no profiles (*.out, *.cov, *.coverprofile, coverage.txt) "
                                f"in directory {name}")
            else:
                merger.add(name)  # a missing file is reported by the merge, with its name
    except (OSError, ValueError, MemoryError, RuntimeError) as e:
        return fail(e)

    if cl.output is not None:
        # The output must not be one of the inputs: the rename would replace
        # a profile the user may still need.
        try:
            out = os.stat(cl.output)
        except OSError:
            out = None
        if out is not None:
            for name in names:
                try:
                    if name != "-" and _same_file(os.stat(name), out):
                        _print_line("error: ", f"output file {cl.output} is also the input {name}; "
                                    "write the merged profile to another file")
                        return EXIT_FAILURE
                except OSError:
                    pass

    try:
        result = merger.finish()
    except (OSError, ValueError, MemoryError, RuntimeError) as e:
        return fail(e)
    if not cl.quiet:
        for skipped in result.skipped:
            _print_line("warning: skipped input: ", skipped.reason)
        for warning in result.warnings:
            _print_line("warning: ", warning)

    try:
        merger.write(cl.output if cl.output is not None else _Stdout())
    except BrokenPipeError:
        return EXIT_OK  # the reader went away (`| head`): end quietly
    except (OSError, ValueError, MemoryError, RuntimeError) as e:
        return fail(e)

    if cl.summary:
        line = str(result.summary)
        if result.skipped:
            line += f" ({result.inputs_merged} inputs merged, {len(result.skipped)} skipped)"
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    return EXIT_OK


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
