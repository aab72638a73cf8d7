// SPDX-License-Identifier: Apache-2.0
// Unit tests for parse/line_parser: the right-to-left block line parser, its
// error codes and columns, and the quoted excerpt used in error messages.
#include "parse/line_parser.h"

#include <iterator>
#include <string>
#include <string_view>
#include <tuple>

#include "base/str_cat.h"
#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

using namespace std::string_view_literals;

// Parses `line`, expecting success.
BlockLine ParseOk(std::string_view line) {
  BlockLine block;
  const LineParseResult result = ParseBlockLine(line, &block);
  EXPECT_EQ(result.error, LineError::kNone) << "line: " << line << " column " << result.column;
  return block;
}

// A block line's fields, to compare in one expectation.
using Fields = std::tuple<std::string_view, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint64_t>;
Fields FieldsOf(const BlockLine& b) {
  return {b.path, b.start_line, b.start_col, b.end_line, b.end_col, b.num_stmt, b.count};
}

struct ErrorCase {
  std::string_view line;
  LineError error;
  size_t column;
};

std::string ErrorName(LineError e) { return std::string(DescribeLineError(e)); }

// Each line fails with its error at its column.
template <size_t N>
void ExpectErrors(const ErrorCase (&cases)[N]) {
  for (const ErrorCase& c : cases) {
    BlockLine block;
    const LineParseResult result = ParseBlockLine(c.line, &block);
    EXPECT_EQ(result.error, c.error) << "line \"" << c.line << "\": got \"" << ErrorName(result.error)
                                     << "\", want \"" << ErrorName(c.error) << "\"";
    EXPECT_EQ(result.column, c.column) << "line \"" << c.line << "\"";
  }
}

TEST(ParseBlockLineTest, ParsesSimpleLine) {
  EXPECT_EQ(FieldsOf(ParseOk("github.com/x/y/a.go:10.2,12.16 3 7")),
            (Fields{"github.com/x/y/a.go", 10, 2, 12, 16, 3, 7}));
}

TEST(ParseBlockLineTest, PathIsAViewIntoTheLine) {
  const std::string line = "a.go:1.2,3.4 5 6";
  BlockLine b;
  ASSERT_EQ(ParseBlockLine(line, &b).error, LineError::kNone);
  EXPECT_EQ(b.path.data(), line.data());
  EXPECT_EQ(b.path.size(), 4u);
}

TEST(ParseBlockLineTest, PathMayHoldColonsAndSpaces) {
  EXPECT_EQ(FieldsOf(ParseOk("my dir/a:b c.go:1.2,3.4 5 6")),
            (Fields{"my dir/a:b c.go", 1, 2, 3, 4, 5, 6}));
}

TEST(ParseBlockLineTest, PathMayLookLikeABlock) {
  const BlockLine b = ParseOk("x:1.2,3.4 5 6:7.8,9.10 11 12");
  EXPECT_EQ(b.path, "x:1.2,3.4 5 6");
  EXPECT_EQ(b.start_line, 7u);
  EXPECT_EQ(b.count, 12u);
}

TEST(ParseBlockLineTest, ParsesWindowsDrivePath) {
  EXPECT_EQ(FieldsOf(ParseOk("C:\\x\\a.go:1.2,3.4 5 6")),
            (Fields{"C:\\x\\a.go", 1, 2, 3, 4, 5, 6}));
}

TEST(ParseBlockLineTest, ParsesLargestValues) {
  const BlockLine b =
      ParseOk("a.go:4294967295.4294967295,4294967295.4294967295 4294967295 9223372036854775807");
  EXPECT_EQ(b.start_line, 4294967295u);
  EXPECT_EQ(b.start_col, 4294967295u);
  EXPECT_EQ(b.end_line, 4294967295u);
  EXPECT_EQ(b.end_col, 4294967295u);
  EXPECT_EQ(b.num_stmt, 4294967295u);
  EXPECT_EQ(b.count, 9223372036854775807u);
}

