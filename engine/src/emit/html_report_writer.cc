// SPDX-License-Identifier: Apache-2.0
// The self-contained HTML report: a header with the total statement
// coverage (the formula and rounding of `go test -cover`), a table of
// packages with coverage bars, written here so it reads without JavaScript,
// and a treemap of files that the inline script lays out at load from JSON
// embedded in the page (html_report_assets.h holds the style and script).
//
// Paths reach three contexts, each with its own escaping:
//  - HTML text and attribute values: & < > " ' and control characters become
//    character references (a raw CR would be read back as LF);
//  - JSON inside <script type="application/json">: AppendJsonString escapes
//    '<' as \u003c, so no path can close the element with "</script>";
//  - both: paths may hold any byte but NUL and newline and need not be
//    UTF-8, but the page is UTF-8, so each byte outside a valid UTF-8
//    sequence becomes U+FFFD in the table and the JSON alike. Such a path is
//    therefore shown, not reproduced; the data attributes of a row and of a
//    tile for the same path still match.
//
// Below the packages, each package opens the table of its files; with
// HtmlOptions::read_source, each file opens its source, kept in a
// <template> (parsed but not laid out) until the script shows it for a
// "#file=N" fragment, so that a page of thousands of sources opens as fast
// as one without.
//
// The document goes to the sink in pieces of about a megabyte; only one
// piece is held at a time, however many files there are.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/str_cat.h"
#include "covmerge/exports.h"
#include "covmerge/status_macros.h"
#include "emit/html_report_assets.h"
#include "emit/json_string.h"

namespace covmerge {
namespace {

using internal::Append;

constexpr size_t kFlushBytes = 1 << 20;

// Collects the document and hands it to the sink whenever a megabyte has
// gathered.
class PieceWriter {
 public:
  explicit PieceWriter(const ByteSink& sink) : sink_(sink) { buffer_.reserve(kFlushBytes + 64 * 1024); }

  std::string* buffer() { return &buffer_; }

  absl::Status MaybeFlush() { return buffer_.size() >= kFlushBytes ? Flush() : absl::OkStatus(); }

  absl::Status Flush() {
    if (buffer_.empty()) return absl::OkStatus();
    COVMERGE_RETURN_IF_ERROR(sink_(buffer_));
    buffer_.clear();
    return absl::OkStatus();
  }

