// SPDX-License-Identifier: Apache-2.0
// Unit tests for io/input_region: reading and mapping whole files, regions
// from an offset, a length that ends mid-line (extended to the line's end),
// files without a final newline, empty, missing and directory inputs, and
// the reusable scratch buffer.
#include "io/input_region.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/str_cat.h"
#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

// A fresh directory under $TMPDIR, removed with its files afterwards.
class InputRegionTest : public ::testing::TestWithParam<InputAccess> {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = Cat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/covmerge_region_XXXXXX");
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    for (const std::string& f : files_) ::unlink(f.c_str());
    ::rmdir(dir_.c_str());
  }

  std::string WriteFile(std::string_view name, std::string_view contents) {
    std::string path = Cat(dir_, "/", name);
    std::ofstream out(path, std::ios::binary);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.close();
    files_.push_back(path);
    return path;
  }

  absl::StatusOr<InputRegion> Open(const std::string& path, uint64_t offset, uint64_t length) {
    return InputRegion::Open(path, offset, length, GetParam(), &buffer_);
  }

  std::string dir_;
  std::vector<std::string> files_;
  ScratchBuffer buffer_;
};

// Lines of several lengths, some longer than a 64 KiB read step.
std::string ManyLines() {
  std::string data = "mode: count\n";
  for (int i = 0; i < 3000; ++i) data += Cat("pkg/file", i % 17, ".go:", i, ".1,", i + 1, ".2 3 ", i * 7, "\n");
  data += std::string(70000, 'L') + "\n";
  data += "tail.go:1.1,1.2 1 1\n";
  return data;
}

TEST_P(InputRegionTest, WholeFile) {
  const std::string data = ManyLines();
  const std::string path = WriteFile("whole.out", data);
  absl::StatusOr<InputRegion> region = Open(path, 0, UINT64_MAX);
  ASSERT_TRUE(region.ok()) << region.status();
  EXPECT_EQ(region->bytes(), data);
  EXPECT_EQ(region->mapped(), GetParam() == InputAccess::kMap);
}

TEST_P(InputRegionTest, WholeFileWithExactLength) {
  const std::string data = "mode: set\na.go:1.2,3.4 5 6\n";
  const std::string path = WriteFile("exact.out", data);
  absl::StatusOr<InputRegion> region = Open(path, 0, data.size());
  ASSERT_TRUE(region.ok()) << region.status();
  EXPECT_EQ(region->bytes(), data);
}

TEST_P(InputRegionTest, FromAnOffset) {
  const std::string data = ManyLines();
  const std::string path = WriteFile("offset.out", data);
  const std::vector<uint64_t> offsets = {1, 11, 12, 4095, 4096, 4097, 50000, data.size() - 1};
  for (uint64_t offset : offsets) {
    absl::StatusOr<InputRegion> region = Open(path, offset, UINT64_MAX);
    ASSERT_TRUE(region.ok()) << region.status();
    EXPECT_EQ(region->bytes(), std::string_view(data).substr(offset)) << "offset " << offset;
  }
}

TEST_P(InputRegionTest, OffsetAtOrPastTheEndGivesNothing) {
  const std::string data = "mode: set\n";
  const std::string path = WriteFile("end.out", data);
  for (uint64_t offset : {static_cast<uint64_t>(data.size()), static_cast<uint64_t>(data.size() + 100)}) {
    absl::StatusOr<InputRegion> region = Open(path, offset, 10);
    ASSERT_TRUE(region.ok()) << region.status();
    EXPECT_TRUE(region->bytes().empty()) << offset;
  }
}

