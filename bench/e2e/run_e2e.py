#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end benchmark: covmerge against `cat` and gocovmerge.

For each corpus shape (generated into corpus/ by bench/gen_corpus.py when
missing) this warms the page cache, then runs, alternating the commands over
--repeat rounds so that drift hits them all alike:

  cat FILES > /dev/null           the physical reference: reading the bytes
  covmerge -jN --files-from LIST  for N = 1 .. nproc (thread scaling)
  gocovmerge FILES                when --gocovmerge or $GOCOVMERGE names one

and keeps each command's median wall time and its peak RSS (from
`/usr/bin/time -f '%e %M'`). It checks that every output is byte-identical
(covmerge at each -j, and gocovmerge, which may differ only where it wraps a
count to negative), prints markdown tables, writes the raw numbers to
bench/results/e2e.json (e2e-small.json with --small) with the tables beside
them (.md), and draws bench/throughput.svg.

Standard library only. Usage (from the repository root, after a build):
    bench/e2e/run_e2e.py [--small] [--gocovmerge PATH] [--repeat N] [--shapes a,b]
    ./build.sh bench --small --gocovmerge /path/to/gocovmerge
Exit status: 0 all outputs agree; 1 an output differs or a command failed;
2 a usage error.
"""

import argparse
import contextlib
import ctypes
import datetime
import hashlib
import json
import mmap
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

import gostd_corpus

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(REPO, "bench")
GEN = os.path.join(BENCH, "gen_corpus.py")
TIME = "/usr/bin/time"
MAX_COUNT = 9223372036854775807
# Bytes per block line of the generator, to size a corpus before making it.
BYTES_PER_LINE = 56.2


class Shape:
    """A corpus: its generator options, and its directory under corpus/."""

    def __init__(self, name, style, files, blocks, profiles, extra, about, seed=1):
        self.seed = seed
        self.name = name
        self.style = style
        self.files = files
        self.blocks = blocks
        self.profiles = profiles
        self.extra = extra
        self.about = about

    def scaled(self):
        # --small: half the files and a fifth of the profiles, ~10x fewer bytes.
        return Shape(self.name, self.style, self.files // 2, self.blocks, self.profiles // 5,
                     self.extra, self.about, self.seed)

    def gen_args(self):
        return ["--style", self.style, "-F", str(self.files), "-B", str(self.blocks),
                "-P", str(self.profiles), "--seed", str(self.seed)] + self.extra

    def estimated_bytes(self):
        if self.style == "distinct":
            return self.profiles * 42
        if self.style == "gostd":
            return self.profiles * 1_100_000
        if self.style == "perpkg":
            k = int(self.extra[self.extra.index("--pkgs-per-profile") + 1])
            lines = self.profiles * k * 6 * self.blocks  # 6 files per package on average
        else:
            lines = self.files * self.blocks * self.profiles
        return int(lines * BYTES_PER_LINE)

    def describe(self):
        if self.style == "distinct":  # -P is its number of lines, in one profile
            return "distinct, %d lines in one profile" % self.profiles
        if self.style == "gostd":
            return "gostd, the blocks of %d packages of Go's standard library, %d profiles" % (
                len(gostd_corpus.PACKAGES), self.profiles)
        unit = "repetitions in one file" if self.style == "huge" else "profiles"
        return "%s, %d files x %d blocks, %d %s" % (self.style, self.files, self.blocks,
                                                   self.profiles, unit)


SHAPES = [
    Shape("monorepo", "coverpkg", 5000, 50, 200, ["--order", "files"],
          "go test -coverpkg=./... of a monorepo: every profile lists every block"),
    Shape("monorepo-20", "coverpkg", 5000, 50, 20, ["--order", "files"],
          "the same repository with a tenth of the profiles (memory flatness)"),
    Shape("perpkg", "perpkg", 10000, 50, 3300,
          ["--pkgs-per-profile", "10", "--home", "random", "--order", "files"],
          "many small per-package profiles"),
    Shape("huge", "huge", 2000, 50, 100, ["--order", "files"],
          "the one coverage.out of go test ./... -coverpkg=./...: the block list once per test binary"),
    # The shapes of issue 13, with the generator's arguments from it.
    Shape("cp1", "coverpkg", 2000, 50, 100, ["--order", "files"],
          "coverpkg, every profile in one block order"),
    Shape("cp1b", "coverpkg", 2000, 50, 100, ["--order", "blocks"],
          "cp1 with the blocks in another order in every profile"),
    Shape("pp1", "perpkg", 10000, 50, 3300,
          ["--pkgs-per-profile", "10", "--home", "random", "--order", "files"],
          "3,300 per-package profiles, 500k distinct blocks"),
    Shape("pp2", "perpkg", 50000, 50, 8000,
          ["--pkgs-per-profile", "20", "--home", "random", "--order", "files"],
          "8,000 per-package profiles, 2.5M distinct blocks", seed=2),
    Shape("cp4s", "coverpkg", 100000, 50, 10, ["--order", "files"],
          "100,000 files x 50 blocks, 10 profiles (5M blocks)", seed=5),
    Shape("distinct", "distinct", 0, 0, 4000000, [],
          "one profile of 4M different blocks, a new file on every line"),
    # Real code's layout (long files, long lines), needs Go: bench/e2e/gostd_corpus.py.
    Shape("gostd", "gostd", 0, 0, 200, [],
          "real Go code's blocks, as go test -coverprofile writes them, in every profile"),
]
ISSUE13_SHAPES = "cp1,cp1b,pp1,pp2,cp4s,distinct"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- corpora --

def corpus_files(directory):
    return sorted(os.path.join(directory, n) for n in os.listdir(directory) if n.endswith(".out"))


def ensure_distinct(shape, directory):
    """One profile of shape.profiles blocks, each new, of 50 packages x 500 files."""
    path = os.path.join(directory, "distinct.out")
    if os.path.exists(path) and os.path.getsize(path) > 0:
        return [path]
    os.makedirs(directory, exist_ok=True)
    log("generating %s: %d lines" % (shape.name, shape.profiles))
    with open(path + ".tmp", "w") as fh:
        fh.write("mode: count\n")
        for i in range(shape.profiles):
            fh.write("ex.com/p%d/f%d.go:%d.1,%d.9 2 %d\n" % (i % 50, i % 500, i, i + 1, i % 7))
    os.rename(path + ".tmp", path)
    return [path]


def ensure_corpus(shape, directory):
    """Generates `directory` unless its manifest matches; returns its files or None."""
    if shape.style == "distinct":
        return ensure_distinct(shape, directory)
    if shape.style == "gostd":
        if shutil.which("go") is None:
            log("WARNING: skipping %s: it needs Go (apt-get install golang-go)" % shape.name)
            return None
        try:
            return gostd_corpus.ensure(directory, shape.profiles, shape.seed, log)
        except subprocess.CalledProcessError as e:
            log("WARNING: skipping %s: `%s` failed (exit %d)" % (shape.name, " ".join(e.cmd), e.returncode))
            return None
    manifest_path = os.path.join(directory, "_manifest.json")
    want = [sys.executable, GEN] + shape.gen_args() + ["--out", directory]
    if os.path.exists(manifest_path):
        with open(manifest_path) as fh:
            manifest = json.load(fh)
        expected = vars(parse_gen_args(shape.gen_args()))
        have = manifest.get("args", {})
        if all(have.get(k) == v for k, v in expected.items() if k != "out"):
            files = corpus_files(directory)
            if len(files) == manifest.get("output_files") and \
                    sum(os.path.getsize(f) for f in files) == manifest.get("total_bytes"):
                return files
        log("%s: the corpus there was made with other options; making it again" % directory)

    need = shape.estimated_bytes()
    os.makedirs(os.path.dirname(directory), exist_ok=True)
    free = shutil.disk_usage(os.path.dirname(directory)).free
    if free < 2 * need:
        log("WARNING: skipping %s: it needs about %.1f GB and only %.1f GB are free on %s "
            "(the benchmark wants twice its size free)" % (shape.name, need / 1e9, free / 1e9,
                                                            os.path.dirname(directory)))
        return None
    if os.path.isdir(directory):
        for f in corpus_files(directory) + [manifest_path]:
            if os.path.exists(f):
                os.remove(f)
    log("generating %s (about %.2f GB): %s" % (shape.name, need / 1e9, " ".join(want[1:])))
    t0 = time.perf_counter()
    subprocess.run(want, check=True)
    log("  generated in %.1f s" % (time.perf_counter() - t0))
    return corpus_files(directory)


def parse_gen_args(argv):
    """The generator's options as its manifest records them."""
    if BENCH not in sys.path:
        sys.path.insert(0, BENCH)
    import gen_corpus  # bench/gen_corpus.py
    return gen_corpus.parse_args(argv + ["--out", "unused"])


