// SPDX-License-Identifier: Apache-2.0
// Unit tests for intern/path_interner: ids are stable and distinct, paths
// round-trip, the id space is described by IdLimit/Contains, threads that
// intern overlapping paths agree on the ids, and the per-worker cache gives
// the interner's ids.
#include "intern/path_interner.h"

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/str_cat.h"
#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

std::string PathNumber(int i) { return Cat("github.com/org/repo/pkg", i % 13, "/file", i, ".go"); }

TEST(PathInternerTest, SamePathGetsSameId) {
  PathInterner interner;
  const uint32_t a = interner.Intern("a.go");
  std::string copy = "a.go";  // different storage, same bytes
  EXPECT_EQ(interner.Intern(copy), a);
  EXPECT_EQ(interner.Intern("a.go"), a);
}

TEST(PathInternerTest, DistinctPathsGetDistinctIds) {
  PathInterner interner;
  std::set<uint32_t> ids;
  const std::string_view paths[] = {"a.go", "b.go", "a.go ", "A.go", "a.g", "", "a.go\n", "dir/a.go"};
  for (std::string_view p : paths) ids.insert(interner.Intern(p));
  EXPECT_EQ(ids.size(), std::size(paths));
}

TEST(PathInternerTest, PathRoundTripsAndOwnsItsBytes) {
  PathInterner interner;
  std::vector<uint32_t> ids;
  {
    std::string scratch;
    for (int i = 0; i < 500; ++i) {
      scratch = PathNumber(i);
      ids.push_back(interner.Intern(scratch));
    }
    scratch.assign(scratch.size(), '#');  // the interner must not point into the caller's bytes
  }
  for (int i = 0; i < 500; ++i) EXPECT_EQ(interner.Path(ids[i]), PathNumber(i)) << i;
}

TEST(PathInternerTest, PathViewsStayValidWhileInterningMore) {
  PathInterner interner;
  const uint32_t first = interner.Intern("first/path.go");
  const std::string_view view = interner.Path(first);
  for (int i = 0; i < 5000; ++i) interner.Intern(PathNumber(i));
  EXPECT_EQ(view, "first/path.go");
  EXPECT_EQ(view.data(), interner.Path(first).data());
}

TEST(PathInternerTest, EmptyInternerHasNoIds) {
  PathInterner interner;
  EXPECT_EQ(interner.IdLimit(), 0u);
  for (uint32_t id = 0; id < 64; ++id) EXPECT_FALSE(interner.Contains(id)) << id;
}

TEST(PathInternerTest, IdLimitAndContainsDescribeHandedOutIds) {
  PathInterner interner;
  std::set<uint32_t> ids;
  for (int i = 0; i < 300; ++i) ids.insert(interner.Intern(PathNumber(i)));
  ASSERT_EQ(ids.size(), 300u);
  const uint32_t limit = interner.IdLimit();
  EXPECT_EQ(limit, *ids.rbegin() + 1);
  for (uint32_t id = 0; id < limit + 64; ++id) {
    EXPECT_EQ(interner.Contains(id), ids.count(id) == 1) << "id " << id;
  }
}

TEST(PathInternerTest, ConcurrentInterningOfOverlappingPathsAgrees) {
  constexpr int kThreads = 4;
  constexpr int kPaths = 4000;
  PathInterner interner;
  // Thread t interns paths [t*1000, t*1000 + 2000) mod 4000, so every path is
  // interned by two threads, in a different order in each.
  std::vector<std::vector<std::pair<int, uint32_t>>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int j = 0; j < 2000; ++j) {
        const int i = (t % 2 == 0 ? t * 1000 + j : t * 1000 + 1999 - j) % kPaths;
        seen[t].push_back({i, interner.Intern(PathNumber(i))});
      }
    });
  }
  for (std::thread& t : threads) t.join();

  std::vector<int64_t> id_of(kPaths, -1);
  std::set<uint32_t> distinct;
  for (const auto& list : seen) {
    for (auto [i, id] : list) {
      if (id_of[i] == -1) id_of[i] = id;
      EXPECT_EQ(id_of[i], id) << "path " << i << " got two ids";
      distinct.insert(id);
    }
  }
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kPaths));
  for (int i = 0; i < kPaths; ++i) {
    ASSERT_NE(id_of[i], -1) << i;
    EXPECT_EQ(interner.Path(static_cast<uint32_t>(id_of[i])), PathNumber(i));
    EXPECT_EQ(interner.Intern(PathNumber(i)), static_cast<uint32_t>(id_of[i]));
  }
  EXPECT_EQ(interner.IdLimit(), *distinct.rbegin() + 1);
}

TEST(PathCacheTest, ReturnsTheInternersIds) {
  PathInterner interner;
  PathCache cache(&interner);
  const uint32_t a = cache.Intern("a.go");
  EXPECT_EQ(a, interner.Intern("a.go"));
  EXPECT_EQ(cache.Intern("a.go"), a);  // cached
  const uint32_t b = cache.Intern("b.go");
  EXPECT_NE(a, b);
  EXPECT_EQ(b, interner.Intern("b.go"));
  EXPECT_EQ(cache.Intern("a.go"), a);  // after a miss
  // Same length, differing only in the last byte, in the word-wise part, or
  // in the tail after it.
  const std::string long_a = "0123456789abcdef/x.go";
  std::string long_b = long_a;
  long_b[3] = 'X';
  std::string long_c = long_a;
  long_c.back() = 'O';
  const uint32_t la = cache.Intern(long_a);
  const uint32_t lb = cache.Intern(long_b);
  const uint32_t lc = cache.Intern(long_c);
  EXPECT_EQ(la, interner.Intern(long_a));
  EXPECT_EQ(lb, interner.Intern(long_b));
  EXPECT_EQ(lc, interner.Intern(long_c));
  EXPECT_NE(la, lb);
  EXPECT_NE(la, lc);
  EXPECT_NE(lb, lc);
}

TEST(PathCacheTest, TwoCachesOverOneInternerAgree) {
  PathInterner interner;
  PathCache first(&interner), second(&interner);
  for (int i = 0; i < 200; ++i) {
    const std::string path = PathNumber(i / 3);  // runs of three equal paths
    EXPECT_EQ(first.Intern(path), second.Intern(path)) << path;
    EXPECT_EQ(first.Intern(path), interner.Intern(path)) << path;
  }
}

TEST(PathCacheTest, EmptyPathIsInternedLikeAnyOther) {
  // A fresh cache holds no path; the empty path must still be interned and
  // get its own id, not the id the empty cache starts with.
  PathInterner interner;
  PathCache cache(&interner);
  const uint32_t other = cache.Intern("other.go");
  PathCache fresh(&interner);
  const uint32_t empty = fresh.Intern("");
  EXPECT_NE(empty, other);
  ASSERT_TRUE(interner.Contains(empty)) << "id " << empty << " was never handed out";
  EXPECT_EQ(interner.Path(empty), "");
  EXPECT_EQ(interner.Intern(""), empty);
}

}  // namespace
}  // namespace covmerge::internal
