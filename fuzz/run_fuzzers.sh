#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer binaries with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer in build-fuzz/, then runs each target for
# SECONDS (default 30), or for exactly N inputs with --runs N, over a copy of
# its corpus in fuzz/corpus/<target>/. The test command uses --runs with the
# fixed seed: how far a timed run gets depends on the machine's load, so only
# a count of runs gives CI the same answer twice on the same commit. Timed
# runs are for longer hunts outside CI.
# A crash, leak, timeout or failed check is copied to
# fuzz/corpus/<target>/regression-<hash>, so that ctest replays it from then
# on, and the script exits non-zero naming it. Exit 0: nothing found.
#   fuzz/run_fuzzers.sh [SECONDS_PER_TARGET]
#   fuzz/run_fuzzers.sh --runs RUNS_PER_TARGET
# Environment: FUZZ_BUILD_DIR (default build-fuzz), FUZZ_TARGETS (default all
# five), CC/CXX (default clang-14/clang++-14), FUZZ_JOBS (build jobs, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--runs" ]; then
  RUNS=${2:?--runs needs a number}
  LIMIT=(-runs="$RUNS")
  BUDGET="$RUNS runs"
  # A slow machine must not turn a fast input into a timeout: the limit
  # only catches hangs.
  TIMEOUT=300
else
  SECONDS_PER_TARGET=${1:-30}
  LIMIT=(-max_total_time="$SECONDS_PER_TARGET")
  BUDGET="${SECONDS_PER_TARGET}s"
  TIMEOUT=10
fi
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
TARGETS=(${FUZZ_TARGETS:-fuzz_parse_line fuzz_parse_buffer fuzz_merge_vs_model fuzz_c_api fuzz_covdata fuzz_partial})
export CC=${CC_FUZZ:-clang-14} CXX=${CXX_FUZZ:-clang++-14}

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCOVMERGE_BUILD_FUZZERS=ON -DCOVMERGE_SANITIZE=address,undefined \
  -DCOVMERGE_BUILD_TESTS=OFF -DCOVMERGE_BUILD_BENCH=OFF -DCOVMERGE_BUILD_PYTHON=OFF >/dev/null
cmake --build "$BUILD" -j "${FUZZ_JOBS:-2}" --target "${TARGETS[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
failed=()
for target in "${TARGETS[@]}"; do
  corpus=fuzz/corpus/$target
  work=$BUILD/fuzz-work/$target
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp "$corpus"/* "$work/corpus/"
  if [ -n "${RUNS:-}" ]; then
    # Targets that take microseconds an input get more of them in the same
    # time as those that start a merge on threads for each one.
    case $target in
      fuzz_parse_line) scale=100 ;;
      fuzz_parse_buffer) scale=30 ;;
      fuzz_covdata) scale=10 ;;
      *) scale=1 ;;
    esac
    LIMIT=(-runs="$((RUNS * scale))")
    BUDGET="$((RUNS * scale)) runs"
  fi
  echo "== $target: $BUDGET over $(ls "$corpus" | wc -l) corpus inputs"
  set +e
  # A fixed seed (FUZZ_SEED, default 1) makes a CI run repeatable; set another
  # to explore further.
  "$BUILD/fuzz/$target" -seed="${FUZZ_SEED:-1}" "${LIMIT[@]}" -timeout="$TIMEOUT" -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" \
    >"$work/log.txt" 2>&1
  status=$?
  set -e
  grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done )' "$work/log.txt" || true
  found=0
  for artifact in "$work/artifacts"/*; do
    [ -f "$artifact" ] || continue
    found=1
    hash=$(sha1sum "$artifact" | cut -c1-16)
    saved=$corpus/regression-$hash
    cp "$artifact" "$saved"
    echo "!! $target: $(basename "$artifact") saved as $saved"
    failed+=("$saved")
  done
  if [ "$status" -ne 0 ]; then
    tail -40 "$work/log.txt"
    [ "$found" -eq 1 ] || failed+=("$target (exit $status, no input saved; see $work/log.txt)")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found ${#failed[@]} problem(s):" >&2
  printf '  %s\n' "${failed[@]}" >&2
  echo "reproduce with: $BUILD/fuzz/<target> INPUT, or the <target>_replay of the normal build" >&2
  exit 1
fi
echo "fuzzing found nothing"
