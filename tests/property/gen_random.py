#!/usr/bin/python3
"""Random sets of Go coverage profiles for differential testing.

generate(seed) -> [(filename, text), ...] is deterministic for a seed.  All
inputs of one case share the mode and agree on block positions and NUMSTMT
(positions are drawn once per case), so the merge is always well defined.

CLI (to reproduce a failing case):  gen_random.py SEED OUTDIR
writes the case's inputs into OUTDIR (bytes exactly as the tests write them).
"""
import os
import random
import sys

MODES = ("set", "count", "atomic")
UINT32_MAX = 2**32 - 1
INT64_MAX = 2**63 - 1

# Hand-picked paths: ':' and ' ' inside, Windows drives, prefixes and
# neighbours that sort differently as bytes than "naturally", non-ASCII.
PATH_POOL = [
    "example.com/a b/x:y.go",
    "example.com/a b/x.go",
    "example.com/a/b.go",
    "example.com/a/b/c.go",
    "example.com/a-b/c.go",
    "example.com/a.b/c.go",
    "example.com/A/b.go",
    "example.com/m/x:1.2,3.4.go",
    "example.com/m/two  spaces.go",
    "example.com/m/\u03c0.go",
    "C:/src/a.go",
    "C:/src/app/main.go",
    "c:/src/a.go",
    "D:/work/my project/z.go",
    "golang.org/x/tools/cover/profile.go",
    "github.com/acme/widget/widget.go",
    "github.com/acme/widget/internal/parse/parse.go",
    "k8s.io/client-go/rest/request.go",
]
_HOSTS = ["github.com/acme", "example.com", "gitlab.com/team", "go.uber.org"]
_WORDS = ["api", "core", "db", "http", "util", "zap", "store", "x", "handler", "cmd"]


def _random_path(rng):
    if rng.random() < 0.5:
        return rng.choice(PATH_POOL)
    parts = [rng.choice(_HOSTS)] + [rng.choice(_WORDS) for _ in range(rng.randint(1, 3))]
    return "/".join(parts) + ".go"


def _blocks(rng, n):
    """n non-overlapping blocks (l1, c1, l2, c2, numstmt) in source order."""
    blocks = []
    for _ in range(n):
        if blocks and rng.random() < 0.2:       # starts on the line the last one ended
            l1, c1 = blocks[-1][2], blocks[-1][3] + rng.randint(1, 5)
        else:
            l1 = (blocks[-1][2] if blocks else 0) + rng.randint(1, 12)
            c1 = rng.randint(1, 60)
        if rng.random() < 0.4:
            l2, c2 = l1, c1 + rng.randint(1, 40)
        else:
            l2, c2 = l1 + rng.randint(1, 30), rng.randint(1, 80)
        numstmt = rng.randint(0, 6) if rng.random() < 0.97 else rng.choice([UINT32_MAX, 2**31])
        blocks.append((l1, c1, l2, c2, numstmt))
    if blocks and rng.random() < 0.05:            # positions at the uint32 limit
        l1 = blocks[-1][2] + 1
        blocks.append((l1, rng.randint(1, 9), UINT32_MAX, UINT32_MAX, 1))
    if blocks and rng.random() < 0.03:            # the whole file near the limit
        shift = UINT32_MAX - blocks[-1][2]
        blocks = [(a + shift, b, c + shift, d, e) for a, b, c, d, e in blocks]
    return blocks


def _count(rng, mode):
    if mode == "set":
        return rng.randint(0, 1)
    r = rng.random()
    if r < 0.70:
        return rng.randint(0, 5)
    if r < 0.90:
        return rng.randint(0, 100000)
    if r < 0.95:
        return rng.randint(2**31, 2**33)
    return rng.choice([INT64_MAX, INT64_MAX - 1, rng.randint(2**62, INT64_MAX)])


def _render(rng, lines):
    """Join lines with LF / CRLF / mixed ends, sometimes without a final newline."""
    style = rng.random()
    text = []
    for line in lines:
        if style < 0.15:
            eol = "\r\n"
        elif style < 0.20:
            eol = rng.choice(["\n", "\r\n"])
        else:
            eol = "\n"
        text.append(line + eol)
    if text and rng.random() < 0.1:
        text[-1] = lines[-1]
    return "".join(text)


def _input(rng, mode, files, mode_only):
    mode_line = f"mode: {mode}"
    entries = []
    if not mode_only:
        keep = rng.choice([0.2, 0.5, 0.8, 1.0])
        entries = [(path, b) for path, blocks in files for b in blocks if rng.random() < keep]
        if entries and rng.random() < 0.3:        # same block listed twice
            entries += [rng.choice(entries) for _ in range(rng.randint(1, 3))]
        rng.shuffle(entries)
    lines = [mode_line] + ["%s:%d.%d,%d.%d %d %d" % (path, l1, c1, l2, c2, n, _count(rng, mode))
                           for path, (l1, c1, l2, c2, n) in entries]
    if rng.random() < 0.15:                        # cat-joined profiles
        lines.insert(rng.randint(1, len(lines)), mode_line)
    if rng.random() < 0.2:                         # blank lines after the mode line
        for _ in range(rng.randint(1, 3)):
            lines.insert(rng.randint(1, len(lines)), "")
    if rng.random() < 0.03:                        # blank lines before it
        lines.insert(0, "")
    return _render(rng, lines)


def generate(seed, mode=None):
    """Return [(filename, text), ...]; mode forces the mode (same other choices)."""
    rng = random.Random(seed)
    drawn_mode = rng.choice(MODES)
    mode = mode or drawn_mode
    n_files = rng.randint(1, 5)
    paths = []
    while len(paths) < n_files:
        path = _random_path(rng)
        if path not in paths:
            paths.append(path)
    files = [(path, _blocks(rng, rng.randint(0, 30))) for path in paths]
    all_empty = rng.random() < 0.03
    n_inputs = rng.randint(1, 6)
    return [(f"in{i}.cov", _input(rng, mode, files, all_empty or rng.random() < 0.1))
            for i in range(n_inputs)]


def write_case(inputs, directory):
    """Write inputs into directory; return their paths in order."""
    names = []
    for name, text in inputs:
        path = os.path.join(directory, name)
        with open(path, "wb") as f:
            f.write(text.encode("utf-8"))
        names.append(path)
    return names


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: gen_random.py SEED OUTDIR")
    os.makedirs(sys.argv[2], exist_ok=True)
    for p in write_case(generate(int(sys.argv[1])), sys.argv[2]):
        print(p)
