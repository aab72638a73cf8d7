// SPDX-License-Identifier: Apache-2.0
// Unit tests for parse/line_scanner: mode lines, line terminators, errors
// with their offsets, and the chunking property the parallel merge relies
// on: scanning a buffer in two or three regions split anywhere finds
// exactly the blocks that one scan of the whole buffer finds.
#include "parse/line_scanner.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

// A block line as the sink saw it, with the path copied out.
struct SeenBlock {
  std::string path;
  uint32_t start_line, start_col, end_line, end_col, num_stmt;
  uint64_t count;
  uint64_t line_offset;

  friend bool operator==(const SeenBlock&, const SeenBlock&) = default;
};

std::ostream& operator<<(std::ostream& os, const SeenBlock& b) {
  return os << b.path << ":" << b.start_line << "." << b.start_col << "," << b.end_line << "."
            << b.end_col << " " << b.num_stmt << " " << b.count << " @" << b.line_offset;
}

struct CollectingSink {
  std::vector<SeenBlock> blocks;
  void OnBlock(const BlockLine& b, uint64_t line_offset) {
    blocks.push_back({std::string(b.path), b.start_line, b.start_col, b.end_line, b.end_col,
                      b.num_stmt, b.count, line_offset});
  }
};

struct ScanOutcome {
  bool ok = false;
  std::optional<Mode> mode;
  std::vector<SeenBlock> blocks;
  ScanError error;
};

ScanOutcome ScanAll(std::string_view data) {
  ScanOutcome out;
  CollectingSink sink;
  out.ok = ScanLines(data, 0, data.size(), /*at_input_start=*/true, &out.mode, sink, &out.error);
  out.blocks = std::move(sink.blocks);
  return out;
}

TEST(ScanLinesTest, DetectsEachMode) {
  const std::pair<std::string_view, Mode> cases[] = {
      {"mode: set\n", Mode::kSet}, {"mode: count\n", Mode::kCount}, {"mode: atomic\n", Mode::kAtomic}};
  for (const auto& [text, mode] : cases) {
    const ScanOutcome out = ScanAll(text);
    ASSERT_TRUE(out.ok) << text << out.error.message;
    EXPECT_EQ(out.mode, mode) << text;
    EXPECT_TRUE(out.blocks.empty());
  }
}

TEST(ScanLinesTest, ReportsBlocksWithLineOffsets) {
  const std::string data = "mode: count\na.go:1.2,3.4 5 6\nmain.go:7.8,9.10 11 12\n";
  const ScanOutcome out = ScanAll(data);
  ASSERT_TRUE(out.ok) << out.error.message;
  EXPECT_EQ(out.mode, Mode::kCount);
  const std::vector<SeenBlock> want = {{"a.go", 1, 2, 3, 4, 5, 6, 12},
                                       {"main.go", 7, 8, 9, 10, 11, 12, 29}};
  EXPECT_EQ(out.blocks, want);
}

TEST(ScanLinesTest, HandlesCrlfAndMissingFinalNewline) {
  const ScanOutcome out = ScanAll("mode: set\r\na.go:1.2,3.4 5 1\r\nb.go:1.2,3.4 5 0");
  ASSERT_TRUE(out.ok) << out.error.message;
  EXPECT_EQ(out.mode, Mode::kSet);
  const std::vector<SeenBlock> want = {{"a.go", 1, 2, 3, 4, 5, 1, 11}, {"b.go", 1, 2, 3, 4, 5, 0, 29}};
  EXPECT_EQ(out.blocks, want);
}

TEST(ScanLinesTest, OnlyTheCarriageReturnBeforeNewlineIsDropped) {
  // A '\r' inside the line stays part of it, so the count is malformed.
  const ScanOutcome out = ScanAll("mode: set\na.go:1.2,3.4 5 1\r\r\n");
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error.line_offset, 10u);
}

