// SPDX-License-Identifier: Apache-2.0
// BytesEqual(a, b, n): whether two byte ranges are equal, inline. The hot
// loop compares every line with a cached one (~50 bytes); a call to memcmp
// per line, or an 8-byte loop, cost more than the rest of the line's work
// (bench: e2e monorepo, callgrind).
#ifndef COVMERGE_BASE_BYTES_EQUAL_H_
#define COVMERGE_BASE_BYTES_EQUAL_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace covmerge::internal {

inline bool BytesEqual(const char* a, const char* b, size_t n) {
#if defined(__SSE2__)
  if (n >= 16) {
    // 16 bytes at a time; the last block overlaps the one before it.
    auto same16 = [](const char* x, const char* y) {
      const __m128i vx = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x));
      const __m128i vy = _mm_loadu_si128(reinterpret_cast<const __m128i*>(y));
      return _mm_movemask_epi8(_mm_cmpeq_epi8(vx, vy)) == 0xFFFF;
    };
    for (size_t i = 0; i + 16 < n; i += 16) {
      if (!same16(a + i, b + i)) return false;
    }
    return same16(a + n - 16, b + n - 16);
  }
#endif
  if (n >= 8) {
    uint64_t x, y, x2, y2;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    std::memcpy(&x2, a + n - 8, 8);
    std::memcpy(&y2, b + n - 8, 8);
    return ((x ^ y) | (x2 ^ y2)) == 0;
  }
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace covmerge::internal

#endif  // COVMERGE_BASE_BYTES_EQUAL_H_
