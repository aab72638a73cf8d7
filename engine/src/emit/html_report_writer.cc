// SPDX-License-Identifier: Apache-2.0
// Placeholder until the writer lands.
#include "covmerge/exports.h"

namespace covmerge {
}  // namespace covmerge
absl::Status covmerge::WriteHtmlReport(const CoverageSummary&, const HtmlOptions&, const ByteSink&) { return absl::UnimplementedError("html"); }
