// SPDX-License-Identifier: Apache-2.0
#include "covmerge/patch.h"

#include <algorithm>
#include <map>

#include "base/str_cat.h"

namespace covmerge {
namespace {

bool IsMeasuredGoFile(std::string_view path) { return path.ends_with(".go") && !path.ends_with("_test.go"); }

// Whether a sorted list holds a value in [first, last].
bool AnyIn(const std::vector<uint32_t>& sorted, uint32_t first, uint32_t last) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), first);
  return it != sorted.end() && *it <= last;
}

PatchFile MeasureFile(const FileSummary& file, const std::vector<uint32_t>& changed) {
  PatchFile out;
  out.path = file.path;
  for (const Block& block : file.profile->blocks) {
    if (block.num_stmt == 0 || !AnyIn(changed, block.start_line, block.end_line)) continue;
    out.statements.statements += block.num_stmt;
    if (block.count > 0) out.statements.covered += block.num_stmt;
  }
  // The line rule of the report: a line's hits are the most of the blocks
  // that cover it, so a line that ran is never listed as uncovered.
  const std::vector<LineHits> lines = LineCoverage(*file.profile);
  auto hit = lines.begin();
  for (uint32_t line : changed) {
    hit = std::lower_bound(hit, lines.end(), line, [](const LineHits& h, uint32_t l) { return h.line < l; });
    if (hit == lines.end()) break;
    if (hit->line != line || hit->hits > 0) continue;
    if (!out.uncovered.empty() && out.uncovered.back().second + 1 == line) {
      out.uncovered.back().second = line;
    } else {
      out.uncovered.emplace_back(line, line);
    }
  }
  return out;
}

}  // namespace

PatchCoverage MeasurePatch(const CoverageSummary& summary, const std::vector<ChangedFile>& changes) {
  std::map<std::string_view, const FileSummary*> by_path;
  for (const FileSummary& file : summary.files) by_path.emplace(file.path, &file);
  // A file may appear in several diffs put together: its lines are joined.
  std::map<std::string, std::vector<uint32_t>> changed;
  for (const ChangedFile& change : changes) {
    if (!IsMeasuredGoFile(change.path)) continue;
    std::vector<uint32_t>& lines = changed[change.path];
    lines.insert(lines.end(), change.lines.begin(), change.lines.end());
  }
  PatchCoverage patch;
  for (auto& [path, lines] : changed) {
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    patch.changed_lines += lines.size();
    auto it = by_path.find(path);
    if (it == by_path.end()) {
      patch.unmeasured.push_back(path);
      continue;
    }
    PatchFile file = MeasureFile(*it->second, lines);
    patch.total.statements += file.statements.statements;
    patch.total.covered += file.statements.covered;
    patch.files.push_back(std::move(file));
  }
  return patch;
}

std::string DescribeRange(std::string_view path, const std::pair<uint32_t, uint32_t>& range) {
  if (range.first == range.second) return internal::Cat(path, ":", range.first);
  return internal::Cat(path, ":", range.first, "-", range.second);
}

}  // namespace covmerge
