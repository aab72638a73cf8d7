// SPDX-License-Identifier: Apache-2.0
// Unit tests for parse/block_tail: the plain lines it reads, the ones it
// leaves to the full parse, and, on many random lines, that whatever it
// accepts the full parse (ParseBlockLine) reads the same way.
#include "parse/block_tail.h"

#include <cstdint>
#include <random>
#include <string>
#include <tuple>

#include "gtest/gtest.h"
#include "parse/line_parser.h"

namespace covmerge::internal {
namespace {

constexpr std::string_view kPath = "ex.com/p/f.go:";

// The six numbers of a line, compared at once.
using Numbers = std::tuple<uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint64_t>;
Numbers NumbersOf(const BlockLine& b) {
  return {b.start_line, b.start_col, b.end_line, b.end_col, b.num_stmt, b.count};
}

// Parses the tail of kPath + `tail`; with `padded`, more lines follow, so
// the unchecked loop runs; else the data ends right after `tail`. Returns
// how many bytes of `tail` were read, or -1 when it was refused.
long Parse(const std::string& tail, bool padded, BlockLine* out) {
  std::string data = std::string(kPath) + tail;
  const size_t end = data.size();
  if (padded) data += std::string(kMaxBlockTail + 8, '9');
  const char* begin = data.data() + kPath.size();
  const char* next = ParseBlockTail(begin, data.data() + (padded ? data.size() : end), out);
  return next == nullptr ? -1 : static_cast<long>(next - begin);
}

TEST(BlockTailTest, ReadsThePlainForm) {
  for (bool padded : {true, false}) {
    BlockLine t;
    ASSERT_EQ(Parse("7.21,8.22 8 0\n", padded, &t), 14);
    EXPECT_EQ(NumbersOf(t), (Numbers{7, 21, 8, 22, 8, 0}));
    ASSERT_EQ(Parse("123456789.1,999999999.0 4294967 999999999999999999\r\n", padded, &t), 52);
    EXPECT_EQ(NumbersOf(t), (Numbers{123456789, 1, 999999999, 0, 4294967, 999999999999999999}));
    ASSERT_EQ(Parse("007.1,8.2 3 04\n", padded, &t), 15);  // leading zeros, as strconv reads them
    EXPECT_EQ(NumbersOf(t), (Numbers{7, 1, 8, 2, 3, 4}));
  }
  BlockLine t;
  EXPECT_EQ(Parse("1.2,3.4 5 6", false, &t), 11);  // the last line, without '\n'
  EXPECT_EQ(t.count, 6u);
  EXPECT_EQ(Parse("1.2,3.4 5 6\r", false, &t), 12);
}

TEST(BlockTailTest, LeavesEverythingElseToTheFullParse) {
  for (bool padded : {true, false}) {
    for (const char* tail : {"+1.2,3.4 5 6\n", "1.2,3.4 5 +6\n", "-1.2,3.4 5 6\n", "1234567890.2,3.4 5 6\n",
                             "1.2,3.4 5 1234567890123456789\n", "1.2,3.4 5\n", "1.2,3.4 5 6 7\n", "1.2,3.4 5 6x\n",
                             "1.,3.4 5 6\n", "1.2,3.4  5 6\n", "1.2;3.4 5 6\n", "1.2,3.4 5 6\r\r\n", "", "\n",
                             "1.2,3.4 5 6\r7\n"}) {
      BlockLine t;
      EXPECT_EQ(Parse(tail, padded, &t), -1) << '"' << tail << "\" padded " << padded;
    }
  }
}

// Tails that are mostly well formed, with a wrong byte or a long number
// now and then.
std::string RandomTail(std::mt19937& rng) {
  std::uniform_int_distribution<int> percent(0, 99);
  auto number = [&](int max_digits) {
    std::string n;
    const int digits = percent(rng) < 90 ? 1 + percent(rng) % 4 : percent(rng) % (max_digits + 3);
    for (int i = 0; i < digits; ++i) n += static_cast<char>('0' + percent(rng) % 10);
    return n;
  };
  const char separators[] = {'.', ',', '.', ' ', ' '};
  std::string tail;
  for (char separator : separators) tail += number(9) + separator;
  tail += number(18);
  const int ending = percent(rng);
  tail += ending < 70 ? "\n" : ending < 80 ? "\r\n" : ending < 85 ? "\r" : ending < 90 ? "" : "\n\n";
  if (percent(rng) < 20) {
    const char noise[] = {'+', '-', 'x', ':', '.', ',', ' ', '\r', '\n', '0', '9'};
    const size_t at = static_cast<size_t>(percent(rng)) % (tail.size() + 1);
    tail.insert(at, 1, noise[static_cast<size_t>(percent(rng)) % sizeof noise]);
  }
  return tail;
}

TEST(BlockTailTest, AgreesWithTheFullParseOnRandomLines) {
  std::mt19937 rng(20261204);
  int accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    const std::string tail = RandomTail(rng);
    const bool padded = i % 2 == 0;
    BlockLine t;
    const long read = Parse(tail, padded, &t);
    if (read < 0) continue;
    ++accepted;
    // What the scanner hands the full parse: the line without "\n" or "\r\n".
    std::string line = std::string(kPath) + tail.substr(0, static_cast<size_t>(read));
    ASSERT_TRUE(read == static_cast<long>(tail.size()) || tail[static_cast<size_t>(read) - 1] == '\n')
        << "stopped inside a line: \"" << tail << '"';
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (!line.empty() && line.back() == '\r') line.pop_back();
    BlockLine full;
    ASSERT_EQ(ParseBlockLine(line, &full).error, LineError::kNone) << '"' << tail << '"';
    EXPECT_EQ(full.path, kPath.substr(0, kPath.size() - 1));
    ASSERT_EQ(NumbersOf(full), NumbersOf(t)) << '"' << tail << '"';
  }
  // Most random tails are plain: the fast parse must take nearly all of them.
  EXPECT_GT(accepted, 100000);
}

}  // namespace
}  // namespace covmerge::internal
