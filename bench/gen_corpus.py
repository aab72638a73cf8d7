#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generate synthetic Go coverage profiles (``go test -coverprofile`` format).

The benchmark corpus generator of bench/e2e, adapted from the project's
shared tools/gen_profiles.py: the same layout, counts and options, so the
`coverpkg` and `perpkg` corpora are byte for byte those of gen_profiles.py,
plus the `huge` style.

The profiles describe a fake monorepo of F source files with B basic blocks
per file, laid out as ``<prefix>/svcNNN/pkgNN/fileN.go``.  Three styles:

coverpkg  Every profile lists every block of every file, as
          ``go test -coverpkg=./... ./...`` produces: most counts are 0, the
          profile's "home" package and a few dependency packages get hits.
perpkg    Each profile covers only a subset of packages (its home package plus
          ``--pkgs-per-profile - 1`` random others), as plain per-package
          ``go test -coverprofile`` runs produce.
huge      ONE file, ``coverage.out``, as ``go test ./... -coverpkg=./...
          -coverprofile=coverage.out`` writes it: a single ``mode:`` line, then
          the whole repository's block list once per test binary (P
          repetitions). Repetition i has the counts of coverpkg profile i and
          its own shuffled file order (--order defaults to files here); the
          blocks of a file come in the same order every time (source order,
          or with --order blocks one fixed shuffled order, as Go's counter
          order). With --order files, the file is exactly the coverpkg
          profiles 0..P-1 concatenated with their mode lines dropped.

Output is deterministic for a given set of options and ``--seed``.  The block
layout depends only on (--seed, --files, --blocks, layout options), and profile
i depends only on (--seed, i, ...), so a run with P=200 starts with the same
100 profiles as a run with P=100.

Line format (one block per line, after a ``mode: <mode>`` header):
    path/file.go:startLine.startCol,endLine.endCol numStmt count

Standard library only.  Examples:
    gen_corpus.py --style coverpkg --files 2000 --blocks 50 --profiles 100 \
        --mode count --seed 1 --out corpus/cp-2000x50x100
    gen_corpus.py --style huge -F 2000 -B 50 -P 100 --out corpus/huge
