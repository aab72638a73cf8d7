// SPDX-License-Identifier: Apache-2.0
#include "parse/line_parser.h"

#include "absl/strings/str_format.h"

namespace covmerge::internal {
namespace {

inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// Reads the run of decimal digits that ends just before `*end`, moving
// `*end` to its first digit. Returns false when there is no digit; sets
// *overflow when the value exceeds `max`.
inline bool ParseDigitsBackward(const char* begin, const char** end, uint64_t max,
                                uint64_t* value, bool* overflow) {
  const char* stop = *end;
  const char* first = stop;
  while (first > begin && IsDigit(first[-1])) --first;
  if (first == stop) return false;
  *end = first;
  while (first + 1 < stop && *first == '0') ++first;  // leading zeros
  if (stop - first > 19) {  // 20 digits exceed every limit we use
    *overflow = true;
    return true;
  }
  uint64_t v = 0;
  for (const char* p = first; p < stop; ++p) v = v * 10 + static_cast<uint64_t>(*p - '0');
  if (v > max) *overflow = true;
  *value = v;
  return true;
}

}  // namespace

LineParseResult ParseBlockLine(std::string_view line, BlockLine* out) {
  const char* begin = line.data();
  const char* p = begin + line.size();
  bool overflow = false;

  // Each field: digits ending at p, then the separator that must precede them.
  struct Field {
    uint64_t max;
    char separator;
    LineError missing;
  };
  static constexpr Field kFields[6] = {
      {9223372036854775807ull, ' ', LineError::kExpectedCount},
      {4294967295ull, ' ', LineError::kExpectedNumStmt},
      {4294967295ull, '.', LineError::kExpectedEndCol},
      {4294967295ull, ',', LineError::kExpectedEndLine},
      {4294967295ull, '.', LineError::kExpectedStartCol},
      {4294967295ull, ':', LineError::kExpectedStartLine},
  };
  uint64_t values[6];
  for (int i = 0; i < 6; ++i) {
    const Field& field = kFields[i];
    const char* digits_end = p;
    if (!ParseDigitsBackward(begin, &p, field.max, &values[i], &overflow)) {
      const size_t column = static_cast<size_t>(p - begin);
      if (p > begin && p[-1] == '-' && i < 2) return {LineError::kNegativeNumber, column - 1};
      return {field.missing, column == 0 ? 0 : column - 1};
    }
    if (overflow) {
      return {i == 0 ? LineError::kCountOverflow : LineError::kPositionOverflow,
              static_cast<size_t>(p - begin)};
    }
    if (p == begin || p[-1] != field.separator) {
      if (p > begin && p[-1] == '-') return {LineError::kNegativeNumber, static_cast<size_t>(p - begin - 1)};
      (void)digits_end;
      return {field.missing, static_cast<size_t>(p - begin)};
    }
    --p;  // step over the separator
  }
  if (p == begin) return {LineError::kExpectedPath, 0};
  out->path = std::string_view(begin, static_cast<size_t>(p - begin));
  out->count = values[0];
  out->num_stmt = static_cast<uint32_t>(values[1]);
  out->end_col = static_cast<uint32_t>(values[2]);
  out->end_line = static_cast<uint32_t>(values[3]);
  out->start_col = static_cast<uint32_t>(values[4]);
  out->start_line = static_cast<uint32_t>(values[5]);
  return {};
}

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
