// SPDX-License-Identifier: Apache-2.0
// Patch coverage: how much of what a change touched did the tests run. A
// changed line counts through the blocks that cover it: the statements of
// every block (with statements) that overlaps an added or modified line,
// covered over total, the go test formula. The changed lines that ran in
// no block are listed as ranges ("cart/cart.go:12-14"), the review's to-do
// list. Diff paths are repository paths; they are matched with the
// report's paths, after --strip-prefix and --path-map (report.h).
#ifndef COVMERGE_PATCH_H_
#define COVMERGE_PATCH_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "covmerge/diff.h"
#include "covmerge/profile.h"
#include "covmerge/report.h"

namespace covmerge {

struct PatchFile {
  std::string path;     // as the diff and the report name it
  Coverage statements;  // of the blocks overlapping a changed line
  // Changed lines covered by a block with statements but run by none:
  // [first, last] ranges, increasing.
  std::vector<std::pair<uint32_t, uint32_t>> uncovered;
};

struct PatchCoverage {
  Coverage total;
  std::vector<PatchFile> files;  // changed Go files that a profile names, by path
  // Changed Go files (not _test.go) that no profile names: code the tests
  // did not even build, or a path rule that does not fit. Listed, never
  // counted as covered.
  std::vector<std::string> unmeasured;
  uint64_t changed_lines = 0;  // added lines of the Go files above
};

// The patch coverage of `changes` (ParseUnifiedDiff) on `summary`. Only
// files ending in ".go", not "_test.go", count.
PatchCoverage MeasurePatch(const CoverageSummary& summary, const std::vector<ChangedFile>& changes);

// "cart/cart.go:12-14" or "cart/cart.go:30".
std::string DescribeRange(std::string_view path, const std::pair<uint32_t, uint32_t>& range);

}  // namespace covmerge

#endif  // COVMERGE_PATCH_H_
