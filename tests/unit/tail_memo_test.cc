// SPDX-License-Identifier: Apache-2.0
// Unit tests for table/tail_memo: a slot matches exactly the text it was
// given, as a prefix of the bytes that follow, and nothing else; a text too
// long for a slot is refused once and never matches. A file whose blocks'
// texts need more than a slot gets two a block, compared as one.
#include "table/tail_memo.h"

#include <string>

#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

// The bytes at which Match looks: `text`, padded to the widest a block takes
// so that the loads stay inside the string.
std::string Padded(std::string text) {
  text.append(TailMemo::kMaxWidth, 'x');
  return text;
}

TEST(TailMemoTest, AnEmptySlotMatchesNothing) {
  TailMemo memo;
  EXPECT_FALSE(memo.allocated());
  EXPECT_EQ(memo.size(), 0u);
  memo.Allocate(3, TailMemo::kSlotBytes);
  EXPECT_TRUE(memo.allocated());
  EXPECT_EQ(memo.size(), 3u);
  for (uint32_t i = 0; i < 3; ++i) {
    EXPECT_FALSE(memo.remembered(i));
    EXPECT_EQ(memo.Match(i, Padded("7.21,8.22 8 0\n").data()), 0u);
  }
}

TEST(TailMemoTest, ASlotMatchesItsTextAsAPrefixOnly) {
  TailMemo memo;
  memo.Allocate(2, TailMemo::kSlotBytes);
  const std::string text = "7.21,8.22 8 ";
  memo.Remember(1, text.data(), text.size());
  EXPECT_TRUE(memo.remembered(1));
  EXPECT_FALSE(memo.remembered(0));
  EXPECT_EQ(memo.Match(1, Padded("7.21,8.22 8 123\n").data()), text.size());
  EXPECT_EQ(memo.Match(0, Padded("7.21,8.22 8 123\n").data()), 0u);
  // Any byte of the text changed, whatever follows it, is no match.
  for (size_t i = 0; i < text.size(); ++i) {
    std::string other = text + "5\n";
    other[i] = other[i] == '1' ? '2' : '1';
    EXPECT_EQ(memo.Match(1, Padded(other).data()), 0u) << other;
  }
  EXPECT_EQ(memo.Match(1, Padded("7.21,8.22 80 1\n").data()), 0u);
  EXPECT_EQ(memo.Match(1, Padded("07.21,8.22 8 1\n").data()), 0u);
}

TEST(TailMemoTest, TextsOfEveryWidthUpToASlotMatch) {
  TailMemo memo;
  memo.Allocate(TailMemo::kSlotBytes + 1, TailMemo::kSlotBytes);
  for (size_t n = 1; n <= TailMemo::kSlotBytes; ++n) {
    const std::string text = std::string(n - 1, '9') + " ";
    memo.Remember(static_cast<uint32_t>(n), text.data(), text.size());
    EXPECT_EQ(memo.Match(static_cast<uint32_t>(n), Padded(text + "1\n").data()), n);
    EXPECT_EQ(memo.Match(static_cast<uint32_t>(n), Padded(std::string(n - 1, '9') + "1 1\n").data()), 0u);
  }
}

TEST(TailMemoTest, ATextLongerThanASlotIsRefusedAndNeverMatches) {
  TailMemo memo;
  memo.Allocate(1, TailMemo::kSlotBytes);
  const std::string text = "1234.12,1240.30 1 ";  // 18 bytes
  ASSERT_GT(text.size(), TailMemo::kSlotBytes);
  memo.Remember(0, text.data(), text.size());
  EXPECT_TRUE(memo.remembered(0));  // not asked again
  EXPECT_EQ(memo.Match(0, Padded(text + "1\n").data()), 0u);
  EXPECT_EQ(memo.Match(0, Padded("\n").data()), 0u);
  EXPECT_EQ(memo.Match(0, Padded(std::string(TailMemo::kSlotBytes - 1, 0) + "\1").data()), 0u);
}

