# SPDX-License-Identifier: Apache-2.0
"""The gostd corpus: the block layout of real Go code, repeated.

The layout is what `go test -run '^$' -coverprofile` writes for packages of
Go's standard library (every block of the package, count 0; no test runs,
so nothing depends on the machine or the network). Each profile of the
corpus is that layout with deterministic pseudo-random counts, as the
profiles of many runs of one build are. Unlike the generator's shapes, its
files are long: a third of the lines have texts before the count of more
than 16 bytes ("1204.35,1210.4 12 ").
"""
import json
import os
import random
import subprocess
import tempfile

PACKAGES = ["archive/tar", "compress/flate", "crypto/tls", "database/sql", "encoding/json", "fmt",
            "go/parser", "go/printer", "go/types", "html/template", "image/png", "math/big",
            "net/http", "regexp/syntax", "strconv", "text/template"]


def go_version():
    return subprocess.run(["go", "version"], capture_output=True, text=True, check=True).stdout.strip()


def layout(packages, log):
    """The block lines without their counts, package after package."""
    lines = []
    with tempfile.TemporaryDirectory(prefix="gostd-") as work:
        env = dict(os.environ, GO111MODULE="off", GOFLAGS="", GOCACHE=os.path.join(work, "cache"))
        for package in packages:
            out = os.path.join(work, package.replace("/", "_") + ".out")
            log("  go test -run '^$' -coverprofile %s" % package)
            subprocess.run(["go", "test", "-count=1", "-run", "^$", "-covermode=count", "-coverprofile=" + out,
                            package], env=env, check=True, stdout=subprocess.DEVNULL, cwd=work)
            with open(out) as fh:
                for line in fh:
                    if not line.startswith("mode:"):
                        lines.append(line.rsplit(" ", 1)[0])
    return lines


def ensure(directory, profiles, seed, log):
    """Writes `profiles` profiles of the layout to `directory` unless its
    manifest says they are there; returns their paths."""
    manifest_path = os.path.join(directory, "_manifest.json")
    want = {"go": go_version(), "packages": PACKAGES, "profiles": profiles, "seed": seed}
    names = [os.path.join(directory, "profile-%05d.out" % i) for i in range(profiles)]
    if os.path.exists(manifest_path):
        with open(manifest_path) as fh:
            have = json.load(fh)
        if all(have.get(k) == v for k, v in want.items()) and all(os.path.exists(n) for n in names):
            return names
    os.makedirs(directory, exist_ok=True)
    log("generating gostd: the layout of %d standard packages (%s)" % (len(PACKAGES), want["go"]))
    blocks = layout(PACKAGES, log)
    rng = random.Random(seed)
    for name in names:
        with open(name + ".tmp", "w") as fh:
            fh.write("mode: count\n")
            # Most blocks of one run are not reached; the others a few times.
            fh.writelines("%s %d\n" % (b, 0 if rng.random() < 0.6 else rng.randrange(1, 1000)) for b in blocks)
        os.rename(name + ".tmp", name)
    with open(manifest_path, "w") as fh:
        json.dump(dict(want, layout_lines=len(blocks)), fh, indent=1)
    return names
