// SPDX-License-Identifier: Apache-2.0
// Unit tests for table/file_blocks: each position gets one record, found
// again with or without a right hint, before and after the file grows past
// the linear-search limit.
#include "table/file_blocks.h"

#include <algorithm>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

BlockPosition At(uint32_t i) { return {i, 1, i + 1, 9}; }

TEST(FileBlocksTest, EachPositionHasOneRecordWhateverTheHint) {
  for (uint32_t n : {1u, 16u, 17u, 1000u}) {
    FileBlocks blocks;
    bool inserted;
    for (uint32_t i = 0; i < n; ++i) {
      EXPECT_EQ(blocks.FindOrInsert(At(i), i, &inserted), i);
      EXPECT_TRUE(inserted);
    }
    std::vector<uint32_t> order(n);
    for (uint32_t i = 0; i < n; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), std::mt19937(n));
    for (uint32_t hint : {0u, 7u, n + 5}) {
      for (uint32_t i : order) {
        EXPECT_EQ(blocks.FindOrInsert(At(i), hint, &inserted), i) << "n=" << n;
        EXPECT_FALSE(inserted);
      }
    }
    EXPECT_EQ(blocks.size(), n);
  }
}

TEST(FileBlocksTest, APositionThatDiffersOnlyInItsEndIsAnotherBlock) {
  FileBlocks blocks;
  bool inserted;
  const BlockPosition a{3, 1, 4, 9}, b{3, 1, 4, 10}, c{3, 1, 5, 9}, d{3, 2, 4, 9};
  for (const BlockPosition& p : {a, b, c, d}) blocks.FindOrInsert(p, 0, &inserted);
  EXPECT_EQ(blocks.size(), 4u);
  EXPECT_EQ(blocks.FindOrInsert(c, 0, &inserted), 2u);
  EXPECT_FALSE(inserted);
}

TEST(FileBlocksTest, RecordsSurviveDroppingTheIndex) {
  FileBlocks blocks;
  bool inserted;
  for (uint32_t i = 0; i < 100; ++i) blocks.record(blocks.FindOrInsert(At(i), 0, &inserted)).count = i;
  blocks.DropIndex();
  ASSERT_EQ(blocks.size(), 100u);
  for (uint32_t i = 0; i < 100; ++i) EXPECT_EQ(blocks.records()[i].count, i);
}

}  // namespace
}  // namespace covmerge::internal
