#!/usr/bin/env bash
# Regenerate the sample Go coverage profiles under data/profiles/ from the
# example module in data/sample-module/. Needs only a Go toolchain (the
# committed profiles were made with Debian's golang-go, Go 1.19.8); the
# module uses the standard library only, so no network is needed.
set -euo pipefail

DATA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE_DIR="$DATA_DIR/sample-module"
OUT_DIR="$DATA_DIR/profiles"

# Keep the Go build cache and module cache out of the repository, never
# touch the network, and ignore any user-level GOFLAGS / go.work.
export GOPROXY=off
export GOFLAGS=
export GOWORK=off
export GO111MODULE=on
export GOCACHE="${GOCACHE_OVERRIDE:-${TMPDIR:-/tmp}/covmerge-sample-gocache}"
export GOPATH="${GOPATH_OVERRIDE:-${TMPDIR:-/tmp}/covmerge-sample-gopath}"
unset GOTOOLCHAIN || true

command -v go >/dev/null || { echo "regenerate.sh: 'go' not found in PATH" >&2; exit 1; }
echo "using $(go version)"

# Packages that have tests: "<short name> <package dir>".
PKGS=(
  "cart ./cart"
  "pricing ./pricing"
  "inventory ./inventory"
  "textutil ./internal/textutil"
)
SET_PKGS=("pricing ./pricing" "inventory ./inventory" "textutil ./internal/textutil")
ATOMIC_PKGS=("cart ./cart" "pricing ./pricing")

rm -rf "$OUT_DIR/count" "$OUT_DIR/set" "$OUT_DIR/atomic"
mkdir -p "$OUT_DIR/count" "$OUT_DIR/set" "$OUT_DIR/atomic"

cd "$MODULE_DIR"

# -count=1 bypasses the test result cache so every profile is freshly written.
gotest() { go test -count=1 "$@"; }

for entry in "${PKGS[@]}"; do
  read -r name pkg <<<"$entry"
  echo "count    $pkg"
  gotest -covermode=count -coverprofile="$OUT_DIR/count/pkg-$name.out" "$pkg"
  echo "coverpkg $pkg"
  gotest -covermode=count -coverpkg=./... -coverprofile="$OUT_DIR/count/coverpkg-$name.out" "$pkg"
done

# One run over the whole module. Go 1.19 appends every test binary's
# profile into this single file, so each block appears once per test binary.
echo "coverpkg ./... (all)"
gotest -covermode=count -coverpkg=./... -coverprofile="$OUT_DIR/count/all-coverpkg.out" ./...

for entry in "${SET_PKGS[@]}"; do
  read -r name pkg <<<"$entry"
  echo "set      $pkg"
  gotest -covermode=set -coverprofile="$OUT_DIR/set/pkg-$name.out" "$pkg"
done

for entry in "${ATOMIC_PKGS[@]}"; do
  read -r name pkg <<<"$entry"
  echo "atomic   $pkg"
  gotest -covermode=atomic -coverprofile="$OUT_DIR/atomic/pkg-$name.out" "$pkg"
done

for f in "$OUT_DIR"/*/*.out; do
  head -n1 "$f" | grep -q '^mode: ' || { echo "bad profile header: $f" >&2; exit 1; }
done
echo "wrote $(find "$OUT_DIR" -name '*.out' -type f | wc -l) profiles under $OUT_DIR"