TEST(ParseBlockLineTest, ParsesZeros) {
  const BlockLine b = ParseOk("a.go:0.0,0.0 0 0");
  EXPECT_EQ(b.start_line, 0u);
  EXPECT_EQ(b.num_stmt, 0u);
  EXPECT_EQ(b.count, 0u);
}

TEST(ParseBlockLineTest, ParsesLeadingZeros) {
  const BlockLine b = ParseOk("a.go:007.010,0003.04 005 0000000000000000000000006");
  EXPECT_EQ(b.start_line, 7u);
  EXPECT_EQ(b.start_col, 10u);
  EXPECT_EQ(b.end_line, 3u);
  EXPECT_EQ(b.end_col, 4u);
  EXPECT_EQ(b.num_stmt, 5u);
  EXPECT_EQ(b.count, 6u);
}

TEST(ParseBlockLineTest, LeadingZerosBeforeLargestValues) {
  const BlockLine b = ParseOk("a.go:00004294967295.1,2.3 0004294967295 0009223372036854775807");
  EXPECT_EQ(b.start_line, 4294967295u);
  EXPECT_EQ(b.num_stmt, 4294967295u);
  EXPECT_EQ(b.count, 9223372036854775807u);
}

TEST(ParseBlockLineTest, NineteenDigitCountsBelowTheLimit) {
  EXPECT_EQ(ParseOk("a.go:1.2,3.4 5 1000000000000000000").count, 1000000000000000000u);
  EXPECT_EQ(ParseOk("a.go:1.2,3.4 5 9223372036854775806").count, 9223372036854775806u);
  EXPECT_EQ(ParseOk("a.go:1.2,3.4 5 999999999999999999").count, 999999999999999999u);
}

TEST(ParseBlockLineTest, TenDigitPositionsBelowTheLimit) {
  const BlockLine b = ParseOk("a.go:1000000000.4294967294,1.1 1 1");
  EXPECT_EQ(b.start_line, 1000000000u);
  EXPECT_EQ(b.start_col, 4294967294u);
}

