// SPDX-License-Identifier: Apache-2.0
// The Cobertura XML export (coverage-04.dtd), the format GitLab's merge
// request coverage view, Jenkins' Cobertura and Coverage plugins and Azure
// DevOps read. A Go package becomes a <package>, a file a <class> named
// after the file (Go has no classes, and a file is what these services
// annotate), and each line of LineCoverage a <line>. Go profiles carry no
// branch or complexity data, so those attributes are "0" and <methods> is
// empty. Output goes to the sink in pieces of about a megabyte, holding
// only one file's lines at a time.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "absl/numeric/int128.h"
#include "base/format_decimal.h"
#include "base/str_cat.h"
#include "covmerge/exports.h"
#include "covmerge/status_macros.h"
#include "emit/xml_escape.h"

namespace covmerge {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

// covered / lines with at most 4 decimals and no trailing zeros ("0",
// "0.5", "0.8333", "1"), built from integers so no locale or floating-point
// printing is involved. Parsers read the attribute as a double (Jenkins,
// ReportGenerator for Azure DevOps) or ignore it (GitLab reads only
// filenames and <line>s), so any decimal works; NaN would not.
//  - No lines gives "1", as Cobertura itself writes
//    (CoverageDataContainer.getLineCoverageRate): nothing to cover is not a
//    failure, and a "0" would pull a service's package view down.
//  - Rounding never reaches "1" while a line is missed, nor "0" while one
//    is hit, so a gate on line-rate == 1 or > 0 reads the truth.
std::string FormatRate(uint64_t covered, uint64_t lines) {
  if (lines == 0 || covered >= lines) return "1";
  if (covered == 0) return "0";
  constexpr uint64_t kScale = 10000;
  // 128 bits: covered * kScale overflows 64 bits for counts past 2^50.
  auto scaled = absl::Uint128Low64((absl::uint128(covered) * kScale + lines / 2) / lines);
  scaled = std::clamp<uint64_t>(scaled, 1, kScale - 1);
  char digits[5] = {'0', '0', '0', '0', '\0'};
  for (int i = 3; i >= 0; --i, scaled /= 10) digits[i] = static_cast<char>('0' + scaled % 10);
  std::string_view decimals(digits, 4);
  decimals = decimals.substr(0, decimals.find_last_not_of('0') + 1);
  return internal::Cat("0.", decimals);
}

// Cobertura's timestamp is in milliseconds; saturate rather than wrap for a
// SOURCE_DATE_EPOCH beyond the year 292 million.
int64_t Milliseconds(int64_t seconds) {
  int64_t ms = 0;
  if (__builtin_mul_overflow(seconds, int64_t{1000}, &ms)) {
    return seconds < 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
  }
  return ms;
}

// "a/b/cart.go" -> "cart": the class name services show next to the path.
std::string_view ClassName(std::string_view path) {
  const size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base.size() > 3 && base.substr(base.size() - 3) == ".go") base.remove_suffix(3);
  return base;
}

}  // namespace

absl::Status WriteCobertura(const CoverageSummary& summary, const CoberturaOptions& options,
                            const ByteSink& sink) {
  std::string buffer;
  buffer.reserve(kFlushBytes + 4096);
  const auto flush_if_full = [&]() -> absl::Status {
    if (buffer.size() < kFlushBytes) return absl::OkStatus();
    COVMERGE_RETURN_IF_ERROR(sink(buffer));
    buffer.clear();
    return absl::OkStatus();
  };

  // No encoding declaration: the document is UTF-8, which AppendXmlEscaped
  // guarantees even for paths that are not.
  internal::Append(&buffer,
                   "<?xml version=\"1.0\" ?>\n"
                   "<!DOCTYPE coverage SYSTEM \"http://cobertura.sourceforge.net/xml/coverage-04.dtd\">\n"
                   "<coverage line-rate=\"",
                   FormatRate(summary.total_lines.covered, summary.total_lines.lines),
                   "\" branch-rate=\"0\" lines-covered=\"", summary.total_lines.covered, "\" lines-valid=\"",
                   summary.total_lines.lines,
                   "\" branches-covered=\"0\" branches-valid=\"0\" complexity=\"0\" version=\"covmerge\" "
                   "timestamp=\"",
                   Milliseconds(options.timestamp), "\">\n\t<sources>\n\t\t<source>");
  internal::AppendXmlEscaped(&buffer, options.source);
  buffer.append("</source>\n\t</sources>\n\t<packages>\n");

  for (const PackageSummary& package : summary.packages) {
    buffer.append("\t\t<package name=\"");
    internal::AppendXmlEscaped(&buffer, package.name);
    internal::Append(&buffer, "\" line-rate=\"", FormatRate(package.lines.covered, package.lines.lines),
                     "\" branch-rate=\"0\" complexity=\"0\">\n\t\t\t<classes>\n");
    for (size_t i = package.first_file; i < package.first_file + package.file_count; ++i) {
      const FileSummary& file = summary.files[i];
      buffer.append("\t\t\t\t<class name=\"");
      internal::AppendXmlEscaped(&buffer, ClassName(file.path));
      buffer.append("\" filename=\"");
      internal::AppendXmlEscaped(&buffer, file.path);
      internal::Append(&buffer, "\" line-rate=\"", FormatRate(file.lines.covered, file.lines.lines),
                       "\" branch-rate=\"0\" complexity=\"0\">\n\t\t\t\t\t<methods/>\n\t\t\t\t\t<lines>\n");
      for (const LineHits& line : LineCoverage(*file.profile)) {
        // Indent, "<line number=\"", 10 digits, "\" hits=\"", 20 digits, "\"/>\n".
        constexpr std::string_view kOpen = "\t\t\t\t\t\t<line number=\"";
        constexpr std::string_view kMiddle = "\" hits=\"";
        constexpr std::string_view kClose = "\"/>\n";
        const size_t used = buffer.size();
        buffer.resize(used + kOpen.size() + 10 + kMiddle.size() + 20 + kClose.size());
        char* out = buffer.data() + used;
        out = std::copy(kOpen.begin(), kOpen.end(), out);
        out = internal::FormatDecimal(out, line.line);
        out = std::copy(kMiddle.begin(), kMiddle.end(), out);
        out = internal::FormatDecimal(out, line.hits);
        out = std::copy(kClose.begin(), kClose.end(), out);
        buffer.resize(static_cast<size_t>(out - buffer.data()));
        COVMERGE_RETURN_IF_ERROR(flush_if_full());
      }
      buffer.append("\t\t\t\t\t</lines>\n\t\t\t\t</class>\n");
      COVMERGE_RETURN_IF_ERROR(flush_if_full());
    }
    buffer.append("\t\t\t</classes>\n\t\t</package>\n");
  }
  buffer.append("\t</packages>\n</coverage>\n");
  return sink(buffer);
}

int64_t ReportTime() {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    char* end = nullptr;
    const long long value = std::strtoll(epoch, &end, 10);
    if (*end == '\0' && value >= 0) return value;
  }
  return static_cast<int64_t>(std::time(nullptr));
}

}  // namespace covmerge