// The bytes at [offset, offset + length) and then the rest of the line the
// last of them is in must be there; more may follow (mapping gives the rest
// of the file), but only bytes of the file, in place.
void ExpectCoversThroughLineEnd(std::string_view data, std::string_view bytes, uint64_t offset,
                                uint64_t length) {
  const std::string_view rest = data.substr(offset);
  ASSERT_EQ(bytes, rest.substr(0, bytes.size())) << "offset " << offset << " length " << length;
  const uint64_t last = offset + std::max<uint64_t>(length, 1) - 1;
  const size_t nl = data.find('\n', std::min<uint64_t>(last, data.size() - 1));
  const uint64_t need = (nl == std::string_view::npos ? data.size() : nl + 1) - offset;
  EXPECT_GE(bytes.size(), need) << "offset " << offset << " length " << length
                                << ": the line of the last requested byte is cut";
}

TEST_P(InputRegionTest, LengthEndingMidLineExtendsToTheLineEnd) {
  const std::string data = ManyLines();
  const std::string path = WriteFile("midline.out", data);
  const size_t long_line = data.find("LLLL");
  const uint64_t cases[][2] = {
      {0, 1},       {0, 5},           {0, 12},         {0, 13},        {3, 20},
      {12, 1},      {100, 333},       {1000, 4096},    {0, 65536},     {7, 65537},
      // Ending inside the 70000-byte line: the read must go on in steps.
      {long_line - 10, 20},           {long_line, 1},  {long_line + 5, 65536 * 2},
      {0, long_line + 1},
  };
  for (const auto& c : cases) {
    absl::StatusOr<InputRegion> region = Open(path, c[0], c[1]);
    ASSERT_TRUE(region.ok()) << region.status();
    ExpectCoversThroughLineEnd(data, region->bytes(), c[0], c[1]);
  }
}

TEST_P(InputRegionTest, LengthEndingOnNewlineStillCoversThatLine) {
  const std::string data = "mode: set\na.go:1.2,3.4 5 6\nb.go:1.2,3.4 5 6\n";
  const std::string path = WriteFile("nl.out", data);
  absl::StatusOr<InputRegion> region = Open(path, 0, 10);  // through the first '\n'
  ASSERT_TRUE(region.ok()) << region.status();
  ASSERT_GE(region->bytes().size(), 10u);
  EXPECT_EQ(region->bytes(), std::string_view(data).substr(0, region->bytes().size()));
}

TEST_P(InputRegionTest, FileWithoutFinalNewline) {
  const std::string data = "mode: set\na.go:1.2,3.4 5 6\nb.go:1.2,3.4 5 6";
  const std::string path = WriteFile("nonl.out", data);
  absl::StatusOr<InputRegion> whole = Open(path, 0, UINT64_MAX);
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(whole->bytes(), data);
  // A length ending in the last line gives the rest of the file.
  const uint64_t last_line = data.rfind('\n') + 1;
  absl::StatusOr<InputRegion> tail = Open(path, last_line - 4, 6);
  ASSERT_TRUE(tail.ok()) << tail.status();
  EXPECT_EQ(tail->bytes(), std::string_view(data).substr(last_line - 4));
}

TEST_P(InputRegionTest, EmptyFile) {
  const std::string path = WriteFile("empty.out", "");
  absl::StatusOr<InputRegion> region = Open(path, 0, UINT64_MAX);
  ASSERT_TRUE(region.ok()) << region.status();
  EXPECT_TRUE(region->bytes().empty());
  EXPECT_FALSE(region->mapped());
}

TEST_P(InputRegionTest, MissingFileIsNotFoundNamingThePath) {
  const std::string path = Cat(dir_, "/no such file.out");
  absl::StatusOr<InputRegion> region = Open(path, 0, UINT64_MAX);
  ASSERT_FALSE(region.ok());
  EXPECT_EQ(region.status().code(), absl::StatusCode::kNotFound) << region.status();
  EXPECT_NE(ToStd(region.status().message()).find(path), std::string_view::npos) << region.status();
}

TEST_P(InputRegionTest, DirectoryIsAnErrorNamingThePath) {
  absl::StatusOr<InputRegion> region = Open(dir_, 0, UINT64_MAX);
  ASSERT_FALSE(region.ok());
  EXPECT_NE(ToStd(region.status().message()).find(dir_), std::string_view::npos) << region.status();
}