# ---------------------------------------------------------------- running --

def argv_fits(argv):
    """Whether argv plus the environment stays under ARG_MAX."""
    size = sum(len(os.fsencode(a)) + 1 + 8 for a in argv)
    size += sum(len(k) + len(v) + 2 + 8 for k, v in os.environ.items())
    return size < os.sysconf("SC_ARG_MAX") - 16384


class Command:
    def __init__(self, tool, threads, argv, stdin_path=None, output=None):
        self.tool = tool            # "cat", "covmerge" or "gocovmerge"
        self.threads = threads      # None for cat and gocovmerge
        self.argv = argv
        self.stdin_path = stdin_path
        self.output = output        # where stdout goes; None: /dev/null
        self.walls = []
        self.time_e = []
        self.rss_kb = []
        self.digests = set()
        self.error = None

    def label(self):
        return self.tool if self.threads is None else "%s -j%d" % (self.tool, self.threads)

    def run(self, time_file):
        out_path = self.output or os.devnull
        stdin = open(self.stdin_path, "rb") if self.stdin_path else subprocess.DEVNULL
        try:
            with open(out_path, "wb") as out:
                t0 = time.perf_counter()
                proc = subprocess.run([TIME, "-f", "%e %M", "-o", time_file] + self.argv,
                                      stdin=stdin, stdout=out, stderr=subprocess.PIPE)
                wall = time.perf_counter() - t0
        finally:
            if self.stdin_path:
                stdin.close()
        if proc.returncode != 0:
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            self.error = "exit %d: %s" % (proc.returncode, " | ".join(tail))
            return False
        with open(time_file) as fh:
            e, m = fh.read().split("\n")[-2].split()
        self.walls.append(wall)
        self.time_e.append(float(e))
        self.rss_kb.append(int(m))
        if self.output:
            self.digests.add(file_digest(self.output))
        return True

    def best(self):
        # The median of the rounds: robust to one slow round on a shared machine.
        return sorted(self.walls)[len(self.walls) // 2] if self.walls else None

    def to_json(self, size):
        best = self.best()
        return {
            "tool": self.tool, "threads": self.threads,
            "command": " ".join(self.argv if len(self.argv) < 8 else self.argv[:6] + ["..."]),
            "best_wall_s": round(best, 4) if best else None,
            "walls_s": [round(w, 4) for w in self.walls],
            "time_elapsed_s": self.time_e,
            "peak_rss_kb": max(self.rss_kb) if self.rss_kb else None,
            "input_mb_per_s": round(size / 1e6 / best, 1) if best else None,
            "error": self.error,
        }


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def compare_with_gocovmerge(ours, theirs):
    """'identical', 'wrapped N' (differs only where gocovmerge wrapped a
    count to negative and covmerge saturated), or a mismatch sentence."""
    if file_digest(ours) == file_digest(theirs):
        return "identical"
    with open(ours, "rb") as fa, open(theirs, "rb") as fb:
        a = fa.read().split(b"\n")
        b = fb.read().split(b"\n")
    if len(a) != len(b):
        return "MISMATCH: covmerge wrote %d lines, gocovmerge %d" % (len(a), len(b))
    wrapped = 0
    for n, (x, y) in enumerate(zip(a, b), start=1):
        if x == y:
            continue
        xp, _, xc = x.rpartition(b" ")
        yp, _, yc = y.rpartition(b" ")
        if xp == yp and yc.startswith(b"-") and xc == str(MAX_COUNT).encode():
            wrapped += 1
            continue
        return "MISMATCH at line %d: covmerge %r, gocovmerge %r" % (n, x[:120], y[:120])
    return "wrapped %d" % wrapped


@contextlib.contextmanager
def pinned(files):
    """Holds `files` in the page cache while the rounds run: mapped and
    locked (mlockall), so that a reclaimer (this VM's DAMON `kdamond`)
    cannot evict them between rounds and a round pays disk reads.
    Yields None, or why the files could not be pinned."""
    maps = []
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        for f in files:
            if os.path.getsize(f) > 0:
                with open(f, "rb") as fh:
                    maps.append(mmap.mmap(fh.fileno(), 0, prot=mmap.PROT_READ))
        mcl_current = 1
        if libc.mlockall(mcl_current) != 0:
            yield "page cache not pinned (mlockall: %s); rounds may include disk reads" % (
                os.strerror(ctypes.get_errno()))
        else:
            yield None
    finally:
        libc.munlockall()
        for m in maps:
            m.close()


def bench_shape(shape, files, args, work):
    size = sum(os.path.getsize(f) for f in files)
    list_path = os.path.join(work, shape.name + ".files")
    with open(list_path, "w") as fh:
        fh.write("".join(f + "\n" for f in files))
    list0_path = os.path.join(work, shape.name + ".files0")
    with open(list0_path, "w") as fh:
        fh.write("".join(f + "\0" for f in files))

    commands = []
    if argv_fits(["cat"] + files):
        commands.append(Command("cat", None, ["cat"] + files))
    else:  # cat may be split: it merges nothing
        commands.append(Command("cat", None, ["xargs", "-0", "cat"], stdin_path=list0_path))
    for n in args.thread_list:
        commands.append(Command("covmerge", n, [args.covmerge, "-q", "-j%d" % n, "--files-from",
                                                list_path],
                                output=os.path.join(work, "%s.covmerge-j%d.out" % (shape.name, n))))
    notes = []
    if args.gocovmerge:
        if argv_fits([args.gocovmerge] + files):
            commands.append(Command("gocovmerge", None, [args.gocovmerge] + files,
                                    output=os.path.join(work, shape.name + ".gocovmerge.out")))
        else:
            notes.append("gocovmerge skipped: %d paths exceed ARG_MAX, and splitting the list "
                         "(xargs) would split the merge" % len(files))

    log("== %s: %d files, %.1f MB; %s the page cache" % (
        shape.name, len(files), size / 1e6, "pinning" if args.pin else "warming"))
    with (pinned(files) if args.pin else contextlib.nullcontext("page cache warmed, not pinned")) as why:
        if why:
            notes.append(why)
        warm = Command("cat", None, commands[0].argv, stdin_path=commands[0].stdin_path)
        warm.run(os.path.join(work, "time"))
        for r in range(args.repeat):
            for c in commands:
                if c.error:
                    continue
                if c.run(os.path.join(work, "time")):
                    log("  round %d  %-16s %8.3f s  %7.1f MB RSS" % (r + 1, c.label(), c.walls[-1],
                                                                     c.rss_kb[-1] / 1e3))
                else:
                    log("  round %d  %-16s FAILED %s" % (r + 1, c.label(), c.error))

    # Every covmerge output, at every -j and every round, must be one and the same.
    ok = True
    ours = [c for c in commands if c.tool == "covmerge" and not c.error]
    digests = set().union(*(c.digests for c in ours)) if ours else set()
    if len(digests) > 1:
        ok = False
        notes.append("MISMATCH: covmerge outputs differ between thread counts or rounds")
    identical = "covmerge at -j%s: %s" % (
        ",".join(str(c.threads) for c in ours),
        "identical" if len(digests) == 1 else "DIFFERENT" if digests else "no output")
    gocov = next((c for c in commands if c.tool == "gocovmerge"), None)
    versus = None
    if gocov and not gocov.error and ours:
        versus = compare_with_gocovmerge(ours[0].output, gocov.output)
        if versus.startswith("MISMATCH"):
            ok = False
        elif versus.startswith("wrapped"):
            versus = ("differs only in %s counts gocovmerge wrapped to negative "
                      "(covmerge saturates)" % versus.split()[1])
    if gocov and gocov.error:
        notes.append("gocovmerge failed: " + gocov.error)
    if any(c.error for c in commands if c.tool != "gocovmerge"):
        ok = False
        notes.extend("%s failed: %s" % (c.label(), c.error) for c in commands
                     if c.error and c.tool != "gocovmerge")

    cat = commands[0]
    return ok, {
        "style": shape.style,
        "about": shape.about,
        "generator_args": shape.gen_args(),
        "description": shape.describe(),
        "input_files": len(files),
        "bytes": size,
        "cat": cat.to_json(size),
        "runs": [c.to_json(size) for c in commands[1:]],
        "covmerge_outputs": identical,
        "versus_gocovmerge": versus,
        "notes": notes,
    }


# ----------------------------------------------------------------- report --

def fmt(x, spec):
    return "-" if x is None else format(x, spec)


def markdown(results):
    out = []
    meta = results["meta"]
    out.append("# covmerge end-to-end benchmark%s\n" % (" (--small)" if meta["small"] else ""))
    out.append("`%s` on %s, %d CPUs, %s, %s; covmerge built %s in a tree at %s; %s; "
               "median of %d alternating rounds; inputs %s.\n" % (
        meta["command"], meta["cpu"], meta["nproc"], meta["kernel"], meta["date"],
        meta.get("covmerge_built", "?"), meta["covmerge_rev"],
        "gocovmerge " + meta["gocovmerge"] if meta["gocovmerge"] else "no gocovmerge",
        meta["repeat"],
        "held in the page cache (mlock)" if meta.get("pinned") else "in a warmed page cache"))
    summary = ["| shape | input MB | cat GB/s | covmerge -j1 MB/s | covmerge -j%d MB/s | "
               "gocovmerge MB/s | -j%d vs gocovmerge | scaling 1->%d |" % ((meta["nproc"],) * 3),
               "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, s in results["shapes"].items():
        size = s["bytes"]
        cat = s["cat"]
        out.append("## %s\n" % name)
        out.append("%s (%s). %d input files, %s bytes (%.1f MB). `cat`: %s s, %s GB/s.\n" % (
            s["description"], s["about"], s["input_files"], format(size, ","), size / 1e6,
            fmt(cat["best_wall_s"], ".3f"),
            fmt(size / 1e9 / cat["best_wall_s"] if cat["best_wall_s"] else None, ".2f")))
        out.append("| tool | threads | wall s | input MB/s | peak RSS MB | speed-up vs gocovmerge "
                   "| scaling vs -j1 |")
        out.append("|---|---:|---:|---:|---:|---:|---:|")
        runs = s["runs"]
        gocov = next((r for r in runs if r["tool"] == "gocovmerge" and r["best_wall_s"]), None)
        j1 = next((r for r in runs if r["tool"] == "covmerge" and r["threads"] == 1
                   and r["best_wall_s"]), None)
        for r in runs:
            w = r["best_wall_s"]
            vs = gocov["best_wall_s"] / w if gocov and w else None
            sc = j1["best_wall_s"] / w if j1 and w and r["tool"] == "covmerge" else None
            out.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                r["tool"], r["threads"] if r["threads"] else "all (Go default)", fmt(w, ".3f"),
                fmt(r["input_mb_per_s"], ".0f"),
                fmt(r["peak_rss_kb"] / 1e3 if r["peak_rss_kb"] else None, ".1f"),
                fmt(vs, ".2f") + ("x" if vs else ""), fmt(sc, ".2f") + ("x" if sc else "")))
        out.append("")
        out.append("Outputs: %s; vs gocovmerge: %s." % (s["covmerge_outputs"],
                                                        s["versus_gocovmerge"] or "not run"))
        for note in s["notes"]:
            out.append("\n**Note:** %s" % note)
        out.append("")
        jn = next((r for r in runs if r["tool"] == "covmerge" and r["threads"] == meta["nproc"]
                   and r["best_wall_s"]), None)
        summary.append("| %s | %.1f | %s | %s | %s | %s | %s | %s |" % (
            name, size / 1e6,
            fmt(size / 1e9 / cat["best_wall_s"] if cat["best_wall_s"] else None, ".2f"),
            fmt(j1["input_mb_per_s"] if j1 else None, ".0f"),
            fmt(jn["input_mb_per_s"] if jn else None, ".0f"),
            fmt(gocov["input_mb_per_s"] if gocov else None, ".0f"),
            fmt(gocov["best_wall_s"] / jn["best_wall_s"] if gocov and jn else None, ".2f"),
            fmt(j1["best_wall_s"] / jn["best_wall_s"] if j1 and jn else None, ".2f")))
    out.append("## Summary\n")
    out.extend(summary)
    out.append("")
    flat = results.get("memory_flatness")
    if flat:
        out.append("Memory flatness, peak RSS of monorepo (%d profiles) / monorepo-20 (%d "
                   "profiles), the same repository:\n" % (flat["profiles"], flat["profiles_20"]))
        out.append("| tool | RSS monorepo MB | RSS monorepo-20 MB | ratio |")
        out.append("|---|---:|---:|---:|")
        for row in flat["rows"]:
            out.append("| %s | %.1f | %.1f | %.2f |" % (row["label"], row["rss_kb"] / 1e3,
                                                      row["rss_20_kb"] / 1e3, row["ratio"]))
        out.append("")
    return "\n".join(out)


