// SPDX-License-Identifier: Apache-2.0
// Unit tests for table/line_cache: a line's text maps to the record it was
// inserted with, in predicted order and out of it; near-identical texts stay
// apart; growth keeps every entry; the memory cap stops new entries only.
#include "table/line_cache.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

std::string Prefix(int i) {
  return "example.com/mono/svc" + std::to_string(i % 13) + "/file" + std::to_string(i % 97) + ".go:" +
         std::to_string(i) + ".2," + std::to_string(i + 1) + ".9 1 ";
}

TEST(LineCacheTest, MissThenHit) {
  LineCache cache;
  EXPECT_EQ(cache.Find("a.go:1.1,2.2 1 "), LineCache::kMiss);
  cache.Insert("a.go:1.1,2.2 1 ", 42);
  EXPECT_EQ(cache.Find("a.go:1.1,2.2 1 "), 42u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(LineCacheTest, TextsThatDifferInOneByteAreDistinct) {
  LineCache cache;
  cache.Insert("a.go:1.1,2.2 1 ", 1);
  EXPECT_EQ(cache.Find("a.go:1.1,2.2 2 "), LineCache::kMiss);  // NUMSTMT differs
  EXPECT_EQ(cache.Find("b.go:1.1,2.2 1 "), LineCache::kMiss);
  EXPECT_EQ(cache.Find("a.go:1.1,2.2 1"), LineCache::kMiss);   // shorter
  EXPECT_EQ(cache.Find("a.go:1.1,2.2 1  "), LineCache::kMiss);  // longer
  EXPECT_EQ(cache.Find("a.go:01.1,2.2 1 "), LineCache::kMiss);  // same block, other text
  EXPECT_EQ(cache.Find(""), LineCache::kMiss);
}

TEST(LineCacheTest, SameOrderAndShuffledOrderFindEveryRecord) {
  LineCache cache;
  constexpr int kLines = 50000;  // forces the index to grow many times
  for (int i = 0; i < kLines; ++i) {
    ASSERT_EQ(cache.Find(Prefix(i)), LineCache::kMiss) << i;
    cache.Insert(Prefix(i), static_cast<uint32_t>(i * 3));
  }
  for (int i = 0; i < kLines; ++i) ASSERT_EQ(cache.Find(Prefix(i)), static_cast<uint32_t>(i * 3)) << i;
  std::vector<int> order(kLines);
  for (int i = 0; i < kLines; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(7));
  for (int i : order) ASSERT_EQ(cache.Find(Prefix(i)), static_cast<uint32_t>(i * 3)) << i;
}

TEST(LineCacheTest, PredictionRecoversAfterAJump) {
  LineCache cache;
  for (int i = 0; i < 100; ++i) cache.Insert(Prefix(i), static_cast<uint32_t>(i));
  // Start in the middle, run to the end, wrap to the start: all found.
  for (int i = 50; i < 100; ++i) ASSERT_EQ(cache.Find(Prefix(i)), static_cast<uint32_t>(i));
  for (int i = 0; i < 50; ++i) ASSERT_EQ(cache.Find(Prefix(i)), static_cast<uint32_t>(i));
}

TEST(LineCacheTest, CapStopsNewEntriesButKeepsOldOnes) {
  const std::string first = Prefix(1);
  LineCache cache(first.size() * 2);
  cache.Insert(first, 1);
  cache.Insert(Prefix(2), 2);
  cache.Insert(Prefix(300), 3);  // over the cap: not kept
  EXPECT_EQ(cache.Find(first), 1u);
  EXPECT_EQ(cache.Find(Prefix(2)), 2u);
  EXPECT_EQ(cache.Find(Prefix(300)), LineCache::kMiss);
  EXPECT_LE(cache.text_bytes(), first.size() * 2);
}

TEST(LineCacheTest, LongTextsLargerThanAnArenaBlock) {
  LineCache cache;
  const std::string long_path(3 << 20, 'x');
  cache.Insert(long_path + ":1.1,2.2 1 ", 9);
  cache.Insert("short.go:1.1,2.2 1 ", 10);
  EXPECT_EQ(cache.Find(long_path + ":1.1,2.2 1 "), 9u);
  EXPECT_EQ(cache.Find("short.go:1.1,2.2 1 "), 10u);
}

}  // namespace
}  // namespace covmerge::internal
