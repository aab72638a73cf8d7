// SPDX-License-Identifier: Apache-2.0
// Unit tests for table/block_table: insert and find, the predicted-order
// fast path (hits and misses both return the right record), growth to many
// keys, keys that differ in one field, and Clear().
#include "table/block_table.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

BlockKey KeyNumber(uint32_t i) {
  // Several files, increasing positions within each, as profiles have.
  return BlockKey{i % 7, i / 7 + 1, i % 5, i / 7 + 2, (i * 13) % 31};
}

// Inserts `key` expecting it new, and stamps the record with `count`.
void InsertNew(BlockTable* table, const BlockKey& key, uint64_t count) {
  bool inserted = false;
  BlockRecord* record = table->FindOrInsert(key, &inserted);
  ASSERT_TRUE(inserted);
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->key, key);
  EXPECT_EQ(record->count, 0u);
  EXPECT_EQ(record->num_stmt, 0u);
  EXPECT_EQ(record->first_input, 0u);
  record->count = count;
}

// Finds `key`, expecting it present with `count`.
void ExpectFound(BlockTable* table, const BlockKey& key, uint64_t count) {
  bool inserted = true;
  BlockRecord* record = table->FindOrInsert(key, &inserted);
  EXPECT_FALSE(inserted);
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->key, key);
  EXPECT_EQ(record->count, count);
}

TEST(BlockTableTest, NewTableIsEmpty) {
  BlockTable table;
  EXPECT_EQ(table.size(), 0u);
  EXPECT_TRUE(table.records().empty());
}

TEST(BlockTableTest, InsertThenFind) {
  BlockTable table;
  const BlockKey a{0, 1, 2, 3, 4}, b{1, 1, 2, 3, 4};
  InsertNew(&table, a, 10);
  InsertNew(&table, b, 20);
  EXPECT_EQ(table.size(), 2u);
  ExpectFound(&table, a, 10);
  ExpectFound(&table, b, 20);
  ExpectFound(&table, a, 10);
  EXPECT_EQ(table.size(), 2u);
}

TEST(BlockTableTest, RecordsKeepFirstSeenOrder) {
  BlockTable table;
  for (uint32_t i = 0; i < 50; ++i) InsertNew(&table, KeyNumber(49 - i), i);
  ASSERT_EQ(table.size(), 50u);
  for (uint32_t i = 0; i < 50; ++i) {
    EXPECT_EQ(table.records()[i].key, KeyNumber(49 - i));
    EXPECT_EQ(table.records()[i].count, i);
  }
}

TEST(BlockTableTest, PredictedOrderHitsReturnTheRightRecords) {
  BlockTable table;
  constexpr uint32_t kKeys = 3000;
  for (uint32_t i = 0; i < kKeys; ++i) InsertNew(&table, KeyNumber(i), i + 100);
  // A second profile repeats the order: every lookup after the first is a
  // predicted hit, and all must still find their own record.
  for (int round = 0; round < 3; ++round) {
    for (uint32_t i = 0; i < kKeys; ++i) ExpectFound(&table, KeyNumber(i), i + 100);
  }
  EXPECT_EQ(table.size(), kKeys);
}

