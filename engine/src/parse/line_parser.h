// SPDX-License-Identifier: Apache-2.0
// Parses one block line of a Go coverage profile,
//   PATH:STARTLINE.STARTCOL,ENDLINE.ENDCOL NUMSTMT COUNT
// from right to left, as golang.org/x/tools/cover does, so that PATH may
// hold ':' (a Windows drive letter), spaces or any other byte. The parser
// allocates nothing: the path is a view into the line. Each number is
// decimal digits, leading zeros allowed, with an optional leading '+', as
// Go's strconv.Atoi reads them; a '-' is refused, even in "-0".
//
// Failures come back as a one-byte code and the column where the line went
// wrong; the caller turns them into a message only on the error path.
#ifndef COVMERGE_PARSE_LINE_PARSER_H_
#define COVMERGE_PARSE_LINE_PARSER_H_

#include <cstdint>
#include <cstring>
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
  kNulInPath,         // a path must stay a C string for the C API and the OS
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
// returns where they start (== p when there is none). *digits counts them,
// so the caller can check the range: at most 19 digits cannot wrap a uint64_t.
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

// PERF: the same with one 8-byte load and no branch per digit (bench:
// line_parser_bench). Needs 8 readable bytes before `p`; handles runs of 0
// to 7 digits and returns nullptr for longer ones, which the scalar loop
// finishes. The digit test masks bit 7 before adding, so no byte carries
// into its neighbour, and bytes of 0x80 and up are never digits.
inline const char* DigitsBackwardSwar(const char* p, uint64_t* value, int* digits) {
  uint64_t word;
  std::memcpy(&word, p - 8, 8);
  const uint64_t t = word ^ 0x3030303030303030ull;  // digits become 0..9
  const uint64_t non_digit =
      (((t & 0x7F7F7F7F7F7F7F7Full) + 0x7676767676767676ull) | t) & 0x8080808080808080ull;
  if (non_digit == 0) return nullptr;
  const int n = __builtin_clzll(non_digit) >> 3;  // digit bytes above the last non-digit
  *digits = n;
  if (n == 0) {
    *value = 0;
    return p;
  }
  // Keep the n digits in the top bytes; zeros below read as leading zeros.
  uint64_t v = t & (~uint64_t{0} << (8 * (8 - n)));
  v = ((v & 0x0F0F0F0F0F0F0F0Full) * 2561) >> 8;
  v = ((v & 0x00FF00FF00FF00FFull) * 6553601) >> 16;
  *value = ((v & 0x0000FFFF0000FFFFull) * 42949672960001ull) >> 32;
  return p - n;
}

// The exact value of a digit run too long for the fast paths, such as one
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

// Parses the field that ends at *p and the separator before it, moving *p
// to the separator. kIndex counts fields from the right: 0 is the count.
template <int kIndex>
inline LineParseResult ParseFieldBackward(const char* begin, const char** p, uint64_t* value) {
  constexpr char kSeparator[6] = {' ', ' ', '.', ',', '.', ':'};
  constexpr LineError kMissing[6] = {
      LineError::kExpectedCount,    LineError::kExpectedNumStmt,  LineError::kExpectedEndCol,
      LineError::kExpectedEndLine,  LineError::kExpectedStartCol, LineError::kExpectedStartLine};
  constexpr uint64_t kMax = kIndex == 0 ? 9223372036854775807ull : 4294967295ull;
  constexpr int kExactDigits = kIndex == 0 ? 18 : 9;  // longer runs need a range check
  const char* end = *p;
  int digits;
  const char* first = end - begin >= 8 ? DigitsBackwardSwar(end, value, &digits) : nullptr;
  if (first == nullptr) first = DigitsBackward(begin, end, value, &digits);
  if (digits == 0) [[unlikely]] {
    const size_t column = static_cast<size_t>(end - begin);
    if (kIndex < 2 && end > begin && end[-1] == '-') return {LineError::kNegativeNumber, column - 1};
    return {kMissing[kIndex], column == 0 ? 0 : column - 1};
  }
  if (digits > kExactDigits) [[unlikely]] {
    bool overflow = false;
    *value = ParseLongDigits(first, end, kMax, &overflow);
    if (overflow) {
      return {kIndex == 0 ? LineError::kCountOverflow : LineError::kPositionOverflow,
              static_cast<size_t>(first - begin)};
    }
  }
  if (first == begin || first[-1] != kSeparator[kIndex]) [[unlikely]] {
    // Go reads each field with strconv.Atoi, which takes one leading '+'
    // ("+5" is 5; the output prints 5). It also takes "-0", refused here
    // like every '-': Go never writes one (README, differences).
    if (first - begin >= 2 && first[-1] == '+' && first[-2] == kSeparator[kIndex]) {
      *p = first - 2;
      return {};
    }
    if (first > begin && first[-1] == '-') return {LineError::kNegativeNumber, static_cast<size_t>(first - begin - 1)};
    return {kMissing[kIndex], static_cast<size_t>(first - begin)};
  }
  *p = first - 1;
  return {};
}

}  // namespace line_parser_detail

inline LineParseResult ParseBlockLine(std::string_view line, BlockLine* out) {
  using line_parser_detail::ParseFieldBackward;
  const char* const begin = line.data();
  const char* p = begin + line.size();
  uint64_t count, num_stmt, end_col, end_line, start_col, start_line;
  LineParseResult r;
  if ((r = ParseFieldBackward<0>(begin, &p, &count)).error != LineError::kNone) return r;
  if ((r = ParseFieldBackward<1>(begin, &p, &num_stmt)).error != LineError::kNone) return r;
  if ((r = ParseFieldBackward<2>(begin, &p, &end_col)).error != LineError::kNone) return r;
  if ((r = ParseFieldBackward<3>(begin, &p, &end_line)).error != LineError::kNone) return r;
  if ((r = ParseFieldBackward<4>(begin, &p, &start_col)).error != LineError::kNone) return r;
  if ((r = ParseFieldBackward<5>(begin, &p, &start_line)).error != LineError::kNone) return r;
  if (p == begin) [[unlikely]] return {LineError::kExpectedPath, 0};
  if (const void* nul = std::memchr(begin, '\0', static_cast<size_t>(p - begin))) [[unlikely]] {
    return {LineError::kNulInPath, static_cast<size_t>(static_cast<const char*>(nul) - begin)};
  }
  out->path = std::string_view(begin, static_cast<size_t>(p - begin));
  out->count = count;
  out->num_stmt = static_cast<uint32_t>(num_stmt);
  out->end_col = static_cast<uint32_t>(end_col);
  out->end_line = static_cast<uint32_t>(end_line);
  out->start_col = static_cast<uint32_t>(start_col);
  out->start_line = static_cast<uint32_t>(start_line);
  return {};
}

}  // namespace covmerge::internal

#endif  // COVMERGE_PARSE_LINE_PARSER_H_
