// SPDX-License-Identifier: Apache-2.0
// Unit tests for io/input_file and io/scratch_buffer: reading at offsets,
// copying a stream, reading small files whole, and the errors that name the
// path.
#include "io/input_file.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "base/str_cat.h"
#include "gtest/gtest.h"
#include "temp_dir.h"

namespace covmerge::internal {
namespace {

class InputFileTest : public TempDirTest {
};

TEST_F(InputFileTest, ReadsAtOffsetsAndKnowsItsIdentity) {
  const std::string path = Write("a.out", "mode: set\na.go:1.2,3.4 5 6\n");
  absl::StatusOr<std::shared_ptr<InputFile>> file = InputFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ((*file)->size(), 27u);
  char out[8];
  absl::StatusOr<size_t> n = (*file)->ReadAt(5, out, sizeof out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string_view(out, *n), " set\na.g");
  n = (*file)->ReadAt(27, out, sizeof out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0u);
  absl::StatusOr<PathStat> stat = StatPath(path);
  ASSERT_TRUE(stat.ok());
  EXPECT_TRUE(stat->regular);
  EXPECT_EQ(stat->identity, (*file)->identity());
}

TEST_F(InputFileTest, OpenRefusesMissingFilesAndDirectoriesNamingThem) {
  absl::StatusOr<std::shared_ptr<InputFile>> missing = InputFile::Open(Cat(dir_, "/missing.out"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(std::string(missing.status().message()), Cat("cannot open ", dir_, "/missing.out: No such file or directory"));
  absl::StatusOr<std::shared_ptr<InputFile>> dir = InputFile::Open(dir_);
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(std::string(dir.status().message()), Cat("cannot read ", dir_, ": Is a directory"));
}

TEST_F(InputFileTest, SpoolCopiesAStreamAndStopsAtALongLine) {
  for (bool long_line : {false, true}) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const std::string data = long_line ? std::string(100, 'x') : std::string("mode: set\na.go:1.2,3.4 5 6\n");
    ASSERT_EQ(::write(fds[1], data.data(), data.size()), static_cast<ssize_t>(data.size()));
    ::close(fds[1]);
    absl::StatusOr<std::shared_ptr<InputFile>> spool = InputFile::Spool(fds[0], "<pipe>", 10);
    ::close(fds[0]);
    ASSERT_TRUE(spool.ok()) << spool.status();
    // Whole, or up to where the line passed the limit: here all of it was
    // read at once, and the copy holds what was read.
    EXPECT_EQ((*spool)->size(), data.size());
    std::string copy(data.size(), '\0');
    absl::StatusOr<size_t> n = (*spool)->ReadAt(0, copy.data(), copy.size());
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(copy, data);
  }
}

TEST_F(InputFileTest, ReadWholeFileReadsFilesAndPipesAndNamesWhatFails) {
  ScratchBuffer buffer;
  const std::string path = Write("meta", std::string(100000, 'm'));
  absl::StatusOr<std::string_view> whole = ReadWholeFile(path, &buffer);
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(*whole, std::string(100000, 'm'));
  whole = ReadWholeFile(dir_, &buffer);
  ASSERT_FALSE(whole.ok());
  EXPECT_EQ(std::string(whole.status().message()), Cat("cannot read ", dir_, ": Is a directory"));
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "abc", 3), 3);
  ::close(fds[1]);
  whole = ReadWholeFile(Cat("/dev/fd/", fds[0]), &buffer);
  ::close(fds[0]);
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(*whole, "abc");
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

}  // namespace
}  // namespace covmerge::internal