 private:
  const ByteSink& sink_;
  std::string buffer_;
};

// Appends `s` escaped for HTML text and for attribute values in double or
// single quotes.
void AppendHtml(std::string* out, std::string_view s) {
  while (!s.empty()) {
    const auto c = static_cast<unsigned char>(s[0]);
    size_t length = 1;
    switch (c) {
      case '&': out->append("&amp;"); break;
      case '<': out->append("&lt;"); break;
      case '>': out->append("&gt;"); break;
      case '"': out->append("&quot;"); break;
      case '\'': out->append("&#39;"); break;
      default:
        if (c < 0x20 || c == 0x7F) {
          Append(out, "&#", static_cast<int>(c), ';');
        } else if (c < 0x80) {
          out->push_back(static_cast<char>(c));
        } else if ((length = internal::Utf8SequenceLength(s)) > 0) {
          out->append(s.substr(0, length));
        } else {
          out->append("\xEF\xBF\xBD");  // U+FFFD, as AppendJsonString writes
          length = 1;
        }
    }
    s.remove_prefix(length);
  }
}

// 1234567 -> "1,234,567": statement counts of a monorepo are long.
void AppendGrouped(std::string* out, uint64_t value) {
  const std::string digits = internal::Cat(value);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out->push_back(',');
    out->push_back(digits[i]);
  }
}

// The colour band of html_report_assets.h: "c0".."c10", or "cn" without
// statements. The script computes the same expression for treemap tiles.
std::string Band(const Coverage& coverage) {
  if (coverage.statements == 0) return "cn";
  return internal::Cat('c', static_cast<int>(std::floor(coverage.Percent() / 10)));
}

// "54.8%", or "no statements" as `go test -cover` says "[no statements]".
std::string PercentText(const Coverage& coverage) {
  return coverage.statements == 0 ? "no statements" : internal::Cat(FormatPercent(coverage.Percent()), '%');
}

void AppendBar(std::string* out, const Coverage& coverage) {
  Append(out, "<span class=\"bar\"><span class=\"", Band(coverage), "\" style=\"width:",
         coverage.statements == 0 ? std::string("0") : FormatPercent(coverage.Percent()), "%\"></span></span>");
}

void AppendHead(std::string* out, const CoverageSummary& summary, const HtmlOptions& options) {
  Append(out,
         "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"generator\" content=\"covmerge\">\n<title>");
  AppendHtml(out, options.title);
  Append(out, " \xE2\x80\x94 ", PercentText(summary.total), "</title>\n<style>", internal::kHtmlReportCss,
         "</style>\n</head>\n<body>\n");
}

void AppendHeader(std::string* out, const CoverageSummary& summary, const HtmlOptions& options) {
  Append(out, "<header>\n<div class=\"wrap\">\n<div class=\"summary\">\n<div class=\"headline\">"
         "<span id=\"total\" data-statements=\"", summary.total.statements, "\" data-covered=\"",
         summary.total.covered, "\">", PercentText(summary.total),
         "</span><span class=\"of\">of statements</span></div>\n<div class=\"total-bar\">");
  AppendBar(out, summary.total);
  Append(out, "</div>\n</div>\n<div class=\"titles\">\n<h1>");
  AppendHtml(out, options.title);
  Append(out, "</h1>\n<p class=\"stats\"><b>");
  AppendGrouped(out, summary.total.covered);
  Append(out, "</b> of <b>");
  AppendGrouped(out, summary.total.statements);
  Append(out, "</b> statements covered \xC2\xB7 <b>");
  AppendGrouped(out, summary.packages.size());
  Append(out, summary.packages.size() == 1 ? "</b> package" : "</b> packages", " \xC2\xB7 <b>");
  AppendGrouped(out, summary.files.size());
  Append(out, summary.files.size() == 1 ? "</b> file" : "</b> files", " \xC2\xB7 mode: ", ModeName(summary.mode),
         "</p>\n</div>\n</div>\n</header>\n");
}

// The number cells and the coverage cell of a table row, and its end.
void AppendCoverageCells(std::string* out, const Coverage& coverage) {
  Append(out, "</td><td class=\"num\">");
  AppendGrouped(out, coverage.statements);
  Append(out, "</td><td class=\"num\">");
  AppendGrouped(out, coverage.covered);
  Append(out, "</td><td class=\"pct\"><div class=\"pct-cell\"><span class=\"pct-text\">",
         coverage.statements == 0 ? std::string("\xE2\x80\x94") : PercentText(coverage), "</span>");
  AppendBar(out, coverage);
  Append(out, "</div></td></tr>\n");
}

absl::Status WritePackageTable(const CoverageSummary& summary, PieceWriter* writer) {
  std::string* out = writer->buffer();
  Append(out,
         "<section id=\"packages-section\">\n<div class=\"section-head\"><h2>Packages</h2>"
         "<span class=\"hint\">Click a column to sort</span>"
         "<input id=\"filter\" type=\"search\" placeholder=\"Filter packages\" aria-label=\"Filter packages\">"
         "</div>\n");
  if (summary.packages.empty()) {
    Append(out, "<p class=\"empty\">The profile has no files.</p>\n");
  }
  Append(out,
         "<div class=\"table-scroll\">\n<table id=\"packages\">\n<thead><tr>"
         "<th data-sort=\"name\" tabindex=\"0\">Package</th>"
         "<th data-sort=\"statements\" class=\"num\" tabindex=\"0\">Statements</th>"
         "<th data-sort=\"covered\" class=\"num\" tabindex=\"0\">Covered</th>"
         "<th data-sort=\"percent\" tabindex=\"0\">Coverage</th>"
         "</tr></thead>\n<tbody>\n");
  for (size_t n = 0; n < summary.packages.size(); ++n) {
    const PackageSummary& p = summary.packages[n];
    Append(out, "<tr data-package=\"");
    AppendHtml(out, p.name);
    Append(out, "\" data-statements=\"", p.statements.statements, "\" data-covered=\"", p.statements.covered,
           "\"><td class=\"name\"><a href=\"#files-", n, "\">");
    AppendHtml(out, p.name);
    Append(out, "</a>");
    AppendCoverageCells(out, p.statements);
    COVMERGE_RETURN_IF_ERROR(writer->MaybeFlush());
  }
  Append(out, "</tbody>\n</table>\n</div>\n</section>\n");
  return absl::OkStatus();
}

// Each package's files, in <details> that the package table links to
// ("#files-N"); a file with an embedded source links to it ("#file=N").
absl::Status WriteFileTables(const CoverageSummary& summary, const std::vector<bool>& has_source,
                             PieceWriter* writer) {
  std::string* out = writer->buffer();
  Append(out, "<section id=\"files-section\">\n<div class=\"section-head\"><h2>Files</h2>"
              "<span class=\"hint\">Open a package for its files", has_source.empty() ? "" : ", a file for its source",
              "</span></div>\n");
  for (size_t n = 0; n < summary.packages.size(); ++n) {
    const PackageSummary& p = summary.packages[n];
    Append(out, "<details class=\"files\" id=\"files-", n, "\" data-package=\"");
    AppendHtml(out, p.name);
    Append(out, "\"><summary><span class=\"name\">");
    AppendHtml(out, p.name);
    Append(out, "</span> <span class=\"pct-text\">", PercentText(p.statements), "</span> \xC2\xB7 ", p.file_count,
           p.file_count == 1 ? " file" : " files", "</summary>\n<table>\n<tbody>\n");
    for (size_t k = 0; k < p.file_count; ++k) {
      const size_t index = p.first_file + k;
      const FileSummary& f = summary.files[index];
      Append(out, "<tr data-file=\"");
      AppendHtml(out, f.path);
      Append(out, "\"><td class=\"name\">");
      if (!has_source.empty() && has_source[index]) {
        Append(out, "<a href=\"#file=", index, "\">");
        AppendHtml(out, f.path);
        Append(out, "</a>");
      } else {
        AppendHtml(out, f.path);
        if (!has_source.empty()) Append(out, " <span class=\"hint\">(source not embedded)</span>");
      }
      AppendCoverageCells(out, f.statements);
      COVMERGE_RETURN_IF_ERROR(writer->MaybeFlush());
    }
    Append(out, "</tbody>\n</table>\n</details>\n");
  }
  Append(out, "</section>\n");
  return absl::OkStatus();
}

// Source text for a <pre>: as AppendHtml, but a tab stays a tab.
void AppendSourceText(std::string* out, std::string_view text) {
  size_t tab;
  while ((tab = text.find('\t')) != std::string_view::npos) {
    AppendHtml(out, text.substr(0, tab));
    out->push_back('\t');
    text.remove_prefix(tab + 1);
  }
  AppendHtml(out, text);
}

// Where the script shows a source: first in the page, so that an opened
// file is what the reader sees.
void AppendSourceSection(std::string* out) {
  Append(out, "<section id=\"source-section\" hidden>\n<div class=\"section-head\"><h2 id=\"source-title\">"
              "</h2><span class=\"legend\"><span class=\"l cov\">covered</span> <span class=\"l unc\">not "
              "covered</span> <span class=\"l\">not instrumented</span></span></div>\n"
              "<div id=\"source-view\"></div>\n</section>\n");
}

// One file's source in a <template id="src-N">: a line per <span>, with
// class "cov" (ran), "unc" (did not run) or none (no statement), and its
// count (the line rule of LineCoverage) on hover.
void AppendSource(std::string* out, size_t index, const FileSummary& file, std::string_view source) {
  Append(out, "<template id=\"src-", index, "\" data-path=\"");
  AppendHtml(out, file.path);
  Append(out, "\"><pre class=\"source\">");
  const std::vector<LineHits> hits = LineCoverage(*file.profile);
  auto hit = hits.begin();
  uint32_t number = 0;
  while (!source.empty() || number == 0) {
    ++number;
    const size_t newline = source.find('\n');
    std::string_view text = source.substr(0, newline);
    source.remove_prefix(newline == std::string_view::npos ? source.size() : newline + 1);
    while (hit != hits.end() && hit->line < number) ++hit;
    if (hit != hits.end() && hit->line == number) {
      Append(out, "<span class=\"l ", hit->hits > 0 ? "cov" : "unc", "\" title=\"", hit->hits,
             hit->hits == 1 ? " hit" : " hits", "\">");
    } else {
      Append(out, "<span class=\"l\">");
    }
    Append(out, "<i>", number, "</i>");
    AppendSourceText(out, text);
    // No newline between lines: each is a block of its own.
    Append(out, "</span>");
    if (source.empty()) break;
  }
  Append(out, "</pre></template>\n");
}

void AppendTreemapSection(std::string* out) {
  Append(out,
         "<section id=\"treemap-section\">\n<div class=\"section-head\"><h2>Treemap</h2>"
         "<span class=\"hint\">Files sized by statements, grouped by package</span>"
         "<span class=\"legend\" aria-hidden=\"true\">0%<span class=\"swatches\">");
  for (int band = 0; band <= 10; ++band) Append(out, "<i class=\"c", band, "\"></i>");
  Append(out,
         "</span>100%</span></div>\n<div id=\"treemap\"></div>\n"
         "<noscript><p class=\"empty\">The treemap needs JavaScript.</p></noscript>\n</section>\n");
}

// {"packages": [[name, [[path, statements, covered], ...]], ...]}, the
// layout html_report_assets.h reads.
absl::Status WriteTreemapData(const CoverageSummary& summary, PieceWriter* writer) {
  std::string* out = writer->buffer();
  Append(out, "<script type=\"application/json\" id=\"report-data\">{\"packages\":[");
  for (size_t i = 0; i < summary.packages.size(); ++i) {
    const PackageSummary& p = summary.packages[i];
    if (i > 0) out->push_back(',');
    out->append("\n[");
    internal::AppendJsonString(out, p.name);
    out->append(",[");
    for (size_t k = 0; k < p.file_count; ++k) {
      const FileSummary& f = summary.files[p.first_file + k];
      if (k > 0) out->push_back(',');
      out->push_back('[');
      internal::AppendJsonString(out, f.path);
      Append(out, ',', f.statements.statements, ',', f.statements.covered, ']');
      COVMERGE_RETURN_IF_ERROR(writer->MaybeFlush());
    }
    out->append("]]");
  }
  Append(out, "\n]}</script>\n");
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteHtmlReport(const CoverageSummary& summary, const HtmlOptions& options, const ByteSink& sink) {
  PieceWriter writer(sink);
  std::string* out = writer.buffer();
  AppendHead(out, summary, options);
  AppendHeader(out, summary, options);
  // Which sources fit the budget: read once here to size them, and again
  // when written, so that only one source is held at a time.
  std::vector<bool> has_source;
  if (options.read_source) {
    has_source.assign(summary.files.size(), false);
    uint64_t used = 0;
    for (size_t i = 0; i < summary.files.size(); ++i) {
      const std::optional<std::string> source = options.read_source(summary.files[i].path);
      if (!source || used + source->size() > options.source_budget) continue;
      used += source->size();
      has_source[i] = true;
    }
  }
  Append(out, "<main class=\"wrap\">\n");
  if (!has_source.empty()) AppendSourceSection(out);
  COVMERGE_RETURN_IF_ERROR(WritePackageTable(summary, &writer));
  COVMERGE_RETURN_IF_ERROR(WriteFileTables(summary, has_source, &writer));
  AppendTreemapSection(out);
  Append(out, "</main>\n<footer>Generated by covmerge</footer>\n<div id=\"tip\" role=\"tooltip\"></div>\n");
  for (size_t i = 0; i < has_source.size(); ++i) {
    if (!has_source[i]) continue;
    const std::optional<std::string> source = options.read_source(summary.files[i].path);
    AppendSource(out, i, summary.files[i], source.value_or(""));
    COVMERGE_RETURN_IF_ERROR(writer.MaybeFlush());
  }
  COVMERGE_RETURN_IF_ERROR(WriteTreemapData(summary, &writer));
  Append(out, "<script>", internal::kHtmlReportJs, "</script>\n</body>\n</html>\n");
  return writer.Flush();
}

}  // namespace covmerge