def memory_flatness(results, shapes):
    big = results["shapes"].get("monorepo")
    small = results["shapes"].get("monorepo-20")
    if not big or not small:
        return None
    rows = []
    for r in big["runs"]:
        s = next((x for x in small["runs"] if x["tool"] == r["tool"] and
                  x["threads"] == r["threads"]), None)
        if s and r["peak_rss_kb"] and s["peak_rss_kb"]:
            label = r["tool"] + (" -j%d" % r["threads"] if r["threads"] else "")
            rows.append({"label": label, "rss_kb": r["peak_rss_kb"], "rss_20_kb": s["peak_rss_kb"],
                         "ratio": round(r["peak_rss_kb"] / s["peak_rss_kb"], 3)})
    return {"profiles": shapes["monorepo"].profiles, "profiles_20": shapes["monorepo-20"].profiles,
            "rows": rows}


# -------------------------------------------------------------------- svg --

COLORS = {"monorepo": "#1f77b4", "monorepo-20": "#17becf", "perpkg": "#2ca02c",
          "huge": "#d62728"}
TOOL_STYLE = {"covmerge": "", "gocovmerge": "7,4", "cat": "2,3"}


def esc(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Panel:
    """A plot area with a log10 y axis (MB/s) and a linear or log10 x axis."""

    def __init__(self, x0, y0, w, h, xlim, ylim, xlog):
        self.x0, self.y0, self.w, self.h = x0, y0, w, h
        self.xlog = xlog
        self.xlim = [self._x(v) for v in xlim]
        self.ylim = [log10(ylim[0]), log10(ylim[1])]

    def _x(self, v):
        return log10(v) if self.xlog else v

    def px(self, v):
        a, b = self.xlim
        return self.x0 + (self._x(v) - a) / (b - a) * self.w

    def py(self, v):
        a, b = self.ylim
        return self.y0 + self.h - (log10(v) - a) / (b - a) * self.h


def log10(v):
    import math
    return math.log10(max(v, 1e-9))


def nice_ticks(lo, hi):
    """1-2-5 ticks covering [lo, hi]."""
    ticks = []
    decade = 10 ** int(log10(lo) // 1)
    while decade <= hi * 10:
        for m in (1, 2, 5):
            v = m * decade
            if lo <= v <= hi:
                ticks.append(v)
        decade *= 10
    return ticks


def tick_label(v):
    return "%g" % v


def axes(svg, p, title, xlabel, xticks, xfmt, ylo, yhi):
    svg.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#fff" stroke="#333"/>' % (
        p.x0, p.y0, p.w, p.h))
    svg.append('<text x="%.1f" y="%.1f" font-size="15" font-weight="bold" text-anchor="middle">%s'
               '</text>' % (p.x0 + p.w / 2, p.y0 - 12, esc(title)))
    for v in nice_ticks(ylo, yhi):
        y = p.py(v)
        svg.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>' % (
            p.x0, y, p.x0 + p.w, y))
        svg.append('<text x="%.1f" y="%.1f" font-size="11" text-anchor="end">%s</text>' % (
            p.x0 - 5, y + 4, esc(tick_label(v))))
    for v in xticks:
        x = p.px(v)
        svg.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#eee"/>' % (
            x, p.y0, x, p.y0 + p.h))
        svg.append('<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle">%s</text>' % (
            x, p.y0 + p.h + 15, esc(xfmt(v))))
    svg.append('<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle">%s</text>' % (
        p.x0 + p.w / 2, p.y0 + p.h + 34, esc(xlabel)))
    svg.append('<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle" '
               'transform="rotate(-90 %.1f %.1f)">input MB/s (log scale)</text>' % (
                   p.x0 - 52, p.y0 + p.h / 2, p.x0 - 52, p.y0 + p.h / 2))