// The width a file's blocks need is that of the longest text Go writes for
// one of them: "L1.C1,L2.C2 NUMSTMT ".
TEST(TailMemoTest, AFileIsWideWhenOneBlockNeedsMoreThanASlot) {
  EXPECT_EQ(TailMemo::WidthFor({}), TailMemo::kSlotBytes);
  EXPECT_EQ(TailMemo::WidthFor({{1, 2, 3, 4, 5, 0}, {0, 0, 0, 0, 0, 0}}), TailMemo::kSlotBytes);
  // "999.99,999.99 9 " is 16 bytes, "999.99,999.99 10 " 17.
  EXPECT_EQ(TailMemo::WidthFor({{999, 99, 999, 99, 9, 0}}), TailMemo::kSlotBytes);
  EXPECT_EQ(TailMemo::WidthFor({{999, 99, 999, 99, 10, 0}}), TailMemo::kMaxWidth);
  // "1000.1,1000.9 1 " is 16: a line number past 999 alone needs no more.
  EXPECT_EQ(TailMemo::WidthFor({{1000, 1, 1000, 9, 1, 0}}), TailMemo::kSlotBytes);
  EXPECT_EQ(TailMemo::WidthFor({{1, 1, 2, 2, 1, 0}, {1000, 10, 1000, 9, 1, 0}}), TailMemo::kMaxWidth);
  EXPECT_EQ(TailMemo::WidthFor({{1, 1, 2, 2, 1, 0}, {10, 100, 10, 9, 1, 0}}), TailMemo::kSlotBytes);
  EXPECT_EQ(TailMemo::WidthFor({{100, 100, 100, 100, 1, 0}}), TailMemo::kMaxWidth);
}

TEST(TailMemoTest, AWideMemoMatchesTextsOfEveryWidthUpToTwoSlots) {
  TailMemo memo;
  memo.Allocate(TailMemo::kMaxWidth + 2, TailMemo::kMaxWidth);
  EXPECT_EQ(memo.width(), TailMemo::kMaxWidth);
  for (size_t n = 1; n <= TailMemo::kMaxWidth; ++n) {
    const std::string text = std::string(n - 1, '7') + " ";
    const uint32_t index = static_cast<uint32_t>(n);
    EXPECT_FALSE(memo.remembered(index));
    memo.Remember(index, text.data(), text.size());
    EXPECT_TRUE(memo.remembered(index));
    EXPECT_EQ(memo.Match(index, Padded(text + "1\n").data()), n);
    // Neighbours hold nothing of it.
    EXPECT_EQ(memo.Match(index + 1, Padded(text + "1\n").data()), 0u);
    // Any byte changed, in either slot, is no match.
    for (size_t i = 0; i < n; ++i) {
      std::string other = text + "1\n";
      other[i] = other[i] == '7' ? '8' : '7';
      EXPECT_EQ(memo.Match(index, Padded(other).data()), 0u) << n << " " << i;
    }
  }
  const std::string longer(TailMemo::kMaxWidth + 1, '1');
  memo.Remember(0, longer.data(), longer.size());
  EXPECT_TRUE(memo.remembered(0));
  EXPECT_EQ(memo.Match(0, Padded(longer).data()), 0u);
  EXPECT_EQ(memo.Match(0, Padded("").data()), 0u);
}

TEST(TailMemoTest, ClearedMemosHoldNothing) {
  TailMemo memo;
  memo.Allocate(2, TailMemo::kSlotBytes);
  memo.Remember(0, "1.2,3.4 5 ", 10);
  memo.Clear();
  EXPECT_FALSE(memo.allocated());
  EXPECT_FALSE(memo.given_up());
  EXPECT_EQ(memo.size(), 0u);
}

TEST(TailMemoTest, AMemoGivenUpHoldsNothingAndStaysGivenUp) {
  TailMemo memo;
  EXPECT_FALSE(memo.given_up());
  memo.Allocate(2, TailMemo::kSlotBytes);
  memo.Remember(0, "1.2,3.4 5 ", 10);
  memo.GiveUp();
  EXPECT_TRUE(memo.given_up());
  EXPECT_FALSE(memo.allocated());
  EXPECT_EQ(memo.size(), 0u);
}

}  // namespace
}  // namespace covmerge::internal
