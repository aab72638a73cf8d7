// SPDX-License-Identifier: Apache-2.0
// Unit tests for emit/html_report_writer through covmerge/exports.h: the
// elements a browser test queries, escaping of hostile paths in HTML and in
// the embedded JSON, an empty profile, no reference to anything outside the
// file, and streaming in bounded pieces. tests/report/test_html.py checks
// the rendered page in Chromium.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/str_cat.h"
#include "covmerge/exports.h"
#include "covmerge/report.h"
#include "emit/json_string.h"
#include "gtest/gtest.h"

namespace covmerge {
namespace {

using internal::Cat;

// A file with `statements` one-statement blocks, the first `covered` of
// them run.
FileProfile File(std::string path, uint32_t statements, uint32_t covered) {
  FileProfile file{std::move(path), {}};
  for (uint32_t i = 0; i < statements; ++i) {
    file.blocks.push_back({i + 1, 1, i + 1, 10, 1, i < covered ? 3u : 0u});
  }
  return file;
}

std::string Render(const CoverageSummary& summary, const HtmlOptions& options = {}) {
  std::string html;
  const absl::Status status = WriteHtmlReport(summary, options, [&](std::string_view piece) {
    html.append(piece);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return html;
}

size_t Count(std::string_view haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string_view::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

// The text of the JSON data element.
std::string_view JsonData(std::string_view html) {
  constexpr std::string_view kOpen = "<script type=\"application/json\" id=\"report-data\">";
  const size_t begin = html.find(kOpen);
  if (begin == std::string_view::npos) return {};
  const size_t end = html.find("</script>", begin);
  return html.substr(begin + kOpen.size(), end - begin - kOpen.size());
}

bool IsUtf8(std::string_view s) {
  while (!s.empty()) {
    const size_t length = internal::Utf8SequenceLength(s);
    if (length == 0) return false;
    s.remove_prefix(length);
  }
  return true;
}

class HtmlReportTest : public ::testing::Test {
 protected:
  // Summarize keeps pointers into the profile, so it lives in the fixture.
  CoverageSummary Summary(std::vector<FileProfile> files) {
    profile_.mode = Mode::kCount;
    profile_.files = std::move(files);
    return Summarize(profile_, PathRewriter());
  }

  MergedProfile profile_;
};

TEST_F(HtmlReportTest, HtmlReportHasTotalRowsAndData) {
  // 17 of 31 statements: 54.8%, as `go test -cover` prints it.
  const std::string html = Render(Summary({File("m/a/x.go", 10, 10), File("m/a/y.go", 5, 0),
                                           File("m/b/z.go", 16, 7)}),
                                  HtmlOptions{"Shop coverage"});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<title>Shop coverage \xE2\x80\x94 54.8%</title>"), std::string::npos);
  EXPECT_NE(html.find("id=\"total\" data-statements=\"31\" data-covered=\"17\">54.8%</span>"), std::string::npos);
  EXPECT_EQ(Count(html, "<table id=\"packages\">"), 1u);
  EXPECT_EQ(Count(html, "<tr data-package="), 2u);
  EXPECT_NE(html.find("<tr data-package=\"m/a\" data-statements=\"15\" data-covered=\"10\">"), std::string::npos);
  EXPECT_NE(html.find("<tr data-package=\"m/b\" data-statements=\"16\" data-covered=\"7\">"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"pct-text\">66.7%</span>"), std::string::npos);
  // The bar's colour band: 43.75% is band 4.
  EXPECT_NE(html.find("<span class=\"c4\" style=\"width:43.8%\">"), std::string::npos);
  for (const char* column : {"name", "statements", "covered", "percent"}) {
    EXPECT_NE(html.find(Cat("<th data-sort=\"", column, "\"")), std::string::npos) << column;
  }
  EXPECT_EQ(Count(html, "<div id=\"treemap\">"), 1u);
  EXPECT_EQ(JsonData(html),
            "{\"packages\":[\n"
            "[\"m/a\",[[\"m/a/x.go\",10,10],[\"m/a/y.go\",5,0]]],\n"
            "[\"m/b\",[[\"m/b/z.go\",16,7]]]\n]}");
  EXPECT_EQ(html.substr(html.size() - 16), "</body>\n</html>\n");
}

TEST_F(HtmlReportTest, HtmlReportBandsMatchTheScriptFormula) {
  // floor(100 * covered / statements / 10): 99.9% is band 9, only 100% is 10.
  const std::string html = Render(Summary({File("a/x.go", 1000, 999), File("b/x.go", 3, 3), File("c/x.go", 3, 0)}));
  EXPECT_NE(html.find("<span class=\"c9\" style=\"width:99.9%\">"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"c10\" style=\"width:100.0%\">"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"c0\" style=\"width:0.0%\">"), std::string::npos);
}

TEST_F(HtmlReportTest, HtmlReportEscapesHostilePaths) {
  const std::string hostile[] = {
      "x/</script><script>alert(1)</script>.go",
      "x/\"quoted\" & 'single'.go",
      "x/<b>&amp;.go",
      std::string("x/bad\xFF\xC0\xAF utf8\xED\xA0\x80.go"),
      "x/tab\there\rcr.go",
      "</script>/<!--<script>.go",
  };
  std::vector<FileProfile> files;
  for (const std::string& path : hostile) files.push_back(File(path, 2, 1));
  const std::string html = Render(Summary(std::move(files)), HtmlOptions{"<Title> & \"co\""});

  // Exactly the two script elements the writer opens are closed: no path
  // ended one early or opened another.
  EXPECT_EQ(Count(html, "<script"), 2u);
  EXPECT_EQ(Count(html, "</script"), 2u);
  EXPECT_EQ(Count(html, "<!--"), 0u);
  EXPECT_EQ(Count(html, "<b>&amp;"), 0u);
  EXPECT_TRUE(IsUtf8(html));

  // The JSON escapes '<', '>' and '&', and invalid bytes became U+FFFD.
  const std::string_view json = JsonData(html);
  EXPECT_EQ(json.find('<'), std::string_view::npos);
  EXPECT_NE(json.find(R"("x/\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e.go")"),
            std::string_view::npos);
  EXPECT_NE(json.find(R"("x/\"quoted\" \u0026 'single'.go")"), std::string_view::npos);
  EXPECT_NE(json.find("\"x/bad\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD utf8\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD.go\""),
            std::string_view::npos);
  EXPECT_NE(json.find(R"("x/tab\u0009here\u000dcr.go")"), std::string_view::npos);

  // HTML attributes and text use character references; the package
  // "</script>" (directory of the last path) appears escaped.
  EXPECT_NE(html.find("<tr data-package=\"&lt;/script&gt;\""), std::string::npos);
  EXPECT_NE(html.find("<td class=\"name\"><a href=\"#files-0\">&lt;/script&gt;</a></td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<title>&lt;Title&gt; &amp; &quot;co&quot;"), std::string::npos);
  EXPECT_NE(html.find("<h1>&lt;Title&gt; &amp; &quot;co&quot;</h1>"), std::string::npos);
  EXPECT_EQ(html.find("<Title>"), std::string::npos);
}

TEST_F(HtmlReportTest, HtmlReportEscapesControlCharactersInPackages) {
  // A raw CR in an attribute would be read back as LF; a reference keeps it.
  const std::string html = Render(Summary({File("a\rb\t\"c/x.go", 1, 1)}));
  EXPECT_NE(html.find("<tr data-package=\"a&#13;b&#9;&quot;c\""), std::string::npos);
}

TEST_F(HtmlReportTest, HtmlReportOfEmptyProfile) {
  const std::string html = Render(CoverageSummary());
  EXPECT_NE(html.find("<span id=\"total\" data-statements=\"0\" data-covered=\"0\">no statements</span>"),
            std::string::npos);
  EXPECT_NE(html.find("<tbody>\n</tbody>"), std::string::npos);
  EXPECT_NE(html.find("The profile has no files."), std::string::npos);
  EXPECT_EQ(JsonData(html), "{\"packages\":[\n]}");
  EXPECT_NE(html.find("</html>\n"), std::string::npos);
}

TEST_F(HtmlReportTest, HtmlReportNeedsNoNetwork) {
  const std::string html = Render(Summary({File("example.com/m/a.go", 3, 1)}));
  for (const char* needle : {"http://", "https://", "src=", "url(", "@import", "<link", "<img", "<iframe",
                             "fetch(", "XMLHttpRequest"}) {
    EXPECT_EQ(html.find(needle), std::string::npos) << needle;
  }
  // Links stay in the page: a package to its files.
  for (size_t at = html.find("href=\""); at != std::string::npos; at = html.find("href=\"", at + 1)) {
    EXPECT_EQ(html[at + 6], '#') << html.substr(at, 40);
  }
}

TEST_F(HtmlReportTest, HtmlReportEmbedsSourcesWithinTheBudget) {
  CoverageSummary summary = Summary({File("example.com/m/a.go", 3, 1), File("example.com/m/b.go", 2, 0)});
  HtmlOptions options;
  options.read_source = [](const std::string& path) -> std::optional<std::string> {
    if (path.ends_with("a.go")) return std::string("package m\n\tx := \"</template>\"\n");
    return std::string(100, 'x');
  };
  options.source_budget = 50;  // a.go fits, b.go does not
  std::string html;
  ASSERT_TRUE(WriteHtmlReport(summary, options, [&](std::string_view piece) {
                html.append(piece);
                return absl::OkStatus();
              }).ok());
  EXPECT_NE(html.find("<template id=\"src-"), std::string::npos);
  EXPECT_EQ(html.find("<template id=\"src-1\""), std::string::npos);  // over the budget
  EXPECT_NE(html.find("(source not embedded)"), std::string::npos);
  // The source is escaped and its tabs kept.
  EXPECT_NE(html.find("\tx := &quot;&lt;/template&gt;&quot;"), std::string::npos);
  EXPECT_EQ(html.find("</template>\""), std::string::npos);
}

TEST_F(HtmlReportTest, HtmlReportStreamsInBoundedPieces) {
  // 100,000 files of ~60-byte paths make several megabytes of JSON.
  std::vector<FileProfile> files;
  for (int i = 0; i < 100000; ++i) {
    files.push_back(File(Cat("example.com/monorepo/service", i / 100, "/internal/handler_", i, ".go"), 1, i % 2));
  }
  const CoverageSummary summary = Summary(std::move(files));
  std::vector<size_t> pieces;
  std::string html;
  ASSERT_TRUE(WriteHtmlReport(summary, {}, [&](std::string_view piece) {
                pieces.push_back(piece.size());
                html.append(piece);
                return absl::OkStatus();
              }).ok());
  EXPECT_GT(pieces.size(), 3u);
  for (size_t size : pieces) EXPECT_LT(size, (1u << 20) + 64 * 1024);
  EXPECT_EQ(Count(html, "<tr data-package="), 1000u);
  EXPECT_EQ(Count(JsonData(html), "[\"example.com/monorepo/"), 101000u);  // files and packages
  EXPECT_NE(html.find(">50.0%</span>"), std::string::npos);
}

TEST_F(HtmlReportTest, HtmlReportReturnsTheSinkError) {
  std::vector<FileProfile> files;
  for (int i = 0; i < 50000; ++i) files.push_back(File(Cat("p", i, "/a_long_enough_file_name.go"), 1, 1));
  const CoverageSummary summary = Summary(std::move(files));
  int calls = 0;
  const absl::Status status = WriteHtmlReport(summary, {}, [&](std::string_view) {
    ++calls;
    return absl::ResourceExhaustedError("disk full");
  });
  EXPECT_EQ(status, absl::ResourceExhaustedError("disk full"));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace covmerge
