#!/usr/bin/python3
"""Reference merger for Go coverage profiles: small, slow, obviously correct.

Semantics (gocovmerge + golang.org/x/tools/cover, with the covmerge fixes):

* First non-blank line is ``mode: set|count|atomic``.  Later lines identical to
  it are ignored (profiles joined with cat).  CRLF and blank lines are accepted.
* Block lines ``PATH:L1.C1,L2.C2 NUMSTMT COUNT`` are parsed from the right, so
  PATH may contain ':' and ' '.  L1, C1, L2, C2, NUMSTMT are uint32; COUNT is a
  non-negative int64.  Numbers are ASCII decimal digits with an optional leading
  '+' (Go's strconv.Atoi takes it; covmerge refuses '-', even "-0").
* Blocks are keyed by (PATH, L1, C1, L2, C2).  set mode: counts are OR'ed;
  count/atomic: counts are added, saturating at 2**63-1.
* Inputs without block lines contribute nothing (not even their mode).  If no
  block remains, the output is empty (no mode line either).
* Output: ``mode: X`` then blocks ordered by PATH (bytes), then L1, C1, L2, C2.

CLI: reference_merge.py [-j N] [-o OUT] FILE...   (-j is accepted and ignored,
so this script can stand in for the covmerge binary in the tests.)
"""
import re
import sys

MODES = ("set", "count", "atomic")
UINT32_MAX = 2**32 - 1
INT64_MAX = 2**63 - 1
_NUMBER = re.compile(r"\+?[0-9]+")
_POSITION = re.compile(r"(\+?[0-9]+)\.(\+?[0-9]+),(\+?[0-9]+)\.(\+?[0-9]+)")


class ProfileError(ValueError):
    pass


def _number(text, limit, what, where):
    if not _NUMBER.fullmatch(text):
        raise ProfileError(f"{where}: bad {what} {text!r}")
    value = int(text)
    if value > limit:
        raise ProfileError(f"{where}: {what} {text} out of range")
    return value


def parse(name, text):
    """Return (mode or None, [(path, l1, c1, l2, c2, numstmt, count), ...])."""
    mode_line = None
    blocks = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        if line.strip(" \t") == "":
            continue
        where = f"{name}:{lineno}"
        if mode_line is None:
            if not line.startswith("mode: ") or line[len("mode: "):] not in MODES:
                raise ProfileError(f"{where}: bad mode line {line!r}")
            mode_line = line
            continue
        if line == mode_line:
            continue
        fields = line.rsplit(" ", 2)
        if len(fields) != 3:
            raise ProfileError(f"{where}: bad block line {line!r}")
        location, numstmt, count = fields
        path, colon, position = location.rpartition(":")
        match = _POSITION.fullmatch(position)
        if not colon or not path or not match:
            raise ProfileError(f"{where}: bad block line {line!r}")
        l1, c1, l2, c2 = (_number(g, UINT32_MAX, "position", where) for g in match.groups())
        blocks.append((path, l1, c1, l2, c2,
                       _number(numstmt, UINT32_MAX, "statement count", where),
                       _number(count, INT64_MAX, "count", where)))
    return (mode_line[len("mode: "):] if mode_line else None), blocks


def merge(inputs):
    """inputs: iterable of (name, text).  Returns the merged profile text."""
    mode = None
    merged = {}  # (path, l1, c1, l2, c2) -> [numstmt, count]
    for name, text in inputs:
        input_mode, blocks = parse(name, text)
        if not blocks:
            continue
        if mode is None:
            mode = input_mode
        elif input_mode != mode:
            raise ProfileError(f"{name}: mode {input_mode} differs from {mode}")
        for path, l1, c1, l2, c2, numstmt, count in blocks:
            key = (path, l1, c1, l2, c2)
            if key not in merged:
                merged[key] = [numstmt, count]
                continue
            entry = merged[key]
            if entry[0] != numstmt:
                raise ProfileError(f"{name}: {path}:{l1}.{c1},{l2}.{c2}: "
                                   f"statement count {numstmt} != {entry[0]}")
            if mode == "set":
                entry[1] |= count
            else:
                entry[1] = min(entry[1] + count, INT64_MAX)
    if not merged:
        return ""
    out = [f"mode: {mode}\n"]
    order = sorted(merged, key=lambda k: (k[0].encode("utf-8", "surrogateescape"), k[1:]))
    for path, l1, c1, l2, c2 in order:
        numstmt, count = merged[(path, l1, c1, l2, c2)]
        out.append("%s:%d.%d,%d.%d %d %d\n" % (path, l1, c1, l2, c2, numstmt, count))
    return "".join(out)


def main(argv):
    import argparse
    parser = argparse.ArgumentParser(description="Reference Go coverage profile merger.")
    parser.add_argument("-j", type=int, default=1, help="ignored")
    parser.add_argument("-o", metavar="OUT", help="write here instead of stdout")
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)
    inputs = []
    for name in args.files:
        with open(name, "rb") as f:
            inputs.append((name, f.read().decode("utf-8", "surrogateescape")))
    try:
        data = merge(inputs).encode("utf-8", "surrogateescape")
    except ProfileError as e:
        print(f"reference_merge: {e}", file=sys.stderr)
        return 1
    if args.o:
        with open(args.o, "wb") as f:
            f.write(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
