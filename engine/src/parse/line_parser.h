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
inline LineParseResult ParseBlockLine(std::string_view line, BlockLine* out);

// A sentence fragment for an error code, e.g. "expected the count (decimal
// digits) at the end of the line".
std::string_view DescribeLineError(LineError error);

// The line quoted for an error message: at most `max_bytes` bytes around
// `column`, with quotes, backslashes and non-printable bytes escaped.
std::string QuoteExcerpt(std::string_view line, size_t column, size_t max_bytes = 80);

namespace line_parser_detail {

// Reads the decimal digits that end just before `p`, right to left, and
// returns where they start (== p when there is none). Accumulating from the
// right needs no second pass over the digits. *digits counts them, so the
// caller can check the range: at most 19 digits cannot wrap a uint64_t.
inline const char* DigitsBackward(const char* begin, const char* p, uint64_t* value, int* digits) {
  uint64_t v = 0;
  uint64_t scale = 1;
  const char* q = p;
  while (q > begin) {
    const unsigned d = static_cast<unsigned char>(q[-1]) - unsigned{'0'};
    if (d > 9) break;
    v += d * scale;
    scale *= 10;
    --q;
  }
  *value = v;
  *digits = static_cast<int>(p - q);
  return q;
}

// The exact value of a digit run too long for DigitsBackward, such as one
// with leading zeros; sets *overflow above `max`.
inline uint64_t ParseLongDigits(const char* first, const char* last, uint64_t max, bool* overflow) {
  while (first + 1 < last && *first == '0') ++first;
  if (last - first > 19) {
    *overflow = true;
    return 0;
  }
  uint64_t v = 0;
  for (const char* p = first; p < last; ++p) v = v * 10 + static_cast<uint64_t>(*p - '0');
  *overflow = v > max;
  return v;
}

}  // namespace line_parser_detail

inline LineParseResult ParseBlockLine(std::string_view line, BlockLine* out) {
  using line_parser_detail::DigitsBackward;
  const char* const begin = line.data();
  const char* p = begin + line.size();
  // The fields from the right: the separator before each, its limit, and
  // the error when it is missing.
  static constexpr char kSeparator[6] = {' ', ' ', '.', ',', '.', ':'};
  static constexpr LineError kMissing[6] = {
      LineError::kExpectedCount,    LineError::kExpectedNumStmt,  LineError::kExpectedEndCol,
      LineError::kExpectedEndLine,  LineError::kExpectedStartCol, LineError::kExpectedStartLine};
  uint64_t values[6];
  for (int i = 0; i < 6; ++i) {
    int digits;
    const char* first = DigitsBackward(begin, p, &values[i], &digits);
    const uint64_t max = i == 0 ? 9223372036854775807ull : 4294967295ull;
    if (digits == 0) [[unlikely]] {
      const size_t column = static_cast<size_t>(p - begin);
      if (p > begin && p[-1] == '-' && i < 2) return {LineError::kNegativeNumber, column - 1};
      return {kMissing[i], column == 0 ? 0 : column - 1};
    }
    if (digits >= (i == 0 ? 19 : 10)) [[unlikely]] {
      bool overflow = false;
      values[i] = line_parser_detail::ParseLongDigits(first, p, max, &overflow);
      if (overflow) {
        return {i == 0 ? LineError::kCountOverflow : LineError::kPositionOverflow,
                static_cast<size_t>(first - begin)};
      }
    }
    p = first;
    if (p == begin || p[-1] != kSeparator[i]) [[unlikely]] {
      if (p > begin && p[-1] == '-') return {LineError::kNegativeNumber, static_cast<size_t>(p - begin - 1)};
      return {kMissing[i], static_cast<size_t>(p - begin)};
    }
    --p;  // step over the separator
  }
  if (p == begin) [[unlikely]] return {LineError::kExpectedPath, 0};
  out->path = std::string_view(begin, static_cast<size_t>(p - begin));
  out->count = values[0];
  out->num_stmt = static_cast<uint32_t>(values[1]);
  out->end_col = static_cast<uint32_t>(values[2]);
  out->end_line = static_cast<uint32_t>(values[3]);
  out->start_col = static_cast<uint32_t>(values[4]);
  out->start_line = static_cast<uint32_t>(values[5]);
  return {};
}

}  // namespace covmerge::internal

#endif  // COVMERGE_PARSE_LINE_PARSER_H_
