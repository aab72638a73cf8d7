#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One entry point for a fresh machine: installs what is missing (Debian
# packages, as root), builds, then runs the demo or the tests.
#   ./build.sh demo    merge the sample profiles in data/ and print the total
#   ./build.sh test    run every test, then `sanitize` (what .ci/run runs)
#   ./build.sh sanitize  the tests again under AddressSanitizer+UBSan
#                      (build-asan/) and the threaded ones under
#                      ThreadSanitizer (build-tsan/), then a fixed number
#                      of runs of each libFuzzer target with a fixed seed
#                      (fuzz/run_fuzzers.sh --runs, build-fuzz/)
#   ./build.sh build   only build
#   ./build.sh package   build the command and library only, then the Debian
#                      package (build/package/covmerge_VERSION_amd64.deb)
#   ./build.sh bench [ARGS]  build, then the end-to-end benchmark
#                      (bench/e2e/run_e2e.py ARGS, e.g. --small --gocovmerge PATH)
set -euo pipefail
cd "$(dirname "$0")"

# What the command needs to build (the demo), all from Debian's archive...
PACKAGES=(g++ cmake ninja-build pkg-config libabsl-dev libsimdjson-dev libzstd-dev zlib1g-dev libre2-dev)
# ...and what the rest of the build and the tests need besides.
TEST_PACKAGES=(libbenchmark-dev libgtest-dev pybind11-dev python3-dev python3-pytest python3-setuptools
               python3-wheel python3-pip zstd clang-14 libclang-rt-14-dev chromium lcov libxml2-utils golang-go
               python3-distributed python3-dask python3-fsspec python3-mypy git zsh dpkg-dev python3-yaml)
BUILD_DIR=${BUILD_DIR:-build}
# The demo builds only the command; everything else builds it all.
CMAKE_OPTIONS=()

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "Installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
  install_missing
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release "${CMAKE_OPTIONS[@]}"
  cmake --build "$BUILD_DIR" -j "$(nproc)" "$@"
}

with_tests() {
  PACKAGES+=("${TEST_PACKAGES[@]}")
  CMAKE_OPTIONS=(-DCOVMERGE_BUILD_TESTS=ON -DCOVMERGE_BUILD_BENCH=ON -DCOVMERGE_BUILD_FUZZ=ON
                 -DCOVMERGE_BUILD_PYTHON=ON)
}

# Prints how long the command took, as "== STAGE: N s".
timed() {
  local stage=$1 start=$SECONDS
  shift
  "$@"
  echo "== $stage: $((SECONDS - start)) s"
}

sanitize_build() {
  local dir=$1 sanitizers=$2
  shift 2
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOVMERGE_SANITIZE="$sanitizers" \
    -DCOVMERGE_BUILD_BENCH=OFF -DCOVMERGE_BUILD_PYTHON=OFF
  cmake --build "$dir" -j "$(nproc)" "$@"
}

sanitize() {
  with_tests
  install_missing
  # AddressSanitizer and UndefinedBehaviorSanitizer: the whole suite (the
  # Python and install tests are not registered under sanitizers).
  timed "asan build" sanitize_build build-asan address,undefined
  timed "asan tests" env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$(nproc)"
  # ThreadSanitizer: the unit tests (the merger at several thread counts) and
  # the golden cases (the command at -j1 and -j4).
  timed "tsan build" sanitize_build build-tsan thread --target covmerge covmerge_unit_tests
  timed "tsan tests" env TSAN_OPTIONS=halt_on_error=1 \
    ctest --test-dir build-tsan --output-on-failure -j "$(nproc)" -L 'unit|golden'
  # libFuzzer (clang, ASan+UBSan) over fuzz/corpus: a fixed number of runs
  # with a fixed seed, so that the same commit gives the same answer on any
  # machine, however loaded (fuzz/run_fuzzers.sh SECONDS hunts longer).
  timed "fuzzing" fuzz/run_fuzzers.sh --runs 10000
}

case "${1:-}" in
  demo)
    CMAKE_OPTIONS=(-DCOVMERGE_BUILD_TESTS=OFF -DCOVMERGE_BUILD_BENCH=OFF -DCOVMERGE_BUILD_FUZZ=OFF
                   -DCOVMERGE_BUILD_PYTHON=OFF)
    build --target covmerge
    echo "== covmerge --summary data/profiles/count -o $BUILD_DIR/merged.out"
    "$BUILD_DIR/covmerge" --summary data/profiles/count -o "$BUILD_DIR/merged.out"
    echo "== first lines of $BUILD_DIR/merged.out"
    head -5 "$BUILD_DIR/merged.out"
    echo "== covmerge report --strip-prefix example.com/shop data/profiles/count --html ... --json ..."
    "$BUILD_DIR/covmerge" report --strip-prefix example.com/shop data/profiles/count --html "$BUILD_DIR/coverage.html" \
      --json "$BUILD_DIR/summary.json"
    echo "== the HTML report: $BUILD_DIR/coverage.html, the JSON summary: $BUILD_DIR/summary.json"
    ;;
  test)
    with_tests
    build
    timed "tests" ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)"
    sanitize
    ;;
  sanitize)
    sanitize
    ;;
  build)
    with_tests
    build
    ;;
  package)
    PACKAGES+=(dpkg-dev)  # dpkg-shlibdeps works out the package's dependencies
    CMAKE_OPTIONS=(-DCOVMERGE_BUILD_TESTS=OFF -DCOVMERGE_BUILD_BENCH=OFF -DCOVMERGE_BUILD_FUZZ=OFF
                   -DCOVMERGE_BUILD_PYTHON=OFF)
    build
    cpack -G DEB --config "$BUILD_DIR/CPackConfig.cmake" -B "$BUILD_DIR/package"
    ;;
  bench)
    shift
    with_tests
    PACKAGES+=(time)  # /usr/bin/time measures the peak RSS
    build
    /usr/bin/python3 bench/e2e/run_e2e.py --covmerge "$BUILD_DIR/covmerge" "$@"
    ;;
  *)
    echo "usage: $0 demo|test|sanitize|build|package|bench [bench options]" >&2
    exit 2
    ;;
esac
