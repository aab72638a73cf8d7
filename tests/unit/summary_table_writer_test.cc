// SPDX-License-Identifier: Apache-2.0
// Unit tests for emit/summary_table_writer and emit/json_summary_writer:
// exact text of the table (alignment, ordering, the total, packages without
// statements) and of the JSON summary, including hostile path bytes.
#include <string>

#include "covmerge/exports.h"
#include "covmerge/gate.h"
#include "emit/json_string.h"
#include "gtest/gtest.h"

namespace covmerge {
namespace {

MergedProfile Sample() {
  MergedProfile p;
  p.mode = Mode::kCount;
  p.files.push_back({"m/long/package/x.go", {{1, 1, 2, 1, 3, 1}, {3, 1, 4, 1, 1, 0}}});
  p.files.push_back({"m/s/y.go", {{1, 1, 2, 1, 4, 0}}});
  p.files.push_back({"m/z/empty.go", {{1, 1, 1, 1, 0, 0}}});
  return p;
}

template <typename Write>
std::string Capture(Write write) {
  std::string out;
  absl::Status status = write([&](std::string_view bytes) {
    out.append(bytes);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return out;
}

TEST(SummaryTableTest, AlignedByNameWithTotal) {
  const MergedProfile p = Sample();
  const CoverageSummary s = Summarize(p, PathRewriter{});
  EXPECT_EQ(Capture([&](const ByteSink& sink) { return WriteSummaryTable(s, {}, sink); }),
            "PACKAGE         STATEMENTS  COVERED  COVERAGE\n"
            "m/long/package           4        3     75.0%\n"
            "m/s                      4        0      0.0%\n"
            "m/z                      0        0         -\n"
            "TOTAL                    8        3     37.5%\n");
}

TEST(SummaryTableTest, ByFileLowestCoverageFirstWithoutStatementsLast) {
  const MergedProfile p = Sample();
  const CoverageSummary s = Summarize(p, PathRewriter{});
  TableOptions options;
  options.by_file = true;
  options.sort = TableOptions::Sort::kCoverage;
  EXPECT_EQ(Capture([&](const ByteSink& sink) { return WriteSummaryTable(s, options, sink); }),
            "PACKAGE              STATEMENTS  COVERED  COVERAGE\n"
            "m/s                           4        0      0.0%\n"
            "m/long/package                4        3     75.0%\n"
            "m/z                           0        0         -\n"
            "TOTAL                         8        3     37.5%\n"
            "\n"
            "FILE                 STATEMENTS  COVERED  COVERAGE\n"
            "m/s/y.go                      4        0      0.0%\n"
            "m/long/package/x.go           4        3     75.0%\n"
            "m/z/empty.go                  0        0         -\n");
}

TEST(JsonSummaryTest, ExactDocument) {
  MergedProfile p;
  p.mode = Mode::kSet;
  p.files.push_back({"m/a.go", {{1, 1, 2, 1, 3, 1}}});
  const CoverageSummary s = Summarize(p, PathRewriter{});
  EXPECT_EQ(Capture([&](const ByteSink& sink) { return WriteJsonSummary(s, sink); }),
            "{\n"
            "  \"format\": \"covmerge-summary\",\n"
            "  \"version\": 1,\n"
            "  \"mode\": \"set\",\n"
            "  \"total\": {\"statements\": 3, \"covered\": 3, \"percent\": 100.0, \"lines\": 2, \"lines_covered\": 2},\n"
            "  \"inputs\": {\"merged\": 0, \"skipped\": 0},\n"
            "  \"excluded_files\": 0,\n"
            "  \"packages\": [\n"
            "    {\"name\": \"m\", \"statements\": 3, \"covered\": 3, \"percent\": 100.0, \"lines\": 2, "
            "\"lines_covered\": 2, \"files\": 1}\n"
            "  ],\n"
            "  \"files\": [\n"
            "    {\"path\": \"m/a.go\", \"package\": \"m\", \"statements\": 3, \"covered\": 3, \"percent\": 100.0, "
            "\"lines\": 2, \"lines_covered\": 2}\n"
            "  ]\n"
            "}\n");
}

TEST(JsonSummaryTest, HostilePathBytesStayValidJson) {
  MergedProfile p;
  p.files.push_back({std::string("m/\"q\\</script>\x01\xff\xc3\xa9.go"), {{1, 1, 1, 2, 1, 0}}});
  const CoverageSummary s = Summarize(p, PathRewriter{});
  const std::string json = Capture([&](const ByteSink& sink) { return WriteJsonSummary(s, sink); });
  EXPECT_NE(json.find("\"path\": \"m/\\\"q\\\\\\u003c/script\\u003e\\u0001\xEF\xBF\xBD\xc3\xa9.go\""),
            std::string::npos)
      << json;
}

// The table never prints raw control bytes from a path (a terminal would
// obey them): names are printed with QuotePath, columns aligned to that.
TEST(SummaryTableTest, ControlCharactersInPathsAreEscapedAndAligned) {
  MergedProfile p;
  p.files.push_back({std::string("m/a\x1b[31mb/x.go"), {{1, 1, 2, 1, 1, 1}}});
  p.files.push_back({"m/my pkg/y.go", {{1, 1, 2, 1, 1, 0}}});
  const CoverageSummary s = Summarize(p, PathRewriter{});
  TableOptions options;
  options.by_file = true;
  EXPECT_EQ(Capture([&](const ByteSink& sink) { return WriteSummaryTable(s, options, sink); }),
            "PACKAGE              STATEMENTS  COVERED  COVERAGE\n"
            "\"m/a\\x1b[31mb\"                1        1    100.0%\n"
            "\"m/my pkg\"                    1        0      0.0%\n"
            "TOTAL                         2        1     50.0%\n"
            "\n"
            "FILE                 STATEMENTS  COVERED  COVERAGE\n"
            "\"m/a\\x1b[31mb/x.go\"           1        1    100.0%\n"
            "\"m/my pkg/y.go\"               1        0      0.0%\n");
}

TEST(JsonStringTest, EscapeBytesRoundTripsEveryByte) {
  using internal::EscapeBytes;
  using internal::IsValidUtf8;
  using internal::UnescapeBytes;
  EXPECT_EQ(EscapeBytes("a\xff" "b%c\xc3\xa9"), "a%FFb%25c\xc3\xa9");
  EXPECT_EQ(EscapeBytes("\xc3"), "%C3");  // a cut UTF-8 sequence
  std::string all;
  for (int c = 1; c < 256; ++c) all += static_cast<char>(c);
  const std::string escaped = EscapeBytes(all);
  EXPECT_TRUE(IsValidUtf8(escaped));
  EXPECT_EQ(UnescapeBytes(escaped), all);
  EXPECT_EQ(UnescapeBytes("%ff%41"), std::string("\xff" "A"));
  EXPECT_FALSE(UnescapeBytes("%4").has_value());
  EXPECT_FALSE(UnescapeBytes("%").has_value());
  EXPECT_FALSE(UnescapeBytes("%zz").has_value());
  EXPECT_TRUE(IsValidUtf8("m/\xc3\xa9"));
  EXPECT_FALSE(IsValidUtf8("m/\xff"));
}

TEST(JsonSummaryTest, NamesThatAreNotUtf8AlsoComeWithTheirExactBytes) {
  MergedProfile p;
  p.files.push_back({std::string("m/\xff%/a.go"), {{1, 1, 1, 2, 1, 0}}});
  p.files.push_back({"m/ok/b.go", {{1, 1, 1, 2, 1, 0}}});
  const CoverageSummary s = Summarize(p, PathRewriter{});
  const std::string json = Capture([&](const ByteSink& sink) { return WriteJsonSummary(s, sink); });
  EXPECT_NE(json.find("{\"name\": \"m/\xEF\xBF\xBD%\", \"name_bytes\": \"m/%FF%25\", \"statements\""),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("{\"path\": \"m/\xEF\xBF\xBD%/a.go\", \"path_bytes\": \"m/%FF%25/a.go\", "
                      "\"package\": \"m/\xEF\xBF\xBD%\", \"package_bytes\": \"m/%FF%25\", "),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("{\"name\": \"m/ok\", \"statements\""), std::string::npos) << json;
}

TEST(JsonSummaryTest, EmptySummary) {
  const CoverageSummary s = Summarize(MergedProfile{}, PathRewriter{});
  const std::string json = Capture([&](const ByteSink& sink) { return WriteJsonSummary(s, sink); });
  EXPECT_NE(json.find("\"packages\": [],\n  \"files\": []\n}\n"), std::string::npos) << json;
}

}  // namespace
}  // namespace covmerge
