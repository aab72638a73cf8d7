// SPDX-License-Identifier: Apache-2.0
// Placeholder until the writer lands.
#include "covmerge/exports.h"

namespace covmerge {
}  // namespace covmerge
absl::Status covmerge::WriteLcov(const CoverageSummary&, const ByteSink&) { return absl::UnimplementedError("lcov"); }
