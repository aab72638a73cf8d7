// SPDX-License-Identifier: Apache-2.0
// Parses one block line of a Go coverage profile,
//   PATH:STARTLINE.STARTCOL,ENDLINE.ENDCOL NUMSTMT COUNT
// from right to left, as golang.org/x/tools/cover does, so that PATH may
// hold ':' (a Windows drive letter), spaces or any other byte. The parser
// allocates nothing: the path is a view into the line.
//
// Failures come back as a one-byte code and the column where the line went
// wrong; the caller turns them into a message only on the error path.
#ifndef COVMERGE_PARSE_LINE_PARSER_H_
#define COVMERGE_PARSE_LINE_PARSER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace covmerge::internal {

enum class LineError : uint8_t {
  kNone = 0,
  kExpectedCount,
  kExpectedNumStmt,
  kExpectedEndCol,
  kExpectedEndLine,
  kExpectedStartCol,
  kExpectedStartLine,
  kExpectedPath,
  kNegativeNumber,
  kCountOverflow,     // COUNT above 9223372036854775807
  kPositionOverflow,  // a line, column or NUMSTMT above 4294967295
};

struct BlockLine {
  std::string_view path;
  uint32_t start_line = 0;
  uint32_t start_col = 0;
  uint32_t end_line = 0;
  uint32_t end_col = 0;
  uint32_t num_stmt = 0;
  uint64_t count = 0;
};

struct LineParseResult {
  LineError error = LineError::kNone;
  size_t column = 0;  // 0-based offset into the line where parsing failed
};

// Parses `line` (without its line terminator) into `*out`.
LineParseResult ParseBlockLine(std::string_view line, BlockLine* out);

// A sentence fragment for an error code, e.g. "expected the count (decimal
// digits) at the end of the line".
std::string_view DescribeLineError(LineError error);

// The line quoted for an error message: at most `max_bytes` bytes around
// `column`, with quotes, backslashes and non-printable bytes escaped.
std::string QuoteExcerpt(std::string_view line, size_t column, size_t max_bytes = 80);

}  // namespace covmerge::internal

#endif  // COVMERGE_PARSE_LINE_PARSER_H_