TEST(BlockTableTest, PredictionMissesReturnTheRightRecords) {
  BlockTable table;
  constexpr uint32_t kKeys = 3000;
  for (uint32_t i = 0; i < kKeys; ++i) InsertNew(&table, KeyNumber(i), i);
  // Reverse order: the prediction (the record after the last one found) is
  // wrong every time.
  for (uint32_t i = kKeys; i-- > 0;) ExpectFound(&table, KeyNumber(i), i);
  // Random order, and runs in order that start at random places.
  std::mt19937 rng(12345);
  std::vector<uint32_t> order(kKeys);
  for (uint32_t i = 0; i < kKeys; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  for (uint32_t i : order) ExpectFound(&table, KeyNumber(i), i);
  for (int run = 0; run < 50; ++run) {
    const uint32_t start = rng() % kKeys;
    for (uint32_t i = start; i < std::min(kKeys, start + 40); ++i) ExpectFound(&table, KeyNumber(i), i);
  }
  EXPECT_EQ(table.size(), kKeys);
}

TEST(BlockTableTest, PredictionSurvivesInterleavedInserts) {
  BlockTable table;
  for (uint32_t i = 0; i < 100; i += 2) InsertNew(&table, KeyNumber(i), i);
  // Walk the even keys in order while inserting the odd ones between them:
  // a predicted record must never be handed out for a different key.
  for (uint32_t i = 0; i < 100; ++i) {
    if (i % 2 == 0) {
      ExpectFound(&table, KeyNumber(i), i);
    } else {
      InsertNew(&table, KeyNumber(i), i);
    }
  }
  for (uint32_t i = 0; i < 100; ++i) ExpectFound(&table, KeyNumber(i), i);
  EXPECT_EQ(table.size(), 100u);
}

TEST(BlockTableTest, GrowsPastManyThousandsOfKeys) {
  BlockTable table;
  constexpr uint32_t kKeys = 100000;
  for (uint32_t i = 0; i < kKeys; ++i) {
    bool inserted = false;
    BlockRecord* record = table.FindOrInsert(KeyNumber(i), &inserted);
    ASSERT_TRUE(inserted) << i;
    record->count = i;
  }
  ASSERT_EQ(table.size(), kKeys);
  // Every key is still found after all the growth, in a hash-only order.
  std::vector<uint32_t> order(kKeys);
  for (uint32_t i = 0; i < kKeys; ++i) order[i] = (i * 7919u) % kKeys;  // a permutation
  for (uint32_t i : order) {
    bool inserted = true;
    BlockRecord* record = table.FindOrInsert(KeyNumber(i), &inserted);
    ASSERT_FALSE(inserted) << i;
    ASSERT_EQ(record->key, KeyNumber(i));
    ASSERT_EQ(record->count, i);
  }
  EXPECT_EQ(table.size(), kKeys);
}

TEST(BlockTableTest, KeysDifferingInOneFieldAreDistinct) {
  BlockTable table;
  const BlockKey base{3, 10, 2, 12, 5};
  std::vector<BlockKey> keys = {base};
  for (int field = 0; field < 5; ++field) {
    for (uint32_t delta : {1u, 2u, 0x10000u, 0x80000000u}) {
      BlockKey k = base;
      uint32_t* fields[] = {&k.file, &k.start_line, &k.start_col, &k.end_line, &k.end_col};
      *fields[field] ^= delta;
      keys.push_back(k);
    }
  }
  // Also swapped fields, which a careless hash could confuse.
  keys.push_back(BlockKey{3, 2, 10, 12, 5});
  keys.push_back(BlockKey{3, 10, 2, 5, 12});
  keys.push_back(BlockKey{3, 12, 5, 10, 2});
  for (size_t i = 0; i < keys.size(); ++i) InsertNew(&table, keys[i], 1000 + i);
  EXPECT_EQ(table.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) ExpectFound(&table, keys[i], 1000 + i);
}

TEST(BlockTableTest, ClearDropsEveryRecord) {
  BlockTable table;
  for (uint32_t i = 0; i < 5000; ++i) InsertNew(&table, KeyNumber(i), i);
  table.Clear();
  EXPECT_EQ(table.size(), 0u);
  EXPECT_TRUE(table.records().empty());
  // Old keys are new again, whether looked up in the old order or not.
  for (uint32_t i = 0; i < 5000; i += 3) InsertNew(&table, KeyNumber(i), i + 1);
  EXPECT_EQ(table.size(), 1667u);
  for (uint32_t i = 0; i < 5000; i += 3) ExpectFound(&table, KeyNumber(i), i + 1);
  bool inserted = false;
  table.FindOrInsert(KeyNumber(1), &inserted);
  EXPECT_TRUE(inserted);
}

TEST(BlockTableTest, RecordsSpanAllowsUpdates) {
  BlockTable table;
  InsertNew(&table, KeyNumber(1), 5);
  table.records()[0].count = 77;
  table.records()[0].first_input = 3;
  bool inserted = true;
  const BlockRecord* record = table.FindOrInsert(KeyNumber(1), &inserted);
  EXPECT_FALSE(inserted);
  EXPECT_EQ(record->count, 77u);
  EXPECT_EQ(record->first_input, 3u);
}

}  // namespace
}  // namespace covmerge::internal
