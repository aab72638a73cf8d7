// SPDX-License-Identifier: Apache-2.0
// Unit tests for report/summary: the line rule (largest count of the
// covering blocks), per-package grouping and totals, and the guard against
// blocks that would expand into billions of lines.
#include <string>
#include <vector>

#include "covmerge/report.h"
#include "gtest/gtest.h"

namespace covmerge {

// Found by argument-dependent lookup, so it lives in LineHits' namespace.
bool operator==(const LineHits& a, const LineHits& b) { return a.line == b.line && a.hits == b.hits; }

namespace {

TEST(LineCoverageTest, LargestCountOfCoveringBlocksWins) {
  // Two blocks share line 3; the block without statements covers nothing.
  FileProfile file{"a.go", {{1, 10, 3, 4, 2, 5}, {3, 6, 4, 2, 1, 9}, {6, 1, 8, 2, 0, 7}, {10, 1, 10, 9, 1, 0}}};
  const std::vector<LineHits> expected = {{1, 5}, {2, 5}, {3, 9}, {4, 9}, {10, 0}};
  EXPECT_EQ(LineCoverage(file), expected);
}

TEST(LineCoverageTest, ZeroCountDoesNotHideACoveredLine) {
  FileProfile file{"a.go", {{5, 1, 5, 9, 1, 3}, {5, 10, 5, 20, 1, 0}}};
  const std::vector<LineHits> expected = {{5, 3}};
  EXPECT_EQ(LineCoverage(file), expected);
}

TEST(LineCoverageTest, HugeSpanIsClippedAndReported) {
  MergedProfile profile;
  profile.files.push_back({"x/a.go", {{1, 1, 4294967295u, 1, 1, 1}}});
  EXPECT_EQ(LineCoverage(profile.files[0]).size(), kMaxBlockLines);
  absl::Status status = CheckLineSpans(profile);
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_NE(status.message().find("x/a.go:1.1,4294967295.1"), absl::string_view::npos) << status;
  EXPECT_EQ(status.message(),
            "block x/a.go:1.1,4294967295.1 spans 4294967295 lines, more than the 1048576 a line-based report "
            "takes; the input line that starts with it is damaged");
  const std::vector<std::string> one = {"big.out"};
  EXPECT_EQ(CheckLineSpans(profile, one).message(),
            "block x/a.go:1.1,4294967295.1 spans 4294967295 lines, more than the 1048576 a line-based report "
            "takes; the line of big.out that starts with it is damaged");
  const std::vector<std::string> three = {"a.out", "b.out", "c.out"};
  EXPECT_TRUE(std::string(CheckLineSpans(profile, three).message()).ends_with(
      "; the line that starts with it in one of the 3 inputs is damaged"));
  profile.files[0].path = "x/my a.go";
  EXPECT_TRUE(std::string(CheckLineSpans(profile).message()).starts_with("block \"x/my a.go:1.1,4294967295.1\" spans"));
  profile.files[0].blocks[0].end_line = kMaxBlockLines;  // exactly the limit
  EXPECT_TRUE(CheckLineSpans(profile).ok());
}

TEST(SummarizeTest, GroupsFilesByPackageWithTotals) {
  MergedProfile profile;
  profile.mode = Mode::kCount;
  profile.files.push_back({"m/a/x.go", {{1, 1, 2, 1, 3, 1}, {4, 1, 4, 5, 2, 0}}});
  profile.files.push_back({"m/a/y.go", {{1, 1, 1, 9, 5, 0}}});
  profile.files.push_back({"m/a/z/w.go", {{1, 1, 1, 9, 4, 2}}});
  profile.files.push_back({"m/b.go", {{1, 1, 1, 9, 1, 1}}});
  const CoverageSummary s = Summarize(profile, PathRewriter{});
  ASSERT_EQ(s.packages.size(), 3u);
  EXPECT_EQ(s.packages[0].name, "m");
  EXPECT_EQ(s.packages[1].name, "m/a");
  EXPECT_EQ(s.packages[2].name, "m/a/z");
  EXPECT_EQ(s.packages[1].statements.statements, 10u);
  EXPECT_EQ(s.packages[1].statements.covered, 3u);
  EXPECT_EQ(s.packages[1].file_count, 2u);
  EXPECT_EQ(s.files[s.packages[1].first_file].path, "m/a/x.go");
  EXPECT_EQ(s.files[0].path, "m/b.go");  // package "m" sorts first
  EXPECT_EQ(s.total.statements, 15u);
  EXPECT_EQ(s.total.covered, 8u);
  EXPECT_EQ(s.total_lines.lines, 6u);  // x.go 1,2,4; y.go 1; w.go 1; b.go 1
  EXPECT_EQ(s.total_lines.covered, 4u);
  EXPECT_EQ(s.files[1].profile, &profile.files[0]);
}

TEST(SummarizeTest, RewrittenPathsDecidePackagesAndOrder) {
  MergedProfile profile;
  profile.files.push_back({"example.com/mod/a/x.go", {{1, 1, 1, 2, 1, 1}}});
  profile.files.push_back({"example.com/mod/b.go", {{1, 1, 1, 2, 1, 0}}});
  PathRewriter rewriter;
  rewriter.AddRule("example.com/mod", "");
  const CoverageSummary s = Summarize(profile, rewriter);
  ASSERT_EQ(s.packages.size(), 2u);
  EXPECT_EQ(s.packages[0].name, ".");
  EXPECT_EQ(s.files[0].path, "b.go");
  EXPECT_EQ(s.packages[1].name, "a");
}

// One rule for the package of a path, shared with the C and Python
// bindings, which used to say "/" for "/a.go" where the report said "".
TEST(PackageOfTest, IsGosPathDir) {
  EXPECT_EQ(PackageOf("a/b/c.go"), "a/b");
  EXPECT_EQ(PackageOf("c.go"), ".");
  EXPECT_EQ(PackageOf("/c.go"), "/");
  EXPECT_EQ(PackageOf("/a/c.go"), "/a");
  EXPECT_EQ(PackageOf("C:\\w\\c.go"), ".");  // only '/' separates, as in Go's import paths
}

TEST(SummarizeTest, RootPathIsPackageSlash) {
  MergedProfile profile;
  profile.files.push_back({"/a.go", {{1, 1, 1, 2, 1, 1}}});
  const CoverageSummary s = Summarize(profile, PathRewriter{});
  ASSERT_EQ(s.packages.size(), 1u);
  EXPECT_EQ(s.packages[0].name, "/");
}

TEST(SummarizeTest, EmptyProfile) {
  const CoverageSummary s = Summarize(MergedProfile{}, PathRewriter{});
  EXPECT_TRUE(s.packages.empty());
  EXPECT_EQ(s.total.statements, 0u);
}

TEST(FormatPercentTest, RoundsAsGoTestDoes) {
  EXPECT_EQ(FormatPercent(Coverage{166, 91}.Percent()), "54.8");
  EXPECT_EQ(FormatPercent(100.0), "100.0");
  EXPECT_EQ(FormatPercent(0.0), "0.0");
}

TEST(PathRewriterTest, FirstMatchingRuleOnWholeComponents) {
  PathRewriter r;
  r.AddRule("example.com/mod/", "");
  r.AddRule("example.com/other", "services/other");
  r.AddRule("example.com", "x");
  EXPECT_EQ(r.Rewrite("example.com/mod/a/b.go"), "a/b.go");
  EXPECT_EQ(r.Rewrite("example.com/other/c.go"), "services/other/c.go");
  EXPECT_EQ(r.Rewrite("example.com/otherwise/c.go"), "x/otherwise/c.go");
  EXPECT_EQ(r.Rewrite("example.community/c.go"), "example.community/c.go");
  EXPECT_EQ(r.Rewrite("elsewhere/c.go"), "elsewhere/c.go");
}

}  // namespace
}  // namespace covmerge
