// SPDX-License-Identifier: Apache-2.0
// Unit tests for emit/lcov_writer through covmerge/exports.h: the exact
// tracefile for small hand-built profiles (overlapping blocks keep the
// largest count, blocks without statements cover nothing, multi-line
// blocks cover every line), LF/LH equal to the summary's line totals, the
// empty profile, set mode, the largest count, and the sink contract
// (pieces of about a megabyte, the first error returned).
#include <string>
#include <string_view>
#include <utility>

#include "covmerge/exports.h"
#include "covmerge/report.h"
#include "gtest/gtest.h"

namespace covmerge {
namespace {

std::string Lcov(const MergedProfile& profile, const PathRewriter& rewriter = PathRewriter{}) {
  const CoverageSummary summary = Summarize(profile, rewriter);
  std::string out;
  const absl::Status status = WriteLcov(summary, [&](std::string_view bytes) {
    out.append(bytes);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return out;
}

// Two packages; x.go has overlapping, multi-line and statement-less blocks.
MergedProfile SmallProfile() {
  MergedProfile p;
  p.mode = Mode::kCount;
  p.files.push_back({"example.com/m/a/x.go",
                     {
                         {1, 10, 3, 2, 2, 5},  // lines 1-3
                         {2, 5, 2, 20, 1, 0},  // inside it, never run: line 2 keeps 5
                         {3, 2, 5, 1, 1, 7},   // overlaps line 3: the larger count, 7
                         {6, 1, 6, 9, 0, 9},   // no statements: line 6 is not a line
                         {8, 1, 8, 5, 1, 0},   // a missed line
                     }});
  p.files.push_back({"example.com/m/b.go", {{1, 1, 1, 10, 1, 0}}});
  return p;
}

TEST(LcovWriterTest, WritesExactTracefile) {
  // Files come in the summary's order: package "example.com/m" first.
  EXPECT_EQ(Lcov(SmallProfile()),
            "TN:\n"
            "SF:example.com/m/b.go\n"
            "DA:1,0\n"
            "LF:1\n"
            "LH:0\n"
            "end_of_record\n"
            "SF:example.com/m/a/x.go\n"
            "DA:1,5\n"
            "DA:2,5\n"
            "DA:3,7\n"
            "DA:4,7\n"
            "DA:5,7\n"
            "DA:8,0\n"
            "LF:6\n"
            "LH:5\n"
            "end_of_record\n");
}

TEST(LcovWriterTest, LineTotalsMatchTheSummary) {
  const MergedProfile profile = SmallProfile();
  const CoverageSummary summary = Summarize(profile, PathRewriter{});
  EXPECT_EQ(summary.total_lines.lines, 7u);
  EXPECT_EQ(summary.total_lines.covered, 5u);
  const std::string out = Lcov(profile);
  uint64_t lf = 0;
  uint64_t lh = 0;
  size_t pos = 0;
  while ((pos = out.find('\n', pos)) != std::string::npos) {
    ++pos;
    if (out.compare(pos, 3, "LF:") == 0) lf += std::stoull(out.substr(pos + 3));
    if (out.compare(pos, 3, "LH:") == 0) lh += std::stoull(out.substr(pos + 3));
  }
  EXPECT_EQ(lf, summary.total_lines.lines);
  EXPECT_EQ(lh, summary.total_lines.covered);
}

TEST(LcovWriterTest, UsesRewrittenPaths) {
  PathRewriter rewriter;
  rewriter.AddRule("example.com/m", "");
  MergedProfile p;
  p.files.push_back({"example.com/m/a/x.go", {{4, 1, 4, 2, 1, 1}}});
  EXPECT_EQ(Lcov(p, rewriter), "TN:\nSF:a/x.go\nDA:4,1\nLF:1\nLH:1\nend_of_record\n");
}

TEST(LcovWriterTest, EmptyProfileWritesOnlyTheTestName) {
  EXPECT_EQ(Lcov(MergedProfile{}), "TN:\n");
}

TEST(LcovWriterTest, FileWithoutStatementsHasNoLines) {
  MergedProfile p;
  p.files.push_back({"e.go", {{1, 1, 9, 1, 0, 3}}});
  EXPECT_EQ(Lcov(p), "TN:\nSF:e.go\nLF:0\nLH:0\nend_of_record\n");
}

TEST(LcovWriterTest, SetModeWritesZeroOrOne) {
  MergedProfile p;
  p.mode = Mode::kSet;
  p.files.push_back({"s.go", {{1, 1, 2, 1, 1, 1}, {3, 1, 3, 4, 1, 0}}});
  EXPECT_EQ(Lcov(p), "TN:\nSF:s.go\nDA:1,1\nDA:2,1\nDA:3,0\nLF:3\nLH:2\nend_of_record\n");
}

TEST(LcovWriterTest, WritesLargestLineAndCount) {
  MergedProfile p;
  p.files.push_back({"big.go", {{4294967295u, 1, 4294967295u, 2, 1, kMaxCount}}});
  EXPECT_EQ(Lcov(p),
            "TN:\nSF:big.go\nDA:4294967295,9223372036854775807\nLF:1\nLH:1\nend_of_record\n");
}

TEST(LcovWriterTest, PathBytesAreKeptAsTheyAre) {
  MergedProfile p;
  p.files.push_back({"d/a&<>\"' \x01\xff.go", {{1, 1, 1, 2, 1, 1}}});
  EXPECT_EQ(Lcov(p), "TN:\nSF:d/a&<>\"' \x01\xff.go\nDA:1,1\nLF:1\nLH:1\nend_of_record\n");
}

MergedProfile LargeProfile() {
  // One block of 200,000 lines gives about 2.4 MB of DA: lines.
  MergedProfile p;
  p.files.push_back({"large.go", {{1, 1, 200000, 1, 1, 12345}}});
  return p;
}

TEST(LcovWriterTest, StreamsInPiecesOfAboutAMegabyte) {
  const MergedProfile profile = LargeProfile();  // the summary points into it
  const CoverageSummary summary = Summarize(profile, PathRewriter{});
  std::string out;
  int calls = 0;
  ASSERT_TRUE(WriteLcov(summary, [&](std::string_view bytes) {
                ++calls;
                EXPECT_LE(bytes.size(), (1u << 20) + 4096);
                out.append(bytes);
                return absl::OkStatus();
              }).ok());
  EXPECT_GE(calls, 3);
  EXPECT_EQ(out.find("DA:200000,12345\nLF:200000\nLH:200000\nend_of_record\n"),
            out.size() - std::string_view("DA:200000,12345\nLF:200000\nLH:200000\nend_of_record\n").size());
}

TEST(LcovWriterTest, ReturnsTheFirstSinkError) {
  const MergedProfile profile = LargeProfile();  // the summary points into it
  const CoverageSummary summary = Summarize(profile, PathRewriter{});
  int calls = 0;
  const absl::Status status = WriteLcov(summary, [&](std::string_view) {
    ++calls;
    return absl::DataLossError("disk full");
  });
  EXPECT_EQ(status, absl::DataLossError("disk full"));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace covmerge
