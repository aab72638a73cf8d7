// SPDX-License-Identifier: Apache-2.0
// Unit tests for base/bytes_equal: equal ranges of every length up to a
// few blocks compare equal, and a difference at any one byte is found,
// whichever of the overlapping 16-byte blocks holds it.
#include "base/bytes_equal.h"

#include <string>

#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

TEST(BytesEqualTest, EveryLengthAndEveryDifferingByte) {
  for (size_t n = 0; n <= 100; ++n) {
    std::string a(n, 'x');
    for (size_t i = 0; i < n; ++i) a[i] = static_cast<char>('a' + i % 26);
    const std::string b = a;
    ASSERT_TRUE(BytesEqual(a.data(), b.data(), n)) << n;
    for (size_t i = 0; i < n; ++i) {
      std::string c = a;
      c[i] ^= 0x20;
      ASSERT_FALSE(BytesEqual(a.data(), c.data(), n)) << "length " << n << ", byte " << i;
    }
  }
}

TEST(BytesEqualTest, BytesPastTheLengthAreNotCompared) {
  const std::string a = "example.com/pkg/file.go:1.2,3.4 1 1";
  const std::string b = "example.com/pkg/file.go:9.9,9.9 9 9";
  EXPECT_TRUE(BytesEqual(a.data(), b.data(), 24));
  EXPECT_FALSE(BytesEqual(a.data(), b.data(), 25));
}

}  // namespace
}  // namespace covmerge::internal