TEST(ScanLinesTest, SkipsBlankLines) {
  const ScanOutcome out = ScanAll("\n\r\nmode: set\n\n\r\na.go:1.2,3.4 5 1\n\n");
  ASSERT_TRUE(out.ok) << out.error.message;
  EXPECT_EQ(out.mode, Mode::kSet);
  const std::vector<SeenBlock> want = {{"a.go", 1, 2, 3, 4, 5, 1, 16}};
  EXPECT_EQ(out.blocks, want);
}

TEST(ScanLinesTest, AcceptsRepeatedIdenticalModeLine) {
  // Profiles joined with `cat` repeat the mode line.
  const ScanOutcome out =
      ScanAll("mode: count\na.go:1.2,3.4 5 1\nmode: count\nb.go:1.2,3.4 5 2\nmode: count\n");
  ASSERT_TRUE(out.ok) << out.error.message;
  EXPECT_EQ(out.mode, Mode::kCount);
  ASSERT_EQ(out.blocks.size(), 2u);
  EXPECT_EQ(out.blocks[1].path, "b.go");
  EXPECT_EQ(out.blocks[1].line_offset, 41u);
}

TEST(ScanLinesTest, RejectsDifferentModeLineMidFile) {
  const std::string data = "mode: count\na.go:1.2,3.4 5 1\nmode: set\nb.go:1.2,3.4 5 2\n";
  const ScanOutcome out = ScanAll(data);
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error.line_offset, data.find("mode: set"));
  EXPECT_EQ(out.error.column, 6u);
  EXPECT_NE(out.error.message.find("\"mode: count\""), std::string::npos) << out.error.message;
  EXPECT_NE(out.error.message.find("\"mode: set\""), std::string::npos) << out.error.message;
  // The block before the bad line was delivered, the one after it was not.
  ASSERT_EQ(out.blocks.size(), 1u);
  EXPECT_EQ(out.blocks[0].path, "a.go");
}

TEST(ScanLinesTest, RejectsMissingModeLine) {
  const ScanOutcome out = ScanAll("a.go:1.2,3.4 5 1\n");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error.line_offset, 0u);
  EXPECT_EQ(out.error.column, 0u);
  EXPECT_EQ(out.error.message.rfind("expected \"mode: set\", \"mode: count\" or \"mode: atomic\"", 0), 0u)
      << out.error.message;
  EXPECT_NE(out.error.message.find("a.go:1.2,3.4 5 1"), std::string::npos) << out.error.message;
  EXPECT_TRUE(out.blocks.empty());
}

TEST(ScanLinesTest, RejectsMissingModeLineAfterBlankLines) {
  const ScanOutcome out = ScanAll("\n\na.go:1.2,3.4 5 1\n");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error.line_offset, 2u);
}

TEST(ScanLinesTest, RejectsUnknownOrMalformedModeLines) {
  for (std::string_view first : {"mode: sets", "mode:set", "mode: ", "mode:", "Mode: set", "mode: SET"}) {
    const std::string data = std::string(first) + "\na.go:1.2,3.4 5 1\n";
    const ScanOutcome out = ScanAll(data);
    EXPECT_FALSE(out.ok) << first;
    EXPECT_EQ(out.error.line_offset, 0u) << first;
    EXPECT_TRUE(out.blocks.empty()) << first;
  }
}

TEST(ScanLinesTest, RejectsMalformedModeLineMidFile) {
  const std::string data = "mode: set\na.go:1.2,3.4 5 1\nmode: bogus\n";
  const ScanOutcome out = ScanAll(data);
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error.line_offset, data.find("mode: bogus"));
  EXPECT_NE(out.error.message.find("bogus"), std::string::npos) << out.error.message;
}

TEST(ScanLinesTest, RejectsEmptyInput) {
  for (std::string_view data : {"", "\n", "\r\n\n\r\n"}) {
    const ScanOutcome out = ScanAll(data);
    EXPECT_FALSE(out.ok) << "input of " << data.size() << " bytes";
    EXPECT_EQ(out.error.line_offset, 0u);
    EXPECT_NE(out.error.message.find("empty"), std::string::npos) << out.error.message;
  }
}

