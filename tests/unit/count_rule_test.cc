// SPDX-License-Identifier: Apache-2.0
// Unit tests for base/count_rule: set mode ORs counts, count and atomic
// add them, and sums saturate at kMaxCount, counting each saturation.
#include "base/count_rule.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

TEST(CombineCountsTest, SetModeOrs) {
  uint64_t saturations = 0;
  EXPECT_EQ(CombineCounts(true, 0, 0, &saturations), 0u);
  EXPECT_EQ(CombineCounts(true, 0, 1, &saturations), 1u);
  EXPECT_EQ(CombineCounts(true, 1, 0, &saturations), 1u);
  EXPECT_EQ(CombineCounts(true, 1, 1, &saturations), 1u);  // not 2
  EXPECT_EQ(CombineCounts(true, 2, 1, &saturations), 3u);  // bitwise, as Go's cover tool
  EXPECT_EQ(CombineCounts(true, kMaxCount, kMaxCount, &saturations), kMaxCount);
  EXPECT_EQ(saturations, 0u);
}

TEST(CombineCountsTest, CountModeAdds) {
  uint64_t saturations = 0;
  EXPECT_EQ(CombineCounts(false, 0, 0, &saturations), 0u);
  EXPECT_EQ(CombineCounts(false, 1, 1, &saturations), 2u);
  EXPECT_EQ(CombineCounts(false, 40, 2, &saturations), 42u);
  EXPECT_EQ(CombineCounts(false, 0, kMaxCount, &saturations), kMaxCount);
  EXPECT_EQ(CombineCounts(false, kMaxCount - 5, 5, &saturations), kMaxCount);
  EXPECT_EQ(CombineCounts(false, 4294967296u, 4294967296u, &saturations), 8589934592u);
  EXPECT_EQ(saturations, 0u);
}

TEST(CombineCountsTest, SumsSaturateAtMaxCountAndAreCounted) {
  uint64_t saturations = 0;
  EXPECT_EQ(CombineCounts(false, kMaxCount, 1, &saturations), kMaxCount);
  EXPECT_EQ(saturations, 1u);
  EXPECT_EQ(CombineCounts(false, kMaxCount - 5, 6, &saturations), kMaxCount);
  EXPECT_EQ(saturations, 2u);
  EXPECT_EQ(CombineCounts(false, kMaxCount, kMaxCount, &saturations), kMaxCount);
  EXPECT_EQ(saturations, 3u);
  // A sum that fits does not count.
  EXPECT_EQ(CombineCounts(false, 1, 2, &saturations), 3u);
  EXPECT_EQ(saturations, 3u);
}

TEST(CombineCountsTest, MaxCountIsGosMaxInt64) {
  EXPECT_EQ(kMaxCount, static_cast<uint64_t>(INT64_MAX));
}

}  // namespace
}  // namespace covmerge::internal
