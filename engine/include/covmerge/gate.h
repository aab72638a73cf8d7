// SPDX-License-Identifier: Apache-2.0
// The CI gate: compare a coverage summary with a baseline (an earlier run's
// JSON summary, or an earlier merged profile) and with a minimum, and say
// whether a pull request may land.
#ifndef COVMERGE_GATE_H_
#define COVMERGE_GATE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "covmerge/patch.h"
#include "covmerge/pattern.h"
#include "covmerge/profile.h"
#include "covmerge/report.h"

namespace covmerge {

// Statement coverage of an earlier run, per package.
struct Baseline {
  std::string name;  // the file it came from, for messages
  Coverage total;
  std::vector<std::pair<std::string, Coverage>> packages;  // sorted by name
};

// Reads `path`: a JSON summary ("covmerge-summary", version 1, parsed with
// simdjson) or a coverage profile in the text format, told apart by the
// first byte. Package names of a profile are rewritten by `rewriter`, the
// same rules the current summary used; a JSON summary holds them already
// rewritten. Errors (InvalidArgument, NotFound, ...) name the file and what
// was expected: a missing or malformed baseline never passes silently.
absl::StatusOr<Baseline> LoadBaseline(const std::string& path, const PathRewriter& rewriter);

// The same for a baseline held in memory (`text`); `name` stands for it in
// messages and in Baseline::name.
absl::StatusOr<Baseline> ParseBaseline(const std::string& name, std::string_view text, const PathRewriter& rewriter);

// A floor for the packages (or files) whose name matches `pattern`: when
// several rules match one, the last one given applies, so a general rule
// comes first and its exceptions after it.
struct Threshold {
  Pattern pattern;
  double percent = 0;
  std::string text;  // as given: "internal/=60"
};

// Parses "REGEX=PCT" (the last '=' splits), for --threshold and
// --file-threshold (`option`); InvalidArgument naming what is wrong.
absl::StatusOr<Threshold> ParseThreshold(std::string_view text, std::string_view option);

struct GateOptions {
  std::optional<double> fail_under;  // percent; fail when the total is below
  const Baseline* baseline = nullptr;
  double max_drop = 0;  // percentage points the total may fall below the baseline
  // Patch coverage (patch.h), reported when set; with fail_under_patch,
  // fail when it is below (a patch without statements passes).
  const PatchCoverage* patch = nullptr;
  std::optional<double> fail_under_patch;
  std::vector<Threshold> package_thresholds;  // --threshold
  std::vector<Threshold> file_thresholds;     // --file-threshold
};

struct PackageChange {
  enum class Kind { kFell, kNew, kGone };
  Kind kind;
  std::string name;
  Coverage before;  // zero for kNew
  Coverage after;   // zero for kGone
};

struct GateResult {
  bool passed = true;
  // Human-readable lines for the log: the comparison with the baseline and
  // each package that fell, is new or is gone.
  std::vector<std::string> report;
  // One sentence per failed rule, naming the numbers and, for a drop, the
  // packages that fell.
  std::vector<std::string> failures;
  std::vector<PackageChange> changes;  // sorted by name
};

GateResult EvaluateGate(const CoverageSummary& summary, const GateOptions& options);

}  // namespace covmerge

#endif  // COVMERGE_GATE_H_
