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

constexpr uint32_t kMiss = UINT32_MAX;

// The record cached for `text`, or kMiss.
uint32_t RecordOf(LineCache& cache, const std::string& text) {
  LineCache::Entry* entry = cache.Find(text);
  return entry == nullptr ? kMiss : entry->record;
}

std::string Prefix(int i) {
  return "example.com/mono/svc" + std::to_string(i % 13) + "/file" + std::to_string(i % 97) + ".go:" +
         std::to_string(i) + ".2," + std::to_string(i + 1) + ".9 1 ";
}

TEST(LineCacheTest, MissThenHit) {
  LineCache cache;
  EXPECT_EQ(RecordOf(cache, "a.go:1.1,2.2 1 "), kMiss);
  cache.Insert("a.go:1.1,2.2 1 ", nullptr, 42);
  EXPECT_EQ(RecordOf(cache, "a.go:1.1,2.2 1 "), 42u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(LineCacheTest, TextsThatDifferInOneByteAreDistinct) {
  LineCache cache;
  cache.Insert("a.go:1.1,2.2 1 ", nullptr, 1);
  EXPECT_EQ(RecordOf(cache, "a.go:1.1,2.2 2 "), kMiss);  // NUMSTMT differs
  EXPECT_EQ(RecordOf(cache, "b.go:1.1,2.2 1 "), kMiss);
  EXPECT_EQ(RecordOf(cache, "a.go:1.1,2.2 1"), kMiss);   // shorter
  EXPECT_EQ(RecordOf(cache, "a.go:1.1,2.2 1  "), kMiss);  // longer
  EXPECT_EQ(RecordOf(cache, "a.go:01.1,2.2 1 "), kMiss);  // same block, other text
  EXPECT_EQ(RecordOf(cache, ""), kMiss);
}

TEST(LineCacheTest, SameOrderAndShuffledOrderFindEveryRecord) {
  LineCache cache;
  constexpr int kLines = 50000;  // forces the index to grow many times
  for (int i = 0; i < kLines; ++i) {
    ASSERT_EQ(RecordOf(cache, Prefix(i)), kMiss) << i;
    cache.Insert(Prefix(i), nullptr, static_cast<uint32_t>(i * 3));
  }
  for (int i = 0; i < kLines; ++i) ASSERT_EQ(RecordOf(cache, Prefix(i)), static_cast<uint32_t>(i * 3)) << i;
  std::vector<int> order(kLines);
  for (int i = 0; i < kLines; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(7));
  for (int i : order) ASSERT_EQ(RecordOf(cache, Prefix(i)), static_cast<uint32_t>(i * 3)) << i;
}

TEST(LineCacheTest, PredictionRecoversAfterAJump) {
  LineCache cache;
  for (int i = 0; i < 100; ++i) cache.Insert(Prefix(i), nullptr, static_cast<uint32_t>(i));
  // Start in the middle, run to the end, wrap to the start: all found.
  for (int i = 50; i < 100; ++i) ASSERT_EQ(RecordOf(cache, Prefix(i)), static_cast<uint32_t>(i));
  for (int i = 0; i < 50; ++i) ASSERT_EQ(RecordOf(cache, Prefix(i)), static_cast<uint32_t>(i));
}

TEST(LineCacheTest, CapStopsNewEntriesButKeepsOldOnes) {
  const std::string first = Prefix(1);
  LineCache cache(first.size() * 2);
  cache.Insert(first, nullptr, 1);
  cache.Insert(Prefix(2), nullptr, 2);
  cache.Insert(Prefix(300), nullptr, 3);  // over the cap: not kept
  EXPECT_EQ(RecordOf(cache, first), 1u);
  EXPECT_EQ(RecordOf(cache, Prefix(2)), 2u);
  EXPECT_EQ(RecordOf(cache, Prefix(300)), kMiss);
  EXPECT_LE(cache.text_bytes(), first.size() * 2);
}

TEST(LineCacheTest, LongTextsLargerThanAnArenaBlock) {
  LineCache cache;
  const std::string long_path(3 << 20, 'x');
  cache.Insert(long_path + ":1.1,2.2 1 ", nullptr, 9);
  cache.Insert("short.go:1.1,2.2 1 ", nullptr, 10);
  EXPECT_EQ(RecordOf(cache, long_path + ":1.1,2.2 1 "), 9u);
  EXPECT_EQ(RecordOf(cache, "short.go:1.1,2.2 1 "), 10u);
}

TEST(LineCacheTest, MatchPredictedReadsTheCountAndFindsTheNextLine) {
  LineCache cache;
  cache.Insert("a.go:1.1,2.2 1 ", nullptr, 7);
  cache.Insert("a.go:3.1,4.2 1 ", nullptr, 8);
  ASSERT_NE(cache.Find("a.go:1.1,2.2 1 "), nullptr);  // predicts the next entry
  const std::string text = "a.go:3.1,4.2 1 42\r\nnext";
  uint64_t count = 0;
  const char* next = nullptr;
  LineCache::Entry* entry = cache.MatchPredicted(text.data(), text.data() + text.size(), &count, &next);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->record, 8u);
  EXPECT_EQ(count, 42u);
  EXPECT_EQ(std::string(next), "next");
}

TEST(LineCacheTest, MatchPredictedRejectsWhatIsNotAPlainCount) {
  for (const std::string line : {"a.go:1.1,2.2 1 \n", "a.go:1.1,2.2 1 4x\n", "a.go:1.1,2.2 1 -4\n",
                                 "a.go:1.1,2.2 1 1234567890123456789\n", "a.go:1.1,2.2 1 "}) {
    uint64_t count = 0;
    const char* next = nullptr;
    LineCache predicted;
    predicted.Insert("x", nullptr, 0);
    predicted.Insert("a.go:1.1,2.2 1 ", nullptr, 1);
    ASSERT_NE(predicted.Find("x"), nullptr);  // now predicts "a.go:..."
    EXPECT_EQ(predicted.MatchPredicted(line.data(), line.data() + line.size(), &count, &next), nullptr) << line;
  }
}

TEST(LineCacheTest, FoldCountsHandsOverAndResets) {
  LineCache cache;
  cache.Insert("a ", nullptr, 3);
  cache.Insert("b ", nullptr, 4);
  cache.Find("a ")->count = 5;
  std::vector<std::pair<uint32_t, uint64_t>> folded;
  cache.FoldCounts([&](BlockStore::File*, uint32_t record, uint64_t count) { folded.emplace_back(record, count); });
  ASSERT_EQ(folded.size(), 1u);
  EXPECT_EQ(folded[0], std::make_pair(3u, uint64_t{5}));
  folded.clear();
  cache.FoldCounts([&](BlockStore::File*, uint32_t record, uint64_t count) { folded.emplace_back(record, count); });
  EXPECT_TRUE(folded.empty());
}

}  // namespace
}  // namespace covmerge::internal
