// SPDX-License-Identifier: Apache-2.0
// Unit tests for report/path_filter and its use by the merge: includes and
// excludes, bad patterns, and files left out before folding (so their
// conflicts do not fail the merge).
#include "covmerge/path_filter.h"

#include <string>

#include "covmerge/merger.h"
#include "gtest/gtest.h"

namespace covmerge {
namespace {

TEST(PathFilterTest, EmptyKeepsEverything) {
  PathFilter f;
  EXPECT_TRUE(f.empty());
  EXPECT_TRUE(f.Keep("a/b.go"));
}

TEST(PathFilterTest, ExcludeWinsOverInclude) {
  PathFilter f;
  ASSERT_TRUE(f.AddInclude("^example\\.com/shop/").ok());
  ASSERT_TRUE(f.AddExclude("_mock\\.go$").ok());
  ASSERT_TRUE(f.AddExclude("/vendor/").ok());
  EXPECT_TRUE(f.Keep("example.com/shop/cart/cart.go"));
  EXPECT_FALSE(f.Keep("example.com/shop/cart/cart_mock.go"));
  EXPECT_FALSE(f.Keep("example.com/shop/vendor/x/y.go"));
  EXPECT_FALSE(f.Keep("example.com/other/z.go"));
}

TEST(PathFilterTest, BadPatternIsAClearError) {
  PathFilter f;
  absl::Status status = f.AddExclude("(unclosed");
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_NE(status.message().find("--exclude pattern \"(unclosed\""), absl::string_view::npos) << status;
}

TEST(PathFilterTest, PatternsAreInGosRegexpSyntax) {
  PathFilter f;
  ASSERT_TRUE(f.AddExclude(R"(/v\d+/)").ok());          // \d, which POSIX ERE lacks
  ASSERT_TRUE(f.AddExclude(R"((?i)/VENDOR/)").ok());    // flags
  ASSERT_TRUE(f.AddExclude(R"(_mock\.go$)").ok());
  EXPECT_FALSE(f.Keep("example.com/m/v2/a.go"));
  EXPECT_FALSE(f.Keep("example.com/m/vendor/x/a.go"));
  EXPECT_FALSE(f.Keep("example.com/m/a_mock.go"));
  EXPECT_TRUE(f.Keep("example.com/m/vx/a.go"));
  // Go's regexp has no backreferences; RE2 says so.
  absl::Status status = f.AddInclude(R"((a)\1)");
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_NE(status.message().find("the syntax is Go's regexp"), absl::string_view::npos) << status;
}

TEST(PathFilterTest, LongPathDoesNotRecurse) {
  PathFilter f;
  ASSERT_TRUE(f.AddExclude("(a|b)*c$").ok());
  EXPECT_TRUE(f.Keep(std::string(1 << 20, 'a')));
}

TEST(PathFilterMergeTest, ExcludedFilesAreDroppedBeforeFolding) {
  PathFilter filter;
  ASSERT_TRUE(filter.AddExclude("gen\\.go$").ok());
  MergeOptions options;
  options.threads = 2;
  options.keep_file = [&](std::string_view path) { return filter.Keep(path); };
  Merger merger(options);
  // gen.go disagrees on NUMSTMT between the inputs: excluded, it must not count.
  merger.AddBuffer("x", "mode: set\nm/a.go:1.1,2.1 1 1\nm/gen.go:1.1,2.1 1 1\n");
  merger.AddBuffer("y", "mode: set\nm/a.go:1.1,2.1 1 0\nm/gen.go:1.1,2.1 7 1\nm/gen.go:1.1,2.5 1 1\n");
  absl::StatusOr<MergeResult> r = merger.Finish();
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->profile.files.size(), 1u);
  EXPECT_EQ(r->profile.files[0].path, "m/a.go");
  EXPECT_EQ(r->report.excluded_files, 1u);
}

}  // namespace
}  // namespace covmerge