def polyline(svg, pts, color, dash, width=2.0, marker="circle", hollow=False):
    if len(pts) > 1:
        svg.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="%.1f"%s/>' % (
            " ".join("%.1f,%.1f" % p for p in pts), color, width,
            ' stroke-dasharray="%s"' % dash if dash else ""))
    for x, y in pts:
        fill = "#fff" if hollow else color
        if marker == "circle":
            svg.append('<circle cx="%.1f" cy="%.1f" r="4" fill="%s" stroke="%s" stroke-width="1.5"/>'
                       % (x, y, fill, color))
        elif marker == "square":
            svg.append('<rect x="%.1f" y="%.1f" width="8" height="8" fill="%s" stroke="%s" '
                       'stroke-width="1.5"/>' % (x - 4, y - 4, fill, color))
        elif marker == "triangle":
            svg.append('<polygon points="%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="%s" stroke="%s" '
                       'stroke-width="1.5"/>' % (x, y - 5, x - 5, y + 4, x + 5, y + 4, fill, color))
        elif marker == "diamond":
            svg.append('<polygon points="%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="%s" '
                       'stroke="%s" stroke-width="1.5"/>' % (x, y - 5, x + 5, y, x, y + 5, x - 5, y,
                                                             fill, color))


def mbps(run):
    return run["input_mb_per_s"] if run and run.get("input_mb_per_s") else None


