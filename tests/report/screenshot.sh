#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates docs/report.png and docs/report-source.png, the README's
# pictures of the HTML report: the report of the sample profiles in
# data/profiles/count (with the sources of data/sample-module), as headless
# Chromium shows it in a 1200x900 window, and the same page showing the
# source of cart/cart.go. Rerun it after changing the report's look
# (engine/src/emit/html_report_assets.h or html_report_writer.cc), look at
# the picture, and commit it with the change:
#
#   cmake --build build && tests/report/screenshot.sh
#
# COVMERGE_BIN names another covmerge binary (default build/covmerge), and
# COVMERGE_CHROMIUM another browser binary (default chromium).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
covmerge=${COVMERGE_BIN:-$root/build/covmerge}
chromium=${COVMERGE_CHROMIUM:-chromium}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$covmerge" report --html "$work/report.html" "$root/data/profiles/count" >/dev/null
"$covmerge" report --html "$work/source.html" --source-root "$root/data/sample-module" \
  "$root/data/profiles/count" >/dev/null
cart=$(grep -o '<a href="#file=[0-9]*">cart/cart.go</a>' "$work/source.html" | grep -o 'file=[0-9]*')
mkdir -p "$root/docs"
# --no-sandbox: Chromium does not start as root (containers) without it.
# The user data directory is a fresh one, so no local profile changes the
# picture; Chromium's D-Bus complaints on stderr are noise.
timeout 120 "$chromium" --headless --disable-gpu --no-sandbox --hide-scrollbars --no-first-run \
  --user-data-dir="$work/profile" --window-size=1200,900 \
  --screenshot="$root/docs/report.png" "file://$work/report.html" 2>/dev/null
timeout 120 "$chromium" --headless --disable-gpu --no-sandbox --hide-scrollbars --no-first-run \
  --user-data-dir="$work/profile2" --window-size=1200,900 \
  --screenshot="$root/docs/report-source.png" "file://$work/source.html#$cart" 2>/dev/null
echo "wrote $root/docs/report.png and $root/docs/report-source.png"
