# SPDX-License-Identifier: Apache-2.0
"""python3 -m covmerge.distributed: the covmerge command's merge, on a Dask cluster.

    python3 -m covmerge.distributed --scheduler tcp://HOST:8786 -o merged.out --summary /shared/profiles/
    python3 -m covmerge.distributed --workers 4 -o merged.out profiles/      # a LocalCluster here

Messages, the summary line and exit statuses are the covmerge command's:
0 merged, 1 an input or the output failed (or inputs conflict), 2 usage.
With --report, --json, --fail-under or --baseline it is `covmerge report`:
the per-package table on standard output, the JSON summary, and exit 3
when the gate fails; the report runs here, on the merged profile.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from typing import List, Optional

import covmerge

from . import DEFAULT_BATCH_BYTES, DEFAULT_BATCH_SIZE, DEFAULT_SPLIT_EVERY, merge

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"covmerge: {message}\nTry 'python3 -m covmerge.distributed --help' for more.\n")
        raise SystemExit(EXIT_USAGE)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, found {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, found {value}")
    return value


def _size(text: str) -> int:
    """Bytes, with an optional K, M or G (powers of 1024)."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    number, unit = (text[:-1], units[text[-1].upper()]) if text and text[-1].upper() in units else (text, 1)
    try:
        value = int(number) * unit
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a size such as 256M, found {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a size of at least 1 byte, found {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python3 -m covmerge.distributed",
        description="Merge Go coverage profiles on a Dask cluster, byte for byte as the covmerge command does.",
        epilog="Inputs are paths as the workers see them (files, directories, GOCOVERDIRs) or fsspec URLs "
               "(s3://, gs://, file://, ...); directories are expanded on the workers.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="a profile, directory, GOCOVERDIR or fsspec URL")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a running Dask scheduler, e.g. tcp://HOST:8786 (default: a LocalCluster of this machine)")
    p.add_argument("--workers", type=_positive, metavar="N",
                   help="worker processes of the LocalCluster (default: one per core)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write the merged profile to FILE, a path the worker that finishes the merge can write "
                        "(.zst/.gz: compressed)")
    p.add_argument("--summary", action="store_true", help='print "coverage: N% of statements"')
    p.add_argument("--keep-going", action="store_true",
                   help="leave out damaged or conflicting inputs, with a warning naming each")
    p.add_argument("--mode", choices=("set", "count", "atomic"), help="fail unless the merged mode is this")
    p.add_argument("--batch-size", type=_positive, default=DEFAULT_BATCH_SIZE, metavar="N",
                   help=f"inputs a leaf task merges, at most (default {DEFAULT_BATCH_SIZE})")
    p.add_argument("--batch-bytes", type=_size, default=DEFAULT_BATCH_BYTES, metavar="SIZE",
                   help=f"input bytes a leaf task merges, about (default {DEFAULT_BATCH_BYTES >> 20}M)")
    p.add_argument("--split-every", type=_positive, default=DEFAULT_SPLIT_EVERY, metavar="N",
                   help=f"partials a combining task merges (default {DEFAULT_SPLIT_EVERY}, at least 2)")
    p.add_argument("-j", "--jobs", type=_positive, default=1, metavar="N", help="native threads per task (default 1)")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="give up after this long (exit 1)")
    p.add_argument("-q", "--quiet", action="store_true", help="print no warnings")
    r = p.add_argument_group("report (as covmerge report; needs -o with --scheduler: the report reads the merged "
                             "profile here)")
    r.add_argument("--report", action="store_true", help="print the coverage of each package, as covmerge report")
    r.add_argument("--by-file", action="store_true", help="also list every file")
    r.add_argument("--json", metavar="FILE", help="write the summary as JSON (docs/json-summary.md)")
    r.add_argument("--fail-under", metavar="PCT", help="fail (exit 3) when the total is below PCT percent")
    r.add_argument("--baseline", metavar="FILE", help="compare with an earlier --json summary")
    r.add_argument("--max-drop", metavar="PCT", help="with --baseline: the drop allowed, in percentage points")
    return p


def _wants_report(args: argparse.Namespace) -> bool:
    return bool(args.report or args.by_file or args.json or args.fail_under or args.baseline or args.max_drop)


