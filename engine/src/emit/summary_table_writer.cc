// SPDX-License-Identifier: Apache-2.0
// The table a CI log shows: one row per package (and per file on request),
// columns aligned, the total last, e.g.
//   PACKAGE                  STATEMENTS  COVERED  COVERAGE
//   example.com/shop/cart            21       15     71.4%
//   TOTAL                            73       40     54.8%
// Names are printed as messages print paths (base/quote_path.h): a name with
// spaces or control characters is quoted and escaped, so the log never gets
// raw control bytes, and the columns are aligned to the printed form.
#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "base/quote_path.h"
#include "base/str_cat.h"
#include "covmerge/exports.h"
#include "covmerge/status_macros.h"
#include "report/coverage_order.h"

namespace covmerge {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

class TableWriter {
 public:
  TableWriter(size_t name_width, const ByteSink& sink) : name_width_(name_width), sink_(sink) {}

  absl::Status Header(std::string_view first_column) {
    return Row(first_column, "STATEMENTS", "COVERED", "COVERAGE");
  }

  // A row for a package or file `name`, printed with QuotePath.
  absl::Status Row(std::string_view name, const Coverage& coverage) {
    return LabelRow(internal::QuotePath(name), coverage);
  }

  // A row whose first column is printed as it is ("TOTAL").
  absl::Status LabelRow(std::string_view label, const Coverage& coverage) {
    const std::string percent =
        coverage.statements == 0 ? std::string("-") : internal::Cat(FormatPercent(coverage.Percent()), "%");
    return Row(label, internal::Cat(coverage.statements), internal::Cat(coverage.covered), percent);
  }

  absl::Status Blank() {
    out_ += '\n';
    return absl::OkStatus();
  }

  absl::Status Flush() {
    if (out_.empty()) return absl::OkStatus();
    absl::Status status = sink_(out_);
    out_.clear();
    return status;
  }

 private:
  absl::Status Row(std::string_view name, std::string_view statements, std::string_view covered,
                   std::string_view percent) {
    out_ += name;
    out_.append(name_width_ - std::min(name_width_, name.size()) + 2, ' ');
    Pad(statements, 10);
    out_ += "  ";
    Pad(covered, 7);
    out_ += "  ";
    Pad(percent, 8);
    out_ += '\n';
    return out_.size() >= kFlushBytes ? Flush() : absl::OkStatus();
  }

  void Pad(std::string_view text, size_t width) {
    if (text.size() < width) out_.append(width - text.size(), ' ');
    out_ += text;
  }

  size_t name_width_;
  const ByteSink& sink_;
  std::string out_;
};

// Row order: by name (the summary's order), or lowest coverage first with
// the name breaking ties, so the packages that need tests lead the log.
template <typename Row>
std::vector<size_t> Order(const std::vector<Row>& rows, TableOptions::Sort sort) {
  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), size_t{0});
  if (sort == TableOptions::Sort::kCoverage) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const Coverage& x = rows[a].statements;
      const Coverage& y = rows[b].statements;
      // Rows without statements have no percent: they go last.
      if (x.statements == 0 || y.statements == 0) return x.statements != 0 && y.statements == 0;
      return internal::CoverageBelow(x, y);
    });
  }
  return order;
}

}  // namespace

absl::Status WriteSummaryTable(const CoverageSummary& summary, const TableOptions& options,
                               const ByteSink& sink) {
  size_t width = std::string_view("PACKAGE").size();
  for (const PackageSummary& package : summary.packages) {
    width = std::max(width, internal::QuotePath(package.name).size());
  }
  if (options.by_file) {
    for (const FileSummary& file : summary.files) width = std::max(width, internal::QuotePath(file.path).size());
  }
  TableWriter table(width, sink);
  COVMERGE_RETURN_IF_ERROR(table.Header("PACKAGE"));
  for (size_t i : Order(summary.packages, options.sort)) {
    COVMERGE_RETURN_IF_ERROR(table.Row(summary.packages[i].name, summary.packages[i].statements));
  }
  COVMERGE_RETURN_IF_ERROR(table.LabelRow("TOTAL", summary.total));
  if (options.by_file) {
    COVMERGE_RETURN_IF_ERROR(table.Blank());
    COVMERGE_RETURN_IF_ERROR(table.Header("FILE"));
    for (size_t i : Order(summary.files, options.sort)) {
      COVMERGE_RETURN_IF_ERROR(table.Row(summary.files[i].path, summary.files[i].statements));
    }
  }
  return table.Flush();
}

}  // namespace covmerge
