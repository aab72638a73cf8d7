// SPDX-License-Identifier: Apache-2.0
// Unit tests for covdata/byte_reader.h: little-endian and ULEB128 reads,
// and that a read past the end fails once, with the offset, and stays
// failed instead of reading out of bounds.
#include "covdata/byte_reader.h"

#include <string>

#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

TEST(ByteReaderTest, ReadsLittleEndianAndUleb128) {
  const std::string bytes("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x7f\xe5\x8e\x26\x80\x01", 18);
  ByteReader r(bytes);
  EXPECT_EQ(r.U32("a"), 0x04030201u);
  EXPECT_EQ(r.U64("b"), 0x0c0b0a0908070605u);
  EXPECT_EQ(r.Uleb128("c"), 127u);
  EXPECT_EQ(r.Uleb128("d"), 624485u);
  EXPECT_EQ(r.Uleb128("e"), 128u);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ByteReaderTest, ReadsBigEndian) {
  ByteReader r(std::string_view("\x01\x02\x03\x04", 4));
  EXPECT_EQ(r.U32BigEndian("x"), 0x01020304u);
}

TEST(ByteReaderTest, ReadPastTheEndFailsWithOffsetAndSticks) {
  ByteReader r(std::string_view("\x01\x02\x03", 3), 100);
  EXPECT_EQ(r.U8("the first byte"), 1u);
  EXPECT_EQ(r.U32("the version"), 0u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "expected the version (4 bytes) at byte 101, but the data ends at byte 103");
  EXPECT_EQ(r.U8("more"), 0u);  // stays failed, does not move
  EXPECT_EQ(r.position(), 1u);
  EXPECT_EQ(r.error(), "expected the version (4 bytes) at byte 101, but the data ends at byte 103");
}

TEST(ByteReaderTest, UnfinishedUleb128IsAnError) {
  ByteReader r(std::string_view("\x80\x80", 2));
  EXPECT_EQ(r.Uleb128("a counter"), 0u);
  EXPECT_EQ(r.error(), "expected a counter (3 bytes) at byte 0, but the data ends at byte 2");
}

TEST(ByteReaderTest, Uleb128OverSixtyFourBitsIsAnError) {
  const std::string eleven(11, '\xff');
  ByteReader r(eleven);
  EXPECT_EQ(r.Uleb128("a length"), 0u);
  EXPECT_EQ(r.error(), "expected a length at byte 0 as a ULEB128 number of at most 64 bits, found a longer one");
  ByteReader max(std::string_view("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10));
  EXPECT_EQ(max.Uleb128("x"), UINT64_MAX);
  EXPECT_TRUE(max.ok());
}

TEST(ByteReaderTest, Uleb128U32RejectsLargerValues) {
  ByteReader r(std::string_view("\x80\x80\x80\x80\x10", 5));
  EXPECT_EQ(r.Uleb128U32("a line"), 0u);
  EXPECT_EQ(r.error(), "expected a line at byte 0 to fit in 32 bits, found 4294967296");
}

TEST(ByteReaderTest, SkipSeekAndBytesCheckBounds) {
  ByteReader r(std::string_view("abcdef", 6));
  EXPECT_EQ(r.Bytes(2, "x"), "ab");
  EXPECT_TRUE(r.Skip(2, "y"));
  EXPECT_FALSE(r.Skip(3, "the table"));
  EXPECT_EQ(r.error(), "expected the table (3 bytes) at byte 4, but the data ends at byte 6");
  ByteReader s(std::string_view("abcdef", 6));
  EXPECT_FALSE(s.Seek(7, "a function"));
  EXPECT_EQ(s.error(), "expected a function at byte 7, but the data ends at byte 6");
}

}  // namespace
}  // namespace covmerge::internal
