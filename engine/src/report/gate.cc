// SPDX-License-Identifier: Apache-2.0
// The gate's rules. Percentages are compared exactly (as fractions) and
// printed with two decimals, so a drop the rule sees is a drop the log shows.
#include <algorithm>
#include <cstdio>
#include <string>

#include "base/quote_path.h"
#include "base/str_cat.h"
#include "covmerge/gate.h"

namespace covmerge {
namespace {

using internal::Cat;

std::string Percent2(const Coverage& c) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f%%", c.Percent());
  return text;
}

std::string Points(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%+.2f", value);
  return text;
}

// a < b as fractions covered/statements, with no rounding.
bool Lower(const Coverage& a, const Coverage& b) {
  return static_cast<unsigned __int128>(a.covered) * b.statements <
         static_cast<unsigned __int128>(b.covered) * a.statements;
}

std::vector<PackageChange> ComparePackages(const CoverageSummary& summary, const Baseline& baseline) {
  std::vector<PackageChange> changes;
  auto before = baseline.packages.begin();
  auto after = summary.packages.begin();
  while (before != baseline.packages.end() || after != summary.packages.end()) {
    if (after == summary.packages.end() || (before != baseline.packages.end() && before->first < after->name)) {
      changes.push_back({PackageChange::Kind::kGone, before->first, before->second, {}});
      ++before;
    } else if (before == baseline.packages.end() || after->name < before->first) {
      changes.push_back({PackageChange::Kind::kNew, after->name, {}, after->statements});
      ++after;
    } else {
      if (Lower(after->statements, before->second)) {
        changes.push_back({PackageChange::Kind::kFell, after->name, before->second, after->statements});
      }
      ++before;
      ++after;
    }
  }
  return changes;
}

}  // namespace

GateResult EvaluateGate(const CoverageSummary& summary, const GateOptions& options) {
  GateResult result;
  if (options.fail_under && summary.total.Percent() < *options.fail_under) {
    result.passed = false;
    char required[32];
    std::snprintf(required, sizeof required, "%.2f%%", *options.fail_under);
    result.failures.push_back(Cat("total coverage ", Percent2(summary.total), " is below the required ", required,
                                  " (--fail-under)"));
  }
  if (options.baseline == nullptr) return result;

  const Baseline& baseline = *options.baseline;
  const double change = summary.total.Percent() - baseline.total.Percent();
  char allowed[32];
  std::snprintf(allowed, sizeof allowed, "%.2f", options.max_drop);
  result.report.push_back(Cat("baseline ", internal::QuotePath(baseline.name), ": total ", Percent2(baseline.total), " -> ",
                              Percent2(summary.total), " (", Points(change), " points; a drop of up to ",
                              allowed, " allowed)"));
  result.changes = ComparePackages(summary, baseline);
  // Names printed as messages print paths: no raw control bytes in a log.
  size_t width = 0;
  for (const PackageChange& c : result.changes) width = std::max(width, internal::QuotePath(c.name).size());
  std::vector<std::string> fell;
  for (const PackageChange& c : result.changes) {
    const std::string quoted = internal::QuotePath(c.name);
    const std::string name = Cat(quoted, std::string(width - quoted.size(), ' '));
    switch (c.kind) {
      case PackageChange::Kind::kFell:
        result.report.push_back(Cat("  fell  ", name, "  ", Percent2(c.before), " -> ", Percent2(c.after)));
        fell.push_back(Cat(quoted, " (", Percent2(c.before), " -> ", Percent2(c.after), ")"));
        break;
      case PackageChange::Kind::kNew:
        result.report.push_back(Cat("  new   ", name, "  ", Percent2(c.after), " of ", c.after.statements,
                                    " statements, not in the baseline"));
        break;
      case PackageChange::Kind::kGone:
        result.report.push_back(Cat("  gone  ", name, "  was ", Percent2(c.before), " of ",
                                    c.before.statements, " statements, not in this run"));
        break;
    }
  }
  // The rule is on the total; a small epsilon keeps "fell by exactly the
  // allowed amount" from failing on the last bit of a double.
  if (-change > options.max_drop + 1e-9) {
    result.passed = false;
    std::string failure = Cat("total coverage fell from ", Percent2(baseline.total), " to ",
                              Percent2(summary.total), " (", Points(change), " points, more than the ", allowed,
                              " that --max-drop allows)");
    if (!fell.empty()) {
      failure += "; packages that fell: ";
      for (size_t i = 0; i < fell.size(); ++i) failure += Cat(i ? ", " : "", fell[i]);
    }
    result.failures.push_back(std::move(failure));
  }
  return result;
}

}  // namespace covmerge
