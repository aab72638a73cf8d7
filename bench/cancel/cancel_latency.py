#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""How fast Ctrl-C stops a merge in the Python module: a child process
merges a generated profile added thousands of times (tens of gigabytes
from the page cache), gets SIGINT after --delay seconds, and the time from
the signal to the child's exit is taken; medians of --repeat runs, with
the time the child took to start up (import, add) for scale.

    PYTHONPATH=build/bindings/python /usr/bin/python3 bench/cancel/cancel_latency.py
"""
import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import sys, covmerge
m = covmerge.Merger(threads=int(sys.argv[3]))
m.add([sys.argv[1]] * int(sys.argv[2]))
print("merging", flush=True)
try:
    m.finish()
except KeyboardInterrupt:
    sys.exit(42)
sys.exit(0)
"""


def write_profile(path, files=2000, blocks=100):
    with open(path, "w") as f:
        f.write("mode: count\n")
        for i in range(files):
            name = f"example.com/mono/pkg{i % 97}/file{i}.go"
            f.writelines(f"{name}:{b}.1,{b}.30 3 {b % 4}\n" for b in range(1, blocks + 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--delay", type=float, default=1.0, help="seconds into the merge to send SIGINT")
    parser.add_argument("--copies", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        profile = os.path.join(tmp, "big.out")
        write_profile(profile)
        latencies = []
        for _ in range(args.repeat):
            child = subprocess.Popen([sys.executable, "-c", CHILD, profile, str(args.copies), str(args.threads)],
                                     stdout=subprocess.PIPE, text=True)
            assert child.stdout.readline().strip() == "merging"
            time.sleep(args.delay)
            sent = time.monotonic()
            child.send_signal(signal.SIGINT)
            child.wait(timeout=120)
            latencies.append(time.monotonic() - sent)
            if child.returncode != 42:
                sys.exit(f"the child exited with {child.returncode}, not 42 (interrupted)")
    print(f"SIGINT to exit, {args.copies} copies of a 9 MB profile, -j{args.threads}, "
          f"{args.delay:.1f} s into the merge: median {statistics.median(latencies) * 1000:.0f} ms "
          f"(min {min(latencies) * 1000:.0f}, max {max(latencies) * 1000:.0f}; {args.repeat} runs)")


if __name__ == "__main__":
    main()
