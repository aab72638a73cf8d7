// SPDX-License-Identifier: Apache-2.0
#include "parse/line_parser.h"

#include "absl/strings/str_format.h"

namespace covmerge::internal {
std::string_view DescribeLineError(LineError error) {
  switch (error) {
    case LineError::kNone:
      return "no error";
    case LineError::kExpectedCount:
      return "expected a block line \"PATH:LINE.COL,LINE.COL NUMSTMT COUNT\" ending in the count (decimal digits after a space)";
    case LineError::kExpectedNumStmt:
      return "expected the number of statements (decimal digits between two spaces) before the count";
    case LineError::kExpectedEndCol:
      return "expected the end column (digits after '.') before the number of statements";
    case LineError::kExpectedEndLine:
      return "expected the end line (digits after ',') before the end column";
    case LineError::kExpectedStartCol:
      return "expected the start column (digits after '.') before ','";
    case LineError::kExpectedStartLine:
      return "expected the start line (digits after ':') before the start column";
    case LineError::kExpectedPath:
      return "expected a file path before ':'";
    case LineError::kNulInPath:
      return "expected a file path without NUL bytes";
    case LineError::kNegativeNumber:
      return "expected a number of zero or more, not a negative number";
    case LineError::kCountOverflow:
      return "expected a count of at most 9223372036854775807, the largest Go can read";
    case LineError::kPositionOverflow:
      return "expected a line, column or statement number of at most 4294967295";
  }
  return "unknown error";
}

std::string QuoteExcerpt(std::string_view line, size_t column, size_t max_bytes) {
  size_t begin = 0;
  bool cut_front = false, cut_back = false;
  if (line.size() > max_bytes) {
    begin = column > max_bytes / 2 ? column - max_bytes / 2 : 0;
    if (begin + max_bytes > line.size()) begin = line.size() - max_bytes;
    cut_front = begin > 0;
    cut_back = begin + max_bytes < line.size();
    line = line.substr(begin, max_bytes);
  }
  std::string quoted = "\"";
  if (cut_front) quoted += "...";
  for (char c : line) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (u < 0x20 || u >= 0x7f) {
      quoted += absl::StrFormat("\\x%02x", u);
    } else {
      quoted += c;
    }
  }
  if (cut_back) quoted += "...";
  quoted += '"';
  return quoted;
}

}  // namespace covmerge::internal
