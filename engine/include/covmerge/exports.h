// SPDX-License-Identifier: Apache-2.0
// Writers of a CoverageSummary for people and for coverage services: the
// text table of a CI log, a versioned JSON summary (the gate's baseline),
// an LCOV tracefile, Cobertura XML and a self-contained HTML report. Each
// streams into a ByteSink in pieces of about a megabyte and holds at most
// one file's lines at a time, so memory stays bounded by the summary.
// Each returns the first error the sink returns.
#ifndef COVMERGE_EXPORTS_H_
#define COVMERGE_EXPORTS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "covmerge/gate.h"
#include "covmerge/patch.h"
#include "covmerge/report.h"
#include "covmerge/writer.h"

namespace covmerge {

struct TableOptions {
  enum class Sort { kName, kCoverage };  // kCoverage: lowest percent first
  Sort sort = Sort::kName;
  bool by_file = false;  // also a table of files, grouped by package
};

// The aligned table of packages (and optionally files) with statements,
// covered and percent, ending with the total.
absl::Status WriteSummaryTable(const CoverageSummary& summary, const TableOptions& options,
                               const ByteSink& sink);

// The JSON summary, schema "covmerge-summary" version 1 (docs/json-summary.md);
// with `patch`, its "patch" member too.
absl::Status WriteJsonSummary(const CoverageSummary& summary, const ByteSink& sink);
absl::Status WriteJsonSummary(const CoverageSummary& summary, const PatchCoverage* patch, const ByteSink& sink);

// An LCOV tracefile: for each file SF:, DA:<line>,<hits> per line of
// LineCoverage, LF:, LH:, end_of_record.
absl::Status WriteLcov(const CoverageSummary& summary, const ByteSink& sink);

struct CoberturaOptions {
  // Seconds since the epoch for the timestamp attribute (Cobertura writes
  // milliseconds); the command and the bindings take ReportTime().
  int64_t timestamp = 0;
  // The <source> element: the directory the file paths are relative to.
  std::string source = ".";
};

// The time a report is made, for its timestamp: SOURCE_DATE_EPOCH when set
// (https://reproducible-builds.org/specs/source-date-epoch/), else the clock.
int64_t ReportTime();

// Cobertura XML (coverage-04.dtd): a <package> per package, a <class> per
// file, a <line> per line of LineCoverage.
absl::Status WriteCobertura(const CoverageSummary& summary, const CoberturaOptions& options,
                            const ByteSink& sink);

struct HtmlOptions {
  std::string title = "Coverage report";
  // When set, the source of a file by its report path (after the path
  // rules), or nullopt when it cannot be read: the page then holds each
  // file's source with its lines coloured covered / not covered / not
  // instrumented and the counts on hover, as `go tool cover -html` shows
  // one package, for the whole merge. The caller reads the files (the
  // command: under --source-root).
  std::function<std::optional<std::string>(const std::string& path)> read_source = nullptr;
  // Sources are embedded until they reach this many bytes; the files past
  // it keep their row and say the report's budget left them out, so that a
  // 20,000-file repository gives a page that still opens quickly.
  uint64_t source_budget = uint64_t{24} << 20;
};

// One HTML file that needs no network: the total, a sortable table of
// packages with coverage bars and a treemap of files sized by statements
// and coloured by coverage.
absl::Status WriteHtmlReport(const CoverageSummary& summary, const HtmlOptions& options,
                             const ByteSink& sink);

// What a Markdown summary shows besides the summary; each may be null.
struct MarkdownInputs {
  const GateResult* gate = nullptr;
  const Baseline* baseline = nullptr;
  const PatchCoverage* patch = nullptr;
};

// A Markdown summary for a pull request comment or GitHub's job summary:
// the verdict and failures, the total (and its change against the
// baseline), patch coverage, the packages that fell, are new or gone, and
// the changed lines no test ran (the first 25 of each, then a count).
absl::Status WriteMarkdownSummary(const CoverageSummary& summary, const MarkdownInputs& inputs,
                                  const ByteSink& sink);

// Runs `write` into a temporary file beside `path` and renames it into
// place only when `write` and the writes succeeded, so `path` is never left
// half-written. "-" writes to standard output.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::function<absl::Status(const ByteSink&)>& write);

}  // namespace covmerge

#endif  // COVMERGE_EXPORTS_H_