TEST(ScanLinesTest, MalformedBlockLineGivesOffsetColumnAndExcerpt) {
  const std::string data = "mode: set\na.go:1.2,3.4 5 1\nb.go:1.2,3.4 x 1\nc.go:1.2,3.4 5 1\n";
  const ScanOutcome out = ScanAll(data);
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error.line_offset, data.find("b.go"));
  EXPECT_EQ(out.error.column, 13u);
  EXPECT_EQ(out.error.message.rfind(DescribeLineError(LineError::kExpectedNumStmt), 0), 0u)
      << out.error.message;
  EXPECT_NE(out.error.message.find(", found \"b.go:1.2,3.4 x 1\""), std::string::npos) << out.error.message;
  ASSERT_EQ(out.blocks.size(), 1u);
}

TEST(ScanLinesTest, ContinuationRegionUsesGivenMode) {
  const std::string data = "mode: count\na.go:1.2,3.4 5 1\nmode: set\n";
  std::optional<Mode> mode = Mode::kCount;
  CollectingSink sink;
  ScanError error;
  const size_t begin = data.find("a.go");
  EXPECT_TRUE(ScanLines(data, begin, data.find("mode: set"), false, &mode, sink, &error)) << error.message;
  EXPECT_EQ(sink.blocks.size(), 1u);
  EXPECT_EQ(mode, Mode::kCount);
  // The next region holds a mode line that contradicts the input's mode.
  EXPECT_FALSE(ScanLines(data, data.find("mode: set"), data.size(), false, &mode, sink, &error));
  EXPECT_EQ(error.line_offset, data.find("mode: set"));
}

TEST(ScanLinesTest, EmptyContinuationRegionIsFine) {
  const std::string data = "mode: count\na.go:1.2,3.4 5 1\n";
  std::optional<Mode> mode = Mode::kCount;
  CollectingSink sink;
  ScanError error;
  EXPECT_TRUE(ScanLines(data, data.size(), data.size(), false, &mode, sink, &error));
  EXPECT_TRUE(sink.blocks.empty());
}

TEST(ScanLinesTest, LastLineOfRegionIsFinishedPastItsEnd) {
  const std::string data = "mode: count\na.go:1.2,3.4 5 1\nb.go:1.2,3.4 5 2\n";
  std::optional<Mode> mode;
  CollectingSink sink;
  ScanError error;
  // The region ends one byte into the a.go line: that line is still whole.
  ASSERT_TRUE(ScanLines(data, 0, data.find("a.go") + 1, true, &mode, sink, &error)) << error.message;
  ASSERT_EQ(sink.blocks.size(), 1u);
  EXPECT_EQ(sink.blocks[0].path, "a.go");
  EXPECT_EQ(sink.blocks[0].count, 1u);
}

TEST(FirstLineStartAtOrAfterTest, SearchesOnlyBeforeTheEnd) {
  const std::string data = "aaaaaaaaaa\nbb\n";
  EXPECT_EQ(FirstLineStartAtOrAfter(data, 3, 11), 11u);   // the '\n' at 10 is before 11
  EXPECT_EQ(FirstLineStartAtOrAfter(data, 3, 10), data.size());  // none before 10
  EXPECT_EQ(FirstLineStartAtOrAfter(data, 11, 12), 11u);  // already a line start
  EXPECT_EQ(FirstLineStartAtOrAfter(data, 5, 5), data.size());
}

