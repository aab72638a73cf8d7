#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The CI job through the Python module against the covmerge command, on
one corpus: merge, then the JSON summary and LCOV (`covmerge report DIR
--json F --lcov F` against covmerge.merge(DIR) + write_json + write_lcov,
each in a fresh process, so both pay their start-up), alternated, medians
of --repeat runs. The module runs the same engine; this shows what the
binding layer (the cancel check, the report built from the session) costs.

    PYTHONPATH=build/bindings/python /usr/bin/python3 bench/library/library_vs_command.py \
        --covmerge build/covmerge --corpus /tmp/corpus/pp1
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

PYTHON_JOB = r"""
import sys, covmerge
result = covmerge.merge(sys.argv[1], threads=int(sys.argv[3]))
result.write_json(sys.argv[2] + "/py.json")
result.write_lcov(sys.argv[2] + "/py.info")
"""


def timed(args, env=None):
    start = time.monotonic()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--covmerge", required=True)
    parser.add_argument("--corpus", required=True, help="a directory of profiles")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        command = [args.covmerge, "report", "-j", str(args.threads), args.corpus, "--json", out + "/cmd.json",
                   "--lcov", out + "/cmd.info"]
        python = [sys.executable, "-c", PYTHON_JOB, args.corpus, out, str(args.threads)]
        times = {"command": [], "python": []}
        for _ in range(args.repeat):
            times["command"].append(timed(command))
            times["python"].append(timed(python))
        for name in ("json", "info"):
            with open(f"{out}/cmd.{name}", "rb") as a, open(f"{out}/py.{name}", "rb") as b:
                if a.read() != b.read():
                    sys.exit(f"the {name} exports differ")
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(args.corpus) for f in fs)
    c, p = statistics.median(times["command"]), statistics.median(times["python"])
    print(f"{args.corpus} ({size / 1e6:.0f} MB), -j{args.threads}, medians of {args.repeat}: "
          f"command {c:.2f} s, Python module {p:.2f} s ({p / c:.2f}x); exports identical")


if __name__ == "__main__":
    main()
