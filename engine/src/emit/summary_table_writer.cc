// SPDX-License-Identifier: Apache-2.0
// Placeholder.
#include "covmerge/exports.h"
absl::Status covmerge::WriteSummaryTable(const CoverageSummary&, const TableOptions&, const ByteSink&) { return absl::UnimplementedError("table"); }
