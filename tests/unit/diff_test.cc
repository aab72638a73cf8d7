// SPDX-License-Identifier: Apache-2.0
// Unit tests for report/diff (covmerge/diff.h) and report/patch
// (covmerge/patch.h): the diffs git and diff -u write, with renames, new,
// deleted and binary files, quoted paths and -U0; errors for a cut diff;
// patch coverage counted by blocks and uncovered lines listed as ranges.
#include "covmerge/diff.h"

#include <string>
#include <vector>

#include "covmerge/error.h"
#include "covmerge/patch.h"
#include "gtest/gtest.h"

namespace covmerge {
namespace {

std::vector<ChangedFile> Parse(std::string_view text) {
  absl::StatusOr<std::vector<ChangedFile>> files = ParseUnifiedDiff("change.diff", text);
  EXPECT_TRUE(files.ok()) << files.status();
  return files.ok() ? *files : std::vector<ChangedFile>{};
}

TEST(DiffTest, GitDiffWithContextRenamesNewAndDeletedFiles) {
  const std::vector<ChangedFile> files = Parse(
      "diff --git a/cart/cart.go b/cart/cart.go\n"
      "index 83db48f..bf269f4 100644\n"
      "--- a/cart/cart.go\n"
      "+++ b/cart/cart.go\n"
      "@@ -10,4 +10,5 @@ func Total() {\n"
      " a\n"
      "-b\n"
      "+B\n"
      "+C\n"
      " d\n"
      "\n"
      "@@ -30,0 +32,1 @@\n"
      "+tail\n"
      "diff --git a/old/name.go b/new/name.go\n"
      "similarity index 90%\n"
      "rename from old/name.go\n"
      "rename to new/name.go\n"
      "--- a/old/name.go\n"
      "+++ b/new/name.go\n"
      "@@ -1 +1 @@\n"
      "-x\n"
      "+y\n"
      "diff --git a/gone.go b/gone.go\n"
      "deleted file mode 100644\n"
      "--- a/gone.go\n"
      "+++ /dev/null\n"
      "@@ -1,2 +0,0 @@\n"
      "--- a removed line that looks like a header\n"
      "-z\n"
      "diff --git a/fresh.go b/fresh.go\n"
      "new file mode 100644\n"
      "--- /dev/null\n"
      "+++ b/fresh.go\n"
      "@@ -0,0 +1,2 @@\n"
      "+package fresh\n"
      "+\n"
      "diff --git a/logo.png b/logo.png\n"
      "Binary files a/logo.png and b/logo.png differ\n");
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].path, "cart/cart.go");
  EXPECT_EQ(files[0].lines, (std::vector<uint32_t>{11, 12, 32}));
  EXPECT_EQ(files[1].path, "new/name.go");
  EXPECT_EQ(files[1].lines, (std::vector<uint32_t>{1}));
  EXPECT_EQ(files[2].path, "fresh.go");
  EXPECT_TRUE(files[2].new_file);
  EXPECT_EQ(files[2].lines, (std::vector<uint32_t>{1, 2}));
}

TEST(DiffTest, PlainDiffUNoPrefixAndQuotedPaths) {
  const std::vector<ChangedFile> plain = Parse(
      "--- pkg/a.go\t2026-12-01 10:00:00.000000000 +0000\n"
      "+++ pkg/a.go\t2026-12-02 10:00:00.000000000 +0000\n"
      "@@ -5,2 +5,3 @@\n"
      " x\n"
      "+y\n"
      " z\n");
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0].path, "pkg/a.go");
  EXPECT_EQ(plain[0].lines, (std::vector<uint32_t>{6}));

  const std::vector<ChangedFile> quoted = Parse(
      "diff --git \"a/my dir/t\\303\\251.go\" \"b/my dir/t\\303\\251.go\"\n"
      "--- \"a/my dir/t\\303\\251.go\"\n"
      "+++ \"b/my dir/t\\303\\251.go\"\n"
      "@@ -1,0 +2 @@\n"
      "+x\n");
  ASSERT_EQ(quoted.size(), 1u);
  EXPECT_EQ(quoted[0].path, "my dir/t\xc3\xa9.go");
  EXPECT_EQ(quoted[0].lines, (std::vector<uint32_t>{2}));
}

TEST(DiffTest, ACutOrDamagedDiffIsMalformed) {
  for (std::string_view text : {"--- a/x.go\n+++ b/x.go\n@@ -1,3 +1,3 @@\n a\n",
                                "--- a/x.go\n+++ b/x.go\n@@ -1,3 +1,x @@\n",
                                "@@ -1 +1 @@\n+x\n"}) {
    absl::StatusOr<std::vector<ChangedFile>> files = ParseUnifiedDiff("pr.diff", text);
    ASSERT_FALSE(files.ok()) << text;
    const std::optional<Error> error = ErrorOf(files.status());
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->kind, ErrorKind::kMalformed);
    EXPECT_EQ(error->path, "pr.diff");
    EXPECT_GT(error->line, 0u);
  }
  EXPECT_TRUE(Parse("").empty());
}

TEST(PatchTest, BlocksOverlappingChangedLinesCountAndUncoveredLinesAreRanges) {
  MergedProfile profile;
  profile.mode = Mode::kCount;
  FileProfile file;
  file.path = "example.com/m/cart/cart.go";
  file.blocks = {{10, 1, 12, 2, 2, 5},   // ran, lines 10-12
                 {13, 1, 16, 2, 3, 0},   // not run, lines 13-16
                 {20, 1, 21, 2, 1, 0}};  // not run, not changed
  profile.files.push_back(file);
  PathRewriter rewriter;
  rewriter.AddRule("example.com/m", "");
  const CoverageSummary summary = Summarize(profile, rewriter);
  const std::vector<ChangedFile> changes = {
      {"cart/cart.go", {11, 14, 15, 16, 18}, false},  // 18 is in no block
      {"cart/cart_test.go", {1, 2}, false},            // tests do not count
      {"README.md", {1}, false},
      {"newpkg/new.go", {1, 2, 3}, true}};             // no profile names it
  const PatchCoverage patch = MeasurePatch(summary, changes);
  EXPECT_EQ(patch.total.statements, 5u);  // the first two blocks
  EXPECT_EQ(patch.total.covered, 2u);
  ASSERT_EQ(patch.files.size(), 1u);
  EXPECT_EQ(patch.files[0].path, "cart/cart.go");
  EXPECT_EQ(patch.files[0].uncovered, (std::vector<std::pair<uint32_t, uint32_t>>{{14, 16}}));
  EXPECT_EQ(DescribeRange("cart/cart.go", patch.files[0].uncovered[0]), "cart/cart.go:14-16");
  EXPECT_EQ(patch.unmeasured, (std::vector<std::string>{"newpkg/new.go"}));
  EXPECT_EQ(patch.changed_lines, 8u);
}

}  // namespace
}  // namespace covmerge