"""

import argparse
import json
import os
import random
import sys


def build_layout(seed, n_files, n_blocks, files_per_pkg, pkgs_per_svc, prefix):
    """Return (packages, files).

    packages: list of lists of file indices.
    files: list of (path, [block-prefix strings]); a block prefix is
           "path:sl.sc,el.ec nstmt " and only the count is appended later.
    """
    rng = random.Random("%s:layout" % seed)
    packages = []
    paths = []
    fi = 0
    pkg_index = 0
    while fi < n_files:
        size = rng.randint(1, max(1, 2 * files_per_pkg - 1))
        size = min(size, n_files - fi)
        svc, pkg = divmod(pkg_index, pkgs_per_svc)
        members = []
        for k in range(size):
            paths.append("%s/svc%03d/pkg%02d/file%d.go" % (prefix, svc, pkg, k))
            members.append(fi)
            fi += 1
        packages.append(members)
        pkg_index += 1

    files = []
    for path in paths:
        line = rng.randint(3, 20)
        blocks = []
        for _ in range(n_blocks):
            start_col = rng.randint(2, 60)
            span = rng.choice((0, 0, 1, 1, 2, 3, 4, 6, 9, 15))
            end_line = line + span
            if span == 0:
                end_col = start_col + rng.randint(2, 40)
            else:
                end_col = rng.randint(2, 40)
            # A few empty blocks (e.g. "func f() {}") have zero statements.
            nstmt = 0 if rng.random() < 0.02 else rng.randint(1, 8)
            blocks.append("%s:%d.%d,%d.%d %d " % (path, line, start_col, end_line, end_col, nstmt))
            line = end_line + rng.randint(1, 4)
        files.append((path, blocks))
    return packages, files


def draw_count(rng, mode):
    if mode == "set":
        return 1
    r = rng.random()
    if r < 0.4:
        return 1
    if r < 0.97:
        return rng.randint(2, 200)
    return int(10 ** rng.uniform(2.3, 7))  # heavy tail, up to ~10^7


def file_lines(rng, blocks, hit_prob, mode):
    """Lines (with trailing newline) of one file, each block hit w.p. hit_prob."""
    out = []
    for b in blocks:
        c = draw_count(rng, mode) if rng.random() < hit_prob else 0
        out.append("%s%d\n" % (b, c))
    return out


def profile_chunks(args, i, packages, files, zero_chunks):
    """Yield text chunks of profile i, one per file, plus the dup section."""
    rng = random.Random("%s:profile:%d" % (args.seed, i))
    npk = len(packages)
    home = i % npk if args.home == "roundrobin" else rng.randrange(npk)
    deps = set()
    all_pkgs = args.style in ("coverpkg", "huge")
    n_deps = args.deps if all_pkgs else args.pkgs_per_profile - 1
    while len(deps) < min(n_deps, npk - 1):
        d = rng.randrange(npk)
        if d != home:
            deps.add(d)

    if all_pkgs:
        covered = range(npk)
    else:
        covered = sorted(deps | {home})

    # Per-file chunks in source order.
    chunks = []  # list of (file_index, list-of-lines or str)
    for p in covered:
        if p == home:
            hp = args.hit_rate
        elif p in deps:
            hp = args.dep_hit_rate
        else:
            hp = 0.0
        for f in packages[p]:
            if hp == 0.0:
                chunks.append((f, zero_chunks[f]))
            else:
                chunks.append((f, file_lines(rng, files[f][1], hp, args.mode)))

    if args.order in ("files", "blocks"):
        rng.shuffle(chunks)  # Go <=1.19 writes files in map-iteration order
    if args.order == "blocks" and args.style != "huge":
        # (huge: main() fixed one shuffled block order per file instead.)
        # Also shuffle blocks inside each file (Go writes them in counter order,
        # which is often not sorted by position); files stay contiguous.
        shuffled = []
        for f, ch in chunks:
            lines = ch.splitlines(True) if isinstance(ch, str) else list(ch)
            rng.shuffle(lines)
            shuffled.append((f, lines))
        chunks = shuffled

    dup = []
    if args.dup_rate > 0:
        for f, ch in chunks:
            lines = ch.splitlines(True) if isinstance(ch, str) else ch
            for ln in lines:
                if rng.random() < args.dup_rate:
                    pre = ln[: ln.rindex(" ") + 1]
                    c = draw_count(rng, args.mode) if rng.random() < args.hit_rate else 0
                    dup.append("%s%d\n" % (pre, c))

    if args.order == "lines":
        all_lines = []
        for _, ch in chunks:
            all_lines.extend(ch.splitlines(True) if isinstance(ch, str) else ch)
        all_lines.extend(dup)
        rng.shuffle(all_lines)
        yield "".join(all_lines)
        return

    for _, ch in chunks:
        yield ch if isinstance(ch, str) else "".join(ch)
    if dup:
        yield "".join(dup)


def write_profile(path, header, chunks):
    """Writes one profile file; returns (lines, bytes)."""
    lines = 1
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as fh:
        fh.write(header)
        for ch in chunks:
            fh.write(ch)
            lines += ch.count("\n")
    return lines, os.path.getsize(path)


def huge_chunks(args, packages, files, zero_chunks):
    """Every repetition's chunks in turn: one file of P test binaries."""
    for i in range(args.profiles):
        yield from profile_chunks(args, i, packages, files, zero_chunks)


