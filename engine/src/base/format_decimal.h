// SPDX-License-Identifier: Apache-2.0
// FormatDecimal(out, value): writes `value` in decimal at `out` (at most 20
// bytes, no terminator) and returns the end. The writers' one way to print
// a number.
//
// PERF: a merged profile's line is six numbers, most of one to three
// digits. std::to_chars, a call per number that counts the digits in a
// loop, was 16% of a merge of 4M distinct blocks (bench: e2e distinct,
// perf). Here a one-digit number is one store, the length comes from the
// bit width, and two digits are written per step from a table.
#ifndef COVMERGE_BASE_FORMAT_DECIMAL_H_
#define COVMERGE_BASE_FORMAT_DECIMAL_H_

#include <cstdint>
#include <cstring>

namespace covmerge::internal {

inline constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// The number of decimal digits of `value`, which is at least 10:
// floor(log10(2) * bit width) is the length or one short of it.
inline int DecimalDigits(uint64_t value) {
  static constexpr uint64_t kPowersOfTen[20] = {1ull,
                                                10ull,
                                                100ull,
                                                1000ull,
                                                10000ull,
                                                100000ull,
                                                1000000ull,
                                                10000000ull,
                                                100000000ull,
                                                1000000000ull,
                                                10000000000ull,
                                                100000000000ull,
                                                1000000000000ull,
                                                10000000000000ull,
                                                100000000000000ull,
                                                1000000000000000ull,
                                                10000000000000000ull,
                                                100000000000000000ull,
                                                1000000000000000000ull,
                                                10000000000000000000ull};
  const int bits = 64 - __builtin_clzll(value);
  const int shorter = (bits * 1233) >> 12;  // 1233 / 4096 is just under log10(2)
  return shorter + (value >= kPowersOfTen[shorter] ? 1 : 0);
}

inline char* FormatDecimal(char* out, uint64_t value) {
  if (value < 10) {
    *out = static_cast<char>('0' + value);
    return out + 1;
  }
  char* const end = out + DecimalDigits(value);
  char* p = end;
  while (value >= 100) {
    p -= 2;
    std::memcpy(p, kDigitPairs + (value % 100) * 2, 2);
    value /= 100;
  }
  if (value >= 10) {
    std::memcpy(p - 2, kDigitPairs + value * 2, 2);
  } else {
    p[-1] = static_cast<char>('0' + value);
  }
  return end;
}

}  // namespace covmerge::internal

#endif  // COVMERGE_BASE_FORMAT_DECIMAL_H_
