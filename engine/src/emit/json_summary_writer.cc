// SPDX-License-Identifier: Apache-2.0
// Placeholder.
#include "covmerge/exports.h"
absl::Status covmerge::WriteJsonSummary(const CoverageSummary&, const ByteSink&) { return absl::UnimplementedError("json"); }