TEST(FirstLineStartAtOrAfterTest, FindsLineStarts) {
  const std::string_view data = "ab\ncd\n\nef";
  EXPECT_EQ(FirstLineStartAtOrAfter(data, 0), 0u);
  EXPECT_EQ(FirstLineStartAtOrAfter(data, 1), 3u);
  EXPECT_EQ(FirstLineStartAtOrAfter(data, 2), 3u);
  EXPECT_EQ(FirstLineStartAtOrAfter(data, 3), 3u);
  EXPECT_EQ(FirstLineStartAtOrAfter(data, 4), 6u);
  EXPECT_EQ(FirstLineStartAtOrAfter(data, 6), 6u);
  EXPECT_EQ(FirstLineStartAtOrAfter(data, 7), 7u);
  EXPECT_EQ(FirstLineStartAtOrAfter(data, 8), 9u);
  EXPECT_EQ(FirstLineStartAtOrAfter(data, 9), 9u);
  EXPECT_EQ(FirstLineStartAtOrAfter(data, 100), 9u);
}

// A profile with every feature the scanner must keep across a split: CRLF,
// blank lines, repeated mode lines, paths with ':' and ' ' or starting with
// 'm', long lines (> 16 bytes either side of the SSE2 loop), a last line
// without '\n'.
std::string ChunkingInput() {
  std::string data = "mode: count\n";
  const char* const paths[] = {"a.go", "main.go", "C:\\w\\m x.go", "mode.go", "pkg/sub/dir/with/a/long/name.go"};
  for (int i = 0; i < 24; ++i) {
    data += paths[i % 5];
    Append(&data, ":", i + 1, ".", i % 7, ",", i + 2, ".9 ", i % 3, " ", i * 37);
    data += i % 4 == 1 ? "\r\n" : "\n";
    if (i % 6 == 2) data += "\n";
    if (i % 9 == 4) data += "mode: count\n";
  }
  data += "z.go:99.1,99.2 1 5";  // no final newline
  return data;
}

TEST(ScanLinesChunkingTest, TwoRegionsSplitAtEveryOffsetMatchTheWholeScan) {
  const std::string data = ChunkingInput();
  const ScanOutcome whole = ScanAll(data);
  ASSERT_TRUE(whole.ok) << whole.error.message;
  ASSERT_EQ(whole.blocks.size(), 25u);
  for (size_t k = 1; k <= data.size(); ++k) {
    std::optional<Mode> mode;
    CollectingSink sink;
    ScanError error;
    ASSERT_TRUE(ScanLines(data, 0, k, true, &mode, sink, &error)) << "k=" << k << ": " << error.message;
    ASSERT_EQ(mode, Mode::kCount) << "k=" << k;
    const size_t begin = FirstLineStartAtOrAfter(data, k);
    ASSERT_TRUE(ScanLines(data, begin, data.size(), false, &mode, sink, &error))
        << "k=" << k << ": " << error.message;
    ASSERT_EQ(sink.blocks, whole.blocks) << "split at k=" << k;
  }
}

TEST(ScanLinesChunkingTest, ThreeRegionsSplitAtEveryPairOfOffsetsMatchTheWholeScan) {
  std::string data = ChunkingInput();
  data.resize(data.find('\n', 240) + 1);  // whole lines only, to keep the pairs few
  const ScanOutcome whole = ScanAll(data);
  ASSERT_TRUE(whole.ok) << whole.error.message;
  for (size_t k1 = 1; k1 <= data.size(); ++k1) {
    for (size_t k2 = k1; k2 <= data.size(); ++k2) {
      std::optional<Mode> mode;
      CollectingSink sink;
      ScanError error;
      bool ok = ScanLines(data, 0, k1, true, &mode, sink, &error);
      ok = ok && ScanLines(data, FirstLineStartAtOrAfter(data, k1), k2, false, &mode, sink, &error);
      ok = ok && ScanLines(data, FirstLineStartAtOrAfter(data, k2), data.size(), false, &mode, sink, &error);
      ASSERT_TRUE(ok) << "k1=" << k1 << " k2=" << k2 << ": " << error.message;
      ASSERT_EQ(sink.blocks, whole.blocks) << "split at k1=" << k1 << " k2=" << k2;
    }
  }
}

