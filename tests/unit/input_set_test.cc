// SPDX-License-Identifier: Apache-2.0
// Unit tests for merge/input_set: an input is the file PrepareInput sized,
// opened once: replaced, truncated or grown afterwards, it is an error that
// names it, never a mix of two versions, and never a signal.
#include "merge/input_set.h"
#include "covmerge/error.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "base/str_cat.h"
#include "gtest/gtest.h"
#include "temp_dir.h"

namespace covmerge::internal {
namespace {

class InputSetTest : public TempDirTest {
 protected:
  // Reads the whole input through an InputReader.
  static absl::StatusOr<std::string> ReadAll(const Input& input, const InputFile* file) {
    InputReader reader(input, file, 0, input.size);
    std::string out;
    char piece[7];
    for (;;) {
      absl::StatusOr<size_t> n = reader.Read(piece, sizeof piece);
      if (!n.ok()) return n.status();
      if (*n == 0) return out;
      out.append(piece, *n);
    }
  }
};

constexpr char kProfile[] = "mode: set\nx/a.go:1.1,2.2 1 1\n";

TEST_F(InputSetTest, AnOpenInputKeepsReadingTheFileItOpenedWhenAnotherReplacesIt) {
  Input input;
  input.name = Write("a.out", kProfile);
  ASSERT_TRUE(PrepareInput(&input, 1 << 20).ok());
  absl::StatusOr<std::shared_ptr<InputFile>> file = OpenInputFile(input);
  ASSERT_TRUE(file.ok()) << file.status();
  const std::string other = Write("new.out", "mode: set\nx/b.go:1.1,2.2 1 1\nx/b.go:3.1,4.2 1 1\n");
  ASSERT_EQ(std::rename(other.c_str(), input.name.c_str()), 0);  // mv new.out a.out
  absl::StatusOr<std::string> bytes = ReadAll(input, file->get());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, kProfile);
  // A second open (a chunk, a second pass) finds another file: an error.
  absl::StatusOr<std::shared_ptr<InputFile>> again = OpenInputFile(input);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(std::string(again.status().message()),
            Cat(input.name, ": the file changed while covmerge read it (it was replaced, or its size or "
                            "modification time changed); merge again once it is complete"));
}

TEST_F(InputSetTest, AFileThatShrinksOrGrowsWhileReadIsAnError) {
  for (bool shrink : {true, false}) {
    Input input;
    input.name = Write("a.out", kProfile);
    ASSERT_TRUE(PrepareInput(&input, 1 << 20).ok());
    absl::StatusOr<std::shared_ptr<InputFile>> file = OpenInputFile(input);
    ASSERT_TRUE(file.ok());
    if (shrink) {
      ASSERT_EQ(::truncate(input.name.c_str(), 5), 0);
    } else {
      std::ofstream(input.name, std::ios::app) << "x/a.go:3.1,4.2 1 1\n";
    }
    absl::StatusOr<std::string> bytes = ReadAll(input, file->get());
    ASSERT_FALSE(bytes.ok()) << "shrink=" << shrink;
    const std::optional<Error> error = ErrorOf(bytes.status());
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->kind, ErrorKind::kIo);
    EXPECT_EQ(error->path, input.name);
    EXPECT_EQ(error->os_error, 0);
  }
}

TEST_F(InputSetTest, APipeIsCopiedOnceAndReadLikeAFile) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], kProfile, sizeof kProfile - 1), static_cast<ssize_t>(sizeof kProfile - 1));
  ::close(fds[1]);
  Input input;
  input.name = Cat("/dev/fd/", fds[0]);
  ASSERT_TRUE(PrepareInput(&input, 1 << 20).ok());
  ::close(fds[0]);
  ASSERT_NE(input.spool, nullptr);
  EXPECT_EQ(input.size, sizeof kProfile - 1);
  for (int pass = 0; pass < 2; ++pass) {  // read again, as a second pass or the error path does
    absl::StatusOr<std::shared_ptr<InputFile>> file = OpenInputFile(input);
    ASSERT_TRUE(file.ok());
    absl::StatusOr<std::string> bytes = ReadAll(input, file->get());
    ASSERT_TRUE(bytes.ok());
    EXPECT_EQ(*bytes, kProfile);
  }
}

TEST_F(InputSetTest, ADirectoryIsAnErrorNamingIt) {
  Input input;
  input.name = dir_;
  absl::Status status = PrepareInput(&input, 1 << 20);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(std::string(status.message()), Cat("cannot read ", dir_, ": it is a directory"));
}

// A profile of `lines` block lines over `files` files, each line naming
// the file after the one before (files == 1: one run of lines).
std::string Cycling(int lines, int files) {
  std::string text = "mode: count\n";
  for (int i = 0; i < lines; ++i) text += Cat("x/f", i % files, ".go:", i + 1, ".1,", i + 2, ".9 1 1\n");
  return text;
}

Input InMemory(std::string name, std::string contents) {
  Input input;
  input.name = std::move(name);
  input.in_memory = true;
  input.contents = std::move(contents);
  return input;
}

TEST_F(InputSetTest, AnInputWhoseLinesChangeFileEveryLineIsInterleaved) {
  for (bool in_memory : {false, true}) {
    Input cycling, runs;
    if (in_memory) {
      cycling = InMemory("cycling", Cycling(4000, 50));
      runs = InMemory("runs", Cycling(4000, 1));
    } else {
      cycling.name = Write("cycling.out", Cycling(4000, 50));
      runs.name = Write("runs.out", Cycling(4000, 1));
    }
    ASSERT_TRUE(PrepareInput(&cycling, 1000).ok());
    ASSERT_TRUE(PrepareInput(&runs, 1000).ok());
    EXPECT_TRUE(cycling.interleaved) << "in memory: " << in_memory;
    EXPECT_FALSE(runs.interleaved) << "in memory: " << in_memory;
    EXPECT_EQ(cycling.mode_hint, Mode::kCount);
  }
}

TEST_F(InputSetTest, TheChunksOfAnInterleavedInputAreRoutedWhenSeveralWorkersMerge) {
  Input cycling = InMemory("cycling", Cycling(4000, 50));
  Input runs = InMemory("runs", Cycling(4000, 1));
  ASSERT_TRUE(PrepareInput(&cycling, 100000).ok());
  ASSERT_TRUE(PrepareInput(&runs, 100000).ok());
  const std::vector<Input> inputs{cycling, runs};
  const uint64_t chunks = (cycling.size + 99999) / 100000;
  for (int threads : {1, 2, 16}) {
    const std::vector<WorkItem> items = PlanWork(inputs, {true, true}, 100000, threads);
    ASSERT_EQ(items.size(), 2 * chunks) << threads;
    for (size_t i = 0; i < items.size(); ++i) {
      EXPECT_EQ(items[i].input, i / chunks);
      // Each input's chunks follow one another from 0 to its end, at most
      // 100,000 bytes each, none shorter than the others by more than a byte.
      const uint64_t size = inputs[items[i].input].size;
      EXPECT_EQ(items[i].begin, i % chunks == 0 ? 0 : items[i - 1].end) << i;
      if (i % chunks == chunks - 1) {
        EXPECT_EQ(items[i].end, size) << i;
      }
      EXPECT_LE(items[i].end - items[i].begin, 100000u) << i;
      EXPECT_GE(items[i].end - items[i].begin, size / chunks) << i;
      EXPECT_EQ(items[i].routed, threads > 1 && items[i].input == 0) << "threads=" << threads << " item " << i;
    }
  }
}

}  // namespace
}  // namespace covmerge::internal
