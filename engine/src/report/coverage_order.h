// SPDX-License-Identifier: Apache-2.0
// The one order of coverage fractions, used wherever two are compared (the
// gate's per-package drops, the summary table sorted by coverage).
#ifndef COVMERGE_REPORT_COVERAGE_ORDER_H_
#define COVMERGE_REPORT_COVERAGE_ORDER_H_

#include "covmerge/profile.h"

namespace covmerge::internal {

// covered/statements of `a` below that of `b`, exactly: the cross products
// of two 64-bit counts are compared in 128 bits, so no percent is rounded
// and no product overflows. A side without statements is below nothing and
// nothing is below it; callers that rank such rows decide where they go.
inline bool CoverageBelow(const Coverage& a, const Coverage& b) {
  __extension__ typedef unsigned __int128 Wide;  // GCC's and clang's type, not ISO C++'s
  return static_cast<Wide>(a.covered) * b.statements < static_cast<Wide>(b.covered) * a.statements;
}

}  // namespace covmerge::internal

#endif  // COVMERGE_REPORT_COVERAGE_ORDER_H_
