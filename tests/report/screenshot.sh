#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates docs/report.png, the README's picture of the HTML report: the
# report of the sample profiles in data/profiles/count, as headless Chromium
# shows it in a 1200x900 window. Rerun it after changing the report's look
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
mkdir -p "$root/docs"
# --no-sandbox: Chromium does not start as root (containers) without it.
# The user data directory is a fresh one, so no local profile changes the
# picture; Chromium's D-Bus complaints on stderr are noise.
timeout 120 "$chromium" --headless --disable-gpu --no-sandbox --hide-scrollbars --no-first-run \
  --user-data-dir="$work/profile" --window-size=1200,900 \
  --screenshot="$root/docs/report.png" "file://$work/report.html" 2>/dev/null
echo "wrote $root/docs/report.png"
