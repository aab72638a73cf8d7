// SPDX-License-Identifier: Apache-2.0
// The LCOV tracefile export (the format of lcov's geninfo, read by genhtml,
// Codecov, Coveralls and SonarQube):
//   TN:
//   SF:<path>            once per file, in the summary's order
//   DA:<line>,<hits>     one per line of LineCoverage
//   LF:<lines>           lines with a statement
//   LH:<lines>           of those, lines with hits > 0
//   end_of_record
// Lines come from LineCoverage, so LF and LH equal FileSummary::lines and
// their sums CoverageSummary::total_lines. Only one file's lines are held
// at a time, and output goes to the sink in pieces of about a megabyte.
#include <algorithm>
#include <string>
#include <vector>

#include "base/format_decimal.h"
#include "base/str_cat.h"
#include "covmerge/exports.h"
#include "covmerge/status_macros.h"

namespace covmerge {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

}  // namespace

absl::Status WriteLcov(const CoverageSummary& summary, const ByteSink& sink) {
  std::string buffer;
  buffer.reserve(kFlushBytes + 4096);
  // One empty test name for the whole file: lcov keeps a TN: until the next
  // one, and a merged profile no longer knows which test ran a line.
  buffer.append("TN:\n");
  for (const FileSummary& file : summary.files) {
    // LCOV has no quoting: the path goes out byte for byte. The profile
    // parser splits at '\n', so a path never holds one and cannot end the
    // SF: line early.
    internal::Append(&buffer, "SF:", file.path, "\n");
    const std::vector<LineHits> lines = LineCoverage(*file.profile);
    uint64_t hit = 0;
    for (const LineHits& line : lines) {
      // "DA:" + 10 digits + ',' + 20 digits + '\n'.
      const size_t used = buffer.size();
      buffer.resize(used + 3 + 10 + 1 + 20 + 1);
      char* out = buffer.data() + used;
      out = std::copy_n("DA:", 3, out);
      out = internal::FormatDecimal(out, line.line);
      *out++ = ',';
      out = internal::FormatDecimal(out, line.hits);
      *out++ = '\n';
      buffer.resize(static_cast<size_t>(out - buffer.data()));
      if (line.hits > 0) ++hit;
      if (buffer.size() >= kFlushBytes) {
        COVMERGE_RETURN_IF_ERROR(sink(buffer));
        buffer.clear();
      }
    }
    internal::Append(&buffer, "LF:", static_cast<uint64_t>(lines.size()), "\nLH:", hit, "\nend_of_record\n");
    if (buffer.size() >= kFlushBytes) {
      COVMERGE_RETURN_IF_ERROR(sink(buffer));
      buffer.clear();
    }
  }
  if (!buffer.empty()) COVMERGE_RETURN_IF_ERROR(sink(buffer));
  return absl::OkStatus();
}

}  // namespace covmerge
