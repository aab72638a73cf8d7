#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What the exports of `covmerge report` cost on a monorepo-sized profile:
# 1,000,000 distinct blocks in 20,000 files (4 -coverpkg profiles, 225 MB).
# Prints wall time and peak RSS of the plain merge and of the report with
# each export and all of them, alternating, so that the ratios hold on a
# noisy machine. Usage: bench/exports.sh [build/covmerge]
set -euo pipefail
cd "$(dirname "$0")/.."
covmerge=${1:-build/covmerge}
corpus=corpus/exports-F20000-B50-P4
if [ ! -d "$corpus" ]; then
  /usr/bin/python3 ../shared/tools/gen_profiles.py --style coverpkg -F 20000 -B 50 -P 4 --order files --seed 7 \
    --out "$corpus" >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
measure() {
  local label=$1
  shift
  /usr/bin/time -f "$label	%e s	%M KB" "$@" >/dev/null
}
for round in 1 2 3; do
  echo "round $round"
  measure "merge -o" "$covmerge" -q -o "$out/m.out" "$corpus"
  for export in json lcov cobertura html; do
    measure "report --$export" "$covmerge" report -q --$export "$out/x.$export" "$corpus"
  done
  measure "report, all four" "$covmerge" report -q -o "$out/m.out" --json "$out/s.json" --lcov "$out/l.info" \
    --cobertura "$out/c.xml" --html "$out/r.html" "$corpus"
done
ls -l "$out" | awk 'NR > 1 { print $5, $9 }'