def draw_svg(current, others, path):
    """Panel 1: MB/s against threads for each shape of `current`. Panel 2:
    MB/s against corpus size from the monorepo shapes of every result set."""
    meta = current["meta"]
    nproc = max([r["threads"] for s in current["shapes"].values() for r in s["runs"]
                 if r["threads"]] or [1])
    values = []
    for res in [current] + others:
        for s in res["shapes"].values():
            for r in s["runs"] + [s["cat"]]:
                if mbps(r):
                    values.append(mbps(r))
    if not values:
        return False
    ylo = 10 ** (log10(min(values) / 1.5) // 1)
    yhi = 10 ** -(-log10(max(values) * 1.5) // 1)

    W, H = 1160, 560
    svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="DejaVu Sans, Arial, sans-serif">' % (W, H, W, H),
           '<rect width="100%" height="100%" fill="#fafafa"/>',
           '<text x="%d" y="24" font-size="17" font-weight="bold" text-anchor="middle">covmerge '
           'end-to-end throughput%s (%s, %d CPUs, median of %d)</text>' % (
               W / 2, " --small" if meta["small"] else "", esc(meta["cpu"]), meta["nproc"],
               meta["repeat"])]

    # Panel 1: throughput against threads.
    xlim = (0.7, nproc + 0.3) if nproc > 1 else (0.5, 1.5)
    p1 = Panel(90, 70, 430, 360, xlim, (ylo, yhi), False)
    axes(svg, p1, "Throughput against threads%s" % (" (--small)" if meta["small"] else ""),
         "covmerge -j threads", list(range(1, nproc + 1)), lambda v: "%d" % v, ylo, yhi)
    for name, s in current["shapes"].items():
        color = COLORS.get(name, "#555")
        pts = [(p1.px(r["threads"]), p1.py(mbps(r))) for r in s["runs"]
               if r["tool"] == "covmerge" and mbps(r)]
        polyline(svg, pts, color, "", 2.5)
        for r in s["runs"] + [s["cat"]]:
            if r["tool"] in ("gocovmerge", "cat") and mbps(r):
                y = p1.py(mbps(r))
                svg.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" '
                           'stroke-width="1.8" stroke-dasharray="%s"/>' % (
                               p1.x0, y, p1.x0 + p1.w, y, color, TOOL_STYLE[r["tool"]]))
    # Panel 1 legend: colours are shapes, dashes are tools.
    lx, ly = p1.x0, p1.y0 + p1.h + 52
    for i, name in enumerate(current["shapes"]):
        x = lx + i * 105
        svg.append('<rect x="%.1f" y="%.1f" width="14" height="10" fill="%s"/>' % (
            x, ly - 9, COLORS.get(name, "#555")))
        svg.append('<text x="%.1f" y="%.1f" font-size="12">%s</text>' % (x + 18, ly, esc(name)))
    for i, (tool, label) in enumerate((("covmerge", "covmerge"), ("gocovmerge", "gocovmerge"),
                                       ("cat", "cat (reading only)"))):
        x = lx + i * 140
        svg.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333" stroke-width="2"'
                   '%s/>' % (x, ly + 17, x + 28, ly + 17,
                             ' stroke-dasharray="%s"' % TOOL_STYLE[tool] if TOOL_STYLE[tool]
                             else ""))
        svg.append('<text x="%.1f" y="%.1f" font-size="12">%s</text>' % (x + 33, ly + 21,
                                                                          esc(label)))

    # Panel 2: throughput against corpus size, monorepo shapes of every run.
    series = {"covmerge -j1": [], "covmerge -j%d" % nproc: [], "gocovmerge": [], "cat": []}
    for res in [current] + others:
        small = res["meta"]["small"]
        for name in ("monorepo-20", "monorepo"):
            s = res["shapes"].get(name)
            if not s:
                continue
            mb = s["bytes"] / 1e6
            for r in s["runs"] + [s["cat"]]:
                key = r["tool"] if r["threads"] is None else "%s -j%d" % (r["tool"], r["threads"])
                if key in series and mbps(r):
                    series[key].append((mb, mbps(r), small))
    sizes = [pt[0] for pts in series.values() for pt in pts]
    if sizes:
        xlo = 10 ** (log10(min(sizes) / 1.6) // 1)
        xhi = 10 ** -(-log10(max(sizes) * 1.6) // 1)
        p2 = Panel(690, 70, 430, 360, (xlo, xhi), (ylo, yhi), True)
        axes(svg, p2, "Throughput against corpus size (monorepo)", "corpus size, MB (log scale)",
             nice_ticks(xlo, xhi), lambda v: "%g" % v, ylo, yhi)
        look = {"covmerge -j1": ("#1f77b4", "", "circle"),
                "covmerge -j%d" % nproc: ("#ff7f0e", "", "square"),
                "gocovmerge": ("#7f7f7f", TOOL_STYLE["gocovmerge"], "triangle"),
                "cat": ("#2ca02c", TOOL_STYLE["cat"], "diamond")}
        for key, pts in series.items():
            color, dash, marker = look[key]
            pts.sort()
            line = [(p2.px(mb), p2.py(v)) for mb, v, _ in pts]
            polyline(svg, line, color, dash, 2.0, marker="none")
            for mb, v, small in pts:
                polyline(svg, [(p2.px(mb), p2.py(v))], color, "", marker=marker, hollow=small)
        lx, ly = p2.x0, p2.y0 + p2.h + 52
        for i, key in enumerate(series):
            color, dash, marker = look[key]
            x = lx + (i % 2) * 215
            y = ly + (i // 2) * 20
            svg.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"'
                       '%s/>' % (x, y - 4, x + 28, y - 4, color,
                                 ' stroke-dasharray="%s"' % dash if dash else ""))
            polyline(svg, [(x + 14, y - 4)], color, "", marker=marker)
            svg.append('<text x="%.1f" y="%.1f" font-size="12">%s</text>' % (x + 34, y, esc(key)))
        svg.append('<text x="%.1f" y="%.1f" font-size="11" fill="#555">filled: full run; '
                   'hollow: --small run (half the files)</text>' % (lx, ly + 40))
    svg.append("</svg>")
    with open(path, "w") as fh:
        fh.write("\n".join(svg) + "\n")
    return True


# ------------------------------------------------------------------- main --

def git_rev():
    try:
        rev = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--", "engine"],
                               capture_output=True, text=True).stdout.strip()
        return rev + ("+engine-changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load(path):
    try:
        with open(path) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--small", action="store_true",
                    help="corpora ~10x smaller (half the files, a fifth of the profiles)")
    ap.add_argument("--covmerge", default=os.path.join(REPO, "build", "covmerge"),
                    help="the covmerge binary (default: build/covmerge)")
    ap.add_argument("--gocovmerge", default=os.environ.get("GOCOVMERGE"),
                    help="a gocovmerge binary to compare with (default: $GOCOVMERGE); "
                         "never built or downloaded here")
    ap.add_argument("--repeat", type=int, default=3, help="alternating rounds (default 3)")
    ap.add_argument("--no-pin", dest="pin", action="store_false",
                    help="only warm the page cache; by default each shape's files are also locked in "
                         "memory (mlock) while its rounds run, so that no round reads the disk")
    ap.add_argument("--threads", help="covmerge thread counts, e.g. 1,2,4 (default 1..nproc)")
    ap.add_argument("--shapes", help="a comma-separated list of shapes, where issue13 stands for the "
                    "shapes of issue 13 (issue13,gostd adds the real layout), of: " +
                    ", ".join(s.name for s in SHAPES))
    ap.add_argument("--corpus", default=os.path.join(REPO, "corpus"),
                    help="where the corpora live (default: corpus/ at the repository root)")
    ap.add_argument("--results", help="JSON to write (default bench/results/e2e.json, "
                                      "e2e-small.json with --small)")
    ap.add_argument("--svg", default=os.path.join(BENCH, "throughput.svg"),
                    help="the plot to draw (default bench/throughput.svg)")
    ap.add_argument("--plot-only", action="store_true",
                    help="run nothing: redraw the plot from bench/results/e2e.json "
                         "(else e2e-small.json)")
    args = ap.parse_args(argv)

    results_dir = os.path.join(BENCH, "results")
    full_json = os.path.join(results_dir, "e2e.json")
    small_json = os.path.join(results_dir, "e2e-small.json")
    if args.plot_only:
        current = load(full_json) or load(small_json)
        if not current:
            ap.error("no results to plot in %s" % results_dir)
        other = load(small_json) if current["meta"]["small"] is False else None
        draw_svg(current, [other] if other else [], args.svg)
        log("wrote %s" % args.svg)
        return 0

    if not os.path.exists(TIME):
        ap.error("%s is missing: install the Debian package `time` (apt-get install time)" % TIME)
    if not os.access(args.covmerge, os.X_OK):
        ap.error("no covmerge binary at %s: build it first (./build.sh build)" % args.covmerge)
    if args.gocovmerge and not os.access(args.gocovmerge, os.X_OK):
        ap.error("--gocovmerge %s is not an executable file" % args.gocovmerge)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    nproc = len(os.sched_getaffinity(0))
    args.thread_list = ([int(t) for t in args.threads.split(",")] if args.threads
                        else list(range(1, nproc + 1)))
    shapes = {s.name: (s.scaled() if args.small else s) for s in SHAPES}
    selected = list(shapes)
    if args.shapes:
        names = ",".join(ISSUE13_SHAPES if n.strip() == "issue13" else n for n in args.shapes.split(","))
        selected = [n.strip() for n in names.split(",") if n.strip()]
        unknown = [n for n in selected if n not in shapes]
        if unknown:
            ap.error("unknown shape %s; the shapes are %s" % (", ".join(unknown),
                                                             ", ".join(shapes)))

    usage = shutil.disk_usage(os.path.dirname(os.path.abspath(args.corpus))
                              if not os.path.isdir(args.corpus) else args.corpus)
    log("disk: %.1f GB free of %.1f GB at %s" % (usage.free / 1e9, usage.total / 1e9, args.corpus))

    results = {
        "meta": {
            "command": " ".join(["bench/e2e/run_e2e.py"] + (argv if argv is not None
                                                            else sys.argv[1:])),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "small": args.small,
            "cpu": cpu_model(), "nproc": nproc, "kernel": platform.release(),
            "covmerge_rev": git_rev(),
            "covmerge": args.covmerge,
            "covmerge_version": subprocess.run([args.covmerge, "--version"], capture_output=True,
                                               text=True).stdout.strip(),
            "covmerge_built": datetime.datetime.fromtimestamp(
                os.path.getmtime(args.covmerge), datetime.timezone.utc).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"),
            "gocovmerge": args.gocovmerge, "repeat": args.repeat, "pinned": args.pin,
            "threads": args.thread_list,
        },
        "shapes": {},
    }
    all_ok = True
    os.makedirs(args.corpus, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".e2e-", dir=args.corpus)
    try:
        for name in selected:
            shape = shapes[name]
            directory = os.path.join(args.corpus, name + ("-small" if args.small else ""))
            files = ensure_corpus(shape, directory)
            if files is None:
                continue
            # Shorter paths on the command line: relative to here when below it.
            here = os.getcwd() + os.sep
            rel = [os.path.relpath(f) if os.path.abspath(f).startswith(here) else f
                   for f in files]
            ok, res = bench_shape(shape, rel, args, work)
            all_ok &= ok
            results["shapes"][name] = res
    finally:
        shutil.rmtree(work, ignore_errors=True)

    flat = memory_flatness(results, shapes)
    if flat:
        results["memory_flatness"] = flat
    text = markdown(results)
    print(text)

    os.makedirs(results_dir, exist_ok=True)
    out_json = args.results or (small_json if args.small else full_json)
    with open(out_json, "w") as fh:
        json.dump(results, fh, indent=1)
        fh.write("\n")
    with open(os.path.splitext(out_json)[0] + ".md", "w") as fh:
        fh.write(text + "\n")
    other = load(full_json if args.small else small_json)
    if draw_svg(results, [other] if other else [], args.svg):
        log("wrote %s, %s and %s" % (out_json, os.path.splitext(out_json)[0] + ".md", args.svg))
    if not all_ok:
        log("FAILED: an output differs or a command failed (see the notes above)")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
