// SPDX-License-Identifier: Apache-2.0
// Unit tests for report/coverage_order: fractions compared exactly, where
// doubles round and 64-bit cross products overflow.
#include "report/coverage_order.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

Coverage Of(uint64_t covered, uint64_t statements) {
  Coverage c;
  c.covered = covered;
  c.statements = statements;
  return c;
}

TEST(CoverageBelowTest, ComparesFractionsNotCounts) {
  EXPECT_TRUE(CoverageBelow(Of(1, 3), Of(1, 2)));
  EXPECT_FALSE(CoverageBelow(Of(1, 2), Of(1, 3)));
  EXPECT_FALSE(CoverageBelow(Of(2, 4), Of(1, 2)));  // equal fractions
  EXPECT_FALSE(CoverageBelow(Of(1, 2), Of(2, 4)));
  EXPECT_TRUE(CoverageBelow(Of(0, 10), Of(1, 1000)));
}

TEST(CoverageBelowTest, SeesADropThatRoundsAway) {
  // 99.99999999999999% against 100%: equal as doubles, not as fractions.
  const uint64_t n = uint64_t{1} << 60;
  EXPECT_EQ(100.0 * static_cast<double>(n - 1) / static_cast<double>(n), 100.0);
  EXPECT_TRUE(CoverageBelow(Of(n - 1, n), Of(n, n)));
  EXPECT_FALSE(CoverageBelow(Of(n, n), Of(n - 1, n)));
}

TEST(CoverageBelowTest, CrossProductsDoNotOverflow) {
  // Both products exceed 2^64; wrapped, the first would look smaller.
  const uint64_t big = UINT64_MAX;
  EXPECT_TRUE(CoverageBelow(Of(big - 1, big), Of(big, big)));
  EXPECT_FALSE(CoverageBelow(Of(big, big), Of(big - 1, big)));
  EXPECT_TRUE(CoverageBelow(Of(3, big), Of(1, 3)));
}

TEST(CoverageBelowTest, NothingIsBelowOrAboveAnEmptySide) {
  EXPECT_FALSE(CoverageBelow(Of(0, 0), Of(1, 2)));
  EXPECT_FALSE(CoverageBelow(Of(1, 2), Of(0, 0)));
  EXPECT_FALSE(CoverageBelow(Of(0, 0), Of(0, 0)));
}

}  // namespace
}  // namespace covmerge::internal
