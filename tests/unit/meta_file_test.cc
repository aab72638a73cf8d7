// SPDX-License-Identifier: Apache-2.0
// Unit tests for covdata/meta_file: the sample meta file written by Go's
// encoder, files from the test encoder in every mode, and the errors for
// damaged files (bad magic, truncation, lengths past the end, per-function
// granularity), each naming the file.
#include "covdata/meta_file.h"

#include <string>

#include "base/str_cat.h"
#include "covdata_test_encoder.h"
#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

using testing::EncodeMeta;
using testing::HashOf;
using testing::SmallModule;

constexpr char kSampleMeta[] = COVMERGE_GOCOVERDIR_SAMPLE "/gocoverdir/covmeta.8e5490b131e4584a4bf93cc9f45c3fed";

std::string Message(const absl::Status& s) { return std::string(ToStd(s.message())); }

TEST(MetaFileTest, DecodesTheSampleWrittenByGo) {
  const std::string bytes = testing::ReadWholeFile(kSampleMeta);
  ASSERT_EQ(bytes.size(), 140152u);
  absl::StatusOr<MetaFile> meta = DecodeMetaFile("covmeta", bytes);
  ASSERT_TRUE(meta.ok()) << meta.status();
  EXPECT_EQ(HashHex(meta->hash), "8e5490b131e4584a4bf93cc9f45c3fed");
  EXPECT_EQ(meta->mode, Mode::kCount);
  EXPECT_EQ(meta->packages.size(), 41u);  // as the sample's README says
  EXPECT_EQ(meta->functions.size(), 2109u);
  EXPECT_EQ(meta->blocks.size(), 12801u);
  EXPECT_EQ(meta->packages[0].path, "errors");
  const MetaFunction& first = meta->functions[0];
  EXPECT_EQ(meta->files[first.file], "errors/errors.go");
  const MetaBlock& b = meta->blocks[first.first_block];
  EXPECT_EQ(std::tie(b.start_line, b.start_col, b.end_line, b.end_col, b.num_stmt),
            std::make_tuple(58u, 29u, 60u, 2u, 1u));
}

TEST(MetaFileTest, DecodesEncodedModesAndInternsFiles) {
  for (auto [code, mode] : {std::pair{1, Mode::kSet}, {2, Mode::kCount}, {3, Mode::kAtomic}}) {
    absl::StatusOr<MetaFile> meta =
        DecodeMetaFile("m", EncodeMeta(SmallModule(), HashOf(1), static_cast<uint8_t>(code)));
    ASSERT_TRUE(meta.ok()) << meta.status();
    EXPECT_EQ(meta->mode, mode);
    EXPECT_EQ(meta->files, (std::vector<std::string>{"example.com/p/a.go", "example.com/q/b.go"}));
    ASSERT_EQ(meta->packages.size(), 2u);
    EXPECT_EQ(meta->packages[1].first_function, 2u);
    ASSERT_EQ(meta->functions.size(), 3u);
    EXPECT_EQ(meta->functions[1].first_block, 2u);
    EXPECT_EQ(meta->blocks.size(), 4u);
    EXPECT_EQ(meta->hash, HashOf(1));
  }
}

TEST(MetaFileTest, BadMagicNamesTheFile) {
  std::string bytes = EncodeMeta(SmallModule(), HashOf(1));
  bytes[1] = 'x';
  EXPECT_EQ(Message(DecodeMetaFile("d/covmeta.x", bytes).status()),
            "d/covmeta.x: expected a Go coverage meta-data file starting with the bytes 00 63 76 6d, found 00 78 76 "
            "6d; is it a covmeta file written by a Go 1.20+ binary?");
  EXPECT_EQ(Message(DecodeMetaFile("e", "").status()),
            "e: expected a Go coverage meta-data file starting with the bytes 00 63 76 6d, found nothing (an empty "
            "file); is it a covmeta file written by a Go 1.20+ binary?");
}

TEST(MetaFileTest, TruncatedFileIsAnErrorAtEveryLength) {
  const std::string bytes = EncodeMeta(SmallModule(), HashOf(1));
  for (size_t n = 4; n < bytes.size(); ++n) {
    absl::StatusOr<MetaFile> meta = DecodeMetaFile("m", bytes.substr(0, n));
    ASSERT_FALSE(meta.ok()) << n;
    EXPECT_EQ(meta.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(Message(meta.status()).find("truncated") != std::string::npos) << n << ": " << meta.status();
  }
  EXPECT_EQ(Message(DecodeMetaFile("m", bytes.substr(0, 60)).status()),
            Cat("m: the header gives a length of ", bytes.size(), " bytes, but the file has 60; the file is truncated"));
}

TEST(MetaFileTest, PerFunctionGranularityIsAClearError) {
  EXPECT_EQ(Message(DecodeMetaFile("m", EncodeMeta(SmallModule(), HashOf(1), 2, 2)).status()),
            "m: the binary was built with per-function counter granularity, which counts functions, not blocks; "
            "covmerge reads per-block data only (the default of go build -cover)");
}

TEST(MetaFileTest, BadModeVersionAndPackageOffsets) {
  EXPECT_EQ(Message(DecodeMetaFile("m", EncodeMeta(SmallModule(), HashOf(1), 4)).status()),
            "m: expected counter mode 1 (set), 2 (count) or 3 (atomic) at byte 48, found 4");
  std::string bytes = EncodeMeta(SmallModule(), HashOf(1));
  std::string v2 = bytes;
  testing::SetU32(&v2, 4, 2);
  EXPECT_EQ(Message(DecodeMetaFile("m", v2).status()),
            "m: expected meta-data format version 1, found version 2; it was written by a newer Go than this "
            "covmerge reads");
  std::string far = bytes;
  testing::SetU32(&far, kMetaFileHeaderSize, 0x7fffffff);  // package 0's offset
  const std::string message = Message(DecodeMetaFile("m", far).status());
  EXPECT_TRUE(message.starts_with("m: package 0 (")) << message;
  EXPECT_TRUE(message.ends_with(Cat(" bytes at byte 2147483647) reaches past the end of the file at byte ", bytes.size(),
                                    "; the file is damaged")))
      << message;
}

TEST(MetaFileTest, FunctionOffsetPastThePackageIsAnError) {
  std::string bytes = EncodeMeta(SmallModule(), HashOf(1));
  // Package 0 starts after the header, the offset tables and the 2-byte
  // file string table; its first function offset follows its 44-byte header.
  const size_t package0 = kMetaFileHeaderSize + 2 * 16 + 2;
  testing::SetU32(&bytes, package0 + kMetaPackageHeaderSize, 100000);
  absl::StatusOr<MetaFile> meta = DecodeMetaFile("m", bytes);
  ASSERT_FALSE(meta.ok());
  EXPECT_TRUE(Message(meta.status()).starts_with(Cat("m: package 0 (at byte ", package0,
                                                     "), function 0: expected the function that its offset points to at byte ")))
      << meta.status();
}

}  // namespace
}  // namespace covmerge::internal
