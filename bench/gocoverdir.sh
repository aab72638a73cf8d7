#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The same 1,000 runs merged as a GOCOVERDIR and as text profiles: Go's
# sample (data/gocoverdir-sample) copied 100 times under new pids, and each
# of its runs turned into a text profile by covmerge itself, copied alike.
# Prints wall time and peak RSS at -j1 and -j2 and checks both merges agree.
# Usage: bench/gocoverdir.sh [build/covmerge]
set -euo pipefail
cd "$(dirname "$0")/.."
covmerge=$(realpath "${1:-build/covmerge}")
sample=data/gocoverdir-sample/gocoverdir
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/dir" "$work/text"
cp "$sample"/covmeta.* "$work/dir/"
run=0
for f in "$sample"/covcounters.*; do
  one=$(mktemp -d -p "$work")
  cp "$sample"/covmeta.* "$f" "$one/"
  "$covmerge" -q "$one" > "$one.out"
  name=$(basename "$f")
  for copy in $(seq 1 100); do
    run=$((run + 1))
    cp "$f" "$work/dir/${name%.*.*}.$((100000 + run)).$run"
    cp "$one.out" "$work/text/$copy-$name.out"
  done
done
echo "GOCOVERDIR: $(du -sh "$work/dir" | cut -f1), text: $(du -sh "$work/text" | cut -f1)"
for jobs in 1 2; do
  /usr/bin/time -f "GOCOVERDIR -j$jobs	%e s	%M KB" "$covmerge" -q -j$jobs -o "$work/a.out" "$work/dir"
  /usr/bin/time -f "text       -j$jobs	%e s	%M KB" "$covmerge" -q -j$jobs -o "$work/b.out" "$work/text"
done
cmp "$work/a.out" "$work/b.out" && echo "same merged profile"