def _capture_stdout(run):
    """(run(), what it wrote to file descriptor 1, as the command does)."""
    with tempfile.TemporaryFile() as captured:
        saved = os.dup(1)
        os.dup2(captured.fileno(), 1)
        try:
            status = run()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        captured.seek(0)
        return status, captured.read()


def _report(args: argparse.Namespace, result: covmerge.MergeResult, profile: str) -> int:
    """`covmerge report` on the merged profile; its JSON summary counts the
    original inputs, not the one merged profile it read."""
    from covmerge import _covmerge

    command = ["report"]
    if args.by_file:
        command.append("--by-file")
    for option in ("fail_under", "baseline", "max_drop"):
        if getattr(args, option) is not None:
            command += ["--" + option.replace("_", "-"), getattr(args, option)]
    staged = None
    if args.json:
        directory = os.path.dirname(os.path.abspath(args.json))
        staged = tempfile.NamedTemporaryFile(dir=directory, prefix=".covmerge-json-", delete=False).name
        command += ["--json", staged]
    command.append(profile)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        status, table = _capture_stdout(lambda: _covmerge.main([os.fsencode(arg) for arg in command]))
        if result.skipped:  # the note covmerge report prints under its table
            note = f"{len(result.skipped)} of {len(result.skipped) + result.inputs_merged} inputs skipped " \
                   "(--keep-going)\n"
            lines = table.splitlines(keepends=True)
            at = next((i + 1 for i, line in enumerate(lines) if line.startswith(b"TOTAL ")), len(lines))
            table = b"".join(lines[:at] + [note.encode()] + lines[at:])
        sys.stdout.buffer.write(table)
        sys.stdout.flush()
        if staged is not None and os.path.getsize(staged) > 0:
            with open(staged, "r+", encoding="utf-8") as f:
                text = re.sub(r'"inputs": \{"merged": \d+, "skipped": \d+\}',
                              f'"inputs": {{"merged": {result.inputs_merged}, "skipped": {len(result.skipped)}}}',
                              f.read(), count=1)
                f.seek(0)
                f.write(text)
                f.truncate()
            os.replace(staged, args.json)
            staged = None
    finally:
        if staged is not None and os.path.exists(staged):
            os.unlink(staged)
    return status


def _run(args: argparse.Namespace) -> covmerge.MergeResult:
    # Dask's own log lines (here and in the workers this starts) would mix
    # with the command's messages; its errors still show.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    from distributed import Client, LocalCluster

    options = dict(batch_size=args.batch_size, batch_bytes=args.batch_bytes, split_every=args.split_every, mode=args.mode, threads=args.jobs,
                   on_conflict="skip" if args.keep_going else "error", timeout=args.timeout)
    if args.scheduler:
        with Client(args.scheduler, timeout=args.timeout or 30) as client:
            return merge(args.inputs, args.output, client=client, **options)
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        return merge(args.inputs, args.output, client=client, **options)


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    if args.split_every < 2:
        _parser().error("argument --split-every: expected a number of at least 2")
    report = _wants_report(args)
    if report and args.scheduler and not args.output:
        _parser().error("the report reads the merged profile here: with --scheduler, give -o a path on storage "
                        "this machine shares with the workers")
    scratch = None
    if report and not args.output:  # a LocalCluster: its workers write where this process reads
        scratch = tempfile.TemporaryDirectory(prefix="covmerge-")
        args.output = os.path.join(scratch.name, "merged.out")
    try:
        return _main(args, report)
    finally:
        if scratch is not None:
            scratch.cleanup()


def _main(args: argparse.Namespace, report: bool) -> int:
    try:
        result = _run(args)
    except (ValueError, OSError, MemoryError, TimeoutError, RuntimeError) as e:
        sys.stderr.write(f"covmerge: error: {getattr(e, '_covmerge_message', None) or e}\n")
        return EXIT_FAILED
    if not args.quiet:
        for skipped in result.skipped:
            sys.stderr.write(f"covmerge: warning: skipped input: {skipped.reason}\n")
        for warning in result.warnings:
            sys.stderr.write(f"covmerge: warning: {warning}\n")
    if args.summary:  # on standard error, as the command prints it
        line = str(result.summary)
        if result.skipped:
            line += f" ({result.inputs_merged} inputs merged, {len(result.skipped)} skipped)"
        sys.stderr.write(line + "\n")
    if report:
        return _report(args, result, args.output)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