def parse_args(argv=None):
    """The options; --order's default depends on --style."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--style", choices=("coverpkg", "perpkg", "huge"), required=True,
                    help="coverpkg: P profiles listing every block; perpkg: P profiles of a few "
                         "packages each; huge: one file, the whole block list repeated P times")
    ap.add_argument("--files", "-F", type=int, required=True, help="number of source files")
    ap.add_argument("--blocks", "-B", type=int, required=True, help="blocks per file")
    ap.add_argument("--profiles", "-P", type=int, required=True,
                    help="number of profiles (huge: repetitions, one per test binary)")
    ap.add_argument("--out", required=True, help="output directory (created)")
    ap.add_argument("--mode", choices=("set", "count", "atomic"), default="count")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--order", choices=("sorted", "files", "blocks", "lines"), default=None,
                    help="sorted: files and blocks in source order; files: file order "
                         "shuffled per profile (like Go <=1.19); blocks: as files, and blocks "
                         "shuffled within each file (huge: one fixed shuffled order per file); "
                         "lines: every line shuffled (huge: within each repetition). "
                         "Default: sorted, files for huge")
    ap.add_argument("--dup-rate", type=float, default=0.0,
                    help="fraction of blocks emitted a second time (fresh count) in the same profile")
    ap.add_argument("--pkgs-per-profile", type=int, default=1,
                    help="perpkg: packages covered by each profile")
    ap.add_argument("--deps", type=int, default=5,
                    help="coverpkg, huge: packages besides home that get hits")
    ap.add_argument("--hit-rate", type=float, default=0.6, help="hit probability, home package blocks")
    ap.add_argument("--dep-hit-rate", type=float, default=0.25, help="hit probability, dependency blocks")
    ap.add_argument("--home", choices=("roundrobin", "random"), default="roundrobin")
    ap.add_argument("--files-per-pkg", type=int, default=6, help="mean files per package")
    ap.add_argument("--pkgs-per-svc", type=int, default=40)
    ap.add_argument("--prefix", default="example.com/mono")
    args = ap.parse_args(argv)
    if args.files < 1 or args.blocks < 1 or args.profiles < 1:
        ap.error("--files, --blocks and --profiles must be >= 1")
    if args.order is None:
        args.order = "files" if args.style == "huge" else "sorted"
    return args


def main(argv=None):
    args = parse_args(argv)

    packages, files = build_layout(args.seed, args.files, args.blocks,
                                   args.files_per_pkg, args.pkgs_per_svc, args.prefix)
    if args.style == "huge" and args.order == "blocks":
        # Go writes a file's blocks in counter order, the same in every test
        # binary: one shuffle per file, kept for all repetitions.
        rng = random.Random("%s:counter-order" % args.seed)
        for _, blocks in files:
            rng.shuffle(blocks)
    zero_chunks = ["".join(b + "0\n" for b in blocks) for _, blocks in files]

    os.makedirs(args.out, exist_ok=True)
    header = "mode: %s\n" % args.mode
    outputs = []
    total_bytes = 0
    total_lines = 0
    if args.style == "huge":
        path = os.path.join(args.out, "coverage.out")
        lines, size = write_profile(path, header, huge_chunks(args, packages, files, zero_chunks))
        outputs.append(path)
        total_bytes += size
        total_lines += lines
    else:
        width = max(5, len(str(args.profiles - 1)))
        for i in range(args.profiles):
            path = os.path.join(args.out, "profile-%0*d.out" % (width, i))
            lines, size = write_profile(path, header,
                                        profile_chunks(args, i, packages, files, zero_chunks))
            outputs.append(path)
            total_bytes += size
            total_lines += lines

    manifest = {
        "generator": "gen_corpus.py",
        "args": {k: v for k, v in sorted(vars(args).items()) if k != "out"},
        "packages": len(packages),
        "source_files": len(files),
        "blocks_total": len(files) * args.blocks,
        "profiles": args.profiles,
        "output_files": len(outputs),
        "total_bytes": total_bytes,
        "total_lines": total_lines,
    }
    with open(os.path.join(args.out, "_manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print("%s: %d output files, %d profiles, %d packages, %d files, %d lines, %d bytes" % (
        args.out, len(outputs), args.profiles, len(packages), len(files), total_lines, total_bytes),
        file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
