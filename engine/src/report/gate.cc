// SPDX-License-Identifier: Apache-2.0
// The gate's rules. Percentages are compared exactly (as fractions) and
// printed with two decimals, so a drop the rule sees is a drop the log shows.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>
#include <type_traits>

#include "base/quote_path.h"
#include "base/str_cat.h"
#include "covmerge/error.h"
#include "covmerge/gate.h"
#include "report/coverage_order.h"

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
      if (internal::CoverageBelow(after->statements, before->second)) {
        changes.push_back({PackageChange::Kind::kFell, after->name, before->second, after->statements});
      }
      ++before;
      ++after;
    }
  }
  return changes;
}

// How many uncovered ranges a failure names before "and N more".
constexpr size_t kRangesNamed = 20;

std::string Percent1(const Coverage& c) { return Cat(FormatPercent(c.Percent()), "%"); }

void EvaluatePatch(const PatchCoverage& patch, const std::optional<double>& fail_under, GateResult* result) {
  result->report.push_back(Cat("patch coverage: ", patch.total.covered, " of ", patch.total.statements,
                               " changed statements covered (", Percent1(patch.total), ") in ", patch.files.size(),
                               " file", patch.files.size() == 1 ? "" : "s"));
  std::vector<std::string> ranges;
  for (const PatchFile& file : patch.files) {
    for (const auto& range : file.uncovered) ranges.push_back(DescribeRange(internal::QuotePath(file.path), range));
  }
  std::string listed;
  for (size_t i = 0; i < ranges.size() && i < kRangesNamed; ++i) listed += Cat(i ? ", " : "", ranges[i]);
  if (ranges.size() > kRangesNamed) listed += Cat(" and ", ranges.size() - kRangesNamed, " more");
  if (!ranges.empty()) result->report.push_back(Cat("  not covered: ", listed));
  for (const std::string& path : patch.unmeasured) {
    result->report.push_back(Cat("  not in any profile: ", internal::QuotePath(path),
                                 " (changed, but no test run built it, a filter left it out, or a path rule does not fit)"));
  }
  if (!fail_under || patch.total.statements == 0 || patch.total.Percent() >= *fail_under) return;
  result->passed = false;
  char required[32];
  std::snprintf(required, sizeof required, "%.2f%%", *fail_under);
  result->failures.push_back(Cat("patch coverage ", Percent2(patch.total), " is below the required ", required,
                                 " (--fail-under-patch); not covered: ", listed));
}

// The last rule whose pattern matches `name`, or null.
const Threshold* RuleFor(const std::vector<Threshold>& rules, std::string_view name) {
  const Threshold* found = nullptr;
  for (const Threshold& rule : rules) {
    if (rule.pattern.Matches(name)) found = &rule;
  }
  return found;
}

template <typename Item>
void EvaluateThresholds(const std::vector<Threshold>& rules, const std::vector<Item>& items, std::string_view what,
                        std::string_view option, GateResult* result) {
  if (rules.empty()) return;
  for (const Item& item : items) {
    const std::string& name = [&]() -> const std::string& {
      if constexpr (std::is_same_v<Item, PackageSummary>) {
        return item.name;
      } else {
        return item.path;
      }
    }();
    const Threshold* rule = RuleFor(rules, name);
    if (rule == nullptr || item.statements.statements == 0 || item.statements.Percent() >= rule->percent) continue;
    result->passed = false;
    char required[32];
    std::snprintf(required, sizeof required, "%.2f%%", rule->percent);
    result->failures.push_back(Cat(what, " ", internal::QuotePath(name), " has ", Percent2(item.statements),
                                   ", below its threshold of ", required, " (", option, " '", rule->text, "')"));
  }
}

}  // namespace

absl::StatusOr<Threshold> ParseThreshold(std::string_view text, std::string_view option) {
  const size_t eq = text.rfind('=');
  double percent = -1;
  if (eq != std::string_view::npos && eq > 0) {
    std::string_view digits = text.substr(eq + 1);
    if (digits.ends_with('%')) digits.remove_suffix(1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), percent);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) percent = -1;
  }
  if (percent < 0 || percent > 100) {
    return ErrorStatus({.kind = ErrorKind::kInvalidArgument,
                        .detail = Cat("option ", option, " expects REGEX=PCT, e.g. 'internal/=60', with PCT from 0 "
                                      "to 100, got \"", text, "\"")});
  }
  absl::StatusOr<Pattern> pattern = Pattern::Compile(text.substr(0, eq), option);
  if (!pattern.ok()) return pattern.status();
  return Threshold{*std::move(pattern), percent, std::string(text)};
}

GateResult EvaluateGate(const CoverageSummary& summary, const GateOptions& options) {
  GateResult result;
  EvaluateThresholds(options.package_thresholds, summary.packages, "package", "--threshold", &result);
  EvaluateThresholds(options.file_thresholds, summary.files, "file", "--file-threshold", &result);
  if (options.patch != nullptr) EvaluatePatch(*options.patch, options.fail_under_patch, &result);
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
