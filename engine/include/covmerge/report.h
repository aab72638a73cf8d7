// SPDX-License-Identifier: Apache-2.0
// Coverage summaries of a merged profile: totals per package (the directory
// part of a file's path) and per file, in statements (the formula of
// `go test -cover`) and in source lines (the LCOV and Cobertura rule). The
// exports (exports.h) and the gate (gate.h) read a CoverageSummary.
#ifndef COVMERGE_REPORT_H_
#define COVMERGE_REPORT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "covmerge/profile.h"

namespace covmerge {

// Rewrites import paths into the paths a coverage service expects (usually
// relative to the repository root). Rules are tried in the order they were
// added and the first whose `from` is a prefix of the path, ending at a '/'
// or at the end of `from`'s own '/', wins: "example.com/mod" rewrites
// "example.com/mod/a.go" but not "example.com/module/a.go". Immutable after
// setup; thread-safe to read.
class PathRewriter {
 public:
  // `from` -> `to`, e.g. "example.com/mod" -> "services/mod". An empty `to`
  // strips the prefix and the '/' after it (--strip-prefix).
  void AddRule(std::string from, std::string to);
  std::string Rewrite(std::string_view path) const;
  bool empty() const { return rules_.empty(); }
  // The index of the rule that rewrites `path` (the first that matches),
  // or -1: which rules matched no path at all is worth a warning.
  int RuleFor(std::string_view path) const;
  size_t rule_count() const { return rules_.size(); }
  // "--strip-prefix FROM" or "--path-map FROM=TO", as the user wrote it.
  std::string DescribeRule(size_t index) const;

 private:
  struct Rule {
    std::string from;  // without a trailing '/'
    std::string to;
  };
  std::vector<Rule> rules_;
};

// A source line and the largest count of the blocks (with statements) that
// cover it: a block covers the lines from its start line to its end line.
// Blocks without statements cover nothing.
struct LineHits {
  uint32_t line = 0;
  uint64_t hits = 0;
};

// The most lines one block may span in line-based reports. Go blocks end at
// the next branch, so even generated code stays far below; a larger span
// is damaged or hostile input that would expand into gigabytes of lines.
inline constexpr uint32_t kMaxBlockLines = 1u << 20;

// InvalidArgument, naming the file and block ("block x/a.go:1.1,2000000.2
// spans ..."), when a block spans more than kMaxBlockLines lines. Call
// before Summarize and the line-based exports. The merge keeps no input per
// block: pass the names of the inputs merged (`inputs`) and the message
// names the input when there is one, or how many there are.
absl::Status CheckLineSpans(const MergedProfile& profile);
absl::Status CheckLineSpans(const MergedProfile& profile, std::span<const std::string> inputs);

// The lines of one file in increasing order, each once. Allocates only the
// result. A block longer than kMaxBlockLines counts only its first
// kMaxBlockLines lines (CheckLineSpans reports such blocks).
std::vector<LineHits> LineCoverage(const FileProfile& file);

struct LineTotals {
  uint64_t lines = 0;    // distinct source lines with a statement (LCOV LF)
  uint64_t covered = 0;  // of those, lines with hits > 0 (LCOV LH)
  // 100 * covered / lines; 0 when there are no lines.
  double Percent() const;
};

struct FileSummary {
  std::string path;     // after PathRewriter
  std::string package;  // the directory part of `path`; "." when it has none
  Coverage statements;
  LineTotals lines;
  const FileProfile* profile = nullptr;  // its blocks, owned by the MergedProfile
};

struct PackageSummary {
  std::string name;
  Coverage statements;
  LineTotals lines;
  // This package's files are files[first_file, first_file + file_count).
  size_t first_file = 0;
  size_t file_count = 0;
};

// What a report shows. `files` are sorted by package, then path (byte
// order), so each package's files are contiguous; `packages` are sorted by
// name. Holds pointers into the MergedProfile, which must outlive it.
struct CoverageSummary {
  Mode mode = Mode::kSet;
  Coverage total;
  LineTotals total_lines;
  std::vector<PackageSummary> packages;
  std::vector<FileSummary> files;
  // Copied from the MergeReport, for the exports.
  uint64_t inputs_merged = 0;
  uint64_t inputs_skipped = 0;
  uint64_t excluded_files = 0;
};

// Builds the summary of `profile`, with paths rewritten by `rewriter`.
CoverageSummary Summarize(const MergedProfile& profile, const PathRewriter& rewriter);

// The package of a path, the one rule for the report, its exports and the
// C and Python bindings: the part before the last '/', "." when there is
// none, "/" when it is the first byte (as Go's path.Dir): "a/b/c.go" ->
// "a/b"; "c.go" -> "."; "/c.go" -> "/". A view into `path` or a literal.
std::string_view PackageOf(std::string_view path);

// The percent as `go test -cover` prints it, without the '%': "54.8".
std::string FormatPercent(double percent);

}  // namespace covmerge

#endif  // COVMERGE_REPORT_H_