// Go's parser reads each field with strconv.Atoi, which takes one leading
// '+': gocovmerge merges "+5" as 5.
TEST(ParseBlockLineTest, TakesALeadingPlusAsGoAtoiDoes) {
  EXPECT_EQ(FieldsOf(ParseOk("x/a.go:+1.+2,+3.+4 +5 +6")),
            (Fields{"x/a.go", 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(ParseOk("x/a.go:1.1,2.2 1 +5").count, 5u);
  EXPECT_EQ(ParseOk("x/a.go:1.1,2.2 1 +0").count, 0u);
  EXPECT_EQ(ParseOk("x/a.go:1.1,2.2 1 +007").count, 7u);
  EXPECT_EQ(ParseOk("x/a.go:1.1,2.2 1 +9223372036854775807").count, 9223372036854775807u);
  EXPECT_EQ(ParseOk("x/a.go:1.1,2.2 1 +00000000000000000000042").count, 42u);
  EXPECT_EQ(ParseOk("a:+1.1,2.2 1 1").start_line, 1u);  // short: the scalar digit loop
  EXPECT_EQ(ParseOk("a+:1.1,2.2 1 1").path, "a+");
}

TEST(ParseBlockLineTest, RefusesWhatGoAtoiRefusesAndEveryMinus) {
  const ErrorCase cases[] = {
      {"x/a.go:1.1,2.2 1 +", LineError::kExpectedCount, 17},
      {"x/a.go:1.1,2.2 1 ++5", LineError::kExpectedCount, 19},
      {"x/a.go:1.1,2.2 1 +-5", LineError::kNegativeNumber, 18},
      {"x/a.go:1.1,2.2 1 -+5", LineError::kExpectedCount, 19},
      {"x/a.go:1.1,2.2 1 + 5", LineError::kExpectedNumStmt, 17},
      {"x/a.go:1.1,2.2 1 5+", LineError::kExpectedCount, 18},
      {"x/a.go:1.1,2.2 1 +9223372036854775808", LineError::kCountOverflow, 18},
      {"x/a.go:1.1,2.2 +4294967296 1", LineError::kPositionOverflow, 16},
      // Go's Atoi takes "-0"; covmerge refuses every '-' (see line_parser.h).
      {"x/a.go:1.1,2.2 1 -0", LineError::kNegativeNumber, 17},
      {"x/a.go:1.1,2.2 -0 1", LineError::kNegativeNumber, 15},
      {"x/a.go:+.1,2.2 1 1", LineError::kExpectedStartLine, 7},
  };
  ExpectErrors(cases);
}

TEST(ParseBlockLineTest, ReportsEachErrorWithItsColumn) {
  const ErrorCase cases[] = {
      // Missing fields: the column is the byte where a digit was expected.
      {"a.go:1.2,3.4 5 ", LineError::kExpectedCount, 14},
      {"a.go:1.2,3.4 5 x", LineError::kExpectedCount, 15},
      {"", LineError::kExpectedCount, 0},
      {"a.go:1.2,3.4 5", LineError::kExpectedNumStmt, 11},
      {"a.go:1.2,3.4  6", LineError::kExpectedNumStmt, 12},
      {"a.go:1.2,3.4 x 6", LineError::kExpectedNumStmt, 13},
      {"a.go:1.2,3.4:5 6", LineError::kExpectedNumStmt, 13},
      // Missing separators: the column is the field the separator should precede.
      {"a.go:1.2,34 5 6", LineError::kExpectedEndCol, 9},
      {"a.go:1.2,3. 5 6", LineError::kExpectedEndCol, 10},
      {"a.go:1.2 3.4 5 6", LineError::kExpectedEndLine, 9},
      {"a.go:1.2,.4 5 6", LineError::kExpectedEndLine, 8},
      {"a.go:12,3.4 5 6", LineError::kExpectedStartCol, 5},
      {"a.go:1.,3.4 5 6", LineError::kExpectedStartCol, 6},
      {"a.go 1.2,3.4 5 6", LineError::kExpectedStartLine, 5},
      {"a.go:.2,3.4 5 6", LineError::kExpectedStartLine, 4},
      {"1.2,3.4 5 6", LineError::kExpectedStartLine, 0},
      {":1.2,3.4 1 1", LineError::kExpectedPath, 0},
      // Negative numbers: the column of the '-'.
      {"a.go:1.2,3.4 5 -6", LineError::kNegativeNumber, 15},
      {"a.go:1.2,3.4 -5 6", LineError::kNegativeNumber, 13},
      {"a.go:1.2,3.4 5 -", LineError::kNegativeNumber, 15},
      // Overflow: the column of the number's first digit.
      {"a.go:1.2,3.4 5 9223372036854775808", LineError::kCountOverflow, 15},
      {"a.go:1.2,3.4 5 18446744073709551616", LineError::kCountOverflow, 15},
      {"a.go:1.2,3.4 5 1234567890123456789012345", LineError::kCountOverflow, 15},
      {"a.go:4294967296.2,3.4 5 6", LineError::kPositionOverflow, 5},
      {"a.go:1.4294967296,3.4 5 6", LineError::kPositionOverflow, 7},
      {"a.go:1.2,4294967296.4 5 6", LineError::kPositionOverflow, 9},
      {"a.go:1.2,3.4294967296 5 6", LineError::kPositionOverflow, 11},
      {"a.go:1.2,3.4 4294967296 6", LineError::kPositionOverflow, 13},
      {"a.go:1.2,3.4 1234567890123456789012345 6", LineError::kPositionOverflow, 13},
      {"a.go:1234567890123456789012345.2,3.4 5 6", LineError::kPositionOverflow, 5},
  };
  ExpectErrors(cases);
}

TEST(ParseBlockLineTest, FailureLeavesOutputUntouched) {
  BlockLine block;
  block.path = "kept";
  block.count = 42;
  ASSERT_NE(ParseBlockLine("a.go:1.2,3.4 5 -6", &block).error, LineError::kNone);
  EXPECT_EQ(block.path, "kept");
  EXPECT_EQ(block.count, 42u);
}

TEST(DescribeLineErrorTest, EveryCodeHasItsOwnExpectedSentence) {
  const LineError codes[] = {LineError::kExpectedCount,     LineError::kExpectedNumStmt,
                             LineError::kExpectedEndCol,    LineError::kExpectedEndLine,
                             LineError::kExpectedStartCol,  LineError::kExpectedStartLine,
                             LineError::kExpectedPath,      LineError::kNegativeNumber,
                             LineError::kCountOverflow,     LineError::kPositionOverflow};
  for (size_t i = 0; i < std::size(codes); ++i) {
    const std::string_view text = DescribeLineError(codes[i]);
    EXPECT_EQ(text.substr(0, 9), "expected ") << text;
    for (size_t j = 0; j < i; ++j) EXPECT_NE(text, DescribeLineError(codes[j]));
  }
  EXPECT_NE(DescribeLineError(LineError::kCountOverflow).find("9223372036854775807"), std::string_view::npos);
  EXPECT_NE(DescribeLineError(LineError::kPositionOverflow).find("4294967295"), std::string_view::npos);
}

TEST(QuoteExcerptTest, QuotesPlainText) {
  EXPECT_EQ(QuoteExcerpt("a.go:1.2,3.4 5 x", 15), "\"a.go:1.2,3.4 5 x\"");
  EXPECT_EQ(QuoteExcerpt("", 0), "\"\"");
}

TEST(QuoteExcerptTest, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(QuoteExcerpt("say \"hi\" C:\\x", 0), R"("say \"hi\" C:\\x")");
}

TEST(QuoteExcerptTest, EscapesControlAndNonAsciiBytes) {
  EXPECT_EQ(QuoteExcerpt("a\0b"sv, 0), R"("a\x00b")");
  EXPECT_EQ(QuoteExcerpt("tab\there\r", 0), R"("tab\x09here\x0d")");
  EXPECT_EQ(QuoteExcerpt("caf\xc3\xa9 \x7f\xff", 0), R"("caf\xc3\xa9 \x7f\xff")");
}

TEST(QuoteExcerptTest, CutsLongLineAroundColumn) {
  std::string line;
  for (int i = 0; i < 200; ++i) line += static_cast<char>('a' + i % 26);
  // At the start: only the end is cut.
  EXPECT_EQ(QuoteExcerpt(line, 0), Cat("\"", line.substr(0, 80), "...\""));
  // In the middle: the window is centred on the column and both ends are cut.
  EXPECT_EQ(QuoteExcerpt(line, 100), Cat("\"...", line.substr(60, 80), "...\""));
  // At the end: only the start is cut.
  EXPECT_EQ(QuoteExcerpt(line, 199), Cat("\"...", line.substr(120), "\""));
  // A smaller cap.
  EXPECT_EQ(QuoteExcerpt(line, 100, 10), Cat("\"...", line.substr(95, 10), "...\""));
}

TEST(QuoteExcerptTest, LineOfExactlyTheCapIsNotCut) {
  const std::string line(80, 'x');
  EXPECT_EQ(QuoteExcerpt(line, 40), Cat("\"", line, "\""));
  const std::string longer(81, 'x');
  EXPECT_EQ(QuoteExcerpt(longer, 0), Cat("\"", line, "...\""));
}

TEST(QuoteExcerptTest, EscapesInsideCutWindow) {
  std::string line(100, 'x');
  line[50] = '"';
  line[51] = '\0';
  const std::string quoted = QuoteExcerpt(line, 50, 20);
  EXPECT_EQ(quoted, Cat("\"...", std::string(10, 'x'), "\\\"\\x00", std::string(8, 'x'), "...\""));
}

TEST(LineParserNulTest, NulInPathIsAnError) {
  BlockLine line;
  const std::string text("a\0b.go:1.1,2.2 1 1", 18);
  LineParseResult r = ParseBlockLine(text, &line);
  EXPECT_EQ(r.error, LineError::kNulInPath);
  EXPECT_EQ(r.column, 1u);
}

}  // namespace
}  // namespace covmerge::internal
