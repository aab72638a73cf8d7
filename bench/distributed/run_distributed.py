#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Benchmark: the covmerge command against covmerge.distributed on a
LocalCluster of 1, 2, ... worker processes, on one corpus.

What it shows: the cost of the tree (expanding inputs on workers, leaf
tasks, partials gzip-compressed and shipped between processes, combining
tasks) against the command on the same machine, and how the tree scales
with worker processes. Every distributed output is checked byte for byte
against the command's.

    bench/distributed/run_distributed.py [--shape pp1] [--workers 1,2] [--batch-sizes 16,64,256]
        [--repeat 3] [--corpus DIR] [--covmerge build/covmerge] [--results FILE]

Each configuration runs --repeat times, alternating; the tables show
medians. Clusters are started before they are timed (their start-up is
reported on its own line). Run with Debian's /usr/bin/python3 and
PYTHONPATH=build/bindings/python (./build.sh bench-distributed does both).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "bench", "e2e"))

import run_e2e  # noqa: E402  (the corpus shapes and their generator)


def worker_peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_command(covmerge_bin, threads, inputs_list, out):
    start = time.perf_counter()
    subprocess.run([covmerge_bin, "-j", str(threads), "--files-from", inputs_list, "-o", out], check=True)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shape", default="pp1", help="a shape of bench/e2e (default pp1)")
    ap.add_argument("--workers", default="1,%d" % os.cpu_count(), help="worker processes, e.g. 1,2 or 1,4,16")
    ap.add_argument("--batch-sizes", default="16,64,256", help="inputs a leaf task merges")
    ap.add_argument("--split-every", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--corpus", default=os.path.join(REPO, "corpus"))
    ap.add_argument("--covmerge", default=os.path.join(REPO, "build", "covmerge"))
    ap.add_argument("--results", default=os.path.join(REPO, "bench", "results", "distributed.json"))
    args = ap.parse_args()

    import distributed
    import covmerge.distributed as cd

    shape = next(s for s in run_e2e.SHAPES if s.name == args.shape)
    files = run_e2e.ensure_corpus(shape, os.path.join(args.corpus, shape.name))
    if not files:
        sys.exit("no corpus")
    work = os.path.join(args.corpus, "_distributed")
    os.makedirs(work, exist_ok=True)
    inputs_list = os.path.join(work, "inputs.list")
    with open(inputs_list, "w") as f:
        f.write("\n".join(files) + "\n")
    size = sum(os.path.getsize(p) for p in files)
    print(f"{shape.name}: {len(files)} profiles, {size / 1e6:.1f} MB ({shape.about})", flush=True)

    reference = os.path.join(work, "command.out")
    rows = []
    # The command, for the baseline.
    for threads in (1, os.cpu_count()):
        times = [time_command(args.covmerge, threads, inputs_list, reference) for _ in range(args.repeat)]
        rows.append({"tool": "covmerge command", "workers": "-j%d" % threads, "batch_size": None,
                     "seconds": statistics.median(times), "all": times})
        print(f"  command -j{threads}: {statistics.median(times):.3f} s", flush=True)
    want = open(reference, "rb").read()

    for workers in [int(w) for w in args.workers.split(",")]:
        started = time.perf_counter()
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
            startup = time.perf_counter() - started
            print(f"  LocalCluster of {workers} worker process(es): started in {startup:.2f} s", flush=True)
            for batch_size in [int(b) for b in args.batch_sizes.split(",")]:
                out = os.path.join(work, "distributed.out")
                times = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    cd.merge(files, out, client=client, batch_size=batch_size, split_every=args.split_every)
                    times.append(time.perf_counter() - t0)
                    if open(out, "rb").read() != want:
                        sys.exit(f"the distributed output differs from the command's (batch_size {batch_size})")
                leaves = -(-len(files) // batch_size)
                tasks, level = leaves, leaves
                while level > args.split_every:
                    level = -(-level // args.split_every)
                    tasks += level
                tasks += 1 + -(-len(files) // batch_size)  # the root, and the expansion tasks
                rss = max(client.run(worker_peak_rss_mb).values())
                rows.append({"tool": "covmerge.distributed", "workers": workers, "batch_size": batch_size,
                             "tasks": tasks, "seconds": statistics.median(times), "all": times,
                             "worker_peak_rss_mb": rss, "cluster_start_s": startup})
                print(f"  {workers} worker(s), batch_size {batch_size}: {statistics.median(times):.3f} s, "
                      f"{tasks} tasks, worker peak RSS {rss:.0f} MB", flush=True)

    base = next(r["seconds"] for r in rows if r["workers"] == "-j1")
    print()
    print(f"| tool | workers | batch_size | tasks | wall s | vs command -j1 | worker peak RSS MB |")
    print(f"|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| %s | %s | %s | %s | %.3f | %.2fx | %s |" % (
            r["tool"], r["workers"], r["batch_size"] or "", r.get("tasks", ""), r["seconds"], base / r["seconds"],
            "%.0f" % r["worker_peak_rss_mb"] if "worker_peak_rss_mb" in r else ""))
    os.makedirs(os.path.dirname(args.results), exist_ok=True)
    with open(args.results, "w") as f:
        json.dump({"shape": shape.name, "files": len(files), "bytes": size, "rows": rows,
                   "cpu": run_e2e.cpu_model(), "commit": run_e2e.git_rev()}, f, indent=1)
    print(f"\nwrote {args.results}")


if __name__ == "__main__":
    main()
