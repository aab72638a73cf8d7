// SPDX-License-Identifier: Apache-2.0
// Unit tests for covdata/counter_file: the sample counter files written by
// Go's encoder, both flavors and byte orders, several segments, and the
// errors for damaged files (bad magic, truncation at every length, counts
// past the end, bytes after the last segment), each naming the file.
#include "covdata/counter_file.h"

#include <string>

#include "base/str_cat.h"
#include "covdata/meta_file.h"
#include "covdata_test_encoder.h"
#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

using testing::EncodeCounters;
using testing::HashOf;
using testing::TestEntry;

constexpr char kSampleCounters[] =
    COVMERGE_GOCOVERDIR_SAMPLE "/gocoverdir/covcounters.8e5490b131e4584a4bf93cc9f45c3fed.4242.1700000000000000000";

std::string Message(const absl::Status& s) { return std::string(ToStd(s.message())); }

std::vector<std::vector<TestEntry>> TwoSegments() {
  return {{{0, 0, {1, 2}}, {1, 0, {7}}}, {{0, 1, {300000}}, {0, 0, {0, 5}}}};
}

TEST(CounterFileTest, DecodesTheSampleWrittenByGo) {
  CounterData data;
  ASSERT_TRUE(DecodeCounterFile("c", testing::ReadWholeFile(kSampleCounters), &data).ok());
  EXPECT_EQ(HashHex(data.meta_hash), "8e5490b131e4584a4bf93cc9f45c3fed");
  EXPECT_EQ(data.segments, 1u);
  EXPECT_EQ(data.entries.size(), 0x162u);
  ASSERT_FALSE(data.entries.empty());
  // The first entry, read from a hex dump: 1 counter, package 0, function 0, 145.
  EXPECT_EQ(data.entries[0].package, 0u);
  EXPECT_EQ(data.entries[0].function, 0u);
  ASSERT_EQ(data.entries[0].counter_count, 1u);
  EXPECT_EQ(data.CountersOf(data.entries[0])[0], 145u);
}

TEST(CounterFileTest, EveryFlavorAndSeveralSegmentsDecodeTheSame) {
  for (auto [flavor, big_endian] : {std::pair{2, false}, {1, false}, {1, true}}) {
    CounterData data;
    const std::string bytes = EncodeCounters(HashOf(9), TwoSegments(), static_cast<uint8_t>(flavor), big_endian);
    absl::Status s = DecodeCounterFile("c", bytes, &data);
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_EQ(data.meta_hash, HashOf(9));
    EXPECT_EQ(data.segments, 2u);
    ASSERT_EQ(data.entries.size(), 4u);
    EXPECT_EQ(data.entries[2].function, 1u);
    EXPECT_EQ(data.CountersOf(data.entries[2])[0], 300000u);
    EXPECT_EQ(data.CountersOf(data.entries[3])[1], 5u);
  }
}

TEST(CounterFileTest, BadMagicNamesTheFile) {
  std::string bytes = EncodeCounters(HashOf(9), TwoSegments());
  bytes.replace(0, 4, "zzzz");
  CounterData data;
  EXPECT_EQ(Message(DecodeCounterFile("d/covcounters.x", bytes, &data)),
            "d/covcounters.x: expected a Go coverage counter file starting with the bytes 00 63 77 6d, found 7a 7a "
            "7a 7a; is it a covcounters file written by a Go 1.20+ binary?");
}

TEST(CounterFileTest, TruncatedAtEveryLengthIsAnError) {
  for (int flavor : {1, 2}) {
    const std::string bytes = EncodeCounters(HashOf(9), TwoSegments(), static_cast<uint8_t>(flavor));
    // Cut right after the first segment's footer, the file is a whole
    // one-segment file: the footers give the segments written so far.
    const size_t first_segment_end = EncodeCounters(HashOf(9), {TwoSegments()[0]}, static_cast<uint8_t>(flavor)).size();
    CounterData data;
    for (size_t n = 0; n < bytes.size(); ++n) {
      if (n == first_segment_end) {
        EXPECT_TRUE(DecodeCounterFile("c", bytes.substr(0, n), &data).ok());
        EXPECT_EQ(data.segments, 1u);
        continue;
      }
      absl::Status s = DecodeCounterFile("c", bytes.substr(0, n), &data);
      ASSERT_FALSE(s.ok()) << n;
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    }
  }
  const std::string sample = testing::ReadWholeFile(kSampleCounters);
  CounterData data;
  EXPECT_EQ(Message(DecodeCounterFile("c", sample.substr(0, 3000), &data)),
            "c: expected the footer (bytes 00 63 77 6d) at byte 2984, 16 bytes before the end, found 06 06 06 00; "
            "the file is truncated (was the program killed while writing it?) or damaged");
}

TEST(CounterFileTest, LengthPastTheEndIsAnError) {
  std::string bytes = EncodeCounters(HashOf(9), TwoSegments());
  std::string table = bytes;
  testing::SetU32(&table, kCounterFileHeaderSize + 8, 0x7fffffff);  // string table length
  CounterData data;
  EXPECT_EQ(Message(DecodeCounterFile("c", table, &data)),
            Cat("c: segment 1 (at byte 32): expected the segment string table (2147483647 bytes) at byte 48, but "
                "the data ends at byte ",
                bytes.size(), "; the file is truncated (was the program killed while writing it?) or damaged"));
  std::string entries = bytes;
  testing::SetU32(&entries, kCounterFileHeaderSize, 0x7fffffff);  // function entries
  EXPECT_TRUE(Message(DecodeCounterFile("c", entries, &data)).starts_with("c: segment 1 (at byte 32) gives 2147483647 function entries, more than the "));
}

TEST(CounterFileTest, TrailingBytesAndZeroSegmentsAreErrors) {
  std::string bytes = EncodeCounters(HashOf(9), TwoSegments());
  std::string fewer = bytes;
  testing::SetU32(&fewer, fewer.size() - 8, 1);  // the last footer says 1 segment
  CounterData data;
  EXPECT_TRUE(Message(DecodeCounterFile("c", fewer, &data)).starts_with("c: found "));
  std::string none = bytes;
  testing::SetU32(&none, none.size() - 8, 0);
  EXPECT_EQ(Message(DecodeCounterFile("c", none, &data)), "c: the footer gives 0 segments; expected at least one");
}

TEST(CounterFileTest, UnknownFlavorAndVersion) {
  std::string bytes = EncodeCounters(HashOf(9), TwoSegments());
  std::string flavor = bytes;
  flavor[kCounterFlavorOffset] = 3;
  CounterData data;
  EXPECT_EQ(Message(DecodeCounterFile("c", flavor, &data)),
            "c: expected counter flavor 1 (raw) or 2 (ULEB128) at byte 24, found 3");
  std::string version = bytes;
  testing::SetU32(&version, 4, 7);
  EXPECT_EQ(Message(DecodeCounterFile("c", version, &data)),
            "c: expected counter format version 1, found version 7; it was written by a newer Go than this covmerge "
            "reads");
}

}  // namespace
}  // namespace covmerge::internal
