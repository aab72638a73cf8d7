// SPDX-License-Identifier: Apache-2.0
// Summaries per file and per package. Line totals follow LineCoverage, the
// rule the LCOV and Cobertura exports use, so a service reading those files
// shows the same numbers as the JSON summary.
#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

#include "base/quote_path.h"
#include "base/str_cat.h"
#include "covmerge/report.h"
#include "covmerge/error.h"

namespace covmerge {

double LineTotals::Percent() const {
  return lines == 0 ? 0.0 : 100.0 * static_cast<double>(covered) / static_cast<double>(lines);
}

std::vector<LineHits> LineCoverage(const FileProfile& file) {
  // Blocks are sorted by start, not by end, and may overlap: collect each
  // (line, count) pair, sort, and keep the largest count per line.
  std::vector<LineHits> lines;
  for (const Block& block : file.blocks) {
    if (block.num_stmt == 0 || block.end_line < block.start_line) continue;
    const uint64_t last = std::min<uint64_t>(block.end_line, uint64_t{block.start_line} + kMaxBlockLines - 1);
    for (uint64_t line = block.start_line; line <= last; ++line) {
      lines.push_back({static_cast<uint32_t>(line), block.count});
    }
  }
  std::sort(lines.begin(), lines.end(),
            [](const LineHits& a, const LineHits& b) { return a.line < b.line; });
  size_t kept = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (kept > 0 && lines[kept - 1].line == lines[i].line) {
      lines[kept - 1].hits = std::max(lines[kept - 1].hits, lines[i].hits);
    } else {
      lines[kept++] = lines[i];
    }
  }
  lines.resize(kept);
  return lines;
}

absl::Status CheckLineSpans(const MergedProfile& profile, std::span<const std::string> inputs) {
  for (const FileProfile& file : profile.files) {
    for (const Block& b : file.blocks) {
      if (b.num_stmt > 0 && b.end_line >= b.start_line && b.end_line - b.start_line >= kMaxBlockLines) {
        // Found after the merge, which keeps no input per block: name the
        // block as its line starts, so that grep finds the input and line.
        const std::string block =
            internal::Cat(file.path, ":", b.start_line, ".", b.start_col, ",", b.end_line, ".", b.end_col);
        std::string where = "the input line that starts with it";
        if (inputs.size() == 1) {
          where = internal::Cat("the line of ", internal::QuotePath(inputs[0]), " that starts with it");
        } else if (!inputs.empty()) {
          where = internal::Cat("the line that starts with it in one of the ", inputs.size(), " inputs");
        }
        return MalformedError("", internal::Cat(
            "block ", internal::QuotePath(block), " spans ", uint64_t{b.end_line} - b.start_line + 1,
            " lines, more than the ", kMaxBlockLines, " a line-based report takes; ", where, " is damaged"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckLineSpans(const MergedProfile& profile) { return CheckLineSpans(profile, {}); }

std::string_view PackageOf(std::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";  // as Go's path.Dir("/a.go")
  return path.substr(0, slash);
}

std::string FormatPercent(double percent) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", percent);
  return text;
}

namespace {

void Add(Coverage* total, const Coverage& part) {
  total->statements += part.statements;
  total->covered += part.covered;
}

void Add(LineTotals* total, const LineTotals& part) {
  total->lines += part.lines;
  total->covered += part.covered;
}

}  // namespace

CoverageSummary Summarize(const MergedProfile& profile, const PathRewriter& rewriter) {
  CoverageSummary summary;
  summary.mode = profile.mode;
  summary.files.reserve(profile.files.size());
  for (const FileProfile& file : profile.files) {
    FileSummary& f = summary.files.emplace_back();
    f.path = rewriter.Rewrite(file.path);
    f.package = std::string(PackageOf(f.path));
    f.profile = &file;
    for (const Block& block : file.blocks) {
      f.statements.statements += block.num_stmt;
      if (block.count > 0) f.statements.covered += block.num_stmt;
    }
    for (const LineHits& line : LineCoverage(file)) {
      ++f.lines.lines;
      if (line.hits > 0) ++f.lines.covered;
    }
  }
  // Rewriting may reorder paths, and "a/b.go" sorts after "a/b/c.go" by
  // path but its package "a" comes first: sort by (package, path).
  std::stable_sort(summary.files.begin(), summary.files.end(), [](const FileSummary& a, const FileSummary& b) {
    return a.package != b.package ? a.package < b.package : a.path < b.path;
  });
  for (size_t i = 0; i < summary.files.size(); ++i) {
    const FileSummary& f = summary.files[i];
    if (summary.packages.empty() || summary.packages.back().name != f.package) {
      PackageSummary& p = summary.packages.emplace_back();
      p.name = f.package;
      p.first_file = i;
    }
    PackageSummary& p = summary.packages.back();
    ++p.file_count;
    Add(&p.statements, f.statements);
    Add(&p.lines, f.lines);
    Add(&summary.total, f.statements);
    Add(&summary.total_lines, f.lines);
  }
  return summary;
}

}  // namespace covmerge
