// SPDX-License-Identifier: Apache-2.0
// The count rule, the one place it is written: how two counts of the same
// block combine. Set mode ORs them (as golang.org/x/tools/cover does), count
// and atomic add them. Sums saturate at kMaxCount, the largest count Go's
// parser reads back, where gocovmerge wraps to a negative number; the caller
// counts saturations to warn once. Both the merge (merge/) and the
// GOCOVERDIR decoders (covdata/, below merge) use it, so it lives in base/.
#ifndef COVMERGE_BASE_COUNT_RULE_H_
#define COVMERGE_BASE_COUNT_RULE_H_

#include <cstdint>

#include "covmerge/profile.h"

namespace covmerge::internal {

// Both counts are at most kMaxCount, so their sum cannot wrap a uint64_t.
inline uint64_t CombineCounts(bool set_mode, uint64_t a, uint64_t b, uint64_t* saturations) {
  if (set_mode) return a | b;
  const uint64_t sum = a + b;
  if (sum > kMaxCount) [[unlikely]] {
    ++*saturations;
    return kMaxCount;
  }
  return sum;
}

}  // namespace covmerge::internal

#endif  // COVMERGE_BASE_COUNT_RULE_H_
