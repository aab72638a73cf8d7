// SPDX-License-Identifier: Apache-2.0
// The fast parse of a block line's numbers, "L1.C1,L2.C2 NUMSTMT COUNT" and
// the line end, left to right, for a caller that has already matched the
// line's path and ':' (the merge pass, which knows the file a line
// probably names). It accepts only the plain form, five numbers of 1 to 9
// digits and a count of 1 to 18, and leaves everything else ('+' signs,
// longer numbers, anything malformed) to ParseBlockLine (line_parser.h),
// whose right-to-left parse decides and names the error. Where this parse
// succeeds, that one would split the line at the same ':' and read the same
// numbers: the grammar from the right is fixed and every run of digits is
// maximal (tests/unit/block_tail_test.cc checks both on many lines).
#ifndef COVMERGE_PARSE_BLOCK_TAIL_H_
#define COVMERGE_PARSE_BLOCK_TAIL_H_

#include <cstddef>
#include <cstdint>

#include "parse/line_parser.h"

namespace covmerge::internal {

namespace block_tail_detail {

// Reads 1 to kMaxDigits digits at *p into *value; refuses a run of more.
// kChecked: stops at `limit`; otherwise the caller knows that kMaxDigits + 1
// bytes can be read at *p, and the loop, unrolled, reads each at a constant
// offset with no pointer to advance and no count to compare.
// PERF: the digit loops were 40% of the instructions of a merge of cp1;
// unrolled, a digit costs 6 instructions, not 10 (bench: e2e cp1, callgrind).
template <bool kChecked, int kMaxDigits>
inline bool Digits(const char** p, const char* limit, uint64_t* value) {
  const char* const q = *p;
  uint64_t v = 0;
  int n = 0;
#pragma GCC unroll 20
  for (; n <= kMaxDigits; ++n) {
    if (kChecked && q + n == limit) break;
    const unsigned d = static_cast<unsigned char>(q[n]) - unsigned{'0'};
    if (d > 9) break;
    v = v * 10 + d;
  }
  if (n == 0 || n > kMaxDigits) return false;
  *value = v;
  *p = q + n;
  return true;
}

// A number of up to kMaxDigits digits and the byte `after` it.
template <bool kChecked, int kMaxDigits>
inline bool Field(const char** p, const char* limit, char after, uint64_t* value) {
  if (!Digits<kChecked, kMaxDigits>(p, limit, value)) return false;
  if ((kChecked && *p == limit) || **p != after) return false;
  ++*p;
  return true;
}

// The count and the line end; the next line's start, or nullptr.
template <bool kChecked>
inline const char* CountAndLineEnd(const char* p, const char* limit, uint64_t* count) {
  if (!Digits<kChecked, 18>(&p, limit, count)) return nullptr;
  if (p < limit) {
    if (*p == '\r') ++p;  // "\r\n", or a last line ending in '\r'
    if (p < limit) {
      if (*p != '\n') return nullptr;
      ++p;
    }
  }
  return p;
}

template <bool kChecked>
inline const char* Parse(const char* p, const char* limit, BlockLine* out) {
  uint64_t start_line, start_col, end_line, end_col, num_stmt, count;
  if (!Field<kChecked, 9>(&p, limit, '.', &start_line) || !Field<kChecked, 9>(&p, limit, ',', &start_col) ||
      !Field<kChecked, 9>(&p, limit, '.', &end_line) || !Field<kChecked, 9>(&p, limit, ' ', &end_col) ||
      !Field<kChecked, 9>(&p, limit, ' ', &num_stmt) || (p = CountAndLineEnd<kChecked>(p, limit, &count)) == nullptr) {
    return nullptr;
  }
  out->start_line = static_cast<uint32_t>(start_line);
  out->start_col = static_cast<uint32_t>(start_col);
  out->end_line = static_cast<uint32_t>(end_line);
  out->end_col = static_cast<uint32_t>(end_col);
  out->num_stmt = static_cast<uint32_t>(num_stmt);
  out->count = count;
  return p;
}

}  // namespace block_tail_detail

// The longest tail ParseBlockTail reads: five numbers of up to 9 digits
// and a count of up to 18, a digit more where one is refused, their
// separators and "\r\n". Further than this from the data's end, the
// unchecked loop cannot read past it.
inline constexpr size_t kMaxBlockTail = 5 * (9 + 2) + 18 + 1 + 2;

// Parses the tail at `p` and its line end ("\n", "\r\n", or the end of the
// data at `limit`) into the numbers of *out (its path is the caller's);
// returns the next line's start, or nullptr when the text is anything else.
// PERF: no bounds check per byte while kMaxBlockTail bytes remain (bench:
// e2e cp1).
inline const char* ParseBlockTail(const char* p, const char* limit, BlockLine* out) {
  if (static_cast<size_t>(limit - p) >= kMaxBlockTail) [[likely]] {
    return block_tail_detail::Parse<false>(p, limit, out);
  }
  return block_tail_detail::Parse<true>(p, limit, out);
}

// The count at `p` and the line end, for a caller that has matched the
// rest of the tail (merge_pass.cc, by the text it last had: TailMemo).
// Reads as ParseBlockTail reads the count: the same bytes, the same answer.
inline const char* ParseCountTail(const char* p, const char* limit, uint64_t* count) {
  if (static_cast<size_t>(limit - p) >= kMaxBlockTail) [[likely]] {
    return block_tail_detail::CountAndLineEnd<false>(p, limit, count);
  }
  return block_tail_detail::CountAndLineEnd<true>(p, limit, count);
}

}  // namespace covmerge::internal

#endif  // COVMERGE_PARSE_BLOCK_TAIL_H_