TEST_P(InputRegionTest, RegionsOutliveEachOtherIndependently) {
  const std::string data = ManyLines();
  const std::string path = WriteFile("moves.out", data);
  absl::StatusOr<InputRegion> region = Open(path, 100, UINT64_MAX);
  ASSERT_TRUE(region.ok()) << region.status();
  InputRegion moved = std::move(*region);
  EXPECT_EQ(moved.bytes(), std::string_view(data).substr(100));
  InputRegion assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.bytes(), std::string_view(data).substr(100));
  EXPECT_TRUE(moved.bytes().empty());  // NOLINT(bugprone-use-after-move): moved-from state is specified
}

INSTANTIATE_TEST_SUITE_P(ReadAndMap, InputRegionTest,
                         ::testing::Values(InputAccess::kRead, InputAccess::kMap),
                         [](const ::testing::TestParamInfo<InputAccess>& info) {
                           return info.param == InputAccess::kRead ? "Read" : "Map";
                         });

TEST(InputRegionMemoryTest, FromMemoryViewsTheBytes) {
  const std::string data = "mode: set\n";
  InputRegion region = InputRegion::FromMemory(data);
  EXPECT_EQ(region.bytes().data(), data.data());
  EXPECT_EQ(region.bytes().size(), data.size());
  EXPECT_FALSE(region.mapped());
}

TEST(InputRegionStreamTest, ReadStreamReadsAPipeWhole) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string data = "mode: set\na.go:1.2,3.4 5 6\n";
  ASSERT_EQ(::write(fds[1], data.data(), data.size()), static_cast<ssize_t>(data.size()));
  ::close(fds[1]);
  std::string buffer = "stale";
  absl::StatusOr<InputRegion> region = InputRegion::ReadStream(fds[0], "<pipe>", &buffer);
  ::close(fds[0]);
  ASSERT_TRUE(region.ok()) << region.status();
  EXPECT_EQ(region->bytes(), data);
}

TEST(ScratchBufferTest, ReusesItsMemory) {
  ScratchBuffer buffer;
  char* first = buffer.Reserve(1000);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(buffer.data(), first);
  std::memset(first, 'a', 1000);
  // Asking for no more than the capacity gives the same memory back.
  EXPECT_EQ(buffer.Reserve(10), first);
  EXPECT_EQ(buffer.Reserve(1000), first);
  EXPECT_EQ(first[999], 'a');  // not zero-filled
}

TEST(ScratchBufferTest, GrowingKeepsThePrefix) {
  ScratchBuffer buffer;
  char* small = buffer.Reserve(16);
  std::memcpy(small, "0123456789abcdef", 16);
  char* big = buffer.Reserve(1 << 20, 10);
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(std::string_view(big, 10), "0123456789");
  big[(1 << 20) - 1] = 'z';  // the whole size is usable
  EXPECT_EQ(buffer.data(), big);
  EXPECT_EQ(buffer.Reserve(1 << 19), big);
}

TEST(StatFileTest, DescribesRegularFilesAndDirectories) {
  char pattern[] = "/tmp/covmerge_stat_XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string dir = pattern;
  const std::string file = dir + "/f.out";
  { std::ofstream(file) << "mode: set\n"; }
  absl::StatusOr<FileStat> st = StatFile(file);
  ASSERT_TRUE(st.ok()) << st.status();
  EXPECT_EQ(st->size, 10u);
  EXPECT_TRUE(st->regular);
  absl::StatusOr<FileStat> dir_st = StatFile(dir);
  ASSERT_TRUE(dir_st.ok()) << dir_st.status();
  EXPECT_FALSE(dir_st->regular);
  absl::StatusOr<FileStat> missing = StatFile(dir + "/missing.out");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(ToStd(missing.status().message()).find(dir + "/missing.out"), std::string_view::npos);
  ::unlink(file.c_str());
  ::rmdir(dir.c_str());
}

}  // namespace
}  // namespace covmerge::internal
