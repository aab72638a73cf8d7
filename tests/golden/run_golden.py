#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the golden cases of covmerge.

Each folder under cases/ is one case:
  cmd           the arguments, one per line (paths relative to the case folder)
  stdin         optional: fed to standard input
  expected.out  the exact standard output
  expected.err  the exact standard error
  exit          the exit status
Each case runs at -j1 and -j4 in its folder, and both runs must match.
--regenerate rewrites the expected files from the -j1 run (review the diff!).
"""
import argparse
import difflib
import os
import subprocess
import sys


def run_case(covmerge, case_dir, jobs):
    with open(os.path.join(case_dir, "cmd"), encoding="utf-8") as f:
        args = [line.rstrip("\n") for line in f if line.strip()]
    stdin_path = os.path.join(case_dir, "stdin")
    stdin = open(stdin_path, "rb").read() if os.path.exists(stdin_path) else b""
    proc = subprocess.run([covmerge, "-j", str(jobs)] + args, cwd=case_dir, input=stdin,
                          capture_output=True, timeout=60)
    return proc.stdout, proc.stderr, proc.returncode


def diff(name, want, got):
    lines = difflib.unified_diff(want.decode("utf-8", "replace").splitlines(True),
                                 got.decode("utf-8", "replace").splitlines(True),
                                 "expected " + name, "actual " + name)
    return "".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--covmerge", required=True, help="the covmerge binary")
    parser.add_argument("--cases", required=True, help="the cases folder")
    parser.add_argument("--regenerate", action="store_true")
    opts = parser.parse_args()
    covmerge = os.path.abspath(opts.covmerge)
    failed = passed = 0
    for name in sorted(os.listdir(opts.cases)):
        case_dir = os.path.join(opts.cases, name)
        if not os.path.isfile(os.path.join(case_dir, "cmd")):
            continue
        if opts.regenerate:
            out, err, code = run_case(covmerge, case_dir, 1)
            open(os.path.join(case_dir, "expected.out"), "wb").write(out)
            open(os.path.join(case_dir, "expected.err"), "wb").write(err)
            open(os.path.join(case_dir, "exit"), "w").write("%d\n" % code)
            print("regenerated", name)
            continue
        want_out = open(os.path.join(case_dir, "expected.out"), "rb").read()
        want_err = open(os.path.join(case_dir, "expected.err"), "rb").read()
        want_code = int(open(os.path.join(case_dir, "exit")).read())
        problems = []
        for jobs in (1, 4):
            out, err, code = run_case(covmerge, case_dir, jobs)
            if out != want_out:
                problems.append("-j%d stdout differs:\n%s" % (jobs, diff("stdout", want_out, out)))
            if err != want_err:
                problems.append("-j%d stderr differs:\n%s" % (jobs, diff("stderr", want_err, err)))
            if code != want_code:
                problems.append("-j%d exit status %d, expected %d" % (jobs, code, want_code))
        if problems:
            failed += 1
            print("FAIL %s\n  %s" % (name, "\n  ".join(problems)))
        else:
            passed += 1
            print("ok   %s" % name)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
