// SPDX-License-Identifier: Apache-2.0
// Unit tests for base/format_decimal: the same digits as std::to_chars at
// every length, at the edges where the digit count changes, and at random.
#include "base/format_decimal.h"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>

#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

std::string Formatted(uint64_t value) {
  char text[24];
  return std::string(text, FormatDecimal(text, value));
}

std::string Expected(uint64_t value) {
  char text[24];
  return std::string(text, std::to_chars(text, text + sizeof text, value).ptr);
}

TEST(FormatDecimalTest, SmallNumbers) {
  for (uint64_t v = 0; v < 100'000; ++v) ASSERT_EQ(Formatted(v), Expected(v)) << v;
}

TEST(FormatDecimalTest, EveryPowerOfTenAndTwoAndTheirNeighbours) {
  for (uint64_t power = 1;; power *= 10) {
    for (uint64_t v : {power - 1, power, power + 1}) EXPECT_EQ(Formatted(v), Expected(v)) << v;
    if (power > UINT64_MAX / 10) break;
  }
  for (int bit = 0; bit < 64; ++bit) {
    const uint64_t power = uint64_t{1} << bit;
    for (uint64_t v : {power - 1, power, power + 1}) EXPECT_EQ(Formatted(v), Expected(v)) << v;
  }
  EXPECT_EQ(Formatted(UINT64_MAX), "18446744073709551615");
  EXPECT_EQ(Formatted(UINT32_MAX), "4294967295");
}

TEST(FormatDecimalTest, WritesNothingPastTheDigits) {
  char text[24];
  std::memset(text, '#', sizeof text);
  char* end = FormatDecimal(text, 12345);
  EXPECT_EQ(end - text, 5);
  EXPECT_EQ(std::string(text, 6), "12345#");
}

TEST(FormatDecimalTest, RandomNumbersOfEveryWidth) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200'000; ++i) {
    const uint64_t v = rng() >> (rng() % 64);
    ASSERT_EQ(Formatted(v), Expected(v)) << v;
  }
}

}  // namespace
}  // namespace covmerge::internal
