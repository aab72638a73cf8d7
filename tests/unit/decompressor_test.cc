// SPDX-License-Identifier: Apache-2.0
// Unit tests for io/decompressor and io/compressor: magic-byte detection,
// round trips through both formats in small and large pieces, concatenated
// streams, and damaged or truncated data reported as InvalidArgument.
#include "io/decompressor.h"

#include <cstring>
#include <string>

#include "gtest/gtest.h"
#include "io/compressor.h"

namespace covmerge::internal {
namespace {

std::string Compress(Compression compression, const std::string& text) {
  std::string packed;
  auto compressor = Compressor::Create(compression, [&](std::string_view bytes) {
    packed.append(bytes.data(), bytes.size());
    return absl::OkStatus();
  });
  EXPECT_TRUE(compressor->Write(text).ok());
  EXPECT_TRUE(compressor->Finish().ok());
  return packed;
}

std::string SampleText(int lines) {
  std::string text = "mode: count\n";
  for (int i = 0; i < lines; ++i) text += "ex.com/p/f" + std::to_string(i % 17) + ".go:" + std::to_string(i) + ".1," + std::to_string(i) + ".9 1 " + std::to_string(i % 3) + "\n";
  return text;
}

TEST(DecompressorTest, DetectsByMagicBytes) {
  EXPECT_EQ(DetectCompression(std::string("\x28\xB5\x2F\xFD", 4)), Compression::kZstd);
  EXPECT_EQ(DetectCompression("\x1F\x8B\x08"), Compression::kGzip);
  EXPECT_EQ(DetectCompression("mode: set\n"), Compression::kNone);
  EXPECT_EQ(DetectCompression(""), Compression::kNone);
  EXPECT_EQ(DetectCompression("\x28\xB5"), Compression::kNone);
}

TEST(DecompressorTest, NamesAskForCompression) {
  EXPECT_EQ(CompressionForName("m.out.zst"), Compression::kZstd);
  EXPECT_EQ(CompressionForName("m.out.gz"), Compression::kGzip);
  EXPECT_EQ(CompressionForName("m.out"), Compression::kNone);
  EXPECT_EQ(CompressionForName("zst"), Compression::kNone);
}

// Decompresses `bytes` whole, through a reader that hands them out in
// pieces as a file would.
absl::Status DecompressAll(Compression compression, const std::string& name, std::string_view bytes,
                           std::string* out) {
  size_t pos = 0;
  auto read = [&](char* into, size_t capacity) -> absl::StatusOr<size_t> {
    const size_t n = std::min(capacity, bytes.size() - pos);
    std::memcpy(into, bytes.data() + pos, n);
    pos += n;
    return n;
  };
  absl::StatusOr<std::unique_ptr<Decompressor>> reader = Decompressor::Open(compression, name, read);
  if (!reader.ok()) return reader.status();
  out->clear();
  char piece[4096];
  for (;;) {
    absl::StatusOr<size_t> n = (*reader)->Read(piece, sizeof piece);
    if (!n.ok()) return n.status();
    if (*n == 0) return absl::OkStatus();
    out->append(piece, *n);
  }
}

class RoundTripTest : public ::testing::TestWithParam<Compression> {};

TEST_P(RoundTripTest, SmallReadsGiveBackTheText) {
  const std::string text = SampleText(50000);  // several MB: many internal pieces
  const std::string packed = Compress(GetParam(), text);
  ASSERT_EQ(DetectCompression(packed), GetParam());
  ASSERT_LT(packed.size(), text.size() / 3);
  auto reader = Decompressor::Open(GetParam(), "mem", nullptr, packed);
  ASSERT_TRUE(reader.ok());
  std::string out;
  char piece[777];  // an odd size, smaller than a line at times
  for (;;) {
    absl::StatusOr<size_t> n = (*reader)->Read(piece, sizeof piece);
    ASSERT_TRUE(n.ok()) << n.status();
    if (*n == 0) break;
    out.append(piece, *n);
  }
  EXPECT_EQ(out, text);
}

TEST_P(RoundTripTest, ConcatenatedStreamsReadAsOne) {
  const std::string a = SampleText(10), b = "x/b.go:1.1,2.2 1 1\n";
  std::string out;
  ASSERT_TRUE(DecompressAll(GetParam(), "mem", Compress(GetParam(), a) + Compress(GetParam(), b), &out).ok());
  EXPECT_EQ(out, a + b);
}

TEST_P(RoundTripTest, TruncatedDataIsAnError) {
  const std::string packed = Compress(GetParam(), SampleText(2000));
  std::string out;
  absl::Status status = DecompressAll(GetParam(), "cut", packed.substr(0, packed.size() - 30), &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("cut: expected"), std::string::npos) << status;
}

TEST_P(RoundTripTest, DamagedDataIsAnError) {
  std::string packed = Compress(GetParam(), SampleText(2000));
  for (size_t i = 20; i < 60; ++i) packed[i] = static_cast<char>(packed[i] ^ 0x5A);
  std::string out;
  absl::Status status = DecompressAll(GetParam(), "bad", packed, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
}

INSTANTIATE_TEST_SUITE_P(Formats, RoundTripTest, ::testing::Values(Compression::kZstd, Compression::kGzip),
                         [](const auto& info) { return info.param == Compression::kZstd ? "Zstd" : "Gzip"; });

}  // namespace
}  // namespace covmerge::internal