TEST(ScanLinesChunkingTest, ErrorIsReportedByExactlyTheRegionOwningTheLine) {
  std::string data = ChunkingInput();
  const size_t bad = data.find("mode.go:4.3");
  ASSERT_NE(bad, std::string::npos);
  data[data.find(' ', bad)] = 'x';  // "mode.go:4.3,5.9x0 111": the numstmt is now malformed
  const ScanOutcome whole = ScanAll(data);
  ASSERT_FALSE(whole.ok);
  ASSERT_EQ(whole.error.line_offset, bad);
  for (size_t k = 1; k <= data.size(); ++k) {
    std::optional<Mode> mode;
    CollectingSink sink;
    ScanError first_error, second_error;
    const bool first_ok = ScanLines(data, 0, k, true, &mode, sink, &first_error);
    mode = Mode::kCount;
    const bool second_ok =
        ScanLines(data, FirstLineStartAtOrAfter(data, k), data.size(), false, &mode, sink, &second_error);
    if (k <= bad) {
      EXPECT_TRUE(first_ok) << "k=" << k;
      EXPECT_FALSE(second_ok) << "k=" << k;
      EXPECT_EQ(second_error.line_offset, bad) << "k=" << k;
    } else {
      EXPECT_FALSE(first_ok) << "k=" << k;
      EXPECT_EQ(first_error.line_offset, bad) << "k=" << k;
      EXPECT_TRUE(second_ok) << "k=" << k;
    }
  }
}

TEST(FindLineEndTest, FindsNewlineInShortAndLongLines) {
  for (size_t length : {0u, 1u, 5u, 15u, 16u, 17u, 31u, 32u, 33u, 100u}) {
    std::string data(length, 'x');
    data += "\nmore after the newline, also more than sixteen bytes\n";
    const char* end = FindLineEnd(data.data(), data.data() + data.size());
    EXPECT_EQ(end, data.data() + length) << "line of " << length << " bytes";
  }
}

TEST(FindLineEndTest, ReturnsLimitWithoutNewline) {
  for (size_t length : {0u, 1u, 15u, 16u, 17u, 40u}) {
    const std::string data(length, 'y');
    EXPECT_EQ(FindLineEnd(data.data(), data.data() + data.size()), data.data() + data.size())
        << length << " bytes";
  }
}

TEST(FindLineEndTest, DoesNotLookPastLimit) {
  const std::string data = std::string(40, 'z') + "\n";
  for (size_t limit = 0; limit <= 40; ++limit) {
    EXPECT_EQ(FindLineEnd(data.data(), data.data() + limit), data.data() + limit) << limit;
  }
}

TEST(FindLineEndTest, FindsFirstOfSeveralNewlines) {
  const std::string data = std::string(20, 'q') + "\n\n" + std::string(20, 'q') + "\n";
  EXPECT_EQ(FindLineEnd(data.data(), data.data() + data.size()), data.data() + 20);
  EXPECT_EQ(FindLineEnd(data.data() + 21, data.data() + data.size()), data.data() + 21);
  EXPECT_EQ(FindLineEnd(data.data() + 22, data.data() + data.size()), data.data() + 42);
}

TEST(ParseModeLineTest, RecognisesModeLines) {
  bool is_mode_line = false;
  EXPECT_EQ(ParseModeLine("mode: atomic", &is_mode_line), Mode::kAtomic);
  EXPECT_TRUE(is_mode_line);
  EXPECT_EQ(ParseModeLine("mode: other", &is_mode_line), std::nullopt);
  EXPECT_TRUE(is_mode_line);
  EXPECT_EQ(ParseModeLine("main.go:1.2,3.4 5 6", &is_mode_line), std::nullopt);
  EXPECT_FALSE(is_mode_line);
  EXPECT_EQ(ParseModeLine("mode", &is_mode_line), std::nullopt);
  EXPECT_FALSE(is_mode_line);
}

}  // namespace
}  // namespace covmerge::internal
