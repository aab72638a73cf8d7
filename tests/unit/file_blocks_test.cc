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
      EXPECT_EQ(blocks.FindOrInsert(At(i), i, 0, &inserted), i);
      EXPECT_TRUE(inserted);
    }
    std::vector<uint32_t> order(n);
    for (uint32_t i = 0; i < n; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), std::mt19937(n));
    for (uint32_t hint : {0u, 7u, n + 5}) {
      for (uint32_t i : order) {
        EXPECT_EQ(blocks.FindOrInsert(At(i), hint, 0, &inserted), i) << "n=" << n;
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
  for (const BlockPosition& p : {a, b, c, d}) blocks.FindOrInsert(p, 0, 0, &inserted);
  EXPECT_EQ(blocks.size(), 4u);
  EXPECT_EQ(blocks.FindOrInsert(c, 0, 0, &inserted), 2u);
  EXPECT_FALSE(inserted);
}

TEST(FileBlocksTest, TakeSortedMovesOutTheBlocksInOrderWithTheirFirstInputs) {
  FileBlocks blocks;
  bool inserted;
  // Out of order, so the file falls back to its index; block i first seen in input 100 - i.
  std::vector<uint32_t> order(100);
  for (uint32_t i = 0; i < 100; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(7));
  for (uint32_t i : order) blocks.block(blocks.FindOrInsert(At(i), 0, 100 - i, &inserted)).count = i;
  // A late lower input lowers the first input; a higher one leaves it.
  blocks.NoteInput(blocks.FindOrInsert(At(5), 0, 0, &inserted), 1);
  blocks.NoteInput(blocks.FindOrInsert(At(6), 0, 0, &inserted), 99);
  FirstInputs first_inputs;
  const std::vector<Block> taken = blocks.TakeSorted(&first_inputs);
  ASSERT_EQ(taken.size(), 100u);
  ASSERT_EQ(first_inputs.each.size(), 100u);
  for (uint32_t i = 0; i < 100; ++i) {
    EXPECT_EQ(PositionOf(taken[i]), At(i));
    EXPECT_EQ(taken[i].count, i);
    EXPECT_EQ(first_inputs[i], i == 5 ? 1u : 100 - i) << i;
  }
  EXPECT_EQ(blocks.size(), 0u);
}

TEST(FileBlocksTest, BlocksFirstSeenInOneInputKeepOneFirstInput) {
  FileBlocks blocks;
  bool inserted;
  for (uint32_t input = 3; input < 6; ++input) {
    for (uint32_t i = 0; i < 10; ++i) blocks.NoteInput(blocks.FindOrInsert(At(i), i, input, &inserted), input);
  }
  FirstInputs first_inputs;
  blocks.TakeSorted(&first_inputs);
  EXPECT_TRUE(first_inputs.each.empty());  // one number, not one per block
  for (uint32_t i = 0; i < 10; ++i) EXPECT_EQ(first_inputs[i], 3u);
}

TEST(FileBlocksTest, ABlockFromAnotherInputOrALateLowerInputGivesEachBlockItsOwn) {
  for (bool late_lower : {false, true}) {
    FileBlocks blocks;
    bool inserted;
    for (uint32_t i = 0; i < 10; ++i) blocks.FindOrInsert(At(i), i, 4, &inserted);
    if (late_lower) {
      blocks.NoteInput(blocks.FindOrInsert(At(2), 2, 1, &inserted), 1);  // input 1 has block 2 too
    } else {
      blocks.FindOrInsert(At(10), 10, 6, &inserted);  // input 6 adds block 10
    }
    EXPECT_EQ(blocks.first_input(2), late_lower ? 1u : 4u);
    FirstInputs first_inputs;
    const std::vector<Block> taken = blocks.TakeSorted(&first_inputs);
    ASSERT_EQ(first_inputs.each.size(), taken.size());
    for (uint32_t i = 0; i < taken.size(); ++i) {
      EXPECT_EQ(first_inputs[i], i == 2 && late_lower ? 1u : i == 10 ? 6u : 4u) << i << " late " << late_lower;
    }
  }
}

}  // namespace
}  // namespace covmerge::internal
